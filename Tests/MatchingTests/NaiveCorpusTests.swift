import BounceMatch
import Testing
import TestSupport

/// Every regex of the shared corpora must be runnable by the naive engine and decide real replies within
/// the default budget (the reference must not leave real rules undecided).
@Suite struct NaiveCorpusTests {
    @Test func corpusRegexesAreSupportedAndDecided() throws {
        guard let root = SharedCorpora.root else {
            SharedCorpora.announceMissing("NaiveCorpusTests.corpusRegexesAreSupportedAndDecided")
            return
        }
        var patterns: [[UInt8]] = []
        for file in SharedCorpora.ruleFiles() {
            let (header, rows) = SharedCorpora.readTSV(file)
            guard header.first == "kind", let column = header.firstIndex(of: "pattern") else { continue }
            for row in rows where row.count > column && row[0] == Array("regex".utf8) { patterns.append(row[column]) }
        }
        var replies: [[UInt8]] = []
        for file in SharedCorpora.replyFiles() + [root + "/oracle-first-match.tsv"] {
            let (_, rows) = SharedCorpora.readTSV(file)
            for row in rows where !row.isEmpty {
                replies.append(file.contains("/kumomta/") ? SharedCorpora.unescapeKumo(row[0]) : row[0])
            }
        }
        #expect(patterns.count > 500)
        #expect(replies.count > 500)
        // A fixed, seeded sample of replies keeps the debug-build run short.
        var rng = SplitMix64(seed: 42)
        let sample = (0..<120).map { _ in replies[Int(rng.next() % UInt64(replies.count))] }
        let scratch = NaiveRegexScratch()
        var matched = 0
        for p in patterns {
            let re = NaiveRegex(try RegexParser.parse(p, options: RegexOptions()))
            #expect(re.isSupported, "\(String(decoding: p, as: UTF8.self)): \(re.unsupportedReason ?? "")")
            for reply in sample {
                let outcome = reply.withUnsafeBufferPointer {
                    re.firstMatchSpan(in: $0, scratch: scratch, budget: MatcherOptions().stepBudget)
                }
                #expect(outcome != .budgetExhausted, "\(String(decoding: p, as: UTF8.self)) on \(String(decoding: reply, as: UTF8.self))")
                if case .match(let r) = outcome {
                    matched += 1
                    #expect(r.lowerBound <= r.upperBound && r.upperBound <= reply.count)
                }
            }
        }
        #expect(matched > 0)
    }
}
