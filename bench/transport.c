/* bench_transport: the transport solver on a grid of at least 10 million
 * cells, against the machine's memory bandwidth.
 *
 * The problem: a periodic patch of cheek skin 2.56 mm x 2.56 mm x 0.93 mm
 * (256 x 256 x 160 cells, 10.5 million) under a finite dose of lidocaine
 * cream, with 15 channels (229/cm^2, 150 um deep, 70 um wide) at random
 * positions (Philox stream "bench", so the same every run). Steps of 30 s
 * from t = 0 (each step: two conjugate-gradient solves of TR-BDF2).
 *
 * Reported: cell updates per second (cells x steps / time), the bytes the
 * scheme moves per cell and step (counted by the solver: every pass adds
 * the arrays it must read and write once, docs/model.md, Performance), the
 * bandwidth bound (triad bandwidth / bytes per cell and step) and the ratio
 * to it. The triad is measured here, with the same threads, counting the
 * write-allocate traffic (32 B per element; see bench_stream), right after
 * every step (the machine is shared: its bandwidth drifts); the last line
 * gives the median over the steps of each step's ratio. A table shows
 * where the time goes: each kind of pass (mn_transport_pass_profile) with
 * its share of the time, its bytes and its rate against the triad. Last,
 * the same steps with 1 and 2 threads must give identical bits.
 *
 * Usage: bench_transport [nx (256)] [nz (160)] [steps (4)]
 * The last line: "transport: ... NN% of bandwidth bound". */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mnsim/rng.h"
#include "mnsim/transport.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Triad arrays, allocated and touched once (by the threads that use them). */
static double *ta, *tb, *tc;
static size_t tn;

static int triad_init(size_t n)
{
    ta = malloc(n * sizeof *ta), tb = malloc(n * sizeof *tb),
    tc = malloc(n * sizeof *tc);
    if (!ta || !tb || !tc)
        return 0;
    tn = n;
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++)
        ta[i] = 0, tb[i] = 1, tc[i] = 2;
    return 1;
}

/* Triad bandwidth (bytes/s, write-allocate counted) with all threads: the
 * best of `reps` passes. */
static double triad_bandwidth(int reps)
{
    double *a = ta, *b = tb, *c = tc;
    size_t n = tn;
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + 3.0 * c[i];
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    volatile double keep = a[n / 3];
    (void)keep;
    return 32.0 * (double)n / best;
}

static void setup(mn_transport_config *c, mn_transport_channel *ch, size_t nch,
                  size_t nx, size_t nz, int threads)
{
    mn_transport_config_default(c);
    /* cheek, female (data/sites.yaml) */
    c->thickness_m[0] = 16.8e-6;
    c->thickness_m[1] = 46e-6;
    c->thickness_m[2] = 174e-6;
    c->thickness_m[3] = 696e-6;
    /* lidocaine as data/compounds.yaml gives it (rounded) */
    mn_transport_medium *m = &c->medium;
    m->diffusivity_m2_s[0] = 6.8e-15;
    m->lateral_diffusivity_m2_s[0] = 36 * 6.8e-15;
    m->partition[0] = 38.6;
    m->diffusivity_m2_s[1] = m->lateral_diffusivity_m2_s[1] = 3.4e-11;
    m->diffusivity_m2_s[2] = m->lateral_diffusivity_m2_s[2] = 1.35e-10;
    m->diffusivity_m2_s[3] = m->lateral_diffusivity_m2_s[3] = 1.35e-10;
    m->partition[1] = m->partition[2] = m->partition[3] = 1;
    m->clearance_per_s[2] = m->clearance_per_s[3] = 7.7e-4;
    m->channel_diffusivity_m2_s = 6.7e-10;
    m->channel_partition = 1;
    c->infinite_dose = 0;
    c->vehicle_thickness_m = 20e-6;
    c->vehicle_concentration = 40;
    c->size_x_m = c->size_y_m = (double)nx * 10e-6;
    c->uniform_lateral = 1;
    c->nx = c->ny = nx;
    c->uniform_z = 1;
    c->nz = nz;
    c->lateral_bc = MN_LATERAL_PERIODIC;
    c->channels = ch;
    c->n_channels = nch;
    c->closure_half_life_s = 0.6 * 3600;
    c->threads = threads;
}

