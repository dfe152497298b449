/* mnsim: the page of `mnsim validate --report DIR` (floor: report): every
 * case in a table and, per model, a figure of how far mnsim lies from each
 * published value, in units of the case's tolerance.
 *
 * Thread safety: thread-safe on distinct output folders: figures one at a time
 * (mn_plot_render, mnsim/plot.h). */
#ifndef MNSIM_VALIDATION_REPORT_H
#define MNSIM_VALIDATION_REPORT_H

#include "mnsim/error.h"
#include "mnsim/validation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The figure of one model's cases (.png or .svg): for each case its
 * deviation from the published value (or range) divided by its tolerance
 * (or, for a range with no tolerance, by half the range), with the band of
 * virtual people where there is one; calibration cases filled, validation
 * cases open, known discrepancies red; the band |deviation| <= 1 shaded.
 * An existing file is replaced only with force (mn_plot_render). Errors:
 * MN_EINVAL (no case of the model, unknown extension, a target that is not
 * a regular file), MN_EEXIST, MN_EIO. */
mn_status mn_plot_validation(const char *path, const char *model,
                             const mn_vcase_list *cases, const mn_vresult *r, int force,
                             mn_error *err);

/* DIR/validation.html (self-contained: figures embedded) and
 * DIR/validation-MODEL.png for every model with cases, all or nothing
 * (mn_file_set, mnsim/file.h): every name is checked before anything is
 * written, the files are written into a staging folder inside dir and
 * moved into place only when all were written, so a failure leaves dir as
 * it was. dir is created when missing; existing files are replaced only
 * with force (MN_EEXIST names them). Errors: MN_EEXIST, MN_EINVAL, MN_EIO,
 * MN_ENOMEM. */
mn_status mn_validation_report_write(const char *dir, int force,
                                     const mn_vcase_list *cases, const mn_vresult *r,
                                     mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
