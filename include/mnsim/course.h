/* mnsim: a course of sessions, resolved against the catalogs, and its
 * safety check (floor: therapy).
 *
 * Thread safety: reentrant: a resolved course is only read by the functions that
 * simulate it and may be shared read-only between threads; results are the caller's
 * (distinct results in parallel). */
#ifndef MNSIM_COURSE_H
#define MNSIM_COURSE_H

#include <stddef.h>

#include "mnsim/channel.h"
#include "mnsim/compound.h"
#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/healing.h"
#include "mnsim/progress.h"
#include "mnsim/roll.h"
#include "mnsim/protocol.h"
#include "mnsim/rules.h"
#include "mnsim/skin.h"
#include "mnsim/zone.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A zone as the course uses it. */
typedef struct {
    const char *name;
    const char *site;
    int region;     /* mn_region */
    mn_skin skin;   /* layers for the person's sex */
    double area_m2;
    const double *x_m, *y_m; /* outline (zone chart), n points */
    size_t n;
} mn_course_zone;

/* Everything a course needs, resolved (names to structs). Pointers are
 * borrowed: a mn_course owns them (below). */
typedef struct {
    const mn_protocol *protocol;
    const mn_session *sessions;
    size_t n_sessions;
    const mn_device *devices;            /* one per session */
    const mn_course_zone *zones;
    size_t n_zones;
    size_t *const *session_zones;        /* per session: indices into zones */
    const size_t *n_session_zones;       /* per session: how many */
    const mn_rules *rules;
    const mn_depth_params *depth;
    const mn_heal_population *healing; /* may be NULL for a check only */
    const mn_channel_params *channel;  /* the channels' closure (healing) */
    /* per zone: the zone's own device in every session (the protocol's
     * zone_devices), or NULL for the session's; the array itself may be
     * NULL (every zone the session's device) */
    const mn_device *const *zone_devices;
} mn_course_input;

/* The device that treats zone z in session s: the zone's own device when it
 * has one, else the session's. */
const mn_device *mn_course_device(const mn_course_input *in, size_t s, size_t z);

/* 1 when some zone of the course has a device of its own. */
int mn_course_has_zone_devices(const mn_course_input *in);

/* A course resolved against the catalogs (mn_course_load of
 * mnsim/course_io.h, or built by a program): owns everything `in` points
 * to, and the catalogs the course was resolved with. */
typedef struct {
    mn_protocol protocol;
    mn_session *sessions;
    size_t n_sessions;
    mn_device *devices; /* per session */
    mn_course_zone *zones;
    size_t n_zones;
    mn_device *own_devices; /* the devices of zone_devices, one per key */
    size_t n_own_devices;
    const mn_device **zone_devices; /* per zone: into own_devices, or NULL */
    size_t **session_zones;
    size_t *n_session_zones;
    mn_rules rules;
    mn_depth_params depth;
    mn_device_list catalog;
    mn_site_list sites;
    mn_zone_list zone_list;
    mn_heal_data healing;
    mn_compound_catalog compounds; /* data/compounds.yaml */
    mn_channel_params channel;     /* data/channels.yaml */
    mn_strmap references;          /* the bibliography, key -> citation
                                      (empty when it is not installed) */
    mn_course_input in;
} mn_course;

/* Free everything a course owns (not c itself); c may be NULL. */
void mn_course_free(mn_course *c);

/* Hand force of a session (N): the protocol's explicit force or its
 * pressure level. */
double mn_course_force(const mn_course_input *in, size_t session);

/* Check a course against the rules: contraindications, needle limits for
 * the setting and indication (every device the course uses, a zone's own
 * included), intervals per zone (by the needles that zone gets), what the
 * penetration model says at each zone with its device (channels past the
 * dermis, numbing advised but not planned, bleeding at home), skin-type
 * cautions. Every finding goes to out with its rule and source. Errors only
 * for failures (MN_ENOMEM, a model error), not for findings. */
mn_status mn_course_check(const mn_course_input *in, mn_findings *out, mn_error *err);

/* ---- simulation ------------------------------------------------------ */

/* One zone in one session. */
typedef struct {
    int treated;              /* 0: the zone was not in this session */
    mn_roll_metrics roll;     /* where the needles landed */
    mn_depth_result depth;    /* how deep */
    mn_heal_dose dose;        /* what the healing model was given */
} mn_course_cell;

typedef struct {
    size_t n_samples;   /* virtual people per zone (0: median person only) */
    uint64_t seed;      /* overrides the protocol's seed when non-zero */
    mn_roll_metrics_opts metrics;
} mn_course_options;

/* Defaults: 100 virtual people, the protocol's seed, default metrics. */
void mn_course_options_default(mn_course_options *o);

typedef struct {
    size_t n_sessions, n_zones;
    mn_course_cell *cells;   /* n_sessions x n_zones, row per session */
    mn_roll_result first_roll; /* punctures of the first session (maps) */
    mn_roll_region *regions; /* per zone: the outline as rolled */
    mn_heal_result *heal;    /* per zone: the median person (n_days 0 when
                                the zone was never treated, or when another
                                zone holds its result: see heal_of) */
    mn_heal_band *band;      /* per zone: n_samples people, or NULL */
    size_t *heal_of;         /* per zone: the zone whose heal and band hold
                                its healing. Zones of one site treated in the
                                same sessions with the same devices share one
                                healing run, with their mean dose (their
                                densities differ only by chance). */
    mn_findings findings;    /* the safety check */
    uint64_t seed;
    size_t n_samples;
    long total_punctures;
} mn_course_result;

/* Simulate a course: the check, then for every session each zone rolled
 * (mnsim/roll.h) with its device (mn_course_device) and the depth of the
 * penetration model at that zone's site, then the healing of each zone
 * over 12 months (median person and n_samples virtual people). Progress
 * stages: "roll", "heal" (reaching 1.0 at its end). Most callers want the
 * whole pipeline: mnsim/course_run.h. Results are bit-identical for any
 * thread count. Errors: MN_EINVAL, MN_ENOMEM, MN_ENUMERIC, MN_ECANCEL. Free
 * with mn_course_result_free. */
mn_status mn_course_simulate(const mn_course_input *in, const mn_course_options *o,
                             const mn_progress *progress, mn_course_result *out,
                             mn_error *err);
/* Free what a result owns (not r itself); r may be NULL. */
void mn_course_result_free(mn_course_result *r);

#ifdef __cplusplus
}
#endif
#endif
