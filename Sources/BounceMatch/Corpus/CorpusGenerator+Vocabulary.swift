/// Shared word lists for rules and replies: the project's own phrasing of what providers and MTAs say.
enum Vocabulary {
    /// Generic phrases by bounce class, as operators put them into substring lists.
    static let phrases: [(label: String, items: [String])] = [
        ("bad-mailbox", [
            "user unknown", "unknown user", "no such user", "mailbox unavailable", "mailbox not found",
            "recipient not found", "invalid recipient", "does not exist", "no such mailbox", "user not found",
            "unknown recipient", "invalid mailbox", "recipient address rejected: user unknown",
            "no mailbox here by that name", "account does not exist", "address does not exist",
            "unrouteable address", "user doesn't exist", "not a valid mailbox", "recipient unknown",
            "bad destination mailbox address", "mailbox does not exist", "no such recipient",
            "unknown local part", "addressee unknown", "user unknown in virtual mailbox table",
            "user unknown in local recipient table", "recipient rejected", "not our customer",
            "invalid address",
        ]),
        ("inactive-mailbox", [
            "account has been disabled", "account suspended", "mailbox disabled", "account is inactive",
            "mailbox is inactive", "account disabled", "user account is disabled", "recipient suspended",
            "this account has been suspended", "mailbox has been deactivated", "account expired",
            "account is locked",
        ]),
        ("bad-domain", [
            "domain not found", "host not found", "no mx record", "domain does not exist",
            "unknown domain", "no such domain", "domain name not found", "unroutable domain",
            "name service error", "relay domain not configured", "domain is not configured",
            "non-existent domain", "mx lookup failed",
        ]),
        ("quota", [
            "over quota", "mailbox full", "storage limit exceeded", "quota exceeded", "mailbox is full",
            "insufficient storage", "exceeded storage allocation", "user is over quota",
            "mailbox size limit exceeded", "out of storage space", "disk quota exceeded",
            "mailbox has exceeded its quota", "recipient mailbox full", "maildir over quota",
        ]),
        ("message-size", [
            "message size exceeds", "message too large", "message is too big", "exceeds size limit",
            "size exceeds the maximum", "message length exceeds administrative limit",
        ]),
        ("spam", [
            "spam detected", "message rejected as spam", "content policy violation", "looks like spam",
            "identified as spam", "classified as spam", "likely unsolicited mail", "spam content",
            "high probability of spam", "suspected spam", "bulk mail rejected", "spam message rejected",
            "scored as spam", "message filtered", "rejected due to spam content",
        ]),
        ("blocklist", [
            "listed in", "blocked using", "blacklisted", "on our block list", "found on one or more dnsbls",
            "rbl restriction", "ip is in a black list", "is on a blocklist", "client host blocked",
            "poor reputation", "your ip has been blocked", "sender ip is blocked",
        ]),
        ("policy", [
            "rejected for policy reasons", "message not accepted for policy reasons",
            "administrative prohibition", "local policy", "access denied", "not authorized to send",
            "sender address rejected", "relay access denied", "relaying denied", "not permitted to relay",
            "sender denied", "blocked by policy", "refused by policy", "rejected by recipient policy",
        ]),
        ("auth-failure", [
            "dmarc policy", "fails to pass dmarc", "spf check failed", "spf fail", "dkim signature",
            "sender is unauthenticated", "unauthenticated email", "does not pass dmarc verification",
            "failed spf", "authentication checks failed", "dkim verification failed",
            "not designated by the sender's spf",
        ]),
        ("reverse-dns", [
            "cannot find your hostname", "no ptr record", "reverse dns", "rdns lookup failed",
            "client host name not found", "does not have a ptr record",
        ]),
        ("greylist", [
            "greylisted", "greylisting", "graylisted", "try again later", "please retry",
            "temporarily deferred", "come back later", "greylisting in action", "deferred for greylisting",
        ]),
        ("rate-limit", [
            "too many connections", "rate limit exceeded", "rate limited", "too many messages",
            "too many recipients", "sending rate", "connection rate limit", "throttled",
            "receiving mail at a rate", "exceeded the rate limit", "temporarily rate limited",
            "too many concurrent smtp connections",
        ]),
        ("tls-required", [
            "must issue a starttls command first", "tls required", "encryption required",
            "starttls is required",
        ]),
        ("virus", [
            "virus detected", "infected with", "malware detected", "contains a virus",
        ]),
        ("transient", [
            "temporary failure", "temporarily unavailable", "server busy", "system resources",
            "local error in processing", "temporary local problem", "service temporarily unavailable",
        ]),
    ]

