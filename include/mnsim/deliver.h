/* mnsim: a delivery experiment (floor: model): a compound from the catalog, a
 * skin site, the channels a device left (or intact skin), a dose; the
 * transport model run with the channels and, for comparison, on intact
 * skin; the numbers users ask for (time to numbness, enhancement).
 *
 * The channels of one device are represented by a unit cell holding one
 * channel at the device's density (cell side 1/sqrt(density)); by symmetry a
 * quarter of it with mirror sides is solved (docs/model.md).
 *
 * Thread safety: reentrant on distinct specs and results; each run is OpenMP-
 * parallel itself, and the catalog and device a spec points to are only read. */
#ifndef MNSIM_DELIVER_H
#define MNSIM_DELIVER_H

#include <stddef.h>

#include <stdint.h>

#include "mnsim/channel.h"
#include "mnsim/compound.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/progress.h"
#include "mnsim/skin.h"
#include "mnsim/transport.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_GRID_COARSE = 0,
    MN_GRID_MEDIUM,
    MN_GRID_FINE,
    MN_GRID_COUNT
} mn_grid_level;

/* Name of a grid level ("coarse", ...). */
const char *mn_grid_level_name(int level);

typedef struct {
    const mn_compound_catalog *catalog;
    const mn_compound *compound;
    const mn_channel_params *channel; /* how long the channels stay open */
    mn_skin skin;
    double concentration_kg_m3; /* NaN: the compound's typical strength */
    double dose_kg_m2; /* NaN: the compound's typical dose; INFINITY: infinite */
    int occluded;      /* the channels close as under occlusion */
    double t_end_s;
    double delay_s; /* age of the channels when the cream goes on */
    int intact;     /* 1: no channels */
    double channel_depth_m;
    double channel_radius_m; /* at the surface */
    double density_per_m2;   /* channels per unit area */
    int channel_shape;       /* mn_channel_shape */
    double sc_open_fraction; /* > 0: no channels, but a stratum corneum
                                disrupted by short needles, this share of
                                it open (mn_deliver_spec_channels); the
                                skin is then one column */
    int grid;                /* mn_grid_level */
    int radial;              /* 1: the unit cell as the disc of the same
                                area around the channel (axisymmetric,
                                2-D, ~20x cheaper); 0: the square cell
                                (3-D quarter) */
    size_t n_samples;
    int threads; /* 0: OpenMP default */
    /* A rolled patch instead of the unit cell (patch_m > 0): the device is
     * rolled over a larger square (mn_roll_simulate, pattern
     * "four-direction", `passes` passes) and the punctures inside a
     * central square of side patch_m become the channels of a periodic
     * block, each with its own depth (normal, depth_sd_m) and a surface
     * radius in proportion. Uniform lateral cells: 20, 12, 8 um (coarse,
     * medium, fine). */
    double patch_m;
    const mn_device *device;
    int passes;
    double depth_sd_m;
    uint64_t seed; /* of the roll, used as given (0 too) */
    double accuracy;   /* of the time stepping (mn_transport_config's
                          accuracy; 0: the fixed step rule) */
} mn_deliver_spec;

/* Defaults: 1 h, no delay, not occluded, cone, medium grid, 60 samples,
 * seed 1, compound's concentration and dose. catalog, compound, channel (the
 * channel model's parameters), skin and the channel must be set. */
void mn_deliver_spec_default(mn_deliver_spec *s);

/* The transport problem of a spec; channel receives the unit cell's
 * channel (cfg->channels points at it). intact_reference: the same
 * problem on intact skin, as one column. Errors: MN_EINVAL naming the
 * problem. */
mn_status mn_deliver_config(const mn_deliver_spec *s, int intact_reference,
                            mn_transport_config *cfg, mn_transport_channel *channel,
                            mn_error *err);

/* Below this share of its steady-state amount passed by the stated time,
 * intact skin is still in its lag time and a ratio of cumulative amounts
 * is lag-dominated (not a measure of the channels). */
