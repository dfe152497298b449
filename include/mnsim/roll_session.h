/* mnsim: one rolling session as a user asks for it (floor: therapy): a
 * device rolled (stamped, pressed) with a named pattern over a zone, a group
 * of zones or a plain rectangle; the channel depth at each zone's skin site;
 * the metrics of each zone; the passes a target of density or coverage needs,
 * per zone and per named pattern. What `mnsim roll` computes, for any front
 * end.
 *
 * Lengths in m, angles in rad, densities in punctures per m^2. Functions fill
 * caller-owned structs, never print and touch no files. A session owns its
 * regions and rows (free with mn_roll_session_free); names and labels point
 * into the zone list or the strings the caller gave, which must outlive it.
 * Functions on different sessions may run in parallel; the model underneath
 * is OpenMP-parallel itself and bit-identical for any number of threads.
 *
 * Thread safety: reentrant on distinct sessions (see above). */
#ifndef MNSIM_ROLL_SESSION_H
#define MNSIM_ROLL_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/roll.h"
#include "mnsim/skin.h"
#include "mnsim/types.h"
#include "mnsim/zone.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- how the session is done -------------------------------------------- */

/* The choices of a session. NaN in a number means "the model's default"
 * (mn_roll_params_default, or none of the hand's imprecision with
 * no_jitter). */
typedef struct {
    const char *pattern;      /* a named pattern (mn_roll_pattern_name) */
    int passes;               /* total passes over each point, split evenly
                                 between the pattern's directions */
    int passes_per_direction; /* > 0: this many in each direction instead */
    int no_jitter;            /* 1: a perfect hand (mn_roll_params_no_jitter) */
    double overlap;           /* fraction of the stroke width, 0..0.9 */
    double lateral_jitter_m, along_jitter_m;
    double angle_jitter_rad;
    double slip;           /* fraction, 0..0.5 */
    double hand_speed_m_s; /* pens */
    int random_phase;      /* 1: the drum's angle at a stroke's start is random */
    double phase_rad;      /* the drum's angle when random_phase is 0 */
    uint64_t seed;
} mn_roll_setup;

/* Defaults: pattern "vertical-then-horizontal" (the seed's instructions),
 * 15 passes, the default hand (all numbers NaN), random phase, seed 1. */
void mn_roll_setup_default(mn_roll_setup *s);

/* The model's parameters for a setup: defaults, then what the setup gives,
 * the pattern made with its passes. Errors: MN_ENOTFOUND for an unknown
 * pattern (the message lists the names), MN_ERANGE when the passes in all
 * exceed MN_ROLL_MAX_PASSES ("at most 400 passes in all"), MN_EINVAL from
 * mn_roll_params_validate (naming the field). */
mn_status mn_roll_setup_params(const mn_roll_setup *s, mn_roll_params *out,
                               mn_error *err);

/* ---- where: the zones of a session -------------------------------------- */

/* One treated region of a session and what was found for it. */
typedef struct {
    const char *name;           /* the zone's name, or "area" */
    const char *label;          /* may be NULL */
    const char *site;           /* skin site of the depth */
    int punctured;              /* 0: the device does not puncture the skin there */
    double depth_m, depth_sd_m; /* mean channel depth and its SD (0 when not
                                   punctured) */
    double width_m;             /* channel width at the surface */
    double hit_radius_m;        /* channels closer than this coincide */
    mn_roll_metrics metrics;    /* after mn_roll_session_metrics */
    int passes_needed;          /* after mn_roll_session_targets: total passes
                                   to the target, -1 not reached; 0 not asked */
    double achieved;            /* the metric at passes_needed (NaN: not asked) */
} mn_roll_zone_row;

typedef struct {
    const char *where; /* the zone or group named, or "area" */
    const char *label; /* label of that zone or group (NULL for an area) */
    size_t count;
    mn_roll_region *regions; /* count outlines, for mn_roll_simulate */
    mn_roll_zone_row *zones; /* count rows, in the same order */
    double *outline;         /* owned: a rectangle's corners (x0..3, y0..3) */
} mn_roll_session;

/* A session over a zone or a group of zones of zl (name as for
 * mn_zones_select). site: the skin site for every zone (NULL: each zone's
 * own). Errors: MN_ENOTFOUND listing the names, MN_ENOMEM. On error *out is
 * empty. */
