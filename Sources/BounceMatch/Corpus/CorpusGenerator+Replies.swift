/// A provider's reply shape: its code (`550 5.1.1` or `550`), the text lines, and the class it stands for.
/// Text may hold `{tokens}` filled per reply (see `ReplyFactory.expand`).
struct ReplyTemplate: Sendable {
    var label: String
    var code: String
    var enhanced: String?
    var lines: [String]

    init(_ label: String, _ status: String, _ lines: String...) {
        self.label = label
        let parts = status.split(separator: " ", maxSplits: 1).map(String.init)
        code = parts[0]
        enhanced = parts.count > 1 ? parts[1] : nil
        self.lines = lines
    }
}

/// Replies of one provider (or MTA family), with the recipient domains and MX hosts it answers for.
struct ReplyProvider: Sendable {
    var name: String
    var weight: Int
    var domains: [String]
    var mxHosts: [String]
    var templates: [ReplyTemplate]
}

enum ReplyCatalog {
    static let providers: [ReplyProvider] = [
        ReplyProvider(name: "gmail", weight: 22, domains: ["gmail.com", "googlemail.com"],
                      mxHosts: ["gmail-smtp-in.l.google.com", "alt{d1}.gmail-smtp-in.l.google.com"], templates: [
            ReplyTemplate("bad-mailbox", "550 5.1.1", "The email account that you tried to reach does not exist. Please try",
                          "double-checking the recipient's email address for typos or", "unnecessary spaces. For more information, go to",
                          " https://support.google.com/mail/?p=NoSuchUser {gsmtp}"),
            ReplyTemplate("inactive-mailbox", "550 5.2.1", "The email account that you tried to reach is disabled. Learn more at",
                          " https://support.google.com/mail/?p=DisabledUser {gsmtp}"),
            ReplyTemplate("quota", "452 4.2.2", "The recipient's inbox is out of storage space. Please direct the",
                          "recipient to", " https://support.google.com/mail/?p=OverQuotaTemp {gsmtp}"),
            ReplyTemplate("auth-failure", "550 5.7.26", "This mail has been blocked because the sender is",
                          "unauthenticated. Gmail requires all senders to authenticate with either", "SPF or DKIM.",
                          " Authentication results:", "  DKIM = did not pass", "  SPF [{rdomain}] with ip: [{ip}] = did not pass",
                          " For instructions on setting up authentication, go to", " https://support.google.com/mail/answer/81126#authentication {gsmtp}"),
            ReplyTemplate("auth-failure", "550 5.7.26", "Unauthenticated email from {sdomain} is not accepted due to domain's",
                          "DMARC policy. Please contact the administrator of {sdomain} domain if",
                          "this was a legitimate mail. To learn about the DMARC initiative, go to",
                          " https://support.google.com/mail/?p=DmarcRejection {gsmtp}"),
            ReplyTemplate("rate-limit", "421 4.7.28", "Our system has detected an unusual rate of unsolicited mail originating",
                          "from your IP address. To protect our users from spam, mail sent from your IP",
                          "address has been temporarily rate limited. Please visit",
                          " https://support.google.com/mail/?p=UnsolicitedRateLimitError to",
                          "review our Bulk Email Senders Guidelines. {gsmtp}"),
            ReplyTemplate("spam", "550 5.7.1", "Our system has detected that this message is likely unsolicited mail. To",
                          "reduce the amount of spam sent to Gmail, this message has been blocked.", "Please visit",
                          " https://support.google.com/mail/?p=UnsolicitedMessageError", " for more information. {gsmtp}"),
            ReplyTemplate("rate-limit", "450 4.2.1", "The user you are trying to contact is receiving mail at a rate that",
                          "prevents additional messages from being delivered. Please resend your", "message at a later time. If the user is able to receive mail at that",
                          "time, your message will be delivered. For more information, go to",
                          " https://support.google.com/mail/?p=ReceivingRate {gsmtp}"),
            ReplyTemplate("policy", "550 5.7.1", "[{ip}] The IP you're using to send mail is not authorized to",
                          "send email directly to our servers. Please use the SMTP relay at your", "service provider instead. For more information, go to",
                          " https://support.google.com/mail/?p=NotAuthorizedError {gsmtp}"),
            ReplyTemplate("reverse-dns", "550 5.7.25", "The IP address sending this message does not have a PTR record setup, or",
                          "the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail does not accept messages from IPs with missing PTR records. {gsmtp}"),
            ReplyTemplate("message-size", "552 5.3.4", "Your message exceeded Google's message size limits. Please visit",
                          " https://support.google.com/mail/?p=MaxSizeError to view our size guidelines. {gsmtp}"),
            ReplyTemplate("tls-required", "530 5.7.0", "Must issue a STARTTLS command first. {gsmtp}"),
            ReplyTemplate("spam", "421 4.7.0", "[{ip} {n2}] Our system has detected that this message is",
                          "suspicious due to the nature of the content and/or the links within.", "To best protect our users from spam, the message has been blocked.",
                          "Please visit https://support.google.com/mail/answer/188131 for more information. {gsmtp}"),
            ReplyTemplate("transient", "451 4.3.0", "Mail server temporarily rejected message. {gsmtp}"),
        ]),
        ReplyProvider(name: "microsoft", weight: 20, domains: ["outlook.com", "hotmail.com", "live.com", "msn.com", "corp.example"],
                      mxHosts: ["{mdomain}.mail.protection.outlook.com", "hotmail-com.olc.protection.outlook.com", "outlook-com.olc.protection.outlook.com"], templates: [
            ReplyTemplate("bad-mailbox", "550 5.5.0", "Requested action not taken: mailbox unavailable (S{n7}) [{msid}]"),
            ReplyTemplate("bad-mailbox", "550 5.1.10", "RESOLVER.ADR.RecipientNotFound; Recipient {addr} not found by SMTP address lookup"),
            ReplyTemplate("bad-mailbox", "550 5.1.1", "RESOLVER.ADR.RecipNotFound; not found"),
            ReplyTemplate("bad-mailbox", "550 5.1.10", "STOREDRV.Submission.Exception:AddressException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Invalid recipient address {addr}[EndDiagnosticData]"),
            ReplyTemplate("quota", "554 5.2.2", "mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception [Hostname={msid}]"),
            ReplyTemplate("blocklist", "550 5.7.1", "Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S{s3}). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [{msid}]"),
            ReplyTemplate("blocklist", "550", "SC-00{d1} (BAY{n3}-MC{d1}F{n2}) Unfortunately, messages from {ip} weren't sent. Please contact your Internet service provider. You can tell them that Hotmail does not relay dynamically-assigned IP ranges. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors."),
            ReplyTemplate("blocklist", "550 5.7.606", "Access denied, banned sending IP [{ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS({n10}) [{msid}]"),
            ReplyTemplate("rate-limit", "451 4.7.500", "Server busy. Please try again later from [{ip}]. (S77719) [{msid}]"),
            ReplyTemplate("rate-limit", "421 4.7.650", "The mail server [{ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [{msid}]"),
            ReplyTemplate("auth-failure", "550 5.7.509", "Access denied, sending domain {sdomain} does not pass DMARC verification and has a DMARC policy of reject. [{msid}]"),
            ReplyTemplate("policy", "550 5.7.520", "Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555) [{msid}]"),
            ReplyTemplate("policy", "550 5.4.1", "Recipient address rejected: Access denied. AS(201806281) [{msid}]"),
            ReplyTemplate("rate-limit", "452 4.5.3", "Too many recipients (AS780090) [{msid}]"),
            ReplyTemplate("policy", "550 5.7.133", "RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed as sender not authenticated"),
            ReplyTemplate("spam", "550 5.7.350", "Remote server returned message detected as spam -> 554 5.7.1 Message rejected as spam by Content Filtering."),
        ]),
        ReplyProvider(name: "yahoo", weight: 14, domains: ["yahoo.com", "aol.com", "ymail.com", "yahoo.co.uk"],
                      mxHosts: ["mta{d1}.am0.yahoodns.net", "mx-aol.mail.gm0.yahoodns.net"], templates: [
            ReplyTemplate("bad-mailbox", "554", "delivery error: dd This user doesn't have a {rdomain} account ({addr}) [0] - mta{n4}.mail.{dc}.yahoo.com"),
            ReplyTemplate("bad-mailbox", "552 1", "Requested mail action aborted, mailbox not found"),
            ReplyTemplate("rate-limit", "421 4.7.0", "[TSS0{d1}] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
            ReplyTemplate("rate-limit", "421 4.7.0", "[TS0{ts}] Messages from {ip} temporarily deferred - 4.16.56.1; see https://postmaster.yahooinc.com/error-codes"),
            ReplyTemplate("blocklist", "553 5.7.1", "[BL21] Connections will not be accepted from {ip}, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"),
            ReplyTemplate("blocklist", "553 5.7.1", "[BL23] Connections not accepted from IP addresses on Spamhaus XBL; see https://postmaster.yahooinc.com/error-codes"),
            ReplyTemplate("policy", "554 5.7.9", "Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes"),
            ReplyTemplate("auth-failure", "550 5.7.9", "This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM."),
            ReplyTemplate("message-size", "554", "30 Sorry, your message size exceeds 41943040 bytes."),
            ReplyTemplate("bad-domain", "451", "Message temporarily deferred due to unresolvable RFC.5321 from domain; see https://postmaster.yahooinc.com/error-codes"),
        ]),
        ReplyProvider(name: "apple", weight: 6, domains: ["icloud.com", "me.com", "mac.com"],
                      mxHosts: ["mx0{d1}.mail.icloud.com"], templates: [
            ReplyTemplate("bad-mailbox", "550 5.1.1", "<{addr}>: user does not exist"),
            ReplyTemplate("quota", "452 4.2.2", "<{addr}>: mailbox full"),
            ReplyTemplate("policy", "554 5.7.1", "[CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"),
            ReplyTemplate("spam", "554 5.7.1", "[HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"),
            ReplyTemplate("blocklist", "550 5.7.0", "Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip={ip}"),
        ]),
        ReplyProvider(name: "comcast", weight: 5, domains: ["comcast.net"], mxHosts: ["mx{d1}.comcast.net"], templates: [
            ReplyTemplate("blocklist", "554", "resimta-{dc}-{n2}v.sys.comcast.net resimta-{dc}-{n2}v.sys.comcast.net {ip} found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000{n3}"),
            ReplyTemplate("bad-mailbox", "550 5.1.1", "<{addr}> Not our Customer"),
            ReplyTemplate("rate-limit", "421", "{dc} Comcast throttled your connection: too many sessions from {ip}, see http://postmaster.comcast.net/smtp-error-codes.php#RL000{n3}"),
            ReplyTemplate("spam", "554", "{dc} comcast {ip} Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#SP000{n3}"),
            ReplyTemplate("policy", "550", "{dc} cmsmtp {addr} sender rejected. Please see http://postmaster.comcast.net/smtp-error-codes.php#IB{n3}"),
        ]),
        ReplyProvider(name: "cox", weight: 2, domains: ["cox.net"], mxHosts: ["cxr.mx.a.cloudfilter.net"], templates: [
            ReplyTemplate("blocklist", "554", "cxr.mx.a.cloudfilter.net cmsmtp {ip} blocked. Refer to Error Code: AUP#CXBL"),
            ReplyTemplate("rate-limit", "421", "cxr.mx.a.cloudfilter.net cmsmtp Too many sessions opened from {ip}. AUP#CXCNCT"),
            ReplyTemplate("policy", "550", "{addr} sender rejected AUP#{n4}"),
        ]),
        ReplyProvider(name: "gmx", weight: 6, domains: ["gmx.de", "gmx.net", "web.de"], mxHosts: ["mx00.emig.gmx.net", "mx-ha0{d1}.web.de"], templates: [
            ReplyTemplate("blocklist", "554", "gmx.net (mxgmx{n3}) Nemesis ESMTP Service not available", "No SMTP service", "IP address is block listed.",
                          "For explanation visit https://postmaster.gmx.net/en/case?c=hi&i=ip&v={ip}&r={hex}"),
            ReplyTemplate("bad-mailbox", "550", "Requested action not taken: mailbox unavailable"),
            ReplyTemplate("policy", "554", "Transaction failed", "Reject due to policy restrictions.", "For explanation visit https://postmaster.web.de/en/error-messages?ip={ip}&c=sp"),
            ReplyTemplate("rate-limit", "421", "gmx.net (mxgmx{n3}) Nemesis ESMTP Service not available", "Requested action aborted: local error in processing"),
            ReplyTemplate("bad-mailbox", "550 5.1.1", "Empfänger unbekannt / User unknown: {addr}"),
            ReplyTemplate("quota", "452 4.2.2", "Postfach voll / Mailbox full: {addr}"),
        ]),
        ReplyProvider(name: "mailru", weight: 4, domains: ["mail.ru", "bk.ru", "list.ru", "inbox.ru"], mxHosts: ["mxs.mail.ru"], templates: [
            ReplyTemplate("spam", "550", "spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c={n9} or report details to abuse@corp.mail.ru. Error code: {hex}. ID: {hex}."),
            ReplyTemplate("bad-mailbox", "550", "Message was not accepted -- invalid mailbox.  Local mailbox {addr} is unavailable: user not found"),
            ReplyTemplate("rate-limit", "451", "Ratelimit exceeded for mailbox {addr}. Try again later."),
            ReplyTemplate("quota", "552", "Ящик переполнен / Mailbox is full: {addr}"),
            ReplyTemplate("spam", "550", "Message rejected under suspicion of SPAM; https://help.mail.ru/notspam-support/id?c={n9}"),
        ]),
        ReplyProvider(name: "orange", weight: 4, domains: ["orange.fr", "wanadoo.fr"], mxHosts: ["smtp-in.orange.fr"], templates: [
            ReplyTemplate("bad-mailbox", "550 5.5.0", "Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]"),
            ReplyTemplate("quota", "552 5.2.2", "Boîte du destinataire pleine. Recipient mailbox full. OFR_417 [417]"),
            ReplyTemplate("rate-limit", "421", "mwinf{n4} ME Trop de connexions, veuillez vérifier votre configuration. Too many connections, slow down. OFR005_104 [104]"),
            ReplyTemplate("spam", "550 5.7.1", "Mail rejete. Mail rejected. OFR_506 [506]"),
            ReplyTemplate("reverse-dns", "421", "mwinf{n4} ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR004_102 [102]"),
        ]),
        ReplyProvider(name: "postfix", weight: 14, domains: ["example.com", "example.org", "example.net", "uni-example.de", "shop.example.co.uk"],
                      mxHosts: ["mx{d1}.{rdomain}", "mail.{rdomain}", "smtp.{rdomain}"], templates: [
            ReplyTemplate("bad-mailbox", "550 5.1.1", "<{addr}>: Recipient address rejected: User unknown in local recipient table"),
            ReplyTemplate("bad-mailbox", "550 5.1.1", "<{addr}>: Recipient address rejected: User unknown in virtual mailbox table"),
            ReplyTemplate("bad-mailbox", "450 4.1.1", "<{addr}>: Recipient address rejected: unverified address: host {mxhost}[{ip}] said: 550 5.1.1 <{addr}>: User unknown"),
            ReplyTemplate("reverse-dns", "450 4.7.1", "Client host rejected: cannot find your hostname, [{ip}]"),
            ReplyTemplate("blocklist", "554 5.7.1", "Service unavailable; Client host [{ip}] blocked using {bl}; https://www.spamhaus.org/query/ip/{ip}"),
            ReplyTemplate("greylist", "450 4.2.0", "<{addr}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{rdomain}.html"),
            ReplyTemplate("greylist", "451 4.7.1", "<{addr}>: Recipient address rejected: Greylisting in action, please come back in 00:0{d1}:00"),
            ReplyTemplate("policy", "554 5.7.1", "<{addr}>: Relay access denied"),
            ReplyTemplate("transient", "452 4.3.1", "Insufficient system storage"),
            ReplyTemplate("message-size", "552 5.3.4", "Message size exceeds fixed limit"),
            ReplyTemplate("quota", "552 5.2.2", "<{addr}>: Recipient address rejected: Mailbox quota exceeded"),
            ReplyTemplate("bad-domain", "554 5.4.4", "<{addr}>: Recipient address rejected: Domain not found"),
            ReplyTemplate("auth-failure", "550 5.7.23", "<{addr}>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id={saddr};ip={ip};r={addr}"),
            ReplyTemplate("inactive-mailbox", "550 5.2.1", "<{addr}>: Recipient address rejected: Account disabled"),
            ReplyTemplate("rate-limit", "421 4.7.0", "{mxhost} Error: too many connections from {ip}"),
        ]),
        ReplyProvider(name: "exim", weight: 8, domains: ["example.com", "example.org", "uni-example.de"], mxHosts: ["mx.{rdomain}", "mail.{rdomain}"], templates: [
            ReplyTemplate("bad-mailbox", "550", "Unrouteable address"),
            ReplyTemplate("blocklist", "550", "rejected because {ip} is in a black list at {bl}"),
            ReplyTemplate("transient", "451", "Temporary local problem - please try later"),
            ReplyTemplate("policy", "550", "Verification failed for <{saddr}>", "Unrouteable address", "Sender verify failed"),
            ReplyTemplate("policy", "550", "Administrative prohibition"),
            ReplyTemplate("rate-limit", "451", "The server has reached its limit for processing requests from your host.", "Please try again later."),
            ReplyTemplate("bad-mailbox", "550", "No Such User Here\""),
            ReplyTemplate("spam", "550", "This message scored {n2}.{d1} spam points."),
            ReplyTemplate("greylist", "451", "Greylisted, please try again later"),
            ReplyTemplate("quota", "552", "Mailbox quota exceeded for {addr}"),
        ]),
        ReplyProvider(name: "sendmail", weight: 5, domains: ["example.net", "corp.example"], mxHosts: ["mail.{rdomain}"], templates: [
            ReplyTemplate("bad-mailbox", "550 5.1.1", "<{addr}>... User unknown"),
            ReplyTemplate("transient", "452 4.4.5", "Insufficient disk space; try again later"),
            ReplyTemplate("policy", "553 5.1.8", "<{saddr}>... Domain of sender address {saddr} does not exist"),
            ReplyTemplate("policy", "550 5.7.1", "<{addr}>... Relaying denied. IP name lookup failed [{ip}]"),
            ReplyTemplate("quota", "552 5.2.2", "<{addr}>... Mailbox full"),
        ]),
        ReplyProvider(name: "gateways", weight: 8, domains: ["example.com", "corp.example", "shop.example.co.uk"], mxHosts: ["{mdomain}.mail.protection.outlook.com", "us-smtp-inbound-{d1}.mimecast.com", "mx0a-{n6}.pphosted.com", "{rdomain}.s{n3}a1.psmtp.com", "d{n6}a.ess.barracudanetworks.com"], templates: [
            ReplyTemplate("bad-mailbox", "550", "Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [{hex}.us{n3}]"),
            ReplyTemplate("policy", "550", "Rejected by header based Anti-Spoofing policy: {saddr} - https://community.mimecast.com/docs/DOC-1369#550 [{hex}.us{n3}]"),
            ReplyTemplate("blocklist", "554", "Blocked - see https://ipcheck.proofpoint.com/?ip={ip}"),
            ReplyTemplate("blocklist", "554 5.7.1", "Service unavailable; Client host [{ip}] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip={ip}"),
            ReplyTemplate("bad-mailbox", "550", "permanent failure for one or more recipients ({addr}:blocked)"),
            ReplyTemplate("virus", "554 5.7.1", "The message was rejected because it contains prohibited virus or spam content"),
            ReplyTemplate("tls-required", "530 5.7.0", "Must issue a STARTTLS command first"),
            ReplyTemplate("spam", "550 5.7.1", "Message rejected as spam by Content Filtering."),
        ]),
        ReplyProvider(name: "short", weight: 6, domains: ["example.org", "example.net", "t-online.de", "yandex.ru"], mxHosts: ["mx.{rdomain}"], templates: [
            ReplyTemplate("bad-mailbox", "550", "Mailbox unavailable"), ReplyTemplate("bad-mailbox", "550 5.1.1", "User unknown"),
            ReplyTemplate("quota", "552", "Mailbox full"), ReplyTemplate("policy", "554 5.7.1", "Relay access denied"),
            ReplyTemplate("bad-mailbox", "550", "No such user here"), ReplyTemplate("bad-mailbox", "550 5.1.1", "Unknown user"),
            ReplyTemplate("transient", "421", "Service unavailable"), ReplyTemplate("quota", "452 4.2.2", "Mailbox is full"),
            ReplyTemplate("bad-mailbox", "550", "Invalid recipient"), ReplyTemplate("policy", "550", "Access denied"),
            ReplyTemplate("rate-limit", "421", "Too many connections"), ReplyTemplate("bad-mailbox", "550", "sorry, no such user"),
            ReplyTemplate("bad-domain", "550", "Domain not found"), ReplyTemplate("quota", "552 5.2.2", "Over quota"),
            ReplyTemplate("bad-mailbox", "550", "Sorry, no mailbox here by that name"),
            ReplyTemplate("quota", "552", "Requested mail action aborted: exceeded storage allocation"),
            ReplyTemplate("inactive-mailbox", "550 5.2.1", "Account disabled"),
        ]),
    ]

    /// Transport events: what the MTA itself writes when no SMTP response came.
    static let transport: [String] = [
        "connect to {mxhost}[{ip}]:25: Connection timed out",
        "connect to {mxhost}[{ip}]:25: Connection refused",
        "connect to {mxhost}[{ip}]:25: No route to host",
        "connect to {mxhost}[{ip6}]:25: Network is unreachable",
        "Host or domain name not found. Name service error for name={rdomain} type=MX: Host not found, try again",
        "Host or domain name not found. Name service error for name={rdomain} type=AAAA: Host found but no data record of requested type",
        "lost connection with {mxhost}[{ip}] while receiving the initial server greeting",
        "conversation with {mxhost}[{ip}] timed out while receiving the initial server greeting",
        "conversation with {mxhost}[{ip}] timed out while sending end of data -- message may be sent more than once",
        "TLS is required, but was not offered by host {mxhost}[{ip}]",
        "Cannot start TLS: handshake failure",
        "TLS is required, but host {mxhost}[{ip}] refused to start TLS: 454 4.7.0 TLS not available due to local problem",
        "SSL_connect error to {mxhost}[{ip}]:25: -1",
        "retry timeout exceeded",
        "all hosts for '{rdomain}' have been failing for a long time (and retry time not reached)",
        "all relevant MX records point to non-existent hosts",
        "Unrouteable domain: no MX or A records for {rdomain}",
        "delivery temporarily suspended: connect to {mxhost}[{ip}]:25: Connection timed out",
        "read timeout after {n2}s while talking to {mxhost}",
        "certificate verification failed for {mxhost}[{ip}]:25: untrusted issuer /C=US/O=Example CA",
        "DNS lookup of {rdomain} (MX) gave TRY_AGAIN",
        "Connection reset by peer",
        "Operation timed out after {n3} seconds",
        "KumoMTA internal: failed to resolve {rdomain}: no records found",
    ]

    /// Replies written so that no generated rule matches them: delivery confirmations and rare texts.
    static let unmatched: [String] = [
        "250 2.0.0 Ok: queued as {qid}",
        "250 2.0.0 OK {n10} {gsmtpid} - gsmtp",
        "250 2.6.0 <{mid}> [InternalId={n13}, Hostname={msid}] {n5} bytes in {d1}.{n3}, {n2}.{n3} KB/sec Queued mail for delivery",
        "250 ok dirdel",
        "250 2.1.5 Ok",
        "250 OK id=1{hex6}-{hex6}-{hex2}",
        "250 Message received: {n8}.{n6}.{mid}",
        "221 2.0.0 Bye",
        "250 2.0.0 {qid} Message accepted for delivery",
        "554 5.4.6 Hop count exceeded - possible mail loop",
        "503 5.5.1 Error: need RCPT command",
        "500 5.5.2 Error: bad syntax",
        "501 5.5.4 Syntax: HELO hostname",
        "250 Ok, message queued with id {hex}",
        "354 Start mail input; end with <CRLF>.<CRLF>",
    ]

    static let mxFallback = ["mx1.example.net"]
}

/// Makes one reply from the catalog: fills variables, sometimes wraps it, flattens multi-line, changes case
/// or bytes.
enum ReplyFactory {
    static let providerWeights = ReplyCatalog.providers.map(\.weight)

