/* mnsim: topical delivery through the skin and through microneedle channels
 * (floor: model; structs in, structs out; no file I/O, never prints).
 *
 * Diffusion of one solute in a 3-D block of skin under a vehicle (a cream
 * film of finite thickness, or an infinite dose): four layers (stratum
 * corneum, viable epidermis, papillary and reticular dermis) with their own
 * diffusivity (anisotropic in the stratum corneum) and partition coefficient
 * (concentration jumps at interfaces, flux continuous), first-order
 * clearance in the dermis, periodic (or mirror) lateral boundaries, a sink or
 * zero-flux bottom. Channels (cones or cylinders of interstitial fluid) cross
 * the layers and close over time, first order.
 *
 * Numerics (docs/model.md, "Transport through the channels"): finite volumes
 * on a structured tensor grid (graded in depth and, around channels,
 * laterally); TR-BDF2 in time (L-stable, second order), each stage a fully
 * coupled implicit solve by conjugate gradients preconditioned with an
 * aggregation multigrid (line smoothers, Galerkin coarse grids); the vehicle
 * film is one more unknown; while the solute fills a small part of the
 * grid, a step is solved in a window around it (walls of zero flux where
 * the solute is below a fifth of the solves' tolerance; cfg.full_grid).
 * Unconditionally stable, robust to any contrast
 * of coefficients, and every step conserves the amount to rounding (a mass
 * projection closes each solve). OpenMP over planes and rows with static
 * schedules and fixed-order reductions: results are bit-identical for any
 * thread count.
 *
 * Units: SI inside (m, s, kg, kg/m^3 for concentrations).
 *
 * Thread safety: a solver (mn_transport) is used by one thread at a time and is
 * OpenMP-parallel itself; distinct solvers may run in parallel; configurations are
 * only read. */
#ifndef MNSIM_TRANSPORT_H
#define MNSIM_TRANSPORT_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Layers of the transport model (the first four mn_layer values). */
#define MN_TRANSPORT_LAYERS 4

typedef enum { MN_TRANSPORT_SINK = 0, MN_TRANSPORT_ZERO_FLUX } mn_transport_bottom;
typedef enum { MN_CHANNEL_CONE = 0, MN_CHANNEL_CYLINDER } mn_channel_shape;
typedef enum { MN_LATERAL_PERIODIC = 0, MN_LATERAL_MIRROR } mn_lateral_bc;

/* ---- the solute in the skin -------------------------------------------- */

/* What a solute does in each layer. Partition coefficients are relative to
 * the vehicle (concentration in the layer over that in the vehicle at
 * equilibrium). */
typedef struct {
    double diffusivity_m2_s[MN_TRANSPORT_LAYERS];         /* across (depth) */
    double lateral_diffusivity_m2_s[MN_TRANSPORT_LAYERS]; /* in the plane */
    double partition[MN_TRANSPORT_LAYERS];
    double clearance_per_s[MN_TRANSPORT_LAYERS]; /* first-order uptake */
    double channel_diffusivity_m2_s;             /* interstitial fluid */
    double channel_partition;
} mn_transport_medium;

/* A solute by its structure, for the derivation of a medium. Values that
 * are NaN are derived (see mn_transport_medium_derive). */
typedef struct {
    double molar_mass_kg_mol;
    double log_p; /* log10 octanol/water partition */
    double aqueous_diffusivity_m2_s;
    double sc_diffusivity_m2_s; /* across the stratum corneum */
    double sc_partition;        /* stratum corneum / water */
    double ve_diffusivity_m2_s;
    double dermis_diffusivity_m2_s;
    double tissue_partition;      /* viable tissue / water */
    double clearance_half_life_s; /* dermal capillary uptake */
    double vehicle_partition;     /* vehicle / water */
    double kp_m_s;                /* measured permeability coefficient of
                                     the stratum corneum from water (NaN:
                                     the Potts-Guy relation) */
} mn_solute;

/* Constants of the structure relations (data/compounds.yaml, "model"). */
typedef struct {
    double potts_guy_intercept;          /* log10 kp[cm/h] = a + b logP - c MW[g/mol] */
    double potts_guy_log_p;              /* b */
    double potts_guy_mw;                 /* c, per g/mol */
    double sc_partition_exponent;        /* K_sc/w = Kow^x */
    double sc_reference_thickness_m;     /* path length behind the kp data */
    double sc_anisotropy;                /* D_lateral / D_across in the SC */
    double max_sc_partition;             /* cap of Kow^x */
    double min_sc_diffusivity_m2_s;      /* floor (macromolecules) */
    double solute_specific_volume_m3_kg; /* Stokes-Einstein radius */
    double temperature_k;
    double water_viscosity_pa_s;
    double ve_hindrance;          /* D_ve / D_aq */
    double dermis_hindrance;      /* D_dermis / D_aq */
    double tissue_partition;      /* default viable tissue / water */
    double channel_partition;     /* channel fluid / water */
    double clearance_half_life_s; /* default dermal clearance */
} mn_solute_model;

