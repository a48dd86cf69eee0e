import BounceRules

extension RuleVetter {
    /// Loads `existing` then `new` rule files into one rule set (new rules after the existing ones, or before
    /// them with `newFirst`; explicit priorities still order them) and says which rules are new.
    public static func loadRuleSet(
        existing: [String], new: [String], newFirst: Bool = false, options: LoadOptions = LoadOptions()
    ) throws(RuleSetError) -> (ruleSet: RuleSet, newFiles: Set<String>) {
        let (oldRules, isps, oldErrors) = RuleLoader.loadRulesAndISPs(files: existing, options: options)
        var both = options
        both.isps = isps
        let (newRules, allISPs, newErrors) = RuleLoader.loadRulesAndISPs(files: new, options: both)
        let errors = oldErrors + newErrors
        if !errors.isEmpty { throw RuleSetError(errors) }
        let set = try RuleSet(rules: newFirst ? newRules + oldRules : oldRules + newRules, isps: allISPs)
        return (set, Set(new))
    }

    /// Replies of a corpus file: one per line, or the `reply` column of a TSV file with a header (the
    /// `\r \n \t \\` escapes of the shared KumoMTA corpus undone). A trailing CR of a line is dropped.
    public static func readCorpus(path: String, context: ReplyContext = ReplyContext()) throws(InputError) -> [Reply] {
        let reader = try LineReader(path: path)
        var lines: [[UInt8]] = []
        while let line = reader.withNextLine({ Array($0) }) { lines.append(line) }
        if let e = reader.readError { throw InputError(path: path, reason: e) }
        var column: Int? = nil
        if path.hasSuffix(".tsv"), let header = lines.first {
            column = header.split(separator: 0x09, omittingEmptySubsequences: false).firstIndex { Array($0) == Array("reply".utf8) }
            if column != nil { lines.removeFirst() }
        }
        return lines.compactMap { line -> Reply? in
            guard let column else { return Reply(parsing: line, context: context) }
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            guard column < fields.count else { return nil }
            return Reply(parsing: unescape(Array(fields[column])), context: context)
        }
    }

    static func unescape(_ field: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < field.count {
            if field[i] == 0x5C, i + 1 < field.count {
                let map: [UInt8: UInt8] = [0x72: 0x0D, 0x6E: 0x0A, 0x74: 0x09, 0x5C: 0x5C]
                if let b = map[field[i + 1]] { out.append(b); i += 2; continue }
            }
            out.append(field[i])
            i += 1
        }
        return out
    }
}
