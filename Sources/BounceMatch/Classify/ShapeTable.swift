/// Unclassified replies grouped by shape, with a count and the first reply seen as the example.
///
/// Shapes and examples live in one byte arena; lookups hash and compare bytes, so a shape seen before
/// costs no allocation. Holds at most `limit` shapes; new shapes past it are only counted.
struct ShapeTable {
    private struct Entry {
        var shape: Range<Int>
        var example: Range<Int>
        var count: Int
        var hash: UInt64
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing on the shape hash (already well mixed): entry index + 1, 0 for an empty slot.
    private var slots = [Int32](repeating: 0, count: 1 << 12)
    let limit: Int
    /// Replies whose shape was new once the table was full.
    private(set) var overflow = 0

    init(limit: Int) { self.limit = limit }

    var distinct: Int { entries.count }

    mutating func add(shape: UnsafeBufferPointer<UInt8>, hash: UInt64, example: UnsafeBufferPointer<UInt8>) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = Int(slots[slot]) - 1
            if e < 0 { break }
            if entries[e].hash == hash && entries[e].shape.count == shape.count && arena.withUnsafeBufferPointer({ a in
                memcmpEqual(UnsafeBufferPointer(rebasing: a[entries[e].shape]), shape)
            }) {
                entries[e].count += 1
                return
            }
            slot = (slot + 1) & mask
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
        entries.append(Entry(shape: s..<x, example: x..<arena.count, count: 1, hash: hash))
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { grow() }
    }

    /// Doubles the slot array and places every entry again (load factor at most 1/2).
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (i, e) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: e.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i + 1)
        }
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
