@testable import RegexSyntax

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func parse(_ s: String, _ options: RegexOptions = RegexOptions()) throws(RegexSyntaxError) -> RegexPattern {
    try RegexParser.parse(bytes(s), options: options)
}

/// The error a pattern gives, or nil when it parses.
func parseError(_ s: String) -> RegexSyntaxError? {
    do {
        _ = try RegexParser.parse(bytes(s), options: RegexOptions())
        return nil
    } catch {
        return error
    }
}

func lit(_ s: String, caseless: Bool = false) -> RegexNode {
    let nodes = s.utf8.map { RegexNode.byte($0, caseless: caseless && RegexParserState.isLetter($0)) }
    return nodes.count == 1 ? nodes[0] : .concat(nodes)
}

/// Structure-preserving simplification used to compare ASTs: flattens nested concatenations and
/// alternations, drops non-capturing groups and empty nodes in concatenations.
func normalized(_ node: RegexNode) -> RegexNode {
    switch node {
    case .concat(let items):
        var out: [RegexNode] = []
        for i in items.map(normalized) {
            if case .concat(let inner) = i { out += inner } else if i != .empty { out.append(i) }
        }
        return out.isEmpty ? .empty : out.count == 1 ? out[0] : .concat(out)
    case .alternation(let bs):
        var out: [RegexNode] = []
        for b in bs.map(normalized) {
            if case .alternation(let inner) = b { out += inner } else { out.append(b) }
        }
        return .alternation(out)
    case .group(let n, nil): return normalized(n)
    case .group(let n, let c): return .group(normalized(n), capture: c)
    case .repetition(let n, let lo, let hi, let k): return .repetition(normalized(n), min: lo, max: hi, kind: k)
    case .look(let n, let b, let neg): return .look(normalized(n), behind: b, negated: neg)
    case .atomic(let n): return .atomic(normalized(n))
    case .set(let s) where s.count == 1: return .byte(s.members[0], caseless: false)
    case .set(let s) where s.count == 2:
        // `[aA]` and a caseless `a` mean the same.
        let m = s.members
        if m[0] ^ 0x20 == m[1], RegexParserState.isLetter(m[0]) { return .byte(m[1], caseless: true) }
        return node
    default: return node
    }
}

/// A seeded generator of random pattern text from regex-ish tokens.
func randomPattern(_ rng: inout some RandomNumberGenerator) -> [UInt8] {
    let tokens = [
        "a", "b", "Z", "0", "9", " ", "-", "]", "[", "^", "$", ".", "|", "(", ")", "(?:", "(?i)", "(?-i)", "(?s)",
        "(?m)", "(?x)", "(?i:", "(?<n>", "(?P<m>", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?|", "*", "+", "?", "*?",
        "+?", "*+", "{2}", "{1,3}", "{2,}", "{,2}", "{", "}", ",", "\\d", "\\w", "\\s", "\\D", "\\b", "\\B", "\\A",
        "\\z", "\\Z", "\\1", "\\2", "\\10", "\\k<n>", "\\g{-1}", "\\x41", "\\x{42}", "\\0", "\\Q", "\\E", "\\n",
        "\\", "\\h", "\\v", "\\R", "\\X", "\\C", "\\K", "\\G", "\\p{L}", "\\N", "\\cA", "[:alpha:]", "[[:space:]]",
        "(?#c)", "(*FAIL)", "(?R)", "(?1)", "(?(1)", "(?C)", "\u{0}", "#", "\n", "\\i", "\\o{101}", "(?n)", "(?U)",
    ]
    var out: [UInt8] = []
    for _ in 0..<Int.random(in: 1...12, using: &rng) {
        out += Array(tokens.randomElement(using: &rng)!.utf8)
        if Int.random(in: 0..<20, using: &rng) == 0 { out.append(UInt8.random(in: 0...255, using: &rng)) }
    }
    return out
}
