/* mnsim: healing and collagen induction after microneedling (floor: model).
 *
 * A mechanistic ODE system (docs/model.md, "Healing and collagen
 * induction") driven by the injury dose of each session: damage and
 * inflammation, a TGF-beta-like growth factor, proteases (MMP), proliferating
 * and matrix-making fibroblasts, collagen III then collagen I, tropoelastin
 * and elastin, and the thickness of the epidermis. From it: when the barrier
 * has closed, when the redness has gone, when the skin is ready for the next
 * session, and an overtreatment index.
 *
 * Units. Inside the library everything is SI, except the time of this ODE
 * system, which is in days; every name that carries a time says so
 * (t_days, *_days). Parameters whose unit kind is MN_UNIT_TIME are held in
 * days (mn_heal_param_si_factor gives the factor to seconds); lengths are in
 * m; all other parameters are plain numbers. State variables are relative:
 * 1 = baseline for collagen, elastin and the epidermis, 0 = rest for the
 * signals (damage, inflammation, ...), whose unit is the damage of one
 * reference session (reference channel density, reference dermal depth).
 *
 * The model does no I/O; the parameters come from data/healing.yaml through
 * mnsim/healing_io.h.
 *
 * Integration. By default with mnsim's own RODAS3 integrator; GSL's msbdf
 * is the reference method (mn_heal_solver.method). GSL's error handler is
 * one per process. The first call of mn_heal_simulate or mn_heal_ensemble sets
 * it to off, once (mn_gsl_errors_off, mnsim/error.h), and the solver's
 * status codes are checked instead; no call swaps it while integrating, so
 * threads of a caller may simulate side by side.
 *
 * Thread safety: reentrant: parameters and courses are only read; distinct results
 * may be computed in parallel (see GSL below); ensembles are OpenMP-parallel
 * themselves. */
#ifndef MNSIM_HEALING_H
#define MNSIM_HEALING_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/channel.h"
#include "mnsim/error.h"
#include "mnsim/progress.h"
#include "mnsim/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The parameters: X(ID, key, unit kind, display unit, min, max, help).
 * min/max are in model units (days for times, m for lengths). The key is
 * the name in data/healing.yaml. */
