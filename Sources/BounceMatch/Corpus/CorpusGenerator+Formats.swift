#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CorpusGenerator {
    /// The header line of the project's TSV rule format.
    public static let tsvHeader: [UInt8] = Array("kind\tpattern\tlabel\torder\n".utf8)

    /// Rules in the project's TSV rule format: the header, then `kind<TAB>pattern<TAB>label<TAB>order` per
    /// rule with `order` = position (0-based). Patterns are written as they are (they hold no TAB or LF).
    public static func tsv(_ rules: [GeneratedRule]) -> [UInt8] {
        var out = tsvHeader
        for (i, rule) in rules.enumerated() {
            out += Array(rule.kind.rawValue.utf8) + [0x09] + rule.pattern + [0x09] + Array(rule.label.utf8) + [0x09]
            out += Array(String(i).utf8) + [0x0A]
        }
        return out
    }

    /// Replies one per line, each ended by LF (no reply holds LF or CR).
    public static func lines(_ replies: [GeneratedReply]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(replies.reduce(0) { $0 + $1.bytes.count + 1 })
        for reply in replies { out += reply.bytes + [0x0A] }
        return out
    }

    /// The generated rules as `Rule` values, as the TSV loader would give them: names `file:line` with the
    /// header on line 1, case-insensitive, the kind's default target, format `tsv`.
    public static func makeRules(_ rules: [GeneratedRule], file: String = "generated.tsv") -> [Rule] {
        rules.enumerated().map { i, g in
            let location = SourceLocation(file: file, line: i + 2)
            let patternColumn = g.kind.rawValue.utf8.count + 2
            return Rule(
                name: "\(file):\(i + 2)", kind: g.kind, pattern: g.pattern, label: g.label,
                location: location, patternLocation: SourceLocation(file: file, line: i + 2, column: patternColumn),
                format: "tsv"
            )
        }
    }

    /// A compiled `RuleSet` of the generated rules (throws only if a pattern is invalid, which is a bug).
    public static func ruleSet(_ rules: [GeneratedRule], file: String = "generated.tsv") throws(RuleSetError) -> RuleSet {
        try RuleSet(rules: makeRules(rules, file: file))
    }

    /// Writes bytes to `path`, creating or truncating it (or appending to it when `append`);
    /// `"-"` means standard output.
    public static func write(_ bytes: [UInt8], to path: String, append: Bool = false) throws(CorpusWriteError) {
        if path == "-" {
            // The raw descriptor, because the C `stdout` global is not concurrency-safe in Swift 6.
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBufferPointer { buf in
                    systemWrite(1, buf.baseAddress! + offset, buf.count - offset)
                }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { throw CorpusWriteError(path: path, reason: String(cString: strerror(errno))) }
                offset += n
            }
            return
        }
        guard let f = fopen(path, append ? "ab" : "wb") else {
            throw CorpusWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f)
        if written != bytes.count || closed != 0 {
            throw CorpusWriteError(path: path, reason: "short write: \(String(cString: strerror(errno)))")
        }
    }
}

/// A generated corpus could not be written.
public struct CorpusWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): cannot write: \(reason)" }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
