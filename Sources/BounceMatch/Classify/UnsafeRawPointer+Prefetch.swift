/// LLVM's prefetch intrinsic (`prefetcht0` on x86-64): Swift has no prefetch of its own, and a plain load
/// would hold up the instructions after it until the cache line arrives, which is what prefetching avoids.
/// Arguments: address, 0 = read, locality 3 = keep in all cache levels, 1 = data cache.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

extension UnsafeRawPointer {
    /// Asks the CPU to bring the cache line holding this address closer; never faults, changes nothing.
    @inline(__always)
    func prefetch() { llvmPrefetch(self, 0, 3, 1) }
}
