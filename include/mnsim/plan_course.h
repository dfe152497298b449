/* mnsim: a starting plan made a course with the data directory's catalogs
 * and rules, and checked, as `mnsim plan` offers it (floor: data). The
 * plans are read by mnsim/plan_io.h; the session guide is in mnsim/plan.h.
 *
 * Thread safety: reentrant: each call reads the data directory into the caller's
 * objects. */
#ifndef MNSIM_PLAN_COURSE_H
#define MNSIM_PLAN_COURSE_H

#include <stdint.h>

#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a person asks a plan for. */
typedef struct {
    int indication;          /* mn_indication */
    int setting;             /* mn_setting */
    const mn_strings *zones; /* zone or group names */
    int64_t start;           /* the first session (seconds, mnsim/date.h) */
    int sex;                 /* mn_sex */
    long fitzpatrick;        /* 1..6, or -1 when not known */
    const char *device;      /* a device instead of the plan's, or NULL */
} mn_plan_request;

/* The starting plan for a request as a course: the plan of
 * data_dir/plans.yaml for the indication and setting made a protocol
 * (mn_plan_to_protocol), its device replaced when asked, resolved against
 * data_dir (mn_course_resolve) and checked against the safety rules
 * (mn_course_check). The findings go to *findings (the caller frees them):
 * a plan with findings of error severity must not be offered. *source
 * (malloc'd) gets the published course the plan follows.
 * Errors: those of mn_plans_load and mn_plan_find (in err only), of
 * mn_course_resolve (every problem in diags, the first in err), of
 * mn_course_check; MN_ENOMEM. Free the course with mn_course_free and
 * *source with free, also after an error. Not thread-safe for the same
 * course. */
mn_status mn_plan_course(const char *data_dir, const mn_plan_request *req,
                         mn_course *course, char **source, mn_findings *findings,
                         mn_diags *diags, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
