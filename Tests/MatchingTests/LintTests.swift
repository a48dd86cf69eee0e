import BounceMatch
import Testing
import TestSupport

/// Lints a TSV rule list written to a temporary file (so file-based checks see it too).
func lintTSV(_ body: String, corpus: [String]? = nil, maxShare: Double? = nil, name: String = "rules.tsv") throws -> LintReport {
    let file = try CLIRunner.temporaryFile(name, "kind\tpattern\tlabel\n" + body)
    let set = try RuleLoader.load(files: [file])
    return Linter.lint(set, files: [file], options: LintOptions(corpus: corpus.map { $0.map { Array($0.utf8) } }, maxShare: maxShare, backends: false))
}

func kinds(_ r: LintReport) -> [LintFinding.Kind] { r.findings.map(\.kind) }

@Suite("Linter: one test per finding kind, a file that triggers it and one that does not")
struct LintTests {
    @Test func duplicate() throws {
        let r = try lintTSV("substring\tUser Unknown\ta\nsubstring\tuser unknown\tb\n")
        let f = try #require(r.findings.first { $0.kind == .duplicate })
        #expect(f.rule == 1 && f.related == 0)
        #expect(f.location.line == 3)
        #expect(f.message.contains("'b' is never produced"))
        let clean = try lintTSV("substring\tuser unknown\ta\nexact\tuser unknown\tb\n")
        #expect(!kinds(clean).contains(.duplicate))
    }

    @Test("substring A shadows substring/exact/wildcard B when B's literal contains A")
    func exactShadowing() throws {
        let r = try lintTSV("substring\tunknown\ta\nsubstring\tuser unknown here\tb\nexact\tUNKNOWN user\tc\nwildcard\t*user unknown*\td\n")
        let shadowed = r.findings.filter { $0.kind == .shadowed }
        #expect(shadowed.map(\.rule) == [1, 2, 3])
        #expect(shadowed.allSatisfy { $0.related == 0 && $0.example != nil })
        // Not shadowed: the later literal does not contain the earlier one; a wildcard's '?' splits runs.
        let clean = try lintTSV("substring\tunknown user\ta\nsubstring\tuser unknown\tb\nsubstring\tab\tc\nwildcard\t*a?b*\td\n")
        #expect(!kinds(clean).contains(.shadowed))
        #expect(!kinds(clean).contains(.likelyShadowed))
    }

    @Test("case modes and targets limit literal shadowing")
    func caseAndTarget() throws {
        // A case-sensitive earlier rule does not shadow a case-insensitive later one with letters.
        let rules = [
            Rule(name: "a", kind: .substring, pattern: Array("unknown".utf8), caseInsensitive: false, location: SourceLocation(file: "x", line: 1), format: "tsv"),
            Rule(name: "b", kind: .substring, pattern: Array("user unknown".utf8), location: SourceLocation(file: "x", line: 2), format: "tsv"),
            Rule(name: "c", kind: .substring, pattern: Array("user".utf8), target: .text, location: SourceLocation(file: "x", line: 3), format: "tsv"),
            Rule(name: "d", kind: .substring, pattern: Array("user x".utf8), target: .line, location: SourceLocation(file: "x", line: 4), format: "tsv"),
            Rule(name: "e", kind: .substring, pattern: Array("user y".utf8), target: .text, location: SourceLocation(file: "x", line: 5), format: "tsv"),
        ]
        let a = ShadowAnalysis(ruleSet: try RuleSet(rules: rules))
        #expect(a.covers(0, 1) == nil)
        #expect(a.covers(2, 3) == nil, "a text rule does not see the code part a line rule may match in")
        #expect(a.covers(2, 4)?.certainty == .exact)
        var caseless = rules[0]
        caseless.caseInsensitive = true
        var sensitive = rules[1]
        sensitive.caseInsensitive = false
        #expect(ShadowAnalysis.literalCover(caseless, sensitive) == true)
        #expect(ShadowAnalysis.literalCover(rules[0], sensitive) == true)
    }

