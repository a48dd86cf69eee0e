import BounceRules
import PCRE2Matcher

/// What the match callback needs during one scan, kept in the thread's scratch so scanning allocates nothing.
final class HyperscanScanState {
    let table: RuleTable
    /// The reply being scanned; set only for the duration of a scan.
    var reply: UnsafePointer<Reply>?
    /// Ids below `start` are ignored (`firstMatch(from:)`).
    var start = 0
    /// The lowest accepted rule so far; ids at or above it are ignored.
    var best = Int.max
    /// The lowest rule of the database at or above `start`: once it is accepted nothing lower can come.
    var stopAt = 0

    /// Hybrid rules whose prefilter fired in this reply (bit per rule index).
    let candidates: UnsafeMutablePointer<UInt64>
    let words: Int

    init(table: RuleTable) {
        self.table = table
        words = table.count / 64 + 1
        candidates = .allocate(capacity: words)
        candidates.initialize(repeating: 0, count: words)
    }

    deinit { candidates.deallocate() }

    @inline(__always)
    func clearCandidates() { candidates.update(repeating: 0, count: words) }

    @inline(__always)
    func isCandidate(_ rule: Int) -> Bool { candidates[rule >> 6] & (1 << UInt64(rule & 63)) != 0 }

    /// Takes a match of id `id` (a rule index, or rule count + rule index for a hybrid rule's prefilter);
    /// returns true to stop the scan.
    @inline(__always)
    func accept(_ id: Int) -> Bool {
        if id >= table.count {
            let rule = id - table.count
            if rule >= start && rule < best { candidates[rule >> 6] |= 1 << UInt64(rule & 63) }
            return false
        }
        guard id >= start, id < best, let reply, table.conditionsHold(id, for: reply.pointee) else { return false }
        best = id
        return id <= stopAt
    }
}
