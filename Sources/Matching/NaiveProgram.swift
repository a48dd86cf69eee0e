import RegexSyntax

/// One opcode of the naive engine's backtracking program.
@usableFromInline
enum NaiveOp: UInt8 {
    /// `s[pos] == a`.
    case byte
    /// `s[pos] | 0x20 == a` (`a` is a lowercase ASCII letter).
    case byteFold
    /// `s[pos]` in byte set `a`.
    case set
    /// Any byte (`(?s).`).
    case anyByte
    /// Zero-width assertion, `a` is the `RegexAssertion` code.
    case assert
    case jump
    /// Try `a`, on backtrack `b`.
    case split
    /// Repeat byte set `a` from `b` to `c` times (`c < 0`: unbounded), most first.
    case repeatGreedy
    /// The same, fewest first.
    case repeatLazy
    /// The same, most, never giving back.
    case repeatPossessive
    /// `regs[a] = pos`, undone on backtrack.
    case setReg
    /// End of an iteration of a loop whose body may match empty: `pos == regs[a]` (empty iteration)
    /// leaves the loop at `c` as PCRE2 does, else goes back to the loop head `b`.
    case loopEnd
    /// Capture group `a` ends here; it started at `regs[b]`.
    case groupClose
    /// Backreference to group `a`, ASCII caseless when `b != 0`.
    case backref
    /// Start of an atomic group or lookaround `a`; `b` is where a negative lookaround resumes when its
    /// body fails (`-1` otherwise).
    case barrier
    /// End of atomic group `a`: drop its choice points, keep undo records.
    case atomicEnd
    /// End of positive lookaround `a`: back to where it started, drop its choice points.
    case lookEnd
    /// End of negative lookaround `a`: its body matched, so the assertion fails.
    case negLookEnd
    /// Lookbehind branch start: step back `a` bytes, failing before the subject start.
    case stepBack
    case match
    case fail
}

@usableFromInline
struct NaiveInst {
    var op: NaiveOp
    var a: Int32
    var b: Int32
    var c: Int32

    init(_ op: NaiveOp, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0) {
        self.op = op
        self.a = Int32(truncatingIfNeeded: a)
        self.b = Int32(truncatingIfNeeded: b)
        self.c = Int32(truncatingIfNeeded: c)
    }
}

/// Assertion codes stored in `NaiveInst.a`.
enum NaiveAssertionCode {
    static func code(_ a: RegexAssertion) -> Int {
        switch a {
        case .startOfSubject: return 0
        case .startOfLine: return 1
        case .endOfSubjectOrFinalNewline: return 2
        case .endOfLine: return 3
        case .endOfSubject: return 4
        case .wordBoundary: return 5
        case .notWordBoundary: return 6
        }
    }
}

/// Facts about AST nodes the compiler and the search driver need.
enum NaiveAnalysis {
    /// The bytes a match can start with, and whether a match can consume nothing (conservative:
    /// assertions, lookarounds and backreferences count as possibly empty).
    static func first(_ node: RegexNode) -> (set: ByteSet, canBeEmpty: Bool) {
        switch node {
        case .empty, .assertion, .look:
            return (ByteSet(), true)
        case .byte(let b, let caseless):
            var s = ByteSet([b])
            if caseless { s = s.asciiCaseFolded }
            return (s, false)
        case .set(let s):
            return (s, false)
        case .concat(let xs):
            var acc = ByteSet()
            for x in xs {
                let (f, e) = first(x)
                acc.formUnion(f)
                if !e { return (acc, false) }
            }
            return (acc, true)
        case .alternation(let xs):
            var acc = ByteSet()
            var empty = false
            for x in xs {
                let (f, e) = first(x)
                acc.formUnion(f)
                empty = empty || e
            }
            return (acc, empty)
        case .group(let x, _), .atomic(let x):
            return first(x)
        case .repetition(let x, let min, let max, _):
            if max == 0 { return (ByteSet(), true) }
            let (f, e) = first(x)
            return (f, e || min == 0)
        case .backreference, .opaque:
            return (.all, true)
        }
    }

