/// The generator's PRNG: SplitMix64 with the integer-only helpers below, so a seed gives the same corpus on every
/// platform and Swift version (the standard library's `random(in:using:)` algorithm is not promised stable).
typealias CorpusRandom = SplitMix64

extension CorpusRandom {
    /// A value in `0..<n` (multiply-high reduction; the bias is far below anything a corpus can show).
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A value in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille / 1000`.
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index drawn with the given integer weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        var r = below(weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// `k` distinct items of `items` in their original order.
    mutating func sample<T>(_ items: [T], _ k: Int) -> [T] {
        var idx = Array(items.indices)
        for i in 0..<min(k, idx.count) { idx.swapAt(i, i + below(idx.count - i)) }
        return idx.prefix(min(k, idx.count)).sorted().map { items[$0] }
    }

    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, below(i + 1)) }
    }

    /// `count` decimal digits, leading zeros kept.
    mutating func digits(_ count: Int) -> String {
        var s = ""
        for _ in 0..<count { s.append(Character(Unicode.Scalar(UInt8(48 + below(10))))) }
        return s
    }

    /// `count` characters from `alphabet`.
    mutating func chars(_ count: Int, from alphabet: String) -> String {
        let a = Array(alphabet)
        var s = ""
        for _ in 0..<count { s.append(a[below(a.count)]) }
        return s
    }
}
