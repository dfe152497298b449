/* Healing and collagen induction model (src/model/healing*.c) and its
 * parameter file (src/io/healing_io.c). argv[1]: the data directory. */
#include "mn_test.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_blas.h>

#include "mnsim/healing.h"
#include "mnsim/channels_io.h"
#include "mnsim/healing_io.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

/* Internal hooks of healing.c for the Jacobian check. */
int mn_heal__rhs(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double f[]);
int mn_heal__jac(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double *dfdy);

/* The channel model of the data directory (the barrier). */
static mn_channel_params CHANNEL;

static mn_heal_population pop;

/* A 1.5 mm roller on the cheek (229 channels/cm^2 for 15 passes, 840 um
 * deep, 777 um of it in the dermis, every channel bleeding) and a 0.2 mm
 * roller that reaches its full length (200 um: 137 um into the dermis; the
 * penetration model gives far less, so this is the strictest comparison). */
static mn_heal_dose roller15(double t)
{
    mn_heal_dose d = {t, 229e4, 840e-6, 777e-6, 1.0, 0};
    return d;
}

static mn_heal_dose roller02(double t)
{
    mn_heal_dose d = {t, 229e4, 200e-6, 137e-6, 1.0, 0};
    return d;
}

static int run(const mn_heal_params *p, mn_heal_dose (*dose)(double), int n,
               double interval, int fitz, const mn_heal_solver *s, mn_heal_result *r)
{
    mn_heal_dose d[64];
    for (int i = 0; i < n; i++)
        d[i] = dose(i * interval);
    mn_heal_course c = {d, (size_t)n, fitz, 0, &CHANNEL};
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_heal_simulate(p, &c, s, r, &e);
    if (st != MN_OK)
        fprintf(stderr, "simulate: %s\n", e.message);
    return st;
}

static double total_at(const mn_heal_params *p, const mn_heal_result *r, double t)
{
    return mn_heal_out_at(p, r, MN_HEAL_OUT_COLLAGEN_TOTAL, t);
}

static void test_params(void)
{
    /* Keys unique and found. */
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        const mn_heal_param_info *in = mn_heal_param_get_info(i);
        CHECK(in && in->key && in->min <= in->max);
        CHECK(mn_heal_param_find(in->key) == i);
    }
    CHECK(mn_heal_param_get_info(MN_HEAL_NPARAMS) == NULL);
    CHECK(mn_heal_param_find("no_such_parameter") == -1);
    CHECK(mn_heal_param_si_factor(MN_HEAL_P_INFL_TIME) == 86400.0);
    CHECK(mn_heal_param_si_factor(MN_HEAL_P_FIB_PROLIF) == 1.0);
    CHECK(mn_heal_params_validate(&pop.median, NULL) == MN_OK);
    mn_heal_params bad = pop.median;
    bad.value[MN_HEAL_P_INFL_TIME] = -1;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_heal_params_validate(&bad, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message, "inflammation_resolution_time");
    CHECK(strcmp(mn_heal_state_name(MN_HEAL_COLLAGEN_I), "collagen_i") == 0);
    CHECK(strcmp(mn_heal_out_name(MN_HEAL_OUT_COLLAGEN_TOTAL), "collagen_total") == 0);
}

/* Analytic Jacobian against central differences at a busy state. */
static void test_jacobian(void)
{
    double y[MN_HEAL_NSTATES] = {0.4, 0.6, 0.5, 0.9, 0.7,  0.8,  0.3,
                                 0.5, 0.6, 1.2, 1.1, 0.05, 0.97, 1.05};
    double J[MN_HEAL_NSTATES * MN_HEAL_NSTATES];
    CHECK(mn_heal__jac(&pop.median, 0.7, y, J) == 0);
    double worst = 0;
    for (int j = 0; j < MN_HEAL_NSTATES; j++) {
        double yp[MN_HEAL_NSTATES], ym[MN_HEAL_NSTATES];
        double fp[MN_HEAL_NSTATES], fm[MN_HEAL_NSTATES];
        memcpy(yp, y, sizeof y);
        memcpy(ym, y, sizeof y);
        double h = 1e-6 * (1 + fabs(y[j]));
        yp[j] += h;
        ym[j] -= h;
        mn_heal__rhs(&pop.median, 0.7, yp, fp);
        mn_heal__rhs(&pop.median, 0.7, ym, fm);
        for (int i = 0; i < MN_HEAL_NSTATES; i++) {
            double fd = (fp[i] - fm[i]) / (2 * h);
            double err = fabs(fd - J[i * MN_HEAL_NSTATES + j]);
            if (err > worst)
                worst = err;
        }
    }
    CHECK(worst < 1e-7);
    if (worst >= 1e-7)
        fprintf(stderr, "Jacobian: worst difference %g\n", worst);
}

