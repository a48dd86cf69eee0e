import BounceMatch
import Testing

@Suite("Bench statistics, recommendation and baselines")
struct BenchFiguresTests {
    @Test("median of odd and even counts, min, max, spread")
    func statistics() throws {
        let odd = try #require(BenchStatistics([5, 1, 3, 9, 7]))
        #expect(odd.median == 5 && odd.min == 1 && odd.max == 9)
        #expect(odd.relativeSpread == 8.0 / 5.0)
        let even = try #require(BenchStatistics([4, 1, 3, 10]))
        #expect(even.median == 3.5 && even.min == 1 && even.max == 10)
        #expect(BenchStatistics([]) == nil)
        let one = try #require(BenchStatistics([2]))
        #expect(one.median == 2 && one.min == 2 && one.max == 2)
        #expect(one.scaled(by: 3).median == 6)
    }

    @Test("number formatting used in reports")
    func formatting() {
        #expect(BenchFormat.fixed(1.005, 1) == "1.0")
        #expect(BenchFormat.fixed(-2.5, 0) == "-3" || BenchFormat.fixed(-2.5, 0) == "-2")
        #expect(BenchFormat.number(1_234_567) == "1.23M")
        #expect(BenchFormat.number(43_210) == "43.2k")
        #expect(BenchFormat.duration(0.12) == "120 ms")
        #expect(BenchFormat.duration(0.0123) == "12.3 ms")
        #expect(BenchFormat.bytes(2048) == "2.0 KiB")
        #expect(BenchFormat.ratio(4.12) == "4.1×")
        #expect(BenchFormat.grouped(10_000) == "10,000" && BenchFormat.grouped(100) == "100" && BenchFormat.grouped(-1234) == "-1,234")
    }

    static func figure(
        _ name: String, rate: Double?, compile: Double = 0.01, verdict: BackendVerdict = .agrees, undecided: Int = 0, hybrid: Int = 0
    ) -> BackendFigures {
        BackendFigures(
            backend: name, verdict: verdict, compileSeconds: rate == nil ? nil : compile,
            repliesPerSecond: rate.flatMap { BenchStatistics([$0 * 0.95, $0, $0 * 1.05]) }, undecidedReplies: undecided, hybridRules: hybrid)
    }

