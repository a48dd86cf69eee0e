import BounceMatch
import Foundation
import Testing
import TestSupport

/// A rule without the fields a conversion is allowed to change: where it was read from, its format, and the
/// `source` detail the converter appends.
struct ComparableRule: Equatable, CustomStringConvertible {
    var rule: Rule

    init(_ r: Rule, dropSource: Bool) {
        var r = r
        r.location = SourceLocation(file: "", line: 0)
        r.patternLocation = r.location
        r.format = ""
        if dropSource, r.details.last?.name == "source" { r.details.removeLast() }
        rule = r
    }

    var description: String { "\(rule.name) \(rule.kind?.rawValue ?? "-") \(rule.patternText) \(rule.details)" }
}

@Suite("convert --to native round trips")
struct ConvertTests {
    static let fixtures = ["altcraft.json", "cognos-smtprules.xml", "kumomta-bounces.toml", "kumomta-shaping.toml", "mailerq.json", "powermta-block.conf", "powermta-tags.conf"]
        .map { SharedCorpora.packageRoot + "/Tests/Fixtures/formats/" + $0 }

    /// load → convert → load the native file: identical rules (but locations) and identical first matches.
    func roundTrip(_ files: [String], replies extra: [[UInt8]] = []) throws {
        let original = try RuleLoader.load(files: files)
        let conversion = try NativeRuleWriter.convert(files: files)
        let out = try CLIRunner.temporaryFile("converted.yaml", conversion.yaml)
        let converted: RuleSet
        do { converted = try RuleLoader.load(files: [out]) } catch {
            Issue.record("\(files): the converted file does not load: \(error)")
            return
        }
        #expect(converted.count == original.count)
        let priorityKept = zip(original.rules, converted.rules).allSatisfy { $0.priority == $1.priority }
        for (a, b) in zip(original.rules, converted.rules) {
            var a = ComparableRule(a, dropSource: false), b = ComparableRule(b, dropSource: true)
            if !priorityKept { a.rule.priority = nil; b.rule.priority = nil }
            #expect(a == b, "\(files)")
        }
        #expect(converted.rules.allSatisfy { $0.details.last?.name == "source" })
        // First matches: the rules' own samples, a few common replies, and the caller's replies.
        let analysis = ShadowAnalysis(ruleSet: original, samplesPerRule: 4)
        var replies = original.rules.indices.flatMap { analysis.candidates(for: $0) }
        for line in extra + ["550 5.1.1 user unknown", "421 4.7.0 try again later", "552 mailbox full", "connect to x: Connection timed out"].map({ Array($0.utf8) }) {
            replies.append(Reply(parsing: line))
            replies.append(Reply(parsing: line, context: ReplyContext(recipientDomain: "gmail.com", sendingIP: "192.0.2.10", phase: .rcpt)))
        }
        let m1 = NaiveMatcher(ruleSet: original), m2 = NaiveMatcher(ruleSet: converted)
        let s1 = m1.makeScratch(), s2 = m2.makeScratch()
        var chain1: [Int] = [], chain2: [Int] = []
        for r in replies {
            #expect(m1.chain(r, scratch: s1, into: &chain1) == m2.chain(r, scratch: s2, into: &chain2), "\(String(decoding: r.line, as: UTF8.self))")
            #expect(chain1 == chain2)
        }
    }

    @Test("every fixture in Tests/Fixtures/formats", arguments: fixtures)
    func fixture(_ file: String) throws { try roundTrip([file]) }

    @Test("several files at once keep their order")
    func severalFiles() throws { try roundTrip(Array(Self.fixtures.prefix(3))) }

    @Test("every shared-corpora rules file")
    func sharedCorpora() throws {
        let files = SharedCorpora.ruleFiles()
        guard !files.isEmpty else {
            SharedCorpora.announceMissing("ConvertTests.sharedCorpora")
            return
        }
        for file in files {
            let replies = SharedCorpora.replyFiles().filter { $0.hasPrefix(file.prefix(upTo: file.lastIndex(of: "/")!)) }
                .flatMap { SharedCorpora.readTSV($0).rows.compactMap(\.first) }
            try roundTrip([file], replies: replies)
        }
    }

