/* mnsim: iCalendar (RFC 5545) files (floor: report).
 * Thread safety: reentrant: each call writes its own file (mnsim/file.h). */
#ifndef MNSIM_ICS_H
#define MNSIM_ICS_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One all-day event. */
typedef struct {
    int64_t day; /* seconds (mnsim/date.h); the date is used */
    const char *summary;
    const char *description; /* may hold newlines */
} mn_ics_event;

/* Write a calendar with one VEVENT per event: CRLF lines folded at 75
 * octets, text escaped, a UID per event derived from uid_seed and the
 * index, DTSTAMP from stamp (seconds since 1970, UTC). Written whole or
 * not at all (mnsim/file.h): an existing file is refused unless force, and
 * anything but a regular file always. Errors: MN_EEXIST, MN_EINVAL,
 * MN_EIO. */
mn_status mn_ics_write(const char *path, const mn_ics_event *ev, size_t n,
                       const char *uid_seed, int64_t stamp, int force, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
