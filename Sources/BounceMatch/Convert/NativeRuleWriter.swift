import BounceRules

/// Writes rules in the native YAML format (docs/RULE-FORMATS.md) without losing a field, so that loading the
/// written file gives the same rules in the same evaluated order (docs/LINT.md "convert").
public enum NativeRuleWriter {
    /// The rules of `files` as they load, the files' own ISP definitions, and the notes about rules that had to
    /// be written differently (a non-UTF-8 literal becomes an equivalent regex).
    public struct Conversion: Sendable {
        public var yaml: String
        /// The rules in evaluated order, as read (ISP names unresolved), each with its written form.
        public var rules: [Rule]
        public var notes: [String]
    }

    /// Loads `files` (every error reported, as `RuleLoader.load` does) and writes them as one native file.
    public static func convert(files: [String], options: LoadOptions = LoadOptions()) throws(RuleSetError) -> Conversion {
        var rules: [Rule] = []
        var isps: [ISPDefinition] = []
        var errors: [RuleFileError] = []
        var table = options.isps
        for file in files {
            guard let bytes = RuleLoader.readFile(file) else {
                errors.append(RuleFileError(SourceLocation(file: file, line: 1), "cannot read file"))
                continue
            }
            let c = RuleLoader.parse(bytes, file: file, options: options)
            rules += c.rules
            isps += c.isps
            errors += c.errors
            for d in c.isps { table.define(d.name, domains: d.domains) }
        }
        // Validates patterns and ISP names exactly as loading does.
        do throws(RuleSetError) { _ = try RuleSet(rules: rules, isps: table) } catch { errors += error.errors }
        if !errors.isEmpty { throw RuleSetError(errors) }
        let ordered = evaluatedOrder(rules)
        var notes: [String] = []
        let yaml = write(ordered, isps: isps, notes: &notes)
        return Conversion(yaml: yaml, rules: ordered, notes: notes)
    }

