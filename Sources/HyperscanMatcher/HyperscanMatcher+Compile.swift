import BounceRules
import Matching
import PCRE2Matcher
import RegexSyntax

extension HyperscanMatcher {
    /// The Hyperscan expression for rule `index`, or why the rule must run hybrid.
    static func expression(for rule: Rule, pattern: CompiledPattern, index: Int) -> Result<HyperscanExpression, HybridReason> {
        // The printed AST is explicit (case folding, dot-all, anchors), so no CASELESS or DOTALL flag.
        var flags = HyperscanFlag.singleMatch
        let bytes: [UInt8]
        if rule.kind == .regex {
            if !pattern.regex.isPortable {
                // Hyperscan's own verdict on the original source names the construct in its words.
                let verdict = HyperscanDatabase.check(rule.pattern, flags: flags | (rule.caseInsensitive ? HyperscanFlag.caseless : 0))
                let uses = pattern.regex.pcreOnly.map(\.description).joined(separator: ", ")
                return .failure(HybridReason("PCRE-only (\(uses))" + (verdict.rejection.map { "; Hyperscan: \($0)" } ?? "")))
            }
            bytes = pattern.regex.printed(for: .hyperscan)
        } else {
            bytes = pattern.regex.root.searchEquivalent.printed(for: .hyperscan)
            // A non-empty literal (substring, exact) always compiles and never matches empty, so the
            // per-rule `hs_expression_info` check (~40% of a substring set's compile) is skipped; should
            // Hyperscan still refuse it, the multi-pattern compile names it and it runs hybrid.
            if rule.kind == .substring || rule.kind == .exact, let literal = pattern.literal, !literal.isEmpty,
                !bytes.contains(0)
            {
                return .success(HyperscanExpression(bytes: bytes, flags: flags, id: UInt32(index)))
            }
        }
        let verdict = HyperscanDatabase.check(bytes, flags: flags | HyperscanFlag.allowEmpty)
        if let rejection = verdict.rejection { return .failure(HybridReason("Hyperscan: \(rejection)")) }
        if verdict.minWidth == 0 { flags |= HyperscanFlag.allowEmpty }
        return .success(HyperscanExpression(bytes: bytes, flags: flags, id: UInt32(index)))
    }

    /// Compiles `expressions`; an expression Hyperscan rejects only in the multi-pattern compile is moved
    /// out (into `notes`, hence hybrid) and the rest compiled again. When Hyperscan names no expression,
    /// each is compiled alone to find those at fault. nil when nothing is left.
    static func compile(
        _ expressions: inout [HyperscanExpression], notes: inout [Int: String], ruleCount: Int, backend: String
    ) throws(MatcherError) -> HyperscanDatabase? {
        // A failing prefilter (id >= ruleCount) is just dropped: its rule stays hybrid without one.
        func reject(_ e: HyperscanExpression, _ message: String) {
            if Int(e.id) < ruleCount { notes[Int(e.id)] = "Hyperscan: \(message)" }
        }
        while !expressions.isEmpty {
            switch HyperscanDatabase.compile(expressions) {
            case .success(let db):
                return db
            case .failure(let failure):
                if failure.position >= 0, failure.position < expressions.count {
                    reject(expressions.remove(at: failure.position), failure.message)
                    continue
                }
                // Hyperscan named no expression (e.g. "Resource limit exceeded"): find the ones that fail alone.
                var kept: [HyperscanExpression] = []
                for e in expressions {
                    if case .failure(let alone) = HyperscanDatabase.compile([e]) {
                        reject(e, alone.message)
                    } else {
                        kept.append(e)
                    }
                }
                guard kept.count < expressions.count else {
                    throw MatcherError(backend: backend, reason: "Hyperscan cannot compile the rule set: \(failure.message)")
                }
                expressions = kept
            }
        }
        return nil
    }

    /// `table[i]` = the lowest of the ascending `ids` that is `>= i`, `Int.max` when none.
    static func nextTable(_ ids: [Int], count: Int) -> [Int] {
        var table = [Int](repeating: Int.max, count: count + 1)
        var next = Int.max
        var k = ids.count - 1
        for i in stride(from: count - 1, through: 0, by: -1) {
            while k >= 0 && ids[k] >= i {
                next = ids[k]
                k -= 1
            }
            table[i] = next
        }
        return table
    }

    /// A prefilter for hybrid regex rule `index` (id `ruleCount + index`): Hyperscan's approximation that
    /// matches at least wherever PCRE2 would. nil when Hyperscan cannot, or when it would match empty
    /// (it would then fire on every reply and save nothing).
    static func prefilterExpression(for rule: Rule, index: Int, ruleCount: Int) -> HyperscanExpression? {
        guard rule.kind == .regex else { return nil }
        let flags = HyperscanFlag.singleMatch | HyperscanFlag.prefilter | (rule.caseInsensitive ? HyperscanFlag.caseless : 0)
        let verdict = HyperscanDatabase.check(rule.pattern, flags: flags | HyperscanFlag.allowEmpty)
        guard verdict.rejection == nil, let width = verdict.minWidth, width > 0 else { return nil }
        return HyperscanExpression(bytes: rule.pattern, flags: flags, id: UInt32(ruleCount + index))
    }
}

/// Why a rule runs hybrid, in words for `ruleNotes`.
struct HybridReason: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
