/* Virtual populations for the healing model (floor: model; docs/model.md,
 * "Healing and collagen induction"): parameters sampled around the median
 * person (log-normal, seeded per person), a course simulated for each in
 * parallel (healing_course.c), and the percentile bands of the outputs,
 * ready days and risks. */
#include "mnsim/healing.h"

#include <math.h>
#include <stdio.h> /* snprintf only: the model floor does no I/O */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "mnsim/rng.h"
#include "mnsim/stats.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#include "healing_course.h"
#include "healing_ode.h"

/* ---- populations ---------------------------------------------------------- */

void mn_heal_sample_params(const mn_heal_population *pop, uint64_t seed,
                           uint64_t sample, mn_heal_params *out)
{
    mn_rng r;
    mn_rng_init(&r, seed, "heal", sample, 0);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        double z = mn_rng_normal(&r); /* always drawn: fixed stream layout */
        double med = pop->median.value[i], cv = pop->cv[i];
        double x = med;
        if (cv > 0 && med > 0) {
            double sigma = sqrt(log1p(cv * cv));
            x = med * exp(sigma * z);
        }
        const mn_heal_param_info *in = mn_heal_param_get_info(i);
        if (x < in->min)
            x = in->min;
        if (x > in->max)
            x = in->max;
        out->value[i] = x;
    }
    if (out->value[MN_HEAL_P_PIH_HIGH] < out->value[MN_HEAL_P_PIH_MODERATE])
        out->value[MN_HEAL_P_PIH_HIGH] = out->value[MN_HEAL_P_PIH_MODERATE];
}

void mn_heal_band_free(mn_heal_band *b)
{
    if (!b)
        return;
    free(b->p5);
    free(b->p50);
    free(b->p95);
    free(b->ready_p5);
    free(b->ready_p50);
    free(b->ready_p95);
    memset(b, 0, sizeof *b);
}

static void summarise(double *vals, size_t n, double *p5, double *p50, double *p95)
{
    mn_stats_sort(vals, n);
    *p5 = mn_stats_quantile_sorted(vals, n, 0.05);
    *p50 = mn_stats_quantile_sorted(vals, n, 0.50);
    *p95 = mn_stats_quantile_sorted(vals, n, 0.95);
}

mn_status mn_heal_ensemble(const mn_heal_population *pop, const mn_heal_course *c,
                           const mn_heal_solver *s, uint64_t seed, size_t n_samples,
                           const mn_progress *progress, mn_heal_band *out,
                           mn_error *err)
{
    memset(out, 0, sizeof *out);
    if (!pop || n_samples == 0)
        return mn_error_set(err, MN_EINVAL, "an ensemble needs at least one sample");
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        if (!(pop->cv[i] >= 0 && pop->cv[i] <= 10))
            return mn_error_set(err, MN_ERANGE,
                                "healing parameter %s: cv %g "
                                "must be in 0..10",
                                mn_heal_param_get_info(i)->key, pop->cv[i]);
    mn_status st = mn_heal_params_validate(&pop->median, err);
    if (st != MN_OK)
        return st;
    if ((st = mn_heal__check_course(c, err)) != MN_OK)
        return st;
    double horizon = mn_heal__course_horizon(c);
    size_t n_days = (size_t)ceil(horizon) + 1;
    size_t ns = c->n_sessions;
    size_t per = n_days * MN_HEAL_NOUT;
    /* Per sample: daily outputs, ready days, index, flags. */
    double *outs = malloc(n_samples * per * sizeof(double));
    double *ready = malloc(n_samples * (ns ? ns : 1) * sizeof(double));
    double *oi = malloc(n_samples * sizeof(double));
    unsigned char *flag = calloc(n_samples, 2);
    if (!outs || !ready || !oi || !flag) {
        free(outs), free(ready), free(oi), free(flag);
        return mn_error_set(err, MN_ENOMEM, "out of memory (%zu samples)", n_samples);
    }
    mn_gsl_errors_off(); /* once per process; the status codes are checked */
    int stop = 0;
    long failed_sample = -1;
    mn_error first_err;
    mn_error_clear(&first_err);
    size_t done = 0;
    int cancelled = 0;
    long ni = (long)n_samples;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
    for (long i = 0; i < ni; i++) {
        int halt;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp atomic read
#endif
        halt = stop;
        if (halt)
            continue;
        mn_heal_params p;
        mn_heal_sample_params(pop, seed, (uint64_t)i, &p);
        mn_heal_result r;
        mn_error e;
        mn_error_clear(&e);
        mn_status sst = mn_heal__simulate(&p, c, s, &r, &e);
        if (sst != MN_OK) {
#ifdef MNSIM_HAVE_OPENMP
#pragma omp critical(mn_heal_ens)
#endif
            {
                if (failed_sample < 0 || i < failed_sample) {
                    failed_sample = i;
                    first_err = e;
                }
#ifdef MNSIM_HAVE_OPENMP
#pragma omp atomic write
#endif
                stop = 1;
            }
            continue;
        }
        double *o = outs + (size_t)i * per;
        for (size_t d = 0; d < n_days; d++) {
            const double *row = r.daily + d * NS;
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_I] = row[C1];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_III] = row[C3];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_ELASTIN] = row[E];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_EPIDERMIS] = row[K];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_TOTAL] =
                mn_heal_total_collagen(&p, row[C1], row[C3]);
        }
        for (size_t k = 0; k < ns; k++)
            ready[(size_t)i * ns + k] = r.sessions[k].ready_days;
        oi[i] = r.overtreatment_index;
        flag[2 * i] = (unsigned char)r.overtreated;
        flag[2 * i + 1] = (unsigned char)(r.pih_risk == MN_PIH_HIGH);
        mn_heal_result_free(&r);
