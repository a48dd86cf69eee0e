import BounceRules
import Matching
import PCRE2Matcher
import RegexSyntax

/// The `hyperscan` backend: every rule Hyperscan accepts goes into one block-mode database per target
/// (line, text), scanned once per reply; the lowest matching index wins.
///
/// Rules Hyperscan rejects (PCRE-only constructs, patterns too large ...) run *hybrid*: PCRE2 decides them
/// at their own place in the order, and `ruleNotes` names each with Hyperscan's reason.
public final class HyperscanMatcher: Matcher, MemoryReporting {
    public static let descriptor = BackendDescriptor(
        name: "hyperscan",
        summary: "Hyperscan multi-pattern scan (one database per target), PCRE2 for rules Hyperscan rejects",
        make: { (ruleSet, options) throws(MatcherError) in try HyperscanMatcher(ruleSet: ruleSet, options: options) }
    )

    public var backendName: String { Self.descriptor.name }
    public let ruleSet: RuleSet
    public let ruleNotes: [RuleNote]
    let options: MatcherOptions
    let table: RuleTable
    let lineDatabase: HyperscanDatabase?
    let textDatabase: HyperscanDatabase?
    /// The scratch every thread's scratch is cloned from; nil when there is no database.
    let prototype: HyperscanScratchSpace?
    /// `nextLineRule[i]`: the lowest rule index `>= i` in the line database (`Int.max` when none).
    let nextLineRule: [Int]
    let nextTextRule: [Int]
    /// Like `nextLineRule`, counting the line prefilters of hybrid rules too: a scan can stop early only
    /// when no lower rule can still be matched or be made a candidate.
    let nextLineRelevant: [Int]
    let nextTextRelevant: [Int]
    /// True for a hybrid rule whose Hyperscan prefilter must match before PCRE2 is asked.
    let hasPrefilter: [Bool]
    let usesPrefilters: Bool
    /// Rules outside both databases, ascending: rules without a pattern and hybrid rules.
    let otherRules: [Int]
    /// PCRE2 codes for the hybrid rules only.
    let hybrid: PCRE2Program
    /// The databases' raw handles (owned by `lineDatabase`/`textDatabase`), so a reply retains nothing.
    /// `nonisolated(unsafe)`: immutable, and Hyperscan allows scanning one database from many threads.
    nonisolated(unsafe) let lineHandle: OpaquePointer?
    nonisolated(unsafe) let textHandle: OpaquePointer?
    /// True when no rule is outside the databases and none has a prefilter: a reply is one or two scans.
    let scanOnly: Bool

    /// `hs_database_size` of both databases plus one scratch's `hs_scratch_size`, and the hybrid rules'
    /// PCRE2 code and JIT sizes.
    public var memoryFootprint: Int? {
        var total = hybrid.byteSize
        for db in [lineDatabase, textDatabase] {
            guard let db else { continue }
            guard let size = db.byteSize else { return nil }
            total += size
        }
        if let prototype {
            guard let size = prototype.byteSize else { return nil }
            total += size
        }
        return total
    }

