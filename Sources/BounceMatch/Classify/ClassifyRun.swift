#if canImport(Glibc)
import Glibc
#endif

/// Progress of a run, reported on the consumer's thread (the caller's).
public struct ClassifyProgress: Sendable {
    public var bytesRead: Int64
    /// Total size of the inputs when every input is a regular file.
    public var totalBytes: Int64?
    public var records: Int
}

/// Classifies MTA logs: one reader thread cuts inputs into chunks of records, `threads` workers classify
/// chunks (each with its own matcher scratch), and the caller's thread takes chunks back in input order to
/// count them and write the annotated output. A fixed pool of chunks bounds memory whatever the input size.
public final class ClassifyRun {
    public let matcher: any Matcher
    public let options: ClassifyOptions

    public init(matcher: any Matcher, options: ClassifyOptions) {
        self.matcher = matcher
        self.options = options
    }

    /// Reads every input (see `InputPaths.expand` for globs), classifies it and returns the summary.
    /// `progress` is called at most every 200 ms.
    public func run(
        inputs: [String], annotate: AnnotateWriter? = nil, progress: ((ClassifyProgress) -> Void)? = nil
    ) -> ClassifySummary {
        let reader = RecordReader(paths: inputs, options: options)
        var consumer = ChunkConsumer(ruleCount: matcher.ruleSet.count, options: options, annotate: annotate)
        consumer.prepare(workers: max(options.threads, 1))
        consumer.summary.files = inputs
        var lastReport = monotonicSeconds()
        func consume(_ chunk: RecordChunk) {
            consumer.consume(chunk)
            if let progress {
                let now = monotonicSeconds()
                if now - lastReport >= 0.2 {
                    lastReport = now
                    progress(ClassifyProgress(bytesRead: chunk.consumedAfter, totalBytes: reader.totalBytes, records: consumer.summary.records))
                }
            }
        }
        let threads = max(options.threads, 1)
        if threads == 1 {
            let chunk = RecordChunk()
            let worker = RecordClassifier(matcher: matcher, options: options)
            while reader.fill(chunk) {
                worker.process(chunk)
                consume(chunk)
            }
            consumer.addShapeCounts(worker: 0, worker.shapeCounts)
        } else {
            let free = BlockingQueue<RecordChunk>()
            for _ in 0..<(threads * 2 + 2) { free.push(RecordChunk()) }
            let work = BlockingQueue<RecordChunk?>()
            let done = ReorderBuffer()
            let readerBox = UncheckedBox(reader)
            let readerThread = WorkerThread {
                var sequence = 0
                while true {
                    let chunk = free.pop()
                    guard readerBox.value.fill(chunk) else {
                        free.push(chunk)
                        break
                    }
                    chunk.sequence = sequence
                    sequence += 1
                    work.push(chunk)
                }
                done.finish(count: sequence)
                for _ in 0..<threads { work.push(nil) }
            }
            let matcher = self.matcher, options = self.options
            let shapeCounts = (0..<threads).map { _ in ShapeCountsBox() }
            let workers = (0..<threads).map { index in
                WorkerThread {
                    let classifier = RecordClassifier(matcher: matcher, options: options, index: index)
                    while let chunk = work.pop() {
                        classifier.process(chunk)
                        done.put(chunk)
                    }
                    shapeCounts[index].counts = classifier.shapeCounts
                }
            }
            var next = 0
            while let chunk = done.take(next) {
                consume(chunk)
                free.push(chunk)
                next += 1
            }
            readerThread.join()
            for w in workers { w.join() }
            // Read after the joins: each box was written by its worker before it ended.
            for (index, box) in shapeCounts.enumerated() { consumer.addShapeCounts(worker: index, box.counts) }
        }
        annotate?.flush()
        var summary = consumer.finish()
        summary.bytesRead = readerBytes(reader)
        progress?(ClassifyProgress(bytesRead: summary.bytesRead, totalBytes: reader.totalBytes, records: summary.records))
        return summary
    }

    private func readerBytes(_ reader: RecordReader) -> Int64 { reader.consumedTotal }
}

/// Hands chunks from the workers to the consumer in sequence order.
final class ReorderBuffer: @unchecked Sendable {
    private let lock = ConditionLock()
    private var ready: [Int: RecordChunk] = [:]
    private var total: Int?

    func put(_ chunk: RecordChunk) {
        lock.withLock {
            ready[chunk.sequence] = chunk
            lock.broadcast()
        }
    }

    func finish(count: Int) {
        lock.withLock {
            total = count
            lock.broadcast()
        }
    }

    /// Waits for chunk `sequence`; nil once every chunk has been taken.
    func take(_ sequence: Int) -> RecordChunk? {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let chunk = ready.removeValue(forKey: sequence) { return chunk }
            if let total, sequence >= total { return nil }
            lock.wait()
        }
    }
}

