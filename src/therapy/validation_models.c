/* The evaluators of validation cases: what the penetration, rolling and
 * healing models say for the experiment a case describes
 * (validation_models.h). */
#include "validation_models.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/units.h"
#include "validation_input.h"

#define MONTH_DAYS 30.436875

/* ---- devices and skin ------------------------------------------------------ */

mn_status mn_vm_device(const mn_validation_env *env, const mn_vcase *c,
                       const mn_device **out, mn_vresult *r)
{
    const char *name;
    if (mn_vin_text(c, "device", &name, 1, r))
        return r->status;
    for (size_t i = 0; env->devices && i < env->devices->count; i++)
        if (!strcmp(env->devices->items[i].name, name)) {
            *out = &env->devices->items[i];
            return MN_OK;
        }
    snprintf(r->message, sizeof r->message,
             "no device named '%s' in the catalog or data/validation/devices.yaml",
             name);
    return r->status = MN_ENOTFOUND;
}

const char *const mn_vm_experiment_keys[] = {"device",
                                             "site",
                                             "sex",
                                             "pressure",
                                             "force",
                                             "stratum_corneum",
                                             "viable_epidermis",
                                             "papillary_dermis",
                                             "reticular_dermis",
                                             "capillary_loop_depth",
                                             "modulus",
                                             NULL};

static const char *const layer_keys[] = {"stratum_corneum", "viable_epidermis",
                                         "papillary_dermis", "reticular_dermis"};

/* The skin of the experiment: a site of the atlas and/or its layers given
 * one by one (a study's own skin: rat, pig, a forearm). */
mn_status mn_vm_skin(const mn_validation_env *env, const mn_vcase *c, mn_skin *k,
                     mn_vresult *r)
{
    const char *site, *sex_text;
    if (mn_vin_text(c, "site", &site, 0, r) || mn_vin_text(c, "sex", &sex_text, 0, r))
        return r->status;
    mn_sex sex = sex_text && !strcmp(sex_text, "male") ? MN_SEX_MALE : MN_SEX_FEMALE;
    for (int i = 0; i < 4; i++)
        k->thickness_m[i] = NAN;
    k->capillary_loop_depth_m = k->youngs_modulus_pa = NAN;
    if (site) {
        const mn_site *s;
        mn_error e;
        mn_error_clear(&e);
        if (mn_site_find(env->sites, site, &s, &e) != MN_OK ||
            mn_site_skin(s, sex, k, &e) != MN_OK) {
            snprintf(r->message, sizeof r->message, "site: %s", e.message);
            return r->status = MN_ENOTFOUND;
        }
    }
    int req = site == NULL;
    for (int i = 0; i < 4; i++)
        if (mn_vin_quantity(c, layer_keys[i], MN_UNIT_LENGTH, &k->thickness_m[i], req,
                            r))
            return r->status;
    if (mn_vin_quantity(c, "capillary_loop_depth", MN_UNIT_LENGTH,
                        &k->capillary_loop_depth_m, req, r) ||
        mn_vin_quantity(c, "modulus", MN_UNIT_PRESSURE, &k->youngs_modulus_pa, req, r))
        return r->status;
    return MN_OK;
}

/* The force on the device: pressure light/medium/firm or a force. */
static mn_status force_of(const mn_validation_env *env, const mn_vcase *c,
                          double *force, mn_vresult *r)
{
    const char *p;
    if (mn_vin_text(c, "pressure", &p, 0, r))
        return r->status;
    *force = env->depth->hand_force_n[MN_PRESSURE_LIGHT];
    if (p) {
        int k;
        for (k = 0; k < MN_PRESSURE_COUNT && strcmp(p, mn_pressure_name(k)); k++)
            ;
        if (k == MN_PRESSURE_COUNT) {
            snprintf(r->message, sizeof r->message,
                     "input 'pressure' must be light, medium or firm, not '%s'", p);
            return r->status = MN_EINVAL;
        }
        *force = env->depth->hand_force_n[k];
    }
    return mn_vin_quantity(c, "force", MN_UNIT_FORCE, force, 0, r);
}

mn_status mn_vm_depth(const mn_validation_env *env, const mn_vcase *c,
                      const mn_device *dev, const mn_skin *k, mn_depth_result *d,
                      mn_vresult *r)
{
    double force;
    if (force_of(env, c, &force, r))
        return r->status;
    mn_error e;
    mn_error_clear(&e);
    if (mn_depth_compute(dev, k, env->depth, force, d, &e) != MN_OK) {
        snprintf(r->message, sizeof r->message, "penetration model: %s", e.message);
        return r->status = e.code ? e.code : MN_EINVAL;
    }
    return MN_OK;
}