    /// The length every match of `node` has, or nil when it varies (lookbehind bodies need it).
    static func fixedLength(_ node: RegexNode) -> Int? {
        switch node {
        case .empty, .assertion, .look: return 0
        case .byte, .set: return 1
        case .concat(let xs):
            var sum = 0
            for x in xs {
                guard let l = fixedLength(x) else { return nil }
                sum += l
            }
            return sum
        case .alternation(let xs):
            guard let l0 = xs.first.flatMap(fixedLength) else { return nil }
            for x in xs.dropFirst() where fixedLength(x) != l0 { return nil }
            return l0
        case .group(let x, _), .atomic(let x):
            return fixedLength(x)
        case .repetition(let x, let min, let max, _):
            guard let max, max == min, let l = fixedLength(x) else { return nil }
            let (p, o) = l.multipliedReportingOverflow(by: min)
            return o ? nil : p
        case .backreference, .opaque:
            return nil
        }
    }

    /// 2 when every match starts at the subject start, 1 when at a line start (or the subject start),
    /// 0 otherwise.
    static func anchor(_ node: RegexNode) -> Int {
        switch node {
        case .assertion(.startOfSubject): return 2
        case .assertion(.startOfLine): return 1
        case .concat(let xs):
            for x in xs {
                if case .empty = x { continue }
                return anchor(x)
            }
            return 0
        case .alternation(let xs):
            return xs.isEmpty ? 0 : xs.map(anchor).min()!
        case .group(let x, _), .atomic(let x):
            return anchor(x)
        case .repetition(let x, let min, _, _):
            return min >= 1 ? anchor(x) : 0
        default:
            return 0
        }
    }

    /// Group numbers used by backreferences, and the first construct the engine cannot run.
    static func scan(_ node: RegexNode, refs: inout Set<Int>, unsupported: inout String?) {
        switch node {
        case .empty, .byte, .set, .assertion: break
        case .concat(let xs), .alternation(let xs):
            for x in xs { scan(x, refs: &refs, unsupported: &unsupported) }
        case .group(let x, _), .atomic(let x), .repetition(let x, _, _, _), .look(let x, _, _):
            scan(x, refs: &refs, unsupported: &unsupported)
        case .backreference(let g, _):
            refs.insert(g)
        case .opaque(let c, _):
            if unsupported == nil { unsupported = "\(c) is not modelled by the naive engine" }
        }
    }

    /// The node as a plain byte sequence with per-byte case folding, when it is nothing else.
    static func literal(_ node: RegexNode) -> [(UInt8, Bool)]? {
        switch node {
        case .byte(let b, let c): return [(b, c)]
        case .concat(let xs):
            var out: [(UInt8, Bool)] = []
            for x in xs {
                guard let l = literal(x) else { return nil }
                out.append(contentsOf: l)
            }
            return out
        case .group(let x, _): return literal(x)
        case .empty: return []
        default: return nil
        }
    }
}

/// Compiles a resolved AST into a `NaiveInst` program.
struct NaiveCompiler {
    /// Expanded counted repetitions beyond this make the regex unsupported rather than huge.
    static let maxInstructions = 200_000

    var insts: [NaiveInst] = []
    /// Per instruction: may a memo bit stand for it (false inside atomic groups, lookarounds and loops
    /// whose body can match empty, where the continuation depends on more than (pc, pos)).
    var memoable: [Bool] = []
    var sets: [ByteSet] = []
    var setIndex: [ByteSet: Int] = [:]
    var regCount = 0
    var barrierCount = 0
    var referenced: Set<Int>
    var captureCount: Int
    var unsupported: String?

    init(referenced: Set<Int>, captureCount: Int) {
        self.referenced = referenced
        self.captureCount = captureCount
    }

    var pc: Int { insts.count }

