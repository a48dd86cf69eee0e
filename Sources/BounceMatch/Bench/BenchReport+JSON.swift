extension BenchReport {
    /// The report as one JSON object, for tooling. Speed fields are `null` for a backend without a figure.
    public func json() -> String {
        JSON.object([
            ("input", JSON.string(inputName)),
            ("rules", "\(ruleCount)"),
            ("replies", "\(replyCount)"),
            ("bytes", "\(byteCount)"),
            ("reference", JSON.string(reference)),
            ("repeats", "\(repeats)"),
            ("backends", JSON.array(backends.map(BenchReport.json))),
            ("machine_speedups", JSON.array(machineSpeedups.map { JSON.object([("threads", "\($0.threads)"), ("speedup", BenchReport.number($0.speedup))]) })),
            ("recommendation", recommendation.map {
                JSON.object([
                    ("backend", JSON.string($0.backend)), ("reason", JSON.string($0.reason)),
                    ("runner_up", $0.runnerUp.map(JSON.string) ?? "null"),
                ])
            } ?? "null"),
        ])
    }

    /// Several reports (a sweep, or several inputs) as a JSON array.
    public static func json(_ reports: [BenchReport]) -> String {
        JSON.array(reports.map { $0.json() })
    }

    static func json(_ f: BackendFigures) -> String {
        let verdict: String
        var detail = "null"
        switch f.verdict {
        case .agrees: verdict = "agrees"
        case let .disagrees(n, example): verdict = "disagrees"; detail = JSON.object([("replies", "\(n)"), ("first", JSON.string(example))])
        case let .cannotCompile(reason): verdict = "cannot-compile"; detail = JSON.string(reason)
        }
        return JSON.object([
            ("backend", JSON.string(f.backend)),
            ("verdict", JSON.string(verdict)),
            ("verdict_detail", detail),
            ("compile_seconds", number(f.compileSeconds)),
            ("footprint_bytes", f.footprintBytes.map { "\($0)" } ?? "null"),
            ("peak_rss_bytes", f.peakResidentBytes.map { "\($0)" } ?? "null"),
            ("replies_per_second", stats(f.repliesPerSecond)),
            ("mb_per_second", stats(f.megabytesPerSecond)),
            ("ratio_to_fastest", number(f.ratioToFastest)),
            ("undecided_replies", "\(f.undecidedReplies)"),
            ("hybrid_rules", "\(f.hybridRules)"),
            ("undecidable_rules", "\(f.undecidableRules)"),
            ("threads", JSON.array(f.scaling.map {
                JSON.object([("threads", "\($0.threads)"), ("replies_per_second", stats($0.repliesPerSecond)), ("speedup", number($0.speedup))])
            })),
        ])
    }

    static func stats(_ s: BenchStatistics?) -> String {
        guard let s else { return "null" }
        return JSON.object([
            ("median", number(s.median)), ("min", number(s.min)), ("max", number(s.max)),
            ("samples", JSON.array(s.samples.map { number($0) })),
        ])
    }

    /// A finite number as JSON (Swift's shortest round-trip form); non-finite values are `null`.
    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        return "\(x)"
    }
}
