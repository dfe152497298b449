/* The journal as JSON (mnsim/journal_json.h): one builder for the command
 * (mnsim journal list/next --json) and the web app (/api/journal/...). */
#include "mnsim/journal_json.h"

#include "mnsim/date.h"

mn_jnode *mn_journal_rows_json(mn_json *j, const mn_journal_rows *rows)
{
    mn_jnode *arr = mn_json_array(j);
    if (!arr)
        return NULL;
    for (size_t r = 0; r < rows->count; r++) {
        const mn_journal_row *row = &rows->rows[r];
        mn_jnode *o = mn_json_object(j);
        if (!o)
            return NULL;
        for (size_t k = 0; k < row->count; k++)
            if (row->values[k])
                mn_json_str(j, o, row->keys[k], row->values[k]);
        mn_json_push(j, arr, o);
    }
    return arr;
}

static mn_jnode *zone_json(mn_json *j, const mn_zone_due *z)
{
    char last[32], next[32];
    mn_jnode *zo = mn_json_object(j);
    if (!zo)
        return NULL;
    mn_json_str(j, zo, "zone", z->zone);
    mn_json_int(j, zo, "sessions", z->sessions);
    mn_json_str(j, zo, "last_session",
                mn_date_format(z->last_at, 0, last, sizeof last));
    mn_json_num(j, zo, "last_needle_length_mm", z->last_needle_mm);
    mn_json_str(j, zo, "next_due", mn_date_format(z->next_due, 0, next, sizeof next));
    mn_json_num(j, zo, "min_interval_days", z->min_interval_s / 86400.0);
    mn_json_str(j, zo, "rules_due", mn_date_format(z->rules_due, 0, next, sizeof next));
    if (z->skin_recovered != MN_DATE_NONE)
        mn_json_str(j, zo, "skin_recovered",
                    mn_date_format(z->skin_recovered, 0, next, sizeof next));
    mn_json_str(j, zo, "due_by",
                z->due_by_healing ? "healing"
                : z->rule         ? "rules"
                                  : "none");
    mn_json_bool(j, zo, "due_now", z->wait_days <= 0);
    if (z->rule) {
        mn_json_str(j, zo, "rule", z->rule->name);
        mn_json_str(j, zo, "source", z->rule->source);
    }
    return zo;
}

static mn_jnode *healing_json(mn_json *j, const mn_zone_healing *h)
{
    char rd[32];
    mn_jnode *ro = mn_json_object(j);
    if (!ro)
        return NULL;
    mn_json_str(j, ro, "zone", h->zone);
    mn_json_str(j, ro, "skin_ready", mn_date_format(h->skin_ready, 0, rd, sizeof rd));
    mn_json_bool(j, ro, "healed_by_today", h->healed);
    mn_json_num(j, ro, "overtreatment_index", h->overtreatment_index);
    return ro;
}

mn_json *mn_journal_next_json(const char *person, const mn_readiness *r,
                              size_t n_sessions, const char *healing_not_run)
{
    mn_json *j = mn_json_new();
    if (!j)
        return NULL;
    mn_jnode *root = mn_json_root(j);
    mn_jnode *healing = mn_json_array(j), *zones = mn_json_array(j),
             *warnings = mn_json_array(j);
    if (!healing || !zones || !warnings)
        goto oom;
    for (size_t i = 0; i < r->n_healing; i++) {
        mn_jnode *o = healing_json(j, &r->healing[i]);
        if (!o)
            goto oom;
        mn_json_push(j, healing, o);
    }
    for (size_t k = 0; k < r->n_zones; k++) {
        mn_jnode *o = zone_json(j, &r->zones[k]);
        if (!o)
            goto oom;
        mn_json_push(j, zones, o);
    }
    for (size_t i = 0; i < r->n_warnings; i++) {
        mn_jnode *o = mn_json_object(j);
        if (!o)
            goto oom;
        mn_json_str(j, o, "severity",
                    mn_severity_name((mn_severity)r->warnings[i].severity));
        mn_json_str(j, o, "message", r->warnings[i].message);
        mn_json_push(j, warnings, o);
    }
    char day[32];
    mn_json_put(j, root, "healing", healing);
    mn_json_str(j, root, "person", person);
    mn_json_str(j, root, "today", mn_date_format(r->now, 0, day, sizeof day));
    mn_json_int(j, root, "sessions", (long long)n_sessions);
    if (healing_not_run)
        mn_json_str(j, root, "healing_not_run", healing_not_run);
    mn_json_put(j, root, "zones", zones);
    mn_json_put(j, root, "warnings", warnings);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    return j;
oom:
    mn_json_free(j);
    return NULL;
}
