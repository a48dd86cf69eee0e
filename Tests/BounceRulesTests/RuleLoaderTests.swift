import BounceRules
import Testing
import TestSupport

@Suite struct RuleLoaderTests {
    @Test func filesLoadInOrderThenPriority() throws {
        let dir = TempFolder()
        let a = dir.write("a.tsv", "kind\tpattern\tlabel\tpriority\nsubstring\ta1\tA1\t\nsubstring\ta2\tA2\t5\n")
        let b = dir.write("b.yaml", "rules:\n  - substring: b1\n    label: B1\n  - substring: b2\n    label: B2\n    priority: 0\n")
        let set = try RuleLoader.load(files: [a, b])
        // Positions a1=0 a2=1 b1=2 b2=3; priorities a1=0 a2=5 b1=2 b2=0 → a1, b2 (tie at 0, later position), b1, a2.
        #expect(set.rules.map(\.label) == ["A1", "B2", "B1", "A2"])
        let reversed = try RuleLoader.load(files: [b, a])
        // Positions b1=0 b2=1 a1=2 a2=3; priorities b1=0 b2=0 a1=2 a2=5.
        #expect(reversed.rules.map(\.label) == ["B1", "B2", "A1", "A2"])
    }

    @Test func formatDetection() throws {
        let dir = TempFolder()
        let noExtTSV = dir.write("rules-list", "substring\tx\n")
        let noExtYAML = dir.write("rules-conf", "rules:\n  - substring: y\n")
        let loaded = RuleLoader.loadRules(files: [noExtTSV, noExtYAML])
        #expect(loaded.errors.isEmpty)
        #expect(loaded.rules.map(\.format) == ["tsv", "native"])
        let forced = RuleLoader.loadRules(files: [noExtTSV], options: LoadOptions(format: "native"))
        #expect(errorStrings(forced.errors) == ["\(noExtTSV):1:1: the file must be a mapping with a 'rules:' list"])
        let unknown = RuleLoader.loadRules(files: [noExtTSV], options: LoadOptions(format: "sendmail"))
        #expect(errorStrings(unknown.errors) == ["\(noExtTSV):1:1: unknown format 'sendmail' (known: \(RuleFormats.all.map(\.name).joined(separator: ", ")))"])
        #expect(RuleFormats.named("TSV")?.name == "tsv")
        #expect(RuleFormats.detect(file: "x.YML", bytes: [])?.name == "native")
    }

    @Test func fileErrorsAreAllCollected() {
        let dir = TempFolder()
        let empty = dir.write("empty.tsv", "")
        let blank = dir.write("blank.yaml", "\n\n")
        let garbage = dir.write("garbage.bin", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01, 0xFF, 0x0A, 0x00])
        let badRows = dir.write("bad.tsv", "nonsense\tx\nsubstring\tok\n")
        let missing = dir.path + "/missing.tsv"
        let folder = dir.path
        do {
            _ = try RuleLoader.load(files: [empty, blank, garbage, badRows, missing, folder])
            Issue.record("expected errors")
        } catch {
            // The registry grows with the importers; the message lists whatever it holds.
            let known = RuleFormats.all.map { "\($0.name) (.\($0.fileExtensions.joined(separator: ", .")))" }.joined(separator: ", ")
            #expect(known.hasPrefix("native (.yaml, .yml), tsv (.tsv)"))
            #expect(errorStrings(error.errors) == [
                "\(garbage):1:1: cannot tell the rule format from the file name or content; known formats: \(known)",
                "\(badRows):1:1: unknown kind 'nonsense' (expected substring, exact, wildcard or regex)",
                "\(missing):1:1: cannot read file: No such file or directory",
                "\(folder):1:1: cannot read file: Is a directory",
            ])
        }
        let binaryTSV = dir.write("binary.tsv", [UInt8](repeating: 0x00, count: 10) + [0x0A] + [UInt8](repeating: 0xFF, count: 3))
        let r = RuleLoader.loadRules(files: [binaryTSV])
        #expect(errorStrings(r.errors) == [
            "\(binaryTSV):1:11: expected 'kind<TAB>pattern', found no TAB",
            "\(binaryTSV):2:4: expected 'kind<TAB>pattern', found no TAB",
        ])
    }

    @Test func errorsAreCappedPerFile() {
        let dir = TempFolder()
        let many = dir.write("many.tsv", String(repeating: "bad\tx\n", count: 500))
        let r = RuleLoader.loadRules(files: [many])
        #expect(r.errors.count == RuleLoader.maxErrorsPerFile + 1)
        #expect(r.errors.last?.description == "\(many):101:1: 400 more errors in this file not shown")
    }

    @Test func customISPsReachTheRuleSet() throws {
        let dir = TempFolder()
        let isps = dir.write("isps.yaml", "isps:\n  corp: [corp.example, \"*.corp.net\"]\nrules:\n")
        let rules = dir.write("r.yaml", "rules:\n  - substring: full\n    isp: [corp, gmail]\n")
        let set = try RuleLoader.load(files: [isps, rules])
        #expect(set.rules[0].conditions.domains.map(\.description) == ["corp.example", "*.corp.net", "gmail.com", "googlemail.com"])
        do {
            _ = try RuleLoader.load(files: [rules], options: LoadOptions(isps: ISPTable(["gmail": ["gmail.com"]])))
            Issue.record("expected an unknown ISP error")
        } catch {
            #expect(errorStrings(error.errors) == ["\(rules):2:5: unknown ISP 'corp' (known: gmail)"])
        }
    }

    @Test func fileAndRuleSetErrorsAreMerged() {
        let dir = TempFolder()
        let bad = dir.write("bad.tsv", "wildcard\tab\\\nfoo\tx\n")
        do {
            _ = try RuleLoader.load(files: [bad])
            Issue.record("expected errors")
        } catch {
            #expect(errorStrings(error.errors) == [
                "\(bad):2:1: unknown kind 'foo' (expected substring, exact, wildcard or regex)",
                "\(bad):1:12: invalid wildcard pattern: wildcard ends with a lone '\\' (write '\\\\' for a backslash)",
            ])
        }
    }

    @Test func regexErrorColumnsPointIntoTheFile() {
        // Whatever the regex parser reports, the column is the pattern's column plus its offset.
        let dir = TempFolder()
        let tsv = dir.write("re.tsv", "regex\tab(\n")
        let yaml = dir.write("re.yaml", "rules:\n  - regex: 'ab('\n")
        do {
            _ = try RuleLoader.load(files: [tsv, yaml])
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.count == 2)
            let tsvColumn = error.errors[0].location.column, yamlColumn = error.errors[1].location.column
            #expect(error.errors[0].location.line == 1 && tsvColumn >= 7)
            #expect(error.errors[1].location.line == 2 && yamlColumn >= 13)
            #expect(tsvColumn - 7 == yamlColumn - 13)
        }
    }

    @Test func corpusRuleFilesLoadTogether() {
        guard SharedCorpora.root != nil else {
            SharedCorpora.announceMissing("RuleLoaderTests.corpusRuleFilesLoadTogether")
            return
        }
        let files = SharedCorpora.ruleFiles()
        let (rules, errors) = RuleLoader.loadRules(files: files)
        #expect(errors.isEmpty)
        #expect(rules.count > 2000)
        // Non-regex rules build now; regex rules need the regex parser (merged into main by the lead).
        let literal = rules.filter { $0.kind != .regex }
        #expect(literal.count > 1000)
        #expect(throws: Never.self) { try RuleSet(rules: literal) }
    }
}
