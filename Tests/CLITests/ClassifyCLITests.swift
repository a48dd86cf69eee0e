import BounceMatch
import Foundation
import Testing
import TestSupport

@Suite("bouncematch classify")
struct ClassifyCLITests {
    static var demoRules: String { SharedCorpora.packageRoot + "/corpora/rules-demo.tsv" }

    func json(_ s: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    }

    /// Rule index → count, from the summary's `rules` array.
    func ruleCounts(_ summary: [String: Any]) -> [Int: Int] {
        var out: [Int: Int] = [:]
        for r in summary["rules"] as? [[String: Any]] ?? [] { out[r["index"] as! Int] = r["count"] as? Int }
        return out
    }

    @Test("a generated 100k-record accounting log end to end: counts, annotate, threads, agreement with match")
    func generatedLogEndToEnd() throws {
        let log = try CLIRunner.temporaryFile("acct.csv", "")
        let gen = try CLIRunner.run(["generate", "accounting", "--records", "100000", "--seed", "42", "--out", log])
        #expect(gen.status == 0, "\(gen.stderr)")
        let annotated = log + ".annotated.csv"
        let two = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--backend", "naive", "--threads", "2", "--json",
                                     "--annotate", annotated, "--no-progress", log])
        #expect(two.status == 0, "\(two.stderr)")
        let s2 = try json(two.stdout)
        #expect(s2["records"] as? Int == 100_000)
        #expect(s2["bad"] as? Int == 0)
        let replies = try #require(s2["replies"] as? Int)
        #expect((s2["skipped"] as? Int ?? 0) + replies == 100_000)
        #expect(replies > 30_000)
        #expect((s2["topUnclassified"] as? [Any])?.isEmpty == false)

        // One thread: the same summary and byte-identical annotated output.
        let annotated1 = log + ".annotated1.csv"
        let one = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--backend", "naive", "--threads", "1", "--json",
                                     "--annotate", annotated1, "--no-progress", log])
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
        let a2 = try Data(contentsOf: URL(fileURLWithPath: annotated)), a1 = try Data(contentsOf: URL(fileURLWithPath: annotated1))
        #expect(a1 == a2)
        #expect(a2.split(separator: 0x0A).count == 100_001)

        // `match` on the bare replies of the classified records gives the same per-rule counts.
        var bare: [UInt8] = []
        let csv = try Data(contentsOf: URL(fileURLWithPath: log))
        var fields: [Range<Int>] = []
        for line in csv.split(separator: 0x0A).dropFirst() {
            let record = Array(line)
            _ = record.withUnsafeBufferPointer { CSVFieldsForTests.split($0, into: &fields) }
            let type = record[fields[0]]
            guard type == [UInt8(ascii: "b")] || type == [UInt8(ascii: "t")] else { continue }
            var diag = CSVFieldsForTests.unquote(Array(record[fields[8]]))
            if diag.starts(with: Array("smtp;".utf8)) { diag.removeFirst(5) }
            bare += diag + [0x0A]
        }
        let match = try CLIRunner.run(["match", "--rules", Self.demoRules, "--backend", "naive"], stdin: bare)
        #expect(match.status == 0)
        var fromMatch: [Int: Int] = [:]
        for l in match.lines { if let i = Int(l), i >= 0 { fromMatch[i, default: 0] += 1 } }
        #expect(match.lines.count == replies)
        #expect(fromMatch == ruleCounts(s2))
    }

    @Test("text report, gzip on standard input, kumo-json, exit codes")
    func reportAndExitCodes() throws {
        let log = try CLIRunner.temporaryFile("kumo.jsonl", "")
        #expect(try CLIRunner.run(["generate", "accounting", "--records", "2000", "--seed", "7", "--format", "kumo-json", "--out", log]).status == 0)
        let text = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--backend", "naive", "--top", "3", log])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("records: 2000 "))
        #expect(text.stdout.contains("unclassified by shape (top 3 of "))
        #expect(text.stdout.contains("\nrules:\n"))

        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/sh")
        gz.arguments = ["-c", "gzip -c '\(log)' > '\(log).gz'"]
        try gz.run()
        gz.waitUntilExit()
        let compressed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: log + ".gz")))
        let viaStdin = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--backend", "naive", "--top", "3"], stdin: compressed)
        #expect(viaStdin.stdout == text.stdout)

        let missing = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--backend", "naive", "--json", log, "/nonexistent/x.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/x.csv"))
        #expect(try json(missing.stdout)["records"] as? Int == 2000)

        let usage = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--input-format", "xml", log])
        #expect(usage.status == 64)
    }

    @Test("bad records are listed with file and line; annotate - keeps the report on standard error")
    func badRecords() throws {
        let csv = "type,rcpt,dsnDiag\nb,a@x.example,smtp;550 5.1.1 user unknown\nb,broken\nb,a@x.example,\"never closed\nb,a@x.example,smtp;452 4.2.2 over quota\n"
        let path = try CLIRunner.temporaryFile("bad.csv", csv)
        let out = try CLIRunner.run(["classify", "--rules", Self.demoRules, "--backend", "naive", "--annotate", "-", path])
        #expect(out.status == 0)
        #expect(out.stderr.contains("\(path):3: 2 fields, the header has 3"))
        #expect(out.stderr.contains("\(path):4: quoted field never closes"))
        #expect(out.lines.count == 3)  // header + the two good records
        #expect(out.lines[0] == "type,rcpt,dsnDiag,bmRule,bmLabel")
    }
}

/// A few lines of RFC 4180 for reading the generated log back independently of the code under test.
enum CSVFieldsForTests {
    static func split(_ b: UnsafeBufferPointer<UInt8>, into fields: inout [Range<Int>]) -> Bool {
        fields.removeAll()
        var start = 0, i = 0, quoted = false
        while i < b.count {
            if b[i] == UInt8(ascii: "\"") { quoted.toggle() } else if b[i] == UInt8(ascii: ","), !quoted {
                fields.append(start..<i)
                start = i + 1
            }
            i += 1
        }
        fields.append(start..<b.count)
        return true
    }

    static func unquote(_ f: [UInt8]) -> [UInt8] {
        guard f.count >= 2, f.first == UInt8(ascii: "\""), f.last == UInt8(ascii: "\"") else { return f }
        var out: [UInt8] = []
        var i = 1
        while i < f.count - 1 {
            out.append(f[i])
            i += f[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return out
    }
}
