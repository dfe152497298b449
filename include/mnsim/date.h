/* mnsim: calendar dates and times (floor: base). Times are seconds since
 * 1970-01-01 00:00 (proleptic Gregorian, no time zone: local wall time as
 * written by the user).
 *
 * Thread safety: reentrant: pure functions; text goes into the caller's buffers. */
#ifndef MNSIM_DATE_H
#define MNSIM_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Days since 1970-01-01 of a civil date (any y, m 1-12, d 1-31). */
int64_t mn_days_from_civil(int y, int m, int d);

/* Civil date of a day number. */
void mn_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Parse "YYYY-MM-DD", optionally followed by "THH:MM[:SS]" or " HH:MM[:SS]",
 * years 1900-2200. Errors: MN_EINVAL naming what is wrong. */
mn_status mn_date_parse(const char *text, int64_t *seconds, mn_error *err);

/* Format as "YYYY-MM-DD" (with_time 0) or "YYYY-MM-DDTHH:MM" into buf. */
char *mn_date_format(int64_t seconds, int with_time, char *buf, size_t n);

/* Day of the week, 0 = Monday ... 6 = Sunday. */
int mn_date_weekday(int64_t seconds);

/* The local wall time of the instant t (a time_t such as time(NULL), read by
 * the caller: this floor reads no clock) in the seconds above, to the
 * minute: "today" for mnsim journal next and the web app's next session.
 * Uses the process's time zone (localtime_r). */
int64_t mn_date_from_local(time_t t);

#ifdef __cplusplus
}
#endif
#endif
