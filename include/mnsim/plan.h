/* mnsim: starting plans by indication and setting, and the session guide
 * (floor: therapy; read from data/plans.yaml by mnsim/plan_io.h).
 *
 * Thread safety: reentrant: calls on distinct objects may run in parallel, and const
 * inputs may be shared read-only between threads. */
#ifndef MNSIM_PLAN_H
#define MNSIM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/error.h"
#include "mnsim/protocol.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int indication; /* mn_indication */
    int setting;    /* mn_setting */
    char *device;
    char *pattern;
    long passes;
    long count;
    double interval_s;
    mn_topical anaesthetic;
    mn_topical serum;
    char *source;
} mn_plan;

typedef struct {
    mn_plan *items;
    size_t count;
} mn_plan_list;

/* Free what a list owns (not l itself); l may be NULL. */
void mn_plan_list_free(mn_plan_list *l);

/* The plan for an indication and setting; MN_ENOTFOUND says which exist. */
mn_status mn_plan_find(const mn_plan_list *l, int indication, int setting,
                       const mn_plan **out, mn_error *err);

/* Fill a protocol from a plan (deep copies; the caller clears p). */
mn_status mn_plan_to_protocol(const mn_plan *plan, int64_t start,
                              const mn_strings *zones, int sex, long fitzpatrick,
                              mn_protocol *p, mn_error *err);

/* The step-by-step guide of one session (malloc'd text; lines end in \n).
 * next_due is the date of the next session or MN_DATE_NONE. */
char *mn_plan_session_guide(const mn_protocol *p, int session, size_t n_sessions,
                            int64_t at, int64_t next_due);

/* One session of a plan's calendar. */
typedef struct {
    int64_t at;        /* the day (seconds, mnsim/date.h) */
    char *guide;       /* mn_plan_session_guide, with the next session's date */
    char summary[128]; /* a calendar title: "Microneedling 2/4 (acne scars)" */
} mn_plan_session;

/* The n sessions of a course of protocol p (dates from mn_protocol_sessions)
 * with their guides. *out (malloc'd) has n entries; free it with
 * mn_plan_sessions_free. Errors: MN_ENOMEM. */
mn_status mn_plan_sessions(const mn_protocol *p, const mn_session *sessions, size_t n,
                           mn_plan_session **out, mn_error *err);
/* Free n sessions from mn_plan_sessions and the array; s may be NULL. */
void mn_plan_sessions_free(mn_plan_session *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif
