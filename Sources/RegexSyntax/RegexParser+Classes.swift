/// Bracket expressions: `[...]`, `[^...]`, ranges, escapes and POSIX classes.
extension RegexParserState {
    /// The POSIX classes PCRE2 knows, with their non-UCP members.
    static let posixClasses: [[UInt8]: ByteSet] = {
        let upper = ByteSet(range: 0x41, 0x5A)
        let lower = ByteSet(range: 0x61, 0x7A)
        let digit = ByteSet.digits
        let alpha = upper.union(lower)
        let alnum = alpha.union(digit)
        let graph = ByteSet(range: 0x21, 0x7E)
        var cntrl = ByteSet(range: 0x00, 0x1F)
        cntrl.insert(0x7F)
        let table: [(String, ByteSet)] = [
            ("alpha", alpha), ("lower", lower), ("upper", upper), ("alnum", alnum),
            ("ascii", ByteSet(range: 0x00, 0x7F)), ("blank", ByteSet([0x09, 0x20])), ("cntrl", cntrl),
            ("digit", digit), ("graph", graph), ("print", ByteSet(range: 0x20, 0x7E)),
            ("punct", graph.subtracting(alnum)), ("space", ByteSet.spaces), ("word", ByteSet.wordBytes),
            ("xdigit", digit.union(ByteSet(range: 0x41, 0x46)).union(ByteSet(range: 0x61, 0x66))),
        ]
        var out: [[UInt8]: ByteSet] = [:]
        for (name, set) in table { out[Array(name.utf8)] = set }
        return out
    }()

    /// For `[:`, `[.` or `[=` at `p` (pointing at the `:`): the index of the closing `]` when PCRE2 would
    /// read a POSIX item here (the same delimiter followed by `]` before any `]` or `\`).
    func posixSyntaxEnd(from p: Int) -> Int? {
        let term = src[p]
        var i = p + 1
        while i < src.count {
            let c = src[i]
            if c == UInt8(ascii: "\\"), i + 1 < src.count, src[i + 1] == UInt8(ascii: "]") || src[i + 1] == UInt8(ascii: "\\") {
                i += 1
            } else if c == UInt8(ascii: "]") || (c == UInt8(ascii: "[") && i + 1 < src.count && src[i + 1] == term) {
                return nil
            } else if c == term, i + 1 < src.count, src[i + 1] == UInt8(ascii: "]") {
                return i + 1
            }
            i += 1
        }
        return nil
    }

    /// One member of a class: a byte (which may start a range) or a set (which may not).
    enum ClassItem {
        case byte(UInt8)
        case set(ByteSet)
        case nothing
    }

