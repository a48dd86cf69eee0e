#if canImport(Glibc)
import Glibc
#endif

/// Reads the inputs one after another and cuts them into records, filling chunks.
///
/// Memory is bounded by the record limit: a record longer than `maxRecordBytes` is skipped and counted,
/// and a CSV quoted field that does not close within it is reported and reading resumes at the next line.
///
/// Records are not copied: a chunk's records point into the buffer they were read into, and the chunk holds
/// that buffer. Hence the invariant: the buffer's bytes move (`read()`) only while the batch being filled has
/// no record pointing into them; when a read is needed then, the chunk ends, and the unfinished record is
/// scanned again at the start of the next one. A buffer a chunk still holds is never written: `read()`
/// continues in another one (recycled from chunks the reader refills).
final class RecordReader {
    /// Bytes of all inputs consumed so far.
    var consumedTotal: Int64 { consumed }

    private let paths: [String]
    private let options: ClassifyOptions
    private var fileIndex = -1
    private var source: (any ByteSource)?
    private var file: InputFileInfo?

    private var buffer: InputBuffer
    /// Buffers of the current size that no chunk holds any more, for `read()` to continue in.
    private var spares: [InputBuffer] = []
    private var start = 0
    private var end = 0
    private var eof = true
    /// Number of the line that starts at `start` (1-based).
    private var line = 1
    private var consumedBefore: Int64 = 0
    /// Free room under which `read()` grows the buffer (by at least this much).
    private let readSize: Int

    /// Sizes of the inputs on disk, summed when every input is a regular file (for the ETA).
    private(set) var totalBytes: Int64?