    @Test("control bytes, quotes, non-UTF-8 bytes, priorities and custom ISPs survive")
    func awkwardRules() throws {
        var tsv: [UInt8] = Array("kind\tpattern\tlabel\tpriority\n".utf8)
        tsv += Array("substring\tit's \"quoted\" \\ back\tq\t\n".utf8)
        tsv += Array("substring\tnul".utf8) + [0x00, 0x01, 0x7F] + Array(" ctl\tc\t\n".utf8)
        tsv += Array("substring\t  spaced  \ts\t-3\n".utf8)
        let file = try CLIRunner.temporaryFile("awkward.tsv", tsv)
        let native = try CLIRunner.temporaryFile("isps.yaml", """
            isps:
              mycorp: [mycorp.example, "*.mycorp.example.net"]
            rules:
              - substring: blocked
                isp: [mycorp, gmail]
                priority: 2

            """)
        let conversion = try NativeRuleWriter.convert(files: [file, native])
        #expect(conversion.notes.isEmpty, "\(conversion.notes)")
        #expect(conversion.yaml.contains("\"nul\\u0000\\u0001\\u007f ctl\""))
        #expect(conversion.yaml.contains("mycorp"))
        try roundTrip([file, native])
    }

    @Test("a non-UTF-8 literal becomes an equivalent regex, with a note")
    func nonUTF8Literal() throws {
        let file = try CLIRunner.temporaryFile("bin.tsv", Array("kind\tpattern\nsubstring\ta.".utf8) + [0xC3, 0x28] + Array("*\nexact\tx".utf8) + [0xFF] + Array("\nwildcard\t*".utf8) + [0x80] + Array("?z\nregex\t^bad \\".utf8) + [0xFF, 0xFE] + Array("\\.\n".utf8))
        let conversion = try NativeRuleWriter.convert(files: [file])
        #expect(conversion.notes.count == 4)
        let out = try CLIRunner.temporaryFile("bin.yaml", conversion.yaml)
        let original = try RuleLoader.load(files: [file]), converted = try RuleLoader.load(files: [out])
        #expect(converted.rules.allSatisfy { $0.kind == .regex })
        let replies: [[UInt8]] = [
            Array("550 xa.".utf8) + [0xC3, 0x28] + Array("* y".utf8), Array("550 xab".utf8) + [0xC3, 0x28] + Array("* y".utf8),
            Array("550 x".utf8) + [0xFF], Array("550 X".utf8) + [0xFF], Array("550 x".utf8) + [0xFF, 0x20],
            Array("550 ab".utf8) + [0x80] + Array("qz".utf8), Array("550 ab".utf8) + [0x80] + Array("z".utf8),
            Array("bad ".utf8) + [0xFF, 0xFE, 0x2E], Array("bad ".utf8) + [0xFF, 0xFE, 0x41], Array("bad ".utf8) + [0xFF, 0xFF, 0x2E],
        ]
        let m1 = NaiveMatcher(ruleSet: original), m2 = NaiveMatcher(ruleSet: converted)
        for line in replies {
            let r = Reply(parsing: line)
            #expect(m1.firstMatch(r, scratch: m1.makeScratch()) == m2.firstMatch(r, scratch: m2.makeScratch()))
        }
    }

    @Test("CLI: --out writes the file; load errors exit 1")
    func cli() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bm-convert-\(UUID().uuidString).yaml").path
        let r = try CLIRunner.run(["convert", "--rules", Self.fixtures[4], "--to", "native", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let loaded = try RuleLoader.load(files: [out])
        #expect(loaded.count == (try RuleLoader.load(files: [Self.fixtures[4]])).count)
        let stdout = try CLIRunner.run(["convert", "--rules", Self.fixtures[0], "--to", "native"])
        #expect(stdout.stdout.hasPrefix("# Converted by"))
        let bad = try CLIRunner.temporaryFile("bad.tsv", "kind\tpattern\nregex\tab(c\n")
        let failed = try CLIRunner.run(["convert", "--rules", bad, "--to", "native"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("bad.tsv:2:"))
        #expect(try CLIRunner.run(["convert", "--rules", bad, "--to", "yaml"]).status == 64)
    }
}
