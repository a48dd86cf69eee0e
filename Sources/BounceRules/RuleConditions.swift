/// A basic-code condition: three positions, each a digit or a wildcard (`550`, `5xx`, `55x`).
public struct CodePattern: Hashable, Sendable, CustomStringConvertible {
    /// Digit per position, or nil for `x`.
    public var digits: (UInt8?, UInt8?, UInt8?)

    public init(digits: (UInt8?, UInt8?, UInt8?)) { self.digits = digits }

    public static func == (l: CodePattern, r: CodePattern) -> Bool {
        l.digits.0 == r.digits.0 && l.digits.1 == r.digits.1 && l.digits.2 == r.digits.2
    }

    public func hash(into h: inout Hasher) {
        h.combine(digits.0); h.combine(digits.1); h.combine(digits.2)
    }

    @inline(__always)
    public func matches(_ code: UInt16) -> Bool {
        guard code >= 100, code <= 999 else { return false }
        let d0 = UInt8(code / 100), d1 = UInt8(code / 10 % 10), d2 = UInt8(code % 10)
        return (digits.0 == nil || digits.0 == d0) && (digits.1 == nil || digits.1 == d1)
            && (digits.2 == nil || digits.2 == d2)
    }

    public var description: String {
        [digits.0, digits.1, digits.2].map { $0.map(String.init) ?? "x" }.joined()
    }
}

/// An enhanced-code condition: `5.1.1`, `5.7.*`, `4.*.*`.
public struct EnhancedCodePattern: Hashable, Sendable, CustomStringConvertible {
    public var klass: UInt16?
    public var subject: UInt16?
    public var detail: UInt16?

    public init(klass: UInt16?, subject: UInt16?, detail: UInt16?) {
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }

    @inline(__always)
    public func matches(_ e: EnhancedCode) -> Bool {
        (klass == nil || klass == e.klass) && (subject == nil || subject == e.subject)
            && (detail == nil || detail == e.detail)
    }

    public var description: String {
        [klass, subject, detail].map { $0.map(String.init) ?? "*" }.joined(separator: ".")
    }
}

/// A recipient-domain condition: an exact domain, or `*.example.com` for every subdomain
/// (the domain itself included). Stored lowercased.
public struct DomainPattern: Hashable, Sendable, CustomStringConvertible {
    public var domain: [UInt8]
    public var includesSubdomains: Bool

    public init(domain: [UInt8], includesSubdomains: Bool) {
        self.domain = domain.map(asciiLowercase)
        self.includesSubdomains = includesSubdomains
    }

    @inline(__always)
    public func matches(_ candidate: [UInt8]) -> Bool {
        if candidate == domain { return true }
        guard includesSubdomains, candidate.count > domain.count else { return false }
        let cut = candidate.count - domain.count
        guard candidate[cut - 1] == UInt8(ascii: ".") else { return false }
        for i in domain.indices where candidate[cut + i] != domain[i] { return false }
        return true
    }

    public var description: String {
        (includesSubdomains ? "*." : "") + String(decoding: domain, as: UTF8.self)
    }
}

/// An IPv4 or IPv6 CIDR block (a single address is a /32 or /128).
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    public var network: IPAddress
    /// Prefix length counted on the 128-bit form (an IPv4 /24 is stored as 96 + 24).
    public var prefixLength: Int

    public init(network: IPAddress, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    @inline(__always)
    public func contains(_ a: IPAddress) -> Bool {
        guard a.isIPv4 == network.isIPv4 else { return false }
        let hiBits = min(prefixLength, 64), loBits = max(prefixLength - 64, 0)
        let hiMask: UInt64 = hiBits == 0 ? 0 : ~UInt64(0) << UInt64(64 - hiBits)
        let loMask: UInt64 = loBits == 0 ? 0 : ~UInt64(0) << UInt64(64 - loBits)
        return a.bytes.0 & hiMask == network.bytes.0 & hiMask && a.bytes.1 & loMask == network.bytes.1 & loMask
    }

    public var description: String {
        "\(network)/\(network.isIPv4 ? prefixLength - 96 : prefixLength)"
    }
}

/// Conditions of a rule (SPEC §2). Each is optional; all present ones must hold.
/// A condition on a field the reply lacks does not hold.
public struct RuleConditions: Hashable, Sendable {
    public var codes: [CodePattern]
    public var enhancedCodes: [EnhancedCodePattern]
    public var domains: [DomainPattern]
    /// ISP names as written (resolved into `domains` when the rule set is built; kept for display).
    public var ispNames: [String]
    public var ips: [IPRange]
    public var phases: [SMTPPhase]
    /// The rule holds only for transport events (no SMTP response came).
    public var transportOnly: Bool
    /// The rule holds only for recipient errors (IBM Cognos `invalidRecipients`): phase `rcpt`, or an
    /// enhanced code `x.1.*` (addressing status) or `x.5.3` (too many recipients).
    public var recipientErrorOnly: Bool

    public init(
        codes: [CodePattern] = [],
        enhancedCodes: [EnhancedCodePattern] = [],
        domains: [DomainPattern] = [],
        ispNames: [String] = [],
        ips: [IPRange] = [],
        phases: [SMTPPhase] = [],
        transportOnly: Bool = false,
        recipientErrorOnly: Bool = false
    ) {
        self.codes = codes
        self.enhancedCodes = enhancedCodes
        self.domains = domains
        self.ispNames = ispNames
        self.ips = ips
        self.phases = phases
        self.transportOnly = transportOnly
        self.recipientErrorOnly = recipientErrorOnly
    }

    public var isEmpty: Bool {
        codes.isEmpty && enhancedCodes.isEmpty && domains.isEmpty && ispNames.isEmpty && ips.isEmpty
            && phases.isEmpty && !transportOnly && !recipientErrorOnly
    }

    /// Whether every condition holds for `reply`. Allocation-free in every build: plain index loops, no
    /// closures (an unspecialised `contains(where:)` boxes its closure in debug builds).
    @inline(__always)
    public func hold(for reply: Reply) -> Bool {
        if isEmpty { return true }
        if transportOnly && !reply.isTransportEvent { return false }
        if !codes.isEmpty {
            guard let c = reply.code else { return false }
            var any = false
            for i in codes.indices where codes[i].matches(c) { any = true; break }
            if !any { return false }
        }
        if !enhancedCodes.isEmpty {
            guard let e = reply.enhanced else { return false }
            var any = false
            for i in enhancedCodes.indices where enhancedCodes[i].matches(e) { any = true; break }
            if !any { return false }
        }
        if !domains.isEmpty {
            guard let d = reply.context.recipientDomain else { return false }
            var any = false
            for i in domains.indices where domains[i].matches(d) { any = true; break }
            if !any { return false }
        }
        if !ips.isEmpty {
            guard let a = reply.context.sendingIP else { return false }
            var any = false
            for i in ips.indices where ips[i].contains(a) { any = true; break }
            if !any { return false }
        }
        if !phases.isEmpty {
            guard let p = reply.context.phase else { return false }
            var any = false
            for i in phases.indices where phases[i] == p { any = true; break }
            if !any { return false }
        }
        if recipientErrorOnly {
            let byPhase = reply.context.phase == .rcpt
            var byCode = false
            if let e = reply.enhanced { byCode = e.subject == 1 || (e.subject == 5 && e.detail == 3) }
            if !byPhase && !byCode { return false }
        }
        return true
    }
}