    @discardableResult
    mutating func emit(_ i: NaiveInst, _ memo: Bool) -> Int {
        insts.append(i)
        memoable.append(memo)
        if insts.count > Self.maxInstructions && unsupported == nil {
            unsupported = "pattern too large after expanding counted repetitions"
        }
        return insts.count - 1
    }

    mutating func patch(_ at: Int, a: Int? = nil, b: Int? = nil, c: Int? = nil) {
        if let a { insts[at].a = Int32(a) }
        if let b { insts[at].b = Int32(b) }
        if let c { insts[at].c = Int32(c) }
    }

    mutating func setID(_ s: ByteSet) -> Int {
        if let i = setIndex[s] { return i }
        sets.append(s)
        setIndex[s] = sets.count - 1
        return sets.count - 1
    }

    /// The single-byte matcher a node reduces to, if it is one (unreferenced groups are transparent).
    func singleByte(_ node: RegexNode) -> ByteSet? {
        switch node {
        case .byte(let b, let c):
            let s = ByteSet([b])
            return c ? s.asciiCaseFolded : s
        case .set(let s): return s
        case .alternation(let xs) where !xs.isEmpty:
            // Branches of one byte each match the same bytes, in any order, as their union.
            var u = ByteSet()
            for x in xs {
                guard let s = singleByte(x) else { return nil }
                u.formUnion(s)
            }
            return u
        case .group(let x, let cap):
            if let cap, referenced.contains(cap) { return nil }
            return singleByte(x)
        default: return nil
        }
    }

    mutating func emitByteSet(_ s: ByteSet, _ memo: Bool) {
        if s == .all {
            emit(NaiveInst(.anyByte), memo)
        } else if s.count == 1 {
            emit(NaiveInst(.byte, Int(s.members[0])), memo)
        } else if s.count == 2, let lo = s.members.last, (lo &- 0x61) < 26, s.contains(lo & ~0x20) {
            emit(NaiveInst(.byteFold, Int(lo)), memo)
        } else {
            emit(NaiveInst(.set, setID(s)), memo)
        }
    }

    mutating func compile(_ node: RegexNode, _ memo: Bool) {
        if unsupported != nil { return }
        switch node {
        case .empty:
            break
        case .byte(let b, let c):
            let isLetter = ((b | 0x20) &- 0x61) < 26
            if c && isLetter { emit(NaiveInst(.byteFold, Int(b | 0x20)), memo) } else { emit(NaiveInst(.byte, Int(b)), memo) }
        case .set(let s):
            emitByteSet(s, memo)
        case .assertion(let a):
            emit(NaiveInst(.assert, NaiveAssertionCode.code(a)), memo)
        case .concat(let xs):
            for x in xs { compile(x, memo) }
        case .alternation(let xs):
            if let s = singleByte(node) {
                emitByteSet(s, memo)
                return
            }
            compileAlternation(xs.map { ($0, 0) }, memo, stepBack: false)
        case .group(let x, let cap):
            if let cap, referenced.contains(cap) {
                let r = regCount
                regCount += 1
                emit(NaiveInst(.setReg, r), memo)
                compile(x, memo)
                emit(NaiveInst(.groupClose, cap, r), memo)
            } else {
                compile(x, memo)
            }
        case .repetition(let x, let min, let max, let kind):
            compileRepetition(x, min: min, max: max, kind: kind, memo)
        case .look(let x, let behind, let negated):
            let id = barrierCount
            barrierCount += 1
            let start = emit(NaiveInst(.barrier, id, -1), false)
            if behind {
                var branches: [(RegexNode, Int)] = []
                let alts: [RegexNode]
                if case .alternation(let xs) = x { alts = xs } else { alts = [x] }
                for alt in alts {
                    guard let l = NaiveAnalysis.fixedLength(alt) else {
                        unsupported = "lookbehind branch without a fixed length"
                        return
                    }
                    branches.append((alt, l))
                }
                compileAlternation(branches, false, stepBack: true)
            } else {
                compile(x, false)
            }
            emit(NaiveInst(negated ? .negLookEnd : .lookEnd, id), false)
            if negated { patch(start, b: pc) }
        case .atomic(let x):
            let id = barrierCount
            barrierCount += 1
            emit(NaiveInst(.barrier, id, -1), false)
            compile(x, false)
            emit(NaiveInst(.atomicEnd, id), false)
        case .backreference(let g, let caseless):
            guard g >= 1, g <= captureCount else {
                unsupported = "backreference to group \(g), which does not exist"
                return
            }
            emit(NaiveInst(.backref, g, caseless ? 1 : 0), memo)
        case .opaque(let c, _):
            unsupported = "\(c) is not modelled by the naive engine"
        }
    }

