/* bench_roll: puncture generation rate and a full-face session with all
 * metrics (issue "Rolling": goals 20 million punctures/s per core, full
 * face in under 50 ms).
 *
 *   bench_roll [DATA_DIR] [--quick]
 *
 * Figures are given with the bound they are compared to, measured in the
 * same run: the rate at which the same thread draws raw 64-bit Philox words
 * (each puncture needs at least one, for its depth) and the rate at which it
 * can store the 32 bytes each puncture occupies; the full-face time is
 * given as a ratio to the 50 ms goal, with its generation/metrics split. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnsim/catalog.h"
#include "mnsim/rng.h"
#include "mnsim/roll.h"
#include "mnsim/zones.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void set_threads(int n)
{
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
}

static int max_threads(void)
{
#ifdef MNSIM_HAVE_OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Rate (per s) of drawing raw 64-bit Philox words with one thread: every
 * puncture needs at least one (its depth). */
static double word_rate(size_t n)
{
    mn_rng r;
    mn_rng_init(&r, 1, "bench", 0, 0);
    volatile uint64_t sink = 0;
    uint64_t s = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i++)
        s ^= mn_rng_u64(&r);
    double t = now() - t0;
    sink = s;
    (void)sink;
    return (double)n / t;
}

/* Rate (per s) of drawing normals with one thread (mn_rng_normal). */
static double normal_rate(size_t n)
{
    mn_rng r;
    mn_rng_init(&r, 1, "bench", 0, 0);
    volatile double sink = 0;
    double s = 0, t0 = now();
    for (size_t i = 0; i < n; i++)
        s += mn_rng_normal(&r);
    double t = now() - t0;
    sink = s;
    (void)sink;
    return (double)n / t;
}

/* Rate (per s) of storing 3 doubles and 2 uint32 per item, one thread. */
static double store_rate(size_t n)
{
    double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double)),
           *z = malloc(n * sizeof(double));
    uint32_t *a = malloc(n * sizeof(uint32_t)), *b = malloc(n * sizeof(uint32_t));
    if (!x || !y || !z || !a || !b) {
        free(x), free(y), free(z), free(a), free(b);
        return NAN;
    }
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            x[i] = (double)i;
            y[i] = (double)i * 0.5;
            z[i] = 1e-4;
            a[i] = (uint32_t)i;
            b[i] = (uint32_t)(i & 255);
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    volatile double sink = x[n / 2] + y[n / 3] + z[n / 4] + a[n / 5] + b[n / 6];
    (void)sink;
    free(x), free(y), free(z), free(a), free(b);
    return (double)n / best;
}

