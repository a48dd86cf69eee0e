import BounceRules

extension LintReport {
    /// The human report: the load summary and PCRE-only/backends lines `check` always printed, then every
    /// finding as `file:line:col: severity: [kind] message`, with the pattern, an example and a suggestion.
    public func text() -> String {
        var out: [String] = []
        let rules = ruleSet.rules
        out.append("\(rules.count) rules loaded from \(files.count) file(s)")
        for f in findings where f.kind == .pcreOnly { out.append("\(f.location): note: \(f.message)") }
        out.append("\(count(.pcreOnly)) PCRE-only rule(s)")
        for b in backends {
            if let e = b.error {
                out.append("\(b.name): cannot take this rule set: \(e)")
                continue
            }
            out.append("\(b.name): ok" + (b.notes.isEmpty ? "" : ", \(b.notes.count) rule(s) with notes"))
            for n in b.notes {
                out.append("  \(rules[n.ruleIndex].patternLocation): \(b.name): rule \(n.ruleIndex) \(n.kind.rawValue): \(n.reason)")
            }
        }
        for f in findings where f.kind != .pcreOnly && f.kind != .backendNote {
            out.append("\(f.location): \(f.severity.rawValue): [\(f.kind.rawValue)] \(f.message)")
            if let r = f.rule, rules[r].kind != nil { out.append("    pattern: \(rules[r].kind!.rawValue) \(rules[r].patternText)") }
            if let rel = f.related, rules[rel].kind != nil || true {
                let p = rules[rel].kind.map { "\($0.rawValue) \(rules[rel].patternText)" } ?? "(no pattern)"
                out.append("    by:      \(rules[rel].location): \(p)")
            }
            if let e = f.example { out.append("    example: \(String(decoding: e, as: UTF8.self))") }
            if let s = f.suggestion { out.append("    suggest: \(s)") }
        }
        var summary = "\(warningCount) warning(s), \(noteCount) note(s)"
        if let n = corpusReplies { summary += "; corpus of \(n) replies" }
        out.append(summary)
        return out.joined(separator: "\n")
    }

    /// One JSON object: `files`, `rules`, `corpusReplies`, `backends`, `findings` (each with `kind`,
    /// `severity`, `rule`, `location`, `message`, `pattern`, `related`, `example`, `suggestion`) and `summary`.
    public func json() -> String {
        let rules = ruleSet.rules
        func loc(_ l: SourceLocation) -> String {
            JSON.object([("file", JSON.string(l.file)), ("line", String(l.line)), ("column", String(l.column))])
        }
        func ruleRef(_ i: Int) -> String {
            JSON.object([
                ("index", String(i)), ("name", JSON.string(rules[i].name)), ("location", loc(rules[i].location)),
                ("kind", rules[i].kind.map { JSON.string($0.rawValue) } ?? "null"),
                ("pattern", rules[i].kind == nil ? "null" : JSON.string(bytes: rules[i].pattern)),
                ("label", JSON.string(rules[i].label)),
            ])
        }
        let items = findings.map { f in
            JSON.object([
                ("kind", JSON.string(f.kind.rawValue)), ("severity", JSON.string(f.severity.rawValue)),
                ("location", loc(f.location)), ("message", JSON.string(f.message)),
                ("rule", f.rule.map(ruleRef) ?? "null"), ("related", f.related.map(ruleRef) ?? "null"),
                ("example", f.example.map { JSON.string(bytes: $0) } ?? "null"),
                ("suggestion", f.suggestion.map(JSON.string) ?? "null"),
            ])
        }
        let backendItems = backends.map { b in
            JSON.object([
                ("name", JSON.string(b.name)), ("ok", b.error == nil ? "true" : "false"),
                ("error", b.error.map(JSON.string) ?? "null"),
                ("hybrid", String(b.notes.filter { $0.kind == .hybrid }.count)),
                ("undecidable", String(b.notes.filter { $0.kind == .undecidable }.count)),
            ])
        }
        var counts: [(String, String)] = []
        for k in LintFinding.Kind.allCases where count(k) > 0 { counts.append((k.rawValue, String(count(k)))) }
        return JSON.object([
            ("files", JSON.array(files.map(JSON.string))), ("rules", String(rules.count)),
            ("corpusReplies", corpusReplies.map(String.init) ?? "null"),
            ("errors", "[]"),
            ("backends", JSON.array(backendItems)),
            ("findings", JSON.array(items)),
            ("summary", JSON.object([("warnings", String(warningCount)), ("notes", String(noteCount)), ("byKind", JSON.object(counts))])),
        ])
    }

    /// The JSON `check --output json` prints when the rule files do not load: the errors, no findings.
    public static func jsonForLoadErrors(files: [String], errors: [RuleFileError]) -> String {
        let items = errors.map { e in
            JSON.object([
                ("file", JSON.string(e.location.file)), ("line", String(e.location.line)),
                ("column", String(e.location.column)), ("reason", JSON.string(e.reason)),
            ])
        }
        return JSON.object([
            ("files", JSON.array(files.map(JSON.string))), ("rules", "0"), ("corpusReplies", "null"),
            ("errors", JSON.array(items)), ("backends", "[]"), ("findings", "[]"),
            ("summary", JSON.object([("warnings", "0"), ("notes", "0"), ("byKind", "{}")])),
        ])
    }
}

extension Linter {
    /// Reads a reply corpus: one reply per line (a CR before LF dropped). A file whose first line is a TSV
    /// header starting `reply<TAB>` (the shared corpora's `replies-*.tsv`) gives the first column of each row.
    public static func readCorpus(_ path: String) throws(InputError) -> [[UInt8]] {
        let reader = try LineReader(path: path)
        var lines: [[UInt8]] = []
        var tsv = false
        while let line = reader.withNextLine({ Array($0) }) {
            if reader.lineNumber == 1, line.starts(with: "reply\t".utf8) {
                tsv = true
                continue
            }
            if tsv {
                lines.append(Array(line.prefix { $0 != 0x09 }))
            } else {
                lines.append(line)
            }
        }
        if let e = reader.readError { throw InputError(path: path, reason: e) }
        return lines
    }
}
