// The loops a C user would write without BounceMatch, for the benchmark's "Baselines" suite: Hyperscan's
// hs_scan and PCRE2's pcre2_match called directly on the same replies, and a memchr pass (the bandwidth
// floor). Every function returns a checksum of its answers so the compiler cannot drop the work.
#ifndef BOUNCEMATCH_CBASELINES_H
#define BOUNCEMATCH_CBASELINES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Replies laid out back to back: reply i is bytes[offsets[i] ..< offsets[i + 1]].
typedef struct cb_replies {
    const unsigned char *bytes;
    const size_t *offsets;
    size_t count;
} cb_replies;

typedef struct cb_hs cb_hs;

/// Compiles `count` patterns (NUL-terminated, printed for Hyperscan, compiled with no flags but
/// HS_FLAG_SINGLEMATCH and HS_FLAG_ALLOWEMPTY) into one block-mode database; the id of pattern i is i.
/// Patterns Hyperscan rejects are left out (their number is returned in *rejected). NULL on failure.
cb_hs *cb_hs_create(const char *const *patterns, size_t count, size_t *rejected, char *error, size_t error_size);
void cb_hs_destroy(cb_hs *db);
/// Bytes of the compiled database (hs_database_size).
size_t cb_hs_database_size(const cb_hs *db);
/// hs_scan over replies first ..< first + n (indexes wrap around); each scan finds its lowest matching id.
int64_t cb_hs_scan_replies(cb_hs *db, const cb_replies *replies, size_t first, size_t n);

typedef struct cb_pcre2 cb_pcre2;

/// Compiles each pattern (printed for PCRE2, no flags) and JIT-compiles it. A pattern that fails is
/// left out (counted in *rejected). NULL when nothing compiles.
cb_pcre2 *cb_pcre2_create(const char *const *patterns, size_t count, size_t *rejected);
void cb_pcre2_destroy(cb_pcre2 *set);
/// For each reply, pcre2_match each pattern in order until the first match (what a rule loop does).
int64_t cb_pcre2_match_replies(cb_pcre2 *set, const cb_replies *replies, size_t first, size_t n);

/// One memchr per reply for a byte that replies do not contain: reads every byte once.
int64_t cb_memchr_replies(const cb_replies *replies, size_t first, size_t n);

#ifdef __cplusplus
}
#endif
#endif
