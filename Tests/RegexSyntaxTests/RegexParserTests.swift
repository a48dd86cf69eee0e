import Testing
@testable import RegexSyntax

@Suite struct RegexParserTests {
    @Test func literalsAndEscapes() throws {
        #expect(try parse("abc").root == lit("abc"))
        #expect(try parse("").root == .empty)
        let escapes: [(String, UInt8)] = [
            ("\\t", 0x09), ("\\n", 0x0A), ("\\r", 0x0D), ("\\f", 0x0C), ("\\e", 0x1B), ("\\a", 0x07),
            ("\\0", 0x00), ("\\012", 0x0A), ("\\o{101}", 0x41), ("\\x41", 0x41), ("\\x{4a}", 0x4A), ("\\x", 0x00),
            ("\\cA", 0x01), ("\\c?", 0x7F), ("\\ca", 0x01), ("\\.", 0x2E), ("\\\\", 0x5C), ("\\*", 0x2A),
            ("\\10", 0x08), ("\\377", 0xFF), ("\\xff", 0xFF),
        ]
        for (src, b) in escapes {
            #expect(try parse(src).root == .byte(b, caseless: false), "\(src)")
        }
        #expect(try parse("\\Qa.*\\E+").root == .concat([lit("a"), lit("."), .repetition(lit("*"), min: 1, max: nil, kind: .greedy)]))
        #expect(try parse("\\Qa|b").root == lit("a|b"))
        #expect(try parse("a\\E").root == lit("a"))
        #expect(try parse("\\N").root == .set(.anyButNewline))
        #expect(try parse("\\N{2}").root == .repetition(.set(.anyButNewline), min: 2, max: 2, kind: .greedy))
    }

    @Test func classesAndTypes() throws {
        #expect(try parse("[a-c]").root == .set(ByteSet(range: 0x61, 0x63)))
        #expect(try parse("[^a]").root == .set(ByteSet([0x61]).inverted))
        #expect(try parse("[]a]").root == .set(ByteSet(bytes("]a"))))
        #expect(try parse("[^]a]").root == .set(ByteSet(bytes("]a")).inverted))
        #expect(try parse("[a-]").root == .set(ByteSet(bytes("a-"))))
        #expect(try parse("[-a]").root == .set(ByteSet(bytes("a-"))))
        #expect(try parse("[a-b-c]").root == .set(ByteSet(bytes("ab-c"))))
        #expect(try parse("[\\d-]").root == .set(ByteSet.digits.union(ByteSet(bytes("-")))))
        #expect(try parse("[\\b]").root == .set(ByteSet([0x08])))
        #expect(try parse("[\\x41-\\x43]").root == .set(ByteSet(bytes("ABC"))))
        #expect(try parse("[[:digit:]x]").root == .set(ByteSet.digits.union(ByteSet(bytes("x")))))
        #expect(try parse("[[:^alpha:]]").root == .set(ByteSet(range: 0x41, 0x5A).union(ByteSet(range: 0x61, 0x7A)).inverted))
        #expect(try parse("[\\Qa]\\E]").root == .set(ByteSet(bytes("a]"))))
        #expect(try parse("[\\8]").root == .set(ByteSet(bytes("8"))))
        #expect(try parse("(?xx)[a b]").root == .set(ByteSet(bytes("ab"))))
        #expect(try parse("(?x)[a b]").root == .set(ByteSet(bytes("a b"))))
        #expect(try parse("\\d").root == .set(.digits))
        #expect(try parse("\\W").root == .set(ByteSet.wordBytes.inverted))
        #expect(try parse("\\s").root == .set(ByteSet([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20])))
        #expect(try parse("\\h").root == .set(ByteSet([0x09, 0x20, 0xA0])))
        #expect(try parse("\\v").root == .set(ByteSet([0x0A, 0x0B, 0x0C, 0x0D, 0x85])))
        #expect(try parse("\\H").root == .set(ByteSet([0x09, 0x20, 0xA0]).inverted))
        #expect(try parse(".").root == .set(.anyButNewline))
        #expect(try parse("(?s).").root == .set(.all))
        #expect(try parse(".", RegexOptions(dotAll: true)).root == .set(.all))
    }

