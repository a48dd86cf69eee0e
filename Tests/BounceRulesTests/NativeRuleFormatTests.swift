import BounceRules
import Testing
import TestSupport

func parseNative(_ text: String, file: String = "n.yaml", options: LoadOptions = LoadOptions()) -> RuleFileContents {
    NativeRuleFormat().parseFile(Array(text.utf8), file: file, options: options)
}

@Suite struct NativeRuleFormatTests {
    static let everyField = """
        bouncematch: 1
        case_sensitive: false
        isps:
          mycorp: [mycorp.example, "*.mycorp.example.net"]
        rules:
          - name: gmail-unknown
            regex: '^550[ -]5\\.1\\.1 .*does not exist'
            target: text
            case_sensitive: true
            code: [5xx, 55x, 550]
            enhanced: [5.1.1, 5.7.*, 4.*.*]
            domain: [example.com, "*.Example.ORG"]
            isp: [gmail, mycorp]
            ip: [192.0.2.0/24, "2001:db8::/32", 198.51.100.7]
            phase: [rcpt, DATA]
            priority: -5
            label: bad-mailbox
            actions:
              - retry-after: 30m
              - pause=60
              - fail
            continue: true
            details:
              source: gmail.pl:12
              category: "user"
          - kind: substring
            pattern: "mailbox full"
          - label: timed-out
            transport: true
          - exact: 'Over quota'
            recipient_error: true
            code: 452
            actions: {tag: quota, resends.number: "-1"}
        """

