/* mnsim: counter-based random streams (floor: base).
 *
 * Every random number in mnsim comes from a Philox4x64-10 stream
 * (Random123) keyed by (seed, purpose) and positioned by two indices, e.g.
 * (seed, "roll", session, stroke). A value depends only on these, never on
 * thread scheduling, so results are bit-identical for any thread count.
 *
 * Thread safety: reentrant: a stream is the caller's state; distinct streams in
 * parallel. */
#ifndef MNSIM_RNG_H
#define MNSIM_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A stream: plain value type, copy freely, no free needed. */
typedef struct {
    uint64_t key[2];     /* seed, hash(purpose) */
    uint64_t ctr[4];     /* a, b, block, 0 */
    uint64_t out[4];     /* current block of output */
    unsigned used;       /* outputs consumed from out */
    int has_spare;       /* Box-Muller spare normal available */
    double spare;
} mn_rng;

/* 64-bit FNV-1a hash of a purpose string (stable across platforms). */
uint64_t mn_rng_hash(const char *purpose);

/* Start an independent stream for (seed, purpose, a, b). */
void mn_rng_init(mn_rng *r, uint64_t seed, const char *purpose, uint64_t a,
                 uint64_t b);

/* Next raw 64-bit value. */
uint64_t mn_rng_u64(mn_rng *r);

/* Uniform double in the open interval (0, 1), 53 random bits. */
double mn_rng_uniform(mn_rng *r);

/* Standard normal deviate (Box-Muller). */
double mn_rng_normal(mn_rng *r);

/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t mn_rng_below(mn_rng *r, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
