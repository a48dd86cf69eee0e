/// A rule list, one rule per line: `kind<TAB>pattern[<TAB>label[<TAB>order]]` (docs/RULE-FORMATS.md).
///
/// Fields are raw bytes: nothing is unescaped or trimmed, so patterns keep significant spaces and any byte
/// but TAB, CR at the end of the line, and LF. A header line `kind<TAB>pattern…` names the columns.
public struct TSVRuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "tsv" }
    public var fileExtensions: [String] { ["tsv"] }

    /// Column names a header may use beyond `kind` and `pattern`; any other name becomes a `details` entry.
    static let knownColumns: Set<String> = ["kind", "pattern", "label", "order", "action", "actions", "domain", "priority", "target", "case"]

    public func sniff(_ bytes: [UInt8]) -> Bool {
        for line in TSVRuleFormat.lines(bytes) {
            let l = bytes[line.range]
            if l.isEmpty || l.first == UInt8(ascii: "#") { continue }
            guard let tab = l.firstIndex(of: 0x09) else { return false }
            let first = String(decoding: bytes[l.startIndex..<tab], as: UTF8.self)
            return first == "kind" || PatternKind(rawValue: first) != nil
        }
        return false
    }

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        var rules: [Rule] = []
        var errors: [RuleFileError] = []
        var columns = ["kind", "pattern", "label", "order"]
        var sawContent = false
        for line in TSVRuleFormat.lines(bytes) {
            let l = bytes[line.range]
            if l.isEmpty || l.first == UInt8(ascii: "#") { continue }
            let fields = TSVRuleFormat.fields(l)
            let at = { (field: Int) in SourceLocation(file: file, line: line.number, column: fields[field].lowerBound - l.startIndex + 1) }
            if !sawContent {
                sawContent = true
                if fields.count >= 2, bytes[fields[0]].elementsEqual("kind".utf8), bytes[fields[1]].elementsEqual("pattern".utf8) {
                    columns = fields.map { String(decoding: bytes[$0], as: UTF8.self).lowercased() }
                    var seen: Set<String> = []
                    for (i, name) in columns.enumerated() where !seen.insert(name).inserted {
                        errors.append(RuleFileError(at(i), "column '\(name)' appears twice in the header"))
                    }
                    continue
                }
            }
            guard fields.count >= 2 else {
                errors.append(RuleFileError(SourceLocation(file: file, line: line.number, column: l.count + 1), "expected 'kind<TAB>pattern', found no TAB"))
                continue
            }
            guard fields.count <= columns.count else {
                errors.append(RuleFileError(at(columns.count), "too many fields: \(fields.count), the columns are \(columns.joined(separator: ", "))"))
                continue
            }
            let kindText = String(decoding: bytes[fields[0]], as: UTF8.self)
            guard let kind = PatternKind(rawValue: kindText) else {
                errors.append(RuleFileError(at(0), "unknown kind '\(kindText)' (expected substring, exact, wildcard or regex)"))
                continue
            }
            if fields[1].isEmpty {
                errors.append(RuleFileError(at(1), "empty pattern"))
                continue
            }
            var rule = Rule(
                name: "\(file):\(line.number)", kind: kind, pattern: Array(bytes[fields[1]]),
                caseInsensitive: !options.caseSensitive,
                location: SourceLocation(file: file, line: line.number),
                patternLocation: at(1), format: name
            )
            var ok = true
            for i in 2..<fields.count {
                let value = String(decoding: bytes[fields[i]], as: UTF8.self)
                if let problem = TSVRuleFormat.apply(column: columns[i], value: value, to: &rule) {
                    errors.append(RuleFileError(at(i), problem))
                    ok = false
                }
            }
            if ok { rules.append(rule) }
        }
        return (rules, errors)
    }

    /// Sets one named column on `rule`; returns the problem when the value is bad.
    static func apply(column: String, value: String, to rule: inout Rule) -> String? {
        switch column {
        case "label":
            rule.label = value
        case "action", "actions":
            rule.actions += parseActions(value)
        case "domain":
            // `default` is KumoMTA's "every domain"; `provider:NAME` scopes by MX provider, which a rule
            // list cannot resolve, so it stays a detail (docs/RULE-FORMATS.md).
            if value.isEmpty || value == "default" { break }
            if value.hasPrefix("provider:") {
                rule.details.append(RuleAction("domain", value))
            } else {
                for d in value.split(separator: ",") {
                    rule.conditions.domains.append(DomainPattern(parsing: String(d).lowercased()))
                }
            }
        case "priority":
            if value.isEmpty { break }
            guard let p = Int(value) else { return "priority must be an integer, found '\(value)'" }
            rule.priority = p
        case "target":
            if value.isEmpty { break }
            guard let t = MatchTarget(rawValue: value) else { return "target must be 'line' or 'text', found '\(value)'" }
            rule.target = t
        case "case":
            switch value {
            case "": break
            case "sensitive": rule.caseInsensitive = false
            case "insensitive": rule.caseInsensitive = true
            default: return "case must be 'sensitive' or 'insensitive', found '\(value)'"
            }
        default:
            // `order` and unknown columns are facts for explanations, not semantics.
            if !value.isEmpty { rule.details.append(RuleAction(column, value)) }
        }
        return nil
    }

    /// `Suspend;SetConfig(max_message_rate=3/m);tag=x` → `Suspend`, `SetConfig=max_message_rate=3/m`, `tag=x`.
    static func parseActions(_ text: String) -> [RuleAction] {
        text.split(separator: ";").compactMap { raw in
            let item = raw.trimmingASCIISpaces()
            guard !item.isEmpty else { return nil }
            if item.hasSuffix(")"), let open = item.firstIndex(of: "(") {
                return RuleAction(String(item[..<open]), String(item[item.index(after: open)..<item.index(before: item.endIndex)]))
            }
            if let eq = item.firstIndex(of: "=") {
                return RuleAction(String(item[..<eq]).trimmingASCIISpaces(), String(item[item.index(after: eq)...]).trimmingASCIISpaces())
            }
            return RuleAction(item)
        }
    }

    /// Lines split at LF, a trailing CR dropped; numbers are 1-based.
    static func lines(_ bytes: [UInt8]) -> [(number: Int, range: Range<Int>)] {
        var out: [(Int, Range<Int>)] = []
        var start = 0, number = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > start, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            out.append((number, start..<contentEnd))
            start = end + 1
            number += 1
        }
        return out
    }

    /// TAB-separated field ranges of one line.
    static func fields(_ line: ArraySlice<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = line.startIndex
        for i in line.indices where line[i] == 0x09 {
            out.append(start..<i)
            start = i + 1
        }
        out.append(start..<line.endIndex)
        return out
    }
}

extension StringProtocol {
    /// Without leading and trailing ASCII spaces and tabs.
    func trimmingASCIISpaces() -> String {
        let u = Array(utf8)
        var lo = 0, hi = u.count
        while lo < hi, u[lo] == 0x20 || u[lo] == 0x09 { lo += 1 }
        while hi > lo, u[hi - 1] == 0x20 || u[hi - 1] == 0x09 { hi -= 1 }
        return String(decoding: u[lo..<hi], as: UTF8.self)
    }
}
