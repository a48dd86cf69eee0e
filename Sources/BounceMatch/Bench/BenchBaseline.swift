/// Saved benchmark figures to compare later runs with (`bouncematch bench --baseline save|compare PATH`).
///
/// The file is TSV, one row per (input, backend): `input  backend  replies_per_second_median  compile_seconds`,
/// after a `#` header line. Only the medians are kept: the comparison asks "is this backend slower than it
/// was by more than the tolerance", which is what a regression is.
public struct BenchBaseline: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var input: String
        public var backend: String
        public var repliesPerSecond: Double
        public var compileSeconds: Double?

        public init(input: String, backend: String, repliesPerSecond: Double, compileSeconds: Double?) {
            self.input = input
            self.backend = backend
            self.repliesPerSecond = repliesPerSecond
            self.compileSeconds = compileSeconds
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The figures of every backend that has a speed figure in `reports`.
    public init(reports: [BenchReport]) {
        entries = reports.flatMap { r in
            r.backends.compactMap { f in
                f.repliesPerSecond.map { Entry(input: r.inputName, backend: f.backend, repliesPerSecond: $0.median, compileSeconds: f.compileSeconds) }
            }
        }
    }

    static let headerLine = "# bouncematch bench baseline v1\tinput\tbackend\treplies_per_second_median\tcompile_seconds"

    public func tsv() -> String {
        var out = BenchBaseline.headerLine + "\n"
        for e in entries {
            let input = e.input.replacingTabsAndNewlines()
            out += "\(input)\t\(e.backend)\t\(e.repliesPerSecond)\t\(e.compileSeconds.map { "\($0)" } ?? "-")\n"
        }
        return out
    }

    /// Parses `tsv()` output; throws with the line number on a malformed row.
    public init(tsv: String) throws(BenchBaselineError) {
        var entries: [Entry] = []
        for (n, raw) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 4, let rate = Double(f[2]), rate.isFinite, rate > 0 else {
                throw BenchBaselineError(line: n + 1, reason: "expected 4 TAB-separated fields: input, backend, replies/s > 0, compile seconds or -")
            }
            entries.append(Entry(input: String(f[0]), backend: String(f[1]), repliesPerSecond: rate, compileSeconds: f[3] == "-" ? nil : Double(f[3])))
        }
        self.entries = entries
    }

    /// One backend's current figure against its saved one.
    public struct Comparison: Hashable, Sendable {
        public enum Status: String, Hashable, Sendable { case ok, faster, slower, missing, new }
        public var input: String
        public var backend: String
        public var baseline: Double?
        public var current: Double?
        /// `current / baseline` when both exist.
        public var ratio: Double?
        public var status: Status
    }

    /// Compares `current` with `self`: a backend is `slower` when its median is below the saved one by more
    /// than `tolerance` (0.10 = 10%), `faster` when above by more, `missing` when it has no figure now
    /// (it disagreed or could not compile: also a failure), `new` when it was not in the baseline.
    public func compare(with current: BenchBaseline, tolerance: Double) -> [Comparison] {
        var out: [Comparison] = []
        for b in entries {
            guard let c = current.entries.first(where: { $0.input == b.input && $0.backend == b.backend }) else {
                // Only inputs that were run this time can be missing; other inputs were simply not asked for.
                if current.entries.contains(where: { $0.input == b.input }) {
                    out.append(Comparison(input: b.input, backend: b.backend, baseline: b.repliesPerSecond, current: nil, ratio: nil, status: .missing))
                }
                continue
            }
            let ratio = c.repliesPerSecond / b.repliesPerSecond
            let status: Comparison.Status = ratio < 1 - tolerance ? .slower : (ratio > 1 + tolerance ? .faster : .ok)
            out.append(Comparison(input: b.input, backend: b.backend, baseline: b.repliesPerSecond, current: c.repliesPerSecond, ratio: ratio, status: status))
        }
        for c in current.entries where !entries.contains(where: { $0.input == c.input && $0.backend == c.backend }) {
            out.append(Comparison(input: c.input, backend: c.backend, baseline: nil, current: c.repliesPerSecond, ratio: nil, status: .new))
        }
        return out
    }

    /// True when any comparison is a regression (slower, or missing a figure it had).
    public static func hasRegression(_ comparisons: [Comparison]) -> Bool {
        comparisons.contains { $0.status == .slower || $0.status == .missing }
    }

    /// A readable table of `comparisons`.
    public static func table(_ comparisons: [Comparison], tolerance: Double) -> String {
        var rows: [[String]] = [["input", "backend", "baseline replies/s", "now", "ratio", "status"]]
        for c in comparisons {
            rows.append([
                c.input, c.backend, c.baseline.map(BenchFormat.number) ?? "-", c.current.map(BenchFormat.number) ?? "-",
                c.ratio.map { BenchFormat.fixed($0, 3) } ?? "-",
                c.status == .slower ? "SLOWER (> \(BenchFormat.fixed(tolerance * 100, 0))%)" : c.status.rawValue.uppercased() == "MISSING" ? "MISSING (no figure now)" : c.status.rawValue,
            ])
        }
        return BenchReport.table(rows)
    }
}

/// A malformed baseline file.
public struct BenchBaselineError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
    public var description: String { "line \(line): \(reason)" }
}

extension String {
    fileprivate func replacingTabsAndNewlines() -> String {
        String(map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
