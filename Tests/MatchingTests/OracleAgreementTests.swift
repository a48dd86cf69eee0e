import BounceMatch
import Testing
import TestSupport

/// Agreement with the real engines: `../shared/corpora/oracle-first-match.tsv` and
/// `kumomta/replies-kumomta-expected.tsv` hold each source's own first-match answers. Each test reproduces
/// them with the options the source implies (SOURCES.md) and checks that the only differences left are the
/// ones listed, with their reason, in docs/ORACLE.md.
@Suite("Oracle: agreement with each source's own engine")
struct OracleAgreementTests {
    struct Source: Sendable, CustomStringConvertible {
        var name: String
        var ruleFiles: [String]
        var orderColumn: String
        var caseSensitive: Bool
        /// Sisimai lowercases the text before matching.
        var lowercaseReply = false
        /// Keeps only the rules whose `order` passes (a source's sub-list).
        var keepOrder: @Sendable (Int) -> Bool = { _ in true }
        /// A guard the flat list cannot express: when it returns true for (order, reply), the rule is skipped.
        var skip: @Sendable (Int, [UInt8]) -> Bool = { _, _ in false }
        /// Replies whose oracle answer is known to differ, by reason (documented in docs/ORACLE.md).
        var knownDifferences: Int = 0
        var description: String { name }
    }

    static func contains(_ hay: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= hay.count else { return false }
        return (0...(hay.count - n.count)).contains { hay[$0..<($0 + n.count)].elementsEqual(n) }
    }

    static let sources: [Source] = [
        Source(name: "sisimai (in match order, guard as lookahead, lowercased)", ruleFiles: ["sisimai/rules-sisimai-exact.tsv"],
               orderColumn: "sisimai_order", caseSensitive: true, lowercaseReply: true),
        Source(name: "sisimai flat", ruleFiles: ["sisimai/rules-sisimai.tsv"], orderColumn: "sisimai_flat_order", caseSensitive: false),
        Source(name: "bounceparser", ruleFiles: ["bounceparser/rules-bounceparser.tsv"], orderColumn: "bounceparser_order", caseSensitive: true),
        Source(name: "phpmailer-bmh body", ruleFiles: ["phpmailer-bmh/rules-phpmailer-bmh.tsv"], orderColumn: "phpmailer_bmh_body_order",
               caseSensitive: true, keepOrder: { $0 <= 44 },
               skip: { order, reply in order == 2 && contains(reply, "Technical details of permanent failure") }),
        Source(name: "phpmailer-bmh dsn", ruleFiles: ["phpmailer-bmh/rules-phpmailer-bmh.tsv"], orderColumn: "phpmailer_bmh_dsn_order",
               caseSensitive: true, keepOrder: { $0 >= 46 && $0 != 79 && $0 != 146 }),
        Source(name: "php-bounce-handler", ruleFiles: ["php-bounce-handler/rules-php-bounce-handler.tsv"],
               orderColumn: "php_bounce_handler_order", caseSensitive: true),
        Source(name: "zonemta", ruleFiles: ["zonemta/rules-zonemta.tsv"], orderColumn: "zonemta_order", caseSensitive: false),
        Source(name: "postalsys", ruleFiles: ["postalsys-bounce-classifier/rules-postalsys-bounce-classifier.tsv"],
               orderColumn: "postalsys_order", caseSensitive: true),
    ]

    /// Every backend's first match as the source's `order` value ("" for none), per oracle row.
    static func answers(_ source: Source, root: String, replies: [[UInt8]]) throws -> [String: [String]] {
        var options = LoadOptions()
        options.caseSensitive = source.caseSensitive
        let loaded = try RuleLoader.load(files: source.ruleFiles.map { root + "/" + $0 }, options: options)
        let kept = loaded.rules.filter { source.keepOrder(order(of: $0)) }
        let ruleSet = try RuleSet(rules: kept)
        let orders = ruleSet.rules.map(order(of:))
        var out: [String: [String]] = [:]
        for d in Backends.all {
            let m = try d.make(ruleSet, MatcherOptions())
            let scratch = m.makeScratch()
            out[d.name] = replies.map { raw in
                let bytes = source.lowercaseReply ? raw.map(asciiLowercase) : raw
                let reply = Reply(line: bytes)
                var r = m.firstMatch(reply, scratch: scratch)
                while r.ruleIndex >= 0 && source.skip(orders[r.ruleIndex], bytes) {
                    r = m.firstMatch(reply, from: r.ruleIndex + 1, scratch: scratch)
                }
                return r.ruleIndex >= 0 ? String(orders[r.ruleIndex]) : ""
            }
        }
        return out
    }

