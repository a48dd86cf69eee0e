import BounceRules
import RegexSyntax

/// Delta debugging: shrinks a failing case while the failure persists.
public enum Minimizer {
    /// ddmin over a list: removes ever smaller chunks while `fails` still holds. `fails(items)` must hold.
    public static func minimize<T>(_ items: [T], budget: Int = 2_000, fails: ([T]) -> Bool) -> [T] {
        var current = items
        var chunks = 2
        var calls = 0
        while current.count >= 1 && calls < budget {
            let size = max(1, current.count / chunks)
            var reduced = false
            var start = 0
            while start < current.count && calls < budget {
                var candidate = current
                candidate.removeSubrange(start..<min(start + size, candidate.count))
                calls += 1
                if fails(candidate) {
                    current = candidate
                    reduced = true
                } else {
                    start += size
                }
            }
            if reduced { chunks = max(chunks - 1, 2); continue }
            if size == 1 { break }
            chunks = min(chunks * 2, current.count)
        }
        return current
    }

    /// Every tree one step smaller than `node`: a subtree replaced by one of its children or by nothing,
    /// an item or branch dropped, a repetition bound lowered.
    public static func smallerTrees(_ node: RegexNode) -> [RegexNode] {
        var out: [RegexNode] = []
        switch node {
        case .empty, .assertion, .backreference, .opaque:
            if node != .empty { out.append(.empty) }
        case .byte(let b, let caseless):
            out.append(.empty)
            if caseless { out.append(.byte(b, caseless: false)) }
        case .set(let s):
            out.append(.empty)
            if let m = s.members.first { out.append(.byte(m, caseless: false)) }
        case .concat(let items):
            for i in items.indices {
                var c = items; c.remove(at: i); out.append(c.count == 1 ? c[0] : .concat(c))
            }
            for i in items.indices {
                for s in smallerTrees(items[i]) { var c = items; c[i] = s; out.append(.concat(c)) }
            }
        case .alternation(let bs):
            out += bs
            for i in bs.indices where bs.count > 2 { var c = bs; c.remove(at: i); out.append(.alternation(c)) }
            for i in bs.indices {
                for s in smallerTrees(bs[i]) { var c = bs; c[i] = s; out.append(.alternation(c)) }
            }
        case .group(let inner, let capture):
            out.append(inner)
            if capture != nil { out.append(.group(inner, capture: nil)) }
            out += smallerTrees(inner).map { .group($0, capture: capture) }
        case .repetition(let inner, let lo, let hi, let kind):
            out.append(inner)
            out.append(.empty)
            if lo > 0 { out.append(.repetition(inner, min: lo - 1, max: hi, kind: kind)) }
            if let hi, hi > max(lo, 1) { out.append(.repetition(inner, min: lo, max: hi - 1, kind: kind)) }
            if kind != .greedy { out.append(.repetition(inner, min: lo, max: hi, kind: .greedy)) }
            out += smallerTrees(inner).map { .repetition($0, min: lo, max: hi, kind: kind) }
        case .look(let inner, let behind, let negated):
            out.append(.empty)
            out.append(inner)
            out += smallerTrees(inner).map { .look($0, behind: behind, negated: negated) }
        case .atomic(let inner):
            out.append(inner)
            out += smallerTrees(inner).map { .atomic($0) }
        }
        return out
    }

    /// Greedy descent: takes the first smaller tree that still fails, until none does.
    public static func minimize(tree: RegexNode, budget: Int = 2_000, fails: (RegexNode) -> Bool) -> RegexNode {
        var current = tree
        var calls = 0
        var progress = true
        while progress && calls < budget {
            progress = false
            for candidate in smallerTrees(current) {
                calls += 1
                if calls >= budget { break }
                if fails(candidate) {
                    current = candidate
                    progress = true
                    break
                }
            }
        }
        return current
    }
}

/// A failing differential case: rules, one reply, the failure.
public struct FuzzCase: Sendable {
    public var rules: [Rule]
    public var reply: Reply
    public var failure: FuzzFailure
    /// The backends that are compared (naive and the failing one are enough).
    public var backends: [BackendDescriptor]

    public init(rules: [Rule], reply: Reply, failure: FuzzFailure, backends: [BackendDescriptor] = Backends.all) {
        self.rules = rules
        self.reply = reply
        self.failure = failure
        self.backends = backends
    }