    public init(ruleSet: RuleSet, options: MatcherOptions = MatcherOptions()) throws(MatcherError) {
        let name = "hyperscan"
        let n = ruleSet.count
        self.ruleSet = ruleSet
        self.options = options
        let table = RuleTable(ruleSet: ruleSet)
        self.table = table

        var notes: [Int: String] = [:]
        var lineExpressions: [HyperscanExpression] = []
        var textExpressions: [HyperscanExpression] = []
        for i in 0..<n {
            guard let pattern = ruleSet.patterns[i] else { continue }
            switch HyperscanMatcher.expression(for: ruleSet.rules[i], pattern: pattern, index: i) {
            case .failure(let reason):
                notes[i] = reason.text
            case .success(let e):
                if table.isTextTarget[i] { textExpressions.append(e) } else { lineExpressions.append(e) }
            }
        }
        // Hybrid rules get a prefilter expression (id n + rule) in the same database when Hyperscan can
        // approximate them; PCRE2 then runs only when the prefilter matched.
        for i in notes.keys.sorted() {
            guard let e = HyperscanMatcher.prefilterExpression(for: ruleSet.rules[i], index: i, ruleCount: n) else { continue }
            if table.isTextTarget[i] { textExpressions.append(e) } else { lineExpressions.append(e) }
        }
        lineDatabase = try HyperscanMatcher.compile(&lineExpressions, notes: &notes, ruleCount: n, backend: name)
        textDatabase = try HyperscanMatcher.compile(&textExpressions, notes: &notes, ruleCount: n, backend: name)
        let lineIDs = lineExpressions.map { Int($0.id) }, textIDs = textExpressions.map { Int($0.id) }
        nextLineRule = HyperscanMatcher.nextTable(lineIDs.filter { $0 < n }, count: n)
        nextTextRule = HyperscanMatcher.nextTable(textIDs.filter { $0 < n }, count: n)
        let linePrefiltered = lineIDs.filter { $0 >= n }.map { $0 - n }
        let textPrefiltered = textIDs.filter { $0 >= n }.map { $0 - n }
        nextLineRelevant = HyperscanMatcher.nextTable(lineIDs.map { $0 >= n ? $0 - n : $0 }.sorted(), count: n)
        nextTextRelevant = HyperscanMatcher.nextTable(textIDs.map { $0 >= n ? $0 - n : $0 }.sorted(), count: n)
        var prefiltered = [Bool](repeating: false, count: n)
        for i in linePrefiltered + textPrefiltered { prefiltered[i] = true }
        hasPrefilter = prefiltered
        usesPrefilters = !(linePrefiltered.isEmpty && textPrefiltered.isEmpty)

        let databases = [lineDatabase, textDatabase].compactMap { $0 }
        if databases.isEmpty {
            prototype = nil
        } else if let p = HyperscanScratchSpace(for: databases) {
            prototype = p
        } else {
            throw MatcherError(backend: name, reason: "Hyperscan could not allocate scratch space")
        }

        otherRules = (0..<n).filter { !table.hasPattern[$0] || notes[$0] != nil }
        ruleNotes = notes.keys.sorted().map { i in
            RuleNote(ruleIndex: i, kind: .hybrid, reason: notes[i]! + (prefiltered[i] ? " (Hyperscan prefilter, PCRE2 confirms)" : ""))
        }
        lineHandle = lineDatabase?.database
        textHandle = textDatabase?.database
        scanOnly = otherRules.isEmpty && !usesPrefilters
        hybrid = try PCRE2Program(
            sources: PCRE2Source.forRuleSet(ruleSet, backend: name, including: { notes[$0] != nil }),
            backend: name
        )
    }

    public func makeScratch() -> any MatchScratch {
        HyperscanScratch(space: prototype?.clone(), table: table, options: options)
    }

