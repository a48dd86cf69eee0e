import BounceMatch
import Testing
import TestSupport

/// The minimizer, the slow-pattern probe and the vetter on cases whose answer is known.
@Suite struct FuzzToolsTests {
    @Test func ddminFindsTheTwoBytesThatMatter() {
        let input = Array("the quick brown fox jumps over the lazy dog".utf8)
        let small = Minimizer.minimize(input) { $0.contains(UInt8(ascii: "q")) && $0.contains(UInt8(ascii: "z")) }
        #expect(small == Array("qz".utf8))
    }

    @Test func treeShrinkingKeepsTheFailure() throws {
        let p = try RegexParser.parse(Array("(?:ab|c(d+)e)*x[0-9]{2,5}".utf8), options: RegexOptions())
        let small = Minimizer.minimize(tree: p.root) { t in
            var found = false
            t.forEachNode { if case .byte(UInt8(ascii: "d"), _) = $0 { found = true } }
            return found
        }
        #expect(small == .byte(UInt8(ascii: "d"), caseless: false))
    }

    /// A deliberately wrong backend (misses every match on a line that holds an `x`): the oracle reports it
    /// and the minimizer shrinks the case to one rule and a short reply that still shows it.
    @Test func minimizerShrinksADisagreement() throws {
        let broken = BackendDescriptor(name: "broken", summary: "naive, blind on lines with an x") { set, options in
            BlindMatcher(NaiveMatcher(ruleSet: set, options: options))
        }
        let backends = [NaiveMatcher.descriptor, broken]
        var rng = SplitMix64(seed: 3)
        let generator = RuleFuzzGenerator(pcreOnlyPercent: 0, maxRules: 8)
        var shrunk: FuzzCase?
        search: for _ in 0..<200 {
            let rules = generator.rules(using: &rng)
            guard rules.count >= 4, let oracle = DifferentialOracle(rules: rules, backends: backends) else { continue }
            for var reply in generator.replies(for: oracle.ruleSet, count: 20, using: &rng) {
                reply.line += Array(" and some x text after it".utf8)
                if let f = oracle.check(reply).first {
                    shrunk = FuzzCase(rules: rules, reply: reply, failure: f, backends: backends).minimized()
                    break search
                }
            }
        }
        let c = try #require(shrunk)
        #expect(c.rules.count == 1, "\(c.reproduction)")
        #expect(c.reply.line.contains(UInt8(ascii: "x")))
        #expect(c.reply.line.count <= 12, "\(c.reproduction)")
        #expect(DifferentialOracle.failure(rules: c.rules, reply: c.reply, like: c.failure, backends: backends) != nil)
    }

    @Test func probeFlagsNestedQuantifiersAndNotALinearPattern() throws {
        let slow = Rule(name: "slow", kind: .regex, pattern: Array("^(a+)+$".utf8), location: SourceLocation(file: "t", line: 1), format: "test")
        let fine = Rule(name: "fine", kind: .regex, pattern: Array("^a+b".utf8), location: SourceLocation(file: "t", line: 2), format: "test")
        let backends = Backends.all.filter { $0.name == "pcre2" || $0.name == "naive" }
        for (rule, expectSlow) in [(slow, true), (fine, false)] {
            let set = try RuleSet(rules: [rule])
            var rng = SplitMix64(seed: 1)
            let shapes = SlowPatternProbe.attacks(for: set.patterns[0]!.regex.root, using: &rng)
            #expect(!shapes.isEmpty)
            let matchers = SlowPatternProbe.matchers(for: rule, backends: backends, options: MatcherOptions())
            var flagged = false
            for shape in shapes {
                let ms = SlowPatternProbe.measure(rule: rule, shape: shape, base: 32, matchers: matchers, options: MatcherOptions())
                if ms.contains(where: SlowPatternProbe.isSlow) { flagged = true }
            }
            #expect(flagged == expectSlow, "\(rule.patternText)")
        }
    }

    static func rule(_ kind: PatternKind, _ p: String, _ label: String, line: Int, file: String = "old") -> Rule {
        Rule(name: "\(label)-\(line)", kind: kind, pattern: Array(p.utf8), label: label,
             location: SourceLocation(file: file, line: line), format: "test")
    }

