import BounceRules
import RegexSyntax

/// Exact shadowing facts for literal and glob rules: no sampling, a proof from the patterns alone.
enum LiteralShadowing {
    /// True when every reply that `later` matches (conditions included) is also matched by `earlier`.
    static func covers(_ earlier: Rule, _ later: Rule) -> Bool {
        guard implies(later.conditions, earlier.conditions) else { return false }
        guard let ek = earlier.kind else { return true }
        guard let lk = later.kind, lk != .regex else { return false }
        // A caseless later rule matches case variants a case-sensitive earlier rule may miss.
        let fold = earlier.caseInsensitive
        if !earlier.caseInsensitive && later.caseInsensitive && earlier.pattern.contains(where: isLetter) { return false }
        func norm(_ b: [UInt8]) -> [UInt8] { fold ? b.map(asciiLowercase) : b }
        // `earlier` on the line sees everything `later` sees on the text; the reverse is not guaranteed.
        let targetOK = earlier.target == later.target || earlier.target == .line
        guard targetOK else { return false }
        switch (ek, lk) {
        case (.substring, .substring), (.substring, .exact):
            return contains(norm(later.pattern), norm(earlier.pattern))
        case (.substring, .wildcard):
            // Every match of the glob holds each of its literal segments.
            return globSegments(later.pattern).contains { contains(norm($0), norm(earlier.pattern)) }
        case (.exact, .exact):
            return earlier.target == later.target && norm(earlier.pattern) == norm(later.pattern)
        case (.wildcard, .exact):
            guard earlier.target == later.target, let glob = try? RegexNode.glob(earlier.pattern, caseless: fold) else { return false }
            let re = NaiveRegex(glob, captureCount: 0)
            if case .match = re.firstMatchSpan(in: later.pattern) { return true }
            return false
        default:
            return false
        }
    }

