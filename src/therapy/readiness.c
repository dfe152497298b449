/* When each zone may be treated again, from a person's history (see
 * mnsim/readiness.h). */
#include "mnsim/readiness.h"

#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/protocol.h"
#include "mnsim/types.h"

void mn_history_free(mn_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_sessions; i++) {
        free(h->sessions[i].at_text);
        free(h->sessions[i].zones);
        free(h->sessions[i].device);
    }
    for (size_t i = 0; i < h->n_devices; i++)
        free(h->devices[i].code);
    free(h->sessions);
    free(h->devices);
    free(h->followup_at);
    memset(h, 0, sizeof *h);
}

void mn_readiness_free(mn_readiness *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_healing; i++)
        free(r->healing[i].zone);
    free(r->zones);
    free(r->healing);
    free(r->warnings);
    memset(r, 0, sizeof *r);
}

static mn_status warn(mn_readiness *r, int severity, int stage, mn_error *err,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static mn_status warn(mn_readiness *r, int severity, int stage, mn_error *err,
                      const char *fmt, ...)
{
    mn_ready_warning *w = realloc(r->warnings, (r->n_warnings + 1) * sizeof *w);
    if (!w)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    r->warnings = w;
    w = &w[r->n_warnings++];
    w->severity = severity;
    w->stage = stage;
    va_list ap;
    va_start(ap, fmt);
    mn_text_vformat(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
    return MN_OK;
}

/* Region of a zone name: the site of that name (left/right prefixes and a
 * plural 's' dropped), else face. */
static int zone_region(const mn_site_list *sites, const char *zone)
{
    char name[64];
    snprintf(name, sizeof name, "%s", zone);
    const char *p = name;
    if (!strncmp(p, "left-", 5))
        p += 5;
    else if (!strncmp(p, "right-", 6))
        p += 6;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sites->count; i++)
            if (!strcmp(sites->items[i].name, p))
                return sites->items[i].region;
        size_t n = strlen(p);
        if (n > 1 && p[n - 1] == 's')
            name[p - name + n - 1] = '\0';
    }
    return MN_REGION_FACE;
}

typedef struct {
    mn_readiness *r;
    const mn_rules *rules;
    const mn_site_list *sites;
} walk;

/* Session s on zone z: the gap since the zone's last session checked
 * against the rules, then s is the zone's last. */
static mn_status treat_zone(walk *w, const mn_recorded_session *s, const char *z,
                            mn_error *err)
{
    mn_readiness *r = w->r;
    size_t k;
    for (k = 0; k < r->n_zones && strcmp(r->zones[k].zone, z); k++)
        ;
    mn_zone_due *zd = &r->zones[k];
    if (k == r->n_zones) {
        if (r->n_zones == MN_READINESS_MAX_ZONES)
            return MN_OK;
        memset(zd, 0, sizeof *zd);
        snprintf(zd->zone, sizeof zd->zone, "%s", z);
        r->n_zones++;
    } else {
        const mn_interval_rule *broken = NULL;
        double gap = (double)(s->at - zd->last_at);
        /* The earlier session's needle sets how long the skin needs. */
        double needle = fmax(zd->last_needle_mm, s->needle_length_mm);
        int sev = mn_rules_check_interval(w->rules, needle * 1e-3,
                                          zone_region(w->sites, z), gap, &broken);
        if (sev >= 0 &&
            warn(r, sev, MN_READY_SESSIONS, err,
                 "session %lld on %s (%s) came %.1f days after session %lld: %s [rule "
                 "%s; %s]",
                 (long long)s->id, z, s->at_text, gap / 86400.0, (long long)zd->last_id,
                 broken->message, broken->name, broken->source))
            return MN_ENOMEM;
    }
    zd->last_at = s->at;
    zd->last_needle_mm = s->needle_length_mm;
    zd->last_id = s->id;
    zd->sessions++;
    return MN_OK;
}

