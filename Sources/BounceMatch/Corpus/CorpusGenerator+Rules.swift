/// One way of making rules: a kind, a place in the list (tier 0 = ID-specific ... 3 = catch-all), how
/// often it is drawn, and at most how many rules it may give for a list of `count`.
struct RuleFamily: Sendable {
    var kind: PatternKind
    var tier: Int
    var weight: Int
    var pcreOnly: Bool = false
    /// Most rules this family may add to a list of `count` rules.
    var cap: @Sendable (Int) -> Int = { $0 }
    /// Returns (pattern, label).
    var make: @Sendable (inout CorpusRandom) -> (String, String)
}

/// Builds a rule list: draws families by weight, keeps distinct patterns, then orders by tier.
struct RuleListBuilder {
    var random: CorpusRandom

    init(seed: UInt64) { random = CorpusRandom(seed: seed ^ 0x0B0C_4CE0_0000_0001) }

    mutating func build(count: Int, mix: CorpusGenerator.RuleMix, pcreOnlyFraction: Double) -> [CorpusGenerator.GeneratedRule] {
        var seen = Set<[UInt8]>()
        var made: [(tier: Int, rule: CorpusGenerator.GeneratedRule)] = []
        made.reserveCapacity(count)

        // Quotas per kind, decided up front so every seed gives the same shape.
        var quotas: [(families: [RuleFamily], count: Int)]
        switch mix {
        case .substring:
            quotas = [(RuleFamilies.substring, count)]
        case .mixed:
            let fraction = pcreOnlyFraction.isNaN ? 0 : min(max(pcreOnlyFraction, 0), 0.3)
            let exact = count >= 5 ? min(max(1, count / 40), RuleFamilies.exactPool.count) : 0
            let wildcard = count >= 5 ? min(max(1, count / 40), 300) : 0
            let pcre = Int((Double(count) * fraction).rounded())
            let substring = (count * 60) / 100
            let regex = max(count - substring - exact - wildcard - pcre, 0)
            let substringFinal = count - regex - exact - wildcard - pcre
            quotas = [
                (RuleFamilies.substring, substringFinal), (RuleFamilies.regex, regex),
                (RuleFamilies.exact, exact), (RuleFamilies.wildcard, wildcard), (RuleFamilies.pcreOnly, pcre),
            ]
        }

        for (families, quota) in quotas where quota > 0 {
            let active = families
            var used = [Int](repeating: 0, count: families.count)
            var produced = 0
            var misses = [Int](repeating: 0, count: families.count)
            var activeIndex = Array(families.indices)
            while produced < quota {
                if activeIndex.isEmpty { break }
                let pickAt = random.weighted(activeIndex.map { active[$0].weight })
                let f = activeIndex[pickAt]
                let family = active[f]
                let (pattern, label) = family.make(&random)
                let bytes = Array(pattern.utf8)
                let key = [UInt8(truncatingIfNeeded: family.kind.hashValueStable)] + bytes.map(asciiLowercase)
                if seen.insert(key).inserted {
                    made.append((family.tier, CorpusGenerator.GeneratedRule(
                        kind: family.kind, pattern: bytes, label: label, isPCREOnly: family.pcreOnly)))
                    produced += 1
                    used[f] += 1
                    misses[f] = 0
                    if used[f] >= family.cap(count) { activeIndex.remove(at: pickAt) }
                } else {
                    misses[f] += 1
                    // A family that keeps repeating itself is used up.
                    if misses[f] >= 64 { activeIndex.remove(at: pickAt) }
                }
            }
            // Families with huge ID spaces make this unreachable for 10,000 rules; this keeps the count promise.
            var serial = 0
            while produced < quota {
                let pattern = RuleFamilies.serialPattern(kind: families.first?.kind ?? .substring, serial: serial)
                serial += 1
                let bytes = Array(pattern.utf8)
                let kind = families.first?.kind ?? .substring
                if seen.insert([UInt8(truncatingIfNeeded: kind.hashValueStable)] + bytes.map(asciiLowercase)).inserted {
                    made.append((0, CorpusGenerator.GeneratedRule(kind: kind, pattern: bytes, label: "rate-limit")))
                    produced += 1
                }
            }
        }

        // Interleave kinds inside each tier, then order specific-first (stable by tier).
        random.shuffle(&made)
        var ordered: [CorpusGenerator.GeneratedRule] = []
        ordered.reserveCapacity(made.count)
        for tier in 0...3 { ordered.append(contentsOf: made.lazy.filter { $0.tier == tier }.map(\.rule)) }
        // Longer substrings first, in the slots substring rules already hold: a pattern that contains another
        // is longer, so no substring rule is hidden behind a shorter one it contains (other kinds keep their
        // tier order).
        let slots = ordered.indices.filter { ordered[$0].kind == .substring }
        let longestFirst = slots.map { ordered[$0] }.enumerated()
            .sorted { $0.element.pattern.count != $1.element.pattern.count
                ? $0.element.pattern.count > $1.element.pattern.count : $0.offset < $1.offset }
            .map(\.element)
        for (slot, rule) in zip(slots, longestFirst) { ordered[slot] = rule }
        return ordered
    }
}

