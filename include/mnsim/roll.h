/* mnsim: rolling, stamping and pen strokes: where the needles land, how
 * dense and even the channels are, and the patterns that place them
 * (floor: model; structs in, structs out; no I/O, never prints).
 *
 * Coordinates are in m in the plane of the skin (x to the right, y up of
 * a zone chart; data/zones.yaml). A stroke moves the device along a line;
 * every needle that reaches the skin leaves one puncture, whose depth is
 * drawn from a normal distribution (mean and between-channel SD given by
 * the caller, e.g. from mn_depth_compute) truncated at 0. Randomness comes
 * from Philox streams keyed by (seed, "roll", zone, stroke), so results are
 * bit-identical for any number of threads. The model: docs/model.md,
 * "Rolling".
 *
 * Thread safety: reentrant on distinct results; devices, regions and parameters are
 * only read; the simulation and metrics are OpenMP-parallel themselves. */
#ifndef MNSIM_ROLL_H
#define MNSIM_ROLL_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MN_ROLL_MAX_DIRS 8      /* directions in a pattern */
#define MN_ROLL_MAX_PASSES 400  /* total passes of a session */

/* ---- patterns ----------------------------------------------------------- */

/* Directions of strokes, as angles from the +x axis of the zone chart. */
#define MN_ROLL_HORIZONTAL 0.0
#define MN_ROLL_VERTICAL 1.57079632679489661923
#define MN_ROLL_DIAGONAL 0.78539816339744830962      /* up and to the right */
#define MN_ROLL_ANTIDIAGONAL 2.35619449019234492885  /* up and to the left */

/* A pattern: directions done one after the other, each with its number of
 * passes. One pass covers the zone once with parallel strokes. */
typedef struct {
    int n_dirs;
    double angle_rad[MN_ROLL_MAX_DIRS];
    int passes[MN_ROLL_MAX_DIRS];
} mn_roll_pattern;

/* Number of named patterns, and the name and a one-line description of
 * pattern i ("vertical", "vertical-then-horizontal", "four-direction",
 * ...); NULL when i is out of range. */
size_t mn_roll_pattern_count(void);
/* Name of pattern i, or NULL. */
const char *mn_roll_pattern_name(size_t i);
/* One-line description of pattern i, or NULL. */
const char *mn_roll_pattern_help(size_t i);

/* Make a named pattern with total_passes passes in all, split as evenly as
 * possible between its directions in order (the first directions get the
 * remainder). Errors: MN_ENOTFOUND for an unknown name (the message lists
 * the names), MN_EINVAL when total_passes is outside 1..MN_ROLL_MAX_PASSES. */
mn_status mn_roll_pattern_make(const char *name, int total_passes,
                               mn_roll_pattern *out, mn_error *err);

/* The same directions as shape with total_passes split as above. */
mn_status mn_roll_pattern_rescale(const mn_roll_pattern *shape, int total_passes,
                                  mn_roll_pattern *out, mn_error *err);

/* Total passes of a pattern (sum over its directions). */
int mn_roll_pattern_total(const mn_roll_pattern *p);

/* Name of a direction angle ("vertical", "horizontal", "diagonal",
 * "antidiagonal"), or "other". */
const char *mn_roll_direction_name(double angle_rad);

/* ---- parameters --------------------------------------------------------- */

/* How a session is done. Lengths in m, angles in rad. The hand's
 * imprecision is parameterised; mn_roll_params_default sets the values
 * described in docs/model.md (assumptions, not measurements). */
typedef struct {
    mn_roll_pattern pattern;
    double overlap;          /* fraction of the stroke width shared by
                                adjacent strokes of a pass, 0..0.9 */
    double lateral_jitter_m; /* SD of each stroke's sideways position */
    double along_jitter_m;   /* SD of where each stroke starts and ends */
    double angle_jitter_rad; /* SD of each stroke's direction */
    int random_pass_offset;  /* 1: each pass starts its strokes at a random
                                sideways offset (uniform over one stroke
                                spacing); 0: aligned with the zone's edge */
    int random_phase;        /* 1: drum angle (stamp position) at stroke start
                                uniform; 0: phase_rad */
    double phase_rad;        /* used when random_phase is 0 */
    double slip;             /* mean slip: travel per drum turn = pi D (1+slip) */
    double slip_sd;          /* SD of the slip between strokes */
    double ring_stagger;     /* angular offset of ring i+1 from ring i, as a
                                fraction of the needle pitch around the drum */
    double stamp_jitter_m;   /* stamps, pens: SD of each stamp's position */
    double hand_speed_m_s;   /* pens: speed of the hand along a stroke */
    double depth_mean_m;     /* mean channel depth */
    double depth_sd_m;       /* between-channel SD of the depth */
    uint64_t seed;
} mn_roll_params;

/* Defaults: pattern vertical x 1, no overlap, lateral and along jitter
 * 2 mm, angle jitter 2 deg, random pass offset and phase, no slip, no ring
 * stagger, stamp jitter 0.5 mm, pen speed 20 mm/s, depth 0 +/- 0, seed 1. */
