/* mnsim: the files of a virtual trial (floor: report; docs/cohort.md):
 * persons.csv (one row per person and arm, in person order),
 * summary.json, summary.csv, three figures and report.html.
 *
 * Thread safety: reentrant: inputs are only read; distinct folders may be
 * written in parallel. */
#ifndef MNSIM_COHORT_REPORT_H
#define MNSIM_COHORT_REPORT_H

#include <stddef.h>

#include "mnsim/cohort.h"
#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a trial's report is made of (all borrowed). */
typedef struct {
    const char *trial_path;
    const mn_cohort_trial *trial;
    const mn_cohort_population *population;
    const char *const *arm_names; /* n_arms */
    const mn_cohort_arm *arms;    /* n_arms */
    size_t n_arms;
    const mn_cohort_person *people; /* n_people */
    const double *values;           /* n_people x n_arms x endpoints */
    const mn_cohort_summary *summary;
    /* persons.csv: the header, then these files' contents in this order
     * (the blocks of rows, mn_cohort_rows_csv without header) */
    const char *const *row_files;
    size_t n_row_files;
} mn_cohort_report;

/* The rows of n people (people[0..n-1], values n x n_arms x endpoints) as
 * CSV text: person, arm, age_years, sex, fitzpatrick, the endpoints (%.9g);
 * the header line first when header. malloc'd (caller frees), NULL when out
 * of memory. Thread-safe. */
char *mn_cohort_rows_csv(const mn_cohort_trial *t, const char *const *arm_names,
                         size_t n_arms, const mn_cohort_person *people, size_t n,
                         const double *values, int header);

/* The names mn_cohort_report_write writes into a folder (NULL-terminated). */
extern const char *const mn_cohort_report_files[];

/* Write every file into dir whole or not at all (mnsim/file.h: checked
 * first, written into a staging folder, moved in together; nothing is
 * replaced without force). Errors: MN_EEXIST, MN_EINVAL, MN_EIO, MN_ENOMEM. */
mn_status mn_cohort_report_write(const char *dir, int force, const mn_cohort_report *r,
                                 mn_error *err);

/* The three figures (PNG) into dir: cohort-distributions.png,
 * cohort-responders.png, cohort-forest.png. Errors: as mn_plot_render. */
mn_status mn_cohort_plots(const char *dir, int force, const mn_cohort_report *r,
                          mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
