import BounceMatch
import Testing
import TestSupport

/// The regex layer against PCRE2 itself: the project's parser accepts what PCRE2 accepts, and the naive
/// engine finds PCRE2's first match span. `\R` is excluded from every generated pattern (PCRE2 10.42
/// auto-possessification bug) and PCRE2 runs with `PCRE2_NO_AUTO_POSSESS` as well.
@Suite struct RegexLayerPropertyTests {
    /// Constructs the project rejects on purpose although PCRE2 takes them (SPEC §3: bytes only, no UTF).
    static func knownDifference(_ pattern: [UInt8]) -> Bool {
        let text = String(decoding: pattern, as: UTF8.self)
        return ["(*", "(?C", "\\C", "\\X", "\\p{", "(?R)", "(?1)", "(?(", "\\N"].contains { text.contains($0) }
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func parserAcceptsWhatPCRE2Accepts(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var disagreements: [String] = []
        var accepted = 0
        for _ in 0..<3_000 {
            let pattern = RegexFuzzGenerator.patternText(using: &rng)
            let caseless = rng.chance(30)
            let ours = try? RegexParser.parse(pattern, options: RegexOptions(caseInsensitive: caseless))
            let theirs = PCRE2Reference(pattern, caseless: caseless)
            if ours != nil { accepted += 1 }
            if (ours != nil) != (theirs != nil) && !Self.knownDifference(pattern) {
                disagreements.append("\(FuzzText.escaped(pattern)): project \(ours != nil ? "accepts" : "rejects"), PCRE2 \(theirs != nil ? "accepts" : "rejects")")
            }
            guard let ours, let theirs, ours.pcreOnly.allSatisfy({ $0.construct != .newlineSequence }) else { continue }
            let naive = NaiveRegex(ours)
            for subject in Self.subjects(for: ours.root, using: &rng) {
                let want = theirs.firstSpan(subject)
                let got = naive.firstMatchSpan(in: subject, budget: 2_000_000)
                if got == .budgetExhausted || want == .limit { continue }
                if !Self.same(got, want) {
                    disagreements.append("\(FuzzText.escaped(pattern)) on \(FuzzText.escaped(subject)): naive \(got), PCRE2 \(want)")
                }
            }
        }
        #expect(accepted > 300, "the generator made only \(accepted) valid patterns")
        #expect(disagreements.isEmpty, "seed \(seed): \(disagreements.count) disagreements, first: \(disagreements.prefix(8).joined(separator: "\n"))")
    }

    @Test(arguments: [UInt64(31), 32, 33, 34])
    func naiveFindsPCRE2sSpanOnGeneratedTrees(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var compared = 0
        var failures = 0
        for round in 0..<600 {
            var g = RegexFuzzGenerator(pcreOnly: rng.chance(50))
            let tree = g.tree(depth: 1 + rng.below(3), using: &rng)
            let text = tree.printed(for: .pcre2)
            let caseless = rng.chance(30)
            guard let parsed = try? RegexParser.parse(text, options: RegexOptions(caseInsensitive: caseless)) else {
                Issue.record("seed \(seed) round \(round): the project rejects its own printed tree \(FuzzText.escaped(text))")
                continue
            }
            guard let reference = PCRE2Reference(text, caseless: caseless) else {
                Issue.record("seed \(seed) round \(round): PCRE2 rejects the printed tree \(FuzzText.escaped(text))")
                continue
            }
            let naive = NaiveRegex(parsed)
            for subject in Self.subjects(for: parsed.root, using: &rng) {
                let want = reference.firstSpan(subject)
                let got = naive.firstMatchSpan(in: subject, budget: 2_000_000)
                if got == .budgetExhausted || want == .limit { continue }
                compared += 1
                guard !Self.same(got, want), failures < 3 else { continue }
                failures += 1
                // Shrink the tree and the subject while the two engines still differ.
                let small = Minimizer.minimize(tree: parsed.root) { t in
                    Self.differs(t.printed(for: .pcre2), caseless: false, subject)
                }
                let smallText = small.printed(for: .pcre2)
                let smallSubject = Minimizer.minimize(subject) { Self.differs(smallText, caseless: false, $0) }
                Issue.record("""
                    seed \(seed) round \(round): \(FuzzText.escaped(text)) (caseless \(caseless)) on \(FuzzText.escaped(subject)): \
                    naive \(got), PCRE2 \(want); minimized: \(FuzzText.escaped(smallText)) on \(FuzzText.escaped(smallSubject))
                    """)
            }
        }
        #expect(compared > 3_000)
    }

    static func differs(_ text: [UInt8], caseless: Bool, _ subject: [UInt8]) -> Bool {
        guard let p = try? RegexParser.parse(text, options: RegexOptions(caseInsensitive: caseless)),
              let r = PCRE2Reference(text, caseless: caseless) else { return false }
        let got = NaiveRegex(p).firstMatchSpan(in: subject, budget: 2_000_000)
        let want = r.firstSpan(subject)
        return got != .budgetExhausted && want != .limit && !same(got, want)
    }

    static func same(_ a: NaiveSearchOutcome, _ b: PCRE2Reference.Outcome) -> Bool {
        switch (a, b) {
        case (.match(let x), .match(let y)): return x == y
        case (.noMatch, .noMatch): return true
        default: return false
        }
    }

    /// Samples of the tree, near misses of them, and random bytes from the generator's alphabet.
    static func subjects(for root: RegexNode, using rng: inout SplitMix64) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for _ in 0..<3 {
            if let s = root.sampleMatch(using: &rng) {
                out.append(s)
                out.append(ReplyMutator.nearMiss(s, using: &rng))
                out.append(Array("550 ".utf8) + s + Array(" x".utf8))
            }
        }
        let alphabet = RegexFuzzGenerator.alphabet + [0x0A, 0x00, 0xFF]
        for _ in 0..<3 { out.append((0..<rng.below(12)).map { _ in rng.pick(alphabet) }) }
        return out
    }
}