#ifdef MNSIM_HAVE_OPENMP
#pragma omp critical(mn_heal_ens)
#endif
        {
            done++;
            if (progress && progress->fn) {
#ifdef MNSIM_HAVE_OPENMP
                int master = omp_get_thread_num() == 0;
#else
                int master = 1;
#endif
                if ((master || done == n_samples) &&
                    mn_progress_report(progress, (double)done / (double)n_samples,
                                       "healing samples")) {
                    cancelled = 1;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp atomic write
#endif
                    stop = 1;
                }
            }
        }
    }
    if (cancelled || failed_sample >= 0) {
        free(outs), free(ready), free(oi), free(flag);
        if (cancelled && failed_sample < 0)
            return mn_error_set(err, MN_ECANCEL, "cancelled");
        if (err) {
            *err = first_err;
            char msg[MN_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "virtual person %ld: %s", failed_sample,
                     first_err.message);
            memcpy(err->message, msg, sizeof msg);
        }
        return first_err.code != MN_OK ? first_err.code : MN_ENUMERIC;
    }
    out->n_samples = n_samples;
    out->n_days = n_days;
    out->n_sessions = ns;
    out->p5 = malloc(per * sizeof(double));
    out->p50 = malloc(per * sizeof(double));
    out->p95 = malloc(per * sizeof(double));
    out->ready_p5 = malloc((ns ? ns : 1) * sizeof(double));
    out->ready_p50 = malloc((ns ? ns : 1) * sizeof(double));
    out->ready_p95 = malloc((ns ? ns : 1) * sizeof(double));
    double *col = malloc(n_samples * sizeof(double));
    if (!out->p5 || !out->p50 || !out->p95 || !out->ready_p5 || !out->ready_p50 ||
        !out->ready_p95 || !col) {
        free(col), free(outs), free(ready), free(oi), free(flag);
        mn_heal_band_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory (band)");
    }
    for (size_t j = 0; j < per; j++) {
        for (size_t i = 0; i < n_samples; i++)
            col[i] = outs[i * per + j];
        summarise(col, n_samples, &out->p5[j], &out->p50[j], &out->p95[j]);
    }
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < n_samples; i++)
            col[i] = ready[i * ns + k];
        summarise(col, n_samples, &out->ready_p5[k], &out->ready_p50[k],
                  &out->ready_p95[k]);
    }
    size_t n_ot = 0, n_pih = 0;
    for (size_t i = 0; i < n_samples; i++) {
        n_ot += flag[2 * i];
        n_pih += flag[2 * i + 1];
    }
    summarise(oi, n_samples, &out->oi_p5, &out->oi_p50, &out->oi_p95);
    out->overtreated_share = (double)n_ot / (double)n_samples;
    out->pih_high_share = (double)n_pih / (double)n_samples;
    free(col), free(outs), free(ready), free(oi), free(flag);
    return MN_OK;
}