    /// Branches tried left to right; lookbehind branches first step back their own length.
    mutating func compileAlternation(_ xs: [(RegexNode, Int)], _ memo: Bool, stepBack: Bool) {
        if xs.isEmpty {
            emit(NaiveInst(.fail), memo)
            return
        }
        var jumps: [Int] = []
        for (i, (x, len)) in xs.enumerated() {
            var split = -1
            if i < xs.count - 1 { split = emit(NaiveInst(.split, pc + 1), memo) }
            if stepBack { emit(NaiveInst(.stepBack, len), memo) }
            compile(x, memo)
            if i < xs.count - 1 {
                jumps.append(emit(NaiveInst(.jump), memo))
                patch(split, b: pc)
            }
            if unsupported != nil { return }
        }
        for j in jumps { patch(j, a: pc) }
    }

    mutating func compileRepetition(_ x: RegexNode, min: Int, max: Int?, kind: RepetitionKind, _ memo: Bool) {
        if let max, max < min {
            unsupported = "repetition {\(min),\(max)} has max < min"
            return
        }
        if max == 0 { return }
        if let s = singleByte(x) {
            let op: NaiveOp = kind == .greedy ? .repeatGreedy : kind == .lazy ? .repeatLazy : .repeatPossessive
            if min == 1 && max == 1 {
                emitByteSet(s, memo)
            } else {
                emit(NaiveInst(op, setID(s), min, max ?? -1), memo)
            }
            return
        }
        if kind == .possessive {
            let id = barrierCount
            barrierCount += 1
            emit(NaiveInst(.barrier, id, -1), false)
            compileRepetition(x, min: min, max: max, kind: .greedy, false)
            emit(NaiveInst(.atomicEnd, id), false)
            return
        }
        let lazy = kind == .lazy
        if let max {
            for _ in 0..<min {
                compile(x, memo)
                if unsupported != nil { return }
            }
            // Optional copies nest: skipping one skips all later ones (PCRE2's `(?:x(?:x)?)?`).
            var splits: [Int] = []
            for _ in min..<max {
                splits.append(emit(NaiveInst(.split), memo))
                compile(x, memo)
                if unsupported != nil { return }
            }
            let end = pc
            for s in splits {
                let body = s + 1
                if lazy { patch(s, a: end, b: body) } else { patch(s, a: body, b: end) }
            }
            return
        }
        // Unbounded: min - 1 plain copies, then a loop whose first pass is mandatory when min >= 1.
        for _ in 0..<Swift.max(min - 1, 0) {
            compile(x, memo)
            if unsupported != nil { return }
        }
        let nullable = NaiveAnalysis.first(x).canBeEmpty
        var entryJump = -1
        if min >= 1 { entryJump = emit(NaiveInst(.jump), memo) }
        let head = emit(NaiveInst(.split), memo)
        let body = pc
        if entryJump >= 0 { patch(entryJump, a: body) }
        if nullable {
            let r = regCount
            regCount += 1
            emit(NaiveInst(.setReg, r), false)
            compile(x, false)
            let end = emit(NaiveInst(.loopEnd, r, head), false)
            patch(end, c: pc)
        } else {
            compile(x, memo)
            emit(NaiveInst(.jump, head), memo)
        }
        let exit = pc
        if lazy { patch(head, a: exit, b: body) } else { patch(head, a: body, b: exit) }
    }
}
