/* mnsim: what `mnsim run` writes: results.json, CSV series, figures and
 * one self-contained report.html (floor: report). The format of results.json is
 * documented in docs/results.md.
 *
 * Thread safety: thread-safe on distinct output folders: text files are written by
 * reentrant code, figures one at a time (mn_plot_render, mnsim/plot.h); the course
 * and its outcome are only read. */
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
 * (created if missing), all or nothing (mn_file_set, mnsim/file.h): the
 * complete list of files (the one results.json lists under "files") is
 * checked before anything is written, and an existing one is replaced
 * only with force (MN_EEXIST naming the existing ones otherwise) and only
 * when it is a regular file (MN_EINVAL). Everything is written into a
 * staging folder inside dir and moved into place only when all of it was
 * written, so a failure (a full disk, a figure that cannot be drawn)
 * leaves the previous results whole. protocol_path is recorded in the
 * results. Delivery cases (when there are any) add the delivery section,
 * delivery.csv and delivery-N.png. Errors: MN_EEXIST, MN_EINVAL, MN_EIO,
 * MN_ENOMEM. Figures are serialised with other mnsim figures (PLplot has
 * one state per process). */
mn_status mn_report_write_all(const char *dir, int force, const char *protocol_path,
                              const mn_course *c, const mn_course_outcome *outcome,
                              mn_error *err);

/* Before the work: whether dir may receive a course's results, checked
 * on the files every run writes (report.html, results.json, sessions.csv,
 * healing.csv) as mn_report_write_all will check them, so that a command
 * fails before a long simulation rather than after it. A missing dir is
 * fine. Errors: MN_EEXIST (naming the existing files), MN_EINVAL, MN_EIO. */
mn_status mn_report_check_dir(const char *dir, int force, mn_error *err);

/* Encode bytes as base64 (RFC 4648) into a malloc'd NUL-terminated string. */
char *mn_base64(const unsigned char *data, size_t n);

#ifdef __cplusplus
}
#endif
#endif
