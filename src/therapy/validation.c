/* Calibration and validation cases: the evaluator of each model, the run
 * over all cases and its summary (mnsim/validation.h). */
#include "mnsim/validation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validation_models.h"

const char *const mn_vcase_role_names[] = {"calibration", "validation", NULL};

const char *mn_vcase_role_name(int role)
{
    return role == MN_VCASE_VALIDATION ? "validation" : "calibration";
}

void mn_vcase_list_free(mn_vcase_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        mn_vcase *c = &l->items[i];
        free(c->name), free(c->model), free(c->quantity), free(c->reference);
        free(c->what), free(c->notes), free(c->discrepancy), free(c->dir);
        mn_strmap_free(&c->input);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- comparison ------------------------------------------------------------ */

static void compare(const mn_vcase *c, mn_vresult *r)
{
    if (isfinite(c->value)) {
        r->deviation = r->value - c->value;
    } else {
        double lo = isnan(c->low) ? -INFINITY : c->low;
        double hi = isnan(c->high) ? INFINITY : c->high;
        r->deviation = r->value < lo   ? r->value - lo
                       : r->value > hi ? r->value - hi
                                       : 0;
    }
    r->passed = isfinite(r->value) && fabs(r->deviation) <= c->tolerance;
    r->expected = c->discrepancy ? !r->passed : r->passed;
}

typedef mn_status (*evaluator)(const mn_validation_env *env, const mn_vcase *c,
                               mn_vresult *r);

static const struct {
    const char *model;
    evaluator fn;
} evaluators[] = {
    {"depth", mn_veval_depth},
    {"roll", mn_veval_roll},
    {"heal", mn_veval_heal},
    {"channel", mn_veval_channel},
    {"deliver", mn_veval_deliver},
};

mn_status mn_vcase_evaluate(const mn_validation_env *env, const mn_vcase *c,
                            mn_vresult *r, mn_error *err)
{
    memset(r, 0, sizeof *r);
    r->value = r->p5 = r->p95 = r->deviation = NAN;
    for (size_t i = 0; i < sizeof evaluators / sizeof *evaluators; i++) {
        if (strcmp(c->model, evaluators[i].model))
            continue;
        mn_status st = evaluators[i].fn(env, c, r);
        if (st == MN_ENOMEM)
            return mn_error_set(err, MN_ENOMEM, "case %s: out of memory", c->name);
        if (st == MN_OK && r->status == MN_OK)
            compare(c, r);
        else if (r->status == MN_OK)
            r->status = st;
        return MN_OK;
    }
    snprintf(r->message, sizeof r->message,
             "no model named '%s' (models: depth, roll, heal, channel, deliver)", c->model);
    r->status = MN_EINVAL;
    return MN_OK;
}

mn_status mn_validation_run(const mn_validation_env *env, const mn_vcase_list *cases,
                            const mn_progress *progress, mn_vresult **out,
                            mn_error *err)
{
    *out = calloc(cases->count ? cases->count : 1, sizeof **out);
    if (!*out)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    int failed = 0, cancel = 0;
    size_t done = 0;
    /* Cases differ in cost by 100x (a depth case against a healing band):
     * dynamic scheduling. Each case writes only its own slot. */
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t i = 0; i < cases->count; i++) {
        int stop;
#pragma omp atomic read
        stop = cancel;
        if (stop)
            continue;
        if (mn_vcase_evaluate(env, &cases->items[i], &(*out)[i], NULL) != MN_OK) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp critical(mn_validation_progress)
        {
            done++;
            if (mn_progress_report(progress, (double)done / (double)cases->count,
                                   "validate"))
                cancel = 1;
        }
    }
    if (failed || cancel) {
        free(*out);
        *out = NULL;
        return failed ? mn_error_set(err, MN_ENOMEM, "out of memory")
                      : mn_error_set(err, MN_ECANCEL, "cancelled");
    }
    return MN_OK;
}

void mn_validation_summarise(const mn_vcase_list *cases, const mn_vresult *r,
                             mn_validation_summary *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < cases->count; i++) {
        int val = cases->items[i].role == MN_VCASE_VALIDATION;
        s->cases++;
        s->validation += (size_t)val;
        if (r[i].status != MN_OK) {
            s->not_run++;
            continue;
        }
        s->passed += (size_t)r[i].passed;
        s->known += (size_t)(cases->items[i].discrepancy && !r[i].passed);
        s->unexpected += (size_t)!r[i].expected;
        s->validation_passed += (size_t)(val && r[i].passed);
    }
}
