import Testing
import TestSupport
@testable import RegexSyntax

@Suite struct RegexPrinterTests {
    func printed(_ s: String, _ d: RegexDialect = .pcre2, _ o: RegexOptions = RegexOptions()) throws -> String {
        String(decoding: try parse(s, o).printed(for: d), as: UTF8.self)
    }

    @Test func explicitForms() throws {
        #expect(try printed("abc") == "abc")
        #expect(try printed("(?i)ab1") == "(?i:ab1)")
        #expect(try printed("a b.") == "a\\x20b[^\\x0a]")
        #expect(try printed("(?s).") == "[\\x00-\\xff]")
        #expect(try printed("^a$") == "\\Aa\\Z")
        #expect(try printed("(?m)^a$") == "(?m:^)a(?m:$)")
        #expect(try printed("a\\z") == "a\\z")
        #expect(try printed("[a-c]+?") == "[a-c]+?")
        #expect(try printed("(?i)[a-c]") == "[A-Ca-c]")
        #expect(try printed("x(?:a|b)*") == "x(?:a|b)*")
        #expect(try printed("xa|b") == "xa|b")
        #expect(try printed("(?i)a*") == "(?i:a)*")
        #expect(try printed("(a)\\1") == "(a)\\g{1}")
        #expect(try printed("a{2,5}b{3}c{1,}") == "a{2,5}b{3}c+")
        #expect(try printed("\\p{L}") == "(?:\\p{L})")
        #expect(try printed("(?|(a)|(b))") == "(?|(a)|(b))")
        #expect(try printed("(?|(a)|(b))", .hyperscan) == "(?:(a)|(b))")
        #expect(try printed("a", .pcre2, RegexOptions(caseInsensitive: true)) == "(?i:a)")
        #expect(try printed("\\x00\\xff") == "\\x00\\xff")
    }

    /// Printing then parsing (with no flags) gives the same AST, up to grouping.
    @Test func roundTripRandom() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var checked = 0
        for _ in 0..<4000 {
            let src = randomPattern(&rng)
            let options = RegexOptions(caseInsensitive: Bool.random(using: &rng), dotAll: Bool.random(using: &rng),
                                       multiline: Bool.random(using: &rng))
            guard let p = try? RegexParser.parse(src, options: options) else { continue }
            for dialect in RegexDialect.allCases {
                let text = p.printed(for: dialect)
                let again: RegexPattern
                do {
                    again = try RegexParser.parse(text, options: RegexOptions())
                } catch {
                    Issue.record("printed form of \(src) does not parse: \(String(decoding: text, as: UTF8.self)): \(error)")
                    continue
                }
                if dialect == .pcre2 || !Self.hasBranchReset(p.root) {
                    #expect(normalized(again.root) == normalized(p.root), "\(String(decoding: src, as: UTF8.self))")
                    #expect(again.captureCount == p.captureCount)
                }
                // Printing never makes a portable pattern PCRE-only.
                if p.isPortable { #expect(again.isPortable, "\(String(decoding: src, as: UTF8.self))") }
            }
            checked += 1
        }
        #expect(checked > 300)
    }

    @Test func roundTripCorpus() throws {
        guard SharedCorpora.root != nil else { SharedCorpora.announceMissing("RegexPrinterTests.roundTripCorpus"); return }
        for pattern in corpusRegexes() {
            let p = try RegexParser.parse(pattern.bytes, options: RegexOptions())
            let again = try RegexParser.parse(p.printed(for: .pcre2), options: RegexOptions())
            #expect(normalized(again.root) == normalized(p.root), "\(pattern.file):\(pattern.line)")
        }
    }

    static func hasBranchReset(_ n: RegexNode) -> Bool {
        var found = false
        n.forEachNode { if case .group(.alternation(let bs), nil) = $0, RegexPrinter.needsBranchReset(bs) { found = true } }
        return found
    }

}
