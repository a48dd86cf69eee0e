import BounceRules
import RegexSyntax

/// The `aho-corasick` backend: one scan of the reply with an `AhoCorasick` automaton over every rule's
/// literal decides `substring` and `exact` rules outright and nominates `regex` and `wildcard` rules by
/// their required literals; nominated rules (and rules without a required literal) are then verified in
/// index order by the naive engine.
///
/// See `AhoCorasickMatcher+Search.swift` for the search and its early-stop rule.
public final class AhoCorasickMatcher: Matcher, MemoryReporting {
    public static let descriptor = BackendDescriptor(
        name: "aho-corasick",
        summary: "one Aho-Corasick DFA scan over all literals; regex/wildcard rules prefiltered by required literals and verified in order",
        make: { ruleSet, options throws(MatcherError) in try AhoCorasickMatcher(ruleSet: ruleSet, options: options) }
    )

    /// How one rule is decided.
    enum Mode: UInt8 {
        /// No pattern, or an empty substring: only the conditions decide.
        case conditionsOnly
        /// An empty `exact` literal: matches when the target is empty.
        case emptyExact
        /// An automaton occurrence inside the target decides the rule.
        case substring
        /// An automaton occurrence spanning the whole target decides the rule.
        case exact
        /// An occurrence of a required literal nominates the rule; the verifier decides.
        case nominated
        /// No required literal: the verifier decides every time the rule is reached.
        case alwaysVerify
    }

    public var backendName: String { "aho-corasick" }
    public let ruleSet: RuleSet
    public let ruleNotes: [RuleNote]
    public let options: MatcherOptions

    let automaton: AhoCorasick
    // Per automaton pattern.
    let patternRule: [Int32]
    let patternLength: [Int32]
    // Per rule, flat so the hot loop touches no `Rule` values.
    let mode: [Mode]
    let targetsText: [Bool]
    let conditions: [RuleConditions]
    let hasConditions: [Bool]
    let verifier: RuleVerifier
    /// `drivenBefore[i]`: how many rules below `i` the automaton decides or nominates (`substring`,
    /// `exact`, `nominated`); `count + 1` entries.
    let drivenBefore: [Int32]
    /// `nextDriven[i]`: the lowest automaton-driven rule index `>= i`, or `count`; `count + 1` entries.
    let nextDriven: [Int32]
    /// Rules decided without the automaton or the verifier (`conditionsOnly`, `emptyExact`), ascending.
    let directRules: [Int32]
    /// `alwaysVerify` rules, ascending.
    let alwaysVerifyRules: [Int32]
    /// True when every rule is an unconditioned non-empty `substring` or `exact` literal: the scan alone
    /// decides, so a reply skips conditions, candidates, stamps and verification.
    let literalsOnly: Bool
    /// Per rule, for `literalsOnly`: bit 0 = targets the text, bit 1 = `exact`.
    let literalFlags: [UInt8]

    /// The automaton's tables, the per-pattern and per-rule arrays, and the verifier's programs.
    public var memoryFootprint: Int? {
        automaton.memoryBytes + (patternRule.count + patternLength.count) * 4
            + mode.count * (MemoryLayout<Mode>.stride + 2 + MemoryLayout<RuleConditions>.stride + 1 + 8)
            + (directRules.count + alwaysVerifyRules.count) * 4
            + verifier.regexes.reduce(0) { $0 + ($1?.memoryBytes ?? 0) }
    }

