/* The healing model's RODAS3 integrator (src/model/healing_fast.c) against
 * GSL's msbdf at tight tolerances (1e-9 relative, 1e-10 absolute: msbdf's
 * step size collapses (GSL_FAILURE) on some of these courses at 1e-10
 * relative, and at 1e-11 absolute after small changes of the channel
 * model's constants), and mn_heal_simulate_endpoints against
 * mn_heal_simulate. argv[1]: the data directory.
 *
 * The tolerance (docs/model.md, "Integration"): over every course below
 * (four needle doses, one to ten sessions, two phototypes, the median and
 * sampled people), RODAS3 at the default settings is within 1e-6 of msbdf
 * in every output (collagen I, III, total, elastin,
 * epidermis at 1, 3, 6 and 12 months, relative to baseline) and 1e-5 days
 * in every recovery time; at the cohort settings (MN_HEAL_SOLVER_COHORT)
 * within 2e-4 and 2e-3 days. The validation bands are 10 percentage points
 * wide or more (data/validation/healing.yaml) and the 5-95% spread between
 * people at 6 months is more than 5 points (test_healing), so 2e-4 (0.02
 * points) is at least 250 times smaller than what the outputs are read
 * against; the recovery times are read to the fine step (1 h or 6 h, 0.04
 * or 0.25 days). */
#include "mn_test.h"

#include <stdlib.h>

#include "mnsim/channels_io.h"
#include "mnsim/healing.h"
#include "mnsim/healing_io.h"

static mn_channel_params CHANNEL;
static mn_heal_population POP;

typedef struct {
    const char *name;
    double density_per_m2, depth_m, dermis_m, bleeding;
    int barrier_only;
} device;

/* A 1.5 mm roller on the cheek (as test_healing), a 0.2 mm roller to its
 * full length, a 2.5 mm pen with half the channels bleeding, and a
 * 0.25 mm roller that stays in the stratum corneum. */
static const device DEVICES[] = {
    {"roller 1.5 mm", 229e4, 840e-6, 777e-6, 1.0, 0},
    {"roller 0.2 mm", 229e4, 200e-6, 137e-6, 1.0, 0},
    {"pen 2.5 mm", 100e4, 1500e-6, 1420e-6, 0.5, 0},
    {"roller 0.25 mm", 229e4, 15e-6, 0, 0, 1},
};

typedef struct {
    int n;
    double interval_days;
} schedule;

static const schedule COURSES[] = {{1, 0}, {4, 28}, {10, 2}, {6, 1.75}};

static mn_heal_course course(const device *dv, const schedule *sc, int fitz,
                             mn_heal_dose *d)
{
    for (int k = 0; k < sc->n; k++) {
        mn_heal_dose x = {k * sc->interval_days, dv->density_per_m2, dv->depth_m,
                          dv->dermis_m,          dv->bleeding,       dv->barrier_only};
        d[k] = x;
    }
    mn_heal_course c = {d, (size_t)sc->n, fitz, 0, &CHANNEL};
    return c;
}

typedef struct {
    double out, days, pih, oi;
} worst;

static double time_diff(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 0;
    if (isnan(a) || isnan(b))
        return INFINITY;
    return fabs(a - b);
}

/* Largest differences of result a from the reference b. */
static void differences(const mn_heal_params *p, const mn_heal_result *a,
                        const mn_heal_result *b, worst *w)
{
    for (int m = 0; m < 4; m++) {
        double t = (double[]){1, 3, 6, 12}[m] * MN_HEAL_DAYS_PER_MONTH;
        for (int o = 0; o < MN_HEAL_NOUT; o++)
            w->out = fmax(
                w->out, fabs(mn_heal_out_at(p, a, o, t) - mn_heal_out_at(p, b, o, t)));
    }
    for (size_t k = 0; k < a->n_sessions; k++) {
        const mn_heal_session_result *x = &a->sessions[k], *y = &b->sessions[k];
        w->days = fmax(w->days, time_diff(x->ready_days, y->ready_days));
        w->days =
            fmax(w->days, time_diff(x->barrier_closed_days, y->barrier_closed_days));
        w->days = fmax(w->days,
                       time_diff(x->redness_resolved_days, y->redness_resolved_days));
        CHECK(x->early == y->early);
    }
    w->days = fmax(w->days, fabs(a->inflamed_days - b->inflamed_days));
    w->pih =
        fmax(w->pih, fabs(a->pih_index - b->pih_index) / fmax(b->pih_index, 1e-12));
    w->oi = fmax(w->oi, fabs(a->overtreatment_index - b->overtreatment_index));
    CHECK(a->overtreated == b->overtreated);
}