    /// Broad single words some lists end with; they are the last resort of a list.
    static let catchAlls: [(String, String)] = [
        ("unknown", "bad-mailbox"), ("mailbox", "bad-mailbox"), ("invalid", "bad-mailbox"),
        ("quota", "quota"), ("full", "quota"), ("spam", "spam"), ("blocked", "blocklist"),
        ("blacklist", "blocklist"), ("blocklist", "blocklist"), ("denied", "policy"), ("policy", "policy"),
        ("rejected", "policy"), ("deferred", "transient"), ("try again", "transient"), ("busy", "transient"),
        ("dmarc", "auth-failure"), ("spf", "auth-failure"), ("greylist", "greylist"),
    ]

    /// DNS blocklists, as named in rejections.
    static let blocklists: [String] = [
        "zen.spamhaus.org", "sbl.spamhaus.org", "xbl.spamhaus.org", "pbl.spamhaus.org", "sbl-xbl.spamhaus.org",
        "dbl.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "dnsbl.sorbs.net", "psbl.surriel.com",
        "dnsbl-1.uceprotect.net", "dnsbl-2.uceprotect.net", "bl.mailspike.net", "truncate.gbudb.net",
        "ix.dnsbl.manitu.net", "cbl.abuseat.org", "bl.spameatingmonkey.net", "dnsbl.invaluement.com",
        "all.s5h.net", "rbl.interserver.net", "bl.0spam.org", "spam.dnsbl.sorbs.net",
    ]

    /// How rejections introduce a blocklist name.
    static let blocklistLeads: [String] = [
        "blocked using ", "listed at ", "listed on ", "found in ", "is in a black list at ", "rbl: ",
        "refused by ",
    ]

    static let enhancedByLabel: [String: [String]] = [
        "bad-mailbox": ["5.1.1", "5.1.0", "5.1.10", "5.2.1", "5.5.1", "4.1.1"],
        "inactive-mailbox": ["5.2.1", "5.2.0", "5.7.13", "4.2.1"],
        "bad-domain": ["5.1.2", "5.4.4", "5.1.10", "4.4.3"],
        "quota": ["5.2.2", "4.2.2", "5.2.0"],
        "message-size": ["5.3.4", "5.2.3", "4.3.4"],
        "spam": ["5.7.1", "5.7.0", "4.7.0", "5.7.350"],
        "blocklist": ["5.7.1", "5.7.606", "4.7.1", "5.7.0"],
        "policy": ["5.7.1", "5.7.0", "5.7.512", "5.7.606"],
        "auth-failure": ["5.7.26", "5.7.509", "5.7.27", "5.7.23", "5.7.25"],
        "reverse-dns": ["4.7.1", "5.7.25", "5.7.1"],
        "greylist": ["4.2.0", "4.7.1", "4.7.0", "4.3.2"],
        "rate-limit": ["4.7.28", "4.7.0", "4.2.1", "4.7.500", "4.7.650"],
        "tls-required": ["5.7.0", "4.7.5", "5.7.10"],
        "virus": ["5.7.1", "5.7.0"],
        "transient": ["4.3.0", "4.3.2", "4.4.2", "4.2.0"],
    ]

    static func basicCode(for enhanced: String) -> [String] {
        enhanced.hasPrefix("4") ? ["421", "450", "451", "452"] : ["550", "551", "552", "553", "554"]
    }

    // Reply variables.
    static let localParts: [String] = [
        "john.smith", "jane.doe", "m.garcia", "info", "sales", "kontakt", "support", "noreply-test", "alex",
        "p.nguyen", "olga.ivanova", "t.yamada", "chris_w", "mike1987", "anna-lena", "billing", "hr",
        "newsletter", "k.oconnor", "r.kumar", "lucas.martin", "sofia", "team", "office", "d.brown",
    ]
    static let utf8LocalParts: [String] = ["josé", "müller", "françois", "иван", "zoë", "søren", "łukasz", "ñandú"]
    static let latin1Names: [[UInt8]] = [
        Array("Fran".utf8) + [0xE7] + Array("ois".utf8), Array("M".utf8) + [0xFC] + Array("ller".utf8),
        Array("Jos".utf8) + [0xE9], Array("Ren".utf8) + [0xE9] + Array("e".utf8),
        Array("S".utf8) + [0xF8] + Array("ren".utf8),
    ]
    static let recipientDomains: [String] = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
        "aol.com", "ymail.com", "icloud.com", "me.com", "comcast.net", "gmx.de", "gmx.net", "web.de",
        "mail.ru", "bk.ru", "orange.fr", "wanadoo.fr", "example.com", "example.org", "example.net",
        "corp.example", "shop.example.co.uk", "uni-example.de", "t-online.de", "yandex.ru", "cox.net",
    ]
}