    public func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        // An identity check and an unchecked cast instead of `as?`: no dynamic cast, no retain per reply.
        guard ObjectIdentifier(type(of: scratch)) == ObjectIdentifier(HyperscanScratch.self) else {
            preconditionFailure("hyperscan: scratch made by another matcher")
        }
        let scratch = unsafeDowncast(scratch, to: HyperscanScratch.self)
        let start = max(start, 0)
        guard start < table.count else { return .noMatch }
        return withExtendedLifetime(scratch) {
            withUnsafePointer(to: reply) { replyPointer in
                reply.line.withUnsafeBufferPointer { line in
                    firstMatch(replyPointer, line: line, from: start, scratch: scratch)
                }
            }
        }
    }

    @inline(__always)
    private func firstMatch(
        _ reply: UnsafePointer<Reply>, line: UnsafeBufferPointer<UInt8>, from start: Int, scratch: HyperscanScratch
    ) -> MatchResult {
        // Everything the scans need, copied to locals once: the state is plain memory behind a pointer.
        let state = scratch.state
        var best = Int.max
        // The lowest rule a failed scan leaves unknown (Hyperscan errors never become "no match").
        var failedFrom = Int.max
        if let space = scratch.spaceHandle {
            let base = line.baseAddress ?? UnsafePointer(scratch.emptySubject)
            let count = line.count
            state.pointee.reply = reply
            state.pointee.start = start
            if usesPrefilters { state.clearCandidates() }
            if let db = lineHandle {
                let stop = nextLineRelevant[start]
                if stop < best {
                    state.pointee.best = best
                    state.pointee.stopAt = stop
                    if hyperscanScan(db, data: base, length: count, scratch: space, state: state) == .failed {
                        failedFrom = min(failedFrom, stop)
                    }
                    best = state.pointee.best
                }
            }
            if let db = textHandle {
                let stop = nextTextRelevant[start]
                if stop < best {
                    let textStart = min(max(reply.pointee.textStart, 0), count)
                    state.pointee.best = best
                    state.pointee.stopAt = stop
                    if hyperscanScan(db, data: base + textStart, length: count - textStart, scratch: space, state: state) == .failed {
                        failedFrom = min(failedFrom, stop)
                    }
                    best = state.pointee.best
                }
            }
            state.pointee.reply = nil
            if scanOnly {
                let undecided = failedFrom < best ? failedFrom : -1
                return MatchResult(ruleIndex: best == Int.max ? -1 : best, undecided: undecided)
            }
        }

        // Rules outside the databases, in index order, up to the scan's answer.
        var undecided = failedFrom < best ? failedFrom : -1
        var k = lowerBound(otherRules, start)
        while k < otherRules.count {
            let i = otherRules[k]
            if i >= best { break }
            k += 1
            guard table.conditionsHold(i, for: reply.pointee) else { continue }
            guard table.hasPattern[i] else { best = i; break }
            // A prefiltered rule whose prefilter did not fire cannot match (no false negatives); after a
            // failed scan the prefilters' hits are unknown, so PCRE2 decides.
            if hasPrefilter[i] && failedFrom == Int.max && !state.isCandidate(i) { continue }
            let range = table.targetRange(i, in: reply.pointee)
            switch hybrid.match(rule: i, in: line, range: range, state: scratch.pcre2) {
            case .match: best = i
            case .noMatch: continue
            case .undecided: if undecided < 0 || i < undecided { undecided = i }; continue
            }
            break
        }
        if undecided >= best { undecided = -1 }
        return MatchResult(ruleIndex: best == Int.max ? -1 : best, undecided: undecided)
    }

    /// The first position in the ascending `array` whose element is `>= value`.
    @inline(__always)
    private func lowerBound(_ array: [Int], _ value: Int) -> Int {
        var low = 0, high = array.count
        while low < high {
            let mid = (low + high) / 2
            if array[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// One thread's scratch for `HyperscanMatcher`.
final class HyperscanScratch: MatchScratch {
    let space: HyperscanScratchSpace?
    /// `space`'s raw handle, read once per reply without touching the owner.
    let spaceHandle: OpaquePointer?
    /// The callback's state, allocated once here and freed in `deinit`.
    let state: UnsafeMutablePointer<HyperscanScanState>
    /// Keeps the table the state reads (unowned) alive.
    let table: RuleTable
    let pcre2: PCRE2MatchState
    /// A readable byte to scan when the line is empty (its array has no storage).
    let emptySubject: UnsafeMutablePointer<UInt8>

    init(space: HyperscanScratchSpace?, table: RuleTable, options: MatcherOptions) {
        self.space = space
        spaceHandle = space?.scratch
        self.table = table
        state = HyperscanScanState.allocate(table: table)
        pcre2 = PCRE2MatchState(options: options)
        emptySubject = .allocate(capacity: 1)
        emptySubject.initialize(to: 0)
    }

    deinit {
        HyperscanScanState.destroy(state)
        emptySubject.deallocate()
    }
}
