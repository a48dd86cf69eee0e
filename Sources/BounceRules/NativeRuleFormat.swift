import Yams

/// The project's own rule format: YAML with a top-level `rules:` list (docs/RULE-FORMATS.md).
///
/// It expresses everything in SPEC §2. Every error names file, line and byte column; an unknown key is an
/// error (with a suggestion), so a typo never drops a condition silently.
public struct NativeRuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "native" }
    public var fileExtensions: [String] { ["yaml", "yml"] }

    /// Nesting deeper than this is refused before Yams sees it, because its composer recurses per level.
    static let maxNesting = 512

    static let topKeys = ["bouncematch", "case_sensitive", "isps", "rules"]
    static let ruleKeys = [
        "name", "kind", "pattern", "substring", "exact", "wildcard", "regex", "target", "case_sensitive",
        "code", "enhanced", "domain", "isp", "ip", "phase", "transport", "recipient_error",
        "priority", "label", "actions", "continue", "details",
    ]

    /// A line at column 0 that starts with `bouncematch:` or `rules:` (first 64 KiB).
    public func sniff(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(1 << 16)
        var lineStart = head.startIndex
        while lineStart < head.endIndex {
            let end = head[lineStart...].firstIndex(of: 0x0A) ?? head.endIndex
            let line = head[lineStart..<end]
            if line.starts(with: "bouncematch:".utf8) || line.starts(with: "rules:".utf8) { return true }
            lineStart = end + 1
        }
        return false
    }

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        let c = parseFile(bytes, file: file, options: options)
        return (c.rules, c.errors)
    }

    public func parseFile(_ bytes: [UInt8], file: String, options: LoadOptions) -> RuleFileContents {
        var reader = NativeReader(bytes: bytes, file: file, options: options, format: name)
        reader.read()
        return RuleFileContents(rules: reader.rules, errors: reader.errors, isps: reader.isps)
    }
}

/// One pass over one native file.
struct NativeReader {
    let bytes: [UInt8]
    let file: String
    let options: LoadOptions
    let format: String
    /// Where each line starts, for byte locations.
    let lines: LineIndex
    var caseSensitive: Bool
    var rules: [Rule] = []
    var errors: [RuleFileError] = []
    var isps: [ISPDefinition] = []

    init(bytes: [UInt8], file: String, options: LoadOptions, format: String) {
        self.bytes = bytes
        self.file = file
        self.options = options
        self.format = format
        self.caseSensitive = options.caseSensitive
        self.lines = LineIndex(bytes, file: file)
    }

    // MARK: Locations

    /// A file location for a Yams mark (1-based line, column in Unicode scalars) as a byte column.
    func location(_ mark: Mark?) -> SourceLocation { lines.location(mark, in: bytes) }

    func location(_ node: Node) -> SourceLocation { location(node.mark) }

    mutating func error(_ node: Node, _ reason: String) { errors.append(RuleFileError(location(node), reason)) }

