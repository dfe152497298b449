/* Virtual trials: a person sampled from a population, an arm prepared from
 * its course, one person run in one arm (docs/cohort.md). The statistics
 * are in cohort_stats.c. */
#include "mnsim/cohort.h"

#include <math.h>
#include <stdio.h> /* snprintf only: the therapy floor does no I/O */
#include <stdlib.h>
#include <string.h>

#include "mnsim/channel.h"
#include "mnsim/course_deliver.h"
#include "mnsim/depth.h"
#include "mnsim/rng.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#define YEAR_S (365.2425 * 86400.0)

static void prov_clear(mn_cohort_prov *p)
{
    free(p->source);
    free(p->typical);
    p->source = p->typical = NULL;
}

void mn_cohort_population_clear(mn_cohort_population *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->description);
    mn_strings_free(&p->fitzpatrick_shares);
    prov_clear(&p->age);
    prov_clear(&p->sex);
    prov_clear(&p->fitzpatrick_prov);
    prov_clear(&p->skin);
    prov_clear(&p->healing);
    prov_clear(&p->adherence);
    prov_clear(&p->pressure);
    memset(p, 0, sizeof *p);
}

static mn_status bad(mn_error *err, const char *key, double v, const char *range)
{
    return mn_error_set(err, MN_ERANGE, "population: %s = %g is out of range (%s)", key,
                        v, range);
}

mn_status mn_cohort_population_validate(const mn_cohort_population *p, mn_error *err)
{
    if (!(p->age_min_s >= 0 && p->age_min_s <= p->age_max_s &&
          p->age_max_s <= 120 * YEAR_S))
        return bad(err, "age.min", p->age_min_s / YEAR_S,
                   "0 <= min <= max <= 120 years");
    if (!(p->age_mean_s >= p->age_min_s && p->age_mean_s <= p->age_max_s))
        return bad(err, "age.mean", p->age_mean_s / YEAR_S, "within min..max");
    if (!(p->age_sd_s >= 0 && p->age_sd_s <= 50 * YEAR_S))
        return bad(err, "age.sd", p->age_sd_s / YEAR_S, "0-50 years");
    if (!(p->female_share >= 0 && p->female_share <= 1))
        return bad(err, "sex.female_share", p->female_share, "0-1");
    double sum = 0;
    for (int i = 0; i < 6; i++) {
        if (!(p->fitzpatrick[i] >= 0 && p->fitzpatrick[i] <= 1))
            return bad(err, "fitzpatrick.shares", p->fitzpatrick[i], "each 0-1");
        sum += p->fitzpatrick[i];
    }
    if (!(fabs(sum - 1) <= 1e-6))
        return bad(err, "fitzpatrick.shares (sum)", sum, "the six shares sum to 1");
    if (!(p->epidermis_cv >= 0 && p->epidermis_cv <= 1))
        return bad(err, "skin.epidermis_cv", p->epidermis_cv, "0-1");
    if (!(p->dermis_cv >= 0 && p->dermis_cv <= 1))
        return bad(err, "skin.dermis_cv", p->dermis_cv, "0-1");
    if (!(p->healing_cv_scale >= 0 && p->healing_cv_scale <= 5))
        return bad(err, "healing.cv_scale", p->healing_cv_scale, "0-5");
    if (!(p->missed_probability >= 0 && p->missed_probability <= 1))
        return bad(err, "adherence.missed_probability", p->missed_probability, "0-1");
    if (!(p->early_probability >= 0 && p->early_probability <= 1))
        return bad(err, "adherence.early_probability", p->early_probability, "0-1");
    if (!(p->early_max_s >= 0 && p->early_max_s <= 60 * 86400.0))
        return bad(err, "adherence.early_by", p->early_max_s / 86400, "0-60 days");
    if (!(p->pressure_cv >= 0 && p->pressure_cv <= 1))
        return bad(err, "pressure.cv", p->pressure_cv, "0-1");
    return MN_OK;
}

void mn_cohort_trial_clear(mn_cohort_trial *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->population);
    for (size_t i = 0; i < t->arms.count; i++) {
        mn_cohort_arm_spec *a = (mn_cohort_arm_spec *)t->arms.items + i;
        free(a->name);
        free(a->protocol);
        free(a->device);
        free(a->serum);
        free(a->zone);
    }
    free(t->arms.items);
    mn_strings_free(&t->endpoints.months_text);
    mn_strings_free(&t->age_bands_text);
    memset(t, 0, sizeof *t);
}

/* ---- people ------------------------------------------------------------- */

/* A lognormal factor with median 1 and coefficient of variation cv. */
static double lognormal(double z, double cv)
{
    return cv > 0 ? exp(sqrt(log1p(cv * cv)) * z) : 1.0;
}

