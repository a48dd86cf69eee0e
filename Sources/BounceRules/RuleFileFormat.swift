/// Options for reading rule files.
public struct LoadOptions: Sendable {
    /// The case sensitivity of rules that do not say: false (the SPEC default) folds ASCII case.
    public var caseSensitive: Bool
    /// A format name from `RuleFormats.all`; nil detects it per file (by extension, then by content).
    public var format: String?
    /// The ISPs that `isp` conditions may name; a native file's `isps:` adds to (or replaces entries of) it.
    public var isps: ISPTable

    public init(caseSensitive: Bool = false, format: String? = nil, isps: ISPTable = .builtin) {
        self.caseSensitive = caseSensitive
        self.format = format
        self.isps = isps
    }
}

/// A custom ISP defined in a rule file (`isps:` in the native format).
public struct ISPDefinition: Hashable, Sendable {
    public var name: String
    public var domains: [String]
    public var location: SourceLocation

    public init(name: String, domains: [String], location: SourceLocation) {
        self.name = name
        self.domains = domains
        self.location = location
    }
}

/// Everything one rule file yields.
public struct RuleFileContents: Sendable {
    public var rules: [Rule]
    public var errors: [RuleFileError]
    public var isps: [ISPDefinition]

    public init(rules: [Rule] = [], errors: [RuleFileError] = [], isps: [ISPDefinition] = []) {
        self.rules = rules
        self.errors = errors
        self.isps = isps
    }
}

/// One rule-file format (TSV list, native YAML, and the importers). Adding a format is one conforming type
/// plus one line in `RuleFormats.all`.
public protocol RuleFileFormat: Sendable {
    /// The name used by `LoadOptions.format` and `Rule.format` (`tsv`, `native` ...).
    var name: String { get }
    /// File name endings without the dot (`tsv`, `yaml`), compared ASCII case-insensitively.
    var fileExtensions: [String] { get }
    /// Whether `bytes` look like this format, for files whose extension says nothing.
    func sniff(_ bytes: [UInt8]) -> Bool
    /// Reads every rule it can; keeps going past errors so one run lists them all.
    func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> (rules: [Rule], errors: [RuleFileError])
    /// Like `parse`, plus what a file defines for the whole rule set (custom ISPs).
    func parseFile(_ bytes: [UInt8], file: String, options: LoadOptions) -> RuleFileContents
}

extension RuleFileFormat {
    public func parseFile(_ bytes: [UInt8], file: String, options: LoadOptions) -> RuleFileContents {
        let (rules, errors) = parse(bytes, file: file, options: options)
        return RuleFileContents(rules: rules, errors: errors)
    }
}

/// The registry of rule-file formats, in sniffing order.
public enum RuleFormats {
    /// Every known format. Importers add one line here.
    public static let all: [any RuleFileFormat] = [
        NativeRuleFormat(),
        TSVRuleFormat(),
        PowerMTARuleFormat(),
        MailerQRuleFormat(),
        AltcraftRuleFormat(),
        CognosRuleFormat(),
        KumoMTARuleFormat(),
    ]

    /// The format called `name` (ASCII case-insensitive).
    public static func named(_ name: String) -> (any RuleFileFormat)? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The format of `file`: the only format claiming its extension (the first that sniffs when several
    /// do), else the first format whose `sniff` accepts the content. Nil when nothing fits.
    public static func detect(file: String, bytes: [UInt8]) -> (any RuleFileFormat)? {
        let ext = fileExtension(file)
        let byExtension = all.filter { format in format.fileExtensions.contains { $0.lowercased() == ext } }
        if byExtension.count == 1 { return byExtension[0] }
        if let sniffed = byExtension.first(where: { $0.sniff(bytes) }) { return sniffed }
        if let first = byExtension.first { return first }
        return all.first { $0.sniff(bytes) }
    }

    /// The lowercased text after the last `.` of the file name, `""` when there is none.
    static func fileExtension(_ path: String) -> String {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return "" }
        return base[base.index(after: dot)...].lowercased()
    }
}
