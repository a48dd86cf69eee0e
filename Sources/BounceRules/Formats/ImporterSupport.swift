import Yams

/// Whether the first 64 KiB of `bytes` contain `needle`, for content sniffing.
func headContains(_ bytes: [UInt8], _ needle: String) -> Bool {
    let n = Array(needle.utf8), head = bytes.prefix(1 << 16)
    guard !n.isEmpty, head.count >= n.count else { return false }
    var i = head.startIndex
    while i + n.count <= head.endIndex {
        if head[i] == n[0], head[i..<(i + n.count)].elementsEqual(n) { return true }
        i += 1
    }
    return false
}

/// Reads a JSON document through Yams' composer (JSON is YAML), keeping positions for every error.
///
/// Used by the MailerQ and Altcraft importers. Unknown keys are errors, so a typo never drops a setting.
struct JSONNodeReader {
    let bytes: [UInt8]
    let lines: LineIndex
    var errors: [RuleFileError] = []

    /// Nesting deeper than this is refused before Yams sees it, because its composer recurses per level.
    static let maxNesting = 256

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.lines = LineIndex(bytes, file: file)
    }

    var file: String { lines.file }

    func location(_ mark: Mark?) -> SourceLocation { lines.location(mark, in: bytes) }

    func location(_ node: Node) -> SourceLocation { location(node.mark) }

    /// Where a string's first content byte is: one past the opening quote.
    func contentLocation(_ node: Node) -> SourceLocation {
        var at = location(node)
        if let s = node.scalar, s.style == .doubleQuoted || s.style == .singleQuoted { at.column += 1 }
        return at
    }

    mutating func error(_ node: Node, _ reason: String) { errors.append(RuleFileError(location(node), reason)) }

    /// The document's root, or nil (with an error) when the bytes are not a JSON object.
    mutating func root(what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        if let bad = firstInvalidUTF8(bytes) {
            errors.append(RuleFileError(lines.location(bad), "the file is not valid UTF-8 (JSON is text; write a raw byte in a regex as \\xHH)"))
            return nil
        }
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            errors.append(RuleFileError(SourceLocation(file: file, line: 1), "empty file: expected a JSON object with \(what)"))
            return nil
        }
        guard bytes[first] == UInt8(ascii: "{") else {
            errors.append(RuleFileError(lines.location(first), "expected a JSON object ('{') with \(what)"))
            return nil
        }
        var depth = 0
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
            if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { depth -= 1 }
            if depth > JSONNodeReader.maxNesting {
                errors.append(RuleFileError(lines.location(i), "nesting deeper than \(JSONNodeReader.maxNesting) levels"))
                return nil
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            errors.append(syntaxError(e))
            return nil
        } catch {
            errors.append(RuleFileError(SourceLocation(file: file, line: 1), "JSON syntax error: \(error)"))
            return nil
        }
        guard let node else { return nil }
        return object(node, what: "the document")
    }

    func syntaxError(_ e: YamlError) -> RuleFileError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RuleFileError(location(mark), "JSON syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RuleFileError(location(context.mark), "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one object")
        default:
            return RuleFileError(SourceLocation(file: file, line: 1), "JSON syntax error: \(e)")
        }
    }

    /// The members of an object, in document order; an error for anything else.
    mutating func object(_ node: Node, what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let map) = node else {
            error(node, "\(what) must be an object ({ ... }), not \(kindName(node))")
            return nil
        }
        var out: [(String, Node, Node)] = []
        for (k, v) in map {
            guard let s = k.scalar?.string else {
                error(k, "object keys must be strings")
                continue
            }
            out.append((s, k, v))
        }
        return out.map { (key: $0.0, keyNode: $0.1, value: $0.2) }
    }

    /// Members of an object, with an error for each key not in `known`.
    mutating func members(_ node: Node, what: String, known: [String]) -> [(key: String, keyNode: Node, value: Node)] {
        guard let m = object(node, what: what) else { return [] }
        var out: [(key: String, keyNode: Node, value: Node)] = []
        for item in m {
            if known.contains(item.key) {
                out.append(item)
            } else {
                error(item.keyNode, "unknown key '\(item.key)' in \(what)\(suggestion(item.key, known))")
            }
        }
        return out
    }

    func isNull(_ node: Node) -> Bool {
        guard let s = node.scalar, s.style == .plain else { return false }
        return s.string == "null" || s.string.isEmpty || s.string == "~"
    }

    func kindName(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.style == .plain ? "'\(s.string)'" : "a string"
        case .mapping: return "an object"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// A JSON string (quoted); numbers and booleans are refused so a schema error shows.
    mutating func string(_ node: Node, key: String) -> String? {
        guard let s = node.scalar, s.style == .doubleQuoted || s.style == .singleQuoted else {
            error(node, "'\(key)' must be a string, not \(kindName(node))")
            return nil
        }
        return s.string
    }

    mutating func nonEmptyString(_ node: Node, key: String) -> String? {
        guard let s = string(node, key: key) else { return nil }
        if s.isEmpty {
            error(node, "'\(key)' must not be empty")
            return nil
        }
        return s
    }

    mutating func int(_ node: Node, key: String) -> Int? {
        guard let s = node.scalar, s.style == .plain, let v = Int(s.string) else {
            error(node, "'\(key)' must be an integer, not \(kindName(node))")
            return nil
        }
        return v
    }

    mutating func bool(_ node: Node, key: String) -> Bool? {
        guard let s = node.scalar, s.style == .plain, s.string == "true" || s.string == "false" else {
            error(node, "'\(key)' must be true or false, not \(kindName(node))")
            return nil
        }
        return s.string == "true"
    }

    /// A scalar as text for free-form values (properties, throttle settings): strings, numbers, booleans.
    mutating func scalarText(_ node: Node, key: String) -> String? {
        guard let s = node.scalar, !isNull(node) else {
            error(node, "'\(key)' must be a string, number or boolean, not \(kindName(node))")
            return nil
        }
        return s.string
    }

    mutating func list(_ node: Node, key: String) -> [Node] {
        guard case .sequence(let items) = node else {
            error(node, "'\(key)' must be a list ([ ... ]), not \(kindName(node))")
            return []
        }
        return Array(items)
    }

    mutating func stringList(_ node: Node, key: String) -> [(String, Node)] {
        list(node, key: key).compactMap { item in nonEmptyString(item, key: "\(key) item").map { ($0, item) } }
    }

    mutating func ipRanges(_ node: Node, key: String) -> [IPRange] {
        stringList(node, key: key).compactMap { s, n in
            guard let r = IPRange(parsing: s) else {
                error(n, "bad IP address or CIDR block '\(s)' (expected e.g. 192.0.2.1 or 192.0.2.0/24)")
                return nil
            }
            return r
        }
    }

    mutating func domains(_ node: Node, key: String) -> [DomainPattern] {
        stringList(node, key: key).compactMap { s, n in
            let body = s.hasPrefix("*.") ? String(s.dropFirst(2)) : s
            guard !body.isEmpty, !body.contains(where: { " \t@*/".contains($0) }) else {
                error(n, "bad domain '\(s)' (expected example.com or *.example.com)")
                return nil
            }
            return DomainPattern(parsing: s.lowercased())
        }
    }

    /// A pattern kind: `substring`, `exact`, `wildcard` or `regex`.
    mutating func kind(_ node: Node, key: String, allowed: [PatternKind] = PatternKind.allCases) -> PatternKind? {
        guard let s = string(node, key: key) else { return nil }
        guard let k = PatternKind(rawValue: s.lowercased()), allowed.contains(k) else {
            error(node, "unknown pattern kind '\(s)' (expected \(allowed.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return k
    }
}
