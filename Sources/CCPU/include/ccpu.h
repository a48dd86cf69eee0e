// CPU features the Swift language has no spelling for, as inline functions the Swift compiler inlines.
#ifndef BOUNCEMATCH_CCPU_H
#define BOUNCEMATCH_CCPU_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Asks the CPU to bring the cache line holding `address` into every cache level (`prefetcht0` on x86-64).
/// A hint only: it never faults, whatever the address, and changes no memory.
static inline void ccpu_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// One bit per byte of a 64-byte block, bit `k` for byte `k`: which bytes are ASCII digits, ASCII letters or
/// digits, and *triggers*, the places where a reply's shape can change: digits, and those `:` and `-` that
/// follow a hex letter (`fe::1`, a UUID) or, for `:`, start a token (`::1`). A `:` or `-` after any other
/// byte (`Error:`, `e-mail` ends in `l`... ) leaves the shape as it is; the first byte of a block is always
/// a trigger when it is `:` or `-` (its neighbour is in the block before).
typedef struct {
    uint64_t digit;
    uint64_t alnum;
    uint64_t trigger;
} ccpu_class_bits;

/// The trigger bits from the per-byte classes (see `ccpu_class_bits`).
static inline uint64_t ccpu_triggers(uint64_t digit, uint64_t alnum, uint64_t hexLetter, uint64_t colon, uint64_t dash) {
    uint64_t afterHexLetter = (hexLetter << 1) | 1;
    uint64_t afterToken = ((alnum | colon) << 1);
    return digit | (dash & afterHexLetter) | (colon & (afterHexLetter | ~afterToken));
}

#if defined(__SSE2__)
/// Bytes of `v` whose value minus `low` (wrapping) is below `count`, as a 16-bit mask: an unsigned range test
/// done as one signed compare after moving the range to the bottom of the signed order.
static inline uint64_t ccpu_in_range16(__m128i v, char low, char count) {
    __m128i shifted = _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(low)), _mm_set1_epi8((char)0x80));
    return (uint64_t)_mm_movemask_epi8(_mm_cmplt_epi8(shifted, _mm_set1_epi8((char)(0x80 + count))));
}
#endif

/// The class bits of `count` bytes at `bytes` (at most 64; the bytes after them count as none of the classes).
/// SSE2 (part of baseline x86-64) classifies 16 bytes per step; elsewhere a byte loop gives the same bits.
static inline ccpu_class_bits ccpu_classify64(const uint8_t *bytes, size_t count) {
    uint64_t digit = 0, letter = 0, hexLetter = 0, colon = 0, dash = 0;
#if defined(__SSE2__)
    uint8_t padded[64];
    const uint8_t *p = bytes;
    if (count < 64) {
        // Never read past the caller's bytes: the last block is classified from a zeroed copy (a zero byte
        // is in no class).
        memset(padded, 0, sizeof padded);
        memcpy(padded, bytes, count);
        p = padded;
    }
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        digit |= ccpu_in_range16(v, '0', 10) << (16 * k);
        letter |= ccpu_in_range16(folded, 'a', 26) << (16 * k);
        hexLetter |= ccpu_in_range16(folded, 'a', 6) << (16 * k);
        colon |= (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))) << (16 * k);
        dash |= (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('-'))) << (16 * k);
    }
#else
    for (size_t k = 0; k < count && k < 64; k++) {
        uint8_t b = bytes[k];
        uint64_t bit = (uint64_t)1 << k;
        if ((uint8_t)(b - '0') < 10) digit |= bit;
        if ((uint8_t)((b | 0x20) - 'a') < 26) letter |= bit;
        if ((uint8_t)((b | 0x20) - 'a') < 6) hexLetter |= bit;
        if (b == ':') colon |= bit;
        if (b == '-') dash |= bit;
    }
#endif
    ccpu_class_bits bits = {digit, digit | letter, ccpu_triggers(digit, digit | letter, hexLetter, colon, dash)};
    return bits;
}

#endif
