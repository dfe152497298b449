/* Philox4x64-10 streams from Random123. */
#include "mnsim/rng.h"

#include <math.h>
#include <string.h>

#include <Random123/philox.h>

uint64_t mn_rng_hash(const char *purpose)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)(purpose ? purpose : "");
         *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

static void refill(mn_rng *r)
{
    philox4x64_ctr_t c = {{r->ctr[0], r->ctr[1], r->ctr[2], r->ctr[3]}};
    philox4x64_key_t k = {{r->key[0], r->key[1]}};
    philox4x64_ctr_t o = philox4x64(c, k);
    memcpy(r->out, o.v, sizeof r->out);
    r->ctr[2]++;
    r->used = 0;
}

void mn_rng_init(mn_rng *r, uint64_t seed, const char *purpose, uint64_t a,
                 uint64_t b)
{
    memset(r, 0, sizeof *r);
    r->key[0] = seed;
    r->key[1] = mn_rng_hash(purpose);
    r->ctr[0] = a;
    r->ctr[1] = b;
    r->used = 4; /* force a refill on first use */
}

uint64_t mn_rng_u64(mn_rng *r)
{
    if (r->used >= 4)
        refill(r);
    return r->out[r->used++];
}

double mn_rng_uniform(mn_rng *r)
{
    /* (k + 0.5) / 2^53 lies strictly inside (0, 1). */
    uint64_t k = mn_rng_u64(r) >> 11;
    return ((double)k + 0.5) * 0x1.0p-53;
}

double mn_rng_normal(mn_rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u1 = mn_rng_uniform(r), u2 = mn_rng_uniform(r);
    double rad = sqrt(-2.0 * log(u1));
    double ang = 6.283185307179586476925 * u2;
    r->spare = rad * sin(ang);
    r->has_spare = 1;
    return rad * cos(ang);
}

uint64_t mn_rng_below(mn_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = mn_rng_u64(r);
    } while (x >= limit);
    return x % n;
}
