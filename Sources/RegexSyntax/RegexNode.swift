/// A set of bytes, as a 256-bit bitmap.
///
/// Character classes, `.`, `\d` and case-folded literals all become byte sets once parsed, so every
/// engine tests membership with one shift and mask, whatever syntax the pattern used.
public struct ByteSet: Hashable, Sendable {
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init() { words = (0, 0, 0, 0) }

    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        self.init()
        for b in bytes { insert(b) }
    }

    /// Every byte in `lower...upper`.
    public init(range lower: UInt8, _ upper: UInt8) {
        self.init()
        if lower <= upper { for b in lower...upper { insert(b) } }
    }

    public static let all: ByteSet = ByteSet(range: 0, 255)
    /// What `.` matches without the `s` flag: any byte but `\n`.
    public static let anyButNewline: ByteSet = all.subtracting(ByteSet([0x0A]))
    /// `\d` (ASCII, as PCRE2 without UCP).
    public static let digits: ByteSet = ByteSet(range: 0x30, 0x39)
    /// `\w`: `[A-Za-z0-9_]`.
    public static let wordBytes: ByteSet = {
        var s = ByteSet(range: 0x30, 0x39)
        s.formUnion(ByteSet(range: 0x41, 0x5A))
        s.formUnion(ByteSet(range: 0x61, 0x7A))
        s.insert(0x5F)
        return s
    }()
    /// `\s` in PCRE2 10.42 non-UCP mode: space, `\t`, `\n`, `\v` (0x0B), `\f`, `\r`.
    public static let spaces: ByteSet = ByteSet([0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D])

    @inline(__always)
    public func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    public mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    public mutating func formUnion(_ other: ByteSet) {
        words.0 |= other.words.0; words.1 |= other.words.1
        words.2 |= other.words.2; words.3 |= other.words.3
    }

    public func union(_ other: ByteSet) -> ByteSet { var s = self; s.formUnion(other); return s }

    public func subtracting(_ other: ByteSet) -> ByteSet {
        var s = self
        s.words.0 &= ~other.words.0; s.words.1 &= ~other.words.1
        s.words.2 &= ~other.words.2; s.words.3 &= ~other.words.3
        return s
    }

    public var inverted: ByteSet {
        var s = self
        s.words = (~words.0, ~words.1, ~words.2, ~words.3)
        return s
    }

    public var count: Int {
        words.0.nonzeroBitCount + words.1.nonzeroBitCount + words.2.nonzeroBitCount + words.3.nonzeroBitCount
    }

    public var isEmpty: Bool { count == 0 }

    /// The set closed under ASCII case folding: `A-Z` and `a-z` added in pairs, nothing else.
    public var asciiCaseFolded: ByteSet {
        var s = self
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") where contains(b) || contains(b | 0x20) {
            s.insert(b); s.insert(b | 0x20)
        }
        return s
    }

    /// The members in ascending order.
    public var members: [UInt8] { (0...255).compactMap { contains(UInt8($0)) ? UInt8($0) : nil } }

    public static func == (l: ByteSet, r: ByteSet) -> Bool {
        l.words.0 == r.words.0 && l.words.1 == r.words.1 && l.words.2 == r.words.2 && l.words.3 == r.words.3
    }

    public func hash(into h: inout Hasher) {
        h.combine(words.0); h.combine(words.1); h.combine(words.2); h.combine(words.3)
    }
}

/// Zero-width assertions, with the flags in force where they were written already resolved.
public enum RegexAssertion: Hashable, Sendable {
    /// `^` without `m`, and `\A`: the start of the subject.
    case startOfSubject
    /// `^` with `m`: the start of the subject or just after a `\n`.
    case startOfLine
    /// `$` without `m`: the end of the subject, or just before a `\n` that ends it (PCRE2's default).
    case endOfSubjectOrFinalNewline
    /// `$` with `m`: the end of the subject or just before any `\n`.
    case endOfLine
    /// `\z`: the very end of the subject.
    case endOfSubject
    /// `\b` (ASCII word bytes, `\w`).
    case wordBoundary
    /// `\B`.
    case notWordBoundary
}

/// How a quantifier backtracks.
public enum RepetitionKind: String, Hashable, Sendable {
    case greedy, lazy, possessive
}

