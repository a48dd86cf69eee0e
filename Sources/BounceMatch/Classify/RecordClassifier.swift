/// One worker: classifies chunks with its own `RecordWork` (matcher scratch, buffers, intern tables).
final class RecordClassifier {
    private var work: RecordWork?

    /// `index` tells this worker's chunks apart for the consumer (its shape ids are its own).
    init(matcher: any Matcher, options: ClassifyOptions, index: Int = 0) {
        work = RecordWork(matcher: matcher, options: options)
        self.index = index
    }

    let index: Int

    deinit { work?.deallocate() }

    static func droppingDiagnosticType(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        RecordWork.droppingDiagnosticType(b)
    }

    /// Unclassified replies per shape id of this worker (see `ShapeCache`), once every chunk is processed.
    var shapeCounts: [Int] { work!.shapeCounts }

    /// Classifies every pending record of `chunk` in place.
    func process(_ chunk: RecordChunk) {
        // The state moves to a local for the chunk: its buffers are then mutated without dynamic
        // exclusivity checks on class properties, and stay uniquely referenced (no copy).
        var w = work.take()!
        chunk.worker = index
        w.process(chunk)
        work = w
    }
}

/// One worker's state: the matcher's scratch, a reusable `Reply`, parse buffers and small intern tables,
/// so classifying a warm chunk allocates nothing per record.
struct RecordWork {
    let matcher: any Matcher
    let options: ClassifyOptions
    private let scratch: any MatchScratch
    private var reply = Reply()
    private var fields: [Range<Int>] = []
    private var replyBytes: [UInt8] = []
    private var fieldScratch: [UInt8] = []
    private let kumo = KumoRecordParser()
    private var domains = InternTable<[UInt8]>()
    private var ips = InternTable<IPAddress?>()
    private let csvTypes: [[UInt8]]
    private let kumoTypes: [[UInt8]]
    /// The last unmatched replies and their shapes, oldest first, looked up in `shapeCache` two unmatched
    /// replies later (or when the chunk ends): the cache slot is prefetched when a shape is hashed, the record
    /// in that slot one reply later, so a lookup rarely waits for memory (the cache is megabytes).
    /// A ring of `lookAhead + 1` entries, updated in place (no copies, no reference counting per reply);
    /// `pendingCount` entries from `pendingStart` are queued, the others keep their buffers for reuse.
    private let pending: UnsafeMutablePointer<PendingShape>
    private var pendingStart = 0
    private var pendingCount = 0
    private var undecided = 0
    /// Shapes this worker has seen, so that a chunk carries an id per unmatched reply, not its shape.
    private var shapeCache: ShapeCache

    init(matcher: any Matcher, options: ClassifyOptions) {
        self.matcher = matcher
        self.options = options
        scratch = matcher.makeScratch()
        csvTypes = options.recordTypes.map { $0.map { Array($0.utf8) } } ?? [Array("b".utf8), Array("t".utf8)]
        kumoTypes = options.recordTypes.map { $0.map { Array($0.utf8) } }
            ?? [Array("Bounce".utf8), Array("TransientFailure".utf8)]
        replyBytes.reserveCapacity(4096)
        reply.line.reserveCapacity(4096)
        pending = .allocate(capacity: Self.lookAhead + 1)
        for i in 0...Self.lookAhead { (pending + i).initialize(to: PendingShape(capacity: ReplyShape.maxShapeCount(4096))) }
        shapeCache = ShapeCache(limit: options.maxShapes)
    }

    func deallocate() {
        for i in 0...Self.lookAhead { pending[i].buffer.deallocate() }
        pending.deinitialize(count: Self.lookAhead + 1)
        pending.deallocate()
    }

    /// Unmatched replies between prefetching a shape's cache slot and looking the shape up.
    private static let lookAhead = 2

    var shapeCounts: [Int] { shapeCache.counts }

