/// How `ClassifyRun` reads and classifies its inputs.
public struct ClassifyOptions: Sendable {
    /// The input format; nil detects it per input from its first bytes.
    public var format: InputFormat?
    /// Worker threads; each has its own matcher scratch. Defaults to the number of online processors.
    public var threads: Int = onlineProcessorCount()
    /// Record types to classify: PowerMTA `type` values (default `b`, `t`) or KumoMTA `type` values
    /// (default `Bounce`, `TransientFailure`), compared ASCII case-insensitively. Other records are counted
    /// as skipped. Nil keeps the defaults.
    public var recordTypes: [String]?
    /// The CSV field names to read.
    public var fieldNames = FieldNames()
    /// Context for every reply (plain lines have no other); CSV and JSON fields override it per record.
    public var defaultContext = ReplyContext()
    /// A record longer than this is bad and skipped.
    public var maxRecordBytes = 1_000_000
    public var recordsPerChunk = 2_048
    public var bytesPerChunk = 1 << 20
    /// The reader's first buffer size (it grows for long records); small in tests to exercise refills.
    var readBufferBytes = 1 << 20
    /// Distinct unclassified shapes kept; further new shapes are counted together as "other shapes".
    public var maxShapes = 100_000
    /// Unclassified shapes the summary lists (the most frequent); nil lists all. The report shows only its
    /// top groups, so the CLI keeps just those instead of sorting and copying every shape.
    public var shapesKept: Int?
    /// Bad records whose file and line are kept for the report.
    public var maxBadRecordsKept = 100

    public init() {}
}