mn_status mn_roll_session_zones(const mn_zone_list *zl, const char *name,
                                const char *site, mn_roll_session *out, mn_error *err);

/* The size of a rectangle as people write it: "200 mm x 150 mm",
 * "20 x 15 cm" (the first side takes the second's unit), "20x15cm" (x, X
 * or *), into width and height in m, each 1 mm to 10 m. Errors: MN_EINVAL
 * saying what is accepted. */
mn_status mn_roll_area_parse(const char *text, double *width_m, double *height_m,
                             mn_error *err);

/* A session over a rectangle of width_m x height_m with its lower left
 * corner at the origin, as one region named "area". label describes it
 * (e.g. the text the user gave); site: its skin site (NULL: "cheek").
 * Errors: MN_EINVAL for a side that is not positive, MN_ENOMEM. */
mn_status mn_roll_session_area(double width_m, double height_m, const char *label,
                               const char *site, mn_roll_session *out, mn_error *err);

/* The penetration of device d pressed with force_n (N) at the site of zone
 * k, for a person of sex sex: sets the zone's row (punctured, depth, width)
 * and its region's channel depth. Errors: MN_ENOTFOUND (site), MN_EINVAL
 * (k, skin values), and those of mn_depth_compute. */
mn_status mn_roll_session_depth(mn_roll_session *s, size_t k, const mn_site_list *sites,
                                mn_sex sex, const mn_device *d,
                                const mn_depth_params *dp, double force_n,
                                mn_error *err);

/* The metrics of every zone of a simulated session (r from mn_roll_simulate
 * over s->regions), one zone after the other, with o's grid and coverage
 * radius. Two channels coincide when their centres are closer than
 * hit_radius_m, or, when it is NaN, than the zone's channel width at the
 * surface (0.1 mm where the needles do not puncture). Resets the targets
 * (passes_needed 0, achieved NaN). Errors: those of mn_roll_metrics_compute. */
mn_status mn_roll_session_metrics(mn_roll_session *s, const mn_roll_result *r,
                                  const mn_roll_metrics_opts *o, double hit_radius_m,
                                  mn_error *err);

/* The passes each zone needs (mn_roll_passes_needed with p's directions) to
 * reach a target (kind mn_roll_target: a density in m^-2 or a coverage
 * fraction with o's coverage radius), at most max_passes. Each answer is
 * several full simulations. Errors: those of mn_roll_passes_needed. */
mn_status mn_roll_session_targets(mn_roll_session *s, const mn_device *d,
                                  const mn_roll_params *p,
                                  const mn_roll_metrics_opts *o, int kind,
                                  double target, int max_passes, mn_error *err);

/* The passes the named pattern number `pattern` (mn_roll_pattern_name)
 * needs so that every zone of s reaches the target: the most any zone
 * needs, -1 when a zone does not reach it in max_passes; *achieved the
 * metric of the zone that decided it. p gives the hand; its pattern is
 * replaced. Errors: MN_ENOTFOUND, and those of mn_roll_passes_needed. */
mn_status mn_roll_session_pattern_need(const mn_roll_session *s, const mn_device *d,
                                       const mn_roll_params *p, size_t pattern,
                                       const mn_roll_metrics_opts *o, int kind,
                                       double target, int max_passes, int *passes,
                                       double *achieved, mn_error *err);

/* The session as a whole (after mn_roll_session_metrics). */
typedef struct {
    double area_m2;
    size_t punctures;
    double depth_mean_m;     /* over all punctures; NaN when there are none */
    double density_per_pass; /* what the device leaves in one pass, on average */
    double density_expected; /* density_per_pass x the pattern's passes */
} mn_roll_totals;

/* Totals of a session with metrics (mn_roll_session_metrics), for device d
 * rolled with p. */
void mn_roll_session_totals(const mn_roll_session *s, const mn_device *d,
                            const mn_roll_params *p, mn_roll_totals *out);

/* Radius (m) to draw the channels of a puncture map with: half the first
 * zone's channel width, at least 0.05 mm; 0 (the map's default) where the
 * needles do not puncture. */
double mn_roll_session_map_radius(const mn_roll_session *s);

/* Free what a session owns (not s itself); s may be NULL. */
void mn_roll_session_free(mn_roll_session *s);

/* Skin area (m^2) of group g of zl: the sum of its zones' areas. */
double mn_zone_group_area(const mn_zone_list *zl, size_t g);

#ifdef __cplusplus
}
#endif
#endif
