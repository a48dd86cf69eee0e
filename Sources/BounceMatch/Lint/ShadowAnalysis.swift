import BounceRules
import Matching
import RegexSyntax

/// Which earlier rule takes every reply a later rule would match, so the later rule can never win
/// (first match wins, SPEC §4).
///
/// Literal rules (`substring` / `exact` against `substring` / `exact` / `wildcard`) and rules without a
/// pattern are decided exactly. Everything else is decided by sampling: the later rule's AST is sampled
/// (`RegexNode.sampleMatch(using:)`, fixed seed), each sample is placed in a few reply shapes (with the
/// codes its conditions ask for, with and without surrounding text), kept only when the later rule really
/// matches it, and the earlier rule must take every kept sample. A sampled verdict is "likely": a sample
/// set cannot prove that no reply escapes.
///
/// Reusable beyond `check`: `bouncematch fuzz` can ask `cover(of:)` for one rule, or `catchAllClasses(of:)`.
public final class ShadowAnalysis {
    /// How a cover was decided.
    public enum Certainty: String, Hashable, Sendable {
        /// Same kind, target, case mode, conditions and pattern (under the case mode).
        case duplicate
        /// Proven from the literals and conditions.
        case exact
        /// Every sample of the later rule was taken by the earlier rule.
        case sampled
    }

    /// `earlier` matches everything `later` matches (within `later`'s conditions).
    public struct Cover: Hashable, Sendable {
        public var earlier: Int
        public var later: Int
        public var certainty: Certainty
        /// A reply line both rules match (for sampled and literal covers), to show the user.
        public var example: [UInt8]?
    }

    public let ruleSet: RuleSet
    public let samplesPerRule: Int
    public let seed: UInt64
    let matcher: NaiveMatcher
    let scratch: any MatchScratch
    var candidateCache: [Int: [Reply]] = [:]

    /// Reply lines of each class used to tell whether a rule is a catch-all for it.
    public static let probes: [(klass: String, lines: [String])] = [
        ("5xx", [
            "550 5.1.1 <kim@example.com>: Recipient address rejected: User unknown in local recipient table",
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "552 5.2.2 Mailbox full", "553 sorry, that domain isn't in my list of allowed rcpthosts",
            "501 Syntax error in parameters", "550 Message rejected as spam by Content Filtering",
            "521 5.3.2 Service not available", "530 Authentication required",
        ]),
        ("4xx", [
            "421 4.7.0 Try again later, closing connection", "450 4.2.1 Mailbox busy, try later",
            "451 4.3.0 Temporary local problem", "452 4.5.3 Too many recipients",
            "421 Service not available, closing transmission channel", "447 timeout exceeded",
        ]),
        ("transport", [
            "connect to mx.example.com[192.0.2.1]:25: Connection timed out",
            "Host or domain name not found. Name service error for name=example.com type=MX",
            "TLS handshake failed: certificate verify failed",
        ]),
    ]

    /// Builds the analysis; `ruleSet` must have compiled (it has, if it exists).
    public init(ruleSet: RuleSet, samplesPerRule: Int = 32, seed: UInt64 = 0x5EED_0F_5EED) {
        self.ruleSet = ruleSet
        self.samplesPerRule = samplesPerRule
        self.seed = seed
        self.matcher = NaiveMatcher(ruleSet: ruleSet)
        self.scratch = matcher.makeScratch()
    }

    /// For every rule that an earlier rule covers, the first such earlier rule (duplicates first).
    public func covers() -> [Cover] {
        var out: [Cover] = []
        var firstWithKey: [DuplicateKey: Int] = [:]
        for j in ruleSet.rules.indices {
            let key = DuplicateKey(ruleSet.rules[j])
            if let i = firstWithKey[key] {
                out.append(Cover(earlier: i, later: j, certainty: .duplicate, example: nil))
                continue
            }
            firstWithKey[key] = j
            if let c = cover(of: j) { out.append(c) }
        }
        return out
    }

    /// The first earlier rule that covers rule `later`, or nil.
    public func cover(of later: Int) -> Cover? {
        for i in 0..<later {
            if let c = covers(i, later) { return c }
        }
        return nil
    }

    /// Whether rule `earlier` matches everything rule `later` matches; nil when it does not or cannot be shown.
    public func covers(_ earlier: Int, _ later: Int) -> Cover? {
        let a = ruleSet.rules[earlier], b = ruleSet.rules[later]
        if DuplicateKey(a) == DuplicateKey(b) { return Cover(earlier: earlier, later: later, certainty: .duplicate, example: nil) }
        guard Self.contextImplies(b.conditions, a.conditions) else { return nil }
        if b.kind == nil {
            // A rule without a pattern matches every reply its conditions admit: only a pattern-less rule covers it.
            guard a.kind == nil, Self.codesImply(b.conditions, a.conditions) else { return nil }
            return Cover(earlier: earlier, later: later, certainty: .exact, example: nil)
        }
        if let literal = Self.literalCover(a, b) {
            guard literal, Self.codesImply(b.conditions, a.conditions) else { return nil }
            return Cover(earlier: earlier, later: later, certainty: .exact, example: candidates(for: later).first?.line)
        }
        let samples = candidates(for: later)
        guard !samples.isEmpty else { return nil }
        for r in samples where !takes(earlier, r) { return nil }
        return Cover(earlier: earlier, later: later, certainty: .sampled, example: samples[0].line)
    }

