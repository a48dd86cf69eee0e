#if canImport(Glibc)
import Glibc
#endif

/// Reads the inputs one after another and cuts them into records, filling chunks.
///
/// Memory is bounded by the record limit: a record longer than `maxRecordBytes` is skipped and counted,
/// and a CSV quoted field that does not close within it is reported and reading resumes at the next line.
final class RecordReader {
    /// Bytes of all inputs consumed so far.
    var consumedTotal: Int64 { consumed }

    private let paths: [String]
    private let options: ClassifyOptions
    private var fileIndex = -1
    private var source: (any ByteSource)?
    private var file: InputFileInfo?

    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = true
    /// Number of the line that starts at `start` (1-based).
    private var line = 1
    private var consumedBefore: Int64 = 0
    private let readSize = 1 << 18

    /// Sizes of the inputs on disk, summed when every input is a regular file (for the ETA).
    private(set) var totalBytes: Int64?

    init(paths: [String], options: ClassifyOptions) {
        self.paths = paths
        self.options = options
        buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        var known = true
        for p in paths {
            var st = stat()
            if p != "-", stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { total += Int64(st.st_size) } else { known = false }
        }
        totalBytes = known ? total : nil
    }

    private var consumed: Int64 { consumedBefore + (source?.consumedBytes ?? 0) }

    /// Fills `chunk` with the next records (all of one file). False when every input is done.
    func fill(_ chunk: RecordChunk) -> Bool {
        chunk.reset()
        while true {
            if source == nil {
                fileIndex += 1
                guard fileIndex < paths.count else { return false }
                chunk.startsFile = true
                if let error = openNext() {
                    chunk.fileError = error
                    chunk.file = InputFileInfo(path: paths[fileIndex], index: fileIndex, format: options.format ?? .lines, layout: nil)
                    chunk.consumedAfter = consumed
                    return true
                }
            }
            chunk.file = file
            let format = file!.format
            // A local batch: appending to it needs no exclusivity check on the chunk's properties.
            var batch = RecordBatch()
            swap(&batch, &chunk.records)
            do throws(InputError) {
                while batch.count < options.recordsPerChunk && batch.bytes.count < options.bytesPerChunk {
                    guard try nextRecord(into: &batch, format: format) else {
                        closeCurrent()
                        break
                    }
                }
            } catch {
                chunk.fileError = error
                closeCurrent()
            }
            swap(&batch, &chunk.records)
            chunk.consumedAfter = consumed
            if chunk.count > 0 || chunk.fileError != nil || chunk.startsFile { return true }
        }
    }

    private func closeCurrent() {
        consumedBefore += source?.consumedBytes ?? 0
        source = nil
    }

    /// Opens the next input, detects its format and reads a CSV header. Returns the error when it fails.
    private func openNext() -> InputError? {
        let path = paths[fileIndex]
        start = 0
        end = 0
        eof = false
        line = 1
        do throws(InputError) {
            source = try InputFiles.open(path).source
            // Enough bytes to see the first line (or the first 64 KiB of it).
            while !eof && end < 1 << 16 && memchrIn(0x0A, from: 0) == nil { try read() }
            let format = options.format ?? buffer.withUnsafeBufferPointer {
                InputFormat.detect(UnsafeBufferPointer(rebasing: $0[0..<end]), replyField: options.fieldNames.reply)
            }
            var layout: CSVLayout?
            if format == .csv {
                var header = RecordBatch()
                guard try nextRecord(into: &header, format: .csv), header.count == 1, header.outcomes[0] == .pending else {
                    closeCurrent()
                    return InputError(path: path, reason: "no CSV header row")
                }
                var fields: [Range<Int>] = []
                var failure: InputLayoutError?
                header.bytes.withUnsafeBufferPointer { p in
                    if let column = CSVFields.split(p, into: &fields) {
                        failure = InputLayoutError(reason: "broken quoting in the CSV header at column \(column)")
                        return
                    }
                    do throws(InputLayoutError) {
                        layout = try CSVLayout(header: p, fields: fields, names: options.fieldNames)
                    } catch { failure = error }
                }
                if let failure {
                    closeCurrent()
                    return InputError(path: path, reason: failure.reason)
                }
            }
            file = InputFileInfo(path: path, index: fileIndex, format: format, layout: layout)
            return nil
        } catch {
            closeCurrent()
            return error
        }
    }

