#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads rule files into one rule set (files in the order given; SPEC §2 "Order").
public enum RuleLoader {
    /// At most this many errors are listed per file; a binary file would otherwise give one per line.
    public static let maxErrorsPerFile = 100

    /// Reads `files` in order, collects every error of every file, then builds the rule set with the
    /// ISPs of `options` plus those the files define. Throws when any file or rule has an error.
    public static func load(files: [String], options: LoadOptions = LoadOptions()) throws(RuleSetError) -> RuleSet {
        let (rules, isps, errors) = loadRulesAndISPs(files: files, options: options)
        let set: RuleSet
        do throws(RuleSetError) {
            set = try RuleSet(rules: rules, isps: isps)
        } catch {
            throw RuleSetError(errors + error.errors)
        }
        if !errors.isEmpty { throw RuleSetError(errors) }
        return set
    }

    /// The rules of `files` in file order (not yet ordered by priority) and every file error.
    public static func loadRules(files: [String], options: LoadOptions = LoadOptions()) -> (rules: [Rule], errors: [RuleFileError]) {
        let (rules, _, errors) = loadRulesAndISPs(files: files, options: options)
        return (rules, errors)
    }

    /// The rules, the ISP table (options' ISPs plus every file's definitions, later ones winning) and errors.
    public static func loadRulesAndISPs(files: [String], options: LoadOptions) -> (rules: [Rule], isps: ISPTable, errors: [RuleFileError]) {
        var rules: [Rule] = []
        var errors: [RuleFileError] = []
        var isps = options.isps
        for file in files {
            guard let bytes = readFile(file) else {
                errors.append(RuleFileError(SourceLocation(file: file, line: 1, column: 1), "cannot read file: \(String(cString: strerror(errno)))"))
                continue
            }
            let contents = parse(bytes, file: file, options: options)
            rules += contents.rules
            for d in contents.isps { isps.define(d.name, domains: d.domains) }
            errors += capped(contents.errors, file: file)
        }
        return (rules, isps, errors)
    }

    /// Parses one file's bytes with the format `options.format` names, or the detected one.
    public static func parse(_ bytes: [UInt8], file: String, options: LoadOptions) -> RuleFileContents {
        let format: (any RuleFileFormat)?
        if let name = options.format {
            format = RuleFormats.named(name)
            guard format != nil else {
                let known = RuleFormats.all.map(\.name).joined(separator: ", ")
                return RuleFileContents(errors: [RuleFileError(SourceLocation(file: file, line: 1), "unknown format '\(name)' (known: \(known))")])
            }
        } else if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            // An empty file is a rule list with no rules, whatever its name.
            return RuleFileContents()
        } else {
            format = RuleFormats.detect(file: file, bytes: bytes)
        }
        guard let format else {
            let known = RuleFormats.all.map { "\($0.name) (.\($0.fileExtensions.joined(separator: ", .")))" }.joined(separator: ", ")
            return RuleFileContents(errors: [RuleFileError(SourceLocation(file: file, line: 1), "cannot tell the rule format from the file name or content; known formats: \(known)")])
        }
        return format.parseFile(bytes, file: file, options: options)
    }

    static func capped(_ errors: [RuleFileError], file: String) -> [RuleFileError] {
        guard errors.count > maxErrorsPerFile else { return errors }
        var kept = Array(errors.prefix(maxErrorsPerFile))
        kept.append(RuleFileError(errors[maxErrorsPerFile].location, "\(errors.count - maxErrorsPerFile) more errors in this file not shown"))
        return kept
    }

    /// The whole file at `path` as bytes.
    ///
    /// - Returns: nil when the file cannot be opened or read (a directory, say); `errno` then says why.
    public static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { return nil }
                break
            }
        }
        return out
    }
}
