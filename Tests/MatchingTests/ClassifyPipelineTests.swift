import Testing
@testable import BounceMatch
import TestSupport
import Foundation

@Suite struct ClassifyPipelineTests {
    /// A generated log with some bad records mixed in.
    func log(records: Int, seed: UInt64) -> [UInt8] {
        var g = AccountingLogGenerator(seed: seed)
        var out = AccountingLogGenerator.csvHeader
        for i in 0..<records {
            let r = g.nextRecord(index: i, of: records)
            if i % 997 == 5 { out.append(contentsOf: Array("b,broken\n".utf8)); continue }
            g.appendCSV(r, to: &out)
        }
        return out
    }

    @Test func annotatedOutputIsIdenticalForAnyThreadCount() throws {
        let bytes = log(records: 6_000, seed: 11)
        let rules = try RuleLoader.load(files: [SharedCorpora.packageRoot + "/corpora/rules-demo.tsv"], options: LoadOptions())
        var reference: ([UInt8], ClassifySummary)?
        for (threads, chunk) in [(1, 2_048), (2, 37), (3, 100), (4, 1)] {
            let (s, out) = try ClassifyFixture.run(bytes, name: "acct.csv", options: ClassifyFixture.options(threads: threads, chunk: chunk),
                                                   ruleSet: rules, annotate: true)
            #expect(s.records == 6_000)
            #expect(s.bad == 7)
            if let (refOut, refSummary) = reference {
                // Bools, not the values: a failing comparison of large arrays takes Swift Testing minutes to print.
                let sameOutput = out == refOut, sameShapes = s.shapes == refSummary.shapes
                #expect(sameOutput, "threads \(threads)")
                #expect(s.ruleCounts == refSummary.ruleCounts)
                #expect(sameShapes, "threads \(threads)")
                #expect(s.badRecords.map { "\($0.line): \($0.reason)" } == refSummary.badRecords.map { "\($0.line): \($0.reason)" })
            } else {
                reference = (out, s)
                #expect(s.matched > 0 && s.unmatched > 0 && s.skipped > 0)
            }
        }
    }

    /// Shapes are grouped by per-worker caches and merged by the consumer: groups, counts, examples (the first
    /// reply of each shape in input order) and the overflow past the shape limit equal a plain serial
    /// grouping, for any thread count and chunk size.
    @Test func shapeGroupsEqualASerialGrouping() throws {
        let rules = try RuleLoader.load(files: [SharedCorpora.packageRoot + "/corpora/rules-demo.tsv"], options: LoadOptions())
        let matcher = try ClassifyFixture.matcher(rules)
        let scratch = matcher.makeScratch()
        var text: [UInt8] = []
        var replies: [[UInt8]] = []
        for g in CorpusGenerator.replies(count: 6_000, seed: 21) {
            let bytes = g.bytes.filter { $0 != 0x0A && $0 != 0x0D }
            replies.append(bytes)
            text += bytes + [0x0A]
        }
        for limit in [100_000, 300, 1] {
            // The reference: every unmatched reply in input order, grouped while fewer than `limit` shapes.
            var order: [[UInt8]] = []
            var groups: [[UInt8]: (example: [UInt8], count: Int)] = [:]
            var overflow = 0
            for raw in replies {
                let reply = Reply(parsing: raw)
                guard matcher.firstMatch(reply, scratch: scratch).ruleIndex < 0 else { continue }
                let shape = ReplyShape.shape(ofReply: raw)
                if groups[shape] != nil {
                    groups[shape]!.count += 1
                } else if groups.count < limit {
                    groups[shape] = (Array(reply.line.prefix(2048)), 1)
                    order.append(shape)
                } else {
                    overflow += 1
                }
            }
            let expected = order.enumerated().sorted { a, b in
                groups[a.element]!.count != groups[b.element]!.count ? groups[a.element]!.count > groups[b.element]!.count : a.offset < b.offset
            }.map { UnclassifiedShape(shape: $0.element, example: groups[$0.element]!.example, count: groups[$0.element]!.count) }
            #expect(!expected.isEmpty && (limit > 1_000 ? overflow == 0 : overflow > 0))
            for (threads, chunk) in [(1, 2_048), (1, 7), (2, 64), (3, 5), (4, 1)] {
                var options = ClassifyFixture.options(threads: threads, format: .lines, chunk: chunk)
                options.maxShapes = limit
                let (s, _) = try ClassifyFixture.run(text, name: "replies.txt", options: options, ruleSet: rules)
                let sameShapes = s.shapes == expected
                #expect(sameShapes, "limit \(limit), threads \(threads), chunk \(chunk)")
                #expect(s.distinctShapes == expected.count, "limit \(limit), threads \(threads), chunk \(chunk)")
                #expect(s.shapeOverflow == overflow, "limit \(limit), threads \(threads), chunk \(chunk)")
            }
            // Keeping only the top groups (partial selection for small tops, a sort otherwise) lists the same
            // first groups and still counts every distinct shape.
            for kept in [0, 1, 3, 20, expected.count / 4 - 1, expected.count / 4, expected.count, expected.count + 5] where kept >= 0 {
                var options = ClassifyFixture.options(threads: 2, format: .lines, chunk: 64)
                options.maxShapes = limit
                options.shapesKept = kept
                let (s, _) = try ClassifyFixture.run(text, name: "replies.txt", options: options, ruleSet: rules)
                let sameShapes = s.shapes == Array(expected.prefix(kept))
                #expect(sameShapes, "limit \(limit), kept \(kept)")
                #expect(s.distinctShapes == expected.count, "limit \(limit), kept \(kept)")
            }
        }
    }

