import ArgumentParser
import BounceMatch

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Explain one reply: the winning rule, its label and actions, the matched span, and the chain.",
        discussion: "Like PowerMTA's `pmta test-pattern`. Exit 0 when the reply was evaluated (matched or not)."
    )

    @OptionGroup var rules: RuleOptions
    @OptionGroup var context: ContextOptions

    @Option(help: ArgumentHelp("Backend that decides the match.", valueName: "NAME"))
    var backend: String = "naive"

    @Argument(help: "The reply text (a multi-line reply may use real line breaks).")
    var reply: String

    func run() throws {
        let descriptor = try lookupBackend(backend)
        let ruleSet = try rules.load()
        let matcher = try makeMatcher(descriptor, ruleSet)
        let spans = try makeMatcher(Backends.reference, ruleSet) as! NaiveMatcher
        let parsed = Reply(parsing: Array(reply.utf8), context: context.context)
        let e = Explanation(reply: parsed, matcher: matcher, spans: spans)
        print(ExplanationText.render(e, ruleSet: ruleSet, color: isatty(1) != 0))
    }
}

/// Human-readable rendering of an `Explanation`.
enum ExplanationText {
    static func render(_ e: Explanation, ruleSet: RuleSet, color: Bool) -> String {
        let r = e.reply
        var lines: [String] = []
        lines.append("reply:    \(String(decoding: r.line, as: UTF8.self))")
        var parsed: [String] = []
        parsed.append(r.code.map { "code \($0)" } ?? "no code (transport event)")
        if let en = r.enhanced { parsed.append("enhanced \(en)") }
        parsed.append("text from byte \(r.textStart)")
        lines.append("parsed:   " + parsed.joined(separator: ", "))
        if e.result.undecided >= 0 {
            let u = ruleSet.rules[e.result.undecided]
            lines.append("warning:  rule \(e.result.undecided) (\(u.location)) could not be decided (step budget or match limit)")
        }
        guard e.result.ruleIndex >= 0 else {
            lines.append("match:    none (-1): no rule matched")
            return lines.joined(separator: "\n")
        }
        let rule = ruleSet.rules[e.result.ruleIndex]
        let kind = rule.kind.map { "\($0.rawValue) on \(rule.target.rawValue)" } ?? "no pattern"
        let cs = rule.caseInsensitive ? "case-insensitive" : "case-sensitive"
        lines.append("match:    rule \(e.result.ruleIndex) at \(rule.location) \"\(rule.name)\"")
        lines.append("source:   \(rule.sourceTerms)")
        if rule.kind != nil { lines.append("pattern:  \(rule.patternText)  (\(kind), \(cs))") }
        if !rule.conditions.isEmpty { lines.append("when:     \(describe(rule.conditions))") }
        lines.append("label:    \(rule.label.isEmpty ? "(none)" : rule.label)")
        if !rule.actions.isEmpty { lines.append("actions:  " + rule.actions.map(\.description).joined(separator: " ")) }
        if !rule.details.isEmpty { lines.append("details:  " + rule.details.map(\.description).joined(separator: " ")) }
        if let s = e.span {
            let before = String(decoding: r.line[..<s.lowerBound], as: UTF8.self)
            let hit = String(decoding: r.line[s], as: UTF8.self)
            let after = String(decoding: r.line[s.upperBound...], as: UTF8.self)
            let marked = color ? "\(before)\u{1B}[1;4;31m\(hit)\u{1B}[0m\(after)" : "\(before)[\(hit)]\(after)"
            lines.append("span:     \(marked)  (bytes \(s.lowerBound)..<\(s.upperBound))")
        }
        let chain = e.chain.map { i in "\(i) (\(ruleSet.rules[i].label.isEmpty ? ruleSet.rules[i].name : ruleSet.rules[i].label))" }
        lines.append("chain:    " + chain.joined(separator: " -> "))
        if e.chain.count > 1 {
            for i in e.chain { lines.append("  \(i): \(ruleSet.rules[i].sourceTerms)") }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ c: RuleConditions) -> String {
        var parts: [String] = []
        if !c.codes.isEmpty { parts.append("code " + c.codes.map(\.description).joined(separator: "|")) }
        if !c.enhancedCodes.isEmpty { parts.append("enhanced " + c.enhancedCodes.map(\.description).joined(separator: "|")) }
        if !c.ispNames.isEmpty { parts.append("isp " + c.ispNames.joined(separator: "|")) }
        if !c.domains.isEmpty { parts.append("domain " + c.domains.map(\.description).joined(separator: "|")) }
        if !c.ips.isEmpty { parts.append("ip " + c.ips.map(\.description).joined(separator: "|")) }
        if !c.phases.isEmpty { parts.append("phase " + c.phases.map(\.rawValue).joined(separator: "|")) }
        if c.transportOnly { parts.append("transport events only") }
        if c.recipientErrorOnly { parts.append("recipient errors only") }
        return parts.joined(separator: ", ")
    }
}

#if canImport(Glibc)
import Glibc
#endif
