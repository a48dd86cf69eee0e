import Testing
import TestSupport
@testable import RegexSyntax

@Suite struct RegexSamplerTests {
    @Test func samplesHonourTheirPattern() throws {
        var rng = SplitMix64(seed: 3)
        #expect(try parse("abc").root.sampleMatch(using: &rng) == bytes("abc"))
        #expect(try parse("^a\\z").root.sampleMatch(using: &rng) == bytes("a"))
        #expect(try parse("a\\bb").root.sampleMatch(using: &rng) == nil)
        #expect(try parse("(?=a)a").root.sampleMatch(using: &rng) == nil)
        #expect(try parse("(ab|cd)\\1").root.sampleMatch(using: &rng).map { $0.count } == 4)
        for _ in 0..<50 {
            let s = try #require(try parse("[0-9]{2,4}(?i)x").root.sampleMatch(using: &rng))
            #expect((3...5).contains(s.count))
            #expect(s.dropLast().allSatisfy { ByteSet.digits.contains($0) })
            #expect(s.last == UInt8(ascii: "x") || s.last == UInt8(ascii: "X"))
        }
        let line = try #require(try parse("(?m)a$\\n^b").root.sampleMatch(using: &rng))
        #expect(line == bytes("a\nb"))
    }

    @Test func deterministicPerSeed() {
        var gen = SplitMix64(seed: 99)
        for _ in 0..<500 {
            let src = randomPattern(&gen)
            guard let p = try? RegexParser.parse(src, options: RegexOptions()) else { continue }
            var a = SplitMix64(seed: 1234), b = SplitMix64(seed: 1234)
            #expect(p.root.sampleMatch(using: &a) == p.root.sampleMatch(using: &b))
        }
    }

    /// Portable patterns without contradictory anchors always yield a sample.
    @Test func portablePatternsSample() {
        var gen = SplitMix64(seed: 2024)
        var sampled = 0
        for _ in 0..<3000 {
            let src = randomPattern(&gen)
            guard let p = try? RegexParser.parse(src, options: RegexOptions()), p.isPortable else { continue }
            var hasAssertion = false
            p.root.forEachNode { if case .assertion = $0 { hasAssertion = true } }
            var rng = SplitMix64(seed: 5)
            let s = p.root.sampleMatch(using: &rng)
            if !hasAssertion {
                #expect(s != nil, "\(String(decoding: src, as: UTF8.self))")
            }
            if let s {
                sampled += 1
                #expect(s.count >= p.root.minLength)
                if let max = p.root.maxLength { #expect(s.count <= max) }
            }
        }
        #expect(sampled > 300)
    }
}