static void test_methods_agree(void)
{
    /* The fine step is the reference's too: it sets where the recovery
     * markers are looked at, not how well the equations are solved. */
    mn_heal_solver def = MN_HEAL_SOLVER_DEFAULTS, coh = MN_HEAL_SOLVER_COHORT;
    mn_heal_solver ref_def = {1e-9, 1e-10, def.fine_step_days, MN_HEAL_METHOD_MSBDF};
    mn_heal_solver ref_coh = {1e-9, 1e-10, coh.fine_step_days, MN_HEAL_METHOD_MSBDF};
    CHECK(def.method == MN_HEAL_METHOD_RODAS3 && coh.method == MN_HEAL_METHOD_RODAS3);
    worst wd = {0, 0, 0, 0}, wc = {0, 0, 0, 0};
    long steps_def = 0, steps_ref = 0;
    int n = 0;
    for (size_t dv = 0; dv < sizeof DEVICES / sizeof DEVICES[0]; dv++)
        for (size_t sc = 0; sc < sizeof COURSES / sizeof COURSES[0]; sc++) {
            /* The median person and a sampled one per case, phototypes 3
             * and 5 in turn. */
            for (int who = 0; who < 2; who++) {
                mn_heal_params p = POP.median;
                if (who)
                    mn_heal_sample_params(&POP, 7, dv * 10 + sc, &p);
                mn_heal_dose d[16];
                mn_heal_course c = course(&DEVICES[dv], &COURSES[sc], who ? 5 : 3, d);
                mn_heal_result r_def, r_coh, b_def, b_coh;
                mn_error e;
                CHECK(mn_heal_simulate(&p, &c, &def, &r_def, &e) == MN_OK);
                CHECK(mn_heal_simulate(&p, &c, &coh, &r_coh, &e) == MN_OK);
                mn_status st = mn_heal_simulate(&p, &c, &ref_def, &b_def, &e);
                if (st)
                    fprintf(stderr, "%s x %d, person %d: %s\n", DEVICES[dv].name,
                            COURSES[sc].n, who, e.message);
                CHECK(st == MN_OK);
                if (st != MN_OK) {
                    mn_heal_result_free(&r_def);
                    mn_heal_result_free(&r_coh);
                    continue;
                }
                st = mn_heal_simulate(&p, &c, &ref_coh, &b_coh, &e);
                CHECK(st == MN_OK);
                if (st != MN_OK) {
                    mn_heal_result_free(&r_def);
                    mn_heal_result_free(&r_coh);
                    mn_heal_result_free(&b_def);
                    continue;
                }
                differences(&p, &r_def, &b_def, &wd);
                differences(&p, &r_coh, &b_coh, &wc);
                steps_def += r_def.steps;
                steps_ref += b_def.steps;
                n++;
                mn_heal_result_free(&r_def);
                mn_heal_result_free(&r_coh);
                mn_heal_result_free(&b_def);
                mn_heal_result_free(&b_coh);
            }
        }
    printf("RODAS3 vs msbdf 1e-9/1e-10 over %d courses, largest differences:\n"
           "  defaults: outputs %.2e, days %.2e, pih %.2e (relative), "
           "overtreatment %.2e\n"
           "  cohort:   outputs %.2e, days %.2e, pih %.2e (relative), "
           "overtreatment %.2e\n"
           "  steps: RODAS3 defaults %ld, msbdf 1e-9 %ld\n",
           n, wd.out, wd.days, wd.pih, wd.oi, wc.out, wc.days, wc.pih, wc.oi, steps_def,
           steps_ref);
    CHECK(wd.out <= 1e-6);
    CHECK(wd.days <= 1e-5);
    CHECK(wd.pih <= 1e-6);
    CHECK(wd.oi <= 1e-5);
    CHECK(wc.out <= 2e-4);
    CHECK(wc.days <= 2e-3);
    CHECK(wc.pih <= 1e-4);
    CHECK(wc.oi <= 1e-3);
}

