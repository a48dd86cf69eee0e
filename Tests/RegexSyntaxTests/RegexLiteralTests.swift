import Testing
import TestSupport
@testable import RegexSyntax

@Suite struct RegexLiteralTests {
    func lits(_ s: String) throws -> [String]? {
        try parse(s).root.requiredLiterals?.alternatives.map { String(decoding: $0.bytes, as: UTF8.self) + ($0.caseless ? "/i" : "") }
    }

    @Test func examples() throws {
        #expect(try lits("mailbox full") == ["mailbox full"])
        #expect(try lits("(?i)mailbox full") == ["mailbox full/i"])
        #expect(try lits("(?i)user unknown|no such user") == ["no such user/i", "user unknown/i"])
        #expect(try lits("quota.*exceeded") == ["exceeded"])
        #expect(try lits("5\\.1\\.[01]") == ["5.1.0", "5.1.1"])
        #expect(try lits("^550\\b") == ["550"])
        #expect(try lits("a(?i)B") == ["ab/i"])
        #expect(try lits("(?:ab)+c") == ["ab"])
        #expect(try lits("x(?:abc){2,}") == ["abcabc"])
        #expect(try lits("colou?r") == ["colour", "color"])
        #expect(try lits("\\d+ blocked") == [" blocked"])
        #expect(try lits("[aA][bB]") == ["ab/i"])
        #expect(try lits(".*") == nil)
        #expect(try lits("a|.*") == nil)
        #expect(try lits("(?:abc)?") == nil)
        #expect(try lits("(a)\\1") == ["a"])
        #expect(try lits("(?=abc)") == nil)
        #expect(try lits("\\p{L}foo") == ["foo"])
        #expect(try lits("") == nil)
    }

    @Test func lengths() throws {
        #expect(try parse("ab?c{2,3}").root.minLength == 3)
        #expect(try parse("ab?c{2,3}").root.maxLength == 5)
        #expect(try parse("a*").root.maxLength == nil)
        #expect(try parse("a|bcd").root.minLength == 1)
        #expect(try parse("ab").root.literalBytes == bytes("ab"))
        #expect(try parse("(?i)ab").root.literalBytes == nil)
    }

    /// For random patterns every sample contains one of the literals: zero false negatives.
    @Test func noFalseNegativesOnRandomPatterns() {
        var rng = SplitMix64(seed: 0xA11CE)
        var checked = 0
        for _ in 0..<5000 {
            let src = randomPattern(&rng)
            guard let p = try? RegexParser.parse(src, options: RegexOptions(caseInsensitive: Bool.random(using: &rng))),
                  let lits = p.root.requiredLiterals else { continue }
            #expect(!lits.alternatives.isEmpty && lits.alternatives.allSatisfy { !$0.bytes.isEmpty })
            #expect(lits.alternatives.count <= LiteralAnalysis.maxAlternatives)
            for _ in 0..<4 {
                guard let s = p.root.sampleMatch(using: &rng) else { break }
                checked += 1
                #expect(lits.alternatives.contains { containsLiteral(s, $0) }, "\(String(decoding: src, as: UTF8.self))")
            }
        }
        #expect(checked > 500)
    }
}
