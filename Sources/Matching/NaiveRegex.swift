import RegexSyntax

/// What one bounded search found.
public enum NaiveSearchOutcome: Hashable, Sendable {
    /// The leftmost match start and the end PCRE2's backtracking order gives that match.
    case match(Range<Int>)
    case noMatch
    /// The step budget was spent (or the regex cannot be run, see `NaiveRegex.isSupported`):
    /// the answer is unknown, never guessed.
    case budgetExhausted
}

/// The reference regex engine: a backtracking matcher over the resolved AST with PCRE2 10.42 semantics
/// (8-bit, non-UTF, non-UCP): leftmost start, PCRE2's priority order, lookaround, atomic groups,
/// possessive quantifiers and backreferences.
///
/// The AST is compiled once into an instruction array. Searches are bounded by a step budget; programs
/// without backreferences also memoize failed (instruction, position) states, so common patterns run in
/// time linear in the subject. Immutable after `init`, so one instance serves every thread, each with its
/// own `NaiveRegexScratch`.
public final class NaiveRegex: @unchecked Sendable {
    /// Memo bits per search above this (states x (subject length + 1)) turn memoization off for that
    /// search; the step budget still bounds it.
    public static let maxMemoBits = 1 << 25

    public let captureCount: Int
    /// Why this regex cannot be run (an `.opaque` construct, a lookbehind without fixed-length branches,
    /// a program too large), or nil. Every search of an unsupported regex is `.budgetExhausted`.
    public let unsupportedReason: String?
    /// `unsupportedReason == nil`, stored so the search path reads a flag, not an optional `String`.
    public let isSupported: Bool
    /// Number of instructions (for diagnostics and tests).
    public let programSize: Int

    /// Bytes the compiled program holds: instructions, memo slots, byte-set and first-byte tables, literal.
    public var memoryBytes: Int {
        programSize * (MemoryLayout<NaiveInst>.stride + 2 * MemoryLayout<Int32>.stride) + setTableSize + 256
            + 2 * literalCount
    }

    // Immutable program tables, owned by this instance (freed in deinit).
    let insts: UnsafeMutablePointer<NaiveInst>
    /// Per instruction: memo id checked on arrival, -1 when none.
    let memoSlot: UnsafeMutablePointer<Int32>
    /// Per instruction: memo id of an unbounded single-byte repeat's loop state, -1 when none.
    let loopMemoSlot: UnsafeMutablePointer<Int32>
    let memoSlotCount: Int
    /// 256 flags per byte set.
    let setTable: UnsafeMutablePointer<Bool>
    /// Entries of `setTable`, for `memoryBytes`.
    let setTableSize: Int
    /// 256 flags: bytes a match can start with (when `firstCanBeEmpty` is false).
    let firstTable: UnsafeMutablePointer<Bool>
    let firstCanBeEmpty: Bool
    let regCount: Int
    let hasBackrefs: Bool
    /// 2: only position 0 can start a match; 1: only line starts; 0: any position.
    let anchor: Int
    /// A pure literal (bytes lowercased where `literalFold`), searched without the VM; nil otherwise.
    /// Raw like the tables above: reading a stored array of a shared instance would retain its buffer,
    /// an atomic write to memory every thread matching with this regex shares.
    let literalBytes: UnsafeMutablePointer<UInt8>?
    let literalFold: UnsafeMutablePointer<Bool>?
    let literalCount: Int

    /// Compiles a parsed pattern.
    public convenience init(_ pattern: RegexPattern) {
        self.init(pattern.root, captureCount: pattern.captureCount)
    }

