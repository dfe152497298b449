/* The evaluator of delivery cases: what the transport model says for a
 * published permeation or anaesthesia experiment (validation_models.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mnsim/deliver.h"
#include "mnsim/deliver_setup.h"
#include "mnsim/units.h"
#include "validation_input.h"
#include "validation_models.h"

#define UG_CM2_H (1e5 * 3600.0) /* kg/m^2/s -> ug/cm^2/h */

/* Besides the experiment's device and skin (mn_vm_experiment_keys). */
static const char *const deliver_keys[] = {
    "compound", "passes", "concentration_mg_ml", "dose_mg_cm2", "time",
    "occluded", NULL};

/* The experiment: compound, strength, dose, time, skin and (unless intact)
 * the channels the device leaves by the penetration model. */
static mn_status spec_of(const mn_validation_env *env, const mn_vcase *c,
                         mn_deliver_spec *s, mn_vresult *r)
{
    const char *name, *dev_name;
    if (mn_vin_known(c, deliver_keys, mn_vm_experiment_keys, r) ||
        mn_vin_text(c, "compound", &name, 1, r) ||
        mn_vin_text(c, "device", &dev_name, 0, r))
        return r->status;
    if (!env->compounds || !env->channel) {
        snprintf(r->message, sizeof r->message,
                 "the compounds catalog or the channel model is missing");
        return r->status = MN_EINVAL;
    }
    mn_deliver_spec_default(s);
    s->channel = env->channel;
    s->radial = 1;
    s->dose_kg_m2 = INFINITY;
    mn_error e;
    mn_error_clear(&e);
    if (mn_deliver_spec_compound(s, env->compounds, name, &e) != MN_OK) {
        snprintf(r->message, sizeof r->message, "compound: %s", e.message);
        return r->status = MN_ENOTFOUND;
    }
    double mg_ml = NAN, mg_cm2 = NAN;
    if (mn_vin_quantity(c, "concentration_mg_ml", MN_UNIT_NONE, &mg_ml, 0, r) ||
        mn_vin_quantity(c, "dose_mg_cm2", MN_UNIT_NONE, &mg_cm2, 0, r) ||
        mn_vin_quantity(c, "time", MN_UNIT_TIME, &s->t_end_s, 0, r) ||
        mn_vin_yes_no(c, "occluded", &s->occluded, r) ||
        mn_vm_skin(env, c, &s->skin, r))
        return r->status;
    s->concentration_kg_m3 = mg_ml; /* mg/mL = kg/m^3; NaN: the compound's */
    if (!isnan(mg_cm2))
        s->dose_kg_m2 = mg_cm2 * 1e-2;
    s->intact = dev_name == NULL;
    if (s->intact)
        return MN_OK;
    const mn_device *dev;
    long passes = 0;
    mn_depth_result d;
    if (mn_vm_device(env, c, &dev, r) ||
        mn_vin_count(c, "passes", 1, 1000, &passes, 0, r) ||
        mn_vm_depth(env, c, dev, &s->skin, &d, r))
        return r->status;
    /* the same force as the depth model was given */
    mn_deliver_channels ch;
    if (mn_deliver_spec_channels(s, dev, env->depth, d.force_total_n, (int)passes, &ch,
                                 &e) != MN_OK) {
        snprintf(r->message, sizeof r->message, "channels: %s", e.message);
        return r->status = e.code ? e.code : MN_EINVAL;
    }
    s->intact = !ch.made; /* no channel at all: the skin stays intact */
    return MN_OK;
}

mn_status mn_veval_deliver(const mn_validation_env *env, const mn_vcase *c,
                           mn_vresult *r)
{
    mn_deliver_spec s;
    if (spec_of(env, c, &s, r))
        return r->status;
    mn_error e;
    mn_error_clear(&e);
    const char *q = c->quantity;
    int steady = !strcmp(q, "log10_kp_cm_h") ||
                 !strcmp(q, "steady_flux_intact_ug_cm2_h") ||
                 !strcmp(q, "steady_state_enhancement");
    if (!steady && strcmp(q, "time_to_numbness_min"))
        return mn_vin_unknown_quantity(
            c,
            "log10_kp_cm_h, steady_flux_intact_ug_cm2_h, steady_state_enhancement, "
            "time_to_numbness_min",
            r);
    mn_deliver_result res;
    mn_status st =
        steady ? (memset(&res, 0, sizeof res), mn_deliver_steady(&s, &res.steady, &e))
               : mn_deliver_run(&s, NULL, &res, &e);
    if (st == MN_ENOMEM)
        return st;
    if (st != MN_OK) {
        snprintf(r->message, sizeof r->message, "transport model: %s", e.message);
        mn_deliver_result_free(&res);
        return r->status = st;
    }
    double dissolved = fmin(
        isnan(s.concentration_kg_m3) ? s.compound->concentration_kg_m3
                                     : s.concentration_kg_m3,
        s.compound->solubility_kg_m3 > 0 ? s.compound->solubility_kg_m3 : INFINITY);
    const mn_deliver_steady_result *ss = &res.steady;
    if (!strcmp(q, "log10_kp_cm_h"))
        r->value = log10(ss->intact_flux_kg_m2_s / dissolved * 100 * 3600);
    else if (!strcmp(q, "steady_flux_intact_ug_cm2_h"))
        r->value = ss->intact_flux_kg_m2_s * UG_CM2_H;
    else if (!strcmp(q, "steady_state_enhancement"))
        r->value = s.intact ? 1.0 : ss->enhancement;
    else /* not reached in the time: the time itself, a lower bound */
        r->value = (s.intact || isnan(res.time_to_numb_s)
                        ? (s.intact ? res.time_to_numb_intact_s : NAN)
                        : res.time_to_numb_s) /
                   60.0;
    if (!strcmp(q, "time_to_numbness_min") && isnan(r->value))
        r->value = s.t_end_s / 60.0;
    mn_deliver_result_free(&res);
    return MN_OK;
}
