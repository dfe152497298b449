/* mnsim: what the creams of a course do (floor: therapy): the anaesthetic on
 * intact skin before a session (time to numbness against the time it is
 * left on) and the serum over the fresh channels after it (amount past the
 * stratum corneum, enhancement over intact skin), by the transport model
 * (mnsim/deliver.h) for every distinct case of the course.
 *
 * A case is one compound on one skin site with one kind of channel: the
 * anaesthetic once per site; the serum once per device (a zone's own where
 * it has one), site and channel
 * depth, at the area-weighted mean channel density the roll produced in
 * the sessions and zones it stands for.
 *
 * Thread safety: reentrant on distinct results: the course is only read; the
 * delivery cases run in parallel themselves (OpenMP), and the progress callback is
 * called one call at a time, possibly from a worker thread. */
#ifndef MNSIM_COURSE_DELIVER_H
#define MNSIM_COURSE_DELIVER_H

#include <stddef.h>

#include "mnsim/course.h"
#include "mnsim/deliver.h"
#include "mnsim/error.h"
#include "mnsim/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_APPLY_ANAESTHETIC = 0, MN_APPLY_SERUM } mn_apply_role;

/* "anaesthetic" or "serum". */
const char *mn_apply_role_name(int role);

typedef struct {
    int role; /* mn_apply_role */
    const mn_compound *compound;
    double concentration_kg_m3;
    size_t zone;          /* first zone of the case (course index) */
    const char *site;     /* points into the course */
    const char *device;   /* serum: the device; NULL: intact skin */
    size_t first_session; /* 0-based */
    size_t n_sessions;    /* sessions the case stands for */
    size_t n_cells;       /* (session, zone) pairs */
    double contact_s;     /* how long the cream stays on */
    int occluded;
    double channel_depth_m;  /* 0: no channels (intact skin) */
    double channel_radius_m; /* at the surface */
    double density_per_m2;   /* channels per area */
    double sc_open_fraction; /* needles that stop inside the stratum corneum:
                                the share of it they disrupt (as mnsim
                                deliver: mn_deliver_sc_open_fraction) */
    int merged;              /* channels wider than their spacing: radius cut */
    int numb_in_time;        /* anaesthetic: numb before it comes off */
    mn_deliver_result res;
    mn_status status; /* MN_OK, or why the case could not be run */
    /* Why, whole: room for an mn_error's message and the case it is about. */
    char message[MN_ERROR_MSG_MAX + 256];
} mn_course_delivery;

typedef struct {
    mn_course_delivery *items;
    size_t count;
    int grid;       /* mn_grid_level used */
    double seconds; /* wall time of the stage */
} mn_course_deliveries;

typedef struct {
    int grid;         /* mn_grid_level (default coarse) */
    int threads;      /* cases run side by side (0: OpenMP default) */
    size_t n_samples; /* samples of each time series (default 60) */
} mn_course_deliver_opts;

/* Defaults: the coarse grid, 60 samples, threads 0 (OpenMP's default). */
void mn_course_deliver_opts_default(mn_course_deliver_opts *o);

/* Run every case of the course c with the simulation r (its rolls and
 * depths). Findings of the stage are added to r->findings (rules
 * "numbing-too-short", "serum-into-dermis" of data/rules.yaml when they
 * exist there). progress (may be NULL) is called from one thread at a time
 * as cases finish and may cancel. Results do not depend on the number of
 * threads. A course without anaesthetic or serum gives no cases. Errors:
 * MN_ENOMEM, MN_ECANCEL, and MN_EINVAL/MN_ENUMERIC of a case (message
 * names it). */
mn_status mn_course_deliver(const mn_course *c, mn_course_result *r,
                            const mn_course_deliver_opts *o,
                            const mn_progress *progress, mn_course_deliveries *out,
                            mn_error *err);
/* Free what the delivery cases own (not d itself); d may be NULL. */
void mn_course_deliveries_free(mn_course_deliveries *d);

#ifdef __cplusplus
}
#endif
#endif
