#if canImport(Glibc)
import Glibc
#endif

/// Unclassified replies grouped by shape, with a count and the first reply seen as the example.
///
/// Shapes and examples live in a `ByteArena`; lookups hash and compare bytes, so a shape seen before
/// costs no allocation. Holds at most `limit` shapes; new shapes past it are only counted.
///
/// The consumer adds each shape a worker reports as new to it (`add`), and counts the later replies of that
/// shape by the entry `add` returned (`addAgain`), without hashing or comparing bytes again.
struct ShapeTable {
    private struct Entry {
        var shape: UnsafeBufferPointer<UInt8>
        var example: UnsafeBufferPointer<UInt8>
        var count: Int
    }

    /// Examples are capped: the table must stay small even for 1 MB replies.
    static let maxExampleBytes = 2048

    private let arena = ByteArena()
    private var entries: [Entry] = []
    private var index = ShapeIndex()
    let limit: Int
    /// Replies whose shape was new once the table was full.
    private(set) var overflow = 0

    init(limit: Int) { self.limit = limit }

    var distinct: Int { entries.count }

    /// Counts one reply of this shape. Returns its entry, or -1 when the shape is new and the table full
    /// (the reply is then counted as overflow, as every later reply of that shape must be).
    @discardableResult
    mutating func add(shape: UnsafeBufferPointer<UInt8>, hash: UInt64, example: UnsafeBufferPointer<UInt8>) -> Int32 {
        let found = entries.withUnsafeBufferPointer { es in
            index.find(hash: hash) { memcmpEqual(es[Int($0)].shape, shape) }
        }
        switch found {
        case .found(let e):
            entries[Int(e)].count += 1
            return e
        case .empty(let slot):
            guard entries.count < limit else {
                overflow += 1
                return -1
            }
            entries.append(Entry(
                shape: arena.store(shape),
                example: arena.store(UnsafeBufferPointer(rebasing: example[0..<min(example.count, Self.maxExampleBytes)])),
                count: 1))
            return index.append(hash: hash, at: slot)
        }
    }

    /// Counts one more reply of the shape `add` returned `entry` for (-1: overflow).
    @inline(__always)
    mutating func addAgain(_ entry: Int32) {
        if entry >= 0 { entries[Int(entry)].count += 1 } else { overflow += 1 }
    }

    /// The groups, most frequent first (ties: first seen first).
    func groups() -> [UnclassifiedShape] {
        entries.indices.sorted { a, b in
            entries[a].count != entries[b].count ? entries[a].count > entries[b].count : a < b
        }.map { i in
            UnclassifiedShape(shape: Array(entries[i].shape), example: Array(entries[i].example), count: entries[i].count)
        }
    }
}

/// One worker's own map from shapes to small ids (0, 1, 2, ... in the order the worker first saw them), so
/// that a chunk carries one id per unclassified reply instead of its shape and example. Bounded: past
/// `limit` shapes or `arenaLimit` bytes, and for shapes longer than `maxShapeBytes`, `id` returns nil and
/// the caller sends the shape itself.
struct ShapeCache {
    private let arena = ByteArena()
    private var shapes: [UnsafeBufferPointer<UInt8>] = []
    private var index = ShapeIndex()
    private let limit: Int
    private let arenaLimit = 64 << 20
    static let maxShapeBytes = 4096

    init(limit: Int) { self.limit = limit }

    var count: Int { shapes.count }

    /// The id of `shape` and whether it was new to this cache; nil when it cannot be kept.
    @inline(__always)
    mutating func id(of shape: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (id: Int32, isNew: Bool)? {
        let found = shapes.withUnsafeBufferPointer { s in
            index.find(hash: hash) { memcmpEqual(s[Int($0)], shape) }
        }
        switch found {
        case .found(let e):
            return (e, false)
        case .empty(let slot):
            guard shapes.count < limit, shape.count <= Self.maxShapeBytes, arena.bytesStored < arenaLimit else { return nil }
            shapes.append(arena.store(shape))
            return (index.append(hash: hash, at: slot), true)
        }
    }
}

/// Open addressing on a (well mixed) 64-bit hash over entries numbered 0, 1, 2, ... in insertion order:
/// a slot holds entry + 1, 0 when empty; load factor at most 1/2. Keeps each entry's hash for growing.
struct ShapeIndex {
    enum Probe {
        case found(Int32)
        case empty(slot: Int)
    }

    private var slots = [Int32](repeating: 0, count: 1 << 12)
    private var hashes: [UInt64] = []

    var count: Int { hashes.count }

    /// The first entry with this hash for which `same` holds, or the empty slot that ends the probe sequence.
    @inline(__always)
    func find(hash: UInt64, same: (Int32) -> Bool) -> Probe {
        hashes.withUnsafeBufferPointer { h in
            slots.withUnsafeBufferPointer { s in
                let mask = s.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let e = s[slot] - 1
                    if e < 0 { return .empty(slot: slot) }
                    if h[Int(e)] == hash && same(e) { return .found(e) }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Adds the next entry in the empty `slot` `find` returned, and returns it.
    mutating func append(hash: UInt64, at slot: Int) -> Int32 {
        let e = Int32(hashes.count)
        hashes.append(hash)
        slots[slot] = e + 1
        if hashes.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            let mask = slots.count - 1
            for (i, h) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: h) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i + 1)
            }
        }
        return e
    }
}

/// Append-only byte storage whose bytes never move: blocks of 1 MiB (or one block per larger piece), so
/// growing it copies nothing and touches each page once.
final class ByteArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var next: UnsafeMutablePointer<UInt8>?
    private var room = 0
    private let blockSize = 1 << 20
    private(set) var bytesStored = 0

    init() {}

    deinit { for b in blocks { b.deallocate() } }

    /// Copies `bytes` into the arena; the result stays valid as long as the arena.
    func store(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let n = bytes.count
        bytesStored += n
        guard n > 0, let from = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        if n > room {
            let size = max(n, blockSize)
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            blocks.append(block)
            // A piece larger than a block gets a block of its own; the current block stays in use.
            if n >= blockSize {
                let p = block.bindMemory(to: UInt8.self, capacity: n)
                p.update(from: from, count: n)
                return UnsafeBufferPointer(start: p, count: n)
            }
            next = block.bindMemory(to: UInt8.self, capacity: size)
            room = size
        }
        let p = next!
        p.update(from: from, count: n)
        next = p + n
        room -= n
        return UnsafeBufferPointer(start: p, count: n)
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}
