/* Healing and collagen induction after microneedling (floor: model): the
 * model's parameters (their table, names, units and checks), the names of
 * its states and outputs, and its data. The model is a mechanistic ODE
 * system integrated with GSL's BDF solver, piecewise between sessions:
 * equations in healing_ode.c, a course of sessions in healing_course.c,
 * virtual populations in healing_ensemble.c. Equations, parameters and
 * their sources: docs/model.md, "Healing and collagen induction", and
 * data/healing.yaml. Time is in days here. */
#include "mnsim/healing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS_PER_DAY 86400.0

/* ---- parameters ---------------------------------------------------------- */

static const mn_heal_param_info param_info[MN_HEAL_NPARAMS] = {
#define MN_HEAL_X_INFO(id, key, unit, du, lo, hi, help) {#key, unit, du, lo, hi, help},
    MN_HEAL_PARAM_LIST(MN_HEAL_X_INFO)
#undef MN_HEAL_X_INFO
};

const mn_heal_param_info *mn_heal_param_get_info(int id)
{
    return (id >= 0 && id < MN_HEAL_NPARAMS) ? &param_info[id] : NULL;
}

int mn_heal_param_find(const char *key)
{
    for (int i = 0; key && i < MN_HEAL_NPARAMS; i++)
        if (!strcmp(param_info[i].key, key))
            return i;
    return -1;
}

double mn_heal_param_si_factor(int id)
{
    const mn_heal_param_info *in = mn_heal_param_get_info(id);
    return in && in->unit == MN_UNIT_TIME ? SECONDS_PER_DAY : 1.0;
}

mn_status mn_heal_params_validate(const mn_heal_params *p, mn_error *err)
{
    if (!p)
        return mn_error_set(err, MN_EINVAL, "no healing parameters");
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        double v = p->value[i];
        const mn_heal_param_info *in = &param_info[i];
        if (!isfinite(v) || v < in->min || v > in->max)
            return mn_error_set(err, MN_ERANGE,
                                "healing parameter %s = %g is outside %g..%g %s",
                                in->key, v, in->min, in->max, in->display_unit);
    }
    if (p->value[MN_HEAL_P_PIH_HIGH] < p->value[MN_HEAL_P_PIH_MODERATE])
        return mn_error_set(err, MN_ERANGE,
                            "healing parameter pih_high_index must not be below "
                            "pih_moderate_index");
    return MN_OK;
}

static const char *const state_names[MN_HEAL_NSTATES] = {
    "barrier_open", "damage",       "redness",     "inflammation",       "macrophages",
    "tgf",          "mmp",          "fibroblasts", "matrix_fibroblasts", "collagen_iii",
    "collagen_i",   "tropoelastin", "elastin",     "epidermis"};

const char *mn_heal_state_name(int s)
{
    return (s >= 0 && s < MN_HEAL_NSTATES) ? state_names[s] : "?";
}

static const char *const out_names[MN_HEAL_NOUT] = {
    "collagen_i", "collagen_iii", "elastin", "epidermis", "collagen_total"};

const char *mn_heal_out_name(int o)
{
    return (o >= 0 && o < MN_HEAL_NOUT) ? out_names[o] : "?";
}

const char *mn_heal_pih_name(int level)
{
    static const char *names[] = {"low", "moderate", "high"};
    return (level >= 0 && level <= MN_PIH_HIGH) ? names[level] : "?";
}

/* ---- data ----------------------------------------------------------------- */

void mn_heal_data_clear(mn_heal_data *d)
{
    if (!d)
        return;
    free(d->description);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        free(d->source[i]);
        free(d->typical[i]);
    }
    memset(d, 0, sizeof *d);
}
