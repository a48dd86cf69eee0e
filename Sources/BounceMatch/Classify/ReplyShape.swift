import CCPU
#if canImport(Glibc)
import Glibc
#endif

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
        let capacity = maxShapeCount(line.count)
        let from = out.count
        out.append(contentsOf: repeatElement(0, count: capacity))
        let written = out.withUnsafeMutableBufferPointer { o in
            mask(line, keepingPrefix: prefix, into: o.baseAddress! + from)
        }
        out.removeLast(capacity - written)
    }

    /// The most bytes `mask` writes for a line of `count` bytes: a one-digit run becomes `<n>`.
    @inline(__always)
    static func maxShapeCount(_ count: Int) -> Int { 3 * count + 8 }

    /// Writes the shape of `line` to `out` (room for `maxShapeCount(line.count)` bytes) and returns its length.
    /// Works on raw pointers with a byte-class table: it runs for every unclassified reply.
    ///
    /// Only a few places of a reply can change, and they are found without looking at every word:
    /// - a run of letters and digits holding a digit (`<n>`, `<id>`, IPv4, date, time, most IPv6 and UUIDs);
    /// - a run of hex letters followed by `:` or `-` (IPv6 `fe::1`, UUID), and a `:` starting a token (`::1`);
    /// - the start of the local part before an `@` (address).
    /// The scan takes the line in blocks of 64 bytes, classified at once (`ccpu_classify64`: SSE2, 16 bytes per
    /// step) into bit masks of digits, letters-or-digits and triggers (digits, and the `:`/`-` after a hex
    /// letter or, for `:`, starting a token: any other `:` or `-` would be passed over below); the next
    /// trigger, the start and end of a run and whether it holds letters are then bit operations. `@`s are
    /// found with `memchr`. At each such place the per-token rules run as they are,
    /// everything in between is copied in one piece. The result is the same as visiting every byte (see
    /// `ClassifyScanTests`), because at any other place those rules leave the bytes as they are.
    static func mask(_ line: UnsafeBufferPointer<UInt8>, keepingPrefix prefix: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let n = line.count
        guard n > 0 else { return 0 }
        let p = line.baseAddress!
        let cls = byteClasses
        let keep = min(prefix, n)
        var o = 0
        // `p[0..<copied]` is accounted for in `out[0..<o]`: copied as it is or replaced.
        var copied = 0
        @inline(__always) func flush(_ upTo: Int) {
            let c = upTo &- copied
            if c > 0 { copyBytes(from: p + copied, to: out + o, count: c) }
            o &+= c
        }
        /// Writes a placeholder of `count` (at most 8) bytes held in `bytes`, first byte lowest, with one
        /// store: `o + 8` never passes the room `maxShapeCount` gives (the output so far is at most 3 × input).
        @inline(__always) func put(_ bytes: UInt64, _ count: Int) {
            UnsafeMutableRawPointer(out + o).storeBytes(of: bytes.littleEndian, as: UInt64.self)
            o += count
        }
        /// Replaces `p[from..<to]` with a placeholder.
        @inline(__always) func replace(_ from: Int, _ to: Int, with s: Placeholder) {
            flush(from)
            put(s.bytes, s.count)
            copied = to
        }
        @inline(__always) func allHex(_ from: Int, _ to: Int) -> Bool {
            var k = from
            while k < to && cls[Int(p[k])] & cHex != 0 { k += 1 }
            return k == to
        }
        /// The first place at or after `from` where an address may start: the start of the run of
        /// local-part bytes that ends at an `@` (`n` when there is none).
        @inline(__always) func nextAddressStart(_ from: Int) -> Int {
            var k = from
            while k < n, let q = memchr(p + k, Int32(UInt8(ascii: "@")), n - k) {
                let at = p.distance(to: q.assumingMemoryBound(to: UInt8.self))
                var s = at
                while s > 0 && cls[Int(p[s - 1])] & cLocal != 0 { s -= 1 }
                if s >= from && s < at { return s }
                k = at + 1
            }
            return n
        }
        // The class bits of the 64-byte block at `blockBase` (offsets from the line's start, a multiple of 64).
        var blockBase = -64
        var bits = ccpu_class_bits()
        /// Makes the block holding `k` (< n) the current one.
        @inline(__always) func block(_ k: Int) {
            let base = k & ~63
            if base != blockBase {
                blockBase = base
                bits = ccpu_classify64(p + base, min(64, n - base))
            }
        }
        /// The first trigger at or after `from` (`n` when there is none).
        @inline(__always) func nextTrigger(_ from: Int) -> Int {
            var k = from
            while k < n {
                block(k)
                let m = bits.trigger & (~0 &<< UInt64(k &- blockBase))
                if m != 0 { return blockBase &+ m.trailingZeroBitCount }
                k = blockBase &+ 64
            }
            return n
        }
        var address = nextAddressStart(keep)
        var trigger = -1
        var i = keep
        while i < n {
            if address < i { address = nextAddressStart(i) }
            if trigger < i { trigger = nextTrigger(i) }
            var runStart = trigger
            if trigger < n {
                block(trigger)
                let at = UInt64(trigger &- blockBase)
                if (bits.digit &>> at) & 1 != 0 {
                    // The run of letters and digits the digit is in, from the block's bits: `below` holds the
                    // bytes below the digit that are neither (the last of them ends the run's left side),
                    // `above` those after it.
                    let below = ~bits.alnum & ((1 &<< at) &- 1)
                    let above = ~bits.alnum & (~1 &<< at)
                    let start = blockBase &+ 64 &- below.leadingZeroBitCount
                    // The usual place, decided from the bits alone: the run lies inside the block, no address
                    // before its end, and no probe possible (the byte after it is not `.`, `:` or `-`, which
                    // every probe needs). It is then `<n>`, `<id>` or kept, as the rules below decide.
                    // An address can only start at a run's start, so `address > start` means after the run.
                    if below != 0 && above != 0 && start >= i && address > start {
                        let e = blockBase &+ above.trailingZeroBitCount
                        let inRun = ((1 &<< UInt64(e &- blockBase)) &- 1) & ~((1 &<< UInt64(start &- blockBase)) &- 1)
                        let after: UInt8 = e < n ? p[e] : 0
                        let probeAfter = after == UInt8(ascii: ":") || after == UInt8(ascii: "-")
                        if bits.alnum & ~bits.digit & inRun == 0 {
                            // Digits only: probes need `.`, `:` or `-` after and no `:` before.
                            if !((probeAfter || after == UInt8(ascii: ".")) && p[start &- 1] != UInt8(ascii: ":")) {
                                replace(start, e, with: .n)
                                i = e
                                continue
                            }
                        } else if !probeAfter {
                            // Letters and digits: only the IPv6 and UUID probes take letters, after `:` or `-`.
                            if e &- start >= 8 { replace(start, e, with: .id) }
                            i = e
                            continue
                        }
                    }
                    // Otherwise the run's start (not before `i`), going back past the block when it began there.
                    if below != 0 {
                        runStart = max(i, start)
                    } else {
                        runStart = max(i, blockBase)
                        while runStart > i && cls[Int(p[runStart - 1])] & cAlnum != 0 { runStart -= 1 }
                    }
                } else {
                    // A `:` or `-`: the run before it holds no digit (that would have come first), so a
                    // probe can only start there when it is all hex letters (IPv6 `fe::1`, UUID).
                    while runStart > i && cls[Int(p[runStart - 1])] & cHex != 0 { runStart -= 1 }
                    if runStart > i && cls[Int(p[runStart - 1])] & cAlnum != 0 {
                        runStart = trigger
                    }
                    if runStart == trigger && address > trigger {
                        // Only a `:` starting a token can change (`::1`); the rest stays.
                        let prev: UInt8 = trigger == 0 ? 0 : cls[Int(p[trigger - 1])]
                        if cls[Int(p[trigger])] & cColon == 0 || prev & (cAlnum | cColon) != 0 {
                            i = trigger + 1
                            continue
                        }
                    }
                }
            }
            i = min(runStart, address)
            guard i < n else { break }
            // From here on, the rules for one place, as if every byte were visited.
            let c = cls[Int(p[i])]
            let prev: UInt8 = i == 0 ? 0 : cls[Int(p[i - 1])]
            if i == address, let end = email(line, i) {
                flush(i)
                copied = end
                // `<user@example.com>` becomes `<addr>`, not `<<addr>>`.
                if o > 0 && out[o - 1] == UInt8(ascii: "<") && end < n && p[end] == UInt8(ascii: ">") {
                    o -= 1
                    copied = end + 1
                }
                put(Placeholder.addr.bytes, Placeholder.addr.count)
                i = copied
                continue
            }
            if c & cAlnum == 0 {
                // A `:` starting a token may start an IPv6 address (`::1`); other bytes stay.
                if c & cColon != 0 && prev & (cAlnum | cColon) == 0, let end = ipv6(line, i) {
                    replace(i, end, with: .ip)
                    i = end
                    continue
                }
                i += 1
                continue
            }
            // Inside a run (after `<date>` in `2026-11-22T09`): stays.
            if prev & cAlnum != 0 {
                i += 1
                continue
            }
            // A run of letters and digits: its length, whether it holds letters and digits, the byte after it,
            // from the blocks' bits (the bytes after the line are in no class, so the run ends by `n`).
            var j = i
            var letterBits: UInt64 = 0, digitBits: UInt64 = 0
            while j < n {
                block(j)
                let from = ~0 &<< UInt64(j &- blockBase)
                let ends = ~bits.alnum & from
                let stop = ends == 0 ? 64 : ends.trailingZeroBitCount
                let inRun = stop == 64 ? from : from & ((1 &<< UInt64(stop)) &- 1)
                digitBits |= bits.digit & inRun
                letterBits |= bits.alnum & ~bits.digit & inRun
                j = blockBase &+ stop
                if stop < 64 { break }
            }
            j = min(j, n)
            let length = j - i
            let allDigits = letterBits == 0
            // Token probes, each only where its token can start: the run must be what the token begins with
            // (so the probe is skipped only where it would find nothing).
            if prev & cColon == 0 && c & cHex != 0 {
                let after: UInt8 = j < n ? p[j] : 0
                if allDigits && length <= 3 && after == UInt8(ascii: "."), let end = ipv4(line, i) {
                    replace(i, end, with: .ip); i = end; continue
                }
                if after == UInt8(ascii: ":") && allHex(i, j), let end = ipv6(line, i) {
                    replace(i, end, with: .ip); i = end; continue
                }
                if length == 8 && after == UInt8(ascii: "-") && allHex(i, j), let end = uuid(line, i) {
                    replace(i, end, with: .id); i = end; continue
                }
                if allDigits && length == 4 && after == UInt8(ascii: "-"), let end = date(line, i) {
                    replace(i, end, with: .date); i = end; continue
                }
                if allDigits && length <= 2 && after == UInt8(ascii: ":"), let end = time(line, i) {
                    replace(i, end, with: .time); i = end; continue
                }
            }
            if allDigits {
                replace(i, j, with: .n)
            } else if digitBits != 0 && length >= 8 {
                replace(i, j, with: .id)
            }
            i = j
        }
        flush(n)
        return o
    }

    /// Copies `count` (> 0) bytes between buffers that do not overlap. Short stretches, the usual case between
    /// two masked tokens, are copied with overlapping 8- or 4-byte loads and stores instead of a call to
    /// `memcpy`, which costs more than the copy at these sizes; nothing outside the two ranges is touched.
    @inline(__always)
    static func copyBytes(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let s = UnsafeRawPointer(source), t = UnsafeMutableRawPointer(target)
        if count > 32 {
            memcpy(t, s, count)
        } else if count >= 8 {
            var k = 0
            while k &+ 8 < count {
                t.storeBytes(of: s.loadUnaligned(fromByteOffset: k, as: UInt64.self), toByteOffset: k, as: UInt64.self)
                k &+= 8
            }
            t.storeBytes(of: s.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self), toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            t.storeBytes(of: s.loadUnaligned(as: UInt32.self), as: UInt32.self)
            t.storeBytes(of: s.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self), toByteOffset: count &- 4, as: UInt32.self)
        } else {
            target[0] = source[0]
            target[count &- 1] = source[count &- 1]
            if count == 3 { target[1] = source[1] }
        }
    }

    /// The class bits of `bytes[from..<from + 64]` (fewer at the end): digits, letters or digits, and
    /// digits, `:` or `-`, one bit per byte. What `mask` uses, for tests.
    static func classBits(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> (digit: UInt64, alnum: UInt64, trigger: UInt64) {
        let bits = ccpu_classify64(bytes.baseAddress! + from, min(64, bytes.count - from))
        return (bits.digit, bits.alnum, bits.trigger)
    }

    /// The placeholders of masked tokens, as little-endian bytes for a single store (literals, so that
    /// using one costs no lazy initialization; `ClassifyScanTests` checks them against their text).
    struct Placeholder {
        let bytes: UInt64
        let count: Int

        static var addr: Placeholder { Placeholder(bytes: 0x3E_72_64_64_61_3C, count: 6) }
        static var ip: Placeholder { Placeholder(bytes: 0x3E_70_69_3C, count: 4) }
        static var id: Placeholder { Placeholder(bytes: 0x3E_64_69_3C, count: 4) }
        static var date: Placeholder { Placeholder(bytes: 0x3E_65_74_61_64_3C, count: 6) }
        static var time: Placeholder { Placeholder(bytes: 0x3E_65_6D_69_74_3C, count: 6) }
        static var n: Placeholder { Placeholder(bytes: 0x3E_6E_3C, count: 3) }

        /// The placeholder's text.
        var text: [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: bytes >> UInt64(8 * $0)) } }
    }

    private static let cDigit: UInt8 = 1, cAlnum: UInt8 = 2, cHex: UInt8 = 4, cLocal: UInt8 = 8
    private static let cAt: UInt8 = 16, cColon: UInt8 = 32, cDash: UInt8 = 64, cDot: UInt8 = 128

    /// Class bits of every byte value, built once (never freed: it lives as long as the process).
    // SAFETY: written once in the initializer, only read afterwards.
    nonisolated(unsafe) private static let byteClasses: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for v in 0..<256 {
            let b = UInt8(v)
            var c: UInt8 = 0
            if isDigit(b) { c |= cDigit }
            if isAlnum(b) { c |= cAlnum }
            if isHex(b) { c |= cHex }
            if isLocal(b) { c |= cLocal }
            switch b {
            case UInt8(ascii: "@"): c |= cAt
            case UInt8(ascii: ":"): c |= cColon
            case UInt8(ascii: "-"): c |= cDash
            case UInt8(ascii: "."): c |= cDot
            default: break
            }
            t[v] = c
        }
        return UnsafePointer(t)
    }()

    /// A fast 64-bit hash of `bytes`, sixteen bytes per step folded with one 64×64→128-bit multiply (the
    /// wyhash idea): the shape tables' key. Equal hashes are always confirmed by comparing bytes.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        let k0: UInt64 = 0xA076_1D64_78BD_642F, k1: UInt64 = 0xE703_7ED1_A0B4_28DB
        guard let p = bytes.baseAddress, n > 0 else { return fold(k0, k1 ^ UInt64(n)) }
        let raw = UnsafeRawPointer(p)
        @inline(__always) func load(_ i: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) }
        @inline(__always) func load32(_ i: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
        }
        var seed = k0 ^ UInt64(n)
        let a: UInt64, b: UInt64
        if n <= 16 {
            // Overlapping loads cover every byte; the length in the seed tells the overlaps apart.
            if n >= 8 {
                a = load(0); b = load(n - 8)
            } else if n >= 4 {
                a = load32(0); b = load32(n - 4)
            } else {
                a = UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]); b = 0
            }
        } else {
            var i = 0
            while n - i > 16 {
                seed = fold(load(i) ^ k1, load(i + 8) ^ seed)
                i += 16
            }
            a = load(n - 16); b = load(n - 8)
        }
        return fold(k1 ^ UInt64(n), fold(a ^ k1, b ^ seed))
    }

    /// The high and low halves of the full product, xored.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
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
