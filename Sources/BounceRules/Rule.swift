import RegexSyntax

/// How a rule's pattern is compared with its target (SPEC §2).
public enum PatternKind: String, Hashable, Sendable, CaseIterable, Codable {
    /// The literal occurs anywhere in the target.
    case substring
    /// The literal equals the whole target.
    case exact
    /// A glob over the whole target: `*` any run of bytes, `?` one byte, `\*` `\?` `\\` literal.
    case wildcard
    /// The regex (SPEC §3) matches somewhere in the target.
    case regex
}

/// Which part of the normalized reply a pattern sees.
public enum MatchTarget: String, Hashable, Sendable, CaseIterable, Codable {
    /// The whole normalized line, code and enhanced code included.
    case line
    /// The line without the leading code, enhanced code and the separator after them.
    case text

    /// The target a kind uses when the rule does not name one.
    public static func `default`(for kind: PatternKind) -> MatchTarget {
        switch kind {
        case .substring, .regex: return .line
        case .exact, .wildcard: return .text
        }
    }
}

/// Where something came from in a rule file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One action of a rule's outcome, kept as data in the order the file gave it
/// (`retry-after=30m`, `pause=60`, `resends.number=-1` ...). The harness reports actions; it never performs them.
public struct RuleAction: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String = "") {
        self.name = name
        self.value = value
    }

    public var description: String { value.isEmpty ? name : "\(name)=\(value)" }
}

/// A rule: pattern + conditions + outcome, with a name and a place in order (SPEC §2).
public struct Rule: Hashable, Sendable {
    /// A human name; defaults to `file:line` when the format has none.
    public var name: String
    /// nil when the rule has no pattern and matches every reply whose conditions hold.
    public var kind: PatternKind?
    /// The pattern exactly as written (after the format's own string unescaping), as bytes.
    public var pattern: [UInt8]
    public var target: MatchTarget
    /// ASCII case folding for this rule's pattern. Regex inline flags (`(?-i)`) still apply inside it.
    public var caseInsensitive: Bool
    public var conditions: RuleConditions
    /// Lower evaluates first; nil means "the priority of its position".
    public var priority: Int?
    /// The outcome class (`bad-mailbox`, `HB`, `InvalidRecipient` ...); may be empty.
    public var label: String
    public var actions: [RuleAction]
    /// MailerQ's "evaluate other triggers too": the chain goes on past this rule.
    public var continues: Bool
    /// Where the rule is defined.
    public var location: SourceLocation
    /// Where the pattern starts in the file, so a regex error can name the exact column.
    public var patternLocation: SourceLocation
    /// The format the rule was read from (`tsv`, `native`, `powermta` ...).
    public var format: String
    /// Format-specific facts worth showing in explanations (`list=custom-isp-patterns`, `category=...`).
    public var details: [RuleAction]

    public init(
        name: String,
        kind: PatternKind?,
        pattern: [UInt8],
        target: MatchTarget? = nil,
        caseInsensitive: Bool = true,
        conditions: RuleConditions = RuleConditions(),
        priority: Int? = nil,
        label: String = "",
        actions: [RuleAction] = [],
        continues: Bool = false,
        location: SourceLocation,
        patternLocation: SourceLocation? = nil,
        format: String,
        details: [RuleAction] = []
    ) {
        self.name = name
        self.kind = kind
        self.pattern = pattern
        self.target = target ?? kind.map(MatchTarget.default(for:)) ?? .line
        self.caseInsensitive = caseInsensitive
        self.conditions = conditions
        self.priority = priority
        self.label = label
        self.actions = actions
        self.continues = continues
        self.location = location
        self.patternLocation = patternLocation ?? location
        self.format = format
        self.details = details
    }

    /// The pattern as text for display (invalid UTF-8 shown with replacement characters).
    public var patternText: String { String(decoding: pattern, as: UTF8.self) }
}
