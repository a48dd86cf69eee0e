import ArgumentParser
import BounceMatch

struct TempRoot: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bouncematch", subcommands: [GenerateCommand.self])
}
TempRoot.main()
