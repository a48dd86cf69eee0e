import BounceMatch

/// An independent, deliberately simple matcher over the AST in continuation-passing style (recursive,
/// for small subjects only), with PCRE2's rules written out directly. The naive engine's VM is checked
/// against it on random patterns.
struct NaiveCPSOracle {
    typealias Caps = [Int]
    typealias K = (Int, Caps) -> Int?
    let s: [UInt8]

    static func firstSpan(_ root: RegexNode, captureCount: Int, in s: [UInt8]) -> Range<Int>? {
        let o = NaiveCPSOracle(s: s)
        let caps = [Int](repeating: -1, count: 2 * (captureCount + 1))
        for start in 0...s.count {
            if let end = o.m(root, start, caps, { p, _ in p }) { return start..<end }
        }
        return nil
    }

    func isWord(_ p: Int) -> Bool {
        guard p >= 0, p < s.count else { return false }
        return ByteSet.wordBytes.contains(s[p])
    }

    func holds(_ a: RegexAssertion, _ p: Int) -> Bool {
        let n = s.count
        switch a {
        case .startOfSubject: return p == 0
        case .startOfLine: return p == 0 || (p < n && s[p - 1] == 0x0A)
        case .endOfSubjectOrFinalNewline: return p == n || (p == n - 1 && s[p] == 0x0A)
        case .endOfLine: return p == n || s[p] == 0x0A
        case .endOfSubject: return p == n
        case .wordBoundary: return isWord(p - 1) != isWord(p)
        case .notWordBoundary: return isWord(p - 1) == isWord(p)
        }
    }

    func m(_ node: RegexNode, _ p: Int, _ c: Caps, _ k: K) -> Int? {
        switch node {
        case .empty: return k(p, c)
        case .byte(let b, let caseless):
            guard p < s.count else { return nil }
            let ok = caseless ? asciiLowercase(s[p]) == asciiLowercase(b) : s[p] == b
            return ok ? k(p + 1, c) : nil
        case .set(let set):
            return p < s.count && set.contains(s[p]) ? k(p + 1, c) : nil
        case .assertion(let a):
            return holds(a, p) ? k(p, c) : nil
        case .concat(let xs):
            return seq(xs[...], p, c, k)
        case .alternation(let xs):
            for x in xs { if let r = m(x, p, c, k) { return r } }
            return nil
        case .group(let x, let cap):
            guard let cap else { return m(x, p, c, k) }
            return m(x, p, c) { q, c2 in
                var c3 = c2
                c3[2 * cap] = p
                c3[2 * cap + 1] = q
                return k(q, c3)
            }
        case .repetition(let x, let min, let max, let kind):
            if kind == .possessive {
                return m(.atomic(.repetition(x, min: min, max: max, kind: .greedy)), p, c, k)
            }
            return rep(x, min, max, kind == .lazy, p, c, k)
        case .atomic(let x):
            var out: (Int, Caps)?
            _ = m(x, p, c) { q, c2 in out = (q, c2); return q }
            guard let (q, c2) = out else { return nil }
            return k(q, c2)
        case .look(let x, let behind, let negated):
            var out: Caps?
            let branches: [RegexNode]
            if behind, case .alternation(let xs) = x { branches = xs } else { branches = [x] }
            for br in branches where out == nil {
                var from = p
                if behind {
                    let len = naiveFixedLength(br)!
                    if p < len { continue }
                    from = p - len
                }
                _ = m(br, from, c) { q, c2 in out = c2; return q }
            }
            if negated { return out == nil ? k(p, c) : nil }
            guard let c2 = out else { return nil }
            return k(p, c2)
        case .backreference(let g, let caseless):
            let from = c[2 * g], to = c[2 * g + 1]
            guard from >= 0 else { return nil }
            let len = to - from
            guard p + len <= s.count else { return nil }
            for j in 0..<len {
                let a = s[from + j], b = s[p + j]
                if caseless ? asciiLowercase(a) != asciiLowercase(b) : a != b { return nil }
            }
            return k(p + len, c)
        case .opaque:
            return nil
        }
    }

    func seq(_ xs: ArraySlice<RegexNode>, _ p: Int, _ c: Caps, _ k: K) -> Int? {
        guard let first = xs.first else { return k(p, c) }
        return m(first, p, c) { q, c2 in seq(xs.dropFirst(), q, c2, k) }
    }

    /// PCRE2's compiled form: `min` copies (the last one starting the loop when unbounded), then either
    /// a loop that stops after an empty iteration, or nested optional copies.
    func rep(_ x: RegexNode, _ min: Int, _ max: Int?, _ lazy: Bool, _ p: Int, _ c: Caps, _ k: K) -> Int? {
        if max == 0 { return k(p, c) }
        guard let max else {
            func head(_ q: Int, _ c: Caps) -> Int? {
                lazy ? (k(q, c) ?? iter(q, c)) : (iter(q, c) ?? k(q, c))
            }
            func iter(_ q: Int, _ c: Caps) -> Int? {
                m(x, q, c) { r, c2 in r == q ? k(r, c2) : head(r, c2) }
            }
            if min == 0 { return head(p, c) }
            return plain(x, min - 1, p, c) { q, c2 in iter(q, c2) }
        }
        return plain(x, min, p, c) { q, c2 in opt(x, max - min, lazy, q, c2, k) }
    }

    func plain(_ x: RegexNode, _ n: Int, _ p: Int, _ c: Caps, _ k: K) -> Int? {
        if n == 0 { return k(p, c) }
        return m(x, p, c) { q, c2 in plain(x, n - 1, q, c2, k) }
    }

    func opt(_ x: RegexNode, _ n: Int, _ lazy: Bool, _ p: Int, _ c: Caps, _ k: K) -> Int? {
        if n == 0 { return k(p, c) }
        func take() -> Int? { m(x, p, c) { q, c2 in opt(x, n - 1, lazy, q, c2, k) } }
        if lazy { return k(p, c) ?? take() }
        return take() ?? k(p, c)
    }
}

/// The fixed length of a lookbehind branch (test-side copy of the rule, kept independent).
func naiveFixedLength(_ node: RegexNode) -> Int? {
    switch node {
    case .empty, .assertion, .look: return 0
    case .byte, .set: return 1
    case .concat(let xs):
        var sum = 0
        for x in xs {
            guard let l = naiveFixedLength(x) else { return nil }
            sum += l
        }
        return sum
    case .alternation(let xs):
        let ls = xs.map(naiveFixedLength)
        guard let f = ls.first, let l = f, ls.allSatisfy({ $0 == l }) else { return nil }
        return l
    case .group(let x, _), .atomic(let x): return naiveFixedLength(x)
    case .repetition(let x, let min, let max, _):
        guard max == min, let l = naiveFixedLength(x) else { return nil }
        return l * min
    case .backreference, .opaque: return nil
    }
}

/// Bytes of a string, for readable expectations.
func naiveBytes(_ s: String) -> [UInt8] { Array(s.utf8) }
