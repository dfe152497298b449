/* mnsim: a course read from a protocol file and resolved against the data
 * directory (catalogs, zones, rules, model parameters) (floor: data). The course
 * itself is in mnsim/course.h.
 *
 * Thread safety: reentrant: each call reads the protocol and the data directory into
 * the caller's mn_course. */
#ifndef MNSIM_COURSE_IO_H
#define MNSIM_COURSE_IO_H

#include "mnsim/course.h"
#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read a protocol and resolve it with the files of data_dir (devices.yaml,
 * sites.yaml, zones.yaml, rules.yaml, penetration.yaml, healing.yaml,
 * compounds.yaml, channels.yaml; the anaesthetic and serum must name compounds there, the
 * anaesthetic one of use anaesthetic). Every problem goes
 * to diags; err holds the first. Free with mn_course_free (also after an
 * error). */
mn_status mn_course_load(const char *protocol_path, const char *data_dir, mn_course *c,
                         mn_diags *diags, mn_error *err);

/* Resolve c->protocol (already filled, e.g. by `mnsim plan`) against
 * data_dir, as mn_course_load does after reading the file. name is used in
 * messages. */
mn_status mn_course_resolve(mn_course *c, const char *name, const char *data_dir,
                            mn_diags *diags, mn_error *err);

/* Check a protocol file completely: its schema, then (when it reads) the
 * safety rules on the resolved course. Schema problems and findings go to
 * diags (findings as "session N, zone: message [rule; source]"). Returns
 * MN_OK when nothing reached error severity. */
mn_status mn_check_protocol_file(const char *path, const char *data_dir, mn_diags *diags);

/* mn_check_file, plus the safety rules for protocols (data_dir may be NULL:
 * then protocols get the schema check only). */
mn_status mn_check_file_with_data(const char *path, const char *data_dir, mn_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
