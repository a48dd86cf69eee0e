import Testing
@testable import BounceMatch
import BounceRules
import TestSupport

/// The block-at-a-time scans of the classify hot paths against plain byte loops, on seeded random input.
@Suite struct ClassifyScanTests {
    /// The SSE2 block classifier against byte tests: every byte value at every position of a block, blocks cut
    /// short (the bytes after them must count as none of the classes), on seeded random neighbours.
    @Test func classBitsAgreeWithByteTests() {
        var rng = SplitMix64(seed: 0xD161_7)
        for v in 0..<256 {
            for position in stride(from: 0, to: 64, by: 5) {
                var bytes = (0..<80).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                bytes[position] = UInt8(v)
                let count = rng.next() % 3 == 0 ? Int(rng.next() % 64) : 64
                let bits = bytes.withUnsafeBufferPointer { ReplyShape.classBits(UnsafeBufferPointer(rebasing: $0[0..<count]), from: 0) }
                for k in 0..<64 {
                    let b = bytes[k], inside = k < count
                    let digit = inside && ReplyShape.isDigit(b)
                    #expect((bits.digit >> UInt64(k)) & 1 == (digit ? 1 : 0), "byte \(b) at \(k) of \(count)")
                    #expect((bits.alnum >> UInt64(k)) & 1 == (inside && ReplyShape.isAlnum(b) ? 1 : 0), "byte \(b) at \(k) of \(count)")
                    // `:` and `-` only after a hex letter (or, for `:`, where a token starts); at a block's
                    // first byte the neighbour is unknown, so they count.
                    let before: UInt8? = k == 0 ? nil : bytes[k - 1]
                    let afterHexLetter = before.map { ReplyShape.isHex($0) && !ReplyShape.isDigit($0) } ?? true
                    let startsToken = before.map { !ReplyShape.isAlnum($0) && $0 != UInt8(ascii: ":") } ?? true
                    let trigger = digit || inside && (b == UInt8(ascii: "-") && afterHexLetter
                        || b == UInt8(ascii: ":") && (afterHexLetter || startsToken))
                    #expect((bits.trigger >> UInt64(k)) & 1 == (trigger ? 1 : 0), "byte \(b) at \(k) of \(count)")
                }
            }
        }
    }

