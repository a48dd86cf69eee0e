import BounceMatch
import PCRE2Matcher
import TestSupport
import Testing

/// PCRE2-specific behaviour: limits become "undecided", compile errors carry PCRE2's reason.
@Suite("pcre2 backend")
struct PCRE2MatcherTests {
    /// Catastrophic backtracking with a small match limit must be undecided, never "no match".
    @Test func matchLimitIsUndecided() throws {
        var options = MatcherOptions()
        options.pcreMatchLimit = 1_000
        let program = try PCRE2Program(sources: [.regex(Array("(a+)+$".utf8), caseless: false)], backend: "test")
        let state = PCRE2MatchState(options: options)
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "b")]
        let outcome = subject.withUnsafeBufferPointer {
            program.match(rule: 0, in: $0, range: 0..<$0.count, state: state)
        }
        #expect(outcome == .undecided)
        let generous = PCRE2MatchState(options: MatcherOptions())
        let matched = Array("xxaaa".utf8).withUnsafeBufferPointer {
            program.match(rule: 0, in: $0, range: 0..<$0.count, state: generous)
        }
        #expect(matched == .match)
    }

    /// The subject is the target slice: `^` cannot see the bytes before it.
    @Test func subjectIsTheSlice() throws {
        let program = try PCRE2Program(sources: [.regex(Array("^user".utf8), caseless: true)], backend: "test")
        let state = PCRE2MatchState(options: MatcherOptions())
        let line = Array("550 USER unknown".utf8)
        line.withUnsafeBufferPointer { buf in
            #expect(program.match(rule: 0, in: buf, range: 0..<buf.count, state: state) == .noMatch)
            #expect(program.match(rule: 0, in: buf, range: 4..<buf.count, state: state) == .match)
        }
    }

    @Test func compileErrorNamesRuleAndOffset() {
        #expect {
            _ = try PCRE2Program(
                sources: [.literal(Array("ok".utf8), caseless: true, whole: false), .regex(Array("ab(c".utf8), caseless: false)],
                backend: "pcre2"
            )
        } throws: { error in
            guard let e = error as? MatcherError else { return false }
            return e.ruleIndex == 1 && e.backend == "pcre2" && e.reason.contains("offset 4")
                && e.reason.contains("missing closing parenthesis")
        }
    }

    /// `(*UTF)` cannot switch UTF mode on: replies are bytes.
    @Test func utfModeIsRefused() {
        #expect(throws: MatcherError.self) {
            _ = try PCRE2Program(sources: [.regex(Array("(*UTF)a".utf8), caseless: false)], backend: "pcre2")
        }
    }

    /// Every kind is JIT-compiled (the interpreter would give the same answers, only slower).
    @Test func everyKindIsJITCompiled() throws {
        let sources: [PCRE2Source] = [
            .literal(Array("quota".utf8), caseless: true, whole: false),
            .literal(Array("user unknown".utf8), caseless: false, whole: true),
            .printed(Array(#"\A(?i:a)[\x00-\xff]*b\z"#.utf8)),
            .regex(Array(#"(?:no|unknown) (user|mailbox)"#.utf8), caseless: true),
        ]
        let program = try PCRE2Program(sources: sources, backend: "test")
        for i in sources.indices { #expect(program.isJITCompiled(rule: i), "source \(i)") }
    }

    @Test func scratchIsPerThreadAndReusable() throws {
        let rules = [BackendFixtures.rule(.substring, "a"), BackendFixtures.rule(.substring, "b")]
        let m = try PCRE2Matcher(ruleSet: RuleSet(rules: rules))
        let s1 = m.makeScratch(), s2 = m.makeScratch()
        #expect(m.firstMatch(BackendFixtures.reply("xb"), scratch: s1) == MatchResult(ruleIndex: 1))
        #expect(m.firstMatch(BackendFixtures.reply("xa"), scratch: s2) == MatchResult(ruleIndex: 0))
        #expect(m.backendName == "pcre2")
    }
}