#define MN_HEAL_PARAM_LIST(X)                                                          \
    X(REF_DENSITY, reference_density_per_cm2, MN_UNIT_NONE, "per cm^2", 1, 1e5,        \
      "channel density of the reference session (punctures per cm^2)")                 \
    X(REF_DERMIS, reference_dermis_depth, MN_UNIT_LENGTH, "mm", 1e-5, 5e-3,            \
      "depth into the dermis of the reference session")                                \
    X(EPI_WEIGHT, epidermal_damage_weight, MN_UNIT_NONE, "", 0, 10,                    \
      "damage of a channel that stays in the epidermis, relative to one "              \
      "reaching the reference dermal depth")                                           \
    X(PLATELET_GAIN, platelet_tgf_gain, MN_UNIT_NONE, "", 0, 100,                      \
      "growth factor released by platelets when every channel bleeds, at the "         \
      "reference density")                                                             \
    X(DAMAGE_TIME, damage_clearance_time, MN_UNIT_TIME, "days", 0.01, 30,              \
      "time constant of the clearance of damage (clot, debris, alarmins)")             \
    X(DAMAGE_THR, damage_threshold, MN_UNIT_NONE, "", 1e-5, 10,                        \
      "damage below which the skin may be needled again")                              \
    X(REDNESS_TIME, redness_time, MN_UNIT_TIME, "days", 0.01, 30,                      \
      "time constant of erythema (vasodilation) following damage")                     \
    X(REDNESS_THR, redness_threshold, MN_UNIT_NONE, "", 1e-5, 10,                      \
      "erythema below which redness counts as resolved")                               \
    X(BARRIER_FACTOR, barrier_time_factor, MN_UNIT_NONE, "", 0.01, 100,                \
      "a person's channel closure time over the channel model's (the "                 \
      "between-person spread of barrier recovery; 1: the median person)")              \
    X(INFL_GAIN, inflammation_gain, MN_UNIT_NONE, "", 0, 100,                          \
      "acute inflammation (neutrophils, M1 macrophages) per unit damage")              \
    X(INFL_TIME, inflammation_resolution_time, MN_UNIT_TIME, "days", 0.01, 60,         \
      "time constant of the resolution of acute inflammation")                         \
    X(INFL_THR, inflammation_threshold, MN_UNIT_NONE, "", 1e-5, 10,                    \
      "inflammation below which the skin may be needled again")                        \
    X(MAC_TIME, macrophage_time, MN_UNIT_TIME, "days", 0.01, 60,                       \
      "time constant of reparative (M2) macrophages")                                  \
    X(MAC_SWITCH, switch_inhibition_damage, MN_UNIT_NONE, "", 1e-4, 100,               \
      "damage that halves the switch from inflammatory to reparative "                 \
      "macrophages")                                                                   \
    X(TGF_TIME, tgf_decay_time, MN_UNIT_TIME, "days", 1e-3, 30,                        \
      "time constant of growth factor decay")                                          \
    X(TGF_MAC, tgf_from_macrophages, MN_UNIT_NONE, "", 0, 100,                         \
      "growth factor made by reparative macrophages")                                  \
    X(TGF_FIB, tgf_from_fibroblasts, MN_UNIT_NONE, "", 0, 10,                          \
      "growth factor made by proliferating fibroblasts (autocrine)")                   \
    X(MMP_TIME, mmp_decay_time, MN_UNIT_TIME, "days", 0.01, 60,                        \
      "time constant of protease (MMP) activity")                                      \
    X(MMP_INFL, mmp_from_inflammation, MN_UNIT_NONE, "", 0, 100,                       \
      "protease activity from inflammatory cells")                                     \
    X(MMP_FIB, mmp_from_fibroblasts, MN_UNIT_NONE, "", 0, 100,                         \
      "protease activity from proliferating fibroblasts (remodelling)")                \
    X(FIB_PROLIF, fibroblast_proliferation_per_day, MN_UNIT_NONE, "per day", 0, 10,    \
      "maximal activation and proliferation rate of fibroblasts")                      \
    X(FIB_DEATH, fibroblast_removal_per_day, MN_UNIT_NONE, "per day", 1e-3, 10,        \
      "removal rate (apoptosis, return to quiescence) of proliferating "               \
      "fibroblasts")                                                                   \
    X(FIB_INFL_LOSS, fibroblast_loss_per_inflammation_day, MN_UNIT_NONE, "per day", 0, \
      10,                                                                              \
      "extra removal rate of fibroblasts per unit of acute inflammation "              \
      "(apoptosis, senescence in chronic inflammation)")                               \
    X(FIB_HALF, fibroblast_half_activation, MN_UNIT_NONE, "", 1e-4, 100,               \
      "growth factor giving half the maximal fibroblast proliferation")                \
    X(FIB_CAP, fibroblast_capacity, MN_UNIT_NONE, "", 0.01, 100,                       \
      "most extra proliferating fibroblasts, relative to the resident ones")           \
    X(FIB_MATURE, fibroblast_maturation_time, MN_UNIT_TIME, "days", 0.1, 365,          \
      "mean time before a proliferating fibroblast becomes matrix-making")             \
    X(MFIB_TIME, matrix_fibroblast_lifetime, MN_UNIT_TIME, "days", 1, 3650,            \
      "lifetime of the extra matrix-making fibroblasts")                               \
    X(SYN_INHIB, synthesis_inhibition_inflammation, MN_UNIT_NONE, "", 1e-4, 100,       \
      "acute inflammation that halves the matrix synthesis of fibroblasts "            \
      "(TNF-alpha, IL-1)")                                                             \
    X(C3_SYN, collagen_iii_synthesis_per_day, MN_UNIT_NONE, "per day", 0, 10,          \
      "collagen III made per day by one unit of proliferating fibroblasts, as "        \
      "a share of baseline collagen III")                                              \
    X(C3_MATURE, collagen_iii_share_mature, MN_UNIT_NONE, "", 0, 10,                   \
      "collagen III output of matrix-making fibroblasts relative to "                  \
      "proliferating ones")                                                            \
    X(C3_TIME, collagen_iii_remodelling_time, MN_UNIT_TIME, "days", 1, 3650,           \
      "time constant of the return of excess collagen III to baseline")                \
    X(C3_MMP, collagen_iii_mmp_per_day, MN_UNIT_NONE, "per day", 0, 10,                \
      "collagen III degraded per day per unit protease activity (share)")              \
    X(C1_SYN, collagen_i_synthesis_per_day, MN_UNIT_NONE, "per day", 0, 10,            \
      "collagen I made per day by one unit of matrix-making fibroblasts, as a "        \
      "share of baseline collagen I")                                                  \
    X(C1_EARLY, collagen_i_share_proliferative, MN_UNIT_NONE, "", 0, 10,               \
      "collagen I output of proliferating fibroblasts relative to "                    \
      "matrix-making ones")                                                            \
    X(C1_TIME, collagen_i_remodelling_time, MN_UNIT_TIME, "days", 1, 7300,             \
      "time constant of the return of excess collagen I to baseline")                  \
    X(C1_MMP, collagen_i_mmp_per_day, MN_UNIT_NONE, "per day", 0, 10,                  \
      "collagen I degraded per day per unit protease activity (share)")                \
    X(C1_FRACTION, collagen_i_fraction, MN_UNIT_FRACTION, "", 0.01, 0.99,              \
      "share of collagen I in dermal collagen I + III at baseline")                    \
    X(EL_SYN, tropoelastin_synthesis_per_day, MN_UNIT_NONE, "per day", 0, 10,          \
      "tropoelastin made per day by one unit of matrix-making fibroblasts, as "        \
      "a share of baseline elastin")                                                   \
    X(EL_ASSEMBLY, elastin_assembly_time, MN_UNIT_TIME, "days", 1, 3650,               \
      "mean time for tropoelastin to be assembled into elastic fibres")                \
    X(EL_TIME, elastin_remodelling_time, MN_UNIT_TIME, "days", 1, 36500,               \
      "time constant of the return of excess elastin to baseline")                     \
    X(EL_MMP, elastin_mmp_per_day, MN_UNIT_NONE, "per day", 0, 10,                     \
      "elastin degraded per day per unit protease activity (share)")                   \
    X(EPI_TIME, epidermal_renewal_time, MN_UNIT_TIME, "days", 1, 365,                  \
      "time constant of epidermal thickness (epidermal renewal)")                      \
    X(EPI_GF, epidermis_growth_factor_gain, MN_UNIT_NONE, "", 0, 10,                   \
      "epidermal thickening per unit of extra fibroblasts (KGF, EGF)")                 \
    X(EPI_MATRIX, epidermis_matrix_gain, MN_UNIT_NONE, "", 0, 10,                      \
      "epidermal thickening per unit of extra dermal collagen")                        \
    X(OT_THR, overtreatment_threshold, MN_UNIT_NONE, "", 0, 100,                       \
      "overtreatment index from which a course is flagged")                            \
    X(PIH_1_3, pih_factor_type_1_3, MN_UNIT_NONE, "", 0, 100,                          \
      "hyperpigmentation risk multiplier, Fitzpatrick I-III")                          \
    X(PIH_4, pih_factor_type_4, MN_UNIT_NONE, "", 0, 100,                              \
      "hyperpigmentation risk multiplier, Fitzpatrick IV")                             \
    X(PIH_5_6, pih_factor_type_5_6, MN_UNIT_NONE, "", 0, 100,                          \
      "hyperpigmentation risk multiplier, Fitzpatrick V-VI")                           \
    X(PIH_MODERATE, pih_moderate_index, MN_UNIT_NONE, "", 0, 1000,                     \
      "hyperpigmentation index from which the risk is moderate")                       \
    X(PIH_HIGH, pih_high_index, MN_UNIT_NONE, "", 0, 1000,                             \
      "hyperpigmentation index from which the risk is high")

