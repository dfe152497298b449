/* mnsim: the bibliography, docs/references.md, as data (floor: data): each
 * entry "- **key**: citation" becomes key -> citation, so that a command or
 * a report can print the full reference of every [key] a rule or a value
 * cites. Installed as share/mnsim/references.md beside the data files.
 *
 * Thread safety: reentrant: loading fills the caller's map; a loaded map may be
 * shared read-only between threads. */
#ifndef MNSIM_REFERENCES_H
#define MNSIM_REFERENCES_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read the bibliography: data_dir/references.md (installed), else
 * data_dir/../docs/references.md (the source tree). Errors: MN_EIO when
 * neither is there, MN_ENOMEM. Free with mn_strmap_free. */
mn_status mn_references_load(const char *data_dir, mn_strmap *out, mn_error *err);

/* The keys of refs that text cites as "[key]", in order of first
 * appearance, without repeats, appended to *keys (which holds *n of at most
 * max). Keys that refs does not hold are skipped. */
void mn_references_cited(const char *text, const mn_strmap *refs, const char **keys,
                         size_t *n, size_t max);

#ifdef __cplusplus
}
#endif
#endif