/* ---- depth ----------------------------------------------------------------- */

mn_status mn_veval_depth(const mn_validation_env *env, const mn_vcase *c, mn_vresult *r)
{
    const mn_device *dev;
    mn_skin k;
    mn_depth_result d;
    if (mn_vin_known(c, mn_vm_experiment_keys, NULL, r) ||
        mn_vm_device(env, c, &dev, r) || mn_vm_skin(env, c, &k, r) ||
        mn_vm_depth(env, c, dev, &k, &d, r))
        return r->status;
    double depth = d.punctured ? d.depth_m : 0, sd = d.punctured ? d.depth_sd_m : 0;
    if (!strcmp(c->quantity, "depth_um")) {
        r->value = depth * 1e6;
        /* Channels differ by depth_sd: the band of a normal distribution. */
        r->p5 = (depth - 1.6449 * sd) * 1e6;
        r->p95 = (depth + 1.6449 * sd) * 1e6;
    } else if (!strcmp(c->quantity, "width_um")) {
        r->value = d.punctured ? d.width_m * 1e6 : 0;
    } else if (!strcmp(c->quantity, "depth_fraction")) {
        r->value = depth / dev->needle_length_m;
    } else {
        return mn_vin_unknown_quantity(c, "depth_um, width_um, depth_fraction", r);
    }
    return MN_OK;
}

/* ---- roll ------------------------------------------------------------------ */

mn_status mn_veval_roll(const mn_validation_env *env, const mn_vcase *c, mn_vresult *r)
{
    static const char *const keys[] = {"device", "passes", NULL};
    const mn_device *dev;
    long passes = 0;
    if (mn_vin_known(c, keys, NULL, r) || mn_vm_device(env, c, &dev, r) ||
        mn_vin_count(c, "passes", 1, 1000, &passes, 1, r))
        return r->status;
    if (strcmp(c->quantity, "density_per_cm2"))
        return mn_vin_unknown_quantity(c, "density_per_cm2", r);
    r->value = (double)passes * mn_device_density_per_pass(dev) * 1e-4;
    return MN_OK;
}

/* ---- channel ---------------------------------------------------------------- */

/* Length of the channels inside the dermis: given, or from the penetration
 * model for a device at a site. */
static mn_status dermis_depth_of(const mn_validation_env *env, const mn_vcase *c,
                                 double *d, mn_vresult *r)
{
    const char *dev_name;
    if (mn_vin_text(c, "device", &dev_name, 0, r))
        return r->status;
    if (!dev_name)
        return mn_vin_quantity(c, "dermis_depth", MN_UNIT_LENGTH, d, 1, r);
    const mn_device *dev;
    mn_skin k;
    mn_depth_result dr;
    if (mn_vm_device(env, c, &dev, r) || mn_vm_skin(env, c, &k, r) ||
        mn_vm_depth(env, c, dev, &k, &dr, r))
        return r->status;
    *d = dr.punctured ? mn_channel_dermis_length(&k, dr.depth_m) : 0;
    return MN_OK;
}

mn_status mn_veval_channel(const mn_validation_env *env, const mn_vcase *c,
                           mn_vresult *r)
{
    static const char *const keys[] = {"dermis_depth", "occluded", NULL};
    double d = 0;
    int occluded;
    if (mn_vin_known(c, keys, mn_vm_experiment_keys, r) ||
        mn_vin_yes_no(c, "occluded", &occluded, r) || dermis_depth_of(env, c, &d, r))
        return r->status;
    if (!env->channel) {
        snprintf(r->message, sizeof r->message,
                 "the channel model's parameters are missing");
        return r->status = MN_EINVAL;
    }
    if (!strcmp(c->quantity, "closure_h"))
        r->value = mn_channel_closure_time(env->channel, d, occluded) / 3600;
    else if (!strcmp(c->quantity, "half_life_h"))
        r->value = mn_channel_half_life(env->channel, d, occluded) / 3600;
    else
        return mn_vin_unknown_quantity(c, "closure_h, half_life_h", r);
    return MN_OK;
}

/* ---- heal ------------------------------------------------------------------ */

