import ArgumentParser
import BounceMatch

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Run several backends on the same replies and report every disagreement.",
        discussion: """
            The first backend (default: naive, the reference) is the baseline. Prints each disagreement (the \
            reply, each backend's answer and the rules involved), then a summary table. Exit 1 on any \
            disagreement or when a backend cannot take the rule set — usable as a CI gate for a rule repository.
            """
    )

    @OptionGroup var rules: RuleOptions
    @OptionGroup var context: ContextOptions

    @Option(help: ArgumentHelp("Comma-separated backends (default: all; the first is the baseline).", valueName: "a,b,..."))
    var backends: String?

    @Option(help: "Print at most this many disagreements in full.")
    var show: Int = 20

    @Argument(help: ArgumentHelp("Reply files, one reply per line (default: standard input).", valueName: "REPLIES"))
    var replies: [String] = []

    func run() throws {
        let names = backends.map { $0.split(separator: ",").map(String.init) } ?? Backends.names
        let descriptors = try names.map(lookupBackend)
        let ruleSet = try rules.load()
        var matchers: [any Matcher] = []
        var failed = false
        for d in descriptors {
            do { matchers.append(try d.make(ruleSet, MatcherOptions())) } catch {
                print("\(d.name): cannot take this rule set: \(error)")
                failed = true
            }
        }
        guard !matchers.isEmpty else { throw ExitCode(1) }
        let run = DifferentialRun(matchers: matchers, keep: show)
        let ctx = context.context
        var reply = Reply()
        var number = 0
        for path in replies.isEmpty ? ["-"] : replies {
            let reader: LineReader
            do { reader = try LineReader(path: path) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            while reader.withNextLine({ ReplyParser.parse($0, context: ctx, into: &reply) }) != nil {
                number += 1
                run.check(reply, replyNumber: number)
            }
            if let e = reader.readError {
                printError("\(path): read error after line \(reader.lineNumber): \(e)")
                failed = true
            }
        }
        for d in run.disagreements {
            print("DISAGREE reply \(d.replyNumber): \(String(decoding: d.line, as: UTF8.self))")
            for (name, r) in zip(run.backendNames, d.results) {
                print("  \(name.padding(18))\(describe(r, ruleSet))")
            }
        }
        if run.totalDisagreements > run.disagreements.count {
            print("... and \(run.totalDisagreements - run.disagreements.count) more disagreeing replies")
        }
        print("")
        print("backend".padding(18) + "replies".padding(10) + "disagree".padding(10) + "undecided".padding(11) + "hybrid".padding(8) + "undecidable")
        for (i, m) in run.matchers.enumerated() {
            let hybrid = m.ruleNotes.filter { $0.kind == .hybrid }.count
            let undecidable = m.ruleNotes.filter { $0.kind == .undecidable }.count
            let dis = i == 0 ? "(base)" : String(run.disagreementCounts[i])
            print(m.backendName.padding(18) + String(run.replyCount).padding(10) + dis.padding(10)
                  + String(run.undecidedCounts[i]).padding(11) + String(hybrid).padding(8) + String(undecidable))
        }
        if run.totalDisagreements > 0 {
            print("\n\(run.totalDisagreements) of \(run.replyCount) replies disagree")
            throw ExitCode(1)
        }
        print("\nall \(run.matchers.count) backends agree on \(run.replyCount) replies")
        if failed { throw ExitCode(1) }
    }

    func describe(_ r: MatchResult, _ ruleSet: RuleSet) -> String {
        var s: String
        if r.ruleIndex >= 0 {
            let rule = ruleSet.rules[r.ruleIndex]
            s = "\(r.ruleIndex)  \(rule.location)  \(rule.kind?.rawValue ?? "-") \"\(rule.patternText)\""
        } else {
            s = "-1"
        }
        if r.undecided >= 0 { s += "  (rule \(r.undecided) at \(ruleSet.rules[r.undecided].location) undecided)" }
        return s
    }
}
