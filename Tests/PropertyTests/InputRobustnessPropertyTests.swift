#if canImport(Glibc)
import Glibc
#endif
import BounceMatch
import Testing
import TestSupport

/// Every importer and the reply parser on random and mutated input: a result or an error, never a crash
/// or a hang, through the same checks as the libFuzzer targets (`FuzzTargets`).
@Suite struct InputRobustnessPropertyTests {
    static let fixtures: [String] = {
        let dir = SharedCorpora.packageRoot + "/Tests/Fixtures/formats"
        let names = ["altcraft.json", "cognos-smtprules.xml", "kumomta-bounces.toml", "kumomta-shaping.toml",
                     "mailerq.json", "powermta-block.conf", "powermta-tags.conf"]
        return names.map { dir + "/" + $0 } + [SharedCorpora.packageRoot + "/corpora/rules-demo.tsv"]
    }()

    static let interesting: [UInt8] = Array("\"'/\\#{}[]<>=,.:-\n\r\t *?x0|()^$".utf8) + [0x00, 0xFF, 0xC3, 0x80, 0x7F]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + rng.below(6)) {
            guard !b.isEmpty else { b.append(rng.pick(interesting)); continue }
            let at = rng.below(b.count)
            switch rng.below(5) {
            case 0: b[at] = rng.pick(interesting)
            case 1: b.remove(at: at)
            case 2: b.insert(rng.pick(interesting), at: at)
            case 3: b.removeSubrange(at..<min(b.count, at + 1 + rng.below(40)))
            default:
                let from = rng.below(b.count)
                b.insert(contentsOf: b[from..<min(b.count, from + 1 + rng.below(30))], at: at)
            }
        }
        return b
    }

    /// Runs a target, failing on a broken property or on an input that takes more than 2 s.
    static func check(_ target: String, _ input: [UInt8], seed: UInt64) {
        let run = FuzzTargets.named(target)!
        var t0 = timespec(), t1 = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t0)
        let problem = run(input)
        clock_gettime(CLOCK_MONOTONIC, &t1)
        let seconds = Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9
        if let problem {
            let small = Minimizer.minimize(input, budget: 500) { run($0) != nil }
            Issue.record("seed \(seed) \(target): \(problem)\nminimized input: \(FuzzText.escaped(small))")
        }
        #expect(seconds < 2, "seed \(seed) \(target): \(seconds) s on \(FuzzText.escaped(input.prefix(200)))")
    }

    @Test(arguments: 0..<RuleFormats.all.count)
    func everyFormatOnMutatedFixtures(formatIndex: Int) {
        let seed = UInt64(40 + formatIndex)
        var rng = SplitMix64(seed: seed)
        let seeds = Self.fixtures.compactMap { SharedCorpora.readFile($0) }
        #expect(seeds.count == Self.fixtures.count, "a fixture is missing")
        for _ in 0..<120 {
            let body = rng.chance(20)
                ? (0..<rng.below(300)).map { _ in rng.chance(50) ? rng.pick(Self.interesting) : UInt8(truncatingIfNeeded: rng.next()) }
                : Self.mutate(rng.pick(seeds), using: &rng)
            Self.check("rule-formats", [UInt8(formatIndex)] + body, seed: seed)
        }
        // Hostile shapes: deep nesting and a 1 MB line.
        for hostile in [[UInt8](repeating: 0x5B, count: 100_000), [UInt8](repeating: 0x7B, count: 100_000),
                        [UInt8](repeating: 0x3C, count: 1) + [UInt8](repeating: 0x61, count: 1 << 20)] {
            Self.check("rule-formats", [UInt8(formatIndex)] + hostile, seed: seed)
        }
    }

    @Test func replyParserOnRandomAndMutatedReplies() {
        var rng = SplitMix64(seed: 50)
        let corpus = (SharedCorpora.readFile(SharedCorpora.packageRoot + "/corpora/replies-demo.txt") ?? [])
            .split(separator: 0x0A).map(Array.init)
        #expect(!corpus.isEmpty)
        for _ in 0..<3_000 {
            let input = rng.chance(30) ? ReplyMutator.randomBytes(using: &rng) : Self.mutate(rng.pick(corpus), using: &rng)
            Self.check("reply-parser", ReplyMutator.dress(input, using: &rng), seed: 50)
        }
        Self.check("reply-parser", [UInt8](repeating: 0x35, count: 1 << 20), seed: 50)
        Self.check("reply-parser", Array(String(repeating: "550-5.1.1 x\r\n", count: 50_000).utf8), seed: 50)
    }

    @Test func regexParserRoundTripsOnRandomPatterns() {
        var rng = SplitMix64(seed: 60)
        for _ in 0..<3_000 {
            let pattern = RegexFuzzGenerator.patternText(using: &rng)
            Self.check("regex-parser", [UInt8(truncatingIfNeeded: rng.next() & 15)] + pattern, seed: 60)
        }
        for _ in 0..<500 {
            var g = RegexFuzzGenerator(pcreOnly: rng.chance(50))
            Self.check("regex-parser", [0] + g.tree(depth: 3, using: &rng).printed(for: .pcre2), seed: 60)
        }
    }

    /// libFuzzer-style byte streams through the differential target.
    @Test func differentialTargetOnRandomStreams() {
        var rng = SplitMix64(seed: 70)
        for _ in 0..<300 {
            Self.check("differential", (0..<rng.below(400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, seed: 70)
        }
    }
}