/* "229 /cm2", "229/cm^2", "2.29e6 /m2": channels per m^2. */
static mn_status density_of(const mn_vcase *c, double *out, mn_vresult *r)
{
    const char *t;
    if (mn_vin_text(c, "density", &t, 0, r) || !t)
        return r->status;
    char *end;
    double v = strtod(t, &end);
    while (*end == ' ')
        end++;
    /* units-check: input spellings */
    double f = !strcmp(end, "/cm2") || !strcmp(end, "/cm^2") ? 1e4
               : !strcmp(end, "/m2") || !strcmp(end, "/m^2") ? 1
                                                             : NAN;
    /* units-check: end */
    if (end == t || isnan(f) || !(v >= 0 && isfinite(v))) {
        snprintf(r->message, sizeof r->message,
                 "input 'density' must be a number of channels per area such as "
                 "\"229 /cm2\", not '%s'",
                 t);
        return r->status = MN_EINVAL;
    }
    *out = v * f;
    return MN_OK;
}

/* The injury of one session: given directly, or what the penetration model
 * says for a device at a site (the same arithmetic as mnsim heal). */
static mn_status dose_of(const mn_validation_env *env, const mn_vcase *c,
                         mn_heal_dose *d, mn_vresult *r)
{
    memset(d, 0, sizeof *d);
    const char *dev_name;
    if (mn_vin_text(c, "device", &dev_name, 0, r))
        return r->status;
    if (!dev_name) {
        d->dermis_depth_m = 0;
        d->capillary_fraction = 0;
        if (density_of(c, &d->channels_per_m2, r) ||
            mn_vin_quantity(c, "depth", MN_UNIT_LENGTH, &d->depth_m, 1, r) ||
            mn_vin_quantity(c, "dermis_depth", MN_UNIT_LENGTH, &d->dermis_depth_m, 1,
                            r) ||
            mn_vin_quantity(c, "bleeding", MN_UNIT_FRACTION, &d->capillary_fraction, 0,
                            r))
            return r->status;
        return MN_OK;
    }
    const mn_device *dev;
    mn_skin k;
    mn_depth_result dr;
    long passes = 1;
    if (mn_vm_device(env, c, &dev, r) || mn_vm_skin(env, c, &k, r) ||
        mn_vin_count(c, "passes", 1, 1000, &passes, 1, r) ||
        mn_vm_depth(env, c, dev, &k, &dr, r))
        return r->status;
    double depth = dr.punctured ? dr.depth_m : 0;
    double in_dermis = mn_channel_dermis_length(&k, depth);
    d->channels_per_m2 =
        dr.punctured ? (double)passes * mn_device_density_per_pass(dev) : 0;
    d->depth_m = depth;
    d->dermis_depth_m = in_dermis > 0 ? in_dermis : 0;
    d->capillary_fraction = dr.punctured ? dr.bleeding_fraction : 0;
    d->barrier_only = dr.disrupted;
    return MN_OK;
}

typedef struct {
    const char *name;
    int out; /* mn_heal_out, or -1: a state or a timing */
    int state;
} heal_quantity;

static const heal_quantity heal_quantities[] = {
    {"collagen_total_pct", MN_HEAL_OUT_COLLAGEN_TOTAL, -1},
    {"collagen_i_pct", MN_HEAL_OUT_COLLAGEN_I, -1},
    {"collagen_iii_pct", MN_HEAL_OUT_COLLAGEN_III, -1},
    {"elastin_pct", MN_HEAL_OUT_ELASTIN, -1},
    {"epidermis_pct", MN_HEAL_OUT_EPIDERMIS, -1},
    {"tropoelastin_pct", -1, MN_HEAL_TROPOELASTIN},
    {"barrier_closed_days", -1, -1},
    {"redness_resolved_days", -1, -1},
    {"ready_days", -1, -1},
    {"inflammation_peak_day", -1, MN_HEAL_INFLAMMATION},
    {"fibroblast_peak_day", -1, MN_HEAL_FIBROBLASTS},
    {"collagen_iii_peak_day", -1, MN_HEAL_COLLAGEN_III},
    {"collagen_i_peak_day", -1, MN_HEAL_COLLAGEN_I},
};

static double peak_day(const mn_heal_result *h, int state)
{
    double best = -INFINITY, day = NAN;
    for (size_t i = 0; i < h->n_days; i++) {
        double v = h->daily[i * MN_HEAL_NSTATES + state];
        if (v > best)
            best = v, day = (double)i;
    }
    return day;
}