typedef enum {
#define MN_HEAL_X_ENUM(id, key, unit, du, lo, hi, help) MN_HEAL_P_##id,
    MN_HEAL_PARAM_LIST(MN_HEAL_X_ENUM)
#undef MN_HEAL_X_ENUM
        MN_HEAL_NPARAMS
} mn_heal_param_id;

/* One set of parameter values (one person), indexed by mn_heal_param_id,
 * in model units (days, m, plain numbers). */
typedef struct {
    double value[MN_HEAL_NPARAMS];
} mn_heal_params;

/* What a parameter is. */
typedef struct {
    const char *key;          /* name in data/healing.yaml */
    mn_unit_kind unit;        /* MN_UNIT_TIME (days here), LENGTH (m), ... */
    const char *display_unit; /* "days", "mm", "per day", ... */
    double min, max;          /* allowed range, model units */
    const char *help;
} mn_heal_param_info;

/* Description of parameter id, or NULL when id is out of range. */
const mn_heal_param_info *mn_heal_param_get_info(int id);

/* Index of the parameter named key, or -1. */
int mn_heal_param_find(const char *key);

/* Factor from model units to SI: 86400 (s per day) for times, else 1. */
double mn_heal_param_si_factor(int id);

/* Check that every parameter is finite and within its range, and that the
 * thresholds are ordered. MN_ERANGE names the first bad key. */
