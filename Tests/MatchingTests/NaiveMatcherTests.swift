import BounceMatch
import Testing

/// Rule-order semantics of `NaiveMatcher` (SPEC §4), with rule sets built directly.
@Suite struct NaiveMatcherTests {
    func rule(
        _ kind: PatternKind?, _ pattern: String, target: MatchTarget? = nil, caseInsensitive: Bool = true,
        conditions: RuleConditions = RuleConditions(), continues: Bool = false
    ) -> Rule {
        Rule(
            name: pattern, kind: kind, pattern: Array(pattern.utf8), target: target, caseInsensitive: caseInsensitive,
            conditions: conditions, continues: continues, location: SourceLocation(file: "test", line: 1), format: "test"
        )
    }

    func reply(_ line: String, textStart: Int = 0, code: UInt16? = nil) -> Reply {
        Reply(line: Array(line.utf8), textStart: textStart, code: code)
    }

    func matcher(_ rules: [Rule], budget: Int = 1_000_000) throws -> NaiveMatcher {
        NaiveMatcher(ruleSet: try RuleSet(rules: rules), options: MatcherOptions(stepBudget: budget))
    }

    @Test func firstMatchIsLowestIndex() throws {
        let m = try matcher([rule(.substring, "foo"), rule(.substring, "BAR"), rule(.substring, "o")])
        let s = m.makeScratch()
        #expect(m.firstMatch(reply("550 bar foo"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(reply("550 bar"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply("550 o"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(reply("550 x"), scratch: s) == .noMatch)
        #expect(m.firstMatch(reply("550 bar foo"), from: 1, scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply("550 bar foo"), from: 3, scratch: s) == .noMatch)
        #expect(m.backendName == "naive")
        #expect(m.ruleNotes.isEmpty)
    }

    @Test func caseSensitivityPerRule() throws {
        let m = try matcher([rule(.substring, "Foo", caseInsensitive: false), rule(.substring, "FOO")])
        #expect(m.firstMatch(reply("550 foo"), scratch: m.makeScratch()) == MatchResult(ruleIndex: 1))
    }

    @Test func conditionsSkipRules() throws {
        let fourXX = RuleConditions(codes: [CodePattern(digits: (4, nil, nil))])
        let m = try matcher([
            rule(.substring, "full", conditions: fourXX),
            rule(.substring, "full"),
        ])
        let s = m.makeScratch()
        #expect(m.firstMatch(reply("452 mailbox full", code: 452), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(reply("552 mailbox full", code: 552), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply("mailbox full"), scratch: s) == MatchResult(ruleIndex: 1))
    }

    @Test func ruleWithoutPatternMatchesWhenConditionsHold() throws {
        let transport = RuleConditions(transportOnly: true)
        let m = try matcher([rule(.substring, "zzz"), rule(nil, "", conditions: transport), rule(nil, "")])
        let s = m.makeScratch()
        var r = reply("connection refused")
        r.isTransportEvent = true
        #expect(m.firstMatch(r, scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply("550 nope", code: 550), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.span(ofRule: 2, in: reply("550 nope"), scratch: s) == 0..<8)
    }

    @Test func targetsAndKinds() throws {
        let line = "550 5.1.1 user unknown"
        let m = try matcher([
            rule(.exact, "550 5.1.1 user unknown"),  // exact defaults to the text: no match
            rule(.exact, "user unknown", target: .line),
            rule(.exact, "USER UNKNOWN"),
            rule(.wildcard, "5?0 *unknown", target: .line),
        ])
        let s = m.makeScratch()
        let r = reply(line, textStart: 10)
        #expect(m.firstMatch(r, scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(r, from: 3, scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.span(ofRule: 2, in: r, scratch: s) == 10..<22)
        #expect(m.span(ofRule: 0, in: r, scratch: s) == nil)
        #expect(m.search(rule: 3, in: r, scratch: s) == .match(0..<22))
    }

    @Test func substringSpanIsLeftmost() throws {
        let m = try matcher([rule(.substring, "ab")])
        #expect(m.span(ofRule: 0, in: reply("xxabab"), scratch: m.makeScratch()) == 2..<4)
    }

