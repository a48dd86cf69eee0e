import Yams

/// MailerQ response patterns and flood patterns as JSON (docs/IMPORTERS.md "MailerQ" has the schema).
///
/// Response-pattern triggers carry their priority (lower first) and "evaluate other patterns too"
/// (`continues`); their linked actions become the rule's actions. Flood patterns come first in the file's rules
/// and always continue, because MailerQ applies a flood pattern's throttle whatever response pattern also fires.
public struct MailerQRuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "mailerq" }
    public var fileExtensions: [String] { ["json"] }

    public func sniff(_ bytes: [UInt8]) -> Bool {
        headContains(bytes, "\"responsePatterns\"") || headContains(bytes, "\"floodPatterns\"")
    }

    static let topKeys = ["mailerq", "responsePatterns", "floodPatterns"]
    static let responseKeys = ["triggers", "actions"]
    static let triggerKeys = ["name", "mtaIps", "domains", "kind", "pattern", "caseSensitive", "priority", "evaluateOtherPatterns", "actions"]
    static let actionKeys = ["id", "name", "setProperties", "setIps", "addIps", "removeIps", "tag", "result", "retryInterval"]
    static let floodKeys = ["name", "mtaIps", "domains", "kind", "pattern", "caseSensitive", "pauseSeconds", "reducedCapacitySeconds", "throttle"]
    static let throttleKeys = [
        "maxConnections", "maxMessagesPerConnection", "maxMessagesPerSecond", "maxMessagesPerMinute",
        "maxMessagesPerHour", "maxMessagesPerDay",
    ]

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        var r = JSONNodeReader(bytes: bytes, file: file)
        var rules: [Rule] = []
        guard let top = r.root(what: "'responsePatterns' and/or 'floodPatterns'") else { return ([], r.errors) }
        var response: Node?, flood: Node?
        for m in top {
            switch m.key {
            case "mailerq":
                if r.int(m.value, key: "mailerq").map({ $0 != 1 }) == true {
                    r.error(m.value, "unsupported schema version (this reader knows \"mailerq\": 1)")
                }
            case "responsePatterns": response = m.value
            case "floodPatterns": flood = m.value
            default: r.error(m.keyNode, "unknown top-level key '\(m.key)'\(suggestion(m.key, MailerQRuleFormat.topKeys))")
            }
        }
        if response == nil, flood == nil {
            r.errors.append(RuleFileError(SourceLocation(file: file, line: 1), "no 'responsePatterns' or 'floodPatterns' in the file"))
        }
        if let flood {
            for item in r.list(flood, key: "floodPatterns") {
                if let rule = readFlood(item, &r, options: options) { rules.append(rule) }
            }
        }
        if let response {
            var triggers: Node?, actionsNode: Node?
            for m in r.members(response, what: "'responsePatterns'", known: MailerQRuleFormat.responseKeys) {
                if m.key == "triggers" { triggers = m.value } else { actionsNode = m.value }
            }
            var actions: [String: [RuleAction]] = [:]
            if let actionsNode {
                for item in r.list(actionsNode, key: "actions") {
                    guard let (id, list) = readAction(item, &r) else { continue }
                    if actions[id] != nil {
                        r.error(item, "duplicate action id '\(id)'")
                        continue
                    }
                    actions[id] = list
                }
            }
            if let triggers {
                for item in r.list(triggers, key: "triggers") {
                    if let rule = readTrigger(item, actions: actions, &r, options: options) { rules.append(rule) }
                }
            } else {
                r.error(response, "'responsePatterns' has no 'triggers' list")
            }
        }
        return (rules, r.errors)
    }

    /// The pattern of a trigger or flood pattern: kind + pattern, both required.
    func readPattern(_ kindNode: Node?, _ patternNode: Node?, at item: Node, _ r: inout JSONNodeReader) -> (PatternKind, [UInt8], SourceLocation)? {
        guard let kindNode, let patternNode else {
            r.error(item, kindNode == nil ? "missing 'kind' (substring, exact, wildcard or regex)" : "missing 'pattern'")
            return nil
        }
        guard let kind = r.kind(kindNode, key: "kind"), let p = r.nonEmptyString(patternNode, key: "pattern") else { return nil }
        return (kind, Array(p.utf8), r.contentLocation(patternNode))
    }

    /// The members triggers and flood patterns share: name, conditions, the pattern's nodes and its case.
    /// True when `m` was one of them.
    func readSharedMember(
        _ m: (key: String, keyNode: Node, value: Node), into rule: inout Rule, kind: inout Node?, pattern: inout Node?,
        _ r: inout JSONNodeReader
    ) -> Bool {
        switch m.key {
        case "name": rule.name = r.nonEmptyString(m.value, key: "name") ?? ""
        case "mtaIps": rule.conditions.ips = r.ipRanges(m.value, key: "mtaIps")
        case "domains": rule.conditions.domains = r.domains(m.value, key: "domains")
        case "kind": kind = m.value
        case "pattern": pattern = m.value
        case "caseSensitive": if let b = r.bool(m.value, key: "caseSensitive") { rule.caseInsensitive = !b }
        default: return false
        }
        return true
    }

    func readTrigger(_ item: Node, actions: [String: [RuleAction]], _ r: inout JSONNodeReader, options: LoadOptions) -> Rule? {
        let before = r.errors.count
        var rule = Rule(name: "", kind: nil, pattern: [], caseInsensitive: !options.caseSensitive, location: r.location(item), format: name)
        var kindNode: Node?, patternNode: Node?
        var linked: [String] = []
        for m in r.members(item, what: "a trigger", known: MailerQRuleFormat.triggerKeys)
        where !readSharedMember(m, into: &rule, kind: &kindNode, pattern: &patternNode, &r) {
            switch m.key {
            case "priority": rule.priority = r.int(m.value, key: "priority")
            case "evaluateOtherPatterns": rule.continues = r.bool(m.value, key: "evaluateOtherPatterns") ?? false
            case "actions":
                for (id, node) in r.stringList(m.value, key: "actions") {
                    guard let list = actions[id] else {
                        r.error(node, "trigger links action '\(id)', which 'responsePatterns.actions' does not define")
                        continue
                    }
                    linked.append(id)
                    rule.actions.append(RuleAction("action", id))
                    rule.actions += list
                }
            default: break
            }
        }
        if rule.name.isEmpty, r.errors.count == before { r.error(item, "a trigger needs a 'name'") }
        guard let (kind, pattern, at) = readPattern(kindNode, patternNode, at: item, &r) else { return nil }
        guard r.errors.count == before else { return nil }
        rule.setPattern(kind, pattern, at: at)
        // The outcome class is what the linked actions decide for the message, the last decision winning.
        rule.label = rule.actions.last(where: { $0.name == "result" })?.value ?? ""
        rule.details = [RuleAction("type", "response-pattern"), RuleAction("linked-actions", linked.joined(separator: ","))]
        return rule
    }

    func readAction(_ item: Node, _ r: inout JSONNodeReader) -> (String, [RuleAction])? {
        let before = r.errors.count
        var id: String?
        var out: [RuleAction] = []
        for m in r.members(item, what: "an action", known: MailerQRuleFormat.actionKeys) {
            switch m.key {
            case "id": id = r.nonEmptyString(m.value, key: "id")
            case "name": if let s = r.nonEmptyString(m.value, key: "name") { out.append(RuleAction("name", s)) }
            case "setProperties":
                if let props = r.object(m.value, what: "'setProperties'") {
                    for p in props {
                        if let v = r.scalarText(p.value, key: "setProperties.\(p.key)") { out.append(RuleAction("property.\(p.key)", v)) }
                    }
                }
            case "setIps", "addIps", "removeIps":
                let verb = m.key == "setIps" ? "ip.set" : m.key == "addIps" ? "ip.add" : "ip.remove"
                for (s, node) in r.stringList(m.value, key: m.key) {
                    guard IPAddress(parsing: s) != nil else {
                        r.error(node, "bad IP address '\(s)' in '\(m.key)'")
                        continue
                    }
                    out.append(RuleAction(verb, s))
                }
            case "tag": if let s = r.nonEmptyString(m.value, key: "tag") { out.append(RuleAction("tag", s)) }
            case "result":
                guard let s = r.string(m.value, key: "result") else { break }
                guard s == "fail" || s == "retry" else {
                    r.error(m.value, "'result' must be \"fail\" or \"retry\", found '\(s)'")
                    break
                }
                out.append(RuleAction("result", s))
            case "retryInterval":
                guard let n = r.int(m.value, key: "retryInterval") else { break }
                guard n >= 0 else {
                    r.error(m.value, "'retryInterval' must be seconds ≥ 0")
                    break
                }
                out.append(RuleAction("retry-interval", String(n)))
            default: break
            }
        }
        guard r.errors.count == before else { return nil }
        guard let id else {
            r.error(item, "an action needs an 'id' that triggers link to")
            return nil
        }
        if out.allSatisfy({ $0.name == "name" }) {
            r.error(item, "action '\(id)' does nothing (give setProperties, setIps, addIps, removeIps, tag, result or retryInterval)")
            return nil
        }
        return (id, out)
    }

    func readFlood(_ item: Node, _ r: inout JSONNodeReader, options: LoadOptions) -> Rule? {
        let before = r.errors.count
        var rule = Rule(name: "", kind: nil, pattern: [], caseInsensitive: !options.caseSensitive, label: "flood", continues: true, location: r.location(item), format: name)
        var kindNode: Node?, patternNode: Node?
        var timing: [RuleAction] = []
        var throttle: [RuleAction] = []
        for m in r.members(item, what: "a flood pattern", known: MailerQRuleFormat.floodKeys)
        where !readSharedMember(m, into: &rule, kind: &kindNode, pattern: &patternNode, &r) {
            switch m.key {
            case "pauseSeconds", "reducedCapacitySeconds":
                guard let n = r.int(m.value, key: m.key) else { break }
                guard n >= 0 else {
                    r.error(m.value, "'\(m.key)' must be seconds ≥ 0")
                    break
                }
                timing.append(RuleAction(m.key == "pauseSeconds" ? "pause" : "reduced-capacity-duration", String(n)))
            case "throttle":
                for t in r.members(m.value, what: "'throttle'", known: MailerQRuleFormat.throttleKeys) {
                    guard let n = r.int(t.value, key: "throttle.\(t.key)") else { continue }
                    guard n >= 0 else {
                        r.error(t.value, "'throttle.\(t.key)' must be ≥ 0")
                        continue
                    }
                    throttle.append(RuleAction("throttle.\(t.key)", String(n)))
                }
            default: break
            }
        }
        if rule.name.isEmpty, r.errors.count == before { r.error(item, "a flood pattern needs a 'name'") }
        guard let (kind, pattern, at) = readPattern(kindNode, patternNode, at: item, &r) else { return nil }
        if timing.isEmpty, r.errors.count == before {
            r.error(item, "a flood pattern needs 'pauseSeconds' and/or 'reducedCapacitySeconds'")
        }
        guard r.errors.count == before else { return nil }
        rule.setPattern(kind, pattern, at: at)
        rule.actions = timing + throttle
        rule.details = [RuleAction("type", "flood-pattern")]
        return rule
    }
}

private extension Rule {
    /// A read pattern on its kind's default target.
    mutating func setPattern(_ kind: PatternKind, _ pattern: [UInt8], at location: SourceLocation) {
        self.kind = kind
        target = MatchTarget.default(for: kind)
        self.pattern = pattern
        patternLocation = location
    }
}
