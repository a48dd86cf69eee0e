import BounceMatch
import HyperscanMatcher
import PCRE2Matcher
import TestSupport
import Testing

/// Regex rules on every C-backed backend, and the Hyperscan backend's hybrid handling.
@Suite("hyperscan backend and regex rules")
struct HyperscanMatcherTests {
    typealias F = BackendFixtures

    /// Rules Hyperscan rejects (lookahead, backreference, `\X`) keep their place in the order.
    static let pcreOnlyRules = [
        F.rule(.regex, "^(?!.*KumoMTA internal).*RL000010"),
        F.rule(.substring, "RL000010"),
        F.rule(.regex, #"(\w+) \1"#),
        F.rule(.regex, #"foo\Xbar"#),
        F.rule(.substring, "foo"),
    ]

    @Test(arguments: F.names)
    func pcreOnlyRulesKeepTheirPlace(_ name: String) throws {
        let m = try F.make(name, Self.pcreOnlyRules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 RL000010 blocked"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("550 KumoMTA internal: RL000010"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("550 5.7.1 hello hello foo"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("550 5.7.1 hello world foo\u{1}bar"), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply("550 5.7.1 hello world foobar"), scratch: s) == MatchResult(ruleIndex: 4))
        #expect(m.firstMatch(F.reply("550 5.7.1 hello hello foo"), from: 3, scratch: s) == MatchResult(ruleIndex: 4))
        #expect(m.firstMatch(F.reply("250 ok"), scratch: s) == .noMatch)
    }

    @Test func hybridRulesAreNamedWithHyperscansReason() throws {
        let m = try HyperscanMatcher(ruleSet: RuleSet(rules: Self.pcreOnlyRules))
        #expect(m.ruleNotes.map(\.ruleIndex) == [0, 2, 3])
        #expect(m.ruleNotes.allSatisfy { $0.kind == .hybrid && $0.reason.contains("Hyperscan") })
        #expect(m.ruleNotes[0].reason.contains("lookahead"))
        #expect(m.ruleNotes[1].reason.contains("backreference"))
    }

    /// A hybrid rule that hits PCRE2's match limit is undecided, and the search goes on past it.
    /// (Hyperscan's prefilter drops the lookahead, so it fires and PCRE2 must decide.)
    @Test func hybridMatchLimitIsUndecided() throws {
        var options = MatcherOptions()
        options.pcreMatchLimit = 1_000
        let rules = [
            F.rule(.regex, "(a+)+(?=c)"),
            F.rule(.substring, "aaa"),
            F.rule(.regex, "(a+)+(?=c)"),
        ]
        for name in F.names {
            let m = try F.make(name, rules, options: options)
            let s = m.makeScratch()
            let line = [UInt8](repeating: UInt8(ascii: "a"), count: 40)
            #expect(m.firstMatch(F.reply(line), scratch: s) == MatchResult(ruleIndex: 1, undecided: 0), "\(name)")
            #expect(m.firstMatch(F.reply(line + [UInt8(ascii: "c")]), scratch: s) == MatchResult(ruleIndex: 0), "\(name)")
            // Past the match only lower undecided rules count: nothing is undecided below rule 1 from 1.
            #expect(m.firstMatch(F.reply(line), from: 1, scratch: s) == MatchResult(ruleIndex: 1), "\(name)")
            #expect(m.firstMatch(F.reply(line), from: 2, scratch: s) == MatchResult(ruleIndex: -1, undecided: 2), "\(name)")
        }
    }

    /// A hybrid rule with a Hyperscan prefilter is decided without PCRE2 when the prefilter does not fire,
    /// even where PCRE2 alone would hit its match limit.
    @Test func prefilterDecidesWithoutPCRE2() throws {
        var options = MatcherOptions()
        options.pcreMatchLimit = 1_000
        let rules = [F.rule(.regex, "(?=a)(a+)+$"), F.rule(.substring, "aaab")]
        let line = F.reply([UInt8](repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "b")])
        let pcre2 = try PCRE2Matcher(ruleSet: RuleSet(rules: rules), options: options)
        #expect(pcre2.firstMatch(line, scratch: pcre2.makeScratch()) == MatchResult(ruleIndex: 1, undecided: 0))
        let hs = try HyperscanMatcher(ruleSet: RuleSet(rules: rules), options: options)
        #expect(hs.ruleNotes.map(\.ruleIndex) == [0])
        #expect(hs.ruleNotes[0].reason.contains("prefilter"))
        #expect(hs.firstMatch(line, scratch: hs.makeScratch()) == MatchResult(ruleIndex: 1))
        let aaa = F.reply([UInt8](repeating: UInt8(ascii: "a"), count: 5))
        #expect(hs.firstMatch(aaa, scratch: hs.makeScratch()) == MatchResult(ruleIndex: 0))
    }

    /// A regular but catastrophic pattern: PCRE2 reports it undecided, Hyperscan (no backtracking) decides.
    @Test func catastrophicPatternOnPCRE2AndHyperscan() throws {
        var options = MatcherOptions()
        options.pcreMatchLimit = 1_000
        let rules = [F.rule(.regex, "(a+)+$"), F.rule(.regex, "(?:a|a)*b")]
        let line = F.reply([UInt8](repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "c")])
        let pcre2 = try PCRE2Matcher(ruleSet: RuleSet(rules: rules), options: options)
        let answer = pcre2.firstMatch(line, scratch: pcre2.makeScratch())
        #expect(answer.undecided == 0 && answer.ruleIndex == -1)
        let hs = try HyperscanMatcher(ruleSet: RuleSet(rules: rules), options: options)
        #expect(hs.ruleNotes.isEmpty)
        #expect(hs.firstMatch(line, scratch: hs.makeScratch()) == .noMatch)
    }

    @Test(arguments: F.names)
    func regexTargetsAndAnchors(_ name: String) throws {
        let rules = [
            F.rule(.regex, "^user", target: .text),
            F.rule(.regex, "^5[0-9]{2} ", target: .text),
            F.rule(.regex, #"^\d{3} \d\.\d\.\d"#),
            F.rule(.regex, "unknown$"),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 5.1.1 User unknown"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("550 5.1.1 no such user"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("550 no such user unknown"), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply("no such user: unknown."), scratch: s) == .noMatch)
    }

    @Test(arguments: F.names)
    func regexCaseFolding(_ name: String) throws {
        let rules = [
            F.rule(.regex, "(?-i)USER"),
            F.rule(.regex, "Äpfel"),
            F.rule(.regex, "mailbox", caseInsensitive: false),
            F.rule(.regex, "(?i)QUOTA", caseInsensitive: false),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 USER"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("550 user"), scratch: s) == .noMatch)
        #expect(m.firstMatch(F.reply("550 äpfel"), scratch: s) == .noMatch)
        #expect(m.firstMatch(F.reply("550 ÄPFEL"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("550 Mailbox"), scratch: s) == .noMatch)
        #expect(m.firstMatch(F.reply("550 mailbox quota"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("550 Quota"), scratch: s) == MatchResult(ruleIndex: 3))
    }

    @Test(arguments: F.names)
    func regexNulAnd0xFF(_ name: String) throws {
        let rules = [
            F.rule(.regex, Array(#"a\x00b"#.utf8)),
            F.rule(.regex, [0x78, 0x00, 0x79]),
            F.rule(.regex, Array(#"[\x80-\xff]{2}"#.utf8)),
            F.rule(.regex, Array(#"^.$"#.utf8)),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply([0x41, 0x00, 0x42]), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply([0x58, 0x00, 0x59]), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply([0x58, 0x01, 0xFF, 0xC3]), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply([0xFF]), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply([0x0A]), scratch: s) == .noMatch)
    }

    /// Portable patterns Hyperscan still refuses (embedded anchors, huge repeats) run hybrid, in order.
    @Test func portableRulesHyperscanRefuses() throws {
        let rules = [
            F.rule(.regex, #"(?:<|^|\s)user@"#),
            F.rule(.regex, "x{30000}"),
            F.rule(.regex, "a(?:b|$)c?"),
            F.rule(.substring, "user"),
        ]
        let hs = try HyperscanMatcher(ruleSet: RuleSet(rules: rules))
        // Too large a repeat ("Resource limit exceeded", no expression named) and an embedded `$`.
        #expect(hs.ruleNotes.map(\.ruleIndex) == [1, 2])
        #expect(hs.ruleNotes[1].reason.contains("anchor"))
        let pcre2 = try PCRE2Matcher(ruleSet: RuleSet(rules: rules))
        let replies = [
            "user@example.com", "550 <user@example.com>", "550 xuser@", String(repeating: "x", count: 30_000),
            "550 ab", "550 a", "550 ac user", "550 user",
        ].map(F.reply)
        let (a, b) = (hs.makeScratch(), pcre2.makeScratch())
        for r in replies {
            #expect(hs.firstMatch(r, scratch: a) == pcre2.firstMatch(r, scratch: b))
        }
        #expect(hs.firstMatch(replies[0], scratch: a) == MatchResult(ruleIndex: 0))
        #expect(hs.firstMatch(replies[2], scratch: a) == MatchResult(ruleIndex: 3))
        #expect(hs.firstMatch(replies[3], scratch: a) == MatchResult(ruleIndex: 1))
        #expect(hs.firstMatch(replies[5], scratch: a) == MatchResult(ruleIndex: 2))
    }

    @Test func scratchesAreIndependent() throws {
        let m = try HyperscanMatcher(ruleSet: RuleSet(rules: Self.pcreOnlyRules))
        let a = m.makeScratch(), b = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 RL000010"), scratch: a) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("550 foo"), scratch: b) == MatchResult(ruleIndex: 4))
        #expect(m.backendName == "hyperscan")
    }
}
