/// Backslash escapes, outside and inside classes.
extension RegexParserState {
    /// What one escape means.
    enum Escape {
        case byte(UInt8)
        case set(ByteSet)
        case assertion(RegexAssertion)
        /// Anything else (backreference, `\R`, opaque ...), already built and recorded.
        case node(RegexNode, repeatable: Bool)
        /// `\Q...\E` literal bytes.
        case quoted([UInt8])
        /// `\E` alone, or an empty `\Q\E`: nothing.
        case nothing
    }

    /// `\h`: horizontal space in non-UCP 8-bit mode (tab, space, NBSP).
    static let horizontalSpace = ByteSet([0x09, 0x20, 0xA0])
    /// `\v`: vertical space in non-UCP 8-bit mode (LF, VT, FF, CR, NEL).
    static let verticalSpace = ByteSet([0x0A, 0x0B, 0x0C, 0x0D, 0x85])

    mutating func parseEscapeAtom() throws(RegexSyntaxError) -> Atom {
        switch try parseEscape(inClass: false) {
        case .byte(let b): return .one(literal(b), repeatable: true)
        case .set(let s): return .one(setNode(s), repeatable: true)
        case .assertion(let a): return .one(.assertion(a), repeatable: false)
        case .node(let n, let r): return .one(n, repeatable: r)
        case .quoted(let bytes): return .many(bytes.map { literal($0) })
        case .nothing: return .none
        }
    }

