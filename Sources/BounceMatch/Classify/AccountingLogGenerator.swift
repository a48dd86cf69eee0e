#if canImport(Glibc)
import Glibc
#endif

/// Writes seeded, realistic MTA logs for tests, benchmarks and demos: PowerMTA accounting CSV (header row,
/// `d`/`b`/`t` records with timestamps, recipients, virtual MTAs, source IPs, DSN status and diagnostic) or
/// KumoMTA JSON log records. The replies come from `CorpusGenerator`'s provider templates.
///
/// The same seed gives byte-identical output. Addresses use documentation ranges (RFC 5737) and made-up
/// local parts.
public struct AccountingLogGenerator {
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case kumoJSON = "kumo-json"
    }

    /// The CSV header: PowerMTA's accounting field names, in its default order for `d`, `b` and `t` records.
    public static let csvFields = [
        "type", "timeLogged", "timeQueued", "orig", "rcpt", "orcpt", "dsnAction", "dsnStatus", "dsnDiag", "dsnMta",
        "bounceCat", "srcType", "srcMta", "dlvType", "dlvSourceIp", "dlvDestinationIp", "dlvEsmtpAvailable",
        "dlvSize", "vmta", "jobId", "envId",
    ]

    private var random: CorpusRandom
    private var replies: CorpusGenerator.ReplyStream
    /// Share of delivered (`d`) records, per mille; the rest are bounces and transient failures.
    public var deliveredPerMille = 600
    /// The day the log covers, as seconds since the epoch of its midnight (UTC).
    public var dayStart = 1_795_305_600  // 2026-11-22T00:00:00Z

    public init(seed: UInt64) {
        random = CorpusRandom(seed: seed ^ 0xACC0_0A7_1065)
        replies = CorpusGenerator.ReplyStream(seed: seed)
    }

    /// One record: what a line of either format says.
    public struct Record: Sendable {
        public var delivered: Bool
        /// The reply as the remote server sent it (one line).
        public var reply: [UInt8]
        public var recipient: String
        public var sourceIP: String
        public var vmta: String
        public var time: Int
        public var label: String
    }

    private static let domains: [(String, Int)] = [
        ("gmail.com", 30), ("yahoo.com", 10), ("outlook.com", 8), ("hotmail.com", 8), ("aol.com", 3),
        ("icloud.com", 5), ("comcast.net", 3), ("gmx.de", 4), ("web.de", 4), ("t-online.de", 2), ("orange.fr", 3),
        ("mail.ru", 2), ("yandex.ru", 2), ("cox.net", 1), ("shop.example.co.uk", 2), ("corp.example", 3),
        ("uni-example.de", 1), ("example.com", 2),
    ]
    private static let domainWeights = domains.map(\.1)
    private static let firstNames = ["anna", "ben", "chloe", "david", "emma", "felix", "grace", "hugo", "ines", "jonas",
                                     "kate", "liam", "mia", "noah", "olga", "paul", "rosa", "sam", "tara", "yuki"]
    private static let lastNames = ["smith", "mueller", "garcia", "rossi", "dubois", "kowalski", "jensen", "silva",
                                    "tanaka", "novak", "ivanova", "brown", "schmidt", "martin", "weber"]

    /// The next record.
    public mutating func nextRecord(index: Int, of total: Int) -> Record {
        let delivered = random.below(1000) < deliveredPerMille
        let domain = Self.domains[random.weighted(Self.domainWeights)].0
        var local = random.pick(Self.firstNames)
        switch random.below(4) {
        case 0: local += "." + random.pick(Self.lastNames)
        case 1: local += "\(random.int(1...999))"
        case 2: local += "_" + random.pick(Self.lastNames) + "\(random.int(60...99))"
        default: break
        }
        let pool = random.below(4)
        let sourceIP = ["203.0.113", "198.51.100", "192.0.2", "203.0.113"][pool] + ".\(random.int(10...60))"
        let vmta = "vmta-\(["a", "b", "c", "d"][pool])-\(random.int(1...8))"
        let time = dayStart + (total > 0 ? index * 86_400 / total : 0) + random.below(3)
        var reply: [UInt8]
        var label = ""
        if delivered {
            let id = hex(random.next(), 16)
            reply = Array("250 2.0.0 OK \(time) \(id) - gsmtp".utf8)
            if !domain.hasPrefix("gmail") { reply = Array("250 2.0.0 Ok: queued as \(hex(random.next(), 10).uppercased())".utf8) }
        } else {
            var g = replies.nextReply()
            // A 2xx reply is a delivery, never a bounce or deferral.
            while g.bytes.first == UInt8(ascii: "2") { g = replies.nextReply() }
            reply = g.bytes
            label = g.label
        }
        return Record(delivered: delivered, reply: reply, recipient: local + "@" + domain, sourceIP: sourceIP,
                      vmta: vmta, time: time, label: label)
    }

    /// PowerMTA's record type for a reply: `d` delivered, `t` transient (4xx or no code), `b` bounced.
    public static func recordType(_ r: Record, parsed: Reply) -> String {
        if r.delivered { return "d" }
        guard let code = parsed.code else { return "t" }
        return code >= 500 ? "b" : "t"
    }

    /// The accounting CSV header line (with its LF).
    public static var csvHeader: [UInt8] { Array((csvFields.joined(separator: ",") + "\n").utf8) }

    /// Appends `record` as one PowerMTA accounting CSV line (RFC 4180 quoting, LF line end).
    public mutating func appendCSV(_ r: Record, to out: inout [UInt8]) {
        let parsed = Reply(parsing: r.reply)
        let type = Self.recordType(r, parsed: parsed)
        let status = parsed.enhanced.map { "\($0)" } ?? (type == "b" ? "5.0.0" : type == "t" ? "4.0.0" : "2.0.0")
        let statusText = status + (status.hasPrefix("2") ? " (success)" : status.hasSuffix(".0.0") ? " (undefined status)" : "")
        let domain = r.recipient.split(separator: "@").last.map(String.init) ?? ""
        let queued = r.time - random.int(1...900)
        var diag: [UInt8] = Array("smtp;".utf8)
        diag.append(contentsOf: r.reply)
        let fields: [[UInt8]] = [
            Array(type.utf8), Array(Self.timestamp(r.time).utf8), Array(Self.timestamp(queued).utf8),
            Array("bounces+\(r.vmta)@mail.shop-example.com".utf8), Array(r.recipient.utf8),
            random.chance(200) ? Array("rfc822;\(r.recipient)".utf8) : [],
            Array((type == "d" ? "relayed" : type == "b" ? "failed" : "delayed").utf8), Array(statusText.utf8), diag,
            Array("mx.\(domain) (192.0.2.\(random.int(1...254)))".utf8),
            Array((type == "d" ? "" : Self.bounceCategory(r.label, type: type)).utf8),
            Array("smtp".utf8), Array("app\(random.int(1...4)).shop-example.com (198.51.100.2)".utf8), Array("smtp".utf8),
            Array(r.sourceIP.utf8), Array("192.0.2.\(random.int(1...254))".utf8),
            Array("PIPELINING,SIZE,ENHANCEDSTATUSCODES,8BITMIME,STARTTLS".utf8), Array("\(random.int(8_000...95_000))".utf8),
            Array(r.vmta.utf8), Array("campaign-\(random.int(1000...1040))".utf8), [],
        ]
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CSVFields.appendField(f, to: &out)
        }
        out.append(0x0A)
    }

    /// Appends `record` as one KumoMTA JSON log line. Invalid UTF-8 in the reply becomes U+FFFD (JSON is text).
    public mutating func appendKumoJSON(_ r: Record, to out: inout [UInt8]) {
        let parsed = Reply(parsing: r.reply)
        let type: String
        if r.delivered { type = "Delivery" } else { type = (parsed.code ?? 400) >= 500 ? "Bounce" : "TransientFailure" }
        // The response as KumoMTA splits it: code, enhanced code, and the rest; no code for a transport event.
        let hasLeadingCode = parsed.code != nil && parsed.textStart > 0
        let content: [UInt8] = hasLeadingCode ? Array(parsed.text) : parsed.line
        let code = hasLeadingCode ? parsed.code.map { Int($0) } ?? 0 : 0
        let enhanced = hasLeadingCode ? parsed.enhanced.map {
            "{\"class\":\($0.klass),\"subject\":\($0.subject),\"detail\":\($0.detail)}"
        } ?? "null" : "null"
        let domain = r.recipient.split(separator: "@").last.map(String.init) ?? ""
        let id = hex(random.next(), 16) + hex(random.next(), 16)
        var s = "{\"type\":\"\(type)\",\"id\":\"\(id)\",\"sender\":\"bounces@mail.shop-example.com\","
        s += "\"recipient\":\"\(r.recipient)\",\"queue\":\"campaign-\(random.int(1000...1040)):shop@\(domain)\","
        s += "\"site\":\"\(r.vmta)->mx.\(domain)\",\"size\":\(random.int(8_000...95_000)),"
        s += "\"response\":{\"code\":\(code),\"enhanced_code\":\(enhanced),\"content\":"
        s += JSON.string(String(decoding: content, as: UTF8.self))
        s += ",\"command\":\"RCPT TO:<\(r.recipient)>\\r\\n\"},"
        s += "\"peer_address\":{\"name\":\"mx.\(domain)\",\"addr\":\"192.0.2.\(random.int(1...254))\"},"
        s += "\"timestamp\":\(r.time),\"created\":\(r.time - random.int(1...900)),\"num_attempts\":\(random.int(1...3)),"
        s += "\"bounce_classification\":\"Uncategorized\",\"egress_pool\":\"pool-\(r.vmta.dropFirst(5).prefix(1))\","
        s += "\"egress_source\":\"\(r.vmta)\",\"source_address\":{\"address\":\"\(r.sourceIP):\(random.int(30_000...60_000))\",\"server\":null,\"protocol\":null},"
        s += "\"feedback_report\":null,\"meta\":{},\"headers\":{},\"delivery_protocol\":\"ESMTP\",\"reception_protocol\":\"ESMTP\",\"nodeid\":\"6f1c2a9e-0b7d-4c1e-9a3f-1d2e3f4a5b6c\"}\n"
        out.append(contentsOf: s.utf8)
    }

    /// Writes `records` records (plus the CSV header) to `path` (`-` is standard output), in blocks.
    public mutating func write(records: Int, format: Format, to path: String) throws(InputError) {
        let fd: Int32 = path == "-" ? 1 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        defer { if fd != 1 { close(fd) } }
        var block: [UInt8] = format == .csv ? Self.csvHeader : []
        for i in 0..<max(records, 0) {
            let r = nextRecord(index: i, of: records)
            if format == .csv { appendCSV(r, to: &block) } else { appendKumoJSON(r, to: &block) }
            if block.count >= 1 << 20 || i == records - 1 {
                try Self.writeAll(fd, block, path: path)
                block.removeAll(keepingCapacity: true)
            }
        }
        if !block.isEmpty { try Self.writeAll(fd, block, path: path) }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(InputError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
            offset += n
        }
    }

    /// PowerMTA's bounce categories for the generator's labels.
    static func bounceCategory(_ label: String, type: String) -> String {
        switch label {
        case "bad-mailbox": "bad-mailbox"
        case "inactive-mailbox": "inactive-mailbox"
        case "bad-domain": "bad-domain"
        case "quota": "quota-issues"
        case "spam", "blocklist": "spam-related"
        case "policy", "auth-failure", "reverse-dns", "tls-required": "policy-related"
        case "message-size": "message-expired"
        case "rate-limit": "policy-related"
        default: type == "t" ? "no-answer-from-host" : "other"
        }
    }

    /// `2026-11-22 09:07:34+0000`, PowerMTA's accounting time format.
    static func timestamp(_ t: Int) -> String {
        let days = t / 86_400, secs = t % 86_400
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))+0000"
    }
}

private func hex(_ v: UInt64, _ digits: Int) -> String {
    let s = String(v, radix: 16)
    let padded = String(repeating: "0", count: max(16 - s.count, 0)) + s
    return String(padded.suffix(digits))
}
