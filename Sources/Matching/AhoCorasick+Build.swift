// Construction of the `AhoCorasick` DFA.
//
// 1. Labels. Each pattern byte becomes a label: an exact byte, or (caseless pattern, ASCII letter) a
//    folded letter accepting both cases. Patterns are inserted into a trie over labels, so a caseless
//    "a" and a case-sensitive "a" are different edges.
// 2. Byte classes. Two bytes share a class when every label accepts both or neither: unused bytes share
//    class 0, a letter pair used only folded shares one class, every other used byte has its own.
// 3. DFA by subset construction over the trie plus a self-looping root. A DFA state is the set of trie
//    nodes alive after some input; it depends only on the last `d` input bytes, `d` being the depth of
//    its deepest nodes `D`. Removing `D` leaves the alive set of the last `d-1` bytes, itself a state
//    (the *fail* state), so a state is the pair (`D`, fail) and
//        next((D, F), c) = (children of D on c, next(F, c))    or just next(F, c) when D has none.
//    States are created breadth-first (by `d`), so `next(F, c)` is always already known: this is the
//    classic Aho-Corasick failure construction, and with all-caseless or all-sensitive patterns it makes
//    exactly one state per trie node. Mixing both can create a few extra states (a node set that is not
//    a suffix chain), which a dictionary keyed by (`D`, fail) deduplicates.
// 4. Outputs. A state's patterns are those ending at its `D` nodes merged with its fail state's list,
//    kept in priority order; a state with no own patterns shares its fail state's list.
// 5. Renumbering. Match states get the lowest ids and every id is premultiplied by the row width.