    public init(ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()) throws(MatcherError) {
        self.ruleSet = ruleSet
        self.options = options
        let count = ruleSet.count
        var patterns: [AhoCorasickPattern] = []
        var patternRule: [Int32] = []
        var mode: [Mode] = []
        var notes: [RuleNote] = []
        mode.reserveCapacity(count)
        for (i, rule) in ruleSet.rules.enumerated() {
            guard let kind = rule.kind, let compiled = ruleSet.patterns[i] else {
                mode.append(.conditionsOnly)
                continue
            }
            switch kind {
            case .substring, .exact:
                let literal = compiled.literal ?? rule.pattern
                if literal.isEmpty {
                    mode.append(kind == .substring ? .conditionsOnly : .emptyExact)
                } else {
                    mode.append(kind == .substring ? .substring : .exact)
                    patterns.append(AhoCorasickPattern(bytes: literal, caseless: rule.caseInsensitive))
                    patternRule.append(Int32(i))
                }
            case .regex, .wildcard:
                if let literals = RuleVerifier.requiredLiterals(compiled), !literals.isEmpty,
                    literals.allSatisfy({ !$0.bytes.isEmpty })
                {
                    mode.append(.nominated)
                    patterns.append(contentsOf: literals)
                    patternRule.append(contentsOf: repeatElement(Int32(i), count: literals.count))
                } else {
                    mode.append(.alwaysVerify)
                }
            }
        }
        do {
            automaton = try AhoCorasick(patterns, priorities: patternRule.map(Int.init))
        } catch {
            throw MatcherError(backend: "aho-corasick", reason: error.description)
        }
        let verifier = RuleVerifier(ruleSet: ruleSet, options: options)
        for (i, reason) in verifier.undecidableReasons.enumerated() where mode[i] == .nominated || mode[i] == .alwaysVerify {
            if let reason { notes.append(RuleNote(ruleIndex: i, kind: .undecidable, reason: reason)) }
        }
        self.verifier = verifier
        self.patternRule = patternRule
        self.patternLength = patterns.map { Int32($0.bytes.count) }
        self.mode = mode
        self.ruleNotes = notes
        targetsText = ruleSet.rules.map { $0.target == .text }
        conditions = ruleSet.rules.map(\.conditions)
        hasConditions = ruleSet.rules.map { !$0.conditions.isEmpty }
        var before = [Int32](repeating: 0, count: count + 1)
        for i in 0..<count {
            let driven = mode[i] == .substring || mode[i] == .exact || mode[i] == .nominated
            before[i + 1] = before[i] + (driven ? 1 : 0)
        }
        drivenBefore = before
        var next = [Int32](repeating: Int32(count), count: count + 1)
        for i in stride(from: count - 1, through: 0, by: -1) {
            let driven = mode[i] == .substring || mode[i] == .exact || mode[i] == .nominated
            next[i] = driven ? Int32(i) : next[i + 1]
        }
        nextDriven = next
        directRules = (0..<count).filter { mode[$0] == .conditionsOnly || mode[$0] == .emptyExact }.map(Int32.init)
        alwaysVerifyRules = (0..<count).filter { mode[$0] == .alwaysVerify }.map(Int32.init)
        literalsOnly = count > 0
            && (0..<count).allSatisfy {
                (mode[$0] == .substring || mode[$0] == .exact) && ruleSet.rules[$0].conditions.isEmpty
            }
        literalFlags = (0..<count).map { (ruleSet.rules[$0].target == .text ? 1 : 0) | (mode[$0] == .exact ? 2 : 0) }
    }

    public func makeScratch() -> any MatchScratch {
        AhoCorasickScratch(ruleCount: ruleSet.count, verifier: verifier)
    }
}

/// Per-thread state of `AhoCorasickMatcher`: per-rule stamps and candidate bits, sized once, so a
/// search allocates nothing.
public final class AhoCorasickScratch: MatchScratch {
    /// `stamps[r] == epoch` means rule `r` is *closed* for the current reply (see the search).
    let stamps: UnsafeMutablePointer<UInt32>
    /// Closed rules of the current reply, in the order they were closed.
    let closed: UnsafeMutablePointer<Int32>
    var closedCount = 0
    /// One bit per rule: nominated rules whose literal occurred and whose conditions hold.
    let candidates: UnsafeMutablePointer<UInt64>
    let ruleCount: Int
    var epoch: UInt32 = 0
    let verifierScratch: RuleVerifier.Scratch

    init(ruleCount: Int, verifier: RuleVerifier) {
        self.ruleCount = ruleCount
        stamps = .allocate(capacity: max(ruleCount, 1))
        stamps.initialize(repeating: 0, count: max(ruleCount, 1))
        closed = .allocate(capacity: max(ruleCount, 1))
        let words = (ruleCount + 63) / 64 + 1
        candidates = .allocate(capacity: words)
        candidates.initialize(repeating: 0, count: words)
        verifierScratch = verifier.makeScratch()
    }

    deinit {
        stamps.deallocate()
        closed.deallocate()
        candidates.deallocate()
    }

    /// Starts a new reply: a new epoch reopens every rule without touching the stamps.
    @inline(__always)
    func beginReply() {
        epoch &+= 1
        if epoch == 0 {
            stamps.update(repeating: 0, count: max(ruleCount, 1))
            epoch = 1
        }
        closedCount = 0
    }
}
