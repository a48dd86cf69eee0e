import ArgumentParser
import BounceMatch

/// `bouncematch generate accounting`: a seeded MTA log for `classify` tests and benchmarks.
struct GenerateAccountingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounting",
        abstract: "Write a seeded, realistic PowerMTA accounting CSV or KumoMTA JSON log."
    )

    @Option(help: "Number of records.")
    var records: Int

    @Option(help: "Seed; the same seed gives byte-identical output.")
    var seed: UInt64

    @Option(help: "Output file (- for standard output).")
    var out: String = "-"

    @Option(help: "csv (PowerMTA accounting) or kumo-json (KumoMTA log records).")
    var format: String = "csv"

    @Option(name: .customLong("delivered-per-mille"), help: "Share of delivered records, per mille.")
    var deliveredPerMille: Int = 600

    func validate() throws {
        guard records >= 0 else { throw ValidationError("--records must not be negative") }
        guard AccountingLogGenerator.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be csv or kumo-json")
        }
        guard (0...1000).contains(deliveredPerMille) else { throw ValidationError("--delivered-per-mille must be in 0...1000") }
    }

    func run() throws {
        var generator = AccountingLogGenerator(seed: seed)
        generator.deliveredPerMille = deliveredPerMille
        do {
            try generator.write(records: records, format: AccountingLogGenerator.Format(rawValue: format)!, to: out)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}
