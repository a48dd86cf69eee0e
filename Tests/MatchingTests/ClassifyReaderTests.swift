import Testing
@testable import BounceMatch
import TestSupport
import Foundation

/// The reader's records point into the buffer they were read into, and a chunk ends when a read would move
/// bytes its records point into. These tests read generated inputs with tiny buffers (refills and growth
/// every few records), every chunk size and several chunks held at once (as workers do), and compare each
/// record with a plain serial reading of the same bytes.
@Suite struct ClassifyReaderTests {
    enum Item: Equatable, CustomStringConvertible {
        case record(file: Int, line: Int, bytes: [UInt8])
        case bad(file: Int, line: Int, reason: BadRecordReason)

        var description: String {
            switch self {
            case .record(let f, let l, let b): "\(f):\(l) \(String(decoding: b, as: UTF8.self).debugDescription)"
            case .bad(let f, let l, let r): "\(f):\(l) bad \(r)"
            }
        }
    }

    static let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
    static let csvHeader = Array("type,timeLogged,rcpt,dlvSourceIp,dsnStatus,dsnDiag\n".utf8)

    /// A plain serial reading: the whole input in memory, records cut as the reader documents them.
    static func reference(_ b: [UInt8], file: Int, csv: Bool, limit: Int) -> [Item] {
        var out: [Item] = []
        var i = 0, line = 1
        let n = b.count
        if csv, let nl = b.firstIndex(of: lf) {
            i = nl + 1
            line = 2
        }
        while i < n {
            var j = i, inQuotes = false, sawQuote = false
            while j < n {
                let c = b[j]
                if inQuotes {
                    if c == quote {
                        if j + 1 < n && b[j + 1] == quote { j += 2; continue }
                        inQuotes = false
                    }
                    j += 1
                    continue
                }
                if c == lf { break }
                if csv && c == quote && (j == i || b[j - 1] == comma) {
                    inQuotes = true
                    sawQuote = true
                }
                j += 1
            }
            if inQuotes {
                out.append(.bad(file: file, line: line, reason: .unterminatedQuote))
                if let nl = b[i...].firstIndex(of: lf) {
                    i = nl + 1
                    line += 1
                } else {
                    i = n
                }
                continue
            }
            var e = j
            if e > i && b[e - 1] == cr { e -= 1 }
            let recordLine = line
            line += 1 + (sawQuote ? b[i..<j].filter { $0 == lf }.count : 0)
            let s = i
            i = min(j + 1, n)
            if e - s > limit {
                out.append(.bad(file: file, line: recordLine, reason: .tooLong(limit: limit)))
            } else if e > s || !csv {
                out.append(.record(file: file, line: recordLine, bytes: Array(b[s..<e])))
            }
        }
        return out
    }

    /// Reads `paths` keeping `held` chunks alive: a chunk is read back only after `held - 1` later fills, so a
    /// reader that wrote into a buffer a chunk still holds would be caught.
    static func read(paths: [String], options: ClassifyOptions, held: Int) -> [Item] {
        let reader = RecordReader(paths: paths, options: options)
        let ring = (0..<held).map { _ in RecordChunk() }
        var filled = [Bool](repeating: false, count: held)
        var items: [Item] = []
        func collect(_ c: RecordChunk) {
            #expect(c.fileError == nil)
            #expect(c.count <= options.recordsPerChunk)
            guard let file = c.file?.index else { return }
            c.withBytes { all in
                for r in 0..<c.count {
                    switch c.outcomes[r] {
                    case .pending: items.append(.record(file: file, line: c.lines[r], bytes: Array(all[c.starts[r]..<c.ends[r]])))
                    case .bad(let reason): items.append(.bad(file: file, line: c.lines[r], reason: reason))
                    default: Issue.record("unexpected outcome \(c.outcomes[r])")
                    }
                }
            }
        }
        var k = 0
        while true {
            let slot = k % held
            if filled[slot] { collect(ring[slot]) }
            filled[slot] = false
            guard reader.fill(ring[slot]) else { break }
            filled[slot] = true
            k += 1
        }
        for j in 1..<max(held, 1) where filled[(k + j) % held] { collect(ring[(k + j) % held]) }
        return items
    }

