/// A strict TOML subset reader that keeps key order and positions (docs/IMPORTERS.md "TOML subset").
///
/// KumoMTA's bounce classifier depends on the order of classes in the file, and the available TOML library
/// sorts keys, so the KumoMTA importer reads TOML with this instead. Supported: tables, arrays of tables,
/// dotted and quoted keys, basic and literal strings (also multi-line) with TOML escapes, integers, booleans,
/// arrays and inline tables. Floats and dates are refused with a clear error.
struct TOMLDocument {
    let root: TOMLTable
}

/// A table whose keys stay in document order.
final class TOMLTable {
    private(set) var keys: [String] = []
    private(set) var items: [String: TOMLItem] = [:]
    /// Where the table was opened (its header, inline `{`, or the first dotted key creating it).
    let at: SourceLocation
    /// Set by a `[header]` or an inline table; a second header for it is an error.
    var explicitlyDefined = false
    /// Inline tables are complete where they stand; nothing may add to them later.
    var isInline = false

    init(at: SourceLocation) { self.at = at }

    subscript(key: String) -> TOMLItem? { items[key] }

    var entries: [(key: String, item: TOMLItem)] { keys.map { ($0, items[$0]!) } }

    func set(_ key: String, _ item: TOMLItem) {
        if items[key] == nil { keys.append(key) }
        items[key] = item
    }
}

struct TOMLItem {
    enum Value {
        case string([UInt8])
        case integer(Int)
        case bool(Bool)
        case array([TOMLItem])
        /// An array of tables built by `[[header]]`, as opposed to an inline array.
        case tableArray([TOMLTable])
        case table(TOMLTable)
    }

    var value: Value
    /// Where the value starts.
    var at: SourceLocation
    /// Where the first content byte of a string is (after its opening quotes and a trimmed first newline).
    var contentAt: SourceLocation
    /// Where the key naming this item starts (for errors about keys).
    var keyAt: SourceLocation

    var typeName: String {
        switch value {
        case .string: return "a string"
        case .integer: return "an integer"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .tableArray: return "an array of tables"
        case .table: return "a table"
        }
    }
}

struct TOMLSyntaxError: Error {
    var location: SourceLocation
    var reason: String
}

/// The recursive-descent reader over bytes; the first syntax error stops it.
struct TOMLReader {
    let bytes: [UInt8]
    let lines: LineIndex
    var i = 0

