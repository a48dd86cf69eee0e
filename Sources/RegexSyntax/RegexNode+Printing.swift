/// The syntax a printed pattern is written for.
public enum RegexDialect: String, Hashable, Sendable, CaseIterable {
    /// PCRE2 10.42, 8-bit, compiled with no options.
    case pcre2
    /// Hyperscan 5.4, compiled with no flags. Constructs Hyperscan never accepts (backreferences,
    /// lookaround, opaque nodes) print as for PCRE2 and are rejected by Hyperscan's compiler.
    case hyperscan
}

extension RegexPattern {
    /// The pattern as text that means exactly `root` when compiled with no flags.
    public func printed(for dialect: RegexDialect) -> [UInt8] { root.printed(for: dialect) }
}

extension RegexNode {
    /// This node as a pattern to compile with **no flags**: case folding, dot-all and multiline anchors are
    /// all explicit (`(?i:..)`, byte-set brackets, `\A`, `(?m:^)`, `\z` ...), so the text means exactly the
    /// resolved AST wherever it is placed.
    public func printed(for dialect: RegexDialect) -> [UInt8] {
        var out: [UInt8] = []
        RegexPrinter(dialect: dialect).print(self, into: &out)
        return out
    }
}

/// Writes nodes as text; `(?:...)` is added only where precedence needs it.
struct RegexPrinter {
    let dialect: RegexDialect

