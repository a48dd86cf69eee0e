import ArgumentParser
import BounceMatch

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Write the loaded rules in another format (today: native YAML), losing no field.",
        discussion: """
            The rules are written in their evaluated order, with every field (name, kind, pattern, target, case \
            mode, conditions, ISPs, priority, label, actions, continue, details) and the source file:line as the \
            detail 'source'. Loading the written file gives the same rules and the same first matches. Exit 1 when \
            the rule files do not load.
            """
    )

    @OptionGroup var rules: RuleOptions

    @Option(help: "Target format: native.")
    var to: Target

    @Option(help: ArgumentHelp("Output file (default: standard output).", valueName: "FILE"))
    var out: String?

    enum Target: String, ExpressibleByArgument, CaseIterable { case native }

    func run() throws {
        let conversion: NativeRuleWriter.Conversion
        do {
            conversion = try NativeRuleWriter.convert(files: rules.files, options: rules.loadOptions)
        } catch {
            for e in error.errors { printError("\(e)") }
            printError("\(error.errors.count) error(s); nothing converted")
            throw ExitCode(1)
        }
        for n in conversion.notes { printError("note: \(n)") }
        do {
            try CorpusGenerator.write(Array(conversion.yaml.utf8), to: out ?? "-")
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}