    /// Classifies every pending record of `chunk` in place.
    mutating func process(_ chunk: RecordChunk) {
        guard let file = chunk.file else { return }
        let format = file.format
        let layout = file.layout
        var shapes = ShapeBatch()
        swap(&shapes, &chunk.shapes)
        var outcomes: [RecordOutcome] = []
        swap(&outcomes, &chunk.records.outcomes)
        let count = chunk.count
        chunk.withBytes { all in
            chunk.starts.withUnsafeBufferPointer { starts in
                chunk.ends.withUnsafeBufferPointer { ends in
                    outcomes.withUnsafeMutableBufferPointer { out in
                        for r in 0..<count {
                            guard case .pending = out[r] else { continue }
                            let record = UnsafeBufferPointer(rebasing: all[starts[r]..<ends[r]])
                            let outcome: RecordOutcome
                            switch format {
                            case .csv: outcome = classifyCSV(record, layout: layout!)
                            case .kumoJSON: outcome = classifyKumo(record)
                            case .lines: outcome = classify(record, context: options.defaultContext)
                            }
                            out[r] = outcome
                            if case .unmatched = outcome { recordShape(into: &shapes) }
                        }
                        while pendingCount > 0 { resolveOldest(into: &shapes) }
                    }
                }
            }
        }
        swap(&outcomes, &chunk.records.outcomes)
        swap(&shapes, &chunk.shapes)
        chunk.undecided += undecided
        undecided = 0
    }

    @inline(__always)
    private mutating func classify(_ bytes: UnsafeBufferPointer<UInt8>, context: ReplyContext) -> RecordOutcome {
        ReplyParser.parse(bytes, context: context, into: &reply)
        let result = matcher.firstMatch(reply, scratch: scratch)
        if !result.isDecided { undecided += 1 }
        return result.ruleIndex >= 0 ? .matched(Int32(result.ruleIndex)) : .unmatched
    }

    /// Masks the reply into a pending entry's buffer and hashes it there, prefetches its cache slot, and
    /// the record of the previous one; then looks up the oldest pending shape once `lookAhead` are queued.
    private mutating func recordShape(into shapes: inout ShapeBatch) {
        let ring = Self.lookAhead + 1
        let p = pending + (pendingStart + pendingCount) % ring
        let need = ReplyShape.maxShapeCount(reply.line.count)
        if need > p.pointee.capacity {
            p.pointee.buffer.deallocate()
            p.pointee.capacity = max(need, 2 * p.pointee.capacity)
            p.pointee.buffer = .allocate(capacity: p.pointee.capacity)
        }
        let buffer = p.pointee.buffer
        let prefix = reply.textStart
        let count = reply.line.withUnsafeBufferPointer { line in
            ReplyShape.mask(line, keepingPrefix: prefix, into: buffer)
        }
        let hash = ReplyShape.hash(UnsafeBufferPointer(start: buffer, count: count))
        p.pointee.count = count
        p.pointee.hash = hash
        shapeCache.prefetchSlot(hash: hash)
        if pendingCount > 0 {
            let last = pending + (pendingStart + pendingCount - 1) % ring
            shapeCache.prefetchRecord(hash: last.pointee.hash, byteCount: last.pointee.count)
        }
        // The reply moves into the entry (its example); the entry's old reply is parsed into next.
        swap(&reply, &p.pointee.reply)
        pendingCount += 1
        if pendingCount > Self.lookAhead { resolveOldest(into: &shapes) }
    }

