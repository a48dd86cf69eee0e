/// Pulls what `classify` needs out of one KumoMTA JSON log record (`docs.kumomta.com/reference/log_record`):
/// `type`, `recipient`, `response.{code, enhanced_code.{class,subject,detail}, content, command}`,
/// `source_address.address` and `egress_source`. Every other member is skipped without being decoded.
///
/// One parser per worker; its buffers are reused, so a warm parser allocates nothing per record.
final class KumoRecordParser {
    var type: [UInt8] = []
    var recipient: [UInt8] = []
    var content: [UInt8] = []
    var command: [UInt8] = []
    var sourceAddress: [UInt8] = []
    var egressSource: [UInt8] = []
    var code: Int?
    var enhanced: (Int, Int, Int)?
    var hasResponse = false

    private var key: [UInt8] = []
    private var string: [UInt8] = []
    private var klass: Int?, subject: Int?, detail: Int?

    private enum Context { case top, response, enhanced, sourceAddress, other }
    private struct Failure: Error { var column: Int; var what: BadRecordReason.JSONProblem }

    init() {}

    /// Parses `b`; nil when it is a valid JSON object, else why not.
    func parse(_ b: UnsafeBufferPointer<UInt8>) -> BadRecordReason? {
        type.removeAll(keepingCapacity: true)
        recipient.removeAll(keepingCapacity: true)
        content.removeAll(keepingCapacity: true)
        command.removeAll(keepingCapacity: true)
        sourceAddress.removeAll(keepingCapacity: true)
        egressSource.removeAll(keepingCapacity: true)
        code = nil
        enhanced = nil
        klass = nil; subject = nil; detail = nil
        hasResponse = false
        if let column = firstInvalidUTF8(b) { return .invalidUTF8(column: column) }
        var i = skipSpace(b, 0)
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return .invalidJSON(column: i + 1, what: .notAnObject) }
        do throws(Failure) {
            i = try object(b, i, context: .top, depth: 0)
            i = skipSpace(b, i)
            if i != b.count { throw Failure(column: i + 1, what: .syntax) }
        } catch {
            return .invalidJSON(column: error.column, what: error.what)
        }
        if let klass, let subject, let detail { enhanced = (klass, subject, detail) }
        return nil
    }

    @inline(__always)
    private func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var i = from
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        return i
    }

    /// Parses the object at `b[i] == "{"`; returns the offset after it.
    private func object(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, context: Context, depth: Int) throws(Failure) -> Int {
        guard depth < 64 else { throw Failure(column: start + 1, what: .tooDeep) }
        var i = skipSpace(b, start + 1)
        if i < b.count, b[i] == UInt8(ascii: "}") { return i + 1 }
        while true {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Failure(column: i + 1, what: .syntax) }
            i = try parseString(b, i, into: &key)
            i = skipSpace(b, i)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Failure(column: i + 1, what: .syntax) }
            i = skipSpace(b, i + 1)
            i = try member(b, i, context: context, depth: depth)
            i = skipSpace(b, i)
            guard i < b.count else { throw Failure(column: i + 1, what: .syntax) }
            if b[i] == UInt8(ascii: "}") { return i + 1 }
            guard b[i] == UInt8(ascii: ",") else { throw Failure(column: i + 1, what: .syntax) }
            i = skipSpace(b, i + 1)
        }
    }

    /// The value of member `key` in `context`.
    private func member(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, context: Context, depth: Int) throws(Failure) -> Int {
        guard i < b.count else { throw Failure(column: i + 1, what: .syntax) }
        let isString = b[i] == UInt8(ascii: "\""), isObject = b[i] == UInt8(ascii: "{")
        switch context {
        case .top:
            if isString && keyIs("type") { return try parseString(b, i, into: &type) }
            if isString && keyIs("recipient") { return try parseString(b, i, into: &recipient) }
            if isString && keyIs("egress_source") { return try parseString(b, i, into: &egressSource) }
            if b[i] == UInt8(ascii: "[") && keyIs("recipient") { return try firstStringOfArray(b, i, depth: depth) }
            if isObject && keyIs("response") {
                hasResponse = true
                return try object(b, i, context: .response, depth: depth + 1)
            }
            if isObject && keyIs("source_address") { return try object(b, i, context: .sourceAddress, depth: depth + 1) }
        case .response:
            if isString && keyIs("content") { return try parseString(b, i, into: &content) }
            if isString && keyIs("command") { return try parseString(b, i, into: &command) }
            if keyIs("code"), let (n, next) = number(b, i) { code = n; return next }
            if isObject && keyIs("enhanced_code") { return try object(b, i, context: .enhanced, depth: depth + 1) }
        case .enhanced:
            if keyIs("class"), let (n, next) = number(b, i) { klass = n; return next }
            if keyIs("subject"), let (n, next) = number(b, i) { subject = n; return next }
            if keyIs("detail"), let (n, next) = number(b, i) { detail = n; return next }
        case .sourceAddress:
            if isString && keyIs("address") { return try parseString(b, i, into: &sourceAddress) }
        case .other:
            break
        }
        return try skipValue(b, i, depth: depth)
    }

    @inline(__always)
    private func keyIs(_ name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for j in 0..<key.count where key[j] != p[j] { return false }
        return true
    }

    private func firstStringOfArray(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, depth: Int) throws(Failure) -> Int {
        let i = skipSpace(b, start + 1)
        if i < b.count, b[i] == UInt8(ascii: "\"") { _ = try parseString(b, i, into: &recipient) }
        return try skipValue(b, start, depth: depth)
    }

    private func number(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Int)? {
        var i = start
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var n = 0, digits = 0
        while i < b.count, b[i] &- 0x30 <= 9 {
            if n < 1_000_000_000 { n = n * 10 + Int(b[i] &- 0x30) }
            i += 1
            digits += 1
        }
        guard digits > 0 else { return nil }
        // A fraction or exponent is legal JSON but never part of a code: skip it.
        while i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")
            || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") || b[i] &- 0x30 <= 9 { i += 1 }
        return (negative ? -n : n, i)
    }

    private func skipValue(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, depth: Int) throws(Failure) -> Int {
        guard start < b.count else { throw Failure(column: start + 1, what: .syntax) }
        switch b[start] {
        case UInt8(ascii: "\""):
            return try parseString(b, start, into: &string)
        case UInt8(ascii: "{"):
            return try object(b, start, context: .other, depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < 64 else { throw Failure(column: start + 1, what: .tooDeep) }
            var i = skipSpace(b, start + 1)
            if i < b.count, b[i] == UInt8(ascii: "]") { return i + 1 }
            while true {
                i = try skipValue(b, i, depth: depth + 1)
                i = skipSpace(b, i)
                guard i < b.count else { throw Failure(column: i + 1, what: .syntax) }
                if b[i] == UInt8(ascii: "]") { return i + 1 }
                guard b[i] == UInt8(ascii: ",") else { throw Failure(column: i + 1, what: .syntax) }
                i = skipSpace(b, i + 1)
            }
        case UInt8(ascii: "t"): return try literal(b, start, "true")
        case UInt8(ascii: "f"): return try literal(b, start, "false")
        case UInt8(ascii: "n"): return try literal(b, start, "null")
        default:
            guard let (_, next) = number(b, start) else { throw Failure(column: start + 1, what: .syntax) }
            return next
        }
    }

    private func literal(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: StaticString) throws(Failure) -> Int {
        let n = word.utf8CodeUnitCount
        guard start + n <= b.count else { throw Failure(column: start + 1, what: .syntax) }
        for j in 0..<n where b[start + j] != word.utf8Start[j] { throw Failure(column: start + j + 1, what: .syntax) }
        return start + n
    }

    /// Decodes the string at `b[start] == "\""` into `out` (cleared first); returns the offset after it.
    private func parseString(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, into out: inout [UInt8]) throws(Failure) -> Int {
        out.removeAll(keepingCapacity: true)
        var i = start + 1
        var runStart = i
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i]))
                return i + 1
            }
            if c < 0x20 { throw Failure(column: i + 1, what: .syntax) }
            if c == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i]))
                guard i + 1 < b.count else { throw Failure(column: i + 1, what: .badEscape) }
                switch b[i + 1] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(b, i + 2) else { throw Failure(column: i + 1, what: .badEscape) }
                    i += 6
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 1 < b.count, b[i] == UInt8(ascii: "\\"),
                       b[i + 1] == UInt8(ascii: "u"), let low = hex4(b, i + 2), low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    appendUTF8(scalar, to: &out)
                    runStart = i
                    continue
                default:
                    throw Failure(column: i + 1, what: .badEscape)
                }
                i += 2
                runStart = i
                continue
            }
            i += 1
        }
        throw Failure(column: b.count + 1, what: .syntax)
    }

    private func hex4(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for j in at..<(at + 4) {
            let c = b[j]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Lone surrogates become U+FFFD: the reply must stay valid UTF-8 text.
    private func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        let v = (s >= 0xD800 && s < 0xE000) ? 0xFFFD : s
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}

/// The 1-based column of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF
/// included), or nil when `b` is valid.
func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = b.count
    while i < n {
        let c = b[i]
        if c < 0x80 { i += 1; continue }
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return i + 1
        }
        guard i + need < n else { return i + 1 }
        if b[i + 1] < lo || b[i + 1] > hi { return i + 1 }
        var k = 2
        while k <= need {
            if b[i + k] < 0x80 || b[i + k] > 0xBF { return i + 1 }
            k += 1
        }
        i += need + 1
    }
    return nil
}