/// One worker's shape counts, written by that worker as it ends and read after it was joined.
final class ShapeCountsBox: @unchecked Sendable {
    var counts: [Int] = []
}

/// Moves a non-Sendable object to the one thread that uses it from then on.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Counts chunks in input order and writes the annotated records.
struct ChunkConsumer {
    var summary = ClassifySummary()
    private var shapes: ShapeTable
    private let options: ClassifyOptions
    private let annotate: AnnotateWriter?

    init(ruleCount: Int, options: ClassifyOptions, annotate: AnnotateWriter?) {
        self.options = options
        self.annotate = annotate
        shapes = ShapeTable(limit: options.maxShapes)
        summary.ruleCounts = [Int](repeating: 0, count: ruleCount)
    }

    /// Per worker: its shape ids (see `ShapeCache`) → entries of `shapes` (-1: counted as overflow).
    /// A worker takes chunks in increasing sequence order, so the first reply of a shape in input order is
    /// also the first its worker saw: it comes with its example, and chunks reach here in that same order.
    private var shapeEntries: [[Int32]] = []

    mutating func prepare(workers: Int) {
        shapeEntries = [[Int32]](repeating: [], count: workers)
    }

    mutating func consume(_ chunk: RecordChunk) {
        guard let file = chunk.file else { return }
        if chunk.startsFile, let layout = file.layout { annotate?.header(layout) }
        summary.undecided += chunk.undecided
        var shapeIndex = 0, freshIndex = 0
        let shapes = chunk.shapes
        var entries: [Int32] = []
        swap(&entries, &shapeEntries[chunk.worker])
        defer { swap(&entries, &shapeEntries[chunk.worker]) }
        // Everything the record loop reads is lent as buffer pointers once per chunk.
        let count = chunk.count
        chunk.withBytes { all in
        chunk.outcomes.withUnsafeBufferPointer { outcomes in
        shapes.ids.withUnsafeBufferPointer { ids in
        shapes.bytes.withUnsafeBufferPointer { s in
        shapes.examples.withUnsafeBufferPointer { x in
        shapes.ends.withUnsafeBufferPointer { shapeEnds in
        shapes.exampleEnds.withUnsafeBufferPointer { exampleEnds in
            for r in 0..<count {
                let outcome = outcomes[r]
                switch outcome {
                case .matched(let i):
                    summary.matched += 1
                    summary.ruleCounts[Int(i)] += 1
                case .unmatched:
                    summary.unmatched += 1
                    let id = ids[shapeIndex]
                    shapeIndex += 1
                    // A shape this worker has seen: its worker counts it (see `addShapeCounts`).
                    if id >= 0 && Int(id) < entries.count { break }
                    let f = freshIndex
                    freshIndex += 1
                    let shapeFrom = f == 0 ? 0 : shapeEnds[f - 1]
                    let exampleFrom = f == 0 ? 0 : exampleEnds[f - 1]
                    let entry = self.shapes.add(
                        shape: UnsafeBufferPointer(rebasing: s[shapeFrom..<shapeEnds[f]]),
                        hash: shapes.hashes[f],
                        example: UnsafeBufferPointer(rebasing: x[exampleFrom..<exampleEnds[f]])
                    )
                    if id >= 0 {
                        // Ids are handed out in order: a new one is always the next.
                        precondition(Int(id) == entries.count, "shape ids out of order")
                        entries.append(entry)
                    }
                case .skipped, .pending:
                    summary.skipped += 1
                case .bad(let reason):
                    summary.bad += 1
                    if summary.badRecords.count < options.maxBadRecordsKept {
                        summary.badRecords.append(BadRecord(file: file.path, line: chunk.lines[r], reason: reason))
                    }
                }
                if let annotate {
                    annotate.write(UnsafeBufferPointer(rebasing: all[chunk.starts[r]..<chunk.ends[r]]), outcome: outcome, format: file.format)
                }
            }
            summary.records += count
        }
        }
        }
        }
        }
        }
        }
        if let error = chunk.fileError { summary.fileErrors.append(error) }
    }

    /// Adds the replies a worker counted per shape id, past the first of each (counted by `add`).
    mutating func addShapeCounts(worker: Int, _ counts: [Int]) {
        let entries = shapeEntries[worker]
        precondition(counts.count == entries.count, "every shape id of a worker reaches the consumer")
        for (id, count) in counts.enumerated() where count > 1 {
            shapes.addAgain(entries[id], replies: count - 1)
        }
    }

    mutating func finish() -> ClassifySummary {
        summary.shapes = shapes.groups(top: options.shapesKept)
        summary.distinctShapes = shapes.distinct
        summary.shapeOverflow = shapes.overflow
        return summary
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