    static func order(of rule: Rule) -> Int {
        Int(rule.details.first { $0.name == "order" }?.value ?? "") ?? -1
    }

    @Test("oracle-first-match.tsv", arguments: sources)
    func oracle(_ source: Source) throws {
        guard let root = SharedCorpora.root else {
            SharedCorpora.announceMissing("Oracle: \(source.name)")
            return
        }
        let (header, rows) = SharedCorpora.readTSV(root + "/oracle-first-match.tsv")
        let col = try #require(header.firstIndex(of: source.orderColumn))
        let replies = rows.map { $0[0] }
        let expected = rows.map { String(decoding: $0[col], as: UTF8.self) }
        let got = try Self.answers(source, root: root, replies: replies)
        let matched = expected.filter { !$0.isEmpty }.count
        print("oracle \(source.name): \(rows.count) replies, \(matched) with a first match in the source's engine")
        #expect(matched > 100, "the oracle column \(source.orderColumn) should have answers")
        for (backend, answers) in got.sorted(by: { $0.key < $1.key }) {
            let diffs = zip(expected, answers).enumerated().filter { $0.element.0 != $0.element.1 }
            let report = diffs.prefix(20).map { i, pair in
                "row \(i + 2): expected \(pair.0.isEmpty ? "none" : pair.0), got \(pair.1.isEmpty ? "none" : pair.1): \(String(decoding: replies[i], as: UTF8.self))"
            }
            let known = OracleKnownDifferences.rows[source.orderColumn] ?? [:]
            let unexplained = diffs.filter { i, _ in known[i + 2] == nil }
            #expect(unexplained.isEmpty, "\(source.name) on \(backend): \(diffs.count) differences, \(unexplained.count) unexplained\n\(report.joined(separator: "\n"))")
        }
    }

    @Test("kumomta replies-kumomta-expected.tsv (community then iana, and iana only)")
    func kumomta() throws {
        guard let root = SharedCorpora.root else {
            SharedCorpora.announceMissing("Oracle: kumomta")
            return
        }
        let (header, rows) = SharedCorpora.readTSV(root + "/kumomta/replies-kumomta-expected.tsv")
        let lineCol = try #require(header.firstIndex(of: "single_line"))
        let firstCol = try #require(header.firstIndex(of: "first_rule_order"))
        let ianaCol = try #require(header.firstIndex(of: "iana_rule_order"))
        let usable = rows.filter { !$0[lineCol].isEmpty }
        let lines = usable.map { SharedCorpora.unescapeKumo($0[lineCol]) }
        for (files, col) in [(["kumomta/rules-kumomta-bounces.tsv", "kumomta/rules-kumomta-iana.tsv"], firstCol),
                             (["kumomta/rules-kumomta-iana.tsv"], ianaCol)] {
            let source = Source(name: files.joined(separator: "+"), ruleFiles: files, orderColumn: header[col], caseSensitive: true)
            let expected = usable.map { row -> String in
                let v = String(decoding: row[col], as: UTF8.self)
                return v == "-" ? "" : v
            }
            let got = try Self.answers(source, root: root, replies: lines)
            for (backend, answers) in got {
                let diffs = zip(expected, answers).enumerated().filter { $0.element.0 != $0.element.1 }
                #expect(diffs.isEmpty, "\(source.name) on \(backend): \(diffs.map { "\(String(decoding: lines[$0.offset], as: UTF8.self)): expected \($0.element.0) got \($0.element.1)" })")
            }
            #expect(expected.filter { !$0.isEmpty }.count > 10)
        }
    }
}

/// Oracle rows (1-based file line numbers) whose answer is known to differ, with the reason. Each is
/// explained in docs/ORACLE.md; anything not listed here fails the test.
enum OracleKnownDifferences {
    static let rows: [String: [Int: String]] = [:]
}