    @Test func caseFolding() throws {
        #expect(try parse("(?i)a1").root == .concat([.byte(0x61, caseless: true), .byte(0x31, caseless: false)]))
        #expect(try parse("a", RegexOptions(caseInsensitive: true)).root == .byte(0x61, caseless: true))
        #expect(try parse("(?i)[a-c]").root == .set(ByteSet(bytes("abcABC"))))
        #expect(try parse("(?i)[^a]").root == .set(ByteSet(bytes("aA")).inverted))
        #expect(try parse("(?i)\\xe9").root == .byte(0xE9, caseless: false))
        #expect(try parse("(?i)[[:upper:]]").root == .set(ByteSet(range: 0x41, 0x5A).union(ByteSet(range: 0x61, 0x7A))))
        #expect(try parse("(a)(?i)\\1").root == .concat([.group(lit("a"), capture: 1), .backreference(1, caseless: true)]))
    }

    @Test func flagScoping() throws {
        // `(?i)` lasts to the end of the enclosing group, including later alternatives.
        #expect(try parse("(a(?i)b|c)d").root == .concat([
            .group(.alternation([.concat([lit("a"), lit("b", caseless: true)]), lit("c", caseless: true)]), capture: 1),
            lit("d"),
        ]))
        #expect(try parse("(?i:a)b").root == .concat([.group(lit("a", caseless: true), capture: nil), lit("b")]))
        #expect(try parse("(?i)a(?-i)b").root == .concat([lit("a", caseless: true), lit("b")]))
        #expect(try parse("(?is-m)^.").root == .concat([.assertion(.startOfSubject), .set(.all)]))
        #expect(try parse("(?m)^$").root == .concat([.assertion(.startOfLine), .assertion(.endOfLine)]))
        #expect(try parse("^$\\A\\z\\Z\\b\\B").root == .concat([
            .assertion(.startOfSubject), .assertion(.endOfSubjectOrFinalNewline), .assertion(.startOfSubject),
            .assertion(.endOfSubject), .assertion(.endOfSubjectOrFinalNewline), .assertion(.wordBoundary),
            .assertion(.notWordBoundary),
        ]))
        #expect(try parse("^", RegexOptions(multiline: true)).root == .assertion(.startOfLine))
        #expect(try parse("(?x) a b # comment\n c").root == lit("abc"))
        #expect(try parse("(?x)a\\ b").root == lit("a b"))
        #expect(try parse("(?x)\\Q a \\E").root == lit(" a "))
        #expect(try parse("a b", RegexOptions(extended: true)).root == lit("ab"))
        #expect(try parse("(?x:a b) c").root == .concat([.group(lit("ab"), capture: nil), lit(" "), lit("c")]))
        #expect(try parse("(?^i)a").root == lit("a", caseless: true))
        #expect(try parse("(?U)a*a*?").root == .concat([
            .repetition(lit("a"), min: 0, max: nil, kind: .lazy), .repetition(lit("a"), min: 0, max: nil, kind: .greedy),
        ]))
        #expect(try parse("(?n)(a)(?<x>b)").root == .concat([.group(lit("a"), capture: nil), .group(lit("b"), capture: 1)]))
    }

    @Test func groupsAndQuantifiers() throws {
        let p = try parse("(a)(?:b)(?<n>c)(?'m'd)(?P<o>e)")
        #expect(p.captureCount == 4)
        #expect(p.root == .concat([
            .group(lit("a"), capture: 1), .group(lit("b"), capture: nil), .group(lit("c"), capture: 2),
            .group(lit("d"), capture: 3), .group(lit("e"), capture: 4),
        ]))
        #expect(p.isPortable)
        let quants: [(String, Int, Int?, RepetitionKind)] = [
            ("a*", 0, nil, .greedy), ("a+", 1, nil, .greedy), ("a?", 0, 1, .greedy), ("a{3}", 3, 3, .greedy),
            ("a{2,}", 2, nil, .greedy), ("a{2,5}", 2, 5, .greedy), ("a*?", 0, nil, .lazy), ("a{2,5}?", 2, 5, .lazy),
            ("a*+", 0, nil, .possessive), ("a+(?#c)?", 1, nil, .lazy), ("a*\\E+", 0, nil, .possessive), ("a{0,65535}", 0, 65535, .greedy), ("a(?#c)*", 0, nil, .greedy),
        ]
        for (src, lo, hi, kind) in quants {
            #expect(try parse(src).root == .repetition(lit("a"), min: lo, max: hi, kind: kind), "\(src)")
        }
        // A `{` that does not start a quantifier is literal (PCRE2 10.42: `{,m}` too).
        #expect(try parse("a{,3}").root == lit("a{,3}"))
        #expect(try parse("a{x").root == lit("a{x"))
        #expect(try parse("{").root == lit("{"))
        #expect(try parse("a|b|").root == .alternation([lit("a"), lit("b"), .empty]))
        #expect(try parse("(?|(a)|(b))").captureCount == 1)
    }

    @Test func pcreOnlyConstructs() throws {
        let cases: [(String, PCREOnlyConstruct, Int)] = [
            ("(a)\\1", .backreference, 4), ("x(?=a)", .lookahead, 2), ("(?!a)", .lookahead, 1),
            ("(?<=ab)", .lookbehind, 1), ("(?<!a|bc)", .lookbehind, 1), ("(?>a)", .atomicGroup, 1),
            ("a++", .possessiveQuantifier, 2), ("(?R)", .recursion, 1), ("(a)(?1)", .recursion, 4),
            ("(?<n>a)(?&n)", .recursion, 8), ("(?P<n>a)(?P>n)", .recursion, 9), ("(a)\\g<1>", .recursion, 4),
            ("(a)(?(1)b|c)", .conditional, 4), ("\\R", .newlineSequence, 1), ("\\X", .graphemeCluster, 1),
            ("\\p{L}", .unicodeProperty, 1), ("[\\pLa]", .unicodeProperty, 1), ("\\C", .singleCodeUnit, 1),
            ("a\\K", .matchReset, 2), ("(*FAIL)", .backtrackingVerb, 1), ("a(*SKIP)b", .backtrackingVerb, 2),
            ("(?C1)", .callout, 1), ("\\G", .startOfMatchAnchor, 1), ("(*pla:a)", .lookahead, 1),
            ("(?<n>a)\\k<n>", .backreference, 8), ("(?<n>a)\\k'n'", .backreference, 8), ("(?<n>a)\\k{n}", .backreference, 8),
            ("(?<n>a)(?P=n)", .backreference, 8), ("(a)\\g1", .backreference, 4), ("(a)\\g{-1}", .backreference, 4),
        ]
        for (src, construct, column) in cases {
            let p = try parse(src)
            #expect(p.pcreOnly.contains(PCREOnlyUse(construct: construct, column: column)), "\(src): \(p.pcreOnly)")
            #expect(!p.isPortable)
        }
        #expect(try parse("(?<n>a)\\k<n>").root == .concat([.group(lit("a"), capture: 1), .backreference(1, caseless: false)]))
        #expect(try parse("\\2(a)(b)").root == .concat([.backreference(2, caseless: false), .group(lit("a"), capture: 1), .group(lit("b"), capture: 2)]))
        #expect(try parse("(?=a)").root == .look(lit("a"), behind: false, negated: false))
        #expect(try parse("(?<!a)").root == .look(lit("a"), behind: true, negated: true))
        #expect(try parse("(?>a)").root == .atomic(lit("a")))
        #expect(try parse("\\C").root == .set(.all))
        let crlf = RegexNode.concat([lit("\r"), lit("\n")])
        #expect(try parse("\\R").root == .atomic(.alternation([crlf, .set(ByteSet([0x0A, 0x0B, 0x0C, 0x0D, 0x85]))])))
        #expect(try parse("\\X").root == .atomic(.alternation([crlf, .set(.all)])))
        #expect(try parse("\\p{Lu}").root == .opaque(.unicodeProperty, source: bytes("\\p{Lu}")))
        // Opaque text is made self-contained: the flags in force travel with it.
        #expect(try parse("(?i)\\p{Lu}").root == .opaque(.unicodeProperty, source: bytes("(?i:\\p{Lu})")))
        // `\10` is a backreference only when ten groups precede it; otherwise octal.
        #expect(try parse("\\10").root == .byte(0x08, caseless: false))
        let ten = String(repeating: "(a)", count: 10)
        #expect(try parse(ten + "\\10").root == .concat(Array(try parse(ten).root.concatItems) + [.backreference(10, caseless: false)]))
    }

    @Test(arguments: [
        ("(", 2, "missing closing parenthesis"), ("(?:a", 5, "missing closing parenthesis"),
        ("a)", 2, "unmatched closing parenthesis"), ("[a", 3, "missing terminating ] for character class"),
        ("[]", 3, "missing terminating ] for character class"), ("*a", 1, "quantifier does not follow a repeatable item"),
        ("a**", 3, "quantifier does not follow a repeatable item"), ("a{2}{3}", 5, "quantifier does not follow a repeatable item"),
        ("^*", 2, "quantifier does not follow a repeatable item"), ("(?i)*", 5, "quantifier does not follow a repeatable item"),
        ("a|*", 3, "quantifier does not follow a repeatable item"), ("[z-a]", 4, "range out of order in character class"),
        ("[\\d-z]", 4, "invalid range in character class"), ("[a-\\d]", 4, "invalid range in character class"),
        ("\\", 2, "\\ at end of pattern"), ("\\i", 2, "unrecognized character follows \\"),
        ("\\y", 2, "unrecognized character follows \\"), ("\\L", 2, "PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u"),
        ("a{3,2}", 5, "numbers out of order in {} quantifier"), ("a{65536}", 3, "number too big in {} quantifier"),
        ("\\x{100}", 1, "character code point value in \\x{} or \\o{} is too large"),
        ("\\o{400}", 1, "character code point value in \\x{} or \\o{} is too large"),
        ("\\400", 5, "octal value is greater than \\377 in 8-bit non-UTF-8 mode"),
        ("\\x{zz}", 4, "non-hex character in \\x{} (closing brace missing?)"),
        ("\\c", 3, "\\c at end of pattern"), ("(a)\\2", 4, "reference to non-existent subpattern"),
        ("\\8", 1, "reference to non-existent subpattern"), ("\\k<a>", 1, "reference to non-existent subpattern"),
        ("(?&x)", 1, "reference to non-existent subpattern"), ("\\k", 3, "\\k is not followed by a braced, angle-bracketed, or quoted name"),
        ("(?<=a+)", 1, "lookbehind assertion is not fixed length"), ("(?<=a(b|cd))", 1, "lookbehind assertion is not fixed length"),
        ("(?<=\\R)", 1, "lookbehind assertion is not fixed length"), ("[:alpha:]", 1, "POSIX named classes are supported only within a class"),
        ("[[:foo:]]", 4, "unknown POSIX class name"), ("[[.a.]]", 2, "POSIX collating elements are not supported"),
        ("(?<n>a)(?<n>b)", 11, "two named subpatterns have the same name (PCRE2_DUPNAMES not set)"),
        ("(?<1a>x)", 4, "subpattern name must start with a non-digit"), ("(?<>x)", 4, "subpattern name expected"),
        ("(?z)", 3, "unrecognized character after (? or (?-"), ("(?--i)", 4, "invalid hyphen in option setting"),
        ("(*BOGUS)", 3, "(*VERB) not recognized or malformed"), ("(*MARK)", 7, "(*MARK) must have an argument"),
        ("(?(1)a|b|c)(x)", 9, "conditional subpattern contains more than two branches"),
        ("(?#abc", 1, "missing ) after (?# comment"), ("\\p{", 4, "malformed \\P or \\p sequence"),
        ("[\\R]", 3, "escape sequence is invalid in character class"), ("[\\N]", 3, "\\N is not supported in a class"),
        ("(?C256)", 4, "number after (?C is greater than 255"), ("\\g{0}", 4, "a numbered reference must not be zero"),
        ("(?<=a\\K)", 8, "\\K is not allowed in lookarounds"), ("\\N{U+41}", 4, "\\N{U+dddd} is supported only in Unicode (UTF) mode"),
    ])
    func errors(_ src: String, _ column: Int, _ reason: String) {
        let e = parseError(src)
        #expect(e == RegexSyntaxError(column: column, reason: reason), "\(src)")
    }

    @Test func startOfPatternOptionsAreRejected() {
        let e = parseError("(*UTF)a")
        #expect(e?.column == 1)
        #expect(e?.reason.contains("(*UTF)") == true)
    }

    @Test func lookbehindFixedLength() throws {
        #expect(try parse("(?<=a|bc)x").pcreOnly.count == 1)
        #expect(try parse("(?<=a{2}(?:b|c))").pcreOnly.count == 1)
        #expect(try parse("(?<=(a)\\1)").pcreOnly.map(\.construct) == [.lookbehind, .backreference])
        #expect(try parse("(?<=\\bab$)").isPortable == false)
        #expect(throws: RegexSyntaxError.self) { try parse("(?<=a?)") }
    }

    @Test func nestingIsLimited() {
        let ok = String(repeating: "(", count: 250) + "a" + String(repeating: ")", count: 250)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "(", count: 251) + "a" + String(repeating: ")", count: 251)
        #expect(parseError(deep) == RegexSyntaxError(column: 251, reason: "parentheses are too deeply nested"))
        let huge = String(repeating: "(?:", count: 100_000)
        #expect(parseError(huge)?.reason == "parentheses are too deeply nested")
    }
}

extension RegexNode {
    var concatItems: [RegexNode] {
        if case .concat(let items) = self { return items }
        return [self]
    }
}
