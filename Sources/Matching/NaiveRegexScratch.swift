/// One record of the backtracking stack: a choice point to resume, or an undo record.
@usableFromInline
struct NaiveFrame {
    static let choice: Int32 = 0
    /// A greedy single-byte repeat giving back one byte per resume: `pc` continues, `pos` is the last
    /// exit tried, `x` the lowest exit.
    static let greedy: Int32 = 1
    /// A lazy single-byte repeat taking one more byte per resume: `pc` is the repeat instruction,
    /// `pos` the last exit tried, `x` the highest exit.
    static let lazy: Int32 = 2
    /// Start of an atomic group or lookaround: `pc` its id, `pos` where it started, `x` where a negative
    /// lookaround resumes when its body fails (-1 otherwise).
    static let barrier: Int32 = 3
    /// Restore capture `pc` to (`pos`, `x`).
    static let undoCap: Int32 = 4
    /// Restore register `pc` to `x`.
    static let undoReg: Int32 = 5

    var kind: Int32
    var pc: Int32
    var pos: Int
    var x: Int
}

/// Per-thread working memory of `NaiveRegex` searches (and of `NaiveMatcher`): the backtracking stack,
/// captures, registers and memo bits. Buffers only grow, so warm searches allocate nothing.
public final class NaiveRegexScratch: MatchScratch {
    var stack: UnsafeMutablePointer<NaiveFrame>
    var stackCapacity: Int
    var caps: UnsafeMutablePointer<Int>
    var capsCapacity: Int
    var regs: UnsafeMutablePointer<Int>
    var regsCapacity: Int
    var memo: UnsafeMutablePointer<UInt64>
    var memoCapacity: Int

    public init() {
        stackCapacity = 256
        stack = .allocate(capacity: stackCapacity)
        capsCapacity = 16
        caps = .allocate(capacity: capsCapacity)
        regsCapacity = 16
        regs = .allocate(capacity: regsCapacity)
        memoCapacity = 256
        memo = .allocate(capacity: memoCapacity)
    }

    deinit {
        stack.deallocate()
        caps.deallocate()
        regs.deallocate()
        memo.deallocate()
    }

    /// Doubles the stack, keeping its `count` frames.
    func growStack(count: Int) {
        let bigger = UnsafeMutablePointer<NaiveFrame>.allocate(capacity: stackCapacity * 2)
        bigger.moveInitialize(from: stack, count: count)
        stack.deallocate()
        stack = bigger
        stackCapacity *= 2
    }

    /// Makes room for `caps` capture slots, `regs` registers and `memoWords` memo words (contents undefined).
    func reserve(caps capsNeeded: Int, regs regsNeeded: Int, memoWords: Int) {
        if capsNeeded > capsCapacity {
            caps.deallocate()
            capsCapacity = Swift.max(capsNeeded, capsCapacity * 2)
            caps = .allocate(capacity: capsCapacity)
        }
        if regsNeeded > regsCapacity {
            regs.deallocate()
            regsCapacity = Swift.max(regsNeeded, regsCapacity * 2)
            regs = .allocate(capacity: regsCapacity)
        }
        if memoWords > memoCapacity {
            memo.deallocate()
            memoCapacity = Swift.max(memoWords, memoCapacity * 2)
            memo = .allocate(capacity: memoCapacity)
        }
    }
}
