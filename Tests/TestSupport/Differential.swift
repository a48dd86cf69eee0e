import BounceMatch

/// Helpers for differential tests: every registered backend against the naive reference.
public enum Differential {
    /// Builds every registered backend for `ruleSet`; a backend that cannot take it is a test failure
    /// reported through `failures`.
    public static func allMatchers(_ ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()) -> (matchers: [any Matcher], failures: [String]) {
        var matchers: [any Matcher] = []
        var failures: [String] = []
        for d in Backends.all {
            do { matchers.append(try d.make(ruleSet, options)) } catch { failures.append("\(d.name): \(error)") }
        }
        return (matchers, failures)
    }

    /// Runs all backends on `replies`; returns human-readable descriptions of the disagreements (first 10).
    public static func disagreements(
        _ ruleSet: RuleSet, replies: [Reply], label: String, options: MatcherOptions = MatcherOptions()
    ) -> [String] {
        let (matchers, failures) = allMatchers(ruleSet, options: options)
        if !failures.isEmpty { return failures.map { "\(label): cannot compile: \($0)" } }
        let run = DifferentialRun(matchers: matchers, keep: 10)
        for (n, r) in replies.enumerated() { run.check(r, replyNumber: n + 1) }
        var out: [String] = []
        for d in run.disagreements {
            let answers = zip(run.backendNames, d.results).map { "\($0)=\($1)" }.joined(separator: " ")
            out.append("\(label): reply \(d.replyNumber) \"\(String(decoding: d.line, as: UTF8.self))\": \(answers)")
        }
        if run.totalDisagreements > out.count { out.append("\(label): ... \(run.totalDisagreements) disagreeing replies in all") }
        return out
    }

    /// Every reply of a shared-corpora replies file, parsed (kumomta files unescaped first).
    public static func replies(fromTSV path: String) -> [Reply] {
        let (header, rows) = SharedCorpora.readTSV(path)
        guard let col = header.firstIndex(of: "reply") else { return [] }
        let kumo = path.contains("/kumomta/")
        return rows.compactMap { row in
            guard col < row.count else { return nil }
            let bytes = kumo ? SharedCorpora.unescapeKumo(row[col]) : row[col]
            return Reply(parsing: bytes)
        }
    }
}
