extension ReplyContext {
    /// A context from log fields: the recipient address (`User@Example.COM`, `<a@b>`) gives the domain.
    public init(recipient: String?, sendingIP: String? = nil, phase: SMTPPhase? = nil) {
        self.init(
            recipientDomain: recipient.flatMap { ReplyContext.domain(ofRecipient: Array($0.utf8)) },
            sendingIP: sendingIP.flatMap(IPAddress.init(parsing:)),
            phase: phase
        )
    }

    /// The lowercased domain of a recipient address: the bytes after the last `@`, without the angle
    /// brackets, surrounding spaces and a trailing dot. A bare domain (no `@`) is taken as it is.
    /// Nil when nothing is left.
    public static func domain(ofRecipient address: [UInt8]) -> [UInt8]? {
        var lo = 0, hi = address.count
        while lo < hi, address[lo] == 0x20 || address[lo] == 0x09 || address[lo] == UInt8(ascii: "<") { lo += 1 }
        while hi > lo, address[hi - 1] == 0x20 || address[hi - 1] == 0x09 || address[hi - 1] == UInt8(ascii: ">") {
            hi -= 1
        }
        if let at = address[lo..<hi].lastIndex(of: UInt8(ascii: "@")) { lo = at + 1 }
        // A fully qualified `example.com.` names the same domain as `example.com`.
        if hi > lo, address[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
        guard hi > lo else { return nil }
        return address[lo..<hi].map(asciiLowercase)
    }
}

extension SMTPPhase {
    /// A phase from its name or the command that starts it, ASCII case-insensitively: `connect`, `helo`/`ehlo`,
    /// `mail`/`mail from`, `rcpt`/`rcpt to`, `data`/`end of data`. Nil otherwise.
    public init?(parsing text: String) {
        switch String(text.utf8.map { Character(Unicode.Scalar(asciiLowercase($0))) }) {
        case "connect", "banner", "greeting": self = .connect
        case "helo", "ehlo", "lhlo": self = .helo
        case "mail", "mail from": self = .mail
        case "rcpt", "rcpt to": self = .rcpt
        case "data", "end of data", "bdat": self = .data
        default: return nil
        }
    }
}
