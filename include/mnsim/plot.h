/* mnsim: figures through PLplot's cairo driver (floor: report).
 *
 * The format follows the file name: .png (pngcairo) or .svg (svgcairo).
 * Every figure is drawn by mn_plot_render: PLplot writes into a temporary
 * file that mnsim created beside the target (mnsim/file.h), so PLplot never
 * opens a path itself; the finished file is checked (a PNG must be whole,
 * chunk by chunk, an SVG must end with its closing tag), flushed to the
 * disk and renamed over the target. A full disk or a short write is an
 * error and leaves the target as it was. PLplot's messages are caught
 * (plsError) and returned as mnsim errors, never printed; its exit handler
 * is replaced while drawing so that a fatal PLplot error returns an error
 * instead of ending the program (PLplot is then unusable in this process
 * and later figures fail with MN_EIO). PLplot keeps one state per
 * process: figures are drawn one at a time (a lock serialises callers of
 * different threads).
 *
 * Thread safety: thread-safe: figures are drawn one at a time behind one process-
 * wide lock (see above); after a fatal PLplot error every later figure fails with
 * MN_EIO. */
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

/* The page of a figure. */
typedef struct {
    int width, height; /* pixels */
    int nx, ny;        /* subpages across and down; 0: 1 */
} mn_plot_page;

/* Draw one figure into path: PLplot is set up for the page (white
 * background), draw(ctx) makes the PLplot calls between plinit and plend,
 * and the file is written whole or not at all (above). An existing path
 * is replaced only with force and only when it is a regular file.
 * Errors: MN_EINVAL (extension, a target that is not a regular file),
 * MN_EEXIST, MN_EIO (no folder, a full disk, a figure PLplot could not
 * draw, with PLplot's message). */
mn_status mn_plot_render(const char *path, int force, const mn_plot_page *page,
                         void (*draw)(void *ctx), void *ctx, mn_error *err);

/* Whether the n bytes at data are a whole PNG file (signature, every
 * chunk with its CRC, IEND last) or, for svg != 0, an SVG document that
 * ends with its closing tag. */
int mn_plot_file_whole(const unsigned char *data, size_t n, int svg);

/* Cross-section of the skin layers at a site with one channel drawn to
 * scale (depth and surface width) and the capillary loop depth. title is
 * printed above. Errors: as mn_plot_render. */
mn_status mn_plot_depth_section(const char *path, const mn_skin *skin,
                                const mn_depth_result *r, double needle_length_m,
                                const char *title, int force, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
