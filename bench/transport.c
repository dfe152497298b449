/* bench_transport: the transport solver's time to an accurate answer
 * (issue 18), today's settings side by side with the current ones.
 *
 * The two questions, on a uniform grid of n^3 cells of 10 um (n = 128 for
 * a quick run, 216 with --record), D = 1000 um^2/min everywhere, first-order
 * decay 0.1/min everywhere, mirror sides and bottom, to T = 10 min:
 *   spike    concentration 1 in the centre cell (n/2, n/2, n/2), zero
 *            elsewhere; the top face sealed (a mirror too);
 *   surface  the top face held at 1 (an infinite dose), zero start.
 * The error is max |C - C_exact| / max C_exact over the grid at T, against
 * the exact solution of the semi-discrete problem
 * (mnsim/transport_exact.h): the error of the time stepping and of the
 * linear solves alone. Each line is printed as
 *   spike128: S s, E error, N steps, T threads
 * (time to solution: set-up and run), for the current settings (steps to
 * an accuracy of 1%, the solves' tolerance derived from it) with 1 and 2
 * threads; the same line prefixed "baseline " is the fixed settings
 * (residual 1e-9, the step rule dt = dt_rel t from dt_first with about the
 * fewest steps that reach 1%), and prefixed "whole grid " the current
 * settings with every step over the whole grid (the solver before windows,
 * docs/model.md, "Windows"), run one after the other with it. A second line gives
 * the solves and conjugate-gradient iterations (independent of the machine's load).
 *
 * Then (with --record or --patch) the application: a rolled cheek patch (1 cm^2 of
 * cheek, a roller of 192 needles 0.5 mm, 15 passes, lidocaine cream, 1 h; the coarse
 * grid of mnsim deliver --patch), the fixed step rule (baseline) and
 * --accuracy 1%. Last, the profile of the
 * current settings' passes on the larger spike (bytes per cell, rates
 * against a triad measured in the same run) and whether 1 and 2 threads
 * give identical bits.
 *
 * Usage: bench_transport [--record] [--patch|--no-patch] [--one-thread] [--n CELLS]
 *                        [--question spike|surface] [--current] [--repeat N]
 *                        [--data DIR]
 * (--n: another grid, for trials; --one-thread: skip the 2-thread runs;
 * --question: that question only; --current: without the baseline and
 * whole-grid rows, for profiling; --repeat: the current settings N times,
 * 1 and 2 threads interleaved, the median time printed with every run's,
 * 3 with --record, else 1)
 * The machine may be shared: the first line gives the load average and the
 * threads' wait policy the run had. On a busy machine
 * OMP_WAIT_POLICY=passive matters more than anything in the solver: with
 * libgomp's default spinning barriers, 2 threads on 2 busy cores took 2-5 x
 * longer than 1 (docs/model.md, "Time to an accurate answer"). On a quiet
 * one the default is faster: a passive thread woken after 0.5 ms or more
 * of serial work starts ~80 us late here, a spinning one ~12 us ("Eleventh
 * session"). */
#define _DEFAULT_SOURCE /* getloadavg */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mnsim/catalog.h"
#include "mnsim/channels_io.h"
#include "mnsim/compounds.h"
#include "mnsim/deliver.h"
#include "mnsim/deliver_setup.h"
#include "mnsim/transport.h"
#include "mnsim/transport_exact.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#define H_M 10e-6
#define D_M2_S (1000e-12 / 60.0)
#define K_PER_S (0.1 / 60.0)
#define T_END_S 600.0

/* Solver settings: today's (baseline) or the current ones. */
typedef struct {
    const char *label;
    double accuracy;   /* > 0: adaptive steps to this accuracy */
    double dt_first_s; /* the fixed step rule (accuracy 0) */
    double dt_rel;
    int full_grid; /* 1: every step over the whole grid (no windows) */
} settings;

typedef struct {
    double seconds, setup_s, error;
    long steps, solves, iterations;
    double *state; /* the last state (for bit comparisons), owned */
} outcome;

