extension RegexNode {
    /// A byte string that this node matches as a whole, from its first byte to its last, following one
    /// random path (quantifiers repeat at most 3 times beyond their minimum). Assertions are checked on
    /// the finished string and backreferences copy what their group captured on the path; nil when no
    /// valid sample was found in a few tries, or the node has lookaround, atomic groups, possessive
    /// quantifiers or opaque constructs, whose match this cannot guarantee.
    public func sampleMatch<R: RandomNumberGenerator>(using rng: inout R) -> [UInt8]? {
        for _ in 0..<32 {
            var state = RegexSampler()
            if state.generate(self, &rng), state.assertionsHold() { return state.out }
        }
        return nil
    }
}

/// One attempt at building a sample.
struct RegexSampler {
    var out: [UInt8] = []
    var captures: [Int: [UInt8]] = [:]
    var assertions: [(position: Int, assertion: RegexAssertion)] = []
    static let maxBytes = 1 << 16

    mutating func generate<R: RandomNumberGenerator>(_ node: RegexNode, _ rng: inout R) -> Bool {
        if out.count > Self.maxBytes { return false }
        switch node {
        case .empty:
            return true
        case .byte(let b, let caseless):
            out.append(caseless && RegexParserState.isLetter(b) && Bool.random(using: &rng) ? b ^ 0x20 : b)
            return true
        case .set(let s):
            let members = s.members
            guard let b = members.randomElement(using: &rng) else { return false }
            out.append(b)
            return true
        case .assertion(let a):
            assertions.append((out.count, a))
            return true
        case .concat(let items):
            for i in items where !generate(i, &rng) { return false }
            return true
        case .alternation(let branches):
            guard let b = branches.randomElement(using: &rng) else { return true }
            return generate(b, &rng)
        case .group(let inner, let capture):
            let start = out.count
            guard generate(inner, &rng) else { return false }
            if let capture { captures[capture] = Array(out[start...]) }
            return true
        case .repetition(let inner, let lo, let hi, let kind):
            if kind == .possessive { return false }
            let extra = min((hi ?? Int.max) - lo, 3)
            let n = lo + (extra > 0 ? Int.random(in: 0...extra, using: &rng) : 0)
            for _ in 0..<n where !generate(inner, &rng) { return false }
            return true
        case .backreference(let n, _):
            guard let c = captures[n] else { return false }
            out += c
            return true
        case .look, .atomic, .opaque:
            return false
        }
    }

    func assertionsHold() -> Bool {
        let n = out.count
        func isWord(_ i: Int) -> Bool { i >= 0 && i < n && RegexParserState.isWordByte(out[i]) }
        for (p, a) in assertions {
            let ok: Bool
            switch a {
            case .startOfSubject: ok = p == 0
            case .startOfLine: ok = p == 0 || out[p - 1] == 0x0A
            case .endOfSubjectOrFinalNewline: ok = p == n || (p == n - 1 && out[p] == 0x0A)
            case .endOfLine: ok = p == n || out[p] == 0x0A
            case .endOfSubject: ok = p == n
            case .wordBoundary: ok = isWord(p - 1) != isWord(p)
            case .notWordBoundary: ok = isWord(p - 1) == isWord(p)
            }
            if !ok { return false }
        }
        return true
    }
}
