import Testing
@testable import BounceMatch
import TestSupport
import Foundation

/// Shared helpers for the classify tests: rule sets, temporary files, runs.
enum ClassifyFixture {
    static let rulesTSV = """
        kind\tpattern\tlabel
        substring\tdoes not exist\tbad-mailbox
        substring\tmailbox full\tquota
        regex\t^4\\d\\d .*try again later\tgreylist
        substring\tspamhaus\tblocklist

        """

    static func ruleSet(_ text: String = rulesTSV, name: String = "rules.tsv") throws -> RuleSet {
        let path = try CLIRunner.temporaryFile(name, text)
        return try RuleLoader.load(files: [path], options: LoadOptions())
    }

    static func matcher(_ ruleSet: RuleSet) throws -> any Matcher {
        try Backends.reference.make(ruleSet, MatcherOptions())
    }

    static func options(threads: Int = 1, format: InputFormat? = nil, chunk: Int = 2_048) -> ClassifyOptions {
        var o = ClassifyOptions()
        o.threads = threads
        o.format = format
        o.recordsPerChunk = chunk
        return o
    }

    static func run(_ contents: [UInt8], name: String = "log", options: ClassifyOptions, ruleSet: RuleSet? = nil,
                    annotate: Bool = false) throws -> (ClassifySummary, [UInt8]) {
        let rules = try ruleSet ?? self.ruleSet()
        let path = try CLIRunner.temporaryFile(name, contents)
        let annotatePath = path + ".annotated"
        let writer = annotate ? try AnnotateWriter(path: annotatePath, ruleSet: rules) : nil
        let summary = ClassifyRun(matcher: try matcher(rules), options: options).run(inputs: [path], annotate: writer)
        writer?.flush()
        let out = annotate ? Array((try? Data(contentsOf: URL(fileURLWithPath: annotatePath))) ?? Data()) : []
        return (summary, out)
    }

    static func run(_ text: String, options: ClassifyOptions, annotate: Bool = false) throws -> (ClassifySummary, [UInt8]) {
        try run(Array(text.utf8), options: options, annotate: annotate)
    }

    /// A PowerMTA accounting CSV with the given `type,rcpt,dlvSourceIp,dsnDiag` rows (already CSV-encoded).
    static func csv(_ rows: [String]) -> String {
        "type,timeLogged,rcpt,dlvSourceIp,dsnStatus,dsnDiag\n" + rows.map { $0 + "\n" }.joined()
    }
}