    /// Compiles a resolved AST whose capture groups are numbered `1...captureCount`.
    public init(_ root: RegexNode, captureCount: Int) {
        self.captureCount = captureCount
        var refs = Set<Int>()
        var reason: String?
        NaiveAnalysis.scan(root, refs: &refs, unsupported: &reason)
        hasBackrefs = !refs.isEmpty
        var compiler = NaiveCompiler(referenced: refs, captureCount: captureCount)
        if reason == nil {
            compiler.compile(root, !hasBackrefs)
            compiler.emit(NaiveInst(.match), !hasBackrefs)
            reason = compiler.unsupported
        }
        unsupportedReason = reason
        isSupported = reason == nil
        if reason != nil {
            compiler.insts = [NaiveInst(.fail)]
            compiler.memoable = [false]
            compiler.sets = []
        }
        let count = compiler.insts.count
        programSize = count
        insts = .allocate(capacity: count)
        insts.initialize(from: compiler.insts, count: count)
        regCount = compiler.regCount

        // Memo points: wherever control can arrive from more than one place.
        var isTarget = [Bool](repeating: false, count: count + 1)
        for (pc, i) in compiler.insts.enumerated() {
            switch i.op {
            case .split: isTarget[Int(i.a)] = true; isTarget[Int(i.b)] = true
            case .jump: isTarget[Int(i.a)] = true
            case .loopEnd: isTarget[Int(i.b)] = true; isTarget[Int(i.c)] = true
            case .barrier where i.b >= 0: isTarget[Int(i.b)] = true
            case .repeatGreedy, .repeatLazy: isTarget[pc + 1] = true
            default: break
            }
        }
        memoSlot = .allocate(capacity: count)
        loopMemoSlot = .allocate(capacity: count)
        var slots = 0
        for pc in 0..<count {
            let memo = compiler.memoable[pc] && !hasBackrefs
            if memo && isTarget[pc] {
                memoSlot[pc] = Int32(slots)
                slots += 1
            } else {
                memoSlot[pc] = -1
            }
            let i = compiler.insts[pc]
            if memo && i.c < 0 && (i.op == .repeatGreedy || i.op == .repeatLazy) {
                loopMemoSlot[pc] = Int32(slots)
                slots += 1
            } else {
                loopMemoSlot[pc] = -1
            }
        }
        memoSlotCount = slots

        setTableSize = Swift.max(compiler.sets.count, 1) * 256
        setTable = .allocate(capacity: Swift.max(compiler.sets.count, 1) * 256)
        setTable.initialize(repeating: false, count: Swift.max(compiler.sets.count, 1) * 256)
        for (k, s) in compiler.sets.enumerated() {
            for b in 0..<256 where s.contains(UInt8(b)) { setTable[k << 8 | b] = true }
        }

        let (first, empty) = NaiveAnalysis.first(root)
        firstCanBeEmpty = empty
        firstTable = .allocate(capacity: 256)
        for b in 0..<256 { firstTable[b] = first.contains(UInt8(b)) }
        anchor = NaiveAnalysis.anchor(root)

        if reason == nil, let lit = NaiveAnalysis.literal(root) {
            let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(lit.count, 1))
            let fold = UnsafeMutablePointer<Bool>.allocate(capacity: Swift.max(lit.count, 1))
            for (k, (b, caseless)) in lit.enumerated() {
                let folds = caseless && ((b | 0x20) &- 0x61) < 26
                bytes[k] = folds ? b | 0x20 : b
                fold[k] = folds
            }
            literalBytes = bytes
            literalFold = fold
            literalCount = lit.count
        } else {
            literalBytes = nil
            literalFold = nil
            literalCount = 0
        }
    }

    deinit {
        insts.deallocate()
        memoSlot.deallocate()
        loopMemoSlot.deallocate()
        setTable.deallocate()
        firstTable.deallocate()
        literalBytes?.deallocate()
        literalFold?.deallocate()
    }

    /// The leftmost match of this regex in `subject` (the whole buffer is the subject: `^` and lookbehind
    /// see nothing before it), with PCRE2's end for that start. Spends at most about `budget` steps.
    public func firstMatchSpan(
        in subject: UnsafeBufferPointer<UInt8>, scratch: NaiveRegexScratch, budget: Int
    ) -> NaiveSearchOutcome {
        guard isSupported else { return .budgetExhausted }
        if let lit = literalBytes, let fold = literalFold { return literalSearch(lit, fold, literalCount, subject) }
        let n = subject.count
        var stride = 0
        var words = 0
        if memoSlotCount > 0 {
            let (bits, overflow) = memoSlotCount.multipliedReportingOverflow(by: n + 1)
            if !overflow && bits <= Self.maxMemoBits {
                stride = n + 1
                words = (bits + 63) >> 6
            }
        }
        scratch.reserve(caps: 2 * (captureCount + 1), regs: regCount, memoWords: words)
        var memoReady = false
        var steps = 0
        var p = 0
        while p <= n {
            if p > 0 {
                if anchor == 2 { break }
                if anchor == 1 && subject[p - 1] != 0x0A { p += 1; continue }
            }
            if !firstCanBeEmpty {
                if p >= n { break }
                if !firstTable[Int(subject[p])] {
                    p += 1
                    continue
                }
            }
            // Memo bits stay valid across start positions, so they are cleared once per search.
            if !memoReady {
                if words > 0 { scratch.memo.update(repeating: 0, count: words) }
                memoReady = true
            }
            if hasBackrefs {
                for k in 0..<(2 * (captureCount + 1)) { scratch.caps[k] = -1 }
            }
            let end = run(subject, from: p, scratch: scratch, memoStride: stride, steps: &steps, budget: budget)
            if end >= 0 { return .match(p..<end) }
            if end == -2 { return .budgetExhausted }
            p += 1
        }
        return .noMatch
    }

    /// Whether the regex matches somewhere in `subject`; nil when undecided (budget spent, unsupported).
    @inline(__always)
    public func matches(in subject: UnsafeBufferPointer<UInt8>, scratch: NaiveRegexScratch, budget: Int) -> Bool? {
        switch firstMatchSpan(in: subject, scratch: scratch, budget: budget) {
        case .match: return true
        case .noMatch: return false
        case .budgetExhausted: return nil
        }
    }

    /// Convenience for tests and tools: searches a byte array with a fresh scratch.
    public func firstMatchSpan(in subject: [UInt8], budget: Int = MatcherOptions().stepBudget) -> NaiveSearchOutcome {
        let scratch = NaiveRegexScratch()
        return subject.withUnsafeBufferPointer { firstMatchSpan(in: $0, scratch: scratch, budget: budget) }
    }

    /// Direct search for a pure literal: every start tried in order, bytes compared with ASCII folding
    /// where the pattern folds.
    func literalSearch(
        _ l: UnsafeMutablePointer<UInt8>, _ f: UnsafeMutablePointer<Bool>, _ m: Int, _ s: UnsafeBufferPointer<UInt8>
    ) -> NaiveSearchOutcome {
        let n = s.count
        if m == 0 { return .match(0..<0) }
        if m > n { return .noMatch }
        let first = l[0]
        let firstFold: UInt8 = f[0] ? 0x20 : 0
        var p = 0
        while p <= n - m {
            if s[p] | firstFold == first {
                var k = 1
                while k < m {
                    let b = f[k] ? s[p + k] | 0x20 : s[p + k]
                    if b != l[k] { break }
                    k += 1
                }
                if k == m { return .match(p..<(p + m)) }
            }
            p += 1
        }
        return .noMatch
    }
}
