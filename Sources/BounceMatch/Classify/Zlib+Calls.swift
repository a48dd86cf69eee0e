import CZlib

/// Inflates a gzip stream (one or more concatenated members, as `cat a.gz b.gz` makes) from a byte source.
///
/// Every zlib call of the package is in this file.
final class GzipByteSource: ByteSource {
    private let inner: FileByteSource
    private let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private var input: [UInt8]
    private var inputEnd = false
    private var finished = false
    /// True once the current member has consumed input: the input may end only between members.
    private var inMember = false

    var consumedBytes: Int64 { inner.consumedBytes }

    init(inner: FileByteSource, path: String) throws(InputError) {
        self.inner = inner
        self.path = path
        self.input = [UInt8](repeating: 0, count: 1 << 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // SAFETY: `stream` is zero-initialised memory we own; 15 + 16 asks for gzip decoding only.
        let rc = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            throw InputError(path: path, reason: "zlib: inflateInit2 failed (\(rc))")
        }
    }

    deinit {
        // SAFETY: the stream was initialised by inflateInit2 and is ended exactly once.
        inflateEnd(stream)
        stream.deallocate()
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(InputError) -> Int {
        guard !finished, count > 0 else { return 0 }
        while true {
            if stream.pointee.avail_in == 0 && !inputEnd {
                var n = 0
                var failure: InputError?
                input.withUnsafeMutableBytes { p in
                    do throws(InputError) { n = try inner.read(into: p.baseAddress!, count: p.count) } catch { failure = error }
                }
                if let failure { throw failure }
                if n == 0 { inputEnd = true }
                stream.pointee.avail_in = UInt32(n)
            }
            let produced: Int
            let rc: Int32
            let consumedFrom: Int
            (rc, produced, consumedFrom) = input.withUnsafeMutableBufferPointer { inp in
                // SAFETY: next_in points into `input`, which stays alive and unmoved for this call; the
                // unconsumed tail sits at its end because avail_in counts back from the last read.
                let offset = inputOffset
                stream.pointee.next_in = inp.baseAddress! + offset
                stream.pointee.next_out = buffer.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(min(count, Int(UInt32.max)))
                let before = Int(stream.pointee.avail_in)
                let rc = inflate(stream, Z_NO_FLUSH)
                let produced = min(count, Int(UInt32.max)) - Int(stream.pointee.avail_out)
                return (rc, produced, before - Int(stream.pointee.avail_in))
            }
            inputOffset += consumedFrom
            if stream.pointee.avail_in == 0 { inputOffset = 0 }
            if consumedFrom > 0 { inMember = true }
            switch rc {
            case Z_STREAM_END:
                // Another member may follow; anything else after the end is not gzip and ends the input.
                inMember = false
                if stream.pointee.avail_in == 0 && inputEnd { finished = true }
                // SAFETY: resetting an initialised stream keeps its allocations and starts a new member.
                else if inflateReset(stream) != Z_OK { finished = true }
                if produced > 0 { return produced }
                if finished { return 0 }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if inputEnd && stream.pointee.avail_in == 0 {
                    if !inMember {
                        finished = true
                        return 0
                    }
                    throw InputError(path: path, reason: "gzip: unexpected end of compressed data")
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw InputError(path: path, reason: "gzip: \(message)")
            }
        }
    }

    private var inputOffset = 0
}