mn_status mn_heal_params_validate(const mn_heal_params *p, mn_error *err);

/* The state of the skin (relative units, see above). */
typedef enum {
    MN_HEAL_BARRIER = 0,        /* share of channels still open */
    MN_HEAL_DAMAGE,             /* damage signal */
    MN_HEAL_REDNESS,            /* erythema */
    MN_HEAL_INFLAMMATION,       /* acute inflammation (neutrophils, M1) */
    MN_HEAL_MACROPHAGES,        /* reparative (M2) macrophages */
    MN_HEAL_TGF,                /* TGF-beta-like growth factor */
    MN_HEAL_MMP,                /* protease activity */
    MN_HEAL_FIBROBLASTS,        /* extra proliferating fibroblasts / resident */
    MN_HEAL_MATRIX_FIBROBLASTS, /* extra matrix-making fibroblasts / resident */
    MN_HEAL_COLLAGEN_III,       /* collagen III / baseline */
    MN_HEAL_COLLAGEN_I,         /* collagen I / baseline */
    MN_HEAL_TROPOELASTIN,       /* unassembled new elastin / baseline elastin */
    MN_HEAL_ELASTIN,            /* elastin / baseline */
    MN_HEAL_EPIDERMIS,          /* epidermal thickness / baseline */
    MN_HEAL_NSTATES
} mn_heal_state_id;

/* Short name of a state ("collagen_i", ...), or "?". */
const char *mn_heal_state_name(int state);

/* The injury of one session, filled by the caller from the roll and depth
 * models (or measurements). */
typedef struct {
    double t_days;             /* time of the session after the first, days */
    double channels_per_m2;    /* punctures per m^2 */
    double depth_m;            /* mean channel depth below the surface, m */
    double dermis_depth_m;     /* mean length of the channel inside the dermis, m */
    double capillary_fraction; /* share of channels reaching the capillary loops */
    int barrier_only;          /* 1: the needles stopped inside the stratum
                                  corneum (mn_depth_result.disrupted): the
                                  barrier opens and closes like a pore, but
                                  no living tissue is wounded (no damage) */
} mn_heal_dose;

/* Check a dose (finite, non-negative, dermis depth <= depth, fraction in
 * 0..1). MN_EINVAL names the field. */
mn_status mn_heal_dose_validate(const mn_heal_dose *d, mn_error *err);

/* Damage of a session in reference units: (density / reference density) x
 * (dermis depth / reference dermal depth + epidermal weight). */
double mn_heal_dose_damage(const mn_heal_params *p, const mn_heal_dose *d);

/* A month: a mean Gregorian year / 12, in days. Twelve of them (365.2425
 * days) are the default horizon of a course. */
#define MN_HEAL_DAYS_PER_MONTH 30.436875
#define MN_HEAL_YEAR_DAYS (12 * MN_HEAL_DAYS_PER_MONTH)

/* A course: sessions in time order (t_days non-decreasing, first >= 0). */
typedef struct {
    const mn_heal_dose *sessions;
    size_t n_sessions;
    int fitzpatrick;                  /* skin phototype 1..6 (hyperpigmentation risk) */
    double horizon_days;              /* simulate 0..horizon; <= 0: 12 months after the
                                         first session, or 90 days after the last */
    const mn_channel_params *channel; /* how long the channels stay open
                                         (mnsim/channel.h): the barrier is
                                         their open fraction, not occluded */
} mn_heal_course;

/* How the equations are integrated. */
typedef enum {
    MN_HEAL_METHOD_RODAS3 = 0, /* mnsim's own: RODAS3, a third-order L-stable
                                  Rosenbrock method with the analytic
                                  Jacobian and dense output (docs/model.md,
                                  "Integration"); the default */
    MN_HEAL_METHOD_MSBDF = 1   /* GSL's variable-order BDF (msbdf): the
                                  reference the fast method is compared to */
} mn_heal_method;

/* Solver settings. rtol and atol are the local error tolerances of the
 * method chosen; the results of the two methods agree within the tolerance
 * documented in docs/model.md ("Integration"). */
