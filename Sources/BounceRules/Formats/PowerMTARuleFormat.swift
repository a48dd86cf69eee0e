/// PowerMTA bounce and reply patterns from a PowerMTA config file (docs/IMPORTERS.md "PowerMTA").
///
/// Three list forms are read, in file order, and everything else in the config is skipped:
/// - `smtp-pattern-list NAME { "STRING" bounce type=bad-mailbox ... }` (block form: quoted case-insensitive
///   substrings with `key=value` actions),
/// - `<smtp-pattern-list NAME> reply /regex/ mode=backoff </smtp-pattern-list>` (tag form),
/// - `<bounce-category-patterns> /regex/ category </bounce-category-patterns>`.
///
/// As in PowerMTA, `#` starts a comment anywhere on a line, even inside `/regex/` or `"STRING"` (write `\x23`
/// in a regex). Patterns are case-insensitive; `(?-i)` inside a regex still turns folding off.
public struct PowerMTARuleFormat: RuleFileFormat {
    public init() {}

    public var name: String { "powermta" }
    public var fileExtensions: [String] { ["conf", "pmta", "cfg"] }

    public func sniff(_ bytes: [UInt8]) -> Bool {
        headContains(bytes, "smtp-pattern-list") || headContains(bytes, "<bounce-category-patterns>")
    }

    public func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError]) {
        var reader = PowerMTAReader(bytes: bytes, file: file, format: name)
        reader.read()
        return (reader.rules, reader.errors)
    }

    /// The lists a config defines and the `smtp-pattern-list NAME` references that use them, so a linter can
    /// report lists defined but never used (or used but defined in no file).
    public static func references(_ bytes: [UInt8], file: String) -> PowerMTAListReferences {
        var reader = PowerMTAReader(bytes: bytes, file: file, format: "powermta")
        reader.read()
        return PowerMTAListReferences(defined: reader.defined, used: reader.used)
    }
}

/// Which `smtp-pattern-list`s a PowerMTA config defines and which it applies (`smtp-pattern-list NAME` lines,
/// at top level or inside a `<domain …>` block).
public struct PowerMTAListReferences: Hashable, Sendable {
    /// List name and where its definition starts.
    public var defined: [PowerMTAListName]
    /// List name, where it is referenced, and the enclosing block (`domain gmail.com`), if any.
    public var used: [PowerMTAListName]
}

public struct PowerMTAListName: Hashable, Sendable {
    public var name: String
    public var location: SourceLocation
    /// `domain gmail.com` for a reference inside `<domain gmail.com>`; empty at top level.
    public var scope: String
}

/// One pass over one PowerMTA config.
struct PowerMTAReader {
    enum Section: Equatable {
        case block(String)
        case tag(String)
        case categories
    }

    let bytes: [UInt8]
    let file: String
    let format: String
    var rules: [Rule] = []
    var errors: [RuleFileError] = []
    var defined: [PowerMTAListName] = []
    var used: [PowerMTAListName] = []

    var section: Section?
    var sectionStart = SourceLocation(file: "", line: 1)
    /// Other config blocks (`<domain gmail.com>`, `<virtual-mta x>`), skipped but tracked for nesting.
    var tags: [(name: String, argument: String, at: SourceLocation)] = []

    init(bytes: [UInt8], file: String, format: String) {
        self.bytes = bytes
        self.file = file
        self.format = format
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    mutating func read() {
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            readLine(start..<end, number: lineNumber)
            start = end + 1
        }
        if let section {
            let what: String
            switch section {
            case .block(let n): what = "smtp-pattern-list \(n) { … } has no closing '}'"
            case .tag(let n): what = "<smtp-pattern-list \(n)> has no closing </smtp-pattern-list>"
            case .categories: what = "<bounce-category-patterns> has no closing </bounce-category-patterns>"
            }
            errors.append(RuleFileError(sectionStart, what))
        }
        // A list is "used" when some smtp-pattern-list line in this file names it (a linter joins files).
        let usedNames = Set(used.map(\.name))
        for i in rules.indices {
            guard let list = rules[i].details.first(where: { $0.name == "list" })?.value,
                  rules[i].details.contains(where: { $0.name == "section" && $0.value == "smtp-pattern-list" })
            else { continue }
            rules[i].details.append(RuleAction("list-used", usedNames.contains(list) ? "true" : "false"))
        }
    }

