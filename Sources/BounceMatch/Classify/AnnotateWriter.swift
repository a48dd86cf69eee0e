#if canImport(Glibc)
import Glibc
#endif

/// Writes the input records again with the first matching rule and its label added, in input order:
/// CSV gets two columns (`bmRule`, `bmLabel`), JSON records two members (`bm_rule`, `bm_label`), plain
/// lines become `reply<TAB>index<TAB>label`. Unclassified replies get rule -1 and an empty label; records
/// of types not classified get empty columns (CSV) or are written unchanged (JSON); bad records are left out
/// (they are listed in the report with their line numbers).
public final class AnnotateWriter {
    private let out: OutputBuffer
    private let fd: Int32
    private var csvLabels: [[UInt8]] = []
    private var jsonLabels: [[UInt8]] = []
    private var tsvLabels: [[UInt8]] = []
    private var lastHeader: [UInt8]?
    private var line: [UInt8] = []

    /// Opens (creates or truncates) `path`; `-` is standard output.
    public init(path: String, ruleSet: RuleSet) throws(InputError) {
        if path == "-" {
            fd = 1
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        }
        out = OutputBuffer(fileDescriptor: fd, capacity: 1 << 18)
        for rule in ruleSet.rules {
            let label = Array(rule.label.utf8)
            var csv: [UInt8] = []
            CSVFields.appendField(label, to: &csv)
            csvLabels.append(csv)
            jsonLabels.append(Array(JSON.string(rule.label).utf8))
            tsvLabels.append(label.map { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        }
    }

    deinit {
        out.flush()
        if fd > 2 { close(fd) }
    }

    public func flush() { out.flush() }

    func header(_ layout: CSVLayout) {
        guard lastHeader != layout.headerBytes else { return }
        lastHeader = layout.headerBytes
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: layout.headerBytes)
        line.append(contentsOf: Array(",bmRule,bmLabel\n".utf8))
        line.withUnsafeBufferPointer { out.write($0) }
    }

    func write(_ record: UnsafeBufferPointer<UInt8>, outcome: RecordOutcome, format: InputFormat) {
        let rule: Int?
        switch outcome {
        case .matched(let i): rule = Int(i)
        case .unmatched: rule = -1
        case .skipped: rule = nil
        case .bad, .pending: return
        }
        switch format {
        case .csv:
            out.write(record)
            out.writeByte(UInt8(ascii: ","))
            if let rule {
                out.writeInt(rule)
                out.writeByte(UInt8(ascii: ","))
                if rule >= 0 { csvLabels[rule].withUnsafeBufferPointer { out.write($0) } }
            } else {
                out.writeByte(UInt8(ascii: ","))
            }
        case .kumoJSON:
            var close = record.count
            while close > 0 && record[close - 1] != UInt8(ascii: "}") { close -= 1 }
            guard let rule, close > 0 else {
                out.write(record)
                break
            }
            var open = close - 1
            while open > 0 && (record[open - 1] == 0x20 || record[open - 1] == 0x09) { open -= 1 }
            let empty = open > 0 && record[open - 1] == UInt8(ascii: "{")
            out.write(UnsafeBufferPointer(rebasing: record[0..<(close - 1)]))
            write(empty ? "\"bm_rule\":" : ",\"bm_rule\":")
            out.writeInt(rule)
            write(",\"bm_label\":")
            if rule >= 0 { jsonLabels[rule].withUnsafeBufferPointer { out.write($0) } } else { write("\"\"") }
            out.write(UnsafeBufferPointer(rebasing: record[(close - 1)...]))
        case .lines:
            out.write(record)
            out.writeByte(0x09)
            out.writeInt(rule ?? -1)
            out.writeByte(0x09)
            if let rule, rule >= 0 { tsvLabels[rule].withUnsafeBufferPointer { out.write($0) } }
        }
        out.writeByte(0x0A)
    }

    private func write(_ s: StaticString) {
        out.write(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
}
