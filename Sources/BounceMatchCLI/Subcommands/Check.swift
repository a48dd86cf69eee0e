import ArgumentParser
import BounceMatch

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load, validate and lint rule files: errors, shadowed and duplicate rules, suspicious patterns, PCRE-only rules, backends.",
        discussion: """
            Errors print as file:line:col: reason. Findings print as file:line:col: warning|note: [kind] message \
            (kinds in docs/LINT.md). Exit codes: 0 no errors (warnings allowed); 1 the rule files did not load, or \
            --strict and at least one warning.
            """
    )

    @OptionGroup var rules: RuleOptions

    @Flag(help: "Do not compile every backend (skips the hybrid/undecidable report).")
    var noBackends = false

    @Option(help: ArgumentHelp("Replies, one per line (or a replies-*.tsv with a 'reply' column): report rules that never win and, with --max-share, rules that win too much.", valueName: "FILE"))
    var corpus: String?

    @Option(help: ArgumentHelp("With --corpus: report a rule that wins more than this share (0...1) of the replies.", valueName: "F"))
    var maxShare: Double?

    @Option(help: "Output: text or json.")
    var output: OutputFormat = .text

    @Flag(help: "Exit 1 on any warning, not only on errors.")
    var strict = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if let maxShare, !(0...1).contains(maxShare) { throw ValidationError("--max-share must be in 0...1, got \(maxShare)") }
        if maxShare != nil && corpus == nil { throw ValidationError("--max-share needs --corpus FILE") }
    }

    func run() throws {
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleLoader.load(files: rules.files, options: rules.loadOptions)
        } catch {
            for e in error.errors { printError("\(e)") }
            printError("\(error.errors.count) error(s); no rules loaded")
            if output == .json { print(LintReport.jsonForLoadErrors(files: rules.files, errors: error.errors)) }
            throw ExitCode(1)
        }
        var options = LintOptions(backends: !noBackends)
        if let corpus {
            do { options.corpus = try Linter.readCorpus(corpus) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            options.maxShare = maxShare
        }
        let report = Linter.lint(ruleSet, files: rules.files, options: options)
        print(output == .json ? report.json() : report.text())
        if strict && report.warningCount > 0 { throw ExitCode(1) }
    }
}
