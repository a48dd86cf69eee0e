import Testing
@testable import BounceMatch
import TestSupport
import Foundation

@Suite struct ClassifyInputTests {
    @Test func kumoRecordsRebuildTheReplyAndContext() throws {
        let rules = try ClassifyFixture.ruleSet("""
            rules:
              - regex: '^550 5\\.1\\.1 .*does not exist'
                domain: [example.com]
                ip: [203.0.113.0/24]
                phase: [rcpt]
                label: bad-mailbox
              - substring: 'try again later'
                label: greylist

            """, name: "rules.yaml")
        let log = """
            {"type":"Bounce","recipient":"u@Example.com","response":{"code":550,"enhanced_code":{"class":5,"subject":1,"detail":1},"content":"The account \\u0022u\\u0022 does not exist","command":"RCPT TO:<u@example.com>\\r\\n"},"egress_source":"pool-a","source_address":{"address":"203.0.113.5:41234","server":null}}
            {"type":"Delivery","recipient":"u@example.com","response":{"code":250,"enhanced_code":null,"content":"ok","command":"."}}
            {"type":"TransientFailure","recipient":["v@example.net"],"response":{"code":451,"enhanced_code":null,"content":"greylisted,\\ntry again later","command":"."},"nested":{"a":[1,2.5e3,{"b":null}],"c":true}}
            {"type":"Bounce","recipient":"u@example.com","response":{"code":550,"enhanced_code":{"class":5,"subject":1,"detail":1},"content":"does not exist","command":"MAIL FROM:<x@y>"}}
            {"type":"Bounce","response":{"code":550,"content":"broken \\q escape"}}
            {"type":"Bounce","recipient":"caf\u{1}@example.com","response":{"code":550,"content":"x"}}
            [1,2]
            {"type":"Bounce","recipient":"u@example.com"}
            {"type":"Bounce","response":{"code":550,"content":"x"}} trailing

            """
        // JSON must be UTF-8: a raw 0xFF byte makes line 6 bad.
        let bytes = Array(log.utf8).map { $0 == 0x01 ? 0xFF : $0 }
        let (s, out) = try ClassifyFixture.run(bytes, options: ClassifyFixture.options(), ruleSet: rules, annotate: true)
        #expect(s.records == 9)
        #expect(s.ruleCounts == [1, 1])
        #expect(s.skipped == 1)
        #expect(s.unmatched == 1)  // the MAIL FROM phase fails the rcpt condition
        #expect(s.bad == 5)
        #expect(s.badRecords.map(\.line) == [5, 6, 7, 8, 9])
        #expect(s.badRecords[0].reason == .invalidJSON(column: 59, what: .badEscape))
        #expect(s.badRecords[1].reason == .invalidUTF8(column: 34))
        #expect(s.badRecords[2].reason == .invalidJSON(column: 1, what: .notAnObject))
        #expect(s.badRecords[3].reason == .noResponse)
        #expect(s.badRecords[4].reason == .invalidJSON(column: 57, what: .syntax))
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasSuffix("\"server\":null},\"bm_rule\":0,\"bm_label\":\"bad-mailbox\"}"))
        #expect(lines[1].hasSuffix("\"command\":\".\"}}"))  // skipped: unchanged
        #expect(lines[3].hasSuffix(",\"bm_rule\":-1,\"bm_label\":\"\"}"))
        #expect(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) is [String: Any])
    }

    @Test func plainLinesAreReplies() throws {
        let text = "550 5.1.1 user does not exist\n\n452 4.2.2 mailbox full\r\nsomething else\n"
        let (s, out) = try ClassifyFixture.run(text, options: ClassifyFixture.options(), annotate: true)
        #expect(s.records == 4)  // the empty line is an empty reply, as in `match`
        #expect(s.ruleCounts == [1, 1, 0, 0])
        #expect(String(decoding: out, as: UTF8.self) ==
            "550 5.1.1 user does not exist\t0\tbad-mailbox\n\t-1\t\n452 4.2.2 mailbox full\t1\tquota\nsomething else\t-1\t\n")
    }

    @Test func formatDetection() {
        func detect(_ s: String) -> InputFormat {
            Array(s.utf8).withUnsafeBufferPointer { InputFormat.detect($0, replyField: Array("dsnDiag".utf8)) }
        }
        #expect(detect("type,timeLogged,rcpt,dsnDiag\nb,1,2,3\n") == .csv)
        #expect(detect("\u{FEFF}\"type\",\"DSNDIAG\"\r\n") == .csv)
        #expect(detect("  {\"type\":\"Bounce\"}") == .kumoJSON)
        #expect(detect("550 5.1.1 unknown, user\n") == .lines)
        #expect(detect("") == .lines)
    }

    @Test func gzipInputIncludingConcatenatedMembers() throws {
        let part1 = ClassifyFixture.csv((0..<300).map { _ in "b,t,a@x.example,192.0.2.1,5.1.1,smtp;550 5.1.1 user does not exist" })
        let part2 = (0..<200).map { _ in "b,t,a@x.example,192.0.2.1,5.2.2,smtp;552 5.2.2 mailbox full\n" }.joined()
        let dir = try CLIRunner.temporaryFile("x", "").components(separatedBy: "/").dropLast().joined(separator: "/")
        try Data(part1.utf8).write(to: URL(fileURLWithPath: dir + "/p1"))
        try Data(part2.utf8).write(to: URL(fileURLWithPath: dir + "/p2"))
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = ["-c", "cd '\(dir)' && gzip -c p1 > log.gz && gzip -c p2 >> log.gz && printf 'x' | gzip -c > bad.gz && head -c 40 log.gz > cut.gz"]
        try sh.run()
        sh.waitUntilExit()
        #expect(sh.terminationStatus == 0)
        let rules = try ClassifyFixture.ruleSet()
        let summary = ClassifyRun(matcher: try ClassifyFixture.matcher(rules), options: ClassifyFixture.options(threads: 2, chunk: 64))
            .run(inputs: [dir + "/log.gz"])
        #expect(summary.fileErrors.isEmpty)
        #expect(summary.ruleCounts[0] == 300)
        #expect(summary.ruleCounts[1] == 200)
        #expect(summary.bytesRead > 0)
        let cut = ClassifyRun(matcher: try ClassifyFixture.matcher(rules), options: ClassifyFixture.options())
            .run(inputs: [dir + "/cut.gz"])
        #expect(cut.fileErrors.count == 1)
        #expect(cut.fileErrors.first?.reason.hasPrefix("gzip") == true)
    }

    @Test func globExpansion() throws {
        let first = try CLIRunner.temporaryFile("acct-2.csv", "x")
        let dir = first.components(separatedBy: "/").dropLast().joined(separator: "/")
        for name in ["acct-1.csv", "acct-10.csv", "other.txt"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        #expect(InputPaths.expand([dir + "/acct-*.csv"]) == ["acct-1.csv", "acct-10.csv", "acct-2.csv"].map { dir + "/" + $0 })
        #expect(InputPaths.expand([dir + "/acct-?.csv", "-"]) == [dir + "/acct-1.csv", dir + "/acct-2.csv", "-"])
        #expect(InputPaths.expand([dir + "/nothing-*.csv"]) == [dir + "/nothing-*.csv"])
        #expect(InputPaths.expand([dir + "/other.txt"]) == [dir + "/other.txt"])
    }

    @Test func missingInputIsReportedAndOthersStillRun() throws {
        let rules = try ClassifyFixture.ruleSet()
        let good = try CLIRunner.temporaryFile("good.txt", "550 user does not exist\n")
        let s = ClassifyRun(matcher: try ClassifyFixture.matcher(rules), options: ClassifyFixture.options(threads: 2))
            .run(inputs: ["/nonexistent/file.csv", good])
        #expect(s.fileErrors.map(\.path) == ["/nonexistent/file.csv"])
        #expect(s.ruleCounts[0] == 1)
    }

    @Test func longLinesAreBadAndCounted() throws {
        var text = "550 user does not exist\n"
        text += String(repeating: "x", count: 1 << 20) + "\n"
        text += "552 mailbox full\n"
        text += String(repeating: "y", count: 3_000_000)  // no final newline
        let (s, _) = try ClassifyFixture.run(text, options: ClassifyFixture.options())
        #expect(s.records == 4)
        #expect(s.bad == 2)
        #expect(s.badRecords.map(\.line) == [2, 4])
        #expect(s.badRecords.first?.reason == .tooLong(limit: 1_000_000))
        #expect(s.ruleCounts == [1, 1, 0, 0])
    }
}