    init(paths: [String], options: ClassifyOptions) {
        self.paths = paths
        self.options = options
        buffer = InputBuffer(count: max(options.readBufferBytes, 4))
        readSize = max(options.readBufferBytes / 4, 1)
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
        recycle(&chunk.records.buffer)
        chunk.reset()
        // Bounded so that a huge `recordsPerChunk` does not allocate its arrays up front.
        let capacity = max(1, min(options.recordsPerChunk, 1 << 16))
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
            // A local batch: writing to it needs no exclusivity check on the chunk's properties.
            var batch = RecordBatch()
            swap(&batch, &chunk.records)
            batch.prepare(capacity: capacity)
            var failure: InputError?
            let filled = batch.starts.withUnsafeMutableBufferPointer { starts in
                batch.ends.withUnsafeMutableBufferPointer { ends in
                    batch.lines.withUnsafeMutableBufferPointer { lines in
                        batch.outcomes.withUnsafeMutableBufferPointer { outcomes in
                            var sink = RecordSink(starts: starts.baseAddress!, ends: ends.baseAddress!, lines: lines.baseAddress!,
                                                  outcomes: outcomes.baseAddress!, capacity: capacity)
                            do throws(InputError) {
                                while sink.count < sink.capacity && (!sink.holdsBuffer || sink.lastEnd - sink.firstStart < options.bytesPerChunk) {
                                    let next = try nextRecord(into: &sink, format: format)
                                    if next == .bufferHeld { break }
                                    if next == .end {
                                        closeCurrent()
                                        break
                                    }
                                }
                            } catch {
                                failure = error
                                closeCurrent()
                            }
                            return sink
                        }
                    }
                }
            }
            batch.count = filled.count
            if filled.holdsBuffer { batch.buffer = buffer }
            swap(&batch, &chunk.records)
            if let failure { chunk.fileError = failure }
            chunk.consumedAfter = consumed
            if chunk.count > 0 || chunk.fileError != nil || chunk.startsFile { return true }
        }
    }

    /// Takes back the buffer of a chunk being refilled: once no chunk holds it, it can be read into again.
    private func recycle(_ old: inout InputBuffer?) {
        guard old != nil else { return }
        if old !== buffer && isKnownUniquelyReferenced(&old) && old!.count == buffer.count && spares.count < 4 {
            spares.append(old!)
        }
        old = nil
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
            let format = options.format
                ?? InputFormat.detect(UnsafeBufferPointer(start: buffer.base, count: end), replyField: options.fieldNames.reply)
            var layout: CSVLayout?
            if format == .csv {
                // The header is copied out: the layout outlives the buffer's bytes.
                let offsets = UnsafeMutablePointer<Int>.allocate(capacity: 3)
                offsets.initialize(repeating: 0, count: 3)
                let outcome = UnsafeMutablePointer<RecordOutcome>.allocate(capacity: 1)
                outcome.initialize(to: .pending)
                defer {
                    offsets.deallocate()
                    outcome.deallocate()
                }
                var sink = RecordSink(starts: offsets, ends: offsets + 1, lines: offsets + 2, outcomes: outcome, capacity: 1)
                guard try nextRecord(into: &sink, format: .csv) == .record, sink.count == 1, outcome.pointee == .pending else {
                    closeCurrent()
                    return InputError(path: path, reason: "no CSV header row")
                }
                let header = Array(UnsafeBufferPointer(start: buffer.base + offsets[0], count: offsets[1] - offsets[0]))
                var fields: [Range<Int>] = []
                var failure: InputLayoutError?
                header.withUnsafeBufferPointer { p in
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

    /// Reads more input after `end`, first moving the unread bytes to the front (of another buffer when a
    /// chunk holds this one) and growing the buffer when one record needs more room.
    private func read() throws(InputError) {
        let n = end - start
        if !isKnownUniquelyReferenced(&buffer) {
            // Chunks' records point into this buffer: continue in one no chunk holds.
            let next = spares.popLast() ?? InputBuffer(count: buffer.count)
            if n > 0 { _ = memcpy(next.base, buffer.base + start, n) }
            buffer = next
        } else if start > 0 && n > 0 {
            _ = memmove(buffer.base, buffer.base + start, n)
        }
        end = n
        start = 0
        if buffer.count - end < readSize / 4 {
            let grown = InputBuffer(count: buffer.count + max(buffer.count, readSize))
            if n > 0 { _ = memcpy(grown.base, buffer.base, n) }
            buffer = grown
            spares.removeAll()
        }
        let got = try source!.read(into: buffer.base + end, count: buffer.count - end)
        if got == 0 { eof = true } else { end += got }
    }

    @inline(__always)
    private func memchrIn(_ byte: UInt8, from: Int, to: Int? = nil) -> Int? {
        let limit = to ?? end
        guard from < limit else { return nil }
        let base = buffer.base
        guard let hit = memchr(base + from, Int32(byte), limit - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
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

    /// What `nextRecord` did.
    private enum Step {
        /// Appended a record or a bad record, or skipped a blank line.
        case record
        /// Needs to read, which would move bytes the batch's records point into: the batch must end first.
        case bufferHeld
        /// The end of the input.
        case end
    }

    /// Appends the next record (or bad record) to `chunk`.
    private func nextRecord(into chunk: inout RecordSink, format: InputFormat) throws(InputError) -> Step {
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
                            if buffer.base[q + 1] == UInt8(ascii: "\"") { scan = q + 2 - start } else { inQuotes = false; scan = q + 1 - start }
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
                            if q == start || buffer.base[q - 1] == UInt8(ascii: ",") { inQuotes = true; sawQuote = true }
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
                    return .record
                }
                if chunk.holdsBuffer { return .bufferHeld }
                try skipLongLine(&chunk)
                return .record
            }
            if eof {
                guard start < end else { return .end }
                if inQuotes {
                    chunk.appendBad(.unterminatedQuote, line: line)
                    if let nl = memchrIn(0x0A, from: start) {
                        start = nl + 1
                        line += 1
                    } else {
                        start = end
                    }
                    return .record
                }
                return emit(into: &chunk, format: format, recordEnd: end, next: end, sawQuote: sawQuote)
            }
            if chunk.holdsBuffer { return .bufferHeld }
            try read()
        }
    }

    /// Records `buffer[start..<recordEnd]` (a trailing CR dropped) and moves on to `next`.
    @inline(__always)
    private func emit(into chunk: inout RecordSink, format: InputFormat, recordEnd: Int, next: Int, sawQuote: Bool) -> Step {
        var e = recordEnd
        if e > start && buffer.base[e - 1] == 0x0D { e -= 1 }
        let recordLine = line
        line += 1 + (sawQuote ? newlines(from: start, to: recordEnd) : 0)
        let s = start
        start = next
        if e - s > options.maxRecordBytes {
            chunk.appendBad(.tooLong(limit: options.maxRecordBytes), line: recordLine)
            return .record
        }
        // Blank lines separate nothing in CSV or JSON logs; in plain lines an empty line is an empty reply.
        if e == s && format != .lines { return .record }
        chunk.append(start: s, end: e, line: recordLine)
        return .record
    }

    /// Discards bytes up to and including the next LF, reading as needed, and reports the record. Only called
    /// while the batch holds no record with bytes, so reading may move the buffer's bytes.
    private func skipLongLine(_ chunk: inout RecordSink) throws(InputError) {
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
