import BounceRules
import Matching

/// The `pcre2` backend: one JIT-compiled PCRE2 code per rule, tried in index order.
///
/// Regex rules are compiled from their original source, so this backend also checks the project's parser.
/// A rule whose match hits a PCRE2 limit is reported undecided (`MatchResult.undecided`), never "no match".
public final class PCRE2Matcher: Matcher, MemoryReporting {
    public static let descriptor = BackendDescriptor(
        name: "pcre2",
        summary: "PCRE2 JIT, one compiled pattern per rule, tried in order",
        make: { (ruleSet, options) throws(MatcherError) in try PCRE2Matcher(ruleSet: ruleSet, options: options) }
    )

    public var backendName: String { Self.descriptor.name }
    public let ruleSet: RuleSet
    public var ruleNotes: [RuleNote] { [] }
    let options: MatcherOptions
    let table: RuleTable
    let program: PCRE2Program

    public init(ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()) throws(MatcherError) {
        self.ruleSet = ruleSet
        self.options = options
        table = RuleTable(ruleSet: ruleSet)
        program = try PCRE2Program(sources: PCRE2Source.forRuleSet(ruleSet, backend: "pcre2"), backend: "pcre2")
    }

    /// The compiled codes' `PCRE2_INFO_SIZE` plus `PCRE2_INFO_JITSIZE`.
    public var memoryFootprint: Int? { program.byteSize }

    public func makeScratch() -> any MatchScratch { PCRE2Scratch(options: options) }

    public func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        guard let scratch = scratch as? PCRE2Scratch else {
            preconditionFailure("pcre2: scratch made by another matcher")
        }
        let state = scratch.state
        // Borrowed, not copied: a copy would retain/release shared instances, contended between threads.
        return Unmanaged.passUnretained(table)._withUnsafeGuaranteedRef { table in
            Unmanaged.passUnretained(program)._withUnsafeGuaranteedRef { program in
                reply.line.withUnsafeBufferPointer { line -> MatchResult in
                    var undecided = -1
                    var i = max(start, 0)
                    while i < table.count {
                        if program.decides(rule: i, table: table, reply: reply, line: line, state: state, undecided: &undecided) {
                            return MatchResult(ruleIndex: i, undecided: undecided)
                        }
                        i += 1
                    }
                    return MatchResult(ruleIndex: -1, undecided: undecided)
                }
            }
        }
    }
}

extension PCRE2Program {
    /// Whether rule `i` is the first match once the in-order loop reaches it: its conditions hold and it has no
    /// pattern or its pattern matches. A PCRE2 limit leaves it undecided and records the first such rule in
    /// `undecided`. Shared by `pcre2` and `pcre2-prefiltered`, which differ only in which rules they reach.
    @inline(__always)
    func decides(
        rule i: Int, table: RuleTable, reply: Reply, line: UnsafeBufferPointer<UInt8>, state: PCRE2MatchState, undecided: inout Int
    ) -> Bool {
        // Conditions first: they are cheaper than the regex and the answer is the same.
        guard table.conditionsHold(i, for: reply) else { return false }
        guard table.hasPattern[i] else { return true }
        switch match(rule: i, in: line, range: table.targetRange(i, in: reply), state: state) {
        case .match: return true
        case .noMatch: return false
        case .undecided:
            if undecided < 0 { undecided = i }
            return false
        }
    }
}

/// One thread's scratch for `PCRE2Matcher`.
final class PCRE2Scratch: MatchScratch {
    let state: PCRE2MatchState
    init(options: MatcherOptions) { state = PCRE2MatchState(options: options) }
}
