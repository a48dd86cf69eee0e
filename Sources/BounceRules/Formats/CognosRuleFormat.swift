import Foundation
import FoundationXML

/// IBM Cognos Analytics delivery-service SMTP rules: the `smtpRules` XML (docs/IMPORTERS.md "Cognos").
///
/// Rules select by code and error type, never by text, so every rule has no pattern. Each `<smtpError>` of a
/// `<smtpRule>` becomes one `Rule` (the errors of one rule are OR-ed), all with the rule's behaviour; document
/// order is priority. `<defaultSmtpBehaviour>` becomes a last rule with no conditions, marked `default=true`.
public struct CognosRuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "cognos" }
    public var fileExtensions: [String] { ["xml"] }

    public func sniff(_ bytes: [UInt8]) -> Bool {
        headContains(bytes, "<smtpRule") || headContains(bytes, "<defaultSmtpBehaviour")
    }

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        let reader = CognosReader(bytes: bytes, file: file, format: name)
        reader.read()
        return (reader.rules, reader.errors)
    }
}

/// A SAX pass over one `smtpRules` document, building rules as elements close.
final class CognosReader: NSObject, XMLParserDelegate {
    /// One element being read: its name, attributes, text and where it starts.
    struct Open {
        var name: String
        var attributes: [String: String]
        var text: String = ""
        var at: SourceLocation
    }

    /// What one `<smtpError>` selects.
    struct ErrorSpec {
        var codes: [(String, SourceLocation)] = []
        var transport = false
        var invalidRecipients = false
        var at: SourceLocation
    }

    let bytes: [UInt8]
    let file: String
    let format: String
    let lines: LineIndex
    var rules: [Rule] = []
    var errors: [RuleFileError] = []

    var stack: [Open] = []
    var ruleErrors: [ErrorSpec] = []
    var behaviour: (name: String, actions: [RuleAction], at: SourceLocation)?
    var behaviourCount = 0
    var sawRoot = false
    var defaultRule: Rule?
    weak var parser: XMLParser?

    /// libxml2 recurses per nesting level; refuse absurd depth ourselves.
    static let maxDepth = 64

    init(bytes: [UInt8], file: String, format: String) {
        self.bytes = bytes
        self.file = file
        self.format = format
        self.lines = LineIndex(bytes, file: file)
    }

    func read() {
        // FoundationXML traps on names that are not UTF-8, so such bytes are refused before libxml2 sees them.
        if let bad = firstInvalidUTF8(bytes) {
            fail(lines.location(bad), "the file is not valid UTF-8 (write other characters as &#NNN;)")
            return
        }
        // DTDs are how entity-expansion files ("billion laughs") hang XML parsers; smtpRules never needs one.
        if let dtd = firstOffset(of: "<!DOCTYPE") ?? firstOffset(of: "<!ENTITY") {
            fail(lines.location(dtd), "DTDs and entity declarations are not allowed in an smtpRules file")
            return
        }
        let p = XMLParser(data: Data(bytes))
        p.shouldProcessNamespaces = false
        p.shouldResolveExternalEntities = false
        p.delegate = self
        parser = p
        let ok = p.parse()
        if !ok, !xmlFailed, errors.isEmpty {
            let reason = p.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML"
            errors.append(RuleFileError(here(p), "XML error: \(reason)"))
        }
        if ok, !sawRoot {
            errors.append(RuleFileError(SourceLocation(file: file, line: 1), "no <smtpRule> or <defaultSmtpBehaviour> element found"))
        }
        if let d = defaultRule { rules.append(d) }
        // A file that is not well-formed yields no rules: the ones read so far may be cut short.
        if xmlFailed { rules = [] }
    }

    /// The parser's current position as a byte column.
    func here(_ p: XMLParser) -> SourceLocation {
        let line = max(p.lineNumber, 1)
        return SourceLocation(file: file, line: line, column: lines.byteColumn(bytes, line: line, scalarColumn: max(p.columnNumber, 1)))
    }

