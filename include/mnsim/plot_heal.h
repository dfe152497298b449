/* mnsim: the figure of a healing course (floor: report, PLplot cairo driver).
 *
 * Four panels (collagen I, collagen III, elastin, epidermal thickness) in %
 * of baseline against months after the first session: the median person as
 * a line, the 5-95% band of virtual people shaded when given, 100% dashed,
 * the sessions as ticks. The format follows the file name (.png or .svg);
 * the file is written whole or not at all by mn_plot_render (mnsim/plot.h),
 * which also serialises figures (PLplot keeps one state per process).
 *
 * Thread safety: thread-safe: figures go through mn_plot_render (one at a time,
 * mnsim/plot.h). */
#ifndef MNSIM_PLOT_HEAL_H
#define MNSIM_PLOT_HEAL_H

#include <stddef.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *title;          /* printed above the panels */
    size_t n_days;              /* rows: day 0, 1, ..., n_days - 1 */
    const double *median;       /* n_days x MN_HEAL_NOUT, relative (1 = baseline) */
    const double *p5, *p95;     /* the band, same layout; NULL for none */
    const double *session_days; /* time of each session, days */
    size_t n_sessions;
} mn_plot_heal_data;

/* Draw the healing curves to path. Does not overwrite an existing file
 * unless force (MN_EEXIST), nor anything but a regular file (MN_EINVAL).
 * Errors: MN_EINVAL (extension, empty data, target), MN_EEXIST, MN_EIO,
 * MN_ENOMEM. */
mn_status mn_plot_heal(const char *path, const mn_plot_heal_data *d, int force,
                       mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
