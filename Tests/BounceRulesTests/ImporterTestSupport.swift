import BounceRules
import TestSupport

/// Fixture access and a one-line rendering of every field of a `Rule`, so a test states exact expectations.
enum ImporterFixtures {
    static let directory = SharedCorpora.packageRoot + "/Tests/Fixtures/formats"

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ name: String) -> [UInt8] {
        guard let b = SharedCorpora.readFile(path(name)) else {
            Issue.record("fixture \(name) is missing under \(directory)")
            return []
        }
        return b
    }

    /// Parses a fixture with the named format; the file name in locations is the bare fixture name.
    static func parse(_ name: String, format: String, options: LoadOptions = LoadOptions()) -> RuleFileContents {
        guard let f = RuleFormats.named(format) else {
            Issue.record("format \(format) is not registered")
            return RuleFileContents()
        }
        return f.parseFile(bytes(name), file: name, options: options)
    }

    /// Every field of a rule on one line (location as line:col, pattern bytes escaped where not printable).
    static func render(_ r: Rule) -> String {
        var s = "\(r.location.line):\(r.location.column)"
        s += " @\(r.patternLocation.line):\(r.patternLocation.column)"
        s += " \(r.kind?.rawValue ?? "none")/\(r.target.rawValue)\(r.caseInsensitive ? "/i" : "/cs")"
        s += " [\(escaped(r.pattern))]"
        s += " name=\(r.name) label=\(r.label)"
        if let p = r.priority { s += " prio=\(p)" }
        if r.continues { s += " continue" }
        let c = r.conditions
        if !c.codes.isEmpty { s += " codes=\(c.codes.map(\.description).joined(separator: ","))" }
        if !c.enhancedCodes.isEmpty { s += " enhanced=\(c.enhancedCodes.map(\.description).joined(separator: ","))" }
        if !c.domains.isEmpty { s += " domains=\(c.domains.map(\.description).joined(separator: ","))" }
        if !c.ispNames.isEmpty { s += " isps=\(c.ispNames.joined(separator: ","))" }
        if !c.ips.isEmpty { s += " ips=\(c.ips.map(\.description).joined(separator: ","))" }
        if c.transportOnly { s += " transport" }
        if c.recipientErrorOnly { s += " recipient-error" }
        s += " actions={\(r.actions.map(\.description).joined(separator: " "))}"
        s += " details={\(r.details.map(\.description).joined(separator: " "))}"
        return s
    }

    static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F { out.append(Character(UnicodeScalar(b))) } else { out += "\\x" + String(b, radix: 16) }
        }
        return out
    }

    static func renderErrors(_ errors: [RuleFileError]) -> [String] {
        errors.map { "\($0.location.line):\($0.location.column) \($0.reason)" }
    }
}

import Testing
