import BounceMatch
import Testing
import TestSupport

/// Random rule sets (every kind, PCRE-only regexes, conditions, continue flags, both case modes) and
/// replies aimed at them: every backend agrees with naive on the first match and on the chain. A failure
/// records the seed and a minimized reproduction.
@Suite struct BackendAgreementPropertyTests {
    @Test(arguments: [UInt64(11), 12, 13, 14])
    func everyBackendAgreesWithNaive(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let generator = RuleFuzzGenerator(pcreOnlyPercent: 30, maxRules: 8)
        var sets = 0, replies = 0, reported = 0
        for round in 0..<150 {
            let rules = generator.rules(using: &rng)
            guard let oracle = DifferentialOracle(rules: rules) else { continue }
            sets += 1
            for f in oracle.compileFailures where reported < 3 {
                reported += 1
                let repro = FuzzCase(rules: rules, reply: Reply(), failure: f).minimized()
                Issue.record("seed \(seed) round \(round): \(f)\n\(repro.reproduction)")
            }
            for reply in generator.replies(for: oracle.ruleSet, count: 40, using: &rng) {
                replies += 1
                for f in oracle.check(reply) where reported < 3 {
                    reported += 1
                    let repro = FuzzCase(rules: rules, reply: reply, failure: f).minimized()
                    Issue.record("seed \(seed) round \(round): \(f)\nminimized:\n\(repro.reproduction)")
                }
            }
        }
        // The generator must make valid rule sets most of the time, or the property checks nothing.
        #expect(sets >= 125, "only \(sets) of 150 generated rule sets were valid")
        #expect(replies >= 5_000)
    }

    /// Replies sampled from each rule hit it often enough for the agreement above to mean something.
    @Test func samplesHitTheirRules() throws {
        var rng = SplitMix64(seed: 5)
        let generator = RuleFuzzGenerator(pcreOnlyPercent: 0, maxRules: 6)
        var matched = 0, total = 0
        for _ in 0..<40 {
            guard let set = try? RuleSet(rules: generator.rules(using: &rng)) else { continue }
            let naive = NaiveMatcher(ruleSet: set)
            let s = naive.makeScratch()
            for r in generator.replies(for: set, count: 20, using: &rng) {
                total += 1
                if naive.firstMatch(r, scratch: s).ruleIndex >= 0 { matched += 1 }
            }
        }
        #expect(total > 500)
        #expect(matched * 3 > total, "only \(matched) of \(total) generated replies match any rule")
    }
}