extension PatternKind {
    /// A process-independent small number per kind (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int {
        switch self {
        case .substring: return 1
        case .exact: return 2
        case .wildcard: return 3
        case .regex: return 4
        }
    }
}

/// Escapes a literal for the regex dialect.
func regexEscape(_ s: String) -> String {
    var out = ""
    for c in s {
        if "\\.^$|?*+()[]{}/".contains(c) { out.append("\\") }
        out.append(c)
    }
    return out
}

/// Escapes a literal for a wildcard pattern.
func globEscape(_ s: String) -> String {
    var out = ""
    for c in s {
        if "\\*?".contains(c) { out.append("\\") }
        out.append(c)
    }
    return out
}

private func isWordChar(_ c: Character?) -> Bool {
    guard let c, c.isASCII else { return false }
    return c.isLetter || c.isNumber || c == "_"
}

/// `\b` around a literal where the literal's ends are word characters.
func bounded(_ literal: String) -> String {
    (isWordChar(literal.first) ? "\\b" : "") + regexEscape(literal) + (isWordChar(literal.last) ? "\\b" : "")
}

/// A literal phrase whose spaces become `\s+`, `\s` or stay, so regexes vary in form.
func flexibleSpaces(_ phrase: String, _ r: inout CorpusRandom) -> String {
    let sep = r.pick([" ", "\\s", "\\s+", " ?", "[ _-]"])
    return phrase.split(separator: " ", omittingEmptySubsequences: false).map { regexEscape(String($0)) }
        .joined(separator: sep)
}

enum RuleFamilies {
    static let gmailTopics = [
        "NoSuchUser", "DisabledUser", "OverQuotaTemp", "OverQuotaPerm", "UnsolicitedMessageError",
        "UnsolicitedRateLimitError", "ReceivingRate", "NotAuthorizedError", "BlockedMessage", "MessageTooLarge",
        "SenderRateLimit", "InvalidSecondaryUser", "TooManyRecipients",
    ]
    static let gmailTopicLabels = [
        "bad-mailbox", "inactive-mailbox", "quota", "quota", "spam", "rate-limit", "rate-limit", "policy",
        "spam", "message-size", "rate-limit", "bad-mailbox", "rate-limit",
    ]
    static let storedrv = [
        ("STOREDRV.Deliver.Exception:QuotaExceededException", "quota"),
        ("STOREDRV.Submission.Exception:AddressException", "bad-mailbox"),
        ("STOREDRV.Deliver.Exception:ObjectNotFoundException", "bad-mailbox"),
        ("STOREDRV.Deliver.Exception:MessageTooBigException", "message-size"),
        ("STOREDRV.Submission.Exception:SendAsDeniedException", "policy"),
        ("STOREDRV.Deliver.Exception:StoragePermanentException", "transient"),
        ("RESOLVER.ADR.RecipientNotFound", "bad-mailbox"), ("RESOLVER.ADR.RecipNotFound", "bad-mailbox"),
        ("RESOLVER.RST.AuthRequired", "policy"), ("RESOLVER.RST.NotAuthorized", "policy"),
        ("RESOLVER.ADR.ExRecipNotFound", "bad-mailbox"), ("ROUTING.Resolve.NoConnectorForAddressType", "bad-domain"),
    ]
    static let coxNames = [("CXBL", "blocklist"), ("CXRBL", "blocklist"), ("CXDNS", "reverse-dns"),
                           ("CXMXRT", "rate-limit"), ("CXCNCT", "rate-limit"), ("CXSNDR", "policy"),
                           ("CXSMTP", "policy"), ("CXTHRT", "rate-limit"), ("CXMJ", "spam")]
    static let msFamilies = [("SC", "spam"), ("DY", "policy"), ("OU", "blocklist"), ("RP", "rate-limit")]
    static let orangeCodes = [("OFR_416", "bad-mailbox"), ("OFR_417", "quota"), ("OFR_506", "spam"),
                              ("OFR005_104", "rate-limit"), ("OFR004_104", "rate-limit"), ("OFR_999", "transient"),
                              ("OFR_100", "policy"), ("OFR_420", "bad-mailbox"), ("OFR004_102", "reverse-dns")]
    static let ipRegex = "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}"

