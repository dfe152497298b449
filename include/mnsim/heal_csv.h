/* mnsim: the daily series of a healing course as CSV (floor: report).
 *
 * One row per day: the day, its date (when the course is dated), every
 * output (mnsim/healing.h: collagen I and III, elastin, epidermis, total
 * collagen) in % of baseline for the median person, its 5th, 50th and 95th
 * percentile over virtual people (when given), and the model's markers
 * (barrier, damage, redness, inflammation, macrophages, growth factor,
 * proteases, fibroblasts, tropoelastin) in their own units.
 *
 * Thread safety: reentrant: each call writes its own file or stream (one FILE * per
 * thread). */
#ifndef MNSIM_HEAL_CSV_H
#define MNSIM_HEAL_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "mnsim/error.h"
#include "mnsim/healing.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const mn_heal_params *params; /* the median person's */
    const mn_heal_result *result; /* the median person */
    const mn_heal_band *band;     /* virtual people, or NULL */
    int64_t first_day;            /* day number of day 0 (mnsim/date.h), or -1:
                                     no date column */
} mn_heal_series;

/* Write the CSV to an open stream. 0, or -1 when the stream reports an
 * error. */
int mn_heal_csv_write(FILE *f, const mn_heal_series *s);

/* Write the CSV to path whole or not at all (mnsim/file.h): an existing
 * file is replaced only with force and only when it is a regular file.
 * Errors: MN_EEXIST, MN_EINVAL, MN_EIO "PATH: cannot write: REASON". */
mn_status mn_heal_csv_save(const char *path, const mn_heal_series *s, int force,
                           mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