void mn_cohort_healing_population(const mn_cohort_population *pop,
                                  const mn_heal_population *base,
                                  mn_heal_population *out)
{
    *out = *base;
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        out->cv[i] = base->cv[i] * pop->healing_cv_scale;
}

void mn_cohort_person_sample(const mn_cohort_population *pop,
                             const mn_heal_population *healing, uint64_t seed,
                             uint64_t index, mn_cohort_person *out)
{
    mn_rng r;
    mn_rng_init(&r, seed, "cohort-person", index, 0);
    /* Fixed layout: every draw is made whether it is used or not. */
    double u_sex = mn_rng_uniform(&r), u_fitz = mn_rng_uniform(&r);
    double z_epi = mn_rng_normal(&r), z_derm = mn_rng_normal(&r);
    double z_press = mn_rng_normal(&r);
    /* Age: a truncated normal by inversion-free rejection with a bounded
     * number of tries (64 normals always drawn; the first inside wins, the
     * clamped mean when none is). */
    double age = -1;
    for (int k = 0; k < 64; k++) {
        double a = pop->age_mean_s + pop->age_sd_s * mn_rng_normal(&r);
        if (age < 0 && a >= pop->age_min_s && a <= pop->age_max_s)
            age = a;
    }
    if (age < 0)
        age = pop->age_mean_s;
    memset(out, 0, sizeof *out);
    out->index = index;
    out->age_years = age / YEAR_S;
    out->sex = u_sex < pop->female_share ? MN_SEX_FEMALE : MN_SEX_MALE;
    double c = 0;
    out->fitzpatrick = 6;
    for (int i = 0; i < 6; i++) {
        c += pop->fitzpatrick[i];
        if (u_fitz < c) {
            out->fitzpatrick = i + 1;
            break;
        }
    }
    out->epidermis_factor = lognormal(z_epi, pop->epidermis_cv);
    out->dermis_factor = lognormal(z_derm, pop->dermis_cv);
    out->pressure_factor = lognormal(z_press, pop->pressure_cv);
    mn_heal_sample_params(healing, seed, index, &out->heal);
}

/* ---- arms ---------------------------------------------------------------- */

void mn_cohort_arm_free(mn_cohort_arm *a)
{
    if (!a)
        return;
    free(a->sessions);
    memset(a, 0, sizeof *a);
}

static mn_status find_zone(const mn_course *c, const char *zone, size_t *z,
                           mn_error *err)
{
    if (!c->n_zones)
        return mn_error_set(err, MN_EINVAL, "the course has no zone");
    if (!zone) {
        *z = 0;
        return MN_OK;
    }
    for (size_t i = 0; i < c->n_zones; i++)
        if (!strcmp(c->zones[i].name, zone)) {
            *z = i;
            return MN_OK;
        }
    return mn_error_set(err, MN_EINVAL,
                        "zone %s is not a zone of the course (first: %s)", zone,
                        c->zones[0].name);
}

/* The first anaesthetic case of the delivery stage (median person). */
static mn_status arm_numbness(const mn_course *course, mn_course_result *r,
                              mn_cohort_arm *out, mn_error *err)
{
    mn_course_deliver_opts o;
    mn_course_deliver_opts_default(&o);
    mn_course_deliveries dl;
    memset(&dl, 0, sizeof dl);
    mn_status st = mn_course_deliver(course, r, &o, NULL, &dl, err);
    for (size_t i = 0; !st && i < dl.count; i++)
        if (dl.items[i].role == MN_APPLY_ANAESTHETIC) {
            out->numb_in_time = dl.items[i].numb_in_time != 0;
            out->time_to_numb_s = dl.items[i].res.time_to_numb_s;
            break;
        }
    mn_course_deliveries_free(&dl);
    return st;
}

mn_status mn_cohort_arm_prepare(const mn_course *course, const char *zone, int numbness,
                                mn_cohort_arm *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    out->course = course;
    out->numb_in_time = -1;
    out->time_to_numb_s = NAN;
    mn_status st = find_zone(course, zone, &out->zone, err);
    if (st)
        return st;
    st = mn_site_find(&course->sites, course->zones[out->zone].site, &out->site, err);
    if (st)
        return st;
    mn_course_options o;
    mn_course_options_default(&o);
    o.n_samples = 0;
    mn_course_result r;
    st = mn_course_simulate(&course->in, &o, NULL, &r, err);
    if (st) {
        mn_course_result_free(&r);
        return st;
    }
    if (numbness && (st = arm_numbness(course, &r, out, err))) {
        mn_course_result_free(&r);
        return st;
    }
    out->n_errors = r.findings.n_errors;
    out->n_warnings = r.findings.n_warnings;
    out->sessions =
        calloc(course->n_sessions ? course->n_sessions : 1, sizeof *out->sessions);
    if (!out->sessions) {
        mn_course_result_free(&r);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t s = 0; s < course->n_sessions; s++) {
        const mn_course_cell *cell = &r.cells[s * r.n_zones + out->zone];
        if (!cell->treated)
            continue;
        mn_cohort_session *x = &out->sessions[out->n_sessions++];
        x->t_days = (double)(course->sessions[s].at - course->sessions[0].at) / 86400.0;
        x->channels_per_m2 = cell->roll.density_mean > 0 ? cell->roll.density_mean : 0;
        x->device = mn_course_device(&course->in, s, out->zone);
        x->force_n = mn_course_force(&course->in, s);
    }
    mn_course_result_free(&r);
    if (!out->n_sessions) {
        mn_cohort_arm_free(out);
        return mn_error_set(err, MN_EINVAL, "zone %s is never treated in the course",
                            course->zones[out->zone].name);
    }
    out->course = course;
    return MN_OK;
}

