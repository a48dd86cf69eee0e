/// A literal a prefilter looks for.
public struct LiteralString: Hashable, Sendable, CustomStringConvertible {
    /// The bytes; when `caseless`, ASCII letters are stored in lower case.
    public var bytes: [UInt8]
    /// Compare ASCII-case-insensitively (conservative: the whole literal, even if only part was caseless).
    public var caseless: Bool

    public init(bytes: [UInt8], caseless: Bool) {
        self.caseless = caseless
        self.bytes = caseless ? bytes.map { RegexParserState.isLetter($0) ? $0 | 0x20 : $0 } : bytes
    }

    public var description: String {
        String(decoding: bytes, as: UTF8.self) + (caseless ? " (caseless)" : "")
    }
}

/// A set of literals such that every match of a node contains at least one of them as a substring.
public struct RequiredLiterals: Hashable, Sendable {
    public var alternatives: [LiteralString]
    public init(alternatives: [LiteralString]) { self.alternatives = alternatives }
}

extension RegexNode {
    /// The most useful set of literals every match contains (one of them, as a substring), or nil when no
    /// non-empty set is known. Zero false negatives: a node that might match without any of them gives nil.
    public var requiredLiterals: RequiredLiterals? {
        let a = LiteralAnalysis.analyze(self)
        guard let best = LiteralAnalysis.best([a.exact, a.required]) else { return nil }
        let ordered = best.sorted {
            $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes)
        }
        return RequiredLiterals(alternatives: ordered)
    }

    /// The bytes when the node is a plain case-sensitive literal (bytes in groups and concatenations only).
    public var literalBytes: [UInt8]? {
        switch self {
        case .byte(let b, false): return [b]
        case .group(let n, _): return n.literalBytes
        case .concat(let items):
            var out: [UInt8] = []
            for i in items {
                guard let b = i.literalBytes else { return nil }
                out += b
            }
            return out
        default: return nil
        }
    }
}

/// Literal facts about one node: `exact` is every string the node can consume (assertions consume
/// nothing) when that set is small; `required` is a set one of which every match contains.
struct LiteralAnalysis {
    var exact: [LiteralString]?
    var required: [LiteralString]?

    static let maxAlternatives = 64
    static let maxLength = 64
    /// A class expands to its members only when it has at most this many (after case folding).
    static let maxSetMembers = 16

    static let emptyString = [LiteralString(bytes: [], caseless: false)]

    static func analyze(_ node: RegexNode) -> LiteralAnalysis {
        switch node {
        case .empty, .assertion, .look:
            return LiteralAnalysis(exact: emptyString, required: nil)
        case .byte(let b, let c):
            return LiteralAnalysis(exact: [LiteralString(bytes: [b], caseless: c && RegexParserState.isLetter(b))], required: nil)
        case .set(let s):
            return LiteralAnalysis(exact: expand(s), required: nil)
        case .backreference, .opaque:
            return LiteralAnalysis(exact: nil, required: nil)
        case .group(let n, _), .atomic(let n):
            return analyze(n)
        case .concat(let items):
            return concat(items.map(analyze))
        case .alternation(let branches):
            let parts = branches.map(analyze)
            var exact: [LiteralString]? = []
            var required: [LiteralString]? = []
            for p in parts {
                if let e = p.exact, let x = exact { exact = dedupe(x + e) } else { exact = nil }
                if let b = best([p.exact, p.required]), let r = required { required = dedupe(r + b) } else { required = nil }
            }
            if let e = exact, e.count > maxAlternatives { exact = nil }
            if let r = required, r.count > maxAlternatives { required = nil }
            return LiteralAnalysis(exact: exact, required: required)
        case .repetition(let n, let lo, let hi, _):
            if hi == 0 { return LiteralAnalysis(exact: emptyString, required: nil) }
            let a = analyze(n)
            var exact: [LiteralString]?
            if let e = a.exact {
                if lo == 0 && hi == 1 {
                    exact = dedupe(emptyString + e)
                } else if lo == hi {
                    exact = power(e, lo)
                }
            }
            guard lo >= 1 else { return LiteralAnalysis(exact: exact, required: nil) }
            // `lo` consecutive copies are in every match.
            var candidates = [a.required, a.exact]
            if let e = a.exact { candidates.append(power(e, lo)) }
            return LiteralAnalysis(exact: exact, required: best(candidates))
        }
    }