int main(int argc, char **argv)
{
    size_t nx = argc > 1 ? (size_t)atol(argv[1]) : 256;
    size_t nz = argc > 2 ? (size_t)atol(argv[2]) : 160;
    int steps = argc > 3 ? atoi(argv[3]) : 4;
    if (nx < 4 || nz < 4 || steps < 1) {
        fprintf(stderr, "usage: bench_transport [nx >= 4] [nz >= 4] [steps >= 1]\n");
        return 2;
    }
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    double L = (double)nx * 10e-6;
    size_t nch = (size_t)(229e4 * L * L + 0.5);
    if (nch < 1)
        nch = 1;
    mn_transport_channel *ch = calloc(nch, sizeof *ch);
    if (!ch)
        return 1;
    mn_rng rng;
    mn_rng_init(&rng, 1, "bench", 0, 0);
    for (size_t i = 0; i < nch; i++) {
        ch[i].x_m = mn_rng_uniform(&rng) * L;
        ch[i].y_m = mn_rng_uniform(&rng) * L;
        ch[i].depth_m = 150e-6;
        ch[i].radius_m = 35e-6;
    }
    mn_transport_config cfg;
    setup(&cfg, ch, nch, nx, nz, threads);
    mn_error e;
    mn_transport *t = NULL;
    double t0 = now();
    if (mn_transport_new(&cfg, &t, &e) != MN_OK) {
        fprintf(stderr, "bench_transport: %s\n", e.message);
        return 1;
    }
    size_t gx, gy, gzn;
    mn_transport_dims(t, &gx, &gy, &gzn);
    size_t cells = gx * gy * gzn;
    printf("bench_transport: %zu x %zu x %zu = %zu cells, %zu channels, %d threads, "
           "set-up %.2f s\n",
           gx, gy, gzn, cells, nch, threads, now() - t0);
    const double dt = 30.0;
    /* one step to warm up (first touch, hierarchy) */
    if (mn_transport_step(t, dt, &e) != MN_OK) {
        fprintf(stderr, "bench_transport: %s\n", e.message);
        return 1;
    }
    long it0, so0;
    mn_transport_stats(t, NULL, &so0, &it0);
    double bytes0 = mn_transport_traffic_bytes(t) * 1; /* per step so far (1 step) */
    double pass_s0[MN_TRANSPORT_PASSES], pass_b0[MN_TRANSPORT_PASSES];
    for (int p = 0; p < MN_TRANSPORT_PASSES; p++)
        mn_transport_pass_profile(t, (mn_transport_pass_kind)p, NULL, &pass_s0[p],
                                  &pass_b0[p]);
    /* Each step is followed by a triad, so that every step is compared
     * with the bandwidth of its own moment: the machine is shared and its
     * bandwidth drifts by a third between runs. */
    if (!triad_init((size_t)1 << 24)) {
        fprintf(stderr, "bench_transport: out of memory\n");
        return 1;
    }
    double *ratio = calloc((size_t)steps, sizeof *ratio), bw_sum = 0, el = 0;
    double prev_bytes = bytes0;
    for (int s = 0; s < steps; s++) {
        double ts = now();
        if (!ratio || mn_transport_step(t, dt, &e) != MN_OK) {
            fprintf(stderr, "bench_transport: %s\n",
                    ratio ? e.message : "out of memory");
            return 1;
        }
        double te = now() - ts;
        el += te;
        double cum = mn_transport_traffic_bytes(t) * (double)(s + 2);
        double step_bytes = cum - prev_bytes;
        prev_bytes = cum;
        double bws = triad_bandwidth(4);
        bw_sum += bws;
        ratio[s] = ((double)cells / te) / (bws / step_bytes);
        printf("  step %d: %.2f s, %.0f B/cell, triad %.2f GB/s: %.0f%% of bound\n",
               s + 1, te, step_bytes, bws * 1e-9, 100 * ratio[s]);
    }
    for (int a = 1; a < steps; a++) /* insertion sort: a handful of steps */
        for (int b = a; b > 0 && ratio[b] < ratio[b - 1]; b--) {
            double x = ratio[b];
            ratio[b] = ratio[b - 1];
            ratio[b - 1] = x;
        }
    double median =
        steps % 2 ? ratio[steps / 2] : 0.5 * (ratio[steps / 2 - 1] + ratio[steps / 2]);
    free(ratio);
    long it1, so1;
    mn_transport_stats(t, NULL, &so1, &it1);
    double bytes_all = mn_transport_traffic_bytes(t) * (double)(steps + 1);
    double bps =
        (bytes_all - bytes0) / steps; /* bytes per cell and step, timed steps */
    double ups = (double)cells * steps / el;
    mn_transport_balance bal;
    mn_transport_balance_now(t, &bal);
    printf("  %d steps of %.0f s in %.2f s: %.2f s per step, %.1f CG iterations per "
           "solve\n",
           steps, dt, el, el / steps, (double)(it1 - it0) / (double)(so1 - so0));
    printf("  cell updates       %.3g per second\n", ups);
    printf("  traffic            %.0f bytes per cell and step (counted)\n", bps);
    printf("  achieved           %.2f GB/s\n", ups * bps * 1e-9);
    printf("  mass balance       %.1e relative (largest projection %.1e)\n", bal.error,
           mn_transport_projection_max(t));

    double bw = bw_sum / steps;
    double bound = bw / bps;
    printf("  triad bandwidth    %.2f GB/s mean after the steps (%d threads, "
           "write-allocate "
           "counted)\n",
           bw * 1e-9, threads);
    printf(
        "  bandwidth bound    %.3g cell updates per second (mean); all steps: %.0f%%\n",
        bound, 100.0 * ups / bound);
    /* where the time goes: each kind of pass against the mean triad */
    printf("  %-22s %6s %9s %8s %9s\n", "pass", "time", "B/cell", "GB/s", "of triad");
    double in_passes = 0;
    for (int p = 0; p < MN_TRANSPORT_PASSES; p++) {
        const char *name;
        double sec, byt;
        mn_transport_pass_profile(t, (mn_transport_pass_kind)p, &name, &sec, &byt);
        sec -= pass_s0[p], byt = (byt - pass_b0[p]) / steps;
        in_passes += sec;
        double gbs = sec > 0 ? byt * (double)cells * steps / sec * 1e-9 : 0;
        printf("  %-22s %5.1f%% %9.0f %8.2f %8.0f%%\n", name, 100 * sec / el, byt, gbs,
               100 * gbs / (bw * 1e-9));
    }
    printf("  %-22s %5.1f%%\n", "outside the passes", 100 * (el - in_passes) / el);
    free(ta), free(tb), free(tc);

    /* Bit-identity: the same steps with 1 and 2 threads (a smaller grid). */
    size_t bx = nx < 96 ? nx : 96, bz = nz < 64 ? nz : 64;
    double Lb = (double)bx * 10e-6;
    size_t bch = 0;
    for (size_t i = 0; i < nch; i++)
        if (ch[i].x_m < Lb && ch[i].y_m < Lb)
            ch[bch++] = ch[i];
    double *st[2] = {NULL, NULL};
    size_t nb = 0;
    int same = 1;
    for (int q = 0; q < 2; q++) {
        mn_transport_config c2;
        setup(&c2, ch, bch, bx, bz, q + 1);
        mn_transport *t2;
        if (mn_transport_new(&c2, &t2, &e) != MN_OK) {
            fprintf(stderr, "bench_transport: %s\n", e.message);
            return 1;
        }
        size_t a, b, cc;
        mn_transport_dims(t2, &a, &b, &cc);
        nb = a * b * cc;
        st[q] = malloc(nb * sizeof(double));
        for (int s = 0; s < 3 && st[q]; s++)
            if (mn_transport_step(t2, dt, &e) != MN_OK)
                return 1;
        if (st[q])
            mn_transport_get_state(t2, st[q]);
        mn_transport_free(t2);
    }
    same = st[0] && st[1] && !memcmp(st[0], st[1], nb * sizeof(double));
    printf("  1 and 2 threads    %s (%zu cells, 3 steps)\n",
           same ? "bit-identical" : "DIFFERENT", nb);
    free(st[0]), free(st[1]);
    mn_transport_free(t);
    free(ch);
    printf(
        "transport: %.3g cell updates/s, %.0f B/cell/step, bound %.3g/s: %.0f%% of "
        "bandwidth bound (median of %d steps, each against the triad right after it)\n",
        ups, bps, bound, 100.0 * median, steps);
    return same ? 0 : 1;
}