    @Test("conditions: an earlier rule with stricter conditions does not shadow")
    func conditions() throws {
        var a = Rule(name: "a", kind: .substring, pattern: Array("blocked".utf8), location: SourceLocation(file: "x", line: 1), format: "tsv")
        a.conditions.domains = [DomainPattern(parsing: "gmail.com")]
        let b = Rule(name: "b", kind: .substring, pattern: Array("ip blocked".utf8), location: SourceLocation(file: "x", line: 2), format: "tsv")
        var c = b
        c.conditions.domains = [DomainPattern(parsing: "gmail.com")]
        c.location.line = 3
        var d = Rule(name: "d", kind: nil, pattern: [], location: SourceLocation(file: "x", line: 4), format: "cognos")
        d.conditions.codes = [CodePattern(parsing: "5xx")!]
        var e = Rule(name: "e", kind: nil, pattern: [], location: SourceLocation(file: "x", line: 5), format: "cognos")
        e.conditions.codes = [CodePattern(parsing: "550")!]
        let set = try RuleSet(rules: [a, b, c, d, e])
        let s = ShadowAnalysis(ruleSet: set)
        #expect(s.covers(0, 1) == nil)
        #expect(s.covers(0, 2)?.certainty == .exact)
        #expect(s.covers(3, 4)?.certainty == .exact)
        #expect(s.covers(4, 3) == nil)
    }

    @Test("regexes are decided by sampling: KumoMTA's TooManyRecipients after ProtocolErrors")
    func likelyShadowed() throws {
        let r = try lintTSV("regex\t^\\d{3} [45]\\.5\\.\\d+ \tProtocolErrors\nregex\t^[45]\\d{2} [45]\\.5\\.3 \tTooManyRecipients\n")
        let f = try #require(r.findings.first { $0.kind == .likelyShadowed })
        #expect(f.rule == 1 && f.related == 0)
        let example = try #require(f.example)
        #expect(example.count >= 10)
        let clean = try lintTSV("regex\t^\\d{3} [45]\\.5\\.[12] \tProtocolErrors\nregex\t^[45]\\d{2} [45]\\.5\\.3 \tTooManyRecipients\n")
        #expect(!kinds(clean).contains(.likelyShadowed))
        // An anchored earlier rule does not take an unanchored later one.
        let anchored = try lintTSV("regex\t^user unknown\ta\nsubstring\tuser unknown\tb\n")
        #expect(!kinds(anchored).contains(.likelyShadowed))
    }

    @Test("sampling is reproducible: the same findings and examples every run")
    func reproducible() throws {
        let body = "regex\t^5\\d\\d\tx\nregex\t^550 5\\.1\\.1 .*unknown\ty\n"
        let a = try lintTSV(body), b = try lintTSV(body)
        #expect(a.findings.map(\.example) == b.findings.map(\.example))
    }

    @Test func catchAll() throws {
        let r = try lintTSV("regex\t^5\\d\\d\tperm\nsubstring\tuser unknown\ta\nregex\t^550 .*unknown\tb\n")
        let c = try #require(r.findings.first { $0.kind == .catchAll })
        #expect(c.rule == 0 && c.severity == .warning)
        #expect(c.message.contains("5xx"))
        let s = try #require(r.findings.first { $0.kind == .likelyShadowed })
        #expect(s.rule == 2 && s.message.contains("catch-all"))
        #expect(!r.findings.contains { $0.kind == .likelyShadowed && $0.rule == 1 }, "'user unknown' still fires for 4xx replies")
        let last = try lintTSV("substring\tuser unknown\ta\nregex\t^5\\d\\d\tperm\n")
        #expect(!kinds(last).contains(.catchAll), "a catch-all at the end is the intended fallback")
    }