    /// After the first XML syntax error the element structure is unreliable, so later findings are dropped.
    var xmlFailed = false

    func fail(_ at: SourceLocation, _ reason: String) {
        if !xmlFailed { errors.append(RuleFileError(at, reason)) }
    }

    func firstOffset(of needle: String) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        for i in 0...(bytes.count - n.count) where bytes[i] == n[0] && bytes[i..<(i + n.count)].elementsEqual(n) { return i }
        return nil
    }

    /// Reasons for the libxml2 errors a hand-edited file most often has (libxml2 `xmlParserErrors`).
    static let libxml2Reasons: [Int: String] = [
        4: "the document is empty",
        5: "extra content after the end of the document (one root element only)",
        9: "invalid character",
        26: "undeclared entity (only &lt; &gt; &amp; &quot; &apos; and &#…; exist)",
        41: "attribute without a value",
        68: "a name is required here",
        73: "'>' is required here",
        76: "closing tag does not match the open element",
        77: "the document ends inside an element (a closing tag is missing)",
    ]

    /// Names that may hold each element; anything else is an error at its position.
    static let allowedParents: [String: Set<String>] = [
        "smtpRule": ["smtpRules", ""],
        "defaultSmtpBehaviour": ["smtpRules", ""],
        "smtpError": ["smtpRule"],
        "errorCode": ["smtpError"],
        "transport": ["smtpError"],
        "invalidRecipients": ["smtpError"],
        "smtpBehaviour": ["smtpRule", "defaultSmtpBehaviour"],
        "keepMail": ["smtpBehaviour"],
        "resends": ["smtpBehaviour"],
        "failMail": ["smtpBehaviour"],
        "subject": ["failMail"],
        "recipients": ["failMail"],
        "owner": ["recipients"],
        "recipient": ["recipients"],
        "smtpRules": [""],
    ]

    func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        // libxml2 reports the position after the start tag; find the '<' of this element on that line or before.
        let at = startOfTag(name, before: here(p))
        let parent = stack.last?.name ?? ""
        if stack.count >= CognosReader.maxDepth {
            fail(at, "elements nested deeper than \(CognosReader.maxDepth) levels")
            p.abortParsing()
            return
        }
        guard let allowed = CognosReader.allowedParents[name] else {
            fail(at, "unknown element <\(name)>\(suggestion(name, Array(CognosReader.allowedParents.keys).sorted()))")
            stack.append(Open(name: name, attributes: attributes, at: at))
            return
        }
        if !allowed.contains(parent) {
            fail(at, "<\(name)> cannot stand inside \(parent.isEmpty ? "the document root" : "<\(parent)>") (expected inside \(allowed.sorted().map { $0.isEmpty ? "the root" : "<\($0)>" }.joined(separator: " or ")))")
        }
        switch name {
        case "smtpRule", "defaultSmtpBehaviour":
            sawRoot = true
            ruleErrors = []
            behaviour = nil
            behaviourCount = 0
        case "smtpError":
            ruleErrors.append(ErrorSpec(at: at))
        case "smtpBehaviour":
            behaviourCount += 1
            if behaviourCount > 1 { fail(at, "a rule has one <smtpBehaviour>; found a second one") }
            behaviour = (attributes["name"] ?? "", [], at)
            checkAttributes(attributes, allowed: ["name"], element: name, at: at)
        case "resends":
            checkAttributes(attributes, allowed: ["number", "delaySeconds"], element: name, at: at)
            guard let n = attributes["number"] else {
                fail(at, "<resends> needs number=\"n\" (-1 resends forever)")
                break
            }
            guard let count = Int(n), count >= -1 else {
                fail(at, "<resends number=\"\(n)\">: expected an integer ≥ -1 (-1 resends forever)")
                break
            }
            behaviour?.actions.append(RuleAction("resends.number", String(count)))
            if let d = attributes["delaySeconds"] {
                guard let delay = Int(d), delay >= 0 else {
                    fail(at, "<resends delaySeconds=\"\(d)\">: expected a whole number of seconds ≥ 0")
                    break
                }
                behaviour?.actions.append(RuleAction("resends.delaySeconds", String(delay)))
            }
        case "failMail":
            checkAttributes(attributes, allowed: [], element: name, at: at)
            behaviour?.actions.append(RuleAction("failMail"))
        case "recipients":
            checkAttributes(attributes, allowed: ["sendToCurrentRecipients"], element: name, at: at)
            if let s = attributes["sendToCurrentRecipients"] {
                guard s == "true" || s == "false" else {
                    fail(at, "sendToCurrentRecipients must be true or false, found '\(s)'")
                    break
                }
                behaviour?.actions.append(RuleAction("failMail.recipients.sendToCurrentRecipients", s))
            }
        case "recipient":
            checkAttributes(attributes, allowed: ["address"], element: name, at: at)
            guard let a = attributes["address"], !a.isEmpty else {
                fail(at, "<recipient> needs address=\"name@example.com\"")
                break
            }
            behaviour?.actions.append(RuleAction("failMail.recipient", a))
        default:
            checkAttributes(attributes, allowed: [], element: name, at: at)
        }
        stack.append(Open(name: name, attributes: attributes, at: at))
    }

    func checkAttributes(_ attributes: [String: String], allowed: Set<String>, element: String, at: SourceLocation) {
        for key in attributes.keys.sorted() where !allowed.contains(key) {
            fail(at, "unknown attribute '\(key)' on <\(element)>\(allowed.isEmpty ? " (it takes none)" : suggestion(key, allowed.sorted()))")
        }
    }

    func parser(_ p: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard let open = stack.popLast() else { return }
        let text = open.text.trimmingASCIIWhitespace()
        let isContainer = ["smtpRules", "smtpRule", "defaultSmtpBehaviour", "smtpError", "smtpBehaviour", "failMail", "recipients", "resends", "recipient"].contains(name)
        if isContainer, !text.isEmpty {
            fail(open.at, "<\(name)> holds elements, not text ('\(text.prefix(40))')")
        }
        switch name {
        case "errorCode":
            guard text.utf8.count == 3, text.utf8.allSatisfy({ $0 &- 0x30 <= 9 }), CodePattern(parsing: text) != nil else {
                fail(open.at, "<errorCode> must be a three-digit SMTP code 200-599, found '\(text)'")
                break
            }
            if !ruleErrors.isEmpty { ruleErrors[ruleErrors.count - 1].codes.append((text, open.at)) }
        case "transport", "invalidRecipients", "keepMail", "owner":
            guard let value = bool(text, element: name, at: open.at) else { break }
            if name == "transport", !ruleErrors.isEmpty { ruleErrors[ruleErrors.count - 1].transport = value }
            if name == "invalidRecipients", !ruleErrors.isEmpty { ruleErrors[ruleErrors.count - 1].invalidRecipients = value }
            if name == "keepMail" { behaviour?.actions.append(RuleAction("keepMail", String(value))) }
            if name == "owner" { behaviour?.actions.append(RuleAction("failMail.owner", String(value))) }
        case "subject":
            behaviour?.actions.append(RuleAction("failMail.subject", text))
        case "smtpRule":
            finishRule(at: open.at)
        case "defaultSmtpBehaviour":
            finishDefault(at: open.at)
        default:
            break
        }
    }

    func bool(_ text: String, element: String, at: SourceLocation) -> Bool? {
        switch text {
        case "true": return true
        case "false": return false
        default:
            fail(at, "<\(element)> must be true or false, found '\(text)'")
            return nil
        }
    }

    func finishRule(at: SourceLocation) {
        guard let behaviour else {
            fail(at, "<smtpRule> has no <smtpBehaviour name=\"…\">")
            return
        }
        if ruleErrors.isEmpty {
            fail(at, "<smtpRule> has no <smtpError> (it would never apply)")
            return
        }
        for (i, spec) in ruleErrors.enumerated() {
            var c = RuleConditions()
            c.codes = spec.codes.compactMap { CodePattern(parsing: $0.0) }
            c.transportOnly = spec.transport
            c.recipientErrorOnly = spec.invalidRecipients
            if c.isEmpty {
                fail(spec.at, "<smtpError> selects nothing: give <errorCode>, <transport>true</transport> or <invalidRecipients>true</invalidRecipients>")
                continue
            }
            let details = [
                RuleAction("behaviour", behaviour.name), RuleAction("smtpError", "\(i + 1) of \(ruleErrors.count)"),
                RuleAction("smtpRule.line", String(at.line)),
            ]
            rules.append(Rule(
                name: behaviour.name.isEmpty ? "\(file):\(at.line)" : behaviour.name, kind: nil, pattern: [],
                conditions: c, label: behaviour.name, actions: behaviour.actions, location: spec.at, format: format,
                details: details
            ))
        }
    }

    func finishDefault(at: SourceLocation) {
        guard let behaviour else {
            fail(at, "<defaultSmtpBehaviour> has no <smtpBehaviour name=\"…\">")
            return
        }
        if defaultRule != nil {
            fail(at, "a second <defaultSmtpBehaviour> (there can be only one)")
            return
        }
        defaultRule = Rule(
            name: behaviour.name.isEmpty ? "default" : behaviour.name, kind: nil, pattern: [],
            label: behaviour.name, actions: behaviour.actions, location: at, format: format,
            details: [RuleAction("behaviour", behaviour.name), RuleAction("default", "true")]
        )
    }

    func parser(_ p: XMLParser, parseErrorOccurred parseError: any Error) {
        fail(here(p), "XML syntax error: \(xmlReason(parseError))")
        xmlFailed = true
    }

    func parser(_ p: XMLParser, validationErrorOccurred validationError: any Error) {
        fail(here(p), "XML error: \(xmlReason(validationError))")
        xmlFailed = true
    }

    func xmlReason(_ e: any Error) -> String {
        let code = (e as NSError).code
        return "\(CognosReader.libxml2Reasons[code] ?? "malformed XML") (libxml2 error \(code))"
    }

    func parser(_ p: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        // Entity expansion is how "billion laughs" files hang parsers; this format never needs a DTD.
        fail(here(p), "entity declarations are not allowed in an smtpRules file")
        p.abortParsing()
    }

    func parser(_ p: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(here(p), "entity declarations are not allowed in an smtpRules file")
        p.abortParsing()
    }

    /// The position of `<name` at or before `end`, so an element's errors point at its start tag.
    func startOfTag(_ name: String, before end: SourceLocation) -> SourceLocation {
        guard end.line >= 1, end.line <= lines.starts.count else { return end }
        let needle = Array(("<" + name).utf8)
        var lineNo = end.line
        var limit = lines.starts[end.line - 1] + end.column - 1
        while lineNo >= 1 {
            let start = lines.starts[lineNo - 1]
            var i = min(limit, bytes.count) - needle.count
            while i >= start {
                if bytes[i] == UInt8(ascii: "<"), bytes[i..<(i + needle.count)].elementsEqual(needle) {
                    return SourceLocation(file: file, line: lineNo, column: i - start + 1)
                }
                i -= 1
            }
            lineNo -= 1
            if lineNo >= 1 { limit = lines.starts[lineNo] }
            if end.line - lineNo > 20 { break }
        }
        return end
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> String {
        let u = Array(utf8)
        var lo = 0, hi = u.count
        while lo < hi, u[lo] == 0x20 || u[lo] == 0x09 || u[lo] == 0x0A || u[lo] == 0x0D { lo += 1 }
        while hi > lo, u[hi - 1] == 0x20 || u[hi - 1] == 0x09 || u[hi - 1] == 0x0A || u[hi - 1] == 0x0D { hi -= 1 }
        return String(decoding: u[lo..<hi], as: UTF8.self)
    }
}
