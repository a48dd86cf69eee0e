/// Which backend `classify` uses when none is named.
public enum ClassifyBackend {
    /// Tried in order: Hyperscan when it takes the whole rule set itself (no hybrid or undecidable rules),
    /// else PCRE2 behind its literal prefilter, else the naive reference engine.
    public static let preference = ["hyperscan", "pcre2-prefiltered", "naive"]

    /// Builds the first backend of `preference` that is registered, compiles `ruleSet` and (for Hyperscan)
    /// runs it without hybrid rules. Also returns why the ones before it were passed over.
    public static func makeDefault(
        _ ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()
    ) throws(MatcherError) -> (matcher: any Matcher, passedOver: [String]) {
        var passed: [String] = []
        var lastError: MatcherError?
        for (i, name) in preference.enumerated() {
            guard let d = Backends.named(name) else {
                passed.append("\(name): not registered")
                continue
            }
            do throws(MatcherError) {
                let m = try d.make(ruleSet, options)
                let last = i == preference.count - 1
                if name == "hyperscan", !last, let note = m.ruleNotes.first {
                    passed.append("\(name): \(m.ruleNotes.count) rule(s) would run hybrid or undecided (\(note))")
                    continue
                }
                return (m, passed)
            } catch {
                passed.append("\(name): \(error)")
                lastError = error
            }
        }
        throw lastError ?? MatcherError(backend: "classify", reason: "no backend registered")
    }
}