    static func make(using r: inout CorpusRandom) -> CorpusGenerator.GeneratedReply {
        var ctx = Context(random: r)
        let roll = ctx.r.below(1000)
        var features: CorpusGenerator.ReplyFeatures = []
        var out: [UInt8]
        var label = ""
        if roll < 70 {
            ctx.rdomain = ctx.r.pick(Vocabulary.recipientDomains)
            ctx.mxhost = ctx.expand(ctx.r.pick(["mx{d1}.{rdomain}", "mail.{rdomain}", "{rdomain}"]))
            out = ctx.expand(ctx.r.pick(ReplyCatalog.transport))
            features.insert(.transportEvent)
        } else if roll < 150 {
            ctx.rdomain = ctx.r.pick(Vocabulary.recipientDomains)
            ctx.mxhost = ctx.expand("mx{d1}.{rdomain}")
            out = ctx.expand(ctx.r.pick(ReplyCatalog.unmatched))
            features.insert(.expectedUnmatched)
            out = ctx.wrap(out, &features)
        } else {
            let provider = ReplyCatalog.providers[ctx.r.weighted(providerWeights)]
            ctx.rdomain = ctx.r.pick(provider.domains)
            ctx.mxhost = ctx.expand(ctx.r.pick(provider.mxHosts))
            let template = ctx.r.pick(provider.templates)
            label = template.label
            out = ctx.render(template, &features)
            out = ctx.wrap(out, &features)
        }
        // Byte-level varieties.
        let variety = ctx.r.below(1000)
        if variety < 40 {
            out = out.map { ($0 &- 0x61) < 26 ? $0 - 0x20 : $0 }
            features.insert(.upperCased)
        } else if variety < 55 {
            out = toLatin1(out, &ctx)
            features.insert(.latin1)
        } else if variety < 70 {
            out = breakUTF8(out, &ctx)
        }
        out = out.map { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 ? 0x20 : $0 }
        if out.contains(where: { $0 >= 0x80 }) {
            features.insert(validUTF8(out) ? .nonASCII : .invalidUTF8)
        }
        r = ctx.r
        return CorpusGenerator.GeneratedReply(bytes: out, features: features, label: label)
    }

