/* mnsim: a starting plan (mnsim/plan_course.h) as JSON and as a calendar
 * (floor: report), as `mnsim plan --json` and `--ics` and the web app's
 * /api/plan write them, so that both front ends serve the same keys and the
 * same events from one piece of code.
 *
 * Thread safety: reentrant: each call works on the caller's objects. */
#ifndef MNSIM_PLAN_REPORT_H
#define MNSIM_PLAN_REPORT_H

#include <stdint.h>

#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/json.h"
#include "mnsim/plan.h"
#include "mnsim/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The plan as one document: "indication" (as the caller names it),
 * "setting" (home or clinic), "device", "zone_devices" (zone: device),
 * "pattern", "passes_per_direction", "interval_days", "source" (the
 * published course it follows), "sessions" (per session: "date"
 * YYYY-MM-DD, "summary" when summaries is non-zero, "guide"; none when ps
 * is NULL), "findings" (only when findings is not NULL: severity, rule,
 * zone, message, source) and the note that it is not medical advice.
 * ps: course->n_sessions sessions or NULL. The caller frees the document
 * with mn_json_free; NULL when out of memory. */
mn_json *mn_plan_json(const char *indication, const mn_course *course,
                      const mn_plan_session *ps, const char *source, int summaries,
                      const mn_findings *findings);

/* The plan's sessions as an iCalendar file at path (mn_ics_write): one
 * all-day event per session, its summary as the title and its guide as
 * the description; the events' UIDs are seeded by indication, zones, start
 * (the texts the plan was asked with) and the plan's device, so that the
 * same plan asked again gives the same UIDs. stamp: DTSTAMP (seconds since
 * 1970, e.g. time(NULL) or SOURCE_DATE_EPOCH). Errors: those of
 * mn_ics_write (MN_EEXIST without force, MN_EINVAL, MN_EIO); MN_ENOMEM. */
mn_status mn_plan_ics_write(const char *path, const char *indication, const char *zones,
                            const char *start, const mn_course *course,
                            const mn_plan_session *ps, int64_t stamp, int force,
                            mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