    /// Random records: short ones (some with quoted fields spanning lines, doubled quotes, CR LF), blank lines,
    /// and lines longer than `limit`. Lengths stay clear of `limit` by a few bytes: right at it, whether a
    /// line with a CR is too long depends on how much was buffered, as it always did.
    static func generate(records: Int, csv: Bool, limit: Int, seed: UInt64, finalNewline: Bool) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out: [UInt8] = csv ? csvHeader : []
        let letters = Array("abcdefghij 550 5.1.1 user;=".utf8)
        func text(_ n: Int) -> [UInt8] { (0..<n).map { _ in letters[Int(rng.next() % UInt64(letters.count))] } }
        for _ in 0..<records {
            let kind = rng.next() % 10
            var record: [UInt8]
            switch kind {
            case 0: record = []
            case 1: record = text(limit + 4 + Int(rng.next() % UInt64(3 * limit)))
            case 2 where csv:
                // A quoted field with a newline and a doubled quote inside, well within the limit.
                record = Array("b,".utf8) + [quote] + text(Int(rng.next() % 5)) + [lf] + [quote, quote] + text(3) + [quote]
                    + Array(",x".utf8)
            default: record = text(Int(rng.next() % UInt64(limit - 8)))
            }
            out += record
            if rng.next() % 4 == 0 { out.append(cr) }
            out.append(lf)
        }
        if !finalNewline { out += text(5) }
        return out
    }

    static func options(format: InputFormat, limit: Int, buffer: Int, chunk: Int, bytesPerChunk: Int) -> ClassifyOptions {
        var o = ClassifyFixture.options(format: format, chunk: chunk)
        o.maxRecordBytes = limit
        o.readBufferBytes = buffer
        o.bytesPerChunk = bytesPerChunk
        return o
    }

    static func check(files: [[UInt8]], csv: Bool, limit: Int) throws {
        let paths = try files.enumerated().map { try CLIRunner.temporaryFile("in-\($0.offset)", $0.element) }
        let expected = files.enumerated().flatMap { reference($0.element, file: $0.offset, csv: csv, limit: limit) }
        #expect(expected.count > 5)
        for buffer in [16, 64, 300, 1 << 20] {
            for chunk in [1, 3, 2_048] {
                for (held, bytesPerChunk) in [(1, 1 << 20), (3, 1 << 20), (2, 50)] {
                    let o = options(format: csv ? .csv : .lines, limit: limit, buffer: buffer, chunk: chunk, bytesPerChunk: bytesPerChunk)
                    let got = read(paths: paths, options: o, held: held)
                    if got != expected {
                        let i = (0..<min(got.count, expected.count)).first { got[$0] != expected[$0] } ?? min(got.count, expected.count)
                        Issue.record("buffer \(buffer) chunk \(chunk) held \(held) bytes \(bytesPerChunk): item \(i): \(i < got.count ? got[i].description : "none") != \(i < expected.count ? expected[i].description : "none")")
                        return
                    }
                }
            }
        }
    }

    @Test func plainLinesAcrossRefillsEqualASerialReading() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let a = Self.generate(records: 150, csv: false, limit: 40, seed: seed, finalNewline: seed != 2)
            let b = Self.generate(records: 60, csv: false, limit: 40, seed: seed + 100, finalNewline: false)
            try Self.check(files: [a, b, []], csv: false, limit: 40)
        }
    }

    @Test func csvAcrossRefillsEqualsASerialReading() throws {
        for seed in [4, 5, 6] as [UInt64] {
            let a = Self.generate(records: 150, csv: true, limit: 60, seed: seed, finalNewline: seed != 5)
            let b = Self.generate(records: 60, csv: true, limit: 60, seed: seed + 100, finalNewline: true)
            try Self.check(files: [a, b], csv: true, limit: 60)
        }
    }

    /// A long record and an unterminated quote right after good records in the same buffer: both paths read
    /// on, so the chunk holding the good records must end first.
    @Test func longRecordAndUnterminatedQuoteAfterGoodRecords() throws {
        var csv = Self.csvHeader
        for i in 0..<5 { csv += Array("b,ok \(i)\n".utf8) }
        csv += Array(repeating: UInt8(ascii: "z"), count: 150) + [Self.lf]
        for i in 0..<5 { csv += Array("b,\"quoted \(i)\r\nline\",x\r\n".utf8) }
        csv += Array("b,\"never closes\n".utf8)
        // The lines an unterminated quote swallowed are read again; none has a quote, so none closes it.
        for i in 0..<30 { csv += Array("t,after \(i)\n".utf8) }
        try Self.check(files: [csv], csv: true, limit: 60)
        var lines: [UInt8] = []
        for i in 0..<5 { lines += Array("550 ok \(i)\n".utf8) }
        lines += Array(repeating: UInt8(ascii: "z"), count: 150) + [Self.lf] + Array("452 after\r\n".utf8)
        lines += Array(repeating: UInt8(ascii: "y"), count: 90)  // too long, no final newline
        try Self.check(files: [lines], csv: false, limit: 40)
    }

    /// The whole pipeline with tiny buffers, any thread count and chunk size: the same annotated output and
    /// summary as one thread with the default buffer.
    @Test func pipelineWithTinyBuffersEqualsTheDefault() throws {
        var g = AccountingLogGenerator(seed: 3)
        var log = AccountingLogGenerator.csvHeader
        for i in 0..<1_500 {
            if i % 211 == 7 { log += Array(repeating: UInt8(ascii: "q"), count: 3_000) + [Self.lf]; continue }
            g.appendCSV(g.nextRecord(index: i, of: 1_500), to: &log)
        }
        let rules = try RuleLoader.load(files: [SharedCorpora.packageRoot + "/corpora/rules-demo.tsv"], options: LoadOptions())
        var o = ClassifyFixture.options(threads: 1)
        o.maxRecordBytes = 2_000
        let (refSummary, refOut) = try ClassifyFixture.run(log, name: "acct.csv", options: o, ruleSet: rules, annotate: true)
        #expect(refSummary.bad == 8)
        for (threads, chunk, buffer) in [(1, 1, 64), (2, 3, 500), (3, 2_048, 64), (3, 7, 4_096)] {
            var t = ClassifyFixture.options(threads: threads, chunk: chunk)
            t.maxRecordBytes = 2_000
            t.readBufferBytes = buffer
            let (s, out) = try ClassifyFixture.run(log, name: "acct.csv", options: t, ruleSet: rules, annotate: true)
            // Compared as one Bool: a failing `==` on megabytes would make Swift Testing diff them for minutes.
            let same = out == refOut
            #expect(same, "threads \(threads) chunk \(chunk) buffer \(buffer)")
            #expect(s.records == refSummary.records)
            #expect(s.ruleCounts == refSummary.ruleCounts)
            #expect(s.shapes == refSummary.shapes)
            #expect(s.badRecords.map { "\($0.line): \($0.reason)" } == refSummary.badRecords.map { "\($0.line): \($0.reason)" })
        }
    }
}
