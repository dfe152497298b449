/* Reading the inputs of a validation case, and the 5-95% band of a
 * model's answer over virtual people (validation_input.h). */
#include "validation_input.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "mnsim/units.h"

/* ---- inputs ---------------------------------------------------------------- */

mn_status mn_vin_text(const mn_vcase *c, const char *key, const char **out,
                      int required, mn_vresult *r)
{
    *out = mn_strmap_get(&c->input, key);
    if (!*out && required) {
        snprintf(r->message, sizeof r->message, "input '%s' is required by model %s",
                 key, c->model);
        return r->status = MN_EINVAL;
    }
    return MN_OK;
}

mn_status mn_vin_quantity(const mn_vcase *c, const char *key, int unit, double *out,
                          int required, mn_vresult *r)
{
    const char *t;
    if (mn_vin_text(c, key, &t, required, r))
        return r->status;
    if (!t)
        return MN_OK; /* *out keeps its default */
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(t, (mn_unit_kind)unit, out, &e) != MN_OK) {
        snprintf(r->message, sizeof r->message, "input '%s': %s", key, e.message);
        return r->status = MN_EINVAL;
    }
    return MN_OK;
}

mn_status mn_vin_count(const mn_vcase *c, const char *key, long lo, long hi, long *out,
                       int required, mn_vresult *r)
{
    const char *t;
    if (mn_vin_text(c, key, &t, required, r))
        return r->status;
    if (!t)
        return MN_OK;
    char *end;
    long v = strtol(t, &end, 10);
    if (end == t || *end || v < lo || v > hi) {
        snprintf(r->message, sizeof r->message,
                 "input '%s' must be a whole number from %ld to %ld, not '%s'", key, lo,
                 hi, t);
        return r->status = MN_EINVAL;
    }
    *out = v;
    return MN_OK;
}

static int listed(const char *const *keys, const char *key)
{
    for (size_t k = 0; keys && keys[k]; k++)
        if (!strcmp(keys[k], key))
            return 1;
    return 0;
}

static size_t append_keys(char *buf, size_t size, size_t used, const char *const *keys)
{
    for (size_t k = 0; keys && keys[k] && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, " %s", keys[k]);
    return used;
}

/* Every input key must be one the model reads: a typo would otherwise be a
 * silently ignored condition of the experiment. */
mn_status mn_vin_known(const mn_vcase *c, const char *const *keys,
                       const char *const *more, mn_vresult *r)
{
    for (size_t i = 0; i < c->input.count; i++) {
        if (listed(keys, c->input.keys[i]) || listed(more, c->input.keys[i]))
            continue;
        size_t used = (size_t)snprintf(r->message, sizeof r->message,
                                       "model %s has no input '%s'; inputs:", c->model,
                                       c->input.keys[i]);
        used = append_keys(r->message, sizeof r->message, used, keys);
        append_keys(r->message, sizeof r->message, used, more);
        return r->status = MN_EINVAL;
    }
    return MN_OK;
}

mn_status mn_vin_yes_no(const mn_vcase *c, const char *key, int *out, mn_vresult *r)
{
    const char *t;
    if (mn_vin_text(c, key, &t, 0, r))
        return r->status;
    if (t && strcmp(t, "yes") && strcmp(t, "no")) {
        snprintf(r->message, sizeof r->message,
                 "input '%s' must be yes or no, not '%s'", key, t);
        return r->status = MN_EINVAL;
    }
    *out = t && !strcmp(t, "yes");
    return MN_OK;
}

mn_status mn_vin_unknown_quantity(const mn_vcase *c, const char *known, mn_vresult *r)
{
    snprintf(r->message, sizeof r->message, "model %s has no quantity '%s' (it has %s)",
             c->model, c->quantity, known);
    return r->status = MN_EINVAL;
}

/* ---- bands ----------------------------------------------------------------- */

void mn_vband(double *values, size_t n, mn_vresult *r)
{
    if (n < 2) {
        r->p5 = r->p95 = NAN;
        return;
    }
    gsl_sort(values, 1, n);
    r->p5 = gsl_stats_quantile_from_sorted_data(values, 1, n, 0.05);
    r->p95 = gsl_stats_quantile_from_sorted_data(values, 1, n, 0.95);
}
