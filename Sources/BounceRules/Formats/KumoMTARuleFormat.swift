/// KumoMTA rule files (docs/IMPORTERS.md "KumoMTA"): the bounce classifier TOML and the traffic-shaping
/// (TSA) automation rules.
///
/// - Classifier: `[rules]` then `Class = ["regex", ...]`; classes in file order, patterns in list order, first
///   match wins. Rust's `regex` crate matches case-sensitively, so every rule is case-sensitive.
/// - Shaping: `[[“domain”.automation]]`, `[[provider."name".automation]]` tables with `regex`, `action`,
///   `duration`, `trigger`, `match_internal`. Every matching rule applies, so every rule has `continues`.
public struct KumoMTARuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "kumomta" }
    public var fileExtensions: [String] { ["toml"] }

    public func sniff(_ bytes: [UInt8]) -> Bool {
        headContains(bytes, "[rules]") || headContains(bytes, ".automation]]")
    }

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        let doc: TOMLDocument
        switch TOMLReader.parse(bytes, file: file) {
        case .success(let d): doc = d
        case .failure(let e): return ([], [RuleFileError(e.location, "TOML: \(e.reason)")])
        }
        var reader = KumoReader(file: file, format: name, isps: options.isps)
        if doc.root["rules"] != nil {
            reader.readClassifier(doc.root)
        } else {
            reader.readShaping(doc.root)
        }
        return (reader.rules, reader.errors)
    }
}

struct KumoReader {
    let file: String
    let format: String
    let isps: ISPTable
    var rules: [Rule] = []
    var errors: [RuleFileError] = []

    init(file: String, format: String, isps: ISPTable) {
        self.file = file
        self.format = format
        self.isps = isps
    }

    mutating func fail(_ at: SourceLocation, _ reason: String) { errors.append(RuleFileError(at, reason)) }

    // MARK: Bounce classifier

    mutating func readClassifier(_ root: TOMLTable) {
        for (key, item) in root.entries where key != "rules" {
            fail(item.keyAt, "unexpected top-level key '\(key)' in a bounce classifier file (it holds only [rules])")
        }
        guard let rulesItem = root["rules"] else { return }
        guard case .table(let table) = rulesItem.value else {
            fail(rulesItem.keyAt, "'rules' must be a table ([rules]) mapping classes to lists of regexes")
            return
        }
        for (label, item) in table.entries {
            guard case .array(let patterns) = item.value else {
                fail(item.at, "class '\(label)' must be a list of regex strings, not \(item.typeName)")
                continue
            }
            for (n, p) in patterns.enumerated() {
                guard case .string(let bytes) = p.value else {
                    fail(p.at, "class '\(label)': item \(n + 1) must be a regex string, not \(p.typeName)")
                    continue
                }
                guard !bytes.isEmpty else {
                    fail(p.at, "class '\(label)': empty regex (it would match every reply)")
                    continue
                }
                rules.append(Rule(
                    name: "\(label)[\(n)]", kind: .regex, pattern: bytes, caseInsensitive: false,
                    label: label, location: p.at, patternLocation: p.contentAt, format: format,
                    details: [RuleAction("section", "bounce-classifier")]
                ))
            }
        }
    }

    // MARK: Traffic shaping automation

    static let automationKeys = ["regex", "action", "duration", "trigger", "match_internal"]