    /// Reads an escape at `pos` (the backslash).
    mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> Escape {
        let start = pos
        pos += 1
        guard let c = peek() else { throw error(pos, "\\ at end of pattern") }
        pos += 1
        switch c {
        case UInt8(ascii: "a"): return .byte(0x07)
        case UInt8(ascii: "e"): return .byte(0x1B)
        case UInt8(ascii: "f"): return .byte(0x0C)
        case UInt8(ascii: "n"): return .byte(0x0A)
        case UInt8(ascii: "r"): return .byte(0x0D)
        case UInt8(ascii: "t"): return .byte(0x09)
        case UInt8(ascii: "0"):
            // `\0` and up to two more octal digits.
            var v = 0
            var n = 0
            while n < 2, let d = peek(), d >= 0x30, d <= 0x37 { v = v * 8 + Int(d - 0x30); pos += 1; n += 1 }
            return .byte(UInt8(v))
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            return try parseDigitEscape(first: c, start: start, inClass: inClass)
        case UInt8(ascii: "o"):
            guard peek() == UInt8(ascii: "{") else { throw error(pos, "missing opening brace after \\o") }
            pos += 1
            var v = 0
            var n = 0
            while let d = peek(), d >= 0x30, d <= 0x37 { v = min(v * 8 + Int(d - 0x30), 0x1_0000); pos += 1; n += 1 }
            if n == 0 { throw error(pos, "digits missing in \\x{} or \\o{} or \\N{U+}") }
            guard peek() == UInt8(ascii: "}") else { throw error(pos, "non-octal character in \\o{} (closing brace missing?)") }
            pos += 1
            if v > 0xFF { throw error(start, "character code point value in \\x{} or \\o{} is too large") }
            return .byte(UInt8(v))
        case UInt8(ascii: "x"):
            if peek() == UInt8(ascii: "{") {
                pos += 1
                var v = 0
                var n = 0
                while let d = peek(), let h = Self.hexValue(d) { v = min(v * 16 + h, 0x1_0000); pos += 1; n += 1 }
                if n == 0 && peek() == UInt8(ascii: "}") || n == 0 && atEnd {
                    throw error(pos, "digits missing in \\x{} or \\o{} or \\N{U+}")
                }
                guard peek() == UInt8(ascii: "}") else { throw error(pos, "non-hex character in \\x{} (closing brace missing?)") }
                pos += 1
                if v > 0xFF { throw error(start, "character code point value in \\x{} or \\o{} is too large") }
                return .byte(UInt8(v))
            }
            // `\x` takes up to two hex digits; with none it is NUL, as in PCRE2.
            var v = 0
            var n = 0
            while n < 2, let d = peek(), let h = Self.hexValue(d) { v = v * 16 + h; pos += 1; n += 1 }
            return .byte(UInt8(v))
        case UInt8(ascii: "c"):
            guard let x = peek() else { throw error(pos, "\\c at end of pattern") }
            guard x >= 0x20, x <= 0x7E else { throw error(pos, "\\c must be followed by a printable ASCII character") }
            pos += 1
            let upper = (x >= 0x61 && x <= 0x7A) ? x - 0x20 : x
            return .byte(upper ^ 0x40)
        case UInt8(ascii: "d"): return .set(.digits)
        case UInt8(ascii: "D"): return .set(ByteSet.digits.inverted)
        case UInt8(ascii: "w"): return .set(.wordBytes)
        case UInt8(ascii: "W"): return .set(ByteSet.wordBytes.inverted)
        case UInt8(ascii: "s"): return .set(.spaces)
        case UInt8(ascii: "S"): return .set(ByteSet.spaces.inverted)
        case UInt8(ascii: "h"): return .set(Self.horizontalSpace)
        case UInt8(ascii: "H"): return .set(Self.horizontalSpace.inverted)
        case UInt8(ascii: "v"): return .set(Self.verticalSpace)
        case UInt8(ascii: "V"): return .set(Self.verticalSpace.inverted)
        case UInt8(ascii: "Q"):
            var bytes: [UInt8] = []
            while let d = peek() {
                if d == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "E") { pos += 2; break }
                bytes.append(d)
                pos += 1
            }
            return bytes.isEmpty ? .nothing : .quoted(bytes)
        case UInt8(ascii: "E"): return .nothing
        case UInt8(ascii: "p"), UInt8(ascii: "P"):
            try skipPropertyName(start: start)
            record(.unicodeProperty, at: start)
            return .node(opaqueNode(.unicodeProperty, from: start), repeatable: true)
        case UInt8(ascii: "F"), UInt8(ascii: "L"), UInt8(ascii: "l"), UInt8(ascii: "U"), UInt8(ascii: "u"):
            throw error(pos - 1, "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u")
        default:
            break
        }
        if inClass {
            switch c {
            case UInt8(ascii: "b"): return .byte(0x08)
            case UInt8(ascii: "N"): throw error(pos - 1, "\\N is not supported in a class")
            case UInt8(ascii: "A"), UInt8(ascii: "B"), UInt8(ascii: "C"), UInt8(ascii: "G"), UInt8(ascii: "K"),
                 UInt8(ascii: "R"), UInt8(ascii: "X"), UInt8(ascii: "Z"), UInt8(ascii: "z"),
                 UInt8(ascii: "g"), UInt8(ascii: "k"):
                throw error(pos - 1, "escape sequence is invalid in character class")
            default:
                if Self.isLetter(c) { throw error(pos - 1, "unrecognized character follows \\") }
                return .byte(c)
            }
        }
        switch c {
        case UInt8(ascii: "A"): return .assertion(.startOfSubject)
        case UInt8(ascii: "z"): return .assertion(.endOfSubject)
        case UInt8(ascii: "Z"): return .assertion(.endOfSubjectOrFinalNewline)
        case UInt8(ascii: "b"): return .assertion(.wordBoundary)
        case UInt8(ascii: "B"): return .assertion(.notWordBoundary)
        case UInt8(ascii: "G"):
            record(.startOfMatchAnchor, at: start)
            return .node(opaqueNode(.startOfMatchAnchor, from: start), repeatable: false)
        case UInt8(ascii: "K"):
            if lookaroundDepth > 0 { throw error(pos, "\\K is not allowed in lookarounds") }
            record(.matchReset, at: start)
            return .node(opaqueNode(.matchReset, from: start), repeatable: false)
        case UInt8(ascii: "N"):
            if peek() == UInt8(ascii: "{") {
                if peek(1) == UInt8(ascii: "U"), peek(2) == UInt8(ascii: "+") {
                    throw error(pos + 1, "\\N{U+dddd} is supported only in Unicode (UTF) mode")
                }
                if parseBraceQuantifierLookahead() == false {
                    throw error(pos - 1, "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u")
                }
            }
            return .set(.anyButNewline)
        case UInt8(ascii: "C"):
            record(.singleCodeUnit, at: start)
            return .set(.all)
        case UInt8(ascii: "R"):
            record(.newlineSequence, at: start)
            let crlf = RegexNode.concat([.byte(0x0D, caseless: false), .byte(0x0A, caseless: false)])
            return .node(.atomic(.alternation([crlf, .set(ByteSet([0x0A, 0x0B, 0x0C, 0x0D, 0x85]))])), repeatable: true)
        case UInt8(ascii: "X"):
            // In 8-bit non-UTF mode every code point is below 256, where Unicode has no Extend, SpacingMark,
            // Prepend or ZWJ characters, so a cluster is CR LF or any one byte.
            record(.graphemeCluster, at: start)
            let crlf = RegexNode.concat([.byte(0x0D, caseless: false), .byte(0x0A, caseless: false)])
            return .node(.atomic(.alternation([crlf, .set(.all)])), repeatable: true)
        case UInt8(ascii: "g"):
            return try parseGEscape(start: start)
        case UInt8(ascii: "k"):
            guard let open = peek(), let close = Self.closingDelimiter(open) else {
                throw error(pos, "\\k is not followed by a braced, angle-bracketed, or quoted name")
            }
            _ = close
            pos += 1
            let name = try parseName(terminator: Self.closingDelimiter(open)!)
            return .node(backreference(toName: name, at: start), repeatable: true)
        default:
            if Self.isLetter(c) { throw error(pos - 1, "unrecognized character follows \\") }
            return .byte(c)
        }
    }

    static func closingDelimiter(_ open: UInt8) -> UInt8? {
        switch open {
        case UInt8(ascii: "<"): return UInt8(ascii: ">")
        case UInt8(ascii: "'"): return UInt8(ascii: "'")
        case UInt8(ascii: "{"): return UInt8(ascii: "}")
        default: return nil
        }
    }

    /// Whether `{` at `pos` starts a valid quantifier (so `\N{2}` is `\N` repeated, not a name).
    func parseBraceQuantifierLookahead() -> Bool {
        var copy = self
        return (try? copy.parseBraceQuantifier()) != nil
    }

    /// `\1`...`\9` and longer numbers: a backreference, or octal when PCRE2 reads it so.
    mutating func parseDigitEscape(first: UInt8, start: Int, inClass: Bool) throws(RegexSyntaxError) -> Escape {
        let digitsStart = pos - 1
        if !inClass {
            var i = digitsStart
            var v = 0
            while i < src.count, Self.isDigit(src[i]) { v = min(v * 10 + Int(src[i] - 0x30), 1_000_000); i += 1 }
            // PCRE2: under 10, starting with 8 or 9, or at most the groups opened so far, is a backreference.
            if v < 10 || first >= UInt8(ascii: "8") || v <= captureCount {
                if v > 65535 { throw error(digitsStart, "subpattern number is too big") }
                pos = i
                return .node(backreference(toNumber: v, at: start), repeatable: true)
            }
        }
        if first >= UInt8(ascii: "8") {
            // Inside a class `\8` and `\9` are the literal digits.
            return .byte(first)
        }
        pos = digitsStart
        var v = 0
        var n = 0
        while n < 3, let d = peek(), d >= 0x30, d <= 0x37 { v = v * 8 + Int(d - 0x30); pos += 1; n += 1 }
        if v > 0xFF { throw error(pos, "octal value is greater than \\377 in 8-bit non-UTF-8 mode") }
        return .byte(UInt8(v))
    }

    /// `\g`: `\gN \g{N} \g-N \g{-N} \g{name}` are backreferences; `\g<..>` and `\g'..'` are subroutine calls.
    mutating func parseGEscape(start: Int) throws(RegexSyntaxError) -> Escape {
        if let open = peek(), open == UInt8(ascii: "<") || open == UInt8(ascii: "'") {
            let close = Self.closingDelimiter(open)!
            pos += 1
            try parseRecursionTarget(terminator: close, start: start)
            record(.recursion, at: start)
            return .node(opaqueNode(.recursion, from: start), repeatable: true)
        }
        let braced = peek() == UInt8(ascii: "{")
        if braced { pos += 1 }
        var sign = 0
        if peek() == UInt8(ascii: "-") { sign = -1; pos += 1 } else if peek() == UInt8(ascii: "+") { sign = 1; pos += 1 }
        if let d = peek(), Self.isDigit(d) {
            let numStart = pos
            var v = 0
            while let d = peek(), Self.isDigit(d) { v = min(v * 10 + Int(d - 0x30), 1_000_000); pos += 1 }
            if braced {
                guard peek() == UInt8(ascii: "}") else { throw error(pos, "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number") }
                pos += 1
            }
            if sign == 1 { throw error(numStart, "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number") }
            if v > 65535 { throw error(numStart, "subpattern number is too big") }
            if sign == -1 {
                if v == 0 { throw error(numStart, "a relative value of zero is not allowed") }
                let target = captureCount - v + 1
                if target <= 0 { throw error(numStart, "reference to non-existent subpattern") }
                return .node(backreference(toNumber: target, at: start), repeatable: true)
            }
            if v == 0 { throw error(numStart, "a numbered reference must not be zero") }
            return .node(backreference(toNumber: v, at: start), repeatable: true)
        }
        if braced, sign == 0 {
            let name = try parseName(terminator: UInt8(ascii: "}"))
            return .node(backreference(toName: name, at: start), repeatable: true)
        }
        throw error(pos, "\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number")
    }

    /// `\p{..}`, `\P{..}`, `\pL`: checks the shape and that the name is one PCRE2 knows.
    mutating func skipPropertyName(start: Int) throws(RegexSyntaxError) {
        guard let c = peek() else { throw error(pos, "malformed \\P or \\p sequence") }
        var name: [UInt8] = []
        if c == UInt8(ascii: "{") {
            pos += 1
            while let d = peek(), d != UInt8(ascii: "}") { name.append(d); pos += 1 }
            guard !atEnd else { throw error(pos, "malformed \\P or \\p sequence") }
            pos += 1
        } else {
            name = [c]
            pos += 1
        }
        if name.first == UInt8(ascii: "^") { name.removeFirst() }
        // PCRE2 ignores case, spaces, hyphens and underscores in property names.
        let key = name.filter { $0 != 0x20 && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") }
            .map { Self.isLetter($0) ? $0 | 0x20 : $0 }
        if key.isEmpty || !UnicodePropertyNames.isKnown(key) {
            throw error(pos - 1, "unknown property after \\P or \\p")
        }
    }

    /// A group name up to `terminator` (consumed): `[A-Za-z_][A-Za-z0-9_]*`, at most 32 bytes.
    mutating func parseName(terminator: UInt8) throws(RegexSyntaxError) -> [UInt8] {
        let s = pos
        if let d = peek(), Self.isDigit(d) { throw error(pos, "subpattern name must start with a non-digit") }
        while let d = peek(), Self.isWordByte(d) { pos += 1 }
        let name = Array(src[s..<pos])
        if name.isEmpty {
            if peek() == terminator { throw error(pos, "subpattern name expected") }
            throw error(pos, "syntax error in subpattern name (missing terminator?)")
        }
        if name.count > 32 { throw error(s, "subpattern name is too long (maximum 32 code units)") }
        guard peek() == terminator else { throw error(pos, "syntax error in subpattern name (missing terminator?)") }
        pos += 1
        return name
    }

    mutating func backreference(toNumber n: Int, at start: Int) -> RegexNode {
        record(.backreference, at: start)
        references.append(PendingReference(target: .number(n), column: start + 1))
        return .backreference(n, caseless: flags.caseless)
    }

    mutating func backreference(toName name: [UInt8], at start: Int) -> RegexNode {
        record(.backreference, at: start)
        references.append(PendingReference(target: .name(name), column: start + 1))
        // In pass 1 names are unknown; the number is fixed in pass 2, which also validates it.
        let n = knownNames?[name] ?? names[name] ?? 0
        return .backreference(n, caseless: flags.caseless)
    }

    /// The target of a subroutine call up to `terminator`: a name, a number or a signed relative number.
    mutating func parseRecursionTarget(terminator: UInt8, start: Int) throws(RegexSyntaxError) {
        var sign = 0
        if peek() == UInt8(ascii: "-") { sign = -1; pos += 1 } else if peek() == UInt8(ascii: "+") { sign = 1; pos += 1 }
        if let d = peek(), Self.isDigit(d) {
            let numStart = pos
            var v = 0
            while let d = peek(), Self.isDigit(d) { v = min(v * 10 + Int(d - 0x30), 1_000_000); pos += 1 }
            guard peek() == terminator else { throw error(pos, "syntax error in subpattern name (missing terminator?)") }
            pos += 1
            if v > 65535 { throw error(numStart, "subpattern number is too big") }
            switch sign {
            case -1:
                if v == 0 { throw error(numStart, "a relative value of zero is not allowed") }
                let target = captureCount - v + 1
                if target <= 0 { throw error(numStart, "reference to non-existent subpattern") }
                references.append(PendingReference(target: .number(target), column: start + 1))
            case 1:
                if v == 0 { throw error(numStart, "a relative value of zero is not allowed") }
                references.append(PendingReference(target: .number(captureCount + v), column: start + 1))
            default:
                // `\g<0>` recurses into the whole pattern.
                if v != 0 { references.append(PendingReference(target: .number(v), column: start + 1)) }
            }
            return
        }
        if sign != 0 { throw error(pos, "digit expected after (?+ or (?-") }
        let name = try parseName(terminator: terminator)
        references.append(PendingReference(target: .name(name), column: start + 1))
    }

    /// The bytes from `start` to `pos` as an opaque node, made self-contained for printing with no flags.
    func opaqueNode(_ c: PCREOnlyConstruct, from start: Int) -> RegexNode {
        let text = Array(src[start..<pos])
        let letters = flags.optionLetters
        if letters.isEmpty { return .opaque(c, source: text) }
        return .opaque(c, source: Array("(?".utf8) + letters + [UInt8(ascii: ":")] + text + [UInt8(ascii: ")")])
    }

    /// Checks every reference against the groups of the whole pattern.
    func validateReferences() throws(RegexSyntaxError) {
        for r in references {
            switch r.target {
            case .number(let n):
                if n > captureCount || n <= 0 { throw RegexSyntaxError(column: r.column, reason: "reference to non-existent subpattern") }
            case .name(let name):
                if names[name] == nil { throw RegexSyntaxError(column: r.column, reason: "reference to non-existent subpattern") }
            }
        }
    }
}

