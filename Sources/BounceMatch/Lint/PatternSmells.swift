import BounceRules

/// Suspicious pattern syntax: patterns that compile but almost certainly do not mean what their author
/// wanted (docs/LINT.md lists each with a real example).
public enum PatternSmells {
    /// Every smell of one rule's pattern, as `(kind, message, suggestion)`.
    public static func find(_ rule: Rule) -> [(LintFinding.Kind, String, String?)] {
        guard let kind = rule.kind else { return [] }
        let p = rule.pattern
        var out: [(LintFinding.Kind, String, String?)] = []
        if p.isEmpty || (kind == .regex && stripLeadingFlags(p).isEmpty) {
            out.append((.emptyPattern, "empty pattern: it matches every reply", nil))
            return out
        }
        if let t = typographic(p) {
            out.append((.typographicCharacter, "pattern contains the typographic character \(t.name) (U+\(t.code)); SMTP replies are ASCII and use '\(t.ascii)'", nil))
        }
        let literalView = kind == .regex ? unescapedLiteralView(p) : p
        if let marker = continuationMarker(literalView) {
            out.append((.continuationMarker, "pattern contains the multi-line continuation marker '\(marker)'; replies are normalized to one line with '\(marker.replacing("-", with: " "))' (docs/REPLIES.md), so this never matches a multi-line reply", nil))
        }
        guard kind == .regex else { return out }
        for tag in bracketedTags(p) {
            out.append((.bracketedTag, "'[\(tag)]' is a character class matching one of \(tag.count) characters, not the tag [\(tag)]", "\\[\(tag)\\]"))
        }
        for m in missingBackslashes(p) {
            out.append((.missingBackslash, "'\(m)' matches the letter '\(m.first!)' repeated; '\\\(m)' was probably meant", "\\\(m)"))
        }
        if let d = unescapedDotInCode(p) {
            out.append((.unescapedDot, "'\(d)' has unescaped '.', which matches any byte; write '\(d.replacing(".", with: "\\."))'", d.replacing(".", with: "\\.")))
        }
        for g in literalGroups(p) {
            out.append((.unescapedParentheses, "'(\(g))' is a group, so the parentheses themselves are not matched; the reply text has literal parentheses", "\\(\(g)\\)"))
        }
        let dotStar = pointlessDotStar(p)
        if let d = dotStar {
            out.append((.pointlessDotStar, "\(d) '.*' adds nothing to an unanchored search and slows some engines", nil))
        }
        return out
    }

    static func stripLeadingFlags(_ p: [UInt8]) -> ArraySlice<UInt8> {
        var s = p[...]
        while s.starts(with: "(?".utf8), let close = s.firstIndex(of: UInt8(ascii: ")")),
              s[(s.startIndex + 2)..<close].allSatisfy({ b in b == UInt8(ascii: "-") || "imsxn".utf8.contains(b) }) {
            s = s[(close + 1)...]
        }
        return s
    }

    static let typographicTable: [(bytes: [UInt8], name: String, code: String, ascii: String)] = [
        (Array("\u{2013}".utf8), "en dash", "2013", "-"), (Array("\u{2014}".utf8), "em dash", "2014", "-"),
        (Array("\u{2018}".utf8), "left single quote", "2018", "'"), (Array("\u{2019}".utf8), "right single quote", "2019", "'"),
        (Array("\u{201C}".utf8), "left double quote", "201C", "\""), (Array("\u{201D}".utf8), "right double quote", "201D", "\""),
        (Array("\u{00A0}".utf8), "no-break space", "00A0", " "),
    ]

    static func typographic(_ p: [UInt8]) -> (name: String, code: String, ascii: String)? {
        for t in typographicTable where ShadowAnalysis.contains(p, t.bytes) { return (t.name, t.code, t.ascii) }
        return nil
    }

    /// The regex with `\.` `\-` `\ ` turned into their literal bytes, other escapes kept, for literal-shape checks.
    static func unescapedLiteralView(_ p: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < p.count {
            if p[i] == UInt8(ascii: "\\"), i + 1 < p.count, ".- ".utf8.contains(p[i + 1]) {
                out.append(p[i + 1])
                i += 2
                continue
            }
            out.append(p[i])
            i += 1
        }
        return out
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || ShadowAnalysis.isLetter(b) }

    /// `550-5.7.1`: three digits (2-5 first), `-`, then an enhanced code's `d.`.
    static func continuationMarker(_ p: [UInt8]) -> String? {
        guard p.count >= 6 else { return nil }
        for s in 0...(p.count - 6) {
            let w = p[s..<(s + 6)]
            let b = Array(w)
            guard b[0] >= 0x32, b[0] <= 0x35, isDigit(b[1]), isDigit(b[2]), b[3] == UInt8(ascii: "-"),
                  b[4] >= 0x32, b[4] <= 0x35, b[5] == UInt8(ascii: ".") else { continue }
            if s > 0 && (isAlnum(p[s - 1]) || p[s - 1] == UInt8(ascii: "\\")) { continue }
            return String(decoding: b[0..<5], as: UTF8.self)
        }
        return nil
    }