    /// Evaluation order of KumoMTA's TSA: `default`, then providers (first seen), then domains.
    mutating func readShaping(_ root: TOMLTable) {
        var domainScopes: [(String, TOMLTable, TOMLItem)] = []
        var defaultScope: (TOMLTable, TOMLItem)?
        var providers: [(String, TOMLTable, TOMLItem)] = []
        for (key, item) in root.entries {
            guard case .table(let t) = item.value else {
                fail(item.keyAt, "top-level '\(key)' must be a domain table ([\"\(key)\"]), not \(item.typeName)")
                continue
            }
            if key == "provider" {
                for (name, p) in t.entries {
                    guard case .table(let pt) = p.value else {
                        fail(p.keyAt, "provider '\(name)' must be a table, not \(p.typeName)")
                        continue
                    }
                    providers.append((name, pt, p))
                }
            } else if key == "default" {
                defaultScope = (t, item)
            } else {
                domainScopes.append((key, t, item))
            }
        }
        if let (t, _) = defaultScope { readScope(t, scope: "default", conditions: RuleConditions(), details: []) }
        for (name, t, _) in providers {
            var c = RuleConditions()
            var details = [RuleAction("provider", name)]
            if let match = t["match"] {
                readProviderMatch(match, into: &c, details: &details)
            }
            // MX-based provider matching cannot be evaluated from a reply; a known ISP of the same name stands in.
            if isps.domains(forISP: name) != nil, c.domains.isEmpty {
                c.ispNames = [name]
            } else if c.domains.isEmpty {
                details.append(RuleAction("scope-unresolved", "true"))
            }
            readScope(t, scope: "provider \(name)", conditions: c, details: details)
        }
        for (domain, t, item) in domainScopes {
            let body = domain.hasPrefix("*.") ? String(domain.dropFirst(2)) : domain
            guard !body.isEmpty, !body.contains(where: { " \t@/*".contains($0) }) else {
                if t["automation"] != nil { fail(item.keyAt, "'\(domain)' is not a domain name") }
                continue
            }
            var c = RuleConditions()
            c.domains = [DomainPattern(parsing: domain.lowercased())]
            var details = [RuleAction("domain", domain)]
            if let mx = t["mx_rollup"], case .bool(let b) = mx.value {
                details.append(RuleAction("mx_rollup", String(b)))
            } else {
                details.append(RuleAction("mx_rollup", "true"))
            }
            readScope(t, scope: domain, conditions: c, details: details)
        }
    }

    mutating func readProviderMatch(_ item: TOMLItem, into c: inout RuleConditions, details: inout [RuleAction]) {
        guard case .array(let list) = item.value else {
            fail(item.at, "provider 'match' must be a list like [{MXSuffix=\".example.com\"}]")
            return
        }
        for m in list {
            guard case .table(let t) = m.value, t.entries.count == 1, case .string(let s) = t.entries[0].item.value else {
                fail(m.at, "each provider match must be one {Kind=\"value\"} pair")
                continue
            }
            let kind = t.entries[0].key, value = String(decoding: s, as: UTF8.self)
            details.append(RuleAction("match.\(kind)", value))
            if kind == "DomainSuffix" {
                let d = value.hasPrefix(".") ? String(value.dropFirst()) : value
                if !d.isEmpty { c.domains.append(DomainPattern(parsing: "*." + d.lowercased())) }
            }
        }
    }

    mutating func readScope(_ t: TOMLTable, scope: String, conditions: RuleConditions, details: [RuleAction]) {
        guard let auto = t["automation"] else { return }
        guard case .tableArray(let list) = auto.value else {
            fail(auto.keyAt, "'automation' of \(scope) must be an array of tables ([[\"…\".automation]]), not \(auto.typeName)")
            return
        }
        for (n, rule) in list.enumerated() { readAutomation(rule, number: n, scope: scope, conditions: conditions, details: details) }
    }

