/// One rule set and one reply stream to measure.
public struct BenchInput: Sendable {
    /// A short name for reports and baselines (`rules-mixed-300 × replies-5000`).
    public var name: String
    public var ruleSet: RuleSet
    public var replies: [Reply]
    /// Bytes matched per pass: the sum of the normalized lines.
    public var byteCount: Int

    public init(name: String, ruleSet: RuleSet, replies: [Reply]) {
        self.name = name
        self.ruleSet = ruleSet
        self.replies = replies
        self.byteCount = replies.reduce(0) { $0 + $1.line.count }
    }
}

/// Whether a backend may be shown with a speed figure: only when it gave the reference's answers.
public enum BackendVerdict: Hashable, Sendable, CustomStringConvertible {
    case agrees
    /// Disagreed with the reference on `replies` replies; `example` describes the first.
    case disagrees(replies: Int, example: String)
    case cannotCompile(reason: String)

    public var isCorrect: Bool { self == .agrees }

    public var description: String {
        switch self {
        case .agrees: return "agrees"
        case let .disagrees(n, _): return "DISAGREES on \(n) repl\(n == 1 ? "y" : "ies")"
        case let .cannotCompile(reason): return "cannot take this rule set: \(reason)"
        }
    }
}

/// Throughput with a given number of threads and its speed-up over one thread.
public struct ThreadScaling: Hashable, Sendable {
    public var threads: Int
    public var repliesPerSecond: BenchStatistics
    /// Median replies/s divided by the one-thread median of the same harness.
    public var speedup: Double

    public init(threads: Int, repliesPerSecond: BenchStatistics, speedup: Double) {
        self.threads = threads
        self.repliesPerSecond = repliesPerSecond
        self.speedup = speedup
    }
}

/// The speed-up of pure CPU work over `threads` threads, measured beside the matchers.
public struct ThreadControl: Hashable, Sendable {
    public var threads: Int
    public var speedup: Double
    public init(threads: Int, speedup: Double) {
        self.threads = threads
        self.speedup = speedup
    }
}

/// Everything measured for one backend on one input. Speed fields are nil unless the verdict is `.agrees`.
public struct BackendFigures: Sendable {
    public var backend: String
    public var verdict: BackendVerdict
    /// Seconds to build the matcher (median of the compiles made).
    public var compileSeconds: Double?
    /// Bytes of the compiled rule set, when the backend adopts `MemoryReporting`.
    public var footprintBytes: Int?
    /// The process's peak RSS while this backend was compiled and run.
    public var peakResidentBytes: Int?
    public var repliesPerSecond: BenchStatistics?
    public var megabytesPerSecond: BenchStatistics?
    /// Median replies/s over the fastest correct backend's (1 for the fastest).
    public var ratioToFastest: Double?
    public var scaling: [ThreadScaling]
    /// Replies whose answer the backend could not fully decide (step budget, match limit).
    public var undecidedReplies: Int
    /// Rules the backend runs hybrid (handed to PCRE2) or can never decide.
    public var hybridRules: Int
    public var undecidableRules: Int

    public init(
        backend: String, verdict: BackendVerdict, compileSeconds: Double? = nil, footprintBytes: Int? = nil,
        peakResidentBytes: Int? = nil, repliesPerSecond: BenchStatistics? = nil, megabytesPerSecond: BenchStatistics? = nil,
        ratioToFastest: Double? = nil, scaling: [ThreadScaling] = [], undecidedReplies: Int = 0, hybridRules: Int = 0,
        undecidableRules: Int = 0
    ) {
        self.backend = backend
        self.verdict = verdict
        self.compileSeconds = compileSeconds
        self.footprintBytes = footprintBytes
        self.peakResidentBytes = peakResidentBytes
        self.repliesPerSecond = repliesPerSecond
        self.megabytesPerSecond = megabytesPerSecond
        self.ratioToFastest = ratioToFastest
        self.scaling = scaling
        self.undecidedReplies = undecidedReplies
        self.hybridRules = hybridRules
        self.undecidableRules = undecidableRules
    }
}

/// The result of one `BenchRunner.run`: per-backend figures and the recommendation.
public struct BenchReport: Sendable {
    public var inputName: String
    public var ruleCount: Int
    public var replyCount: Int
    public var byteCount: Int
    public var reference: String
    public var repeats: Int
    public var backends: [BackendFigures]
    public var recommendation: Recommendation?
    /// Per thread count (> 1): how far pure CPU work scaled on this machine during the run (see
    /// `BenchThreads.machineSpeedup`); the ceiling for the matchers' speed-ups.
    public var machineSpeedups: [ThreadControl] = []

    public init(
        inputName: String, ruleCount: Int, replyCount: Int, byteCount: Int, reference: String, repeats: Int,
        backends: [BackendFigures], recommendation: Recommendation?
    ) {
        self.inputName = inputName
        self.ruleCount = ruleCount
        self.replyCount = replyCount
        self.byteCount = byteCount
        self.reference = reference
        self.repeats = repeats
        self.backends = backends
        self.recommendation = recommendation
    }

    /// Fills `ratioToFastest` from the medians of the correct backends.
    public mutating func computeRatios() {
        let best = backends.compactMap { $0.verdict.isCorrect ? $0.repliesPerSecond?.median : nil }.max() ?? 0
        for i in backends.indices {
            if backends[i].verdict.isCorrect, let m = backends[i].repliesPerSecond?.median, best > 0 {
                backends[i].ratioToFastest = m / best
            } else {
                backends[i].ratioToFastest = nil
            }
        }
    }
}
