/// An enhanced status code (RFC 3463): `class.subject.detail`.
public struct EnhancedCode: Hashable, Sendable, CustomStringConvertible {
    public var klass: UInt16
    public var subject: UInt16
    public var detail: UInt16

    public init(_ klass: UInt16, _ subject: UInt16, _ detail: UInt16) {
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }

    public var description: String { "\(klass).\(subject).\(detail)" }
}

/// The SMTP phase a reply answered, when the log says.
public enum SMTPPhase: String, Hashable, Sendable, CaseIterable, Codable {
    case connect, helo, mail, rcpt, data
}

/// An IPv4 or IPv6 address, as 16 bytes (IPv4 mapped into `::ffff:a.b.c.d`).
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public var bytes: (UInt64, UInt64)
    public var isIPv4: Bool

    public init(high: UInt64, low: UInt64, isIPv4: Bool) {
        self.bytes = (high, low)
        self.isIPv4 = isIPv4
    }

    public static func == (l: IPAddress, r: IPAddress) -> Bool {
        l.bytes.0 == r.bytes.0 && l.bytes.1 == r.bytes.1 && l.isIPv4 == r.isIPv4
    }

    public func hash(into h: inout Hasher) {
        h.combine(bytes.0); h.combine(bytes.1); h.combine(isIPv4)
    }

    public var description: String { IPAddress.format(self) }
}

/// What a log line or API call can carry beside the reply text (SPEC §1). All optional.
public struct ReplyContext: Hashable, Sendable {
    /// Lowercased ASCII bytes of the recipient domain.
    public var recipientDomain: [UInt8]?
    public var sendingIP: IPAddress?
    public var phase: SMTPPhase?

    public init(recipientDomain: [UInt8]? = nil, sendingIP: IPAddress? = nil, phase: SMTPPhase? = nil) {
        self.recipientDomain = recipientDomain.map { $0.map(asciiLowercase) }
        self.sendingIP = sendingIP
        self.phase = phase
    }

    public init(recipientDomain: String?, sendingIP: String? = nil, phase: SMTPPhase? = nil) {
        self.init(
            recipientDomain: recipientDomain.map { Array($0.utf8) },
            sendingIP: sendingIP.flatMap(IPAddress.init(parsing:)),
            phase: phase
        )
    }
}

/// A reply, normalized for matching (SPEC §1).
///
/// `line` holds the normalized bytes; `text` is a suffix of it. A `Reply` can be refilled in place
/// (`ReplyParser.parse(_:into:)`), which keeps its buffer and so allocates nothing per reply once warm.
public struct Reply: Sendable {
    /// The normalized line: one line, code once, CR/LF/TAB turned into spaces.
    public var line: [UInt8]
    /// Offset in `line` where `text` starts.
    public var textStart: Int
    /// The basic code (`550`), nil for a transport event.
    public var code: UInt16?
    public var enhanced: EnhancedCode?
    public var context: ReplyContext
    /// True when no SMTP response came (no code): connection refused, timed out, DNS or TLS failure.
    public var isTransportEvent: Bool

    public init(
        line: [UInt8] = [],
        textStart: Int = 0,
        code: UInt16? = nil,
        enhanced: EnhancedCode? = nil,
        context: ReplyContext = ReplyContext(),
        isTransportEvent: Bool = false
    ) {
        self.line = line
        self.textStart = textStart
        self.code = code
        self.enhanced = enhanced
        self.context = context
        self.isTransportEvent = isTransportEvent
    }

    /// The text part: the line without its leading code, enhanced code and separator.
    public var text: ArraySlice<UInt8> { line[textStart...] }

    /// The byte range of `target` inside `line`.
    @inline(__always)
    public func range(of target: MatchTarget) -> Range<Int> {
        target == .line ? 0..<line.count : textStart..<line.count
    }
}

@inline(__always)
public func asciiLowercase(_ b: UInt8) -> UInt8 {
    (b &- 0x41) < 26 ? b | 0x20 : b
}
