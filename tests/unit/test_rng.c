#include "mn_test.h"
#include "mnsim/rng.h"

int main(void)
{
    mn_rng a, b;
    mn_rng_init(&a, 42, "roll", 1, 2);
    mn_rng_init(&b, 42, "roll", 1, 2);
    int same = 1;
    for (int i = 0; i < 1000; i++)
        same &= mn_rng_u64(&a) == mn_rng_u64(&b);
    CHECK(same);

    /* Different seed, purpose or indices give different streams. */
    mn_rng c, d, e;
    mn_rng_init(&a, 42, "roll", 1, 2);
    mn_rng_init(&c, 43, "roll", 1, 2);
    mn_rng_init(&d, 42, "heal", 1, 2);
    mn_rng_init(&e, 42, "roll", 1, 3);
    uint64_t x = mn_rng_u64(&a);
    CHECK(x != mn_rng_u64(&c));
    CHECK(x != mn_rng_u64(&d));
    CHECK(x != mn_rng_u64(&e));

    /* Known answer: Philox4x64-10 of counter 0, key 0 (Random123 kat). */
    mn_rng k;
    mn_rng_init(&k, 0, "", 0, 0);
    k.key[1] = 0; /* make the key all zero */
    CHECK(mn_rng_u64(&k) == 0x16554d9eca36314cULL);

    /* Uniforms in (0,1) with the right mean and variance. */
    mn_rng u;
    mn_rng_init(&u, 7, "test", 0, 0);
    double s = 0, s2 = 0, lo = 1, hi = 0;
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double v = mn_rng_uniform(&u);
        s += v;
        s2 += v * v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    CHECK(lo > 0 && hi < 1);
    CHECK(fabs(s / n - 0.5) < 0.005);
    CHECK(fabs(s2 / n - s * s / ((double)n * n) - 1.0 / 12) < 0.002);

    /* Normals: mean 0, variance 1. */
    s = s2 = 0;
    for (int i = 0; i < n; i++) {
        double v = mn_rng_normal(&u);
        s += v;
        s2 += v * v;
    }
    CHECK(fabs(s / n) < 0.01);
    CHECK(fabs(s2 / n - 1) < 0.02);

    /* Bounded integers cover the range evenly. */
    int counts[6] = {0};
    for (int i = 0; i < 60000; i++)
        counts[mn_rng_below(&u, 6)]++;
    for (int i = 0; i < 6; i++)
        CHECK(counts[i] > 9500 && counts[i] < 10500);
    CHECK(mn_rng_hash("roll") != mn_rng_hash("heal"));
    return mn_test_report("rng");
}
