/* mnsim: virtual trials (floor: therapy): a population of virtual people,
 * arms (courses) run on every one of them, per-person endpoints and the
 * statistics that compare the arms (docs/cohort.md).
 *
 * The pipeline, every step pure (no files, never prints):
 *   mn_cohort_person_sample   person i of the population: age, sex,
 *                             phototype, skin layers, healing parameters,
 *                             hand pressure (stream (seed, "cohort-person", i))
 *   mn_cohort_arm_prepare     an arm's course made ready: per session its
 *                             time, channel density (the course pipeline's
 *                             roll at the endpoint zone), device and force
 *   mn_cohort_run             one person in one arm: adherence (stream
 *                             (seed, "cohort-arm", i, arm)), channel depth at
 *                             the person's skin and force, the healing course
 *                             (mnsim/healing.h), the endpoints
 *   mn_cohort_summarise       per arm and subgroup: medians, 5-95 %, rates
 *                             with Wilson 95 % CIs, paired differences with
 *                             bootstrap CIs (stream (seed, "cohort-boot", ...))
 *
 * Everything a person gets depends only on (seed, person, arm), never on
 * the order of work, the thread or the MPI rank: a trial split in any way
 * gives the same numbers bit for bit.
 *
 * Thread safety: reentrant: populations, trials and prepared arms are only
 * read and may be shared between threads; mn_cohort_run on distinct outputs
 * may run in parallel. */
#ifndef MNSIM_COHORT_H
#define MNSIM_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/healing.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a distribution comes from: a key of docs/references.md in source,
 * or the reason for a typical value in typical (one of them given). */
typedef struct {
    char *source;
    char *typical;
} mn_cohort_prov;

/* A population (a population file, docs/cohort.md). Times in s. */
typedef struct {
    char *name;
    char *description;
    /* age: normal(mean, sd) truncated to [min, max], s */
    double age_mean_s, age_sd_s, age_min_s, age_max_s;
    mn_cohort_prov age;
    double female_share; /* 0..1 */
    mn_cohort_prov sex;
    mn_strings fitzpatrick_shares; /* as read: six numbers, types I..VI */
    double fitzpatrick[6];         /* shares, summing to 1 */
    mn_cohort_prov fitzpatrick_prov;
    /* layers: lognormal factor around the site atlas's value for the sex */
    double epidermis_cv, dermis_cv;
    mn_cohort_prov skin;
    /* healing: data/healing.yaml's between-person cvs times this */
    double healing_cv_scale;
    mn_cohort_prov healing;
    /* adherence per session after the first */
    double missed_probability, early_probability, early_max_s;
    mn_cohort_prov adherence;
    /* hand force: lognormal factor on the protocol's force */
    double pressure_cv;
    mn_cohort_prov pressure;
} mn_cohort_population;

/* Free what a population owns (not p itself); p may be NULL. */
void mn_cohort_population_clear(mn_cohort_population *p);

/* Check ranges and the shares (finite, in range, Fitzpatrick shares sum
 * to 1 within 1e-6). MN_ERANGE names the key. */
mn_status mn_cohort_population_validate(const mn_cohort_population *p, mn_error *err);

/* One arm of a trial as read: a protocol file and optional overrides. */
typedef struct {
    char *name;
    char *protocol;             /* path, relative to the trial file when not absolute */
    char *device;               /* override: catalog name (needle), or NULL */
    double interval_s;          /* override, or NaN */
    long sessions;              /* override, or 0 */
    char *serum;                /* override: compound, or NULL ("none": no serum) */
    double serum_concentration; /* fraction, or NaN */
    char *zone;                 /* endpoint zone, or NULL: the protocol's first */
    int line, column;
} mn_cohort_arm_spec;

/* The endpoints a trial asks for. */
typedef struct {
    mn_strings months_text; /* as read ("3 months", ...) */
    double months[8];       /* months at which collagen, elastin, epidermis */
    size_t n_months;
    double responder_month;    /* collagen month for the responder rule */
    double responder_pct;      /* responder: collagen change >= this, % */
    double bleeding_threshold; /* bleeding: channel share at the capillaries >= this */
    int numbness; /* run the delivery stage once per arm (median person) for
                     whether its anaesthetic numbs in time */
} mn_cohort_endpoint_spec;

