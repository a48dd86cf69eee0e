#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor line by line into one reused buffer: memory stays bounded by the longest line,
/// whatever the stream's length. A line ends at LF; a CR before it is dropped. Bytes are never decoded.
public final class LineReader {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// 1-based number of the line most recently returned.
    public private(set) var lineNumber = 0

    /// The error that opening or reading hit, if any.
    public private(set) var readError: String?

    public init(fileDescriptor: Int32, ownsDescriptor: Bool = false, bufferSize: Int = 1 << 16) {
        self.fd = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        self.buffer = [UInt8](repeating: 0, count: max(bufferSize, 16))
    }

    /// Opens `path`; `-` means standard input.
    public convenience init(path: String) throws(InputError) {
        if path == "-" {
            self.init(fileDescriptor: 0)
            return
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError(path: path, reason: "is a directory")
        }
        self.init(fileDescriptor: fd, ownsDescriptor: true)
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Calls `body` with the next line (without LF and a trailing CR); false at end of input.
    /// The buffer is only valid inside `body`.
    @inline(__always)
    public func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        while true {
            if let nl = findNewline() {
                var lineEnd = nl
                if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let lineStart = start
                start = nl + 1
                lineNumber += 1
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            if eof {
                guard start < end else { return nil }
                var lineEnd = end
                if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let lineStart = start
                start = end
                lineNumber += 1
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
            }
            fill()
        }
    }

    private var scanFrom = 0

    private func findNewline() -> Int? {
        let from = max(start, scanFrom)
        guard from < end else { return nil }
        let found: Int? = buffer.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress,
                  let hit = memchr(base + from, 0x0A, end - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        scanFrom = found.map { $0 + 1 } ?? end
        return found
    }

    private func fill() {
        // Move the partial line to the front, then grow only if one line outgrows the buffer.
        if start > 0 {
            let n = end - start
            if n > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    _ = memmove(p.baseAddress!, p.baseAddress! + start, n)
                }
            }
            scanFrom -= start
            end = n
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let n = buffer.withUnsafeMutableBufferPointer { p in
            read(fd, p.baseAddress! + end, p.count - end)
        }
        if n > 0 {
            end += n
        } else if n == 0 {
            eof = true
        } else if errno != EINTR {
            readError = String(cString: strerror(errno))
            eof = true
        }
    }
}

/// An input file that could not be read.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
