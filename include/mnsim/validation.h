/* mnsim: calibration and validation cases, and mnsim's answer to each
 * (floor: therapy).
 *
 * A case is one published measurement: the model it checks, the inputs of
 * the experiment (device, skin, schedule, ... as text with units, the way
 * the data files write them), the quantity compared, the published value
 * with its spread, the tolerance and the reference (a key of
 * docs/references.md). A case used to fit any parameter is a calibration
 * case; only cases that no fit saw are validation cases. The cases are
 * data (the files of data/validation/, read by mnsim/validation_io.h): adding one
 * needs no C; a new model or quantity needs an evaluator here.
 *
 * Models and their inputs (every key optional unless said):
 *   depth  device (required: a catalog name or a device file), site or the
 *          layers stratum_corneum, viable_epidermis, papillary_dermis,
 *          reticular_dermis, capillary_loop_depth and modulus; sex;
 *          pressure (light, medium, firm) or force ("10 N", on the device).
 *          Quantities: depth_um, width_um, depth_fraction (of the needle).
 *   roll   device (required), passes (required). Quantity:
 *          density_per_cm2 (the device's geometry times the passes).
 *   channel  dermis_depth (mm of channel inside the dermis), or device and
 *          site (and pressure, layers) for the depth the penetration model
 *          gives; occluded (yes or no, default no). Quantities: closure_h,
 *          half_life_h (mnsim/channel.h).
 *   heal   sessions (required), interval (required when sessions > 1),
 *          and either density ("229 /cm2"), depth, dermis_depth, bleeding
 *          (a fraction), or device, site, passes and pressure (the dose the
 *          penetration model gives); the time of the measurement: at
 *          (after the first session) or after_last. Quantities:
 *          collagen_total_pct, collagen_i_pct, collagen_iii_pct,
 *          elastin_pct, epidermis_pct, tropoelastin_pct (change from
 *          baseline, %), barrier_closed_days, redness_resolved_days,
 *          ready_days (of the first session), inflammation_peak_day,
 *          fibroblast_peak_day, collagen_iii_peak_day, collagen_i_peak_day.
 *   deliver  compound (required, a catalog name); device (absent: intact
 *          skin), passes, pressure or force; site or the layers; sex;
 *          concentration_mg_ml (default: the compound's), dose_mg_cm2
 *          (default: infinite), time ("60 min"), occluded (yes/no).
 *          Quantities: log10_kp_cm_h (intact skin's steady flux over the
 *          dissolved concentration), steady_flux_intact_ug_cm2_h,
 *          steady_state_enhancement (mnsim/deliver.h), time_to_numbness_min
 *          (the time itself when not reached: a lower bound).
 *
 * Thread safety: reentrant: cases are only read; results are the caller's; runs are
 * OpenMP-parallel themselves. */
#ifndef MNSIM_VALIDATION_H
#define MNSIM_VALIDATION_H

#include <stddef.h>

#include "mnsim/channel.h"
#include "mnsim/compound.h"
#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/healing.h"
#include "mnsim/progress.h"
#include "mnsim/skin.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_VCASE_CALIBRATION = 0, MN_VCASE_VALIDATION } mn_vcase_role;

/* "calibration" or "validation"; NULL-terminated list for readers. */
const char *mn_vcase_role_name(int role);
extern const char *const mn_vcase_role_names[];

/* One published measurement. Numbers are in the unit the quantity's name
 * carries (depth_um: um; *_pct: %; *_days: days). NaN: not given. */
typedef struct {
    char *name;       /* unique id, e.g. kalluri2011-depth-770um */
    char *model;      /* depth, roll, heal */
    int model_choice; /* index of model for readers (ignored by evaluation) */
    int role;         /* mn_vcase_role */
    char *quantity;   /* e.g. depth_um */
    mn_strmap input;  /* the experiment, values with units */
    double value;     /* published mean (or central value) */
    double sd;        /* its standard deviation */
    double low, high; /* a published range, or a direction: "increased" is
                         low 0, high +inf */
    long n;           /* subjects or samples (-1: not given) */
    double tolerance; /* accepted |mnsim - value| (or distance outside
                         low..high), in the quantity's unit */
    char *reference;  /* key of docs/references.md */
    char *what;       /* one line: what was measured, for the table */
    char *notes;
    char *discrepancy; /* NULL, or why mnsim is known to disagree with this
                          measurement (a model limit, stated rather than
                          hidden): the case is then expected to fail */
    char *dir;         /* folder of the file the case is in (for device files) */
} mn_vcase;

typedef struct {
    mn_vcase *items;
    size_t count;
} mn_vcase_list;

/* Free what a list of cases owns (not l itself). */
void mn_vcase_list_free(mn_vcase_list *l);

/* What the models need: the catalogs and parameters (borrowed). */
typedef struct {
    const mn_device_list *devices;
    const mn_site_list *sites;
    const mn_depth_params *depth;
    const mn_heal_population *healing;
    const mn_channel_params *channel;
    const mn_compound_catalog *compounds; /* for deliver cases */
    size_t n_people;                      /* virtual people for the bands (0: none) */
    uint64_t seed;
} mn_validation_env;

/* mnsim's answer to one case. */
typedef struct {
    double value;     /* the model's value (median person) */
    double p5, p95;   /* its 5-95% band over people (NaN: no band) */
    double deviation; /* value - published, or the distance outside the
                         published range (0 inside) */
    int passed;       /* within the tolerance */
    int expected;     /* the outcome the case file expects: passed, or
                         failed for a case with a known discrepancy */
    mn_status status; /* MN_OK, or why the case could not be run */
    /* Why, whole: room for an mn_error's message and what it is about. */
    char message[MN_ERROR_MSG_MAX + 256];
} mn_vresult;

/* Evaluate one case. A case that cannot be run (unknown model, quantity or
 * input, a device that does not resolve) gives status != MN_OK in r and
 * MN_OK as return: it is a finding about the case, not a failure of the
 * run. Errors: MN_ENOMEM. Thread-safe for distinct r. */
mn_status mn_vcase_evaluate(const mn_validation_env *env, const mn_vcase *c,
                            mn_vresult *r, mn_error *err);

/* Evaluate every case (in parallel; results in case order, the same for
 * any thread count). progress (may be NULL) hears "validate". Errors:
 * MN_ENOMEM, MN_ECANCEL. out: count results, malloc'd; free() it. */
mn_status mn_validation_run(const mn_validation_env *env, const mn_vcase_list *cases,
                            const mn_progress *progress, mn_vresult **out,
                            mn_error *err);

/* Counts over results: cases, passed, validation cases, validation passed,
 * cases that could not be run. */
typedef struct {
    size_t cases, passed, validation, validation_passed, not_run;
    size_t known;      /* failed as their known discrepancy says */
    size_t unexpected; /* failed without a known discrepancy, or passed
                          although one is stated (the statement is stale) */
} mn_validation_summary;

/* Count the results r (one per case of cases) into *s: passed, known
 * discrepancies, unexpected, not run, validation cases passed. */
void mn_validation_summarise(const mn_vcase_list *cases, const mn_vresult *r,
                             mn_validation_summary *s);

/* The published record beside a course's results (the section "How far
 * these numbers are supported" of report.html): cases and mnsim's answer
 * to each, in the same order. Both borrowed; cases NULL: nothing shown. */
typedef struct {
    const mn_vcase_list *cases;
    const mn_vresult *results;
} mn_evidence;

#ifdef __cplusplus
}
#endif
#endif
