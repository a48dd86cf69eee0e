#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to a file descriptor: one `write(2)` per 64 KiB instead of one per line.
public final class OutputBuffer {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let limit: Int

    public init(fileDescriptor: Int32 = 1, capacity: Int = 1 << 16) {
        self.fd = fileDescriptor
        self.limit = capacity
        buffer.reserveCapacity(capacity + 1024)
    }

    deinit { flush() }

    @inline(__always)
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= limit { flush() }
    }

    public func write(_ s: String) {
        var s = s
        s.withUTF8 { write($0) }
    }

    @inline(__always)
    public func writeByte(_ b: UInt8) {
        buffer.append(b)
        if buffer.count >= limit { flush() }
    }

    /// Writes a decimal integer without building a String.
    @inline(__always)
    public func writeInt(_ value: Int) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            writeInt(-value)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0
            buffer.append(contentsOf: d[(20 - count)...])
        }
        if buffer.count >= limit { flush() }
    }

    public func flush() {
        var offset = 0
        buffer.withUnsafeBufferPointer { p in
            while offset < p.count {
                let n = Glibc.write(fd, p.baseAddress! + offset, p.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
