/* mnsim: writing rolling results: puncture maps (PLplot, cairo driver) and
 * the punctures as CSV (floor: report).
 *
 * Files are written whole or not at all (mnsim/file.h, mnsim/plot.h): a
 * failure never leaves a half-written file, an existing file is never
 * replaced unless asked, and a device, FIFO, folder or symbolic link at
 * the target never is. Maps are drawn by mn_plot_render, which serialises
 * figures (PLplot keeps one state per process).
 *
 * Thread safety: thread-safe: maps go through mn_plot_render (one at a time,
 * mnsim/plot.h); the CSV writer is reentrant. */
#ifndef MNSIM_ROLL_IO_H
#define MNSIM_ROLL_IO_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/roll.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_ROLL_MAP_AUTO = 0, /* channels for small areas, density otherwise */
    MN_ROLL_MAP_DENSITY,  /* heat map of punctures/cm^2 */
    MN_ROLL_MAP_CHANNELS  /* every channel, coloured by depth */
} mn_roll_map_mode;

typedef struct {
    int mode;                /* mn_roll_map_mode */
    const char *title;       /* printed above (may be NULL) */
    double cell_m;           /* heat map cell; 0: chosen from the extent */
    double channel_radius_m; /* drawn radius of a channel; 0: 0.1 mm */
    int overwrite;           /* replace an existing file */
} mn_roll_map_opts;

/* The mode AUTO picks for these regions: channels when they cover at most
 * 10 cm^2 and hold at most 20 000 punctures, otherwise density. */
int mn_roll_map_auto_mode(const mn_roll_result *r, const mn_roll_region *regions,
                          size_t n_regions);

/* Draw the puncture map of a session with the outlines of its regions
 * (mm axes, equal scale) into path: .png (pngcairo) or .svg (svgcairo).
 * Errors: MN_EINVAL (other extension, no regions, a target that is not a
 * regular file), MN_EEXIST (path exists and o->overwrite is 0), MN_EIO,
 * MN_ENOMEM. */
mn_status mn_roll_map_write(const char *path, const mn_roll_result *r,
                            const mn_roll_region *regions, size_t n_regions,
                            const mn_roll_map_opts *o, mn_error *err);

/* Write every puncture, one line each: x_mm, y_mm, depth_um, zone,
 * stroke, pass, direction, needle (with a header line). An existing file
 * is replaced only with overwrite and only when it is a regular file.
 * Errors: MN_EEXIST, MN_EIO, MN_EINVAL. */
mn_status mn_roll_csv_write(const char *path, const mn_roll_result *r,
                            const mn_roll_region *regions, int overwrite,
                            mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
