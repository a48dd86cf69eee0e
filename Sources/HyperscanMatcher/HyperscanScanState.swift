import BounceRules
import PCRE2Matcher

/// What the C match callback reads and writes during one scan. It lives behind a pointer the scratch
/// allocates once, so the callback touches plain memory: no class property, no exclusivity check, no
/// retain.
struct HyperscanScanState {
    /// The reply being scanned; set only for the duration of a scan, and only read for conditioned rules.
    var reply: UnsafePointer<Reply>?
    /// Ids below `start` are ignored (`firstMatch(from:)`).
    var start = 0
    /// The lowest accepted rule so far; ids at or above it are ignored.
    var best = Int.max
    /// The lowest rule of the database at or above `start`: once it is accepted nothing lower can come.
    var stopAt = 0
    /// The rule count: ids at or above it are hybrid rules' prefilters.
    let ruleCount: Int
    /// Per rule: true when its conditions always hold (a copy of the table's, owned by the scratch).
    let unconditioned: UnsafeMutablePointer<Bool>
    /// Hybrid rules whose prefilter fired in this reply (bit per rule index).
    let candidates: UnsafeMutablePointer<UInt64>
    let words: Int
    /// Kept alive by the scratch that owns this state; read only for conditioned rules.
    unowned(unsafe) let table: RuleTable

    /// Allocates the state and its buffers; released only by `destroy`.
    static func allocate(table: RuleTable) -> UnsafeMutablePointer<HyperscanScanState> {
        let words = table.count / 64 + 1
        let candidates = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        candidates.initialize(repeating: 0, count: words)
        let unconditioned = UnsafeMutablePointer<Bool>.allocate(capacity: max(table.count, 1))
        unconditioned.initialize(repeating: true, count: max(table.count, 1))
        for i in 0..<table.count { unconditioned[i] = table.conditionsAlwaysHold[i] }
        let state = UnsafeMutablePointer<HyperscanScanState>.allocate(capacity: 1)
        state.initialize(to: HyperscanScanState(
            ruleCount: table.count, unconditioned: unconditioned, candidates: candidates, words: words, table: table
        ))
        return state
    }

    /// Frees what `allocate` made.
    static func destroy(_ state: UnsafeMutablePointer<HyperscanScanState>) {
        state.pointee.candidates.deallocate()
        state.pointee.unconditioned.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }
}

extension UnsafeMutablePointer where Pointee == HyperscanScanState {
    @inline(__always)
    func clearCandidates() { pointee.candidates.update(repeating: 0, count: pointee.words) }

    @inline(__always)
    func isCandidate(_ rule: Int) -> Bool { pointee.candidates[rule >> 6] & (1 << UInt64(rule & 63)) != 0 }

    /// Takes a match of id `id` (a rule index, or rule count + rule index for a hybrid rule's prefilter);
    /// returns true to stop the scan.
    @inline(__always)
    func accept(_ id: Int) -> Bool {
        let n = pointee.ruleCount
        if id >= n {
            let rule = id - n
            if rule >= pointee.start && rule < pointee.best {
                pointee.candidates[rule >> 6] |= 1 << UInt64(rule & 63)
            }
            return false
        }
        guard id >= pointee.start, id < pointee.best else { return false }
        if !pointee.unconditioned[id] {
            guard let reply = pointee.reply, pointee.table.conditions[id].hold(for: reply.pointee) else { return false }
        }
        pointee.best = id
        return id <= pointee.stopAt
    }
}
