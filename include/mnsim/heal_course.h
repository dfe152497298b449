/* mnsim: a course of one device at one site through the healing model, as
 * `mnsim heal` runs it (floor: therapy).
 *
 * The sessions are given as dates or as a number of sessions at an
 * interval (a schedule). Every session does the same injury: passes x the
 * device's punctures per pass, at the depth the penetration model gives for
 * the site and force (mnsim/depth.h). The course is simulated for the
 * median person and, if asked, for virtual people (mnsim/healing.h), and
 * its warnings (no puncture, channels past the dermis, sessions before the
 * skin had recovered, overtreatment, hyperpigmentation risk) are written
 * out in words, so that every front end says the same.
 *
 * Units: times in days (as in the healing model), dates as day numbers
 * (days since 1970-01-01, mnsim/date.h), the injury in the units it is
 * shown in (per cm^2, um; see mn_heal_injury). Pure: no files, no printing.
 * Every function is thread-safe on distinct arguments.
 *
 * Thread safety: reentrant on distinct arguments (see above). */
#ifndef MNSIM_HEAL_COURSE_H
#define MNSIM_HEAL_COURSE_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/channel.h"
#include "mnsim/error.h"
#include "mnsim/healing.h"
#include "mnsim/progress.h"
#include "mnsim/skin.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MN_HEAL_MAX_SESSIONS 200
/* The months at which results are summarised: 1, 3, 6 and 12. */
#define MN_HEAL_N_MILESTONES 4
extern const double mn_heal_milestone_months[MN_HEAL_N_MILESTONES];

/* ---- the schedule ---------------------------------------------------- */

typedef struct {
    double t_days[MN_HEAL_MAX_SESSIONS]; /* after the first session, increasing */
    size_t n;                            /* 1..MN_HEAL_MAX_SESSIONS */
    int64_t first_day; /* day number of the first session, or -1: undated
                          (a date before 1970 counts as undated) */
    int from_dates;    /* 1 when given as a list of dates */
} mn_heal_schedule;

/* Sessions on a comma-separated list of dates ("2027-01-04,2027-02-01";
 * blanks after a comma allowed), each YYYY-MM-DD and later than the one
 * before. Errors (MN_EINVAL, the message names the date): not a date, not
 * after the one before, more than MN_HEAL_MAX_SESSIONS, none, the text
 * longer than 4095 characters. */
mn_status mn_heal_schedule_dates(const char *dates, mn_heal_schedule *out,
                                 mn_error *err);

/* n sessions (1..MN_HEAL_MAX_SESSIONS) every interval_days (1 hour to 2
 * years), the first on day number first_day (-1: undated). Errors:
 * MN_ERANGE naming the value out of range. */
mn_status mn_heal_schedule_every(long n, double interval_days, int64_t first_day,
                                 mn_heal_schedule *out, mn_error *err);

/* Whether the last session falls within `months` simulated months (the
 * last day is left for its recovery). MN_ERANGE: "the last session (day D)
 * is beyond the M months simulated". */
mn_status mn_heal_schedule_fits(const mn_heal_schedule *s, long months, mn_error *err);

/* The schedule in words: "4 sessions 28 days apart", "1 session", "3
 * sessions on the dates given". buf gets at most n bytes; returns buf. */
char *mn_heal_schedule_describe(const mn_heal_schedule *s, char *buf, size_t n);

/* ---- the injury of a session ------------------------------------------- */

/* What one session does to the skin. The density and depths are kept in
 * the units they are shown in: the healing model's dose (SI) is made from
 * them by mn_heal_injury_dose. */
typedef struct {
    double force_n;            /* total force on the device, N */
    int punctured;             /* 0: the force cannot puncture the skin */
    int disrupted;             /* 1: the needles stop inside the stratum
                                  corneum (barrier only, no wound) */
    int layer;                 /* deepest layer reached (mn_layer) */
    int beyond_dermis;         /* some channels may pass the dermis */
    double channels_per_cm2;   /* passes x punctures per pass; 0 when unpunctured */
    double depth_um;           /* mean channel depth (0 when unpunctured) */
    double dermis_depth_um;    /* length of the channel inside the dermis */
    double capillary_fraction; /* share of channels reaching the capillary loops */
} mn_heal_injury;

/* The injury of `passes` passes of a device over a skin at a total force
 * (N), from the penetration model. Errors: those of mn_depth_compute. */
mn_status mn_heal_injury_compute(const mn_device *dev, const mn_skin *skin,
                                 const mn_depth_params *params, double force_n,
                                 long passes, mn_heal_injury *out, mn_error *err);

/* The healing model's dose of an injury at t_days. */
mn_heal_dose mn_heal_injury_dose(const mn_heal_injury *inj, double t_days);

/* ---- the course -------------------------------------------------------- */

typedef struct {
    const mn_heal_schedule *schedule;
    const mn_heal_injury *injury;     /* the same every session */
    int fitzpatrick;                  /* skin phototype 1..6 */
    long months;                      /* simulated after the first session */
    size_t n_samples;                 /* virtual people (0: the median person only) */
    uint64_t seed;                    /* picks the virtual people */
    const mn_channel_params *channel; /* the channels' closure (the barrier) */
} mn_heal_course_spec;

typedef struct {
    mn_heal_dose doses[MN_HEAL_MAX_SESSIONS]; /* what the model was given */
    mn_heal_result result;                    /* the median person */
    mn_heal_band band;   /* n_samples virtual people; all zero when none */
    int has_band;        /* n_samples > 0 */
    mn_strings warnings; /* one line each, in the order to show them */
} mn_heal_outcome;

/* Simulate a course for the population's median person and n_samples
 * virtual people (progress, may be NULL, as mn_heal_ensemble), then write
 * its warnings. Errors: those of mn_heal_simulate and mn_heal_ensemble,
 * MN_ENOMEM. Free *out with mn_heal_outcome_free, also after an error. */
mn_status mn_heal_course_run(const mn_heal_population *pop,
                             const mn_heal_course_spec *spec,
                             const mn_progress *progress, mn_heal_outcome *out,
                             mn_error *err);
/* Free what an outcome owns (not o itself). */
void mn_heal_outcome_free(mn_heal_outcome *o);

/* ---- reading the results --------------------------------------------- */

/* An output of a band's daily series (p5, p50 or p95: n_days x
 * MN_HEAL_NOUT) at any time, linearly interpolated; NaN for no series or a
 * time outside it. */
double mn_heal_band_at(const double *series, size_t n_days, int out, double t_days);

/* The median person's outputs, day by day: n_days x MN_HEAL_NOUT
 * (malloc'd; NULL when out of memory). */
double *mn_heal_daily_outputs(const mn_heal_params *p, const mn_heal_result *r);

/* The phototype in Roman numerals ("I".."VI"), "?" outside 1..6. */
const char *mn_heal_phototype_name(long fitzpatrick);

#ifdef __cplusplus
}
#endif
#endif