int main(int argc, char **argv)
{
    char data[4096];
    int quick = 0;
    data[0] = '\0';
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else
            snprintf(data, sizeof data, "%s", argv[i]);
    }
    if (!data[0]) { /* the source tree's data/, next to this file's bench/ */
        snprintf(data, sizeof data, "%s", __FILE__);
        char *slash = strrchr(data, '/');
        if (slash)
            snprintf(slash, sizeof data - (size_t)(slash - data), "/../data");
        else
            snprintf(data, sizeof data, "data");
    }
    char path[4200];
    mn_error e;
    mn_error_clear(&e);
    mn_device_list cat = {0};
    snprintf(path, sizeof path, "%s/devices.yaml", data);
    if (mn_devices_load(path, &cat, NULL, &e) != MN_OK) {
        fprintf(stderr, "bench_roll: %s: %s\n", path, e.message);
        return 1;
    }
    mn_device dev;
    if (mn_device_resolve(&cat, "roller-192-0.5mm", &dev, &e) != MN_OK) {
        fprintf(stderr, "bench_roll: %s\n", e.message);
        return 1;
    }
    int nthreads = max_threads();
    printf("bench_roll: %s, %d thread(s) available\n", dev.name, nthreads);

    /* 1. Generation rate: a 1 m x 1 m area, 15 passes (2.3 M punctures). */
    double X[4] = {0, 1, 1, 0}, Y[4] = {0, 0, 1, 1};
    mn_roll_region big = {"bench-square", X, Y, 4, NAN, NAN};
    mn_roll_params p;
    mn_roll_params_default(&p);
    p.depth_mean_m = 0.3e-3;
    p.depth_sd_m = 0.02e-3;
    mn_roll_pattern_make("vertical-then-horizontal", 15, &p.pattern, &e);
    int reps = quick ? 2 : 6;
    /* "cold": every session's arrays are fresh memory, whose pages the
     * kernel must map and clear (part of a real first run); "warm": freed
     * memory is kept and reused (glibc mallopt), as in a program that
     * simulates session after session. */
    double rate[2][2] = {{0, 0}, {0, 0}}; /* [warm][threads > 1] */
    size_t count = 0;
    for (int warm = 0; warm < 2; warm++) {
#ifdef __GLIBC__
        if (warm) {
            mallopt(M_MMAP_THRESHOLD, 1 << 30);
            mallopt(M_TRIM_THRESHOLD, 1 << 30);
            mallopt(M_TOP_PAD, 64 << 20);
        }
#else
        if (warm)
            break;
#endif
        for (int pass = 0; pass < 2; pass++) {
            set_threads(pass == 0 ? 1 : nthreads);
            double best = INFINITY;
            for (int r = 0; r < reps + warm; r++) {
                mn_roll_result res;
                double t0 = now();
                if (mn_roll_simulate(&dev, &big, 1, &p, NULL, &res, &e) != MN_OK) {
                    fprintf(stderr, "bench_roll: %s\n", e.message);
                    return 1;
                }
                double t = now() - t0;
                count = res.count;
                mn_roll_result_free(&res);
                if (t < best && !(warm && r == 0)) /* the first warm run maps the memory */
                    best = t;
            }
            rate[warm][pass] = (double)count / best;
        }
    }
    double rate1 = rate[1][0] > 0 ? rate[1][0] : rate[0][0];
    double rateN = rate[1][1] > 0 ? rate[1][1] : rate[0][1];
    set_threads(1);
    double wrate = word_rate(count);
    double nrate = normal_rate(count);
    double srate = store_rate(count);
    printf("\n1. Generation: %zu punctures per session (1 m^2, 15 passes, depth drawn)\n",
           count);
    printf("   1 thread , warm memory: %6.1f M punctures/s (goal 20 M/s per core: x%.2f)\n",
           rate1 * 1e-6, rate1 / 20e6);
    printf("   %d threads, warm memory: %6.1f M punctures/s (%.2f x the 1-thread rate)\n",
           nthreads, rateN * 1e-6, rateN / rate1);
    printf("   1 thread , cold memory: %6.1f M punctures/s; %d threads: %.1f M/s (fresh pages, "
           "mapped and cleared by the kernel)\n",
           rate[0][0] * 1e-6, nthreads, rate[0][1] * 1e-6);
    printf("   bound: 64-bit Philox words drawn by one thread %7.1f M/s -> generation at %.0f%% of it\n",
           wrate * 1e-6, 100 * rate1 / wrate);
    printf("   (mn_rng_normal, Box-Muller, by one thread      %7.1f M/s; depths use a ziggurat)\n",
           nrate * 1e-6);
    printf("   bound: 32-byte stores by one thread           %7.1f M/s -> generation at %.0f%% of it\n",
           srate * 1e-6, 100 * rate1 / srate);

    /* 2. Full-face session with every metric. */
    mn_zone_list zl;
    snprintf(path, sizeof path, "%s/zones.yaml", data);
    if (mn_zones_load(path, &zl, NULL, &e) != MN_OK) {
        fprintf(stderr, "bench_roll: %s: %s\n", path, e.message);
        return 1;
    }
    size_t *idx = NULL, nz = 0;
    if (mn_zones_select(&zl, "full-face", &idx, &nz, NULL, &e) != MN_OK) {
        fprintf(stderr, "bench_roll: %s\n", e.message);
        return 1;
    }
    mn_roll_region *regs = calloc(nz, sizeof *regs);
    mn_roll_metrics *mets = calloc(nz, sizeof *mets);
    double area = 0;
    for (size_t k = 0; k < nz; k++) {
        const mn_zone *z = &zl.items[idx[k]];
        regs[k] = (mn_roll_region){z->name, z->x_m, z->y_m, z->n, NAN, NAN};
        area += z->area_m2;
    }
    mn_roll_metrics_opts mo;
    mn_roll_metrics_opts_default(&mo);
    int sreps = quick ? 5 : 25;
    double *ts = malloc((size_t)sreps * sizeof(double));
    double *tg = malloc((size_t)sreps * sizeof(double));
    printf("\n2. Full-face session: %zu zones, %.0f cm2, vertical-then-horizontal, "
           "15 passes, all metrics\n", nz, area * 1e4);
    for (int pass = 0; pass < 2; pass++) {
        int th = pass == 0 ? nthreads : 1;
        set_threads(th);
        size_t n = 0;
        for (int r = 0; r < sreps; r++) {
            mn_roll_result res;
            double t0 = now();
            if (mn_roll_simulate(&dev, regs, nz, &p, NULL, &res, &e) != MN_OK ||
                mn_roll_metrics_all(&res, regs, &mo, mets, &e) != MN_OK) {
                fprintf(stderr, "bench_roll: %s\n", e.message);
                return 1;
            }
            double t1 = now();
            n = res.count;
            mn_roll_result_free(&res);
            ts[r] = t1 - t0;
            /* Generation alone, for the breakdown. */
            t0 = now();
            mn_roll_simulate(&dev, regs, nz, &p, NULL, &res, &e);
            tg[r] = now() - t0;
            mn_roll_result_free(&res);
        }
        qsort(ts, (size_t)sreps, sizeof(double), cmp_d);
        qsort(tg, (size_t)sreps, sizeof(double), cmp_d);
        double med = ts[sreps / 2], gmed = tg[sreps / 2];
        printf("   %d thread(s): %zu punctures; median %6.2f ms (min %6.2f) = %.2f x the "
               "50 ms goal; generation %5.2f ms, metrics %5.2f ms\n",
               th, n, med * 1e3, ts[0] * 1e3, med / 0.05, gmed * 1e3, (med - gmed) * 1e3);
    }
    double dm = 0;
    for (size_t k = 0; k < nz; k++)
        dm += (double)mets[k].punctures;
    printf("   (%.0f punctures/cm2 on average; coverage radius %.1f mm, hit radius %.2f mm)\n",
           dm / (area * 1e4), mo.coverage_radius_m * 1e3, mo.hit_radius_m * 1e3);
    free(ts);
    free(tg);
    free(regs);
    free(mets);
    free(idx);
    mn_zone_list_free(&zl);
    mn_device_clear(&dev);
    mn_device_list_free(&cat);
    return 0;
}
