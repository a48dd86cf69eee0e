#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import BounceMatch

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify MTA logs (PowerMTA accounting CSV, KumoMTA JSON, reply lines) and show what the rules miss.",
        discussion: """
            Inputs are files, globs (expanded here too), gzip files (recognised by their magic bytes) or - for \
            standard input (the default). The format is detected per input from its first bytes unless \
            --input-format is given. Prints per-label and per-rule counts, the top unclassified replies \
            grouped by shape, and bad records with their file and line. See docs/CLASSIFY.md.
            Exit codes: 0 done (bad records are counted, not fatal); 1 rule errors, or an input could not be \
            opened or read; 64 usage errors.
            """
    )

    @OptionGroup var rules: RuleOptions
    @OptionGroup var context: ContextOptions

    @Option(help: ArgumentHelp("Backend (default: \(ClassifyBackend.preference.joined(separator: ", then ")); see docs/CLASSIFY.md).", valueName: "NAME"))
    var backend: String?

    @Option(name: .customLong("input-format"), help: ArgumentHelp("csv, kumo-json or lines (default: detected per input).", valueName: "F"))
    var inputFormat: String?

    @Option(help: "Worker threads (default: the number of cores).")
    var threads: Int = onlineProcessorCount()

    @Option(help: ArgumentHelp("Record types to classify, comma-separated, or * for all (default: b,t for CSV; Bounce,TransientFailure for KumoMTA).", valueName: "LIST"))
    var types: String?

    @Option(help: "How many unclassified shapes to show.")
    var top: Int = 20

    @Option(help: ArgumentHelp("Write the records with rule index and label added (- for standard output).", valueName: "FILE"))
    var annotate: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Option(name: .customLong("bad-shown"), help: "How many bad records to list.")
    var badShown: Int = 20

    @Option(name: .customLong("max-record-bytes"), help: "Records longer than this are bad and skipped.")
    var maxRecordBytes: Int = 1_000_000

    @Option(name: .customLong("reply-field"), help: "CSV field holding the reply.")
    var replyField = "dsnDiag"
    @Option(name: .customLong("recipient-field"), help: "CSV field holding the recipient.")
    var recipientField = "rcpt"
    @Option(name: .customLong("ip-field"), help: "CSV field holding the sending IP.")
    var ipField = "dlvSourceIp"
    @Option(name: .customLong("type-field"), help: "CSV field holding the record type.")
    var typeField = "type"

    @Flag(inversion: .prefixedNo, help: "Progress bar on standard error (default: when it is a terminal).")
    var progress: Bool?

    @Argument(help: ArgumentHelp("Log files or globs (default: standard input).", valueName: "LOGS"))
    var inputs: [String] = []

    func validate() throws {
        if let inputFormat, InputFormat(rawValue: inputFormat) == nil {
            throw ValidationError("--input-format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard threads >= 1 && threads <= 1024 else { throw ValidationError("--threads must be in 1...1024") }
        guard top >= 0, badShown >= 0 else { throw ValidationError("--top and --bad-shown must not be negative") }
        guard maxRecordBytes >= 64 else { throw ValidationError("--max-record-bytes must be at least 64") }
        if let backend { _ = try lookupBackend(backend) }
    }

    func run() throws {
        let ruleSet = try rules.load()
        let matcher: any Matcher
        if let backend {
            matcher = try makeMatcher(try lookupBackend(backend), ruleSet)
        } else {
            do {
                let (m, passed) = try ClassifyBackend.makeDefault(ruleSet)
                matcher = m
                if !passed.isEmpty && !json { printError("backend: \(m.backendName) (passed over: \(passed.joined(separator: "; ")))") }
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        var options = ClassifyOptions()
        options.format = inputFormat.flatMap(InputFormat.init(rawValue:))
        options.threads = threads
        options.recordTypes = types.map { $0.split(separator: ",").map { String($0).trimmingSpaces } }
        options.defaultContext = context.context
        options.maxRecordBytes = maxRecordBytes
        options.maxBadRecordsKept = max(badShown, 1)
        options.shapesKept = top
        options.fieldNames.reply = Array(replyField.utf8)
        options.fieldNames.recipient = Array(recipientField.utf8)
        options.fieldNames.sendingIP = Array(ipField.utf8)
        options.fieldNames.recordType = Array(typeField.utf8)

        let paths = InputPaths.expand(inputs.isEmpty ? ["-"] : inputs)
        var writer: AnnotateWriter?
        if let annotate {
            do { writer = try AnnotateWriter(path: annotate, ruleSet: ruleSet) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        let showProgress = progress ?? (isatty(2) != 0)
        let bar = ProgressBar()
        let started = bar.start
        let summary = ClassifyRun(matcher: matcher, options: options).run(
            inputs: paths, annotate: writer, progress: showProgress ? { bar.show($0) } : nil
        )
        if showProgress { bar.finish() }
        writer?.flush()
        let report = json ? summary.json(ruleSet: ruleSet, top: top, badShown: badShown) + "\n"
            : summary.text(ruleSet: ruleSet, top: top, badShown: badShown)
        // With the annotated records on standard output, the report goes to standard error.
        if annotate == "-" { printError(report) } else { print(report, terminator: "") }
        // Flush the report first so the timing line never lands inside it when both streams share a terminal.
        fflush(nil)
        if !json {
            let seconds = monotonicNow() - started
            printError("\(summary.records) records in \(formatSeconds(seconds)) with \(matcher.backendName), \(threads) thread(s)")
        }
        for e in summary.fileErrors { printError("error: \(e)") }
        if !summary.fileErrors.isEmpty { throw ExitCode(1) }
    }
}

/// `[=====>     ]  45.2%  80.1 MB/s  1.2M rec/s  ETA 0:12` on standard error, redrawn in place.
final class ProgressBar {
    let start = monotonicNow()
    private var drawn = false

    func show(_ p: ClassifyProgress) {
        let elapsed = max(monotonicNow() - start, 1e-6)
        let rate = Double(p.bytesRead) / elapsed
        var line = "\r"
        if let total = p.totalBytes, total > 0 {
            let fraction = min(Double(p.bytesRead) / Double(total), 1)
            let width = 30, filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "=", count: filled) + (filled < width ? ">" : "")
                + String(repeating: " ", count: max(width - filled - 1, 0)) + "] "
            line += "\(Int(fraction * 1000) / 10).\(Int(fraction * 1000) % 10)%  "
            let eta = rate > 0 ? Double(total - p.bytesRead) / rate : 0
            line += "\(formatRate(rate))  \(formatCount(Double(p.records) / elapsed)) rec/s  ETA \(formatSeconds(eta))"
        } else {
            line += "\(formatCount(Double(p.records))) records  \(formatRate(rate))  \(formatCount(Double(p.records) / elapsed)) rec/s"
        }
        var err = StandardError()
        print(line + "   ", terminator: "", to: &err)
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        var err = StandardError()
        print("", to: &err)
    }
}

func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func formatSeconds(_ s: Double) -> String {
    if s < 60 { return "\(Int(s * 100) / 100).\(Int(s * 100) % 100 < 10 ? "0" : "")\(Int(s * 100) % 100)s" }
    let t = Int(s)
    return "\(t / 60):\(t % 60 < 10 ? "0" : "")\(t % 60)"
}

func formatRate(_ bytesPerSecond: Double) -> String {
    let mb = bytesPerSecond / 1_000_000
    return "\(Int(mb * 10) / 10).\(Int(mb * 10) % 10) MB/s"
}

func formatCount(_ n: Double) -> String {
    if n >= 1_000_000 { return "\(Int(n / 100_000) / 10).\(Int(n / 100_000) % 10)M" }
    if n >= 1_000 { return "\(Int(n / 100) / 10).\(Int(n / 100) % 10)k" }
    return "\(Int(n))"
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
