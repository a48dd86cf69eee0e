import BounceRules

/// One thing `bouncematch check` found in a rule set: what, where, how bad, and the evidence.
public struct LintFinding: Hashable, Sendable {
    /// What kind of problem it is; the raw value is the stable name used in JSON output and docs/LINT.md.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case duplicate
        case shadowed
        case likelyShadowed = "likely-shadowed"
        case catchAll = "catch-all"
        case neverFires = "never-fires"
        case overBroad = "over-broad"
        case pcreOnly = "pcre-only"
        case backendNote = "backend-note"
        case bracketedTag = "bracketed-tag"
        case missingBackslash = "missing-backslash"
        case unescapedDot = "unescaped-dot"
        case unescapedParentheses = "unescaped-parentheses"
        case typographicCharacter = "typographic-character"
        case continuationMarker = "continuation-marker"
        case pointlessDotStar = "pointless-dot-star"
        case emptyPattern = "empty-pattern"
        case unusedList = "unused-list"
        case undefinedList = "undefined-list"
        case unknownLabel = "unknown-label"
    }

    public enum Severity: String, Hashable, Sendable, Comparable {
        /// Informational: nothing wrong by itself (PCRE-only rules, hybrid backends, rules unused by one corpus).
        case note
        /// Probably a defect: the rule set loads and runs, but some rule will not do what its author meant.
        case warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .note && b == .warning }
    }

    public var kind: Kind
    public var severity: Severity
    /// The rule index (evaluation order) the finding is about; nil for findings about a file (unused lists).
    public var rule: Int?
    public var location: SourceLocation
    public var message: String
    /// The other rule involved (the shadowing rule, the first of a duplicate pair, the catch-all).
    public var related: Int?
    /// A reply that shows the problem (a sample the shadowing rule takes), when there is one.
    public var example: [UInt8]?
    /// A suggested fix (the nearest known label, the escaped pattern ...).
    public var suggestion: String?

    public init(
        _ kind: Kind, _ severity: Severity, rule: Int?, location: SourceLocation, message: String,
        related: Int? = nil, example: [UInt8]? = nil, suggestion: String? = nil
    ) {
        self.kind = kind
        self.severity = severity
        self.rule = rule
        self.location = location
        self.message = message
        self.related = related
        self.example = example
        self.suggestion = suggestion
    }
}