    @Test func suspiciousSyntax() throws {
        let cases: [(String, LintFinding.Kind)] = [
            ("regex\t\\[TS01\\] ok [TS01] Messages from\tx\n", .bracketedTag),
            ("regex\tmailbox d+ full\tx\n", .missingBackslash),
            ("regex\t^550 5.7.1 blocked\tx\n", .unescapedDot),
            ("regex\tThis mailbox is disabled (554\\.30)\tx\n", .unescapedParentheses),
            ("substring\tmailbox doesn\u{2019}t exist\tx\n", .typographicCharacter),
            ("substring\t550-5.7.1 blocked\tx\n", .continuationMarker),
            ("regex\t(?i).*blocked\tx\n", .pointlessDotStar),
            ("regex\tblocked.*\tx\n", .pointlessDotStar),
            ("regex\t(?i)\tx\n", .emptyPattern),
        ]
        for (body, kind) in cases {
            let r = try lintTSV(body)
            #expect(kinds(r).contains(kind), "\(kind): \(body) gave \(kinds(r))")
        }
        let clean = try lintTSV("""
            regex\t\\[TS01\\] Messages from\tx
            regex\t[abc] mailbox \\d+ full (?:user|mailbox)s+\tx
            regex\t^550[ -]5\\.7\\.1 blocked\tx
            regex\t^([45]\\.\\d\\.\\d{1,2}) (quota|full)\tx
            substring\tmailbox doesn't exist\tx
            regex\t^blocked.*here\tx

            """)
        let smells: Set<LintFinding.Kind> = [.bracketedTag, .missingBackslash, .unescapedDot, .unescapedParentheses, .typographicCharacter, .continuationMarker, .pointlessDotStar, .emptyPattern]
        #expect(kinds(clean).filter(smells.contains).isEmpty, "\(clean.findings.map(\.message))")
    }

    @Test("corpus: never-firing rules and over-broad rules")
    func corpus() throws {
        let body = "substring\tunknown\ta\nsubstring\tmailbox full\tb\nsubstring\tnever seen\tc\n"
        let replies = ["550 user unknown", "550 unknown host", "552 mailbox full", "250 ok"]
        let r = try lintTSV(body, corpus: replies, maxShare: 0.4)
        #expect(r.findings.filter { $0.kind == .neverFires }.map(\.rule) == [2])
        let broad = r.findings.filter { $0.kind == .overBroad }
        #expect(broad.map(\.rule) == [0])
        #expect(broad.first?.example == Array("550 user unknown".utf8))
        let relaxed = try lintTSV(body, corpus: replies, maxShare: 0.5)
        #expect(!kinds(relaxed).contains(.overBroad))
    }

    @Test("labels outside the format's vocabulary, with the nearest known label")
    func labels() throws {
        #expect(LabelVocabulary.nearest("spam", in: LabelVocabulary.powerMTACategories) == "spam-related")
        #expect(LabelVocabulary.nearest("bad-mailbx", in: LabelVocabulary.powerMTACategories) == "bad-mailbox")
        #expect(LabelVocabulary.nearest("InvalidRecipeint", in: LabelVocabulary.kumoMTAClasses) == "InvalidRecipient")
        #expect(LabelVocabulary.nearest("zzz", in: LabelVocabulary.altcraftTypes) == nil)
        let conf = """
            smtp-pattern-list main {
                "user unknown" bounce type=bad-mailbx
                "mailbox full" bounce type=quota-issues
                "try later" mode=backoff
            }
            smtp-pattern-list main

            """
        let file = try CLIRunner.temporaryFile("pmta.conf", conf)
        let set = try RuleLoader.load(files: [file])
        let r = Linter.lint(set, files: [file], options: LintOptions(backends: false))
        let f = r.findings.filter { $0.kind == .unknownLabel }
        #expect(f.map(\.rule) == [0])
        #expect(f.first?.suggestion == "bad-mailbox")
        // A TSV list of KumoMTA classes is checked against KumoMTA's classes.
        let kumo = try lintTSV("substring\ta\tInvalidRecipient\nsubstring\tb\tQuotaIssues\nsubstring\tc\tSpamBlock\nsubstring\td\tBadDomian\n")
        #expect(kumo.findings.first { $0.kind == .unknownLabel }?.suggestion == "BadDomain")
        let plain = try lintTSV("substring\ta\tfoo\nsubstring\tb\tbar\n")
        #expect(!kinds(plain).contains(.unknownLabel))
    }