    /// Runs of adjacent exact children multiply into longer literals; each run and each child's own
    /// required set is a candidate, and the best candidate wins.
    static func concat(_ parts: [LiteralAnalysis]) -> LiteralAnalysis {
        var candidates: [[LiteralString]?] = []
        var run: [LiteralString]? = emptyString
        var exactWhole = true
        for p in parts {
            if let r = p.required { candidates.append(r) }
            if let e = p.exact {
                if let cur = run, let product = cross(cur, e) {
                    run = product
                } else {
                    candidates.append(run)
                    candidates.append(e)
                    run = e
                    exactWhole = false
                }
            } else {
                candidates.append(run)
                run = emptyString
                exactWhole = false
            }
        }
        candidates.append(run)
        return LiteralAnalysis(exact: exactWhole ? run : nil, required: best(candidates))
    }

    static func cross(_ a: [LiteralString], _ b: [LiteralString]) -> [LiteralString]? {
        if a.count * b.count > maxAlternatives { return nil }
        var out: [LiteralString] = []
        out.reserveCapacity(a.count * b.count)
        for x in a {
            for y in b {
                if x.bytes.count + y.bytes.count > maxLength { return nil }
                out.append(LiteralString(bytes: x.bytes + y.bytes, caseless: x.caseless || y.caseless))
            }
        }
        return dedupe(out)
    }

    static func power(_ e: [LiteralString], _ n: Int) -> [LiteralString]? {
        var out = emptyString
        for _ in 0..<min(n, maxLength + 1) {
            guard let p = cross(out, e) else { return nil }
            out = p
        }
        return n > maxLength + 1 ? nil : out
    }

    /// A set's members as literals: a letter present in both cases becomes one caseless literal.
    static func expand(_ s: ByteSet) -> [LiteralString]? {
        var out: [LiteralString] = []
        for b in s.members {
            if RegexParserState.isLetter(b) {
                let lower = b | 0x20, upper = b & ~0x20
                if s.contains(lower) && s.contains(upper) {
                    if b == upper { continue }
                    out.append(LiteralString(bytes: [lower], caseless: true))
                    if out.count > maxSetMembers { return nil }
                    continue
                }
            }
            out.append(LiteralString(bytes: [b], caseless: false))
            if out.count > maxSetMembers { return nil }
        }
        return out.isEmpty ? nil : out
    }

    /// Removes duplicates, and case-sensitive literals that a caseless one already covers.
    static func dedupe(_ lits: [LiteralString]) -> [LiteralString] {
        var seen = Set<LiteralString>()
        var caselessBytes = Set<[UInt8]>()
        for l in lits where l.caseless { caselessBytes.insert(l.bytes) }
        var out: [LiteralString] = []
        for l in lits {
            if !l.caseless, caselessBytes.contains(l.bytes.map { RegexParserState.isLetter($0) ? $0 | 0x20 : $0 }) { continue }
            if seen.insert(l).inserted { out.append(l) }
        }
        return out
    }

    /// The candidate with the longest shortest literal (then fewer alternatives, then fewer caseless);
    /// a set containing the empty string is useless and never chosen.
    static func best(_ candidates: [[LiteralString]?]) -> [LiteralString]? {
        var chosen: [LiteralString]?
        var chosenScore = (0, 0, 0)
        for c in candidates {
            guard let c, !c.isEmpty, c.count <= maxAlternatives else { continue }
            let minLen = c.map(\.bytes.count).min() ?? 0
            if minLen == 0 { continue }
            let score = (minLen, -c.count, -c.filter(\.caseless).count)
            if chosen == nil || score > chosenScore {
                chosen = c
                chosenScore = score
            }
        }
        return chosen
    }
}
