/* mnsim: the files of a delivery experiment: its figure (PLplot) and its
 * time series as CSV, each written whole or not at all (mnsim/file.h,
 * mnsim/plot.h) (floor: report). An existing file is replaced only with
 * force, and only when it is a regular file.
 *
 * Thread safety: thread-safe: figures go through mn_plot_render (one at a time,
 * mnsim/plot.h); the CSV writer is reentrant. */
#ifndef MNSIM_PLOT_DELIVER_H
#define MNSIM_PLOT_DELIVER_H

#include "mnsim/deliver.h"
#include "mnsim/error.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Four panels: amount delivered past the stratum corneum over time (with
 * channels and on intact skin); the concentration at the nerve endings
 * with the numbing threshold (anaesthetics) or the flux into the dermis;
 * laterally averaged concentration-depth profiles at four times; the
 * concentration in a cross-section through the channel at the end (log
 * colour scale, layers and channel outline drawn). .png or .svg. Errors:
 * as mn_plot_render (MN_EINVAL, MN_EEXIST, MN_EIO). Not thread-safe
 * with other PLplot users (figures are serialised among themselves). */
mn_status mn_plot_deliver(const char *path, const mn_deliver_result *r,
                          const mn_skin *skin, double channel_depth_m,
                          double channel_radius_m, int channel_shape, const char *title,
                          int force, mn_error *err);

/* The time series as CSV (one row per sample; amounts in ug/cm^2, fluxes in
 * ug/cm^2/h, concentrations in mg/mL; intact columns beside), written
 * whole or not at all. Errors: MN_EEXIST, MN_EINVAL (not a regular file),
 * MN_EIO. */
mn_status mn_deliver_write_csv(const char *path, const mn_deliver_result *r, int force,
                               mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
