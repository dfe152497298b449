/* Virtual trials: the statistics of the summary (docs/cohort.md,
 * "Statistics"): quantiles, Wilson intervals, paired bootstrap, subgroups.
 * Exact on the whole trial: the summary is computed from every person's
 * endpoint values (gathered on one process), never from partial summaries,
 * so it does not depend on how the trial was split. */
#include "mnsim/cohort.h"

#include <math.h>
#include <stdio.h> /* snprintf only */
#include <stdlib.h>
#include <string.h>

#include "mnsim/rng.h"
#include "mnsim/stats.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#define Z95 1.959963984540054

void mn_cohort_wilson(size_t k, size_t n, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double nn = (double)n, p = (double)k / nn, z2 = Z95 * Z95;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = Z95 / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = fmax(0, centre - half);
    *hi = fmin(1, centre + half);
}

double mn_cohort_quantile(double *x, size_t n, double q)
{
    mn_stats_sort(x, n);
    return mn_stats_quantile_sorted(x, n, q);
}

mn_status mn_cohort_bootstrap_mean(const double *x, size_t n, size_t b, uint64_t seed,
                                   uint64_t key, double *lo, double *hi)
{
    *lo = *hi = NAN;
    double *v = malloc((n ? n : 1) * sizeof *v),
           *means = malloc((b ? b : 1) * sizeof *means);
    if (!v || !means) {
        free(v);
        free(means);
        return MN_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            v[m++] = x[i];
    if (m > 0 && b > 0) {
        mn_rng r;
        mn_rng_init(&r, seed, "cohort-boot", key, 0);
        for (size_t k = 0; k < b; k++) {
            double s = 0;
            for (size_t i = 0; i < m; i++)
                s += v[mn_rng_below(&r, m)];
            means[k] = s / (double)m;
        }
        *lo = mn_cohort_quantile(means, b, 0.025);
        *hi = mn_cohort_quantile(means, b, 0.975);
    }
    free(v);
    free(means);
    return MN_OK;
}

void mn_cohort_summary_free(mn_cohort_summary *s)
{
    if (!s)
        return;
    free(s->subgroups);
    free(s->stats);
    free(s->diffs);
    free(s->compared);
    memset(s, 0, sizeof *s);
}

static size_t make_subgroups(const mn_cohort_trial *t, mn_cohort_subgroup *g)
{
    size_t n = 0;
    g[n++] = (mn_cohort_subgroup){"all", 0, 0, 0};
    g[n++] = (mn_cohort_subgroup){"fitzpatrick I-III", 1, 1, 3};
    g[n++] = (mn_cohort_subgroup){"fitzpatrick IV", 1, 4, 4};
    g[n++] = (mn_cohort_subgroup){"fitzpatrick V-VI", 1, 5, 6};
    g[n++] = (mn_cohort_subgroup){"female", 2, MN_SEX_FEMALE, 0};
    g[n++] = (mn_cohort_subgroup){"male", 2, MN_SEX_MALE, 0};
    int lo = 0;
    for (size_t i = 0; i <= t->n_age_bands; i++) {
        int hi = i < t->n_age_bands ? (int)t->age_bands_years[i] : 200;
        mn_cohort_subgroup *x = &g[n++];
        x->kind = 3;
        x->a = lo;
        x->b = hi;
        if (i == 0)
            snprintf(x->name, sizeof x->name, "age under %d", hi);
        else if (i == t->n_age_bands)
            snprintf(x->name, sizeof x->name, "age %d and over", lo);
        else
            snprintf(x->name, sizeof x->name, "age %d-%d", lo, hi - 1);
        lo = hi;
    }
    return n;
}

static int in_group(const mn_cohort_subgroup *g, const mn_cohort_person *p)
{
    switch (g->kind) {
    case 1: return p->fitzpatrick >= g->a && p->fitzpatrick <= g->b;
    case 2: return p->sex == g->a;
    case 3: return p->age_years >= g->a && p->age_years < g->b;
    default: return 1;
    }
}

/* Whether endpoint k is a 0/1 flag. */
static int is_flag(const mn_cohort_trial *t, size_t k)
{
    size_t f = 3 * t->endpoints.n_months;
    return k >= f + MN_COHORT_E_RESPONDER;
}

static void stat_of(const mn_cohort_trial *t, size_t k, double *x, size_t n,
                    mn_cohort_stat *s)
{
    s->n = n;
    double sum = 0;
    size_t m = 0, ones = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sum += x[i];
            m++;
            ones += x[i] > 0.5;
        }
    s->mean = m ? sum / (double)m : NAN;
    s->p5 = mn_cohort_quantile(x, n, 0.05);
    s->median = mn_cohort_quantile(x, n, 0.5);
    s->p95 = mn_cohort_quantile(x, n, 0.95);
    s->k = 0;
    s->rate = s->rate_lo = s->rate_hi = NAN;
    if (is_flag(t, k)) {
        s->k = ones;
        s->rate = m ? (double)ones / (double)m : NAN;
        mn_cohort_wilson(ones, m, &s->rate_lo, &s->rate_hi);
    }
}

