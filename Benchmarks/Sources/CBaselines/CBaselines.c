// SAFETY: every pointer here comes from Swift arrays that outlive the call; lengths come from the
// offsets table built with the bytes, so no read goes past the buffer.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "CBaselines.h"

#include <hs/hs.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cb_hs {
    hs_database_t *db;
    hs_scratch_t *scratch;
    unsigned int *ids;  // database id -> rule index (ids are dense over the accepted patterns)
};

static int cb_hs_on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx) {
    (void)from; (void)to; (void)flags;
    unsigned int *best = (unsigned int *)ctx;
    if (id < *best) *best = id;
    return 0;  // keep scanning: a lower id may still match later in the reply
}

cb_hs *cb_hs_create(const char *const *patterns, size_t count, size_t *rejected, char *error, size_t error_size) {
    *rejected = 0;
    const char **accepted = malloc(sizeof(char *) * (count ? count : 1));
    unsigned int *flags = malloc(sizeof(unsigned int) * (count ? count : 1));
    unsigned int *ids = malloc(sizeof(unsigned int) * (count ? count : 1));
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        // Probe each pattern alone so one rejected pattern does not sink the whole database.
        hs_database_t *probe = NULL;
        hs_compile_error_t *err = NULL;
        unsigned int f = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
        if (hs_compile(patterns[i], f, HS_MODE_BLOCK, NULL, &probe, &err) != HS_SUCCESS) {
            hs_free_compile_error(err);
            (*rejected)++;
            continue;
        }
        hs_free_database(probe);
        accepted[n] = patterns[i];
        flags[n] = f;
        ids[n] = (unsigned int)n;
        n++;
    }
    cb_hs *out = NULL;
    if (n > 0) {
        hs_database_t *db = NULL;
        hs_compile_error_t *err = NULL;
        if (hs_compile_multi(accepted, flags, ids, (unsigned int)n, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
            if (error && error_size) snprintf(error, error_size, "%s", err ? err->message : "hs_compile_multi failed");
            hs_free_compile_error(err);
        } else {
            out = calloc(1, sizeof(cb_hs));
            out->db = db;
            out->ids = ids;
            ids = NULL;
            if (hs_alloc_scratch(db, &out->scratch) != HS_SUCCESS) {
                hs_free_database(db);
                free(out->ids);
                free(out);
                out = NULL;
            }
        }
    }
    free(accepted);
    free(flags);
    free(ids);
    return out;
}

void cb_hs_destroy(cb_hs *db) {
    if (!db) return;
    hs_free_scratch(db->scratch);
    hs_free_database(db->db);
    free(db->ids);
    free(db);
}

size_t cb_hs_database_size(const cb_hs *db) {
    size_t size = 0;
    if (db && hs_database_size(db->db, &size) == HS_SUCCESS) return size;
    return 0;
}

int64_t cb_hs_scan_replies(cb_hs *db, const cb_replies *r, size_t first, size_t n) {
    int64_t sum = 0;
    size_t i = first % r->count;
    for (size_t k = 0; k < n; k++) {
        unsigned int best = UINT32_MAX;
        const unsigned char *p = r->bytes + r->offsets[i];
        size_t len = r->offsets[i + 1] - r->offsets[i];
        hs_scan(db->db, (const char *)p, (unsigned int)len, 0, db->scratch, cb_hs_on_match, &best);
        sum += best == UINT32_MAX ? -1 : (int64_t)best;
        if (++i == r->count) i = 0;
    }
    return sum;
}

struct cb_pcre2 {
    pcre2_code **codes;
    size_t count;
    pcre2_match_data *md;
};

cb_pcre2 *cb_pcre2_create(const char *const *patterns, size_t count, size_t *rejected) {
    *rejected = 0;
    cb_pcre2 *set = calloc(1, sizeof(cb_pcre2));
    set->codes = calloc(count ? count : 1, sizeof(pcre2_code *));
    for (size_t i = 0; i < count; i++) {
        int errcode = 0;
        PCRE2_SIZE erroffset = 0;
        pcre2_code *code = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, 0, &errcode, &erroffset, NULL);
        if (!code) { (*rejected)++; continue; }
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
        set->codes[set->count++] = code;
    }
    if (set->count == 0) { free(set->codes); free(set); return NULL; }
    set->md = pcre2_match_data_create(1, NULL);
    return set;
}

void cb_pcre2_destroy(cb_pcre2 *set) {
    if (!set) return;
    for (size_t i = 0; i < set->count; i++) pcre2_code_free(set->codes[i]);
    pcre2_match_data_free(set->md);
    free(set->codes);
    free(set);
}

int64_t cb_pcre2_match_replies(cb_pcre2 *set, const cb_replies *r, size_t first, size_t n) {
    int64_t sum = 0;
    size_t i = first % r->count;
    for (size_t k = 0; k < n; k++) {
        const unsigned char *p = r->bytes + r->offsets[i];
        size_t len = r->offsets[i + 1] - r->offsets[i];
        int64_t found = -1;
        for (size_t j = 0; j < set->count; j++) {
            if (pcre2_match(set->codes[j], p, len, 0, 0, set->md, NULL) >= 0) { found = (int64_t)j; break; }
        }
        sum += found;
        if (++i == r->count) i = 0;
    }
    return sum;
}

int64_t cb_memchr_replies(const cb_replies *r, size_t first, size_t n) {
    int64_t sum = 0;
    size_t i = first % r->count;
    for (size_t k = 0; k < n; k++) {
        const unsigned char *p = r->bytes + r->offsets[i];
        size_t len = r->offsets[i + 1] - r->offsets[i];
        // 0x01 is not a byte replies carry; the pass reads every byte and finds nothing.
        sum += memchr(p, 0x01, len) != NULL;
        if (++i == r->count) i = 0;
    }
    return sum;
}
