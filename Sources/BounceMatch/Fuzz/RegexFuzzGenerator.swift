import RegexSyntax

/// Draws small random regex ASTs over an alphabet that SMTP replies use, for property tests and fuzzing.
///
/// Capture groups are numbered in the order their opening parenthesis is printed, so
/// `printed(for: .pcre2)` gives text whose groups and backreferences mean what the AST says. Lookbehind
/// bodies are fixed-length (PCRE2 rejects anything else).
public struct RegexFuzzGenerator {
    /// Allow lookaround, atomic groups, possessive quantifiers and backreferences.
    public var pcreOnly: Bool
    /// Capture groups made so far in the current tree.
    public private(set) var groups = 0

    public init(pcreOnly: Bool) { self.pcreOnly = pcreOnly }

    /// The bytes literals are drawn from: letters in both cases, the digits and punctuation of reply codes.
    public static let alphabet: [UInt8] = Array("abxAB50 .:-@".utf8)

    /// A fresh tree (group numbering restarts at 1).
    public mutating func tree<R: RandomNumberGenerator>(depth: Int, using rng: inout R) -> RegexNode {
        groups = 0
        return node(depth, &rng)
    }

    mutating func literal<R: RandomNumberGenerator>(_ rng: inout R) -> RegexNode {
        .literal(rng.pick(Self.alphabet), caseless: rng.chance(25))
    }

    mutating func set<R: RandomNumberGenerator>(_ rng: inout R) -> RegexNode {
        switch rng.below(7) {
        case 0: return .set(.digits)
        case 1: return .set(.wordBytes)
        case 2: return .set(.spaces)
        case 3: return .set(.anyButNewline)
        case 4: return .set(ByteSet(range: 0x61, 0x63))
        case 5: return .set(.all)
        default:
            var s = ByteSet()
            for b in Self.alphabet where rng.chance(40) { s.insert(b) }
            return .set(rng.chance(20) ? s.inverted : s)
        }
    }

    mutating func assertion<R: RandomNumberGenerator>(_ rng: inout R) -> RegexNode {
        let all: [RegexAssertion] = [
            .startOfSubject, .startOfLine, .endOfSubjectOrFinalNewline, .endOfLine, .endOfSubject,
            .wordBoundary, .notWordBoundary,
        ]
        return .assertion(rng.pick(all))
    }

    /// A fixed-length node, for lookbehind.
    mutating func fixed<R: RandomNumberGenerator>(_ depth: Int, _ rng: inout R) -> RegexNode {
        switch depth <= 0 ? rng.below(3) : rng.below(5) {
        case 0: return literal(&rng)
        case 1: return set(&rng)
        case 2: return .concat([literal(&rng), literal(&rng)])
        case 3: return .concat([fixed(depth - 1, &rng), fixed(depth - 1, &rng)])
        default:
            let n = 1 + rng.below(3)
            return .repetition(fixed(depth - 1, &rng), min: n, max: n, kind: .greedy)
        }
    }

    mutating func node<R: RandomNumberGenerator>(_ depth: Int, _ rng: inout R) -> RegexNode {
        if depth <= 0 {
            switch rng.below(20) {
            case 0..<11: return literal(&rng)
            case 11..<15: return set(&rng)
            case 15, 16: return assertion(&rng)
            case 17: return .empty
            default:
                if pcreOnly && groups > 0 { return .backreference(1 + rng.below(groups), caseless: rng.chance(30)) }
                return literal(&rng)
            }
        }
        switch rng.below(pcreOnly ? 14 : 10) {
        case 0, 1, 2:
            return .concat((0..<(2 + rng.below(3))).map { _ in node(depth - 1, &rng) })
        case 3, 4:
            return .alternation((0..<(2 + rng.below(2))).map { _ in node(depth - 1, &rng) })
        case 5:
            groups += 1
            let number = groups
            return .group(node(depth - 1, &rng), capture: number)
        case 6, 7, 8:
            let lo = rng.below(3)
            let hi: Int? = rng.chance(50) ? nil : lo + rng.below(3)
            let kinds: [RepetitionKind] = pcreOnly ? [.greedy, .lazy, .possessive] : [.greedy, .lazy]
            // A quantified group, as a pattern author writes it; the printer adds `(?:)` where needed.
            return .repetition(node(depth - 1, &rng), min: lo, max: hi, kind: rng.pick(kinds))
        case 9:
            return node(0, &rng)
        case 10:
            return .look(node(depth - 1, &rng), behind: false, negated: rng.chance(50))
        case 11:
            let body = rng.chance(30) ? .alternation([fixed(depth - 1, &rng), fixed(depth - 1, &rng)]) : fixed(depth - 1, &rng)
            return .look(body, behind: true, negated: rng.chance(50))
        case 12:
            return .atomic(node(depth - 1, &rng))
        default:
            groups += 1
            let number = groups
            return .group(node(depth - 1, &rng), capture: number)
        }
    }

    /// Raw pattern text from regex tokens (valid or not, PCRE-only or opaque constructs included), for the
    /// parser-versus-PCRE2 accept/reject cross-check. `\R` is left out: PCRE2 10.42 auto-possessifies
    /// some `\R` sequences wrongly, so its answers are not a reference there.
    public static func patternText<R: RandomNumberGenerator>(using rng: inout R) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(1 + rng.below(12)) {
            out += Array(rng.pick(textTokens).utf8)
            if rng.chance(5) { out.append(UInt8(truncatingIfNeeded: rng.next())) }
        }
        return out
    }

    static let textTokens = [
        "a", "b", "Z", "0", "5", " ", "-", "]", "[", "^", "$", ".", "|", "(", ")", "(?:", "(?i)", "(?-i)", "(?s)",
        "(?m)", "(?x)", "(?i:", "(?<n>", "(?P<m>", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?|", "*", "+", "?", "*?",
        "+?", "*+", "{2}", "{1,3}", "{2,}", "{,2}", "{", "}", ",", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\b",
        "\\B", "\\A", "\\z", "\\Z", "\\1", "\\2", "\\10", "\\k<n>", "\\g{-1}", "\\g1", "\\x41", "\\x{42}", "\\0",
        "\\Q", "\\E", "\\n", "\\t", "\\", "\\h", "\\v", "\\H", "\\V", "\\X", "\\C", "\\K", "\\G", "\\p{L}", "\\N",
        "\\cA", "[:alpha:]", "[[:space:]]", "[^a-c]", "[a\\]]", "[\\d.]", "(?#c)", "(*FAIL)", "(?R)", "(?1)",
        "(?(1)", "(?C)", "\u{0}", "#", "\n", "\\i", "\\o{101}", "(?n)", "(?U)", "(?J)", "\\e", "\\f", "\\a",
    ]
}
