import BounceRules
import Matching
import RegexSyntax

/// The `pcre2-prefiltered` backend: the `pcre2` backend's compiled rules, but a rule is tried only when one
/// of its required literals occurs in its target, found in one Aho-Corasick pass over the line.
///
/// Required literals have no false negatives (`RegexNode.requiredLiterals`), so skipping a rule whose
/// literals are all absent never changes the answer. Rules without required literals are always tried.
public final class PCRE2PrefilteredMatcher: Matcher, MemoryReporting {
    public static let descriptor = BackendDescriptor(
        name: "pcre2-prefiltered",
        summary: "PCRE2 JIT, tried only for rules whose required literals occur (Aho-Corasick prefilter)",
        make: { (ruleSet, options) throws(MatcherError) in
            try PCRE2PrefilteredMatcher(ruleSet: ruleSet, options: options)
        }
    )

    public var backendName: String { Self.descriptor.name }
    public let ruleSet: RuleSet
    public var ruleNotes: [RuleNote] { [] }
    let options: MatcherOptions
    let table: RuleTable
    let program: PCRE2Program
    /// All required literals of all rules; nil when no rule has any.
    let automaton: AhoCorasick?
    /// Literal id → the rule it belongs to.
    let literalRule: [Int]
    /// Bitset (64 rules per word) of rules tried whatever the line holds.
    let alwaysTried: [UInt64]

    public init(ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()) throws(MatcherError) {
        let name = Self.descriptor.name
        self.ruleSet = ruleSet
        self.options = options
        table = RuleTable(ruleSet: ruleSet)
        program = try PCRE2Program(sources: PCRE2Source.forRuleSet(ruleSet, backend: name), backend: name)

        var literals: [AhoCorasickPattern] = []
        var literalRule: [Int] = []
        var always = [UInt64](repeating: 0, count: (ruleSet.count + 63) / 64)
        for i in 0..<ruleSet.count {
            let found = Self.requiredLiterals(of: i, in: ruleSet)
            guard let found else {
                always[i >> 6] |= 1 << UInt64(i & 63)
                continue
            }
            for l in found {
                literals.append(AhoCorasickPattern(bytes: l.bytes, caseless: l.caseless))
                literalRule.append(i)
            }
        }
        var automaton: AhoCorasick? = nil
        if !literals.isEmpty {
            do {
                automaton = try AhoCorasick(literals)
            } catch {
                // Too large an automaton only costs speed: every rule is then tried.
                for i in 0..<ruleSet.count { always[i >> 6] |= 1 << UInt64(i & 63) }
                literalRule = []
            }
        }
        self.automaton = automaton
        self.literalRule = literalRule
        alwaysTried = always
    }

    /// The compiled codes' `PCRE2_INFO_SIZE` plus `PCRE2_INFO_JITSIZE`, and the prefilter automaton.
    public var memoryFootprint: Int? {
        program.byteSize + (automaton?.memoryBytes ?? 0) + literalRule.count * 8 + alwaysTried.count * 8
    }

    /// Rule `i`'s required literals, or nil when it has none (then it is always tried).
    static func requiredLiterals(of i: Int, in ruleSet: RuleSet) -> [LiteralString]? {
        let rule = ruleSet.rules[i]
        guard let kind = rule.kind, let pattern = ruleSet.patterns[i] else { return nil }
        let found: [LiteralString]
        switch kind {
        case .substring, .exact:
            found = [LiteralString(bytes: pattern.literal ?? rule.pattern, caseless: rule.caseInsensitive)]
        case .wildcard, .regex:
            guard let required = pattern.regex.root.requiredLiterals else { return nil }
            found = required.alternatives
        }
        return found.isEmpty || found.contains(where: { $0.bytes.isEmpty }) ? nil : found
    }

    public func makeScratch() -> any MatchScratch {
        PCRE2PrefilteredScratch(options: options, words: alwaysTried.count)
    }

    public func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        guard let scratch = scratch as? PCRE2PrefilteredScratch else {
            preconditionFailure("pcre2-prefiltered: scratch made by another matcher")
        }
        let start = max(start, 0)
        guard start < table.count else { return .noMatch }
        // Borrowed, not copied: a copy of a shared class or array is an atomic retain/release on memory
        // every thread using this matcher writes, which costs scaling. `self` holds them for the call.
        return Unmanaged.passUnretained(table)._withUnsafeGuaranteedRef { table in
            Unmanaged.passUnretained(program)._withUnsafeGuaranteedRef { program in
                search(reply, from: start, scratch: scratch, table: table, program: program)
            }
        }
    }

    @inline(__always)
    private func search(
        _ reply: Reply, from start: Int, scratch: PCRE2PrefilteredScratch, table: RuleTable, program: PCRE2Program
    ) -> MatchResult {
        let state = scratch.state
        let candidates = scratch.candidates
        let words = alwaysTried.count
        candidates.update(repeating: 0, count: words)
        return reply.line.withUnsafeBufferPointer { line -> MatchResult in
            if automaton != nil {
                let textStart = reply.textStart
                literalRule.withUnsafeBufferPointer { literalRule in
                    automaton!.patternLengths.withUnsafeBufferPointer { lengths in
                        automaton!.forEachMatch(in: line) { literal, end in
                            let rule = literalRule[literal]
                            // A text-target rule's literal counts only when it lies inside the text.
                            if rule >= start && (!table.isTextTarget[rule] || end - lengths[literal] >= textStart) {
                                candidates[rule >> 6] |= 1 << UInt64(rule & 63)
                            }
                            return true
                        }
                    }
                }
            }
            var undecided = -1
            var w = start >> 6
            var bits = (candidates[w] | alwaysTried[w]) & (~0 << UInt64(start & 63))
            while true {
                while bits != 0 {
                    let i = w << 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    if program.decides(rule: i, table: table, reply: reply, line: line, state: state, undecided: &undecided) {
                        return MatchResult(ruleIndex: i, undecided: undecided)
                    }
                }
                w += 1
                guard w < words else { break }
                bits = candidates[w] | alwaysTried[w]
            }
            return MatchResult(ruleIndex: -1, undecided: undecided)
        }
    }
}

/// One thread's scratch for `PCRE2PrefilteredMatcher`: PCRE2 state plus the candidate-rule bitset.
final class PCRE2PrefilteredScratch: MatchScratch {
    let state: PCRE2MatchState
    let candidates: UnsafeMutablePointer<UInt64>
    let words: Int

    init(options: MatcherOptions, words: Int) {
        state = PCRE2MatchState(options: options)
        self.words = words
        // One extra word so an empty rule set still has a readable word.
        candidates = .allocate(capacity: words + 1)
        candidates.initialize(repeating: 0, count: words + 1)
    }

    deinit { candidates.deallocate() }
}
