/* mnsim: reading the treatment zones of data/zones.yaml (kind: zones;
 * floor: data). The zones themselves are in mnsim/zone.h.
 *
 * Thread safety: reentrant: each call reads its file into the caller's list; a
 * loaded list may be shared read-only between threads. */
#ifndef MNSIM_ZONES_H
#define MNSIM_ZONES_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/input.h"
#include "mnsim/zone.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema of a zones file (kind: zones), for mnsim check and docs. */
extern const mn_schema mn_schema_zones_file;

/* Read a zones file. Every problem goes to diags (if given): unknown keys,
 * points that are not "x mm, y mm", outlines with fewer than 3 points or
 * crossing themselves, groups naming unknown zones, zones of one group that
 * overlap. Errors: MN_EIO, MN_EPARSE, MN_ESCHEMA (first problem in err),
 * MN_ENOMEM. Free with mn_zone_list_free (also after an error). */
mn_status mn_zones_load(const char *path, mn_zone_list *out, mn_diags *diags,
                        mn_error *err);

/* Parse a point "x unit, y unit" (e.g. "12 mm, -3.5 mm") into m.
 * Errors: MN_EINVAL with what is accepted. */
mn_status mn_zone_parse_point(const char *text, double *x_m, double *y_m,
                              mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