typedef struct {
    double rtol;           /* relative tolerance, default 1e-7 */
    double atol;           /* absolute tolerance, default 1e-10 */
    double fine_step_days; /* output spacing while healing markers are above
                              threshold (for the crossing times), 1 h */
    int method;            /* mn_heal_method; 0 (the default): RODAS3 */
} mn_heal_solver;

#define MN_HEAL_SOLVER_DEFAULTS                                                        \
    {                                                                                  \
        1e-7, 1e-10, 1.0 / 24.0, MN_HEAL_METHOD_RODAS3                                 \
    }

/* The settings for many people (cohorts): RODAS3 at 1e-4 relative, 1e-6
 * absolute, readiness to 6 h. Their outputs are within 2e-4 (relative to
 * baseline: 0.02 percentage points) and their recovery times within 2e-3
 * days of msbdf at 1e-9 (docs/model.md, "Integration"; measured: 4e-5 and
 * 3e-4 days): closer than msbdf at the 1e-5 the bands used, far inside the
 * validation bands and the between-person spread, for about a third of
 * RODAS3's steps at 1e-5. */
#define MN_HEAL_SOLVER_COHORT                                                          \
    {                                                                                  \
        1e-4, 1e-6, 0.25, MN_HEAL_METHOD_RODAS3                                        \
    }

/* Recovery after one session. Times in days after that session; NaN when
 * not reached within the horizon. */
typedef struct {
    double t_days;                /* time of the session */
    double damage;                /* damage added (reference units) */
    double barrier_closed_days;   /* channels closed (barrier recovered) */
    double redness_resolved_days; /* erythema under threshold */
    double ready_days;            /* damage, inflammation and barrier under
                                     threshold: ready for the next session.
                                     When the next session came first, the
                                     time it would have taken without it. */
    int early;                    /* this session came before the skin had
                                     recovered from the previous one */
    double unready_fraction;      /* share of the previous session's recovery
                                     time still ahead when this one came */
    double inflammation_before;   /* inflammation just before the session */
} mn_heal_session_result;

enum { MN_PIH_LOW = 0, MN_PIH_MODERATE, MN_PIH_HIGH };

/* Name of a hyperpigmentation risk level ("low", "moderate", "high"). */
const char *mn_heal_pih_name(int level);

typedef struct {
    size_t n_days; /* daily samples at t = 0, 1, ..., n_days - 1 days */
    double *daily; /* n_days x MN_HEAL_NSTATES, row per day */
    size_t n_sessions;
    mn_heal_session_result *sessions;
    double horizon_days;
    double overtreatment_index; /* sum of unready_fraction over sessions */
    int overtreated;            /* index >= overtreatment_threshold */
    double inflamed_days;       /* time with inflammation over threshold */
    double peak_inflammation;   /* highest acute inflammation */
    double pih_index;           /* phototype factor x peak inflammation x
                                   (1 + overtreatment index) */
    int pih_risk;               /* MN_PIH_LOW / MODERATE / HIGH */
    int fitzpatrick;
    long steps; /* solver steps taken */
} mn_heal_result;

/* Simulate a course for one person. The result owns its arrays; release
 * with mn_heal_result_free. Errors: MN_EINVAL (bad course or dose),
 * MN_ERANGE (bad parameters), MN_ENOMEM, MN_ENUMERIC (solver failure).
 * Thread-safe; sets GSL's error handler to off once per process (above). */
mn_status mn_heal_simulate(const mn_heal_params *p, const mn_heal_course *c,
                           const mn_heal_solver *s, mn_heal_result *out, mn_error *err);

/* Free what a result owns (r may be NULL); the result is zeroed. */
void mn_heal_result_free(mn_heal_result *r);

/* A state at any time 0..horizon (days), by linear interpolation of the
 * daily series. NaN outside the series. */
double mn_heal_value_at(const mn_heal_result *r, int state, double t_days);

/* Total collagen (relative to baseline) from collagen I and III. */
double mn_heal_total_collagen(const mn_heal_params *p, double collagen_i,
                              double collagen_iii);

/* ---- between-person variability ------------------------------------- */

/* Medians and spreads: each parameter is lognormal with the given median
 * and coefficient of variation (cv = 0: the same for everyone). */
typedef struct {
    mn_heal_params median;
    double cv[MN_HEAL_NPARAMS];
} mn_heal_population;

/* Parameters of virtual person number `sample`, drawn from the stream
 * (seed, "heal", sample, 0): one normal per parameter, in parameter order,
 * value = median * exp(sigma z), sigma^2 = ln(1 + cv^2). Draws are clamped
 * to the parameter's range (fractions stay in 0..1). */
