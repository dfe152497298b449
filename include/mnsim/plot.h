/* mnsim: figures through PLplot's cairo driver (floor: report).
 *
 * The format follows the file name: .png (pngcairo) or .svg (svgcairo).
 * Files are written to a temporary name and renamed, so a failed plot never
 * leaves a half-written file. PLplot keeps global state: call these from
 * one thread at a time. */
#ifndef MNSIM_PLOT_H
#define MNSIM_PLOT_H

#include "mnsim/depth.h"
#include "mnsim/error.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PLplot device name for a file name ("pngcairo", "svgcairo"), or NULL
 * when the extension is neither .png nor .svg. */
const char *mn_plot_device_for(const char *path);

/* Cross-section of the skin layers at a site with one channel drawn to
 * scale (depth and surface width) and the capillary loop depth. title is
 * printed above. Errors: MN_EINVAL (unknown extension), MN_EIO. */
mn_status mn_plot_depth_section(const char *path, const mn_skin *skin,
                                const mn_depth_result *r, double needle_length_m,
                                const char *title, mn_error *err);

/* Rename tmp to path atomically, or remove tmp and report MN_EIO. */
mn_status mn_plot_commit(const char *tmp, const char *path, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
