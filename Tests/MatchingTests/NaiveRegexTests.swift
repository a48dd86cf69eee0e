import BounceMatch
import Testing

/// Hand-computed PCRE2 expectations for the naive engine, one construct at a time.
@Suite struct NaiveRegexTests {
    func search(
        _ pattern: String, _ subject: [UInt8], i: Bool = false, s: Bool = false, m: Bool = false,
        budget: Int = 1_000_000
    ) -> NaiveSearchOutcome {
        let options = RegexOptions(caseInsensitive: i, dotAll: s, multiline: m)
        let parsed: RegexPattern
        do {
            parsed = try RegexParser.parse(Array(pattern.utf8), options: options)
        } catch {
            Issue.record("\(pattern) does not parse: \(error)")
            return .budgetExhausted
        }
        let re = NaiveRegex(parsed)
        #expect(re.isSupported, "\(pattern): \(re.unsupportedReason ?? "")")
        return re.firstMatchSpan(in: subject, budget: budget)
    }

    func search(_ pattern: String, _ subject: String, i: Bool = false, s: Bool = false, m: Bool = false) -> NaiveSearchOutcome {
        search(pattern, naiveBytes(subject), i: i, s: s, m: m)
    }

    @Test func literals() {
        #expect(search("abc", "xxabcxx") == .match(2..<5))
        #expect(search("abc", "xxabxabc") == .match(5..<8))
        #expect(search("abc", "ab") == .noMatch)
        #expect(search("ABC", "xaBc", i: true) == .match(1..<4))
        #expect(search("ABC", "xaBc") == .noMatch)
        #expect(search("", "abc") == .match(0..<0))
        #expect(search("a.c", "a\nc abc") == .match(4..<7))
        #expect(search("a.c", "a\nc", s: true) == .match(0..<3))
    }

    @Test func asciiOnlyCaseFolding() {
        // UTF-8 Ä (C3 84) and ä (C3 A4) differ only in bit 0x20 of a non-ASCII byte: never equal.
        #expect(search("\u{E4}", [0xC3, 0x84], i: true) == .noMatch)
        #expect(search("x\u{E4}", [0x58, 0xC3, 0x84], i: true) == .noMatch)
        #expect(search("x\u{E4}", [0x58, 0xC3, 0xA4], i: true) == .match(0..<3))
        #expect(search("K", "k", i: true) == .match(0..<1))
        #expect(search("k+", "xKkK", i: true) == .match(1..<4))
        #expect(search("[k]", "K", i: true) == .match(0..<1))
        // Latin-1 0xE4 / 0xC4 and '@' / '`' differ by 0x20 but are not letters.
        let latin = RegexNode.concat([.byte(0x40, caseless: true), .byte(0xC4, caseless: true)])
        #expect(NaiveRegex(latin, captureCount: 0).firstMatchSpan(in: [0x60, 0xE4]) == .noMatch)
        let folded = RegexNode.repetition(.byte(0x61, caseless: true), min: 2, max: nil, kind: .greedy)
        #expect(NaiveRegex(folded, captureCount: 0).firstMatchSpan(in: [0x41, 0x61, 0x21]) == .match(0..<2))
    }

    @Test func nulAndHighBytes() {
        #expect(search("\\x00\\xff", [1, 0, 255]) == .match(1..<3))
        #expect(search("a.b", [0x61, 0, 0x62]) == .match(0..<3))
        #expect(search("[^a]+", [0x61, 0xFF, 0x00, 0x61]) == .match(1..<3))
        #expect(search("\\W", [0x61, 0x80]) == .match(1..<2))
    }

    @Test func emptySubject() {
        #expect(search("a*", "") == .match(0..<0))
        #expect(search("a", "") == .noMatch)
        #expect(search("^$", "") == .match(0..<0))
        #expect(search("$", "") == .match(0..<0))
        #expect(search("\\b", "") == .noMatch)
        #expect(search("\\B", "") == .match(0..<0))
        #expect(search("(?=a)", "") == .noMatch)
        #expect(search("(?!a)", "") == .match(0..<0))
    }

    @Test func leftmostStartThenPriorityOrder() {
        #expect(search("a|ab", "ab") == .match(0..<1))
        #expect(search("ab|a", "ab") == .match(0..<2))
        #expect(search("b|ab", "ab") == .match(0..<2))
        #expect(search("a*?b", "aab") == .match(0..<3))
        #expect(search("a*", "baa") == .match(0..<0))
        #expect(search("a+?", "aaa") == .match(0..<1))
        #expect(search("a+", "baaa") == .match(1..<4))
        #expect(search("a??b", "ab") == .match(0..<2))
        #expect(search("a??", "ab") == .match(0..<0))
        #expect(search("(a|ab)(c|bcd)(d*)", "abcd") == .match(0..<4))
        #expect(search("x.*y", "xayby") == .match(0..<5))
        #expect(search("x.*?y", "xayby") == .match(0..<3))
    }

