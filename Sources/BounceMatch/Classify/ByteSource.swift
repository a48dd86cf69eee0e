#if canImport(Glibc)
import Glibc
#endif

/// A stream of input bytes: a plain file, standard input, or a gzip file inflated on the fly.
public protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer`; returns 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(InputError) -> Int
    /// Bytes of the underlying file consumed so far (compressed bytes for gzip), for progress.
    var consumedBytes: Int64 { get }
}

/// Opens inputs: `-` is standard input; gzip is recognised by its magic bytes (`1f 8b`), not its name.
public enum InputFiles {
    /// Opens `path` and returns its byte source and its size in bytes on disk (nil for pipes and stdin).
    public static func open(_ path: String) throws(InputError) -> (source: any ByteSource, size: Int64?) {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        }
        var st = stat()
        var size: Int64?
        if fstat(fd, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw InputError(path: path, reason: "is a directory")
            }
            if (st.st_mode & S_IFMT) == S_IFREG { size = Int64(st.st_size) }
        }
        let plain = FileByteSource(fileDescriptor: fd, ownsDescriptor: fd != 0, path: path)
        // Peek at the first two bytes; a pipe cannot seek back, so they are pushed back instead.
        var magic: [UInt8] = [0, 0]
        var got = 0
        while got < 2 {
            var n = 0
            var failure: InputError?
            magic.withUnsafeMutableBytes { p in
                do throws(InputError) { n = try plain.readRaw(into: p.baseAddress! + got, count: 2 - got) } catch { failure = error }
            }
            if let failure { throw failure }
            if n == 0 { break }
            got += n
        }
        plain.pushBack(Array(magic[0..<got]))
        if got == 2 && magic[0] == 0x1F && magic[1] == 0x8B {
            return (try GzipByteSource(inner: plain, path: path), size)
        }
        return (plain, size)
    }
}

/// A file descriptor read with `read(2)`, with a few pushed-back bytes served first.
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    let path: String
    private var pushed: [UInt8] = []
    private(set) var consumedBytes: Int64 = 0

    init(fileDescriptor: Int32, ownsDescriptor: Bool, path: String) {
        self.fd = fileDescriptor
        self.ownsDescriptor = ownsDescriptor
        self.path = path
    }

    deinit { if ownsDescriptor { close(fd) } }

    func pushBack(_ bytes: [UInt8]) {
        pushed = bytes
        consumedBytes -= Int64(bytes.count)
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(InputError) -> Int {
        if !pushed.isEmpty {
            let n = min(count, pushed.count)
            pushed.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pushed.removeFirst(n)
            consumedBytes += Int64(n)
            return n
        }
        return try readRaw(into: buffer, count: count)
    }

    func readRaw(into buffer: UnsafeMutableRawPointer, count: Int) throws(InputError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n >= 0 {
                consumedBytes += Int64(n)
                return n
            }
            if errno == EINTR { continue }
            throw InputError(path: path, reason: "read error: " + String(cString: strerror(errno)))
        }
    }
}