    mutating func readLine(_ range: Range<Int>, number: Int) {
        // `#` ends the line's content wherever it stands, as PowerMTA's config reader does.
        let hash = bytes[range].firstIndex(of: UInt8(ascii: "#"))
        var lo = range.lowerBound, hi = hash ?? range.upperBound
        while lo < hi, PowerMTAReader.isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, PowerMTAReader.isSpace(bytes[hi - 1]) { hi -= 1 }
        guard lo < hi else { return }
        let f = file, lineStart = range.lowerBound
        let at = { (offset: Int) in SourceLocation(file: f, line: number, column: offset - lineStart + 1) }
        let line = bytes[lo..<hi]

        if line.first == UInt8(ascii: "<") {
            readTag(line, at: at)
            return
        }
        switch section {
        case .block:
            if line.elementsEqual("}".utf8) {
                section = nil
                return
            }
            readEntry(line, at: at, commentCut: hash != nil)
        case .tag, .categories:
            readEntry(line, at: at, commentCut: hash != nil)
        case nil:
            readDirective(line, at: at)
        }
    }

    /// Words separated by spaces or tabs, with their offsets.
    func words(_ line: ArraySlice<UInt8>) -> [(text: String, offset: Int)] {
        var out: [(String, Int)] = []
        var i = line.startIndex
        while i < line.endIndex {
            while i < line.endIndex, PowerMTAReader.isSpace(line[i]) { i += 1 }
            let s = i
            while i < line.endIndex, !PowerMTAReader.isSpace(line[i]) { i += 1 }
            if s < i { out.append((String(decoding: line[s..<i], as: UTF8.self), s)) }
        }
        return out.map { (text: $0.0, offset: $0.1) }
    }

    mutating func readTag(_ line: ArraySlice<UInt8>, at: (Int) -> SourceLocation) {
        guard line.last == UInt8(ascii: ">") else {
            errors.append(RuleFileError(at(line.startIndex), "a tag line must end with '>'"))
            return
        }
        let inner = line.dropFirst().dropLast()
        let closing = inner.first == UInt8(ascii: "/")
        let w = words(closing ? inner.dropFirst() : inner)
        guard let tagName = w.first?.text.lowercased() else {
            errors.append(RuleFileError(at(line.startIndex), "empty tag '<>'"))
            return
        }
        if closing {
            switch (tagName, section) {
            case ("smtp-pattern-list", .tag?), ("bounce-category-patterns", .categories?):
                section = nil
            case (_, .some):
                errors.append(RuleFileError(at(line.startIndex), "unexpected </\(tagName)> inside \(sectionName)"))
            case (_, nil):
                if let i = tags.lastIndex(where: { $0.name == tagName }) {
                    tags.removeSubrange(i...)
                } else {
                    errors.append(RuleFileError(at(line.startIndex), "</\(tagName)> closes a block that was never opened"))
                }
            }
            return
        }
        if section != nil {
            errors.append(RuleFileError(at(line.startIndex), "<\(tagName)> cannot open inside \(sectionName) (is its closing line missing?)"))
            return
        }
        switch tagName {
        case "smtp-pattern-list":
            guard w.count == 2 else {
                errors.append(RuleFileError(at(line.startIndex), "<smtp-pattern-list NAME> needs exactly one list name"))
                return
            }
            openList(.tag(w[1].text), at: at(line.startIndex))
        case "bounce-category-patterns":
            guard w.count == 1 else {
                errors.append(RuleFileError(at(w[1].offset), "<bounce-category-patterns> takes no argument"))
                return
            }
            openList(.categories, at: at(line.startIndex))
        default:
            tags.append((tagName, w.dropFirst().map(\.text).joined(separator: " "), at(line.startIndex)))
        }
    }

    var sectionName: String {
        switch section {
        case .block(let n)?, .tag(let n)?: return "smtp-pattern-list \(n)"
        case .categories?: return "<bounce-category-patterns>"
        case nil: return "the config"
        }
    }

    mutating func openList(_ s: Section, at: SourceLocation) {
        section = s
        sectionStart = at
        if case .block(let n) = s { defined.append(PowerMTAListName(name: n, location: at, scope: "")) }
        if case .tag(let n) = s { defined.append(PowerMTAListName(name: n, location: at, scope: "")) }
    }

    /// Outside a list: a block-form list start, a list reference, or any other directive (skipped).
    mutating func readDirective(_ line: ArraySlice<UInt8>, at: (Int) -> SourceLocation) {
        let w = words(line)
        guard w.first?.text.lowercased() == "smtp-pattern-list" else { return }
        if w.count == 3, w[2].text == "{" {
            openList(.block(w[1].text), at: at(line.startIndex))
        } else if w.count == 2, w[1].text.hasSuffix("{"), w[1].text.count > 1 {
            openList(.block(String(w[1].text.dropLast())), at: at(line.startIndex))
        } else if w.count == 2 {
            let scope = tags.last.map { "\($0.name) \($0.argument)" } ?? ""
            used.append(PowerMTAListName(name: w[1].text, location: at(w[1].offset), scope: scope))
        } else {
            errors.append(RuleFileError(at(line.startIndex), "expected 'smtp-pattern-list NAME' (a reference) or 'smtp-pattern-list NAME {' (a list)"))
        }
    }

