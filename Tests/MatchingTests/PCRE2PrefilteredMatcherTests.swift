import BounceMatch
import PCRE2Matcher
import TestSupport
import Testing

/// The `pcre2-prefiltered` backend: required literals decide which rules PCRE2 tries.
@Suite("pcre2-prefiltered backend")
struct PCRE2PrefilteredMatcherTests {
    typealias F = BackendFixtures

    /// A text-target rule's literal counts only inside the text, not in the code before it.
    @Test func textTargetLiteralMustLieInText() throws {
        let rules = [
            F.rule(.substring, "550", target: .text),
            F.rule(.regex, "5\\.1\\.1", target: .text),
            F.rule(.regex, "user (?:unknown|not found)", target: .text),
            F.rule(.substring, "5.1.1"),
        ]
        let m = try PCRE2PrefilteredMatcher(ruleSet: RuleSet(rules: rules))
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 5.1.1 user"), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply("550 5.1.1 see 5.1.1"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("550 5.1.1 code 550"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("550 5.1.1 User Not Found"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("550 5.1.1 User Not Found"), from: 3, scratch: s) == MatchResult(ruleIndex: 3))
    }

    /// Rules without required literals (`\d{3}`, no pattern) are always tried, in their place.
    @Test func rulesWithoutLiteralsAreAlwaysTried() throws {
        let rules = [
            F.rule(.substring, "quota"),
            F.rule(.regex, #"^\d{3}\s"#),
            F.rule(.regex, "[a-z]+@[a-z]+"),
            F.rule(nil, []),
        ]
        let m = try PCRE2PrefilteredMatcher(ruleSet: RuleSet(rules: rules))
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("452 over quota"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("452 over"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("bob@example"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("???"), scratch: s) == MatchResult(ruleIndex: 3))
    }

    /// Many rules sharing literals, caseless and not, across more than one 64-rule bitset word.
    @Test func manyRulesAcrossBitsetWords() throws {
        var rules: [Rule] = []
        for i in 0..<200 {
            rules.append(F.rule(.substring, "tag\(i)x", caseInsensitive: i % 2 == 0))
        }
        rules.append(F.rule(.regex, "(?i)TAG1[0-9]{2}X"))
        let m = try PCRE2PrefilteredMatcher(ruleSet: RuleSet(rules: rules))
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 TAG130X"), scratch: s) == MatchResult(ruleIndex: 130))
        #expect(m.firstMatch(F.reply("550 TAG131X"), scratch: s) == MatchResult(ruleIndex: 200))
        #expect(m.firstMatch(F.reply("550 tag131x tag199x"), scratch: s) == MatchResult(ruleIndex: 131))
        #expect(m.firstMatch(F.reply("550 tag131x tag199x"), from: 132, scratch: s) == MatchResult(ruleIndex: 199))
        #expect(m.firstMatch(F.reply("550 tag131x"), from: 132, scratch: s) == MatchResult(ruleIndex: 200))
        #expect(m.firstMatch(F.reply("550 tag1x"), from: 2, scratch: s) == .noMatch)
    }
}
