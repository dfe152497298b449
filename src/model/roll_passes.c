/* The passes needed for a target density or coverage (floor: model;
 * docs/model.md, "Rolling"): sessions simulated with more and more passes
 * (doubling, then bisection) and measured by the metrics. Pure
 * computation: no I/O, never prints. */
#include "mnsim/roll.h"

#include <math.h>
#include <stdlib.h>

#include "roll_internal.h"

static mn_status eval_passes(const mn_device *d, const mn_roll_region *reg,
                             const mn_roll_params *p, const mn_roll_metrics_opts *o,
                             int kind, int passes, double *value, mn_error *err)
{
    mn_roll_params q = *p;
    mn_status st = mn_roll_pattern_rescale(&p->pattern, passes, &q.pattern, err);
    if (st != MN_OK)
        return st;
    mn_roll_result r;
    if ((st = mn_roll_simulate(d, reg, 1, &q, NULL, &r, err)) != MN_OK)
        return st;
    mn_roll_metrics_opts mo = *o;
    mo.what = kind == MN_ROLL_TARGET_DENSITY ? MN_ROLL_M_DENSITY : MN_ROLL_M_COVERAGE;
    mn_roll_metrics *m = malloc(sizeof *m);
    if (!m) {
        mn_roll_result_free(&r);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    if (kind == MN_ROLL_TARGET_DENSITY) {
        /* The mean density needs no grid. */
        *value =
            (double)r.count / fabs(mn_roll_polygon_area(reg->x_m, reg->y_m, reg->n));
    } else {
        st = mn_roll_metrics_compute(&r, 0, reg, &mo, m, err);
        if (st == MN_OK)
            *value = m->coverage;
    }
    free(m);
    mn_roll_result_free(&r);
    return st;
}

mn_status mn_roll_passes_needed(const mn_device *d, const mn_roll_region *reg,
                                const mn_roll_params *p, const mn_roll_metrics_opts *o,
                                int kind, double target, int max_passes, int *passes,
                                double *achieved, mn_error *err)
{
    *passes = -1;
    if (achieved)
        *achieved = NAN;
    if (!d || !reg || !p)
        return mn_error_set(err, MN_EINVAL, "mn_roll_passes_needed: missing argument");
    mn_roll_metrics_opts def;
    mn_roll_metrics_opts_default(&def);
    if (!o)
        o = &def;
    if (kind == MN_ROLL_TARGET_COVERAGE && !roll_in_range(target, 0, 1))
        return mn_error_set(err, MN_EINVAL, "a target coverage must be 0-1");
    if (kind == MN_ROLL_TARGET_DENSITY && !roll_in_range(target, 0, 1e12))
        return mn_error_set(err, MN_EINVAL, "a target density must be positive");
    if (kind != MN_ROLL_TARGET_DENSITY && kind != MN_ROLL_TARGET_COVERAGE)
        return mn_error_set(err, MN_EINVAL, "unknown target kind %d", kind);
    if (max_passes < 1 || max_passes > MN_ROLL_MAX_PASSES)
        return mn_error_set(err, MN_EINVAL, "max passes must be 1 to %d",
                            MN_ROLL_MAX_PASSES);
    /* Doubling, then bisection between the last miss and the first hit. */
    int lo = 0, hi = -1;
    double v = NAN, vhi = NAN;
    mn_status st;
    for (int k = 1;; k *= 2) {
        if (k > max_passes)
            k = max_passes;
        if ((st = eval_passes(d, reg, p, o, kind, k, &v, err)) != MN_OK)
            return st;
        if (v >= target) {
            hi = k;
            vhi = v;
            break;
        }
        lo = k;
        if (k == max_passes) {
            if (achieved)
                *achieved = v;
            return MN_OK;
        }
    }
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if ((st = eval_passes(d, reg, p, o, kind, mid, &v, err)) != MN_OK)
            return st;
        if (v >= target) {
            hi = mid;
            vhi = v;
        } else {
            lo = mid;
        }
    }
    *passes = hi;
    if (achieved)
        *achieved = vhi;
    return MN_OK;
}
