// CPU hints the Swift language has no spelling for, as inline functions the Swift compiler inlines.
#ifndef BOUNCEMATCH_CCPU_H
#define BOUNCEMATCH_CCPU_H

/// Asks the CPU to bring the cache line holding `address` into every cache level (`prefetcht0` on x86-64).
/// A hint only: it never faults, whatever the address, and changes no memory.
static inline void ccpu_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
