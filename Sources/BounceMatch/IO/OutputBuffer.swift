#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to a file descriptor: one `write(2)` per 64 KiB instead of one per line.
///
/// The bytes and their count live in memory the buffer allocates itself, reached through pointers: a
/// stored `[UInt8]` or `Int` property of a class is checked for exclusive access at run time on every
/// append (`swift_beginAccess`), which was ~7% of `bouncematch match` with a fast backend.
public final class OutputBuffer {
    private let fd: Int32
    private let limit: Int
    /// Room for `limit` bytes plus `slack`, so small writes never check for room before the flush test.
    private let storage: UnsafeMutablePointer<UInt8>
    private let used: UnsafeMutablePointer<Int>
    private static let slack = 64

    public init(fileDescriptor: Int32 = 1, capacity: Int = 1 << 16) {
        self.fd = fileDescriptor
        self.limit = max(capacity, 1)
        storage = .allocate(capacity: limit + Self.slack)
        used = .allocate(capacity: 1)
        used.initialize(to: 0)
    }

    deinit {
        flush()
        storage.deallocate()
        used.deallocate()
    }

    @inline(__always)
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        if used.pointee + bytes.count > limit + Self.slack {
            flush()
            if bytes.count > limit {
                // Larger than the buffer: straight to the file.
                writeAll(from, bytes.count)
                return
            }
        }
        (storage + used.pointee).update(from: from, count: bytes.count)
        used.pointee += bytes.count
        if used.pointee >= limit { flush() }
    }

    public func write(_ s: String) {
        var s = s
        s.withUTF8 { write($0) }
    }

    @inline(__always)
    public func writeByte(_ b: UInt8) {
        storage[used.pointee] = b
        used.pointee += 1
        if used.pointee >= limit { flush() }
    }

    /// Writes a decimal integer without building a String.
    @inline(__always)
    public func writeInt(_ value: Int) {
        // 20 digits and a sign fit in the slack, which the last flush test left free.
        var n = value.magnitude
        var digits = 0
        var probe = n
        repeat {
            digits += 1
            probe /= 10
        } while probe > 0
        var at = used.pointee
        if value < 0 {
            storage[at] = UInt8(ascii: "-")
            at += 1
        }
        var k = at + digits
        used.pointee = k
        repeat {
            k -= 1
            storage[k] = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
        } while n > 0
        if used.pointee >= limit { flush() }
    }

    public func flush() {
        writeAll(storage, used.pointee)
        used.pointee = 0
    }

    /// Writes every byte, retrying after signals; stops at the first other error (e.g. a closed pipe).
    private func writeAll(_ p: UnsafePointer<UInt8>, _ count: Int) {
        var offset = 0
        while offset < count {
            let n = Glibc.write(fd, p + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += n
        }
    }
}
