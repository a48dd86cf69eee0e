import BounceRules
import Testing
import TestSupport

@Suite struct ImporterBehaviourTests {
    /// Each fixture is recognized by its extension and content, without naming the format.
    @Test(arguments: [
        ("powermta-block.conf", "powermta"), ("powermta-tags.conf", "powermta"), ("mailerq.json", "mailerq"),
        ("altcraft.json", "altcraft"), ("cognos-smtprules.xml", "cognos"), ("kumomta-bounces.toml", "kumomta"),
        ("kumomta-shaping.toml", "kumomta"),
    ])
    func detection(file: String, format: String) {
        let bytes = ImporterFixtures.bytes(file)
        #expect(RuleFormats.detect(file: file, bytes: bytes)?.name == format)
        // Content alone (no telling extension) finds the same format.
        #expect(RuleFormats.detect(file: "rules.unknown", bytes: bytes)?.name == format)
        #expect(RuleFormats.named(format)?.sniff(bytes) == true)
    }

    @Test func jsonFormatsDoNotClaimEachOther() {
        #expect(RuleFormats.named("mailerq")?.sniff(ImporterFixtures.bytes("altcraft.json")) == false)
        #expect(RuleFormats.named("altcraft")?.sniff(ImporterFixtures.bytes("mailerq.json")) == false)
    }

    @Test func loaderReadsEveryFixtureByDetection() {
        let files = ["powermta-block.conf", "mailerq.json", "altcraft.json", "cognos-smtprules.xml", "kumomta-bounces.toml"]
        let (rules, errors) = RuleLoader.loadRules(files: files.map(ImporterFixtures.path))
        #expect(errors.isEmpty, "\(errors)")
        #expect(Set(rules.map(\.format)) == ["powermta", "mailerq", "altcraft", "cognos", "kumomta"])
    }

    @Test func altcraftReturnsItsISPs() {
        let c = ImporterFixtures.parse("altcraft.json", format: "altcraft")
        #expect(c.isps.map(\.name) == ["Rambler"])
        #expect(c.isps.first?.domains == ["rambler.ru", "*.rambler.ru"])
    }

    @Test func powerMTAListReferences() {
        let refs = PowerMTARuleFormat.references(ImporterFixtures.bytes("powermta-tags.conf"), file: "t.conf")
        #expect(refs.defined.map(\.name) == ["backoff-list", "unused-list"])
        #expect(refs.used.map(\.name) == ["backoff-list"])
        #expect(refs.used.first?.scope == "domain gmail.com")
        #expect(refs.used.first?.location.description == "t.conf:3:23")
    }

    /// `#` cuts a quoted string too, exactly as a regex: PowerMTA's comment rule knows no quoting.
    @Test func powerMTAHashCutsQuotedString() {
        let bytes = Array("smtp-pattern-list l {\n  \"ticket #1\" bounce type=spam\n}\n".utf8)
        let (rules, errors) = PowerMTARuleFormat().parse(bytes, file: "f", options: LoadOptions())
        #expect(rules.isEmpty)
        #expect(errors.map(\.description) == ["f:2:3: string is not closed on this line ('#' starts a comment even inside a pattern; write \\x23 in a regex to match '#')"])
    }

    /// PowerMTA and KumoMTA fix case sensitivity themselves; the global option does not change them.
    @Test func productCaseSemanticsIgnoreGlobalDefault() {
        let sensitive = LoadOptions(caseSensitive: true)
        let p = ImporterFixtures.parse("powermta-block.conf", format: "powermta", options: sensitive)
        #expect(p.rules.allSatisfy { $0.caseInsensitive })
        let k = ImporterFixtures.parse("kumomta-bounces.toml", format: "kumomta", options: LoadOptions(caseSensitive: false))
        #expect(k.rules.allSatisfy { !$0.caseInsensitive })
        let m = ImporterFixtures.parse("mailerq.json", format: "mailerq", options: sensitive)
        #expect(m.rules.filter { $0.name == "Mailbox unavailable" }.allSatisfy { !$0.caseInsensitive })
    }