    /// One list entry: `"STRING" actions…`, `reply /regex/ actions…` or `/regex/ category`.
    mutating func readEntry(_ line: ArraySlice<UInt8>, at: (Int) -> SourceLocation, commentCut: Bool) {
        var i = line.startIndex
        var kind = PatternKind.regex
        if line.starts(with: "reply".utf8), line.count > 5, PowerMTAReader.isSpace(line[i + 5]) {
            i += 5
            while i < line.endIndex, PowerMTAReader.isSpace(line[i]) { i += 1 }
        }
        guard i < line.endIndex, line[i] == UInt8(ascii: "\"") || line[i] == UInt8(ascii: "/") else {
            errors.append(RuleFileError(at(i < line.endIndex ? i : line.startIndex), "expected a pattern: \"STRING\", /regex/ or reply /regex/ (inside \(sectionName))"))
            return
        }
        let open = i
        let delimiter = line[i]
        var pattern: [UInt8] = []
        var closed = false
        i += 1
        while i < line.endIndex {
            let b = line[i]
            if b == UInt8(ascii: "\\"), i + 1 < line.endIndex {
                if delimiter == UInt8(ascii: "\"") && (line[i + 1] == UInt8(ascii: "\"") || line[i + 1] == UInt8(ascii: "\\")) {
                    // A quoted string unescapes \" and \\ only; a regex keeps every escape for the regex engine.
                    pattern.append(line[i + 1])
                } else {
                    pattern.append(b)
                    pattern.append(line[i + 1])
                }
                i += 2
                continue
            }
            if b == delimiter {
                closed = true
                i += 1
                break
            }
            pattern.append(b)
            i += 1
        }
        let what = delimiter == UInt8(ascii: "/") ? "regex" : "string"
        guard closed else {
            let hint = commentCut ? " ('#' starts a comment even inside a pattern; write \\x23 in a regex to match '#')" : " (a pattern cannot span lines)"
            errors.append(RuleFileError(at(open), "\(what) is not closed on this line\(hint)"))
            return
        }
        if delimiter == UInt8(ascii: "\"") { kind = .substring }
        guard !pattern.isEmpty else {
            errors.append(RuleFileError(at(open), "empty \(what) pattern"))
            return
        }
        if i < line.endIndex, !PowerMTAReader.isSpace(line[i]) {
            errors.append(RuleFileError(at(i), "unexpected text right after the \(what) (put a space before its actions)"))
            return
        }
        let rest = words(line[i...])
        var rule = Rule(
            name: "\(file):\(at(line.startIndex).line)", kind: kind, pattern: pattern, caseInsensitive: true,
            location: at(line.startIndex), patternLocation: at(open + 1), format: format
        )
        switch section {
        case .categories:
            guard rest.count == 1 else {
                errors.append(RuleFileError(rest.count > 1 ? at(rest[1].offset) : at(open), rest.isEmpty ? "a bounce-category pattern needs a category after it" : "a bounce-category pattern takes one category, found more"))
                return
            }
            rule.label = rest[0].text
            rule.details = [RuleAction("section", "bounce-category-patterns"), RuleAction("list", "bounce-category-patterns")]
        case .block(let n), .tag(let n):
            guard !rest.isEmpty else {
                errors.append(RuleFileError(at(open), "the pattern has no action after it (e.g. bounce type=bad-mailbox, retry-after=30m, mode=backoff)"))
                return
            }
            for word in rest {
                if let eq = word.text.firstIndex(of: "=") {
                    let key = String(word.text[..<eq]), value = String(word.text[word.text.index(after: eq)...])
                    guard !key.isEmpty, !value.isEmpty else {
                        errors.append(RuleFileError(at(word.offset), "bad action '\(word.text)' (expected key=value)"))
                        return
                    }
                    rule.actions.append(RuleAction(key, value))
                } else {
                    rule.actions.append(RuleAction(word.text))
                }
            }
            rule.label = rule.actions.first(where: { $0.name == "type" })?.value
                ?? rule.actions.first(where: { $0.name == "mode" })?.value ?? ""
            let form: String
            if case .block = section { form = "block" } else { form = "tag" }
            rule.details = [RuleAction("section", "smtp-pattern-list"), RuleAction("list", n), RuleAction("form", form)]
        case nil:
            return
        }
        rules.append(rule)
    }
}
