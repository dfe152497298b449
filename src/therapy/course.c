/* The safety check of a course. */
#include "mnsim/course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/roll.h"
#include "mnsim/units.h"

const mn_device *mn_course_device(const mn_course_input *in, size_t s, size_t z)
{
    if (in->zone_devices && in->zone_devices[z])
        return in->zone_devices[z];
    return &in->devices[s];
}

int mn_course_has_zone_devices(const mn_course_input *in)
{
    for (size_t z = 0; in->zone_devices && z < in->n_zones; z++)
        if (in->zone_devices[z])
            return 1;
    return 0;
}

double mn_course_force(const mn_course_input *in, size_t s)
{
    const mn_protocol *p = in->protocol;
    if (!isnan(p->force_n))
        return p->force_n;
    return mn_depth_hand_force(in->depth, in->sessions[s].pressure, 0);
}

static int rule_value(const mn_check_rule *k, mn_unit_kind unit, double *v)
{
    return k && k->value && mn_units_parse(k->value, unit, v, NULL) == MN_OK;
}

static mn_status person_checks(const mn_course_input *in, mn_findings *out)
{
    const mn_person *pe = &in->protocol->person;
    const mn_rules *r = in->rules;
    const mn_check_rule *unknown = mn_rules_check_named(r, "unknown-condition");
    for (int kind = 0; kind < 2; kind++) {
        const mn_strings *ids = kind == MN_APPLIES_CONDITION ? &pe->conditions : &pe->medications;
        for (size_t i = 0; i < ids->count; i++) {
            const mn_contraindication *c = mn_rules_contraindication(r, ids->items[i], kind);
            if (c) {
                if (mn_findings_add(out, c->severity, c->id, 0, NULL, c->source, "%s",
                                    c->message))
                    return MN_ENOMEM;
            } else if (unknown) {
                if (mn_findings_add(out, unknown->severity, unknown->name, 0, NULL,
                                    unknown->source, "%s '%s': %s",
                                    kind ? "medication" : "condition", ids->items[i],
                                    unknown->message))
                    return MN_ENOMEM;
            }
        }
    }
    const mn_check_rule *preg = mn_rules_check_named(r, "pregnancy");
    if (pe->pregnant && preg &&
        mn_findings_add(out, preg->severity, preg->name, 0, NULL, preg->source, "%s",
                        preg->message))
        return MN_ENOMEM;
    const mn_check_rule *iso = mn_rules_check_named(r, "isotretinoin-window");
    double window;
    if (pe->isotretinoin_last != MN_DATE_NONE && rule_value(iso, MN_UNIT_TIME, &window))
        for (size_t s = 0; s < in->n_sessions; s++) {
            double gap = (double)(in->sessions[s].at - pe->isotretinoin_last);
            if (gap < window) {
                char d[32];
                if (mn_findings_add(out, iso->severity, iso->name, (int)s + 1, NULL,
                                    iso->source, "%s (session on %s, %.0f days after)",
                                    iso->message,
                                    mn_date_format(in->sessions[s].at, 0, d, sizeof d),
                                    gap / 86400))
                    return MN_ENOMEM;
                break; /* the first such session says it */
            }
        }
    return MN_OK;
}

/* Whether the k-th zone of session s is the first place the course uses
 * its device (to report device findings once). */
static int first_use_of_device(const mn_course_input *in, size_t s, size_t k)
{
    const char *name = mn_course_device(in, s, in->session_zones[s][k])->name;
    for (size_t t = 0; t <= s; t++)
        for (size_t q = 0; q < (t < s ? in->n_session_zones[t] : k); q++)
            if (!strcmp(mn_course_device(in, t, in->session_zones[t][q])->name, name))
                return 0;
    return 1;
}

/* The zones whose own device is named name, comma separated ("" when the
 * device is a session's). */
static void zones_with_own(const mn_course_input *in, const char *name, char *buf,
                           size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t z = 0; in->zone_devices && z < in->n_zones && len < n; z++)
        if (in->zone_devices[z] && !strcmp(in->zone_devices[z]->name, name))
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
                                    in->zones[z].name);
}