/* No session: the skin stays exactly at baseline. */
static void test_rest(void)
{
    mn_heal_course c = {NULL, 0, 3, 0, &CHANNEL};
    mn_heal_result r;
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, NULL) == MN_OK);
    CHECK(r.n_days >= 366);
    CHECK(mn_heal_value_at(&r, MN_HEAL_COLLAGEN_I, 200) == 1.0);
    CHECK(mn_heal_value_at(&r, MN_HEAL_INFLAMMATION, 100) == 0.0);
    CHECK(r.overtreatment_index == 0 && !r.overtreated);
    CHECK(isnan(mn_heal_value_at(&r, MN_HEAL_COLLAGEN_I, 1e4)));
    mn_heal_result_free(&r);
    mn_heal_result_free(&r); /* twice is harmless */
}

/* GSL's error handler is set once, to off, and never swapped while the
 * model runs: a caller's threads do not race on it. The test installs its
 * own handler and watches it from the main thread while another thread
 * simulates twelve sessions: it must never see another handler. */
static int gsl_calls;
static void count_gsl(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason, (void)file, (void)line, (void)gsl_errno;
    __atomic_fetch_add(&gsl_calls, 1, __ATOMIC_RELAXED);
}

static int sim_done;
static void *simulate_thread(void *arg)
{
    mn_heal_result r;
    for (int k = 0; k < 4; k++) {
        CHECK(run(&pop.median, roller15, 12, 14, 3, NULL, &r) == MN_OK);
        mn_heal_result_free(&r);
    }
    __atomic_store_n(&sim_done, 1, __ATOMIC_RELEASE);
    return arg;
}

static void test_gsl_handler(void)
{
    /* Off after the first simulation: an error returns, it does not abort. */
    mn_heal_result r;
    CHECK(run(&pop.median, roller15, 1, 0, 3, NULL, &r) == MN_OK);
    mn_heal_result_free(&r);
    gsl_vector *a = gsl_vector_calloc(2), *b = gsl_vector_calloc(3);
    double dot;
    CHECK(gsl_blas_ddot(a, b, &dot) == GSL_EBADLEN);
    gsl_set_error_handler(count_gsl);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, simulate_thread, NULL) == 0);
    long seen = 0, swapped = 0;
    while (!__atomic_load_n(&sim_done, __ATOMIC_ACQUIRE)) {
        gsl_error_handler_t *h = gsl_set_error_handler(count_gsl);
        swapped += h != count_gsl;
        seen++;
    }
    pthread_join(t, NULL);
    CHECK(seen > 0);
    CHECK(swapped == 0);
    /* The caller's handler is still in place. */
    CHECK(gsl_blas_ddot(a, b, &dot) == GSL_EBADLEN && gsl_calls >= 1);
    gsl_set_error_handler_off();
    gsl_vector_free(a);
    gsl_vector_free(b);
}

/* One session: collagen III rises first, collagen I later, and both return
 * toward baseline with remodelling. */