    static func hex(_ b: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(b >> 4)], digits[Int(b & 15)]]
    }

    static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }

    /// One byte outside a class: alphanumerics and harmless punctuation as is, metacharacters escaped,
    /// everything else (controls, space, high bytes) as `\xHH` so the text survives any transport.
    static func appendLiteral(_ b: UInt8, into out: inout [UInt8]) {
        if isAlnum(b) || Array("_-,:;@/'\"<>=!%&~`".utf8).contains(b) {
            out.append(b)
        } else if Array("\\^$.|?*+()[]{}#".utf8).contains(b) {
            out.append(UInt8(ascii: "\\"))
            out.append(b)
        } else {
            out += hex(b)
        }
    }

    func print(_ node: RegexNode, into out: inout [UInt8]) {
        switch node {
        case .empty:
            break
        case .byte(let b, let caseless):
            if caseless {
                out += Array("(?i:".utf8)
                Self.appendLiteral(b, into: &out)
                out.append(UInt8(ascii: ")"))
            } else {
                Self.appendLiteral(b, into: &out)
            }
        case .set(let s):
            Self.appendSet(s, into: &out)
        case .assertion(let a):
            switch a {
            case .startOfSubject: out += Array("\\A".utf8)
            case .startOfLine: out += Array("(?m:^)".utf8)
            case .endOfSubjectOrFinalNewline: out += Array("\\Z".utf8)
            case .endOfLine: out += Array("(?m:$)".utf8)
            case .endOfSubject: out += Array("\\z".utf8)
            case .wordBoundary: out += Array("\\b".utf8)
            case .notWordBoundary: out += Array("\\B".utf8)
            }
        case .concat(let items):
            printConcat(items, into: &out)
        case .alternation(let branches):
            for (i, b) in branches.enumerated() {
                if i > 0 { out.append(UInt8(ascii: "|")) }
                printBranch(b, into: &out)
            }
        case .group(let inner, let capture):
            if capture != nil {
                out.append(UInt8(ascii: "("))
            } else if dialect == .pcre2, case .alternation(let bs) = inner, Self.needsBranchReset(bs) {
                out += Array("(?|".utf8)
            } else {
                out += Array("(?:".utf8)
            }
            print(inner, into: &out)
            out.append(UInt8(ascii: ")"))
        case .repetition(let inner, let lo, let hi, let kind):
            printQuantified(inner, into: &out)
            switch (lo, hi) {
            case (0, nil): out.append(UInt8(ascii: "*"))
            case (1, nil): out.append(UInt8(ascii: "+"))
            case (0, 1?): out.append(UInt8(ascii: "?"))
            case (_, nil): out += Array("{\(lo),}".utf8)
            case (_, let h?) where h == lo: out += Array("{\(lo)}".utf8)
            case (_, let h?): out += Array("{\(lo),\(h)}".utf8)
            }
            switch kind {
            case .greedy: break
            case .lazy: out.append(UInt8(ascii: "?"))
            case .possessive: out.append(UInt8(ascii: "+"))
            }
        case .look(let inner, let behind, let negated):
            out += Array("(?".utf8)
            if behind { out.append(UInt8(ascii: "<")) }
            out.append(negated ? UInt8(ascii: "!") : UInt8(ascii: "="))
            print(inner, into: &out)
            out.append(UInt8(ascii: ")"))
        case .atomic(let inner):
            out += Array("(?>".utf8)
            print(inner, into: &out)
            out.append(UInt8(ascii: ")"))
        case .backreference(let n, let caseless):
            // Braces keep a following digit from joining the number.
            if caseless { out += Array("(?i:\\g{\(n)})".utf8) } else { out += Array("\\g{\(n)}".utf8) }
        case .opaque(_, let source):
            // Wrapped so a trailing quantifier or `|` in the source cannot bind to its neighbours.
            out += Array("(?:".utf8)
            out += source
            out.append(UInt8(ascii: ")"))
        }
    }

    /// Runs of case-insensitive literal bytes print as one `(?i:...)`.
    func printConcat(_ items: [RegexNode], into out: inout [UInt8]) {
        var i = 0
        while i < items.count {
            if case .byte(_, true) = items[i] {
                var j = i
                while j < items.count, case .byte(let b, let c) = items[j], c || !RegexParserState.isLetter(b) { j += 1 }
                out += Array("(?i:".utf8)
                for k in i..<j { if case .byte(let b, _) = items[k] { Self.appendLiteral(b, into: &out) } }
                out.append(UInt8(ascii: ")"))
                i = j
                continue
            }
            if case .alternation = items[i] {
                out += Array("(?:".utf8)
                print(items[i], into: &out)
                out.append(UInt8(ascii: ")"))
            } else {
                print(items[i], into: &out)
            }
            i += 1
        }
    }

    /// A branch of an alternation: a nested alternation needs no group, since `|` is associative.
    func printBranch(_ node: RegexNode, into out: inout [UInt8]) {
        print(node, into: &out)
    }

    /// The operand of a quantifier must be one atom.
    func printQuantified(_ node: RegexNode, into out: inout [UInt8]) {
        switch node {
        case .byte, .set, .group, .atomic, .look, .backreference, .opaque:
            // Each of these prints as one atom (a caseless byte as `(?i:a)`, opaque source in `(?:...)`).
            if case .set(let s) = node, s.isEmpty {
                out += Array("(?:[^\\x00-\\xff])".utf8)
            } else {
                print(node, into: &out)
            }
        default:
            out += Array("(?:".utf8)
            print(node, into: &out)
            out.append(UInt8(ascii: ")"))
        }
    }

    /// Whether alternatives reuse capture numbers, which only `(?|...)` expresses.
    static func needsBranchReset(_ branches: [RegexNode]) -> Bool {
        var seen = Set<Int>()
        for b in branches {
            var mine = Set<Int>()
            b.forEachNode { if case .group(_, let n?) = $0 { mine.insert(n) } }
            if !seen.isDisjoint(with: mine) { return true }
            seen.formUnion(mine)
        }
        return false
    }

    /// A byte set as a bracket expression (or a single literal), choosing the shorter of the set and its
    /// complement.
    static func appendSet(_ s: ByteSet, into out: inout [UInt8]) {
        if s.count == 1, let b = s.members.first {
            appendLiteral(b, into: &out)
            return
        }
        if s.isEmpty {
            out += Array("[^\\x00-\\xff]".utf8)
            return
        }
        let positive = ranges(of: s)
        let negative = ranges(of: s.inverted)
        let negate = negative.count < positive.count && !negative.isEmpty
        out.append(UInt8(ascii: "["))
        if negate { out.append(UInt8(ascii: "^")) }
        for r in negate ? negative : positive {
            appendClassByte(r.lowerBound, into: &out)
            if r.upperBound > r.lowerBound {
                if r.upperBound > r.lowerBound + 1 { out.append(UInt8(ascii: "-")) }
                appendClassByte(r.upperBound, into: &out)
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    static func appendClassByte(_ b: UInt8, into out: inout [UInt8]) {
        if isAlnum(b) { out.append(b) } else { out += hex(b) }
    }

    static func ranges(of s: ByteSet) -> [ClosedRange<UInt8>] {
        var out: [ClosedRange<UInt8>] = []
        var start: Int?
        for v in 0...256 {
            let inSet = v < 256 && s.contains(UInt8(v))
            if inSet, start == nil { start = v }
            if !inSet, let st = start {
                out.append(UInt8(st)...UInt8(v - 1))
                start = nil
            }
        }
        return out
    }
}
