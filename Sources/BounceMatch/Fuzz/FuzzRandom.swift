/// Integer-only draws on any seeded generator, so a fuzz seed reproduces the same case on every platform
/// (the standard library's `random(in:using:)` algorithm is not promised stable across versions).
extension RandomNumberGenerator {
    /// A value in `0..<n` (multiply-high reduction).
    @inlinable
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `percent / 100`.
    @inlinable
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    @inlinable
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// The fuzz tools' own seeded PRNG (SplitMix64): `bouncematch fuzz --seed N` and the libFuzzer targets use
/// it; tests may pass any `RandomNumberGenerator` (TestSupport's `SplitMix64` gives the same stream).
public struct FuzzRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator seeded from arbitrary bytes (a libFuzzer input), FNV-1a folded.
    public init(bytes: some Sequence<UInt8>) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        state = h
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A generator that replays a libFuzzer input byte by byte (then zeros), so libFuzzer's mutations steer the
/// choices a generator makes, and a short input means a small case.
///
/// Past the end it continues with `FuzzRandom` seeded from the input: a constant stream would make the
/// standard library's rejection sampling (`randomElement`, `Int.random(in:using:)`) loop forever.
public struct ByteStreamRandom: RandomNumberGenerator {
    let bytes: [UInt8]
    var offset = 0
    var tail: FuzzRandom

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        tail = FuzzRandom(bytes: bytes)
    }

    public var isExhausted: Bool { offset >= bytes.count }

    /// One input byte per draw, spread over 64 bits, so `below(n)` follows that byte (`b * n / 256`); the
    /// low bits come from the tail generator so repeated bytes still vary.
    public mutating func next() -> UInt64 {
        guard offset < bytes.count else { return tail.next() }
        let b = bytes[offset]
        offset += 1
        return UInt64(b) << 56 | (tail.next() >> 8)
    }
}
