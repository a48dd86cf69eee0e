import BounceMatch
import Testing
import TestSupport

/// The edges issue 4 names, checked for every registered backend through the registry, so a backend added
/// later is covered without a new test.
@Suite("Every backend: edges")
struct BackendEdgeTests {
    static func rule(_ kind: PatternKind?, _ pattern: [UInt8], line: Int, caseInsensitive: Bool = true,
                     conditions: RuleConditions = RuleConditions()) -> Rule {
        Rule(name: "r\(line)", kind: kind, pattern: pattern, caseInsensitive: caseInsensitive, conditions: conditions,
             location: SourceLocation(file: "edge", line: line), format: "test")
    }

    static func rule(_ kind: PatternKind?, _ pattern: String, line: Int, caseInsensitive: Bool = true) -> Rule {
        rule(kind, Array(pattern.utf8), line: line, caseInsensitive: caseInsensitive)
    }

    /// Each backend's first match for each reply.
    static func answers(_ ruleSet: RuleSet, _ replies: [Reply], options: MatcherOptions = MatcherOptions()) throws -> [String: [MatchResult]] {
        var out: [String: [MatchResult]] = [:]
        for d in Backends.all {
            let m = try d.make(ruleSet, options)
            let s = m.makeScratch()
            out[d.name] = replies.map { m.firstMatch($0, scratch: s) }
        }
        return out
    }

    @Test("an empty rule set matches nothing")
    func emptyRuleSet() throws {
        let replies = [Reply(parsing: "550 5.1.1 user unknown"), Reply(parsing: ""), Reply(line: [0, 0xFF])]
        for (name, results) in try Self.answers(RuleSet(), replies) {
            #expect(results.allSatisfy { $0 == .noMatch }, "\(name)")
        }
    }

    @Test("the empty reply: only rules that match the empty string win")
    func emptyReply() throws {
        let ruleSet = try RuleSet(rules: [
            Self.rule(.substring, "x", line: 1),
            Self.rule(.regex, "a?b", line: 2),
            Self.rule(.exact, "", line: 3),
            Self.rule(.regex, "^$", line: 4),
        ])
        for (name, results) in try Self.answers(ruleSet, [Reply(parsing: ""), Reply(line: [])]) {
            #expect(results.map(\.ruleIndex) == [2, 2], "\(name)")
        }
    }

    @Test("NUL and 0xFF bytes in patterns and replies match only themselves")
    func binaryBytes() throws {
        let ruleSet = try RuleSet(rules: [
            Self.rule(.substring, [0x41, 0x00, 0xFF], line: 1),
            Self.rule(.regex, Array("\\x00\\xff\\xFE".utf8), line: 2),
            Self.rule(.regex, Array("[\\x80-\\xff]{2}z".utf8), line: 3),
            Self.rule(.substring, [0xC3, 0x84], line: 4),  // "Ä": never equals "ä" (C3 A4), even caseless
        ])
        let replies: [Reply] = [
            Reply(line: [0x35, 0x35, 0x30, 0x20, 0x61, 0x00, 0xFF]),  // "a" NUL FF: rule 0 caseless
            Reply(line: [0x00, 0xFF, 0xFE]),
            Reply(line: [0x90, 0xFF, 0x7A]),
            Reply(line: [0xC3, 0xA4]),
            Reply(line: [0xC3, 0x84]),
            Reply(line: [0x00, 0xFE, 0xFF]),
        ]
        for (name, results) in try Self.answers(ruleSet, replies) {
            #expect(results.map(\.ruleIndex) == [0, 1, 2, -1, 3, -1], "\(name)")
        }
    }

    @Test("a 1 MB reply: matches at its far end are found, misses are decided")
    func oneMegabyteReply() throws {
        let ruleSet = try RuleSet(rules: [
            Self.rule(.substring, "needle", line: 1),
            Self.rule(.regex, "5\\.1\\.1 .*tail$", line: 2),
            Self.rule(.wildcard, "*end", line: 3),
        ])
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let replies = [
            Reply(parsing: Array("550 5.1.1 ".utf8) + body + Array(" tail".utf8)),
            Reply(parsing: Array("550 5.1.1 ".utf8) + body + Array(" needle".utf8)),
            Reply(parsing: Array("550 ".utf8) + body + Array("end".utf8)),
            Reply(parsing: Array("550 ".utf8) + body),
        ]
        for (name, results) in try Self.answers(ruleSet, replies) {
            #expect(results.map(\.ruleIndex) == [1, 0, 2, -1], "\(name)")
            #expect(results.allSatisfy { $0.isDecided }, "\(name): \(results)")
        }
    }

