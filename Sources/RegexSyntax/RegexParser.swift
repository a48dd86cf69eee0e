/// Parses the project's regex dialect: PCRE2 10.42 syntax, 8-bit, non-UTF, non-UCP.
///
/// The result is the *resolved* AST of `RegexNode`: inline flags are applied while parsing, classes and
/// escapes become byte sets, and every PCRE-only construct is listed with its column. Errors carry the
/// 1-based byte column and a reason worded like PCRE2's. No input crashes or hangs the parser: nesting is
/// limited like PCRE2's parentheses limit.
public enum RegexParser {
    /// PCRE2's default parentheses nesting limit.
    public static let maxNestingDepth = 250
    /// The largest count PCRE2 accepts in a `{n,m}` quantifier.
    public static let maxRepeatCount = 65535

    /// Parses `source` with the pattern-wide `options` (the flags a rule file gives, before any inline flag).
    public static func parse(_ source: [UInt8], options: RegexOptions) throws(RegexSyntaxError) -> RegexPattern {
        // Pass 1 learns the group names and the capture count, so pass 2 can resolve forward references.
        var first = RegexParserState(source: source, options: options, knownNames: nil)
        _ = try first.parsePattern()
        var second = RegexParserState(source: source, options: options, knownNames: first.names)
        second.totalCaptures = first.captureCount
        let root = try second.parsePattern()
        try second.validateReferences()
        try RegexLookbehindCheck.validate(root, lookbehinds: second.lookbehinds, captureCount: second.captureCount)
        return RegexPattern(
            source: source,
            options: options,
            root: root,
            captureCount: second.captureCount,
            pcreOnly: second.pcreOnly.sorted { $0.column < $1.column }
        )
    }
}

/// Flags in force at a point of the pattern.
struct RegexFlags: Equatable {
    var caseless = false
    var dotAll = false
    var multiline = false
    var extended = false
    /// `xx`: also ignore space and tab inside classes.
    var extendedMore = false
    /// `n`: plain `(` does not capture.
    var noAutoCapture = false
    /// `U`: quantifiers are lazy by default and `?` makes them greedy.
    var ungreedy = false
    /// `J`: duplicate group names are allowed.
    var dupNames = false

    init(_ o: RegexOptions) {
        caseless = o.caseInsensitive
        dotAll = o.dotAll
        multiline = o.multiline
        extended = o.extended
    }

    /// The inline-option text that sets exactly these flags from none (`i`, `s`, `m`, `x`, `xx`, `n`, `U`).
    var optionLetters: [UInt8] {
        var out: [UInt8] = []
        if caseless { out.append(UInt8(ascii: "i")) }
        if dotAll { out.append(UInt8(ascii: "s")) }
        if multiline { out.append(UInt8(ascii: "m")) }
        if extendedMore { out += [UInt8(ascii: "x"), UInt8(ascii: "x")] } else if extended { out.append(UInt8(ascii: "x")) }
        if noAutoCapture { out.append(UInt8(ascii: "n")) }
        if ungreedy { out.append(UInt8(ascii: "U")) }
        if dupNames { out.append(UInt8(ascii: "J")) }
        return out
    }
}

/// A reference that can only be checked once the whole pattern is read.
struct PendingReference {
    enum Target { case number(Int), name([UInt8]) }
    var target: Target
    var column: Int
}

/// The mutable state of one parsing pass.
struct RegexParserState {
    let src: [UInt8]
    var pos = 0
    var flags: RegexFlags
    var captureCount = 0
    /// The number of captures in the whole pattern (known in pass 2).
    var totalCaptures: Int?
    var names: [[UInt8]: Int] = [:]
    let knownNames: [[UInt8]: Int]?
    var pcreOnly: [PCREOnlyUse] = []
    var references: [PendingReference] = []
    /// Lookbehind nodes are checked for fixed length after parsing (backreferences may point forward).
    var lookbehinds: [(node: RegexNode, column: Int)] = []
    var depth = 0
    /// True while reading the body of a lookaround (for `\K`, which PCRE2 10.42 rejects there).
    var lookaroundDepth = 0
    /// Inside a class: a `-` after a byte has been read, so the next byte ends a range.
    var rangeWasOpen = false

    init(source: [UInt8], options: RegexOptions, knownNames: [[UInt8]: Int]?) {
        src = source
        flags = RegexFlags(options)
        self.knownNames = knownNames
    }

