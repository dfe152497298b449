/* bench/cohort: the cost of one person-course of the healing model, the
 * unit of work of `mnsim cohort` (issue 16, "Speed"), side by side in one
 * run for GSL's msbdf (today's integrator) and mnsim's RODAS3:
 * person-courses per second and per core at 1 and 2 OpenMP threads, the
 * parallel efficiency, and the goal case (1e5 people x one 4-session arm x
 * 12 months under 10 s on 2 cores) for RODAS3. Each person is drawn from
 * the between-person spreads of data/healing.yaml (Philox stream per
 * person) and simulated with mn_heal_simulate_endpoints (collagen, elastin,
 * epidermis at 1, 3, 6 and 12 months, readiness per session, the risks):
 * what a cohort keeps. The baseline also runs through mn_heal_ensemble
 * (daily series and bands, as `mnsim heal --samples` today).
 * Usage: bench_cohort [N_COMPARE [N_GOAL]] (default 1000 and 100000). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnsim/channels_io.h"
#include "mnsim/healing.h"
#include "mnsim/healing_io.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds of the process (all threads): on a shared machine the rate
 * per CPU second is steadier than the rate per wall second. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double last_cpu_s; /* CPU seconds of the last run */

enum { NSESS = 4, NT = 4 };
static const double MONTHS[NT] = {1, 3, 6, 12};

static mn_heal_population POP;
static mn_channel_params CHANNEL;

/* One 4-session arm: a 1.5 mm roller on the cheek every 4 weeks (229
 * channels/cm^2, 840 um deep, 777 um of it in the dermis, every channel
 * bleeding; as tests/unit/test_healing.c), 12 months. */
static mn_heal_course arm(mn_heal_dose *d)
{
    for (int k = 0; k < NSESS; k++) {
        mn_heal_dose x = {28.0 * k, 229e4, 840e-6, 777e-6, 1.0, 0};
        d[k] = x;
    }
    mn_heal_course c = {d, NSESS, 3, 0, &CHANNEL};
    return c;
}

/* A person's values kept for the comparison of the methods. */
typedef struct {
    double out[NT][MN_HEAL_NOUT];
    double ready[NSESS];
    double pih, oi;
    long steps;
} person;

/* n people from `first` with the solver s on `threads` threads; seconds,
 * or -1 on failure. keep (may be NULL) receives each person. */
static double run_people(const mn_heal_solver *s, size_t first, size_t n, int threads,
                         person *keep, long *steps)
{
    mn_heal_dose d[NSESS];
    mn_heal_course c = arm(d);
    double t_days[NT];
    for (int k = 0; k < NT; k++)
        t_days[k] = MONTHS[k] * MN_HEAL_DAYS_PER_MONTH;
    int failed = 0;
    long total_steps = 0;
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    double t0 = now(), c0 = cpu_now();
    long ni = (long)n;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 64) reduction(+ : failed, total_steps)
#endif
    for (long i = 0; i < ni; i++) {
        mn_heal_params p;
        mn_heal_sample_params(&POP, 42, first + (uint64_t)i, &p);
        mn_heal_session_result sr[NSESS];
        mn_heal_endpoints ep;
        mn_error e;
        if (mn_heal_simulate_endpoints(&p, &c, s, t_days, NT, sr, &ep, &e) != MN_OK) {
            failed++;
            continue;
        }
        total_steps += ep.steps;
        if (keep) {
            person *k = &keep[i];
            memcpy(k->out, ep.out, sizeof k->out);
            for (int j = 0; j < NSESS; j++)
                k->ready[j] = sr[j].ready_days;
            k->pih = ep.pih_index;
            k->oi = ep.overtreatment_index;
            k->steps = ep.steps;
        }
    }
    double dt = now() - t0;
    last_cpu_s = cpu_now() - c0;
    if (steps)
        *steps = total_steps;
    return failed ? -1 : dt;
}

