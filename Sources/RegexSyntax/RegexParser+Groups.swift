/// Everything that starts with `(`: groups, lookaround, inline flags, verbs, conditionals, calls.
extension RegexParserState {
    mutating func parseGroup() throws(RegexSyntaxError) -> Atom {
        let start = pos
        if depth >= RegexParser.maxNestingDepth { throw error(start, "parentheses are too deeply nested") }
        pos += 1
        if peek() == UInt8(ascii: "*") {
            if let c = peek(1), RegexParserState.isLetter(c) || c == UInt8(ascii: ":") {
                return try parseVerb(start: start)
            }
            // `(*` followed by anything else is a group starting with a quantifier.
        }
        guard peek() == UInt8(ascii: "?") else {
            if flags.noAutoCapture { return .one(.group(try parseGroupBody(start: start), capture: nil), repeatable: true) }
            captureCount += 1
            let n = captureCount
            return .one(.group(try parseGroupBody(start: start), capture: n), repeatable: true)
        }
        pos += 1
        guard let c = peek() else { throw error(pos, "missing closing parenthesis") }
        switch c {
        case UInt8(ascii: ":"):
            pos += 1
            return .one(.group(try parseGroupBody(start: start), capture: nil), repeatable: true)
        case UInt8(ascii: "|"):
            pos += 1
            return .one(.group(try parseBranchReset(start: start), capture: nil), repeatable: true)
        case UInt8(ascii: ">"):
            pos += 1
            record(.atomicGroup, at: start)
            return .one(.atomic(try parseGroupBody(start: start)), repeatable: true)
        case UInt8(ascii: "="), UInt8(ascii: "!"):
            pos += 1
            return .one(try parseLook(start: start, behind: false, negated: c == UInt8(ascii: "!")), repeatable: true)
        case UInt8(ascii: "*"):
            // `(?*...)`: non-atomic positive lookahead (PCRE2 10.34+); no project engine models it.
            pos += 1
            return .one(try parseOpaqueGroup(.lookahead, start: start), repeatable: true)
        case UInt8(ascii: "<"):
            pos += 1
            switch peek() {
            case UInt8(ascii: "=")?, UInt8(ascii: "!")?:
                let neg = peek() == UInt8(ascii: "!")
                pos += 1
                return .one(try parseLook(start: start, behind: true, negated: neg), repeatable: true)
            case UInt8(ascii: "*")?:
                pos += 1
                return .one(try parseOpaqueGroup(.lookbehind, start: start), repeatable: true)
            default:
                return .one(try parseNamedGroup(start: start, terminator: UInt8(ascii: ">")), repeatable: true)
            }
        case UInt8(ascii: "'"):
            pos += 1
            return .one(try parseNamedGroup(start: start, terminator: UInt8(ascii: "'")), repeatable: true)
        case UInt8(ascii: "P"):
            pos += 1
            switch peek() {
            case UInt8(ascii: "<")?:
                pos += 1
                return .one(try parseNamedGroup(start: start, terminator: UInt8(ascii: ">")), repeatable: true)
            case UInt8(ascii: "=")?:
                pos += 1
                let name = try parseName(terminator: UInt8(ascii: ")"))
                return .one(backreference(toName: name, at: start), repeatable: true)
            case UInt8(ascii: ">")?:
                pos += 1
                try parseRecursionTarget(terminator: UInt8(ascii: ")"), start: start)
                record(.recursion, at: start)
                return .one(opaqueNode(.recursion, from: start), repeatable: true)
            default:
                throw error(pos, "unrecognized character after (?P")
            }
        case UInt8(ascii: "&"):
            pos += 1
            let name = try parseName(terminator: UInt8(ascii: ")"))
            references.append(PendingReference(target: .name(name), column: start + 1))
            record(.recursion, at: start)
            return .one(opaqueNode(.recursion, from: start), repeatable: true)
        case UInt8(ascii: "R"):
            pos += 1
            guard peek() == UInt8(ascii: ")") else { throw error(pos, "(?R (recursive pattern call) must be followed by )") }
            pos += 1
            record(.recursion, at: start)
            return .one(opaqueNode(.recursion, from: start), repeatable: true)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"):
            try parseRecursionTarget(terminator: UInt8(ascii: ")"), start: start)
            record(.recursion, at: start)
            return .one(opaqueNode(.recursion, from: start), repeatable: true)
        case UInt8(ascii: "-"):
            if let d = peek(1), RegexParserState.isDigit(d) {
                try parseRecursionTarget(terminator: UInt8(ascii: ")"), start: start)
                record(.recursion, at: start)
                return .one(opaqueNode(.recursion, from: start), repeatable: true)
            }
            return try parseOptionSetting(start: start)
        case UInt8(ascii: "("):
            return .one(try parseConditional(start: start), repeatable: true)
        case UInt8(ascii: "C"):
            pos += 1
            try parseCalloutArgument()
            record(.callout, at: start)
            return .one(opaqueNode(.callout, from: start), repeatable: false)
        default:
            return try parseOptionSetting(start: start)
        }
    }