static double heal_value(const mn_heal_params *p, const mn_heal_result *h,
                         const heal_quantity *q, double t_days)
{
    const char *n = q->name;
    if (q->out >= 0)
        return 100 * (mn_heal_out_at(p, h, q->out, t_days) - 1);
    if (!strcmp(n, "tropoelastin_pct"))
        return 100 * mn_heal_value_at(h, q->state, t_days);
    if (!strcmp(n, "barrier_closed_days"))
        return h->sessions[0].barrier_closed_days;
    if (!strcmp(n, "redness_resolved_days"))
        return h->sessions[0].redness_resolved_days;
    if (!strcmp(n, "ready_days"))
        return h->sessions[0].ready_days;
    return peak_day(h, q->state);
}

/* The course of the case and the time of its measurement (days after the
 * first session). */
static mn_status course_of(const mn_validation_env *env, const mn_vcase *c,
                           mn_heal_dose *doses, long *n, double *t_days, mn_vresult *r)
{
    double interval = 0, at = NAN, after_last = NAN;
    *n = 1;
    if (mn_vin_count(c, "sessions", 1, 64, n, 1, r) ||
        mn_vin_quantity(c, "interval", MN_UNIT_TIME, &interval, *n > 1, r) ||
        mn_vin_quantity(c, "at", MN_UNIT_TIME, &at, 0, r) ||
        mn_vin_quantity(c, "after_last", MN_UNIT_TIME, &after_last, 0, r) ||
        dose_of(env, c, &doses[0], r))
        return r->status;
    interval /= 86400;
    for (long i = 0; i < *n; i++) {
        doses[i] = doses[0];
        doses[i].t_days = (double)i * interval;
    }
    *t_days = !isnan(at)           ? at / 86400
              : !isnan(after_last) ? doses[*n - 1].t_days + after_last / 86400
                                   : NAN;
    return MN_OK;
}

mn_status mn_veval_heal(const mn_validation_env *env, const mn_vcase *c, mn_vresult *r)
{
    static const char *const keys[] = {
        "sessions",     "interval", "at",          "after_last", "density", "depth",
        "dermis_depth", "bleeding", "device",      "site",       "sex",     "passes",
        "pressure",     "force",    "fitzpatrick", NULL};
    const heal_quantity *q = NULL;
    for (size_t i = 0; i < sizeof heal_quantities / sizeof *heal_quantities; i++)
        if (!strcmp(c->quantity, heal_quantities[i].name))
            q = &heal_quantities[i];
    if (!q)
        return mn_vin_unknown_quantity(
            c,
            "collagen_total_pct, collagen_i_pct, collagen_iii_pct, elastin_pct, "
            "epidermis_pct, tropoelastin_pct, *_days of the first session, *_peak_day",
            r);
    mn_heal_dose doses[64];
    long n, fitz = 3;
    double t = NAN;
    if (mn_vin_known(c, keys, NULL, r) || course_of(env, c, doses, &n, &t, r) ||
        mn_vin_count(c, "fitzpatrick", 1, 6, &fitz, 0, r))
        return r->status;
    if (q->out >= 0 || !strcmp(q->name, "tropoelastin_pct")) {
        if (isnan(t)) {
            snprintf(r->message, sizeof r->message,
                     "%s needs the time of the measurement: input 'at' or 'after_last'",
                     q->name);
            return r->status = MN_EINVAL;
        }
    }
    mn_heal_course course = {doses, (size_t)n, (int)fitz, 0, env->channel};
    size_t people = env->n_people;
    double *v = malloc((people + 1) * sizeof *v);
    if (!v)
        return MN_ENOMEM;
    mn_status st = MN_OK;
    /* Person 0 is the median person; 1..people the virtual people of the
     * population, each from its own random stream. */
    for (size_t i = 0; i <= people && st == MN_OK; i++) {
        mn_heal_params p = env->healing->median;
        if (i > 0)
            mn_heal_sample_params(env->healing, env->seed, i - 1, &p);
        mn_heal_result h;
        mn_error e;
        mn_error_clear(&e);
        st = mn_heal_simulate(&p, &course, NULL, &h, &e);
        if (st == MN_OK)
            v[i] = heal_value(&p, &h, q, t);
        else
            snprintf(r->message, sizeof r->message, "healing model: %s", e.message);
        mn_heal_result_free(&h);
    }
    if (st == MN_OK) {
        r->value = v[0];
        mn_vband(v + 1, people, r);
    } else {
        r->status = st;
    }
    free(v);
    return st == MN_ENOMEM ? st : MN_OK;
}
