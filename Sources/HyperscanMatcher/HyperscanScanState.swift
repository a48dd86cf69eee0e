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

    init(table: RuleTable) { self.table = table }

    /// Takes a match of rule `id`; returns true to stop the scan.
    @inline(__always)
    func accept(_ id: Int) -> Bool {
        guard id >= start, id < best, let reply, table.conditionsHold(id, for: reply.pointee) else { return false }
        best = id
        return id <= stopAt
    }
}