void mn_roll_params_default(mn_roll_params *p);

/* Remove the hand's imprecision: no lateral, along, angle or stamp jitter,
 * no pass offset, no slip. The drum phase stays random (a roller is never
 * put down at the same angle twice). */
void mn_roll_params_no_jitter(mn_roll_params *p);

/* Check parameters (ranges as in docs/cli.md). MN_EINVAL naming the field. */
mn_status mn_roll_params_validate(const mn_roll_params *p, mn_error *err);

/* ---- geometry ----------------------------------------------------------- */

/* Signed area of a polygon (m^2, positive when counter-clockwise). */
double mn_roll_polygon_area(const double *x, const double *y, size_t n);

/* 1 if (px, py) is inside the polygon (even-odd rule). */
int mn_roll_point_in_polygon(const double *x, const double *y, size_t n,
                             double px, double py);

/* Check an outline: at least 3 vertices, finite, no two edges crossing,
 * area > 0. MN_EINVAL with what is wrong. */
mn_status mn_roll_polygon_check(const double *x, const double *y, size_t n,
                                mn_error *err);

/* A treated area: an outline (m) and, optionally, its own channel depth
 * (NaN: the session's depth_mean_m / depth_sd_m). name keys the random
 * streams, so a zone gives the same punctures alone or in a group. */
typedef struct {
    const char *name;
    const double *x_m, *y_m;
    size_t n;
    double depth_mean_m, depth_sd_m;
} mn_roll_region;

/* ---- punctures ---------------------------------------------------------- */

/* One stroke as it was done (after the hand's jitter). */
typedef struct {
    double x0_m, y0_m;    /* where the device's centre line starts */
    double ux, uy;        /* unit direction of travel */
    double length_m;      /* travel */
    double phase_rad;     /* drum angle (roller) at the start */
    double slip;
    uint32_t region, pass, dir; /* pass: 0-based within the region */
    double dir_angle_rad;       /* the pattern's direction (before jitter) */
    size_t first, count;  /* its punctures */
} mn_roll_stroke;

/* Punctures of a session, struct of arrays in stroke order (each region's
 * strokes are consecutive and in pass order). stroke[i] indexes strokes;
 * needle[i] is the needle's index on the device (roller: ring *
 * needles_per_ring + position in the ring). */
typedef struct {
    size_t count;
    double *x_m, *y_m, *depth_m;
    uint32_t *stroke, *needle;
    mn_roll_stroke *strokes;
    size_t n_strokes;
    size_t n_regions;
    size_t *region_first;        /* n_regions + 1 puncture offsets */
    size_t *region_stroke_first; /* n_regions + 1 stroke offsets */
    int passes;                  /* total passes of the pattern */
    uint64_t seed;
} mn_roll_result;

/* Simulate a session: every region rolled (stamped) with the pattern.
 * Strokes of a pass are parallel lines spaced by the device's width times
 * (1 - overlap), fitted to the outline; punctures outside the outline are
 * not kept. OpenMP over strokes; bit-identical for any thread count.
 * progress (may be NULL) is called between regions and may cancel
 * (MN_ECANCEL). Errors: MN_EINVAL (device not valid for rolling,
 * parameters, outline), MN_ERANGE (more than 2^32 strokes or punctures),
 * MN_ENOMEM. On error *out is empty; free with mn_roll_result_free. */
mn_status mn_roll_simulate(const mn_device *d, const mn_roll_region *regions,
                           size_t n_regions, const mn_roll_params *p,
                           const mn_progress *progress, mn_roll_result *out,
                           mn_error *err);

/* Free what a result owns (not r itself). */
void mn_roll_result_free(mn_roll_result *r);

/* One free stroke, not clipped by any outline: the device's centre line
 * starts at (x0, y0) (m), heads at angle_rad from +x and travels length_m.
 * The hand jitter of p (lateral, along, angle, slip, phase, stamp) applies.
 * Streams are keyed (seed, "roll", stream_a, stream_b). Punctures are
 * appended to out (which may be a zeroed mn_roll_result; one stroke record
 * is appended too, region 0). Errors: MN_EINVAL, MN_ENOMEM. */
mn_status mn_roll_stroke_run(const mn_device *d, const mn_roll_params *p,
                             double x0_m, double y0_m, double angle_rad,
                             double length_m, uint64_t stream_a,
                             uint64_t stream_b, mn_roll_result *out,
                             mn_error *err);

/* Punctures per unit area (m^-2) one pass leaves on average: roller
 * N / (pi D W (1 - overlap)) with W the drum width; stamp 1/p^2/(1-overlap);
 * pen N / (width x speed / frequency) / (1 - overlap). NaN if invalid. */
double mn_roll_density_per_pass(const mn_device *d, const mn_roll_params *p);

/* Width of the band one stroke covers (m): drum width, stamp rows x pitch,
 * pen footprint across. */
double mn_roll_stroke_width(const mn_device *d);

