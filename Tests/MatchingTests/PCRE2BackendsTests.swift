import BounceMatch
import HyperscanMatcher
import PCRE2Matcher
import TestSupport
import Testing

/// Behaviour every C-backed backend shares, checked on hand-computed first matches.
@Suite("C-backed backends: first match")
struct PCRE2BackendsTests {
    typealias F = BackendFixtures

    @Test(arguments: F.names)
    func ordersByIndex(_ name: String) throws {
        let rules = [
            F.rule(.substring, "quota"),
            F.rule(.substring, "user unknown"),
            F.rule(.substring, "550"),
            F.rule(.exact, "mailbox full"),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 5.1.1 User Unknown in quota table"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("550 5.1.1 nope"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("452 4.2.2 Mailbox FULL"), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply("452 4.2.2 mailbox full now"), scratch: s) == .noMatch)
        // `from:` skips lower rules.
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown quota"), from: 1, scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown quota"), from: 2, scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown quota"), from: 4, scratch: s) == .noMatch)
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown quota"), from: 99, scratch: s) == .noMatch)
    }

    @Test(arguments: F.names)
    func nonRegexRulesNeedNoHybrid(_ name: String) throws {
        var rng = SplitMix64(seed: 7)
        let rules = (0..<300).map { _ in Self.randomRule(&rng, maxLength: 5) } + [
            F.rule(.substring, ""), F.rule(.exact, ""), F.rule(.wildcard, "*"), F.rule(.wildcard, "**"),
            F.rule(.wildcard, ""), F.rule(.wildcard, "?*"),
        ]
        #expect(try F.make(name, rules).ruleNotes == [])
    }

