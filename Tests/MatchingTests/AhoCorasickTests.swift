import Matching
import Testing
import TestSupport

/// Every (pattern, end) occurrence by brute force, ordered by end, then priority, then pattern id.
private func bruteForce(_ patterns: [AhoCorasickPattern], priorities: [Int], in text: [UInt8]) -> [[Int]] {
    var out: [[Int]] = []
    if text.isEmpty { return out }
    for end in 1...text.count {
        var here: [Int] = []
        for (id, p) in patterns.enumerated() where p.bytes.count <= end {
            let begin = end - p.bytes.count
            var ok = true
            for k in 0..<p.bytes.count {
                let a = p.bytes[k], b = text[begin + k]
                let isLetter = (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A
                if a == b || (p.caseless && isLetter && a | 0x20 == b | 0x20) { continue }
                ok = false
                break
            }
            if ok { here.append(id) }
        }
        here.sort { priorities[$0] != priorities[$1] ? priorities[$0] < priorities[$1] : $0 < $1 }
        out.append(contentsOf: here.map { [$0, end] })
    }
    return out
}

private func automatonMatches(_ ac: AhoCorasick, in text: [UInt8]) -> [[Int]] {
    var out: [[Int]] = []
    text.withUnsafeBufferPointer { buf in
        ac.forEachMatch(in: buf) { p, end in
            out.append([p, end])
            return true
        }
    }
    return out
}

/// Collects through the visitor API, stopping after `limit` matches.
private struct Collector: AhoCorasickVisitor {
    var out: [[Int]] = []
    var limit: Int
    mutating func visit(_ patterns: UnsafeBufferPointer<UInt32>, end: Int) -> Bool {
        for p in patterns {
            if out.count == limit { return false }
            out.append([Int(p), end])
        }
        return out.count < limit
    }
}

private func randomBytes(_ n: Int, from alphabet: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
}

@Suite("AhoCorasick automaton")
struct AhoCorasickTests {
    static let alphabets: [[UInt8]] = [
        Array("aAbB".utf8),
        [0x61, 0x41, 0x00, 0xFF],
        Array("abcABC ._".utf8),
        [0x00, 0xFF, 0x7A, 0x5A, 0x40, 0x60],  // z Z @ ` : the letters' neighbours must not fold
    ]

    @Test("agrees with brute force on random patterns and texts", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomAgainstBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for round in 0..<60 {
            let alphabet = Self.alphabets[round % Self.alphabets.count]
            let patternCount = 1 + Int(rng.next() % 12)
            var patterns: [AhoCorasickPattern] = []
            for _ in 0..<patternCount {
                if !patterns.isEmpty && rng.next() % 6 == 0 {
                    // A duplicate, a prefix or a suffix of an earlier pattern, maybe with the other case mode.
                    let base = patterns[Int(rng.next() % UInt64(patterns.count))]
                    let cut = 1 + Int(rng.next() % UInt64(base.bytes.count))
                    let bytes: [UInt8]
                    switch rng.next() % 3 {
                    case 0: bytes = base.bytes
                    case 1: bytes = Array(base.bytes.prefix(cut))
                    default: bytes = Array(base.bytes.suffix(cut))
                    }
                    patterns.append(AhoCorasickPattern(bytes: bytes, caseless: rng.next() % 2 == 0))
                } else {
                    let bytes = randomBytes(1 + Int(rng.next() % 4), from: alphabet, &rng)
                    patterns.append(AhoCorasickPattern(bytes: bytes, caseless: rng.next() % 2 == 0))
                }
            }
            let priorities = (0..<patternCount).map { _ in Int(rng.next() % 4) }
            let ac = try AhoCorasick(patterns, priorities: priorities)
            for _ in 0..<8 {
                let text = randomBytes(Int(rng.next() % 40), from: alphabet, &rng)
                let expected = bruteForce(patterns, priorities: priorities, in: text)
                #expect(automatonMatches(ac, in: text) == expected, "seed \(seed) round \(round) text \(text) patterns \(patterns)")
            }
        }
    }

    @Test("caseless and case-sensitive patterns mix exactly")
    func mixedCaseExact() throws {
        let patterns = [
            AhoCorasickPattern(bytes: Array("User".utf8), caseless: false),
            AhoCorasickPattern(bytes: Array("user".utf8), caseless: true),
            AhoCorasickPattern(bytes: Array("sEr".utf8), caseless: false),
            AhoCorasickPattern(bytes: Array("ser".utf8), caseless: false),
        ]
        let ac = try AhoCorasick(patterns)
        #expect(automatonMatches(ac, in: Array("USER".utf8)) == [[1, 4]])
        #expect(automatonMatches(ac, in: Array("User".utf8)) == [[0, 4], [1, 4], [3, 4]])
        #expect(automatonMatches(ac, in: Array("usEr".utf8)) == [[1, 4], [2, 4]])
        // Non-letters never fold: '@' (0x40) is not '`' (0x60), '[' is not '{'.
        let punct = try AhoCorasick([AhoCorasickPattern(bytes: Array("@[".utf8), caseless: true)])
        #expect(automatonMatches(punct, in: Array("`{@[".utf8)) == [[0, 4]])
    }

    @Test("the visitor can stop early and sees exactly the first matches")
    func visitorEarlyStop() throws {
        var rng = SplitMix64(seed: 99)
        let patterns = (0..<20).map { _ in
            AhoCorasickPattern(bytes: randomBytes(1 + Int(rng.next() % 3), from: Array("ab".utf8), &rng), caseless: false)
        }
        let ac = try AhoCorasick(patterns)
        let text = randomBytes(200, from: Array("ab".utf8), &rng)
        let all = automatonMatches(ac, in: text)
        #expect(all.count > 50)
        for limit in [0, 1, 7, 50] {
            var collector = Collector(limit: limit)
            text.withUnsafeBufferPointer { ac.scan($0, visitor: &collector) }
            #expect(collector.out == Array(all.prefix(limit)))
        }
        var n = 0
        text.withUnsafeBufferPointer { buf in
            ac.forEachMatch(in: buf) { _, _ in
                n += 1
                return n < 3
            }
        }
        #expect(n == 3)
    }

    @Test("no patterns, empty text, empty pattern, memory limit")
    func edges() throws {
        let none = try AhoCorasick([])
        #expect(automatonMatches(none, in: Array("anything".utf8)) == [])
        let one = try AhoCorasick([AhoCorasickPattern(bytes: [0x00, 0xFF], caseless: true)])
        #expect(automatonMatches(one, in: []) == [])
        #expect(automatonMatches(one, in: [0xFF, 0x00, 0xFF, 0x00]) == [[0, 3]])
        #expect(throws: AhoCorasickError.emptyPattern(index: 1)) {
            try AhoCorasick([AhoCorasickPattern(bytes: [1], caseless: false), AhoCorasickPattern(bytes: [], caseless: false)])
        }
        var rng = SplitMix64(seed: 5)
        let many = (0..<200).map { _ in AhoCorasickPattern(bytes: randomBytes(20, from: Array(0...255), &rng), caseless: false) }
        #expect(throws: AhoCorasickError.self) { try AhoCorasick(many, memoryLimit: 64 * 1024) }
        let ok = try AhoCorasick(many)
        #expect(ok.memoryBytes > 64 * 1024)
    }

    @Test("a state per trie node when all patterns share one case mode")
    func stateCount() throws {
        // "he", "she", "his", "hers": trie nodes = root + h,he,her,hers,hi,his,s,sh,she = 10.
        let words = ["he", "she", "his", "hers"]
        for caseless in [false, true] {
            let ac = try AhoCorasick(words.map { AhoCorasickPattern(bytes: Array($0.utf8), caseless: caseless) })
            #expect(ac.stateCount == 10)
            // h e s i r (each with its other case when caseless), plus one class for every other byte.
            #expect(ac.classCount == 6)
        }
    }

    @Test("10,000 patterns: build and agree with brute force")
    func tenThousandPatterns() throws {
        var rng = SplitMix64(seed: 10_000)
        let words = ["user", "unknown", "mailbox", "full", "quota", "rejected", "spam", "blocked", "denied", "5.1.1", "550"]
        var patterns: [AhoCorasickPattern] = []
        for i in 0..<10_000 {
            var b: [UInt8] = []
            for j in 0..<(1 + Int(rng.next() % 3)) {
                if j > 0 { b.append(0x20) }
                b += Array(words[Int(rng.next() % UInt64(words.count))].utf8)
            }
            if i % 3 == 0 { b += Array(String(i % 97).utf8) }
            patterns.append(AhoCorasickPattern(bytes: b, caseless: rng.next() % 4 != 0))
        }
        let ac = try AhoCorasick(patterns)
        #expect(ac.patternCount == 10_000)
        let priorities = Array(0..<10_000)
        for _ in 0..<3 {
            var text: [UInt8] = []
            for _ in 0..<12 {
                var w = Array(words[Int(rng.next() % UInt64(words.count))].utf8)
                if rng.next() % 2 == 0 { w = w.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A ? $0 & ~0x20 : $0 } }
                text += w + [0x20]
                if rng.next() % 3 == 0 { text += Array(String(rng.next() % 97).utf8) }
            }
            let expected = bruteForce(patterns, priorities: priorities, in: text)
            #expect(!expected.isEmpty)
            #expect(automatonMatches(ac, in: text) == expected)
        }
    }
}
