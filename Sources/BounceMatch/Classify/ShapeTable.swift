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
    }

    /// Examples are capped: the table must stay small even for 1 MB replies.
    static let maxExampleBytes = 2048

    private let arena = ByteArena()
    private var entries: [Entry] = []
    /// Replies per entry, apart from `entries`: counting touches only this small array.
    private var counts: [Int] = []
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
            counts[Int(e)] += 1
            return e
        case .empty(let slot):
            guard entries.count < limit else {
                overflow += 1
                return -1
            }
            entries.append(Entry(
                shape: arena.store(shape),
                example: arena.store(UnsafeBufferPointer(rebasing: example[0..<min(example.count, Self.maxExampleBytes)]))))
            counts.append(1)
            return index.append(hash: hash, at: slot)
        }
    }

    /// Counts `replies` more replies of the shape `add` returned `entry` for (-1: overflow).
    mutating func addAgain(_ entry: Int32, replies: Int) {
        if entry >= 0 { counts[Int(entry)] += replies } else { overflow += replies }
    }

    /// The groups, most frequent first (ties: first seen first): all, or the first `top`.
    func groups(top: Int? = nil) -> [UnclassifiedShape] {
        let counts = counts
        let before = { (a: Int, b: Int) in counts[a] != counts[b] ? counts[a] > counts[b] : a < b }
        let order: [Int]
        if let top, top < entries.count / 4 {
            // Partial selection: a sorted list of the best `top` so far; most entries lose to its last.
            var best: [Int] = []
            best.reserveCapacity(top + 1)
            if top > 0 {
                for i in entries.indices where best.count < top || before(i, best[best.count - 1]) {
                    var lo = 0, hi = best.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if before(best[mid], i) { lo = mid + 1 } else { hi = mid }
                    }
                    best.insert(i, at: lo)
                    if best.count > top { best.removeLast() }
                }
            }
            order = best
        } else {
            order = Array(entries.indices.sorted(by: before).prefix(top ?? entries.count))
        }
        return order.map { i in
            UnclassifiedShape(shape: Array(entries[i].shape), example: Array(entries[i].example), count: counts[i])
        }
    }
}

/// One worker's own map from shapes to small ids (0, 1, 2, ... in the order the worker first saw them), so
/// that a chunk carries one id per unclassified reply instead of its shape and example. It also counts the
/// replies per id (next to the shape it compares anyway), so the consumer adds them up once at the end
/// instead of touching its table for every reply. Bounded: past
/// `limit` shapes or `arenaLimit` bytes, and for shapes longer than `maxShapeBytes`, `id` returns nil and
/// the caller sends the shape itself.
///
/// Each shape is one record in the arena — hash, count, id, length, then the bytes — and a slot holds the
/// record's address: a lookup that finds its shape touches the slot and one record, nothing else.
struct ShapeCache {
    /// Record header: hash (8 bytes), count (8), id (4), length (4); the shape follows.
    private static let headerBytes = 24

    private let arena = ByteArena()
    private var slots = [UnsafeMutableRawPointer?](repeating: nil, count: 1 << 12)
    /// Records by id, for `counts` and growing.
    private var records: [UnsafeMutableRawPointer] = []
    private let limit: Int
    private let arenaLimit = 64 << 20
    static let maxShapeBytes = 4096

    init(limit: Int) { self.limit = limit }

    var count: Int { records.count }

    /// Replies seen per id.
    var counts: [Int] { records.map { $0.load(fromByteOffset: 8, as: Int.self) } }

    /// Prefetches the first slot `hash` probes (the first step of a lookup some time before it).
    @inline(__always)
    func prefetchSlot(hash: UInt64) {
        slots.withUnsafeBufferPointer { s in
            UnsafeRawPointer(s.baseAddress! + (Int(truncatingIfNeeded: hash) & (s.count - 1))).prefetch()
        }
    }

    /// Prefetches the record in the first slot `hash` probes, up to `byteCount` shape bytes: the second step,
    /// once that slot is in the cache. Most lookups find their shape in that first slot.
    @inline(__always)
    func prefetchRecord(hash: UInt64, byteCount: Int) {
        slots.withUnsafeBufferPointer { s in
            guard let r = s[Int(truncatingIfNeeded: hash) & (s.count - 1)] else { return }
            var offset = 0
            let end = Self.headerBytes + min(byteCount, Self.maxShapeBytes)
            while offset < end {
                UnsafeRawPointer(r + offset).prefetch()
                offset += 64
            }
        }
    }