    /// `rules` sorted as `RuleSet` sorts them: `(priority ?? position, position)`.
    public static func evaluatedOrder(_ rules: [Rule]) -> [Rule] {
        rules.enumerated().sorted { a, b in
            let pa = a.element.priority ?? a.offset, pb = b.element.priority ?? b.offset
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    /// The native YAML for `ordered` (already in evaluated order) and the custom ISPs (later ones win).
    public static func write(_ ordered: [Rule], isps: [ISPDefinition], notes: inout [String]) -> String {
        var out = "# Converted by `bouncematch convert --to native`; rules in evaluated order.\nbouncematch: 1\n"
        var lastDefinition: [String: ISPDefinition] = [:]
        var ispOrder: [String] = []
        for d in isps {
            let key = d.name.lowercased()
            if lastDefinition[key] == nil { ispOrder.append(key) }
            lastDefinition[key] = d
        }
        if !ispOrder.isEmpty {
            out += "isps:\n"
            for key in ispOrder {
                let d = lastDefinition[key]!
                out += "  \(quote(d.name)): [\(d.domains.map(quote).joined(separator: ", "))]\n"
            }
        }
        // Keep the rules' own priorities when the written positions reproduce the order; else write the order.
        let keys = ordered.enumerated().map { $0.element.priority ?? $0.offset }
        let keepPriorities = zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }
        out += ordered.isEmpty ? "rules: []\n" : "rules:\n"
        for (i, rule) in ordered.enumerated() {
            out += "  - name: \(quote(rule.name))\n"
            if let kind = rule.kind {
                let (k, p) = writablePattern(rule, kind, notes: &notes)
                out += "    \(k.rawValue): \(quote(p))\n"
                out += "    target: \(rule.target.rawValue)\n"
            } else if rule.target != .line {
                out += "    target: \(rule.target.rawValue)\n"
            }
            out += "    case_sensitive: \(rule.caseInsensitive ? "false" : "true")\n"
            let c = rule.conditions
            func list(_ key: String, _ items: [String]) {
                if !items.isEmpty { out += "    \(key): [\(items.map(quote).joined(separator: ", "))]\n" }
            }
            list("code", c.codes.map(\.description))
            list("enhanced", c.enhancedCodes.map(\.description))
            list("domain", c.domains.map(\.description))
            list("isp", c.ispNames)
            list("ip", c.ips.map(\.description))
            list("phase", c.phases.map(\.rawValue))
            if c.transportOnly { out += "    transport: true\n" }
            if c.recipientErrorOnly { out += "    recipient_error: true\n" }
            if keepPriorities {
                if let p = rule.priority { out += "    priority: \(p)\n" }
            } else {
                out += "    priority: \(i)\n"
            }
            if !rule.label.isEmpty { out += "    label: \(quote(rule.label))\n" }
            if !rule.actions.isEmpty {
                out += "    actions:\n"
                for a in rule.actions { out += "      - \(quote(a.name)): \(quote(a.value))\n" }
            }
            if rule.continues { out += "    continue: true\n" }
            out += "    details:\n"
            for d in rule.details { out += "      - \(quote(d.name)): \(quote(d.value))\n" }
            out += "      - source: \(quote("\(rule.location.file):\(rule.location.line)"))\n"
        }
        return out
    }

    /// The kind and pattern text to write: the rule's own when its pattern is UTF-8 (YAML is text), else an
    /// equivalent regex with `\xHH` escapes.
    static func writablePattern(_ rule: Rule, _ kind: PatternKind, notes: inout [String]) -> (PatternKind, String) {
        if let s = String(validating: rule.pattern, as: UTF8.self) { return (kind, s) }
        notes.append("\(rule.location): the \(kind.rawValue) pattern is not valid UTF-8; written as an equivalent regex with \\xHH escapes")
        var re = ""
        func hex(_ b: UInt8) -> String {
            let h = String(b, radix: 16)
            return "\\x" + (h.count == 1 ? "0" + h : h)
        }
        func literal(_ b: UInt8) -> String {
            if b >= 0x80 || b < 0x20 || b == 0x7F { return hex(b) }
            let s = String(UnicodeScalar(b))
            return "\\^$.|?*+()[]{}/".contains(s) ? "\\" + s : s
        }
        switch kind {
        case .regex:
            // Invalid bytes become `\xHH`; an escaped invalid byte (`\` + byte) means the byte itself too.
            var i = 0
            let p = rule.pattern
            while i < p.count {
                if p[i] == UInt8(ascii: "\\"), i + 1 < p.count {
                    if p[i + 1] >= 0x80 { re += hex(p[i + 1]) } else { re += "\\" + String(UnicodeScalar(p[i + 1])) }
                    i += 2
                    continue
                }
                re += p[i] >= 0x80 ? hex(p[i]) : String(UnicodeScalar(p[i]))
                i += 1
            }
        case .substring:
            re = rule.pattern.map(literal).joined()
        case .exact:
            re = "^" + rule.pattern.map(literal).joined() + "$"
        case .wildcard:
            re = "^"
            var i = 0
            let p = rule.pattern
            while i < p.count {
                switch p[i] {
                case UInt8(ascii: "*"): re += "(?s:.*)"
                case UInt8(ascii: "?"): re += "(?s:.)"
                case UInt8(ascii: "\\") where i + 1 < p.count:
                    re += literal(p[i + 1])
                    i += 1
                default: re += literal(p[i])
                }
                i += 1
            }
            re += "$"
        }
        return (.regex, re)
    }

    /// A YAML scalar: single-quoted when every character is printable, else double-quoted with escapes.
    public static func quote(_ s: String) -> String {
        let printable = s.unicodeScalars.allSatisfy { u in
            u.value >= 0x20 && u.value != 0x7F && !(0x80...0x9F).contains(u.value) && u.value != 0x2028
                && u.value != 0x2029 && u.value != 0xFEFF && !(0xD800...0xDFFF).contains(u.value) && u.value != 0xFFFE && u.value != 0xFFFF
        }
        if printable { return "'" + s.replacing("'", with: "''") + "'" }
        return doubleQuoted(s) { v in
            v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF
        }
    }
}