    mutating func readAutomation(_ t: TOMLTable, number: Int, scope: String, conditions: RuleConditions, details: [RuleAction]) {
        let before = errors.count
        var regexes: [TOMLItem] = []
        var actions: [RuleAction] = []
        var extra: [RuleAction] = []
        var labels: [String] = []
        var matchInternal = false
        for (key, item) in t.entries {
            switch key {
            case "regex":
                switch item.value {
                case .string: regexes = [item]
                case .array(let list):
                    for r in list {
                        guard case .string = r.value else {
                            fail(r.at, "each 'regex' item must be a string, not \(r.typeName)")
                            continue
                        }
                        regexes.append(r)
                    }
                    if list.isEmpty { fail(item.at, "'regex' is an empty list") }
                default:
                    fail(item.at, "'regex' must be a string or a list of strings, not \(item.typeName)")
                }
            case "action":
                let list: [TOMLItem]
                if case .array(let l) = item.value { list = l } else { list = [item] }
                if list.isEmpty { fail(item.at, "'action' is an empty list") }
                for a in list {
                    if let action = readAction(a) {
                        actions.append(action)
                        if !labels.contains(action.name) { labels.append(action.name) }
                    }
                }
            case "duration":
                guard case .string(let s) = item.value, !s.isEmpty else {
                    fail(item.at, "'duration' must be a string like \"90m\" or \"2 hours\"")
                    break
                }
                extra.append(RuleAction("duration", String(decoding: s, as: UTF8.self)))
            case "trigger":
                switch item.value {
                case .string(let s):
                    extra.append(RuleAction("trigger", String(decoding: s, as: UTF8.self)))
                case .table(let tt) where tt.entries.count == 1:
                    if case .string(let v) = tt.entries[0].item.value {
                        extra.append(RuleAction("trigger", "\(tt.entries[0].key)=\(String(decoding: v, as: UTF8.self))"))
                    } else {
                        fail(item.at, "'trigger' must be \"Immediate\" or {Threshold=\"2/hr\"}")
                    }
                default:
                    fail(item.at, "'trigger' must be \"Immediate\" or {Threshold=\"2/hr\"}")
                }
            case "match_internal":
                guard case .bool(let b) = item.value else {
                    fail(item.at, "'match_internal' must be true or false")
                    break
                }
                matchInternal = b
            default:
                fail(item.keyAt, "unknown automation key '\(key)'\(suggestion(key, KumoReader.automationKeys))")
            }
        }
        if regexes.isEmpty, t["regex"] == nil { fail(t.at, "automation rule has no 'regex'") }
        if t["action"] == nil { fail(t.at, "automation rule has no 'action'") }
        if t["duration"] == nil { fail(t.at, "automation rule has no 'duration'") }
        guard errors.count == before else { return }
        for (k, r) in regexes.enumerated() {
            guard case .string(let bytes) = r.value else { continue }
            guard !bytes.isEmpty else {
                fail(r.at, "empty regex (it would match every reply)")
                continue
            }
            var d = [RuleAction("section", "shaping-automation"), RuleAction("scope", scope)] + details
            d.append(RuleAction("automation", String(number)))
            d.append(RuleAction("match_internal", String(matchInternal)))
            rules.append(Rule(
                name: "\(scope) automation[\(number)]" + (regexes.count > 1 ? " regex[\(k)]" : ""),
                kind: .regex, pattern: bytes, caseInsensitive: false, conditions: conditions,
                label: labels.joined(separator: "+"), actions: actions + extra, continues: true,
                location: r.at, patternLocation: r.contentAt, format: format, details: d
            ))
        }
    }

    /// `"Suspend"`, `{SetConfig={name="x", value="y"}}` → `SetConfig=x=y`, `{Kind="value"}` → `Kind=value`.
    mutating func readAction(_ item: TOMLItem) -> RuleAction? {
        switch item.value {
        case .string(let s) where !s.isEmpty:
            return RuleAction(String(decoding: s, as: UTF8.self))
        case .table(let t) where t.entries.count == 1:
            let (kind, inner) = t.entries[0]
            switch inner.value {
            case .string(let s): return RuleAction(kind, String(decoding: s, as: UTF8.self))
            case .integer(let n): return RuleAction(kind, String(n))
            case .bool(let b): return RuleAction(kind, String(b))
            case .table(let params):
                var parts: [String] = []
                var name: String?
                var value: String?
                for (k, v) in params.entries {
                    guard let text = scalarText(v) else {
                        fail(v.at, "action \(kind): '\(k)' must be a string, integer or boolean")
                        return nil
                    }
                    if k == "name" { name = text } else if k == "value" { value = text } else { parts.append("\(k)=\(text)") }
                }
                // SetConfig-style actions read as `name=value`, the way the shaping config writes them.
                if let name { parts.insert("\(name)=\(value ?? "")", at: 0) } else if let value { parts.insert("value=\(value)", at: 0) }
                return RuleAction(kind, parts.joined(separator: ","))
            default:
                fail(inner.at, "action \(kind) has a value of an unsupported type (\(inner.typeName))")
                return nil
            }
        default:
            fail(item.at, "an action must be a name like \"Suspend\" or one {Kind=…} pair")
            return nil
        }
    }

    func scalarText(_ item: TOMLItem) -> String? {
        switch item.value {
        case .string(let s): return String(decoding: s, as: UTF8.self)
        case .integer(let n): return String(n)
        case .bool(let b): return String(b)
        default: return nil
        }
    }
}
