
extension RegexNode {
    /// The same node for "is there a match anywhere": a leading `\A` + `*` over all bytes and a trailing
    /// `*` over all bytes + `\z` are dropped, so a glob like `*quota*` becomes a plain search for `quota`
    /// instead of a backtracking walk over the whole reply (which can hit PCRE2's match limit on 1 MB lines).
    public var searchEquivalent: RegexNode {
        guard case .concat(var parts) = self else { return self }
        func isAnyRun(_ n: RegexNode) -> Bool {
            if case .repetition(.set(let s), 0, nil, _) = n { return s == .all }
            return false
        }
        if parts.count >= 2, parts[0] == .assertion(.startOfSubject), isAnyRun(parts[1]) {
            parts.removeFirst(2)
            while let first = parts.first, isAnyRun(first) { parts.removeFirst() }
        }
        if parts.count >= 2, parts[parts.count - 1] == .assertion(.endOfSubject), isAnyRun(parts[parts.count - 2]) {
            parts.removeLast(2)
            while let last = parts.last, isAnyRun(last) { parts.removeLast() }
        }
        return .concat(parts)
    }
}