static mn_status needle_checks(const mn_course_input *in, mn_findings *out)
{
    const mn_protocol *p = in->protocol;
    const mn_needle_limit *l = in->rules->needle_limits.items;
    const mn_check_rule *fitz = mn_rules_check_named(in->rules, "fitzpatrick-pigmentation");
    double fitz_len;
    for (size_t s = 0; s < in->n_sessions; s++)
        for (size_t k = 0; k < in->n_session_zones[s]; k++) {
            if (!first_use_of_device(in, s, k))
                continue;
            const mn_device *d = mn_course_device(in, s, in->session_zones[s][k]);
            char zones[256];
            zones_with_own(in, d->name, zones, sizeof zones);
            for (size_t i = 0; i < in->rules->needle_limits.count; i++) {
                if ((l[i].setting >= 0 && l[i].setting != p->setting) ||
                    (l[i].indication >= 0 && l[i].indication != p->indication))
                    continue;
                if (d->needle_length_m > l[i].needle_max_m + 1e-12 &&
                    mn_findings_add(out, l[i].severity, l[i].name, (int)s + 1, zones,
                                    l[i].source, "%s (%s: %g mm, limit %g mm)",
                                    l[i].message, d->name, d->needle_length_m * 1e3,
                                    l[i].needle_max_m * 1e3))
                    return MN_ENOMEM;
            }
            if (p->person.fitzpatrick >= 4 &&
                rule_value(fitz, MN_UNIT_LENGTH, &fitz_len) &&
                d->needle_length_m >= fitz_len - 1e-12 &&
                mn_findings_add(out, fitz->severity, fitz->name, (int)s + 1, zones,
                                fitz->source, "%s (type %ld, %s)", fitz->message,
                                p->person.fitzpatrick, d->name))
                return MN_ENOMEM;
        }
    return MN_OK;
}

static int session_has_zone(const mn_course_input *in, size_t s, size_t z)
{
    for (size_t k = 0; k < in->n_session_zones[s]; k++)
        if (in->session_zones[s][k] == z)
            return 1;
    return 0;
}

/* A finding of this interval pass with the same rule, session and text
 * except for the zone: the zone is added to it instead. */
static int merge_zone(mn_findings *out, size_t from, const char *rule, int session,
                      const char *zone, const char *message)
{
    for (size_t i = from; i < out->count; i++) {
        mn_finding *x = &out->items[i];
        if (x->session == session && !strcmp(x->rule, rule) && !strcmp(x->message, message)) {
            size_t used = strlen(x->zone);
            if (used + strlen(zone) + 3 < sizeof x->zone)
                snprintf(x->zone + used, sizeof x->zone - used, ", %s", zone);
            return 1;
        }
    }
    return 0;
}

/* Intervals per zone: each rule broken is reported once per zone, at its
 * first session, with how many gaps break it; zones with the same finding
 * share one. */
static mn_status interval_checks(const mn_course_input *in, mn_findings *out)
{
    size_t from = out->count;
    for (size_t z = 0; z < in->n_zones; z++) {
        const mn_course_zone *zone = &in->zones[z];
        const mn_interval_rule *seen[16];
        int counts[16], first[16];
        double gaps[16];
        size_t nseen = 0;
        long prev = -1;
        for (size_t s = 0; s < in->n_sessions; s++) {
            if (!session_has_zone(in, s, z))
                continue;
            if (prev >= 0) {
                double gap = (double)(in->sessions[s].at - in->sessions[prev].at);
                /* the zone's own needles in both sessions */
                double needle =
                    fmax(mn_course_device(in, (size_t)prev, z)->needle_length_m,
                         mn_course_device(in, s, z)->needle_length_m);
                const mn_interval_rule *broken;
                if (mn_rules_check_interval(in->rules, needle, zone->region, gap, &broken) >= 0) {
                    size_t k;
                    for (k = 0; k < nseen && seen[k] != broken; k++)
                        ;
                    if (k == nseen && nseen < 16) {
                        seen[nseen] = broken;
                        counts[nseen] = 0;
                        first[nseen] = (int)s;
                        gaps[nseen] = gap;
                        nseen++;
                    }
                    if (k < 16)
                        counts[k]++;
                }
            }
            prev = (long)s;
        }
        for (size_t k = 0; k < nseen; k++) {
            char d[32], more[64] = "", msg[640];
            if (counts[k] > 1)
                snprintf(more, sizeof more, "; %d gaps in all are too short", counts[k]);
            snprintf(msg, sizeof msg,
                     "%s: session %d (%s) comes %.1f days after the one before%s",
                     seen[k]->message, first[k] + 1,
                     mn_date_format(in->sessions[first[k]].at, 0, d, sizeof d),
                     gaps[k] / 86400, more);
            if (merge_zone(out, from, seen[k]->name, first[k] + 1, zone->name, msg))
                continue;
            if (mn_findings_add(out, seen[k]->severity, seen[k]->name, first[k] + 1, zone->name,
                                seen[k]->source, "%s", msg))
                return MN_ENOMEM;
        }
    }
    return MN_OK;
}

