import BounceMatch
import CBaselines

/// One baseline loop made in a benchmark's setup: `run(n)` matches the next `n` replies (cyclically) and
/// returns a checksum. Each factory checks the loop's answers against the naive reference first.
public final class BaselineLoop: @unchecked Sendable {
    public let bytesPerReply: Double
    private let body: (Int, Int) -> Int
    private let replyCount: Int
    private var cursor = 0
    private let release: () -> Void

    init(replies: [Reply], release: @escaping () -> Void = {}, body: @escaping (_ first: Int, _ count: Int) -> Int) {
        self.bytesPerReply = Double(replies.reduce(0) { $0 + $1.line.count }) / Double(max(replies.count, 1))
        self.replyCount = replies.count
        self.body = body
        self.release = release
    }

    deinit { release() }

    @inline(__always)
    public func run(_ count: Int) -> Int {
        let r = body(cursor, count)
        cursor = (cursor + count) % max(replyCount, 1)
        return r
    }

    /// A registered backend on `benchCase`, for side-by-side figures in this suite.
    public convenience init(backend: BackendDescriptor, _ benchCase: BenchCase) throws {
        let prepared = try PreparedRun.prepare(backend, benchCase)
        self.init(replies: prepared.replies) { _, n in prepared.run(count: n) }
    }

    /// The reference's answer for every reply.
    static func referenceAnswers(_ input: BenchInput) throws -> [Int] {
        let m = try Backends.reference.make(input.ruleSet, MatcherOptions())
        let s = m.makeScratch()
        return input.replies.map { m.firstMatch($0, scratch: s).ruleIndex }
    }

    /// Throws unless `answer(i)` equals the reference on every reply.
    static func check(_ name: String, _ input: BenchInput, _ answer: (Int) -> Int) throws {
        let expected = try referenceAnswers(input)
        var wrong = 0
        var first = ""
        for i in expected.indices where answer(i) != expected[i] {
            if wrong == 0 { first = "reply \(i + 1): expected \(expected[i]), got \(answer(i))" }
            wrong += 1
        }
        if wrong > 0 { throw BenchCaseError("\(name) DISAGREES with the reference on \(wrong) replies of \(input.name) (\(first)) — no figure") }
    }

    /// The C loops scan the whole line, so they take substring rules without conditions; each literal is
    /// printed with every byte explicit (`[Aa]` for a caseless letter, `\xHH` for anything not alphanumeric),
    /// which Hyperscan and PCRE2 both read with the same meaning and no flags.
    static func plainPatterns(_ input: BenchInput) throws -> [[CChar]] {
        try input.ruleSet.rules.indices.map { i in
            let rule = input.ruleSet.rules[i]
            guard rule.kind == .substring, rule.target == .line, rule.conditions == RuleConditions(),
                  let literal = input.ruleSet.patterns[i]?.literal else {
                throw BenchCaseError("\(input.name): rule \(i) is not a plain substring rule; the C baselines scan the line for literals only")
            }
            return printLiteral(literal, caseless: rule.caseInsensitive).map { CChar(bitPattern: $0) } + [0]
        }
    }

