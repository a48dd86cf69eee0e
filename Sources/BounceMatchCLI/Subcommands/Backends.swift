import ArgumentParser
import BounceMatch

struct BackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "List the registered matcher backends."
    )

    func run() {
        for d in Backends.all { print("\(d.name.padding(18))\(d.summary)") }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