/* Stokes-Einstein diffusivity in water (m^2/s) of a sphere of the solute's
 * volume: r = (3 M v / (4 pi N_A))^(1/3), D = k T / (6 pi eta r). */
double mn_solute_aqueous_diffusivity(const mn_solute_model *m,
                                     double molar_mass_kg_mol);

/* Potts-Guy permeability coefficient of the stratum corneum (m/s). */
double mn_solute_potts_guy_kp(const mn_solute_model *m, double molar_mass_kg_mol,
                              double log_p);

/* The medium of a solute (given values win, NaN ones are derived):
 * K_sc/w = min(Kow^x, max); D_sc = kp h_ref / K_sc (floored), kp measured
 * or Potts-Guy; lateral
 * D_sc = anisotropy x D_sc; D_ve, D_dermis = hindrance x D_aq; channels
 * D_aq and the channel partition; clearance ln 2 / half-life in both dermis
 * layers. Partitions are divided by the vehicle partition (relative to the
 * vehicle). MN_EINVAL when a value is missing or not positive. */
mn_status mn_transport_medium_derive(const mn_solute *s, const mn_solute_model *m,
                                     mn_transport_medium *out, mn_error *err);

/* ---- problem set-up ----------------------------------------------------- */

/* One channel: its axis at (x, y) in the lateral domain, depth and radius
 * at the surface (m). */
typedef struct {
    double x_m, y_m;
    double depth_m;
    double radius_m;
} mn_transport_channel;

typedef struct {
    /* skin */
    double thickness_m[MN_TRANSPORT_LAYERS]; /* 0 allowed for VE, PD, RD */
    double domain_depth_m; /* bottom of the block; 0: the whole skin */
    int bottom;            /* mn_transport_bottom */
    mn_transport_medium medium;
    /* vehicle */
    int infinite_dose;
    double vehicle_thickness_m;   /* film (finite dose) */
    double vehicle_concentration; /* kg/m^3 at t = 0: what is dissolved */
    double vehicle_solubility;    /* kg/m^3: the film is a saturated
                                     suspension while solid is left (its
                                     dissolved concentration stays here);
                                     INFINITY: no limit */
    double vehicle_diffusivity_m2_s; /* the solute in the film: how fast it
                                     reaches the channel mouths from across
                                     the cell (a lateral resistance in the
                                     film, docs/model.md); 0: the film is
                                     well mixed (no resistance) */
    double vehicle_solid_kg_m2;   /* undissolved amount per area at t = 0
                                     (finite dose; needs a finite
                                     vehicle_solubility = vehicle_concentration) */
    /* lateral domain and channels */
    double size_x_m, size_y_m;
    int lateral_bc; /* mn_lateral_bc */
    int radial;     /* 1: an axisymmetric cell around one
                       channel on its axis (x_m = 0): x is the
                       radius, size_x_m the cell's radius,
                       y has one cell (size_y_m unused); the
                       rim is a mirror (docs/model.md) */
    const mn_transport_channel *channels;
    size_t n_channels;
    int channel_shape;          /* mn_channel_shape */
    double closure_half_life_s; /* INFINITY: channels stay open */
    double closure_delay_s;     /* age of the channels at t = 0 */
    double sc_open_fraction;    /* 0-1: share of the stratum corneum opened
                                   everywhere (short needles that disrupt
                                   it: parallel pathways of channel fluid);
                                   it closes like the channels */
    /* grid */
    int sc_cells;         /* cells across the stratum corneum */
    double z_growth;      /* ratio of neighbouring cell sizes */
    double z_max_m;       /* largest cell in depth */
    int uniform_lateral;  /* 1: nx x ny equal cells */
    size_t nx, ny;        /* uniform lateral grid */
    double lateral_min_m; /* graded: cell at a channel's wall */
    double lateral_max_m; /* graded: largest lateral cell */
    double lateral_growth;
    int uniform_z; /* 1: nz equal cells over the block */
    size_t nz;
    /* time */
    double t_end_s;
    double dt_first_s; /* first step */
    double dt_rel;     /* later steps: dt = dt_rel * t */
    double dt_max_s;
    size_t n_samples; /* evenly spaced outputs after t = 0 */
    /* the probe plane (nerve endings) */
    double probe_depth_m;    /* NaN: none */
    double probe_threshold;  /* kg/m^3, NaN: none */
    double probe_quantile;   /* area fraction that must reach it */
    int threads;             /* 0: the OpenMP default */
    double solver_tolerance; /* residual (1-norm) of each solve per
                                amount in the system (0: 1e-9) */
    int all_lines;           /* 1: smooth along x and y lines too, not
                                only depth columns (more robust where
                                lateral coupling dominates, ~1.5 x
                                slower per solve; docs/model.md) */
    size_t parallel_min;     /* passes over fewer cells run in one
                                thread (0: 262144); results do not
                                depend on it */
    int sealed_top;          /* 1: no exchange with the vehicle (the top
                                face a mirror; the film keeps what it
                                holds): for the benchmark's spike and
                                tests */
    double accuracy;         /* > 0: the steps of mn_transport_run adapt
                                to this local error per step (relative
                                to the largest value; the embedded
                                TR-BDF2 estimate) and each solve's
                                tolerance follows from it (docs/model.md,
                                "Accuracy"); 0: the fixed rule (dt_first,
                                dt_rel, dt_max) and solver_tolerance */
    int full_grid;           /* 1: every step over the whole grid; 0: in a
                                window around the solute while it fills
                                less than 80% of the grid (docs/model.md,
                                "Windows"; the same answer to the solves'
                                tolerance) */
} mn_transport_config;