    @Test func countedRepetition() {
        #expect(search("a{2,3}", "aaaa") == .match(0..<3))
        #expect(search("a{2,3}?", "aaaa") == .match(0..<2))
        #expect(search("a{2}", "a") == .noMatch)
        #expect(search("a{2,}", "baaaa") == .match(1..<5))
        #expect(search("(ab){2,}", "abababx") == .match(0..<6))
        #expect(search("(ab){1,2}?x", "ababx") == .match(0..<5))
        #expect(search("(?:ab){0,2}c", "abababc") == .match(2..<7))
        #expect(search("(?:ab){0}c", "abc") == .match(2..<3))
        #expect(search("\\d{3}", "55 550") == .match(3..<6))
        #expect(search("(?:a|b){3}", "ab bab") == .match(3..<6))
        #expect(search("[0-9]{1,1000}x", "12345x") == .match(0..<6))
    }

    @Test func emptyIterationsStopTheLoop() {
        // PCRE2: an iteration that matched nothing ends the loop; the next item is tried.
        #expect(search("(|a)*", "aa") == .match(0..<0))
        #expect(search("(a|)*", "aa") == .match(0..<2))
        #expect(search("(?:|a)+", "aa") == .match(0..<0))
        #expect(search("(?:|a)+b", "aab") == .match(0..<3))
        #expect(search("(a?)*?b", "aab") == .match(0..<3))
        #expect(search("(?:a*)*x", "aaax") == .match(0..<4))
        #expect(search("(?:\\b)*a", "a") == .match(0..<1))
    }

    @Test func anchors() {
        #expect(search("a$", "a\n") == .match(0..<1))
        #expect(search("a$", "a\nb") == .noMatch)
        #expect(search("a$", "ba") == .match(1..<2))
        #expect(search("a\\z", "a\n") == .noMatch)
        #expect(search("a\\Z", "a\n") == .match(0..<1))
        #expect(search("$", "ab\n") == .match(2..<2))
        #expect(search("^b", "a\nb") == .noMatch)
        #expect(search("^b", "a\nb", m: true) == .match(2..<3))
        #expect(search("a$", "a\nb", m: true) == .match(0..<1))
        // Multiline `^` does not match after the newline that ends the subject (PCRE2, Perl).
        #expect(search("^$", "a\n", m: true) == .noMatch)
        #expect(search("^$", "a\n\nb", m: true) == .match(2..<2))
        #expect(search("^abc", "xabc") == .noMatch)
        #expect(search("\\Aabc", "abcabc") == .match(0..<3))
        #expect(search("^(?:a|b)c", "bc") == .match(0..<2))
    }

    @Test func wordBoundaries() {
        #expect(search("\\bfoo\\b", "a foo.") == .match(2..<5))
        #expect(search("\\bfoo\\b", "afoo") == .noMatch)
        #expect(search("\\bfoo\\b", "foo") == .match(0..<3))
        #expect(search("\\b", "a") == .match(0..<0))
        #expect(search("\\b", " a") == .match(1..<1))
        #expect(search("\\B", "ab") == .match(1..<1))
        #expect(search("\\B", "a") == .noMatch)
        #expect(search("a\\b", [0x61, 0xE9]) == .match(0..<1))  // 0xE9 is not \w without UCP
        #expect(search("_\\b", "__ ") == .match(1..<2))
    }

    @Test func backreferences() {
        #expect(search("(a+)\\1", "aaaa") == .match(0..<4))
        #expect(search("(a+)\\1", "aaa") == .match(0..<2))
        #expect(search("(a)?\\1", "b") == .noMatch)  // unset group: the reference fails
        #expect(search("\\1(a)", "aa") == .noMatch)
        #expect(search("(a)\\1", "aA", i: true) == .match(0..<2))
        #expect(search("(a)\\1", "aA") == .noMatch)
        #expect(search("(a|b\\1)+", "aba") == .match(0..<3))
        #expect(search("(?=(a))\\1", "a") == .match(0..<1))
        #expect(search("(?!(a)b)\\1", "ac") == .noMatch)
        #expect(search("(\\w+) \\1", "say bye bye") == .match(4..<11))
        #expect(search("(x*)\\1y", "y") == .match(0..<1))  // set to the empty string: matches empty
        // Case folding of backreferences is ASCII only.
        #expect(search("(\u{E4})\\1", [0xC3, 0xA4, 0xC3, 0x84], i: true) == .noMatch)
    }

    @Test func lookbehind() {
        #expect(search("(?<=5\\.1\\.)1", "550 5.1.1 user unknown") == .match(8..<9))
        #expect(search("(?<!x)a", "xaa") == .match(2..<3))
        #expect(search("(?<=ab|c)d", "abd") == .match(2..<3))
        #expect(search("(?<=ab|c)d", "xcd") == .match(2..<3))
        #expect(search("(?<=ab|c)d", "bd") == .noMatch)
        #expect(search("(?<=a)", "") == .noMatch)
        #expect(search("(?<!a)", "") == .match(0..<0))
        #expect(search("(?<=^a)b", "ab ab") == .match(1..<2))
        #expect(search("(?<=\\d{3} )\\w+", "550 mailbox") == .match(4..<11))
    }

