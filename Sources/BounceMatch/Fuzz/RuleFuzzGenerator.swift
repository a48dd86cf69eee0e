import BounceRules
import RegexSyntax

/// Draws random rule sets (every kind, both case modes, both targets, conditions, continue flags) and
/// replies aimed at them: samples that hit a chosen rule, near misses of those, MTA-wrapped text and random
/// bytes. Pure function of the generator's stream, so a seed reproduces a case.
public struct RuleFuzzGenerator {
    /// Fraction (percent) of regex rules that may use PCRE-only constructs.
    public var pcreOnlyPercent: Int
    public var maxRules: Int

    public init(pcreOnlyPercent: Int = 30, maxRules: Int = 8) {
        self.pcreOnlyPercent = pcreOnlyPercent
        self.maxRules = maxRules
    }

    static let words = [
        "user unknown", "mailbox", "550", "5.1.1", "quota", "blocked", "spam", "Mailbox Full", "no such user",
        "rejected", "a", "ab", "x", "5.7.1", "RCPT", ":", " ", "denied", "relay",
    ]
    static let domains = ["example.com", "mail.example.com", "example.net", "other.org"]
    static let ips = ["192.0.2.7", "198.51.100.9", "2001:db8::1"]

    /// A random list of 1...maxRules rules.
    public func rules<R: RandomNumberGenerator>(using rng: inout R) -> [Rule] {
        (0..<(1 + rng.below(maxRules))).map { rule(line: $0 + 1, using: &rng) }
    }

    /// One random rule, named `r<line>` at `fuzz:<line>`.
    public func rule<R: RandomNumberGenerator>(line: Int, using rng: inout R) -> Rule {
        let kind: PatternKind?
        var pattern: [UInt8] = []
        switch rng.below(20) {
        case 0..<9:
            kind = .regex
            var g = RegexFuzzGenerator(pcreOnly: rng.chance(pcreOnlyPercent))
            pattern = g.tree(depth: 1 + rng.below(3), using: &rng).printed(for: .pcre2)
            if pattern.isEmpty { pattern = Array("a".utf8) }
        case 9..<14:
            kind = .substring
            pattern = literal(using: &rng)
        case 14..<16:
            kind = .exact
            pattern = literal(using: &rng)
        case 16..<19:
            kind = .wildcard
            pattern = glob(using: &rng)
        default:
            kind = nil
        }
        var conditions = RuleConditions()
        if rng.chance(kind == nil ? 90 : 25) { conditions = self.conditions(using: &rng) }
        var target: MatchTarget? = nil
        if rng.chance(25) { target = rng.chance(50) ? .line : .text }
        return Rule(
            name: "r\(line)", kind: kind, pattern: pattern, target: target, caseInsensitive: rng.chance(60),
            conditions: conditions, label: "L\(rng.below(4))", continues: rng.chance(20),
            location: SourceLocation(file: "fuzz", line: line), format: "fuzz"
        )
    }

