/// One literal for `AhoCorasick`: its bytes and whether ASCII letters in it match either case.
public struct AhoCorasickPattern: Hashable, Sendable {
    public var bytes: [UInt8]
    /// ASCII case folding for this pattern only: `A-Z` equal `a-z`; every other byte equals only itself.
    public var caseless: Bool

    public init(bytes: [UInt8], caseless: Bool) {
        self.bytes = bytes
        self.caseless = caseless
    }
}

/// Why an `AhoCorasick` automaton could not be built.
public enum AhoCorasickError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Pattern `index` is empty: it would match at every offset, which callers decide without scanning.
    case emptyPattern(index: Int)
    /// The dense transition table would exceed the memory limit (or 32-bit state ids).
    case tooLarge(states: Int, classes: Int, limitBytes: Int)

    public var description: String {
        switch self {
        case .emptyPattern(let index):
            return "literal \(index) is empty"
        case .tooLarge(let states, let classes, let limit):
            return "Aho-Corasick automaton too large: \(states)+ states x \(classes) byte classes exceeds \(limit) bytes"
        }
    }
}

/// Receives matches from `AhoCorasick.scan(_:visitor:)`.
///
/// A generic visitor (rather than an escaping closure) lets the compiler specialize the scan loop, so a
/// scan allocates nothing.
public protocol AhoCorasickVisitor {
    /// Called at each offset `end` (exclusive) where at least one pattern ends. `patterns` lists every
    /// pattern ending there (suffixes included), ordered by the priority given at build time (lowest
    /// first, ties by pattern id). Only valid during the call. Return `false` to stop the scan.
    mutating func visit(_ patterns: UnsafeBufferPointer<UInt32>, end: Int) -> Bool
}

/// A multi-literal automaton with standard (overlapping) semantics: every occurrence of every pattern
/// is reported, by pattern id and end offset.
///
/// Built as a DFA over byte classes (bytes no pattern tells apart share a class) with a dense
/// transition table whose state ids are premultiplied by the row width, so one step is
/// `state = table[state + class[byte]]`. Match states are numbered first, so "is this a match state"
/// is one comparison. Case folding is per pattern and exact: a caseless pattern position accepts both
/// cases of a letter, a case-sensitive one only its byte, and both kinds may share one automaton
/// (the DFA is built by subset construction over the trie of case-aware labels, see
/// `AhoCorasick+Build.swift`).
public struct AhoCorasick: Sendable {
    /// Byte → class id.
    @usableFromInline let classes: [UInt32]
    /// `states × stride` next-state ids, each premultiplied by `stride`.
    @usableFromInline let table: [UInt32]
    /// Row width: the number of byte classes.
    @usableFromInline let stride: Int
    /// Premultiplied ids below this are match states.
    @usableFromInline let matchLimit: UInt32
    /// The premultiplied start state.
    @usableFromInline let startState: UInt32
    /// For match state `k` (unpremultiplied), its patterns are `matchPatterns[matchStart[k]..<matchStart[k] + matchCount[k]]`.
    @usableFromInline let matchStart: [UInt32]
    @usableFromInline let matchCount: [UInt32]
    /// Pattern ids, grouped per match state, each group in priority order; groups may share storage.
    @usableFromInline let matchPatterns: [UInt32]
    /// The length in bytes of each pattern.
    public let patternLengths: [Int]

    /// The number of patterns.
    public var patternCount: Int { patternLengths.count }
    /// The number of DFA states.
    public var stateCount: Int { table.count / stride }
    /// The number of byte classes (the width of a table row).
    public var classCount: Int { stride }
    /// The bytes the automaton holds (table, class map, match lists).
    public var memoryBytes: Int {
        table.count * 4 + classes.count * 4 + (matchStart.count + matchCount.count + matchPatterns.count) * 4
            + patternLengths.count * 8
    }

    /// The default cap on `memoryBytes` of the transition table: 512 MiB.
    public static let defaultMemoryLimit = 512 << 20