    mutating func parseClass() throws(RegexSyntaxError) -> RegexNode {
        let start = pos
        pos += 1
        var negated = false
        rangeWasOpen = false
        if peek() == UInt8(ascii: "^") { negated = true; pos += 1 }
        var set = ByteSet()
        var first = true
        var hasProperty = false
        /// A byte that a following `-` may turn into a range start.
        var pendingLow: UInt8?
        /// Whether the previous item was a set (`\d`, `[:alpha:]`): a `-` after it must end the class.
        var afterSet = false
        while true {
            guard let c = peek() else { throw error(pos, "missing terminating ] for character class") }
            if flags.extendedMore, c == 0x20 || c == 0x09 { pos += 1; continue }
            if c == UInt8(ascii: "]") && !first {
                pos += 1
                // A `-` left open before `]` (e.g. `[a-\Q\E]`) is a literal hyphen.
                if rangeWasOpen { set.insert(UInt8(ascii: "-")) }
                break
            }
            // `\Q...\E` inside a class contributes literal bytes one by one; `\E` and `\Q\E` are nothing and
            // leave a following `]` in first position.
            if c == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "Q") || peek(1) == UInt8(ascii: "E") {
                if peek(1) == UInt8(ascii: "E") { pos += 2; continue }
                pos += 2
                while let d = peek() {
                    if d == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "E") { pos += 2; break }
                    pos += 1
                    first = false
                    try addClassByte(d, to: &set, pendingLow: &pendingLow, afterSet: &afterSet)
                }
                continue
            }
            first = false
            let itemStart = pos
            let item = try parseClassItem(hasProperty: &hasProperty)
            switch item {
            case .nothing:
                continue
            case .set(let s):
                set.formUnion(s)
                afterSet = true
                pendingLow = nil
                rangeWasOpen = false
            case .byte(let b):
                try addClassByte(b, to: &set, pendingLow: &pendingLow, afterSet: &afterSet, itemStart: itemStart)
            }
        }
        rangeWasOpen = false
        if hasProperty {
            record(.unicodeProperty, at: start)
            return opaqueNode(.unicodeProperty, from: start)
        }
        if flags.caseless { set = set.asciiCaseFolded }
        return .set(negated ? set.inverted : set)
    }

    /// Adds one literal byte, completing a range when a `-` is pending, or opening one if `-` follows.
    mutating func addClassByte(_ b: UInt8, to set: inout ByteSet, pendingLow: inout UInt8?, afterSet: inout Bool,
                               itemStart: Int? = nil) throws(RegexSyntaxError) {
        if rangeWasOpen, let low = pendingLow {
            if b < low { throw error(itemStart ?? pos - 1, "range out of order in character class") }
            set.formUnion(ByteSet(range: low, b))
            pendingLow = nil
            rangeWasOpen = false
            afterSet = false
            return
        }
        set.insert(b)
        afterSet = false
        pendingLow = b
        // A `-` opens a range unless it is the last thing before `]`.
        if peek() == UInt8(ascii: "-"), let next = peek(1), next != UInt8(ascii: "]") {
            pos += 1
            rangeWasOpen = true
        } else {
            pendingLow = nil
        }
    }

    /// Reads one class member at `pos` (not `]` in first position, which the caller treats as literal).
    mutating func parseClassItem(hasProperty: inout Bool) throws(RegexSyntaxError) -> ClassItem {
        let c = src[pos]
        if c == UInt8(ascii: "["), let d = peek(1), d == UInt8(ascii: ":") || d == UInt8(ascii: ".") || d == UInt8(ascii: "="),
           let end = posixSyntaxEnd(from: pos + 1) {
            if d != UInt8(ascii: ":") { throw error(pos, "POSIX collating elements are not supported") }
            if rangeWasOpen { throw error(pos, "invalid range in character class") }
            var nameStart = pos + 2
            var negatedPosix = false
            if src[nameStart] == UInt8(ascii: "^") { negatedPosix = true; nameStart += 1 }
            let name = Array(src[nameStart..<(end - 1)])
            guard let s = Self.posixClasses[name] else { throw error(nameStart, "unknown POSIX class name") }
            pos = end + 1
            try checkHyphenAfterSet()
            return .set(negatedPosix ? s.inverted : s)
        }
        if c == UInt8(ascii: "\\") {
            let escStart = pos
            if peek(1) == UInt8(ascii: "p") || peek(1) == UInt8(ascii: "P") {
                if rangeWasOpen { throw error(escStart, "invalid range in character class") }
                pos += 2
                try skipPropertyName(start: escStart)
                hasProperty = true
                try checkHyphenAfterSet()
                return .nothing
            }
            switch try parseEscape(inClass: true) {
            case .byte(let b):
                return .byte(b)
            case .set(let s):
                if rangeWasOpen { throw error(escStart, "invalid range in character class") }
                try checkHyphenAfterSet()
                return .set(s)
            case .assertion, .node, .quoted, .nothing:
                throw error(escStart, "escape sequence is invalid in character class")
            }
        }
        pos += 1
        return .byte(c)
    }

    /// PCRE2 rejects `[\d-z]`: a hyphen after a set is only allowed as the class's last member.
    func checkHyphenAfterSet() throws(RegexSyntaxError) {
        if peek() == UInt8(ascii: "-"), let next = peek(1), next != UInt8(ascii: "]") {
            throw error(pos, "invalid range in character class")
        }
    }
}
