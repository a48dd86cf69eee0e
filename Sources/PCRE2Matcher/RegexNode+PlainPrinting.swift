import RegexSyntax

extension RegexNode {
    /// The same node for "is there a match anywhere": a leading `\A` + `*` over all bytes and a trailing
    /// `*` over all bytes + `\z` are dropped, so a glob like `*quota*` becomes a plain search for `quota`
    /// instead of a backtracking walk over the whole reply (which can hit PCRE2's match limit on 1 MB lines).
    package var searchEquivalent: RegexNode {
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

    /// The node as a pattern that PCRE2 and Hyperscan both read the same way when compiled with no flags,
    /// for the node shapes that substring, exact and wildcard rules produce (bytes, `.set`, `*` over a set,
    /// `\A`, `\z`, concatenation). nil for anything else: regex rules are printed by RegexSyntax's printer.
    package var plainPrinted: [UInt8]? {
        var out: [UInt8] = []
        return appendPlain(to: &out) ? out : nil
    }

    private func appendPlain(to out: inout [UInt8]) -> Bool {
        switch self {
        case .empty:
            return true
        case .byte(let b, let caseless):
            if caseless {
                // A two-member class keeps the folding explicit, so no CASELESS flag is needed.
                out.append(UInt8(ascii: "["))
                appendEscaped(b & ~0x20, to: &out)
                appendEscaped(b | 0x20, to: &out)
                out.append(UInt8(ascii: "]"))
            } else {
                appendEscaped(b, to: &out)
            }
            return true
        case .set(let set):
            guard !set.isEmpty else { return false }
            appendClass(set, to: &out)
            return true
        case .assertion(.startOfSubject):
            out.append(contentsOf: Array(#"\A"#.utf8))
            return true
        case .assertion(.endOfSubject):
            out.append(contentsOf: Array(#"\z"#.utf8))
            return true
        case .concat(let parts):
            for p in parts where !p.appendPlain(to: &out) { return false }
            return true
        case .repetition(let inner, let min, let max, .greedy):
            out.append(contentsOf: Array("(?:".utf8))
            guard inner.appendPlain(to: &out) else { return false }
            out.append(UInt8(ascii: ")"))
            switch (min, max) {
            case (0, nil): out.append(UInt8(ascii: "*"))
            case (1, nil): out.append(UInt8(ascii: "+"))
            case (_, nil): out.append(contentsOf: Array("{\(min),}".utf8))
            case (_, let m?): out.append(contentsOf: Array("{\(min),\(m)}".utf8))
            }
            return true
        default:
            return false
        }
    }

    /// Letters and digits stay readable; every other byte becomes `\xHH`, which is literal in any context.
    private func appendEscaped(_ b: UInt8, to out: inout [UInt8]) {
        let isAlnum = (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
        if isAlnum {
            out.append(b)
        } else {
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]])
        }
    }

    /// A class listing the set as ranges of `\xHH` bytes.
    private func appendClass(_ set: ByteSet, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        var b = 0
        while b < 256 {
            guard set.contains(UInt8(b)) else { b += 1; continue }
            var e = b
            while e + 1 < 256 && set.contains(UInt8(e + 1)) { e += 1 }
            appendHex(UInt8(b), to: &out)
            if e > b {
                out.append(UInt8(ascii: "-"))
                appendHex(UInt8(e), to: &out)
            }
            b = e + 1
        }
        out.append(UInt8(ascii: "]"))
    }

    private func appendHex(_ b: UInt8, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]])
    }
}