/* The endpoints are mn_heal_simulate's values to the last bit. */
static void test_endpoints(void)
{
    mn_heal_dose d[16];
    mn_heal_course c = course(&DEVICES[0], &COURSES[1], 4, d);
    double t[6] = {0, 1, 30.436875, 91.31, 182.6, 365};
    mn_heal_solver sv[2] = {MN_HEAL_SOLVER_COHORT, MN_HEAL_SOLVER_DEFAULTS};
    sv[1].method = MN_HEAL_METHOD_MSBDF;
    sv[1].rtol = 1e-5;
    for (int m = 0; m < 2; m++)
        for (int who = 0; who < 3; who++) {
            mn_heal_params p;
            mn_heal_sample_params(&POP, 3, (uint64_t)who, &p);
            mn_heal_result r;
            mn_heal_endpoints ep;
            mn_heal_session_result sr[4];
            mn_error e;
            CHECK(mn_heal_simulate(&p, &c, &sv[m], &r, &e) == MN_OK);
            CHECK(mn_heal_simulate_endpoints(&p, &c, &sv[m], t, 6, sr, &ep, &e) ==
                  MN_OK);
            CHECK(ep.n_times == 6);
            int same = 1;
            for (int k = 0; k < 6; k++)
                for (int o = 0; o < MN_HEAL_NOUT; o++) {
                    double x = mn_heal_out_at(&p, &r, o, t[k]);
                    same &= memcmp(&x, &ep.out[k][o], sizeof x) == 0;
                }
            CHECK(same);
            CHECK(memcmp(sr, r.sessions, sizeof sr) == 0);
            CHECK(ep.steps == r.steps);
            CHECK(ep.pih_index == r.pih_index && ep.pih_risk == r.pih_risk);
            CHECK(ep.overtreatment_index == r.overtreatment_index);
            CHECK(ep.inflamed_days == r.inflamed_days);
            CHECK(ep.peak_inflammation == r.peak_inflammation);
            CHECK(ep.horizon_days == r.horizon_days);
            mn_heal_result_free(&r);
        }
    /* Bad calls. */
    mn_heal_params p = POP.median;
    mn_heal_endpoints ep;
    mn_heal_session_result sr[4];
    mn_error e;
    double late = 400, nan_t = NAN;
    CHECK(mn_heal_simulate_endpoints(&p, &c, NULL, &late, 1, sr, &ep, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "endpoint time");
    CHECK(mn_heal_simulate_endpoints(&p, &c, NULL, &nan_t, 1, sr, &ep, &e) ==
          MN_EINVAL);
    CHECK(mn_heal_simulate_endpoints(&p, &c, NULL, t, MN_HEAL_MAX_ENDPOINTS + 1, sr,
                                     &ep, &e) == MN_EINVAL);
    CHECK(mn_heal_simulate_endpoints(&p, &c, NULL, t, 1, NULL, &ep, &e) == MN_EINVAL);
    CHECK(mn_heal_simulate_endpoints(&p, &c, NULL, t, 1, sr, NULL, &e) == MN_EINVAL);
    mn_heal_solver bad = MN_HEAL_SOLVER_DEFAULTS;
    bad.method = 7;
    CHECK(mn_heal_simulate_endpoints(&p, &c, &bad, t, 1, sr, &ep, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "method");
    mn_heal_result r;
    CHECK(mn_heal_simulate(&p, &c, &bad, &r, &e) == MN_EINVAL);
    CHECK(r.daily == NULL);
    /* No time asked for: only the risks. */
    CHECK(mn_heal_simulate_endpoints(&p, &c, NULL, NULL, 0, sr, &ep, &e) == MN_OK);
    CHECK(ep.n_times == 0 && ep.steps > 0 && sr[3].t_days == 84);
}

/* Tighter tolerances take more steps and move RODAS3 towards the
 * reference: the error control works. */
static void test_convergence(void)
{
    mn_heal_dose d[16];
    mn_heal_course c = course(&DEVICES[0], &COURSES[1], 3, d);
    mn_heal_solver ref = {1e-11, 1e-14, 0.25, MN_HEAL_METHOD_MSBDF};
    mn_heal_result b;
    mn_error e;
    CHECK(mn_heal_simulate(&POP.median, &c, &ref, &b, &e) == MN_OK);
    double prev_err = INFINITY;
    long prev_steps = 0;
    for (int k = 3; k <= 7; k++) {
        mn_heal_solver s = {pow(10, -k), pow(10, -k - 2), 0.25, MN_HEAL_METHOD_RODAS3};
        mn_heal_result r;
        CHECK(mn_heal_simulate(&POP.median, &c, &s, &r, &e) == MN_OK);
        worst w = {0, 0, 0, 0};
        differences(&POP.median, &r, &b, &w);
        printf("rtol 1e-%d: %ld steps, largest output difference %.2e\n", k, r.steps,
               w.out);
        CHECK(w.out < prev_err);
        CHECK(r.steps > prev_steps);
        prev_err = w.out;
        prev_steps = r.steps;
        mn_heal_result_free(&r);
    }
    mn_heal_result_free(&b);
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "data";
    char path[1024];
    mn_error e;
    snprintf(path, sizeof path, "%s/channels.yaml", data_dir);
    if (mn_channel_params_load(path, &CHANNEL, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s: %s\n", path, e.message);
        return 1;
    }
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    mn_heal_data hd;
    if (mn_heal_data_load(path, &hd, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s: %s\n", path, e.message);
        return 1;
    }
    POP = hd.population;
    mn_heal_data_clear(&hd);
    test_methods_agree();
    test_endpoints();
    test_convergence();
    return mn_test_report("test_healing_fast");
}
