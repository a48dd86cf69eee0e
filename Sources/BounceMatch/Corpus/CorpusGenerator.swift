/// A seeded generator of realistic rule lists and SMTP reply streams for tests, benchmarks and demos.
///
/// Everything is a pure function of the seed: the same seed gives byte-identical output on every run and
/// platform. The phrasing is the project's own, modeled on what large providers and common MTAs answer;
/// no third-party corpus text is embedded.
///
/// ```swift
/// let rules = CorpusGenerator.rules(count: 1_000, mix: .mixed, seed: 42)
/// let set = try CorpusGenerator.ruleSet(rules)
/// for reply in CorpusGenerator.replies(count: 100_000, seed: 7) { _ = reply.bytes }
/// ```
public enum CorpusGenerator {
    /// Which kinds of rules a generated list holds.
    public enum RuleMix: String, Sendable, CaseIterable, Hashable {
        /// Only substring rules, like PowerMTA `smtp-pattern-list` or Sisimai index lists.
        case substring
        /// About 60% substring, the rest portable-dialect regexes plus a few exact and wildcard rules
        /// (and PCRE-only regexes when `pcreOnlyFraction` asks for them).
        case mixed
    }

    /// One generated rule: what a line of the project's TSV rule format holds.
    public struct GeneratedRule: Hashable, Sendable {
        public var kind: PatternKind
        /// Never contains TAB, LF or CR.
        public var pattern: [UInt8]
        /// The bounce class (`bad-mailbox`, `quota`, `spam` ...).
        public var label: String
        /// True for a regex outside the portable dialect (lookahead or backreference).
        public var isPCREOnly: Bool

        public init(kind: PatternKind, pattern: [UInt8], label: String, isPCREOnly: Bool = false) {
            self.kind = kind
            self.pattern = pattern
            self.label = label
            self.isPCREOnly = isPCREOnly
        }

        /// The pattern as text (every generated pattern except a few non-ASCII ones is ASCII).
        public var patternText: String { String(decoding: pattern, as: UTF8.self) }
    }

    /// What a generated reply shows, so tests can ask for each variety.
    public struct ReplyFeatures: OptionSet, Hashable, Sendable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Wrapped by Postfix: `host X[ip] said: ... (in reply to RCPT TO command)`.
        public static let postfixWrapped = ReplyFeatures(rawValue: 1 << 0)
        /// Wrapped by Exim: `SMTP error from remote mail server after RCPT TO:<a>: ...`.
        public static let eximWrapped = ReplyFeatures(rawValue: 1 << 1)
        /// Wrapped by Exchange or Sendmail DSN text (`Remote Server returned '...'`, `<<< 550 ...`).
        public static let otherWrapped = ReplyFeatures(rawValue: 1 << 2)
        /// A multi-line reply flattened to one line: `550-5.7.1 a 550-5.7.1 b 550 5.7.1 c`.
        public static let multiLine = ReplyFeatures(rawValue: 1 << 3)
        /// Upper-cased ASCII, as some old gateways write.
        public static let upperCased = ReplyFeatures(rawValue: 1 << 4)
        /// Holds bytes >= 0x80 and is valid UTF-8.
        public static let nonASCII = ReplyFeatures(rawValue: 1 << 5)
        /// Is not valid UTF-8 (Latin-1 bytes, stray 0xFF, truncated sequences).
        public static let invalidUTF8 = ReplyFeatures(rawValue: 1 << 6)
        /// No SMTP response came: timeouts, refused connections, DNS and TLS failures (no code).
        public static let transportEvent = ReplyFeatures(rawValue: 1 << 7)
        /// Written so that no generated rule matches it (delivery confirmations, rare texts).
        public static let expectedUnmatched = ReplyFeatures(rawValue: 1 << 8)
        /// Uses Latin-1 bytes for accented letters.
        public static let latin1 = ReplyFeatures(rawValue: 1 << 9)

        /// Any of the wrappers.
        public static let wrapped: ReplyFeatures = [.postfixWrapped, .eximWrapped, .otherWrapped]
    }

    /// One generated reply: one line of bytes (no LF or CR inside) and what it shows.
    public struct GeneratedReply: Hashable, Sendable {
        public var bytes: [UInt8]
        public var features: ReplyFeatures
        /// The class the template stands for (empty for transport events and unmatched texts).
        public var label: String

        public init(bytes: [UInt8], features: ReplyFeatures, label: String) {
            self.bytes = bytes
            self.features = features
            self.label = label
        }
    }

    /// The smallest and largest rule counts the generator promises distinct rules for.
    public static let ruleCountRange: ClosedRange<Int> = 1...10_000

    /// A list of `count` distinct rules (distinct by kind and ASCII-lowercased pattern), ordered the way
    /// operators order them: provider- and ID-specific rules first, generic catch-alls last.
    ///
    /// - Parameters:
    ///   - count: how many rules, `1...10_000` (clamped).
    ///   - mix: which kinds of rules.
    ///   - pcreOnlyFraction: for `.mixed`, the share of rules (0...0.3, clamped) that use PCRE-only
    ///     constructs (lookahead, backreference). Ignored for `.substring`.
    ///   - seed: the same seed gives the same list.
    public static func rules(count: Int, mix: RuleMix, pcreOnlyFraction: Double = 0, seed: UInt64) -> [GeneratedRule] {
        var builder = RuleListBuilder(seed: seed)
        return builder.build(count: min(max(count, ruleCountRange.lowerBound), ruleCountRange.upperBound),
                             mix: mix, pcreOnlyFraction: pcreOnlyFraction)
    }

    /// `count` replies drawn from the provider templates (see `ReplyStream` to generate lazily).
    public static func replies(count: Int, seed: UInt64) -> [GeneratedReply] {
        var out: [GeneratedReply] = []
        out.reserveCapacity(max(count, 0))
        var stream = ReplyStream(seed: seed)
        for _ in 0..<max(count, 0) { out.append(stream.nextReply()) }
        return out
    }

    /// An endless, lazily generated reply stream; `prefix(n)` of it equals `replies(count: n, seed:)`.
    public struct ReplyStream: Sequence, IteratorProtocol, Sendable {
        var random: CorpusRandom

        public init(seed: UInt64) { random = CorpusRandom(seed: seed ^ 0x5EED_0F_2E_91_1E5) }

        public mutating func next() -> GeneratedReply? { nextReply() }

        /// The next reply (the stream never ends).
        public mutating func nextReply() -> GeneratedReply { ReplyFactory.make(using: &random) }
    }
}