    static func phraseList(_ label: String) -> [String] {
        Vocabulary.phrases.first { $0.label == label }?.items ?? []
    }

    static func randomPhrase(_ r: inout CorpusRandom) -> (String, String) {
        let group = r.pick(Vocabulary.phrases)
        return (r.pick(group.items), group.label)
    }

    static func yahooID(_ r: inout CorpusRandom) -> (String, String) {
        switch r.below(4) {
        case 0: return ("TS0\(r.int(1...5))", "rate-limit")
        case 1: return ("TSS\(r.int(1...12) < 10 ? "0" : "")\(r.int(1...12))", "rate-limit")
        case 2: return ("BL2\(r.int(1...3))", "blocklist")
        default: return (r.pick(["GL01", "PH01", "IPTS04", "DM02", "HM08"]), r.pick(["spam", "policy"]))
        }
    }

    // MARK: substring

    static let substring: [RuleFamily] = [
        RuleFamily(kind: .substring, tier: 0, weight: 6) { r in
            let (id, label) = yahooID(&r)
            switch r.below(3) {
            case 0: return ("[\(id)]", label)
            case 1: return ("[\(id)] Messages from", label)
            default: return ("\(r.pick(["4.7.0", "5.7.1", "5.7.9"])) [\(id)]", label)
            }
        },
        RuleFamily(kind: .substring, tier: 0, weight: 14) { r in
            let (prefix, label) = r.pick([("RL", "rate-limit"), ("BL", "blocklist"), ("IB", "policy"), ("SP", "spam")])
            let n = r.chance(700) ? "000" + r.digits(3) : r.digits(6)
            return r.chance(300) ? ("smtp-error-codes.php#\(prefix)\(n)", label) : ("\(prefix)\(n)", label)
        },
        RuleFamily(kind: .substring, tier: 0, weight: 8) { r in
            if r.chance(600) { return ("AUP#\(r.int(1000...9999))", r.pick(["policy", "blocklist", "spam"])) }
            let (n, label) = r.pick(coxNames)
            return ("AUP#\(n)", label)
        },
        RuleFamily(kind: .substring, tier: 0, weight: 14) { r in
            switch r.below(5) {
            case 0: return ("(S\(r.int(3000...3199)))", "blocklist")
            case 1: return ("(S\(r.int(700...99_999)))", r.pick(["rate-limit", "transient", "blocklist"]))
            case 2: return ("AS(\(r.int(1000...999_999_999)))", r.pick(["policy", "rate-limit", "bad-mailbox"]))
            case 3:
                let (p, label) = r.pick(msFamilies)
                return ("\(p)-00\(r.int(1...6))", label)
            default:
                return ("5.7.\(r.int(500...750)) Access denied", r.pick(["policy", "blocklist", "auth-failure"]))
            }
        },
        RuleFamily(kind: .substring, tier: 0, weight: 2, cap: { _ in storedrv.count }) { r in r.pick(storedrv) },
        RuleFamily(kind: .substring, tier: 0, weight: 5) { r in
            if r.chance(400) { let (c, l) = r.pick(orangeCodes); return (r.chance(500) ? c : "\(c) [\(c.suffix(3))]", l) }
            let n = r.int(100...999)
            return (r.chance(500) ? "OFR_\(n)" : "OFR00\(r.int(1...9))_\(n)", r.pick(["policy", "rate-limit", "spam"]))
        },
        RuleFamily(kind: .substring, tier: 0, weight: 3) { r in
            let i = r.below(gmailTopics.count)
            return (r.chance(500) ? "?p=\(gmailTopics[i])" : "support.google.com/mail/?p=\(gmailTopics[i])", gmailTopicLabels[i])
        },
        RuleFamily(kind: .substring, tier: 0, weight: 3) { r in
            if r.chance(500) { return ("[CS0\(r.int(1...9))]", "policy") }
            return ("[HM0\(r.int(1...9))]", r.pick(["policy", "spam"]))
        },
        RuleFamily(kind: .substring, tier: 0, weight: 3) { r in
            switch r.below(3) {
            case 0: return ("notspam-support/id?c=\(r.digits(r.int(6...9)))", "spam")
            case 1: return ("(mxgmx\(r.digits(3))) Nemesis ESMTP", "blocklist")
            default: return ("Ratelimit exceeded for mailbox", "rate-limit")
            }
        },
        RuleFamily(kind: .substring, tier: 0, weight: 6, cap: { _ in 40 }) { r in
            r.pick([
                ("550-5.1.1 The email account that you tried to reach does not exist", "bad-mailbox"),
                ("The email account that you tried to reach does not exist", "bad-mailbox"),
                ("The email account that you tried to reach is disabled", "inactive-mailbox"),
                ("5.7.26 Unauthenticated email", "auth-failure"),
                ("5.7.26 This mail has been blocked because the sender is unauthenticated", "auth-failure"),
                ("This message fails to pass DMARC checks", "auth-failure"),
                ("The recipient's inbox is out of storage space", "quota"),
                ("The user you are trying to contact is receiving mail at a rate", "rate-limit"),
                ("Our system has detected an unusual rate of unsolicited mail", "spam"),
                ("The IP you're using to send mail is not authorized", "policy"),
                ("5.1.10 STOREDRV.Submission.Exception:AddressException", "bad-mailbox"),
                ("5.7.606 Access denied, banned sending IP", "blocklist"),
                ("part of their network is on our block list", "blocklist"),
                ("Unfortunately, messages from", "blocklist"),
                ("5.1.1 user does not exist", "bad-mailbox"),
                ("This user doesn't have a yahoo.com account", "bad-mailbox"),
                ("Connections not accepted from IPs", "blocklist"),
                ("temporarily deferred due to unexpected volume or user complaints", "rate-limit"),
                ("Requested mail action aborted, mailbox not found", "bad-mailbox"),
                ("found on one or more DNSBLs", "blocklist"),
                ("Not our Customer", "bad-mailbox"),
                ("Nemesis ESMTP Service not available", "blocklist"),
                ("Mailbox quota exceeded", "quota"),
                ("Adresse d au moins un destinataire invalide", "bad-mailbox"),
                ("Boîte du destinataire pleine", "quota"),
                ("Trop de connexions", "rate-limit"),
                ("Empfänger unbekannt", "bad-mailbox"),
                ("Postfach voll", "quota"),
                ("Message rejected under suspicion of SPAM", "spam"),
                ("Ящик переполнен", "quota"),
                ("Message rejected due to local policy", "policy"),
                ("Rejected by header based Anti-Spoofing policy", "policy"),
                ("permanent failure for one or more recipients", "bad-mailbox"),
                ("Invalid Recipient - https://community.mimecast.com", "bad-mailbox"),
                ("Blocked - see https://ipcheck.proofpoint.com", "blocklist"),
                ("does not have a yahoo.com account", "bad-mailbox"),
                ("STOREDRV.Deliver", "transient"),
            ])
        },
        RuleFamily(kind: .substring, tier: 1, weight: 5) { r in
            (r.pick(Vocabulary.blocklistLeads) + r.pick(Vocabulary.blocklists), "blocklist")
        },
        RuleFamily(kind: .substring, tier: 1, weight: 3) { r in (r.pick(Vocabulary.blocklists), "blocklist") },
        RuleFamily(kind: .substring, tier: 1, weight: 12, cap: { $0 / 4 }) { r in
            let (phrase, label) = randomPhrase(&r)
            let enhanced = r.pick(Vocabulary.enhancedByLabel[label] ?? ["5.0.0"])
            return r.chance(500)
                ? ("\(enhanced) \(phrase)", label)
                : ("\(r.pick(Vocabulary.basicCode(for: enhanced))) \(enhanced) \(phrase)", label)
        },
        RuleFamily(kind: .substring, tier: 2, weight: 40) { r in randomPhrase(&r) },
        RuleFamily(kind: .substring, tier: 3, weight: 2, cap: { max(1, $0 / 50) }) { r in r.pick(Vocabulary.catchAlls) },
    ]

