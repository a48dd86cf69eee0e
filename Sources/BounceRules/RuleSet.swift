import RegexSyntax

/// An error in a rule file: where (file, line, column) and why.
public struct RuleFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var reason: String

    public init(_ location: SourceLocation, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}

/// Every error found while loading or building a rule set. Loading goes on past an error so that one
/// run lists them all.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    public var errors: [RuleFileError]
    public init(_ errors: [RuleFileError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A rule's pattern compiled into the regex AST, whatever its kind, so every engine sees one form.
public struct CompiledPattern: Hashable, Sendable {
    /// The AST of the equivalent regex: a substring is its literal, `exact` is `^literal\z`, a
    /// wildcard is `^glob\z` with `*` as `(?s:.*)` and `?` as `(?s:.)`. Case folding is resolved in it.
    public var regex: RegexPattern
    /// For `substring` and `exact` rules: the literal bytes (what Aho-Corasick looks for).
    public var literal: [UInt8]?

    public init(regex: RegexPattern, literal: [UInt8]?) {
        self.regex = regex
        self.literal = literal
    }
}

/// Rules in evaluation order: index `i` is rule index `i` (SPEC §2 "Order").
///
/// Building a `RuleSet` validates every pattern; it throws `RuleSetError` listing every bad rule.
public struct RuleSet: Sendable {
    public private(set) var rules: [Rule]
    /// `patterns[i]` is rule `i`'s compiled pattern, nil for a rule without a pattern.
    public private(set) var patterns: [CompiledPattern?]

    public var count: Int { rules.count }
    public var isEmpty: Bool { rules.isEmpty }

    /// Orders `rules` by `(priority, position)` — a rule without priority has the priority of its
    /// position — and compiles every pattern.
    public init(rules: [Rule], isps: ISPTable = .builtin) throws(RuleSetError) {
        let ordered = rules.enumerated().sorted { a, b in
            let pa = a.element.priority ?? a.offset, pb = b.element.priority ?? b.offset
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        var errors: [RuleFileError] = []
        var compiled: [CompiledPattern?] = []
        var resolved: [Rule] = []
        compiled.reserveCapacity(ordered.count)
        for var rule in ordered {
            for name in rule.conditions.ispNames {
                guard let domains = isps.domains(forISP: name) else {
                    errors.append(RuleFileError(rule.location, "unknown ISP '\(name)' (known: \(isps.names.joined(separator: ", ")))"))
                    continue
                }
                rule.conditions.domains.append(contentsOf: domains)
            }
            do {
                compiled.append(try CompiledPattern.compile(rule))
            } catch {
                var at = rule.patternLocation
                at.column += max(error.column - 1, 0)
                errors.append(RuleFileError(at, "invalid \(rule.kind?.rawValue ?? "") pattern: \(error.reason)"))
                compiled.append(nil)
            }
            resolved.append(rule)
        }
        if !errors.isEmpty { throw RuleSetError(errors) }
        self.rules = resolved
        self.patterns = compiled
    }

    /// The empty rule set.
    public init() {
        rules = []
        patterns = []
    }
}

extension CompiledPattern {
    /// Compiles one rule's pattern. Errors carry the column inside the pattern.
    public static func compile(_ rule: Rule) throws(RegexSyntaxError) -> CompiledPattern? {
        guard let kind = rule.kind else { return nil }
        let options = RegexOptions(caseInsensitive: rule.caseInsensitive)
        switch kind {
        case .regex:
            return CompiledPattern(regex: try RegexParser.parse(rule.pattern, options: options), literal: nil)
        case .substring:
            let root = RegexNode.literalSequence(rule.pattern, caseless: rule.caseInsensitive)
            return CompiledPattern(
                regex: RegexPattern(source: rule.pattern, options: options, root: root, captureCount: 0, pcreOnly: []),
                literal: rule.pattern
            )
        case .exact:
            let root = RegexNode.concat([
                .assertion(.startOfSubject), .literalSequence(rule.pattern, caseless: rule.caseInsensitive),
                .assertion(.endOfSubject),
            ])
            return CompiledPattern(
                regex: RegexPattern(source: rule.pattern, options: options, root: root, captureCount: 0, pcreOnly: []),
                literal: rule.pattern
            )
        case .wildcard:
            let root = try RegexNode.glob(rule.pattern, caseless: rule.caseInsensitive)
            return CompiledPattern(
                regex: RegexPattern(source: rule.pattern, options: options, root: root, captureCount: 0, pcreOnly: []),
                literal: nil
            )
        }
    }
}

extension RegexNode {
    /// A node matching `bytes` literally, ASCII letters folded when `caseless`.
    public static func literalSequence(_ bytes: [UInt8], caseless: Bool) -> RegexNode {
        .concat(bytes.map { .literal($0, caseless: caseless) })
    }

    /// One literal byte: `caseless` is kept only for ASCII letters, as the AST requires.
    public static func literal(_ b: UInt8, caseless: Bool) -> RegexNode {
        let isLetter = (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
        return .byte(b, caseless: caseless && isLetter)
    }

    /// The AST of a glob matched against the whole target (SPEC §2 `wildcard`).
    public static func glob(_ bytes: [UInt8], caseless: Bool) throws(RegexSyntaxError) -> RegexNode {
        var parts: [RegexNode] = [.assertion(.startOfSubject)]
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "*"):
                parts.append(.repetition(.set(.all), min: 0, max: nil, kind: .greedy))
            case UInt8(ascii: "?"):
                parts.append(.set(.all))
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else {
                    throw RegexSyntaxError(column: i + 1, reason: "wildcard ends with a lone '\\' (write '\\\\' for a backslash)")
                }
                let next = bytes[i + 1]
                guard next == UInt8(ascii: "*") || next == UInt8(ascii: "?") || next == UInt8(ascii: "\\") else {
                    throw RegexSyntaxError(column: i + 1, reason: "'\\' in a wildcard escapes only '*', '?' and '\\'")
                }
                parts.append(.literal(next, caseless: caseless))
                i += 1
            default:
                parts.append(.literal(b, caseless: caseless))
            }
            i += 1
        }
        parts.append(.assertion(.endOfSubject))
        return .concat(parts)
    }
}