/* Defaults: no channels, sink bottom, finite dose 20 um, 8 SC cells, depth
 * growth 1.15 up to 25 um, graded lateral grid 2.5-25 um growth 1.15,
 * periodic, cones, channels open, t_end 1 h, first step 0.01 s, dt_rel 0.05,
 * dt_max 120 s, 60 samples, no probe, solver tolerance 1e-9, accuracy 0
 * (the fixed step rule), top open to the vehicle. Thicknesses,
 * medium and lateral size must be set by the caller. */
void mn_transport_config_default(mn_transport_config *c);

/* ---- the solver ------------------------------------------------------- */

typedef struct mn_transport mn_transport;

/* Build the grid and the coefficients. Errors: MN_EINVAL (the message names
 * the field), MN_ENOMEM (including grids beyond 2^32 cells). */
mn_status mn_transport_new(const mn_transport_config *c, mn_transport **out,
                           mn_error *err);
/* Free a solver; t may be NULL. */
void mn_transport_free(mn_transport *t);

/* Cells along x, y and z (each pointer may be NULL). */
void mn_transport_dims(const mn_transport *t, size_t *nx, size_t *ny, size_t *nz);
/* Face coordinates (m): nx+1, ny+1, nz+1 values (z down from the surface). */
const double *mn_transport_faces(const mn_transport *t, int axis);
/* Time simulated so far (s). */
double mn_transport_time(const mn_transport *t);

/* Set the skin concentration (kg/m^3, nx*ny*nz values, x fastest, z
 * slowest) and the vehicle concentration; the amount supplied, cleared and
 * sunk restart at 0. For tests and restarts. */
mn_status mn_transport_set_state(mn_transport *t, const double *c_kg_m3,
                                 double vehicle_kg_m3, mn_error *err);
/* Current concentration field (kg/m^3, layout as above). */
void mn_transport_get_state(const mn_transport *t, double *c_kg_m3);

/* Advance by one step of dt seconds. Errors: MN_EINVAL, MN_ENUMERIC. */
mn_status mn_transport_step(mn_transport *t, double dt_s, mn_error *err);

/* Amounts now, per unit of skin area (kg/m^2). */
typedef struct {
    double vehicle;                    /* dissolved and undissolved */
    double undissolved;                /* of it, still solid (a suspension) */
    double layer[MN_TRANSPORT_LAYERS]; /* by depth, channel fluid included */
    double cleared;                    /* taken up by the dermis' capillaries */
    double sink;                       /* out through the bottom */
    double supplied;                   /* infinite dose: taken from the vehicle */
    double initial;                    /* in the vehicle and skin at t = 0 */
    double error; /* |vehicle + skin + cleared + sink - initial - supplied|
                     relative to max(initial, supplied) */
} mn_transport_balance;

