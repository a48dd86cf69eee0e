/// Unclassified replies grouped by shape, with a count and the first reply seen as the example.
///
/// Shapes and examples live in one byte arena; lookups hash and compare bytes, so a shape seen before
/// costs no allocation. Holds at most `limit` shapes; new shapes past it are only counted.
struct ShapeTable {
    private struct Entry {
        var shape: Range<Int>
        var example: Range<Int>
        var count: Int
        var next: Int
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    private var heads: [UInt64: Int] = [:]
    let limit: Int
    /// Replies whose shape was new once the table was full.
    private(set) var overflow = 0

    init(limit: Int) { self.limit = limit }

    var distinct: Int { entries.count }

    mutating func add(shape: UnsafeBufferPointer<UInt8>, hash: UInt64, example: UnsafeBufferPointer<UInt8>) {
        var index = heads[hash] ?? -1
        while index >= 0 {
            let e = entries[index]
            if e.shape.count == shape.count && arena.withUnsafeBufferPointer({ a in
                memcmpEqual(UnsafeBufferPointer(rebasing: a[e.shape]), shape)
            }) {
                entries[index].count += 1
                return
            }
            index = e.next
        }
        guard entries.count < limit else {
            overflow += 1
            return
        }
        let s = arena.count
        arena.append(contentsOf: shape)
        let x = arena.count
        // Examples are capped: the table must stay small even for 1 MB replies.
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: example[0..<min(example.count, 2048)]))
        entries.append(Entry(shape: s..<x, example: x..<arena.count, count: 1, next: heads[hash] ?? -1))
        heads[hash] = entries.count - 1
    }

    /// The groups, most frequent first (ties: first seen first).
    func groups() -> [UnclassifiedShape] {
        entries.indices.sorted { a, b in
            entries[a].count != entries[b].count ? entries[a].count > entries[b].count : a < b
        }.map { i in
            UnclassifiedShape(shape: Array(arena[entries[i].shape]), example: Array(arena[entries[i].example]), count: entries[i].count)
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}

#if canImport(Glibc)
import Glibc
#endif
