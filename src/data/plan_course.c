/* A starting plan made a checked course (see mnsim/plan_course.h). */
#include "mnsim/plan_course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/course_io.h"
#include "mnsim/plan.h"
#include "mnsim/plan_io.h"
#include "mnsim/rules.h"

/* The protocol of the plan for a request, from data_dir/plans.yaml. */
static mn_status plan_protocol(const char *data_dir, const mn_plan_request *req,
                               mn_protocol *p, char **source, mn_error *err)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/plans.yaml", data_dir);
    mn_plan_list plans = {0};
    const mn_plan *plan;
    mn_status st = mn_plans_load(path, &plans, NULL, err);
    if (!st)
        st = mn_plan_find(&plans, req->indication, req->setting, &plan, err);
    if (!st)
        st = mn_plan_to_protocol(plan, req->start, req->zones, req->sex,
                                 req->fitzpatrick, p, err);
    if (!st && !(*source = strdup(plan->source ? plan->source : "")))
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_plan_list_free(&plans);
    return st;
}

/* The shortest interval (s) that breaks no interval rule (of error or
 * warning severity: a plan must not draw warnings about its own choices)
 * at any of the course's zones for its device, and the rule that sets it (a
 * zone on the scalp asks more than the face for the same needle). */
static double interval_needed(const mn_course *c, const mn_interval_rule **rule)
{
    const mn_interval_rule *rules = c->rules.intervals.items;
    double need = 0;
    *rule = NULL;
    for (size_t z = 0; z < c->n_zones; z++) {
        double len = c->devices[0].needle_length_m;
        int region = c->zones[z].region;
        const mn_interval_rule *broken;
        if (mn_rules_check_interval(&c->rules, len, region, need, &broken) < 0)
            continue;
        /* the smallest of the rules' intervals that satisfies every rule */
        double best = INFINITY;
        for (size_t i = 0; i < c->rules.intervals.count; i++) {
            double t = rules[i].min_interval_s;
            if (t > need && t < best &&
                mn_rules_check_interval(&c->rules, len, region, t, &broken) < 0)
                best = t;
        }
        if (isfinite(best)) {
            mn_rules_check_interval(&c->rules, len, region, need, &broken);
            *rule = broken;
            need = best;
        }
    }
    return need;
}

/* Whether the course's device may pass the dermis at one of its zones
 * (the penetration model's beyond-dermis warning); *where names it. */
static int passes_dermis(const mn_course *c, const mn_device *d, const char **where)
{
    for (size_t z = 0; z < c->n_zones; z++) {
        mn_depth_result r;
        if (mn_depth_compute(d, &c->zones[z].skin, &c->depth,
                             mn_course_force(&c->in, 0), &r, NULL) == MN_OK &&
            r.beyond_dermis) {
            *where = c->zones[z].name;
            return 1;
        }
    }
    return 0;
}

/* The longest shorter needle of the same device family (type and needle
 * layout) that passes the dermis at none of the zones; NULL if none. */
static const mn_device *shorter_needle(const mn_course *c)
{
    const mn_device *d = &c->devices[0], *best = NULL;
    for (size_t i = 0; i < c->catalog.count; i++) {
        const mn_device *x = &c->catalog.items[i];
        const char *where;
        if (x->type != d->type || x->rings != d->rings ||
            x->needles_per_ring != d->needles_per_ring ||
            x->needle_count != d->needle_count ||
            !(x->needle_length_m < d->needle_length_m) ||
            (best && x->needle_length_m <= best->needle_length_m) ||
            passes_dermis(c, x, &where))
            continue;
        best = x;
    }
    return best;
}

