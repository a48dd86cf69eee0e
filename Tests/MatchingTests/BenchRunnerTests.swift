import BounceMatch
import Testing
import TestSupport

/// A small correct matcher for the runner's tests: substring rules only, ASCII case-insensitive, no
/// conditions. The tests must not depend on the real backends, which are measured, not tested, here.
final class ScanMatcher: Matcher, @unchecked Sendable {
    final class Scratch: MatchScratch {}
    let backendName: String
    let ruleSet: RuleSet
    let ruleNotes: [RuleNote] = []
    let literals: [[UInt8]]
    /// When set, answers wrongly (one rule too far) on every reply whose line has this many bytes or more.
    let wrongFromLength: Int?

    init(name: String, ruleSet: RuleSet, wrongFromLength: Int? = nil) {
        backendName = name
        self.ruleSet = ruleSet
        literals = ruleSet.patterns.map { ($0?.literal ?? []).map(asciiLowercase) }
        self.wrongFromLength = wrongFromLength
    }

    func makeScratch() -> any MatchScratch { Scratch() }

    func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        for i in start..<literals.count where Self.contains(reply.line, literals[i]) {
            if let w = wrongFromLength, reply.line.count >= w { return MatchResult(ruleIndex: i + 1 < literals.count ? i + 1 : -1) }
            return MatchResult(ruleIndex: i)
        }
        return .noMatch
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard hay.count >= needle.count else { return false }
        for s in 0...(hay.count - needle.count) {
            var k = 0
            while k < needle.count && asciiLowercase(hay[s + k]) == needle[k] { k += 1 }
            if k == needle.count { return true }
        }
        return false
    }

    static func descriptor(_ name: String, wrongFromLength: Int? = nil) -> BackendDescriptor {
        BackendDescriptor(name: name, summary: "test scan") { rules, _ in
            ScanMatcher(name: name, ruleSet: rules, wrongFromLength: wrongFromLength)
        }
    }
}

enum BenchFixtures {
    static let words = ["mailbox", "unknown", "quota", "blocked", "spam", "relay", "denied", "timeout", "user", "full"]

    static func ruleSet() throws -> RuleSet {
        let rules = words.enumerated().map { i, w in
            Rule(name: "r\(i)", kind: .substring, pattern: Array(w.utf8), location: SourceLocation(file: "bench-test", line: i + 1), format: "test")
        }
        return try RuleSet(rules: rules)
    }

    /// Seeded replies: some match a rule, some none; lengths vary so the wrong matcher errs on a subset.
    static func replies(count: Int, seed: UInt64) -> [Reply] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var text = "550 5.1.1 "
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                text += (Bool.random(using: &rng) ? words.randomElement(using: &rng)!.uppercased() : "xyzzy") + " "
            }
            return Reply(line: Array(text.utf8), textStart: 10, code: 550)
        }
    }

    static func fastConfiguration(_ backends: [BackendDescriptor], threads: [Int] = []) -> BenchConfiguration {
        BenchConfiguration(
            backends: backends, reference: ScanMatcher.descriptor("reference"), repeats: 3, warmupSeconds: 0.001,
            minSampleSeconds: 0.001, threads: threads)
    }
}

@Suite("Bench runner")
struct BenchRunnerTests {
    @Test("a backend that disagrees with the reference gets no speed figure; one that agrees does")
    func disagreeingBackendHasNoFigure() throws {
        let rules = try BenchFixtures.ruleSet()
        let replies = BenchFixtures.replies(count: 300, seed: 7)
        let wrong = ScanMatcher.descriptor("wrong", wrongFromLength: 40)
        let right = ScanMatcher.descriptor("right")
        let report = BenchRunner(BenchFixtures.fastConfiguration([wrong, right])).run(BenchInput(name: "t", ruleSet: rules, replies: replies))
        let w = try #require(report.backends.first { $0.backend == "wrong" })
        let r = try #require(report.backends.first { $0.backend == "right" })
        guard case let .disagrees(n, example) = w.verdict else {
            Issue.record("expected a disagreement, got \(w.verdict)")
            return
        }
        #expect(n > 0 && n < replies.count)
        #expect(example.contains("wrong="))
        #expect(w.repliesPerSecond == nil && w.megabytesPerSecond == nil && w.ratioToFastest == nil && w.compileSeconds == nil)
        #expect(r.verdict == .agrees)
        #expect(r.repliesPerSecond?.samples.count == 3)
        #expect(r.ratioToFastest == 1)
        #expect(report.recommendation?.backend == "right")
        #expect(report.text().contains("no speed figure"))
    }

    @Test("a backend that cannot compile the rule set is reported and gets no figure")
    func failingCompile() throws {
        let rules = try BenchFixtures.ruleSet()
        let failing = BackendDescriptor(name: "failing", summary: "always fails") { _, _ throws(MatcherError) in
            throw MatcherError(backend: "failing", ruleIndex: 3, reason: "too complex")
        }
        let report = BenchRunner(BenchFixtures.fastConfiguration([failing])).run(
            BenchInput(name: "t", ruleSet: rules, replies: BenchFixtures.replies(count: 20, seed: 1)))
        #expect(report.backends.count == 1)
        #expect(report.backends[0].verdict == .cannotCompile(reason: "failing: rule 3: too complex"))
        #expect(report.backends[0].repliesPerSecond == nil)
        #expect(report.recommendation == nil)
    }

    @Test("thread scaling measures 1 thread first and every count asked for, with its own figures")
    func threadScaling() throws {
        let rules = try BenchFixtures.ruleSet()
        let report = BenchRunner(BenchFixtures.fastConfiguration([ScanMatcher.descriptor("right")], threads: [2])).run(
            BenchInput(name: "t", ruleSet: rules, replies: BenchFixtures.replies(count: 200, seed: 3)))
        let s = report.backends[0].scaling
        #expect(s.map(\.threads) == [1, 2])
        #expect(s[0].speedup == 1)
        #expect(s[1].speedup > 0)
    }
}