    @Test func vetterFindsShadowedStealingAndDeadRules() throws {
        let rules = [
            Self.rule(.substring, "user unknown", "bad-mailbox", line: 1),
            Self.rule(.substring, "550 5.1.1 user unknown in table", "other", line: 2),   // exact shadow by 1
            Self.rule(.regex, "^[45]\\d{2} [45]\\.5\\.\\d+ ", "protocol", line: 3),
            Self.rule(.regex, "^[45]\\d{2} [45]\\.5\\.3 ", "too-many", line: 4),           // shadow by sampling
            Self.rule(.regex, "^550 5\\.7\\.1", "spam", line: 5, file: "new"),
            Self.rule(.regex, "^5\\d{2} 5\\.7\\.17 ", "invalid", line: 6),
            Self.rule(.regex, "a\\bb", "dead", line: 7, file: "new"),                       // can never match
        ]
        let set = try RuleSet(rules: rules)
        let corpus = [Reply(parsing: "550 5.7.17 recipient address not found"), Reply(parsing: "550 5.1.1 User unknown")]
        var options = RuleVetter.Options()
        options.timeLimit = 6
        options.backends = Backends.all.filter { $0.name != "hyperscan" }
        let report = RuleVetter(ruleSet: set, corpus: corpus, options: options).run()
        let byKind = Dictionary(grouping: report.findings, by: \.kind)
        let shadowed = Set((byKind[.shadowed] ?? []).map { [$0.rule!, $0.otherRule!] })
        #expect(shadowed.contains([1, 0]), "\(report.text(ruleSet: set))")
        #expect(shadowed.contains([3, 2]), "\(report.text(ruleSet: set))")
        #expect((byKind[.shadowed] ?? []).allSatisfy { $0.example != nil })
        let steals = (byKind[.steals] ?? []).map { [$0.rule!, $0.otherRule!] }
        #expect(steals.contains([4, 5]), "\(report.text(ruleSet: set))")
        #expect((byKind[.neverMatches] ?? []).contains { $0.rule == 6 }, "\(report.text(ruleSet: set))")
        #expect(byKind[.disagreement] == nil)
        #expect(report.hasBlocking)
        #expect(report.json(ruleSet: set).hasPrefix("{\"rulesVetted\":7"))
    }

    /// With `--new`, only the new rules are vetted and the corpus label changes are counted.
    @Test func vetterWithNewRulesCountsLabelChanges() throws {
        let rules = [
            Self.rule(.regex, "^550 5\\.7\\.1", "spam", line: 1, file: "new"),
            Self.rule(.regex, "^5\\d{2} 5\\.7\\.17 ", "invalid", line: 1),
            Self.rule(.substring, "mailbox full", "quota", line: 2),
        ]
        let set = try RuleSet(rules: rules)
        let corpus = ["550 5.7.17 no such user", "550 5.7.1 spam", "452 4.2.2 mailbox full"].map { Reply(parsing: $0) }
        var options = RuleVetter.Options()
        options.timeLimit = 3
        options.backends = [NaiveMatcher.descriptor]
        let report = RuleVetter(ruleSet: set, isNew: { $0.location.file == "new" }, corpus: corpus, options: options).run()
        #expect(report.rulesVetted == 1)
        #expect(report.labelChanges == 2)  // 5.7.17: invalid -> spam; 5.7.1: none -> spam
        #expect(report.findings.contains { $0.kind == .steals && $0.rule == 0 && $0.otherRule == 1 })
        #expect(!report.hasBlocking, "\(report.text(ruleSet: set))")
    }
}

/// Naive's answers, except that it reports no match on any line holding an `x` (a planted bug).
final class BlindMatcher: Matcher {
    let inner: NaiveMatcher
    init(_ inner: NaiveMatcher) { self.inner = inner }
    var backendName: String { "broken" }
    var ruleSet: RuleSet { inner.ruleSet }
    var ruleNotes: [RuleNote] { [] }
    func makeScratch() -> any MatchScratch { inner.makeScratch() }
    func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        reply.line.contains(UInt8(ascii: "x")) ? .noMatch : inner.firstMatch(reply, from: start, scratch: scratch)
    }
}