/* ---- one person in one arm ----------------------------------------------- */

size_t mn_cohort_n_endpoints(const mn_cohort_endpoint_spec *e)
{
    return 3 * e->n_months + MN_COHORT_E_FIXED;
}

const char *mn_cohort_endpoint_name(const mn_cohort_endpoint_spec *e, size_t k,
                                    char *buf, size_t n)
{
    static const char *const what[] = {"collagen", "elastin", "epidermis"};
    static const char *const fixed[] = {
        "sessions_done",     "ready_days", "overtreatment_index", "pih_index",
        "bleeding_fraction", "depth_um",   "responder",           "overtreated",
        "pih_high",          "bleeding"};
    if (k < 3 * e->n_months)
        snprintf(buf, n, "%s_pct_m%g", what[k % 3], e->months[k / 3]);
    else if (k - 3 * e->n_months < MN_COHORT_E_FIXED)
        snprintf(buf, n, "%s", fixed[k - 3 * e->n_months]);
    else
        snprintf(buf, n, "?");
    return buf;
}

/* The person's layers at the arm's site: the atlas's for the sex, the
 * epidermis (SC, VE) and the dermis (PD, RD) scaled by the person's
 * factors. */
static mn_status person_skin(const mn_cohort_arm *arm, const mn_cohort_person *p,
                             mn_skin *k, mn_error *err)
{
    mn_status st = mn_site_skin(arm->site, (mn_sex)p->sex, k, err);
    if (st)
        return st;
    k->thickness_m[MN_LAYER_STRATUM_CORNEUM] *= p->epidermis_factor;
    k->thickness_m[MN_LAYER_VIABLE_EPIDERMIS] *= p->epidermis_factor;
    k->thickness_m[MN_LAYER_PAPILLARY_DERMIS] *= p->dermis_factor;
    k->thickness_m[MN_LAYER_RETICULAR_DERMIS] *= p->dermis_factor;
    return MN_OK;
}

/* Endpoint values of a person-course (times: the endpoint months, in
 * order; the responder month is one of them, cohort_io.c). */
static void endpoints_of(const mn_cohort_trial *t, const mn_heal_endpoints *h,
                         const mn_heal_session_result *sessions, size_t n_done,
                         double bleed, double depth_um, double *out)
{
    const mn_cohort_endpoint_spec *e = &t->endpoints;
    double resp = NAN;
    for (size_t m = 0; m < e->n_months; m++) {
        out[3 * m] = 100 * (h->out[m][MN_HEAL_OUT_COLLAGEN_TOTAL] - 1);
        out[3 * m + 1] = 100 * (h->out[m][MN_HEAL_OUT_ELASTIN] - 1);
        out[3 * m + 2] = 100 * (h->out[m][MN_HEAL_OUT_EPIDERMIS] - 1);
        if (fabs(e->months[m] - e->responder_month) < 1e-9)
            resp = out[3 * m];
    }
    double *f = out + 3 * e->n_months;
    double ready = 0;
    size_t nr = 0;
    for (size_t s = 0; s < n_done; s++)
        if (isfinite(sessions[s].ready_days)) {
            ready += sessions[s].ready_days;
            nr++;
        }
    f[MN_COHORT_E_SESSIONS] = (double)n_done;
    f[MN_COHORT_E_READY] = nr ? ready / (double)nr : NAN;
    f[MN_COHORT_E_OI] = h->overtreatment_index;
    f[MN_COHORT_E_PIH] = h->pih_index;
    f[MN_COHORT_E_BLEEDING] = bleed;
    f[MN_COHORT_E_DEPTH] = depth_um;
    f[MN_COHORT_E_RESPONDER] = resp >= e->responder_pct;
    f[MN_COHORT_E_OVERTREATED] = h->overtreated != 0;
    f[MN_COHORT_E_PIH_HIGH] = h->pih_risk == MN_PIH_HIGH;
    f[MN_COHORT_E_BLEED] = bleed >= e->bleeding_threshold;
}

