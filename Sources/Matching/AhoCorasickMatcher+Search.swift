import BounceRules

// The search for one reply, in four steps, each only looking below the best rule found so far (`best`):
//
// 1. Direct rules (no pattern, empty substring, empty exact) are decided by conditions alone.
// 2. Always-verify rules below the lowest automaton-driven rule are verified first: nothing the scan can
//    find is lower, so a match there skips the scan.
// 3. One automaton scan over the line. At each end offset the patterns arrive ordered by rule index, so
//    the visitor stops reading the list at the first rule `>= best`. A `substring`/`exact` occurrence
//    inside its target whose rule's conditions hold lowers `best`; a `nominated` rule's occurrence marks
//    it as a candidate (only if its conditions hold).
//
//    Early stop. A driven rule `r` in `[start, best)` is *open* while a later occurrence could still
//    change the answer: it is *closed* once it is a candidate (one occurrence is enough) or once its
//    conditions are known to fail (no occurrence can help). A decided rule that matched is not closed: it
//    became `best` and so left the range. Rules that are not driven (direct, always-verify) never depend
//    on the scan. So when no driven rule in `[start, best)` is open, the rest of the line cannot change
//    the outcome of the scan and it stops. The count of open rules is
//        drivenBefore[best] - drivenBefore[start] - (closed rules below best),
//    kept exact as `best` falls by recounting the (short) list of closed rules. A lower rule whose literal
//    occurs later in the line therefore still wins: it stays open until the scan reaches it.
// 4. Candidates and always-verify rules in `[first driven rule, best)` are verified in index order; the
//    first that matches is the answer. A verification that runs out of budget makes its rule undecided
//    and the search goes on for the lowest decided match.
extension AhoCorasickMatcher {
    public func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult {
        // An identity check and an unchecked cast instead of `as?`: no dynamic cast per reply.
        guard ObjectIdentifier(type(of: scratch)) == ObjectIdentifier(AhoCorasickScratch.self) else {
            preconditionFailure("AhoCorasickMatcher needs a scratch made by its own makeScratch()")
        }
        let scratch = unsafeDowncast(scratch, to: AhoCorasickScratch.self)
        let count = mode.count
        precondition(scratch.ruleCount == count, "AhoCorasickMatcher needs a scratch made by its own makeScratch()")
        let start = Swift.max(start, 0)
        guard start < count else { return .noMatch }
        let lineCount = reply.line.count
        let textStart = Swift.min(Swift.max(reply.textStart, 0), lineCount)
        if literalsOnly {
            return literalsOnlyMatch(reply, from: start, lineCount: lineCount, textStart: textStart)
        }
        scratch.beginReply()
        var best = count
        var undecided = count

        // Step 1.
        var d = Self.lowerBound(directRules, start)
        while d < directRules.count {
            let r = Int(directRules[d])
            if (mode[r] == .conditionsOnly || (targetsText[r] ? textStart : 0) == lineCount)
                && (!hasConditions[r] || conditions[r].hold(for: reply))
            {
                best = r
                break
            }
            d += 1
        }

        return reply.line.withUnsafeBufferPointer { line -> MatchResult in
            let text = UnsafeBufferPointer(rebasing: line[textStart...])
            let verifierScratch = scratch.verifierScratch

            // Step 2.
            let firstDriven = Int(nextDriven[start])
            var v = Self.lowerBound(alwaysVerifyRules, start)
            while v < alwaysVerifyRules.count {
                let r = Int(alwaysVerifyRules[v])
                if r >= Swift.min(best, firstDriven) { break }
                v += 1
                if hasConditions[r] && !conditions[r].hold(for: reply) { continue }
                switch verifier.matches(rule: r, target: targetsText[r] ? text : line, scratch: verifierScratch) {
                case true?: best = r
                case false?: break
                case nil: undecided = Swift.min(undecided, r)
                }
                if best == r { break }
            }

            // Step 3.
            if firstDriven < best {
                var visitor = Visitor(
                    matcher: self, scratch: scratch, reply: reply, start: start, lineCount: lineCount,
                    textStart: textStart, best: best
                )
                if visitor.openRules > 0 { automaton.scan(line, visitor: &visitor) }
                best = visitor.best
            }

            // Step 4.
            var candidate = nextCandidate(scratch, from: firstDriven, below: best)
            while true {
                let always = v < alwaysVerifyRules.count ? Int(alwaysVerifyRules[v]) : count
                let r = Swift.min(always, candidate)
                if r >= best { break }
                if r == always {
                    v += 1
                    if hasConditions[r] && !conditions[r].hold(for: reply) { continue }
                } else {
                    candidate = nextCandidate(scratch, from: r + 1, below: best)  // Conditions held when nominated.
                }
                switch verifier.matches(rule: r, target: targetsText[r] ? text : line, scratch: verifierScratch) {
                case true?: best = r
                case false?: break
                case nil: undecided = Swift.min(undecided, r)
                }
            }

            for i in 0..<scratch.closedCount {
                let r = Int(scratch.closed[i])
                scratch.candidates[r >> 6] &= ~(UInt64(1) << UInt64(r & 63))
            }
            return MatchResult(ruleIndex: best < count ? best : -1, undecided: undecided < best ? undecided : -1)
        }
    }