    /// The alternation inside a group and its `)`; flags set inside end with the group.
    mutating func parseGroupBody(start: Int) throws(RegexSyntaxError) -> RegexNode {
        let saved = flags
        depth += 1
        let body = try parseAlternation()
        depth -= 1
        flags = saved
        guard peek() == UInt8(ascii: ")") else { throw error(pos, "missing closing parenthesis") }
        pos += 1
        return body
    }

    mutating func parseLook(start: Int, behind: Bool, negated: Bool) throws(RegexSyntaxError) -> RegexNode {
        record(behind ? .lookbehind : .lookahead, at: start)
        lookaroundDepth += 1
        let body = try parseGroupBody(start: start)
        lookaroundDepth -= 1
        let node = RegexNode.look(body, behind: behind, negated: negated)
        if behind { lookbehinds.append((body, start + 1)) }
        return node
    }

    /// A group whose meaning no project engine models: parsed for validity, kept as its source.
    mutating func parseOpaqueGroup(_ c: PCREOnlyConstruct, start: Int) throws(RegexSyntaxError) -> RegexNode {
        record(c, at: start)
        let outer = flags
        _ = try parseGroupBody(start: start)
        flags = outer
        return opaqueNode(c, from: start)
    }

    /// `(?|...)`: each alternative numbers its groups from the same start; the AST keeps those numbers.
    mutating func parseBranchReset(start: Int) throws(RegexSyntaxError) -> RegexNode {
        let saved = flags
        depth += 1
        let base = captureCount
        var highest = base
        var branches: [RegexNode] = []
        while true {
            captureCount = base
            branches.append(try parseBranch())
            highest = max(highest, captureCount)
            if peek() == UInt8(ascii: "|") { pos += 1; continue }
            break
        }
        captureCount = highest
        depth -= 1
        flags = saved
        guard peek() == UInt8(ascii: ")") else { throw error(pos, "missing closing parenthesis") }
        pos += 1
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseNamedGroup(start: Int, terminator: UInt8) throws(RegexSyntaxError) -> RegexNode {
        let nameStart = pos
        let name = try parseName(terminator: terminator)
        captureCount += 1
        let n = captureCount
        if let existing = names[name], existing != n, !flags.dupNames {
            throw error(nameStart, "two named subpatterns have the same name (PCRE2_DUPNAMES not set)")
        }
        if names[name] == nil { names[name] = n }
        return .group(try parseGroupBody(start: start), capture: n)
    }

    /// `(?imnsxUJ-imnsxUJ)` or `(?flags:...)`; also `(?^...)`.
    mutating func parseOptionSetting(start: Int) throws(RegexSyntaxError) -> Atom {
        var newFlags = flags
        var negate = false
        if peek() == UInt8(ascii: "^") {
            pos += 1
            newFlags.caseless = false; newFlags.multiline = false; newFlags.noAutoCapture = false
            newFlags.dotAll = false; newFlags.extended = false; newFlags.extendedMore = false
        }
        while let c = peek() {
            switch c {
            case UInt8(ascii: ")"):
                pos += 1
                flags = newFlags
                return .none
            case UInt8(ascii: ":"):
                pos += 1
                let outer = flags
                flags = newFlags
                let body = try parseGroupBody(start: start)
                flags = outer
                return .one(.group(body, capture: nil), repeatable: true)
            case UInt8(ascii: "-"):
                if negate || src[pos - 1] == UInt8(ascii: "^") { throw error(pos, "invalid hyphen in option setting") }
                negate = true
            case UInt8(ascii: "i"): newFlags.caseless = !negate
            case UInt8(ascii: "m"): newFlags.multiline = !negate
            case UInt8(ascii: "s"): newFlags.dotAll = !negate
            case UInt8(ascii: "n"): newFlags.noAutoCapture = !negate
            case UInt8(ascii: "U"): newFlags.ungreedy = !negate
            case UInt8(ascii: "J"): newFlags.dupNames = !negate
            case UInt8(ascii: "x"):
                if peek(1) == UInt8(ascii: "x") {
                    pos += 1
                    newFlags.extended = !negate
                    newFlags.extendedMore = !negate
                } else {
                    newFlags.extended = !negate
                    if negate { newFlags.extendedMore = false }
                }
            default:
                throw error(pos, "unrecognized character after (? or (?-")
            }
            pos += 1
        }
        throw error(pos, "missing closing parenthesis")
    }

    /// `(*VERB)`, `(*VERB:NAME)`, `(*:NAME)` and the alpha-named assertions such as `(*pla:...)`.
    mutating func parseVerb(start: Int) throws(RegexSyntaxError) -> Atom {
        pos += 1
        let nameStart = pos
        while let c = peek(), RegexParserState.isWordByte(c) { pos += 1 }
        let name = String(decoding: src[nameStart..<pos], as: UTF8.self)
        let hasArg = peek() == UInt8(ascii: ":")
        let alphaGroups: [String: (PCREOnlyConstruct, kind: Int)] = [
            "pla": (.lookahead, 0), "positive_lookahead": (.lookahead, 0),
            "nla": (.lookahead, 1), "negative_lookahead": (.lookahead, 1),
            "plb": (.lookbehind, 2), "positive_lookbehind": (.lookbehind, 2),
            "nlb": (.lookbehind, 3), "negative_lookbehind": (.lookbehind, 3),
            "atomic": (.atomicGroup, 4),
            "napla": (.lookahead, 5), "non_atomic_positive_lookahead": (.lookahead, 5),
            "naplb": (.lookbehind, 5), "non_atomic_positive_lookbehind": (.lookbehind, 5),
            "sr": (.backtrackingVerb, 5), "script_run": (.backtrackingVerb, 5),
            "asr": (.backtrackingVerb, 5), "atomic_script_run": (.backtrackingVerb, 5),
        ]
        if hasArg, let (construct, kind) = alphaGroups[name] {
            pos += 1
            switch kind {
            case 0, 1:
                return .one(try parseLook(start: start, behind: false, negated: kind == 1), repeatable: true)
            case 2, 3:
                return .one(try parseLook(start: start, behind: true, negated: kind == 3), repeatable: true)
            case 4:
                record(.atomicGroup, at: start)
                return .one(.atomic(try parseGroupBody(start: start)), repeatable: true)
            default:
                return .one(try parseOpaqueGroup(construct, start: start), repeatable: true)
            }
        }
        let verbs: Set<String> = ["", "ACCEPT", "FAIL", "F", "COMMIT", "PRUNE", "SKIP", "THEN", "MARK"]
        let startOptions: Set<String> = [
            "UTF", "UTF8", "UCP", "CR", "LF", "CRLF", "ANY", "ANYCRLF", "NUL", "BSR_ANYCRLF", "BSR_UNICODE",
            "NO_AUTO_POSSESS", "NO_DOTSTAR_ANCHOR", "NO_JIT", "NO_START_OPT", "NOTEMPTY", "NOTEMPTY_ATSTART",
            "LIMIT_MATCH", "LIMIT_DEPTH", "LIMIT_HEAP", "LIMIT_RECURSION",
        ]
        if startOptions.contains(name) {
            throw error(start, "start-of-pattern option (*\(name)) is not supported: it changes how the whole pattern is compiled")
        }
        guard verbs.contains(name) else { throw error(nameStart, "(*VERB) not recognized or malformed") }
        if hasArg {
            pos += 1
            let argStart = pos
            while let c = peek(), c != UInt8(ascii: ")") { _ = c; pos += 1 }
            if atEnd { throw error(pos, "missing closing parenthesis for (*VERB) name") }
            if pos == argStart && name.isEmpty { throw error(pos, "(*MARK) must have an argument") }
            if name == "COMMIT" && pos == argStart { throw error(pos, "(*VERB) not recognized or malformed") }
        } else if name == "MARK" || name.isEmpty {
            throw error(pos, "(*MARK) must have an argument")
        }
        guard peek() == UInt8(ascii: ")") else { throw error(pos, "(*VERB) not recognized or malformed") }
        pos += 1
        record(.backtrackingVerb, at: start)
        return .one(opaqueNode(.backtrackingVerb, from: start), repeatable: false)
    }

    /// After `(?C`: nothing, a number 0-255 or a delimited string, then `)`.
    mutating func parseCalloutArgument() throws(RegexSyntaxError) {
        if let c = peek(), RegexParserState.isDigit(c) {
            let s = pos
            var v = 0
            while let d = peek(), RegexParserState.isDigit(d) { v = min(v * 10 + Int(d - 0x30), 100_000); pos += 1 }
            if v > 255 { throw error(s, "number after (?C is greater than 255") }
        } else if let c = peek(), c != UInt8(ascii: ")") {
            let delimiters: [UInt8: UInt8] = [
                UInt8(ascii: "`"): UInt8(ascii: "`"), UInt8(ascii: "'"): UInt8(ascii: "'"),
                UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "^"): UInt8(ascii: "^"),
                UInt8(ascii: "%"): UInt8(ascii: "%"), UInt8(ascii: "#"): UInt8(ascii: "#"),
                UInt8(ascii: "$"): UInt8(ascii: "$"), UInt8(ascii: "{"): UInt8(ascii: "}"),
            ]
            guard let close = delimiters[c] else { throw error(pos, "unrecognized string delimiter follows (?C") }
            let s = pos
            pos += 1
            while true {
                guard let d = peek() else { throw error(s, "missing terminating delimiter for callout with string argument") }
                pos += 1
                if d == close {
                    // A doubled delimiter stands for itself.
                    if peek() == close { pos += 1; continue }
                    break
                }
            }
        }
        guard peek() == UInt8(ascii: ")") else { throw error(pos, "closing parenthesis for (?C expected") }
        pos += 1
    }

