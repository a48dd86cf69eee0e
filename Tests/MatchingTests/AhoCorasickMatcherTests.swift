import BounceRules
import Matching
import Testing
import TestSupport

/// The first match by brute force, for rules without regexes: every rule in order, literal compared on
/// its target with ASCII folding when the rule is caseless.
private func reference(_ rules: RuleSet, _ reply: Reply, from start: Int) -> Int {
    func equal(_ a: UInt8, _ b: UInt8, _ caseless: Bool) -> Bool {
        a == b || (caseless && asciiLowercase(a) == asciiLowercase(b))
    }
    for i in max(start, 0)..<max(rules.count, start, 0) {
        let rule = rules.rules[i]
        guard rule.conditions.hold(for: reply) else { continue }
        guard let kind = rule.kind else { return i }
        let target = Array(reply.line[reply.range(of: rule.target)])
        let p = rule.pattern
        switch kind {
        case .exact:
            if target.count == p.count && zip(target, p).allSatisfy({ equal($0, $1, rule.caseInsensitive) }) { return i }
        case .substring:
            if p.isEmpty { return i }
            if target.count >= p.count {
                for s in 0...(target.count - p.count)
                where (0..<p.count).allSatisfy({ equal(target[s + $0], p[$0], rule.caseInsensitive) }) {
                    return i
                }
            }
        case .regex, .wildcard:
            Issue.record("reference handles literal rules only")
        }
    }
    return -1
}

private func rule(_ i: Int, _ kind: PatternKind?, _ pattern: String, target: MatchTarget? = nil, caseless: Bool = true,
                  conditions: RuleConditions = RuleConditions()) -> Rule {
    rule(i, kind, Array(pattern.utf8), target: target, caseless: caseless, conditions: conditions)
}

private func rule(_ i: Int, _ kind: PatternKind?, _ pattern: [UInt8], target: MatchTarget? = nil, caseless: Bool = true,
                  conditions: RuleConditions = RuleConditions()) -> Rule {
    Rule(
        name: "r\(i)", kind: kind, pattern: pattern, target: target, caseInsensitive: caseless,
        conditions: conditions, location: SourceLocation(file: "test", line: i + 1), format: "test"
    )
}

/// A reply whose line is `code + " " + text` when a code is given.
private func reply(_ text: [UInt8], code: UInt16? = nil, enhanced: EnhancedCode? = nil, domain: String? = nil) -> Reply {
    var line: [UInt8] = []
    if let code { line = Array("\(code) ".utf8) }
    if let enhanced { line += Array("\(enhanced) ".utf8) }
    let textStart = line.count
    line += text
    return Reply(
        line: line, textStart: textStart, code: code, enhanced: enhanced,
        context: ReplyContext(recipientDomain: domain.map { Array($0.utf8) }), isTransportEvent: code == nil
    )
}

private func randomBytes(_ n: Int, from alphabet: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
}

private func randomConditions(_ rng: inout SplitMix64) -> RuleConditions {
    switch rng.next() % 8 {
    case 0: return RuleConditions(codes: [CodePattern(digits: (5, nil, nil))])
    case 1: return RuleConditions(codes: [CodePattern(digits: (4, 2, 1))])
    case 2: return RuleConditions(enhancedCodes: [EnhancedCodePattern(klass: 5, subject: 1, detail: nil)])
    case 3: return RuleConditions(domains: [DomainPattern(domain: Array("example.com".utf8), includesSubdomains: true)])
    case 4: return RuleConditions(transportOnly: true)
    default: return RuleConditions()
    }
}

private func randomReply(_ rng: inout SplitMix64, alphabet: [UInt8], length: Int) -> Reply {
    let text = randomBytes(length, from: alphabet, &rng)
    let code: UInt16? = [nil, 550, 421, 451][Int(rng.next() % 4)]
    let enhanced: EnhancedCode? = code != nil && rng.next() % 2 == 0 ? EnhancedCode(UInt16(code! / 100), 1, 1) : nil
    let domain = ["example.com", "mx.example.com", "other.org", nil][Int(rng.next() % 4)]
    return reply(text, code: code, enhanced: enhanced, domain: domain)
}

private func check(_ matcher: AhoCorasickMatcher, _ rules: RuleSet, _ r: Reply, from start: Int = 0,
                   _ comment: @autoclosure () -> String = "") {
    let scratch = matcher.makeScratch()
    let got = matcher.firstMatch(r, from: start, scratch: scratch)
    let expected = reference(rules, r, from: start)
    #expect(got == MatchResult(ruleIndex: expected), "\(comment()) line \(r.line) from \(start)")
}