    /// Re-encodes UTF-8 letters U+0080...U+00FF as Latin-1 bytes; adds a Latin-1 name when there are none.
    static func toLatin1(_ bytes: [UInt8], _ ctx: inout Context) -> [UInt8] {
        var out: [UInt8] = []
        var changed = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if (b == 0xC2 || b == 0xC3), i + 1 < bytes.count, bytes[i + 1] & 0xC0 == 0x80 {
                out.append(((b & 0x03) << 6) | (bytes[i + 1] & 0x3F))
                changed = true
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        if !changed { out += Array(" (Empf".utf8) + [0xE4] + Array("nger: ".utf8) + ctx.r.pick(Vocabulary.latin1Names) + [0x29] }
        return out
    }

    /// Puts a byte sequence that is not UTF-8 somewhere in the reply (stray 0xFF, overlong, truncated).
    static func breakUTF8(_ bytes: [UInt8], _ ctx: inout Context) -> [UInt8] {
        let bad: [[UInt8]] = [[0xFF], [0xFE, 0xFF], [0xC0, 0x80], [0xE2, 0x82], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80]]
        var out = bytes
        let at = ctx.r.below(out.count + 1)
        out.insert(contentsOf: ctx.r.pick(bad), at: at)
        return out
    }

    static func validUTF8(_ bytes: [UInt8]) -> Bool {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    struct Context {
        var r: CorpusRandom
        var rdomain = "example.com"
        var mxhost: [UInt8] = Array("mx1.example.com".utf8)
        var address: [UInt8]? = nil
        /// Per-reply values that a reply repeats (the client IP, the sender) stay the same within it.
        var cached: [String: [UInt8]] = [:]

        init(random: CorpusRandom) { r = random }

        mutating func render(_ t: ReplyTemplate, _ features: inout CorpusGenerator.ReplyFeatures) -> [UInt8] {
            let code = Array(t.code.utf8)
            let enhanced = t.enhanced.map { Array($0.utf8) }
            if t.lines.count > 1 && r.chance(750) {
                // The server's own multi-line reply, flattened with single spaces (SPEC §1).
                features.insert(.multiLine)
                var out: [UInt8] = []
                for (i, line) in t.lines.enumerated() {
                    if i > 0 { out.append(0x20) }
                    out += code
                    out.append(i == t.lines.count - 1 ? 0x20 : UInt8(ascii: "-"))
                    if let enhanced { out += enhanced + [0x20] }
                    out += expand(line.hasPrefix(" ") ? String(line.dropFirst()) : line)
                }
                return out
            }
            var out = code + [0x20]
            if let enhanced { out += enhanced + [0x20] }
            for (i, line) in t.lines.enumerated() {
                if i > 0 && !line.hasPrefix(" ") { out.append(0x20) }
                out += expand(line)
            }
            return out
        }

        mutating func wrap(_ reply: [UInt8], _ features: inout CorpusGenerator.ReplyFeatures) -> [UInt8] {
            let roll = r.below(1000)
            if roll < 180 {
                features.insert(.postfixWrapped)
                let command = r.pick(["RCPT TO", "RCPT TO", "RCPT TO", "end of DATA", "MAIL FROM"])
                return Array("host ".utf8) + mxhost + expand("[{mxip}] said: ") + reply + Array(" (in reply to \(command) command)".utf8)
            } else if roll < 280 {
                features.insert(.eximWrapped)
                let after = r.chance(800) ? expand("RCPT TO:<{addr}>") : (r.chance(500) ? Array("end of data".utf8) : expand("MAIL FROM:<{saddr}> SIZE={n5}"))
                return Array("SMTP error from remote mail server after ".utf8) + after + Array(": ".utf8) + reply
            } else if roll < 330 {
                features.insert(.otherWrapped)
                if r.chance(500) { return Array("Remote Server returned '".utf8) + reply + [UInt8(ascii: "'")] }
                return Array("... while talking to ".utf8) + mxhost + Array(".: >>> RCPT To:<".utf8) + addr() + Array("> <<< ".utf8) + reply
            }
            return reply
        }

        mutating func addr() -> [UInt8] {
            if let address { return address }
            var local = Array(r.pick(Vocabulary.localParts).utf8)
            if r.chance(40) { local = Array(r.pick(Vocabulary.utf8LocalParts).utf8) }
            else if r.chance(300) { local += Array(r.digits(r.int(1...3)).utf8) }
            let a = local + [UInt8(ascii: "@")] + Array(rdomain.utf8)
            address = a
            return a
        }

        /// Fills `{token}`s. Unknown tokens stay as written so a typo shows in the output, not a crash.
        mutating func expand(_ template: String) -> [UInt8] {
            var out: [UInt8] = []
            let bytes = Array(template.utf8)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "{"), let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")), close - i < 12 {
                    let name = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                    if let value = token(name) {
                        out += value
                        i = close + 1
                        continue
                    }
                }
                out.append(bytes[i])
                i += 1
            }
            return out
        }