    /// Reads more input after `end`, first moving the unread bytes to the front and growing the buffer
    /// when one record needs more room.
    private func read() throws(InputError) {
        if start > 0 {
            let n = end - start
            if n > 0 {
                buffer.withUnsafeMutableBufferPointer { p in _ = memmove(p.baseAddress!, p.baseAddress! + start, n) }
            }
            end = n
            start = 0
        }
        if buffer.count - end < readSize / 4 {
            buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, readSize)))
        }
        var n = 0
        var failure: InputError?
        let source = self.source!
        let end = self.end
        buffer.withUnsafeMutableBytes { p in
            do throws(InputError) { n = try source.read(into: p.baseAddress! + end, count: p.count - end) } catch { failure = error }
        }
        if let failure { throw failure }
        if n == 0 { eof = true } else { self.end += n }
    }

    @inline(__always)
    private func memchrIn(_ byte: UInt8, from: Int, to: Int? = nil) -> Int? {
        let limit = to ?? end
        guard from < limit else { return nil }
        return buffer.withUnsafeBufferPointer { p in
            guard let hit = memchr(p.baseAddress! + from, Int32(byte), limit - from) else { return nil }
            return p.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Counts LF bytes in `buffer[from..<to]`.
    private func newlines(from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        while let nl = memchrIn(0x0A, from: i, to: to) {
            n += 1
            i = nl + 1
        }
        return n
    }

    /// Appends the next record (or bad record) to `chunk`. False at the end of the input.
    private func nextRecord(into chunk: inout RecordBatch, format: InputFormat) throws(InputError) -> Bool {
        let limit = options.maxRecordBytes
        // Offsets below are relative to `start`, which `read()` may move.
        var scan = 0
        var inQuotes = false
        var sawQuote = false
        while true {
            if format == .csv {
                // Quote-aware: a quote opens a quoted field only at a field's start; it closes at a quote
                // that is not doubled. Stray quotes are left for the field splitter to report.
                var progressed = true
                while progressed {
                    progressed = false
                    if inQuotes {
                        guard let q = memchrIn(UInt8(ascii: "\""), from: start + scan) else { scan = end - start; break }
                        if q + 1 < end {
                            if buffer[q + 1] == UInt8(ascii: "\"") { scan = q + 2 - start } else { inQuotes = false; scan = q + 1 - start }
                            progressed = true
                        } else if eof {
                            inQuotes = false
                            scan = q + 1 - start
                            progressed = true
                        } else {
                            scan = q - start
                        }
                    } else {
                        let nl = memchrIn(0x0A, from: start + scan)
                        if let q = memchrIn(UInt8(ascii: "\""), from: start + scan, to: nl ?? end) {
                            if q == start || buffer[q - 1] == UInt8(ascii: ",") { inQuotes = true; sawQuote = true }
                            scan = q + 1 - start
                            progressed = true
                        } else if let nl {
                            return emit(into: &chunk, format: format, recordEnd: nl, next: nl + 1, sawQuote: sawQuote)
                        } else {
                            scan = end - start
                        }
                    }
                }
            } else if let nl = memchrIn(0x0A, from: start + scan) {
                return emit(into: &chunk, format: format, recordEnd: nl, next: nl + 1, sawQuote: false)
            } else {
                scan = end - start
            }
            // No complete record in the buffer.
            if end - start > limit {
                if inQuotes, let nl = memchrIn(0x0A, from: start) {
                    // An unterminated quote swallowed the following lines: report it and read them again.
                    chunk.appendBad(.unterminatedQuote, line: line)
                    start = nl + 1
                    line += 1
                    return true
                }
                try skipLongLine(&chunk)
                return true
            }
            if eof {
                guard start < end else { return false }
                if inQuotes {
                    chunk.appendBad(.unterminatedQuote, line: line)
                    if let nl = memchrIn(0x0A, from: start) {
                        start = nl + 1
                        line += 1
                    } else {
                        start = end
                    }
                    return true
                }
                return emit(into: &chunk, format: format, recordEnd: end, next: end, sawQuote: sawQuote)
            }
            try read()
        }
    }

    /// Records `buffer[start..<recordEnd]` (a trailing CR dropped) and moves on to `next`.
    private func emit(into chunk: inout RecordBatch, format: InputFormat, recordEnd: Int, next: Int, sawQuote: Bool) -> Bool {
        var e = recordEnd
        if e > start && buffer[e - 1] == 0x0D { e -= 1 }
        let recordLine = line
        line += 1 + (sawQuote ? newlines(from: start, to: recordEnd) : 0)
        let s = start
        start = next
        if e - s > options.maxRecordBytes {
            chunk.appendBad(.tooLong(limit: options.maxRecordBytes), line: recordLine)
            return true
        }
        // Blank lines separate nothing in CSV or JSON logs; in plain lines an empty line is an empty reply.
        if e == s && format != .lines { return true }
        buffer.withUnsafeBufferPointer { chunk.append(UnsafeBufferPointer(rebasing: $0[s..<e]), line: recordLine) }
        return true
    }

    /// Discards bytes up to and including the next LF, reading as needed, and reports the record.
    private func skipLongLine(_ chunk: inout RecordBatch) throws(InputError) {
        chunk.appendBad(.tooLong(limit: options.maxRecordBytes), line: line)
        while true {
            if let nl = memchrIn(0x0A, from: start) {
                start = nl + 1
                line += 1
                return
            }
            start = end
            if eof { return }
            try read()
        }
    }
}
