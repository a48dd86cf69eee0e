import BounceRules
import RegexSyntax

extension NaiveRegex {
    /// Whether `b` is an ASCII word byte (`[A-Za-z0-9_]`).
    @inline(__always)
    static func isWord(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return (l &- 0x61) < 26 || (b &- 0x30) < 10 || b == 0x5F
    }

    @inline(__always)
    static func assertion(_ code: Int32, _ s: UnsafeBufferPointer<UInt8>, _ pos: Int) -> Bool {
        let n = s.count
        switch code {
        case 0: return pos == 0
        // PCRE2's multiline `^` does not match after a newline that ends the subject.
        case 1: return pos == 0 || (pos < n && s[pos - 1] == 0x0A)
        case 2: return pos == n || (pos == n - 1 && s[pos] == 0x0A)
        case 3: return pos == n || s[pos] == 0x0A
        case 4: return pos == n
        default:
            let before = pos > 0 && isWord(s[pos - 1])
            let after = pos < n && isWord(s[pos])
            return (before != after) == (code == 5)
        }
    }

    /// Runs the program from `start`. Returns the match end, -1 for no match from here, -2 when the
    /// budget is spent. Iterative (an explicit stack in `scratch`), so subject length never deepens the
    /// call stack. `memoStride == 0` disables memoization.
    func run(
        _ s: UnsafeBufferPointer<UInt8>, from start: Int, scratch: NaiveRegexScratch, memoStride: Int,
        steps: inout Int, budget: Int
    ) -> Int {
        var vm = NaiveVM(regex: self, subject: s, scratch: scratch, memoStride: memoStride)
        return vm.run(from: start, steps: &steps, budget: budget)
    }
}

/// The state of one run, kept in a struct on the call stack so that no helper captures (and boxes)
/// mutable locals.
struct NaiveVM {
    let s: UnsafeBufferPointer<UInt8>
    let n: Int
    let insts: UnsafeMutablePointer<NaiveInst>
    let setTable: UnsafeMutablePointer<Bool>
    let memoSlot: UnsafeMutablePointer<Int32>
    let loopMemoSlot: UnsafeMutablePointer<Int32>
    let memoStride: Int
    let memoOn: Bool
    let memo: UnsafeMutablePointer<UInt64>
    let caps: UnsafeMutablePointer<Int>
    let regs: UnsafeMutablePointer<Int>
    unowned(unsafe) let scratch: NaiveRegexScratch
    var stack: UnsafeMutablePointer<NaiveFrame>
    var capacity: Int
    var sp = 0

    @inline(__always)
    init(regex: NaiveRegex, subject: UnsafeBufferPointer<UInt8>, scratch: NaiveRegexScratch, memoStride: Int) {
        s = subject
        n = subject.count
        insts = regex.insts
        setTable = regex.setTable
        memoSlot = regex.memoSlot
        loopMemoSlot = regex.loopMemoSlot
        self.memoStride = memoStride
        memoOn = memoStride > 0
        memo = scratch.memo
        caps = scratch.caps
        regs = scratch.regs
        self.scratch = scratch
        stack = scratch.stack
        capacity = scratch.stackCapacity
    }

    @inline(__always)
    mutating func push(_ kind: Int32, _ fpc: Int, _ fpos: Int, _ x: Int) {
        if sp == capacity {
            scratch.growStack(count: sp)
            stack = scratch.stack
            capacity = scratch.stackCapacity
        }
        stack[sp] = NaiveFrame(kind: kind, pc: Int32(truncatingIfNeeded: fpc), pos: fpos, x: x)
        sp += 1
    }

    /// Tests and sets memo bit (`slot`, `p`); true when it was already set.
    @inline(__always)
    func seen(_ slot: Int, _ p: Int) -> Bool {
        let bit = slot &* memoStride &+ p
        let mask = UInt64(1) << UInt64(bit & 63)
        let w = memo[bit >> 6]
        if w & mask != 0 { return true }
        memo[bit >> 6] = w | mask
        return false
    }

    /// Index of the live barrier `id` (the topmost with that id).
    @inline(__always)
    func barrier(_ id: Int32) -> Int {
        var k = sp - 1
        while k >= 0 && !(stack[k].kind == NaiveFrame.barrier && stack[k].pc == id) { k -= 1 }
        return k
    }

    /// Drops choice points from `k` (the barrier) up, keeping undo records in order.
    @inline(__always)
    mutating func cut(_ k: Int) {
        var w = k
        var r = k + 1
        while r < sp {
            let kind = stack[r].kind
            if kind == NaiveFrame.undoCap || kind == NaiveFrame.undoReg {
                stack[w] = stack[r]
                w += 1
            }
            r += 1
        }
        sp = w
    }