    /// TOML string forms decode to the same regex bytes KumoMTA's Rust regex receives.
    @Test func tomlStringForms() {
        let toml = #"""
            [rules]
            A = ["a\\.b", 'a\.b', '''a\.b''', """a\\.b""", "\u0041\t", """
            x\
               y"""]
            """#
        let (rules, errors) = KumoMTARuleFormat().parse(Array(toml.utf8), file: "t.toml", options: LoadOptions())
        #expect(errors.isEmpty, "\(errors)")
        #expect(rules.map { String(decoding: $0.pattern, as: UTF8.self) } == [#"a\.b"#, #"a\.b"#, #"a\.b"#, #"a\.b"#, "A\t", "xy"])
    }

    /// Classes keep file order (not sorted): KumoMTA's first match depends on it.
    @Test func kumoClassOrderIsFileOrder() {
        let toml = "[rules]\nZebra = [\"z\"]\nAlpha = [\"a\", \"b\"]\nMiddle = [\"m\"]\n"
        let (rules, _) = KumoMTARuleFormat().parse(Array(toml.utf8), file: "t.toml", options: LoadOptions())
        #expect(rules.map(\.label) == ["Zebra", "Alpha", "Alpha", "Middle"])
    }

    /// Rebuilds a classifier TOML from the real KumoMTA community rules (read in place) and checks that import
    /// yields the TSV's order, class and pattern bytes exactly.
    @Test func kumoCommunityOrderRoundTrip() {
        guard let root = SharedCorpora.root else {
            SharedCorpora.announceMissing("ImporterBehaviourTests.kumoCommunityOrderRoundTrip")
            return
        }
        for name in ["rules-kumomta-bounces.tsv", "rules-kumomta-iana.tsv"] {
            let (header, rows) = SharedCorpora.readTSV(root + "/kumomta/" + name)
            guard let pi = header.firstIndex(of: "pattern"), let li = header.firstIndex(of: "label"), let oi = header.firstIndex(of: "order") else {
                Issue.record("\(name): unexpected header \(header)")
                continue
            }
            let sorted = rows.sorted { Int(String(decoding: $0[oi], as: UTF8.self))! < Int(String(decoding: $1[oi], as: UTF8.self))! }
            var classes: [(String, [[UInt8]])] = []
            for row in sorted {
                let label = String(decoding: row[li], as: UTF8.self)
                if classes.last?.0 == label { classes[classes.count - 1].1.append(row[pi]) } else { classes.append((label, [row[pi]])) }
            }
            var toml: [UInt8] = Array("[rules]\n".utf8)
            for (label, patterns) in classes {
                toml += Array("\(label) = [\n".utf8)
                for p in patterns { toml += Array("  '''".utf8) + p + Array("''',\n".utf8) }
                toml += Array("]\n".utf8)
            }
            let (rules, errors) = KumoMTARuleFormat().parse(toml, file: name, options: LoadOptions())
            #expect(errors.isEmpty, "\(errors)")
            #expect(rules.map(\.label) == sorted.map { String(decoding: $0[li], as: UTF8.self) })
            #expect(rules.map(\.pattern) == sorted.map { $0[pi] })
        }
    }

    /// FoundationXML traps on an element name that is not UTF-8 (found by the fuzz test); the importer refuses first.
    @Test func cognosInvalidUTF8IsAnErrorNotATrap() {
        let bytes = Array("<smtpRules>\n  <smtpRule".utf8) + [0xFF] + Array("/>\n</smtpRules>\n".utf8)
        let (rules, errors) = CognosRuleFormat().parse(bytes, file: "x.xml", options: LoadOptions())
        #expect(rules.isEmpty)
        #expect(errors.map(\.description) == ["x.xml:2:12: the file is not valid UTF-8 (write other characters as &#NNN;)"])
    }
}
