/* mnsim: the treatment journal, a record of real sessions in one SQLite
 * file (floor: store).
 *
 * The journal holds people (pseudonymous), consents, devices, sessions,
 * photos (path + SHA-256) and follow-ups. Every change runs in one
 * transaction; the file is created owner-only (0600, its directory 0700);
 * WAL mode with synchronous=FULL, foreign keys on, a busy timeout for
 * concurrent writers (set before the first statement). A file that is not
 * an mnsim journal is refused and never modified, and so is a journal that
 * fails PRAGMA quick_check when a change would be written (MN_EIO naming
 * the file). Text values are UTF-8. Records are read and written as key/value text
 * pairs, checked against a column table (types, units, ranges) so that the CLI, YAML
 * files and imports share one validation.
 *
 * Thread safety: a journal handle (mn_journal) is used by one thread at a time: open
 * one per thread; several handles and processes on one file are safe (WAL, busy
 * timeout, transactions). mn_journal_default_path reads HOME and XDG_DATA_HOME
 * (getenv). */
#ifndef MNSIM_JOURNAL_H
#define MNSIM_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/input.h"
#include "mnsim/readiness.h"
#include "mnsim/zone.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MN_JOURNAL_SCHEMA_VERSION 1

typedef struct mn_journal mn_journal;

/* The kinds of record. */
typedef enum {
    MN_J_PERSON = 0,
    MN_J_CONSENT,
    MN_J_DEVICE,
    MN_J_SESSION,
    MN_J_PHOTO,
    MN_J_FOLLOWUP,
    MN_J_KIND_COUNT
} mn_journal_kind;

/* Name of a kind ("person", ...) and its kind from a name (-1 if none). */
const char *mn_journal_kind_name(int kind);
/* The kind named name ("person", ...), or -1. */
int mn_journal_kind_from_name(const char *name);

/* One key/value pair of a record, as text ("needle_length", "1.5 mm"). */
typedef struct {
    const char *key;
    const char *value;
} mn_kv;

/* Column documentation: key, a one-line help, required flag. */
typedef struct {
    const char *key;
    const char *help;
    int required;
} mn_journal_column_doc;

/* Number of keys of a kind (0 for an unknown kind), and the i-th. */
size_t mn_journal_column_count(int kind);
/* The i-th key of a kind (i < mn_journal_column_count). */
mn_journal_column_doc mn_journal_column(int kind, size_t i);

/* Open a journal. create: make the file (and its directory) if missing,
 * owner-only. Errors: MN_ENOTFOUND (missing and !create), MN_EINVAL (not an
 * mnsim journal: not SQLite, another application's database, or a newer
 * schema), MN_EIO. The file is never modified when refused. */
mn_status mn_journal_open(const char *path, int create, mn_journal **out,
                          mn_error *err);
/* Close a journal opened by mn_journal_open; j may be NULL. */
void mn_journal_close(mn_journal *j);

/* The zone catalog (data/zones.yaml, read by mn_zones_load) that the zones
 * of sessions are checked against when they are added, edited or imported:
 * each comma-separated name must be a zone, a group or the site of a zone,
 * else MN_EINVAL naming it and listing the known names. Borrowed: zones
 * must outlive j (or be replaced). Without a catalog (NULL, the default)
 * zones need only name something. */
void mn_journal_set_zones(mn_journal *j, const mn_zone_list *zones);

/* Default path: $XDG_DATA_HOME/mnsim/journal.db or ~/.local/share/... */
mn_status mn_journal_default_path(char *buf, size_t n, mn_error *err);

/* PRAGMA integrity_check: MN_OK when "ok", else MN_EIO with the report. */
mn_status mn_journal_check(mn_journal *j, mn_error *err);

/* Add a record; *id gets its id. References name a person or device by its
 * code, a session by its id. Errors: MN_EINVAL naming the key and what is
 * allowed, MN_ENOTFOUND for a missing reference, MN_EEXIST for a duplicate
 * code. */
mn_status mn_journal_add(mn_journal *j, int kind, const mn_kv *kv, size_t n,
                         int64_t *id, mn_error *err);

/* Change some values of a record (same checks as add). */
mn_status mn_journal_update(mn_journal *j, int kind, int64_t id, const mn_kv *kv,
                            size_t n, mn_error *err);

/* Delete a record. A person with sessions is refused (MN_EINVAL) unless
 * cascade is set, which deletes the sessions, photos, consents and
 * follow-ups too. */
mn_status mn_journal_delete(mn_journal *j, int kind, int64_t id, int cascade,
                            mn_error *err);

/* Id of a person or device by code; MN_ENOTFOUND. */
mn_status mn_journal_find(mn_journal *j, int kind, const char *code, int64_t *id,
                          mn_error *err);

/* A row as key/value text ("id" first; references shown by code). */
typedef struct {
    size_t count;
    char **keys;
    char **values; /* NULL for SQL NULL */
} mn_journal_row;

typedef struct {
    mn_journal_row *rows;
    size_t count;
} mn_journal_rows;

/* Free what the rows own (not r itself). */
void mn_journal_rows_free(mn_journal_rows *r);

/* The value of column key in row (NULL when absent or SQL NULL). */
const char *mn_journal_row_value(const mn_journal_row *row, const char *key);

