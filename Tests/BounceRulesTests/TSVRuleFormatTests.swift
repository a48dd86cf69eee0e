import BounceRules
import Testing
import TestSupport

func parseTSV(_ text: String, file: String = "r.tsv", options: LoadOptions = LoadOptions()) -> (rules: [Rule], errors: [RuleFileError]) {
    TSVRuleFormat().parse(Array(text.utf8), file: file, options: options)
}

func errorStrings(_ errors: [RuleFileError]) -> [String] { errors.map(\.description) }

@Suite struct TSVRuleFormatTests {
    @Test func plainRowsWithoutHeader() {
        let (rules, errors) = parseTSV("substring\tuser unknown\tbad-mailbox\t0\nregex\t^550 \tx\n# comment\n\nexact\t over quota \n")
        #expect(errors.isEmpty)
        #expect(rules.count == 3)
        #expect(rules[0] == Rule(name: "r.tsv:1", kind: .substring, pattern: Array("user unknown".utf8), label: "bad-mailbox",
                                 location: SourceLocation(file: "r.tsv", line: 1), patternLocation: SourceLocation(file: "r.tsv", line: 1, column: 11),
                                 format: "tsv", details: [RuleAction("order", "0")]))
        #expect(rules[1].pattern == Array("^550 ".utf8))
        #expect(rules[1].target == .line)
        #expect(rules[2].name == "r.tsv:5")
        #expect(rules[2].pattern == Array(" over quota ".utf8))
        #expect(rules[2].target == .text)
        #expect(rules.allSatisfy { $0.caseInsensitive })
    }

    @Test func headerSkippedAndCRDropped() {
        let (rules, errors) = parseTSV("kind\tpattern\tlabel\torder\r\nsubstring\tfull \r\n")
        #expect(errors.isEmpty)
        #expect(rules.count == 1)
        #expect(rules[0].pattern == Array("full ".utf8))
        #expect(rules[0].location.line == 2)
    }

    @Test func rawBytesKept() {
        let bytes: [UInt8] = Array("substring\t".utf8) + [0xFF, 0x00, 0x5C, 0x6E] + Array("\tL\n".utf8)
        let (rules, errors) = TSVRuleFormat().parse(bytes, file: "b.tsv", options: LoadOptions())
        #expect(errors.isEmpty)
        #expect(rules.first?.pattern == [0xFF, 0x00, 0x5C, 0x6E])
    }

    @Test func kumoColumns() {
        let text = "kind\tpattern\taction\tduration\tdomain\torder\n"
            + "regex\tdeferred\tSuspend;SetConfig(max_message_rate=3/m); tag=x \t90m\tdefault\t0\n"
            + "regex\tx\tSuspendCampaign\t1 hour\tcomcast.net\t1\n"
            + "regex\ty\t\t\tprovider:gmail\t2\n"
        let (rules, errors) = parseTSV(text)
        #expect(errors.isEmpty)
        #expect(rules.count == 3)
        #expect(rules[0].actions == [RuleAction("Suspend"), RuleAction("SetConfig", "max_message_rate=3/m"), RuleAction("tag", "x")])
        #expect(rules[0].details == [RuleAction("duration", "90m"), RuleAction("order", "0")])
        #expect(rules[0].conditions.isEmpty)
        #expect(rules[1].conditions.domains == [DomainPattern(parsing: "comcast.net")])
        #expect(rules[2].conditions.isEmpty)
        #expect(rules[2].details == [RuleAction("domain", "provider:gmail"), RuleAction("order", "2")])
    }

    @Test func extraColumns() {
        let (rules, errors) = parseTSV("kind\tpattern\tpriority\ttarget\tcase\tsource\nregex\ta\t-3\ttext\tsensitive\tx.pl:3\n")
        #expect(errors.isEmpty)
        #expect(rules[0].priority == -3)
        #expect(rules[0].target == .text)
        #expect(!rules[0].caseInsensitive)
        #expect(rules[0].details == [RuleAction("source", "x.pl:3")])
    }

    @Test func caseSensitiveOption() {
        let (rules, _) = parseTSV("regex\tA\n", options: LoadOptions(caseSensitive: true))
        #expect(rules[0].caseInsensitive == false)
    }

    @Test func errorPaths() {
        let text = "kind\tpattern\tlabel\n"    // 1
            + "Regex\tx\n"                    // 2: bad kind (case matters)
            + "substring\n"                   // 3: no TAB
            + "substring\t\tL\n"              // 4: empty pattern
            + "regex\ta\tb\tc\n"              // 5: too many fields
            + "regex\tok\n"                   // 6: fine
        let (rules, errors) = parseTSV(text, file: "e.tsv")
        #expect(rules.count == 1)
        #expect(errorStrings(errors) == [
            "e.tsv:2:1: unknown kind 'Regex' (expected substring, exact, wildcard or regex)",
            "e.tsv:3:10: expected 'kind<TAB>pattern', found no TAB",
            "e.tsv:4:11: empty pattern",
            "e.tsv:5:11: too many fields: 4, the columns are kind, pattern, label",
        ])
        let bad = parseTSV("kind\tpattern\tpriority\ttarget\tcase\tlabel\tlabel\nregex\tx\tlow\tbody\tmaybe\n", file: "f.tsv")
        #expect(errorStrings(bad.errors) == [
            "f.tsv:1:41: column 'label' appears twice in the header",
            "f.tsv:2:9: priority must be an integer, found 'low'",
            "f.tsv:2:13: target must be 'line' or 'text', found 'body'",
            "f.tsv:2:18: case must be 'sensitive' or 'insensitive', found 'maybe'",
        ])
    }

    @Test func sniffing() {
        let f = TSVRuleFormat()
        #expect(f.sniff(Array("# x\nkind\tpattern\n".utf8)))
        #expect(f.sniff(Array("regex\tabc\n".utf8)))
        #expect(!f.sniff(Array("rules:\n  - regex: x\n".utf8)))
        #expect(!f.sniff([0x7F, 0x45, 0x4C, 0x46, 0x09, 0x00]))
    }

    @Test func everyCorpusRuleFileParses() {
        guard SharedCorpora.root != nil else {
            SharedCorpora.announceMissing("TSVRuleFormatTests.everyCorpusRuleFileParses")
            return
        }
        let files = SharedCorpora.ruleFiles()
        #expect(files.count >= 10)
        for file in files {
            let (rules, errors) = RuleLoader.loadRules(files: [file])
            #expect(errors.isEmpty, "\(file): \(errors.prefix(3))")
            let (_, rows) = SharedCorpora.readTSV(file)
            #expect(rules.count == rows.count, "\(file)")
            for (rule, row) in zip(rules, rows) {
                #expect(rule.pattern == row[1])
                #expect(rule.kind?.rawValue == String(decoding: row[0], as: UTF8.self))
            }
        }
    }

    @Test func randomMutationsNeverCrash() {
        var rng = SplitMix64(seed: 0x75F_0002)
        let seed = Array("kind\tpattern\tlabel\torder\nregex\t^550 \tx\t0\nsubstring\tfull\ty\t1\n".utf8)
        let noise: [UInt8] = [0x09, 0x0A, 0x0D, 0x23, 0x00, 0xFF, UInt8(ascii: "k")]
        for _ in 0..<2000 {
            var bytes = seed
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                let at = Int(rng.next() % UInt64(bytes.count + 1))
                switch rng.next() % 3 {
                case 0: bytes.insert(noise[Int(rng.next() % UInt64(noise.count))], at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                default: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: rng.next()) }
                }
            }
            let (rules, errors) = TSVRuleFormat().parse(bytes, file: "m.tsv", options: LoadOptions())
            for e in errors {
                #expect(e.location.line >= 1 && e.location.column >= 1)
            }
            #expect(rules.count + errors.count >= 1 || !bytes.contains(0x09))
        }
    }
}