    func literal<R: RandomNumberGenerator>(using rng: inout R) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(1 + rng.below(2)) { out += Array(rng.pick(Self.words).utf8) }
        if rng.chance(10) { out.append(rng.pick([0x00, 0xFF, 0xC3, 0x2A, 0x3F, 0x5C])) }
        return out
    }

    func glob<R: RandomNumberGenerator>(using rng: inout R) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(1 + rng.below(4)) {
            switch rng.below(5) {
            case 0: out.append(UInt8(ascii: "*"))
            case 1: out.append(UInt8(ascii: "?"))
            case 2: out += [UInt8(ascii: "\\"), rng.pick(Array("*?\\".utf8))]
            default: out += Array(rng.pick(Self.words).utf8)
            }
        }
        return out
    }

    func conditions<R: RandomNumberGenerator>(using rng: inout R) -> RuleConditions {
        var c = RuleConditions()
        if rng.chance(40) {
            c.codes = [rng.pick([
                CodePattern(digits: (5, 5, 0)), CodePattern(digits: (5, nil, nil)), CodePattern(digits: (4, 5, nil)),
            ])]
        }
        if rng.chance(30) {
            c.enhancedCodes = [rng.pick([
                EnhancedCodePattern(klass: 5, subject: 1, detail: nil), EnhancedCodePattern(klass: 5, subject: 7, detail: 1),
                EnhancedCodePattern(klass: 4, subject: nil, detail: nil),
            ])]
        }
        if rng.chance(25) {
            c.domains = [rng.pick([
                DomainPattern(domain: Array("example.com".utf8), includesSubdomains: true),
                DomainPattern(domain: Array("example.net".utf8), includesSubdomains: false),
            ])]
        }
        if rng.chance(15), let a = IPAddress(parsing: "192.0.2.0") { c.ips = [IPRange(network: a, prefixLength: 96 + 24)] }
        if rng.chance(25) { c.phases = [rng.pick(SMTPPhase.allCases)] }
        if rng.chance(5) { c.transportOnly = true }
        if rng.chance(5) { c.recipientErrorOnly = true }
        return c
    }

    /// A random context from small pools, so domain, IP and phase conditions hold often.
    public func context<R: RandomNumberGenerator>(using rng: inout R) -> ReplyContext {
        ReplyContext(
            recipientDomain: rng.chance(70) ? rng.pick(Self.domains) : nil,
            sendingIP: rng.chance(60) ? rng.pick(Self.ips) : nil,
            phase: rng.chance(60) ? rng.pick(SMTPPhase.allCases) : nil
        )
    }

    /// Replies for `ruleSet`: hits of chosen rules, near misses, wrapped and random bytes.
    public func replies<R: RandomNumberGenerator>(for ruleSet: RuleSet, count: Int, using rng: inout R) -> [Reply] {
        (0..<count).map { _ in reply(for: ruleSet, using: &rng) }
    }

    public func reply<R: RandomNumberGenerator>(for ruleSet: RuleSet, using rng: inout R) -> Reply {
        let ctx = context(using: &rng)
        var body: [UInt8]
        if !ruleSet.isEmpty, rng.chance(80) {
            let i = rng.below(ruleSet.count)
            body = ruleSet.patterns[i]?.regex.root.sampleMatch(using: &rng) ?? Array("mailbox unavailable".utf8)
            if rng.chance(40) { body = ReplyMutator.nearMiss(body, using: &rng) }
        } else {
            body = ReplyMutator.randomBytes(using: &rng)
        }
        let line = ReplyMutator.dress(body, using: &rng)
        if rng.chance(15) {
            // Straight into a `Reply`, bypassing normalization: the matchers must cope with any line.
            var r = Reply(line: line, context: ctx)
            r.textStart = line.isEmpty ? 0 : rng.below(line.count + 1)
            r.code = rng.chance(50) ? UInt16(rng.pick([250, 421, 450, 550, 554])) : nil
            r.enhanced = rng.chance(50) ? EnhancedCode(5, UInt16(rng.below(8)), UInt16(rng.below(4))) : nil
            r.isTransportEvent = r.code == nil
            return r
        }
        return Reply(parsing: line, context: ctx)
    }
}

/// Reply-side mutations shared by the property tests, the libFuzzer targets and the vetter.
public enum ReplyMutator {
    static let codes = ["550 5.1.1 ", "550-5.7.1 ", "452 4.2.2 ", "554 ", "421 4.7.0 ", "250 2.0.0 ", ""]
    static let junk: [UInt8] = [0x00, 0xFF, 0x80, 0xC3, 0x0A, 0x0D, 0x09, 0x20, 0x2E, 0x35, 0x61, 0x41]

    /// One byte changed, the case of the letters flipped, truncated, or a byte dropped.
    public static func nearMiss<R: RandomNumberGenerator>(_ s: [UInt8], using rng: inout R) -> [UInt8] {
        var s = s
        switch rng.below(5) {
        case 0 where !s.isEmpty: s[rng.below(s.count)] = rng.pick(junk)
        case 1: s = s.map { (($0 | 0x20) &- 0x61) < 26 ? $0 ^ 0x20 : $0 }
        case 2 where !s.isEmpty: s.removeLast(1 + rng.below(s.count))
        case 3 where !s.isEmpty: s.remove(at: rng.below(s.count))
        default: s.insert(rng.pick(junk), at: s.isEmpty ? 0 : rng.below(s.count + 1))
        }
        return s
    }

    /// Bytes of any value, NUL, 0xFF, CR and LF included.
    public static func randomBytes<R: RandomNumberGenerator>(using rng: inout R) -> [UInt8] {
        (0..<rng.below(40)).map { _ in rng.chance(50) ? rng.pick(junk) : UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// A code prefix, maybe an MTA wrapper around the text, maybe a multi-line split.
    public static func dress<R: RandomNumberGenerator>(_ body: [UInt8], using rng: inout R) -> [UInt8] {
        var line = Array(rng.pick(codes).utf8) + body
        switch rng.below(6) {
        case 0: line = Array("host mx.example.com[192.0.2.1] said: ".utf8) + line + Array(" (in reply to RCPT TO command)".utf8)
        case 1: line = Array("SMTP error from remote mail server after RCPT TO:<a@example.com>: ".utf8) + line
        case 2: line += Array("\r\n550 5.1.1 more text".utf8)
        case 3: line = body
        default: break
        }
        return line
    }
}