    // MARK: regex (portable dialect)

    static let regex: [RuleFamily] = [
        RuleFamily(kind: .regex, tier: 0, weight: 5) { r in
            switch r.below(4) {
            case 0: return ("^421[ -]4\\.7\\.0 \\[TSS0\(r.int(1...9))\\]", "rate-limit")
            case 1: return ("\\[TS0[1-\(r.int(2...5))]\\]", "rate-limit")
            case 2: return ("\\[BL2\(r.int(1...3))\\] Connections (will not be|not) accepted", "blocklist")
            default: return ("\\[TSS(0[1-9]|1[0-\(r.int(0...2))])\\]", "rate-limit")
            }
        },
        RuleFamily(kind: .regex, tier: 0, weight: 14) { r in
            let (prefix, label) = r.pick([("RL", "rate-limit"), ("BL", "blocklist"), ("IB", "policy")])
            let k = r.int(2...4)
            let fixed = r.chance(600) ? "0" + r.digits(k - 1) : r.digits(k)
            let tail = 6 - k
            return (r.chance(400) ? "#\(prefix)\(fixed)\\d{\(tail)}" : "\\b\(prefix)\(fixed)[0-9]{\(tail)}\\b", label)
        },
        RuleFamily(kind: .regex, tier: 0, weight: 8) { r in
            if r.chance(700) { return ("AUP#\(r.digits(2))\\d{2}", r.pick(["policy", "blocklist", "spam"])) }
            return ("AUP#CX[A-Z]{\(r.int(2...3)),\(r.int(4...8))}", "policy")
        },
        RuleFamily(kind: .regex, tier: 0, weight: 14) { r in
            switch r.below(5) {
            case 0: return ("\\(S3\(r.int(0...1))\(r.digits(1))[0-9]\\)", "blocklist")
            case 1: return ("AS\\(\(r.digits(r.int(2...5)))\\d{\(r.int(1...3)),\(r.int(4...6))}\\)", r.pick(["policy", "rate-limit"]))
            case 2:
                let fams = r.sample(msFamilies.map(\.0), r.int(1...3))
                return ("\\b(\(fams.joined(separator: "|")))-00[1-\(r.int(2...6))]\\b", "spam")
            case 3: return ("5\\.7\\.\(r.int(5...7))\(r.digits(1))\\d Access denied", r.pick(["policy", "blocklist"]))
            default:
                let (name, label) = r.pick(storedrv)
                let parts = name.split(separator: ".").map(String.init)
                let middle = r.pick([regexEscape(parts[1]), "[A-Za-z]+", "\\w+"])
                let tail = regexEscape(String(parts[parts.count - 1].suffix(r.int(6...12))))
                return (regexEscape(parts[0]) + "\\." + middle + "\\..*" + tail, label)
            }
        },
        RuleFamily(kind: .regex, tier: 0, weight: 4) { r in
            let n = r.int(1...9)
            return ("OFR(00[1-\(n)])?_\(r.int(1...9))\\d\\d \\[\\d{3}\\]", r.pick(["policy", "rate-limit", "bad-mailbox"]))
        },
        RuleFamily(kind: .regex, tier: 0, weight: 4) { r in
            let topics = r.sample(gmailTopics, r.int(1...3))
            return ("support\\.google\\.com/mail/(answer/\\d+|\\?p=(\(topics.joined(separator: "|"))))", gmailTopicLabels[gmailTopics.firstIndex(of: topics[0])!])
        },
        RuleFamily(kind: .regex, tier: 0, weight: 3, cap: { _ in 24 }) { r in
            r.pick([
                ("^5\\d\\d[ -]5\\.7\\.26 .*(Unauthenticated email|DMARC)", "auth-failure"),
                ("Messages from \(ipRegex) temporarily deferred", "rate-limit"),
                ("banned sending IP \\[\(ipRegex)\\]", "blocklist"),
                ("messages from \\[?\(ipRegex)\\]? weren't sent", "blocklist"),
                ("^550[ -]5\\.1\\.1 .*tried to reach does not exist", "bad-mailbox"),
                ("^452[ -]4\\.2\\.2 .*out of storage space", "quota"),
                ("(?i)this user doesn.t have a (yahoo|aol|ymail)\\.com account", "bad-mailbox"),
                ("RESOLVER\\.ADR\\.Recip(ient)?NotFound", "bad-mailbox"),
                ("^554[ -](5\\.7\\.1 )?\\[(CS|HM)0\\d\\]", "policy"),
                ("resimta-\\w+\\.sys\\.comcast\\.net .*DNSBL", "blocklist"),
                ("(?i)\\bnemesis esmtp service not available\\b", "blocklist"),
                ("help\\.mail\\.ru/notspam-support/id\\?c=\\d+", "spam"),
                ("(?i:recipient address rejected): (user unknown|undeliverable address)", "bad-mailbox"),
                ("Greylisting in action, please come back in \\d{2}:\\d{2}:\\d{2}", "greylist"),
                ("postgrey\\.[a-z]+\\.ch/help/", "greylist"),
                ("(?i)\\bmailbox\\s+(is\\s+)?(full|over\\s+quota)\\b", "quota"),
                ("(?i)over\\s?quota|quota (exceeded|exceeds)", "quota"),
                ("[Ee]xceeded (his|her|the|their) storage", "quota"),
                ("(?i)greyl(i|e)st(ed|ing)", "greylist"),
                ("too many (connections|messages|recipients)( from (your IP|\(ipRegex)))?", "rate-limit"),
                ("(?i)\\bSPF\\b.{0,40}\\bfail", "auth-failure"),
                ("(?i)dkim.{1,30}(fail|invalid)", "auth-failure"),
                ("Client host \\[\(ipRegex)\\] blocked using [a-z0-9.-]+", "blocklist"),
                ("(?i)try again (later|in [[:digit:]]{1,4} (seconds|minutes))", "greylist"),
            ])
        },
        RuleFamily(kind: .regex, tier: 1, weight: 6) { r in
            let names = r.sample(Vocabulary.blocklists, r.int(1...3)).map(regexEscape)
            let lead = r.pick(["blocked using ", "listed (at|on|in) ", "(found|listed) (on|in) ", "black ?list at "])
            return (r.pick(["", "(?i)"]) + lead + "(\(names.joined(separator: "|")))", "blocklist")
        },
        RuleFamily(kind: .regex, tier: 1, weight: 16) { r in
            let group = r.pick(Vocabulary.phrases)
            let phrases = r.sample(group.items, r.int(1...3))
            let enhanced = r.pick(Vocabulary.enhancedByLabel[group.label] ?? ["5.0.0"])
            let first = enhanced.prefix(1)
            let alt = phrases.count == 1 ? bounded(phrases[0]) : "(" + phrases.map(regexEscape).joined(separator: "|") + ")"
            switch r.below(4) {
            case 0: return ("^\(first)\\d\\d[ -]\(regexEscape(enhanced))[ -].*\(alt)", group.label)
            case 1: return ("^\(first)[0-5]\\d\\s+\(regexEscape(enhanced))\\b.*?\(alt)", group.label)
            case 2: return ("(?i)\\b\(first)\\.\(enhanced.dropFirst(2).prefix(1))\\.\\d{1,3}\\b.*\(alt)", group.label)
            default: return ("\(regexEscape(enhanced)) .{0,\(r.int(20...80))}\(alt)", group.label)
            }
        },
        RuleFamily(kind: .regex, tier: 2, weight: 30) { r in
            let (phrase, label) = randomPhrase(&r)
            switch r.below(3) {
            case 0: return (flexibleSpaces(phrase, &r), label)
            case 1: return ("(?i)" + bounded(phrase), label)
            default: return ("(?i:\(flexibleSpaces(phrase, &r)))", label)
            }
        },
        RuleFamily(kind: .regex, tier: 3, weight: 2, cap: { max(1, $0 / 60) }) { r in
            r.pick([
                ("^5\\d\\d[ -]5\\.1\\.[0-9]{1,2}\\b", "bad-mailbox"), ("^55[0-4][ -]5\\.7\\.\\d{1,3}", "policy"),
                ("^4\\d\\d[ -]4\\.2\\.2", "quota"), ("^452\\b", "quota"), ("^421\\b", "transient"),
                ("(?i)\\bspam\\b", "spam"), ("(?i)\\bblock(ed|list)\\b", "blocklist"),
                ("^5\\d\\d[ -]5\\.4\\.[0-7]", "bad-domain"), ("^45\\d[ -]4\\.7\\.\\d+", "greylist"),
                ("(?i)\\b(unknown|invalid) (user|recipient|mailbox)\\b", "bad-mailbox"),
            ])
        },
    ]

