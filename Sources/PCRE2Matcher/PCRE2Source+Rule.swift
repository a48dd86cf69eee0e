import BounceRules
import Matching
import RegexSyntax

extension PCRE2Source {
    /// What PCRE2 compiles for rule `index`, or nil for a rule without a pattern.
    ///
    /// Regex rules use their original bytes so that PCRE2 is an independent check of the project's parser.
    package static func forRule(_ index: Int, in ruleSet: RuleSet, backend: String) throws(MatcherError) -> PCRE2Source? {
        let rule = ruleSet.rules[index]
        guard let kind = rule.kind else { return nil }
        switch kind {
        case .regex:
            return .regex(rule.pattern, caseless: rule.caseInsensitive)
        case .substring:
            return .literal(rule.pattern, caseless: rule.caseInsensitive, whole: false)
        case .exact:
            return .literal(rule.pattern, caseless: rule.caseInsensitive, whole: true)
        case .wildcard:
            guard let pattern = ruleSet.patterns[index] else {
                throw MatcherError(backend: backend, ruleIndex: index, reason: "wildcard rule has no compiled pattern")
            }
            return .printed(pattern.regex.root.searchEquivalent.printed(for: .pcre2))
        }
    }

    /// Sources for every rule of `ruleSet` (nil for rules without a pattern or not `included`).
    package static func forRuleSet(
        _ ruleSet: RuleSet, backend: String, including included: ((Int) -> Bool)? = nil
    ) throws(MatcherError) -> [PCRE2Source?] {
        var out: [PCRE2Source?] = []
        out.reserveCapacity(ruleSet.count)
        for i in 0..<ruleSet.count {
            out.append(included?(i) == false ? nil : try forRule(i, in: ruleSet, backend: backend))
        }
        return out
    }
}
