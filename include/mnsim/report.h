/* mnsim: what `mnsim run` writes: results.json, CSV series, figures and
 * one self-contained report.html (floor: report). The format of results.json is
 * documented in docs/results.md. */
#ifndef MNSIM_REPORT_H
#define MNSIM_REPORT_H

#include "mnsim/course.h"
#include "mnsim/course_run.h"
#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the results.json format. */
#define MN_RESULTS_FORMAT 1

/* Write everything about the outcome of course c (mn_course_run) into dir
 * (created if missing). An existing file is replaced only with force
 * (MN_EEXIST otherwise, before anything is written). Every file is written
 * to a temporary name and renamed. protocol_path is recorded in the
 * results. Delivery cases (when there are any) add the delivery section,
 * delivery.csv and delivery-N.png. Errors: MN_EEXIST, MN_EIO, MN_ENOMEM.
 * Not thread-safe (PLplot has one state per process). */
mn_status mn_report_write_all(const char *dir, int force, const char *protocol_path,
                              const mn_course *c, const mn_course_outcome *outcome,
                              mn_error *err);

/* Encode bytes as base64 (RFC 4648) into a malloc'd NUL-terminated string. */
char *mn_base64(const unsigned char *data, size_t n);

#ifdef __cplusplus
}
#endif
#endif
