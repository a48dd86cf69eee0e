import ArgumentParser
import BounceMatch

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load and validate rule files; list errors, PCRE-only rules and what each backend runs hybrid.",
        discussion: "Errors print as file:line:col: reason. Exit 1 on any error, 0 otherwise."
    )

    @OptionGroup var rules: RuleOptions

    @Flag(help: "Do not compile every backend (skips the hybrid/undecidable report).")
    var noBackends = false

    func run() throws {
        let ruleSet = try rules.load()
        print("\(ruleSet.count) rules loaded from \(rules.files.count) file(s)")
        var pcreOnly = 0
        for (i, rule) in ruleSet.rules.enumerated() {
            guard let p = ruleSet.patterns[i], !p.regex.pcreOnly.isEmpty else { continue }
            pcreOnly += 1
            let uses = p.regex.pcreOnly.map(\.description).joined(separator: ", ")
            print("\(rule.patternLocation): note: rule \(i) is PCRE-only (\(uses)): \(rule.patternText)")
        }
        print("\(pcreOnly) PCRE-only rule(s)")
        guard !noBackends else { return }
        for d in Backends.all {
            do {
                let m = try d.make(ruleSet, MatcherOptions())
                let notes = m.ruleNotes
                print("\(d.name): ok" + (notes.isEmpty ? "" : ", \(notes.count) rule(s) with notes"))
                for n in notes {
                    let r = ruleSet.rules[n.ruleIndex]
                    print("  \(r.patternLocation): \(d.name): rule \(n.ruleIndex) \(n.kind.rawValue): \(n.reason)")
                }
            } catch {
                print("\(d.name): cannot take this rule set: \(error)")
            }
        }
    }
}
