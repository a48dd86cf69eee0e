import BounceRules
import Matching
import RegexSyntax

/// One thing the vetter found about a rule.
public struct VetFinding: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A backend cannot compile the rule set (`MatcherError`).
        case compileFailure = "compile-failure"
        /// A backend hands the rule to PCRE2 (`RuleNote.hybrid`) or can never decide it.
        case hybrid
        case undecidable
        /// Every reply of the rule is taken by an earlier rule.
        case shadowed
        /// No reply could be made for the rule and no corpus reply matches it.
        case neverMatches = "never-matches"
        /// The rule wins replies that a later rule with another label also matches.
        case steals
        /// Super-linear matching time on attack strings, or a backend limit hit.
        case slowPattern = "slow-pattern"
        /// A backend disagrees with naive.
        case disagreement
    }

    public var kind: Kind
    /// The rule at fault (index in the vetted rule set), when one is.
    public var rule: Int?
    /// The other rule involved (the earlier rule that shadows, the later rule robbed).
    public var otherRule: Int?
    public var backend: String?
    public var message: String
    /// A reply that shows the finding.
    public var example: [UInt8]?
    /// Extra lines: measurements, more examples, a minimized reproduction.
    public var details: [String]
    /// A finding that makes `bouncematch fuzz` exit 1.
    public var blocking: Bool
}

/// What `RuleVetter.run` found, and how far it got.
public struct VetReport: Sendable {
    public var findings: [VetFinding] = []
    public var rulesVetted = 0
    public var samplesTried = 0
    public var corpusReplies = 0
    public var differentialReplies = 0
    /// Corpus replies whose label changes when the new rules are added (`--new`).
    public var labelChanges = 0
    public var seed: UInt64 = 0
    public var elapsed: Double = 0
    /// Phases cut short by the time limit.
    public var cutShort: [String] = []

    public var hasBlocking: Bool { findings.contains { $0.blocking } }
}

