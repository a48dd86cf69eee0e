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
    var bytes: [UInt8] { records.bytes }
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

    var count: Int { records.starts.count }

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

/// Records of one chunk: record `i` is `bytes[starts[i]..<ends[i]]` (without its line end); it began on
/// line `lines[i]`.
struct RecordBatch {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []
    var lines: [Int] = []
    var outcomes: [RecordOutcome] = []

    var count: Int { starts.count }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        outcomes.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func append(_ record: UnsafeBufferPointer<UInt8>, line: Int) {
        starts.append(bytes.count)
        bytes.append(contentsOf: record)
        ends.append(bytes.count)
        lines.append(line)
        outcomes.append(.pending)
    }

    mutating func appendBad(_ reason: BadRecordReason, line: Int) {
        starts.append(bytes.count)
        ends.append(bytes.count)
        lines.append(line)
        outcomes.append(.bad(reason))
    }
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
