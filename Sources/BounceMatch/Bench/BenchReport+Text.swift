extension BenchReport {
    /// The human report: one row per backend, a line per thread count, then the recommendation.
    public func text() -> String {
        var out = "\(inputName): \(ruleCount) rules, \(replyCount) replies, \(BenchFormat.bytes(byteCount)); "
        out += "answers checked against \(reference); \(repeats) samples after warm-up\n\n"
        let header = ["backend", "check", "compile", "footprint", "peak RSS", "replies/s median [min–max]", "MB/s", "vs fastest"]
        var rows: [[String]] = [header]
        for f in backends {
            let speed = f.repliesPerSecond.map { "\(BenchFormat.number($0.median)) [\(BenchFormat.number($0.min))–\(BenchFormat.number($0.max))]" }
            var check = f.verdict.isCorrect ? "ok" : (f.verdict.description.hasPrefix("DISAGREES") ? "DISAGREES" : "CANNOT COMPILE")
            if f.verdict.isCorrect && f.undecidedReplies > 0 { check = "ok, \(f.undecidedReplies) undecided" }
            rows.append([
                f.backend, check,
                f.compileSeconds.map(BenchFormat.duration) ?? "-",
                f.footprintBytes.map(BenchFormat.bytes) ?? "-",
                f.peakResidentBytes.map(BenchFormat.bytes) ?? "-",
                speed ?? "no figure",
                f.megabytesPerSecond.map { BenchFormat.number($0.median) } ?? "-",
                f.ratioToFastest.map { $0 >= 1 ? "fastest" : ($0 > 0 ? BenchFormat.ratio(1 / $0) + " slower" : "-") } ?? "-",
            ])
        }
        out += BenchReport.table(rows)
        for f in backends where !f.verdict.isCorrect {
            out += "\n\(f.backend): \(f.verdict)"
            if case let .disagrees(_, example) = f.verdict, !example.isEmpty { out += " (first: \(example))" }
            out += "; no speed figure is shown for it."
        }
        let scaled = backends.filter { !$0.scaling.isEmpty }
        if !scaled.isEmpty {
            out += "\n\nThread scaling (each thread its own scratch and chunk of the replies):\n"
            var srows: [[String]] = [["backend", "threads", "replies/s median [min–max]", "speed-up"]]
            for f in scaled {
                for s in f.scaling {
                    srows.append([
                        f.backend, "\(s.threads)",
                        "\(BenchFormat.number(s.repliesPerSecond.median)) [\(BenchFormat.number(s.repliesPerSecond.min))–\(BenchFormat.number(s.repliesPerSecond.max))]",
                        BenchFormat.ratio(s.speedup),
                    ])
                }
            }
            out += BenchReport.table(srows)
            for m in machineSpeedups {
                out += "machine check: pure CPU work scaled \(BenchFormat.ratio(m.speedup)) on \(m.threads) threads during this run"
                out += m.speedup < Double(m.threads) * 0.9 ? " (the machine is busy or has fewer free cores; the speed-ups above cannot exceed this)\n" : "\n"
            }
        }
        if let r = recommendation {
            out += "\n\nRecommendation: \(r.backend): \(r.reason)\n"
        } else {
            out += "\n\nRecommendation: none (no backend both agreed with \(reference) and was measured)\n"
        }
        return out
    }

    /// Left-aligned text columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for (n, r) in rows.enumerated() {
            var line = ""
            for (i, c) in r.enumerated() {
                line += c
                if i < r.count - 1 { line += String(repeating: " ", count: widths[i] - c.count + 2) }
            }
            out += line + "\n"
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
