import BounceRules
import RegexSyntax

/// Decides `regex` and `wildcard` rules for `AhoCorasickMatcher`: the automaton only nominates them.
///
/// The one place that knows which engine verifies and which literals a pattern requires, so swapping the
/// engine touches nothing else.
struct RuleVerifier: Sendable {
    /// Per rule: why the verifier can never decide it, or nil.
    let undecidableReasons: [String?]
    /// Per rule: the naive engine's program for regex/wildcard rules, nil for every other kind.
    let regexes: [NaiveRegex?]
    /// The same regexes unretained (kept alive by `regexes`), lent per verification without an atomic
    /// retain/release on an instance every thread shares.
    let regexRefs: [Unmanaged<NaiveRegex>?]
    /// Steps one verification may spend before the rule is reported undecided.
    let budget: Int

    init(ruleSet: RuleSet, options: MatcherOptions) {
        var regexes: [NaiveRegex?] = []
        var reasons: [String?] = []
        regexes.reserveCapacity(ruleSet.count)
        reasons.reserveCapacity(ruleSet.count)
        for (rule, compiled) in zip(ruleSet.rules, ruleSet.patterns) {
            if (rule.kind == .regex || rule.kind == .wildcard), let compiled {
                let regex = NaiveRegex(compiled.regex.root.searchEquivalent, captureCount: compiled.regex.captureCount)
                regexes.append(regex)
                reasons.append(regex.unsupportedReason)
            } else {
                regexes.append(nil)
                reasons.append(nil)
            }
        }
        self.regexes = regexes
        regexRefs = regexes.map { $0.map(Unmanaged.passUnretained) }
        self.undecidableReasons = reasons
        self.budget = options.stepBudget
    }

    /// Literals one of which every match of `compiled` contains, or nil when there is no such set.
    static func requiredLiterals(_ compiled: CompiledPattern) -> [AhoCorasickPattern]? {
        compiled.regex.root.requiredLiterals?.alternatives.map {
            AhoCorasickPattern(bytes: $0.bytes, caseless: $0.caseless)
        }
    }

    /// Per-thread verifier state: the naive engine's stacks and memo, shared by every rule on one thread.
    typealias Scratch = NaiveRegexScratch

    func makeScratch() -> Scratch { NaiveRegexScratch() }

    /// Whether rule `rule` matches `target` (its target bytes): nil when undecided (budget spent or the
    /// engine cannot run the pattern). Conditions are the caller's business.
    @inline(__always)
    func matches(rule: Int, target: UnsafeBufferPointer<UInt8>, scratch: Scratch) -> Bool? {
        guard let regex = regexRefs[rule] else { return nil }
        let budget = self.budget
        // SAFETY: `regexes` holds every regex as long as this verifier (and its matcher) lives.
        return regex._withUnsafeGuaranteedRef { $0.matches(in: target, scratch: scratch, budget: budget) }
    }
}