    @Test("a PCRE-only rule Hyperscan rejects keeps its place in the order")
    func hyperscanRejectedRule() throws {
        let ruleSet = try RuleSet(rules: [
            Self.rule(.substring, "quota", line: 1),
            Self.rule(.regex, "^(?!.*KumoMTA internal).*RL000010", line: 2, caseInsensitive: false),
            Self.rule(.regex, "(\\w+) \\1", line: 3),
            Self.rule(.substring, "RL000010", line: 4),
        ])
        let replies = [
            Reply(parsing: "451 4.7.0 RL000010 rate limited"),
            Reply(parsing: "451 KumoMTA internal: RL000010"),
            Reply(parsing: "550 no no RL000010"),
            Reply(parsing: "552 over quota RL000010"),
            Reply(parsing: "550 5.1.1 no no such user"),
        ]
        for (name, results) in try Self.answers(ruleSet, replies) {
            #expect(results.map(\.ruleIndex) == [1, 3, 1, 0, 2], "\(name)")
        }
        let hs = try #require(Backends.named("hyperscan")).make(ruleSet, MatcherOptions())
        #expect(Set(hs.ruleNotes.filter { $0.kind == .hybrid }.map(\.ruleIndex)) == [1, 2])
    }

    @Test("a rule that hits PCRE2's match limit is undecided, never 'no match'")
    func pcreMatchLimit() throws {
        let ruleSet = try RuleSet(rules: [
            Self.rule(.regex, "^(\\w+\\s?)+$", line: 1),
            Self.rule(.substring, "aaaa", line: 2),
        ])
        let reply = Reply(parsing: String(repeating: "aaaa ", count: 8) + "x!")
        let options = MatcherOptions(stepBudget: 2_000, pcreMatchLimit: 500, pcreDepthLimit: 100)
        let answers = try Self.answers(ruleSet, [reply], options: options)
        for (name, results) in answers {
            let r = results[0]
            // Either decided "rule 0 does not match, rule 1 does", or honest: "rule 0 undecided, else rule 1".
            #expect(r.ruleIndex == 1, "\(name)")
            #expect(r.isDecided || r.undecided == 0, "\(name)")
        }
        #expect(answers["pcre2"]?[0].undecided == 0, "PCRE2 with match limit 500 must report the rule undecided")
    }

    @Test("10,000 rules compile everywhere and agree with naive")
    func tenThousandRules() throws {
        let ruleSet = try CorpusGenerator.ruleSet(CorpusGenerator.rules(count: 10_000, mix: .mixed, seed: 42))
        #expect(ruleSet.count == 10_000)
        let replies = CorpusGenerator.replies(count: 150, seed: 43).map { Reply(parsing: $0.bytes) }
        let problems = Differential.disagreements(ruleSet, replies: replies, label: "10,000 mixed rules")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

/// Found by `bouncematch fuzz` (docs/FUZZING.md): two rules that both hit PCRE2's match limit on one reply.
/// An undecided answer claims only that the first match lies in `undecided...ruleIndex`.
@Suite("Undecided answers are honest ranges")
struct UndecidedRangeTests {
    @Test("compatible() reads an undecided answer as a range of rules")
    func compatibleRanges() {
        let pcre = MatchResult(ruleIndex: -1, undecided: 0)  // "rule 0, a later rule, or none"
        #expect(DifferentialRun.compatible(pcre, MatchResult(ruleIndex: 1)))
        #expect(DifferentialRun.compatible(pcre, .noMatch))
        let bounded = MatchResult(ruleIndex: 5, undecided: 2)  // "one of rules 2...5"
        #expect(DifferentialRun.compatible(bounded, MatchResult(ruleIndex: 3)))
        #expect(!DifferentialRun.compatible(bounded, MatchResult(ruleIndex: 1)))
        #expect(!DifferentialRun.compatible(bounded, MatchResult(ruleIndex: 6)))
        #expect(!DifferentialRun.compatible(bounded, .noMatch))
        #expect(DifferentialRun.compatible(bounded, MatchResult(ruleIndex: -1, undecided: 4)))
        #expect(!DifferentialRun.compatible(bounded, MatchResult(ruleIndex: 9, undecided: 6)))
    }

    @Test("two rules over PCRE2's match limit: every backend's claim holds naive's answer")
    func twoUndecidedRules() throws {
        let rules = [
            BackendEdgeTests.rule(.regex, "\\A(?:[0-9A-Z\\x5fa-z]*)*\\Z", line: 1),
            BackendEdgeTests.rule(.regex, "(?:(?i:x)*)*y", line: 2),
        ]
        let ruleSet = try RuleSet(rules: rules)
        let reply = Reply(line: Array("xxxXXXxxxxXxXXxxXX.y".utf8))
        let options = MatcherOptions(stepBudget: 1_000_000, pcreMatchLimit: 200, pcreDepthLimit: 100)
        let matchers = try Backends.all.map { try $0.make(ruleSet, options) }
        let run = DifferentialRun(matchers: matchers)
        #expect(run.check(reply, replyNumber: 1), "\(run.disagreements.map(\.results))")
        let naive = try NaiveMatcher(ruleSet: ruleSet)
        #expect(naive.firstMatch(reply, scratch: naive.makeScratch()) == MatchResult(ruleIndex: 1))
    }
}