    /// Looks up the oldest pending shape: appends its id in the worker's cache to `shapes`, and the shape
    /// and example too when they are new to this worker.
    private mutating func resolveOldest(into shapes: inout ShapeBatch) {
        let p = pending + pendingStart
        pendingStart = (pendingStart + 1) % (Self.lookAhead + 1)
        pendingCount -= 1
        let shape = UnsafeBufferPointer(start: p.pointee.buffer, count: p.pointee.count)
        let hash = p.pointee.hash
        let known = shapeCache.id(of: shape, hash: hash)
        shapes.ids.append(known?.id ?? -1)
        if let known, !known.isNew { return }
        // New to this worker (or not cacheable): the consumer needs the shape and the example.
        shapes.bytes.append(contentsOf: shape)
        shapes.hashes.append(hash)
        p.pointee.reply.line.withUnsafeBufferPointer { line in
            shapes.examples.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<min(line.count, ShapeTable.maxExampleBytes)]))
        }
        shapes.ends.append(shapes.bytes.count)
        shapes.exampleEnds.append(shapes.examples.count)
    }

    // MARK: PowerMTA accounting CSV

    private mutating func classifyCSV(_ record: UnsafeBufferPointer<UInt8>, layout: CSVLayout) -> RecordOutcome {
        if let column = CSVFields.split(record, into: &fields) { return .bad(.brokenQuoting(column: column)) }
        guard fields.count == layout.columnCount else {
            return .bad(.wrongColumnCount(found: fields.count, expected: layout.columnCount))
        }
        // The scratch buffers move to locals so that the closures below may mutate `self`.
        var scratchBytes: [UInt8] = []
        swap(&scratchBytes, &fieldScratch)
        defer { swap(&scratchBytes, &fieldScratch) }
        if let t = layout.typeColumn {
            let types = csvTypes
            let selected = CSVFields.withValue(record, fields[t], scratch: &scratchBytes) { value in
                types.contains { asciiEqualIgnoringCase(value, $0) }
            }
            if !selected { return .skipped }
        }
        var context = options.defaultContext
        if let c = layout.recipientColumn {
            let domain = CSVFields.withValue(record, fields[c], scratch: &scratchBytes) { internDomain(ofRecipient: $0) }
            if let domain { context.recipientDomain = domain }
        }
        if let c = layout.ipColumn {
            let ip = CSVFields.withValue(record, fields[c], scratch: &scratchBytes) { internIP($0) }
            if let ip { context.sendingIP = ip }
        }
        let replyField = fields[layout.replyColumn]
        return CSVFields.withValue(record, replyField, scratch: &scratchBytes) { value in
            classify(Self.droppingDiagnosticType(value), context: context)
        }
    }

    /// PowerMTA writes `dsnDiag` as a DSN Diagnostic-Code (RFC 3464): `smtp;550 5.1.1 ...`. The
    /// diagnostic type (`smtp;`, `x-...;`) is not part of the reply and is dropped with the spaces after it.
    static func droppingDiagnosticType(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var i = 0
        while i < b.count && i < 24 && (ReplyShape.isAlnum(b[i]) || b[i] == UInt8(ascii: "-")) { i += 1 }
        guard i < b.count, i > 0, b[i] == UInt8(ascii: ";") else { return b }
        let isSMTP = i == 4 && asciiLowercase(b[0]) == 0x73 && asciiLowercase(b[1]) == 0x6D
            && asciiLowercase(b[2]) == 0x74 && asciiLowercase(b[3]) == 0x70
        let isExtension = i > 2 && asciiLowercase(b[0]) == 0x78 && b[1] == UInt8(ascii: "-")
        guard isSMTP || isExtension else { return b }
        var j = i + 1
        while j < b.count && (b[j] == 0x20 || b[j] == 0x09) { j += 1 }
        return UnsafeBufferPointer(rebasing: b[j...])
    }

    // MARK: KumoMTA JSON

    private mutating func classifyKumo(_ record: UnsafeBufferPointer<UInt8>) -> RecordOutcome {
        if let bad = kumo.parse(record) { return .bad(bad) }
        let selected = kumo.type.withUnsafeBufferPointer { t in kumoTypes.contains { asciiEqualIgnoringCase(t, $0) } }
        guard selected else { return .skipped }
        guard kumo.hasResponse else { return .bad(.noResponse) }
        var context = options.defaultContext
        if let domain = kumo.recipient.withUnsafeBufferPointer({ internDomain(ofRecipient: $0) }) {
            context.recipientDomain = domain
        }
        let ip = kumo.sourceAddress.withUnsafeBufferPointer { internIP(Self.hostPart(ofSocketAddress: $0)) }
            ?? kumo.egressSource.withUnsafeBufferPointer { internIP($0) }
        if let ip { context.sendingIP = ip }
        if let phase = kumo.command.withUnsafeBufferPointer({ Self.phase(ofCommand: $0) }) { context.phase = phase }
        // The reply as the peer sent it: `code class.subject.detail content`.
        replyBytes.removeAll(keepingCapacity: true)
        if let code = kumo.code, code > 0 {
            appendDecimal(code, to: &replyBytes)
            replyBytes.append(0x20)
            if let (c, s, d) = kumo.enhanced {
                appendDecimal(c, to: &replyBytes)
                replyBytes.append(UInt8(ascii: "."))
                appendDecimal(s, to: &replyBytes)
                replyBytes.append(UInt8(ascii: "."))
                appendDecimal(d, to: &replyBytes)
                replyBytes.append(0x20)
            }
        }
        replyBytes.append(contentsOf: kumo.content)
        return replyBytes.withUnsafeBufferPointer { classify($0, context: context) }
    }

    /// `10.0.0.1:25` → `10.0.0.1`, `[2001:db8::1]:25` → `2001:db8::1`; an address without a port as it is.
    static func hostPart(ofSocketAddress b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if b.first == UInt8(ascii: "["), let close = b.firstIndex(of: UInt8(ascii: "]")) {
            return UnsafeBufferPointer(rebasing: b[1..<close])
        }
        var colons = 0, last = -1
        for i in 0..<b.count where b[i] == UInt8(ascii: ":") { colons += 1; last = i }
        return colons == 1 ? UnsafeBufferPointer(rebasing: b[0..<last]) : b
    }

    /// The SMTP phase from the command KumoMTA logs (`RCPT TO:<...>`, `MAIL FROM:<...>`, `EHLO`, `.`).
    static func phase(ofCommand b: UnsafeBufferPointer<UInt8>) -> SMTPPhase? {
        var i = 0
        while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        guard i < b.count else { return nil }
        func has(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            for k in 0..<n where asciiLowercase(b[i + k]) != word.utf8Start[k] { return false }
            return true
        }
        if has("rcpt") { return .rcpt }
        if has("mail") { return .mail }
        if has("ehlo") || has("helo") || has("lhlo") { return .helo }
        if has("data") || has("bdat") || b[i] == UInt8(ascii: ".") { return .data }
        return nil
    }

    // MARK: context interning

    /// The lowercased domain of a recipient, shared between records so that most records allocate nothing.
    private mutating func internDomain(ofRecipient b: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 || b[lo] == UInt8(ascii: "<") { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || b[hi - 1] == UInt8(ascii: ">") { hi -= 1 }
        var at = hi
        while at > lo && b[at - 1] != UInt8(ascii: "@") { at -= 1 }
        if at > lo { lo = at }
        if hi > lo, b[hi - 1] == UInt8(ascii: ".") { hi -= 1 }
        guard hi > lo else { return nil }
        let d = UnsafeBufferPointer(rebasing: b[lo..<hi])
        return domains.value(for: d, caseless: true) { Array($0.map(asciiLowercase)) }
    }

    private mutating func internIP(_ b: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        guard !b.isEmpty, b.count <= 64 else { return nil }
        return ips.value(for: b, caseless: false) { IPAddress(parsing: String(decoding: $0, as: UTF8.self)) }
    }
}

