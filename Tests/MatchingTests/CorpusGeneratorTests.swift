import BounceMatch
import TestSupport
import Testing

/// ASCII-case-insensitive substring search, the brute-force reference for substring rules.
private func containsFolded(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    if needle.count > haystack.count { return false }
    let n = needle.map(asciiLowercase)
    var i = 0
    while i + n.count <= haystack.count {
        var j = 0
        while j < n.count && asciiLowercase(haystack[i + j]) == n[j] { j += 1 }
        if j == n.count { return true }
        i += 1
    }
    return false
}

/// Substring search on already-lowercased bytes.
private func lowerContains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    guard let first = needle.first, needle.count <= hay.count else { return needle.isEmpty }
    return hay.withUnsafeBufferPointer { h in
        needle.withUnsafeBufferPointer { n in
            var i = 0
            let last = h.count - n.count
            while i <= last {
                if h[i] == first {
                    var j = 1
                    while j < n.count && h[i + j] == n[j] { j += 1 }
                    if j == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}

private func isLineBreakOrTab(_ b: UInt8) -> Bool { b == 0x09 || b == 0x0A || b == 0x0D }

private func isValidUTF8(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

@Suite("CorpusGenerator rules")
struct CorpusRuleTests {
    @Test("same seed gives byte-identical TSV, another seed differs", arguments: [CorpusGenerator.RuleMix.substring, .mixed])
    func deterministic(mix: CorpusGenerator.RuleMix) {
        for count in [10, 200, 1_000] {
            let a = CorpusGenerator.tsv(CorpusGenerator.rules(count: count, mix: mix, seed: 42))
            let b = CorpusGenerator.tsv(CorpusGenerator.rules(count: count, mix: mix, seed: 42))
            let c = CorpusGenerator.tsv(CorpusGenerator.rules(count: count, mix: mix, seed: 43))
            #expect(a == b)
            #expect(a != c)
        }
    }

    @Test("exact counts, all distinct, no TAB/LF/CR, labels set", arguments: [CorpusGenerator.RuleMix.substring, .mixed])
    func countsAndDistinct(mix: CorpusGenerator.RuleMix) {
        for count in [1, 10, 37, 1_000, 10_000] {
            let rules = CorpusGenerator.rules(count: count, mix: mix, pcreOnlyFraction: mix == .mixed ? 0.02 : 0, seed: UInt64(count))
            #expect(rules.count == count)
            var seen = Set<[UInt8]>()
            for r in rules {
                #expect(seen.insert(Array(r.kind.rawValue.utf8) + [0] + r.pattern.map(asciiLowercase)).inserted, "duplicate \(r.patternText)")
                #expect(!r.pattern.isEmpty)
                #expect(!r.pattern.contains(where: isLineBreakOrTab), "bad byte in \(r.patternText)")
                #expect(!r.label.isEmpty && !r.label.utf8.contains(0x09))
                if mix == .substring { #expect(r.kind == .substring) }
            }
        }
    }

    @Test("mixed lists hold every kind in the promised shares")
    func mixedShares() {
        let rules = CorpusGenerator.rules(count: 1_000, mix: .mixed, seed: 9)
        let by = Dictionary(grouping: rules, by: \.kind).mapValues(\.count)
        let substring = by[.substring, default: 0], regex = by[.regex, default: 0]
        #expect((500...700).contains(substring))
        #expect(regex >= 250)
        #expect(by[.exact, default: 0] >= 1 && by[.wildcard, default: 0] >= 1)
        let anyPCRE = rules.contains { $0.isPCREOnly }
        #expect(!anyPCRE)
    }

    @Test("PCRE-only rules appear only when asked, in the asked share, and use lookahead or backreferences")
    func pcreOnly() {
        let portable = CorpusGenerator.rules(count: 2_000, mix: .mixed, seed: 5)
        for r in portable where r.kind == .regex {
            for construct in ["(?=", "(?!", "(?<", "\\1", "(?>", "++", "*+", "\\R", "\\p{"] {
                #expect(!containsFolded(r.pattern, Array(construct.utf8)), "portable rule uses \(construct): \(r.patternText)")
            }
        }
        let withPCRE = CorpusGenerator.rules(count: 2_000, mix: .mixed, pcreOnlyFraction: 0.05, seed: 5)
        let pcre = withPCRE.filter(\.isPCREOnly)
        #expect(pcre.count == 100)
        for r in pcre {
            #expect(r.kind == .regex)
            #expect(containsFolded(r.pattern, Array("(?!".utf8)) || containsFolded(r.pattern, Array("\\1".utf8)))
        }
        #expect(CorpusGenerator.rules(count: 100, mix: .substring, pcreOnlyFraction: 0.2, seed: 1).allSatisfy { !$0.isPCREOnly })
    }

    @Test("no substring rule is hidden behind an earlier, shorter one it contains")
    func specificFirst() {
        for mix in CorpusGenerator.RuleMix.allCases {
            let subs = CorpusGenerator.rules(count: 1_000, mix: mix, seed: 77).filter { $0.kind == .substring }.map(\.pattern)
            var dead = 0
            for j in subs.indices {
                for i in 0..<j where containsFolded(subs[j], subs[i]) { dead += 1; break }
            }
            #expect(dead == 0, "\(dead) substring rules can never be the first match")
        }
    }

    @Test("TSV has the header and one row per rule with order = position")
    func tsvShape() {
        let rules = CorpusGenerator.rules(count: 300, mix: .mixed, seed: 3)
        let tsv = CorpusGenerator.tsv(rules)
        var lines = tsv.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.last?.isEmpty == true)
        lines.removeLast()
        #expect(Array(lines[0]) == Array("kind\tpattern\tlabel\torder".utf8))
        #expect(lines.count == rules.count + 1)
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: 0x09, omittingEmptySubsequences: false).map(Array.init)
            #expect(f.count == 4)
            #expect(f[0] == Array(rules[i].kind.rawValue.utf8) && f[1] == rules[i].pattern)
            #expect(f[2] == Array(rules[i].label.utf8) && f[3] == Array(String(i).utf8))
        }
    }

    @Test("substring lists build a RuleSet", arguments: [10, 1_000, 10_000])
    func substringRuleSet(count: Int) throws {
        let rules = CorpusGenerator.rules(count: count, mix: .substring, seed: 11)
        let set = try CorpusGenerator.ruleSet(rules)
        #expect(set.count == count)
        #expect(set.rules.map(\.pattern) == rules.map(\.pattern))
    }

    @Test("mixed lists build a RuleSet (needs the real regex parser)")
    func mixedRuleSet() throws {
        guard (try? RegexParser.parse(Array("a\\d".utf8), options: RegexOptions(caseInsensitive: true))) != nil else {
            print("""
                ************************************************************************
                SKIPPED: CorpusRuleTests.mixedRuleSet: RegexParser is still the placeholder.
                Nothing was checked for mixed lists. Merge main once the parser lands.
                ************************************************************************
                """)
            return
        }
        for count in [10, 1_000, 10_000] {
            let rules = CorpusGenerator.rules(count: count, mix: .mixed, pcreOnlyFraction: 0.02, seed: 12)
            let set = try CorpusGenerator.ruleSet(rules)
            #expect(set.count == count)
            for (i, p) in set.patterns.enumerated() where rules[i].kind == .regex {
                #expect((p?.regex.pcreOnly.isEmpty ?? false) == !rules[i].isPCREOnly, "\(rules[i].patternText)")
            }
        }
    }
}

@Suite("CorpusGenerator replies")
struct CorpusReplyTests {
    @Test("same seed gives identical replies; the stream equals the array; another seed differs")
    func deterministic() {
        let a = CorpusGenerator.replies(count: 2_000, seed: 1)
        #expect(a == CorpusGenerator.replies(count: 2_000, seed: 1))
        #expect(CorpusGenerator.lines(a) != CorpusGenerator.lines(CorpusGenerator.replies(count: 2_000, seed: 2)))
        #expect(Array(CorpusGenerator.ReplyStream(seed: 1).prefix(2_000)) == a)
        #expect(a.count == 2_000)
        #expect(CorpusGenerator.replies(count: 0, seed: 1).isEmpty)
    }

    @Test("one reply per line: no LF, CR or TAB inside, never empty")
    func lineSafe() {
        for r in CorpusGenerator.replies(count: 20_000, seed: 4) {
            #expect(!r.bytes.isEmpty)
            #expect(!r.bytes.contains(where: isLineBreakOrTab))
        }
    }

    @Test("every variety occurs, and each tag is true of the bytes")
    func varieties() {
        let replies = CorpusGenerator.replies(count: 5_000, seed: 8)
        let wanted: [(String, CorpusGenerator.ReplyFeatures)] = [
            ("postfix", .postfixWrapped), ("exim", .eximWrapped), ("other wrapper", .otherWrapped),
            ("multi-line", .multiLine), ("upper-case", .upperCased), ("non-ASCII", .nonASCII),
            ("invalid UTF-8", .invalidUTF8), ("Latin-1", .latin1), ("transport", .transportEvent),
            ("unmatched", .expectedUnmatched),
        ]
        for (name, feature) in wanted {
            let n = replies.filter { $0.features.contains(feature) }.count
            #expect(n >= 10, "only \(n) \(name) replies in 5000")
        }
        for r in replies {
            let f = r.features
            // Stray invalid bytes may land inside a marker; the marker checks below skip those replies.
            let intact = !f.contains(.invalidUTF8) || f.contains(.latin1)
            let hasHigh = r.bytes.contains { $0 >= 0x80 }
            #expect(f.contains(.nonASCII) == (hasHigh && isValidUTF8(r.bytes)))
            #expect(f.contains(.invalidUTF8) == !isValidUTF8(r.bytes))
            if f.contains(.upperCased) { #expect(!r.bytes.contains { $0 >= 0x61 && $0 <= 0x7A }) }
            if f.contains(.postfixWrapped) && intact {
                #expect(containsFolded(r.bytes, Array(" said: ".utf8)) && containsFolded(r.bytes, Array("(in reply to ".utf8)))
            }
            if f.contains(.eximWrapped) && intact { #expect(containsFolded(r.bytes, Array("SMTP error from remote mail server after ".utf8))) }
            if f.contains(.multiLine) && intact {
                // A continuation line "NNN-" (at the start or after a space) and a last line " NNN " with the same code.
                let b = r.bytes
                let isDigit = { (x: UInt8) in x >= 0x30 && x <= 0x39 }
                let start = b.indices.first { i in
                    i + 3 < b.count && (i == 0 || b[i - 1] == 0x20 || b[i - 1] == UInt8(ascii: "'")) && isDigit(b[i]) && isDigit(b[i + 1]) && isDigit(b[i + 2])
                        && b[i + 3] == UInt8(ascii: "-")
                }
                #expect(start != nil, "no continuation code in \(String(decoding: b, as: UTF8.self)) \(f.rawValue)")
                if let start {
                    #expect(containsFolded(Array(b[start...]), [0x20] + Array(b[start..<start + 3]) + [0x20]))
                }
            }
            if f.contains(.transportEvent) {
                let b = r.bytes
                #expect(!(b.count >= 4 && b[0...2].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (b[3] == 0x20 || b[3] == 0x2D)))
            }
        }
    }

    @Test("a reasonable share of replies matches a substring list; the unmatched ones match nothing")
    func matchShare() {
        // Lowercased once, searched by first byte: the brute force must stay quick in debug builds.
        let replies = CorpusGenerator.replies(count: 1_500, seed: 21)
        let lowered = replies.map { $0.bytes.map(asciiLowercase) }
        // Small lists are mostly ID- and code-specific, so they catch less (Sisimai's 678 rules catch ~62% of
        // its corpus); the floor grows with the list.
        for (count, floor) in [(200, 0.25), (1_000, 0.6)] {
            let rules = CorpusGenerator.rules(count: count, mix: .substring, seed: 22).map { $0.pattern.map(asciiLowercase) }
            var matched = 0
            for (r, hay) in zip(replies, lowered) {
                let hit = rules.contains { lowerContains(hay, $0) }
                if hit { matched += 1 }
                if r.features.contains(.expectedUnmatched) {
                    #expect(!hit, "an 'unmatched' reply matched: \(String(decoding: r.bytes, as: UTF8.self))")
                }
            }
            let share = Double(matched) / Double(replies.count)
            #expect(share > floor && share < 0.97, "share \(share) with \(count) rules")
        }
    }
}

@Suite("Committed corpora")
struct CorpusFilesTests {
    /// The committed generated files are exactly what corpora/README.md's commands produce.
    @Test("corpora/ files regenerate byte-identically and stay small")
    func committedFilesMatchGenerator() throws {
        let dir = SharedCorpora.packageRoot + "/corpora/"
        let expected: [(String, [UInt8])] = [
            ("rules-substring-200.tsv", CorpusGenerator.tsv(CorpusGenerator.rules(count: 200, mix: .substring, seed: 1))),
            ("rules-mixed-300.tsv", CorpusGenerator.tsv(CorpusGenerator.rules(count: 300, mix: .mixed, seed: 1))),
            ("replies-5000.txt", CorpusGenerator.lines(CorpusGenerator.replies(count: 5_000, seed: 1))),
        ]
        var total = 0
        for (name, bytes) in expected {
            let file = SharedCorpora.readFile(dir + name)
            #expect(file == bytes, "\(name) differs from the generator; regenerate it with the command in corpora/README.md")
            total += file?.count ?? 0
        }
        for name in ["rules-demo.tsv", "replies-demo.txt", "README.md"] {
            total += SharedCorpora.readFile(dir + name)?.count ?? 0
        }
        #expect(total < 1_500_000)
    }

    @Test("the hand-written demo rules build a RuleSet and every demo reply is one clean line")
    func demoFiles() throws {
        let dir = SharedCorpora.packageRoot + "/corpora/"
        let tsv = SharedCorpora.readTSV(dir + "rules-demo.tsv")
        #expect(tsv.header == ["kind", "pattern", "label", "order"])
        #expect(tsv.rows.count >= 25)
        var rules: [Rule] = []
        for (i, row) in tsv.rows.enumerated() {
            #expect(row.count == 4)
            let kind = PatternKind(rawValue: String(decoding: row[0], as: UTF8.self))
            #expect(kind == .substring, "the demo list is a PowerMTA-style substring list")
            #expect(row[3] == Array(String(i).utf8))
            rules.append(Rule(name: "demo:\(i + 2)", kind: kind, pattern: row[1], label: String(decoding: row[2], as: UTF8.self),
                              location: SourceLocation(file: "rules-demo.tsv", line: i + 2), format: "tsv"))
        }
        #expect(try RuleSet(rules: rules).count == tsv.rows.count)
        let replies = (SharedCorpora.readFile(dir + "replies-demo.txt") ?? []).split(separator: 0x0A)
        #expect(replies.count >= 35)
        #expect(replies.allSatisfy { !$0.contains(0x0D) && !$0.contains(0x09) && !$0.isEmpty })
    }
}
