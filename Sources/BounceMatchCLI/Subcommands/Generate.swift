import ArgumentParser
import BounceMatch

/// `bouncematch generate`: seeded synthetic rule lists and reply streams (see corpora/README.md).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate seeded synthetic rule lists and reply streams.",
        subcommands: [Rules.self, Replies.self, GenerateAccountingCommand.self]
    )

    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a rule list in the TSV rule format (kind, pattern, label, order)."
        )

        @Option(help: "Number of rules (1...10000).")
        var count: Int

        @Option(help: "substring (substring rules only) or mixed (substring, regex, exact, wildcard).")
        var mix: String

        @Option(help: "Share of PCRE-only regex rules (lookahead, backreference) in a mixed list, 0...0.3.")
        var pcreOnlyFraction: Double = 0

        @Option(help: "Seed; the same seed gives byte-identical output.")
        var seed: UInt64

        @Option(help: "Output file (standard output when omitted).")
        var out: String?

        func validate() throws {
            guard CorpusGenerator.ruleCountRange.contains(count) else {
                throw ValidationError("--count must be in \(CorpusGenerator.ruleCountRange), got \(count)")
            }
            guard CorpusGenerator.RuleMix(rawValue: mix) != nil else {
                throw ValidationError("--mix must be substring or mixed, got '\(mix)'")
            }
            guard (0...0.3).contains(pcreOnlyFraction) else {
                throw ValidationError("--pcre-only-fraction must be in 0...0.3, got \(pcreOnlyFraction)")
            }
            if pcreOnlyFraction > 0 && mix != "mixed" {
                throw ValidationError("--pcre-only-fraction needs --mix mixed")
            }
        }

        func run() throws {
            let rules = CorpusGenerator.rules(
                count: count, mix: CorpusGenerator.RuleMix(rawValue: mix)!, pcreOnlyFraction: pcreOnlyFraction, seed: seed
            )
            try CorpusGenerator.write(CorpusGenerator.tsv(rules), to: out ?? "-")
        }
    }

    struct Replies: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write replies, one per line.")

        @Option(help: "Number of replies.")
        var count: Int

        @Option(help: "Seed; the same seed gives byte-identical output.")
        var seed: UInt64

        @Option(help: "Output file (standard output when omitted).")
        var out: String?

        func validate() throws {
            guard count >= 0 else { throw ValidationError("--count must not be negative, got \(count)") }
        }

        func run() throws {
            // Written in chunks so that millions of replies need no more memory than one chunk.
            var stream = CorpusGenerator.ReplyStream(seed: seed)
            var chunk: [CorpusGenerator.GeneratedReply] = []
            var remaining = count
            var first = true
            let path = out ?? "-"
            repeat {
                chunk.removeAll(keepingCapacity: true)
                for _ in 0..<min(remaining, 50_000) { chunk.append(stream.nextReply()) }
                remaining -= chunk.count
                try CorpusGenerator.write(CorpusGenerator.lines(chunk), to: path, append: !first)
                first = false
            } while remaining > 0
        }
    }
}