        mutating func token(_ name: String) -> [UInt8]? {
            func s(_ v: String) -> [UInt8] { Array(v.utf8) }
            switch name {
            case "addr": return addr()
            case "saddr":
                return once(name) { r in Array("bounces+\(r.digits(6))@mail.sender-example.com".utf8) }
            case "sdomain":
                return once(name) { r in Array(r.pick(["sender-example.com", "news.shop-example.net", "marketing.example.org"]).utf8) }
            case "rdomain": return s(rdomain)
            case "mdomain": return s(rdomain.replacingOccurrences(of: ".", with: "-"))
            case "mxhost": return mxhost
            case "ip": return once(name) { r in r.ipv4() }
            case "mxip": return r.ipv4()
            case "ip6": return s("2001:db8:\(String(r.int(0...0xffff), radix: 16))::\(String(r.int(1...0xfff), radix: 16))")
            case "qid": return s(r.chars(r.int(10...12), from: "0123456789ABCDEF"))
            case "hex": return s(r.chars(r.int(8...16), from: "0123456789abcdef"))
            case "hex6": return s(r.chars(6, from: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            case "hex2": return s(r.chars(2, from: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            case "gsmtp": return s(gsmtpID() + " - gsmtp")
            case "gsmtpid": return s(gsmtpID())
            case "msid":
                let site = r.pick(["BN", "CY", "DM", "SN", "MW", "AM", "DB", "VI", "PH"])
                return s("\(site)\(r.int(1...9))PEPF0000\(r.chars(5, from: "0123456789ABCDEF")).namprd\(r.digits(2)).prod.outlook.com")
            case "mid": return s("\(r.chars(16, from: "0123456789abcdef"))@mail.sender-example.com")
            case "bl": return s(r.pick(Vocabulary.blocklists))
            case "dc": return s(r.pick(["gq1", "bf2", "ne1", "ir2", "ch2", "po", "hoo"]))
            case "ts": return s("\(r.int(1...4))")
            case "s3": return s(r.pick(["3140", "3150", "3115", "3113"]))
            default:
                if name.hasPrefix("d"), let n = Int(name.dropFirst()), n == 1 { return s("\(r.int(1...9))") }
                if name.hasPrefix("n"), let n = Int(name.dropFirst()), n > 0, n <= 16 {
                    return s("\(r.int(1...9))" + r.digits(n - 1))
                }
                return nil
            }
        }

        mutating func gsmtpID() -> String {
            let lower = "abcdefghijklmnopqrstuvwxyz"
            return r.chars(r.int(1...2), from: lower) + "\(r.int(1...99_999))si" + r.digits(r.int(6...7))
                + r.chars(3, from: lower) + ".\(r.int(1...999))"
        }

        mutating func once(_ name: String, _ make: (inout CorpusRandom) -> [UInt8]) -> [UInt8] {
            if let v = cached[name] { return v }
            let v = make(&r)
            cached[name] = v
            return v
        }
    }
}

extension CorpusRandom {
    /// A documentation-range or random unicast IPv4 address as text bytes.
    mutating func ipv4() -> [UInt8] {
        let nets = ["192.0.2", "198.51.100", "203.0.113", "\(int(11...223)).\(int(0...255)).\(int(0...255))"]
        return Array("\(pick(nets)).\(int(1...254))".utf8)
    }
}

extension String {
    /// A tiny `replacingOccurrences` for ASCII characters, so the library needs no Foundation.
    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