/* The recorded sessions of a person as a course (floor: store, over the
 * course of mnsim/course.h): each session a dated session with its own
 * device (the recorded device's catalog name, or the catalog's standard
 * roller of its needle length), zones, passes and pressure; the person's
 * sex and phototype; the indication given (mn_indication). code names the
 * person in messages. The course is resolved against data_dir (as
 * mn_course_resolve) and ready for mn_course_run. Errors: MN_EINVAL (no
 * sessions), MN_ENOTFOUND (no device for a session), the errors of the
 * journal and of resolving. Free out with mn_course_free, also after an
 * error. */
mn_status mn_journal_course(mn_journal *j, int64_t person_id, const char *code,
                            int indication, const char *data_dir, mn_course *out,
                            mn_diags *diags, mn_error *err);

/* When each zone of a person is next due (mnsim journal next, the web
 * app's journal): the person's history (mn_journal_history) against the
 * interval rules (mn_readiness_compute at now) and, when there are
 * sessions, the healing model over them (mn_journal_course with the
 * indication, the median person, no delivery, then
 * mn_readiness_add_healing), so that every front end shows one "next
 * session". rules and sites must outlive *out. *n_sessions gets the
 * history's count, *healing_ran 1 when the model ran; when it could not
 * (a session without a catalog device, ...) that is no error: problem
 * (problem_n bytes, may be NULL) says why. Errors: those of the history
 * and of readiness (MN_ENOMEM). Free *out with mn_readiness_free, also
 * after an error. Not thread-safe on one journal. */
mn_status mn_journal_next(mn_journal *j, int64_t person_id, const char *code,
                          int indication, const char *data_dir, const mn_rules *rules,
                          const mn_site_list *sites, int64_t now, mn_readiness *out,
                          size_t *n_sessions, int *healing_ran, char *problem,
                          size_t problem_n, mn_error *err);

/* Rows of a kind, oldest first; person_id > 0 restricts to one person. */
mn_status mn_journal_list(mn_journal *j, int kind, int64_t person_id,
                          mn_journal_rows *out, mn_error *err);

/* One row by id; MN_ENOTFOUND. */
mn_status mn_journal_get(mn_journal *j, int kind, int64_t id, mn_journal_rows *out,
                         mn_error *err);

/* A person's history for mnsim/readiness.h: their sessions (oldest first,
 * needle lengths in mm), every device of the journal with its replacement
 * count, and their last follow-up. *out owns its copies (free with
 * mn_history_free, also after an error). Errors: those of
 * mn_journal_list, MN_ENOMEM. */
mn_status mn_journal_history(mn_journal *j, int64_t person_id, mn_history *out,
                             mn_error *err);

/* Export everything (person_id 0) or one person as JSON text (malloc'd):
 * {"mnsim_journal": 1, "person": [...], ...} with raw ids. */
mn_status mn_journal_export_json(mn_journal *j, int64_t person_id, char **text,
                                 mn_error *err);

/* Export as CSV files DIR/KIND.csv, one per kind, from one snapshot;
 * DIR is made (0700) if missing. Every target is checked before any is
 * written: an existing file is replaced only with force (else MN_EEXIST
 * naming every one, and nothing is written), and never when it is not a
 * regular file (MN_EINVAL). Each file is written whole or not at all
 * (mn_file_write), owner-only (0600: health records). */
mn_status mn_journal_export_csv(mn_journal *j, int64_t person_id, const char *dir,
                                int force, mn_error *err);

/* Write an export's text (mn_journal_export_json) to path, whole or not at
 * all and owner-only (0600: health records); an existing file is replaced
 * only with force. Errors: those of mn_file_write. */
mn_status mn_journal_export_write(const char *path, const char *text, int force,
                                  mn_error *err);

/* Import a JSON export into an empty journal, keeping ids, in one
 * transaction. Every value is checked as add checks it where the export's
 * raw form allows (text UTF-8, dates real calendar dates, zones known to
 * the catalog of mn_journal_set_zones), the rest by the schema's
 * constraints. Errors: MN_EINVAL (journal not empty, or a bad record: err
 * has the file, line and column and the message names the record, the
 * column and the value), MN_EPARSE, MN_EIO (a damaged journal). */
mn_status mn_journal_import_json(mn_journal *j, const char *path, mn_diags *diags,
                                 mn_error *err);

/* Online backup to a new file (refuses to overwrite). */
mn_status mn_journal_backup(mn_journal *j, const char *path, mn_error *err);

/* Read a record from a YAML/JSON file (kind: person|consent|device|session|
 * photo|followup) into key/value pairs (owned by *rec). Every problem goes
 * to diags with file:line:column. */
typedef struct {
    int kind;
    size_t count;
    char **keys;
    char **values;
} mn_journal_entry;
/* Read a journal entry file into *rec (free with mn_journal_entry_free,
 * also after an error). Errors: those of mn_doc_load, MN_ESCHEMA. */
mn_status mn_journal_read_entry(const char *path, mn_journal_entry *rec,
                                mn_diags *diags, mn_error *err);
/* Free what an entry owns (not rec itself). */
void mn_journal_entry_free(mn_journal_entry *rec);

#ifdef __cplusplus
}
#endif
#endif
