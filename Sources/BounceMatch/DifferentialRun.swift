import BounceRules
import Matching

/// Runs several backends on the same replies and records where they disagree with the first one (the
/// baseline, normally `naive`). Shared by `bouncematch diff`, the differential test suite and the benchmark's
/// correctness gate, so all three mean the same thing by "agree".
public final class DifferentialRun {
    /// One reply on which some backend's decided answer differs from the baseline's decided answer.
    public struct Disagreement: Sendable {
        public var replyNumber: Int
        public var line: [UInt8]
        /// One result per backend, in `backendNames` order.
        public var results: [MatchResult]
    }

    public let backendNames: [String]
    public let matchers: [any Matcher]
    private let scratches: [any MatchScratch]
    private var results: [MatchResult]

    public private(set) var replyCount = 0
    /// Per backend: replies whose decided answer differs from the baseline's.
    public private(set) var disagreementCounts: [Int]
    /// Per backend: replies it could not fully decide (step budget, match limit).
    public private(set) var undecidedCounts: [Int]
    /// The first `keep` disagreements, in input order.
    public private(set) var disagreements: [Disagreement] = []
    public private(set) var totalDisagreements = 0
    private let keep: Int

    public init(matchers: [any Matcher], keep: Int = 100) {
        precondition(!matchers.isEmpty, "a differential run needs at least one backend")
        self.matchers = matchers
        self.backendNames = matchers.map(\.backendName)
        self.scratches = matchers.map { $0.makeScratch() }
        self.results = Array(repeating: .noMatch, count: matchers.count)
        self.disagreementCounts = Array(repeating: 0, count: matchers.count)
        self.undecidedCounts = Array(repeating: 0, count: matchers.count)
        self.keep = keep
    }

    /// Compares every backend with the baseline on `reply`; returns whether all decided answers agree.
    @discardableResult
    public func check(_ reply: Reply, replyNumber: Int) -> Bool {
        replyCount += 1
        for i in matchers.indices {
            results[i] = matchers[i].firstMatch(reply, scratch: scratches[i])
            if !results[i].isDecided { undecidedCounts[i] += 1 }
        }
        var agree = true
        let base = results[0]
        for i in matchers.indices.dropFirst() where !DifferentialRun.compatible(base, results[i]) {
            disagreementCounts[i] += 1
            agree = false
        }
        if !agree {
            totalDisagreements += 1
            if disagreements.count < keep {
                disagreements.append(Disagreement(replyNumber: replyNumber, line: reply.line, results: results))
            }
        }
        return agree
    }

    /// Two answers agree when both are decided and equal. An undecided answer (lowest undecided rule `u`,
    /// lowest decided match `k`) only claims that the true first match lies in `u...k` — any rule from `u` up
    /// to `k`, since several rules between them may be undecided too — or, when `k == -1`, that it is `u` or a
    /// later rule or none. Two answers conflict only when those claims cannot both hold.
    public static func compatible(_ a: MatchResult, _ b: MatchResult) -> Bool {
        if a.isDecided && b.isDecided { return a.ruleIndex == b.ruleIndex }
        // Each claim as a closed range of rule indexes, with "no match" as Int.max (after every rule).
        func claim(_ r: MatchResult) -> ClosedRange<Int> {
            let end = r.ruleIndex < 0 ? Int.max : r.ruleIndex
            return r.isDecided ? end...end : r.undecided...end
        }
        return claim(a).overlaps(claim(b))
    }
}
