/* The course simulation: roll, depth and healing for every session and
 * zone. */
#include "mnsim/course.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mn_course_options_default(mn_course_options *o)
{
    memset(o, 0, sizeof *o);
    o->n_samples = 50;
    mn_roll_metrics_opts_default(&o->metrics);
}

void mn_course_result_free(mn_course_result *r)
{
    if (!r)
        return;
    free(r->cells);
    mn_roll_result_free(&r->first_roll);
    free(r->regions);
    free(r->heal_of);
    for (size_t z = 0; r->heal && z < r->n_zones; z++)
        mn_heal_result_free(&r->heal[z]);
    free(r->heal);
    for (size_t z = 0; r->band && z < r->n_zones; z++)
        mn_heal_band_free(&r->band[z]);
    free(r->band);
    mn_findings_free(&r->findings);
    memset(r, 0, sizeof *r);
}

static int pattern_for(const mn_protocol *p, long passes, mn_roll_pattern *out,
                       mn_error *err)
{
    mn_roll_pattern shape;
    const char *name = p->pattern ? p->pattern : "four-direction";
    if (mn_roll_pattern_make(name, 1, &shape, err) != MN_OK &&
        mn_roll_pattern_make(name, 8, &shape, err) != MN_OK)
        return MN_EINVAL;
    /* The protocol counts passes per direction. */
    return mn_roll_pattern_rescale(&shape, (int)passes * shape.n_dirs, out, err);
}

/* Append region j of src to dst as its region dst->n_regions (strokes and
 * punctures copied, their indices moved). dst's arrays have room. */
static void append_region(mn_roll_result *dst, const mn_roll_result *src, size_t j)
{
    size_t r = dst->n_regions;
    size_t s0 = src->region_stroke_first[j], s1 = src->region_stroke_first[j + 1];
    size_t p0 = src->region_first[j], p1 = src->region_first[j + 1];
    size_t ds = dst->region_stroke_first[r], dp = dst->region_first[r];
    for (size_t i = s0; i < s1; i++) {
        mn_roll_stroke *x = &dst->strokes[ds + i - s0];
        *x = src->strokes[i];
        x->region = (uint32_t)r;
        x->first = x->first - p0 + dp;
    }
    for (size_t i = p0; i < p1; i++) {
        size_t k = dp + i - p0;
        dst->x_m[k] = src->x_m[i];
        dst->y_m[k] = src->y_m[i];
        dst->depth_m[k] = src->depth_m[i];
        dst->needle[k] = src->needle[i];
        dst->stroke[k] = (uint32_t)(src->stroke[i] - s0 + ds);
    }
    dst->region_stroke_first[r + 1] = ds + s1 - s0;
    dst->region_first[r + 1] = dp + p1 - p0;
    dst->n_regions = r + 1;
    dst->n_strokes = ds + s1 - s0;
    dst->count = dp + p1 - p0;
}

/* The rolls of a session's device groups as one result, its regions in the
 * session's zone order (the maps): zone k is region at[k] of rolls[of[k]]. */
static mn_status merge_rolls(const mn_roll_result *rolls, size_t n_rolls,
                             const size_t *of, const size_t *at, size_t nz,
                             mn_roll_result *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    size_t np = 0, ns = 0;
    for (size_t g = 0; g < n_rolls; g++) {
        np += rolls[g].count;
        ns += rolls[g].n_strokes;
    }
    out->x_m = malloc((np ? np : 1) * sizeof *out->x_m);
    out->y_m = malloc((np ? np : 1) * sizeof *out->y_m);
    out->depth_m = malloc((np ? np : 1) * sizeof *out->depth_m);
    out->stroke = malloc((np ? np : 1) * sizeof *out->stroke);
    out->needle = malloc((np ? np : 1) * sizeof *out->needle);
    out->strokes = malloc((ns ? ns : 1) * sizeof *out->strokes);
    out->region_first = calloc(nz + 1, sizeof *out->region_first);
    out->region_stroke_first = calloc(nz + 1, sizeof *out->region_stroke_first);
    if (!out->x_m || !out->y_m || !out->depth_m || !out->stroke || !out->needle ||
        !out->strokes || !out->region_first || !out->region_stroke_first) {
        mn_roll_result_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < nz; k++)
        append_region(out, &rolls[of[k]], at[k]);
    out->passes = rolls[0].passes;
    out->seed = rolls[0].seed;
    return MN_OK;
}

/* Roll one session: every treated zone as a region with its own depth,
 * the zones of each device together (a zone's punctures do not depend on
 * its group: its name keys its streams). *roll gets every zone, in the
 * session's order. */