    @Test func lookahead() {
        let p = "^(?!.*KumoMTA internal).*RL000010"
        #expect(search(p, "550 RL000010 blocked") == .match(0..<12))
        #expect(search(p, "550 KumoMTA internal RL000010") == .noMatch)
        #expect(search("a(?=b)", "acab") == .match(2..<3))
        #expect(search("a(?!b)", "abac") == .match(2..<3))
        #expect(search("(?=.*5\\.7\\.1).*spam", "550 5.7.1 spam") == .match(0..<14))
    }

    @Test func atomicAndPossessive() {
        #expect(search("(?>a+)b", "aaab") == .match(0..<4))
        #expect(search("(?>a+)a", "aaa") == .noMatch)
        #expect(search("a++a", "aaa") == .noMatch)
        #expect(search("a*+b", "aab") == .match(0..<3))
        #expect(search("(?>ab|a)c", "abc") == .match(0..<3))
        #expect(search("(?>a|ab)c", "abc") == .noMatch)
        #expect(search("(?:a|ab)c", "abc") == .match(0..<3))
        #expect(search("(?:ab|a)++c", "ababac") == .match(0..<6))
        #expect(search("(?:ab|a)++b", "ab") == .noMatch)
        #expect(search("(?:ab|a)+b", "ab") == .match(0..<2))
        #expect(search("x(?>a*)ab", "xaab xab") == .noMatch)
    }

    @Test func unsupportedConstructsAreUndecided() {
        let root = RegexNode.concat([.byte(0x61, caseless: false), .opaque(.recursion, source: Array("(?R)".utf8))])
        let re = NaiveRegex(root, captureCount: 0)
        #expect(!re.isSupported)
        #expect(re.firstMatchSpan(in: naiveBytes("a")) == .budgetExhausted)
        let behind = RegexNode.look(.repetition(.byte(0x61, caseless: false), min: 1, max: nil, kind: .greedy), behind: true, negated: false)
        #expect(!NaiveRegex(behind, captureCount: 0).isSupported)
        #expect(!NaiveRegex(.backreference(3, caseless: false), captureCount: 1).isSupported)
    }

    @Test func catastrophicPatternsStayBounded() {
        let a30 = [UInt8](repeating: 0x61, count: 30)
        // Without backreferences the memo keeps these linear-ish and decided.
        #expect(search("(a*)*b", a30) == .noMatch)
        #expect(search("(a|a)*b", a30) == .noMatch)
        #expect(search("(a|aa)*b", a30) == .noMatch)
        #expect(search("(a+)+b", a30) == .noMatch)
        #expect(search("(?:a*)*$", a30) == .match(0..<30))
        #expect(search("(.*a){12}x", a30 + a30) == .noMatch)
        // With a backreference there is no memo: the budget must stop it.
        #expect(search("^(a|aa)*\\1b", a30, budget: 100_000) == .budgetExhausted)
        #expect(search("^(a+)+\\1b", a30, budget: 100_000) == .budgetExhausted)
        // `(a|a)` is one byte set whatever refers to it, so this one stays cheap and decided.
        #expect(search("^(a|a)*\\1b", a30, budget: 100_000) == .noMatch)
        let outcome = search("(a*)*\\1b", a30, budget: 100_000)
        #expect(outcome == .budgetExhausted)
    }

    @Test func megabyteSubjects() {
        var big = [UInt8](repeating: 0x61, count: 1 << 20)
        #expect(search("b", big) == .noMatch)
        #expect(search("x\\d+y", big) == .noMatch)
        #expect(search("a*b", big) == .noMatch || search("a*b", big) == .budgetExhausted)
        big.append(0x62)
        #expect(search("b", big) == .match((1 << 20)..<((1 << 20) + 1)))
        #expect(search("^a*b", big) == .match(0..<((1 << 20) + 1)))
        #expect(search("(?:ab|a)*b", big) == .budgetExhausted || search("(?:ab|a)*b", big) == .match(0..<((1 << 20) + 1)))
        // A general loop pushes one frame per iteration: the explicit stack grows, the call stack does not.
        #expect(search("(?:a|ab)*b", big, budget: 50_000_000) == .match(0..<((1 << 20) + 1)))
    }

    @Test func scratchIsReusedAcrossSubjectsAndRegexes() throws {
        let scratch = NaiveRegexScratch()
        let r1 = NaiveRegex(try RegexParser.parse(Array("(a|b)*c".utf8), options: RegexOptions()))
        let r2 = NaiveRegex(try RegexParser.parse(Array("(\\w+)@\\1".utf8), options: RegexOptions()))
        let subjects = ["ababc", "xyz", "foo@foo", String(repeating: "ab", count: 500) + "c", ""]
        for s in subjects + subjects.reversed() {
            let b = naiveBytes(s)
            let a1 = b.withUnsafeBufferPointer { r1.firstMatchSpan(in: $0, scratch: scratch, budget: 1_000_000) }
            let a2 = b.withUnsafeBufferPointer { r2.firstMatchSpan(in: $0, scratch: scratch, budget: 1_000_000) }
            #expect(a1 == r1.firstMatchSpan(in: b))
            #expect(a2 == r2.firstMatchSpan(in: b))
        }
    }
}
