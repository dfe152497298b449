/* mnsim: a rolling session as JSON (floor: report): the pieces of the
 * document `mnsim roll --json` prints, for any front end that serves the
 * same results. Keys carry their units (mm, um, deg, per_cm2); the numbers
 * come from mnsim/roll_session.h and mnsim/roll.h.
 *
 * Each function builds nodes of the document j and returns the new node
 * (NULL when out of memory), which belongs to j: put it into an object or
 * array of j, and mn_json_free(j) frees it. One document must not be built
 * from two threads at once.
 *
 * Thread safety: reentrant on distinct documents (see above). */
#ifndef MNSIM_ROLL_JSON_H
#define MNSIM_ROLL_JSON_H

#include "mnsim/json.h"
#include "mnsim/roll.h"
#include "mnsim/roll_session.h"
#include "mnsim/zone.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the hand moved: overlap, jitters, pass offset, phase, slip, and for
 * stamps and pens (device_type, mn_device_type) the stamp jitter, for pens
 * the speed. */
mn_jnode *mn_roll_hand_json(mn_json *j, const mn_roll_params *p, int device_type);

/* The pattern's directions in order: [{"direction", "passes"}, ...]. */
mn_jnode *mn_roll_directions_json(mn_json *j, const mn_roll_pattern *p);

/* One zone of a session: area, punctures, density, coverage (also after
 * each pass), nearest neighbours, hits, the model's and the simulated
 * depth; with_target adds "passes_to_target" (a number or "not reached"). */
mn_jnode *mn_roll_zone_json(mn_json *j, const mn_roll_zone_row *z, int with_target);

/* What a zones file offers: puts "zones" (name, label, site, chart, area,
 * points, source), "groups" (name, label, zones, area) and "patterns"
 * (name, description) into the object obj. */
mn_status mn_zone_list_json(mn_json *j, mn_jnode *obj, const mn_zone_list *zl);

#ifdef __cplusplus
}
#endif
#endif