    // MARK: - Small helpers

    var atEnd: Bool { pos >= src.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < src.count ? src[i] : nil
    }

    func col(_ p: Int) -> Int { p + 1 }

    func error(_ p: Int, _ reason: String) -> RegexSyntaxError {
        RegexSyntaxError(column: min(p, src.count) + 1, reason: reason)
    }

    mutating func record(_ c: PCREOnlyConstruct, at p: Int) {
        pcreOnly.append(PCREOnlyUse(construct: c, column: p + 1))
    }

    func startsWith(_ s: String, at p: Int) -> Bool {
        var i = p
        for b in s.utf8 {
            guard i < src.count, src[i] == b else { return false }
            i += 1
        }
        return true
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isWordByte(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == 0x5F }
    static func hexValue(_ b: UInt8) -> Int? {
        if isDigit(b) { return Int(b - 0x30) }
        let l = b | 0x20
        if l >= 0x61 && l <= 0x66 { return Int(l - 0x61 + 10) }
        return nil
    }

    /// Whitespace ignored under `x`: PCRE2's ctype space plus NEL.
    static func isExtendedSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0x85
    }

    func literal(_ b: UInt8) -> RegexNode {
        .byte(b, caseless: flags.caseless && Self.isLetter(b))
    }

    func setNode(_ s: ByteSet) -> RegexNode {
        .set(flags.caseless ? s.asciiCaseFolded : s)
    }

    // MARK: - Structure

    mutating func parsePattern() throws(RegexSyntaxError) -> RegexNode {
        let node = try parseAlternation()
        if !atEnd {
            // Only an unmatched `)` stops the top-level alternation early.
            throw error(pos, "unmatched closing parenthesis")
        }
        return node
    }