/// A construct outside the portable dialect (SPEC §3). Rules that use one are *PCRE-only*.
public enum PCREOnlyConstruct: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case backreference
    case lookahead
    case lookbehind
    case atomicGroup = "atomic group"
    case possessiveQuantifier = "possessive quantifier"
    case recursion
    case conditional
    case newlineSequence = "\\R"
    case graphemeCluster = "\\X"
    case unicodeProperty = "\\p{..}"
    case singleCodeUnit = "\\C"
    case matchReset = "\\K"
    case backtrackingVerb = "backtracking verb"
    case callout
    case startOfMatchAnchor = "\\G"

    public var description: String { rawValue }
}

/// A node of the regex AST.
///
/// The AST is *resolved*: inline flags (`(?i)`, `(?s)`, `(?m)`, `(?x)`) are applied while parsing, so a
/// node means the same thing wherever it is moved. Case-insensitive literals become `.byte(_, caseless: true)`
/// (letters only), case-insensitive classes become folded `ByteSet`s, `.` becomes a `ByteSet`.
public indirect enum RegexNode: Hashable, Sendable {
    /// Matches the empty string.
    case empty
    /// One literal byte. `caseless` is true only for ASCII letters matched without regard to case.
    case byte(UInt8, caseless: Bool)
    /// One byte from the set (a class, `.`, `\d`, `\xHH` under `i` ...).
    case set(ByteSet)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternation([RegexNode])
    /// A group. `capture` is the 1-based capture number, nil for `(?:...)`.
    case group(RegexNode, capture: Int?)
    /// `max == nil` means unbounded.
    case repetition(RegexNode, min: Int, max: Int?, kind: RepetitionKind)
    /// Lookahead (`behind == false`) or lookbehind, positive or negated. PCRE-only.
    case look(RegexNode, behind: Bool, negated: Bool)
    /// `(?>...)`. PCRE-only.
    case atomic(RegexNode)
    /// `\1`, `\k<name>` ... resolved to the capture number. PCRE-only.
    case backreference(Int, caseless: Bool)
    /// A construct the project parses and classifies but whose meaning no project engine models
    /// (recursion, conditionals, `\p{..}`, verbs ...). PCRE2 decides rules that contain it.
    case opaque(PCREOnlyConstruct, source: [UInt8])
}

/// Flags that apply to the whole pattern before any inline flag.
public struct RegexOptions: Hashable, Sendable {
    public var caseInsensitive: Bool
    public var dotAll: Bool
    public var multiline: Bool
    public var extended: Bool

    public init(caseInsensitive: Bool = false, dotAll: Bool = false, multiline: Bool = false, extended: Bool = false) {
        self.caseInsensitive = caseInsensitive
        self.dotAll = dotAll
        self.multiline = multiline
        self.extended = extended
    }
}

/// A use of a PCRE-only construct, with the 1-based column (byte offset + 1) where it starts.
public struct PCREOnlyUse: Hashable, Sendable, CustomStringConvertible {
    public var construct: PCREOnlyConstruct
    public var column: Int
    public init(construct: PCREOnlyConstruct, column: Int) {
        self.construct = construct
        self.column = column
    }
    public var description: String { "\(construct) at column \(column)" }
}

/// A pattern that parsed: its source bytes, the options it was parsed with and its resolved AST.
public struct RegexPattern: Hashable, Sendable {
    public var source: [UInt8]
    public var options: RegexOptions
    public var root: RegexNode
    public var captureCount: Int
    /// Every PCRE-only construct used, in source order. Empty means the pattern is portable.
    public var pcreOnly: [PCREOnlyUse]

    public init(source: [UInt8], options: RegexOptions, root: RegexNode, captureCount: Int, pcreOnly: [PCREOnlyUse]) {
        self.source = source
        self.options = options
        self.root = root
        self.captureCount = captureCount
        self.pcreOnly = pcreOnly
    }

    public var isPortable: Bool { pcreOnly.isEmpty }
}

/// Why a pattern is invalid, and where (1-based column = byte offset + 1 into the pattern).
public struct RegexSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var column: Int
    public var reason: String
    public init(column: Int, reason: String) {
        self.column = column
        self.reason = reason
    }
    public var description: String { "column \(column): \(reason)" }
}