static void test_one_session(void)
{
    mn_heal_result r;
    CHECK(run(&pop.median, roller15, 1, 0, 3, NULL, &r) == MN_OK);
    double t3 = 0, p3 = 0, t1 = 0, p1 = 0, tf = 0, pf = 0, ti = 0, pi = 0;
    for (size_t d = 0; d < r.n_days; d++) {
        const double *y = r.daily + d * MN_HEAL_NSTATES;
        if (y[MN_HEAL_COLLAGEN_III] > p3)
            p3 = y[MN_HEAL_COLLAGEN_III], t3 = (double)d;
        if (y[MN_HEAL_COLLAGEN_I] > p1)
            p1 = y[MN_HEAL_COLLAGEN_I], t1 = (double)d;
        if (y[MN_HEAL_FIBROBLASTS] > pf)
            pf = y[MN_HEAL_FIBROBLASTS], tf = (double)d;
        if (y[MN_HEAL_INFLAMMATION] > pi)
            pi = y[MN_HEAL_INFLAMMATION], ti = (double)d;
    }
    CHECK(ti <= 3);             /* inflammatory phase: days 0-3 */
    CHECK(tf >= 2 && tf <= 21); /* proliferative phase: days 3-21 */
    CHECK(p3 > 1.03 && p1 > 1.05);
    CHECK(t3 < t1); /* collagen III first, collagen I later */
    CHECK(t1 > 30); /* collagen I keeps forming for months */
    double c3_end = mn_heal_value_at(&r, MN_HEAL_COLLAGEN_III, 365);
    double c1_end = mn_heal_value_at(&r, MN_HEAL_COLLAGEN_I, 365);
    CHECK(c3_end < 1 + 0.2 * (p3 - 1));  /* collagen III back near baseline */
    CHECK(c1_end < p1 - 0.2 * (p1 - 1)); /* collagen I on its way back */
    CHECK(c1_end > 1);
    /* Healing state after the session. */
    const mn_heal_session_result *s = &r.sessions[0];
    CHECK(s->barrier_closed_days > 0.5 && s->barrier_closed_days < 4);
    CHECK(s->redness_resolved_days > 0.5 && s->redness_resolved_days < 4);
    CHECK(s->ready_days >= s->barrier_closed_days);
    CHECK(s->ready_days > 2 && s->ready_days < 14);
    CHECK(!s->early && s->unready_fraction == 0);
    CHECK(r.overtreatment_index == 0 && !r.overtreated);
    mn_heal_result_free(&r);
}

/* More sessions (4 weeks apart) give more collagen; deeper needles more
 * than 0.2 mm. */
static void test_dose_response(void)
{
    double t6 = 6 * 30.436875;
    double prev = 1;
    for (int n = 1; n <= 4; n++) {
        mn_heal_result r;
        CHECK(run(&pop.median, roller15, n, 28, 3, NULL, &r) == MN_OK);
        double c = total_at(&pop.median, &r, t6);
        CHECK(c > prev);
        prev = c;
        mn_heal_result_free(&r);
    }
    mn_heal_result a, b;
    CHECK(run(&pop.median, roller15, 1, 0, 3, NULL, &a) == MN_OK);
    CHECK(run(&pop.median, roller02, 1, 0, 3, NULL, &b) == MN_OK);
    for (int m = 1; m <= 12; m++) {
        double t = m * 30.436875;
        CHECK(total_at(&pop.median, &a, t) - 1 >
              1.5 * (total_at(&pop.median, &b, t) - 1));
    }
    CHECK(mn_heal_value_at(&a, MN_HEAL_EPIDERMIS, t6) >
          mn_heal_value_at(&b, MN_HEAL_EPIDERMIS, t6));
    CHECK(b.sessions[0].ready_days < a.sessions[0].ready_days);
    CHECK(b.sessions[0].barrier_closed_days < a.sessions[0].barrier_closed_days);
    mn_heal_result_free(&a);
    mn_heal_result_free(&b);
}

/* Sessions every 2 days with 1.5 mm needles: overtreatment. */
static void test_overtreatment(void)
{
    mn_heal_result fast, spaced, monthly;
    CHECK(run(&pop.median, roller15, 10, 2, 3, NULL, &fast) == MN_OK);
    CHECK(run(&pop.median, roller15, 10, 28, 3, NULL, &spaced) == MN_OK);
    CHECK(run(&pop.median, roller15, 4, 28, 3, NULL, &monthly) == MN_OK);
    CHECK(fast.overtreated);
    CHECK(fast.overtreatment_index > 5);
    CHECK(!fast.sessions[0].early);
    for (size_t k = 1; k < fast.n_sessions; k++)
        CHECK(fast.sessions[k].early && fast.sessions[k].unready_fraction > 0.3);
    CHECK(!spaced.overtreated && spaced.overtreatment_index == 0);
    CHECK(!monthly.overtreated);
    /* Chronic inflammation: higher peak, more inflamed days per session. */
    CHECK(fast.peak_inflammation > 1.5 * spaced.peak_inflammation);
    /* Less net collagen: less than the same sessions spaced out, and not more
     * than 4 sessions 4 weeks apart, 12 months on. */
    double t12 = 365.0;
    CHECK(total_at(&pop.median, &fast, t12) < total_at(&pop.median, &spaced, t12));
    CHECK(total_at(&pop.median, &fast, t12) < total_at(&pop.median, &monthly, t12));
    CHECK(fast.pih_risk == MN_PIH_HIGH && monthly.pih_risk == MN_PIH_LOW);
    mn_heal_result_free(&fast);
    mn_heal_result_free(&spaced);
    mn_heal_result_free(&monthly);

    /* Darker skin: higher hyperpigmentation index for the same course. */
    mn_heal_result f2, f5;
    CHECK(run(&pop.median, roller15, 1, 0, 2, NULL, &f2) == MN_OK);
    CHECK(run(&pop.median, roller15, 1, 0, 5, NULL, &f5) == MN_OK);
    CHECK(f5.pih_index > 2 * f2.pih_index);
    CHECK(f5.pih_risk > f2.pih_risk);
    mn_heal_result_free(&f2);
    mn_heal_result_free(&f5);
}