    /// One matcher shared by several threads, each with its own scratch, gives the single-thread answers.
    @Test(arguments: F.names)
    func concurrentScratches(_ name: String) async throws {
        var rng = SplitMix64(seed: 44)
        let rules = (0..<500).map { _ in Self.randomRule(&rng, maxLength: 5) }
            + [F.rule(.regex, "(?=a)b|a(?!b)"), F.rule(.regex, #"(\w)\1"#)]
        let m = try F.make(name, rules)
        let replies = (0..<300).map { _ in F.reply(Self.randomBytes(&rng, count: Int.random(in: 0...30, using: &rng))) }
        let s = m.makeScratch()
        let expected = replies.map { m.firstMatch($0, scratch: s) }
        let results = await withTaskGroup(of: [MatchResult].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let scratch = m.makeScratch()
                    return replies.map { m.firstMatch($0, scratch: scratch) }
                }
            }
            var all: [[MatchResult]] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 4)
        for r in results { #expect(r == expected) }
    }

    @Test(arguments: F.names)
    func emptyRuleSet(_ name: String) throws {
        let m = try F.make(name, [])
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("550 5.1.1 anything"), scratch: s) == .noMatch)
        #expect(m.firstMatch(Reply(), scratch: s) == .noMatch)
        #expect(m.ruleNotes.isEmpty)
    }

    @Test(arguments: F.names)
    func emptyReplyAndEmptyPatterns(_ name: String) throws {
        let rules = [
            F.rule(.substring, "x"),
            F.rule(.exact, "y"),
            F.rule(.wildcard, "*"),
            F.rule(.substring, ""),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(Reply(), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(Reply(), from: 3, scratch: s) == MatchResult(ruleIndex: 3))
        let exactEmpty = try F.make(name, [F.rule(.exact, "z"), F.rule(.exact, "")])
        #expect(exactEmpty.firstMatch(Reply(), scratch: exactEmpty.makeScratch()) == MatchResult(ruleIndex: 1))
        #expect(exactEmpty.firstMatch(F.reply("550 x"), scratch: exactEmpty.makeScratch()) == .noMatch)
    }

    @Test(arguments: F.names)
    func asciiCaseFoldingOnly(_ name: String) throws {
        let rules = [
            F.rule(.substring, "BLOCKED", caseInsensitive: false),
            F.rule(.substring, "Äpfel"),
            F.rule(.substring, "blocked"),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("554 BLOCKED"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("554 Blocked"), scratch: s) == MatchResult(ruleIndex: 2))
        // `Ä` (C3 84) and `ä` (C3 A4) differ outside ASCII, so only the exact bytes match.
        #expect(m.firstMatch(F.reply("554 äpfel"), scratch: s) == .noMatch)
        #expect(m.firstMatch(F.reply("554 ÄPFEL"), scratch: s) == MatchResult(ruleIndex: 1))
    }

    @Test(arguments: F.names)
    func conditionsMustHold(_ name: String) throws {
        let rules = [
            F.rule(.substring, "denied", conditions: RuleConditions(codes: [CodePattern(digits: (4, nil, nil))])),
            F.rule(.substring, "denied", conditions: RuleConditions(enhancedCodes: [EnhancedCodePattern(klass: 5, subject: 7, detail: nil)])),
            F.rule(nil, [], conditions: RuleConditions(transportOnly: true)),
            F.rule(nil, [], conditions: RuleConditions(codes: [CodePattern(digits: (5, 5, nil))])),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("421 4.7.0 denied"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("554 5.7.1 denied"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("554 5.1.1 denied"), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply("connect to mx: Connection timed out"), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("250 ok"), scratch: s) == .noMatch)
    }

    @Test(arguments: F.names)
    func textTargetAnchorsAtTextStart(_ name: String) throws {
        let rules = [
            F.rule(.wildcard, "5.1.1*", target: .text),
            F.rule(.wildcard, "user*"),
            F.rule(.exact, "550 5.1.1 user unknown", target: .line),
            F.rule(.wildcard, "550 *", target: .line),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        // The text starts after the enhanced code, so `5.1.1*` on text cannot match and `user*` can.
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply("550 5.1.1 user unknown"), from: 2, scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("550 5.1.1 User"), from: 2, scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply("451 4.1.1 user"), from: 2, scratch: s) == .noMatch)
    }

    /// A hand-built reply whose `textStart` lies past the line has an empty text; nothing traps.
    @Test(arguments: F.names)
    func textStartPastTheLine(_ name: String) throws {
        let m = try F.make(name, [F.rule(.substring, "x", target: .text), F.rule(.exact, "", target: .text)])
        let reply = Reply(line: Array("550 x".utf8), textStart: 99, code: 550)
        #expect(m.firstMatch(reply, scratch: m.makeScratch()) == MatchResult(ruleIndex: 1))
    }

    @Test(arguments: F.names)
    func wildcardEscapesAndSingleByte(_ name: String) throws {
        let rules = [
            F.rule(.wildcard, #"rate \* limit"#),
            F.rule(.wildcard, "r?te*"),
            F.rule(.wildcard, #"a\\b"#),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply("rate * limit"), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply("rate x limit"), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply(#"a\b"#), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply("ab"), scratch: s) == .noMatch)
    }

    @Test(arguments: F.names)
    func nulAnd0xFFBytes(_ name: String) throws {
        let rules = [
            F.rule(.substring, [0x41, 0x00, 0x42]),
            F.rule(.substring, [0xFF, 0xFE]),
            F.rule(.wildcard, [0x2A, 0x00]),
            F.rule(.exact, [0x00], target: .line),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply([0x78, 0x61, 0x00, 0x62, 0x79]), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(F.reply([0x61, 0x00, 0x63]), scratch: s) == .noMatch)
        #expect(m.firstMatch(F.reply([0x00, 0xFF, 0xFE, 0x00]), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(F.reply([0xFF, 0x00]), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply([0x00]), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(F.reply([0x00]), from: 3, scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(F.reply([0xFF]), scratch: s) == .noMatch)
    }

    @Test(arguments: F.names)
    func oneMegabyteReply(_ name: String) throws {
        var line = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        line.replaceSubrange((line.count - 6)..<line.count, with: Array("NEEDLE".utf8))
        let rules = [
            F.rule(.substring, "needle!"),
            F.rule(.wildcard, "*b*"),
            F.rule(.wildcard, "*needle"),
            F.rule(.substring, "aaaa"),
        ]
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        #expect(m.firstMatch(F.reply(line), scratch: s) == MatchResult(ruleIndex: 2))
        line[line.count - 1] = UInt8(ascii: "X")
        #expect(m.firstMatch(F.reply(line), scratch: s) == MatchResult(ruleIndex: 3))
    }

    /// 10,000 rules of every non-regex kind on random replies, against the in-test oracle.
    @Test(arguments: F.names)
    func tenThousandRules(_ name: String) throws {
        var rng = SplitMix64(seed: 0x10_000)
        let rules = (0..<10_000).map { _ in Self.randomRule(&rng, maxLength: 7) }
        let m = try F.make(name, rules)
        let s = m.makeScratch()
        for _ in 0..<200 {
            let reply = F.reply(Self.randomBytes(&rng, count: Int.random(in: 0...40, using: &rng)))
            #expect(m.firstMatch(reply, scratch: s).ruleIndex == F.oracleFirstMatch(rules, reply))
        }
    }

    /// Seeded cross-check: every C-backed backend gives the same first match on random substring rule sets
    /// with random conditions, from random start indexes.
    @Test func backendsAgreeOnRandomSubstringRules() throws {
        var rng = SplitMix64(seed: 20_261_123)
        for round in 0..<20 {
            let rules = (0..<Int.random(in: 1...120, using: &rng)).map { _ -> Rule in
                let codes: [CodePattern] = Int.random(in: 0..<4, using: &rng) == 0
                    ? [CodePattern(digits: (UInt8.random(in: 4...5, using: &rng), nil, nil))] : []
                return F.rule(
                    Int.random(in: 0..<15, using: &rng) == 0 ? nil : .substring,
                    Self.randomBytes(&rng, count: Int.random(in: 1...4, using: &rng)),
                    target: Bool.random(using: &rng) ? .line : .text,
                    caseInsensitive: Bool.random(using: &rng),
                    conditions: RuleConditions(codes: codes)
                )
            }
            let matchers = try F.names.map { try F.make($0, rules) }
            let scratches = matchers.map { $0.makeScratch() }
            for _ in 0..<50 {
                var line = Array(["550 ", "451 ", ""].randomElement(using: &rng)!.utf8)
                line += Self.randomBytes(&rng, count: Int.random(in: 0...30, using: &rng))
                let reply = F.reply(line)
                let start = Int.random(in: 0...rules.count, using: &rng)
                let answers = zip(matchers, scratches).map { $0.firstMatch(reply, from: start, scratch: $1) }
                let expected = MatchResult(ruleIndex: F.oracleFirstMatch(rules, reply, from: start))
                #expect(Set(answers) == [expected], "round \(round): \(zip(F.names, answers).map { "\($0)=\($1)" })")
            }
        }
    }

    /// A small alphabet keeps random literals likely to occur in random replies.
    static func randomBytes(_ rng: inout SplitMix64, count: Int) -> [UInt8] {
        let alphabet = Array("abAB 5.\u{0}".utf8) + [0xFF]
        return (0..<count).map { _ in alphabet.randomElement(using: &rng)! }
    }

    static func randomRule(_ rng: inout SplitMix64, maxLength: Int) -> Rule {
        let ci = Bool.random(using: &rng)
        let target: MatchTarget = Bool.random(using: &rng) ? .line : .text
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<6:
            return F.rule(.substring, randomBytes(&rng, count: Int.random(in: 2...maxLength, using: &rng)), target: target, caseInsensitive: ci)
        case 6..<8:
            return F.rule(.exact, randomBytes(&rng, count: Int.random(in: 0...3, using: &rng)), target: target, caseInsensitive: ci)
        default:
            var glob: [UInt8] = []
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: glob.append(UInt8(ascii: "*"))
                case 1: glob.append(UInt8(ascii: "?"))
                default: glob.append(contentsOf: randomBytes(&rng, count: 1))
                }
            }
            return F.rule(.wildcard, glob, target: target, caseInsensitive: ci)
        }
    }
}