static void question_config(mn_transport_config *c, int surface, size_t n, int threads,
                            const settings *s)
{
    mn_transport_config_default(c);
    c->thickness_m[0] = H_M; /* one layer in all but name: the same medium */
    c->thickness_m[3] = (double)n * H_M - H_M;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++) {
        c->medium.diffusivity_m2_s[l] = c->medium.lateral_diffusivity_m2_s[l] = D_M2_S;
        c->medium.partition[l] = 1;
        c->medium.clearance_per_s[l] = K_PER_S;
    }
    c->bottom = MN_TRANSPORT_ZERO_FLUX;
    c->lateral_bc = MN_LATERAL_MIRROR;
    c->uniform_lateral = c->uniform_z = 1;
    c->nx = c->ny = c->nz = n;
    c->size_x_m = c->size_y_m = (double)n * H_M;
    c->infinite_dose = surface;
    c->vehicle_concentration = surface ? 1.0 : 0.0;
    c->sealed_top = !surface;
    c->t_end_s = T_END_S;
    c->n_samples = 1;
    c->threads = threads;
    c->accuracy = s->accuracy;
    c->dt_first_s = s->dt_first_s;
    c->dt_rel = s->dt_rel;
    c->dt_max_s = T_END_S;
    c->full_grid = s->full_grid;
}

/* One question solved with settings s on `threads` threads. */
static int solve(int surface, size_t n, int threads, const settings *s, outcome *o)
{
    memset(o, 0, sizeof *o);
    size_t cells = n * n * n;
    double *c0 = malloc(cells * sizeof *c0);
    if (!c0)
        return 0;
    /* written before the clock starts, as a caller's state would be: the
     * pages of a calloc'd array are first met by the solver's read (~10 us
     * a fault on this machine, 0.2 s of a 216^3 run's set-up) */
    memset(c0, 0, cells * sizeof *c0);
    size_t mid = n / 2;
    if (!surface)
        c0[(mid * n + mid) * n + mid] = 1.0;
    mn_transport_config cfg;
    question_config(&cfg, surface, n, threads, s);
    mn_error e;
    mn_transport *t = NULL;
    mn_transport_result r;
    double t0 = now();
    int ok = mn_transport_new(&cfg, &t, &e) == MN_OK &&
             mn_transport_set_state(t, c0, surface ? 1.0 : 0.0, &e) == MN_OK;
    o->setup_s = now() - t0;
    ok = ok && mn_transport_run(t, NULL, &r, &e) == MN_OK;
    o->seconds = now() - t0;
    if (!ok) {
        fprintf(stderr, "bench_transport: %s\n", e.message);
        mn_transport_free(t);
        free(c0);
        return 0;
    }
    mn_transport_result_free(&r);
    mn_transport_stats(t, &o->steps, &o->solves, &o->iterations);
    mn_transport_get_state(t, c0);
    mn_transport_free(t);
    double *ex = malloc((surface ? n : cells) * sizeof *ex);
    if (!ex ||
        (surface ? mn_transport_exact_surface(n, H_M, D_M2_S, K_PER_S, T_END_S, ex, &e)
                 : mn_transport_exact_spike(n, n, n, mid, mid, mid, H_M, D_M2_S,
                                            K_PER_S, T_END_S, ex, &e)) != MN_OK) {
        free(ex);
        free(c0);
        return 0;
    }
    double emax = 0, cmax = 0;
    for (size_t q = 0; q < cells; q++) {
        double x = surface ? ex[q / (n * n)] : ex[q];
        double d = fabs(c0[q] - x);
        emax = d > emax ? d : emax;
        cmax = x > cmax ? x : cmax;
    }
    o->error = emax / cmax;
    o->state = c0;
    free(ex);
    return 1;
}

static void print_outcome(const char *prefix, const char *name, size_t n, int threads,
                          const outcome *o)
{
    printf("%s%s%zu: %.2f s, %.2e error, %ld steps, %d threads\n", prefix, name, n,
           o->seconds, o->error, o->steps, threads);
    printf("    (%ld solves, %ld CG iterations, %.1f per solve; set-up %.2f s)\n",
           o->solves, o->iterations,
           o->solves ? (double)o->iterations / (double)o->solves : 0.0, o->setup_s);
}