/* Whether zone z met its device of session s in an earlier session. */
static int zone_had_device(const mn_course_input *in, size_t s, size_t z)
{
    const char *name = mn_course_device(in, s, z)->name;
    for (size_t t = 0; t < s; t++)
        if (session_has_zone(in, t, z) &&
            !strcmp(mn_course_device(in, t, z)->name, name))
            return 1;
    return 0;
}

/* What the penetration model says at each zone, once per device it gets. */
static mn_status depth_checks(const mn_course_input *in, mn_findings *out, mn_error *err)
{
    const mn_rules *r = in->rules;
    const mn_check_rule *beyond = mn_rules_check_named(r, "beyond-dermis");
    const mn_check_rule *numb = mn_rules_check_named(r, "anaesthesia-advised");
    const mn_check_rule *bleed = mn_rules_check_named(r, "bleeding-at-home");
    int numb_reported = 0, bleed_reported = 0;
    for (size_t s = 0; s < in->n_sessions; s++) {
        for (size_t k = 0; k < in->n_session_zones[s]; k++) {
            size_t zi = in->session_zones[s][k];
            if (zone_had_device(in, s, zi))
                continue;
            const mn_course_zone *z = &in->zones[zi];
            const mn_device *dev = mn_course_device(in, s, zi);
            mn_depth_result dr;
            mn_status st = mn_depth_compute(dev, &z->skin, in->depth,
                                            mn_course_force(in, s), &dr, err);
            if (st)
                return st;
            if (beyond && dr.beyond_dermis &&
                mn_findings_add(
                    out, beyond->severity, beyond->name, (int)s + 1, z->name,
                    beyond->source,
                    "%s (%s: channels %.0f um, skin %.0f um; %.0f%% of channels "
                    "deeper)",
                    beyond->message, dev->name, dr.depth_m * 1e6,
                    mn_skin_total(&z->skin) * 1e6, dr.beyond_dermis_fraction * 100))
                return MN_ENOMEM;
            if (numb && !numb_reported && dr.anaesthesia_advised &&
                !in->protocol->anaesthetic.compound) {
                numb_reported = 1;
                if (mn_findings_add(
                        out, numb->severity, numb->name, (int)s + 1, z->name,
                        numb->source, "%s (%s reaches %.0f um, the %s)", numb->message,
                        dev->name, dr.depth_m * 1e6, mn_layer_name(dr.layer)))
                    return MN_ENOMEM;
            }
            if (bleed && !bleed_reported && in->protocol->setting == MN_SETTING_HOME &&
                dr.bleeding_fraction >= 0.5) {
                bleed_reported = 1;
                if (mn_findings_add(out, bleed->severity, bleed->name, (int)s + 1, z->name,
                                    bleed->source, "%s (%.0f%% of channels reach the capillary "
                                    "loops)",
                                    bleed->message, dr.bleeding_fraction * 100))
                    return MN_ENOMEM;
            }
        }
    }
    return MN_OK;
}

/* Punctures per m^2 a session leaves by the device's geometry: passes per
 * direction x directions x the density of one pass. */
static double nominal_density(const mn_course_input *in, size_t s, size_t z)
{
    mn_roll_pattern pat;
    int dirs = 1;
    if (mn_roll_pattern_make(in->protocol->pattern ? in->protocol->pattern : "four-direction", 8,
                             &pat, NULL) == MN_OK)
        dirs = pat.n_dirs;
    return (double)in->sessions[s].passes * dirs *
           mn_device_density_per_pass(mn_course_device(in, s, z));
}

/* Readiness from the healing model (median person, nominal doses): a
 * session that comes before the skin has recovered, and overtreatment. */
