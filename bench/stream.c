/* bench_stream: the machine's memory bandwidth (STREAM-style triad,
 * a[i] = b[i] + s * c[i], all cores through OpenMP).
 *
 * It is the yardstick of bench_transport: the transport solver is memory
 * bound, so its best possible speed is this bandwidth divided by the bytes
 * it must move per cell and step (docs/model.md, "Transport through the
 * channels", Performance).
 *
 * Two figures are printed for the same runs:
 *  - STREAM convention: 24 bytes per element (read b, read c, write a);
 *  - bus traffic: 32 bytes per element, because a cached store first reads
 *    the line of a into the cache (write-allocate) before it is written back.
 * The second is what the memory bus really carried, and it is the one
 * bench_transport divides by (it gives the stricter bound).
 *
 * Usage: bench_stream [MiB per array (default 256)] [repetitions (default 10)]
 * Output: a human-readable table, then one line
 *   "stream: triad NN.N GB/s (bus, write-allocate counted), threads N". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long mib = argc > 1 ? atol(argv[1]) : 256;
    int reps = argc > 2 ? atoi(argv[2]) : 10;
    if (mib < 1 || reps < 2) {
        fprintf(stderr, "usage: bench_stream [MiB per array >= 1] [repetitions >= 2]\n");
        return 2;
    }
    size_t n = (size_t)mib * 1024 * 1024 / sizeof(double);
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
           *c = malloc(n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "bench_stream: cannot allocate 3 x %ld MiB\n", mib);
        return 1;
    }
    int threads = 1;
    /* First touch by the threads that will use the pages. */
#pragma omp parallel
    {
#ifdef _OPENMP
#pragma omp single
        threads = omp_get_num_threads();
#endif
#pragma omp for schedule(static)
        for (size_t i = 0; i < n; i++) {
            a[i] = 0.0;
            b[i] = 1.0;
            c[i] = 2.0;
        }
    }
    const double s = 3.0;
    double best = 1e30, sum = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
        double t = now() - t0;
        if (r > 0) { /* the first repetition warms up */
            sum += t;
            if (t < best)
                best = t;
        }
    }
    /* Keep the result alive. */
    double check = a[n / 2] + a[n - 1];
    double gb24 = 24.0 * n / best * 1e-9, gb32 = 32.0 * n / best * 1e-9;
    printf("bench_stream: triad a = b + s*c, %zu doubles per array (%ld MiB), "
           "%d threads, best of %d\n",
           n, mib, threads, reps - 1);
    printf("  best time          %10.4f s (mean %.4f s)\n", best, sum / (reps - 1));
    printf("  STREAM convention  %10.2f GB/s (24 B per element)\n", gb24);
    printf("  bus traffic        %10.2f GB/s (32 B per element, write-allocate)\n",
           gb32);
    if (check != 14.0)
        printf("  (unexpected result %g)\n", check);
    printf("stream: triad %.1f GB/s (bus, write-allocate counted), threads %d\n",
           gb32, threads);
    free(a);
    free(b);
    free(c);
    return 0;
}