#define MAX_REPEAT 9

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The current settings `repeat` times on 1 (and 2) threads, the thread
 * counts interleaved (1, 2, 1, 2, ...), so that both meet the same states
 * of a shared machine; oc[th - 1] the first run's outcome with the median
 * of the times (a single run moves by 10-40% here: pages the host backs
 * lazily, other guests' memory traffic), runs[th - 1] every time. The
 * runs give the same bits, so only the times differ. */
static int current_runs(int surface, size_t n, int max_threads, int repeat,
                        const settings *s, outcome oc[2], double runs[2][MAX_REPEAT])
{
    for (int r = 0; r < repeat; r++)
        for (int th = 1; th <= max_threads; th++) {
            outcome o;
            if (!solve(surface, n, th, s, &o))
                return 0;
            runs[th - 1][r] = o.seconds;
            if (r == 0)
                oc[th - 1] = o;
            else {
                if (o.steps != oc[th - 1].steps || o.error != oc[th - 1].error)
                    fprintf(stderr, "bench_transport: run %d differs from the first\n",
                            r + 1);
                free(o.state);
            }
        }
    for (int th = 1; th <= max_threads; th++) {
        double sorted[MAX_REPEAT];
        memcpy(sorted, runs[th - 1], (size_t)repeat * sizeof *sorted);
        qsort(sorted, (size_t)repeat, sizeof *sorted, cmp_double);
        oc[th - 1].seconds = repeat % 2
                                 ? sorted[repeat / 2]
                                 : 0.5 * (sorted[repeat / 2 - 1] + sorted[repeat / 2]);
    }
    return 1;
}

/* ---- the application: a rolled cheek patch ------------------------------------ */

typedef struct {
    mn_compound_catalog cat;
    mn_device_list devs;
    mn_site_list sites;
    mn_depth_params dp;
} app_data;

static int patch_run(const char *data, double accuracy, int threads, double *sec,
                     long *steps, long *iters, double *delivered, size_t *cells)
{
    app_data d;
    memset(&d, 0, sizeof d);
    char path[4200];
    mn_error e;
    mn_error_clear(&e);
    snprintf(path, sizeof path, "%s/compounds.yaml", data);
    int ok = mn_compounds_load(path, &d.cat, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/devices.yaml", data);
    ok = ok && mn_devices_load(path, &d.devs, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/sites.yaml", data);
    ok = ok && mn_sites_load(path, &d.sites, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/penetration.yaml", data);
    ok = ok && mn_depth_params_load(path, &d.dp, NULL, &e) == MN_OK;
    mn_channel_params chp;
    snprintf(path, sizeof path, "%s/channels.yaml", data);
    ok = ok && mn_channel_params_load(path, &chp, NULL, &e) == MN_OK;
    mn_deliver_spec s;
    mn_deliver_spec_default(&s);
    s.channel = &chp;
    mn_device roller;
    mn_device_init(&roller);
    ok = ok && mn_deliver_spec_compound(&s, &d.cat, "lidocaine", &e) == MN_OK &&
         mn_deliver_spec_site(&s, &d.sites, "cheek", MN_SEX_FEMALE, &e) == MN_OK &&
         mn_device_resolve(&d.devs, "roller-192-0.5mm", &roller, &e) == MN_OK;
    mn_deliver_channels ch;
    s.patch_m = 1e-2;
    s.grid = MN_GRID_COARSE;
    s.threads = threads;
    ok = ok && mn_deliver_spec_channels(&s, &roller, &d.dp, 10.0, 15, &ch, &e) == MN_OK;
    s.accuracy = accuracy;
    mn_deliver_result r;
    memset(&r, 0, sizeof r);
    double t0 = now();
    ok = ok && mn_deliver_run(&s, NULL, &r, &e) == MN_OK;
    *sec = now() - t0;
    if (ok) {
        *steps = r.with.steps + r.intact.steps;
        *iters = r.iterations;
        *delivered = r.delivered_kg_m2;
        *cells = r.nx * r.ny * r.nz;
        mn_deliver_result_free(&r);
    } else
        fprintf(stderr, "bench_transport: patch: %s\n", e.message);
    mn_device_clear(&roller);
    mn_compound_catalog_free(&d.cat);
    mn_device_list_free(&d.devs);
    mn_site_list_free(&d.sites);
    return ok;
}

/* ---- the profile ------------------------------------------------------------------
 */

static double triad_gb_s(size_t n)
{
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
           *c = malloc(n * sizeof *c);
    if (!a || !b || !c) {
        free(a), free(b), free(c);
        return NAN;
    }
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++)
        a[i] = 0, b[i] = 1, c[i] = 2;
    double best = INFINITY;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + 3.0 * c[i];
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    volatile double keep = a[n / 3];
    (void)keep;
    free(a), free(b), free(c);
    return 32.0 * (double)n / best * 1e-9; /* write-allocate counted */
}

static void profile(size_t n, const settings *s)
{
    size_t cells = n * n * n, mid = n / 2;
    double *c0 = calloc(cells, sizeof *c0);
    if (!c0)
        return;
    c0[(mid * n + mid) * n + mid] = 1.0;
    mn_transport_config cfg;
    question_config(&cfg, 0, n, 0, s);
    mn_error e;
    mn_transport *t = NULL;
    mn_transport_result r;
    double t0 = now();
    if (mn_transport_new(&cfg, &t, &e) != MN_OK ||
        mn_transport_set_state(t, c0, 0.0, &e) != MN_OK ||
        mn_transport_run(t, NULL, &r, &e) != MN_OK) {
        fprintf(stderr, "bench_transport: %s\n", e.message);
        mn_transport_free(t);
        free(c0);
        return;
    }
    double el = now() - t0;
    mn_transport_result_free(&r);
    long steps;
    mn_transport_stats(t, &steps, NULL, NULL);
    double bw = triad_gb_s((size_t)1 << 24);
    printf("profile (spike%zu, %s settings, all threads; triad %.2f GB/s, "
           "write-allocate counted):\n",
           n, s->label, bw);
    printf("  %-22s %6s %9s %8s %9s\n", "pass", "time", "B/cell", "GB/s", "of triad");
    double in = 0;
    for (int p = 0; p < MN_TRANSPORT_PASSES; p++) {
        const char *name;
        double sec, byt;
        mn_transport_pass_profile(t, (mn_transport_pass_kind)p, &name, &sec, &byt);
        in += sec;
        double gbs = sec > 0 ? byt * (double)cells / sec * 1e-9 : 0;
        printf("  %-22s %5.1f%% %9.0f %8.2f %8.0f%%\n", name, 100 * sec / el,
               byt / (double)steps, gbs, 100 * gbs / bw);
    }
    printf("  %-22s %5.1f%%\n", "outside the passes", 100 * (el - in) / el);
    printf("  %.0f bytes per cell and step (counted)\n", mn_transport_traffic_bytes(t));
    mn_transport_free(t);
    free(c0);
}

/* What the timings depend on besides the solver: when, how busy the
 * machine was, and how idle threads wait. */
static void print_conditions(void)
{
    char when[32] = "?";
    time_t now_s = time(NULL);
    struct tm utc;
    if (gmtime_r(&now_s, &utc))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &utc);
    double load[1] = {-1};
    const char *wait = getenv("OMP_WAIT_POLICY");
    if (getloadavg(load, 1) == 1)
        printf("started %s, load average %.2f (1 min), ", when, load[0]);
    else
        printf("started %s, load average unknown, ", when);
    printf("OMP_WAIT_POLICY=%s\n",
           wait && *wait ? wait : "(unset: libgomp spins briefly, then sleeps)");
}

int main(int argc, char **argv)
{
    int record = 0, patch = -1;
    size_t n_set = 0;
    int max_threads = 2, only_current = 0, repeat = 0;
    const char *data = "data", *only = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--record"))
            record = 1;
        else if (!strcmp(argv[a], "--no-patch"))
            patch = 0;
        else if (!strcmp(argv[a], "--patch"))
            patch = 1;
        else if (!strcmp(argv[a], "--one-thread"))
            max_threads = 1;
        else if (!strcmp(argv[a], "--current"))
            only_current = 1;
        else if (!strcmp(argv[a], "--question") && a + 1 < argc &&
                 (!strcmp(argv[a + 1], "spike") || !strcmp(argv[a + 1], "surface")))
            only = argv[++a];
        else if (!strcmp(argv[a], "--n") && a + 1 < argc)
            n_set = (size_t)atol(argv[++a]);
        else if (!strcmp(argv[a], "--repeat") && a + 1 < argc) {
            repeat = atoi(argv[++a]);
            if (repeat < 1 || repeat > MAX_REPEAT) {
                fprintf(stderr, "bench_transport: --repeat must be 1 to %d\n",
                        MAX_REPEAT);
                return 2;
            }
        } else if (!strcmp(argv[a], "--data") && a + 1 < argc)
            data = argv[++a];
        else {
            fprintf(stderr, "usage: bench_transport [--record] [--patch|--no-patch] "
                            "[--one-thread] [--n CELLS] [--question spike|surface] "
                            "[--current] [--repeat N] [--data DIR]\n");
            return 2;
        }
    }
    size_t n = n_set >= 8 ? n_set : record ? 216 : 128;
    if (patch < 0)
        patch = record;
    if (repeat == 0)
        repeat = record ? 3 : 1; /* 1.5e7 cells for an hour: minutes */
    /* Today's step rule with about the fewest steps that reach 1% on each
     * question (found by trying dt_first and dt_rel at 64^3: the spike's
     * error 1.2e-2 from 5 s, 20%; 7.6e-3 from 2 s, 15%). */
    const settings base_spike = {"baseline", 0, 2.0, 0.15, 1};
    const settings base_surf = {"baseline", 0, 200.0, 1.0, 1};
    const settings whole = {"whole grid", 0.01, 0.01, 0.05, 1};
    const settings cur = {"current", 0.01, 0.01, 0.05, 0};
    printf("bench_transport: %zu^3 cells of 10 um, D 1000 um2/min, decay 0.1/min, "
           "T 10 min; error against the exact semi-discrete solution\n",
           n);
    print_conditions();
    int fail = 0;
    for (int surface = 0; surface < 2; surface++) {
        const char *name = surface ? "surface" : "spike";
        if (only && strcmp(only, name))
            continue;
        outcome ob[2], ow[2], oc[2];
        double runs[2][MAX_REPEAT];
        for (int th = 1; th <= max_threads && !only_current; th++)
            if (!solve(surface, n, th, surface ? &base_surf : &base_spike,
                       &ob[th - 1]) ||
                !solve(surface, n, th, &whole, &ow[th - 1]))
                return 1;
        if (!current_runs(surface, n, max_threads, repeat, &cur, oc, runs))
            return 1;
        for (int th = 1; th <= max_threads; th++) {
            if (!only_current) {
                print_outcome("baseline ", name, n, th, &ob[th - 1]);
                print_outcome("whole grid ", name, n, th, &ow[th - 1]);
            }
            print_outcome("", name, n, th, &oc[th - 1]);
            if (repeat > 1) {
                printf("    (median of %d runs, 1 and 2 threads interleaved:", repeat);
                for (int r = 0; r < repeat; r++)
                    printf(" %.2f", runs[th - 1][r]);
                printf(" s)\n");
            }
            if (!only_current) {
                printf(
                    "    speed-up %.2fx over the baseline, %.2fx over the whole grid\n",
                    ob[th - 1].seconds / oc[th - 1].seconds,
                    ow[th - 1].seconds / oc[th - 1].seconds);
                free(ob[th - 1].state), free(ow[th - 1].state);
            }
            fail |= !(oc[th - 1].error <= 0.01);
            free(oc[th - 1].state);
        }
        if (max_threads == 2)
            printf("    2 threads: %.2fx faster than 1 (medians)\n",
                   oc[0].seconds / oc[1].seconds);
    }
    /* 1 and 2 threads, bit for bit (a smaller grid) */
    {
        outcome o1, o2;
        if (!solve(0, 48, 1, &cur, &o1) || !solve(0, 48, 2, &cur, &o2))
            return 1;
        int same = !memcmp(o1.state, o2.state, 48 * 48 * 48 * sizeof(double));
        printf("1 and 2 threads: %s (spike48, current settings)\n",
               same ? "bit-identical" : "DIFFERENT");
        fail |= !same;
        free(o1.state), free(o2.state);
    }
    if (patch) {
        for (int v = 0; v < 2; v++) { /* the fixed rule; 1% */
            double sec = 0, del = 0;
            long st = 0, it = 0;
            size_t cells = 0;
            if (!patch_run(data, v ? 0.01 : 0.0, 0, &sec, &st, &it, &del, &cells))
                return 1;
            printf("%spatch: %.2f s, %ld steps, %ld CG iterations, %zu cells, "
                   "delivered %.6g kg/m2 (rolled cheek patch 1 cm2, 15 passes, 1 h)\n",
                   v ? "" : "baseline ", sec, st, it, cells, del);
        }
    }
    if (!only_current)
        profile(n, &cur);
    return fail;
}