    mutating func run(from start: Int, steps: inout Int, budget: Int) -> Int {
        var pc = 0
        var pos = start

        outer: while true {
            steps &+= 1
            if steps > budget { return -2 }
            var ok = true
            if memoOn {
                let m = Int(memoSlot[pc])
                if m >= 0 && seen(m, pos) { ok = false }
            }
            if ok {
                let inst = insts[pc]
                switch inst.op {
                case .byte:
                    if pos < n && s[pos] == UInt8(truncatingIfNeeded: inst.a) {
                        pos += 1
                        pc += 1
                    } else {
                        ok = false
                    }
                case .byteFold:
                    if pos < n && s[pos] | 0x20 == UInt8(truncatingIfNeeded: inst.a) {
                        pos += 1
                        pc += 1
                    } else {
                        ok = false
                    }
                case .set:
                    if pos < n && setTable[Int(inst.a) << 8 | Int(s[pos])] {
                        pos += 1
                        pc += 1
                    } else {
                        ok = false
                    }
                case .anyByte:
                    if pos < n {
                        pos += 1
                        pc += 1
                    } else {
                        ok = false
                    }
                case .assert:
                    if NaiveRegex.assertion(inst.a, s, pos) { pc += 1 } else { ok = false }
                case .jump:
                    pc = Int(inst.a)
                case .split:
                    push(NaiveFrame.choice, Int(inst.b), pos, 0)
                    pc = Int(inst.a)
                case .repeatGreedy, .repeatPossessive, .repeatLazy:
                    let table = setTable + (Int(inst.a) << 8)
                    let minEnd = pos + Int(inst.b)
                    if minEnd > n {
                        ok = false
                        break
                    }
                    var q = pos
                    while q < minEnd && table[Int(s[q])] { q += 1 }
                    if q < minEnd {
                        ok = false
                        break
                    }
                    let limit = inst.c < 0 ? n : Swift.min(n, pos + Int(inst.c))
                    let lm = memoOn ? Int(loopMemoSlot[pc]) : -1
                    if inst.op == .repeatLazy {
                        if lm >= 0 && seen(lm, q) {
                            ok = false
                            break
                        }
                        if q < limit { push(NaiveFrame.lazy, pc, q, limit) }
                    } else {
                        if lm >= 0 {
                            // A loop state seen before already tried every exit from there on.
                            while true {
                                if seen(lm, q) {
                                    q -= 1
                                    break
                                }
                                if q < limit && table[Int(s[q])] { q += 1 } else { break }
                            }
                        } else {
                            while q < limit && table[Int(s[q])] { q += 1 }
                        }
                        steps &+= (q - pos) >> 3
                        if q < minEnd {
                            ok = false
                            break
                        }
                        if inst.op == .repeatGreedy && q > minEnd { push(NaiveFrame.greedy, pc + 1, q, minEnd) }
                    }
                    pos = q
                    pc += 1
                case .setReg:
                    let r = Int(inst.a)
                    push(NaiveFrame.undoReg, r, 0, regs[r])
                    regs[r] = pos
                    pc += 1
                case .loopEnd:
                    pc = pos == regs[Int(inst.a)] ? Int(inst.c) : Int(inst.b)
                case .groupClose:
                    let g = Int(inst.a)
                    push(NaiveFrame.undoCap, g, caps[2 * g], caps[2 * g + 1])
                    caps[2 * g] = regs[Int(inst.b)]
                    caps[2 * g + 1] = pos
                    pc += 1
                case .backref:
                    let g = Int(inst.a)
                    let from = caps[2 * g]
                    let len = caps[2 * g + 1] - from
                    // A reference to an unset group fails, as in PCRE2 without MATCH_UNSET_BACKREF.
                    if from < 0 || len > n - pos {
                        ok = false
                        break
                    }
                    var k = 0
                    if inst.b != 0 {
                        while k < len && asciiLowercase(s[from + k]) == asciiLowercase(s[pos + k]) { k += 1 }
                    } else {
                        while k < len && s[from + k] == s[pos + k] { k += 1 }
                    }
                    if k < len {
                        ok = false
                        break
                    }
                    steps &+= len >> 3
                    pos += len
                    pc += 1
                case .barrier:
                    push(NaiveFrame.barrier, Int(inst.a), pos, Int(inst.b))
                    pc += 1
                case .atomicEnd:
                    cut(barrier(inst.a))
                    pc += 1
                case .lookEnd:
                    let k = barrier(inst.a)
                    pos = stack[k].pos
                    cut(k)
                    pc += 1
                case .negLookEnd:
                    // The body matched: undo everything it did, including the barrier, then fail.
                    let k = barrier(inst.a)
                    while sp > k + 1 {
                        sp -= 1
                        let f = stack[sp]
                        if f.kind == NaiveFrame.undoCap {
                            caps[2 * Int(f.pc)] = f.pos
                            caps[2 * Int(f.pc) + 1] = f.x
                        } else if f.kind == NaiveFrame.undoReg {
                            regs[Int(f.pc)] = f.x
                        }
                    }
                    sp = k
                    ok = false
                case .stepBack:
                    if pos >= Int(inst.a) {
                        pos -= Int(inst.a)
                        pc += 1
                    } else {
                        ok = false
                    }
                case .match:
                    return pos
                case .fail:
                    ok = false
                }
                if ok { continue outer }
            }
            // Backtrack to the most recent choice point, applying undo records on the way.
            while true {
                if sp == 0 { return -1 }
                sp -= 1
                let f = stack[sp]
                switch f.kind {
                case NaiveFrame.choice:
                    pc = Int(f.pc)
                    pos = f.pos
                    continue outer
                case NaiveFrame.greedy:
                    let q = f.pos - 1
                    if q > f.x {
                        stack[sp].pos = q
                        sp += 1
                    }
                    pc = Int(f.pc)
                    pos = q
                    continue outer
                case NaiveFrame.lazy:
                    let q = f.pos
                    let r = Int(f.pc)
                    if q < f.x && setTable[Int(insts[r].a) << 8 | Int(s[q])] {
                        let lm = memoOn ? Int(loopMemoSlot[r]) : -1
                        if lm >= 0 && seen(lm, q + 1) { continue }
                        if q + 1 < f.x {
                            stack[sp].pos = q + 1
                            sp += 1
                        }
                        pc = r + 1
                        pos = q + 1
                        continue outer
                    }
                case NaiveFrame.barrier:
                    if f.x >= 0 {
                        pc = f.x
                        pos = f.pos
                        continue outer
                    }
                case NaiveFrame.undoCap:
                    caps[2 * Int(f.pc)] = f.pos
                    caps[2 * Int(f.pc) + 1] = f.x
                default:
                    regs[Int(f.pc)] = f.x
                }
            }
        }
    }
}
