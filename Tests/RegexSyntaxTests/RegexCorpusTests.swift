import Testing
import TestSupport
@testable import RegexSyntax

struct CorpusRegex {
    var file: String
    var line: Int
    var bytes: [UInt8]
}

/// Every `regex` row of every shared `rules-*.tsv`, with its file name and 1-based line.
func corpusRegexes() -> [CorpusRegex] {
    var out: [CorpusRegex] = []
    for path in SharedCorpora.ruleFiles() {
        let (header, rows) = SharedCorpora.readTSV(path)
        guard let kind = header.firstIndex(of: "kind"), let pattern = header.firstIndex(of: "pattern") else { continue }
        let name = String(path.split(separator: "/").last ?? "")
        for (i, row) in rows.enumerated() where row.count > max(kind, pattern) && row[kind] == Array("regex".utf8) {
            out.append(CorpusRegex(file: name, line: i + 2, bytes: row[pattern]))
        }
    }
    return out
}

@Suite struct RegexCorpusTests {
    @Test func everyCorpusRegexParses() {
        guard SharedCorpora.root != nil else { SharedCorpora.announceMissing("RegexCorpusTests.everyCorpusRegexParses"); return }
        let all = corpusRegexes()
        #expect(all.count > 1000)
        for r in all {
            do {
                _ = try RegexParser.parse(r.bytes, options: RegexOptions())
            } catch {
                Issue.record("\(r.file):\(r.line): \(error)")
            }
        }
    }

    /// The classification matches the dialect table of `SOURCES.md` (and kumomta's one lookahead).
    @Test func pcreOnlyCountsMatchSources() throws {
        guard SharedCorpora.root != nil else { SharedCorpora.announceMissing("RegexCorpusTests.pcreOnlyCountsMatchSources"); return }
        var rulesUsing: [String: [PCREOnlyConstruct: Int]] = [:]
        for r in corpusRegexes() {
            let p = try RegexParser.parse(r.bytes, options: RegexOptions())
            for c in Set(p.pcreOnly.map(\.construct)) { rulesUsing[r.file, default: [:]][c, default: 0] += 1 }
        }
        let expected: [String: [PCREOnlyConstruct: Int]] = [
            "rules-sisimai-exact.tsv": [.lookahead: 55],
            "rules-zonemta.tsv": [.lookahead: 1],
            "rules-phpmailer-bmh.tsv": [.graphemeCluster: 1],
            "rules-kumomta-shaping.tsv": [.lookahead: 1],
        ]
        let files = Set(corpusRegexes().map(\.file))
        for file in files {
            #expect((rulesUsing[file] ?? [:]) == (expected[file] ?? [:]), "\(file)")
        }
    }

    /// Samples of corpus regexes contain one of the extracted literals (the prefilter contract).
    @Test func literalsCoverCorpusSamples() throws {
        guard SharedCorpora.root != nil else { SharedCorpora.announceMissing("RegexCorpusTests.literalsCoverCorpusSamples"); return }
        var rng = SplitMix64(seed: 77)
        var withLiterals = 0
        for r in corpusRegexes() {
            let p = try RegexParser.parse(r.bytes, options: RegexOptions())
            guard let lits = p.root.requiredLiterals else { continue }
            withLiterals += 1
            for _ in 0..<3 {
                guard let s = p.root.sampleMatch(using: &rng) else { break }
                #expect(lits.alternatives.contains { containsLiteral(s, $0) }, "\(r.file):\(r.line)")
            }
        }
        #expect(withLiterals > 900)
    }
}

func containsLiteral(_ haystack: [UInt8], _ l: LiteralString) -> Bool {
    if l.bytes.isEmpty { return true }
    guard haystack.count >= l.bytes.count else { return false }
    for s in 0...(haystack.count - l.bytes.count) {
        var ok = true
        for k in 0..<l.bytes.count {
            var c = haystack[s + k]
            if l.caseless, c >= 0x41, c <= 0x5A { c |= 0x20 }
            if c != l.bytes[k] { ok = false; break }
        }
        if ok { return true }
    }
    return false
}