/// An unmatched reply waiting for its shape to be looked up, with its own mask buffer.
struct PendingShape {
    var reply = Reply()
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var count = 0
    var hash: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
        reply.line.reserveCapacity(4096)
    }
}

/// A small map from byte strings to values built once per distinct key (domains, IPs): lookups hash and
/// compare bytes without allocating. Cleared when it reaches its limit, so memory stays bounded.
struct InternTable<Value> {
    private var slots: [UInt64: [(key: [UInt8], value: Value)]] = [:]
    private var count = 0
    private let limit = 16_384

    mutating func value(
        for key: UnsafeBufferPointer<UInt8>, caseless: Bool, make: (UnsafeBufferPointer<UInt8>) -> Value
    ) -> Value {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key {
            h ^= UInt64(caseless ? asciiLowercase(b) : b)
            h &*= 0x100_0000_01B3
        }
        if let bucket = slots[h] {
            for entry in bucket where entry.key.count == key.count {
                var same = true
                for i in 0..<key.count where (caseless ? asciiLowercase(key[i]) : key[i]) != entry.key[i] {
                    same = false
                    break
                }
                if same { return entry.value }
            }
        }
        if count >= limit {
            slots.removeAll(keepingCapacity: true)
            count = 0
        }
        let value = make(key)
        slots[h, default: []].append((Array(caseless ? key.map(asciiLowercase) : Array(key)), value))
        count += 1
        return value
    }
}

@inline(__always)
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value < 0 {
        out.append(UInt8(ascii: "-"))
        appendDecimal(-value, to: &out)
        return
    }
    if value >= 10 { appendDecimal(value / 10, to: &out) }
    out.append(UInt8(ascii: "0") + UInt8(value % 10))
}
