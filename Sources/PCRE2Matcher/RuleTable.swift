import BounceRules
import Matching

/// A rule set flattened into per-rule arrays, so hot loops read plain values instead of whole `Rule`s.
///
/// Shared by the PCRE2 and Hyperscan backends (package access only).
package final class RuleTable: Sendable {
    package let count: Int
    package let conditions: [RuleConditions]
    /// True when rule `i` has no conditions, so the check can be skipped.
    package let conditionsAlwaysHold: [Bool]
    /// True when rule `i` matches on the reply's text, false for the whole line.
    package let isTextTarget: [Bool]
    /// False for a rule without a pattern: it matches whenever its conditions hold.
    package let hasPattern: [Bool]

    package init(ruleSet: RuleSet) {
        count = ruleSet.count
        conditions = ruleSet.rules.map(\.conditions)
        conditionsAlwaysHold = ruleSet.rules.map(\.conditions.isEmpty)
        isTextTarget = ruleSet.rules.map { $0.target == .text }
        hasPattern = ruleSet.rules.map { $0.kind != nil }
    }

    /// Whether rule `i`'s conditions hold for `reply`. Allocation-free.
    @inline(__always)
    package func conditionsHold(_ i: Int, for reply: Reply) -> Bool {
        conditionsAlwaysHold[i] || conditions[i].hold(for: reply)
    }

    /// The byte range of rule `i`'s target inside `reply.line`.
    @inline(__always)
    package func targetRange(_ i: Int, in reply: Reply) -> Range<Int> {
        // Clamped so that a hand-built reply with a bad `textStart` gives an empty text, not a trap.
        isTextTarget[i] ? min(max(reply.textStart, 0), reply.line.count)..<reply.line.count : 0..<reply.line.count
    }
}