    static func printLiteral(_ bytes: [UInt8], caseless: Bool) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            let lower = b | 0x20
            if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") {
                if caseless { out += [UInt8(ascii: "["), lower & ~0x20, lower, UInt8(ascii: "]")] } else { out.append(b) }
            } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                out.append(b)
            } else {
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return out
    }

    static func withCStrings<R>(_ strings: [[CChar]], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>] = []
        for s in strings {
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: s.count)
            p.initialize(from: s, count: s.count)
            pointers.append(p)
        }
        defer { pointers.forEach { $0.deallocate() } }
        return body(pointers.map { UnsafePointer($0) })
    }

    /// Lends a `cb_replies` view of `bytes` for the duration of `body` (the arrays outlive every call).
    static func withReplies<R>(_ bytes: ReplyBytes, _ body: (UnsafePointer<cb_replies>) -> R) -> R {
        bytes.bytes.withUnsafeBufferPointer { b in
            bytes.offsets.withUnsafeBufferPointer { o in
                var view = cb_replies(bytes: b.baseAddress, offsets: o.baseAddress, count: bytes.count)
                return withUnsafePointer(to: &view) { body($0) }
            }
        }
    }

    public static func hyperscanC(_ benchCase: BenchCase) throws -> BaselineLoop {
        let input = try benchCase.load()
        let patterns = try plainPatterns(input)
        var rejected = 0
        var error = [CChar](repeating: 0, count: 512)
        let db = withCStrings(patterns) { cb_hs_create($0, $0.count, &rejected, &error, error.count) }
        guard let db else { throw BenchCaseError("hs_compile_multi failed: \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))") }
        return try cLoop(
            "C hs_scan", input, handle: db,
            rejection: rejected == 0 ? nil : "Hyperscan rejected \(rejected) patterns of \(input.name); the C baseline would not be like-for-like",
            destroy: { cb_hs_destroy($0) }, scan: { cb_hs_scan_replies($0, $1, $2, $3) })
    }

    public static func pcre2C(_ benchCase: BenchCase) throws -> BaselineLoop {
        let input = try benchCase.load()
        let patterns = try plainPatterns(input)
        var rejected = 0
        let set = withCStrings(patterns) { cb_pcre2_create($0, $0.count, &rejected) }
        guard let set else { throw BenchCaseError("no pattern of \(input.name) compiled with PCRE2") }
        return try cLoop(
            "C pcre2_match", input, handle: set,
            rejection: rejected == 0 ? nil : "PCRE2 rejected \(rejected) patterns of \(input.name)",
            destroy: { cb_pcre2_destroy($0) }, scan: { cb_pcre2_match_replies($0, $1, $2, $3) })
    }

    /// The C baselines' common tail: the handle is destroyed on any failure (a rejected pattern, an answer
    /// that differs from the reference), else owned by the returned loop, which scans with it.
    private static func cLoop<Handle>(
        _ name: String, _ input: BenchInput, handle: Handle, rejection: String?,
        destroy: @escaping (Handle) -> Void,
        scan: @escaping (Handle, UnsafePointer<cb_replies>, Int, Int) -> Int64
    ) throws -> BaselineLoop {
        let bytes = ReplyBytes(input.replies)
        do {
            if let rejection { throw BenchCaseError(rejection) }
            try check(name, input) { i in withReplies(bytes) { Int(scan(handle, $0, i, 1)) } }
        } catch {
            destroy(handle)
            throw error
        }
        let box = CPointerBox(handle)
        return BaselineLoop(replies: input.replies, release: { destroy(box.pointer) }) { first, n in
            withReplies(bytes) { Int(scan(box.pointer, $0, first, n)) }
        }
    }

    public static func memchrFloor(_ benchCase: BenchCase) throws -> BaselineLoop {
        let input = try benchCase.load()
        let bytes = ReplyBytes(input.replies)
        return BaselineLoop(replies: input.replies) { first, n in
            withReplies(bytes) { Int(cb_memchr_replies($0, first, n)) }
        }
    }

    /// `String(decoding:).lowercased().contains(literal)` per rule in order: the obvious Swift loop.
    public static func stringContains(_ benchCase: BenchCase) throws -> BaselineLoop {
        let input = try benchCase.load()
        let literals: [String] = try input.ruleSet.rules.indices.map { i in
            guard let lit = input.ruleSet.patterns[i]?.literal, input.ruleSet.rules[i].kind == .substring,
                  input.ruleSet.rules[i].caseInsensitive else {
                throw BenchCaseError("\(input.name): rule \(i) is not a case-insensitive substring rule")
            }
            return String(decoding: lit, as: UTF8.self).lowercased()
        }
        let texts = input.replies.map { String(decoding: $0.line, as: UTF8.self) }
        func answer(_ text: String) -> Int {
            let lower = text.lowercased()
            for (i, l) in literals.enumerated() where lower.contains(l) { return i }
            return -1
        }
        try check("Swift String.contains", input) { answer(texts[$0]) }
        return BaselineLoop(replies: input.replies) { first, n in
            var sum = 0, i = first % texts.count
            for _ in 0..<n {
                sum &+= answer(texts[i])
                i += 1
                if i == texts.count { i = 0 }
            }
            return sum
        }
    }

    /// Swift `Regex` built from the source of the first `ruleCount` portable generated regex rules (with
    /// `(?i)` in front for case-insensitive rules), as a Swift user would write it.
    public static func swiftRegex(ruleCount: Int) throws -> BaselineLoop {
        let generated = CorpusGenerator.rules(count: 1_000, mix: .mixed, seed: BenchCases.seed).filter { $0.kind == .regex && !$0.isPCREOnly }
        let ruleSet = try CorpusGenerator.ruleSet(Array(generated.prefix(ruleCount)), file: "regex-\(ruleCount).tsv")
        let input = BenchInput(name: "regex-\(ruleCount) × generated replies", ruleSet: ruleSet, replies: BenchCases.generatedReplies())
        var regexes: [Regex<AnyRegexOutput>] = []
        for i in ruleSet.rules.indices {
            let rule = ruleSet.rules[i]
            let source = (rule.caseInsensitive ? "(?i)" : "") + String(decoding: rule.pattern, as: UTF8.self)
            do { regexes.append(try Regex(source)) } catch {
                throw BenchCaseError("Swift Regex cannot compile rule \(i) '\(source)': \(error)")
            }
        }
        let texts = input.replies.map { String(decoding: $0.line, as: UTF8.self) }
        let rx = regexes
        func answer(_ text: String) -> Int {
            for (i, r) in rx.enumerated() where (try? r.firstMatch(in: text)) != nil { return i }
            return -1
        }
        try check("Swift Regex", input) { answer(texts[$0]) }
        return BaselineLoop(replies: input.replies) { first, n in
            var sum = 0, i = first % texts.count
            for _ in 0..<n {
                sum &+= answer(texts[i])
                i += 1
                if i == texts.count { i = 0 }
            }
            return sum
        }
    }
}

/// Carries a C handle into the loop's closures (it is only used from the benchmark's one thread).
final class CPointerBox<P>: @unchecked Sendable {
    let pointer: P
    init(_ pointer: P) { self.pointer = pointer }
}