    @Test("the fastest correct backend is recommended with its ratio over the next and its compile time")
    func recommendFastest() throws {
        let r = try #require(Recommendation.choose([
            Self.figure("pcre2-prefiltered", rate: 100_000, compile: 0.05),
            Self.figure("hyperscan", rate: 410_000, compile: 0.12, hybrid: 2),
            Self.figure("naive", rate: 5_000),
        ]))
        #expect(r.backend == "hyperscan")
        #expect(r.runnerUp == "pcre2-prefiltered")
        #expect(r.reason.hasPrefix("4.1× pcre2-prefiltered on this set; compile 120 ms"))
        #expect(r.reason.contains("2 rules run hybrid"))
    }

    @Test("a slow compile is weighed against the replies per compile")
    func compileWeighed() throws {
        let figures = [
            Self.figure("hyperscan", rate: 2_000_000, compile: 30),
            Self.figure("aho-corasick", rate: 1_000_000, compile: 0.02),
        ]
        // 1M replies: hyperscan costs 30.5 s, aho-corasick 1.02 s.
        let short = try #require(Recommendation.choose(figures, repliesPerCompile: 1_000_000))
        #expect(short.backend == "aho-corasick")
        #expect(short.reason.contains("hyperscan matches 2.0× faster but its compile (30.00 s) is not paid back"))
        // 1G replies: hyperscan 530 s, aho-corasick 1000 s.
        let long = try #require(Recommendation.choose(figures, repliesPerCompile: 1_000_000_000))
        #expect(long.backend == "hyperscan")
    }

    @Test("a win within 5% is called a tie, and a cheaper compile decides it")
    func ties() throws {
        let r = try #require(Recommendation.choose([
            Self.figure("hyperscan", rate: 1_000_000, compile: 0.234),
            Self.figure("aho-corasick", rate: 980_000, compile: 0.009),
        ], repliesPerCompile: 100_000))
        #expect(r.backend == "aho-corasick")
        #expect(r.reason.hasPrefix("ties with hyperscan"))
        #expect(r.reason.contains("hyperscan is within 5% at matching and compiles in 234 ms"))
        #expect(!r.reason.contains("not paid back"))
    }

    @Test("backends that disagree, or left replies undecided while others did not, are not recommended")
    func correctnessFirst() throws {
        let r = try #require(Recommendation.choose([
            Self.figure("wrong", rate: nil, verdict: .disagrees(replies: 3, example: "")),
            Self.figure("fast-undecided", rate: 900_000, undecided: 4),
            Self.figure("steady", rate: 300_000),
        ]))
        #expect(r.backend == "steady")
        #expect(r.reason.contains("passed over fast-undecided"))
        let allUndecided = try #require(Recommendation.choose([Self.figure("a", rate: 10, undecided: 1), Self.figure("b", rate: 20, undecided: 2)]))
        #expect(allUndecided.backend == "b")
        #expect(allUndecided.reason.contains("every backend left some replies undecided"))
        #expect(Recommendation.choose([Self.figure("x", rate: nil, verdict: .cannotCompile(reason: "no"))]) == nil)
        #expect(Recommendation.choose([]) == nil)
    }

    @Test("baseline round-trips through TSV and compares within the tolerance")
    func baselineCompare() throws {
        let saved = BenchBaseline(entries: [
            .init(input: "set", backend: "a", repliesPerSecond: 1000, compileSeconds: 0.1),
            .init(input: "set", backend: "b", repliesPerSecond: 1000, compileSeconds: nil),
            .init(input: "set", backend: "c", repliesPerSecond: 1000, compileSeconds: nil),
            .init(input: "set", backend: "gone", repliesPerSecond: 1000, compileSeconds: nil),
            .init(input: "other-set", backend: "a", repliesPerSecond: 1000, compileSeconds: nil),
        ])
        let reread = try BenchBaseline(tsv: saved.tsv())
        #expect(reread == saved)
        let now = BenchBaseline(entries: [
            .init(input: "set", backend: "a", repliesPerSecond: 950, compileSeconds: 0.1),  // -5%: ok
            .init(input: "set", backend: "b", repliesPerSecond: 850, compileSeconds: nil),  // -15%: slower
            .init(input: "set", backend: "c", repliesPerSecond: 1200, compileSeconds: nil),  // +20%: faster
            .init(input: "set", backend: "d", repliesPerSecond: 10, compileSeconds: nil),  // new
        ])
        let c = saved.compare(with: now, tolerance: 0.10)
        func status(_ b: String) -> BenchBaseline.Comparison.Status? { c.first { $0.backend == b && $0.input == "set" }?.status }
        #expect(status("a") == .ok)
        #expect(status("b") == .slower)
        #expect(status("c") == .faster)
        #expect(status("d") == .new)
        #expect(status("gone") == .missing)
        #expect(!c.contains { $0.input == "other-set" }, "an input not run now is not a regression")
        #expect(BenchBaseline.hasRegression(c))
        #expect(!BenchBaseline.hasRegression(saved.compare(with: now, tolerance: 0.5).filter { $0.backend != "gone" }))
        #expect(BenchBaseline.table(c, tolerance: 0.1).contains("SLOWER (> 10%)"))
    }

    @Test("a malformed baseline names the line")
    func baselineErrors() {
        #expect(throws: BenchBaselineError(line: 3, reason: "expected 4 TAB-separated fields: input, backend, replies/s > 0, compile seconds or -")) {
            try BenchBaseline(tsv: "# header\nset\ta\t10\t-\nset\tb\tfast\t-\n")
        }
    }
}
