/* A starting plan as JSON and as a calendar (mnsim/plan_report.h): one
 * piece of code for mnsim plan and the web app's /api/plan. */
#include "mnsim/plan_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "mnsim/date.h"
#include "mnsim/ics.h"

static void put_findings(mn_json *j, mn_jnode *root, const mn_findings *f)
{
    mn_jnode *fa = mn_json_array(j);
    for (size_t i = 0; fa && i < f->count; i++) {
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "severity",
                    mn_severity_name((mn_severity)f->items[i].severity));
        mn_json_str(j, o, "rule", f->items[i].rule);
        mn_json_str(j, o, "zone", f->items[i].zone);
        mn_json_str(j, o, "message", f->items[i].message);
        mn_json_str(j, o, "source", f->items[i].source);
        mn_json_push(j, fa, o);
    }
    mn_json_put(j, root, "findings", fa);
}

mn_json *mn_plan_json(const char *indication, const mn_course *course,
                      const mn_plan_session *ps, const char *source, int summaries,
                      const mn_findings *findings)
{
    const mn_protocol *p = &course->protocol;
    mn_json *j = mn_json_new();
    if (!j)
        return NULL;
    mn_jnode *root = mn_json_root(j), *arr = mn_json_array(j), *zd = mn_json_object(j);
    if (!arr || !zd) {
        mn_json_free(j);
        return NULL;
    }
    mn_json_str(j, root, "indication", indication);
    mn_json_str(j, root, "setting", p->setting == MN_SETTING_HOME ? "home" : "clinic");
    mn_json_str(j, root, "device", p->device);
    for (size_t i = 0; i < p->zone_devices.count; i++)
        mn_json_str(j, zd, p->zone_devices.keys[i], p->zone_devices.values[i]);
    mn_json_put(j, root, "zone_devices", zd);
    mn_json_str(j, root, "pattern", p->pattern);
    mn_json_int(j, root, "passes_per_direction", p->passes);
    mn_json_num(j, root, "interval_days", p->interval_s / 86400);
    mn_json_str(j, root, "source", source);
    for (size_t s = 0; ps && s < course->n_sessions; s++) {
        char day[32];
        mn_jnode *so = mn_json_object(j);
        mn_json_str(j, so, "date", mn_date_format(ps[s].at, 0, day, sizeof day));
        if (summaries)
            mn_json_str(j, so, "summary", ps[s].summary);
        mn_json_str(j, so, "guide", ps[s].guide);
        mn_json_push(j, arr, so);
    }
    mn_json_put(j, root, "sessions", arr);
    if (findings)
        put_findings(j, root, findings);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    return j;
}

mn_status mn_plan_ics_write(const char *path, const char *indication, const char *zones,
                            const char *start, const mn_course *course,
                            const mn_plan_session *ps, int64_t stamp, int force,
                            mn_error *err)
{
    size_t ns = course->n_sessions;
    mn_ics_event *ev = calloc(ns ? ns : 1, sizeof *ev);
    if (!ev)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the calendar");
    for (size_t s = 0; s < ns; s++) {
        ev[s].day = ps[s].at;
        ev[s].summary = ps[s].summary;
        ev[s].description = ps[s].guide;
    }
    char seed[512];
    snprintf(seed, sizeof seed, "%s|%s|%s|%s", indication, zones, start,
             course->protocol.device);
    mn_status st = mn_ics_write(path, ev, ns, seed, stamp, force, err);
    free(ev);
    return st;
}
