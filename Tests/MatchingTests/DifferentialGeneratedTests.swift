import BounceMatch
import Testing
import TestSupport

/// Every backend against `naive` on the project's generated corpora: several seeds, 10 to 1,000 rules,
/// substring-only and mixed (with a share of PCRE-only rules that Hyperscan must run hybrid), both case modes.
@Suite("Differential: generated corpora")
struct DifferentialGeneratedTests {
    struct Case: Sendable, CustomStringConvertible {
        var rules: Int
        var mix: CorpusGenerator.RuleMix
        var pcreOnly: Double
        var seed: UInt64
        var replies: Int
        var description: String { "\(rules) \(mix.rawValue) rules (pcre-only \(pcreOnly)), seed \(seed), \(replies) replies" }
    }

    static let cases: [Case] = [
        Case(rules: 10, mix: .substring, pcreOnly: 0, seed: 1, replies: 2_000),
        Case(rules: 10, mix: .mixed, pcreOnly: 0, seed: 2, replies: 2_000),
        Case(rules: 100, mix: .substring, pcreOnly: 0, seed: 3, replies: 2_000),
        Case(rules: 100, mix: .mixed, pcreOnly: 0.1, seed: 4, replies: 2_000),
        Case(rules: 300, mix: .mixed, pcreOnly: 0.05, seed: 5, replies: 1_500),
        Case(rules: 1_000, mix: .substring, pcreOnly: 0, seed: 6, replies: 1_000),
        Case(rules: 1_000, mix: .mixed, pcreOnly: 0.02, seed: 7, replies: 600),
    ]

    static func ruleSet(_ c: Case, caseSensitive: Bool) throws -> RuleSet {
        var rules = CorpusGenerator.makeRules(CorpusGenerator.rules(count: c.rules, mix: c.mix, pcreOnlyFraction: c.pcreOnly, seed: c.seed))
        for i in rules.indices { rules[i].caseInsensitive = !caseSensitive }
        return try RuleSet(rules: rules)
    }

    @Test("every backend agrees with naive", arguments: cases, [false, true])
    func agree(_ c: Case, caseSensitive: Bool) throws {
        let ruleSet = try Self.ruleSet(c, caseSensitive: caseSensitive)
        let replies = CorpusGenerator.replies(count: c.replies, seed: c.seed &* 31).map { Reply(parsing: $0.bytes) }
        let problems = Differential.disagreements(ruleSet, replies: replies, label: "\(c) caseSensitive=\(caseSensitive)")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // The corpus must exercise the rules, or agreement would prove little.
        let naive = try NaiveMatcher(ruleSet: ruleSet)
        let scratch = naive.makeScratch()
        let matched = replies.filter { naive.firstMatch($0, scratch: scratch).ruleIndex >= 0 }.count
        #expect(matched >= 50 || c.rules <= 10, "only \(matched) of \(replies.count) replies match")
    }

    @Test("PCRE-only rules are run hybrid by hyperscan and still agree")
    func hybridRulesPresent() throws {
        let ruleSet = try Self.ruleSet(Self.cases[3], caseSensitive: false)
        let pcreOnly = ruleSet.patterns.filter { $0.map { !$0.regex.isPortable } ?? false }.count
        #expect(pcreOnly > 0)
        let hs = try #require(Backends.named("hyperscan")).make(ruleSet, MatcherOptions())
        #expect(hs.ruleNotes.filter { $0.kind == .hybrid }.count >= pcreOnly)
    }
}
