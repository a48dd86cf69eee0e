import ArgumentParser
import BounceMatch

struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Print the first matching rule index (or -1) for each reply, one per line.",
        discussion: """
            Replies are read one per line from the files given (or standard input); a trailing CR is dropped. \
            Streaming: memory is bounded by the longest line. With --output jsonl each line is a JSON object \
            with the index, rule name, label, actions, span and chain.
            """
    )

    @OptionGroup var rules: RuleOptions
    @OptionGroup var context: ContextOptions

    @Option(help: ArgumentHelp("Backend: \(Backends.names.joined(separator: ", ")).", valueName: "NAME"))
    var backend: String = "naive"

    @Option(help: "Output: index (one integer per line) or jsonl.")
    var output: OutputFormat = .index

    @Argument(help: ArgumentHelp("Reply files (default: standard input; - is standard input).", valueName: "REPLIES"))
    var replies: [String] = []

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case index, jsonl }

    func run() throws {
        let descriptor = try lookupBackend(backend)
        let ruleSet = try rules.load()
        let matcher = try makeMatcher(descriptor, ruleSet)
        let scratch = matcher.makeScratch()
        let spans = output == .jsonl ? try NaiveMatcher(ruleSet: ruleSet) : nil
        let out = OutputBuffer()
        let ctx = context.context
        var reply = Reply()
        var count = 0, undecided = 0
        for path in replies.isEmpty ? ["-"] : replies {
            let reader: LineReader
            do { reader = try LineReader(path: path) } catch {
                out.flush()
                printError("\(error)")
                throw ExitCode(1)
            }
            while reader.withNextLine({ line in ReplyParser.parse(line, context: ctx, into: &reply) }) != nil {
                count += 1
                if let spans {
                    let e = Explanation(reply: reply, matcher: matcher, spans: spans)
                    if !e.result.isDecided { undecided += 1 }
                    out.write(e.jsonLine(ruleSet: ruleSet, replyNumber: count))
                } else {
                    let r = matcher.firstMatch(reply, scratch: scratch)
                    if !r.isDecided { undecided += 1 }
                    out.writeInt(r.ruleIndex)
                }
                out.writeByte(0x0A)
            }
            if let e = reader.readError {
                out.flush()
                printError("\(path): read error after line \(reader.lineNumber): \(e)")
                throw ExitCode(1)
            }
        }
        out.flush()
        if undecided > 0 {
            printError("warning: \(undecided) of \(count) replies reached a rule the \(backend) backend could not decide (step budget or match limit); their index is the lowest decided match. Use --output jsonl to see which.")
        }
    }
}

