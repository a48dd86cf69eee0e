/// The record formats `classify` reads.
public enum InputFormat: String, Sendable, CaseIterable, Hashable {
    /// PowerMTA accounting CSV (RFC 4180, header row naming the fields).
    case csv
    /// KumoMTA JSON log records, one object per line.
    case kumoJSON = "kumo-json"
    /// One reply per line.
    case lines

    /// Detects the format from the first bytes of an input (after a UTF-8 byte-order mark and blank space):
    /// `{` starts KumoMTA JSON; a first line that is a CSV header naming `replyField` is CSV; anything
    /// else is plain reply lines.
    public static func detect(_ head: UnsafeBufferPointer<UInt8>, replyField: [UInt8]) -> InputFormat {
        var i = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { i = 3 }
        while i < head.count, head[i] == 0x20 || head[i] == 0x09 || head[i] == 0x0D || head[i] == 0x0A { i += 1 }
        guard i < head.count else { return .lines }
        if head[i] == UInt8(ascii: "{") { return .kumoJSON }
        var end = i
        while end < head.count, head[end] != 0x0A, head[end] != 0x0D { end += 1 }
        var fields: [Range<Int>] = []
        var name: [UInt8] = []
        let line = UnsafeBufferPointer(rebasing: head[i..<end])
        if CSVFields.split(line, into: &fields) == nil {
            for f in fields {
                CSVFields.unescape(line, f, into: &name)
                if name.withUnsafeBufferPointer({ asciiEqualIgnoringCase($0, replyField) }) { return .csv }
            }
        }
        return .lines
    }
}

/// ASCII case-insensitive byte equality.
@inline(__always)
func asciiEqualIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where asciiLowercase(a[i]) != asciiLowercase(b[i]) { return false }
    return true
}
