/// How a benchmark run is made.
public struct BenchConfiguration: Sendable {
    /// The backends to measure, in report order.
    public var backends: [BackendDescriptor]
    /// The backend whose answers the others must give (normally `naive`).
    public var reference: BackendDescriptor
    public var options: MatcherOptions
    /// Timed samples per backend after the warm-up; the report shows their median, min and max.
    public var repeats: Int
    /// Seconds of untimed matching before the first sample (caches, branch predictors, lazy tables).
    public var warmupSeconds: Double
    /// A sample repeats whole passes over the replies until at least this long, so the clock's
    /// resolution and the loop's overhead stay negligible.
    public var minSampleSeconds: Double
    /// Thread counts for the scaling figures (1 is always measured first when any are given).
    public var threads: [Int]
    /// Replies per compile assumed by the recommendation.
    public var repliesPerCompile: Int
    /// Called with a short status and the fraction done (0...1); the CLI draws a progress bar with it.
    public var progress: (@Sendable (String, Double) -> Void)?

    public init(
        backends: [BackendDescriptor], reference: BackendDescriptor, options: MatcherOptions = MatcherOptions(),
        repeats: Int = 10, warmupSeconds: Double = 0.2, minSampleSeconds: Double = 0.05, threads: [Int] = [],
        repliesPerCompile: Int = Recommendation.defaultRepliesPerCompile, progress: (@Sendable (String, Double) -> Void)? = nil
    ) {
        self.backends = backends
        self.reference = reference
        self.options = options
        self.repeats = max(repeats, 1)
        self.warmupSeconds = warmupSeconds
        self.minSampleSeconds = minSampleSeconds
        self.threads = threads
        self.repliesPerCompile = repliesPerCompile
        self.progress = progress
    }
}

/// Measures backends the way the regex benchmarks do: correctness first (a differential run against the
/// reference; a backend that disagrees or cannot compile gets no speed figure), then compile time, memory,
/// and throughput as the median and range of many samples after a warm-up, with ratios to the fastest.
///
/// Only `firstMatch` over prepared `Reply` values is timed: loading, parsing and compiling are outside the
/// measured loop, and each backend's scratch is made (and warmed) before it.
public struct BenchRunner: Sendable {
    public var configuration: BenchConfiguration

    public init(_ configuration: BenchConfiguration) {
        self.configuration = configuration
    }

    /// One pass of `firstMatch` over `replies`; returns a checksum of the answers so the work is kept.
    @inline(never)
    static func pass(_ matcher: any Matcher, _ scratch: any MatchScratch, _ replies: ArraySlice<Reply>) -> Int {
        // Lent in place: iterating by value would copy (retain and release) every reply, a cost the C
        // baselines do not pay and `classify`/`match` do not either.
        replies.withUnsafeBufferPointer { rs in
            var sum = 0
            for i in rs.indices { sum &+= matcher.firstMatch(rs[i], scratch: scratch).ruleIndex }
            return sum
        }
    }

    public func run(_ input: BenchInput) -> BenchReport {
        let c = configuration
        let steps = Double(c.backends.count * 2 + 1)
        c.progress?("compiling \(c.reference.name) (reference)", 0)

        // 1. Correctness: every backend against the reference, before any clock is read.
        var verdicts: [BackendVerdict] = Array(repeating: .agrees, count: c.backends.count)
        var matchers: [(any Matcher)?] = Array(repeating: nil, count: c.backends.count)
        var undecided = Array(repeating: 0, count: c.backends.count)
        let reference: any Matcher
        do {
            reference = try c.reference.make(input.ruleSet, c.options)
        } catch {
            // Without a reference nothing can be called correct, so nothing gets a figure.
            let figures = c.backends.map {
                BackendFigures(backend: $0.name, verdict: .cannotCompile(reason: "the reference \(c.reference.name) cannot take this rule set: \(error)"))
            }
            return BenchReport(
                inputName: input.name, ruleCount: input.ruleSet.count, replyCount: input.replies.count, byteCount: input.byteCount,
                reference: c.reference.name, repeats: c.repeats, backends: figures, recommendation: nil)
        }
        for (i, d) in c.backends.enumerated() {
            c.progress?("compiling \(d.name)", Double(i + 1) / steps)
            do { matchers[i] = try d.make(input.ruleSet, c.options) } catch {
                verdicts[i] = .cannotCompile(reason: "\(error)")
            }
        }
        let compiled = matchers.indices.filter { matchers[$0] != nil }
        if !compiled.isEmpty {
            c.progress?("checking answers against \(c.reference.name)", Double(c.backends.count + 1) / steps)
            let diff = DifferentialRun(matchers: [reference] + compiled.map { matchers[$0]! }, keep: 1)
            for (n, r) in input.replies.enumerated() { diff.check(r, replyNumber: n + 1) }
            for (k, i) in compiled.enumerated() {
                undecided[i] = diff.undecidedCounts[k + 1]
                let count = diff.disagreementCounts[k + 1]
                guard count > 0 else { continue }
                var example = ""
                if let first = diff.disagreements.first {
                    example = "reply \(first.replyNumber): \(c.reference.name)=\(first.results[0]) \(c.backends[i].name)=\(first.results[k + 1])"
                }
                verdicts[i] = .disagrees(replies: count, example: example)
            }
        }
        matchers = matchers.indices.map { verdicts[$0].isCorrect ? matchers[$0] : nil }

        // 2. Speed, one backend at a time so each peak RSS is its own.
        var figures: [BackendFigures] = []
        for (i, d) in c.backends.enumerated() {
            var f = BackendFigures(backend: d.name, verdict: verdicts[i], undecidedReplies: undecided[i])
            if let m = matchers[i] {
                c.progress?("measuring \(d.name)", Double(c.backends.count + 1 + i) / steps)
                f.hybridRules = m.ruleNotes.filter { $0.kind == .hybrid }.count
                f.undecidableRules = m.ruleNotes.filter { $0.kind == .undecidable }.count
                matchers[i] = nil
                measure(d, input, into: &f)
            }
            figures.append(f)
        }
        var report = BenchReport(
            inputName: input.name, ruleCount: input.ruleSet.count, replyCount: input.replies.count, byteCount: input.byteCount,
            reference: c.reference.name, repeats: c.repeats, backends: figures, recommendation: nil)
        report.computeRatios()
        if report.backends.contains(where: { !$0.scaling.isEmpty }) {
            report.machineSpeedups = Set(c.threads.filter { $0 > 1 }).sorted().map {
                ThreadControl(threads: $0, speedup: BenchThreads.machineSpeedup(threads: $0))
            }
        }
        report.recommendation = Recommendation.choose(report.backends, repliesPerCompile: c.repliesPerCompile)
        c.progress?("done", 1)
        return report
    }

