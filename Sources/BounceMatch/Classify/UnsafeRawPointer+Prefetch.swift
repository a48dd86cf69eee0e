import CCPU

extension UnsafeRawPointer {
    /// Asks the CPU to bring the cache line holding this address closer (`prefetcht0` on x86-64): Swift has
    /// no prefetch of its own, and a plain load would hold up the instructions after it until the line
    /// arrives, which is what prefetching avoids. A hint: never faults, changes nothing.
    @inline(__always)
    func prefetch() { ccpu_prefetch(self) }
}