/// The Unicode property names PCRE2 10.42 accepts after `\p` (general categories, scripts are too many to
/// list: any alphabetic name of a script is accepted by pattern, the rest by table).
enum UnicodePropertyNames {
    static let categories: Set<[UInt8]> = Set([
        "any", "l&", "lc", "xan", "xps", "xsp", "xwd", "xuc",
        "c", "cc", "cf", "cn", "co", "cs", "l", "ll", "lm", "lo", "lt", "lu",
        "m", "mc", "me", "mn", "n", "nd", "nl", "no", "p", "pc", "pd", "pe", "pf", "pi", "po", "ps",
        "s", "sc", "sk", "sm", "so", "z", "zl", "zp", "zs",
    ].map { Array($0.utf8) })

    /// General categories, the PCRE2 specials, and (loosely) script, binary-property and bidi-class
    /// names: PCRE2 is the final judge of those, since rules with `\p` are PCRE-only anyway.
    static func isKnown(_ key: [UInt8]) -> Bool {
        if categories.contains(key) { return true }
        // Script names and binary properties are alphabetic (scx:/sc:/bidiclass: prefixes allowed).
        var body = key[...]
        for prefix in ["sc:", "scx:", "script:", "scriptextensions:", "bc:", "bidiclass:"] {
            let p = Array(prefix.utf8)
            if body.starts(with: p) { body = body.dropFirst(p.count); break }
        }
        return body.count >= 2 && body.allSatisfy { RegexParserState.isLetter($0) || RegexParserState.isDigit($0) }
    }
}