static double run_ensemble(const mn_heal_solver *s, size_t n, int threads)
{
    mn_heal_dose d[NSESS];
    mn_heal_course c = arm(d);
    mn_heal_band b;
    mn_error e;
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    double t0 = now(), c0 = cpu_now();
    mn_status st = mn_heal_ensemble(&POP, &c, s, 42, n, NULL, &b, &e);
    double dt = now() - t0;
    last_cpu_s = cpu_now() - c0;
    if (st != MN_OK) {
        fprintf(stderr, "ensemble: %s\n", e.message);
        return -1;
    }
    mn_heal_band_free(&b);
    return dt;
}

static void row(const char *what, size_t n, int threads, double secs, double rate1,
                long steps)
{
    double rate = (double)n / secs;
    printf("%-34s %8zu %7d %9.3f %12.0f %12.0f", what, n, threads, secs, rate,
           rate / threads);
    if (rate1 > 0)
        printf(" %9.0f%%", 100 * rate / (threads * rate1));
    else
        printf(" %10s", "-");
    printf(" %11.0f %9.3f %13.0f\n", steps > 0 ? (double)steps / (double)n : NAN,
           last_cpu_s, (double)n / last_cpu_s);
}

/* Largest differences of people a from the reference people b. */
static void compare(const person *a, const person *b, size_t n)
{
    double d_out[MN_HEAL_NOUT] = {0}, d_ready = 0, d_pih = 0, d_oi = 0;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < NT; k++)
            for (int o = 0; o < MN_HEAL_NOUT; o++)
                d_out[o] = fmax(d_out[o], fabs(a[i].out[k][o] - b[i].out[k][o]));
        for (int j = 0; j < NSESS; j++)
            if (!(isnan(a[i].ready[j]) && isnan(b[i].ready[j])))
                d_ready = fmax(d_ready, isnan(a[i].ready[j] - b[i].ready[j])
                                            ? INFINITY
                                            : fabs(a[i].ready[j] - b[i].ready[j]));
        d_pih = fmax(d_pih, fabs(a[i].pih - b[i].pih) / fmax(b[i].pih, 1e-300));
        d_oi = fmax(d_oi, fabs(a[i].oi - b[i].oi));
    }
    printf("  largest absolute differences (outputs relative to baseline: x100 = "
           "percentage points)\n");
    for (int o = 0; o < MN_HEAL_NOUT; o++)
        printf("  %-16s %.2e\n", mn_heal_out_name(o), d_out[o]);
    printf("  %-16s %.2e days\n  %-16s %.2e (relative)\n  %-16s %.2e\n", "ready_days",
           d_ready, "pih_index", d_pih, "overtreatment", d_oi);
}

