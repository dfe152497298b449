/* mnsim: the catalogs as JSON (floor: report): a device, a skin site and a
 * compound as the objects `mnsim devices --json`, `mnsim sites --json` and
 * the web app's /api/compounds print, so every front end serves the same
 * keys. Keys carry their units (mm, um, kpa, per_cm2, mg_ml).
 *
 * Each function builds a node of the document j and returns it (NULL when
 * out of memory); the node belongs to j: put it into an object or array of
 * j, and mn_json_free(j) frees it. One document must not be built from two
 * threads at once.
 *
 * Thread safety: reentrant on distinct documents (see above). */
#ifndef MNSIM_CATALOG_JSON_H
#define MNSIM_CATALOG_JSON_H

#include "mnsim/compound.h"
#include "mnsim/device.h"
#include "mnsim/json.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A device: name, type, setting, needles, lengths in mm, density per pass
 * per cm2, source and typical values. */
mn_jnode *mn_device_json(mn_json *j, const mn_device *d);

/* A skin site for one sex: the layers' thicknesses in um (k: the site's
 * skin for that sex, from mn_site_skin), capillary depth, modulus in kPa,
 * the sources of each value. */
mn_jnode *mn_site_json(mn_json *j, const mn_site *s, const mn_skin *k, mn_sex sex);

/* A compound: name, label, use (anaesthetic, cosmetic, drug), molar mass
 * in g/mol, log P, product strength in mg/ml, dose in mg/cm2, sources. */
mn_jnode *mn_compound_json(mn_json *j, const mn_compound *c);

#ifdef __cplusplus
}
#endif
#endif
