import ArgumentParser

@main
struct BounceMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bouncematch",
        abstract: "Evaluate ordered SMTP-reply pattern lists (first match wins) with interchangeable backends.",
        discussion: """
            Exit codes: 0 success; 1 errors in the input (rule files, disagreements, blocking findings); \
            64 usage errors.
            """,
        subcommands: [
            MatchCommand.self, CheckCommand.self, TestCommand.self, DiffCommand.self, BackendsCommand.self,
            GenerateCommand.self, ClassifyCommand.self, ConvertCommand.self, BenchCommand.self, FuzzCommand.self,
        ]
    )
}
