/* mnsim: the healing model's parameter file, data/healing.yaml (floor: data).
 *
 * kind: healing. Every parameter of the model (mnsim/healing.h) is a
 * mapping under `parameters` with its median (with the unit of the
 * quantity: "2 days", "0.5 mm", or a plain number), its between-person
 * coefficient of variation `cv` (lognormal; 0 = the same for everyone) and
 * where the value comes from: `source:` (a publication) and/or `typical:`
 * (the reason for a typical or calibrated value).
 *
 * Thread safety: reentrant: each call reads its file into the caller's struct. */
#ifndef MNSIM_HEALING_IO_H
#define MNSIM_HEALING_IO_H

#include "mnsim/error.h"
#include "mnsim/healing.h"
#include "mnsim/input.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema of a healing parameter file (kind: healing), for `mnsim check`. */
extern const mn_schema mn_schema_healing_file;

/* Read a healing parameter file. Errors: MN_EIO, MN_EPARSE, MN_ESCHEMA
 * (first problem in err, all of them in diags if given), MN_ERANGE when the
 * values together are inconsistent. Release with mn_heal_data_clear, also
 * after an error. */
mn_status mn_heal_data_load(const char *path, mn_heal_data *out, mn_diags *diags,
                            mn_error *err);

/* The file of d as YAML text (malloc'd; NULL when out of memory) that
 * mn_heal_data_load reads back to the same values (numbers with 17
 * digits). header (may be NULL) becomes comment lines at the top. */
char *mn_heal_data_to_yaml(const mn_heal_data *d, const char *header);

#ifdef __cplusplus
}
#endif
#endif
