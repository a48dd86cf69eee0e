import Testing
import TestSupport
@testable import RegexSyntax

@Suite struct RegexFuzzTests {
    /// Random token soup and random bytes: an error or a result, never a crash or a hang.
    @Test func randomInputNeverCrashes() {
        var rng = SplitMix64(seed: 0xF022)
        var parsed = 0, failed = 0
        for i in 0..<20_000 {
            let src: [UInt8]
            if i % 4 == 0 {
                src = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                src = randomPattern(&rng)
            }
            do {
                let p = try RegexParser.parse(src, options: RegexOptions(extended: i % 7 == 0))
                parsed += 1
                _ = p.printed(for: .pcre2)
                _ = p.printed(for: .hyperscan)
                _ = p.root.requiredLiterals
                _ = p.root.sampleMatch(using: &rng)
                #expect(p.pcreOnly.allSatisfy { $0.column >= 1 && $0.column <= src.count })
            } catch {
                failed += 1
                #expect(error.column >= 1 && error.column <= src.count + 1)
                #expect(!error.reason.isEmpty)
            }
        }
        #expect(parsed > 1000 && failed > 1000)
    }

    @Test func largeInputs() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let p = try RegexParser.parse(long, options: RegexOptions())
        #expect(p.root.minLength == 1 << 20)
        let alternation = Array(String(repeating: "ab|", count: 20_000).utf8)
        _ = try RegexParser.parse(alternation, options: RegexOptions())
        let nulls: [UInt8] = [0, 0xFF, 0x5C, 0x00]
        _ = try RegexParser.parse(nulls, options: RegexOptions())
        let quantifiers = Array(String(repeating: "(?:a{2,3})", count: 1000).utf8)
        _ = try RegexParser.parse(quantifiers, options: RegexOptions())
    }
}
