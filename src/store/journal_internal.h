/* Internals shared by the journal's files (floor: store; not public API). */
#ifndef MNSIM_JOURNAL_INTERNAL_H
#define MNSIM_JOURNAL_INTERNAL_H

#include <sqlite3.h>

#include "mnsim/journal.h"
#include "mnsim/units.h"
#include "mnsim/zone.h"

#define MAX_KV 32

struct mn_journal {
    sqlite3 *db;
    char *path;
    const mn_zone_list *zones; /* borrowed; NULL: zone names not checked */
};

typedef enum {
    JC_TEXT,     /* free text (UTF-8) */
    JC_ZONES,    /* zone, group or site names, comma-separated */
    JC_INT,      /* whole number in min..max */
    JC_QTY,      /* quantity with unit, stored in store_unit */
    JC_ENUM,     /* one of choices */
    JC_DATE,     /* YYYY-MM-DD */
    JC_DATETIME, /* YYYY-MM-DDTHH:MM (a date alone means 00:00) */
    JC_PERSON,   /* reference by person code */
    JC_DEVICE,   /* reference by device code */
    JC_SESSION,  /* reference by session id */
    JC_PHOTO     /* a file path; its SHA-256 is stored beside it */
} jc_type;

typedef struct {
    const char *key; /* in files and options */
    const char *col; /* SQL column */
    jc_type type;
    int required;
    double min, max;
    mn_unit_kind unit;
    const char *store_unit;
    const char *const *choices;
    const char *help;
} jcol;

typedef struct {
    const char *name;  /* kind name */
    const char *table; /* SQL table */
    const jcol *cols;
    size_t n;
} jtable;

/* The column table of every kind (journal_columns.c). */
extern const jtable jn_tables[MN_J_KIND_COUNT];

/* A checked value ready to bind. */
typedef struct {
    int type; /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT */
    int64_t i;
    double d;
    char text[512];
    char sha[65]; /* photos */
} jval;

/* ---- journal_values.c ---- */

/* Check keys (known, not repeated; the required ones present when
 * need_required) and parse every value: vals[i] belongs to cols[i]. */
mn_status jn_parse_all(mn_journal *j, int kind, const mn_kv *kv, size_t n,
                       const jcol **cols, jval *vals, int need_required, mn_error *err);
/* Check a value of an import, as the export wrote it (column col of a
 * kind's table: raw ids, quantities in their stored unit): text is UTF-8,
 * dates are calendar dates (written back in the stored form into out, n
 * bytes), zones are known. Other columns are left to the schema's CHECK
 * constraints. *checked is set when the column is one of these (out then
 * holds the text to store). The message names the value, not the key. */
mn_status jn_check_import(mn_journal *j, int kind, const char *col, const char *text,
                          char *out, size_t n, int *checked, mn_error *err);
/* Bind a checked value to parameter idx of a statement. */
void jn_bind(sqlite3_stmt *s, int idx, const jval *v);
/* Id of the record of a table ("person", "device") with that code;
 * MN_ENOTFOUND. */
mn_status jn_lookup_code(mn_journal *j, const char *table, const char *code,
                         int64_t *id, mn_error *err);

/* ---- journal_open.c ---- */

/* An error from SQLite as an mn_status with context. */
mn_status jn_db_error(mn_journal *j, mn_error *err, const char *what);
/* Run SQL without results; the SQLite code. */
int jn_exec(mn_journal *j, const char *sql);
/* Start a write transaction (BEGIN IMMEDIATE) on a journal that passes
 * PRAGMA quick_check; a damaged journal is refused untouched (MN_EIO
 * naming the file). what names the change in SQLite's errors. */
mn_status jn_begin_write(mn_journal *j, const char *what, mn_error *err);
/* Roll back an open transaction, if any. */
void jn_rollback(mn_journal *j);
/* The first integer of a query (*ok 0 on failure). */
int64_t jn_pragma_int(mn_journal *j, const char *sql, int *ok);

/* ---- journal_rows.c ---- */

/* SELECT of a kind for display (references shown by code), into sql. */
void jn_select_sql(int kind, char *sql, size_t n);
/* Append "WHERE ... person = ?1" for a kind to sql. */
void jn_person_filter(int kind, char *sql, size_t n);
/* Whether records of a kind belong to a person. */
int jn_has_person(int kind);

#endif