/* A trial file (docs/cohort.md). */
typedef struct {
    char *name;
    char *population; /* path, relative to the trial file */
    long n_people;
    long seed;
    mn_table arms; /* of mn_cohort_arm_spec, 1..8 */
    mn_cohort_endpoint_spec endpoints;
    mn_strings age_bands_text; /* bounds as read ("30 years", ...) */
    double age_bands_years[6];
    size_t n_age_bands;
    long bootstrap; /* bootstrap resamples */
    long block;     /* people per checkpoint block */
} mn_cohort_trial;

/* Free what a trial owns (not t itself); t may be NULL. */
void mn_cohort_trial_clear(mn_cohort_trial *t);

/* ---- people ------------------------------------------------------------ */

/* One virtual person. */
typedef struct {
    uint64_t index;
    double age_years;
    int sex;                                /* mn_sex */
    int fitzpatrick;                        /* 1..6 */
    double epidermis_factor, dermis_factor; /* on the atlas's layers */
    double pressure_factor;                 /* on the hand force */
    mn_heal_params heal;
} mn_cohort_person;

/* Person number index of the population: stream (seed, "cohort-person",
 * index, 0), a fixed number of draws in a fixed order; the healing
 * parameters from mn_heal_sample_params(healing, seed, index) (its own
 * stream), healing's cvs already scaled (mn_cohort_healing_population). */
void mn_cohort_person_sample(const mn_cohort_population *pop,
                             const mn_heal_population *healing, uint64_t seed,
                             uint64_t index, mn_cohort_person *out);

/* The healing population of the trial: base's medians, base's cvs times
 * pop->healing_cv_scale. */
void mn_cohort_healing_population(const mn_cohort_population *pop,
                                  const mn_heal_population *base,
                                  mn_heal_population *out);

/* ---- arms -------------------------------------------------------------- */

/* One session of a prepared arm. */
typedef struct {
    double t_days;          /* after the first session */
    double channels_per_m2; /* at the endpoint zone (the median roll) */
    const mn_device *device;
    double force_n;
} mn_cohort_session;

/* An arm ready to run: borrows from its course (keep it alive). */
typedef struct {
    const mn_course *course;
    size_t zone; /* the endpoint zone */
    const mn_site *site;
    mn_cohort_session *sessions;
    size_t n_sessions;
    size_t n_errors, n_warnings; /* the course's safety findings */
    /* Numbness (when asked: mn_cohort_arm_prepare's numbness): the delivery
     * stage of the course pipeline for the median person, its first
     * anaesthetic case. numb_in_time: 1 numb before the cream comes off,
     * 0 not, -1 not asked or no anaesthetic; time_to_numb_s NaN when never
     * numb within the case's horizon. */
    int numb_in_time;
    double time_to_numb_s;
} mn_cohort_arm;

/* Prepare an arm from a resolved course: its safety check and roll (the
 * course pipeline, mn_course_simulate without virtual people) at the zone
 * named zone (NULL: the first zone of the course); with numbness, also the
 * delivery stage (mn_course_deliver, coarse grid: seconds per arm) for
 * numb_in_time. Errors: MN_EINVAL (no such zone, a zone never treated),
 * MN_ENOMEM, model errors. Free with mn_cohort_arm_free. */
mn_status mn_cohort_arm_prepare(const mn_course *course, const char *zone, int numbness,
                                mn_cohort_arm *out, mn_error *err);

/* Free what an arm owns (not the course). */
void mn_cohort_arm_free(mn_cohort_arm *a);

/* ---- endpoints --------------------------------------------------------- */

/* Columns of a person's endpoint vector, after 3 per month (collagen,
 * elastin, epidermis change at that month, %). */
enum {
    MN_COHORT_E_SESSIONS = 0, /* sessions done */
    MN_COHORT_E_READY,        /* mean days to readiness after a session */
    MN_COHORT_E_OI,           /* overtreatment index */
    MN_COHORT_E_PIH,          /* hyperpigmentation index */
    MN_COHORT_E_BLEEDING,     /* mean share of channels at the capillaries */
    MN_COHORT_E_DEPTH,        /* mean channel depth, um */
    MN_COHORT_E_RESPONDER,    /* 1: collagen change >= the threshold */
    MN_COHORT_E_OVERTREATED,  /* 1: overtreatment index over threshold */
    MN_COHORT_E_PIH_HIGH,     /* 1: high hyperpigmentation risk */
    MN_COHORT_E_BLEED,        /* 1: bleeding share >= the threshold */
    MN_COHORT_E_FIXED
};

/* Number of endpoint columns of a trial: 3 x months + MN_COHORT_E_FIXED. */
size_t mn_cohort_n_endpoints(const mn_cohort_endpoint_spec *e);

