import BounceRules
import Matching

/// Why a reply got its result: the winning rule, where it matched, and the chain (SPEC §4).
/// Computed once, at the edge, with the naive engine's span search — backends only return indexes.
public struct Explanation: Sendable {
    public var result: MatchResult
    /// The matching rules in index order up to the first without the continue flag.
    public var chain: [Int]
    /// Offsets into `reply.line` of the winning rule's match (leftmost start, end of that match).
    public var span: Range<Int>?
    public var reply: Reply

    /// Explains `reply` with `matcher`'s answer; the span comes from the naive engine.
    public init(reply: Reply, matcher: any Matcher, spans: NaiveMatcher) {
        let scratch = matcher.makeScratch()
        var chain: [Int] = []
        let result = matcher.chain(reply, scratch: scratch, into: &chain)
        self.result = result
        self.chain = chain
        self.reply = reply
        if result.ruleIndex >= 0 {
            span = spans.span(ofRule: result.ruleIndex, in: reply, scratch: spans.makeScratch())
        } else {
            span = nil
        }
    }

    /// One JSON object: index, rule name, label, actions, span, chain, undecided.
    public func jsonLine(ruleSet: RuleSet, replyNumber: Int) -> String {
        var pairs: [(String, String)] = [("reply", String(replyNumber)), ("index", String(result.ruleIndex))]
        if result.ruleIndex >= 0 {
            let rule = ruleSet.rules[result.ruleIndex]
            pairs.append(("rule", JSON.string(rule.name)))
            pairs.append(("label", JSON.string(rule.label)))
            pairs.append(("actions", JSON.object(rule.actions.map { ($0.name, JSON.string($0.value)) })))
            pairs.append(("span", span.map { "[\($0.lowerBound),\($0.upperBound)]" } ?? "null"))
            pairs.append(("matched", span.map { JSON.string(bytes: reply.line[$0]) } ?? "null"))
        }
        pairs.append(("chain", JSON.array(chain.map(String.init))))
        if result.undecided >= 0 { pairs.append(("undecided", String(result.undecided))) }
        return JSON.object(pairs)
    }
}
