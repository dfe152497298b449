/* mnsim: reading the starting plans of data/plans.yaml (kind: plans;
 * floor: data). The plans themselves are in mnsim/plan.h.
 *
 * Thread safety: reentrant: each call reads its file into the caller's list. */
#ifndef MNSIM_PLAN_IO_H
#define MNSIM_PLAN_IO_H

#include "mnsim/error.h"
#include "mnsim/input.h"
#include "mnsim/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema of the file kind "plans" (for `mnsim check`). */
extern const mn_schema mn_schema_plans_file;

/* Read a plans file. Errors: MN_EIO, MN_EPARSE, MN_ESCHEMA (first problem
 * in err, all in diags if given). Free with mn_plan_list_free. */
mn_status mn_plans_load(const char *path, mn_plan_list *out, mn_diags *diags, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