    /// The search when every rule is an unconditioned literal: one scan, the lowest rule whose occurrence
    /// lies in its target wins, and the scan stops at the lowest rule at or above `start`.
    @inline(__always)
    func literalsOnlyMatch(_ reply: Reply, from start: Int, lineCount: Int, textStart: Int) -> MatchResult {
        let stop = Int(nextDriven[start])
        return reply.line.withUnsafeBufferPointer { line in
            patternRule.withUnsafeBufferPointer { patternRule in
                patternLength.withUnsafeBufferPointer { patternLength in
                    literalFlags.withUnsafeBufferPointer { flags in
                        var visitor = LiteralVisitor(
                            patternRule: patternRule.baseAddress.unsafelyUnwrapped,
                            patternLength: patternLength.baseAddress.unsafelyUnwrapped,
                            flags: flags.baseAddress.unsafelyUnwrapped,
                            start: start, stop: stop, lineCount: lineCount, textStart: textStart, best: mode.count
                        )
                        automaton.scan(line, visitor: &visitor)
                        return MatchResult(ruleIndex: visitor.best < mode.count ? visitor.best : -1, undecided: -1)
                    }
                }
            }
        }
    }

    /// Receives automaton matches when every rule is an unconditioned literal: plain pointers and locals,
    /// so a visit reads no class property.
    struct LiteralVisitor: AhoCorasickVisitor {
        let patternRule: UnsafePointer<Int32>
        let patternLength: UnsafePointer<Int32>
        let flags: UnsafePointer<UInt8>
        let start: Int
        /// The lowest rule at or above `start`: once it is the answer nothing lower can come.
        let stop: Int
        let lineCount: Int
        let textStart: Int
        var best: Int

        @inline(__always)
        mutating func visit(_ patterns: UnsafeBufferPointer<UInt32>, end: Int) -> Bool {
            for p in patterns {
                let r = Int(patternRule[Int(p)])
                if r >= best { break }  // Every later entry has a rule index >= r.
                if r < start { continue }
                let f = flags[r]
                if f != 0 {
                    let begin = end - Int(patternLength[Int(p)])
                    let targetStart = f & 1 != 0 ? textStart : 0
                    if f & 2 != 0 {
                        if begin != targetStart || end != lineCount { continue }
                    } else if begin < targetStart {
                        continue
                    }
                }
                best = r
                break
            }
            return best > stop
        }
    }

    /// The lowest candidate rule in `[from, below)`, or `below` when there is none.
    @inline(__always)
    func nextCandidate(_ scratch: AhoCorasickScratch, from: Int, below: Int) -> Int {
        var i = from
        while i < below {
            let word = scratch.candidates[i >> 6] >> UInt64(i & 63)
            if word != 0 { return Swift.min(i + word.trailingZeroBitCount, below) }
            i = (i | 63) + 1
        }
        return below
    }

    /// The first position in ascending `a` whose element is `>= value`.
    @inline(__always)
    static func lowerBound(_ a: [Int32], _ value: Int) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if Int(a[mid]) < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Receives automaton matches for one reply (step 3 above).
    struct Visitor: AhoCorasickVisitor {
        /// Lent, never retained: a strong copy per visit would be an atomic write to the matcher's count,
        /// which every thread sharing the matcher contends for. The caller holds the matcher throughout.
        let matcher: Unmanaged<AhoCorasickMatcher>
        unowned(unsafe) let scratch: AhoCorasickScratch
        let reply: Reply
        let start: Int
        let lineCount: Int
        let textStart: Int
        let drivenFromStart: Int
        var best: Int
        /// Closed rules below `best`.
        var closedBelowBest = 0

        init(
            matcher: AhoCorasickMatcher, scratch: AhoCorasickScratch, reply: Reply, start: Int, lineCount: Int,
            textStart: Int, best: Int
        ) {
            self.matcher = Unmanaged.passUnretained(matcher)
            self.scratch = scratch
            self.reply = reply
            self.start = start
            self.lineCount = lineCount
            self.textStart = textStart
            self.best = best
            drivenFromStart = Int(matcher.drivenBefore[start])
        }

        /// Driven rules in `[start, best)` that a later occurrence could still affect.
        @inline(__always)
        var openRules: Int {
            matcher._withUnsafeGuaranteedRef { Int($0.drivenBefore[best]) } - drivenFromStart - closedBelowBest
        }

        mutating func visit(_ patterns: UnsafeBufferPointer<UInt32>, end: Int) -> Bool {
            let epoch = scratch.epoch
            matcher._withUnsafeGuaranteedRef { m in visitEntries(m, patterns, end: end, epoch: epoch) }
            return openRules > 0
        }

        @inline(__always)
        private mutating func visitEntries(
            _ m: AhoCorasickMatcher, _ patterns: UnsafeBufferPointer<UInt32>, end: Int, epoch: UInt32
        ) {
            for p in patterns {
                let r = Int(m.patternRule[Int(p)])
                if r >= best { break }
                if r < start || scratch.stamps[r] == epoch { continue }
                let begin = end - Int(m.patternLength[Int(p)])
                let targetStart = m.targetsText[r] ? textStart : 0
                let mode = m.mode[r]
                if mode == .exact {
                    if begin != targetStart || end != lineCount { continue }
                } else if begin < targetStart {
                    continue
                }
                let holds = !m.hasConditions[r] || m.conditions[r].hold(for: reply)
                if holds && mode != .nominated {
                    lowerBest(to: r)
                    break  // Every later entry in the list has a rule index >= r.
                }
                close(r)
                if holds { scratch.candidates[r >> 6] |= UInt64(1) << UInt64(r & 63) }
            }
        }

        @inline(__always)
        mutating func close(_ r: Int) {
            scratch.stamps[r] = scratch.epoch
            scratch.closed[scratch.closedCount] = Int32(r)
            scratch.closedCount += 1
            closedBelowBest += 1
        }

        mutating func lowerBest(to r: Int) {
            best = r
            var n = 0
            for i in 0..<scratch.closedCount where Int(scratch.closed[i]) < r { n += 1 }
            closedBelowBest = n
        }
    }
}