    @Test func placeholdersSpellTheirText() {
        typealias P = ReplyShape.Placeholder
        #expect([P.addr, P.ip, P.id, P.date, P.time, P.n].map { String(decoding: $0.text, as: UTF8.self) }
            == ["<addr>", "<ip>", "<id>", "<date>", "<time>", "<n>"])
    }

    @Test func commaOrQuoteAgreesWithAByteLoop() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        let alphabet: [UInt8] = Array("ab,\"x ".utf8) + [0x00, 0xFF, 0x80, 0x2B, 0x21]
        for _ in 0..<5_000 {
            let n = Int(rng.next() % 40)
            let weights = Int(rng.next() % 8) + 1
            let bytes = (0..<n).map { _ -> UInt8 in
                rng.next() % UInt64(weights * 4) == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(ascii: "a")
            }
            let from = n == 0 ? 0 : Int(rng.next() % UInt64(n))
            var expected = from
            while expected < n && bytes[expected] != UInt8(ascii: ",") && bytes[expected] != UInt8(ascii: "\"") { expected += 1 }
            let found = bytes.withUnsafeBufferPointer { p in
                n == 0 ? 0 : CSVFields.commaOrQuote(p.baseAddress!, from: from, count: n)
            }
            #expect(found == expected, "\(bytes) from \(from)")
        }
    }

    /// The masking before it moved to raw pointers and a class table (commit abbb70f), as the reference.
    static func referenceShape(_ line: UnsafeBufferPointer<UInt8>, keepingPrefix prefix: Int) -> [UInt8] {
        var out: [UInt8] = []
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
            let atBoundary = i == 0 || !ReplyShape.isLocal(line[i - 1])
            if hasAt && atBoundary && ReplyShape.isLocal(b), let end = ReplyShape.email(line, i) {
                // `<user@example.com>` becomes `<addr>`, not `<<addr>>`.
                if out.last == UInt8(ascii: "<") && end < n && line[end] == UInt8(ascii: ">") {
                    out.removeLast()
                    out.append(contentsOf: Array("<addr>".utf8))
                    i = end + 1
                } else {
                    out.append(contentsOf: Array("<addr>".utf8))
                    i = end
                }
                continue
            }
            let tokenStart = i == 0 || !(ReplyShape.isAlnum(line[i - 1]) || line[i - 1] == UInt8(ascii: ":"))
            if tokenStart && (ReplyShape.isHex(b) || b == UInt8(ascii: ":")) {
                if hasDot && ReplyShape.isDigit(b), let end = ReplyShape.ipv4(line, i) { out.append(contentsOf: Array("<ip>".utf8)); i = end; continue }
                if hasColon, let end = ReplyShape.ipv6(line, i) { out.append(contentsOf: Array("<ip>".utf8)); i = end; continue }
                if hasDash, let end = ReplyShape.uuid(line, i) { out.append(contentsOf: Array("<id>".utf8)); i = end; continue }
                if hasDash && ReplyShape.isDigit(b), let end = ReplyShape.date(line, i) { out.append(contentsOf: Array("<date>".utf8)); i = end; continue }
                if hasColon && ReplyShape.isDigit(b), let end = ReplyShape.time(line, i) { out.append(contentsOf: Array("<time>".utf8)); i = end; continue }
            }
            if ReplyShape.isAlnum(b) && (i == 0 || !ReplyShape.isAlnum(line[i - 1])) {
                var j = i
                var digits = 0
                while j < n && ReplyShape.isAlnum(line[j]) {
                    if line[j] &- 0x30 <= 9 { digits += 1 }
                    j += 1
                }
                let length = j - i
                if digits == length {
                    out.append(contentsOf: Array("<n>".utf8))
                } else if digits > 0 && length >= 8 {
                    out.append(contentsOf: Array("<id>".utf8))
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: line[i..<j]))
                }
                i = j
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }

    @Test func maskAgreesWithTheReferenceOnGeneratedReplies() {
        var rng = SplitMix64(seed: 0x5EED_5A9E)
        let pieces = [
            "user", "john.doe+tag@example.com", "<a@b.co>", "x@y", "192.0.2.45", "10.0.0.1.5", "2001:db8::1",
            "fe80::1:", "::1", "1d98076a-bbc1-11ed-9402-50ebf67f93bd", "2026-11-22", "2026-11-22T09", "09:07:34",
            "9:07", "12:34:56.789", "q44002si339242knz", "BL23", "S3150", "HME1", "1234", "7", "Recipient",
            "address", "rejected", "mailbox", "unavailable", "-", ".", ":", ";", "[", "]", "(", ")", "<", ">",
            "@", "=", "https://postmaster.example.com/error-codes", "ABCDEFGHIJKLMNOPQRSTU", "a1b2c3d4e5",
            "\u{00}", "\u{FF}", "é", "deadbeefcafe::1", "1.2.3", "abc-def",
        ]
        for _ in 0..<20_000 {
            var text = ""
            let count = Int(rng.next() % 14)
            for _ in 0..<count {
                text += pieces[Int(rng.next() % UInt64(pieces.count))]
                switch rng.next() % 4 {
                case 0: text += " "
                case 1: text += ""
                case 2: text += ", "
                default: text += " "
                }
            }
            let raw = Array(((rng.next() % 2 == 0 ? "550 5.1.1 " : "") + text).utf8)
            if !Self.expectMaskAgrees(raw) { return }
        }
    }

    /// Tokens next to each other without spaces, cut at odd places, and near the probes' edges (runs of
    /// hex letters before `:`/`-`, digit runs of 1 to 5 before `.`/`:`/`-`, addresses after replaced tokens).
    @Test func maskAgreesWithTheReferenceOnEdgeTokens() {
        var rng = SplitMix64(seed: 0xED6E_70C5)
        for _ in 0..<30_000 {
            let raw = Array(((rng.next() % 3 == 0 ? "421 4.7.0 " : "") + Self.edgeText(&rng, pieces: 12)).utf8)
            if !Self.expectMaskAgrees(raw) { return }
        }
    }

    /// The same tokens placed across the 64-byte blocks the mask classifies at once: a filler of 40 to 200
    /// bytes (letters, spaces, digits, punctuation) puts them at every offset around 64, 128 and 192.
    @Test func maskAgreesWithTheReferenceAcrossBlockEdges() {
        var rng = SplitMix64(seed: 0xB10C_ED6E)
        let fillers: [UInt8] = Array("abcxyz  ABC.,;-:9".utf8)
        for _ in 0..<30_000 {
            let length = 40 + Int(rng.next() % 160)
            var raw = Array("550 5.1.1 ".utf8)
            // Mostly letters and spaces (so runs end where the block ends), sometimes the other fillers.
            for _ in 0..<length {
                raw.append(rng.next() % 4 == 0 ? fillers[Int(rng.next() % UInt64(fillers.count))] : UInt8(ascii: "a") + UInt8(rng.next() % 26))
            }
            raw += Array(Self.edgeText(&rng, pieces: 3).utf8)
            if !Self.expectMaskAgrees(raw) { return }
        }
    }

    /// Up to `pieces` tokens from `edgePieces`, each followed by one of `edgeSeparators`.
    static func edgeText(_ rng: inout SplitMix64, pieces: UInt64) -> String {
        var text = ""
        for _ in 0..<Int(rng.next() % pieces) {
            text += edgePieces[Int(rng.next() % UInt64(edgePieces.count))]
            text += edgeSeparators[Int(rng.next() % UInt64(edgeSeparators.count))]
        }
        return text
    }

    static let edgePieces = [
        "deadbeef-", "abcdef12-3456", "cafe:", "cafe::", "fe80::", "face:b00c::1", "12:", "1:2", "123.", "1234-",
        "12345-", "1.2.3.4", "1.2.3.4.", "999.1.1.1", "a:b", "ab:cd::ef", "10.0.0.1:25", "[2001:db8::1]:25",
        "x-1", "0", "00000000-0000-0000-0000-000000000000", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "2026-1-1",
        "2026-11-22T09:07:34Z", "HELLO", "WORLD", "abcdefghijklmnop1", "Xy_z-w.q@host.example.org.", "a.b@c",
        "-x@y.z", "@", "@@", "x@", "1@2.3", "u@h.io>", "<", ">", "::", ":::", "::1", ":", "-", "--", ".", "..", "_",
        "abcdefgh", "abcdefg1", "1abcdefg", "ABCDEF0123456789", "12:34", "1:23:45", "23:59:60.123456789",
        "q44002si339242knz", "é1", "\u{00}7", "\u{FF}x", "a1", "Z9", "/", "+tag@x.co", "é@x.co", "0x1F",
        "fe80::1%eth0", "::ffff:192.0.2.1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "abcdefabcdef",
    ]
    static let edgeSeparators = [" ", "", ", ", ":", "-", ".", "@", "<", ">", "(", "T", "1"]

    /// The generated corpus `bouncematch generate replies` writes (what the performance figures use).
    @Test func maskAgreesWithTheReferenceOnCorpusReplies() {
        for generated in CorpusGenerator.replies(count: 20_000, seed: 9) {
            if !Self.expectMaskAgrees(generated.bytes) { return }
        }
    }

    /// Whether the fast mask of `raw` equals the reference's (recorded as a failure naming the reply if not).
    static func expectMaskAgrees(_ raw: [UInt8]) -> Bool {
        let reply = Reply(parsing: raw)
        let got = ReplyShape.shape(ofReply: raw)
        let want = reply.line.withUnsafeBufferPointer { referenceShape($0, keepingPrefix: reply.textStart) }
        #expect(got == want, "\(String(decoding: raw, as: UTF8.self))")
        return got == want
    }
}