    // MARK: exact, wildcard, PCRE-only

    /// Whole texts (after the code) that some replies carry exactly.
    static let exactPool: [(String, String)] = [
        ("Mailbox unavailable", "bad-mailbox"), ("User unknown", "bad-mailbox"),
        ("Requested action not taken: mailbox unavailable", "bad-mailbox"), ("Unrouteable address", "bad-mailbox"),
        ("Mailbox full", "quota"), ("Relay access denied", "policy"), ("No such user here", "bad-mailbox"),
        ("Administrative prohibition", "policy"), ("Unknown user", "bad-mailbox"),
        ("Service unavailable", "transient"), ("Mailbox is full", "quota"), ("Invalid recipient", "bad-mailbox"),
        ("Access denied", "policy"), ("Message rejected as spam", "spam"), ("Too many connections", "rate-limit"),
        ("Greylisted, please try again later", "greylist"), ("Sorry, no mailbox here by that name", "bad-mailbox"),
        ("Temporary local problem - please try later", "transient"), ("Insufficient system storage", "transient"),
        ("Requested mail action aborted: exceeded storage allocation", "quota"),
        ("Message size exceeds fixed maximum message size", "message-size"), ("Account disabled", "inactive-mailbox"),
        ("Recipient address rejected: Access denied", "policy"), ("sorry, no such user", "bad-mailbox"),
        ("Sender verify failed", "policy"), ("Mailbox unavailable or access denied", "bad-mailbox"),
        ("Domain not found", "bad-domain"), ("Over quota", "quota"), ("Too many recipients", "rate-limit"),
        ("No such domain", "bad-domain"),
    ]