    @Test func everyBackendGivesTheSameCountsAndAnnotation() throws {
        let bytes = log(records: 3_000, seed: 5)
        let rules = try RuleLoader.load(files: [SharedCorpora.packageRoot + "/corpora/rules-mixed-300.tsv"], options: LoadOptions())
        var reference: [UInt8]?
        for d in Backends.all {
            let path = try CLIRunner.temporaryFile("acct.csv", bytes)
            let writer = try AnnotateWriter(path: path + ".out", ruleSet: rules)
            let s = ClassifyRun(matcher: try d.make(rules, MatcherOptions()), options: ClassifyFixture.options(threads: 2, chunk: 128))
                .run(inputs: [path], annotate: writer)
            writer.flush()
            let out = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + ".out")))
            #expect(s.undecided == 0, "\(d.name)")
            #expect(s.matched > 0, "\(d.name)")
            if let reference {
                let same = out == reference
                #expect(same, "\(d.name)")
            } else {
                reference = out
            }
        }
    }

    @Test func generatorIsSeededAndParsesBack() throws {
        #expect(log(records: 500, seed: 3) == log(records: 500, seed: 3))
        #expect(log(records: 500, seed: 3) != log(records: 500, seed: 4))
        var g = AccountingLogGenerator(seed: 9)
        var json: [UInt8] = []
        for i in 0..<500 { g.appendKumoJSON(g.nextRecord(index: i, of: 500), to: &json) }
        for line in json.split(separator: 0x0A) {
            #expect(try JSONSerialization.jsonObject(with: Data(line)) is [String: Any])
        }
        let (s, _) = try ClassifyFixture.run(json, options: ClassifyFixture.options(threads: 2))
        #expect(s.bad == 0)
        #expect(s.records == 500)
        #expect(s.replies > 100)
    }

    /// The real replies, wrapped into accounting records (CSV) and KumoMTA-style lines (plain), classify to
    /// the same rule as the matcher gives on the bare reply with the same context.
    @Test func realRepliesClassifyAsTheBareReply() throws {
        guard let root = SharedCorpora.root else {
            SharedCorpora.announceMissing("ClassifyPipelineTests.realRepliesClassifyAsTheBareReply")
            return
        }
        var checked = 0
        for dir in ["sisimai", "zonemta", "phpmailer-bmh", "bounceparser", "kumomta"] {
            let ruleFiles = SharedCorpora.ruleFiles().filter { $0.hasPrefix(root + "/" + dir + "/") }
            let replyFiles = SharedCorpora.replyFiles().filter { $0.hasPrefix(root + "/" + dir + "/") && !$0.hasSuffix("-expected.tsv") }
            guard let ruleFile = ruleFiles.first, !replyFiles.isEmpty else { continue }
            let rules = try RuleLoader.load(files: [ruleFile], options: LoadOptions())
            let matcher = try ClassifyFixture.matcher(rules)
            let scratch = matcher.makeScratch()
            let context = ReplyContext(recipientDomain: "example.com", sendingIP: "192.0.2.1")
            var csv = Array("type,rcpt,dlvSourceIp,dsnDiag\n".utf8)
            var expected: [Int] = []
            for file in replyFiles {
                for row in SharedCorpora.readTSV(file).rows {
                    let reply = dir == "kumomta" ? SharedCorpora.unescapeKumo(row[0]) : row[0]
                    expected.append(matcher.firstMatch(Reply(parsing: reply, context: context), scratch: scratch).ruleIndex)
                    csv.append(contentsOf: Array("b,user@example.com,192.0.2.1,".utf8))
                    CSVFields.appendField(Array("smtp;".utf8) + reply, to: &csv)
                    csv.append(0x0A)
                }
            }
            let (s, out) = try ClassifyFixture.run(csv, name: "acct.csv", options: ClassifyFixture.options(threads: 2, chunk: 50),
                                                   ruleSet: rules, annotate: true)
            #expect(s.bad == 0, "\(dir): \(s.badRecords.prefix(3))")
            // The annotate column holds the index; read it back from the end of each record.
            let text = String(decoding: out, as: UTF8.self)
            var got: [Int] = []
            var fields: [Range<Int>] = []
            var scratchBytes: [UInt8] = []
            let records = try ClassifyFixture.splitCSVRecords(Array(text.utf8)).dropFirst()
            for r in records {
                r.withUnsafeBufferPointer { p in
                    _ = CSVFields.split(p, into: &fields)
                    CSVFields.unescape(p, fields[fields.count - 2], into: &scratchBytes)
                    got.append(Int(String(decoding: scratchBytes, as: UTF8.self)) ?? -99)
                }
            }
            #expect(got == expected, "\(dir)")
            checked += expected.count
        }
        #expect(checked > 1_000)
    }
}

extension ClassifyFixture {
    /// Splits CSV text into records at LFs outside quotes.
    static func splitCSVRecords(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        var current: [UInt8] = []
        var quoted = false
        for b in bytes {
            if b == UInt8(ascii: "\"") { quoted.toggle() }
            if b == 0x0A && !quoted {
                out.append(current)
                current = []
            } else {
                current.append(b)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