    /// The reply classes (`5xx`, `4xx`, `transport`) of which rule `index` takes every probe reply.
    public func catchAllClasses(of index: Int) -> [String] {
        Self.probes.compactMap { probe in
            probe.lines.allSatisfy { takes(index, Reply(parsing: Array($0.utf8))) } ? probe.klass : nil
        }
    }

    /// Whether rule `index` (conditions and pattern) matches `reply`; an undecided search counts as no.
    public func takes(_ index: Int, _ reply: Reply) -> Bool {
        guard ruleSet.rules[index].conditions.hold(for: reply) else { return false }
        if case .match = matcher.search(rule: index, in: reply, scratch: scratch) { return true }
        return false
    }

    // MARK: Samples

    /// Replies that rule `index` matches, built from samples of its pattern (cached).
    public func candidates(for index: Int) -> [Reply] {
        if let c = candidateCache[index] { return c }
        var out: [Reply] = []
        let rule = ruleSet.rules[index]
        if let root = ruleSet.patterns[index]?.regex.root {
            var rng = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            let context = Self.context(satisfying: rule.conditions)
            var seen = Set<[UInt8]>()
            for _ in 0..<samplesPerRule {
                guard let s = root.sampleMatch(using: &rng) else { continue }
                let code = Self.code(for: rule.conditions, &rng)
                let enhanced = Self.enhanced(for: rule.conditions, &rng)
                let spaced = Array("\(code) ".utf8) + (enhanced.map { Array("\($0) ".utf8) } ?? [])
                let shapes: [[UInt8]]
                switch rule.target {
                case .line: shapes = [s, spaced + s, spaced + s + Array(" for <x@example.com>".utf8), Array("x ".utf8) + s]
                case .text: shapes = [spaced + s, Array("\(code) ".utf8) + s, s]
                }
                for line in shapes where seen.insert(line).inserted {
                    let reply = Reply(parsing: line, context: context)
                    if takes(index, reply) { out.append(reply) }
                }
            }
        }
        candidateCache[index] = out
        return out
    }

    /// A reply context that the context-bound conditions (domain, IP, phase) of `c` accept.
    static func context(satisfying c: RuleConditions) -> ReplyContext {
        var ctx = ReplyContext()
        if let d = c.domains.first { ctx.recipientDomain = d.domain }
        if let ip = c.ips.first { ctx.sendingIP = ip.network }
        if let p = c.phases.first { ctx.phase = p } else if c.recipientErrorOnly { ctx.phase = .rcpt }
        return ctx
    }

    static func code(for c: RuleConditions, _ rng: inout SplitMix64) -> String {
        guard let p = c.codes.first else { return ["550", "421", "554", "452", "451", "553"][rng.remainder(below: 6)] }
        let d = [p.digits.0, p.digits.1, p.digits.2].enumerated().map { i, d in
            d.map(String.init) ?? String(i == 0 ? 4 + rng.remainder(below: 2) : rng.remainder(below: 10))
        }
        return d.joined()
    }

    static func enhanced(for c: RuleConditions, _ rng: inout SplitMix64) -> String? {
        if let p = c.enhancedCodes.first {
            let k = p.klass.map(String.init) ?? String(4 + rng.remainder(below: 2))
            return "\(k).\(p.subject.map(String.init) ?? String(rng.remainder(below: 8))).\(p.detail.map(String.init) ?? String(rng.remainder(below: 10)))"
        }
        let common: [String?] = ["5.1.1", "4.7.1", "5.7.1", "4.2.2", nil, nil]
        return common[rng.remainder(below: common.count)]
    }

    // MARK: Exact reasoning

