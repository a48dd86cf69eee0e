import BounceMatch
#if canImport(Glibc)
import Glibc
#endif

/// One rule set × one reply stream, built lazily: the benchmark executable is started once per benchmark,
/// so registering cases must be cheap and the work happens in each benchmark's setup.
public struct BenchCase: Sendable {
    public var name: String
    public var ruleCount: Int?
    public var load: @Sendable () throws -> BenchInput

    public init(name: String, ruleCount: Int? = nil, load: @escaping @Sendable () throws -> BenchInput) {
        self.name = name
        self.ruleCount = ruleCount
        self.load = load
    }
}

/// A case that could not be prepared: its rules did not load, or its data is absent.
public struct BenchCaseError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The inputs of every suite: generated rule sets and replies (fixed seeds) and the real corpora in
/// `../shared/corpora`, read in place, never copied.
public enum BenchCases {
    /// The seed of every generated input, so that all suites and runs see the same bytes.
    public static let seed: UInt64 = 20_261_123
    public static let generatedReplyCount = 5_000

    /// `BOUNCEMATCH_BENCH_FULL=1` runs the whole matrix; the default is a representative subset.
    public static var full: Bool { getenv("BOUNCEMATCH_BENCH_FULL").map { String(cString: $0) != "0" } ?? false }

    public static func generatedRules(count: Int, mix: CorpusGenerator.RuleMix) throws -> RuleSet {
        try CorpusGenerator.ruleSet(CorpusGenerator.rules(count: count, mix: mix, seed: seed), file: "generated-\(mix.rawValue)-\(count).tsv")
    }

    public static func generatedReplies(count: Int = generatedReplyCount) -> [Reply] {
        CorpusGenerator.replies(count: count, seed: seed).map { Reply(parsing: $0.bytes) }
    }

    /// The package root of the parent project (this file is Benchmarks/Sources/BenchSupport/BenchCases.swift).
    public static let projectRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()

    /// `BOUNCEMATCH_SHARED_CORPORA`, else `<project>/../shared/corpora`; nil when absent.
    public static let sharedCorporaRoot: String? = {
        let candidate = getenv("BOUNCEMATCH_SHARED_CORPORA").map { String(cString: $0) } ?? projectRoot + "/../shared/corpora"
        var st = stat()
        return stat(candidate, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR ? candidate : nil
    }()

    /// Prints once, loudly, that the real-corpus cases are skipped.
    public static func announceMissingCorpora() {
        guard sharedCorporaRoot == nil else { return }
        let banner = """
            ************************************************************************
            SKIPPED: real rule sets and replies: ../shared/corpora is absent (set
            BOUNCEMATCH_SHARED_CORPORA). Only generated inputs are benchmarked.
            ************************************************************************

            """
        BenchSystem.writeStderr(banner)
    }

    /// `rules-*.tsv` files (not `-meta.tsv`) in the shared corpora, largest first when `largestFirst`.
    public static func sharedRuleFiles() -> [String] {
        files { $0.hasPrefix("rules-") && $0.hasSuffix(".tsv") && !$0.hasSuffix("-meta.tsv") }
    }

    public static func sharedReplyFiles() -> [String] {
        files { $0.hasPrefix("replies-") && $0.hasSuffix(".tsv") && !$0.hasSuffix("-expected.tsv") }
    }

    /// Every reply of every shared replies file (the `reply` column; kumomta's escapes undone).
    public static func sharedReplies() -> [Reply] {
        var out: [Reply] = []
        for path in sharedReplyFiles() {
            guard let bytes = readFile(path) else { continue }
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            guard let header = lines.first else { continue }
            guard let col = header.split(separator: 0x09, omittingEmptySubsequences: false)
                .firstIndex(where: { Array($0) == Array("reply".utf8) }) else { continue }
            let kumo = path.contains("/kumomta/")
            for line in lines.dropFirst() {
                let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
                guard col < fields.count else { continue }
                let raw = Array(fields[col])
                out.append(Reply(parsing: kumo ? unescapeKumo(raw) : raw))
            }
        }
        return out
    }

    public static func loadRules(_ path: String) throws -> RuleSet {
        do { return try RuleLoader.load(files: [path]) } catch {
            throw BenchCaseError("\(path): \(error.errors.count) rule error(s), first: \(error.errors.first.map(\.description) ?? "?")")
        }
    }

    /// The throughput matrix: a representative subset by default, everything with `BOUNCEMATCH_BENCH_FULL=1`.
    public static func throughputCases() -> [BenchCase] {
        var cases: [BenchCase] = []
        let sizes = full ? [10, 100, 1_000, 3_000, 10_000] : [3_000]
        let mixedSizes = full ? [10, 100, 1_000, 10_000] : [1_000]
        for n in sizes {
            cases.append(generated(n, .substring))
        }
        for n in mixedSizes {
            cases.append(generated(n, .mixed))
        }
        if full {
            // Generated rules against the real replies too: the bytes differ (longer, wrapped, 8-bit).
            for n in [100, 1_000] where sharedCorporaRoot != nil {
                for mix in CorpusGenerator.RuleMix.allCases {
                    cases.append(BenchCase(name: "\(mix.rawValue)-\(n) × real replies", ruleCount: n) {
                        try realRepliesInput(name: "\(mix.rawValue)-\(n) × real replies", rules: try generatedRules(count: n, mix: mix))
                    })
                }
            }
        }
        let realFiles = sharedRuleFiles()
        let chosen = full ? realFiles : realFiles.filter { $0.hasSuffix("/rules-sisimai.tsv") || $0.hasSuffix("/rules-zonemta.tsv") }
        for path in chosen {
            let stem = String(path.split(separator: "/").last!.dropLast(4))
            cases.append(BenchCase(name: "\(stem) × real replies") {
                try realRepliesInput(name: "\(stem) × real replies", rules: try loadRules(path))
            })
            if full {
                cases.append(BenchCase(name: "\(stem) × generated replies") {
                    BenchInput(name: "\(stem) × generated replies", ruleSet: try loadRules(path), replies: generatedReplies())
                })
            }
        }
        return cases
    }

    public static func generated(_ n: Int, _ mix: CorpusGenerator.RuleMix) -> BenchCase {
        let name = "\(mix.rawValue)-\(n) × generated replies"
        return BenchCase(name: name, ruleCount: n) {
            BenchInput(name: name, ruleSet: try generatedRules(count: n, mix: mix), replies: generatedReplies())
        }
    }

    static func realRepliesInput(name: String, rules: RuleSet) throws -> BenchInput {
        let replies = sharedReplies()
        guard !replies.isEmpty else { throw BenchCaseError("no real replies under ../shared/corpora") }
        return BenchInput(name: name, ruleSet: rules, replies: replies)
    }

    static func files(matching keep: (String) -> Bool) -> [String] {
        guard let root = sharedCorporaRoot else { return [] }
        var out: [String] = []
        for dir in listDirectory(root) {
            for f in listDirectory(root + "/" + dir) where keep(f) { out.append(root + "/" + dir + "/" + f) }
        }
        return out.sorted()
    }

    static func listDirectory(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if n < buf.count { break }
        }
        return out
    }

    static func unescapeKumo(_ field: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < field.count {
            if field[i] == UInt8(ascii: "\\"), i + 1 < field.count {
                let map: [UInt8: UInt8] = [UInt8(ascii: "r"): 0x0D, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09, UInt8(ascii: "\\"): 0x5C]
                if let m = map[field[i + 1]] { out.append(m); i += 2; continue }
            }
            out.append(field[i])
            i += 1
        }
        return out
    }
}