static mn_status roll_session(const mn_course_input *in, size_t s,
                              const mn_course_options *o, mn_course_result *out,
                              mn_roll_result *roll, mn_error *err)
{
    const mn_session *ss = &in->sessions[s];
    mn_roll_params rp;
    mn_roll_params_default(&rp);
    mn_status st = pattern_for(in->protocol, ss->passes, &rp.pattern, err);
    if (st)
        return st;
    size_t nz = in->n_session_zones[s];
    mn_roll_region *regs = calloc(nz ? nz : 1, sizeof *regs);
    mn_roll_region *group = calloc(nz ? nz : 1, sizeof *group);
    mn_roll_result *rolls = calloc(nz ? nz : 1, sizeof *rolls);
    size_t *of = calloc(nz ? nz : 1, sizeof *of), *at = calloc(nz ? nz : 1, sizeof *at);
    const mn_device **dev = calloc(nz ? nz : 1, sizeof *dev);
    if (!regs || !group || !rolls || !of || !at || !dev) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    double force = mn_course_force(in, s);
    for (size_t k = 0; k < nz; k++) {
        size_t z = in->session_zones[s][k];
        mn_course_cell *cell = &out->cells[s * out->n_zones + z];
        cell->treated = 1;
        if ((st = mn_depth_compute(mn_course_device(in, s, z), &in->zones[z].skin,
                                   in->depth, force, &cell->depth, err)))
            goto done;
        regs[k] = out->regions[z];
        regs[k].depth_mean_m = cell->depth.depth_m;
        regs[k].depth_sd_m = cell->depth.depth_sd_m;
    }
    /* Each session its own streams: the seed is mixed with the session. */
    rp.seed = out->seed + 0x9e3779b97f4a7c15ULL * (uint64_t)(s + 1);
    size_t n_rolls = 0;
    for (size_t k = 0; k < nz && !st; k++) {
        const mn_device *d = mn_course_device(in, s, in->session_zones[s][k]);
        size_t g;
        for (g = 0; g < n_rolls && dev[g] != d; g++)
            ;
        if (g < n_rolls)
            continue; /* rolled with its group */
        dev[n_rolls] = d;
        size_t ng = 0;
        for (size_t q = k; q < nz; q++)
            if (mn_course_device(in, s, in->session_zones[s][q]) == d) {
                of[q] = n_rolls;
                at[q] = ng;
                group[ng++] = regs[q];
            }
        st = mn_roll_simulate(d, group, ng, &rp, NULL, &rolls[n_rolls++], err);
    }
    for (size_t k = 0; !st && k < nz; k++) {
        size_t z = in->session_zones[s][k];
        mn_course_cell *cell = &out->cells[s * out->n_zones + z];
        st = mn_roll_metrics_compute(&rolls[of[k]], at[k], &regs[k], &o->metrics,
                                     &cell->roll, err);
        out->total_punctures += (long)cell->roll.punctures;
    }
    if (!st && n_rolls == 1) {
        *roll = rolls[0]; /* the zones in the session's order already */
        memset(&rolls[0], 0, sizeof rolls[0]);
    } else if (!st) {
        st = merge_rolls(rolls, n_rolls, of, at, nz, roll, err);
    }
    for (size_t g = 0; rolls && g < nz; g++)
        mn_roll_result_free(&rolls[g]);
done:
    free(regs);
    free(group);
    free(rolls);
    free(of);
    free(at);
    free(dev);
    return st;
}

/* The dose of one session at one zone, from its roll and depth. */
static mn_heal_dose dose_of(const mn_course_cell *c, const mn_skin *skin, double t_days)
{
    mn_heal_dose d;
    memset(&d, 0, sizeof d);
    d.t_days = t_days;
    d.channels_per_m2 = c->roll.density_mean > 0 ? c->roll.density_mean : 0;
    d.depth_m = c->depth.depth_m;
    d.dermis_depth_m = mn_channel_dermis_length(skin, c->depth.depth_m);
    d.capillary_fraction = c->depth.bleeding_fraction;
    d.barrier_only = c->depth.disrupted;
    return d;
}

/* Zones a and b heal alike: same site, treated in the same sessions with
 * the same devices. */
static int same_course(const mn_course_input *in, const mn_course_result *out, size_t a,
                       size_t b)
{
    if (strcmp(in->zones[a].site, in->zones[b].site))
        return 0;
    for (size_t s = 0; s < in->n_sessions; s++) {
        const mn_course_cell *ca = &out->cells[s * out->n_zones + a],
                             *cb = &out->cells[s * out->n_zones + b];
        if (ca->treated != cb->treated)
            return 0;
        if (ca->treated &&
            strcmp(mn_course_device(in, s, a)->name, mn_course_device(in, s, b)->name))
            return 0;
    }
    return 1;
}