    static let maxDepth = 64

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.lines = LineIndex(bytes, file: file)
    }

    static func parse(_ bytes: [UInt8], file: String) -> Result<TOMLDocument, TOMLSyntaxError> {
        var r = TOMLReader(bytes: bytes, file: file)
        do throws(TOMLSyntaxError) {
            return .success(try r.document())
        } catch {
            return .failure(error)
        }
    }

    func loc(_ offset: Int) -> SourceLocation { lines.location(offset) }

    func fail(_ offset: Int, _ reason: String) -> TOMLSyntaxError { TOMLSyntaxError(location: loc(offset), reason: reason) }

    func peek(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }

    var atEnd: Bool { i >= bytes.count }

    mutating func skipSpaces() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    }

    mutating func skipComment() throws(TOMLSyntaxError) {
        guard peek() == UInt8(ascii: "#") else { return }
        while i < bytes.count, bytes[i] != 0x0A {
            let b = bytes[i]
            if b == 0x0D, peek(1) == 0x0A { break }
            if (b < 0x20 && b != 0x09) || b == 0x7F { throw fail(i, "control character 0x\(hex(b)) in a comment") }
            i += 1
        }
    }

    /// After a value or header: spaces, an optional comment, then a line end or the end of the file.
    mutating func endOfLine() throws(TOMLSyntaxError) {
        skipSpaces()
        try skipComment()
        if atEnd { return }
        if peek() == 0x0A { i += 1; return }
        if peek() == 0x0D, peek(1) == 0x0A { i += 2; return }
        throw fail(i, "expected the end of the line, found '\(printable(peek()))'")
    }

    mutating func document() throws(TOMLSyntaxError) -> TOMLDocument {
        if let bad = firstInvalidUTF8(bytes) { throw fail(bad, "the file is not valid UTF-8 (TOML is UTF-8 text)") }
        let root = TOMLTable(at: loc(0))
        root.explicitlyDefined = true
        var current = root
        while true {
            // Blank lines and comment lines.
            skipSpaces()
            try skipComment()
            if atEnd { break }
            if peek() == 0x0A { i += 1; continue }
            if peek() == 0x0D, peek(1) == 0x0A { i += 2; continue }
            if peek() == UInt8(ascii: "[") {
                let start = i
                let isArray = peek(1) == UInt8(ascii: "[")
                i += isArray ? 2 : 1
                skipSpaces()
                let path = try key()
                skipSpaces()
                guard peek() == UInt8(ascii: "]"), !isArray || peek(1) == UInt8(ascii: "]") else {
                    throw fail(i, isArray ? "expected ']]' to close the [[array of tables]] header" : "expected ']' to close the [table] header")
                }
                i += isArray ? 2 : 1
                current = try isArray ? appendTableArray(root, path, at: start) : openTable(root, path, at: start)
                try endOfLine()
                continue
            }
            try keyValue(into: current)
            try endOfLine()
        }
        return TOMLDocument(root: root)
    }

    /// Walks `path` from `root`, creating implicit tables, and returns the table at its end.
    func descend(_ root: TOMLTable, _ path: ArraySlice<(String, Int)>, creating: Bool) throws(TOMLSyntaxError) -> TOMLTable {
        var t = root
        for (name, at) in path {
            if let existing = t[name] {
                switch existing.value {
                case .table(let sub):
                    if sub.isInline { throw fail(at, "'\(name)' is an inline table; it cannot be extended") }
                    t = sub
                case .tableArray(let list):
                    // A dotted path through an array of tables goes into its last element (TOML rule).
                    t = list[list.count - 1]
                default:
                    throw fail(at, "'\(name)' is already \(existing.typeName) (defined at \(existing.keyAt.line):\(existing.keyAt.column)), not a table")
                }
            } else {
                let sub = TOMLTable(at: loc(at))
                t.set(name, TOMLItem(value: .table(sub), at: loc(at), contentAt: loc(at), keyAt: loc(at)))
                t = sub
            }
        }
        return t
    }

    func openTable(_ root: TOMLTable, _ path: [(String, Int)], at: Int) throws(TOMLSyntaxError) -> TOMLTable {
        let parent = try descend(root, path.dropLast(), creating: true)
        let (name, keyAt) = path[path.count - 1]
        if let existing = parent[name] {
            guard case .table(let t) = existing.value else {
                throw fail(keyAt, "'\(name)' is already \(existing.typeName) (defined at \(existing.keyAt.line):\(existing.keyAt.column))")
            }
            if t.explicitlyDefined || t.isInline {
                throw fail(at, "table [\(path.map(\.0).joined(separator: "."))] is defined twice (first at \(existing.keyAt.line):\(existing.keyAt.column))")
            }
            t.explicitlyDefined = true
            return t
        }
        let t = TOMLTable(at: loc(at))
        t.explicitlyDefined = true
        parent.set(name, TOMLItem(value: .table(t), at: loc(at), contentAt: loc(at), keyAt: loc(keyAt)))
        return t
    }

    func appendTableArray(_ root: TOMLTable, _ path: [(String, Int)], at: Int) throws(TOMLSyntaxError) -> TOMLTable {
        let parent = try descend(root, path.dropLast(), creating: true)
        let (name, keyAt) = path[path.count - 1]
        let t = TOMLTable(at: loc(at))
        t.explicitlyDefined = true
        if let existing = parent[name] {
            guard case .tableArray(var list) = existing.value else {
                throw fail(keyAt, "'\(name)' is already \(existing.typeName) (defined at \(existing.keyAt.line):\(existing.keyAt.column)), not an array of tables")
            }
            list.append(t)
            parent.set(name, TOMLItem(value: .tableArray(list), at: existing.at, contentAt: existing.contentAt, keyAt: existing.keyAt))
        } else {
            parent.set(name, TOMLItem(value: .tableArray([t]), at: loc(at), contentAt: loc(at), keyAt: loc(keyAt)))
        }
        return t
    }

    /// `key = value` (dotted keys create tables inside `table`).
    mutating func keyValue(into table: TOMLTable, depth: Int = 0) throws(TOMLSyntaxError) {
        let path = try key()
        skipSpaces()
        guard peek() == UInt8(ascii: "=") else {
            throw fail(i, atEnd || peek() == 0x0A ? "expected '=' after the key '\(path.map(\.0).joined(separator: "."))'" : "expected '=' after the key, found '\(printable(peek()))'")
        }
        i += 1
        skipSpaces()
        var item = try value(depth: depth)
        let parent = try descend(table, path.dropLast(), creating: true)
        let (name, keyAt) = path[path.count - 1]
        if let existing = parent[name] {
            throw fail(keyAt, "duplicate key '\(name)' (first at \(existing.keyAt.line):\(existing.keyAt.column))")
        }
        item.keyAt = loc(keyAt)
        parent.set(name, item)
    }

    /// A dotted key: each part with the offset where it starts.
    mutating func key() throws(TOMLSyntaxError) -> [(String, Int)] {
        var parts: [(String, Int)] = []
        while true {
            let start = i
            let b = peek()
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                if peek(1) == b, peek(2) == b { throw fail(i, "a key cannot be a multi-line string") }
                let (s, _) = try string()
                parts.append((String(decoding: s, as: UTF8.self), start))
            } else {
                while i < bytes.count, TOMLReader.isBare(bytes[i]) { i += 1 }
                guard i > start else {
                    throw fail(i, atEnd ? "expected a key, found the end of the file" : "expected a key, found '\(printable(b))' (bare keys are A-Z a-z 0-9 _ -; quote others)")
                }
                parts.append((String(decoding: bytes[start..<i], as: UTF8.self), start))
            }
            skipSpaces()
            guard peek() == UInt8(ascii: ".") else { return parts }
            i += 1
            skipSpaces()
        }
    }

    static func isBare(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    mutating func value(depth: Int) throws(TOMLSyntaxError) -> TOMLItem {
        let start = i
        if depth > TOMLReader.maxDepth { throw fail(i, "arrays and inline tables nested deeper than \(TOMLReader.maxDepth) levels") }
        let b = peek()
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let (s, content) = try string()
            return TOMLItem(value: .string(s), at: loc(start), contentAt: loc(content), keyAt: loc(start))
        case UInt8(ascii: "["):
            i += 1
            var items: [TOMLItem] = []
            while true {
                try skipArrayFiller()
                if peek() == UInt8(ascii: "]") { i += 1; break }
                items.append(try value(depth: depth + 1))
                try skipArrayFiller()
                if peek() == UInt8(ascii: ",") { i += 1; continue }
                if peek() == UInt8(ascii: "]") { i += 1; break }
                throw fail(i, atEnd ? "array opened at \(loc(start).line):\(loc(start).column) is not closed" : "expected ',' or ']' in the array, found '\(printable(peek()))'")
            }
            return TOMLItem(value: .array(items), at: loc(start), contentAt: loc(start), keyAt: loc(start))
        case UInt8(ascii: "{"):
            i += 1
            let t = TOMLTable(at: loc(start))
            t.explicitlyDefined = true
            skipSpaces()
            if peek() == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    skipSpaces()
                    try keyValue(into: t, depth: depth + 1)
                    skipSpaces()
                    if peek() == UInt8(ascii: ",") { i += 1; continue }
                    if peek() == UInt8(ascii: "}") { i += 1; break }
                    throw fail(i, atEnd || peek() == 0x0A || peek() == 0x0D ? "inline table must close with '}' on the same line" : "expected ',' or '}' in the inline table, found '\(printable(peek()))'")
                }
            }
            markInline(t)
            return TOMLItem(value: .table(t), at: loc(start), contentAt: loc(start), keyAt: loc(start))
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let word = b == UInt8(ascii: "t") ? "true" : "false"
            if bytes[i...].starts(with: word.utf8), !TOMLReader.isBare(peek(word.utf8.count)) {
                i += word.utf8.count
                return TOMLItem(value: .bool(word == "true"), at: loc(start), contentAt: loc(start), keyAt: loc(start))
            }
            throw fail(i, "unexpected bare word (strings must be quoted)")
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try integer(start)
        default:
            if atEnd || b == 0x0A || b == 0x0D { throw fail(i, "expected a value after '='") }
            if b == UInt8(ascii: "i") || b == UInt8(ascii: "n") { throw fail(i, "inf and nan floats are not supported by this TOML subset") }
            throw fail(i, "unexpected '\(printable(b))' where a value should start (strings must be quoted)")
        }
    }

    func markInline(_ t: TOMLTable) {
        t.isInline = true
        for (_, item) in t.entries {
            if case .table(let sub) = item.value { markInline(sub) }
        }
    }

    /// Whitespace, newlines and comments inside an array.
    mutating func skipArrayFiller() throws(TOMLSyntaxError) {
        while true {
            skipSpaces()
            try skipComment()
            if peek() == 0x0A { i += 1; continue }
            if peek() == 0x0D, peek(1) == 0x0A { i += 2; continue }
            return
        }
    }

    mutating func integer(_ start: Int) throws(TOMLSyntaxError) -> TOMLItem {
        var negative = false
        if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") {
            negative = peek() == UInt8(ascii: "-")
            i += 1
        }
        let digitsStart = i
        var value = 0
        var lastUnderscore = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "_") {
                if lastUnderscore { throw fail(i, "an underscore in a number must stand between digits") }
                lastUnderscore = true
                i += 1
                continue
            }
            guard b >= 0x30, b <= 0x39 else { break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(b - 0x30))
            if o1 || o2 { throw fail(start, "integer does not fit in 64 bits") }
            value = a
            lastUnderscore = false
            i += 1
        }
        if i == digitsStart { throw fail(i, "expected digits") }
        if lastUnderscore { throw fail(i - 1, "an underscore in a number must stand between digits") }
        if bytes[digitsStart] == UInt8(ascii: "0"), i - digitsStart > 1 {
            if bytes[digitsStart + 1] == UInt8(ascii: "x") || bytes[digitsStart + 1] == UInt8(ascii: "o") || bytes[digitsStart + 1] == UInt8(ascii: "b") {
                throw fail(start, "hex, octal and binary integers are not supported by this TOML subset")
            }
            throw fail(start, "leading zeros are not allowed in TOML integers")
        }
        if bytes[digitsStart] == UInt8(ascii: "0"), [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b")].contains(peek()) {
            throw fail(start, "hex, octal and binary integers are not supported by this TOML subset")
        }
        if [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "T")].contains(peek()) {
            throw fail(start, "floats and dates are not supported by this TOML subset")
        }
        return TOMLItem(value: .integer(negative ? -value : value), at: loc(start), contentAt: loc(start), keyAt: loc(start))
    }

    /// A basic or literal string, single- or multi-line. Returns its bytes and where its content starts.
    mutating func string() throws(TOMLSyntaxError) -> ([UInt8], Int) {
        let open = i
        let q = peek()
        let literal = q == UInt8(ascii: "'")
        let multi = peek(1) == q && peek(2) == q
        i += multi ? 3 : 1
        if multi {
            // A newline right after the opening delimiter is trimmed.
            if peek() == 0x0A { i += 1 } else if peek() == 0x0D, peek(1) == 0x0A { i += 2 }
        }
        let content = i
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else {
                throw fail(open, "string opened here is not closed before the end of the file")
            }
            let b = bytes[i]
            if b == q {
                if !multi { i += 1; return (out, content) }
                if peek(1) == q, peek(2) == q {
                    // Up to two quotes may end the content right before the closing delimiter.
                    var run = 3
                    while run < 5, peek(run) == q { run += 1 }
                    out.append(contentsOf: repeatElement(q, count: run - 3))
                    i += run
                    return (out, content)
                }
                out.append(b)
                i += 1
                continue
            }
            if b == 0x0A || (b == 0x0D && peek(1) == 0x0A) {
                guard multi else { throw fail(open, "string is not closed on this line (use \"\"\" or ''' for multi-line strings)") }
                if b == 0x0D { out.append(0x0D); i += 1 }
                out.append(0x0A)
                i += 1
                continue
            }
            if (b < 0x20 && b != 0x09) || b == 0x7F {
                throw fail(i, "control character 0x\(hex(b)) in a string (write it as an escape)")
            }
            if b == UInt8(ascii: "\\"), !literal {
                try escape(into: &out, multi: multi)
                continue
            }
            out.append(b)
            i += 1
        }
    }

    mutating func escape(into out: inout [UInt8], multi: Bool) throws(TOMLSyntaxError) {
        let at = i
        let e = peek(1)
        i += 2
        if multi, e == 0x20 || e == 0x09 || e == 0x0A || e == 0x0D {
            // A line-ending backslash trims the newline and all whitespace after it.
            var k = at + 1
            while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
            guard k < bytes.count, bytes[k] == 0x0A || (bytes[k] == 0x0D && k + 1 < bytes.count && bytes[k + 1] == 0x0A) else {
                throw fail(at, "a backslash followed by spaces must end the line in a multi-line string")
            }
            while k < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[k]) { k += 1 }
            i = k
            return
        }
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "e"): out.append(0x1B)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "u") ? 4 : 8
            var v: UInt32 = 0
            for k in 0..<n {
                guard let d = TOMLReader.hexValue(peek(k)) else {
                    throw fail(at, "\\\(e == UInt8(ascii: "u") ? "u" : "U") needs \(n) hex digits")
                }
                v = v << 4 | UInt32(d)
            }
            i += n
            guard let scalar = Unicode.Scalar(v) else { throw fail(at, "\\u escape is not a Unicode scalar value") }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw fail(at, "invalid escape '\\\(printable(e))' in a string (TOML knows \\b \\t \\n \\f \\r \\e \\\" \\\\ \\uXXXX \\UXXXXXXXX; write a regex backslash as \\\\ or use a '''literal''' string)")
        }
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "0x" + hex(b)
    }

    func hex(_ b: UInt8) -> String {
        let d = Array("0123456789ABCDEF".utf8)
        return String(decoding: [d[Int(b >> 4)], d[Int(b & 15)]], as: UTF8.self)
    }
}