static mn_status build(const char *data_dir, const mn_plan_request *req,
                       double interval_s, mn_course *course, char **source,
                       mn_diags *diags, mn_error *err)
{
    memset(course, 0, sizeof *course);
    mn_protocol_init(&course->protocol);
    free(*source);
    *source = NULL;
    mn_status st = plan_protocol(data_dir, req, &course->protocol, source, err);
    if (st)
        return st;
    if (interval_s > 0)
        course->protocol.interval_s = interval_s;
    if (req->device) {
        free(course->protocol.device);
        if (!(course->protocol.device = strdup(req->device)))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    return mn_course_resolve(course, "plan", data_dir, diags, err);
}

static mn_status plan_intervals(const char *data_dir, const mn_plan_request *req,
                                mn_course *course, char **source, mn_findings *findings,
                                mn_diags *diags, mn_error *err);

mn_status mn_plan_course(const char *data_dir, const mn_plan_request *req,
                         mn_course *course, char **source, mn_findings *findings,
                         mn_diags *diags, mn_error *err)
{
    memset(findings, 0, sizeof *findings);
    *source = NULL;
    mn_status st = build(data_dir, req, 0, course, source, diags, err);
    if (st)
        return st;
    /* The hair-loss plans follow studies of the scalp. */
    for (size_t z = 0; req->indication == MN_IND_HAIR_LOSS && z < course->n_zones; z++)
        if (course->zones[z].region != MN_REGION_SCALP)
            return mn_error_set(
                err, MN_EINVAL,
                "a hair-loss plan is for zones on the scalp; %s is not (its "
                "site is %s)",
                course->zones[z].name, course->zones[z].site);
    /* A plan's needle must not pass the dermis at its zones (the thin skin
     * around the eyes, say): the plan takes the longest shorter needle of
     * the same device that does not, and says so. A device the user chose
     * is kept (the check then warns). */
    const char *where;
    if (!req->device && passes_dermis(course, &course->devices[0], &where)) {
        const mn_device *d = shorter_needle(course);
        if (d) {
            char was[128], now[128], zone[128];
            snprintf(was, sizeof was, "%s", course->devices[0].name);
            snprintf(now, sizeof now, "%s", d->name);
            snprintf(zone, sizeof zone, "%s", where);
            mn_plan_request r2 = *req;
            r2.device = now;
            mn_course_free(course);
            if ((st = build(data_dir, &r2, 0, course, source, diags, err)))
                return st;
            if ((st = mn_findings_add(
                     findings, MN_SEV_INFO, "shorter-needle", 0, zone,
                     "mnsim's penetration model (docs/model.md, Penetration) and the "
                     "layers of the zone's site (data/sites.yaml)",
                     "the plan's %s is replaced by %s: its channels may pass the "
                     "dermis at "
                     "%s (mnsim depth)",
                     was, now, zone)))
                return st;
            /* the interval below is for the shorter needle */
            return plan_intervals(data_dir, &r2, course, source, findings, diags, err);
        }
    }
    return plan_intervals(data_dir, req, course, source, findings, diags, err);
}

/* A plan must pass its own interval rules: see below. */
static mn_status plan_intervals(const char *data_dir, const mn_plan_request *req,
                                mn_course *course, char **source, mn_findings *findings,
                                mn_diags *diags, mn_error *err)
{
    mn_status st;
    /* A plan must pass its own check: where a zone's interval rule asks
     * for longer gaps than the plan's (a home plan on the scalp, say), the
     * plan takes the longer interval and says so. */
    const mn_interval_rule *rule;
    double need = interval_needed(course, &rule);
    if (course->n_sessions > 1 && need > course->protocol.interval_s) {
        double was = course->protocol.interval_s;
        /* the rule lives in the course about to be rebuilt: keep its words */
        char name[128], why[512], src[1024];
        snprintf(name, sizeof name, "%s", rule ? rule->name : "interval");
        snprintf(why, sizeof why, "%s",
                 rule ? rule->message : "the zones' interval rules");
        snprintf(src, sizeof src, "%s", rule && rule->source ? rule->source : "");
        mn_course_free(course);
        if ((st = build(data_dir, req, need, course, source, diags, err)))
            return st;
        if ((st = mn_findings_add(
                 findings, MN_SEV_INFO, name, 0, "", src,
                 "the plan's interval of %.1f days is lengthened to %.1f days: "
                 "%s",
                 was / 86400, need / 86400, why)))
            return st;
    }
    return mn_course_check(&course->in, findings, err);
}
