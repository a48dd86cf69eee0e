import BounceRules
import Matching
import PCRE2Matcher
import RegexSyntax

extension HyperscanMatcher {
    /// The Hyperscan expression for rule `index`, or why the rule must run hybrid.
    static func expression(for rule: Rule, pattern: CompiledPattern, index: Int) -> Result<HyperscanExpression, HybridReason> {
        var flags = HyperscanFlag.singleMatch
        let bytes: [UInt8]
        if rule.kind == .regex {
            if !pattern.regex.isPortable {
                // Hyperscan's own verdict on the original source names the construct in its words.
                let verdict = HyperscanDatabase.check(rule.pattern, flags: flags | (rule.caseInsensitive ? HyperscanFlag.caseless : 0))
                let uses = pattern.regex.pcreOnly.map(\.description).joined(separator: ", ")
                return .failure(HybridReason("PCRE-only (\(uses))" + (verdict.rejection.map { "; Hyperscan: \($0)" } ?? "")))
            }
            bytes = rule.pattern
            if rule.caseInsensitive { flags |= HyperscanFlag.caseless }
        } else {
            guard let printed = pattern.regex.root.searchEquivalent.plainPrinted else {
                return .failure(HybridReason("pattern has no Hyperscan form"))
            }
            bytes = printed
        }
        let verdict = HyperscanDatabase.check(bytes, flags: flags | HyperscanFlag.allowEmpty)
        if let rejection = verdict.rejection { return .failure(HybridReason("Hyperscan: \(rejection)")) }
        if verdict.minWidth == 0 { flags |= HyperscanFlag.allowEmpty }
        return .success(HyperscanExpression(bytes: bytes, flags: flags, id: UInt32(index)))
    }

    /// Compiles `expressions`; an expression Hyperscan rejects only in the multi-pattern compile is moved
    /// out (into `notes`, hence hybrid) and the rest compiled again. nil when nothing is left.
    static func compile(
        _ expressions: inout [HyperscanExpression], notes: inout [Int: String], backend: String
    ) throws(MatcherError) -> HyperscanDatabase? {
        while !expressions.isEmpty {
            switch HyperscanDatabase.compile(expressions) {
            case .success(let db):
                return db
            case .failure(let failure):
                guard failure.position >= 0, failure.position < expressions.count else {
                    throw MatcherError(backend: backend, reason: "Hyperscan cannot compile the rule set: \(failure.message)")
                }
                let removed = expressions.remove(at: failure.position)
                notes[Int(removed.id)] = "Hyperscan: \(failure.message)"
            }
        }
        return nil
    }

    /// `table[i]` = the lowest id `>= i` among `expressions` (ascending ids), `Int.max` when none.
    static func nextTable(_ expressions: [HyperscanExpression], count: Int) -> [Int] {
        var table = [Int](repeating: Int.max, count: count + 1)
        var next = Int.max
        var k = expressions.count - 1
        for i in stride(from: count - 1, through: 0, by: -1) {
            while k >= 0 && Int(expressions[k].id) >= i {
                next = Int(expressions[k].id)
                k -= 1
            }
            table[i] = next
        }
        return table
    }
}

/// Why a rule runs hybrid, in words for `ruleNotes`.
struct HybridReason: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