/* The sessions in time order, zone by zone. */
static mn_status walk_sessions(walk *w, const mn_history *h, mn_error *err)
{
    mn_readiness *r = w->r;
    for (size_t i = 0; i < h->n_sessions; i++) {
        const mn_recorded_session *s = &h->sessions[i];
        if (s->at == MN_DATE_NONE || isnan(s->needle_length_mm) || !s->zones)
            continue;
        if (s->at > r->now &&
            warn(r, MN_SEV_WARNING, MN_READY_SESSIONS, err,
                 "session %lld is dated %s, after today", (long long)s->id, s->at_text))
            return MN_ENOMEM;
        mn_strings zones;
        if (mn_strings_split(s->zones, ", ", SIZE_MAX, &zones)) {
            mn_strings_free(&zones);
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
        mn_status st = MN_OK;
        for (size_t z = 0; z < zones.count && !st; z++)
            st = treat_zone(w, s, zones.items[z], err);
        mn_strings_free(&zones);
        if (st)
            return st;
    }
    return MN_OK;
}

static void due_dates(walk *w)
{
    mn_readiness *r = w->r;
    for (size_t k = 0; k < r->n_zones; k++) {
        mn_zone_due *zd = &r->zones[k];
        zd->rule = NULL;
        zd->min_interval_s =
            mn_rules_min_interval(w->rules, zd->last_needle_mm * 1e-3,
                                  zone_region(w->sites, zd->zone), &zd->rule);
        zd->rules_due = zd->last_at + (int64_t)zd->min_interval_s;
        zd->next_due = zd->rules_due;
        zd->skin_recovered = MN_DATE_NONE;
        zd->due_by_healing = 0;
        zd->wait_days = (double)(zd->next_due - r->now) / 86400.0;
    }
}

/* The last follow-up, and devices used past their replacement count. */
static mn_status care_warnings(mn_readiness *r, const mn_history *h, mn_error *err)
{
    if (h->followup_not_healed &&
        warn(r, MN_SEV_WARNING, MN_READY_CARE, err,
             "the last follow-up (%s) says the skin had not healed: wait until it has",
             h->followup_at ? h->followup_at : "?"))
        return MN_ENOMEM;
    for (size_t d = 0; d < h->n_devices; d++) {
        const mn_recorded_device *dev = &h->devices[d];
        if (!dev->code || dev->max_uses < 0)
            continue;
        long uses = 0;
        for (size_t i = 0; i < h->n_sessions; i++)
            uses += h->sessions[i].device && !strcmp(h->sessions[i].device, dev->code);
        if (uses > dev->max_uses && warn(r, MN_SEV_WARNING, MN_READY_CARE, err,
                                         "device %s was used %ld times, past its "
                                         "replacement count of %ld: use a "
                                         "new one",
                                         dev->code, uses, dev->max_uses))
            return MN_ENOMEM;
    }
    return MN_OK;
}

mn_status mn_readiness_compute(const mn_history *h, const mn_rules *rules,
                               const mn_site_list *sites, int64_t now,
                               mn_readiness *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    out->now = now;
    out->zones = calloc(MN_READINESS_MAX_ZONES, sizeof *out->zones);
    if (!out->zones)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    walk w = {out, rules, sites};
    mn_status st = walk_sessions(&w, h, err);
    if (st)
        return st;
    due_dates(&w);
    return care_warnings(out, h, err);
}

/* A recorded zone name stands for a course zone of the same name, or for
 * the zones of its site ("cheek" or "cheeks" for left- and right-cheek). */
static int recorded_covers(const char *recorded, const mn_course_zone *z)
{
    if (!strcmp(recorded, z->name))
        return 1;
    if (!z->site)
        return 0;
    size_t n = strlen(recorded), m = strlen(z->site);
    return !strcmp(recorded, z->site) ||
           (n == m + 1 && recorded[m] == 's' && !strncmp(recorded, z->site, m));
}

mn_status mn_readiness_add_healing(mn_readiness *r, const mn_course_input *course,
                                   const mn_course_result *result, mn_error *err)
{
    r->healing = calloc(result->n_zones ? result->n_zones : 1, sizeof *r->healing);
    if (!r->healing)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t z = 0; z < result->n_zones; z++) {
        const mn_heal_result *h = &result->heal[result->heal_of[z]];
        if (!h->n_sessions)
            continue;
        const mn_heal_session_result *last = &h->sessions[h->n_sessions - 1];
        mn_zone_healing *zh = &r->healing[r->n_healing];
        if (!(zh->zone = strdup(course->zones[z].name)))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        r->n_healing++;
        zh->skin_ready = course->sessions[0].at +
                         (int64_t)((last->t_days + last->ready_days) * 86400);
        zh->healed = zh->skin_ready <= r->now;
        zh->overtreatment_index = h->overtreatment_index;
        zh->overtreated = h->overtreated;
        /* One view: a recorded zone is due when both the rules and the skin
         * of every course zone it stands for say so. */
        for (size_t k = 0; k < r->n_zones; k++) {
            mn_zone_due *zd = &r->zones[k];
            if (!recorded_covers(zd->zone, &course->zones[z]) ||
                (zd->skin_recovered != MN_DATE_NONE &&
                 zd->skin_recovered >= zh->skin_ready))
                continue;
            zd->skin_recovered = zh->skin_ready;
            zd->due_by_healing = zh->skin_ready > zd->rules_due;
            zd->next_due = zd->due_by_healing ? zh->skin_ready : zd->rules_due;
            zd->wait_days = (double)(zd->next_due - r->now) / 86400.0;
        }
    }
    for (size_t i = 0; i < result->findings.count; i++) {
        const mn_finding *f = &result->findings.items[i];
        if ((!strcmp(f->rule, "not-ready") || !strcmp(f->rule, "overtreatment")) &&
            warn(r, f->severity, MN_READY_HEALING, err, "%s: %s [rule %s; %s]", f->zone,
                 f->message, f->rule, f->source))
            return MN_ENOMEM;
    }
    return MN_OK;
}