    /// Runs the DFA from `state` over `bytes[i..<count]` until it enters a match state or the input ends;
    /// returns the state and leaves `i` just past the last byte read.
    ///
    /// A leaf function of its own so every value of the loop stays in a register: one class load and one
    /// table load per byte, no bounds or exclusivity checks, and the match test is one compare.
    @usableFromInline @inline(never)
    static func advance(
        table t: UnsafePointer<UInt32>, classes c: UnsafePointer<UInt32>, bytes: UnsafePointer<UInt8>,
        count: Int, limit: UInt32, state: UInt32, position i: inout Int
    ) -> UInt32 {
        var state = state
        var k = i
        while k < count {
            state = t[Int(truncatingIfNeeded: state &+ c[Int(bytes[k])])]
            k &+= 1
            if state < limit { break }
        }
        i = k
        return state
    }

    /// Scans `haystack` once and hands every match to `visitor`, in order of end offset. Allocates nothing.
    @inlinable
    public func scan<V: AhoCorasickVisitor>(_ haystack: UnsafeBufferPointer<UInt8>, visitor: inout V) {
        guard let bytes = haystack.baseAddress, !matchPatterns.isEmpty else { return }
        let count = haystack.count
        table.withUnsafeBufferPointer { table in
            classes.withUnsafeBufferPointer { classes in
                matchPatterns.withUnsafeBufferPointer { patterns in
                    matchStart.withUnsafeBufferPointer { matchStart in
                        matchCount.withUnsafeBufferPointer { matchCount in
                            let t = table.baseAddress!, c = classes.baseAddress!
                            let limit = matchLimit
                            var state = startState
                            var i = 0
                            while i < count {
                                state = Self.advance(
                                    table: t, classes: c, bytes: bytes, count: count, limit: limit, state: state, position: &i
                                )
                                guard state < limit else { return }
                                let k = Int(state) / stride
                                let lo = Int(matchStart[k])
                                let list = UnsafeBufferPointer(rebasing: patterns[lo..<lo + Int(matchCount[k])])
                                if !visitor.visit(list, end: i) { return }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(pattern, end)` for every occurrence, in order of end offset and, at one end offset, in
    /// priority order. `body` returns `false` to stop. The closure is non-escaping, so nothing is allocated.
    /// Not written over `scan`: a visitor must store the closure, which then is no longer inlined, and the
    /// callgrind gate measured pcre2-prefiltered 7.4% slower that way.
    @inlinable
    public func forEachMatch(in haystack: UnsafeBufferPointer<UInt8>, _ body: (_ pattern: Int, _ end: Int) -> Bool) {
        guard let bytes = haystack.baseAddress, !matchPatterns.isEmpty else { return }
        let count = haystack.count
        table.withUnsafeBufferPointer { table in
            classes.withUnsafeBufferPointer { classes in
                matchPatterns.withUnsafeBufferPointer { patterns in
                    let t = table.baseAddress!, c = classes.baseAddress!
                    let limit = matchLimit
                    var state = startState
                    var i = 0
                    while i < count {
                        state = Self.advance(
                            table: t, classes: c, bytes: bytes, count: count, limit: limit, state: state, position: &i
                        )
                        guard state < limit else { return }
                        let k = Int(state) / stride
                        let lo = Int(matchStart[k])
                        for j in lo..<lo + Int(matchCount[k]) where !body(Int(patterns[j]), i) { return }
                    }
                }
            }
        }
    }

    /// Whether any pattern occurs in `haystack`.
    @inlinable
    public func containsMatch(in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        forEachMatch(in: haystack) { _, _ in
            found = true
            return false
        }
        return found
    }

    @usableFromInline
    init(
        classes: [UInt32], table: [UInt32], stride: Int, matchLimit: UInt32, startState: UInt32,
        matchStart: [UInt32], matchCount: [UInt32], matchPatterns: [UInt32], patternLengths: [Int]
    ) {
        self.classes = classes
        self.table = table
        self.stride = stride
        self.matchLimit = matchLimit
        self.startState = startState
        self.matchStart = matchStart
        self.matchCount = matchCount
        self.matchPatterns = matchPatterns
        self.patternLengths = patternLengths
    }
}