    /// nil when the pair is not literal-vs-literal (decide by sampling), else whether `a`'s pattern is
    /// found in every target `b`'s pattern matches.
    public static func literalCover(_ a: Rule, _ b: Rule) -> Bool? {
        guard let ak = a.kind, let bk = b.kind, ak == .substring || ak == .exact, bk != .regex else { return nil }
        // `a` sees the line and `b` the text: the text is a suffix of the line, so what `b` needs is in `a`'s view.
        guard a.target == b.target || (a.target == .line && b.target == .text) else { return false }
        let foldA = a.caseInsensitive
        if !foldA && b.caseInsensitive && a.pattern.contains(where: isLetter) { return false }
        let needle = foldA ? a.pattern.map(asciiLowercase) : a.pattern
        switch ak {
        case .exact:
            guard bk == .exact, a.target == b.target else { return false }
            let hay = foldA ? b.pattern.map(asciiLowercase) : b.pattern
            return hay == needle
        default:
            let runs: [[UInt8]] = bk == .wildcard ? wildcardRuns(b.pattern) : [b.pattern]
            return runs.contains { run in
                let hay = foldA ? run.map(asciiLowercase) : run
                return contains(hay, needle)
            }
        }
    }

    /// The literal runs of a glob between `*` and `?` (escapes resolved).
    static func wildcardRuns(_ glob: [UInt8]) -> [[UInt8]] {
        var runs: [[UInt8]] = [], cur: [UInt8] = []
        var i = 0
        while i < glob.count {
            let c = glob[i]
            if c == UInt8(ascii: "\\"), i + 1 < glob.count {
                cur.append(glob[i + 1])
                i += 2
                continue
            }
            if c == UInt8(ascii: "*") || c == UInt8(ascii: "?") {
                runs.append(cur)
                cur = []
            } else {
                cur.append(c)
            }
            i += 1
        }
        runs.append(cur)
        return runs
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard hay.count >= needle.count else { return false }
        for s in 0...(hay.count - needle.count) where hay[s] == needle[0] {
            if hay[s..<(s + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// Every reply admitted by `later`'s domain/IP/phase/transport/recipient conditions is admitted by `earlier`'s.
    public static func contextImplies(_ later: RuleConditions, _ earlier: RuleConditions) -> Bool {
        if earlier.transportOnly && !later.transportOnly { return false }
        if earlier.recipientErrorOnly && !later.recipientErrorOnly { return false }
        if !earlier.domains.isEmpty {
            guard !later.domains.isEmpty, later.domains.allSatisfy({ d in earlier.domains.contains { covers($0, d) } }) else { return false }
        }
        if !earlier.ips.isEmpty {
            guard !later.ips.isEmpty, later.ips.allSatisfy({ r in
                earlier.ips.contains { $0.prefixLength <= r.prefixLength && $0.contains(r.network) }
            }) else { return false }
        }
        if !earlier.phases.isEmpty {
            guard !later.phases.isEmpty, later.phases.allSatisfy(earlier.phases.contains) else { return false }
        }
        return true
    }

    /// Every reply admitted by `later`'s code conditions is admitted by `earlier`'s.
    public static func codesImply(_ later: RuleConditions, _ earlier: RuleConditions) -> Bool {
        if !earlier.codes.isEmpty {
            guard !later.codes.isEmpty, later.codes.allSatisfy({ l in
                earlier.codes.contains { e in
                    (e.digits.0 == nil || e.digits.0 == l.digits.0) && (e.digits.1 == nil || e.digits.1 == l.digits.1)
                        && (e.digits.2 == nil || e.digits.2 == l.digits.2)
                }
            }) else { return false }
        }
        if !earlier.enhancedCodes.isEmpty {
            guard !later.enhancedCodes.isEmpty, later.enhancedCodes.allSatisfy({ l in
                earlier.enhancedCodes.contains { e in
                    (e.klass == nil || e.klass == l.klass) && (e.subject == nil || e.subject == l.subject)
                        && (e.detail == nil || e.detail == l.detail)
                }
            }) else { return false }
        }
        return true
    }

    static func covers(_ outer: DomainPattern, _ inner: DomainPattern) -> Bool {
        if outer == inner { return true }
        guard outer.includesSubdomains else { return false }
        let d = inner.domain
        if d == outer.domain { return true }
        return d.count > outer.domain.count && d[d.count - outer.domain.count - 1] == UInt8(ascii: ".")
            && d.suffix(outer.domain.count).elementsEqual(outer.domain)
    }
}

/// What makes two rules duplicates: same kind, target, case mode, pattern under that case mode, conditions.
struct DuplicateKey: Hashable {
    var kind: PatternKind?
    var target: MatchTarget
    var caseInsensitive: Bool
    var pattern: [UInt8]
    var conditions: RuleConditions

    init(_ r: Rule) {
        kind = r.kind
        target = r.target
        caseInsensitive = r.caseInsensitive
        // A caseless regex still means something different folded (`\D` vs `\d`), so only literals fold.
        pattern = r.caseInsensitive && r.kind != .regex ? r.pattern.map(asciiLowercase) : r.pattern
        conditions = r.conditions
    }
}

extension SplitMix64 {
    /// A value in `0..<n` by remainder: the analysis' own draw (not the corpus' `below`), so lint results stay put.
    fileprivate mutating func remainder(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