/* Name of endpoint column k ("collagen_pct_m6", "ready_days", ...) into
 * buf. */
const char *mn_cohort_endpoint_name(const mn_cohort_endpoint_spec *e, size_t k,
                                    char *buf, size_t n);

/* Person p in arm arm_index: missed and early sessions from the stream
 * (seed, "cohort-arm", p->index, arm_index) (three draws per session, the
 * first session always kept), depth at the person's skin (site for the
 * person's sex, layers scaled) with the force times the person's factor,
 * then the healing course with the person's parameters and phototype.
 * out gets mn_cohort_n_endpoints values. Errors: model errors (MN_EINVAL,
 * MN_ENUMERIC). Thread-safe. */
mn_status mn_cohort_run(const mn_cohort_trial *t, const mn_cohort_population *pop,
                        const mn_cohort_arm *arm, size_t arm_index,
                        const mn_cohort_person *p, double *out, mn_error *err);

/* People first .. first + n - 1 in every arm: people gets the n persons
 * (mn_cohort_person_sample), values n x n_arms x mn_cohort_n_endpoints
 * (row per person and arm, person-major). OpenMP-parallel over people and
 * arms; the numbers do not depend on the number of threads. On error, err
 * gets the error of the first failing person and arm (in order). */
mn_status mn_cohort_run_block(const mn_cohort_trial *t, const mn_cohort_population *pop,
                              const mn_heal_population *healing,
                              const mn_cohort_arm *arms, size_t n_arms, uint64_t first,
                              size_t n, mn_cohort_person *people, double *values,
                              mn_error *err);

/* ---- statistics -------------------------------------------------------- */

/* Wilson score interval (95 %, z = 1.959964) of k successes in n: *lo, *hi
 * in 0..1; n = 0 gives NaN. */
void mn_cohort_wilson(size_t k, size_t n, double *lo, double *hi);

/* Quantile q (0..1) of n values (type 7, linear interpolation), NaNs
 * ignored; sorts x in place. NaN when no value. */
double mn_cohort_quantile(double *x, size_t n, double q);

/* Bootstrap 95 % CI (2.5 and 97.5 % percentiles) of the mean of n values
 * with b resamples from the stream (seed, "cohort-boot", key, 0).
 * NaN values are skipped. Returns MN_ENOMEM or MN_OK. */
mn_status mn_cohort_bootstrap_mean(const double *x, size_t n, size_t b, uint64_t seed,
                                   uint64_t key, double *lo, double *hi);

/* Subgroups: all, Fitzpatrick I-III / IV / V-VI, female / male, age bands. */
typedef struct {
    char name[32];
    int kind; /* 0 all, 1 phototype, 2 sex, 3 age band */
    int a, b; /* phototype a..b, sex a, age band years [a, b) */
} mn_cohort_subgroup;

/* One statistic of one endpoint in one arm and subgroup. */
typedef struct {
    size_t arm, subgroup, endpoint;
    size_t n;
    double median, p5, p95, mean;
    size_t k; /* flags: how many 1 */
    double rate, rate_lo, rate_hi;
} mn_cohort_stat;

/* Paired difference of an endpoint between arm and arm 0 (the reference)
 * in a subgroup: mean of the differences, its bootstrap CI, and the
 * median difference. */
typedef struct {
    size_t arm, subgroup, endpoint;
    size_t n;
    double mean, lo, hi, median;
} mn_cohort_diff;

typedef struct {
    size_t n_arms, n_people, n_endpoints;
    mn_cohort_subgroup *subgroups;
    size_t n_subgroups;
    mn_cohort_stat *stats; /* n_arms x n_subgroups x n_endpoints */
    mn_cohort_diff *diffs; /* (n_arms - 1) x n_subgroups x the compared endpoints */
    size_t n_diffs;
    size_t *compared; /* the endpoints compared in diffs */
    size_t n_compared;
} mn_cohort_summary;

/* Summarise a trial: values holds n_people x n_arms x n_endpoints (row
 * per person and arm, person-major), people the n_people persons (for
 * their subgroups). Deterministic: the same input gives the same bytes.
 * Errors: MN_ENOMEM. Free with mn_cohort_summary_free. */
mn_status mn_cohort_summarise(const mn_cohort_trial *t, const mn_cohort_person *people,
                              size_t n_people, size_t n_arms, const double *values,
                              mn_cohort_summary *out, mn_error *err);

/* Free what a summary owns. */
void mn_cohort_summary_free(mn_cohort_summary *s);

#ifdef __cplusplus
}
#endif
#endif
