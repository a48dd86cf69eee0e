#if canImport(Glibc)
import Glibc
#endif

/// RFC 4180 field splitting on the bytes of one record (which may hold newlines inside quoted fields).
///
/// A field range covers the field as written, quotes included; `value(_:_:scratch:)` gives its content.
enum CSVFields {
    /// Splits `record` at commas outside quotes into `fields` (cleared first). Returns nil when the quoting
    /// is well formed, else the 1-based column of the first quoting error: a quote inside an unquoted field,
    /// bytes after a closing quote, or a quoted field that never closes.
    static func split(_ record: UnsafeBufferPointer<UInt8>, into fields: inout [Range<Int>]) -> Int? {
        fields.removeAll(keepingCapacity: true)
        let n = record.count
        guard let p = record.baseAddress else {
            fields.append(0..<0)
            return nil
        }
        var error: Int?
        var start = 0
        var i = 0
        while true {
            if i < n && p[i] == UInt8(ascii: "\"") {
                // Quoted field: runs to the quote not doubled.
                var j = i + 1
                var closed = false
                while j < n, let q = memchr(p + j, Int32(UInt8(ascii: "\"")), n - j) {
                    j = p.distance(to: q.assumingMemoryBound(to: UInt8.self))
                    if j + 1 < n && p[j + 1] == UInt8(ascii: "\"") { j += 2; continue }
                    closed = true
                    break
                }
                if !closed {
                    if error == nil { error = i + 1 }
                    fields.append(start..<n)
                    return error
                }
                j += 1
                if j < n && p[j] != UInt8(ascii: ",") {
                    if error == nil { error = j + 1 }
                    while j < n && p[j] != UInt8(ascii: ",") { j += 1 }
                }
                fields.append(start..<j)
                if j >= n { return error }
                i = j + 1
                start = i
                continue
            }
            var j = commaOrQuote(p, from: i, count: n)
            while j < n && p[j] == UInt8(ascii: "\"") {
                // A quote inside an unquoted field: the record is bad; the field still ends at the comma.
                if error == nil { error = j + 1 }
                j = commaOrQuote(p, from: j + 1, count: n)
            }
            fields.append(start..<j)
            if j >= n { return error }
            i = j + 1
            start = i
        }
    }

    /// The first offset at or after `from` holding a comma or a quote (`count` when none), eight bytes per
    /// step: PowerMTA records are a few hundred bytes of mostly unquoted fields.
    @inline(__always)
    static func commaOrQuote(_ p: UnsafePointer<UInt8>, from: Int, count n: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let commas = ones &* UInt64(UInt8(ascii: ",")), quotes = ones &* UInt64(UInt8(ascii: "\""))
        let raw = UnsafeRawPointer(p)
        var i = from
        while i + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let x = w ^ commas, y = w ^ quotes
            // Bytes equal to zero in x or y; the lowest flagged byte is exact (borrows only run upwards).
            let t = ((x &- ones) & ~x | (y &- ones) & ~y) & highs
            if t != 0 { return i + t.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < n && p[i] != UInt8(ascii: ",") && p[i] != UInt8(ascii: "\"") { i += 1 }
        return i
    }

    /// Lends the content of a field to `body`: unquoted fields and quoted ones without a doubled quote as
    /// they are, other quoted ones unescaped into `scratch` (reused, so nothing is allocated once it is warm).
    @inline(__always)
    static func withValue<R>(
        _ record: UnsafeBufferPointer<UInt8>, _ field: Range<Int>, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        guard field.count >= 2, record[field.lowerBound] == UInt8(ascii: "\"") else {
            return try body(UnsafeBufferPointer(rebasing: record[field]))
        }
        let from = field.lowerBound + 1
        if let q = memchr(record.baseAddress! + from, Int32(UInt8(ascii: "\"")), field.upperBound - from) {
            let close = record.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self))
            // The first quote closes the field: nothing to unescape.
            if close + 1 >= field.upperBound || record[close + 1] != UInt8(ascii: "\"") {
                return try body(UnsafeBufferPointer(rebasing: record[from..<close]))
            }
        }
        unescape(record, field, into: &scratch)
        return try scratch.withUnsafeBufferPointer(body)
    }

    /// The unescaped content of a quoted field, into `out` (cleared first).
    static func unescape(_ record: UnsafeBufferPointer<UInt8>, _ field: Range<Int>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        guard field.count >= 2, record[field.lowerBound] == UInt8(ascii: "\"") else {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: record[field]))
            return
        }
        var j = field.lowerBound + 1
        let end = field.upperBound
        while j < end {
            // Copy up to the next quote in one piece.
            guard let q = memchr(record.baseAddress! + j, Int32(UInt8(ascii: "\"")), end - j) else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: record[j..<end]))
                return
            }
            let k = record.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self))
            out.append(contentsOf: UnsafeBufferPointer(rebasing: record[j..<k]))
            guard k + 1 < end && record[k + 1] == UInt8(ascii: "\"") else { return }
            out.append(UInt8(ascii: "\""))
            j = k + 2
        }
    }

    /// Appends `bytes` as one CSV field, quoted when it holds a comma, quote, CR or LF.
    static func appendField(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Where the fields `classify` reads sit in one CSV file, from its header row.
public final class CSVLayout: Sendable {
    public let fieldNames: [String]
    /// The header record's bytes as written (without its line end).
    public let headerBytes: [UInt8]
    let replyColumn: Int
    let recipientColumn: Int?
    let ipColumn: Int?
    let typeColumn: Int?

    init(header: UnsafeBufferPointer<UInt8>, fields: [Range<Int>], names: FieldNames) throws(InputLayoutError) {
        var nameBytes: [[UInt8]] = []
        for f in fields {
            var name: [UInt8] = []
            CSVFields.unescape(header, f, into: &name)
            nameBytes.append(name)
        }
        func column(_ name: [UInt8]) -> Int? {
            nameBytes.firstIndex { n in n.withUnsafeBufferPointer { asciiEqualIgnoringCase($0, name) } }
        }
        fieldNames = nameBytes.map { String(decoding: $0, as: UTF8.self) }
        headerBytes = Array(header)
        guard let reply = column(names.reply) else {
            throw InputLayoutError(reason: "the CSV header has no '\(String(decoding: names.reply, as: UTF8.self))' field (fields: \(fieldNames.joined(separator: ",")))")
        }
        replyColumn = reply
        recipientColumn = column(names.recipient)
        ipColumn = column(names.sendingIP)
        typeColumn = column(names.recordType)
    }

    var columnCount: Int { fieldNames.count }
}

/// The names of the CSV fields `classify` reads (PowerMTA's by default).
public struct FieldNames: Sendable, Hashable {
    public var reply: [UInt8] = Array("dsnDiag".utf8)
    public var recipient: [UInt8] = Array("rcpt".utf8)
    public var sendingIP: [UInt8] = Array("dlvSourceIp".utf8)
    public var recordType: [UInt8] = Array("type".utf8)
    public init() {}
}

struct InputLayoutError: Error {
    var reason: String
}