    /// Reads branches separated by `|` up to a `)` (not consumed) or the end.
    mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches: [RegexNode] = [try parseBranch()]
        while let b = peek(), b == UInt8(ascii: "|") {
            pos += 1
            branches.append(try parseBranch())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    /// Skips whitespace and `#` comments under `x`, and `(?#...)` comments always.
    mutating func skipIgnorable() throws(RegexSyntaxError) {
        while let b = peek() {
            if flags.extended {
                if Self.isExtendedSpace(b) { pos += 1; continue }
                if b == UInt8(ascii: "#") {
                    while let c = peek(), c != 0x0A { _ = c; pos += 1 }
                    continue
                }
            }
            if b == UInt8(ascii: "("), peek(1) == UInt8(ascii: "?"), peek(2) == UInt8(ascii: "#") {
                let start = pos
                pos += 3
                while let c = peek(), c != UInt8(ascii: ")") { _ = c; pos += 1 }
                if atEnd { throw error(start, "missing ) after (?# comment") }
                pos += 1
                continue
            }
            // `\E` outside `\Q` and an empty `\Q\E` are no-ops PCRE2 skips, even before a quantifier.
            if b == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "E") { pos += 2; continue }
            if b == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "Q"), peek(2) == UInt8(ascii: "\\"), peek(3) == UInt8(ascii: "E") {
                pos += 4
                continue
            }
            return
        }
    }

    /// Reads one branch: items with their quantifiers, up to `|`, `)` or the end.
    mutating func parseBranch() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        // Whether the last item may take a quantifier (assertions, option settings and quantified items may not).
        var lastRepeatable = false
        while true {
            try skipIgnorable()
            guard let b = peek() else { break }
            if b == UInt8(ascii: "|") || b == UInt8(ascii: ")") { break }
            let start = pos
            if let q = try parseQuantifierIfAny() {
                guard lastRepeatable, let last = items.popLast() else {
                    throw error(start, "quantifier does not follow a repeatable item")
                }
                if q.kind == .possessive { record(.possessiveQuantifier, at: start) }
                items.append(.repetition(last, min: q.min, max: q.max, kind: q.kind))
                lastRepeatable = false
                continue
            }
            let atom = try parseAtom()
            switch atom {
            case .none:
                lastRepeatable = false
            case .one(let node, let repeatable):
                items.append(node)
                lastRepeatable = repeatable
            case .many(let nodes):
                items.append(contentsOf: nodes)
                lastRepeatable = !nodes.isEmpty
            }
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    enum Atom {
        /// Nothing to add (an option setting such as `(?i)`).
        case none
        case one(RegexNode, repeatable: Bool)
        /// A `\Q...\E` run: a quantifier applies to the last byte only.
        case many([RegexNode])
    }

    struct Quantifier {
        var min: Int
        var max: Int?
        var kind: RepetitionKind
    }

    /// Reads `* + ? {n} {n,} {n,m}` and a lazy/possessive suffix; nil (nothing consumed) if none starts here.
    mutating func parseQuantifierIfAny() throws(RegexSyntaxError) -> Quantifier? {
        guard let b = peek() else { return nil }
        var q: Quantifier
        switch b {
        case UInt8(ascii: "*"): q = Quantifier(min: 0, max: nil, kind: .greedy); pos += 1
        case UInt8(ascii: "+"): q = Quantifier(min: 1, max: nil, kind: .greedy); pos += 1
        case UInt8(ascii: "?"): q = Quantifier(min: 0, max: 1, kind: .greedy); pos += 1
        case UInt8(ascii: "{"):
            guard let braced = try parseBraceQuantifier() else { return nil }
            q = braced
        default: return nil
        }
        // PCRE2 drops comments, `\E` and `x`-mode space before it sees a lazy or possessive suffix.
        try skipIgnorable()
        if peek() == UInt8(ascii: "+") {
            pos += 1
            q.kind = .possessive
        } else if peek() == UInt8(ascii: "?") {
            pos += 1
            q.kind = flags.ungreedy ? .greedy : .lazy
        } else if flags.ungreedy {
            q.kind = .lazy
        }
        return q
    }

    /// `{n}`, `{n,}` or `{n,m}` at `pos`; nil when the `{` is a literal (PCRE2 10.42: `{,m}` is literal too).
    mutating func parseBraceQuantifier() throws(RegexSyntaxError) -> Quantifier? {
        var i = pos + 1
        func readNumber(_ i: inout Int) -> (value: Int, start: Int)? {
            let s = i
            var v = 0
            while i < src.count, Self.isDigit(src[i]) {
                v = min(v * 10 + Int(src[i] - 0x30), 1_000_000)
                i += 1
            }
            return i > s ? (v, s) : nil
        }
        guard let lo = readNumber(&i) else { return nil }
        var hi: (value: Int, start: Int)?
        var unbounded = false
        if i < src.count, src[i] == UInt8(ascii: ",") {
            i += 1
            hi = readNumber(&i)
            if hi == nil { unbounded = true }
        } else {
            hi = lo
        }
        guard i < src.count, src[i] == UInt8(ascii: "}") else { return nil }
        if lo.value > RegexParser.maxRepeatCount { throw error(lo.start, "number too big in {} quantifier") }
        if let hi, hi.value > RegexParser.maxRepeatCount { throw error(hi.start, "number too big in {} quantifier") }
        if let hi, hi.value < lo.value { throw error(hi.start, "numbers out of order in {} quantifier") }
        pos = i + 1
        return Quantifier(min: lo.value, max: unbounded ? nil : hi?.value, kind: .greedy)
    }

    mutating func parseAtom() throws(RegexSyntaxError) -> Atom {
        let start = pos
        let b = src[pos]
        switch b {
        case UInt8(ascii: "("):
            return try parseGroup()
        case UInt8(ascii: "["):
            if let c = peek(1), c == UInt8(ascii: ":") || c == UInt8(ascii: ".") || c == UInt8(ascii: "="),
               posixSyntaxEnd(from: pos + 1) != nil {
                if c == UInt8(ascii: ":") { throw error(start, "POSIX named classes are supported only within a class") }
                throw error(start, "POSIX collating elements are not supported")
            }
            return .one(try parseClass(), repeatable: true)
        case UInt8(ascii: "."):
            pos += 1
            return .one(.set(flags.dotAll ? .all : .anyButNewline), repeatable: true)
        case UInt8(ascii: "^"):
            pos += 1
            return .one(.assertion(flags.multiline ? .startOfLine : .startOfSubject), repeatable: false)
        case UInt8(ascii: "$"):
            pos += 1
            return .one(.assertion(flags.multiline ? .endOfLine : .endOfSubjectOrFinalNewline), repeatable: false)
        case UInt8(ascii: "\\"):
            return try parseEscapeAtom()
        default:
            pos += 1
            return .one(literal(b), repeatable: true)
        }
    }
}