extension AhoCorasick {
    /// Builds the automaton.
    ///
    /// - Parameters:
    ///   - patterns: non-empty literals; pattern ids are their positions. Duplicates are allowed and each
    ///     is reported.
    ///   - priorities: per pattern, the order in which patterns ending at one offset are listed (lowest
    ///     first, ties by id). Defaults to the pattern id.
    ///   - memoryLimit: the largest transition table, in bytes, the build may produce.
    public init(
        _ patterns: [AhoCorasickPattern],
        priorities: [Int]? = nil,
        memoryLimit: Int = AhoCorasick.defaultMemoryLimit
    ) throws(AhoCorasickError) {
        precondition(priorities == nil || priorities!.count == patterns.count, "one priority per pattern")
        for (i, p) in patterns.enumerated() where p.bytes.isEmpty { throw .emptyPattern(index: i) }

        // Labels: 0...255 exact byte, 256 + lowercase letter for a folded letter.
        @inline(__always) func label(_ b: UInt8, _ caseless: Bool) -> Int {
            caseless && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A ? 256 + Int(b | 0x20) : Int(b)
        }

        // Byte classes (step 2).
        var usedExact = [Bool](repeating: false, count: 256)
        var usedFolded = [Bool](repeating: false, count: 256)
        for p in patterns {
            for b in p.bytes {
                let l = label(b, p.caseless)
                if l >= 256 { usedFolded[l - 256] = true } else { usedExact[l] = true }
            }
        }
        var classOf = [UInt32](repeating: 0, count: 256)
        var classCount: UInt32 = 1
        for b in 0..<256 {
            let lower = b | 0x20, isLetter = lower >= 0x61 && lower <= 0x7A
            let folded = isLetter && usedFolded[lower]
            guard usedExact[b] || folded else { continue }
            if isLetter && folded && !usedExact[lower] && !usedExact[lower & ~0x20] && b == lower & ~0x20 {
                // Only folded labels use this pair: both cases share the class made at the upper case.
                classOf[b] = classCount
                classOf[lower] = classCount
                classCount += 1
            } else if isLetter && folded && !usedExact[lower] && !usedExact[lower & ~0x20] {
                continue  // The lower case of a shared pair, already assigned.
            } else {
                classOf[b] = classCount
                classCount += 1
            }
        }
        let stride = Int(classCount)
        let labelClasses: (Int) -> (UInt32, UInt32?) = { l in
            if l < 256 { return (classOf[l], nil) }
            let lower = l - 256, upper = lower & ~0x20
            return classOf[lower] == classOf[upper] ? (classOf[lower], nil) : (classOf[upper], classOf[lower])
        }

        // Trie over labels (step 1).
        var childOf: [Int: UInt32] = [:]
        var edgeFrom: [UInt32] = [], edgeLabel: [Int] = [], edgeTo: [UInt32] = []
        var nodeCount: UInt32 = 1
        var endNode = [UInt32](repeating: 0, count: patterns.count)
        for (i, p) in patterns.enumerated() {
            var node: UInt32 = 0
            for b in p.bytes {
                let l = label(b, p.caseless)
                let key = Int(node) << 9 | l
                if let next = childOf[key] {
                    node = next
                } else {
                    childOf[key] = nodeCount
                    edgeFrom.append(node); edgeLabel.append(l); edgeTo.append(nodeCount)
                    node = nodeCount
                    nodeCount += 1
                }
            }
            endNode[i] = node
        }
        childOf = [:]
        // Edges and pattern ends grouped by node (counting sort).
        let nodes = Int(nodeCount)
        var edgeStart = [Int](repeating: 0, count: nodes + 1)
        for f in edgeFrom { edgeStart[Int(f) + 1] += 1 }
        for i in 0..<nodes { edgeStart[i + 1] += edgeStart[i] }
        var edgeOrder = [Int](repeating: 0, count: edgeFrom.count)
        var fill = edgeStart
        for (e, f) in edgeFrom.enumerated() {
            edgeOrder[fill[Int(f)]] = e
            fill[Int(f)] += 1
        }
        var endStart = [Int](repeating: 0, count: nodes + 1)
        for n in endNode { endStart[Int(n) + 1] += 1 }
        for i in 0..<nodes { endStart[i + 1] += endStart[i] }
        var endPatterns = [UInt32](repeating: 0, count: patterns.count)
        fill = endStart
        for (p, n) in endNode.enumerated() {
            endPatterns[fill[Int(n)]] = UInt32(p)
            fill[Int(n)] += 1
        }

        let priority: (UInt32) -> Int = { p in priorities?[Int(p)] ?? Int(p) }
        let before: (UInt32, UInt32) -> Bool = { a, b in
            let pa = priority(a), pb = priority(b)
            return pa != pb ? pa < pb : a < b
        }

        // Subset construction (step 3) with outputs (step 4).
        let maxStates = min(memoryLimit / 4, Int(UInt32.max)) / stride
        var rows: [UInt32] = []
        var deepStart: [Int] = [0], deepPool: [UInt32] = [0]
        var fail: [UInt32] = [0]
        var outStart: [UInt32] = [0], outCount: [UInt32] = [0]
        var outPool: [UInt32] = []
        var singleKey: [Int: UInt32] = [:]
        var multiKey: [[UInt32]: UInt32] = [:]
        var pairs: [(cls: UInt32, node: UInt32)] = []
        var own: [UInt32] = []
        var newNodes: [UInt32] = []
        var state = 0
        while state < fail.count {
            let f = Int(fail[state])
            let rowBase = rows.count
            // Start from the fail state's row, copied by index: appending a slice of `rows` to itself
            // would copy the whole table each time.
            rows.append(contentsOf: repeatElement(0, count: stride))
            if state != 0 {
                for c in 0..<stride { rows[rowBase + c] = rows[f * stride + c] }
            }
            pairs.removeAll(keepingCapacity: true)
            let deepEnd = state + 1 < deepStart.count ? deepStart[state + 1] : deepPool.count
            for d in deepStart[state]..<deepEnd {
                let n = Int(deepPool[d])
                for e in edgeStart[n]..<edgeStart[n + 1] {
                    let edge = edgeOrder[e]
                    let (c1, c2) = labelClasses(edgeLabel[edge])
                    pairs.append((c1, edgeTo[edge]))
                    if let c2 { pairs.append((c2, edgeTo[edge])) }
                }
            }
            pairs.sort { $0.cls != $1.cls ? $0.cls < $1.cls : $0.node < $1.node }
            var i = 0
            while i < pairs.count {
                let cls = pairs[i].cls
                newNodes.removeAll(keepingCapacity: true)
                while i < pairs.count && pairs[i].cls == cls {
                    if newNodes.last != pairs[i].node { newNodes.append(pairs[i].node) }
                    i += 1
                }
                let target = state == 0 ? UInt32(0) : rows[f * stride + Int(cls)]
                let existing: UInt32?
                if newNodes.count == 1 {
                    existing = singleKey[Int(newNodes[0]) << 32 | Int(target)]
                } else {
                    existing = multiKey[newNodes + [target]]
                }
                if let existing {
                    rows[rowBase + Int(cls)] = existing
                    continue
                }
                let id = UInt32(fail.count)
                guard fail.count < maxStates else {
                    throw .tooLarge(states: fail.count + 1, classes: stride, limitBytes: memoryLimit)
                }
                if newNodes.count == 1 {
                    singleKey[Int(newNodes[0]) << 32 | Int(target)] = id
                } else {
                    multiKey[newNodes + [target]] = id
                }
                deepStart.append(deepPool.count)
                deepPool.append(contentsOf: newNodes)
                fail.append(target)
                own.removeAll(keepingCapacity: true)
                for n in newNodes { own.append(contentsOf: endPatterns[endStart[Int(n)]..<endStart[Int(n) + 1]]) }
                let inherited = (Int(outStart[Int(target)]), Int(outCount[Int(target)]))
                if own.isEmpty {
                    outStart.append(UInt32(inherited.0))
                    outCount.append(UInt32(inherited.1))
                } else {
                    own.sort(by: before)
                    outStart.append(UInt32(outPool.count))
                    outCount.append(UInt32(own.count + inherited.1))
                    // Merge the own patterns with the fail state's (already ordered) list.
                    var a = 0, b = inherited.0
                    let bEnd = inherited.0 + inherited.1
                    while a < own.count || b < bEnd {
                        if b == bEnd || (a < own.count && before(own[a], outPool[b])) {
                            outPool.append(own[a]); a += 1
                        } else {
                            outPool.append(outPool[b]); b += 1
                        }
                    }
                }
                rows[rowBase + Int(cls)] = id
            }
            state += 1
        }
        singleKey = [:]
        multiKey = [:]

        // Renumbering (step 5): match states first, then the rest; ids premultiplied.
        let states = fail.count
        var newIndex = [UInt32](repeating: 0, count: states)
        var order: [Int] = []
        order.reserveCapacity(states)
        for s in 0..<states where outCount[s] > 0 { order.append(s) }
        let matchStates = order.count
        for s in 0..<states where outCount[s] == 0 { order.append(s) }
        for (k, s) in order.enumerated() { newIndex[s] = UInt32(k * stride) }
        // Premultiply in place, then move rows into their new places cycle by cycle, so the table is never
        // held twice.
        rows.withUnsafeMutableBufferPointer { rows in
            for i in 0..<rows.count { rows[i] = newIndex[Int(rows[i])] }
            var placed = [Bool](repeating: false, count: states)
            var held = [UInt32](repeating: 0, count: stride)
            for k in 0..<states where !placed[k] {
                // Position j receives the row of state order[j]; the row first overwritten is held aside.
                for c in 0..<stride { held[c] = rows[k * stride + c] }
                var j = k
                while true {
                    placed[j] = true
                    let src = order[j]
                    if src == k {
                        for c in 0..<stride { rows[j * stride + c] = held[c] }
                        break
                    }
                    for c in 0..<stride { rows[j * stride + c] = rows[src * stride + c] }
                    j = src
                }
            }
        }
        let table = rows
        self.init(
            classes: classOf,
            table: table,
            stride: stride,
            matchLimit: UInt32(matchStates * stride),
            startState: newIndex[0],
            matchStart: order[..<matchStates].map { outStart[$0] },
            matchCount: order[..<matchStates].map { outCount[$0] },
            matchPatterns: outPool,
            patternLengths: patterns.map(\.bytes.count)
        )
    }
}