void mn_heal_sample_params(const mn_heal_population *pop, uint64_t seed,
                           uint64_t sample, mn_heal_params *out);

/* Outputs summarised over a population. */
typedef enum {
    MN_HEAL_OUT_COLLAGEN_I = 0,
    MN_HEAL_OUT_COLLAGEN_III,
    MN_HEAL_OUT_ELASTIN,
    MN_HEAL_OUT_EPIDERMIS,
    MN_HEAL_OUT_COLLAGEN_TOTAL,
    MN_HEAL_NOUT
} mn_heal_out_id;

/* Name of an output ("collagen_i", ..., "collagen_total"). */
const char *mn_heal_out_name(int out);

/* Value of an output in a single result at t_days (relative to baseline). */
double mn_heal_out_at(const mn_heal_params *p, const mn_heal_result *r, int out,
                      double t_days);

/* Median and 5-95% band of N virtual people. Arrays are n_days x
 * MN_HEAL_NOUT (row per day) in relative units; per-session arrays have
 * n_sessions entries. */
typedef struct {
    size_t n_samples;
    size_t n_days;
    size_t n_sessions;
    double *p5, *p50, *p95;                   /* daily outputs */
    double *ready_p5, *ready_p50, *ready_p95; /* ready_days per session */
    double oi_p5, oi_p50, oi_p95;             /* overtreatment index */
    double overtreated_share;                 /* share of people flagged */
    double pih_high_share;                    /* share of people with a high PIH risk */
} mn_heal_band;

/* Simulate n_samples virtual people (OpenMP over people; results are
 * bit-identical for any number of threads) and summarise them. progress
 * (may be NULL) is called from one thread at a time; a non-zero return
 * cancels (MN_ECANCEL). Release with mn_heal_band_free. Sets GSL's error
 * handler to off once per process (above). */
mn_status mn_heal_ensemble(const mn_heal_population *pop, const mn_heal_course *c,
                           const mn_heal_solver *s, uint64_t seed, size_t n_samples,
                           const mn_progress *progress, mn_heal_band *out,
                           mn_error *err);

/* Free what a band owns (not b itself). */
void mn_heal_band_free(mn_heal_band *b);

/* ---- endpoints only (cohorts) ------------------------------------------ */

/* Most output times one call of mn_heal_simulate_endpoints takes. */
#define MN_HEAL_MAX_ENDPOINTS 32

/* What a trial needs of one person-course, without the daily series. */
typedef struct {
    size_t n_times;
    double t_days[MN_HEAL_MAX_ENDPOINTS];              /* the times asked for */
    double out[MN_HEAL_MAX_ENDPOINTS][MN_HEAL_NOUT];   /* mn_heal_out_id values */
    double horizon_days;
    double overtreatment_index; /* as in mn_heal_result */
    int overtreated;
    double inflamed_days;
    double peak_inflammation;
    double pih_index;
    int pih_risk;
    long steps;
} mn_heal_endpoints;

/* Simulate a course for one person and keep only the outputs at the
 * n_times times t_days (days, 0..horizon, at most MN_HEAL_MAX_ENDPOINTS)
 * and the course's risks; sessions (the caller's array of c->n_sessions
 * entries; may be NULL only when the course has none) receives the
 * recovery of each session. The values are those mn_heal_simulate and
 * mn_heal_out_at give, to the last bit (same output points, same
 * interpolation between days), without allocating: the call to make once
 * per person and arm in a cohort. Errors as mn_heal_simulate, and MN_EINVAL
 * for bad times. Thread-safe (GSL's handler as for mn_heal_simulate). */
mn_status mn_heal_simulate_endpoints(const mn_heal_params *p, const mn_heal_course *c,
                                     const mn_heal_solver *s, const double *t_days,
                                     size_t n_times, mn_heal_session_result *sessions,
                                     mn_heal_endpoints *out, mn_error *err);

/* A healing parameter file as read: the population (medians in model
 * units, cvs) and the provenance of every parameter. */
typedef struct {
    mn_heal_population population;
    char *description;
    char *source[MN_HEAL_NPARAMS];  /* NULL when not given */
    char *typical[MN_HEAL_NPARAMS]; /* NULL when not given */
} mn_heal_data;

/* Free the strings a mn_heal_data owns (d may be NULL). */
void mn_heal_data_clear(mn_heal_data *d);

#ifdef __cplusplus
}
#endif
#endif
