/// Match-length facts about nodes: fixed length (PCRE2's lookbehind rule) and the shortest match.
extension RegexNode {
    /// The number of bytes every match of this node has, or nil when matches can differ in length.
    /// `groupLength` resolves backreferences (nil when unknown).
    func fixedLength(groupLength: (Int) -> Int?) -> Int? {
        switch self {
        case .empty, .assertion, .look: return 0
        case .byte, .set: return 1
        case .concat(let items):
            var total = 0
            for i in items {
                guard let l = i.fixedLength(groupLength: groupLength) else { return nil }
                total = min(total + l, Int(Int32.max))
            }
            return total
        case .alternation(let branches):
            var common: Int?
            for b in branches {
                guard let l = b.fixedLength(groupLength: groupLength) else { return nil }
                if let c = common, c != l { return nil }
                common = l
            }
            return common ?? 0
        case .group(let n, _), .atomic(let n):
            return n.fixedLength(groupLength: groupLength)
        case .repetition(let n, let lo, let hi, _):
            guard let l = n.fixedLength(groupLength: groupLength) else { return nil }
            if l == 0 { return 0 }
            guard hi == lo else { return nil }
            return min(l * lo, Int(Int32.max))
        case .backreference(let g, _):
            return groupLength(g)
        case .opaque(let c, _):
            switch c {
            case .backtrackingVerb, .callout, .startOfMatchAnchor, .matchReset, .lookahead, .lookbehind: return 0
            case .unicodeProperty, .singleCodeUnit: return 1
            default: return nil
            }
        }
    }

    /// The length of the shortest string this node can match (backreferences and opaque nodes count 0).
    public var minLength: Int {
        switch self {
        case .empty, .assertion, .look, .backreference, .opaque: return 0
        case .byte, .set: return 1
        case .concat(let items): return items.reduce(0) { min($0 + $1.minLength, Int(Int32.max)) }
        case .alternation(let branches): return branches.map(\.minLength).min() ?? 0
        case .group(let n, _), .atomic(let n): return n.minLength
        case .repetition(let n, let lo, _, _): return min(n.minLength * lo, Int(Int32.max))
        }
    }

    /// The length of the longest string this node can match; nil when unbounded or unknown
    /// (backreferences and opaque nodes).
    public var maxLength: Int? {
        switch self {
        case .empty, .assertion, .look: return 0
        case .byte, .set: return 1
        case .backreference, .opaque: return nil
        case .concat(let items):
            var total = 0
            for i in items {
                guard let l = i.maxLength else { return nil }
                total = min(total + l, Int(Int32.max))
            }
            return total
        case .alternation(let branches):
            var best = 0
            for b in branches {
                guard let l = b.maxLength else { return nil }
                best = max(best, l)
            }
            return best
        case .group(let n, _), .atomic(let n): return n.maxLength
        case .repetition(let n, _, let hi, _):
            guard let l = n.maxLength else { return nil }
            if l == 0 { return 0 }
            guard let hi else { return nil }
            return min(l * hi, Int(Int32.max))
        }
    }

    /// Calls `body` on this node and every node below it, parents first.
    public func forEachNode(_ body: (RegexNode) -> Void) {
        body(self)
        switch self {
        case .concat(let items), .alternation(let items): for i in items { i.forEachNode(body) }
        case .group(let n, _), .atomic(let n), .repetition(let n, _, _, _), .look(let n, _, _): n.forEachNode(body)
        case .empty, .byte, .set, .assertion, .backreference, .opaque: break
        }
    }
}

/// PCRE2 10.42's rule: each top-level branch of a lookbehind must have a fixed length (at most 65535).
enum RegexLookbehindCheck {
    static func validate(_ root: RegexNode, lookbehinds: [(node: RegexNode, column: Int)], captureCount: Int) throws(RegexSyntaxError) {
        guard !lookbehinds.isEmpty else { return }
        var groups: [Int: [RegexNode]] = [:]
        root.forEachNode { node in
            if case .group(let inner, let n?) = node { groups[n, default: []].append(inner) }
        }
        // A backreference has a fixed length when its group does (and is not ambiguous); one level only, so
        // a group that refers to itself cannot loop.
        let groupLength: (Int) -> Int? = { n in
            guard let nodes = groups[n], nodes.count == 1 else { return nil }
            return nodes[0].fixedLength(groupLength: { _ in nil })
        }
        for (body, column) in lookbehinds {
            let branches: [RegexNode]
            if case .alternation(let bs) = body { branches = bs } else { branches = [body] }
            for b in branches {
                guard let l = b.fixedLength(groupLength: groupLength) else {
                    throw RegexSyntaxError(column: column, reason: "lookbehind assertion is not fixed length")
                }
                if l > 65535 {
                    throw RegexSyntaxError(column: column, reason: "lookbehind assertion is too long")
                }
            }
        }
    }
}