/// Vets an ordered rule set before deployment: does every rule compile in every backend, can it ever win,
/// does it take replies meant for later rules, can a hostile reply make it slow, and do all backends agree.
///
/// Work is bounded by `timeLimit`; every finding carries an example reply.
public final class RuleVetter {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        /// Seconds for the whole run (checked between steps).
        public var timeLimit: Double = 60
        public var samplesPerRule = 48
        public var backends: [BackendDescriptor] = Backends.all
        public var matcherOptions = MatcherOptions()
        /// Steal findings only between rules of different files (`--new` rules versus the rest when set).
        public var examplesPerFinding = 3
        public init() {}
    }

    public let ruleSet: RuleSet
    /// Indexes of the rules under vetting (the `--new` rules, or all).
    public let vetted: [Int]
    /// Indexes of new rules, empty when everything is vetted as one set.
    public let newRules: Set<Int>
    public let corpus: [Reply]
    public let options: Options
    let naive: NaiveMatcher
    let started: Double
    var rng: FuzzRandom
    var report = VetReport()
    var progress: (String) -> Void = { _ in }

    /// `isNew` marks the rules of `--new` files; nil vets every rule.
    public init(ruleSet: RuleSet, isNew: ((Rule) -> Bool)? = nil, corpus: [Reply] = [], options: Options = Options()) {
        self.ruleSet = ruleSet
        let new = isNew.map { f in Set(ruleSet.rules.indices.filter { f(ruleSet.rules[$0]) }) } ?? []
        newRules = new
        vetted = isNew == nil ? Array(ruleSet.rules.indices) : new.sorted()
        self.corpus = corpus
        self.options = options
        naive = NaiveMatcher(ruleSet: ruleSet, options: options.matcherOptions)
        started = SlowPatternProbe.now()
        rng = FuzzRandom(seed: options.seed)
    }

    var timeLeft: Double { options.timeLimit - (SlowPatternProbe.now() - started) }

    /// Runs every check; `progress` gets one short line per step (the CLI shows it on a terminal).
    public func run(progress: @escaping (String) -> Void = { _ in }) -> VetReport {
        self.progress = progress
        report = VetReport()
        report.seed = options.seed
        report.rulesVetted = vetted.count
        report.corpusReplies = corpus.count
        let matchers = compileBackends()
        let samples = checkShadowing()
        checkSteals(samples: samples)
        checkSlowPatterns()
        checkAgreement(matchers: matchers, samples: samples)
        report.elapsed = SlowPatternProbe.now() - started
        return report
    }

    func add(_ f: VetFinding) { report.findings.append(f) }

    func name(_ i: Int) -> String {
        let r = ruleSet.rules[i]
        let named = r.name == "\(r.location.file):\(r.location.line)" ? "" : " '\(r.name)'"
        return "rule \(i)\(named) (\(r.location.file.split(separator: "/").last ?? ""):\(r.location.line), \(r.kind?.rawValue ?? "any") \(FuzzText.escaped(r.pattern)), label \(r.label))"
    }

    // MARK: compile, hybrid

    func compileBackends() -> [any Matcher] {
        progress("compiling \(ruleSet.count) rules in \(options.backends.count) backends")
        var out: [any Matcher] = []
        for d in options.backends {
            do {
                let m = try d.make(ruleSet, options.matcherOptions)
                out.append(m)
                for note in m.ruleNotes where vetted.contains(note.ruleIndex) {
                    add(VetFinding(
                        kind: note.kind == .hybrid ? .hybrid : .undecidable, rule: note.ruleIndex, backend: d.name,
                        message: "\(d.name) runs \(name(note.ruleIndex)) \(note.kind == .hybrid ? "hybrid (through PCRE2)" : "as undecidable"): \(note.reason)",
                        example: nil, details: [], blocking: false
                    ))
                }
            } catch {
                add(VetFinding(
                    kind: .compileFailure, rule: error.ruleIndex, backend: d.name,
                    message: "\(d.name) cannot compile the rule set: \(error.reason)" + (error.ruleIndex.map { " (\(name($0)))" } ?? ""),
                    example: nil, details: [], blocking: true
                ))
            }
        }
        return out
    }

    // MARK: shadowing

    /// Samples per vetted rule (replies the rule itself matches), kept for the later checks.
    func checkShadowing() -> [Int: [Reply]] {
        var samples: [Int: [Reply]] = [:]
        let scratch = naive.makeScratch()
        // Which corpus replies each rule matches and wins, for "never wins" evidence.
        var corpusWins = [Int](repeating: 0, count: ruleSet.count)
        var corpusMatches = [Int](repeating: 0, count: ruleSet.count)
        var corpusExample: [Int: (reply: [UInt8], winner: Int)] = [:]
        for reply in corpus {
            let w = naive.firstMatch(reply, scratch: scratch).ruleIndex
            if w >= 0 { corpusWins[w] += 1 }
            for j in vetted where ruleSet.rules[j].conditions.hold(for: reply) {
                if case .match = naive.search(rule: j, in: reply, scratch: scratch) {
                    corpusMatches[j] += 1
                    if w != j && w >= 0 && corpusExample[j] == nil { corpusExample[j] = (reply.line, w) }
                }
            }
        }
        for (n, j) in vetted.enumerated() {
            if timeLeft < options.timeLimit * 0.6 { report.cutShort.append("shadowing (\(n) of \(vetted.count) rules)"); break }
            if n % 25 == 0 { progress("shadowing: rule \(n + 1) of \(vetted.count)") }
            let rule = ruleSet.rules[j]
            // Exact first: a literal or glob earlier rule that provably covers this one.
            if let i = (0..<j).first(where: { !ruleSet.rules[$0].continues && LiteralShadowing.covers(ruleSet.rules[$0], rule) }) {
                let (s, _) = RuleSampler.replies(for: j, in: ruleSet, naive: naive, count: 1, using: &rng)
                add(VetFinding(
                    kind: .shadowed, rule: j, otherRule: i,
                    message: "\(name(j)) never wins: every reply it matches is taken by the earlier \(name(i)) (exact: pattern containment)",
                    example: s.first?.line ?? corpusExample[j]?.reply, details: [], blocking: newRules.isEmpty || newRules.contains(j)
                ))
                samples[j] = s
                continue
            }
            let (replies, sampleable) = RuleSampler.replies(for: j, in: ruleSet, naive: naive, count: options.samplesPerRule, using: &rng)
            samples[j] = replies
            report.samplesTried += replies.count
            if replies.isEmpty {
                let blocking = (newRules.isEmpty || newRules.contains(j)) && !corpus.isEmpty && corpusMatches[j] == 0
                if !corpus.isEmpty && corpusMatches[j] == 0 || (sampleable && corpus.isEmpty) {
                    add(VetFinding(
                        kind: .neverMatches, rule: j,
                        message: "\(name(j)) matches nothing realistic: " + (sampleable ? "no sample of its pattern satisfies it in a reply" : "its pattern cannot be sampled")
                            + (corpus.isEmpty ? "" : " and none of the \(corpus.count) corpus replies match it"),
                        example: nil, details: [], blocking: blocking || (sampleable && corpus.isEmpty && (newRules.isEmpty || newRules.contains(j)))
                    ))
                }
                continue
            }
            var winners: [Int: Int] = [:]
            var won = 0
            var undecided = 0
            var exampleOf: [Int: [UInt8]] = [:]
            for r in replies {
                let m = naive.firstMatch(r, scratch: scratch)
                if !m.isDecided { undecided += 1; continue }
                if m.ruleIndex == j { won += 1; break }
                if m.ruleIndex >= 0 && m.ruleIndex < j {
                    winners[m.ruleIndex, default: 0] += 1
                    if exampleOf[m.ruleIndex] == nil { exampleOf[m.ruleIndex] = r.line }
                }
            }
            let decided = replies.count - undecided
            guard won == 0, decided >= min(8, replies.count), corpusWins[j] == 0 else { continue }
            guard let (i, taken) = winners.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else { continue }
            var details = ["\(decided) sampled replies of the rule, all taken by earlier rules: "
                + winners.sorted { $0.key < $1.key }.map { "rule \($0.key) ×\($0.value)" }.joined(separator: ", ")]
            if corpusMatches[j] > 0 { details.append("\(corpusMatches[j]) corpus replies match it; none is won by it") }
            add(VetFinding(
                kind: .shadowed, rule: j, otherRule: i,
                message: "\(name(j)) never wins: \(taken) of \(decided) sampled replies go to the earlier \(name(i)) (by sampling)",
                example: exampleOf[i], details: details, blocking: newRules.isEmpty || newRules.contains(j)
            ))
        }
        return samples
    }

    // MARK: steals

    /// A rule takes a reply that a later rule with another label also matches. With `--new`: a new rule
    /// robbing an existing one (and the corpus replies whose label changes); else rules of different files.
    func checkSteals(samples: [Int: [Reply]]) {
        progress("steals: \(corpus.count) corpus replies, sampled replies of \(samples.count) rules")
        let scratch = naive.makeScratch()
        struct Key: Hashable { var winner: Int; var robbed: Int }
        var corpusCount: [Key: Int] = [:]
        var sampleCount: [Key: Int] = [:]
        var examples: [Key: [[UInt8]]] = [:]
        func consider(_ reply: Reply, fromCorpus: Bool) {
            let w = naive.firstMatch(reply, scratch: scratch)
            guard w.isDecided, w.ruleIndex >= 0 else { return }
            let wr = ruleSet.rules[w.ruleIndex]
            if !newRules.isEmpty && !newRules.contains(w.ruleIndex) { return }
            for j in (w.ruleIndex + 1)..<ruleSet.count {
                let r = ruleSet.rules[j]
                guard r.label != wr.label else { continue }
                if newRules.isEmpty ? r.location.file == wr.location.file : newRules.contains(j) { continue }
                guard r.conditions.hold(for: reply), case .match = naive.search(rule: j, in: reply, scratch: scratch) else { continue }
                let k = Key(winner: w.ruleIndex, robbed: j)
                if fromCorpus { corpusCount[k, default: 0] += 1 } else { sampleCount[k, default: 0] += 1 }
                if examples[k, default: []].count < options.examplesPerFinding { examples[k, default: []].append(reply.line) }
                break
            }
        }
        for (n, reply) in corpus.enumerated() {
            if n % 256 == 0 && timeLeft < options.timeLimit * 0.45 { report.cutShort.append("steals (corpus \(n) of \(corpus.count))"); break }
            consider(reply, fromCorpus: true)
        }
        for j in samples.keys.sorted() {
            for r in samples[j]! { consider(r, fromCorpus: false) }
        }
        if !newRules.isEmpty {
            // The existing rules' own replies are what a new rule can steal: sample them too.
            for j in ruleSet.rules.indices where !newRules.contains(j) && j > (newRules.min() ?? 0) {
                if timeLeft < options.timeLimit * 0.45 { report.cutShort.append("steals (sampling existing rules)"); break }
                let (replies, _) = RuleSampler.replies(for: j, in: ruleSet, naive: naive, count: options.samplesPerRule, using: &rng)
                report.samplesTried += replies.count
                for r in replies { consider(r, fromCorpus: false) }
            }
        }
        if !newRules.isEmpty && !corpus.isEmpty {
            // Labels with the existing rules alone versus with the new rules too.
            let old = ruleSet.rules.indices.filter { !newRules.contains($0) }
            if let oldSet = try? RuleSet(rules: old.map { var r = ruleSet.rules[$0]; r.priority = $0; return r }) {
                let before = NaiveMatcher(ruleSet: oldSet, options: options.matcherOptions)
                let bs = before.makeScratch()
                for reply in corpus {
                    let a = before.firstMatch(reply, scratch: bs).ruleIndex
                    let b = naive.firstMatch(reply, scratch: scratch).ruleIndex
                    let la = a >= 0 ? oldSet.rules[a].label : "", lb = b >= 0 ? ruleSet.rules[b].label : ""
                    if la != lb { report.labelChanges += 1 }
                }
            }
        }
        for k in Set(corpusCount.keys).union(sampleCount.keys).sorted(by: { ($0.winner, $0.robbed) < ($1.winner, $1.robbed) }) {
            let c = corpusCount[k] ?? 0, s = sampleCount[k] ?? 0
            var parts: [String] = []
            if c > 0 { parts.append("\(c) of \(corpus.count) corpus replies") }
            if s > 0 { parts.append("\(s) sampled replies") }
            let ex = examples[k] ?? []
            add(VetFinding(
                kind: .steals, rule: k.winner, otherRule: k.robbed,
                message: "\(name(k.winner)) takes \(parts.joined(separator: " and ")) that the later \(name(k.robbed)) also matches (label \(ruleSet.rules[k.winner].label) instead of \(ruleSet.rules[k.robbed].label))",
                example: ex.first, details: ex.dropFirst().map { "also: " + FuzzText.escaped($0) }, blocking: false
            ))
        }
    }

    // MARK: slow patterns

    func checkSlowPatterns() {
        let backends = options.backends
        for (n, j) in vetted.enumerated() {
            if timeLeft < options.timeLimit * 0.25 { report.cutShort.append("slow patterns (\(n) of \(vetted.count) rules)"); break }
            let rule = ruleSet.rules[j]
            guard let kind = rule.kind, kind == .regex || kind == .wildcard, let p = ruleSet.patterns[j] else { continue }
            if n % 10 == 0 { progress("slow patterns: rule \(n + 1) of \(vetted.count)") }
            let shapes = SlowPatternProbe.attacks(for: p.regex.root, using: &rng, limit: 9)
            guard !shapes.isEmpty else { continue }
            let matchers = SlowPatternProbe.matchers(for: rule, backends: backends, options: options.matcherOptions)
            var worst: (shape: AttackShape, base: Int, slow: [GrowthMeasurement])? = nil
            for shape in shapes {
                let base = max(8, 256 / max(shape.pump.count, 1))
                let ms = SlowPatternProbe.measure(rule: rule, shape: shape, base: base, matchers: matchers, options: options.matcherOptions)
                let slow = ms.filter(SlowPatternProbe.isSlow)
                if !slow.isEmpty && (worst == nil || slow.count > worst!.slow.count) { worst = (shape, base, ms.filter(SlowPatternProbe.isSlow) + ms.filter { !SlowPatternProbe.isSlow($0) }) }
                if timeLeft < options.timeLimit * 0.25 { break }
            }
            guard let worst else { continue }
            let slowNames = worst.slow.filter(SlowPatternProbe.isSlow).map(\.backend)
            let example = worst.shape.subject(repeats: worst.base * 4)
            add(VetFinding(
                kind: .slowPattern, rule: j, backend: slowNames.joined(separator: ","),
                message: "\(name(j)) is slow on attack strings in \(slowNames.joined(separator: ", ")): prefix \(FuzzText.escaped(worst.shape.prefix)) + \(FuzzText.escaped(worst.shape.pump)) × n + \(FuzzText.escaped(worst.shape.suffix))",
                example: example.count > 300 ? Array(example.prefix(300)) : example,
                details: worst.slow.map(\.summary), blocking: true
            ))
        }
    }

    // MARK: agreement

    func checkAgreement(matchers: [any Matcher], samples: [Int: [Reply]]) {
        let oracle = DifferentialOracle(ruleSet: ruleSet, backends: options.backends.filter { d in matchers.contains { $0.backendName == d.name } }, options: options.matcherOptions)
        var seen = Set<String>()
        var found = 0
        func consider(_ reply: Reply) -> Bool {
            report.differentialReplies += 1
            for f in oracle.check(reply) where found < 5 {
                let key = "\(f.backend)/\(f)"
                guard seen.insert(key).inserted else { continue }
                found += 1
                progress("disagreement on \(f.backend); minimizing")
                let small = FuzzCase(rules: ruleSet.rules, reply: reply, failure: f).minimized(budget: 1_500)
                add(VetFinding(
                    kind: .disagreement, rule: nil, backend: f.backend,
                    message: "\(f.backend) disagrees with naive: \(f)",
                    example: reply.line, details: small.reproduction.split(separator: "\n").map { "minimized: " + $0 }, blocking: true
                ))
            }
            return timeLeft > 0
        }
        progress("agreement: corpus and samples")
        for r in corpus where !consider(r) { report.cutShort.append("agreement (corpus)"); return }
        for j in samples.keys.sorted() { for r in samples[j]! where !consider(r) { return } }
        // Then near misses of samples and random replies until the time is up.
        progress("agreement: fuzzing replies until the time limit")
        let generator = RuleFuzzGenerator()
        let pool = samples.values.flatMap { $0 }
        var n = 0
        while timeLeft > 0 && n < 200_000 {
            n += 1
            var reply: Reply
            if !pool.isEmpty && rng.chance(60) {
                let base = rng.pick(pool)
                reply = base
                reply.line = ReplyMutator.nearMiss(base.line, using: &rng)
                reply.textStart = min(reply.textStart, reply.line.count)
            } else {
                reply = generator.reply(for: ruleSet, using: &rng)
            }
            _ = consider(reply)
            if n % 5000 == 0 { progress("agreement: \(n) fuzzed replies") }
        }
    }
}