    @Test func chainFollowsContinueFlags() throws {
        let m = try matcher([
            rule(.substring, "quota", continues: true),
            rule(.substring, "zzz"),
            rule(.substring, "full", continues: true),
            rule(.substring, "mailbox"),
            rule(.substring, "mailbox full"),
        ])
        var chain: [Int] = []
        let s = m.makeScratch()
        let first = m.chain(reply("552 mailbox full, quota exceeded"), scratch: s, into: &chain)
        #expect(first == MatchResult(ruleIndex: 0))
        #expect(chain == [0, 2, 3])
        m.chain(reply("552 mailbox full"), scratch: s, into: &chain)
        #expect(chain == [2, 3])
    }

    @Test func undecidedRulesAreReportedAndSearchGoesOn() throws {
        // A wildcard runs the backtracking VM; a budget of 5 steps cannot decide it on a long reply.
        let long = "550 " + String(repeating: "x", count: 200) + " mailbox unavailable"
        let m = try matcher([
            rule(.wildcard, "*mailbox*nothing*"),
            rule(.wildcard, "*mailbox*again*"),
            rule(.substring, "mailbox"),
        ], budget: 5)
        let s = m.makeScratch()
        #expect(m.firstMatch(reply(long), scratch: s) == MatchResult(ruleIndex: 2, undecided: 0))
        #expect(m.firstMatch(reply(long), from: 1, scratch: s) == MatchResult(ruleIndex: 2, undecided: 1))
        // Without any 'm' the search-equivalent form (`mailbox.*nothing`) rejects every start at once.
        #expect(m.firstMatch(reply("550 other"), scratch: s) == MatchResult(ruleIndex: -1))
        let generous = try matcher([rule(.wildcard, "*mailbox*nothing*"), rule(.substring, "mailbox")])
        #expect(generous.firstMatch(reply(long), scratch: generous.makeScratch()) == MatchResult(ruleIndex: 1))
    }

    @Test func regexRulesSeeOnlyTheirTarget() throws {
        let m = try matcher([
            rule(.regex, "(?<=550 )user", target: .text),
            rule(.regex, "^user", target: .line),
            rule(.regex, "^user", target: .text),
            rule(.regex, "(?<=550 )user"),
        ])
        let s = m.makeScratch()
        let r = reply("550 user unknown", textStart: 4)
        #expect(m.firstMatch(r, scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(r, from: 3, scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.span(ofRule: 2, in: r, scratch: s) == 4..<8)
        #expect(m.span(ofRule: 3, in: r, scratch: s) == 4..<8)
    }

    @Test func pcreOnlyRegexRules() throws {
        let m = try matcher([
            rule(.regex, "^(?!.*KumoMTA internal).*RL000010"),
            rule(.regex, "^(\\d)\\1\\1"),
            rule(.regex, "(?>a+)b"),
        ])
        let s = m.makeScratch()
        #expect(m.firstMatch(reply("550 RL000010 blocked"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(reply("555 KumoMTA internal RL000010"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply("550 KumoMTA internal RL000010"), scratch: s) == .noMatch)
        #expect(m.firstMatch(reply("451 aab"), scratch: s) == MatchResult(ruleIndex: 2))
    }

    @Test func unmodelledConstructsAreUndecidable() throws {
        let m = try matcher([rule(.substring, "zzz"), rule(.regex, "\\p{Lu}ser"), rule(.substring, "user")])
        #expect(m.ruleNotes.map(\.ruleIndex) == [1])
        #expect(m.ruleNotes.first?.kind == .undecidable)
        #expect(m.firstMatch(reply("550 User unknown"), scratch: m.makeScratch()) == MatchResult(ruleIndex: 2, undecided: 1))
    }

    @Test func descriptorBuildsTheBackend() throws {
        #expect(NaiveMatcher.descriptor.name == "naive")
        let rs = try RuleSet(rules: [rule(.substring, "x")])
        let m = try NaiveMatcher.descriptor.make(rs, MatcherOptions())
        #expect(m.backendName == "naive")
        #expect(m.firstMatch(reply("x"), scratch: m.makeScratch()) == MatchResult(ruleIndex: 0))
    }
}