/* ---- metrics ------------------------------------------------------------ */

enum {
    MN_ROLL_M_DENSITY = 1,   /* mean, CV on the grid */
    MN_ROLL_M_COVERAGE = 2,  /* coverage and coverage after each pass */
    MN_ROLL_M_NEIGHBOURS = 4,/* nearest neighbours, earlier-channel hits */
    MN_ROLL_M_DEPTH = 8,     /* depth mean, SD */
    MN_ROLL_M_ALL = 15
};

typedef struct {
    unsigned what;          /* MN_ROLL_M_* bits; 0 means all */
    double grid_m;          /* density grid cell (default 1 mm) */
    double coverage_radius_m; /* a point is covered within this distance of
                                 a channel (default 0.5 mm) */
    double hit_radius_m;    /* a puncture hits an earlier channel when
                               closer than this (default 0.1 mm) */
} mn_roll_metrics_opts;

/* Defaults: all metrics, 1 mm grid, coverage radius 0.5 mm, hit radius 0.1 mm. */
void mn_roll_metrics_opts_default(mn_roll_metrics_opts *o);

/* Metrics of one region. Lengths in m, densities in m^-2. Entries not
 * computed are NaN. */
typedef struct {
    double area_m2;
    size_t punctures;
    int passes;
    double density_mean;     /* punctures / area */
    double density_cv;       /* SD / mean of the counts in grid cells whose
                                centre is inside the outline */
    size_t grid_cells;
    double coverage;         /* fraction of the area within coverage_radius
                                of a channel */
    double coverage_by_pass[MN_ROLL_MAX_PASSES]; /* after pass 1, 2, ... */
    double nn_mean_m;        /* mean distance to the nearest other channel */
    double nn_p05_m;         /* its 5th percentile */
    double nn_along_m;       /* mean |component| along the channel's stroke */
    double nn_across_m;      /* mean |component| across it */
    double nn_anisotropy;    /* 0: nearest neighbours in all directions
                                alike; 1: all along one axis */
    double nn_axis_rad;      /* that axis, from +x, in [0, pi) */
    double hit_fraction;     /* punctures within hit_radius of a channel of
                                an earlier stroke */
    double depth_mean_m, depth_sd_m;
} mn_roll_metrics;

/* Metrics of region `region` of a simulated session (reg must be the same
 * outline that was simulated). Density on a grid_m grid, coverage on a
 * grid of coverage_radius/5 (at most 0.1 mm), nearest neighbours by a
 * uniform grid hash; OpenMP where it pays, results independent of the
 * thread count. Errors: MN_EINVAL, MN_ENOMEM. */
mn_status mn_roll_metrics_compute(const mn_roll_result *r, size_t region,
                                  const mn_roll_region *reg,
                                  const mn_roll_metrics_opts *o,
                                  mn_roll_metrics *out, mn_error *err);

/* Metrics of every region of a session into out[0..r->n_regions), as
 * mn_roll_metrics_compute; regions in parallel (OpenMP, largest first),
 * results independent of the thread count. On error, err holds the error
 * of the first failing region (by index). */
mn_status mn_roll_metrics_all(const mn_roll_result *r, const mn_roll_region *regs,
                              const mn_roll_metrics_opts *o, mn_roll_metrics *out,
                              mn_error *err);

/* A density grid over the bounding box of some regions: punctures per unit
 * of each cell's area inside the outlines (estimated with 4 x 4 samples);
 * cells less than half inside hold -1. */
typedef struct {
    size_t nx, ny;
    double x0_m, y0_m, cell_m; /* lower-left corner, cell size */
    double *per_m2;            /* nx * ny, row-major from the bottom row */
} mn_roll_grid;

/* Density (m^-2) of all punctures of r on a grid of cell_m over the
 * regions. Errors: MN_EINVAL, MN_ENOMEM (also when over 2^26 cells). */
mn_status mn_roll_density_grid(const mn_roll_result *r,
                               const mn_roll_region *regions, size_t n_regions,
                               double cell_m, mn_roll_grid *out, mn_error *err);
/* Free what a grid owns (not g itself). */
void mn_roll_grid_free(mn_roll_grid *g);

/* What a target asks for. */
typedef enum { MN_ROLL_TARGET_DENSITY = 0, MN_ROLL_TARGET_COVERAGE } mn_roll_target;

/* Smallest total number of passes of p's pattern (directions kept, passes
 * split evenly) with which one region reaches the target: a density
 * (m^-2) or a coverage fraction (with o's coverage radius). Each candidate
 * is a full simulation (doubling, then bisection); the answer is -1 when
 * max_passes do not suffice. *achieved gets the metric at the answer (or
 * at max_passes). Errors as mn_roll_simulate. */
mn_status mn_roll_passes_needed(const mn_device *d, const mn_roll_region *reg,
                                const mn_roll_params *p,
                                const mn_roll_metrics_opts *o, int target_kind,
                                double target, int max_passes, int *passes,
                                double *achieved, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
