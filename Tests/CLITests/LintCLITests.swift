import BounceMatch
import Foundation
import Testing
import TestSupport

@Suite("bouncematch check as a linter: output, JSON shape, exit codes")
struct LintCLITests {
    static let shadowing = "kind\tpattern\tlabel\nsubstring\tunknown\tbad-mailbox\nsubstring\tuser unknown\tbad-mailbox\n"

    @Test("text output names the shadowed rule, the shadowing rule, file:line and an example")
    func text() throws {
        let file = try CLIRunner.temporaryFile("s.tsv", Self.shadowing)
        let out = try CLIRunner.run(["check", "--no-backends", "--rules", file])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("s.tsv:3:1: warning: [shadowed] rule 1 can never fire: rule 0"))
        #expect(out.stdout.contains("    by:      \(file):2:1: substring unknown"))
        #expect(out.stdout.contains("    example: "))
        #expect(out.stdout.contains("0 PCRE-only rule(s)"))
        #expect(out.stdout.contains("1 warning(s), 0 note(s)"))
    }

    @Test("--strict turns warnings into exit 1; a clean file still exits 0")
    func strict() throws {
        let file = try CLIRunner.temporaryFile("s.tsv", Self.shadowing)
        #expect(try CLIRunner.run(["check", "--no-backends", "--strict", "--rules", file]).status == 1)
        let clean = try CLIRunner.temporaryFile("c.tsv", "kind\tpattern\nsubstring\tuser unknown\nsubstring\tmailbox full\n")
        let out = try CLIRunner.run(["check", "--strict", "--rules", clean])
        #expect(out.status == 0, "\(out.stdout)")
        // Notes (PCRE-only, hybrid backends) do not fail --strict.
        let pcre = try CLIRunner.temporaryFile("p.tsv", "kind\tpattern\nregex\t(a)\\1\n")
        #expect(try CLIRunner.run(["check", "--strict", "--rules", pcre]).status == 0)
    }

    @Test("--output json: one object with files, rules, errors, backends, findings, summary")
    func json() throws {
        let file = try CLIRunner.temporaryFile("s.tsv", Self.shadowing)
        let out = try CLIRunner.run(["check", "--output", "json", "--rules", file])
        #expect(out.status == 0, "\(out.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(obj["rules"] as? Int == 2)
        #expect((obj["files"] as? [String]) == [file])
        #expect((obj["errors"] as? [Any])?.isEmpty == true)
        let backends = try #require(obj["backends"] as? [[String: Any]])
        #expect(backends.map { $0["name"] as? String } == Backends.names)
        let findings = try #require(obj["findings"] as? [[String: Any]])
        let f = try #require(findings.first { $0["kind"] as? String == "shadowed" })
        #expect(f["severity"] as? String == "warning")
        let loc = try #require(f["location"] as? [String: Any])
        #expect(loc["line"] as? Int == 3 && loc["column"] as? Int == 1 && loc["file"] as? String == file)
        let rule = try #require(f["rule"] as? [String: Any])
        #expect(rule["index"] as? Int == 1 && rule["pattern"] as? String == "user unknown" && rule["kind"] as? String == "substring")
        let related = try #require(f["related"] as? [String: Any])
        #expect(related["index"] as? Int == 0)
        #expect((f["example"] as? String)?.lowercased().contains("user unknown") == true)
        let summary = try #require(obj["summary"] as? [String: Any])
        #expect(summary["warnings"] as? Int == 1)
        #expect((summary["byKind"] as? [String: Any])?["shadowed"] as? Int == 1)
    }

    @Test("load errors: exit 1, errors on stderr, and in the JSON")
    func loadErrors() throws {
        let file = try CLIRunner.temporaryFile("bad.tsv", "kind\tpattern\nregex\tab(c\n")
        let out = try CLIRunner.run(["check", "--output", "json", "--rules", file])
        #expect(out.status == 1)
        #expect(out.stderr.contains("bad.tsv:2:"))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let errors = try #require(obj["errors"] as? [[String: Any]])
        #expect(errors.count == 1 && errors[0]["line"] as? Int == 2)
    }

    @Test("--corpus and --max-share; a replies-*.tsv corpus gives its reply column")
    func corpus() throws {
        let rules = try CLIRunner.temporaryFile("r.tsv", "kind\tpattern\tlabel\nsubstring\tunknown\ta\nsubstring\tnever there\tb\n")
        let corpus = try CLIRunner.temporaryFile("replies-x.tsv", "reply\tlabel\n550 user unknown\tx\n550 unknown\tx\n250 ok\tx\n")
        let out = try CLIRunner.run(["check", "--no-backends", "--rules", rules, "--corpus", corpus, "--max-share", "0.5"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("[never-fires] rule 1 wins none of the 3 corpus replies"))
        #expect(out.stdout.contains("[over-broad] rule 0 wins 2 of 3 corpus replies (66.7%, more than 50.0%)"))
        #expect(out.stdout.contains("corpus of 3 replies"))
        let bad = try CLIRunner.run(["check", "--rules", rules, "--max-share", "0.5"])
        #expect(bad.status == 64)
        let missing = try CLIRunner.run(["check", "--rules", rules, "--corpus", "/nonexistent/replies"])
        #expect(missing.status == 1)
    }
}

