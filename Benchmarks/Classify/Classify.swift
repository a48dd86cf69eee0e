import Benchmark
import BenchSupport
import BounceMatch

#if canImport(Glibc)
import Glibc
#endif

/// `classify` against the `match` loop on the same replies with the same backend (issue 6): one iteration is
/// one whole pass over a file of replies, read from disk as each command reads it. `match` is what
/// `bouncematch match` does per line (read, parse, `firstMatch`, write the answer line, here to `/dev/null`);
/// `match loop` is the same without writing the answers (the part both commands share); `classify` adds
/// chunking, counting per rule and label, and the shape of every unclassified reply.
/// Compare `replies/s (K)` and `CPU user` between the rows of one backend.
let benchmarks: @Sendable () -> Void = {
    let repliesPerSecond = BenchmarkMetric.custom("replies/s (K)", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuUser, .mallocCountTotal, .peakMemoryResident, repliesPerSecond],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(4),
        maxIterations: 25,
        thresholds: [
            repliesPerSecond: .init(relative: [.p50: 15]),
            .peakMemoryResident: .init(relative: [.p50: 20]),
        ]
    )
    BenchCases.announceMissingCorpora()
    for input in ClassifyInput.all {
        for backend in ["hyperscan", "pcre2-prefiltered", "aho-corasick", "naive"] {
            guard let descriptor = Backends.named(backend) else { continue }
            let count = backend == "naive" ? input.naiveReplyCount : input.replyCount
            for writes in [false, true] {
                Benchmark("\(writes ? "match" : "match loop") | \(backend) | \(input.name)") { benchmark, matcher in
                    let t0 = BenchSystem.now()
                    blackHole(ClassifyInput.matchLoop(matcher, path: input.path(count), writingAnswers: writes))
                    benchmark.measurement(repliesPerSecond, Int(Double(count) / max(BenchSystem.now() - t0, 1e-9) / 1e3))
                } setup: {
                    try input.matcher(descriptor)
                }
            }
            for threads in [1, 2] {
                Benchmark("classify \(threads) thread\(threads == 1 ? "" : "s") | \(backend) | \(input.name)") { benchmark, matcher in
                    var options = ClassifyOptions()
                    options.threads = threads
                    options.format = .lines
                    options.shapesKept = 20
                    let t0 = BenchSystem.now()
                    let summary = ClassifyRun(matcher: matcher, options: options).run(inputs: [input.path(count)])
                    benchmark.measurement(repliesPerSecond, Int(Double(count) / max(BenchSystem.now() - t0, 1e-9) / 1e3))
                    precondition(summary.replies == count, "classify read \(summary.replies) replies of \(count)")
                    blackHole(summary.unmatched)
                } setup: {
                    try input.matcher(descriptor)
                }
            }
        }
    }
}

/// One rule set and its reply files (plain lines), written once per process to a temporary folder.
final class ClassifyInput: Sendable {
    /// The generated replies against `corpora/rules-demo.tsv` (30 rules: ~75% of the replies stay
    /// unclassified and ~42 k distinct shapes, the costly case for `classify`), and, when `../shared/corpora`
    /// is present, the same replies and its real replies (2,022, repeated) against the sisimai rules (678 rules,
    /// ~37% and ~30% unclassified).
    static let all: [ClassifyInput] = {
        var inputs = [ClassifyInput(
            name: "rules-demo × generated replies (lines)", rulesPath: BenchCases.projectRoot + "/corpora/rules-demo.tsv",
            replyCount: 200_000, naiveReplyCount: 50_000
        ) { CorpusGenerator.lines(CorpusGenerator.replies(count: $0, seed: 9)) }]
        if let root = BenchCases.sharedCorporaRoot {
            // The same generated replies against a real rule set (678 rules): ~37% stay unclassified, ~8.5 k
            // distinct shapes per 100 k replies; the share of unclassified replies is what `classify` adds to.
            inputs.append(ClassifyInput(
                name: "rules-sisimai × generated replies (lines)", rulesPath: root + "/sisimai/rules-sisimai.tsv",
                replyCount: 200_000, naiveReplyCount: 20_000
            ) { CorpusGenerator.lines(CorpusGenerator.replies(count: $0, seed: 9)) })
            let real = BenchCases.sharedReplies().map { $0.line.map { $0 == 0x0A ? 0x20 : $0 } }
            if !real.isEmpty {
                inputs.append(ClassifyInput(
                    name: "rules-sisimai × real replies (lines)", rulesPath: root + "/sisimai/rules-sisimai.tsv",
                    replyCount: real.count * 100, naiveReplyCount: real.count * 10
                ) { count in
                    var bytes: [UInt8] = []
                    for k in 0..<count { bytes += real[k % real.count] + [0x0A] }
                    return bytes
                })
            }
        }
        return inputs
    }()

    let name: String
    let rulesPath: String
    let replyCount: Int
    /// The reference tries every rule in order; fewer replies keep its rows within the time limit.
    let naiveReplyCount: Int
    private let folder: String

    private init(name: String, rulesPath: String, replyCount: Int, naiveReplyCount: Int, lines: (Int) -> [UInt8]) {
        self.name = name
        self.rulesPath = rulesPath
        self.replyCount = replyCount
        self.naiveReplyCount = naiveReplyCount
        var template = Array("/tmp/bouncematch-classify-bench-XXXXXX".utf8CString)
        folder = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!).map { String(cString: $0) } } ?? "/tmp"
        for count in [replyCount, naiveReplyCount] {
            try? CorpusGenerator.write(lines(count), to: path(count))
        }
    }

    func path(_ count: Int) -> String { "\(folder)/replies-\(count).txt" }
    func matcher(_ descriptor: BackendDescriptor) throws -> any Matcher {
        try descriptor.make(BenchCases.loadRules(rulesPath), MatcherOptions())
    }

    /// Read, parse and match every line of `path`; returns a checksum. `writingAnswers`: also write each
    /// answer line (the rule index and a line feed, to `/dev/null`) as `bouncematch match` does, so the row
    /// costs what the command costs; without it, the loop is the part `match` and `classify` share.
    static func matchLoop(_ matcher: any Matcher, path: String, writingAnswers: Bool = false) -> Int {
        guard let reader = try? LineReader(path: path) else { return -1 }
        let scratch = matcher.makeScratch()
        let context = ReplyContext()
        var reply = Reply()
        var sum = 0
        let null = writingAnswers ? open("/dev/null", O_WRONLY) : -1
        defer { if null >= 0 { close(null) } }
        let out = null >= 0 ? OutputBuffer(fileDescriptor: null) : nil
        while reader.withNextLine({ ReplyParser.parse($0, context: context, into: &reply) }) != nil {
            let index = matcher.firstMatch(reply, scratch: scratch).ruleIndex
            sum &+= index
            if let out {
                out.writeInt(index)
                out.writeByte(0x0A)
            }
        }
        out?.flush()
        return sum
    }
}