    @Test func everyFieldRoundTrips() {
        let c = parseNative(Self.everyField)
        #expect(c.errors.isEmpty, "\(c.errors)")
        #expect(c.isps == [ISPDefinition(name: "mycorp", domains: ["mycorp.example", "*.mycorp.example.net"], location: SourceLocation(file: "n.yaml", line: 4, column: 3))])
        #expect(c.rules.count == 4)
        let expected0 = Rule(
            name: "gmail-unknown", kind: .regex, pattern: Array(#"^550[ -]5\.1\.1 .*does not exist"#.utf8), target: .text,
            caseInsensitive: false,
            conditions: RuleConditions(
                codes: ["5xx", "55x", "550"].map { CodePattern(parsing: $0)! },
                enhancedCodes: ["5.1.1", "5.7.*", "4.*.*"].map { EnhancedCodePattern(parsing: $0)! },
                domains: [DomainPattern(parsing: "example.com"), DomainPattern(parsing: "*.example.org")],
                ispNames: ["gmail", "mycorp"],
                ips: ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"].map { IPRange(parsing: $0)! },
                phases: [.rcpt, .data]
            ),
            priority: -5, label: "bad-mailbox",
            actions: [RuleAction("retry-after", "30m"), RuleAction("pause", "60"), RuleAction("fail")],
            continues: true,
            location: SourceLocation(file: "n.yaml", line: 6, column: 5),
            patternLocation: SourceLocation(file: "n.yaml", line: 7, column: 13),
            format: "native",
            details: [RuleAction("source", "gmail.pl:12"), RuleAction("category", "user")]
        )
        #expect(c.rules[0] == expected0)
        #expect(c.rules[1] == Rule(name: "n.yaml:26", kind: .substring, pattern: Array("mailbox full".utf8),
                                   location: SourceLocation(file: "n.yaml", line: 26, column: 5),
                                   patternLocation: SourceLocation(file: "n.yaml", line: 27, column: 15), format: "native"))
        #expect(c.rules[2] == Rule(name: "n.yaml:28", kind: nil, pattern: [], conditions: RuleConditions(transportOnly: true),
                                   label: "timed-out", location: SourceLocation(file: "n.yaml", line: 28, column: 5), format: "native"))
        #expect(c.rules[3].kind == .exact)
        #expect(c.rules[3].target == .text)
        #expect(c.rules[3].conditions == RuleConditions(codes: [CodePattern(parsing: "452")!], recipientErrorOnly: true))
        #expect(c.rules[3].actions == [RuleAction("tag", "quota"), RuleAction("resends.number", "-1")])
    }

    @Test func fileDefaultAndOptionDefaultForCase() {
        #expect(parseNative("rules:\n  - regex: x\n").rules[0].caseInsensitive)
        #expect(!parseNative("rules:\n  - regex: x\n", options: LoadOptions(caseSensitive: true)).rules[0].caseInsensitive)
        #expect(!parseNative("case_sensitive: true\nrules:\n  - regex: x\n").rules[0].caseInsensitive)
        #expect(parseNative("case_sensitive: true\nrules:\n  - regex: x\n    case_sensitive: false\n").rules[0].caseInsensitive)
    }

    @Test func patternColumnsPerScalarStyle() {
        let c = parseNative("rules:\n  - regex: ab\n  - regex: 'ab'\n  - regex: \"ab\"\n  - regex: |\n      ab\n  - regex: >-\n\n        ab\n")
        #expect(c.errors.isEmpty)
        #expect(c.rules.map(\.patternLocation.description) == ["n.yaml:2:12", "n.yaml:3:13", "n.yaml:4:13", "n.yaml:6:7", "n.yaml:9:9"])
        #expect(c.rules[3].pattern == Array("ab\n".utf8))
        // A multibyte character before the pattern: columns are bytes, not characters.
        let u = parseNative("rules:\n  - {label: é, regex: ab}\n")
        #expect(u.rules[0].patternLocation.description == "n.yaml:2:24")
    }

    @Test func emptyDocumentHasNoRules() {
        let c = parseNative("# nothing yet\n")
        #expect(c.rules.isEmpty && c.errors.isEmpty)
        #expect(parseNative("rules:\n").errors.isEmpty)
    }

    @Test func errorPaths() {
        let cases: [(String, [String])] = [
            ("rules:\n  - regex: [unclosed\n", ["n.yaml:3:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 2:12)"]),
            ("rules:\n  - regex: x\n    codes: 550\n", ["n.yaml:3:5: unknown rule key 'codes', did you mean 'code'?"]),
            ("rules:\n  - regex: x\n    frobnicate: 1\n", ["n.yaml:3:5: unknown rule key 'frobnicate' (known: name, kind, pattern, substring, exact, wildcard, regex, target, case_sensitive, code, enhanced, domain, isp, ip, phase, transport, recipient_error, priority, label, actions, continue, details)"]),
            ("rule:\n  - regex: x\n", ["n.yaml:1:1: unknown top-level key 'rule', did you mean 'rules'?", "n.yaml:1:1: missing 'rules:' list"]),
            ("rules:\n  - regex: x\n    code: [550, 6xx, 5x]\n", ["n.yaml:3:17: bad code '6xx' (expected three positions like 550, 5xx or 55x, first 2-5)", "n.yaml:3:22: bad code '5x' (expected three positions like 550, 5xx or 55x, first 2-5)"]),
            ("rules:\n  - regex: x\n    enhanced: 5.7\n", ["n.yaml:3:15: bad enhanced code '5.7' (expected class.subject.detail like 5.1.1, 5.7.* or 4.*.*)"]),
            ("rules:\n  - regex: x\n    ip: 192.0.2.0/33\n", ["n.yaml:3:9: bad IP address or CIDR block '192.0.2.0/33' (expected e.g. 192.0.2.0/24 or 2001:db8::/32)"]),
            ("rules:\n  - regex: x\n    phase: quit\n", ["n.yaml:3:12: bad phase 'quit' (expected connect, helo, mail, rcpt or data)"]),
            ("rules:\n  - regex: x\n    domain: a b.com\n", ["n.yaml:3:13: bad domain 'a b.com' (expected example.com or *.example.com)"]),
            ("rules:\n  - kind: regex\n", ["n.yaml:2:5: kind 'regex' needs a 'pattern'"]),
            ("rules:\n  - kind: glob\n    pattern: x\n", ["n.yaml:2:11: unknown kind 'glob' (expected substring, exact, wildcard or regex)", "n.yaml:3:14: 'pattern' needs a 'kind' (substring, exact, wildcard or regex); or write e.g. 'regex: …'"]),
            ("rules:\n  - pattern: x\n", ["n.yaml:2:14: 'pattern' needs a 'kind' (substring, exact, wildcard or regex); or write e.g. 'regex: …'"]),
            ("rules:\n  - regex: ''\n", ["n.yaml:2:12: empty pattern (a rule without a pattern has neither 'kind' nor 'pattern')"]),
            ("rules:\n  - regex: x\n    substring: y\n", ["n.yaml:3:5: 'substring:' gives the kind and the pattern; the rule already has a kind"]),
            ("rules:\n  - regex: [a, b]\n", ["n.yaml:2:12: a pattern must be a single string, not a list"]),
            ("rules:\n  - regex: x\n    priority: high\n", ["n.yaml:3:15: priority must be an integer, found 'high'"]),
            ("rules:\n  - regex: x\n    continue: yes\n", ["n.yaml:3:15: 'continue' must be true or false, found 'yes'"]),
            ("rules:\n  - regex: x\n    target: body\n", ["n.yaml:3:13: target must be 'line' or 'text', found 'body'"]),
            ("rules:\n  - regex: x\n    label: [a]\n", ["n.yaml:3:12: 'label' must be a single value, not a list"]),
            ("rules:\n  - regex: x\n    actions: [{a: 1, b: 2}]\n", ["n.yaml:3:15: each item of 'actions' must be 'name: value' (one pair) or 'name=value'"]),
            ("rules:\n  - regex: x\n    regex: y\n", ["n.yaml:2:5: duplicate key 'regex' in one mapping (Yams points at its first occurrence)"]),
            ("rules:\n  - just a string\n", ["n.yaml:2:5: a rule must be a mapping ('- regex: …' followed by its keys)"]),
            ("rules: 5\n", ["n.yaml:1:8: 'rules' must be a list of rules (each item starts with '- ')"]),
            ("- a\n- b\n", ["n.yaml:1:1: the file must be a mapping with a 'rules:' list"]),
            ("bouncematch: 2\nrules:\n", ["n.yaml:1:14: unsupported format version '2' (this reader knows version 1)"]),
            ("isps: [gmail]\nrules:\n", ["n.yaml:1:7: 'isps' must map ISP names to lists of domains"]),
            ("rules:\n  - regex: x\n    code: []\n", ["n.yaml:3:11: 'code' is an empty list"]),
        ]
        for (text, expected) in cases {
            let c = parseNative(text)
            #expect(errorStrings(c.errors) == expected, "\(text)")
            #expect(c.rules.isEmpty, "\(text)")
        }
    }

    @Test func invalidUTF8AndDeepNesting() {
        let bytes = Array("rules:\n  - regex: ab".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let c = NativeRuleFormat().parseFile(bytes, file: "u.yaml", options: LoadOptions())
        #expect(errorStrings(c.errors) == ["u.yaml:2:14: the file is not valid UTF-8 (YAML is text; write raw bytes in a regex as \\xHH, or use a TSV rule list)"])
        let deep = "rules: " + String(repeating: "[", count: 100_000)
        let d = parseNative(deep, file: "d.yaml")
        #expect(errorStrings(d.errors) == ["d.yaml:1:520: nesting deeper than 512 levels"])
        let nul = NativeRuleFormat().parseFile(Array("rules:\n  - regex: 'a".utf8) + [0x00] + Array("b'\n".utf8), file: "z.yaml", options: LoadOptions())
        #expect(errorStrings(nul.errors) == ["z.yaml:2:14: YAML reader error: control characters are not allowed"])
        let long = "rules:\n  - substring: '" + String(repeating: "a", count: 1 << 20) + "'\n"
        #expect(parseNative(long).rules.first?.pattern.count == 1 << 20)
        let dashes = "rules:\n" + String(repeating: "- ", count: 50_000) + "x\n"
        #expect(parseNative(dashes).errors.count == 1)
    }

    @Test func sniffing() {
        let f = NativeRuleFormat()
        #expect(f.sniff(Array("# c\nbouncematch: 1\n".utf8)))
        #expect(f.sniff(Array("isps:\n  a: [b]\nrules:\n".utf8)))
        #expect(!f.sniff(Array("kind\tpattern\n".utf8)))
        #expect(!f.sniff(Array("  rules: x\n".utf8)))
    }

    @Test func randomMutationsNeverCrash() {
        var rng = SplitMix64(seed: 0x4A71_0003)
        let seed = Array(Self.everyField.utf8)
        let noise = Array(":-[]{}'\"|>#&*!%@`\n\t ".utf8) + [0x00, 0xFF]
        for _ in 0..<400 {
            var bytes = seed
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes.insert(noise[Int(rng.next() % UInt64(noise.count))], at: at)
                case 1: bytes.remove(at: at)
                default: bytes[at] = noise[Int(rng.next() % UInt64(noise.count))]
                }
            }
            let c = NativeRuleFormat().parseFile(bytes, file: "m.yaml", options: LoadOptions())
            for e in c.errors { #expect(e.location.line >= 1 && e.location.column >= 1, "\(e)") }
        }
    }
}