/* Results change by less than 0.1% when the tolerances are tightened 10x. */
static void test_tolerance(void)
{
    mn_heal_solver s1 = MN_HEAL_SOLVER_DEFAULTS, s2 = MN_HEAL_SOLVER_DEFAULTS;
    s2.rtol /= 10;
    s2.atol /= 10;
    mn_heal_dose (*doses[2])(double) = {roller15, roller15};
    int ns[2] = {4, 10};
    double iv[2] = {28, 2};
    for (int c = 0; c < 2; c++) {
        mn_heal_result a, b;
        CHECK(run(&pop.median, doses[c], ns[c], iv[c], 3, &s1, &a) == MN_OK);
        CHECK(run(&pop.median, doses[c], ns[c], iv[c], 3, &s2, &b) == MN_OK);
        double worst = 0;
        for (int m = 0; m < 4; m++) {
            double t = (double[]){1, 3, 6, 12}[m] * 30.436875;
            for (int o = 0; o < MN_HEAL_NOUT; o++) {
                double x = mn_heal_out_at(&pop.median, &a, o, t);
                double y = mn_heal_out_at(&pop.median, &b, o, t);
                worst = fmax(worst, fabs(x - y) / y);
            }
        }
        for (size_t k = 0; k < a.n_sessions; k++) {
            worst =
                fmax(worst, fabs(a.sessions[k].ready_days - b.sessions[k].ready_days) /
                                b.sessions[k].ready_days);
            worst = fmax(worst, fabs(a.sessions[k].barrier_closed_days -
                                     b.sessions[k].barrier_closed_days) /
                                    b.sessions[k].barrier_closed_days);
        }
        worst = fmax(worst, fabs(a.overtreatment_index - b.overtreatment_index) /
                                fmax(b.overtreatment_index, 1));
        CHECK(worst < 1e-3);
        printf("tolerance x10: largest relative change %.2e (course %d)\n", worst, c);
        CHECK(b.steps > a.steps);
        mn_heal_result_free(&a);
        mn_heal_result_free(&b);
    }
}

static void test_bad_input(void)
{
    mn_heal_result r;
    mn_error e;
    mn_heal_dose d[2] = {roller15(0), roller15(28)};
    mn_heal_course c = {d, 2, 3, 0, &CHANNEL};
    d[0].dermis_depth_m = 1e-3; /* deeper in the dermis than the channel */
    mn_error_clear(&e);
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "session 1");
    d[0] = roller15(30); /* out of order */
    mn_error_clear(&e);
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "time order");
    d[0] = roller15(0);
    c.fitzpatrick = 7;
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, NULL) == MN_EINVAL);
    c.fitzpatrick = 3;
    d[1].capillary_fraction = 1.5;
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, NULL) == MN_EINVAL);
    d[1] = roller15(28);
    d[1].channels_per_m2 = NAN;
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, NULL) == MN_EINVAL);
    d[1] = roller15(28);
    mn_heal_params bad = pop.median;
    bad.value[MN_HEAL_P_C1_FRACTION] = 2;
    CHECK(mn_heal_simulate(&bad, &c, NULL, &r, NULL) == MN_ERANGE);
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, NULL) == MN_OK);
    mn_heal_result_free(&r);
    /* A session after an explicit horizon is refused. */
    c.horizon_days = 100;
    d[1] = roller15(200);
    mn_error_clear(&e);
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "horizon");
    c.horizon_days = 0;
    /* A session after 12 months extends the default horizon. */
    d[1] = roller15(400);
    CHECK(mn_heal_simulate(&pop.median, &c, NULL, &r, NULL) == MN_OK);
    CHECK(r.horizon_days >= 490 && r.n_days >= 491);
    CHECK(isfinite(r.sessions[1].ready_days));
    mn_heal_result_free(&r);
}

