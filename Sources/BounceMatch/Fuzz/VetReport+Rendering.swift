import BounceRules

extension VetReport {
    /// Human-readable report: one block per finding (blocking first), then a summary line.
    public func text(ruleSet: RuleSet) -> String {
        var out = ""
        let ordered = findings.enumerated().sorted { a, b in
            a.element.blocking != b.element.blocking ? a.element.blocking : a.offset < b.offset
        }.map(\.element)
        for f in ordered {
            let loc = f.rule.map { ruleSet.rules[$0].patternLocation.description + ": " } ?? ""
            out += "\(loc)\(f.blocking ? "error" : "warning"): [\(f.kind.rawValue)] \(f.message)\n"
            if let e = f.example { out += "    example reply: \(FuzzText.escaped(e))\n" }
            for d in f.details { out += "    \(d)\n" }
        }
        let counts = VetFinding.Kind.allCases.compactMap { k -> String? in
            let n = findings.filter { $0.kind == k }.count
            return n == 0 ? nil : "\(n) \(k.rawValue)"
        }
        out += "\nvetted \(rulesVetted) rule(s) of \(ruleSet.count); \(samplesTried) sampled replies, \(corpusReplies) corpus replies, "
        out += "\(differentialReplies) replies compared across backends; seed \(seed); \(format2(elapsed)) s\n"
        if labelChanges > 0 { out += "\(labelChanges) of \(corpusReplies) corpus replies change their label with the new rules\n" }
        if !cutShort.isEmpty { out += "time limit reached during: \(cutShort.joined(separator: "; "))\n" }
        out += counts.isEmpty ? "no findings\n" : "findings: \(counts.joined(separator: ", "))\n"
        out += hasBlocking ? "BLOCKING findings present\n" : "no blocking findings\n"
        return out
    }

    /// One JSON object for CI.
    public func json(ruleSet: RuleSet) -> String {
        let items = findings.map { f -> String in
            var pairs: [(String, String)] = [
                ("kind", JSON.string(f.kind.rawValue)), ("blocking", f.blocking ? "true" : "false"),
                ("message", JSON.string(f.message)),
            ]
            if let r = f.rule {
                pairs.append(("rule", String(r)))
                pairs.append(("ruleName", JSON.string(ruleSet.rules[r].name)))
                pairs.append(("location", JSON.string(ruleSet.rules[r].patternLocation.description)))
            }
            if let o = f.otherRule {
                pairs.append(("otherRule", String(o)))
                pairs.append(("otherRuleName", JSON.string(ruleSet.rules[o].name)))
            }
            if let b = f.backend { pairs.append(("backend", JSON.string(b))) }
            pairs.append(("example", f.example.map { JSON.string(bytes: $0) } ?? "null"))
            pairs.append(("details", JSON.array(f.details.map(JSON.string))))
            return JSON.object(pairs)
        }
        return JSON.object([
            ("rulesVetted", String(rulesVetted)), ("rules", String(ruleSet.count)), ("seed", String(seed)),
            ("samples", String(samplesTried)), ("corpusReplies", String(corpusReplies)),
            ("differentialReplies", String(differentialReplies)), ("labelChanges", String(labelChanges)),
            ("elapsedSeconds", format2(elapsed)), ("cutShort", JSON.array(cutShort.map(JSON.string))),
            ("blocking", hasBlocking ? "true" : "false"), ("findings", JSON.array(items)),
        ])
    }
}
