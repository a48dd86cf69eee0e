import Glibc
import Testing
import BounceMatch
import TestSupport

/// `OutputBuffer` against the same writes collected in an array: integers at the edges, single bytes and
/// byte runs smaller than, around and larger than the buffer, on seeded random sequences.
@Suite struct OutputBufferTests {
    @Test func writesWhatItIsGiven() throws {
        var rng = SplitMix64(seed: 0x0B0F_FE12)
        for capacity in [1, 7, 64, 4096] {
            let path = try CLIRunner.temporaryFile("output-buffer-\(capacity).bin", [])
            let fd = open(path, O_WRONLY | O_TRUNC)
            #expect(fd >= 0)
            var expected: [UInt8] = []
            do {
                let out = OutputBuffer(fileDescriptor: fd, capacity: capacity)
                for _ in 0..<3_000 {
                    switch rng.next() % 4 {
                    case 0:
                        let edges = [0, 1, -1, 9, 10, -10, 99_999, Int.max, Int.min]
                        let v = rng.next() % 2 == 0 ? edges[Int(rng.next() % UInt64(edges.count))]
                            : Int(truncatingIfNeeded: rng.next()) >> Int(rng.next() % 64)
                        out.writeInt(v)
                        expected += Array(String(v).utf8)
                    case 1:
                        let b = UInt8(truncatingIfNeeded: rng.next())
                        out.writeByte(b)
                        expected.append(b)
                    default:
                        let bytes = (0..<Int(rng.next() % UInt64(3 * capacity + 100))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                        bytes.withUnsafeBufferPointer { out.write($0) }
                        expected += bytes
                    }
                }
            }  // the buffer flushes as it goes away
            close(fd)
            let written = SharedCorpora.readFile(path) ?? []
            // A Bool, not the arrays: a failing comparison of megabytes would take Swift Testing minutes to print.
            let same = written == expected
            #expect(same, "capacity \(capacity): \(written.count) bytes written, \(expected.count) expected")
        }
    }
}
