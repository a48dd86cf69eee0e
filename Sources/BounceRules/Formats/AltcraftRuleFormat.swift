import Yams

/// Altcraft AKMTA bounce patterns as JSON, the way an export of Settings → MTA → Bounce patterns (and ISPs)
/// would look (docs/IMPORTERS.md "Altcraft" has the schema and the order).
///
/// Order: custom entries before default ones (custom entries exist to override the shipped defaults), and
/// within each, ISP-specific entries before all-ISP ones (the more specific wins); file order breaks ties.
public struct AltcraftRuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "altcraft" }
    public var fileExtensions: [String] { ["json"] }

    public func sniff(_ bytes: [UInt8]) -> Bool { headContains(bytes, "\"bouncePatterns\"") }

    static let topKeys = ["altcraft", "isps", "bouncePatterns"]
    static let patternKeys = ["id", "name", "type", "isp", "kind", "pattern", "message", "origin", "caseSensitive"]
    /// Names of the "All ISPs" choice.
    static let allISPs: Set<String> = ["all isps", "all", "*"]

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        let c = parseFile(bytes, file: file, options: options)
        return (c.rules, c.errors)
    }

    public func parseFile(_ bytes: [UInt8], file: String, options: LoadOptions) -> RuleFileContents {
        var r = JSONNodeReader(bytes: bytes, file: file)
        guard let top = r.root(what: "a 'bouncePatterns' list") else { return RuleFileContents(errors: r.errors) }
        var patterns: Node?
        var isps: [ISPDefinition] = []
        for m in top {
            switch m.key {
            case "altcraft":
                if r.string(m.value, key: "altcraft").map({ $0 != "bounce-patterns" }) == true {
                    r.error(m.value, "unsupported content (this reader knows \"altcraft\": \"bounce-patterns\")")
                }
            case "isps":
                for isp in r.object(m.value, what: "'isps'") ?? [] {
                    let domains = r.domains(isp.value, key: "isps.\(isp.key)").map(\.description)
                    if isp.key.isEmpty { r.error(isp.keyNode, "an ISP name must not be empty") }
                    isps.append(ISPDefinition(name: isp.key, domains: domains, location: r.location(isp.keyNode)))
                }
            case "bouncePatterns": patterns = m.value
            default: r.error(m.keyNode, "unknown top-level key '\(m.key)'\(suggestion(m.key, AltcraftRuleFormat.topKeys))")
            }
        }
        guard let patterns else {
            r.errors.append(RuleFileError(SourceLocation(file: file, line: 1), "no 'bouncePatterns' list in the file"))
            return RuleFileContents(errors: r.errors, isps: isps)
        }
        var known = options.isps
        for d in isps { known.define(d.name, domains: d.domains) }
        var read: [(rule: Rule, custom: Bool, allISPs: Bool)] = []
        for item in r.list(patterns, key: "bouncePatterns") {
            if let entry = readPattern(item, &r, isps: known, options: options) { read.append(entry) }
        }
        // Stable sort: custom before default, then ISP-specific before all-ISP, then file order.
        let ordered = read.enumerated().sorted { a, b in
            let ka = (a.element.custom ? 0 : 1, a.element.allISPs ? 1 : 0, a.offset)
            let kb = (b.element.custom ? 0 : 1, b.element.allISPs ? 1 : 0, b.offset)
            return ka < kb
        }.map(\.element.rule)
        return RuleFileContents(rules: ordered, errors: r.errors, isps: isps)
    }

    func readPattern(_ item: Node, _ r: inout JSONNodeReader, isps: ISPTable, options: LoadOptions) -> (rule: Rule, custom: Bool, allISPs: Bool)? {
        let before = r.errors.count
        var rule = Rule(name: "", kind: .substring, pattern: [], caseInsensitive: !options.caseSensitive, location: r.location(item), format: name)
        var custom = true, all = true
        var patternNode: Node?
        var details: [RuleAction] = []
        var typeSeen = false
        for m in r.members(item, what: "a bounce pattern", known: AltcraftRuleFormat.patternKeys) {
            switch m.key {
            case "id":
                if let s = r.scalarText(m.value, key: "id") { details.insert(RuleAction("id", s), at: 0) }
            case "name": rule.name = r.nonEmptyString(m.value, key: "name") ?? ""
            case "type":
                guard let s = r.string(m.value, key: "type") else { break }
                switch s.lowercased() {
                case "hb", "hard bounce", "hard": rule.label = "HB"
                case "sb", "soft bounce", "soft": rule.label = "SB"
                case "b", "bounce": rule.label = "B"
                default:
                    r.error(m.value, "unknown type '\(s)' (expected HB, SB or B: Hard bounce, Soft bounce, Bounce)")
                }
                typeSeen = true
            case "isp":
                guard let s = r.nonEmptyString(m.value, key: "isp") else { break }
                if AltcraftRuleFormat.allISPs.contains(s.lowercased()) { break }
                guard isps.domains(forISP: s) != nil else {
                    r.error(m.value, "unknown ISP '\(s)' (define it under \"isps\", or use \"All ISPs\"; known: \(isps.names.joined(separator: ", ")))")
                    break
                }
                rule.conditions.ispNames = [s]
                all = false
            case "kind":
                if let k = r.kind(m.value, key: "kind") { rule.kind = k }
            case "pattern": patternNode = m.value
            case "message":
                if let s = r.string(m.value, key: "message") { details.append(RuleAction("message", s)) }
            case "origin":
                guard let s = r.string(m.value, key: "origin") else { break }
                guard s == "default" || s == "custom" else {
                    r.error(m.value, "'origin' must be \"default\" or \"custom\", found '\(s)'")
                    break
                }
                custom = s == "custom"
            case "caseSensitive":
                if let b = r.bool(m.value, key: "caseSensitive") { rule.caseInsensitive = !b }
            default: break
            }
        }
        if !typeSeen { r.error(item, "a bounce pattern needs a 'type' (HB, SB or B)") }
        guard let patternNode else {
            r.error(item, "a bounce pattern needs a 'pattern'")
            return nil
        }
        guard let p = r.nonEmptyString(patternNode, key: "pattern") else { return nil }
        guard r.errors.count == before else { return nil }
        rule.pattern = Array(p.utf8)
        rule.patternLocation = r.contentLocation(patternNode)
        rule.target = MatchTarget.default(for: rule.kind ?? .substring)
        if rule.name.isEmpty { rule.name = "\(r.file):\(rule.location.line)" }
        // What AKMTA does with each type (seed 002): HB blocks the address, SB may retry, B marks undelivered.
        switch rule.label {
        case "HB": rule.actions = [RuleAction("subscription", "hard-bounced"), RuleAction("retry", "false")]
        case "SB": rule.actions = [RuleAction("subscription", "soft-bounced"), RuleAction("retry", "true")]
        default: rule.actions = [RuleAction("message-status", "undelivered"), RuleAction("retry", "false")]
        }
        details.append(RuleAction("origin", custom ? "custom" : "default"))
        details.append(RuleAction("isp", rule.conditions.ispNames.first ?? "All ISPs"))
        rule.details = details
        return (rule, custom, all)
    }
}
