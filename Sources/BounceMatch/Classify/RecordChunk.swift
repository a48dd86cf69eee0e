/// Why a record could not be classified. Carries numbers only, so recording one allocates nothing.
public enum BadRecordReason: Hashable, Sendable, CustomStringConvertible {
    /// The record is longer than the limit (bytes seen before it was skipped).
    case tooLong(limit: Int)
    /// A quoted CSV field never closes (within the record limit or before the end of the input).
    case unterminatedQuote
    /// A quote inside an unquoted field, or bytes after a closing quote, at this 1-based column.
    case brokenQuoting(column: Int)
    case wrongColumnCount(found: Int, expected: Int)
    /// JSON must be UTF-8; the first invalid byte is at this 1-based column.
    case invalidUTF8(column: Int)
    case invalidJSON(column: Int, what: JSONProblem)
    /// A KumoMTA record of a classified type without a `response`.
    case noResponse

    public enum JSONProblem: String, Hashable, Sendable {
        case notAnObject = "not a JSON object"
        case syntax = "syntax error"
        case tooDeep = "nesting deeper than 64"
        case badEscape = "bad string escape"
    }

    public var description: String {
        switch self {
        case .tooLong(let limit): "record longer than \(limit) bytes (skipped)"
        case .unterminatedQuote: "quoted field never closes; reading resumed at the next line"
        case .brokenQuoting(let column): "broken quoting at column \(column)"
        case .wrongColumnCount(let found, let expected): "\(found) fields, the header has \(expected)"
        case .invalidUTF8(let column): "invalid UTF-8 at column \(column)"
        case .invalidJSON(let column, let what): "invalid JSON at column \(column): \(what.rawValue)"
        case .noResponse: "record has no response"
        }
    }
}

/// What happened to one record.
enum RecordOutcome: Hashable, Sendable {
    /// Read but not classified yet.
    case pending
    case matched(Int32)
    case unmatched
    /// A record type not selected (e.g. PowerMTA `d` deliveries).
    case skipped
    case bad(BadRecordReason)
}

/// One input file as the pipeline sees it.
public final class InputFileInfo: Sendable {
    public let path: String
    public let index: Int
    public let format: InputFormat
    public let layout: CSVLayout?

    init(path: String, index: Int, format: InputFormat, layout: CSVLayout?) {
        self.path = path
        self.index = index
        self.format = format
        self.layout = layout
    }
}

/// A run of consecutive records of one file, handed from the reader to a worker and then, in input order,
/// to the consumer. Chunks come from a fixed pool and are reused, so memory stays constant.
final class RecordChunk: @unchecked Sendable {
    var sequence = 0
    var file: InputFileInfo?
    /// The file could not be opened or read (the chunk then holds the records read before the error).
    var fileError: InputError?
    var startsFile = false
    /// Bytes of all inputs consumed once this chunk was read (compressed bytes for gzip), for progress.
    var consumedAfter: Int64 = 0

    /// The records; the reader fills them through a local copy (swapped out and back, no copy of the storage).
    var records = RecordBatch()
    var starts: [Int] { records.starts }
    var ends: [Int] { records.ends }
    var lines: [Int] { records.lines }
    var outcomes: [RecordOutcome] { records.outcomes }
    /// Records whose answer the backend could not decide (budget or match limit).
    var undecided = 0

    /// For unmatched records, in record order: shape ids of the worker that classified the chunk, and the
    /// shapes new to it.
    var shapes = ShapeBatch()
    /// The worker that classified the chunk: shape ids are that worker's.
    var worker = 0

    /// Records in the chunk: the first `count` entries of `starts`, `ends`, `lines` and `outcomes`.
    var count: Int { records.count }

    /// Lends the bytes the records point into (empty when no record has bytes).
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let buffer = records.buffer { return try body(UnsafeBufferPointer(start: buffer.base, count: buffer.count)) }
        return try body(UnsafeBufferPointer(start: nil, count: 0))
    }

    func reset() {
        sequence = 0
        file = nil
        fileError = nil
        startsFile = false
        consumedAfter = 0
        records.reset()
        undecided = 0
        worker = 0
        shapes.reset()
    }
}

/// Records of one chunk: record `i < count` is `buffer[starts[i]..<ends[i]]` (without its line end); it began
/// on line `lines[i]`. The arrays keep their size between chunks (entries past `count` are stale), so that the
/// reader writes a record with four stores instead of four appends.
struct RecordBatch {
    /// The reader's buffer the records point into, shared with the reader: no record byte is copied. Nil when
    /// no record has bytes.
    var buffer: InputBuffer?
    var starts: [Int] = []
    var ends: [Int] = []
    var lines: [Int] = []
    var outcomes: [RecordOutcome] = []
    var count = 0

    mutating func reset() {
        buffer = nil
        count = 0
    }

    /// Makes the arrays hold at least `capacity` entries (once per chunk object: they are kept).
    mutating func prepare(capacity: Int) {
        guard starts.count < capacity else { return }
        let more = capacity - starts.count
        starts.append(contentsOf: repeatElement(0, count: more))
        ends.append(contentsOf: repeatElement(0, count: more))
        lines.append(contentsOf: repeatElement(0, count: more))
        outcomes.append(contentsOf: repeatElement(.pending, count: more))
    }
}

/// A batch's arrays lent as pointers while the reader fills it. Also tracks the span of bytes its records
/// point into, which bounds the chunk and says whether the reader may move the buffer's bytes.
struct RecordSink {
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    let lines: UnsafeMutablePointer<Int>
    let outcomes: UnsafeMutablePointer<RecordOutcome>
    /// Entries the four pointers cover (checked in debug builds, where the tests run).
    let capacity: Int
    var count = 0
    /// Where the first record with bytes starts (-1: none yet), and where the last one ends.
    var firstStart = -1
    var lastEnd = 0

    /// Some record points into the reader's buffer.
    var holdsBuffer: Bool { firstStart >= 0 }

    @inline(__always)
    mutating func append(start: Int, end: Int, line: Int) {
        assert(count < capacity, "record sink full")
        starts[count] = start
        ends[count] = end
        lines[count] = line
        outcomes[count] = .pending
        count += 1
        if firstStart < 0 { firstStart = start }
        lastEnd = end
    }

    mutating func appendBad(_ reason: BadRecordReason, line: Int) {
        assert(count < capacity, "record sink full")
        starts[count] = 0
        ends[count] = 0
        lines[count] = line
        outcomes[count] = .bad(reason)
        count += 1
    }
}

/// Bytes the reader read into, shared with the chunks whose records point into them. The reader writes into
/// a buffer only while no chunk holds it (`isKnownUniquelyReferenced`); chunks only read it.
final class InputBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(count: Int) {
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
        self.count = count
    }

    deinit { base.deallocate() }
}

/// The shapes of a chunk's unmatched records, in record order. A struct the worker swaps out of the chunk,
/// so that appending to it in the record loop needs no exclusivity check on a class property.
///
/// `ids` holds one entry per unmatched record: the id of its shape in the worker's `ShapeCache`, or -1 when
/// the cache could not keep it. Only the records whose id is new to the worker (or -1) bring their shape,
/// hash and example (the normalized reply, capped), in the `fresh` arrays, in record order.
struct ShapeBatch {
    var ids: [Int32] = []
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var hashes: [UInt64] = []
    var examples: [UInt8] = []
    var exampleEnds: [Int] = []

    mutating func reset() {
        ids.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        examples.removeAll(keepingCapacity: true)
        exampleEnds.removeAll(keepingCapacity: true)
    }
}