static int cancel_at_half(void *user, double f, const char *stage)
{
    (void)stage;
    (*(int *)user)++;
    return f >= 0.5;
}

static void test_population(void)
{
    /* Sampled people: reproducible, spread around the medians. */
    mn_heal_params a, b, c;
    mn_heal_sample_params(&pop, 42, 7, &a);
    mn_heal_sample_params(&pop, 42, 7, &b);
    mn_heal_sample_params(&pop, 42, 8, &c);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    CHECK(memcmp(&a, &c, sizeof a) != 0);
    CHECK(mn_heal_params_validate(&a, NULL) == MN_OK);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        if (pop.cv[i] == 0)
            CHECK(a.value[i] == pop.median.value[i]);
    /* The median of many draws is the median. */
    enum { N = 801 };
    static double v[N];
    for (int s = 0; s < N; s++) {
        mn_heal_sample_params(&pop, 3, (uint64_t)s, &a);
        v[s] = a.value[MN_HEAL_P_INFL_TIME];
    }
    int below = 0;
    for (int s = 0; s < N; s++)
        below += v[s] < pop.median.value[MN_HEAL_P_INFL_TIME];
    CHECK(abs(below - N / 2) < 60);

    /* Ensembles: bit-identical for any thread count; ordered bands. */
    mn_heal_dose d[4] = {roller15(0), roller15(28), roller15(56), roller15(84)};
    mn_heal_course course = {d, 4, 3, 0, &CHANNEL};
    mn_heal_band b1, b2;
    mn_error e;
    mn_error_clear(&e);
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(1);
#endif
    CHECK(mn_heal_ensemble(&pop, &course, NULL, 11, 12, NULL, &b1, &e) == MN_OK);
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(2);
#endif
    CHECK(mn_heal_ensemble(&pop, &course, NULL, 11, 12, NULL, &b2, &e) == MN_OK);
    CHECK(b1.n_days == b2.n_days && b1.n_samples == 12 && b1.n_sessions == 4);
    size_t per = b1.n_days * MN_HEAL_NOUT;
    CHECK(memcmp(b1.p5, b2.p5, per * sizeof(double)) == 0);
    CHECK(memcmp(b1.p50, b2.p50, per * sizeof(double)) == 0);
    CHECK(memcmp(b1.p95, b2.p95, per * sizeof(double)) == 0);
    CHECK(memcmp(b1.ready_p50, b2.ready_p50, 4 * sizeof(double)) == 0);
    int ordered = 1;
    for (size_t j = 0; j < per; j++)
        ordered &= b1.p5[j] <= b1.p50[j] && b1.p50[j] <= b1.p95[j];
    CHECK(ordered);
    size_t j6 = 183 * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_TOTAL;
    CHECK(b1.p95[j6] - b1.p5[j6] > 0.05); /* people differ */
    CHECK(b1.ready_p5[0] <= b1.ready_p50[0] && b1.ready_p50[0] <= b1.ready_p95[0]);
    CHECK(b1.oi_p95 == 0 && b1.overtreated_share == 0);
    mn_heal_band_free(&b1);
    mn_heal_band_free(&b2);
    mn_heal_band_free(&b2);

    /* Progress and cancellation. */
    int calls = 0;
    mn_progress prog = {cancel_at_half, &calls};
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(1);
#endif
    mn_error_clear(&e);
    CHECK(mn_heal_ensemble(&pop, &course, NULL, 11, 8, &prog, &b1, &e) == MN_ECANCEL);
    CHECK(calls >= 1);
    CHECK(b1.p50 == NULL);
    CHECK(mn_heal_ensemble(&pop, &course, NULL, 11, 0, NULL, &b1, &e) == MN_EINVAL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The parameter file: every parameter needs a median, a cv and a source. */
static void test_file(const char *data_dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    mn_heal_data hd;
    mn_diags dg = {0};
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_heal_data_load(path, &hd, &dg, &e) == MN_OK);
    CHECK(dg.n_errors == 0);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        CHECK(hd.source[i] || hd.typical[i]);
    CHECK(hd.population.median.value[MN_HEAL_P_INFL_TIME] > 0.5);   /* days */
    CHECK(hd.population.median.value[MN_HEAL_P_REF_DERMIS] < 0.01); /* m */
    mn_heal_data_clear(&hd);
    mn_diags_free(&dg);

    char tmpl[] = "/tmp/mnsim-heal-XXXXXX";
    int fd = mkstemp(tmpl);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    /* Copy the real file, then break one parameter. */
    FILE *in = fopen(path, "r");
    char *text = NULL;
    size_t n = 0;
    if (in) {
        fseek(in, 0, SEEK_END);
        long sz = ftell(in);
        fseek(in, 0, SEEK_SET);
        text = calloc((size_t)sz + 1, 1);
        n = text ? fread(text, 1, (size_t)sz, in) : 0;
        fclose(in);
    }
    CHECK(text && n > 0);
    if (text) {
        char *broken = malloc(n + 64);
        const char *key = "  inflammation_resolution_time:\n    median: \"2 days\"";
        char *at = strstr(text, key);
        CHECK(at != NULL);
        if (at && broken) {
            size_t pre = (size_t)(at - text);
            memcpy(broken, text, pre);
            int k =
                sprintf(broken + pre,
                        "  inflammation_resolution_time:\n    median: \"200 days\"");
            strcpy(broken + pre + (size_t)k, at + strlen(key));
            write_file(tmpl, broken);
            mn_error_clear(&e);
            CHECK(mn_heal_data_load(tmpl, &hd, NULL, &e) == MN_ESCHEMA ||
                  e.code == MN_ERANGE);
            CHECK_STR_HAS(e.message, "outside the allowed range");
            CHECK(e.line > 0);
            mn_heal_data_clear(&hd);
        }
        free(broken);
        free(text);
    }
    write_file(tmpl,
               "kind: healing\nparameters:\n  inflammation_gain: {median: 4, cv: 0.1}\n"
               "  inflamation_time: {median: \"2 days\", cv: 0, source: x}\n");
    mn_diags_free(&dg);
    mn_error_clear(&e);
    CHECK(mn_heal_data_load(tmpl, &hd, &dg, &e) != MN_OK);
    int saw_source = 0, saw_unknown = 0, saw_missing = 0;
    for (size_t i = 0; i < dg.count; i++) {
        saw_source |= strstr(dg.items[i].message, "source:") != NULL;
        saw_unknown |=
            strstr(dg.items[i].message, "unknown key 'inflamation_time'") != NULL;
        saw_missing |= strstr(dg.items[i].message,
                              "missing required key 'damage_threshold'") != NULL;
    }
    CHECK(saw_source && saw_unknown && saw_missing);
    mn_heal_data_clear(&hd);
    mn_diags_free(&dg);
    write_file(tmpl, "kind: healing\nparameters:\n  damage_clearance_time: {median: "
                     "0.3, cv: 0, typical: x}\n");
    mn_error_clear(&e);
    CHECK(mn_heal_data_load(tmpl, &hd, NULL, &e) != MN_OK);
    CHECK_STR_HAS(e.message, "no unit");
    mn_heal_data_clear(&hd);
    unlink(tmpl);
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "data";
    char path[1024];
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    mn_heal_data hd;
    mn_error e;
    mn_error_clear(&e);
    char cpath[1100];
    snprintf(cpath, sizeof cpath, "%s/channels.yaml", data_dir);
    if (mn_channel_params_load(cpath, &CHANNEL, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s: %s\n", cpath, e.message);
        return 1;
    }
    if (mn_heal_data_load(path, &hd, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s:%d: %s\n", e.file, e.line, e.message);
        return 1;
    }
    pop = hd.population;
    mn_heal_data_clear(&hd);
    test_params();
    test_jacobian();
    test_rest();
    test_gsl_handler();
    test_one_session();
    test_dose_response();
    test_overtreatment();
    test_tolerance();
    test_bad_input();
    test_population();
    test_file(data_dir);
    return mn_test_report("test_healing");
}