    /// `(?(condition)yes|no)`: the condition and both branches are parsed for validity, then kept opaque.
    mutating func parseConditional(start: Int) throws(RegexSyntaxError) -> RegexNode {
        record(.conditional, at: start)
        let outer = flags
        pos += 1 // the `(` of the condition
        let condStart = pos
        if peek() == UInt8(ascii: "?") || peek() == UInt8(ascii: "*") {
            // An assertion (or callout then assertion) condition: parse it as an ordinary group.
            pos = condStart - 1
            if peek(1) == UInt8(ascii: "?"), peek(2) == UInt8(ascii: "C") {
                _ = try parseGroup()
                guard peek() == UInt8(ascii: "("), peek(1) == UInt8(ascii: "?") || peek(1) == UInt8(ascii: "*") else {
                    throw error(pos, "assertion expected after (?( or (?(?C)")
                }
            }
            guard peek(1) == UInt8(ascii: "?") || peek(1) == UInt8(ascii: "*"),
                  let c2 = peek(2), c2 == UInt8(ascii: "=") || c2 == UInt8(ascii: "!") || c2 == UInt8(ascii: "<")
                    || RegexParserState.isLetter(c2) else {
                throw error(pos, "assertion expected after (?( or (?(?C)")
            }
            depth += 1
            _ = try parseGroup()
            depth -= 1
        } else {
            try parseConditionReference()
        }
        depth += 1
        let saved = flags
        _ = try parseBranch()
        var branches = 1
        while peek() == UInt8(ascii: "|") {
            let barPos = pos
            pos += 1
            branches += 1
            if branches > 2 { throw error(barPos, "conditional subpattern contains more than two branches") }
            _ = try parseBranch()
        }
        flags = saved
        depth -= 1
        guard peek() == UInt8(ascii: ")") else { throw error(pos, "missing closing parenthesis") }
        pos += 1
        flags = outer
        return opaqueNode(.conditional, from: start)
    }

