import BounceMatch
import HyperscanMatcher
import PCRE2Matcher

/// Rules, replies and a tiny literal/glob oracle shared by the C-backed backends' tests.
enum BackendFixtures {
    /// The C-backed backends under test, by registry name.
    static let descriptors: [String: BackendDescriptor] = [
        PCRE2Matcher.descriptor.name: PCRE2Matcher.descriptor,
        PCRE2PrefilteredMatcher.descriptor.name: PCRE2PrefilteredMatcher.descriptor,
        HyperscanMatcher.descriptor.name: HyperscanMatcher.descriptor,
    ]
    static let names: [String] = descriptors.keys.sorted()

    static func make(_ name: String, _ rules: [Rule], options: MatcherOptions = MatcherOptions()) throws -> any Matcher {
        try descriptors[name]!.make(try RuleSet(rules: rules), options)
    }

    static func rule(
        _ kind: PatternKind?, _ pattern: [UInt8], target: MatchTarget? = nil, caseInsensitive: Bool = true,
        conditions: RuleConditions = RuleConditions(), line: Int = 1
    ) -> Rule {
        Rule(
            name: "r\(line)", kind: kind, pattern: pattern, target: target, caseInsensitive: caseInsensitive,
            conditions: conditions, location: SourceLocation(file: "fixture", line: line), format: "test"
        )
    }

    static func rule(
        _ kind: PatternKind?, _ pattern: String, target: MatchTarget? = nil, caseInsensitive: Bool = true,
        conditions: RuleConditions = RuleConditions()
    ) -> Rule {
        rule(kind, Array(pattern.utf8), target: target, caseInsensitive: caseInsensitive, conditions: conditions)
    }

    /// A reply whose text starts after `NNN ` and an enhanced code `d.d.d ` when present.
    static func reply(_ line: [UInt8]) -> Reply {
        var r = Reply(line: line)
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        if line.count >= 4, isDigit(line[0]), isDigit(line[1]), isDigit(line[2]), line[3] == 0x20 {
            r.code = UInt16(line[0] - 0x30) * 100 + UInt16(line[1] - 0x30) * 10 + UInt16(line[2] - 0x30)
            r.textStart = 4
            if line.count >= 10, isDigit(line[4]), line[5] == 0x2E, isDigit(line[6]), line[7] == 0x2E,
               isDigit(line[8]), line[9] == 0x20 {
                r.enhanced = EnhancedCode(UInt16(line[4] - 0x30), UInt16(line[6] - 0x30), UInt16(line[8] - 0x30))
                r.textStart = 10
            }
        } else {
            r.isTransportEvent = true
        }
        return r
    }

    static func reply(_ line: String) -> Reply { reply(Array(line.utf8)) }

    /// The oracle for substring, exact and wildcard rules (SPEC §2), written independently
    /// of every backend: byte loops with ASCII folding.
    static func oracleFirstMatch(_ rules: [Rule], _ reply: Reply, from start: Int = 0) -> Int {
        for (i, r) in rules.enumerated() where i >= start && r.conditions.hold(for: reply) {
            let range = reply.range(of: r.target)
            let target = Array(reply.line[range])
            let t = r.caseInsensitive ? target.map(asciiLowercase) : target
            let p = r.caseInsensitive ? r.pattern.map(asciiLowercase) : r.pattern
            switch r.kind {
            case nil: return i
            case .substring?: if contains(t, p) { return i }
            case .exact?: if t == p { return i }
            case .wildcard?: if globMatches(p, t) { return i }
            case .regex?: fatalError("oracle has no regex engine")
            }
        }
        return -1
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard hay.count >= needle.count else { return false }
        for s in 0...(hay.count - needle.count) where hay[s..<(s + needle.count)].elementsEqual(needle) { return true }
        return false
    }

    /// Glob over the whole target by dynamic programming (`*`, `?`, `\` escapes).
    static func globMatches(_ glob: [UInt8], _ t: [UInt8]) -> Bool {
        var tokens: [(wild: UInt8?, byte: UInt8)] = []
        var i = 0
        while i < glob.count {
            if glob[i] == 0x5C, i + 1 < glob.count { tokens.append((nil, glob[i + 1])); i += 2; continue }
            if glob[i] == 0x2A || glob[i] == 0x3F { tokens.append((glob[i], 0)) } else { tokens.append((nil, glob[i])) }
            i += 1
        }
        var row = [Bool](repeating: false, count: t.count + 1)
        row[0] = true
        for tok in tokens {
            var next = [Bool](repeating: false, count: t.count + 1)
            for j in 0...t.count {
                switch tok.wild {
                case 0x2A?: next[j] = row[j] || (j > 0 && next[j - 1])
                case 0x3F?: next[j] = j > 0 && row[j - 1]
                default: next[j] = j > 0 && row[j - 1] && t[j - 1] == tok.byte
                }
            }
            row = next
        }
        return row[t.count]
    }
}
