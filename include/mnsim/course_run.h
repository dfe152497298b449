/* mnsim: the course pipeline (floor: therapy): one call that runs a whole
 * course, the same for every front end (`mnsim run`, `mnsim journal
 * course`, and the cohort and web app to come).
 *
 * Stages, in order, each in its own file:
 *   check     the safety rules on the course        src/therapy/course.c
 *   roll      every zone of every session rolled     src/therapy/simulate.c
 *             (puncture map, density, coverage)      (model: src/model/roll*.c)
 *   depth     the channels at each zone's site       (model: src/model/depth.c)
 *   heal      12 months of healing per zone, the     src/therapy/simulate.c
 *             median person and virtual people       (model: src/model/healing.c)
 *   deliver   anaesthetic on intact skin, serum      src/therapy/course_deliver.c
 *             over the channels                      (model: src/model/deliver.c,
 *                                                     transport*.c)
 * Input: a resolved course (mnsim/course.h; read from a protocol file by
 * mnsim/course_io.h, or built by a program). Output: one mn_course_outcome
 * that the report floor renders (mnsim/report.h). Pure: no files, never
 * prints.
 *
 * Thread safety: reentrant: the course is only read and may be shared between
 * threads; runs into distinct outcomes may go on at the same time (each is OpenMP-
 * parallel itself). */
#ifndef MNSIM_COURSE_RUN_H
#define MNSIM_COURSE_RUN_H

#include "mnsim/course.h"
#include "mnsim/course_deliver.h"
#include "mnsim/error.h"
#include "mnsim/progress.h"
#include "mnsim/validation.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    mn_course_options simulate;      /* virtual people, seed, roll metrics */
    int deliver;                     /* run the delivery stage (default 1) */
    mn_course_deliver_opts delivery; /* its grid, threads, samples */
} mn_course_run_options;

/* Defaults: mn_course_options_default, the delivery stage on with
 * mn_course_deliver_opts_default. */
void mn_course_run_options_default(mn_course_run_options *o);

/* What a course gave: the simulation (findings of every stage included)
 * and the delivery cases (count 0 when the stage was skipped or the course
 * applies nothing). evidence is not set by mn_course_run (it stays empty):
 * a front end that evaluated the published cases (mnsim/validation.h)
 * lends them here for the report; mn_course_outcome_free does not free
 * them. */
typedef struct {
    mn_course_result course;
    mn_course_deliveries delivery;
    mn_evidence evidence;
} mn_course_outcome;

/* Run the course c: check, roll, depth, heal (mn_course_simulate), then,
 * when o->deliver, the delivery stage (mn_course_deliver). progress (may be
 * NULL) hears the stages "roll", "heal", "deliver" and, at the end, "done"
 * at 1.0; returning non-zero cancels (MN_ECANCEL). o may be NULL for the
 * defaults. Results are bit-identical for any number of threads. Errors:
 * MN_EINVAL, MN_ENOMEM, MN_ENUMERIC, MN_ECANCEL, with the message in err.
 * *out is always initialised: free it with mn_course_outcome_free, also
 * after an error. Thread-safety: c is only read; runs on different
 * outcomes may go on at the same time. */
mn_status mn_course_run(const mn_course *c, const mn_course_run_options *o,
                        const mn_progress *progress, mn_course_outcome *out,
                        mn_error *err);

/* Free what an outcome owns (not o itself); o may be NULL. */
void mn_course_outcome_free(mn_course_outcome *o);

#ifdef __cplusplus
}
#endif
#endif
