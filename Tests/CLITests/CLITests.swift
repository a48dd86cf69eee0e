import BounceMatch
import Testing
import TestSupport

@Suite("bouncematch CLI")
struct CLITests {
    static let rules = """
        kind\tpattern\tlabel\torder
        # the PowerMTA seed's example, most specific first
        substring\tThe email account that you tried to reach does not exist\tbad-mailbox\t0
        substring\tdoes not exist\tbad-mailbox\t1
        regex\t^4\\d\\d .*try again later\tgreylist\t2
        exact\tmailbox full\tquota\t3
        wildcard\t*rate limit*\trate-limit\t4
        substring\tunknown\tbad-mailbox\t5

        """

    static let replies = [
        "550-5.1.1 The email account that you tried to reach does not exist. Please try",
        "550 5.1.1 user DOES NOT EXIST\r",
        "421 4.7.0 Try again later",
        "552 mailbox full",
        "452 4.2.2 Mailbox full for user",
        "451 4.7.1 Rate Limit exceeded",
        "250 2.0.0 OK",
        "",
        "550 unknown host",
    ]
    static let expected = ["0", "1", "2", "3", "-1", "4", "-1", "-1", "5"]

    @Test("match prints one index per reply, identical for every backend")
    func matchEveryBackend() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        let input = Array((Self.replies.joined(separator: "\n") + "\n").utf8)
        for backend in Backends.names {
            let out = try CLIRunner.run(["match", "--rules", rulesFile, "--backend", backend], stdin: input)
            #expect(out.status == 0, "\(backend): \(out.stderr)")
            #expect(out.lines == Self.expected, "\(backend)")
        }
    }

    @Test("match reads files, and --case-sensitive flips the default")
    func matchFilesCaseSensitive() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        let repliesFile = try CLIRunner.temporaryFile("replies.txt", Self.replies.joined(separator: "\n"))
        let out = try CLIRunner.run(["match", "--rules", rulesFile, "--case-sensitive", repliesFile])
        #expect(out.status == 0, "\(out.stderr)")
        // "DOES NOT EXIST", "Try again later", "Rate Limit" no longer match case-sensitively.
        #expect(out.lines == ["0", "-1", "-1", "3", "-1", "-1", "-1", "-1", "5"])
    }

    @Test("match --output jsonl carries rule, label, actions, span and chain")
    func matchJSONL() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        let out = try CLIRunner.run(["match", "--rules", rulesFile, "--output", "jsonl"], stdin: Array("550 5.1.1 user does not exist\n250 ok\n".utf8))
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.lines.count == 2)
        #expect(out.lines[0].contains("\"index\":1"))
        #expect(out.lines[0].contains("\"label\":\"bad-mailbox\""))
        #expect(out.lines[0].contains("\"span\":[15,29]"))
        #expect(out.lines[0].contains("\"chain\":[1]"))
        #expect(out.lines[1].contains("\"index\":-1"))
    }

    @Test("check reports a bad regex with file:line:col and exits 1")
    func checkBadRegex() throws {
        let file = try CLIRunner.temporaryFile("bad.tsv", "kind\tpattern\nsubstring\tok\nregex\tab(c\n")
        let out = try CLIRunner.run(["check", "--rules", file])
        #expect(out.status == 1)
        #expect(out.stderr.contains("bad.tsv:3:"), "\(out.stderr)")
    }

    @Test("check lists PCRE-only rules and hybrid backends")
    func checkPCREOnly() throws {
        let file = try CLIRunner.temporaryFile("p.tsv", "kind\tpattern\nregex\t^(?!.*internal).*RL000010\nregex\t(a)\\1\n")
        let out = try CLIRunner.run(["check", "--rules", file])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("2 PCRE-only rule(s)"))
        #expect(out.stdout.contains("lookahead"))
        #expect(out.stdout.contains("backreference"))
        #expect(out.stdout.contains("hybrid"))
    }

    @Test("test explains the winning rule, its span and the chain")
    func testExplains() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        let out = try CLIRunner.run(["test", "--rules", rulesFile, "550 5.1.1 user does not exist"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("rule 1"))
        #expect(out.stdout.contains("rules.tsv:4"))
        #expect(out.stdout.contains("label:    bad-mailbox"))
        #expect(out.stdout.contains("[does not exist]"))
        #expect(out.stdout.contains("chain:"))
    }

    @Test("diff proves agreement and exits 0")
    func diffAgrees() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        let out = try CLIRunner.run(["diff", "--rules", rulesFile], stdin: Array(Self.replies.joined(separator: "\n").utf8))
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("backends agree on 9 replies"))
    }

    @Test("bad invocations give clear errors")
    func badInvocations() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        let unknown = try CLIRunner.run(["match", "--rules", rulesFile, "--backend", "nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown backend"))
        let missing = try CLIRunner.run(["match", "--rules", "/nonexistent/rules.tsv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/rules.tsv"))
        let missingReplies = try CLIRunner.run(["match", "--rules", rulesFile, "/nonexistent/replies.txt"])
        #expect(missingReplies.status == 1)
    }

    @Test("a 1 MB reply line with NUL and 0xFF bytes streams through")
    func hugeBinaryLine() throws {
        let rulesFile = try CLIRunner.temporaryFile("rules.tsv", Self.rules)
        var input = Array("550 ".utf8) + [UInt8](repeating: 0x41, count: 1 << 20) + [0x00, 0xFF] + Array(" unknown\n".utf8)
        input += Array("250 ok\n".utf8)
        for backend in Backends.names {
            let out = try CLIRunner.run(["match", "--rules", rulesFile, "--backend", backend], stdin: input)
            #expect(out.status == 0, "\(backend): \(out.stderr)")
            #expect(out.lines == ["5", "-1"], "\(backend)")
        }
    }
}