static mn_status heal_zone(const mn_course_input *in, size_t z,
                           const mn_course_options *o, const mn_progress *progress,
                           mn_course_result *out, mn_error *err)
{
    mn_heal_dose *doses = calloc(in->n_sessions, sizeof *doses);
    if (!doses)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t s = 0; s < in->n_sessions; s++) {
        mn_course_cell *c = &out->cells[s * out->n_zones + z];
        if (!c->treated)
            continue;
        double t = (double)(in->sessions[s].at - in->sessions[0].at) / 86400.0;
        /* The dose of every zone that shares this healing run: the
         * area-weighted mean density, the same depth (same site). */
        double area = 0, punct = 0;
        for (size_t k = 0; k < in->n_zones; k++) {
            if (out->heal_of[k] != z)
                continue;
            mn_course_cell *ck = &out->cells[s * out->n_zones + k];
            ck->dose = dose_of(ck, &in->zones[k].skin, t);
            area += ck->roll.area_m2;
            punct += ck->roll.density_mean * ck->roll.area_m2;
        }
        doses[n] = c->dose;
        if (area > 0)
            doses[n].channels_per_m2 = punct / area;
        n++;
    }
    mn_status st = MN_OK;
    if (n) {
        mn_heal_course hc = {doses, n,
                             (int)(in->protocol->person.fitzpatrick > 0
                                       ? in->protocol->person.fitzpatrick
                                       : 3),
                             0, in->channel};
        /* 12 months after the first session, or 90 days after the last. */
        double last = doses[n - 1].t_days;
        hc.horizon_days = fmax(MN_HEAL_YEAR_DAYS, last + 90.0);
        mn_heal_solver solver = MN_HEAL_SOLVER_DEFAULTS;
        st = mn_heal_simulate(&in->healing->median, &hc, &solver, &out->heal[z], err);
        /* The bands need less precision than the median curve: 1e-5 relative
         * is far inside the 5-95% spread and halves the cost. */
        mn_heal_solver loose = solver;
        loose.rtol = 1e-5;
        loose.atol = 1e-8;
        loose.fine_step_days = 0.25; /* readiness of the band to 6 h */
        if (!st && o->n_samples > 0)
            st = mn_heal_ensemble(in->healing, &hc, &loose, out->seed + z, o->n_samples,
                                  progress, &out->band[z], err);
    }
    free(doses);
    return st;
}

mn_status mn_course_simulate(const mn_course_input *in, const mn_course_options *o,
                             const mn_progress *progress, mn_course_result *out,
                             mn_error *err)
{
    memset(out, 0, sizeof *out);
    if (!in || !in->healing)
        return mn_error_set(err, MN_EINVAL,
                            "the simulation needs the healing parameters");
    mn_status st = mn_course_check(in, &out->findings, err);
    if (st)
        return st;
    out->n_sessions = in->n_sessions;
    out->n_zones = in->n_zones;
    out->n_samples = o->n_samples;
    out->seed = o->seed ? o->seed : (uint64_t)in->protocol->seed;
    out->cells = calloc(in->n_sessions * in->n_zones, sizeof *out->cells);
    out->regions = calloc(in->n_zones, sizeof *out->regions);
    out->heal = calloc(in->n_zones, sizeof *out->heal);
    out->band = o->n_samples ? calloc(in->n_zones, sizeof *out->band) : NULL;
    if (!out->cells || !out->regions || !out->heal || (o->n_samples && !out->band)) {
        mn_course_result_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t z = 0; z < in->n_zones; z++) {
        mn_roll_region *r = &out->regions[z];
        r->name = in->zones[z].name;
        r->x_m = in->zones[z].x_m;
        r->y_m = in->zones[z].y_m;
        r->n = in->zones[z].n;
        r->depth_mean_m = r->depth_sd_m = NAN;
    }
    for (size_t s = 0; s < in->n_sessions && !st; s++) {
        if (mn_progress_report(progress, (double)s / (double)in->n_sessions, "roll")) {
            st = mn_error_set(err, MN_ECANCEL, "cancelled");
            break;
        }
        mn_roll_result roll;
        memset(&roll, 0, sizeof roll);
        st = roll_session(in, s, o, out, &roll, err);
        if (s == 0 && !st)
            out->first_roll = roll; /* kept for the maps */
        else
            mn_roll_result_free(&roll);
    }
    out->heal_of = st ? NULL : calloc(in->n_zones, sizeof *out->heal_of);
    if (!st && !out->heal_of)
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t z = 0; z < in->n_zones && !st; z++) {
        out->heal_of[z] = z;
        for (size_t k = 0; k < z; k++)
            if (out->heal_of[k] == k && same_course(in, out, k, z)) {
                out->heal_of[z] = k;
                break;
            }
    }
    for (size_t z = 0; z < in->n_zones && !st; z++) {
        if (out->heal_of[z] != z)
            continue;
        if (mn_progress_report(progress, (double)z / (double)in->n_zones, "heal")) {
            st = mn_error_set(err, MN_ECANCEL, "cancelled");
            break;
        }
        st = heal_zone(in, z, o, NULL, out, err);
    }
    if (st)
        mn_course_result_free(out);
    else /* the stage is complete ("done" is for the whole pipeline to say) */
        mn_progress_report(progress, 1.0, "heal");
    return st;
}