@Suite("bouncematch test explains the winning rule in the source format's own terms")
struct LintTestCommandTests {
    static func fixture(_ name: String) -> String { SharedCorpora.packageRoot + "/Tests/Fixtures/formats/" + name }

    func explain(_ fixture: String, _ reply: String, _ extra: [String] = []) throws -> String {
        let out = try CLIRunner.run(["test", "--rules", Self.fixture(fixture)] + extra + [reply])
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout
    }

    @Test func powermta() throws {
        let out = try explain("powermta-block.conf", "550 5.1.1 mailbox unavailable")
        #expect(out.contains("source:   PowerMTA smtp-pattern-list custom-isp-patterns (block form) at \(Self.fixture("powermta-block.conf")) line 6: bounce type=bad-mailbox"))
        let cat = try explain("powermta-tags.conf", "552 mailbox is full")
        #expect(cat.contains("PowerMTA <bounce-category-patterns> entry at"))
        #expect(cat.contains("category quota-issues"))
    }

    @Test func cognos() throws {
        let out = try explain("cognos-smtprules.xml", "552 mailbox full")
        #expect(out.contains("source:   Cognos <defaultSmtpBehaviour>"))
        #expect(out.contains("resends.number=3"))
        let rule = try explain("cognos-smtprules.xml", "550 no")
        #expect(rule.contains("source:   Cognos smtpRule at"))
        #expect(rule.contains("behaviour specialErrorCode-550, keepMail=true, failMail, smtpError 2 of 2"))
    }

    @Test func kumomta() throws {
        let out = try explain("kumomta-bounces.toml", "550 5.1.1 user unknown")
        #expect(out.contains("source:   KumoMTA bounce classifier InvalidRecipient[0] at"))
        #expect(out.contains("class InvalidRecipient"))
    }

    @Test func mailerqChain() throws {
        let out = try explain("mailerq.json", "Greylisted for 5 minutes")
        #expect(out.contains("MailerQ flood pattern \"General: Greylisted for 5 minutes\""))
        #expect(out.contains("evaluates other patterns too"))
        let trigger = try explain("mailerq.json", "550 mailbox unavailable", ["--domain", "gmail.com", "--ip", "192.0.2.10"])
        #expect(trigger.contains("MailerQ response-pattern trigger \"Mailbox unavailable\""))
        #expect(trigger.contains("priority 10, evaluates other patterns too, linked actions tag-unavailable,give-up"))
    }

    @Test func altcraft() throws {
        let out = try explain("altcraft.json", "550 5.1.1 The email account that you tried to reach does not exist", ["--domain", "gmail.com"])
        #expect(out.contains("Altcraft bounce pattern id 2 \"Gmail 5.1.1\""))
        #expect(out.contains("type HB (hard bounce), ISP gmail"))
    }
}
