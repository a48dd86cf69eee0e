/// Normalizes raw reply bytes into a `Reply` (SPEC §1; every decision is in docs/REPLIES.md).
///
/// `parse(_:context:into:)` refills an existing `Reply` in place: once `reply.line` has the capacity of the
/// input it allocates nothing, so a stream of replies can reuse one `Reply` per thread.
public enum ReplyParser {
    /// Parses `bytes` (any bytes, any length) into `reply`, replacing everything it held.
    ///
    /// Linear in `bytes.count`. The normalized line is never longer than the input.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, context: ReplyContext, into reply: inout Reply) {
        reply.line.removeAll(keepingCapacity: true)
        reply.line.reserveCapacity(bytes.count)
        reply.context = context
        reply.code = nil
        reply.enhanced = nil
        reply.textStart = 0
        reply.isTransportEvent = false

        let firstEnd = lineEnd(bytes, from: 0)
        let head = leadingCode(bytes, from: 0, to: firstEnd)
        var writer = PieceWriter()
        if let head {
            // The code once, always followed by a space: `550-` of a multi-line reply becomes `550 `.
            reply.line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<3]))
            if head.textStart > 3 {
                reply.line.append(0x20)
                reply.line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[4..<head.textStart]))
            }
            reply.code = head.code
            reply.enhanced = head.enhanced
            let prefixCount = reply.line.count
            reply.textStart = prefixCount
            // `550-5.1.1` alone on the first line: the first text piece still needs its joining space.
            let prefixEndsInSpace = reply.line.last == 0x20 || reply.line.last == 0x09
            writer.pendingSpace = !prefixEndsInSpace
            let flattened = head.separator == UInt8(ascii: "-")
            appendText(bytes, head.textStart..<firstEnd, head: head, flattened: flattened, to: &reply.line, &writer)
            var start = nextLineStart(bytes, after: firstEnd)
            while start < bytes.count {
                let end = lineEnd(bytes, from: start)
                var textFrom = start
                if let cont = continuationPrefixEnd(bytes, from: start, to: end, head: head) { textFrom = cont }
                appendText(bytes, textFrom..<end, head: head, flattened: flattened, to: &reply.line, &writer)
                start = nextLineStart(bytes, after: end)
            }
            if !prefixEndsInSpace && reply.line.count > prefixCount { reply.textStart = prefixCount + 1 }
        } else {
            var start = 0
            while start < bytes.count {
                let end = lineEnd(bytes, from: start)
                writer.append(bytes, start..<end, to: &reply.line)
                start = nextLineStart(bytes, after: end)
            }
        }
        // A TAB is the only control byte left that the SPEC turns into a space (CR and LF split lines).
        reply.line.withUnsafeMutableBufferPointer { out in
            for i in out.indices where out[i] == 0x09 { out[i] = 0x20 }
        }
        if head == nil {
            if let embedded = embeddedCode(reply.line) {
                reply.code = embedded.code
                reply.enhanced = embedded.enhanced
            } else {
                reply.isTransportEvent = true
            }
        }
    }

    /// The parsed prefix of a line that starts with a reply code.
    struct Head {
        var code: UInt16
        /// The byte after the code: space, `-`, or 0 at the end of the line.
        var separator: UInt8
        var enhanced: EnhancedCode?
        /// Offset where the text starts (after the code, the enhanced code and the spaces after them).
        var textStart: Int
    }

    /// `[2-5][0-9][0-9]` at `from`, followed by space, `-`, or the end; then the optional enhanced code.
    static func leadingCode(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Head? {
        guard let code = basicCode(b, at: from, end: end) else { return nil }
        var i = from + 3
        guard i < end else { return Head(code: code, separator: 0, enhanced: nil, textStart: end) }
        let separator = b[i]
        i += 1
        i = skipSpaces(b, from: i, to: end)
        var enhanced: EnhancedCode?
        if let (e, after) = enhancedCode(b, at: i, end: end) {
            enhanced = e
            i = skipSpaces(b, from: after, to: end)
        }
        return Head(code: code, separator: separator, enhanced: enhanced, textStart: i)
    }

    /// The code at `i` when the byte after it is a space, `-` or `end`.
    @inline(__always)
    static func basicCode(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> UInt16? {
        guard i + 3 <= end else { return nil }
        let d0 = b[i] &- 0x30, d1 = b[i + 1] &- 0x30, d2 = b[i + 2] &- 0x30
        guard d0 >= 2, d0 <= 5, d1 <= 9, d2 <= 9 else { return nil }
        if i + 3 < end, b[i + 3] != 0x20, b[i + 3] != 0x09, b[i + 3] != UInt8(ascii: "-") { return nil }
        return UInt16(d0) * 100 + UInt16(d1) * 10 + UInt16(d2)
    }

    /// `class.subject.detail` at `i` (class 2, 4 or 5; 1-3 digits each) followed by a space or `end`.
    static func enhancedCode(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (EnhancedCode, Int)? {
        guard i + 1 < end, b[i] == 0x32 || b[i] == 0x34 || b[i] == 0x35, b[i + 1] == UInt8(ascii: ".") else {
            return nil
        }
        var j = i + 2
        func number(_ j: inout Int) -> UInt16? {
            var n: UInt16 = 0, digits = 0
            while j < end, digits < 4, b[j] &- 0x30 <= 9 {
                n = n * 10 + UInt16(b[j] &- 0x30)
                j += 1
                digits += 1
            }
            return digits >= 1 && digits <= 3 ? n : nil
        }
        guard let subject = number(&j), j < end, b[j] == UInt8(ascii: ".") else { return nil }
        j += 1
        guard let detail = number(&j) else { return nil }
        guard j == end || b[j] == 0x20 || b[j] == 0x09 else { return nil }
        return (EnhancedCode(UInt16(b[i] &- 0x30), subject, detail), j)
    }

    /// For a later line: where its text starts when it repeats the first line's code (`550-` / `550 ` /
    /// `550`), with a repeated identical enhanced code removed too. Nil when the line is not a continuation.
    static func continuationPrefixEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, head: Head) -> Int? {
        guard let code = basicCode(b, at: from, end: end), code == head.code else { return nil }
        var i = min(from + 4, end)
        if let first = head.enhanced, let (e, after) = enhancedCode(b, at: i, end: end), e == first {
            i = min(after + 1, end)
        }
        return i
    }

    /// Appends one line's text as pieces; in flattened mode (`550-` first line) ` 550-`/` 550 ` markers
    /// with the first line's code (and enhanced code, when it had one) split it like real line breaks.
    static func appendText(
        _ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, head: Head, flattened: Bool,
        to out: inout [UInt8], _ writer: inout PieceWriter
    ) {
        guard flattened else {
            writer.append(b, range, to: &out)
            return
        }
        var pieceStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            if b[i] == 0x20 || b[i] == 0x09, let next = flattenedMarkerEnd(b, at: i + 1, end: range.upperBound, head: head) {
                writer.append(b, pieceStart..<i, to: &out)
                pieceStart = next
                i = next
                continue
            }
            i += 1
        }
        writer.append(b, pieceStart..<range.upperBound, to: &out)
    }

    /// A marker `ddd-` or `ddd ` (same code) at `i`, then the first line's enhanced code and a space when it
    /// had one. Returns where the text after the marker starts.
    static func flattenedMarkerEnd(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, head: Head) -> Int? {
        guard i + 4 <= end, let code = basicCode(b, at: i, end: end), code == head.code else { return nil }
        let after = i + 4
        guard let first = head.enhanced else { return after }
        guard let (e, eEnd) = enhancedCode(b, at: after, end: end), e == first else { return nil }
        return min(eEnd + 1, end)
    }

    /// Wrapped replies (`host … said: 550 …`, Exim `… RCPT TO:<a@b>: 550 …`): the code and enhanced code
    /// after the first `: ` that is directly followed by a reply code.
    static func embeddedCode(_ line: [UInt8]) -> (code: UInt16, enhanced: EnhancedCode?)? {
        line.withUnsafeBufferPointer { b in
            var i = 0
            while i + 2 < b.count {
                if b[i] == UInt8(ascii: ":"), b[i + 1] == 0x20 || b[i + 1] == 0x09, let code = basicCode(b, at: i + 2, end: b.count) {
                    var enhanced: EnhancedCode?
                    if i + 6 < b.count, let (e, _) = enhancedCode(b, at: skipSpaces(b, from: i + 6, to: b.count), end: b.count) {
                        enhanced = e
                    }
                    return (code, enhanced)
                }
                i += 1
            }
            return nil
        }
    }

    @inline(__always)
    static func skipSpaces(_ b: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int {
        var i = from
        while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        return i
    }

    /// The offset of the CR or LF that ends the line starting at `from` (or `b.count`).
    @inline(__always)
    static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var i = from
        while i < b.count, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
        return i
    }

    /// Skips one terminator: CRLF, lone LF or lone CR.
    @inline(__always)
    static func nextLineStart(_ b: UnsafeBufferPointer<UInt8>, after end: Int) -> Int {
        guard end < b.count else { return b.count + 1 }
        if b[end] == 0x0D, end + 1 < b.count, b[end + 1] == 0x0A { return end + 2 }
        return end + 1
    }

    /// Joins non-empty pieces with single spaces.
    struct PieceWriter {
        var pendingSpace = false

        @inline(__always)
        mutating func append(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
            guard !range.isEmpty else { return }
            if pendingSpace { out.append(0x20) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[range]))
            pendingSpace = true
        }
    }
}

extension Reply {
    /// Parses raw reply bytes (SPEC §1). See `ReplyParser.parse(_:context:into:)` for the allocation-free form.
    public init(parsing bytes: [UInt8], context: ReplyContext = ReplyContext()) {
        self.init()
        bytes.withUnsafeBufferPointer { ReplyParser.parse($0, context: context, into: &self) }
    }

    /// Parses the UTF-8 bytes of `text`.
    public init(parsing text: String, context: ReplyContext = ReplyContext()) {
        self.init(parsing: Array(text.utf8), context: context)
    }

    /// Refills this reply from `bytes`, reusing its buffer.
    public mutating func refill(parsing bytes: UnsafeBufferPointer<UInt8>, context: ReplyContext = ReplyContext()) {
        ReplyParser.parse(bytes, context: context, into: &self)
    }
}
