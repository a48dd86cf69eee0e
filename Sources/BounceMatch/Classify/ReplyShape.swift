/// The *shape* of a reply: its normalized line with the parts that vary per message masked, so that replies
/// that differ only in addresses, IPs, ids, numbers, dates and times group together.
///
/// The leading code and enhanced code are kept as written. In the text: e-mail addresses become `<addr>`
/// (with their angle brackets), IPv4 and IPv6 addresses `<ip>`, `yyyy-mm-dd` dates `<date>`, `hh:mm[:ss]`
/// times `<time>`, UUIDs and letter-digit tokens of 8 or more characters `<id>`, digit runs `<n>`.
/// Tokens mixing letters and digits that are shorter than 8 (`BL23`, `S3150`, `HME1`) are kept: they are
/// usually fixed provider codes that tell replies apart.
public enum ReplyShape {
    /// The shape of a raw reply (normalized first, SPEC §1).
    public static func shape(ofReply raw: [UInt8]) -> [UInt8] {
        let reply = Reply(parsing: raw)
        var out: [UInt8] = []
        reply.line.withUnsafeBufferPointer { append($0, keepingPrefix: reply.textStart, to: &out) }
        return out
    }

    public static func shape(ofReply raw: String) -> String {
        String(decoding: shape(ofReply: Array(raw.utf8)), as: UTF8.self)
    }