int main(int argc, char **argv)
{
    size_t n_cmp = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000;
    size_t n_goal = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 100000;
    if (n_cmp == 0)
        n_cmp = 1;
    char path[4096];
    mn_error e;
    snprintf(path, sizeof path, "%s/data/channels.yaml", MNSIM_SOURCE_DIR);
    if (mn_channel_params_load(path, &CHANNEL, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s: %s\n", path, e.message);
        return 1;
    }
    snprintf(path, sizeof path, "%s/data/healing.yaml", MNSIM_SOURCE_DIR);
    mn_heal_data hd;
    if (mn_heal_data_load(path, &hd, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s: %s\n", path, e.message);
        return 1;
    }
    POP = hd.population;
    mn_heal_data_clear(&hd);
    int max_threads = 1;
#ifdef MNSIM_HAVE_OPENMP
    max_threads = omp_get_num_procs() >= 2 ? 2 : 1;
#endif
    /* Today's integrator as the bands use it (`mnsim run`): msbdf at 1e-5
     * relative, 1e-8 absolute, readiness to 6 h; RODAS3 at the same
     * settings and at the cohort settings (MN_HEAL_SOLVER_COHORT); the
     * reference for the differences: msbdf at 1e-9, 1e-11 (at 1e-10 msbdf
     * fails on some courses). */
    mn_heal_solver bdf = {1e-5, 1e-8, 0.25, MN_HEAL_METHOD_MSBDF};
    mn_heal_solver ros5 = {1e-5, 1e-8, 0.25, MN_HEAL_METHOD_RODAS3};
    mn_heal_solver ros = MN_HEAL_SOLVER_COHORT;
    mn_heal_solver tight = {1e-9, 1e-11, 0.25, MN_HEAL_METHOD_MSBDF};

    printf(
        "bench/cohort: one person-course = 4 sessions (1.5 mm roller, every 4 weeks) "
        "x 12 months, people from data/healing.yaml's spreads, readiness to 6 h\n");
    printf("%-34s %8s %7s %9s %13s %12s %10s %11s %9s %13s\n",
           "integrator, tolerances, path", "people", "threads", "seconds",
           "courses_per_s", "per_core", "parallel", "steps_each", "cpu_s", "per_cpu_s");
    const mn_heal_solver *sv[3] = {&bdf, &ros5, &ros};
    const char *name[3] = {"msbdf 1e-5/1e-8, endpoints (today)",
                           "RODAS3 1e-5/1e-8, endpoints", "RODAS3 1e-4/1e-6 (cohort)"};
    double rate[3][3] = {{0}}, cpu_rate[3][3] = {{0}};
    int fail = 0;
    double r1 = 0;
    for (int th = 1; th <= max_threads; th++) {
        double t = run_ensemble(&bdf, n_cmp, th);
        fail |= t < 0;
        if (th == 1)
            r1 = (double)n_cmp / t;
        row("msbdf 1e-5/1e-8, mn_heal_ensemble", n_cmp, th, t, th > 1 ? r1 : 0, 0);
    }
    for (int m = 0; m < 3; m++)
        for (int th = 1; th <= max_threads; th++) {
            long steps;
            double t = run_people(sv[m], 0, n_cmp, th, NULL, &steps);
            fail |= t < 0;
            rate[m][th] = (double)n_cmp / t;
            cpu_rate[m][th] = (double)n_cmp / last_cpu_s;
            row(name[m], n_cmp, th, t, th > 1 ? rate[m][1] : 0, steps);
        }
    for (int th = 1; th <= max_threads; th++)
        printf("speed-up over msbdf 1e-5/1e-8 at %d thread(s), per wall second "
               "(per CPU second): RODAS3 same tolerances %.1fx (%.1fx), RODAS3 "
               "cohort settings %.1fx (%.1fx)\n",
               th, rate[1][th] / rate[0][th], cpu_rate[1][th] / cpu_rate[0][th],
               rate[2][th] / rate[0][th], cpu_rate[2][th] / cpu_rate[0][th]);
    /* Accuracy: every setting against the tight reference. */
    size_t n_acc = n_cmp < 200 ? n_cmp : 200;
    person *ref = calloc(n_acc, sizeof *ref), *got = calloc(n_acc, sizeof *got);
    if (!ref || !got)
        return 1;
    fail |= run_people(&tight, 0, n_acc, max_threads, ref, NULL) < 0;
    for (int m = 0; m < 3; m++) {
        fail |= run_people(sv[m], 0, n_acc, max_threads, got, NULL) < 0;
        printf("%s against msbdf 1e-9/1e-11, %zu people:\n", name[m], n_acc);
        compare(got, ref, n_acc);
    }
    free(ref);
    free(got);
    if (n_goal > 0) {
        long steps;
        double t = run_people(&ros, 0, n_goal, max_threads, NULL, &steps);
        fail |= t < 0;
        row("RODAS3 cohort, goal case", n_goal, max_threads, t, rate[2][1], steps);
        printf("goal: %zu people x 4 sessions x 12 months in %.2f s on %d thread(s), "
               "%.2f CPU s (goal: 1e5 in < 10 s on 2 cores): %s\n",
               n_goal, t, max_threads, last_cpu_s,
               n_goal == 100000 ? (t < 10 ? "met" : "NOT met") : "other size");
    }
    return fail ? 1 : 0;
}
