import BounceRules
import Testing

/// Imported rules mean what the product means: conditions select the replies the product's rule would.
@Suite struct ImporterSemanticsTests {
    /// The first Cognos rule whose conditions hold, as the delivery service picks it (no patterns involved).
    func cognosBehaviour(_ reply: Reply) -> String? {
        let set: RuleSet
        do { set = try RuleSet(rules: ImporterFixtures.parse("cognos-smtprules.xml", format: "cognos").rules) } catch {
            Issue.record("rule set: \(error)")
            return nil
        }
        return set.rules.first { $0.kind == nil && $0.conditions.hold(for: reply) }?.label
    }

    @Test func cognosPicksByCodeAndErrorType() {
        #expect(cognosBehaviour(Reply(parsing: "502 5.5.2 command not recognized")) == "specialErrorCode-550")
        #expect(cognosBehaviour(Reply(parsing: "550 5.7.1 relaying denied")) == "specialErrorCode-550")
        #expect(cognosBehaviour(Reply(parsing: "connect to mx.example.com[192.0.2.1]:25: Connection timed out")) == "transport")
        #expect(cognosBehaviour(Reply(parsing: "553 5.1.3 bad recipient address syntax")) == "invalidRecips")
        #expect(cognosBehaviour(Reply(parsing: "451 4.3.0 try later")) == "default")
    }

    /// The default behaviour is the last rule and holds for every reply.
    @Test func cognosDefaultIsLastAndUnconditional() {
        let rules = ImporterFixtures.parse("cognos-smtprules.xml", format: "cognos").rules
        #expect(rules.last?.details.contains(RuleAction("default", "true")) == true)
        #expect(rules.last?.conditions.isEmpty == true)
        #expect(rules.dropLast().allSatisfy { !$0.conditions.isEmpty })
    }

    /// Substring rules build into a rule set whose order is the file's (PowerMTA first match wins).
    @Test func powerMTABlockBuildsInFileOrder() throws {
        let rules = ImporterFixtures.parse("powermta-block.conf", format: "powermta").rules
        let set = try RuleSet(rules: rules)
        #expect(set.rules.map(\.location.line) == rules.map(\.location.line))
        #expect(set.patterns.allSatisfy { $0?.literal != nil })
    }

    /// MailerQ priorities order the triggers; the flood patterns (no priority) keep their positions.
    @Test func mailerQPriorityOrder() throws {
        let rules = ImporterFixtures.parse("mailerq.json", format: "mailerq").rules.filter { $0.kind != .regex }
        let set = try RuleSet(rules: rules)
        #expect(set.rules.map(\.name) == [
            "General: Greylisted for 5 minutes", "Wildcard rejection", "Deferred", "Mailbox unavailable",
        ])
    }

    /// An Altcraft ISP the file defines resolves through the loader into domain conditions.
    @Test func altcraftFileISPsResolve() {
        let (rules, isps, errors) = RuleLoader.loadRulesAndISPs(files: [ImporterFixtures.path("altcraft.json")], options: LoadOptions())
        #expect(errors.isEmpty)
        #expect(isps.domains(forISP: "rambler")?.map(\.description) == ["rambler.ru", "*.rambler.ru"])
        #expect(rules.first?.conditions.ispNames == ["Rambler"])
    }
}
