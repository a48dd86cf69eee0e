import Testing
import TestSupport

@Suite("bouncematch fuzz (CLI)")
struct FuzzCLITests {
    @Test("a shadowed rule is a blocking finding with an example reply; exit 1")
    func shadowedRuleBlocks() throws {
        // Modeled on KumoMTA's iana list: TooManyRecipients can never win behind ProtocolErrors.
        let rules = try CLIRunner.temporaryFile("iana.tsv", """
            kind\tpattern\tlabel
            regex\t^\\d{3} [45]\\.5\\.\\d+ \tProtocolErrors
            regex\t^[45]\\d{2} [45]\\.5\\.3 \tTooManyRecipients

            """)
        let out = try CLIRunner.run(["fuzz", "--case-sensitive", "--rules", rules, "--time", "5s", "--seed", "1"])
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("[shadowed]"), "\(out.stdout)")
        #expect(out.stdout.contains("TooManyRecipients"))
        #expect(out.stdout.contains("example reply"))
    }

    @Test("clean rules pass: exit 0, and --json is one JSON document")
    func cleanRulesPass() throws {
        let rules = try CLIRunner.temporaryFile("ok.tsv", "kind\tpattern\tlabel\nsubstring\tuser unknown\tbad-mailbox\nsubstring\tmailbox full\tquota\n")
        let out = try CLIRunner.run(["fuzz", "--rules", rules, "--time", "3s", "--seed", "2"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        let json = try CLIRunner.run(["fuzz", "--rules", rules, "--time", "3s", "--seed", "2", "--json"])
        #expect(json.status == 0)
        let text = json.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.hasPrefix("{") && text.hasSuffix("}"), "\(json.stdout)")
    }
}
