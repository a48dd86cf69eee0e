import BounceMatch

/// Replies laid out back to back for the C baselines: reply i is `bytes[offsets[i] ..< offsets[i + 1]]`.
public final class ReplyBytes: @unchecked Sendable {
    public let bytes: [UInt8]
    public let offsets: [Int]
    public var count: Int { offsets.count - 1 }

    public init(_ replies: [Reply]) {
        var bytes: [UInt8] = []
        var offsets = [0]
        for r in replies {
            bytes += r.line
            offsets.append(bytes.count)
        }
        // A trailing byte keeps the base address valid even when every reply is empty.
        bytes.append(0)
        self.bytes = bytes
        self.offsets = offsets
    }
}
