#if canImport(Glibc)
import Glibc
#endif

/// Locates `../shared/corpora` (third-party data that is never copied into the project) and reads its
/// TSV files byte-exactly. When the folder is absent, tests call `announceMissing` and skip loudly.
public enum SharedCorpora {
    /// The package root, found from this source file's path (Tests/TestSupport/SharedCorpora.swift).
    public static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `BOUNCEMATCH_SHARED_CORPORA` if set, else `<package root>/../shared/corpora`; nil when absent.
    public static let root: String? = {
        let candidate: String
        if let env = getenv("BOUNCEMATCH_SHARED_CORPORA") {
            candidate = String(cString: env)
        } else {
            candidate = packageRoot + "/../shared/corpora"
        }
        return isDirectory(candidate) ? candidate : nil
    }()

    /// Prints a visible banner: a skipped corpus test must never look like a pass that checked something.
    public static func announceMissing(_ test: String) {
        let msg = """
            ************************************************************************
            SKIPPED: \(test): ../shared/corpora is absent (set BOUNCEMATCH_SHARED_CORPORA
            or place the shared folder beside the package). Nothing was checked.
            ************************************************************************
            """
        print(msg)
    }

    /// Every `rules-*.tsv` (not `-meta.tsv`) under the corpora root, sorted.
    public static func ruleFiles() -> [String] {
        files(matching: { $0.hasPrefix("rules-") && $0.hasSuffix(".tsv") && !$0.hasSuffix("-meta.tsv") })
    }

    /// Every `replies-*.tsv` under the corpora root, sorted.
    public static func replyFiles() -> [String] {
        files(matching: { $0.hasPrefix("replies-") && $0.hasSuffix(".tsv") })
    }

    static func files(matching keep: (String) -> Bool) -> [String] {
        guard let root else { return [] }
        var out: [String] = []
        for dir in listDirectory(root) where isDirectory(root + "/" + dir) {
            for f in listDirectory(root + "/" + dir) where keep(f) { out.append(root + "/" + dir + "/" + f) }
        }
        return out.sorted()
    }

    /// A TSV file as a header and rows of raw byte fields (no quoting, no trimming: the corpora say so).
    public static func readTSV(_ path: String) -> (header: [String], rows: [[[UInt8]]]) {
        let bytes = readFile(path) ?? []
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { return ([], []) }
        let header = first.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let rows = lines.dropFirst().map { line in
            line.split(separator: 0x09, omittingEmptySubsequences: false).map { Array($0) }
        }
        return (header, rows)
    }

    /// Undoes the `\r \n \t \\` escapes of `kumomta/replies-*.tsv`.
    public static func unescapeKumo(_ field: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var i = 0
        while i < field.count {
            if field[i] == UInt8(ascii: "\\"), i + 1 < field.count {
                switch field[i + 1] {
                case UInt8(ascii: "r"): out.append(0x0D); i += 2; continue
                case UInt8(ascii: "n"): out.append(0x0A); i += 2; continue
                case UInt8(ascii: "t"): out.append(0x09); i += 2; continue
                case UInt8(ascii: "\\"): out.append(0x5C); i += 2; continue
                default: break
                }
            }
            out.append(field[i])
            i += 1
        }
        return out
    }

    public static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if n < buf.count { break }
        }
        return out
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func listDirectory(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }
}
