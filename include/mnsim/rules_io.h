/* mnsim: reading the safety rules (floor: data).
 * Thread safety: reentrant: each call reads its file into the caller's rules. */
#ifndef MNSIM_RULES_IO_H
#define MNSIM_RULES_IO_H

#include "mnsim/input.h"
#include "mnsim/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const mn_schema mn_schema_rules_file;

/* Read data/rules.yaml (kind: rules). Errors with file:line:column. */
mn_status mn_rules_load(const char *path, mn_rules *out, mn_diags *diags, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
