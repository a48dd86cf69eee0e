import BounceRules
import RegexSyntax

/// Decides `regex` and `wildcard` rules for `AhoCorasickMatcher`: the automaton only nominates them.
///
/// The one place that knows which engine verifies and which literals a pattern requires, so swapping the
/// engine touches nothing else.
struct RuleVerifier: Sendable {
    /// Per rule: why the verifier can never decide it, or nil.
    let undecidableReasons: [String?]

    init(ruleSet: RuleSet, options: MatcherOptions) {
        // PENDING(naive engine in main): keep `regexes: [NaiveRegex?]` = `NaiveRegex(compiled.regex)` for
        // regex/wildcard rules (nil otherwise), `budget = options.stepBudget`, and take each
        // `unsupportedReason` here; `Scratch` becomes `NaiveRegexScratch` and `matches` returns
        // `regexes[rule]!.matches(in: target, scratch: scratch, budget: budget)`.
        undecidableReasons = ruleSet.rules.map { rule in
            rule.kind == .regex || rule.kind == .wildcard ? "no regex verifier available yet" : nil
        }
    }

    /// Literals one of which every match of `compiled` contains, or nil when there is no such set.
    ///
    /// PENDING(regex helper in main): `compiled.regex.root.requiredLiterals?.alternatives.map {
    /// AhoCorasickPattern(bytes: $0.bytes, caseless: $0.caseless) }`.
    static func requiredLiterals(_ compiled: CompiledPattern) -> [AhoCorasickPattern]? {
        nil
    }

    /// Per-thread verifier state.
    final class Scratch {}

    func makeScratch() -> Scratch { Scratch() }

    /// Whether rule `rule` matches `target` (its target bytes): nil when undecided (budget spent or the
    /// engine cannot run the pattern). Conditions are the caller's business.
    @inline(__always)
    func matches(rule: Int, target: UnsafeBufferPointer<UInt8>, scratch: Scratch) -> Bool? {
        nil
    }
}
