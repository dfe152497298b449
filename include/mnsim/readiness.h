/* mnsim: when each zone may be treated again, from the sessions a person
 * has had (floor: therapy).
 *
 * The input is a person's history: the sessions as recorded (by the
 * treatment journal, mnsim/journal.h, or any other record), the devices
 * used and the last follow-up. From it and the interval rules of
 * data/rules.yaml (mnsim/rules.h): for each zone its last session and
 * needle and the day the next one is due; warnings for sessions that came
 * too soon after the one before on the same zone, sessions dated after
 * today, a last follow-up that says the skin had not healed, devices used
 * past their replacement count. From the healing model run over the same
 * sessions (a course simulated by mnsim/course.h): when each zone's skin
 * should be ready again, whether it was overtreated, and the model's
 * warnings. Every front end shows the same "next session" per zone.
 *
 * Times are seconds since 1970 (mnsim/date.h); needle lengths are in mm as
 * recorded (the journal stores them so). Pure: no files, no printing.
 * Thread-safe on distinct arguments.
 *
 * Thread safety: reentrant on distinct arguments (see above). */
#ifndef MNSIM_READINESS_H
#define MNSIM_READINESS_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/rules.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the history --------------------------------------------------------- */

/* A session as recorded. Sessions without a time, needle length or zones
 * are kept (they count towards a device's uses) but have no zone. */
typedef struct {
    int64_t id;
    int64_t at;              /* MN_DATE_NONE when not recorded or unreadable */
    char *at_text;           /* as recorded ("2027-01-04T10:00"), or NULL */
    double needle_length_mm; /* NaN when not recorded */
    char *zones;             /* comma-separated zone names, or NULL */
    char *device;            /* the device's code, or NULL */
} mn_recorded_session;

/* A device with a replacement count. */
typedef struct {
    char *code;    /* NULL: not known by code (not counted) */
    long max_uses; /* -1: no replacement count */
} mn_recorded_device;

/* A person's history; owns everything (free with mn_history_free). */
typedef struct {
    mn_recorded_session *sessions; /* oldest first */
    size_t n_sessions;
    mn_recorded_device *devices;
    size_t n_devices;
    int followup_not_healed; /* the last follow-up says the skin had not healed */
    char *followup_at;       /* the time of that follow-up as recorded, or NULL */
} mn_history;

/* Free what a history owns (not h itself); h may be NULL. */
void mn_history_free(mn_history *h);

/* ---- when each zone is due ------------------------------------------------ */

#define MN_READINESS_MAX_ZONES 64

/* What a warning is about: the sessions' dates and intervals, their care
 * (follow-ups, devices), or the healing model. Front ends that show the
 * zones' table between them print them in this order. */
typedef enum { MN_READY_SESSIONS = 0, MN_READY_CARE, MN_READY_HEALING } mn_ready_stage;

typedef struct {
    int severity; /* mn_severity */
    int stage;    /* mn_ready_stage */
    char message[1024];
} mn_ready_warning;

/* A zone: its last session and when the next is due. */
typedef struct {
    char zone[64];
    int sessions;    /* recorded on this zone */
    int64_t last_at; /* the last one */
    int64_t last_id;
    double last_needle_mm;        /* its needle */
    double min_interval_s;        /* what the rules ask after it (0: no rule) */
    const mn_interval_rule *rule; /* the rule that asks it (in the rules), or NULL */
    int64_t next_due;             /* the later of the rules' date (last_at +
                                     min_interval_s) and, once the healing
                                     model has run, the skin's recovery */
    int64_t rules_due;            /* last_at + min_interval_s */
    int64_t skin_recovered;       /* the healing model's recovery of this
                                     zone (MN_DATE_NONE: not run) */
    int due_by_healing;           /* 1: the skin's recovery is the later */
    double wait_days;             /* from now to next_due; <= 0: due now */
} mn_zone_due;

/* A zone as the healing model sees it. */
typedef struct {
    char *zone;
    int64_t skin_ready; /* when the skin should be ready again */
    int healed;         /* skin_ready <= now */
    double overtreatment_index;
    int overtreated;
} mn_zone_healing;

typedef struct {
    int64_t now;
    mn_zone_due *zones; /* in the order first treated */
    size_t n_zones;     /* at most MN_READINESS_MAX_ZONES (more are left out) */
    mn_zone_healing *healing;
    size_t n_healing;
    mn_ready_warning *warnings; /* in the order found, stage by stage */
    size_t n_warnings;
} mn_readiness;

/* When each zone of a history is due at time `now`, by the interval rules
 * (a zone's region is that of the site its name names, without a left- or
 * right- prefix or a plural s; else the face), and the warnings of the
 * sessions and their care. The rules must outlive *out (zones point at
 * them). Errors: MN_ENOMEM. Free *out with mn_readiness_free (also after
 * an error). */
mn_status mn_readiness_compute(const mn_history *h, const mn_rules *rules,
                               const mn_site_list *sites, int64_t now,
                               mn_readiness *out, mn_error *err);

/* Add the healing model's view of the same sessions: course is the
 * history as a course (its sessions dated, its zones resolved), result its
 * simulation. Each zone's skin-ready time is the first session's time plus
 * the last session's recovery; the model's findings of sessions before the
 * skin was ready ("not-ready") and of overtreatment become warnings. One
 * view of readiness: a zone of the rules' table with the same name is due
 * at the later of the rules' date and the skin's recovery (due_by_healing
 * says which), so the two can never name different days. Errors:
 * MN_ENOMEM. */
mn_status mn_readiness_add_healing(mn_readiness *r, const mn_course_input *course,
                                   const mn_course_result *result, mn_error *err);

/* Free what a readiness owns (not r itself). */
void mn_readiness_free(mn_readiness *r);

#ifdef __cplusplus
}
#endif
#endif