    @Test("PowerMTA lists defined but never applied, and applied but never defined")
    func lists() throws {
        let conf = """
            smtp-pattern-list used-list {
                "user unknown" bounce type=bad-mailbox
            }
            smtp-pattern-list spare-list {
                "mailbox full" bounce type=quota-issues
            }
            <domain gmail.com>
                smtp-pattern-list used-list
                smtp-pattern-list ghost-list
            </domain>

            """
        let file = try CLIRunner.temporaryFile("pmta.conf", conf)
        let r = Linter.lint(try RuleLoader.load(files: [file]), files: [file], options: LintOptions(backends: false))
        #expect(r.findings.filter { $0.kind == .unusedList }.map(\.location.line) == [4])
        #expect(r.findings.filter { $0.kind == .undefinedList }.map(\.location.line) == [9])
    }

    @Test("PCRE-only rules and backend notes are kept as notes")
    func pcreOnlyAndBackends() throws {
        let file = try CLIRunner.temporaryFile("p.tsv", "kind\tpattern\nregex\t(a)\\1\n")
        let r = Linter.lint(try RuleLoader.load(files: [file]), files: [file])
        #expect(r.count(.pcreOnly) == 1)
        #expect(r.findings.contains { $0.kind == .backendNote && $0.message.contains("hybrid") })
        #expect(r.warningCount == 0)
    }
}

@Suite("Linter on ../shared/corpora: the real defects")
struct LintSharedCorporaTests {
    func lint(_ relative: String) throws -> LintReport? {
        guard let root = SharedCorpora.root else { return nil }
        let file = root + "/" + relative
        return Linter.lint(try RuleLoader.load(files: [file]), files: [file], options: LintOptions(backends: false))
    }

    @Test func kumomta() throws {
        guard let iana = try lint("kumomta/rules-kumomta-iana.tsv"),
              let community = try lint("kumomta/rules-kumomta-bounces.tsv"),
              let shaping = try lint("kumomta/rules-kumomta-shaping.tsv") else {
            SharedCorpora.announceMissing("LintSharedCorporaTests.kumomta")
            return
        }
        let tooMany = try #require(iana.findings.first { $0.kind == .likelyShadowed })
        #expect(iana.ruleSet.rules[tooMany.rule!].label == "TooManyRecipients")
        #expect(iana.ruleSet.rules[tooMany.related!].label == "ProtocolErrors")
        let parens = community.findings.filter { $0.kind == .unescapedParentheses }.map(\.message)
        #expect(parens.count == 2)
        #expect(parens.contains { $0.contains("554\\.30") })
        #expect(shaping.findings.contains { $0.kind == .bracketedTag && $0.message.contains("HCM1") })
    }

    @Test func sisimai() throws {
        guard let r = try lint("sisimai/rules-sisimai.tsv") else {
            SharedCorpora.announceMissing("LintSharedCorporaTests.sisimai")
            return
        }
        #expect(r.count(.duplicate) >= 5)
        #expect(r.count(.shadowed) >= 10)
    }

    @Test func zonemta() throws {
        guard let r = try lint("zonemta/rules-zonemta.tsv") else {
            SharedCorpora.announceMissing("LintSharedCorporaTests.zonemta")
            return
        }
        #expect(r.findings.contains { $0.kind == .unescapedDot })
        #expect(r.findings.contains { $0.kind == .catchAll && r.ruleSet.rules[$0.rule!].patternText == "^4\\d\\d" })
        #expect(r.count(.duplicate) >= 1)
    }
}
