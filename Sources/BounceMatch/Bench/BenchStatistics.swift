/// Median and spread of repeated measurements (rebar reports the median and the range, never one run).
public struct BenchStatistics: Hashable, Sendable, CustomStringConvertible {
    public var samples: [Double]
    public var median: Double
    public var min: Double
    public var max: Double

    /// Summarises `samples`; nil when there are none. The median of an even count is the mean of the
    /// two middle values.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        self.samples = samples
        self.median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        self.min = sorted[0]
        self.max = sorted[sorted.count - 1]
    }

    /// The spread as a fraction of the median: `(max - min) / median`.
    public var relativeSpread: Double { median > 0 ? (max - min) / median : 0 }

    /// Every sample multiplied by `factor` (e.g. replies/s to MB/s).
    public func scaled(by factor: Double) -> BenchStatistics {
        BenchStatistics(samples.map { $0 * factor })!
    }

    public var description: String { "\(BenchFormat.number(median)) [\(BenchFormat.number(min))–\(BenchFormat.number(max))]" }
}

/// Number formatting for the report, without Foundation.
public enum BenchFormat {
    /// `1234567` → `1.23M`, `4321` → `4.32k`, `12.5` → `12.5`.
    public static func number(_ x: Double) -> String {
        let a = abs(x)
        if a >= 1e9 { return fixed(x / 1e9, 2) + "G" }
        if a >= 1e6 { return fixed(x / 1e6, 2) + "M" }
        if a >= 1e4 { return fixed(x / 1e3, 1) + "k" }
        if a >= 100 { return fixed(x, 0) }
        if a >= 10 { return fixed(x, 1) }
        return fixed(x, 2)
    }

    /// `x` with `digits` decimals.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let negative = x < 0
        let r = (abs(x) * scale).rounded()
        let whole = Int64(r / scale)
        var frac = Int64(r - Double(whole) * scale)
        if frac < 0 { frac = 0 }
        var s = (negative && r != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            var f = String(frac)
            while f.count < digits { f = "0" + f }
            s += "." + f
        }
        return s
    }

    /// Seconds as `850 µs`, `12.3 ms`, `1.20 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 1e-3 { return fixed(seconds * 1e6, 0) + " µs" }
        if seconds < 1 { return fixed(seconds * 1e3, seconds < 0.1 ? 1 : 0) + " ms" }
        return fixed(seconds, 2) + " s"
    }

    /// Bytes as `512 B`, `12.0 KiB`, `3.40 MiB`.
    public static func bytes(_ n: Int) -> String {
        let x = Double(n)
        if x < 1024 { return "\(n) B" }
        if x < 1024 * 1024 { return fixed(x / 1024, 1) + " KiB" }
        if x < 1024 * 1024 * 1024 { return fixed(x / 1_048_576, 1) + " MiB" }
        return fixed(x / 1_073_741_824, 2) + " GiB"
    }

    /// An integer with thousands separators: `10000` → `10,000`.
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(abs(n)))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A ratio as `4.1×`.
    public static func ratio(_ r: Double) -> String { fixed(r, r >= 10 ? 0 : (r >= 2 ? 1 : 2)) + "×" }
}