/* One paired difference (d's arm, subgroup and endpoint set): arm vs arm 0. */
static mn_status diff_of(const mn_cohort_trial *t, const mn_cohort_person *people,
                         size_t np, size_t na, const double *v,
                         const mn_cohort_summary *o, mn_cohort_diff *d)
{
    size_t ne = o->n_endpoints, k = d->endpoint, a = d->arm, g = d->subgroup, n = 0;
    double *x = malloc((np ? np : 1) * sizeof *x);
    if (!x)
        return MN_ENOMEM;
    for (size_t i = 0; i < np; i++)
        if (in_group(&o->subgroups[g], &people[i]))
            x[n++] = v[(i * na + a) * ne + k] - v[(i * na) * ne + k];
    d->n = n;
    double s = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            s += x[i];
            m++;
        }
    d->mean = m ? s / (double)m : NAN;
    uint64_t key = ((uint64_t)a << 40) | ((uint64_t)g << 20) | k;
    mn_status st = mn_cohort_bootstrap_mean(x, n, (size_t)t->bootstrap,
                                            (uint64_t)t->seed, key, &d->lo, &d->hi);
    d->median = mn_cohort_quantile(x, n, 0.5);
    free(x);
    return st;
}

/* The paired differences of the compared endpoints, every arm vs arm 0;
 * in parallel (each its own stream: the same numbers for any threads). */
static mn_status diffs_of(const mn_cohort_trial *t, const mn_cohort_person *people,
                          size_t np, size_t na, const double *v, mn_cohort_summary *o)
{
    for (size_t a = 1; a < na; a++)
        for (size_t g = 0; g < o->n_subgroups; g++)
            for (size_t c = 0; c < o->n_compared; c++) {
                mn_cohort_diff *d = &o->diffs[o->n_diffs++];
                d->arm = a;
                d->subgroup = g;
                d->endpoint = o->compared[c];
            }
    int bad = 0;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) reduction(| : bad)
#endif
    for (long i = 0; i < (long)o->n_diffs; i++)
        bad |= diff_of(t, people, np, na, v, o, &o->diffs[i]) != MN_OK;
    return bad ? MN_ENOMEM : MN_OK;
}

mn_status mn_cohort_summarise(const mn_cohort_trial *t, const mn_cohort_person *people,
                              size_t np, size_t na, const double *v,
                              mn_cohort_summary *o, mn_error *err)
{
    memset(o, 0, sizeof *o);
    size_t ne = mn_cohort_n_endpoints(&t->endpoints);
    o->n_arms = na;
    o->n_people = np;
    o->n_endpoints = ne;
    o->subgroups = calloc(7 + 7, sizeof *o->subgroups);
    o->compared = calloc(4, sizeof *o->compared);
    double *x = malloc((np ? np : 1) * sizeof *x);
    if (!o->subgroups || !o->compared || !x)
        goto nomem;
    o->n_subgroups = make_subgroups(t, o->subgroups);
    /* compared: collagen at the responder month (or the last month), the
     * responder flag, the overtreatment and hyperpigmentation indices */
    size_t cm = 0;
    for (size_t m = 0; m < t->endpoints.n_months; m++)
        if (fabs(t->endpoints.months[m] - t->endpoints.responder_month) < 1e-9)
            cm = m;
    size_t f = 3 * t->endpoints.n_months;
    o->compared[o->n_compared++] = 3 * cm;
    o->compared[o->n_compared++] = f + MN_COHORT_E_RESPONDER;
    o->compared[o->n_compared++] = f + MN_COHORT_E_OI;
    o->compared[o->n_compared++] = f + MN_COHORT_E_PIH;
    o->stats = calloc(na * o->n_subgroups * ne, sizeof *o->stats);
    o->diffs = calloc((na ? na : 1) * o->n_subgroups * o->n_compared, sizeof *o->diffs);
    if (!o->stats || !o->diffs)
        goto nomem;
    for (size_t a = 0; a < na; a++)
        for (size_t g = 0; g < o->n_subgroups; g++)
            for (size_t k = 0; k < ne; k++) {
                size_t n = 0;
                for (size_t i = 0; i < np; i++)
                    if (in_group(&o->subgroups[g], &people[i]))
                        x[n++] = v[(i * na + a) * ne + k];
                mn_cohort_stat *s = &o->stats[(a * o->n_subgroups + g) * ne + k];
                s->arm = a;
                s->subgroup = g;
                s->endpoint = k;
                stat_of(t, k, x, n, s);
            }
    if (diffs_of(t, people, np, na, v, o))
        goto nomem;
    free(x);
    return MN_OK;
nomem:
    free(x);
    mn_cohort_summary_free(o);
    return mn_error_set(err, MN_ENOMEM, "out of memory");
}
