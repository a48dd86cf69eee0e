import Testing
@testable import BounceMatch
import TestSupport

@Suite struct ClassifyCSVTests {
    func split(_ s: String) -> (fields: [String], error: Int?) {
        var ranges: [Range<Int>] = []
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { p in
            let error = CSVFields.split(p, into: &ranges)
            var out: [String] = []
            var scratch: [UInt8] = []
            for r in ranges {
                CSVFields.unescape(p, r, into: &scratch)
                out.append(String(decoding: scratch, as: UTF8.self))
            }
            return (out, error)
        }
    }

    @Test func plainAndQuotedFields() {
        #expect(split("a,b,c").fields == ["a", "b", "c"])
        #expect(split("a,,c,").fields == ["a", "", "c", ""])
        #expect(split("").fields == [""])
        #expect(split("\"x,y\",z").fields == ["x,y", "z"])
        #expect(split("\"say \"\"hi\"\"\",2").fields == ["say \"hi\"", "2"])
        #expect(split("\"line1\nline2\",\"\"").fields == ["line1\nline2", ""])
        #expect(split("a,\"b\"").error == nil)
    }

    @Test func badQuotingReportsTheColumn() {
        #expect(split("a,b\"c,d").error == 4)          // quote inside an unquoted field
        #expect(split("a,\"b\"c,d").error == 6)        // bytes after a closing quote
        #expect(split("a,\"never closes").error == 3)  // unterminated
        #expect(split("a,\"b\"c,d").fields.count == 3)
    }

    @Test func smtpDiagnosticTypeIsDropped() {
        func drop(_ s: String) -> String {
            Array(s.utf8).withUnsafeBufferPointer { String(decoding: RecordClassifier.droppingDiagnosticType($0), as: UTF8.self) }
        }
        #expect(drop("smtp;550 5.1.1 no such user") == "550 5.1.1 no such user")
        #expect(drop("SMTP; 421 try later") == "421 try later")
        #expect(drop("x-postfix; host unreachable") == "host unreachable")
        #expect(drop("550 5.1.1 user;unknown") == "550 5.1.1 user;unknown")
        #expect(drop("mailbox;full") == "mailbox;full")
    }

    @Test func classifiesAccountingRecordsWithContext() throws {
        let log = ClassifyFixture.csv([
            "b,t1,user@Example.COM,192.0.2.1,5.1.1,\"smtp;550 5.1.1 user does not exist, sorry\"",
            "d,t2,user@example.com,192.0.2.1,2.0.0,smtp;250 ok",
            "t,t3,a@b.example,192.0.2.2,4.0.0,\"smtp;450 4.2.0 greylisted, try again later\"",
            "b,t4,a@b.example,192.0.2.2,5.0.0,smtp;554 something new 12345",
        ])
        let (s, out) = try ClassifyFixture.run(log, options: ClassifyFixture.options(), annotate: true)
        #expect(s.records == 4)
        #expect(s.matched == 2)
        #expect(s.unmatched == 1)
        #expect(s.skipped == 1)
        #expect(s.ruleCounts == [1, 0, 1, 0])
        #expect(s.shapes.map { String(decoding: $0.shape, as: UTF8.self) } == ["554 something new <n>"])
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines[0] == "type,timeLogged,rcpt,dlvSourceIp,dsnStatus,dsnDiag,bmRule,bmLabel")
        #expect(lines[1].hasSuffix("sorry\",0,bad-mailbox"))
        #expect(lines[2].hasSuffix("smtp;250 ok,,"))
        #expect(lines[3].hasSuffix(",2,greylist"))
        #expect(lines[4].hasSuffix("12345,-1,"))
    }

    @Test func conditionsSeeRecipientDomainAndSendingIP() throws {
        let rules = try ClassifyFixture.ruleSet("""
            rules:
              - substring: blocked
                domain: [gmail.com]
                label: gmail-block
              - substring: blocked
                ip: [198.51.100.0/24]
                label: pool-b-block
              - substring: blocked
                label: other-block

            """, name: "rules.yaml")
        let log = ClassifyFixture.csv([
            "b,t,x@GMAIL.com,192.0.2.1,5.7.1,smtp;550 5.7.1 blocked",
            "b,t,x@yahoo.com,198.51.100.7,5.7.1,smtp;550 5.7.1 blocked",
            "b,t,<x@yahoo.com>,192.0.2.1,5.7.1,smtp;550 5.7.1 blocked",
        ])
        let (s, _) = try ClassifyFixture.run(Array(log.utf8), options: ClassifyFixture.options(), ruleSet: rules)
        #expect(s.ruleCounts == [1, 1, 1])
    }

    @Test func embeddedNewlinesKeepLineNumbers() throws {
        let log = ClassifyFixture.csv([
            "b,t,a@x.example,192.0.2.1,5.1.1,\"smtp;550-5.1.1 first line\r\n550 5.1.1 user does not exist\"",
            "b,t,a@x.example,192.0.2.1,5.1.1,smtp;550 5.1.1 \"quoted\" in the middle",
            "b,t,a@x.example,192.0.2.1",
        ])
        let (s, out) = try ClassifyFixture.run(log, options: ClassifyFixture.options(), annotate: true)
        #expect(s.matched == 1)
        #expect(s.bad == 2)
        #expect(s.badRecords.map(\.line) == [4, 5])
        #expect(s.badRecords.first?.reason == .brokenQuoting(column: 48))
        #expect(s.badRecords.last?.reason == .wrongColumnCount(found: 4, expected: 6))
        // The record with the embedded CRLF is written back whole, with its two columns after it.
        #expect(String(decoding: out, as: UTF8.self).contains("user does not exist\",0,bad-mailbox\n"))
    }

    @Test func unterminatedQuoteLosesNoFollowingRecord() throws {
        var options = ClassifyFixture.options()
        options.maxRecordBytes = 200
        var rows = ["b,t,a@x.example,192.0.2.1,5.1.1,\"smtp;550 never closed"]
        for _ in 0..<20 { rows.append("b,t,a@x.example,192.0.2.1,5.2.2,smtp;552 mailbox full") }
        let (s, _) = try ClassifyFixture.run(ClassifyFixture.csv(rows), options: options)
        #expect(s.bad == 1)
        #expect(s.badRecords.first?.line == 2)
        #expect(s.badRecords.first?.reason == .unterminatedQuote)
        #expect(s.ruleCounts[1] == 20)
        // At the end of the input too.
        let (t, _) = try ClassifyFixture.run(ClassifyFixture.csv(Array(rows.reversed())), options: options)
        #expect(t.bad == 1)
        #expect(t.ruleCounts[1] == 20)
        #expect(t.badRecords.first?.line == 22)
    }

    @Test func missingReplyColumnIsAnInputError() throws {
        let (s, _) = try ClassifyFixture.run("type,rcpt\nb,a@b.example\n", options: ClassifyFixture.options(format: .csv))
        #expect(s.fileErrors.count == 1)
        #expect(s.fileErrors.first?.reason.contains("dsnDiag") == true)
        #expect(s.records == 0)
    }
}