    /// Shrinks rules (count, conditions, continue flags, patterns: regexes as ASTs, literals as bytes) and the
    /// reply (line bytes, context) while a failure of the same kind on the same backend persists.
    public func minimized(budget: Int = 3_000) -> FuzzCase {
        var best = self
        var calls = 0
        func check(_ rules: [Rule], _ reply: Reply) -> FuzzFailure? {
            calls += 1
            return DifferentialOracle.failure(rules: rules, reply: reply, like: failure, backends: backends)
        }
        func fails(_ rules: [Rule], _ reply: Reply) -> Bool {
            guard calls < budget, let f = check(rules, reply) else { return false }
            best.failure = f
            return true
        }
        for _ in 0..<4 {
            let before = (best.rules.count, best.rules.map(\.pattern.count).reduce(0, +), best.reply.line.count)
            best.rules = Minimizer.minimize(best.rules, budget: budget / 4) { fails($0, best.reply) }
            for i in best.rules.indices {
                var r = best.rules
                if !r[i].conditions.isEmpty {
                    r[i].conditions = RuleConditions()
                    if fails(r, best.reply) { best.rules = r }
                }
                r = best.rules
                if r[i].continues {
                    r[i].continues = false
                    if fails(r, best.reply) { best.rules = r }
                }
                best.rules[i] = shrinkPattern(best.rules, i) { fails($0, best.reply) }
            }
            let reply = best.reply
            let line = Minimizer.minimize(reply.line, budget: budget / 4) { bytes in
                fails(best.rules, Self.reply(reply, line: bytes))
            }
            best.reply = Self.reply(reply, line: line)
            var bare = best.reply
            bare.context = ReplyContext()
            if fails(best.rules, bare) { best.reply = bare }
            let after = (best.rules.count, best.rules.map(\.pattern.count).reduce(0, +), best.reply.line.count)
            if after == before || calls >= budget { break }
        }
        return best
    }

    /// `reply` with a new line, its text start clamped into it.
    static func reply(_ reply: Reply, line: [UInt8]) -> Reply {
        var r = reply
        r.line = line
        r.textStart = min(r.textStart, line.count)
        return r
    }

    func shrinkPattern(_ rules: [Rule], _ i: Int, fails: ([Rule]) -> Bool) -> Rule {
        var rule = rules[i]
        guard let kind = rule.kind else { return rule }
        func with(_ pattern: [UInt8]) -> [Rule] {
            var r = rules
            r[i].pattern = pattern
            return r
        }
        if kind == .regex, let parsed = try? RegexParser.parse(rule.pattern, options: RegexOptions(caseInsensitive: rule.caseInsensitive)) {
            // Printed trees carry their own case folding, so the rule itself goes case-sensitive.
            var r = rules
            r[i].caseInsensitive = false
            let tree = Minimizer.minimize(tree: parsed.root, budget: 400) { t in
                let p = t.printed(for: .pcre2)
                r[i].pattern = p
                return !p.isEmpty && fails(r)
            }
            let printed = tree.printed(for: .pcre2)
            r[i].pattern = printed
            if !printed.isEmpty, printed.count < rule.pattern.count || tree != parsed.root, fails(r) { rule = r[i] }
            return rule
        }
        let bytes = Minimizer.minimize(rule.pattern, budget: 300) { p in !p.isEmpty && fails(with(p)) }
        if !bytes.isEmpty { rule.pattern = bytes }
        return rule
    }
}

extension FuzzCase {
    /// A reproduction as text: the failure, each rule (kind, case mode, target, flags, pattern) and the reply.
    public var reproduction: String {
        var out = "failure: \(failure)\n"
        for (i, r) in rules.enumerated() {
            var facts = ["\(r.kind?.rawValue ?? "any")", r.caseInsensitive ? "caseless" : "case-sensitive", "target=\(r.target.rawValue)"]
            if r.continues { facts.append("continue") }
            if !r.conditions.isEmpty { facts.append("conditions=\(r.conditions)") }
            out += "rule \(i): \(facts.joined(separator: " ")) pattern=\(FuzzText.escaped(r.pattern))\n"
        }
        out += "reply: line=\(FuzzText.escaped(reply.line)) textStart=\(reply.textStart) code=\(reply.code.map(String.init) ?? "nil")"
        out += " enhanced=\(reply.enhanced?.description ?? "nil") transport=\(reply.isTransportEvent)\n"
        return out
    }
}

/// Byte strings shown as Swift-like literals: printable ASCII as is, everything else `\xHH`.
public enum FuzzText {
    public static func escaped(_ bytes: some Sequence<UInt8>) -> String {
        var s = "\""
        for b in bytes {
            switch b {
            case 0x22: s += "\\\""
            case 0x5C: s += "\\\\"
            case 0x20...0x7E: s.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16)
                s += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return s + "\""
    }
}
