/* mnsim: reading protocol files (kind: protocol) (floor: data).
 * Thread safety: reentrant: each call reads its file into the caller's protocol. */
#ifndef MNSIM_PROTOCOL_IO_H
#define MNSIM_PROTOCOL_IO_H

#include "mnsim/input.h"
#include "mnsim/protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const mn_schema mn_schema_protocol_file;

/* Read a protocol; every problem to diags with file:line:column. Clear
 * with mn_protocol_clear (also after an error). */
mn_status mn_protocol_load(const char *path, mn_protocol *out, mn_diags *diags,
                           mn_error *err);

/* Write a protocol as YAML text (malloc'd) that mn_protocol_load reads
 * back; used by `mnsim plan`. */
char *mn_protocol_to_yaml(const mn_protocol *p);

#ifdef __cplusplus
}
#endif
#endif