    /// The reference inside `(?(...)`: a number, `+n`/`-n`, `<name>`, `'name'`, `R`, `Rn`, `R&name`,
    /// `DEFINE`, `VERSION>=x.y`, or a bare name; consumes the closing `)`.
    mutating func parseConditionReference() throws(RegexSyntaxError) {
        let s = pos
        if startsWith("VERSION", at: pos) {
            pos += 7
            if peek() == UInt8(ascii: ">") { pos += 1 }
            guard peek() == UInt8(ascii: "=") else { throw error(pos, "syntax error or number too big in (?(VERSION condition") }
            pos += 1
            var digits = 0
            while let d = peek(), RegexParserState.isDigit(d) { pos += 1; digits += 1 }
            if peek() == UInt8(ascii: ".") {
                pos += 1
                while let d = peek(), RegexParserState.isDigit(d) { pos += 1; digits += 1 }
            }
            guard digits > 0, peek() == UInt8(ascii: ")") else {
                throw error(pos, "syntax error or number too big in (?(VERSION condition")
            }
            pos += 1
            return
        }
        if let c = peek(), c == UInt8(ascii: "<") || c == UInt8(ascii: "'") {
            pos += 1
            let name = try parseName(terminator: c == UInt8(ascii: "<") ? UInt8(ascii: ">") : UInt8(ascii: "'"))
            references.append(PendingReference(target: .name(name), column: s))
            guard peek() == UInt8(ascii: ")") else { throw error(pos, "malformed number or name after (?(") }
            pos += 1
            return
        }
        if let c = peek(), RegexParserState.isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            try parseRecursionTarget(terminator: UInt8(ascii: ")"), start: s - 1)
            return
        }
        // `R`, `Rn`, `R&name`, `DEFINE` and bare names are all word characters.
        let nameStart = pos
        if peek() == UInt8(ascii: "R"), peek(1) == UInt8(ascii: "&") {
            pos += 2
            let name = try parseName(terminator: UInt8(ascii: ")"))
            references.append(PendingReference(target: .name(name), column: s))
            return
        }
        while let d = peek(), RegexParserState.isWordByte(d) { pos += 1 }
        let word = Array(src[nameStart..<pos])
        guard !word.isEmpty, peek() == UInt8(ascii: ")") else { throw error(pos, "malformed number or name after (?(") }
        pos += 1
        if word == Array("DEFINE".utf8) || word == [UInt8(ascii: "R")] { return }
        if word.first == UInt8(ascii: "R"), word.dropFirst().allSatisfy(RegexParserState.isDigit) {
            var v = 0
            for d in word.dropFirst() { v = min(v * 10 + Int(d - 0x30), 1_000_000) }
            references.append(PendingReference(target: .number(v), column: s))
            return
        }
        if RegexParserState.isDigit(word[0]) { throw error(nameStart, "malformed number or name after (?(") }
        references.append(PendingReference(target: .name(word), column: s))
    }
}
