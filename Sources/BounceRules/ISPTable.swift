/// Named ISPs: each a set of recipient domains, for conditions like Altcraft's "ISP" and MailerQ's
/// target domains. A rule file may add its own (`isps:` in the native format).
public struct ISPTable: Sendable {
    public private(set) var table: [String: [DomainPattern]]

    public init(_ table: [String: [String]]) {
        var t: [String: [DomainPattern]] = [:]
        for (name, domains) in table {
            t[name.lowercased()] = domains.map(DomainPattern.init(parsing:))
        }
        self.table = t
    }

    public var names: [String] { table.keys.sorted() }

    public func domains(forISP name: String) -> [DomainPattern]? { table[name.lowercased()] }

    public mutating func define(_ name: String, domains: [String]) {
        table[name.lowercased()] = domains.map(DomainPattern.init(parsing:))
    }

    /// The large consumer mailbox providers, by the domains their users have.
    public static let builtin = ISPTable([
        "gmail": ["gmail.com", "googlemail.com"],
        "google": ["gmail.com", "googlemail.com"],
        "microsoft": ["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.fr", "live.fr"],
        "outlook": ["outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.fr", "live.fr"],
        "yahoo": ["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "aol.com"],
        "aol": ["aol.com", "aim.com"],
        "apple": ["icloud.com", "me.com", "mac.com"],
        "comcast": ["comcast.net"],
        "gmx": ["gmx.de", "gmx.net", "gmx.com", "web.de"],
        "web.de": ["web.de"],
        "mail.ru": ["mail.ru", "inbox.ru", "list.ru", "bk.ru"],
        "yandex": ["yandex.ru", "yandex.com", "ya.ru"],
        "orange": ["orange.fr", "wanadoo.fr"],
        "t-online": ["t-online.de"],
    ])
}

extension DomainPattern {
    /// `example.com` (exact) or `*.example.com` (the domain and every subdomain).
    public init(parsing text: String) {
        if text.hasPrefix("*.") {
            self.init(domain: Array(text.utf8.dropFirst(2)), includesSubdomains: true)
        } else {
            self.init(domain: Array(text.utf8), includesSubdomains: false)
        }
    }
}
