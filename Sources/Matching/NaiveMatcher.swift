import BounceRules
import RegexSyntax

/// The reference backend: every rule in index order, each pattern run by `NaiveRegex` on its target.
///
/// Obviously correct rather than fast: the other backends are checked against it. A rule whose search
/// spends the step budget (or uses a construct the engine does not model) is reported undecided and the
/// search goes on to find the lowest decided match, as `MatchResult` documents.
public final class NaiveMatcher: Matcher, MemoryReporting {
    public static let descriptor = BackendDescriptor(
        name: "naive",
        summary: "reference backtracking engine with PCRE2 semantics; rules tried one by one in order",
        make: { ruleSet, options throws(MatcherError) in NaiveMatcher(ruleSet: ruleSet, options: options) }
    )

    public var backendName: String { "naive" }
    public let ruleSet: RuleSet
    public let ruleNotes: [RuleNote]
    public let options: MatcherOptions

    // Per-rule data in flat arrays, so the per-reply loop touches no `Rule` values.
    /// nil for a rule without a pattern.
    let regexes: [NaiveRegex?]
    /// The same regexes unretained (kept alive by `regexes`): the per-reply loop lends them without the
    /// atomic retain/release per rule that would make threads sharing this matcher contend for their counts.
    let regexRefs: [Unmanaged<NaiveRegex>?]
    let conditions: [RuleConditions]
    let hasConditions: [Bool]
    let targetsText: [Bool]

    public init(ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()) {
        self.ruleSet = ruleSet
        self.options = options
        var regexes: [NaiveRegex?] = []
        var notes: [RuleNote] = []
        for (i, pattern) in ruleSet.patterns.enumerated() {
            guard let pattern else {
                regexes.append(nil)
                continue
            }
            // The search-equivalent form answers the same and keeps `*quota*`-style globs linear on huge replies.
            let re = NaiveRegex(pattern.regex.root.searchEquivalent, captureCount: pattern.regex.captureCount)
            if let reason = re.unsupportedReason {
                notes.append(RuleNote(ruleIndex: i, kind: .undecidable, reason: reason))
            }
            regexes.append(re)
        }
        self.regexes = regexes
        regexRefs = regexes.map { $0.map(Unmanaged.passUnretained) }
        self.ruleNotes = notes
        conditions = ruleSet.rules.map(\.conditions)
        hasConditions = ruleSet.rules.map { !$0.conditions.isEmpty }
        targetsText = ruleSet.rules.map { $0.target == .text }
    }

    /// The rules' program sizes (`NaiveRegex.memoryBytes`).
    public var memoryFootprint: Int? { regexes.reduce(0) { $0 + ($1?.memoryBytes ?? 0) } }

    public func makeScratch() -> any MatchScratch { NaiveRegexScratch() }

    @inline(__always)
    func naiveScratch(_ scratch: any MatchScratch) -> NaiveRegexScratch {
        guard let s = scratch as? NaiveRegexScratch else {
            preconditionFailure("NaiveMatcher needs a scratch made by its makeScratch()")
        }
        return s
    }

    public func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        let scratch = naiveScratch(scratch)
        let budget = options.stepBudget
        let textStart = Swift.min(Swift.max(reply.textStart, 0), reply.line.count)
        return reply.line.withUnsafeBufferPointer { line in
            regexRefs.withUnsafeBufferPointer { refs in
                let text = UnsafeBufferPointer(rebasing: line[textStart...])
                var undecided = -1
                var i = Swift.max(start, 0)
                let count = refs.count
                while i < count {
                    defer { i += 1 }
                    if hasConditions[i] && !conditions[i].hold(for: reply) { continue }
                    guard let re = refs[i] else { return MatchResult(ruleIndex: i, undecided: undecided) }
                    let subject = targetsText[i] ? text : line
                    // SAFETY: `regexes` holds every regex for the matcher's lifetime, which spans this call.
                    switch re._withUnsafeGuaranteedRef({ $0.matches(in: subject, scratch: scratch, budget: budget) }) {
                    case true?: return MatchResult(ruleIndex: i, undecided: undecided)
                    case false?: break
                    case nil: if undecided < 0 { undecided = i }
                    }
                }
                return MatchResult(ruleIndex: -1, undecided: undecided)
            }
        }
    }

    /// Where rule `index` matches `reply`, as offsets into `reply.line` (leftmost start, PCRE2 end), or
    /// nil when it does not match or is undecided. Conditions are not checked. A rule without a pattern
    /// spans its whole target.
    public func span(ofRule index: Int, in reply: Reply, scratch: any MatchScratch) -> Range<Int>? {
        let scratch = naiveScratch(scratch)
        let target = reply.range(of: ruleSet.rules[index].target)
        guard let re = regexes[index] else { return target }
        return reply.line.withUnsafeBufferPointer { line in
            let sub = UnsafeBufferPointer(rebasing: line[target])
            switch re.firstMatchSpan(in: sub, scratch: scratch, budget: options.stepBudget) {
            case .match(let r): return (r.lowerBound + target.lowerBound)..<(r.upperBound + target.lowerBound)
            case .noMatch, .budgetExhausted: return nil
            }
        }
    }

    /// The full outcome for rule `index` on `reply` (conditions not checked), with offsets into `reply.line`.
    public func search(rule index: Int, in reply: Reply, scratch: any MatchScratch) -> NaiveSearchOutcome {
        let scratch = naiveScratch(scratch)
        let target = reply.range(of: ruleSet.rules[index].target)
        guard let re = regexes[index] else { return .match(target) }
        return reply.line.withUnsafeBufferPointer { line in
            switch re.firstMatchSpan(in: UnsafeBufferPointer(rebasing: line[target]), scratch: scratch, budget: options.stepBudget) {
            case .match(let r): return .match((r.lowerBound + target.lowerBound)..<(r.upperBound + target.lowerBound))
            case let other: return other
            }
        }
    }
}
