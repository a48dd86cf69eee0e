import ArgumentParser
import BounceMatch

#if canImport(Glibc)
import Glibc
#endif

/// `bouncematch bench`: which backend to use for these rules and replies, measured, with its reason.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure every backend on a rule set and replies, and recommend one.",
        discussion: """
            First checks every backend's answers against the reference (naive) on every reply: a backend that \
            disagrees or cannot take the rule set is shown as such and gets no speed figure. Then per backend: \
            compile time, compiled size (where the backend reports it), peak RSS, replies/s and MB/s (median, min \
            and max of --repeat samples after a warm-up), the ratio to the fastest and, with --threads, the \
            speed-up over one thread. Ends with a recommendation and its reason. Without --rules and replies it \
            uses the bundled corpus (corpora/rules-mixed-300.tsv, corpora/replies-5000.txt). Exit 1 when \
            --baseline compare finds a backend slower than the baseline by more than --tolerance.
            """
    )

    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file; repeat to load several files in order (default: the bundled corpus).", valueName: "FILE"))
    var ruleFiles: [String] = []

    @Option(help: ArgumentHelp("Rule file format (default: detected).", valueName: "NAME"))
    var format: String?

    @Flag(help: "Rules that do not say otherwise match case-sensitively.")
    var caseSensitive = false

    @Option(help: ArgumentHelp("Comma-separated backends to measure (default: all).", valueName: "a,b,..."))
    var backends: String?

    @Option(help: ArgumentHelp("Comma-separated thread counts for the scaling figures, e.g. 1,2.", valueName: "n,m,..."))
    var threads: String?

    @Option(name: .customLong("repeat"), help: "Timed samples per backend after the warm-up.")
    var repeats: Int = 10

    @Option(help: ArgumentHelp("Seconds of untimed matching before the samples.", valueName: "S"))
    var warmup: Double = 0.2

    @Option(help: ArgumentHelp("Replies matched per compile, for weighing compile time in the recommendation.", valueName: "N"))
    var repliesPerCompile: Int = Recommendation.defaultRepliesPerCompile

    @Flag(help: "Print the report as JSON (for tooling) instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Write an SVG chart of throughput per backend (or against rule count with --sweep).", valueName: "FILE"))
    var chart: String?

    @Flag(help: "Instead of the given rules, generate 10, 100, 1,000 and 10,000-rule mixed sets (fixed seed) and measure each.")
    var sweep = false

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("save PATH writes the medians; compare PATH checks them (exit 1 on a regression).", valueName: "save|compare PATH"))
    var baseline: [String] = []

    @Option(help: ArgumentHelp("Allowed slow-down against the baseline, as a fraction.", valueName: "F"))
    var tolerance: Double = 0.10

    @Argument(help: ArgumentHelp("Reply files, one reply per line (default: the bundled corpus; - is standard input).", valueName: "REPLIES"))
    var replies: [String] = []

    static let bundledRules = "corpora/rules-mixed-300.tsv"
    static let bundledReplies = "corpora/replies-5000.txt"
    static let sweepSizes = [10, 100, 1_000, 10_000]
    static let sweepSeed: UInt64 = 20_261_123

    func validate() throws {
        if repeats < 1 { throw ValidationError("--repeat must be at least 1") }
        if warmup < 0 { throw ValidationError("--warmup must not be negative") }
        if !(0..<1).contains(tolerance) { throw ValidationError("--tolerance must be in 0..<1 (0.10 = 10%)") }
        if !baseline.isEmpty {
            guard baseline.count == 2, ["save", "compare"].contains(baseline[0]) else {
                throw ValidationError("--baseline takes two values: save PATH or compare PATH (put reply files before --baseline)")
            }
        }
        if let threads {
            let counts = threads.split(separator: ",").map { Int($0) }
            if counts.isEmpty || counts.contains(where: { $0 == nil || $0! < 1 || $0! > 256 }) {
                throw ValidationError("--threads takes comma-separated counts from 1 to 256, e.g. 1,2")
            }
        }
        if let format, RuleFormats.named(format) == nil {
            throw ValidationError("unknown format '\(format)'; known: \(RuleFormats.all.map(\.name).joined(separator: ", "))")
        }
        if sweep && !ruleFiles.isEmpty { throw ValidationError("--sweep generates its own rule sets; drop --rules") }
    }

    func run() throws {
        let descriptors = try (backends.map { $0.split(separator: ",").map(String.init) } ?? Backends.names).map(lookupBackend)
        let replyList = try loadReplies()
        let progress = BenchSystem.stderrIsTerminal && !json ? BenchProgressBar() : nil
        let config = BenchConfiguration(
            backends: descriptors, reference: Backends.reference, repeats: repeats, warmupSeconds: warmup,
            threads: threads.map { $0.split(separator: ",").compactMap { Int($0) } } ?? [],
            repliesPerCompile: repliesPerCompile, progress: progress.map { bar in { @Sendable in bar.draw($0, $1) } })
        let runner = BenchRunner(config)

        var reports: [BenchReport] = []
        if sweep {
            for n in Self.sweepSizes {
                progress?.prefix = "\(n) rules: "
                let rules = try makeSweepRules(n)
                reports.append(runner.run(BenchInput(name: "mixed-\(n) × \(replySourceName)", ruleSet: rules, replies: replyList)))
            }
        } else {
            let rules = try loadRules()
            let name = (ruleFiles.isEmpty ? [Self.bundledRules] : ruleFiles).map(Self.stem).joined(separator: "+") + " × " + replySourceName
            reports.append(runner.run(BenchInput(name: name, ruleSet: rules, replies: replyList)))
        }
        progress?.clear()

        if json {
            print(reports.count == 1 ? reports[0].json() : BenchReport.json(reports))
        } else {
            for r in reports { print(r.text()) }
        }
        if let chart {
            let svg = sweep ? BenchChart.sweep(reports) : BenchChart.bars(reports[0])
            try writeFile(chart, svg)
            if !json { print("chart written to \(chart)") }
        }
        if baseline.count == 2 {
            let path = baseline[1]
            let current = BenchBaseline(reports: reports)
            if baseline[0] == "save" {
                try writeFile(path, current.tsv())
                if !json { print("baseline saved to \(path) (\(current.entries.count) figures)") }
            } else {
                guard let text = readText(path) else {
                    printError("\(path): cannot read the baseline")
                    throw ExitCode(1)
                }
                let saved: BenchBaseline
                do { saved = try BenchBaseline(tsv: text) } catch {
                    printError("\(path): \(error)")
                    throw ExitCode(1)
                }
                let comparisons = saved.compare(with: current, tolerance: tolerance)
                // The comparison goes to stderr when stdout carries JSON, so the JSON stays parseable.
                let table = "Against baseline \(path) (tolerance \(BenchFormat.fixed(tolerance * 100, 0))%):\n" + BenchBaseline.table(comparisons, tolerance: tolerance)
                if json { printError(table) } else { print(table) }
                if !comparisons.contains(where: { $0.baseline != nil }) {
                    // A comparison that matched nothing must not pass silently in CI.
                    printError("nothing in \(path) matches this run's inputs (\(reports.map(\.inputName).joined(separator: ", "))); nothing was compared")
                    throw ExitCode(1)
                }
                if BenchBaseline.hasRegression(comparisons) {
                    printError("regression: a backend is slower than the baseline by more than \(BenchFormat.fixed(tolerance * 100, 0))%, or lost its figure")
                    throw ExitCode(1)
                }
            }
        }
    }

    var replySourceName: String {
        (replies.isEmpty ? [Self.bundledReplies] : replies).map(Self.stem).joined(separator: "+")
    }

    static func stem(_ path: String) -> String {
        if path == "-" { return "stdin" }
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }

    func loadRules() throws -> RuleSet {
        let files = ruleFiles.isEmpty ? [Self.bundledRules] : ruleFiles
        if ruleFiles.isEmpty && access(Self.bundledRules, R_OK) != 0 {
            throw ValidationError("no --rules given and the bundled \(Self.bundledRules) is not here; run from the project root or give --rules FILE")
        }
        var options = LoadOptions()
        options.caseSensitive = caseSensitive
        options.format = format
        do { return try RuleLoader.load(files: files, options: options) } catch {
            for e in error.errors { printError("\(e)") }
            printError("\(error.errors.count) error(s); no rules loaded")
            throw ExitCode(1)
        }
    }

    func makeSweepRules(_ n: Int) throws -> RuleSet {
        do {
            return try CorpusGenerator.ruleSet(CorpusGenerator.rules(count: n, mix: .mixed, seed: Self.sweepSeed), file: "sweep-mixed-\(n).tsv")
        } catch {
            printError("generated \(n)-rule set did not build: \(error)")
            throw ExitCode(1)
        }
    }

    /// Reads every reply up front: the measured loop must not include reading or parsing.
    func loadReplies() throws -> [Reply] {
        let paths = replies.isEmpty ? [Self.bundledReplies] : replies
        if replies.isEmpty && access(Self.bundledReplies, R_OK) != 0 {
            throw ValidationError("no reply files given and the bundled \(Self.bundledReplies) is not here; run from the project root or give REPLIES")
        }
        var out: [Reply] = []
        for path in paths {
            let reader: LineReader
            do { reader = try LineReader(path: path) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            var reply = Reply()
            while reader.withNextLine({ ReplyParser.parse($0, context: ReplyContext(), into: &reply) }) != nil {
                out.append(reply)
            }
            if let e = reader.readError {
                printError("\(path): read error after line \(reader.lineNumber): \(e)")
                throw ExitCode(1)
            }
        }
        if out.isEmpty {
            printError("no replies to measure")
            throw ExitCode(1)
        }
        return out
    }

    func writeFile(_ path: String, _ text: String) throws {
        guard let f = fopen(path, "w") else {
            printError("\(path): cannot write: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        defer { fclose(f) }
        var t = text
        let ok = t.withUTF8 { fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
        if !ok {
            printError("\(path): write failed")
            throw ExitCode(1)
        }
    }

    func readText(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            out.append(contentsOf: buf[0..<n])
            if n < buf.count { break }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A one-line progress bar on standard error, redrawn in place; only made when stderr is a terminal.
final class BenchProgressBar: @unchecked Sendable {
    var prefix = ""

    func draw(_ status: String, _ fraction: Double) {
        let width = 24
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded())))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var line = "\r[\(bar)] \(prefix)\(status)"
        if line.count > 100 { line = String(line.prefix(100)) }
        BenchSystem.writeStderr(line + "\u{1B}[K")
    }

    func clear() { BenchSystem.writeStderr("\r\u{1B}[K") }
}