    static func isLetter(_ b: UInt8) -> Bool { ((b | 0x20) &- 0x61) < 26 }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard hay.count >= needle.count else { return false }
        for s in 0...(hay.count - needle.count) where hay[s..<(s + needle.count)].elementsEqual(needle) { return true }
        return false
    }

    /// The literal runs of a glob between `*` and `?`, escapes resolved.
    static func globSegments(_ g: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = [], cur: [UInt8] = []
        var i = 0
        while i < g.count {
            let b = g[i]
            if b == UInt8(ascii: "\\"), i + 1 < g.count { cur.append(g[i + 1]); i += 2; continue }
            if b == UInt8(ascii: "*") || b == UInt8(ascii: "?") {
                if !cur.isEmpty { out.append(cur) }
                cur = []
            } else {
                cur.append(b)
            }
            i += 1
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// True when `a` holding means `b` holds (each condition of `b` is implied by the same field of `a`).
    static func implies(_ a: RuleConditions, _ b: RuleConditions) -> Bool {
        if b.isEmpty { return true }
        if b.transportOnly && !a.transportOnly { return false }
        if b.recipientErrorOnly && !a.recipientErrorOnly { return false }
        if !b.codes.isEmpty {
            guard !a.codes.isEmpty, a.codes.allSatisfy({ ac in b.codes.contains { covers($0, ac) } }) else { return false }
        }
        if !b.enhancedCodes.isEmpty {
            guard !a.enhancedCodes.isEmpty, a.enhancedCodes.allSatisfy({ ae in b.enhancedCodes.contains { covers($0, ae) } }) else { return false }
        }
        if !b.domains.isEmpty {
            guard !a.domains.isEmpty, a.domains.allSatisfy({ ad in
                b.domains.contains { bd in bd == ad || (bd.includesSubdomains && !ad.includesSubdomains && bd.matches(ad.domain)) }
            }) else { return false }
        }
        if !b.ips.isEmpty {
            guard !a.ips.isEmpty, a.ips.allSatisfy({ ar in
                b.ips.contains { br in br.prefixLength <= ar.prefixLength && br.contains(ar.network) }
            }) else { return false }
        }
        if !b.phases.isEmpty {
            guard !a.phases.isEmpty, a.phases.allSatisfy({ b.phases.contains($0) }) else { return false }
        }
        return true
    }

    static func covers(_ wide: CodePattern, _ narrow: CodePattern) -> Bool {
        func ok(_ w: UInt8?, _ n: UInt8?) -> Bool { w == nil || w == n }
        return ok(wide.digits.0, narrow.digits.0) && ok(wide.digits.1, narrow.digits.1) && ok(wide.digits.2, narrow.digits.2)
    }

    static func covers(_ wide: EnhancedCodePattern, _ narrow: EnhancedCodePattern) -> Bool {
        func ok(_ w: UInt16?, _ n: UInt16?) -> Bool { w == nil || w == n }
        return ok(wide.klass, narrow.klass) && ok(wide.subject, narrow.subject) && ok(wide.detail, narrow.detail)
    }
}

/// Replies that a given rule matches, built from samples of its AST with a reply that satisfies its conditions.
enum RuleSampler {
    static func replies<R: RandomNumberGenerator>(
        for index: Int, in ruleSet: RuleSet, naive: NaiveMatcher, count: Int, using rng: inout R
    ) -> (replies: [Reply], sampleable: Bool) {
        let rule = ruleSet.rules[index]
        let scratch = naive.makeScratch()
        var out: [Reply] = []
        var sampleable = false
        for _ in 0..<(count * 2) where out.count < count {
            let body: [UInt8]
            if let p = ruleSet.patterns[index] {
                guard let s = p.regex.root.sampleMatch(using: &rng) else { continue }
                // Text after the match half the time: a sample ending where the pattern ends would make an
                // earlier `...$` rule look like it shadows this one.
                body = realisticCode(s, using: &rng) + (rng.chance(50) ? Array(" - please retry".utf8) : [])
            } else {
                body = Array(rng.pick(["mailbox unavailable", "user unknown", "blocked"]).utf8)
            }
            sampleable = true
            for candidate in candidates(rule, body, using: &rng) where rule.conditions.hold(for: candidate) {
                if case .match = naive.search(rule: index, in: candidate, scratch: scratch) {
                    out.append(candidate)
                    break
                }
            }
        }
        return (out, sampleable)
    }

    /// Replies carrying `body` whose code, enhanced code and context satisfy the rule's conditions.
    static func candidates<R: RandomNumberGenerator>(_ rule: Rule, _ body: [UInt8], using rng: inout R) -> [Reply] {
        let c = rule.conditions
        var ctx = ReplyContext()
        if let d = c.domains.first { ctx.recipientDomain = d.includesSubdomains && rng.chance(50) ? Array("mx.".utf8) + d.domain : d.domain }
        if let r = c.ips.first { ctx.sendingIP = r.network }
        ctx.phase = c.recipientErrorOnly ? .rcpt : (c.phases.first ?? (rng.chance(50) ? .rcpt : nil))
        if c.transportOnly {
            return [Reply(line: body, textStart: 0, context: ctx, isTransportEvent: true)]
        }
        var code: UInt16 = 550
        if let p = c.codes.first {
            code = UInt16(p.digits.0 ?? 5) * 100 + UInt16(p.digits.1 ?? 5) * 10 + UInt16(p.digits.2 ?? 0)
        }
        // x.0.0 ("other undefined status") so the prefix itself says as little as possible.
        var enhanced = EnhancedCode(code >= 500 ? 5 : 4, 0, 0)
        if let e = c.enhancedCodes.first {
            enhanced = EnhancedCode(e.klass ?? enhanced.klass, e.subject ?? 0, e.detail ?? 0)
        }
        let prefix = Array("\(code) \(enhanced) ".utf8)
        let prefixed = Reply(line: prefix + body, textStart: prefix.count, code: code, enhanced: enhanced, context: ctx)
        var bare = Reply(line: body, textStart: 0, code: code, enhanced: enhanced, context: ctx)
        if let parsed = Optional(Reply(parsing: body, context: ctx)), parsed.code != nil {
            bare.textStart = parsed.textStart
            bare.code = c.codes.isEmpty ? parsed.code : code
            bare.enhanced = c.enhancedCodes.isEmpty ? parsed.enhanced : enhanced
        }
        // The sample alone first: it is what the rule's author wrote; the prefix only helps text-target rules.
        return [bare, prefixed]
    }

    /// A sample that starts with a reply code gets a common code half the time (`5\d{2}` samples `550`
    /// rarely), so overlaps on real codes show up.
    static func realisticCode<R: RandomNumberGenerator>(_ s: [UInt8], using rng: inout R) -> [UInt8] {
        guard s.count >= 3, (0x32...0x35).contains(s[0]), (0x30...0x39).contains(s[1]), (0x30...0x39).contains(s[2]),
              rng.chance(50) else { return s }
        return Array(rng.pick(["550", "554", "552", "553", "450", "451", "452", "421"]).utf8) + s[3...]
    }
}