#define MN_DELIVER_LAG_SHARE 0.05

/* The well-conditioned comparison of a spec's channels with intact skin:
 * both under an infinite dose of the spec's concentration, the channels
 * kept open (no closure), the unit cell around one channel
 * (axisymmetric). */
typedef struct {
    double intact_flux_kg_m2_s;        /* steady flux of intact skin */
    double channel_flux_kg_m2_s;       /* steady flux with open channels */
    double enhancement;                /* their ratio: the headline */
    int intact_steady, channel_steady; /* 0: not settled in 72 h / 24 h */
    double intact_lag_s;               /* intact skin's lag time */
    double intact_share_at_time;       /* amount intact skin has passed by the
                                          spec's t_end_s over its steady-state
                                          rate times t_end_s */
    int lag_dominated;                 /* intact_share_at_time < MN_DELIVER_LAG_SHARE */
} mn_deliver_steady_result;

typedef struct {
    mn_transport_result with;   /* with channels (empty when intact) */
    mn_transport_result intact; /* intact skin, same dose and time */
    int has_channels;
    double film_thickness_m;    /* NaN: infinite dose */
    double concentration_kg_m3; /* in the product (dissolved and solid) */
    double dissolved_kg_m3;     /* at t = 0: at most the solubility */
    double solubility_kg_m3;    /* in the vehicle; INFINITY: not limited */
    int saturated;              /* the product is a saturated suspension (or
                                   a solution at the solubility): flux as
                                   at the solubility, whatever the strength */
    double dose_kg_m2;
    double closure_half_life_s; /* of the channels (mnsim/channel.h) */
    double closure_time_s;      /* down to the closed fraction */
    double cell_m;              /* unit-cell side */
    double probe_depth_m;       /* nerve-ending plane */
    double threshold_kg_m3;     /* NaN: not an anaesthetic */
    double time_to_numb_s;      /* NaN: not reached */
    double time_to_numb_intact_s;
    double delivered_kg_m2, delivered_intact_kg_m2; /* at t_end, past the SC */
    double enhancement;              /* delivered / delivered on intact skin at
                                        t_end: lag-dominated while intact skin
                                        is in its lag time (steady says when) */
    double flux_enhancement;         /* mean flux into the dermis, ratio */
    mn_deliver_steady_result steady; /* the headline comparison (filled by
                                        mn_deliver_evaluate) */
    double mass_error;               /* largest balance error of both runs */
    size_t nx, ny, nz;               /* grid with channels */
    size_t n_channels;               /* in the patch (1 for the unit cell) */
    size_t sec_nx, sec_nz;           /* cross-section through the channel axis */
    double *sec_x_m, *sec_z_m;       /* cell centres (m) */
    double *section;                 /* kg/m^3 at t_end, sec_nz x sec_nx */
    long iterations;
    double seconds; /* wall time of the runs */
} mn_deliver_result;

/* Run the spec (with channels unless intact) and the intact reference.
 * progress (may be NULL) sees the channel run. */
mn_status mn_deliver_run(const mn_deliver_spec *s, const mn_progress *progress,
                         mn_deliver_result *r, mn_error *err);
/* Free what a result owns (not r itself). */
void mn_deliver_result_free(mn_deliver_result *r);

/* Run the two steady-state problems of spec s (intact: the first only).
 * A few seconds at the coarse grid. Errors: those of mn_deliver_config and
 * the transport model. Thread-safe. */
mn_status mn_deliver_steady(const mn_deliver_spec *s, mn_deliver_steady_result *out,
                            mn_error *err);

/* mn_deliver_run and mn_deliver_steady together: what `mnsim deliver` and
 * the delivery stage of a course report. Errors and ownership as
 * mn_deliver_run. */
mn_status mn_deliver_evaluate(const mn_deliver_spec *s, const mn_progress *progress,
                              mn_deliver_result *r, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