    /// Compile time, footprint, peak RSS, throughput samples and thread scaling for one correct backend.
    private func measure(_ d: BackendDescriptor, _ input: BenchInput, into f: inout BackendFigures) {
        let c = configuration
        BenchSystem.resetPeakResident()
        // Compile: repeat small compiles (they are noisy); a slow one is timed once.
        var compileTimes: [Double] = []
        var matcher: (any Matcher)?
        while compileTimes.count < 5 {
            let t0 = BenchSystem.now()
            guard let m = try? d.make(input.ruleSet, c.options) else { break }
            compileTimes.append(BenchSystem.now() - t0)
            matcher = m
            if compileTimes.reduce(0, +) > 0.5 { break }
        }
        guard let matcher, let compile = BenchStatistics(compileTimes) else {
            f.verdict = .cannotCompile(reason: "compiled once, then failed to compile again")
            return
        }
        f.compileSeconds = compile.median
        f.footprintBytes = (matcher as? any MemoryReporting)?.memoryFootprint
        guard !input.replies.isEmpty else { return }

        let replies = input.replies[...]
        let scratch = matcher.makeScratch()
        var sink = 0
        // Warm-up: whole passes until the warm-up time is spent, also telling the passes per sample.
        var passes = 0
        let w0 = BenchSystem.now()
        repeat {
            sink &+= BenchRunner.pass(matcher, scratch, replies)
            passes += 1
        } while BenchSystem.now() - w0 < c.warmupSeconds
        let perPass = max((BenchSystem.now() - w0) / Double(passes), 1e-9)
        let passesPerSample = max(1, Int((c.minSampleSeconds / perPass).rounded(.up)))

        var rates: [Double] = []
        for _ in 0..<c.repeats {
            let t0 = BenchSystem.now()
            for _ in 0..<passesPerSample { sink &+= BenchRunner.pass(matcher, scratch, replies) }
            let dt = BenchSystem.now() - t0
            rates.append(Double(input.replies.count * passesPerSample) / max(dt, 1e-9))
        }
        let stats = BenchStatistics(rates)!
        f.repliesPerSecond = stats
        let bytesPerReply = Double(input.byteCount) / Double(input.replies.count)
        f.megabytesPerSecond = stats.scaled(by: bytesPerReply / 1e6)

        // Thread scaling: the same harness for every count, so 1 thread is the fair denominator.
        let counts = c.threads.filter { $0 >= 1 }
        if !counts.isEmpty {
            let all = ([1] + counts).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
            let scalingPasses = max(1, Int((max(c.minSampleSeconds, 0.1) / perPass).rounded(.up)))
            let samples = max(3, min(c.repeats, 7))
            var one = 0.0
            for t in all {
                var tr: [Double] = []
                for _ in 0..<samples {
                    let (secs, sum) = BenchThreads.timedRun(matcher, replies: input.replies, threads: t, passes: scalingPasses)
                    sink &+= sum
                    tr.append(Double(input.replies.count * scalingPasses) / max(secs, 1e-9))
                }
                let s = BenchStatistics(tr)!
                if t == 1 { one = s.median }
                f.scaling.append(ThreadScaling(threads: t, repliesPerSecond: s, speedup: one > 0 ? s.median / one : 0))
            }
        }
        f.peakResidentBytes = BenchSystem.peakResidentBytes()
        BenchRunner.keep(sink)
    }

    /// Keeps a value alive so the optimiser cannot drop the loops that produced it.
    @inline(never)
    static func keep(_ x: Int) {
        if x == Int.min { BenchSystem.writeStderr("") }
    }
}
