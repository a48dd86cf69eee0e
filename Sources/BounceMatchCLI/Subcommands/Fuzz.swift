import ArgumentParser
import BounceMatch
#if canImport(Glibc)
import Glibc
#endif

struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Vet rules before deployment: compile, shadowing, stealing, slow patterns (ReDoS), backend agreement.",
        discussion: """
            Vets every rule of --rules, or only the rules of --new (loaded after the existing set, or before it \
            with --new-first). Every finding comes with an example reply. Progress goes to standard error when it \
            is a terminal. Stops at --time. Exit codes: 0 no blocking finding (warnings may be printed); 1 a \
            blocking finding (backend disagreement, compile failure, slow pattern, a vetted rule that never wins \
            or matches nothing) or unreadable input; 64 usage error. See docs/FUZZING.md.
            """
    )

    @OptionGroup var rules: RuleOptions

    @Option(name: .customLong("new"), help: ArgumentHelp("A file of new rules to vet against --rules; repeatable.", valueName: "FILE"))
    var newFiles: [String] = []

    @Flag(help: "Place the --new rules before the existing ones (as a file loaded first).")
    var newFirst = false

    @Option(help: ArgumentHelp("Replies to test with: one per line, or a .tsv with a 'reply' column; repeatable.", valueName: "REPLIES"))
    var corpus: [String] = []

    @Option(help: ArgumentHelp("Time limit, e.g. 60s, 2m, 500ms.", valueName: "DURATION"))
    var time: String = "60s"

    @Option(help: "Seed of the sampler and fuzzer (a run is reproducible from it).")
    var seed: UInt64 = 1

    @Option(help: "Sampled replies per rule for shadowing.")
    var samples: Int = 48

    @Flag(help: "Print one JSON object instead of the text report.")
    var json = false

    func validate() throws {
        if Self.seconds(time) == nil { throw ValidationError("--time must look like 60s, 2m or 500ms") }
        if samples < 1 { throw ValidationError("--samples must be at least 1") }
    }

    static func seconds(_ s: String) -> Double? {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        for (u, k) in units where s.hasSuffix(u) {
            if let v = Double(s.dropLast(u.count)), v > 0 { return v * k }
        }
        return Double(s).flatMap { $0 > 0 ? $0 : nil }
    }

    func run() throws {
        let ruleSet: RuleSet
        let newSet: Set<String>
        do {
            (ruleSet, newSet) = try RuleVetter.loadRuleSet(existing: rules.files, new: newFiles, newFirst: newFirst, options: rules.loadOptions)
        } catch {
            for e in error.errors { printError("\(e)") }
            printError("\(error.errors.count) error(s); no rules loaded")
            throw ExitCode(1)
        }
        var replies: [Reply] = []
        for path in corpus {
            do { replies += try RuleVetter.readCorpus(path: path) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        var options = RuleVetter.Options()
        options.seed = seed
        options.timeLimit = Self.seconds(time) ?? 60
        options.samplesPerRule = samples
        let vetter = RuleVetter(
            ruleSet: ruleSet, isNew: newFiles.isEmpty ? nil : { newSet.contains($0.location.file) }, corpus: replies,
            options: options
        )
        let showProgress = isatty(2) != 0
        let report = vetter.run { line in if showProgress { printError("fuzz: \(line)") } }
        print(json ? report.json(ruleSet: ruleSet) : report.text(ruleSet: ruleSet), terminator: json ? "\n" : "")
        if report.hasBlocking { throw ExitCode(1) }
    }
}