    /// Character classes like `[TS01]`: three or more characters, all letters/digits (escaped backslashes
    /// aside), with both an upper-case letter and a digit, or four upper-case letters.
    static func bracketedTags(_ p: [UInt8]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < p.count {
            if p[i] == UInt8(ascii: "\\") { i += 2; continue }
            guard p[i] == UInt8(ascii: "[") else { i += 1; continue }
            var j = i + 1
            var content: [UInt8] = []
            var plain = true
            while j < p.count, p[j] != UInt8(ascii: "]") || j == i + 1 {
                if p[j] == UInt8(ascii: "\\"), j + 1 < p.count {
                    if p[j + 1] != UInt8(ascii: "\\") && p[j + 1] != UInt8(ascii: "]") { plain = false }
                    j += 2
                    continue
                }
                if !isAlnum(p[j]) { plain = false }
                content.append(p[j])
                j += 1
            }
            let upper = content.filter { $0 >= 0x41 && $0 <= 0x5A }.count
            let digits = content.filter(isDigit).count
            if plain, j < p.count, content.count >= 3, (upper > 0 && digits > 0) || upper >= 4, upper + digits == content.count {
                out.append(String(decoding: content, as: UTF8.self))
            }
            i = j + 1
        }
        return out
    }

    /// `d+`, `s*`, `w{2}` not preceded by a backslash or a word byte.
    static func missingBackslashes(_ p: [UInt8]) -> [String] {
        var out: [String] = []
        var inClass = false
        var i = 0
        while i < p.count {
            let b = p[i]
            if b == UInt8(ascii: "\\") { i += 2; continue }
            if b == UInt8(ascii: "[") { inClass = true } else if b == UInt8(ascii: "]") { inClass = false }
            if !inClass, "dsw".utf8.contains(b), i + 1 < p.count, "+*{".utf8.contains(p[i + 1]),
               i == 0 || " \t(|^".utf8.contains(p[i - 1]) {
                if p[i + 1] != UInt8(ascii: "{") || (i + 2 < p.count && isDigit(p[i + 2])) {
                    out.append(String(decoding: p[i...(i + 1)], as: UTF8.self))
                }
            }
            i += 1
        }
        return out
    }

    /// An enhanced code written with bare dots, `5.7.1`.
    static func unescapedDotInCode(_ p: [UInt8]) -> String? {
        guard p.count >= 5 else { return nil }
        var i = 0
        while i + 4 < p.count {
            if p[i] == UInt8(ascii: "\\") { i += 2; continue }
            if p[i] >= 0x32, p[i] <= 0x35, p[i + 1] == UInt8(ascii: "."), isDigit(p[i + 2]),
               i == 0 || !(isAlnum(p[i - 1]) || p[i - 1] == UInt8(ascii: ".")) {
                var j = i + 2
                while j < p.count, isDigit(p[j]) { j += 1 }
                if j + 1 < p.count, p[j] == UInt8(ascii: "."), isDigit(p[j + 1]) {
                    var k = j + 1
                    while k < p.count, isDigit(p[k]) { k += 1 }
                    return String(decoding: p[i..<k], as: UTF8.self)
                }
            }
            i += 1
        }
        return nil
    }

    /// Capture groups whose content is plain text (letters, digits, spaces, escaped dots) and that are not
    /// quantified: `(554\.30)`, `(mailbox for user is full)` — text copied from a reply with its parentheses.
    static func literalGroups(_ p: [UInt8]) -> [String] {
        var out: [String] = []
        var i = 0
        var inClass = false
        while i < p.count {
            let b = p[i]
            if b == UInt8(ascii: "\\") { i += 2; continue }
            if b == UInt8(ascii: "[") { inClass = true } else if b == UInt8(ascii: "]") { inClass = false }
            guard !inClass, b == UInt8(ascii: "("), i + 1 < p.count, p[i + 1] != UInt8(ascii: "?") else { i += 1; continue }
            var j = i + 1
            var plain = true
            var hasSpaceOrDot = false
            while j < p.count, p[j] != UInt8(ascii: ")") {
                if p[j] == UInt8(ascii: "\\"), j + 1 < p.count {
                    if p[j + 1] == UInt8(ascii: ".") { hasSpaceOrDot = true } else { plain = false }
                    j += 2
                    continue
                }
                if p[j] == UInt8(ascii: " ") || p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: ",") { hasSpaceOrDot = true } else if !isAlnum(p[j]) { plain = false }
                j += 1
            }
            let quantified = j + 1 < p.count && "*+?{".utf8.contains(p[j + 1])
            if plain, j < p.count, j > i + 1, hasSpaceOrDot, !quantified {
                out.append(String(decoding: p[(i + 1)..<j], as: UTF8.self))
            }
            i = j + 1
        }
        return out
    }

    /// "a leading" / "a trailing" when the regex starts (after inline flags) or ends with a bare `.*`.
    static func pointlessDotStar(_ p: [UInt8]) -> String? {
        let body = stripLeadingFlags(p)
        if body.starts(with: ".*".utf8) { return "a leading" }
        if p.count >= 2, p.suffix(2).elementsEqual(".*".utf8) {
            var slashes = 0
            var k = p.count - 3
            while k >= 0, p[k] == UInt8(ascii: "\\") { slashes += 1; k -= 1 }
            if slashes % 2 == 0 { return "a trailing" }
        }
        return nil
    }
}