    static let exact: [RuleFamily] = [
        RuleFamily(kind: .exact, tier: 1, weight: 1) { r in r.pick(exactPool) },
    ]

    static let wildcard: [RuleFamily] = [
        RuleFamily(kind: .wildcard, tier: 1, weight: 1) { r in
            let (phrase, label) = randomPhrase(&r)
            let g = globEscape(phrase)
            switch r.below(5) {
            case 0: return ("*\(g)*", label)
            case 1: return ("\(g)*", label)
            case 2: return ("*\(g)", label)
            case 3: return ("*" + g.replacingFirst(" ", with: "?") + "*", label)
            default: return ("<*@*>*\(g)*", label)
            }
        },
    ]

    static let pcreOnly: [RuleFamily] = [
        RuleFamily(kind: .regex, tier: 1, weight: 3, pcreOnly: true) { r in
            let (phrase, label) = randomPhrase(&r)
            let exclusion = r.pick(["recipient address rejected", "sender address rejected", "5.1.0 address rejected",
                                    "greylist", "try again", "quota"])
            return ("^(?!.*\(regexEscape(exclusion))).*\(regexEscape(phrase))", label)
        },
        RuleFamily(kind: .regex, tier: 1, weight: 2, pcreOnly: true) { r in
            let (phrase, label) = randomPhrase(&r)
            return ("\(regexEscape(phrase))(?!\\s+(\(r.pick(["later", "again", "in \\d+"]))))", label)
        },
        RuleFamily(kind: .regex, tier: 1, weight: 2, pcreOnly: true) { r in
            let enhanced = r.pick(["5\\.7\\.1", "5\\.1\\.1", "4\\.7\\.0", "5\\.7\\.26", "4\\.2\\.2", "5\\.2\\.2"])
            let (phrase, label) = randomPhrase(&r)
            return ("^([45]\\d\\d)-\(enhanced) .*\\1 \(enhanced) .*\(regexEscape(phrase))", label)
        },
        RuleFamily(kind: .regex, tier: 1, weight: 1, pcreOnly: true) { r in
            let (phrase, label) = randomPhrase(&r)
            return ("<([^@>]+)@[^>]+>.*\\b\\1\\b.*\(regexEscape(phrase))", label)
        },
    ]

    /// Guaranteed-new patterns when every family is used up (never reached for counts up to 10,000).
    static func serialPattern(kind: PatternKind, serial: Int) -> String {
        switch kind {
        case .regex: return "\\(S9\(serial)\\d\\)"
        case .wildcard: return "*(S9\(serial))*"
        case .exact, .substring: return "(S9\(serial)0)"
        }
    }
}

extension String {
    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let i = firstIndex(of: target) else { return self }
        var s = self
        s.replaceSubrange(i...i, with: replacement)
        return s
    }
}
