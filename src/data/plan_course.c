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
#include "mnsim/zone.h"

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
 * at any of the course's zones for the needle that zone gets, and the rule
 * that sets it (a zone on the scalp asks more than the face for the same
 * needle). */
static double interval_needed(const mn_course *c, const mn_interval_rule **rule)
{
    const mn_interval_rule *rules = c->rules.intervals.items;
    double need = 0;
    *rule = NULL;
    for (size_t z = 0; z < c->n_zones; z++) {
        double len = mn_course_device(&c->in, 0, z)->needle_length_m;
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

/* Whether device d may pass the dermis at zone z of the course (the
 * penetration model's beyond-dermis warning). */
static int passes_dermis(const mn_course *c, const mn_device *d, size_t z)
{
    mn_depth_result r;
    return mn_depth_compute(d, &c->zones[z].skin, &c->depth, mn_course_force(&c->in, 0),
                            &r, NULL) == MN_OK &&
           r.beyond_dermis;
}

/* The longest shorter needle of the same device family as d (type and
 * needle layout) that does not pass the dermis at zone z; NULL if none. */
static const mn_device *shorter_needle(const mn_course *c, const mn_device *d, size_t z)
{
    const mn_device *best = NULL;
    for (size_t i = 0; i < c->catalog.count; i++) {
        const mn_device *x = &c->catalog.items[i];
        if (x->type != d->type || x->rings != d->rings ||
            x->needles_per_ring != d->needles_per_ring ||
            x->needle_count != d->needle_count ||
            !(x->needle_length_m < d->needle_length_m) ||
            (best && x->needle_length_m <= best->needle_length_m) ||
            passes_dermis(c, x, z))
            continue;
        best = x;
    }
    return best;
}

static mn_status build(const char *data_dir, const mn_plan_request *req,
                       double interval_s, const mn_strmap *zone_devices,
                       mn_course *course, char **source, mn_diags *diags, mn_error *err)
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
    for (size_t i = 0; zone_devices && i < zone_devices->count; i++)
        if (mn_strmap_add(&course->protocol.zone_devices, zone_devices->keys[i],
                          zone_devices->values[i]))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
    return mn_course_resolve(course, "plan", data_dir, diags, err);
}

static mn_status plan_intervals(const char *data_dir, const mn_plan_request *req,
                                const mn_strmap *zone_devices, mn_course *course,
                                char **source, mn_findings *findings, mn_diags *diags,
                                mn_error *err);

#define MAX_PLAN_ZONES 64

/* The needle of every zone: the plan's where it stays in the dermis, else
 * the longest shorter one of the same device that does (NULL: none; the
 * plan's is kept and the check warns). *main gets the protocol's device:
 * the plan's when a zone keeps it, else the one most zones get. 0 when no
 * zone needs another needle. */
static int choose_needles(const mn_course *c, const mn_device **target,
                          const mn_device **main)
{
    const mn_device *plan = &c->devices[0];
    int changed = 0, kept = 0;
    for (size_t z = 0; z < c->n_zones; z++) {
        target[z] = plan;
        if (passes_dermis(c, plan, z)) {
            const mn_device *d = shorter_needle(c, plan, z);
            target[z] = d ? d : plan;
        }
        changed |= target[z] != plan;
        kept |= target[z] == plan;
    }
    *main = plan;
    size_t best = 0;
    for (size_t z = 0; !kept && z < c->n_zones; z++) {
        size_t n = 0;
        for (size_t k = 0; k < c->n_zones; k++)
            n += !strcmp(target[k]->name, target[z]->name);
        if (n > best) {
            best = n;
            *main = target[z];
        }
    }
    return changed;
}

/* Whether a zone_devices key named site stands for the zones on that site
 * and no others (no zone or group of that name means otherwise). */
static int site_key_ok(const mn_course *c, const char *site)
{
    size_t *sel = NULL, n = 0, on_site = 0;
    if (mn_zones_select(&c->zone_list, site, &sel, &n, NULL, NULL) != MN_OK)
        return 1; /* only a site has that name */
    int ok = 1;
    for (size_t k = 0; k < n; k++)
        ok &= !strcmp(c->zone_list.items[sel[k]].site, site);
    for (size_t i = 0; i < c->zone_list.count; i++)
        on_site += !strcmp(c->zone_list.items[i].site, site);
    free(sel);
    return ok && n == on_site;
}

/* The zone_devices key for zone z with device target[z]: its site when
 * every zone of the course on that site gets the same device, else its
 * name. */
static const char *zone_key(const mn_course *c, const mn_device *const *target,
                            size_t z)
{
    const char *site = c->zones[z].site;
    for (size_t k = 0; k < c->n_zones; k++)
        if (!strcmp(c->zones[k].site, site) && strcmp(target[k]->name, target[z]->name))
            return c->zones[z].name;
    return site_key_ok(c, site) ? site : c->zones[z].name;
}

/* Append ", text" (or text) to *list; 0, or -1 when out of memory. */
static int append(char **list, const char *text)
{
    size_t n = *list ? strlen(*list) : 0;
    char *v = realloc(*list, n + strlen(text) + 3);
    if (!v)
        return -1;
    snprintf(v + n, strlen(text) + 3, "%s%s", n ? ", " : "", text);
    *list = v;
    return 0;
}

/* The plan with the needles of choose_needles: the protocol's device and,
 * where a zone needs another, zone_devices (by site where a site's zones
 * all need it); an info finding for each shorter needle, naming its
 * zones. */
static mn_status shorter_needles(const char *data_dir, const mn_plan_request *req,
                                 mn_course *course, char **source,
                                 mn_findings *findings, mn_diags *diags, mn_error *err)
{
    const mn_device *target[MAX_PLAN_ZONES], *main;
    if (course->n_zones > MAX_PLAN_ZONES || !choose_needles(course, target, &main))
        return plan_intervals(data_dir, req, NULL, course, source, findings, diags,
                              err);
    /* names kept: the course is rebuilt below */
    char plan[128], now[128];
    snprintf(plan, sizeof plan, "%s", course->devices[0].name);
    snprintf(now, sizeof now, "%s", main->name);
    mn_strmap zd = {0}, zones_of = {0}; /* key -> device; device -> its zones */
    mn_status st = MN_OK;
    for (size_t z = 0; z < course->n_zones && !st; z++) {
        const char *dev = target[z]->name, *key = zone_key(course, target, z);
        if (strcmp(dev, now) && !mn_strmap_get(&zd, key) &&
            mn_strmap_add(&zd, key, dev))
            st = MN_ENOMEM;
        if (st || !strcmp(dev, plan))
            continue;
        size_t k;
        for (k = 0; k < zones_of.count && strcmp(zones_of.keys[k], dev); k++)
            ;
        if (k == zones_of.count && mn_strmap_add(&zones_of, dev, ""))
            st = MN_ENOMEM;
        else if (append(&zones_of.values[k], course->zones[z].name))
            st = MN_ENOMEM;
    }
    mn_plan_request r2 = *req;
    r2.device = strcmp(now, plan) ? now : NULL;
    if (!st) {
        mn_course_free(course);
        st = build(data_dir, &r2, 0, &zd, course, source, diags, err);
    }
    const char *why = "mnsim's penetration model (docs/model.md, Penetration) and the "
                      "layers of the zone's site (data/sites.yaml)";
    for (size_t k = 0; !st && k < zones_of.count; k++) {
        const char *dev = zones_of.keys[k], *zones = zones_of.values[k];
        if (!strcmp(dev, now))
            st = mn_findings_add(
                findings, MN_SEV_INFO, "shorter-needle", 0, zones, why,
                "the plan's %s is replaced by %s: its channels may pass "
                "the dermis at %s (mnsim depth)",
                plan, dev, zones);
        else
            st = mn_findings_add(
                findings, MN_SEV_INFO, "shorter-needle", 0, zones, why,
                "the plan's %s is replaced by %s at these zones only "
                "(zone_devices): its channels may pass the dermis here "
                "(mnsim depth)%s",
                plan, dev, strcmp(now, plan) ? "" : "; the other zones keep it");
    }
    if (st == MN_ENOMEM)
        mn_error_set(err, st, "out of memory");
    /* the intervals below are for the needles chosen here */
    if (!st)
        st = plan_intervals(data_dir, &r2, &zd, course, source, findings, diags, err);
    mn_strmap_free(&zd);
    mn_strmap_free(&zones_of);
    return st;
}

mn_status mn_plan_course(const char *data_dir, const mn_plan_request *req,
                         mn_course *course, char **source, mn_findings *findings,
                         mn_diags *diags, mn_error *err)
{
    memset(findings, 0, sizeof *findings);
    *source = NULL;
    mn_status st = build(data_dir, req, 0, NULL, course, source, diags, err);
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
     * around the eyes, say): a zone where it would gets the longest shorter
     * needle of the same device that does not (zone_devices), the other
     * zones keep the plan's, and the plan says so. A device the user chose
     * is kept (the check then warns). */
    if (!req->device)
        return shorter_needles(data_dir, req, course, source, findings, diags, err);
    return plan_intervals(data_dir, req, NULL, course, source, findings, diags, err);
}

/* A plan must pass its own interval rules: see below. */
static mn_status plan_intervals(const char *data_dir, const mn_plan_request *req,
                                const mn_strmap *zone_devices, mn_course *course,
                                char **source, mn_findings *findings, mn_diags *diags,
                                mn_error *err)
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
        if ((st = build(data_dir, req, need, zone_devices, course, source, diags, err)))
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
