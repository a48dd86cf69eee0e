import BounceRules

/// The outcome labels each product knows, so a misspelled bounce category is caught before it silently
/// becomes a category nothing downstream handles.
public enum LabelVocabulary {
    /// PowerMTA's bounce categories (the `bounce-category-patterns` categories and `type=` of a bounce action).
    public static let powerMTACategories = [
        "bad-configuration", "bad-connection", "bad-domain", "bad-mailbox", "content-related", "inactive-mailbox",
        "invalid-sender", "message-expired", "no-answer-from-host", "other", "policy-related", "protocol-errors",
        "quota-issues", "relaying-issues", "routing-errors", "spam-related", "virus-related",
    ]

    /// KumoMTA's `PreDefinedBounceClass` variants (bounce_classify crate).
    public static let kumoMTAClasses = [
        "InvalidRecipient", "DNSFailure", "SpamBlock", "SpamContent", "ProhibitedAttachment", "RelayDenied",
        "AutoReply", "TransientFailure", "Subscribe", "Unsubscribe", "ChallengeResponse", "BadConfiguration",
        "BadConnection", "BadDomain", "ContentRelated", "InactiveMailbox", "InvalidSender", "MessageExpired",
        "NoAnswerFromHost", "PolicyRelated", "ProtocolErrors", "QuotaIssues", "RelayingIssues", "RoutingErrors",
        "SpamRelated", "VirusRelated", "AuthenticationFailed", "TooManyRecipients", "Uncategorized",
    ]

    /// Altcraft bounce types.
    public static let altcraftTypes = ["HB", "SB", "B"]

    /// The labels `rule`'s format allows for this rule, or nil when the format has no fixed set (or the
    /// label is not a category, e.g. a PowerMTA `mode=backoff` rule or a KumoMTA shaping rule).
    public static func known(for rule: Rule) -> [String]? {
        let details = Dictionary(rule.details.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        switch rule.format {
        case "powermta":
            if details["section"] == "bounce-category-patterns" { return powerMTACategories }
            return rule.actions.contains(where: { $0.name == "type" }) ? powerMTACategories : nil
        case "kumomta":
            return details["section"] == "bounce-classifier" ? kumoMTAClasses : nil
        case "altcraft":
            return altcraftTypes
        case "tsv", "native":
            // A rule list copied from KumoMTA's classifier keeps KumoMTA's class names: recognise it by them.
            return nil
        default:
            return nil
        }
    }

    /// The known label nearest to `label`: one that starts with it as a hyphenated word (`spam` →
    /// `spam-related`), else the closest by edit distance when it is close enough to be a typo.
    public static func nearest(_ label: String, in known: [String]) -> String? {
        let l = label.lowercased()
        if let prefixed = known.first(where: { $0.lowercased().hasPrefix(l + "-") || $0.lowercased().hasPrefix(l) && l.count >= 4 }) {
            return prefixed
        }
        var best: (String, Int)?
        for k in known {
            let d = levenshtein(Array(l.utf8), Array(k.lowercased().utf8))
            if best == nil || d < best!.1 { best = (k, d) }
        }
        guard let best, best.1 <= max(2, l.count / 3) else { return nil }
        return best.0
    }

    static func levenshtein(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
