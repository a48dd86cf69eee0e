import BounceRules
import Testing

func reply(_ text: String, domain: String? = nil, ip: String? = nil, phase: SMTPPhase? = nil) -> Reply {
    Reply(parsing: text, context: ReplyContext(recipientDomain: domain, sendingIP: ip, phase: phase))
}

@Suite struct RuleConditionsTests {
    @Test func codePatterns() {
        let c5xx = RuleConditions(codes: [CodePattern(parsing: "5xx")!])
        let c55x = RuleConditions(codes: [CodePattern(parsing: "55X")!])
        #expect(c5xx.hold(for: reply("550 x")) && c5xx.hold(for: reply("521 x")))
        #expect(!c5xx.hold(for: reply("450 x")))
        #expect(c55x.hold(for: reply("554 x")) && !c55x.hold(for: reply("541 x")))
        #expect(!c5xx.hold(for: reply("connection refused")))
        #expect(c5xx.hold(for: reply("host x said: 550 5.1.1 no")))
        #expect(CodePattern(parsing: "650") == nil && CodePattern(parsing: "55") == nil && CodePattern(parsing: "5a0") == nil)
        #expect(CodePattern(parsing: "xxx") != nil)
    }

    @Test func enhancedPatterns() {
        let e = RuleConditions(enhancedCodes: [EnhancedCodePattern(parsing: "5.7.*")!])
        #expect(e.hold(for: reply("550 5.7.1 spam")) && e.hold(for: reply("554 5.7.26 dmarc")))
        #expect(!e.hold(for: reply("550 5.1.1 user")))
        #expect(!e.hold(for: reply("550 user unknown")))
        #expect(EnhancedCodePattern(parsing: "4.*.*")!.matches(EnhancedCode(4, 2, 2)))
        #expect(EnhancedCodePattern(parsing: "3.1.1") == nil && EnhancedCodePattern(parsing: "5.1") == nil)
        #expect(EnhancedCodePattern(parsing: "5.1234.1") == nil && EnhancedCodePattern(parsing: "5..1") == nil)
    }

    @Test func domainsAndSubdomains() {
        let d = RuleConditions(domains: [DomainPattern(parsing: "*.example.com"), DomainPattern(parsing: "other.org")])
        #expect(d.hold(for: reply("550 x", domain: "example.com")))
        #expect(d.hold(for: reply("550 x", domain: "mx.EXAMPLE.com")))
        #expect(!d.hold(for: reply("550 x", domain: "badexample.com")))
        #expect(d.hold(for: reply("550 x", domain: "other.org")))
        #expect(!d.hold(for: reply("550 x", domain: "sub.other.org")))
        #expect(!d.hold(for: reply("550 x")))
    }

    @Test func ispsResolveThroughTheRuleSet() throws {
        let rule = Rule(name: "r", kind: .substring, pattern: Array("x".utf8),
                        conditions: RuleConditions(ispNames: ["Gmail"]), location: SourceLocation(file: "f", line: 1), format: "native")
        let set = try RuleSet(rules: [rule])
        #expect(set.rules[0].conditions.hold(for: reply("550 x", domain: "googlemail.com")))
        #expect(!set.rules[0].conditions.hold(for: reply("550 x", domain: "yahoo.com")))
    }

    @Test func ipRanges() {
        let v4 = RuleConditions(ips: [IPRange(parsing: "192.0.2.0/24")!])
        #expect(v4.hold(for: reply("550 x", ip: "192.0.2.200")))
        #expect(!v4.hold(for: reply("550 x", ip: "192.0.3.1")))
        #expect(!v4.hold(for: reply("550 x")))
        let v6 = RuleConditions(ips: [IPRange(parsing: "2001:db8::/32")!])
        #expect(v6.hold(for: reply("550 x", ip: "2001:db8:1::5")))
        #expect(!v6.hold(for: reply("550 x", ip: "2001:db9::1")))
        #expect(!v6.hold(for: reply("550 x", ip: "192.0.2.1")))
        #expect(IPRange(parsing: "10.0.0.0/33") == nil && IPRange(parsing: "2001:db8::/129") == nil && IPRange(parsing: "1.2.3") == nil)
    }

    @Test func phaseTransportRecipient() {
        let p = RuleConditions(phases: [.rcpt, .data])
        #expect(p.hold(for: reply("550 x", phase: .rcpt)) && !p.hold(for: reply("550 x", phase: .mail)) && !p.hold(for: reply("550 x")))
        let t = RuleConditions(transportOnly: true)
        #expect(t.hold(for: reply("connect to x[192.0.2.1]:25: Connection refused")))
        #expect(!t.hold(for: reply("421 busy")))
        let r = RuleConditions(recipientErrorOnly: true)
        #expect(r.hold(for: reply("550 5.1.1 unknown")) && r.hold(for: reply("452 4.5.3 too many")))
        #expect(r.hold(for: reply("550 no", phase: .rcpt)))
        #expect(!r.hold(for: reply("550 5.7.1 spam")) && !r.hold(for: reply("550 no")))
    }

    @Test func allConditionsMustHold() {
        let c = RuleConditions(codes: [CodePattern(parsing: "550")!], domains: [DomainPattern(parsing: "a.com")], phases: [.rcpt])
        #expect(c.hold(for: reply("550 x", domain: "a.com", phase: .rcpt)))
        #expect(!c.hold(for: reply("550 x", domain: "a.com")))
        #expect(!c.hold(for: reply("551 x", domain: "a.com", phase: .rcpt)))
        #expect(RuleConditions().hold(for: reply("")))
    }
}