static mn_status readiness_checks(const mn_course_input *in, mn_findings *out, mn_error *err)
{
    const mn_check_rule *early = mn_rules_check_named(in->rules, "not-ready");
    const mn_check_rule *over = mn_rules_check_named(in->rules, "overtreatment");
    if (!in->healing || (!early && !over))
        return MN_OK;
    size_t from = out->count;
    mn_heal_dose *doses = calloc(in->n_sessions, sizeof *doses);
    size_t *index = calloc(in->n_sessions, sizeof *index);
    if (!doses || !index) {
        free(doses);
        free(index);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    mn_status st = MN_OK;
    for (size_t z = 0; z < in->n_zones && !st; z++) {
        const mn_course_zone *zone = &in->zones[z];
        size_t n = 0;
        for (size_t s = 0; s < in->n_sessions && !st; s++) {
            if (!session_has_zone(in, s, z))
                continue;
            mn_depth_result dr;
            st = mn_depth_compute(mn_course_device(in, s, z), &zone->skin, in->depth,
                                  mn_course_force(in, s), &dr, err);
            double epi = mn_skin_layer_bottom(&zone->skin, MN_LAYER_VIABLE_EPIDERMIS);
            mn_heal_dose d = {(double)(in->sessions[s].at - in->sessions[0].at) /
                                  86400.0,
                              nominal_density(in, s, z),
                              dr.depth_m,
                              fmax(0, dr.depth_m - epi),
                              dr.bleeding_fraction,
                              dr.disrupted};
            index[n] = s;
            doses[n++] = d;
        }
        if (st || n == 0)
            break;
        /* Sessions must start at day >= 0 for the model: shift to the zone's first. */
        double t0 = doses[0].t_days;
        for (size_t k = 0; k < n; k++)
            doses[k].t_days -= t0;
        mn_heal_course hc = {doses, n,
                             (int)(in->protocol->person.fitzpatrick > 0
                                       ? in->protocol->person.fitzpatrick
                                       : 3),
                             0, in->channel};
        mn_heal_solver solver = MN_HEAL_SOLVER_DEFAULTS;
        solver.rtol = 1e-5;
        solver.fine_step_days = 0.25;
        mn_heal_result h;
        memset(&h, 0, sizeof h);
        if ((st = mn_heal_simulate(&in->healing->median, &hc, &solver, &h, err)))
            break;
        for (size_t k = 1; k < h.n_sessions && early; k++) {
            if (!h.sessions[k].early)
                continue;
            char msg[640], d[32];
            snprintf(msg, sizeof msg,
                     "%s: session %zu (%s) comes %.1f days after the one before; the skin "
                     "needed %.1f days",
                     early->message, index[k] + 1,
                     mn_date_format(in->sessions[index[k]].at, 0, d, sizeof d),
                     h.sessions[k].t_days - h.sessions[k - 1].t_days,
                     h.sessions[k - 1].ready_days);
            if (!merge_zone(out, from, early->name, (int)index[k] + 1, zone->name, msg) &&
                mn_findings_add(out, early->severity, early->name, (int)index[k] + 1, zone->name,
                                early->source, "%s", msg))
                st = MN_ENOMEM;
            break; /* the first early session says it */
        }
        if (!st && over && h.overtreated) {
            char msg[640];
            snprintf(msg, sizeof msg, "%s (index %.1f, %.0f days inflamed; hyperpigmentation "
                                      "risk %s)",
                     over->message, h.overtreatment_index, h.inflamed_days,
                     mn_heal_pih_name(h.pih_risk));
            if (!merge_zone(out, from, over->name, 0, zone->name, msg) &&
                mn_findings_add(out, over->severity, over->name, 0, zone->name, over->source,
                                "%s", msg))
                st = MN_ENOMEM;
        }
        mn_heal_result_free(&h);
    }
    free(doses);
    free(index);
    return st == MN_ENOMEM ? mn_error_set(err, st, "out of memory") : st;
}

mn_status mn_course_check(const mn_course_input *in, mn_findings *out, mn_error *err)
{
    if (!in || !in->protocol || !in->rules || !in->depth || !in->n_sessions)
        return mn_error_set(err, MN_EINVAL, "incomplete course");
    mn_status st;
    if ((st = person_checks(in, out)) || (st = needle_checks(in, out)) ||
        (st = interval_checks(in, out)))
        return st == MN_ENOMEM ? mn_error_set(err, st, "out of memory") : st;
    if ((st = depth_checks(in, out, err)))
        return st;
    return readiness_checks(in, out, err);
}

void mn_course_free(mn_course *c)
{
    if (!c)
        return;
    mn_protocol_clear(&c->protocol);
    free(c->sessions);
    for (size_t i = 0; c->devices && i < c->n_sessions; i++)
        mn_device_clear(&c->devices[i]);
    free(c->devices);
    for (size_t i = 0; c->own_devices && i < c->n_own_devices; i++)
        mn_device_clear(&c->own_devices[i]);
    free(c->own_devices);
    free(c->zone_devices);
    free(c->zones);
    for (size_t i = 0; c->session_zones && i < c->n_sessions; i++)
        free(c->session_zones[i]);
    free(c->session_zones);
    free(c->n_session_zones);
    mn_rules_clear(&c->rules);
    mn_device_list_free(&c->catalog);
    mn_site_list_free(&c->sites);
    mn_zone_list_free(&c->zone_list);
    mn_heal_data_clear(&c->healing);
    mn_compound_catalog_free(&c->compounds);
    mn_strmap_free(&c->references);
    memset(c, 0, sizeof *c);
}
