import BounceMatch
import HyperscanMatcher
import PCRE2Matcher
import TestSupport
import Testing

/// Seeded cross-check of Hyperscan and pcre2-prefiltered against PCRE2 (and the naive reference) on random regexes (SPEC §3): both must give the same first
/// match, for portable constructs (Hyperscan decides) and PCRE-only ones (hybrid, with prefilters).
@Suite("hyperscan vs pcre2 on random regexes")
struct HyperscanRegexCrossCheckTests {
    typealias F = BackendFixtures

    /// Reply bytes include `\n`, VT (in PCRE2's `\s`), NUL and 0xFF on purpose.
    static let alphabet: [UInt8] = Array("abAB 5._".utf8) + [0x0A, 0x0B, 0x00, 0xFF]

    static func atom(_ rng: inout SplitMix64, depth: Int, pcreOnly: Bool) -> String {
        if pcreOnly && Int.random(in: 0..<5, using: &rng) == 0 {
            return ["(?=a)", "(?!b)", "(?<=a)", "(?<!\\d)", "(a|b)\\1", "(?>ab*)", "a*+", "(?i:(B)\\1)"].randomElement(using: &rng)!
        }
        switch Int.random(in: 0..<14, using: &rng) {
        case 0..<5:
            let b = alphabet.randomElement(using: &rng)!
            let isAlnum = (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
            return isAlnum ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16).leftPadded(2)
        case 5: return "[a-bA]"
        case 6: return "[^a\\s]"
        case 7: return ["\\d", "\\s", "\\w", "\\W", "\\S", "\\D"].randomElement(using: &rng)!
        case 8: return "."
        case 9: return ["^", "$", "\\b", "\\B"].randomElement(using: &rng)!
        case 10: return "[[:alpha:]_]"
        default:
            guard depth < 2 else { return "a" }
            return (Bool.random(using: &rng) ? "(?:" : "(") + alternation(&rng, depth: depth + 1, pcreOnly: pcreOnly) + ")"
        }
    }

    static func sequence(_ rng: inout SplitMix64, depth: Int, pcreOnly: Bool) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let a = atom(&rng, depth: depth, pcreOnly: pcreOnly)
            out += a
            if a != "^" && a != "$" && a != "\\b" && a != "\\B" && !a.hasPrefix("(?=") && !a.hasPrefix("(?!")
                && !a.hasPrefix("(?<") && !a.hasSuffix("+") {
                out += ["", "", "", "*", "+", "?", "{1,2}", "*?", "{2}"].randomElement(using: &rng)!
            }
        }
        return out
    }

    static func alternation(_ rng: inout SplitMix64, depth: Int, pcreOnly: Bool) -> String {
        Int.random(in: 0..<4, using: &rng) == 0
            ? sequence(&rng, depth: depth, pcreOnly: pcreOnly) + "|" + sequence(&rng, depth: depth, pcreOnly: pcreOnly)
            : sequence(&rng, depth: depth, pcreOnly: pcreOnly)
    }

    static func regex(_ rng: inout SplitMix64, pcreOnly: Bool) -> String {
        ["", "", "(?i)", "(?s)", "(?-i)"].randomElement(using: &rng)! + alternation(&rng, depth: 0, pcreOnly: pcreOnly)
    }

    @Test(arguments: [false, true])
    func randomRegexes(pcreOnly: Bool) throws {
        var rng = SplitMix64(seed: pcreOnly ? 0xB0_0C_E6 : 0xB0_0C_E5)
        var compared = 0, hybridRules = 0
        for round in 0..<30 {
            var rules: [Rule] = []
            while rules.count < 25 {
                let r = F.rule(.regex, Self.regex(&rng, pcreOnly: pcreOnly), target: Bool.random(using: &rng) ? .line : .text,
                               caseInsensitive: Bool.random(using: &rng))
                // Keep what the project's parser accepts (portable ones only unless PCRE-only is wanted).
                if let p = try? CompiledPattern.compile(r), pcreOnly || p.regex.isPortable { rules.append(r) }
            }
            let set = try RuleSet(rules: rules)
            let hs = try HyperscanMatcher(ruleSet: set), pcre2 = try PCRE2Matcher(ruleSet: set)
            if pcreOnly { hybridRules += hs.ruleNotes.count }
            let naive = NaiveMatcher(ruleSet: set), prefiltered = try PCRE2PrefilteredMatcher(ruleSet: set)
            let (a, b, c, d) = (hs.makeScratch(), pcre2.makeScratch(), naive.makeScratch(), prefiltered.makeScratch())
            for _ in 0..<60 {
                var line = Array(["550 5.1.1 ", "451 ", ""].randomElement(using: &rng)!.utf8)
                line += (0..<Int.random(in: 0...12, using: &rng)).map { _ in Self.alphabet.randomElement(using: &rng)! }
                let reply = F.reply(line)
                let start = Int.random(in: 0..<rules.count, using: &rng)
                let expected = pcre2.firstMatch(reply, from: start, scratch: b)
                guard expected.isDecided else { continue }
                let got = hs.firstMatch(reply, from: start, scratch: a)
                compared += 1
                #expect(prefiltered.firstMatch(reply, from: start, scratch: d) == expected, "prefiltered, round \(round) reply \(line)")
                let reference = naive.firstMatch(reply, from: start, scratch: c)
                if reference.isDecided { #expect(reference == expected, "naive vs pcre2, round \(round) reply \(line) from \(start)") }
                #expect(got == expected, "round \(round) reply \(line) from \(start): rule \(expected.ruleIndex >= 0 ? rules[expected.ruleIndex].patternText : "-") / \(got.ruleIndex >= 0 ? rules[got.ruleIndex].patternText : "-")")
            }
        }
        #expect(compared > 1000)
        #expect(!pcreOnly || hybridRules > 100)
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
