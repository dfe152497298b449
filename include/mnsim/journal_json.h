/* mnsim: the journal as JSON (floor: store): the rows of `mnsim journal
 * list --json` and GET /api/journal/KIND, and the next session of `mnsim
 * journal next --json` and GET /api/journal/next, so that the command and
 * the web app serve the same keys from one builder. Dates are written
 * "YYYY-MM-DD", intervals in days, needle lengths in mm.
 *
 * Thread safety: reentrant on distinct documents; one document must not be
 * built from two threads at once. */
#ifndef MNSIM_JOURNAL_JSON_H
#define MNSIM_JOURNAL_JSON_H

#include <stddef.h>

#include "mnsim/journal.h"
#include "mnsim/json.h"
#include "mnsim/readiness.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The rows as an array of objects, one a row, its columns as text members
 * in the rows' order; a column without a value (NULL) is left out. The node
 * belongs to j (put it into an object of j); NULL when out of memory. */
mn_jnode *mn_journal_rows_json(mn_json *j, const mn_journal_rows *rows);

/* The next session of a person as one document, from mn_journal_next's
 * results: "healing" (per zone: skin_ready, healed_by_today,
 * overtreatment_index), "person", "today", "sessions" (n_sessions),
 * "healing_not_run" (only when healing_not_run is not NULL: why the healing
 * model did not run), "zones" (per zone: last session, needle length in mm,
 * next_due, min_interval_days, rules_due, skin_recovered, due_by, due_now,
 * the rule and its source), "warnings" (severity, message) and the note
 * that it is not medical advice. The caller frees it with mn_json_free;
 * NULL when out of memory. */
mn_json *mn_journal_next_json(const char *person, const mn_readiness *r,
                              size_t n_sessions, const char *healing_not_run);

#ifdef __cplusplus
}
#endif
#endif