    /// The id of `shape` and whether it was new to this cache; nil when it cannot be kept.
    @inline(__always)
    mutating func id(of shape: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (id: Int32, isNew: Bool)? {
        let n = shape.count
        let found: Int = slots.withUnsafeBufferPointer { s in
            let mask = s.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while let r = s[slot] {
                if r.load(as: UInt64.self) == hash && Int(r.load(fromByteOffset: 20, as: Int32.self)) == n
                    && (n == 0 || memcmp(r + Self.headerBytes, shape.baseAddress!, n) == 0) {
                    // Found: the count sits in the record just read.
                    r.storeBytes(of: r.load(fromByteOffset: 8, as: Int.self) + 1, toByteOffset: 8, as: Int.self)
                    return Int(r.load(fromByteOffset: 16, as: Int32.self))
                }
                slot = (slot + 1) & mask
            }
            return -1 - slot
        }
        if found >= 0 { return (Int32(found), false) }
        guard records.count < limit, n <= Self.maxShapeBytes, arena.bytesStored < arenaLimit else { return nil }
        let id = Int32(records.count)
        let r = arena.allocate(Self.headerBytes + n)
        r.storeBytes(of: hash, as: UInt64.self)
        r.storeBytes(of: 1, toByteOffset: 8, as: Int.self)
        r.storeBytes(of: id, toByteOffset: 16, as: Int32.self)
        r.storeBytes(of: Int32(n), toByteOffset: 20, as: Int32.self)
        if n > 0 { memcpy(r + Self.headerBytes, shape.baseAddress!, n) }
        records.append(r)
        slots[-1 - found] = r
        if records.count * 2 > slots.count {
            slots = [UnsafeMutableRawPointer?](repeating: nil, count: slots.count * 2)
            let mask = slots.count - 1
            for r in records {
                var slot = Int(truncatingIfNeeded: r.load(as: UInt64.self)) & mask
                while slots[slot] != nil { slot = (slot + 1) & mask }
                slots[slot] = r
            }
        }
        return (id, true)
    }
}

/// Open addressing on a (well mixed) 64-bit hash over entries numbered 0, 1, 2, ... in insertion order;
/// load factor at most 1/2. A slot holds the hash's upper half and entry + 1 (0: empty) in one word, so a
/// probe reads one cache line and compares bytes only when those 32 bits agree; it is also all that
/// growing needs.
struct ShapeIndex {
    enum Probe {
        case found(Int32)
        case empty(slot: Int)
    }

    private var slots = [UInt64](repeating: 0, count: 1 << 12)
    private(set) var count = 0

    /// The first entry with this hash for which `same` holds, or the empty slot that ends the probe sequence.
    @inline(__always)
    func find(hash: UInt64, same: (Int32) -> Bool) -> Probe {
        let tag = hash >> 32
        return slots.withUnsafeBufferPointer { s in
            let mask = s.count - 1
            var slot = Int(truncatingIfNeeded: tag) & mask
            while true {
                let v = s[slot]
                if v == 0 { return .empty(slot: slot) }
                let e = Int32(truncatingIfNeeded: v) - 1
                if v >> 32 == tag && same(e) { return .found(e) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds the next entry in the empty `slot` `find` returned, and returns it.
    mutating func append(hash: UInt64, at slot: Int) -> Int32 {
        let e = Int32(count)
        count += 1
        slots[slot] = (hash >> 32) << 32 | UInt64(UInt32(e + 1))
        if count * 2 > slots.count {
            let old = slots
            slots = [UInt64](repeating: 0, count: old.count * 2)
            let mask = slots.count - 1
            for v in old where v != 0 {
                var slot = Int(truncatingIfNeeded: v >> 32) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = v
            }
        }
        return e
    }
}

/// Append-only byte storage whose bytes never move: blocks of 2 MiB (or one block per larger piece), so
/// growing it copies nothing and touches each page once. Blocks are 2 MiB-aligned and offered to the kernel
/// as huge pages: lookups land on random records of megabytes, and 4 KiB pages made most of them TLB misses.
final class ByteArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var next: UnsafeMutablePointer<UInt8>?
    private var room = 0
    private let blockSize = 2 << 20
    private(set) var bytesStored = 0

    init() {}

    deinit { for b in blocks { free(b) } }

    private func newBlock(_ size: Int) -> UnsafeMutableRawPointer {
        var p: UnsafeMutableRawPointer?
        guard posix_memalign(&p, size == blockSize ? blockSize : 16, size) == 0, let p else {
            fatalError("out of memory (\(size) bytes)")
        }
        if size == blockSize { _ = madvise(p, size, MADV_HUGEPAGE) }
        blocks.append(p)
        return p
    }

    /// Room for `byteCount` bytes, 8-byte aligned, valid as long as the arena.
    func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let address = next.map { UInt(bitPattern: $0) } ?? 0
        let skip = Int((8 &- (address & 7)) & 7)
        if room < skip + byteCount {
            let size = max(byteCount, blockSize)
            let block = newBlock(size)
            bytesStored += byteCount
            // A piece larger than a block gets a block of its own; the current block stays in use.
            if byteCount >= blockSize { return block }
            next = block.bindMemory(to: UInt8.self, capacity: size) + byteCount
            room = size - byteCount
            return block
        }
        let p = UnsafeMutableRawPointer(next! + skip)
        next = next! + skip + byteCount
        room -= skip + byteCount
        bytesStored += byteCount
        return p
    }

    /// Copies `bytes` into the arena; the result stays valid as long as the arena.
    func store(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let n = bytes.count
        bytesStored += n
        guard n > 0, let from = bytes.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        if n > room {
            let size = max(n, blockSize)
            let block = newBlock(size)
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