/* The mass balance now (error NaN when out of memory). */
void mn_transport_balance_now(const mn_transport *t, mn_transport_balance *b);

/* Laterally averaged concentration (kg/m^3) in each depth cell (nz). */
void mn_transport_profile(const mn_transport *t, double *out);

/* Concentration (kg/m^3) in the x-z plane through the cell row holding y
 * (nx*nz values, x fastest). */
void mn_transport_section(const mn_transport *t, double y_m, double *out);

/* Bytes the scheme moved between memory and the processor per grid cell
 * and step, averaged over the steps done (every pass counts the arrays it
 * must read and write once; docs/model.md, Performance). */
double mn_transport_traffic_bytes(const mn_transport *t);

/* The solver's kinds of pass, for its profile (docs/model.md, Performance). */
typedef enum {
    MN_TRANSPORT_PASS_OPERATOR, /* operator applications and residuals */
    MN_TRANSPORT_PASS_SMOOTH,   /* multigrid smoothing sweeps, all levels */
    MN_TRANSPORT_PASS_RESTRICT, /* residual + restriction to the coarser level */
    MN_TRANSPORT_PASS_PROLONG,  /* prolongation (x += coarse correction) */
    MN_TRANSPORT_PASS_VECTOR,   /* conjugate-gradient vector updates, dots */
    MN_TRANSPORT_PASS_OTHER,    /* right-hand sides, rates, copies of a step */
    MN_TRANSPORT_PASSES
} mn_transport_pass_kind;

/* Profile of one kind of pass so far: its name ("smoothing", ...), the
 * wall-clock seconds spent in it and the bytes it moved per grid cell (as
 * counted for mn_transport_traffic_bytes, all steps summed; their sum over
 * the kinds is that figure times the steps). Time outside the passes (the
 * coarsest solve, serial bookkeeping) is in none of them. Any output may be
 * NULL. Returns MN_EINVAL for a kind out of range, else MN_OK. */
int mn_transport_pass_profile(const mn_transport *t, mn_transport_pass_kind kind,
                              const char **name, double *seconds,
                              double *bytes_per_cell);

/* Largest relative correction |c| of the mass projection applied after a
 * solve so far (each solve ends by scaling the solution by 1 + c so that
 * its residual sums to zero; |c| is of the order of the solver tolerance,
 * 1e-9). */
double mn_transport_projection_max(const mn_transport *t);

/* Steps, linear solves and conjugate-gradient iterations done so far (the
 * stages' solves; with an accuracy, each step's error estimate is one
 * V-cycle more, counted in neither). Any argument may be NULL. */
void mn_transport_stats(const mn_transport *t, long *steps, long *solves,
                        long *iterations);

/* ---- a whole run ---------------------------------------------------------- */

typedef struct {
    size_t n; /* samples (t = 0 included) */
    double *t_s;
    double *vehicle; /* amounts per area, kg/m^2 */
    double *layer[MN_TRANSPORT_LAYERS];
    double *cleared, *sink, *supplied;
    double *delivered;   /* past the stratum corneum: VE + dermis + out */
    double *permeated;   /* cumulative across the dermo-epidermal junction */
    double *dermis_flux; /* kg/m^2/s across it, mean over the last step */
    double *probe;       /* probe-plane concentration at probe_quantile */
    double *probe_mean;
    size_t nz;
    double *z_m;             /* cell centres */
    double *profiles;        /* n x nz laterally averaged concentrations */
    double threshold_time_s; /* probe reaches probe_threshold; NaN: never */
    double mass_error_max;   /* largest balance error seen */
    long steps;
    double channels_open_end; /* fraction of the channel still open */
} mn_transport_result;

/* Run from the current state to t_end_s, sampling n_samples + 1 times.
 * progress (may be NULL) is called after steps with the fraction of time
 * done and may cancel (MN_ECANCEL). *r is owned by the caller
 * (mn_transport_result_free). Errors: MN_ENOMEM, MN_ENUMERIC, MN_ECANCEL. */
mn_status mn_transport_run(mn_transport *t, const mn_progress *progress,
                           mn_transport_result *r, mn_error *err);
/* Free what a result owns (not r itself). */
void mn_transport_result_free(mn_transport_result *r);

/* Time (s) at which a sampled series first reaches value (linear
 * interpolation between samples); NaN if it never does. */
double mn_transport_crossing(const double *t_s, const double *y, size_t n,
                             double value);

#ifdef __cplusplus
}
#endif
#endif
