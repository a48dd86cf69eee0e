/// Which backend to use for a rule set, and why, from measured figures.
///
/// The choice minimises the cost of a typical run: one compile plus `repliesPerCompile` matches
/// (`compile + N / speed`), among backends that agree with the reference. Backends that left replies
/// undecided are only chosen when every backend did. The reason names the runner-up, the ratio, the compile
/// time, and any hybrid or undecidable rules, so the user can see the trade-off.
public struct Recommendation: Hashable, Sendable, CustomStringConvertible {
    public var backend: String
    public var reason: String
    /// The next best backend by the same cost, if any.
    public var runnerUp: String?

    public init(backend: String, reason: String, runnerUp: String?) {
        self.backend = backend
        self.reason = reason
        self.runnerUp = runnerUp
    }

    public var description: String { "\(backend): \(reason)" }

    /// Replies per compile assumed when weighing compile time: a long-running classifier compiles once and
    /// matches millions; a one-shot CLI run matches one file.
    public static let defaultRepliesPerCompile = 1_000_000

    /// The recommendation for `figures`, or nil when no backend has a speed figure.
    public static func choose(_ figures: [BackendFigures], repliesPerCompile: Int = defaultRepliesPerCompile) -> Recommendation? {
        let measured = figures.filter { $0.verdict.isCorrect && $0.repliesPerSecond != nil }
        guard !measured.isEmpty else { return nil }
        let decided = measured.filter { $0.undecidedReplies == 0 }
        let pool = decided.isEmpty ? measured : decided
        let n = Double(max(repliesPerCompile, 1))
        func cost(_ f: BackendFigures) -> Double { (f.compileSeconds ?? 0) + n / f.repliesPerSecond!.median }
        func speed(_ f: BackendFigures) -> Double { f.repliesPerSecond!.median }
        // Ties in cost go to the faster matcher, then to the name, so the choice is deterministic.
        let ranked = pool.sorted { a, b in
            let ca = cost(a), cb = cost(b)
            if ca != cb { return ca < cb }
            if speed(a) != speed(b) { return speed(a) > speed(b) }
            return a.backend < b.backend
        }
        let best = ranked[0]
        let fastest = pool.max { speed($0) < speed($1) }!
        var parts: [String] = []
        if ranked.count > 1 {
            let next = ranked[1]
            let r = speed(best) / speed(next)
            // Within 5% the two are tied at this noise level; say so rather than claim a win.
            parts.append(r < 1.05 ? "ties with \(next.backend) (\(BenchFormat.ratio(r)) its speed, within noise) on this set" : "\(BenchFormat.ratio(r)) \(next.backend) on this set")
        } else {
            parts.append("the only backend that gave the reference's answers")
        }
        parts.append("compile \(best.compileSeconds.map(BenchFormat.duration) ?? "?")")
        if fastest.backend != best.backend && speed(fastest) / speed(best) < 1.05 {
            parts.append("\(fastest.backend) is within 5% at matching and compiles in \(fastest.compileSeconds.map(BenchFormat.duration) ?? "?")")
        }
        if fastest.backend != best.backend && speed(fastest) / speed(best) >= 1.05 {
            let c = fastest.compileSeconds.map(BenchFormat.duration) ?? "?"
            parts.append(
                "\(fastest.backend) matches \(BenchFormat.ratio(speed(fastest) / speed(best))) faster but its compile (\(c)) "
                    + "is not paid back within \(BenchFormat.number(n)) replies per compile")
        }
        if best.hybridRules > 0 {
            parts.append("\(best.hybridRules) rule\(best.hybridRules == 1 ? "" : "s") run hybrid through PCRE2 (included in the speed)")
        }
        if best.undecidableRules > 0 {
            parts.append("\(best.undecidableRules) rule\(best.undecidableRules == 1 ? " is" : "s are") undecidable for it")
        }
        if decided.isEmpty {
            parts.append("every backend left some replies undecided; this one left \(best.undecidedReplies)")
        } else {
            let skipped = measured.filter { $0.undecidedReplies > 0 && speed($0) > speed(best) }.map(\.backend)
            if !skipped.isEmpty {
                parts.append("passed over \(skipped.joined(separator: ", ")) (faster, but left replies undecided)")
            }
        }
        return Recommendation(backend: best.backend, reason: parts.joined(separator: "; "), runnerUp: ranked.count > 1 ? ranked[1].backend : nil)
    }
}