    /// Appends the shape of `line` to `out`, keeping `line[0..<prefix]` (code and enhanced code) as it is.
    public static func append(_ line: UnsafeBufferPointer<UInt8>, keepingPrefix prefix: Int, to out: inout [UInt8]) {
        let n = line.count
        let keep = min(prefix, n)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<keep]))
        // Most replies hold no address, IPv6 or time: one scan up front skips those checks per token.
        var hasAt = false, hasColon = false, hasDash = false, hasDot = false
        for j in keep..<n {
            switch line[j] {
            case UInt8(ascii: "@"): hasAt = true
            case UInt8(ascii: ":"): hasColon = true
            case UInt8(ascii: "-"): hasDash = true
            case UInt8(ascii: "."): hasDot = true
            default: break
            }
        }
        var i = keep
        while i < n {
            let b = line[i]
            let atBoundary = i == 0 || !isLocal(line[i - 1])
            if hasAt && atBoundary && isLocal(b), let end = email(line, i) {
                // `<user@example.com>` becomes `<addr>`, not `<<addr>>`.
                if out.last == UInt8(ascii: "<") && end < n && line[end] == UInt8(ascii: ">") {
                    out.removeLast()
                    append("<addr>", to: &out)
                    i = end + 1
                } else {
                    append("<addr>", to: &out)
                    i = end
                }
                continue
            }
            let tokenStart = i == 0 || !(isAlnum(line[i - 1]) || line[i - 1] == UInt8(ascii: ":"))
            if tokenStart && (isHex(b) || b == UInt8(ascii: ":")) {
                if hasDot && isDigit(b), let end = ipv4(line, i) { append("<ip>", to: &out); i = end; continue }
                if hasColon, let end = ipv6(line, i) { append("<ip>", to: &out); i = end; continue }
                if hasDash, let end = uuid(line, i) { append("<id>", to: &out); i = end; continue }
                if hasDash && isDigit(b), let end = date(line, i) { append("<date>", to: &out); i = end; continue }
                if hasColon && isDigit(b), let end = time(line, i) { append("<time>", to: &out); i = end; continue }
            }
            if isAlnum(b) && (i == 0 || !isAlnum(line[i - 1])) {
                var j = i
                var digits = 0
                while j < n && isAlnum(line[j]) {
                    if line[j] &- 0x30 <= 9 { digits += 1 }
                    j += 1
                }
                let length = j - i
                if digits == length {
                    append("<n>", to: &out)
                } else if digits > 0 && length >= 8 {
                    append("<id>", to: &out)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j]))
                }
                i = j
                continue
            }
            out.append(b)
            i += 1
        }
    }

    /// FNV-1a over `bytes`: the shape table's key.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x100_0000_01B3
        }
        return h
    }

    @inline(__always)
    private static func append(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 <= 9 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    /// Bytes of an address's local part (RFC 5322 atext and dots).
    @inline(__always) static func isLocal(_ b: UInt8) -> Bool {
        if isAlnum(b) { return true }
        switch b {
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "="), UInt8(ascii: "'"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
             UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"),
             UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// `local@domain.tld` at `i`; the end offset.
    static func email(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var j = i
        while j < b.count && isLocal(b[j]) { j += 1 }
        guard j > i, j < b.count, b[j] == UInt8(ascii: "@") else { return nil }
        var k = j + 1
        var dots = 0
        while k < b.count && (isAlnum(b[k]) || b[k] == UInt8(ascii: "-") || b[k] == UInt8(ascii: ".")) {
            if b[k] == UInt8(ascii: ".") { dots += 1 }
            k += 1
        }
        // A sentence may end right after the address.
        while k > j + 1 && (b[k - 1] == UInt8(ascii: ".") || b[k - 1] == UInt8(ascii: "-")) {
            if b[k - 1] == UInt8(ascii: ".") { dots -= 1 }
            k -= 1
        }
        guard dots > 0 else { return nil }
        return k
    }

    /// Digits at `i` (1...max of them); the end offset.
    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, min: Int, max: Int) -> Int? {
        var j = i
        while j < b.count && j - i < max && isDigit(b[j]) { j += 1 }
        return j - i >= min ? j : nil
    }

    /// The token must not continue into letters or digits after `end`.
    @inline(__always)
    private static func endsToken(_ b: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        end >= b.count || !isAlnum(b[end])
    }

    static func ipv4(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var j = i
        for part in 0..<4 {
            guard let e = digits(b, j, min: 1, max: 3) else { return nil }
            j = e
            if part < 3 {
                guard j < b.count, b[j] == UInt8(ascii: ".") else { return nil }
                j += 1
            }
        }
        guard endsToken(b, j), !(j + 1 < b.count && b[j] == UInt8(ascii: ".") && isDigit(b[j + 1])) else { return nil }
        return j
    }

    static func ipv6(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var j = i
        var colons = 0, hex = 0
        var doubleColon = false
        while j < b.count && (isHex(b[j]) || b[j] == UInt8(ascii: ":") || (b[j] == UInt8(ascii: ".") && colons >= 2)) {
            if b[j] == UInt8(ascii: ":") {
                colons += 1
                if j > i && b[j - 1] == UInt8(ascii: ":") { doubleColon = true }
            } else if b[j] != UInt8(ascii: ".") {
                hex += 1
            }
            j += 1
        }
        // `host 2001:db8::1: said`: a single colon after the address belongs to the sentence.
        if j - 1 > i && b[j - 1] == UInt8(ascii: ":") && b[j - 2] != UInt8(ascii: ":") { j -= 1; colons -= 1 }
        while j > i && b[j - 1] == UInt8(ascii: ".") { j -= 1 }
        guard hex > 0, colons >= 2, doubleColon || colons == 7, endsToken(b, j) else { return nil }
        return j
    }

    private static let uuidGroups = [8, 4, 4, 4, 12]

    static func uuid(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var j = i
        for (g, len) in uuidGroups.enumerated() {
            for _ in 0..<len {
                guard j < b.count, isHex(b[j]) else { return nil }
                j += 1
            }
            if g < 4 {
                guard j < b.count, b[j] == UInt8(ascii: "-") else { return nil }
                j += 1
            }
        }
        return endsToken(b, j) ? j : nil
    }

    static func date(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard let y = digits(b, i, min: 4, max: 4), y < b.count, b[y] == UInt8(ascii: "-"),
              let m = digits(b, y + 1, min: 2, max: 2), m < b.count, b[m] == UInt8(ascii: "-"),
              let d = digits(b, m + 1, min: 2, max: 2), endsToken(b, d) || b[d] == UInt8(ascii: "T") else { return nil }
        return d
    }

    static func time(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard let h = digits(b, i, min: 1, max: 2), h < b.count, b[h] == UInt8(ascii: ":"),
              var e = digits(b, h + 1, min: 2, max: 2) else { return nil }
        if e + 2 < b.count, b[e] == UInt8(ascii: ":"), let s = digits(b, e + 1, min: 2, max: 2) { e = s }
        if e + 1 < b.count, b[e] == UInt8(ascii: "."), let f = digits(b, e + 1, min: 1, max: 9) { e = f }
        return endsToken(b, e) ? e : nil
    }
}
