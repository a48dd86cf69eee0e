import Yams

/// Byte offsets of line starts, so every rule-file reader can turn any offset into a 1-based line and byte column.
struct LineIndex {
    let file: String
    /// `starts[i]` is the byte offset where line `i + 1` starts.
    let starts: [Int]

    init(_ bytes: [UInt8], file: String) {
        self.file = file
        var s = [0]
        var i = 0
        while i < bytes.count {
            // CRLF, lone LF and lone CR each end a line, as libyaml and libxml2 count them.
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                i += 2
                s.append(i)
                continue
            }
            if bytes[i] == 0x0A || bytes[i] == 0x0D { s.append(i + 1) }
            i += 1
        }
        starts = s
    }

    /// The location of byte `offset` (clamped to the file).
    func location(_ offset: Int) -> SourceLocation {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return SourceLocation(file: file, line: lo + 1, column: max(offset - starts[lo], 0) + 1)
    }

    /// A file location for a Yams mark (1-based line, column in Unicode scalars) with a byte column; line 1 when
    /// the mark is missing or out of range.
    func location(_ mark: Mark?, in bytes: [UInt8]) -> SourceLocation {
        guard let mark, mark.line >= 1, mark.line <= starts.count else { return SourceLocation(file: file, line: 1) }
        return SourceLocation(file: file, line: mark.line, column: byteColumn(bytes, line: mark.line, scalarColumn: mark.column))
    }

    /// The byte column of the `scalarColumn`-th Unicode scalar of `line` (libyaml and libxml2 count scalars).
    func byteColumn(_ bytes: [UInt8], line: Int, scalarColumn: Int) -> Int {
        guard line >= 1, line <= starts.count else { return max(scalarColumn, 1) }
        var i = starts[line - 1], seen = 1
        while i < bytes.count, seen < scalarColumn, bytes[i] != 0x0A, bytes[i] != 0x0D {
            i += 1
            while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
            seen += 1
        }
        return i - starts[line - 1] + 1
    }
}

/// The offset of the first byte that breaks UTF-8, or nil when `bytes` is valid UTF-8.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var i = 0
    while i < bytes.count {
        let b = bytes[i]
        let need: Int
        if b < 0x80 { i += 1; continue }
        else if b >= 0xC2 && b <= 0xDF { need = 1 }
        else if b >= 0xE0 && b <= 0xEF { need = 2 }
        else if b >= 0xF0 && b <= 0xF4 { need = 3 }
        else { return i }
        guard i + need < bytes.count else { return i }
        for k in 1...need where bytes[i + k] & 0xC0 != 0x80 { return i }
        // Overlongs and surrogates: the second byte's range is narrower after E0, ED, F0, F4.
        let b1 = bytes[i + 1]
        if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F) || (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F) {
            return i
        }
        i += need + 1
    }
    return nil
}