    /// Where the first byte of a scalar's content is, so regex error columns add up (docs/RULE-FORMATS.md).
    func contentLocation(_ node: Node) -> SourceLocation {
        var at = location(node)
        guard let scalar = node.scalar else { return at }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            at.column += 1
        case .literal, .folded:
            // Block scalar content starts on the next non-blank line, after its indentation.
            var line = at.line + 1
            while line <= lines.starts.count {
                var i = lines.starts[line - 1]
                while i < bytes.count, bytes[i] == 0x20 { i += 1 }
                if i < bytes.count, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    return SourceLocation(file: file, line: line, column: i - lines.starts[line - 1] + 1)
                }
                line += 1
            }
        default:
            break
        }
        return at
    }

    // MARK: Reading

    mutating func read() {
        if let bad = firstInvalidUTF8() {
            errors.append(RuleFileError(bad, "the file is not valid UTF-8 (YAML is text; write raw bytes in a regex as \\xHH, or use a TSV rule list)"))
            return
        }
        if let deep = tooDeep() {
            errors.append(RuleFileError(deep, "nesting deeper than \(NativeRuleFormat.maxNesting) levels"))
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            errors.append(yamlError(e, text: text))
            return
        } catch {
            errors.append(RuleFileError(SourceLocation(file: file, line: 1), "YAML error: \(error)"))
            return
        }
        guard let root else { return }  // An empty document holds no rules.
        guard case .mapping(let top) = root else {
            error(root, "the file must be a mapping with a 'rules:' list")
            return
        }
        // File-wide settings first, so they apply whatever order the keys come in.
        var rulesNode: Node?
        for (key, value) in top {
            guard let name = key.scalar?.string else {
                error(key, "keys must be plain words")
                continue
            }
            switch name {
            case "bouncematch":
                if value.scalar?.string != "1" { error(value, "unsupported format version '\(value.scalar?.string ?? "?")' (this reader knows version 1)") }
            case "case_sensitive":
                if let b = bool(value, key: name) { caseSensitive = b }
            case "isps":
                readISPs(value)
            case "rules":
                rulesNode = value
            default:
                error(key, "unknown top-level key '\(name)'\(suggestion(name, NativeRuleFormat.topKeys))")
            }
        }
        guard let rulesNode else {
            errors.append(RuleFileError(location(root), "missing 'rules:' list"))
            return
        }
        if isNull(rulesNode) { return }
        guard case .sequence(let list) = rulesNode else {
            error(rulesNode, "'rules' must be a list of rules (each item starts with '- ')")
            return
        }
        for item in list { readRule(item) }
    }

    mutating func readISPs(_ node: Node) {
        if isNull(node) { return }
        guard case .mapping(let map) = node else {
            error(node, "'isps' must map ISP names to lists of domains")
            return
        }
        for (key, value) in map {
            guard let name = nonEmptyString(key, what: "an ISP name") else { continue }
            var domains: [String] = []
            for d in scalarList(value, key: "isps.\(name)") {
                if let domain = domainText(d) { domains.append(domain) }
            }
            isps.append(ISPDefinition(name: name, domains: domains, location: location(key)))
        }
    }

    mutating func readRule(_ node: Node) {
        guard case .mapping(let map) = node else {
            error(node, "a rule must be a mapping ('- regex: …' followed by its keys)")
            return
        }
        let errorsBefore = errors.count
        let at = location(node)
        var rule = Rule(
            name: "\(file):\(at.line)", kind: nil, pattern: [], caseInsensitive: !caseSensitive,
            location: at, format: format
        )
        var kindNode: Node?, patternNode: Node?
        var kind: PatternKind?
        var target: MatchTarget?
        for (key, value) in map {
            guard let name = key.scalar?.string else {
                error(key, "keys must be plain words")
                continue
            }
            switch name {
            case "name":
                if let s = nonEmptyString(value, what: "'name'") { rule.name = s }
            case "kind":
                guard let s = string(value, key: name) else { break }
                guard let k = PatternKind(rawValue: s) else {
                    error(value, "unknown kind '\(s)' (expected substring, exact, wildcard or regex)")
                    break
                }
                if kindNode != nil { error(key, "the kind is given twice ('kind' and '\(kindNode?.scalar?.string ?? "")')") }
                kind = k
                kindNode = key
            case "pattern":
                patternNode = value
            case "substring", "exact", "wildcard", "regex":
                if kindNode != nil || patternNode != nil {
                    error(key, "'\(name):' gives the kind and the pattern; the rule already has \(kindNode != nil ? "a kind" : "a pattern")")
                }
                kind = PatternKind(rawValue: name)
                kindNode = key
                patternNode = value
            case "target":
                guard let s = string(value, key: name) else { break }
                guard let t = MatchTarget(rawValue: s) else {
                    error(value, "target must be 'line' or 'text', found '\(s)'")
                    break
                }
                target = t
            case "case_sensitive":
                if let b = bool(value, key: name) { rule.caseInsensitive = !b }
            case "code":
                for v in scalarList(value, key: name) {
                    guard let s = v.scalar?.string, let c = CodePattern(parsing: s) else {
                        error(v, "bad code '\(v.scalar?.string ?? "")' (expected three positions like 550, 5xx or 55x, first 2-5)")
                        continue
                    }
                    rule.conditions.codes.append(c)
                }
            case "enhanced":
                for v in scalarList(value, key: name) {
                    guard let s = v.scalar?.string, let e = EnhancedCodePattern(parsing: s) else {
                        error(v, "bad enhanced code '\(v.scalar?.string ?? "")' (expected class.subject.detail like 5.1.1, 5.7.* or 4.*.*)")
                        continue
                    }
                    rule.conditions.enhancedCodes.append(e)
                }
            case "domain":
                for v in scalarList(value, key: name) {
                    if let d = domainText(v) { rule.conditions.domains.append(DomainPattern(parsing: d)) }
                }
            case "isp":
                for v in scalarList(value, key: name) {
                    if let s = nonEmptyString(v, what: "an ISP name") { rule.conditions.ispNames.append(s) }
                }
            case "ip":
                for v in scalarList(value, key: name) {
                    guard let s = v.scalar?.string, let r = IPRange(parsing: s) else {
                        error(v, "bad IP address or CIDR block '\(v.scalar?.string ?? "")' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)")
                        continue
                    }
                    rule.conditions.ips.append(r)
                }
            case "phase":
                for v in scalarList(value, key: name) {
                    guard let s = v.scalar?.string, let p = SMTPPhase(rawValue: s.lowercased()) else {
                        error(v, "bad phase '\(v.scalar?.string ?? "")' (expected connect, helo, mail, rcpt or data)")
                        continue
                    }
                    rule.conditions.phases.append(p)
                }
            case "transport":
                if let b = bool(value, key: name) { rule.conditions.transportOnly = b }
            case "recipient_error":
                if let b = bool(value, key: name) { rule.conditions.recipientErrorOnly = b }
            case "priority":
                guard let s = string(value, key: name) else { break }
                guard let p = Int(s) else {
                    error(value, "priority must be an integer, found '\(s)'")
                    break
                }
                rule.priority = p
            case "label":
                if let s = string(value, key: name) { rule.label = s }
            case "actions":
                rule.actions = pairs(value, key: name)
            case "continue":
                if let b = bool(value, key: name) { rule.continues = b }
            case "details":
                rule.details = pairs(value, key: name)
            default:
                error(key, "unknown rule key '\(name)'\(suggestion(name, NativeRuleFormat.ruleKeys))")
            }
        }
        if let patternNode {
            if kind == nil {
                error(patternNode, "'pattern' needs a 'kind' (substring, exact, wildcard or regex); or write e.g. 'regex: …'")
            } else if let s = patternString(patternNode) {
                if s.isEmpty {
                    error(patternNode, "empty pattern (a rule without a pattern has neither 'kind' nor 'pattern')")
                } else {
                    rule.pattern = Array(s.utf8)
                    rule.patternLocation = contentLocation(patternNode)
                }
            }
        } else if let kind, let kindNode {
            error(kindNode, "kind '\(kind.rawValue)' needs a 'pattern'")
        }
        rule.kind = kind
        rule.target = target ?? kind.map(MatchTarget.default(for:)) ?? .line
        if errors.count == errorsBefore { rules.append(rule) }
    }

    // MARK: Values

    func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar, s.style == .plain else { return false }
        return s.string.isEmpty || s.string == "~" || s.string == "null" || s.string == "Null" || s.string == "NULL"
    }

    /// A scalar's text; an error for a list or mapping.
    mutating func string(_ node: Node, key: String) -> String? {
        guard let s = node.scalar else {
            error(node, "'\(key)' must be a single value, not a \(kindName(node))")
            return nil
        }
        return isNull(node) ? "" : s.string
    }

    mutating func nonEmptyString(_ node: Node, what: String) -> String? {
        guard let s = node.scalar, !isNull(node), !s.string.isEmpty else {
            error(node, "\(what) must be a non-empty value")
            return nil
        }
        return s.string
    }

    mutating func patternString(_ node: Node) -> String? {
        guard let s = node.scalar else {
            error(node, "a pattern must be a single string, not a \(kindName(node))")
            return nil
        }
        return isNull(node) ? "" : s.string
    }

    mutating func bool(_ node: Node, key: String) -> Bool? {
        guard let s = string(node, key: key) else { return nil }
        switch s.lowercased() {
        case "true": return true
        case "false": return false
        default:
            error(node, "'\(key)' must be true or false, found '\(s)'")
            return nil
        }
    }

    /// One scalar or a list of scalars.
    mutating func scalarList(_ node: Node, key: String) -> [Node] {
        switch node {
        case .scalar:
            if isNull(node) {
                error(node, "'\(key)' needs a value")
                return []
            }
            return [node]
        case .sequence(let seq):
            var out: [Node] = []
            for item in seq {
                if item.scalar == nil || isNull(item) {
                    error(item, "each item of '\(key)' must be a single value")
                } else {
                    out.append(item)
                }
            }
            if out.isEmpty && seq.isEmpty { error(node, "'\(key)' is an empty list") }
            return out
        default:
            error(node, "'\(key)' must be a value or a list of values, not a \(kindName(node))")
            return []
        }
    }

    /// A lowercased domain or `*.domain`; an error for spaces, `@` or an empty name.
    mutating func domainText(_ node: Node) -> String? {
        guard let s = node.scalar?.string else { return nil }
        let body = s.hasPrefix("*.") ? String(s.dropFirst(2)) : s
        guard !body.isEmpty, !body.contains(where: { $0 == " " || $0 == "@" || $0 == "*" || $0 == "\t" || $0 == "/" }) else {
            error(node, "bad domain '\(s)' (expected example.com or *.example.com)")
            return nil
        }
        return s.lowercased()
    }

    /// Actions or details: a list of `name: value` maps or `name=value` strings, or one mapping.
    mutating func pairs(_ node: Node, key: String) -> [RuleAction] {
        var out: [RuleAction] = []
        switch node {
        case .mapping(let map):
            for (k, v) in map {
                if let name = nonEmptyString(k, what: "a name in '\(key)'"), let value = string(v, key: "\(key).\(name)") {
                    out.append(RuleAction(name, value))
                }
            }
        case .sequence(let seq):
            for item in seq {
                switch item {
                case .scalar(let s):
                    guard !isNull(item), !s.string.isEmpty else {
                        error(item, "empty item in '\(key)'")
                        continue
                    }
                    if let eq = s.string.firstIndex(of: "=") {
                        out.append(RuleAction(String(s.string[..<eq]).trimmingASCIISpaces(), String(s.string[s.string.index(after: eq)...]).trimmingASCIISpaces()))
                    } else {
                        out.append(RuleAction(s.string))
                    }
                case .mapping(let map) where map.count == 1:
                    let (k, v) = (map[map.startIndex].key, map[map.startIndex].value)
                    if let name = nonEmptyString(k, what: "a name in '\(key)'"), let value = string(v, key: "\(key).\(name)") {
                        out.append(RuleAction(name, value))
                    }
                default:
                    error(item, "each item of '\(key)' must be 'name: value' (one pair) or 'name=value'")
                }
            }
        default:
            if !isNull(node) { error(node, "'\(key)' must be a list of 'name: value' items") }
        }
        return out
    }

    func kindName(_ node: Node) -> String {
        switch node {
        case .scalar: return "value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    // MARK: Errors before and from Yams

    func firstInvalidUTF8() -> SourceLocation? { BounceRules.firstInvalidUTF8(bytes).map(byteLocation) }

    /// Bracket depth plus block depth (indentation and `- ` items), an upper bound on Yams' recursion.
    func tooDeep() -> SourceLocation? {
        var brackets = 0, i = 0
        var atLineStart = true, block = 0
        while i < bytes.count {
            let b = bytes[i]
            if atLineStart {
                block = 0
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == UInt8(ascii: "-") { block += 1; i += 1 }
                atLineStart = false
                continue
            }
            switch b {
            case UInt8(ascii: "["), UInt8(ascii: "{"): brackets += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): brackets = max(brackets - 1, 0)
            case 0x0A, 0x0D: atLineStart = true
            default: break
            }
            if brackets + block / 2 > NativeRuleFormat.maxNesting { return byteLocation(i) }
            i += 1
        }
        return nil
    }

    func byteLocation(_ offset: Int) -> SourceLocation { lines.location(offset) }

    func yamlError(_ e: YamlError, text: String) -> RuleFileError {
        switch e {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at \(location($0.mark).line):\(location($0.mark).column))" } ?? ""
            return RuleFileError(location(mark), "YAML syntax error: \(problem)\(ctx)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RuleFileError(location(context.mark), "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping (Yams points at its first occurrence)")
        case .reader(let problem, let offset, _, _):
            var at = SourceLocation(file: file, line: 1)
            if let offset, let idx = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) {
                at = byteLocation(text.utf8.distance(from: text.utf8.startIndex, to: idx))
            }
            return RuleFileError(at, "YAML reader error: \(problem)")
        default:
            return RuleFileError(SourceLocation(file: file, line: 1), "YAML error: \(e)")
        }
    }
}
