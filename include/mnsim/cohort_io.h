/* mnsim: reading population and trial files, and an arm's course
 * (floor: data; docs/cohort.md).
 *
 * Thread safety: reentrant: schemas are constant; distinct outputs may be
 * read in parallel. */
#ifndef MNSIM_COHORT_IO_H
#define MNSIM_COHORT_IO_H

#include "mnsim/cohort.h"
#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/input.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schemas of the two files (kind: population, kind: trial), for
 * mnsim check. */
extern const mn_schema mn_schema_population_file;
extern const mn_schema mn_schema_trial_file;

/* Read a population file: the schema (every section with source: or
 * typical:), then mn_cohort_population_validate. Every problem goes to
 * diags (may be NULL) with its line and column; err gets the first.
 * Errors: MN_EIO, MN_EPARSE, MN_ESCHEMA, MN_ERANGE. *out is always
 * initialised: free with mn_cohort_population_clear, also after an error. */
mn_status mn_cohort_population_load(const char *path, mn_cohort_population *out,
                                    mn_diags *diags, mn_error *err);

/* Read a trial file. The paths of the population and of each arm's
 * protocol are made relative to the trial file's folder (unless absolute).
 * Errors and ownership as mn_cohort_population_load; free with
 * mn_cohort_trial_clear. */
mn_status mn_cohort_trial_load(const char *path, mn_cohort_trial *out, mn_diags *diags,
                               mn_error *err);

/* The course of an arm: its protocol read, the arm's overrides applied
 * (device, interval, sessions, serum), then resolved against data_dir
 * (mn_course_resolve). Errors as mn_course_load, and MN_EINVAL for an
 * override the protocol cannot take (interval or sessions on a protocol
 * with explicit dates), at the arm's line and column. *c is always
 * initialised: free with mn_course_free. */
mn_status mn_cohort_arm_course_load(const mn_cohort_arm_spec *a, const char *trial_path,
                                    const char *data_dir, mn_course *c, mn_diags *diags,
                                    mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