mn_status mn_cohort_run(const mn_cohort_trial *t, const mn_cohort_population *pop,
                        const mn_cohort_arm *arm, size_t arm_index,
                        const mn_cohort_person *p, double *out, mn_error *err)
{
    mn_skin skin;
    mn_status st = person_skin(arm, p, &skin, err);
    if (st)
        return st;
    mn_heal_dose *doses = calloc(arm->n_sessions, sizeof *doses);
    if (!doses)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_rng r;
    mn_rng_init(&r, (uint64_t)t->seed, "cohort-arm", p->index, arm_index);
    size_t n = 0;
    double bleed = 0, depth = 0;
    for (size_t s = 0; s < arm->n_sessions && !st; s++) {
        const mn_cohort_session *x = &arm->sessions[s];
        double u_miss = mn_rng_uniform(&r), u_early = mn_rng_uniform(&r),
               u_by = mn_rng_uniform(&r); /* always drawn: fixed layout */
        if (s > 0 && u_miss < pop->missed_probability)
            continue;
        double td = x->t_days;
        if (s > 0 && u_early < pop->early_probability) {
            td -= u_by * pop->early_max_s / 86400.0;
            /* never before (or on the day of) the session kept before it */
            if (n && td < doses[n - 1].t_days + 1)
                td = doses[n - 1].t_days + 1;
        }
        mn_depth_result dr;
        st = mn_depth_compute(x->device, &skin, &arm->course->depth,
                              x->force_n * p->pressure_factor, &dr, err);
        if (st)
            break;
        mn_heal_dose *d = &doses[n++];
        d->t_days = td;
        d->channels_per_m2 = x->channels_per_m2;
        d->depth_m = dr.depth_m;
        d->dermis_depth_m = mn_channel_dermis_length(&skin, dr.depth_m);
        d->capillary_fraction = dr.bleeding_fraction;
        d->barrier_only = dr.disrupted;
        bleed += dr.bleeding_fraction;
        depth += dr.depth_m;
    }
    if (st) {
        free(doses);
        return st;
    }
    mn_heal_course hc = {doses, n, p->fitzpatrick, 0, &arm->course->channel};
    double last = doses[n - 1].t_days, far = 0;
    for (size_t m = 0; m < t->endpoints.n_months; m++)
        far = fmax(far, t->endpoints.months[m] * MN_HEAL_DAYS_PER_MONTH);
    far = fmax(far, t->endpoints.responder_month * MN_HEAL_DAYS_PER_MONTH);
    hc.horizon_days = fmax(fmax(MN_HEAL_YEAR_DAYS, last + 90.0), far + 1);
    /* The cohort solver settings (healing.h): within 2e-4 of a tight solve
     * (docs/model.md, "Integration"), far inside the between-person spread;
     * only the endpoint months are computed, nothing is allocated. */
    mn_heal_solver solver = MN_HEAL_SOLVER_COHORT;
    double times[sizeof t->endpoints.months / sizeof *t->endpoints.months];
    for (size_t m = 0; m < t->endpoints.n_months; m++)
        times[m] = t->endpoints.months[m] * MN_HEAL_DAYS_PER_MONTH;
    mn_heal_session_result *sessions = calloc(n, sizeof *sessions);
    mn_heal_endpoints h;
    if (!sessions)
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
    else
        st = mn_heal_simulate_endpoints(&p->heal, &hc, &solver, times,
                                        t->endpoints.n_months, sessions, &h, err);
    if (!st)
        endpoints_of(t, &h, sessions, n, bleed / (double)n, 1e6 * depth / (double)n, out);
    free(sessions);
    free(doses);
    return st;
}

mn_status mn_cohort_run_block(const mn_cohort_trial *t, const mn_cohort_population *pop,
                              const mn_heal_population *healing,
                              const mn_cohort_arm *arms, size_t n_arms, uint64_t first,
                              size_t n, mn_cohort_person *people, double *values,
                              mn_error *err)
{
    size_t ne = mn_cohort_n_endpoints(&t->endpoints);
    for (size_t i = 0; i < n; i++)
        mn_cohort_person_sample(pop, healing, (uint64_t)t->seed, first + i, &people[i]);
    long total = (long)(n * n_arms), failed = total; /* the first failing task */
    mn_status st = MN_OK;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
    for (long k = 0; k < total; k++) {
        size_t i = (size_t)k / n_arms, a = (size_t)k % n_arms;
        mn_error e;
        mn_error_clear(&e);
        mn_status s =
            mn_cohort_run(t, pop, &arms[a], a, &people[i], values + (size_t)k * ne, &e);
        if (s) {
#ifdef MNSIM_HAVE_OPENMP
#pragma omp critical(mn_cohort_block_error)
#endif
            if (k < failed) {
                failed = k;
                st = s;
                if (err)
                    *err = e;
            }
        }
    }
    return st;
}