@Suite("AhoCorasickMatcher")
struct AhoCorasickMatcherTests {
    @Test("random substring/exact rule sets agree with brute force", arguments: [11, 12, 13, 14, 15, 16] as [UInt64])
    func randomRuleSets(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("aAbB 5.".utf8) + [0x00, 0xFF]
        for round in 0..<25 {
            let count = Int(rng.next() % 30)
            var rules: [Rule] = []
            for i in 0..<count {
                let kind: PatternKind? = rng.next() % 10 == 0 ? nil : (rng.next() % 3 == 0 ? .exact : .substring)
                let length = kind == .exact ? Int(rng.next() % 6) : Int(rng.next() % 4)
                let target: MatchTarget? = [nil, .line, .text][Int(rng.next() % 3)]
                rules.append(rule(
                    i, kind, randomBytes(length, from: alphabet, &rng), target: target, caseless: rng.next() % 2 == 0,
                    conditions: randomConditions(&rng)
                ))
            }
            let set = try RuleSet(rules: rules)
            let matcher = try AhoCorasickMatcher(ruleSet: set)
            let scratch = matcher.makeScratch()
            for _ in 0..<30 {
                let r = randomReply(&rng, alphabet: alphabet, length: Int(rng.next() % 12))
                let start = rng.next() % 3 == 0 ? Int(rng.next() % UInt64(count + 2)) : 0
                let got = matcher.firstMatch(r, from: start, scratch: scratch)  // One scratch reused across replies.
                #expect(got == MatchResult(ruleIndex: reference(set, r, from: start)),
                        "seed \(seed) round \(round) line \(r.line) from \(start)")
            }
        }
    }

    @Test("a lower rule whose literal occurs later in the line still wins")
    func lowerRuleFoundLater() throws {
        let set = try RuleSet(rules: [
            rule(0, .substring, "zzz"),
            rule(1, .substring, "q"),
            rule(2, .substring, "b", conditions: RuleConditions(codes: [CodePattern(digits: (4, nil, nil))])),
            rule(3, .substring, "mailbox"),
        ])
        let m = try AhoCorasickMatcher(ruleSet: set)
        let s = m.makeScratch()
        #expect(m.firstMatch(reply(Array("q b mailbox zzz".utf8), code: 550), scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(reply(Array("q b mailbox".utf8), code: 550), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply(Array("b mailbox".utf8), code: 550), scratch: s) == MatchResult(ruleIndex: 3))
        #expect(m.firstMatch(reply(Array("b mailbox".utf8), code: 450), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(reply(Array("q b mailbox zzz".utf8), code: 550), from: 1, scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply(Array("q b mailbox zzz".utf8), code: 550), from: 4, scratch: s) == .noMatch)
        #expect(m.firstMatch(reply(Array("q b mailbox zzz".utf8), code: 550), from: -3, scratch: s) == MatchResult(ruleIndex: 0))
    }

    @Test("targets: text-target literals must start inside the text; exact spans the whole target")
    func targets() throws {
        let set = try RuleSet(rules: [
            rule(0, .substring, "550 user", target: .text),
            rule(1, .exact, "550 5.1.1 user unknown", target: .text),
            rule(2, .exact, "USER UNKNOWN"),
            rule(3, .substring, "550 5.1"),
        ])
        let m = try AhoCorasickMatcher(ruleSet: set)
        let s = m.makeScratch()
        let r = reply(Array("user unknown".utf8), code: 550, enhanced: EnhancedCode(5, 1, 1))
        #expect(m.firstMatch(r, scratch: s) == MatchResult(ruleIndex: 2))
        let longer = reply(Array("user unknown here".utf8), code: 550, enhanced: EnhancedCode(5, 1, 1))
        #expect(m.firstMatch(longer, scratch: s) == MatchResult(ruleIndex: 3))
        let cs = try RuleSet(rules: [rule(0, .exact, "User", caseless: false), rule(1, .exact, "", target: .text)])
        let mc = try AhoCorasickMatcher(ruleSet: cs)
        #expect(mc.firstMatch(reply(Array("user".utf8)), scratch: mc.makeScratch()) == .noMatch)
        #expect(mc.firstMatch(reply(Array("User".utf8)), scratch: mc.makeScratch()) == MatchResult(ruleIndex: 0))
        #expect(mc.firstMatch(reply([], code: 550), scratch: mc.makeScratch()) == MatchResult(ruleIndex: 1))
    }

    @Test("rules without a pattern and empty substrings match on conditions alone")
    func conditionsOnly() throws {
        let set = try RuleSet(rules: [
            rule(0, .substring, "never"),
            rule(1, nil, "", conditions: RuleConditions(codes: [CodePattern(digits: (4, nil, nil))])),
            rule(2, .substring, ""),
        ])
        let m = try AhoCorasickMatcher(ruleSet: set)
        let s = m.makeScratch()
        #expect(m.firstMatch(reply(Array("x".utf8), code: 451), scratch: s) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(reply(Array("x".utf8), code: 550), scratch: s) == MatchResult(ruleIndex: 2))
        #expect(m.firstMatch(reply(Array("never".utf8), code: 451), scratch: s) == MatchResult(ruleIndex: 0))
    }

    @Test("empty rule set")
    func emptyRuleSet() throws {
        let m = try AhoCorasickMatcher(ruleSet: RuleSet())
        #expect(m.firstMatch(reply(Array("550 anything".utf8)), scratch: m.makeScratch()) == .noMatch)
        #expect(m.backendName == "aho-corasick")
        #expect(AhoCorasickMatcher.descriptor.name == "aho-corasick")
        let made = try AhoCorasickMatcher.descriptor.make(RuleSet(), MatcherOptions())
        #expect(made.backendName == "aho-corasick")
    }

    @Test("chain follows continue flags")
    func chain() throws {
        var first = rule(0, .substring, "user")
        first.continues = true
        let set = try RuleSet(rules: [first, rule(1, .substring, "nobody"), rule(2, .substring, "unknown"), rule(3, .substring, "u")])
        let m = try AhoCorasickMatcher(ruleSet: set)
        var chain: [Int] = []
        m.chain(reply(Array("user unknown".utf8), code: 550), scratch: m.makeScratch(), into: &chain)
        #expect(chain == [0, 2])
    }

    @Test("10,000 rules agree with brute force")
    func tenThousandRules() throws {
        var rng = SplitMix64(seed: 10_001)
        let words = ["user", "unknown", "mailbox", "full", "quota", "rejected", "spam", "blocked", "denied", "5.1.1", "550"]
        var rules: [Rule] = []
        for i in 0..<10_000 {
            var text = ""
            for j in 0..<(1 + Int(rng.next() % 3)) { text += (j > 0 ? " " : "") + words[Int(rng.next() % UInt64(words.count))] }
            if i % 2 == 0 { text += String(i % 50) }
            let kind: PatternKind = rng.next() % 5 == 0 ? .exact : .substring
            rules.append(rule(i, kind, text, caseless: rng.next() % 4 != 0, conditions: randomConditions(&rng)))
        }
        let set = try RuleSet(rules: rules)
        let m = try AhoCorasickMatcher(ruleSet: set)
        for _ in 0..<40 {
            var text = ""
            for _ in 0..<(1 + Int(rng.next() % 8)) {
                text += words[Int(rng.next() % UInt64(words.count))] + (rng.next() % 3 == 0 ? String(rng.next() % 60) : "") + " "
            }
            let r = reply(Array(text.utf8), code: [550, 421, 451][Int(rng.next() % 3)], enhanced: EnhancedCode(5, 1, 1),
                          domain: rng.next() % 2 == 0 ? "example.com" : nil)
            check(m, set, r, from: Int(rng.next() % 3) == 0 ? Int(rng.next() % 10_000) : 0)
        }
    }

    @Test("1 MB reply with NUL and 0xFF bytes")
    func megabyteReply() throws {
        var rng = SplitMix64(seed: 1 << 20)
        var text = randomBytes(1 << 20, from: [0x00, 0xFF, 0x61, 0x20], &rng)
        text.replaceSubrange(text.count - 20..<text.count - 12, with: Array("mailbox!".utf8))
        let set = try RuleSet(rules: [
            rule(0, .substring, "MAILBOX!"),
            rule(1, .substring, [0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF]),
            rule(2, .substring, "a a"),
            rule(3, .exact, "mailbox!"),
        ])
        let m = try AhoCorasickMatcher(ruleSet: set)
        let s = m.makeScratch()
        let r = reply(text, code: 550)
        #expect(m.firstMatch(r, scratch: s) == MatchResult(ruleIndex: 0))
        #expect(m.firstMatch(r, from: 1, scratch: s) == MatchResult(ruleIndex: reference(set, r, from: 1)))
        #expect(m.firstMatch(r, from: 3, scratch: s) == .noMatch)
    }
}
