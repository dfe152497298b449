/* mnsim: typed, schema-checked reading of YAML and JSON inputs (floor: data).
 *
 * Every mnsim input file is read through this module: a schema (a table of
 * fields with types, units and ranges) says what a file may hold; reading
 * reports every problem found, each with file:line:column, the key and what
 * is allowed. Values with units are strings "<number> <unit>" and are
 * converted to SI here, and only here.
 *
 * Thread safety: reading is reentrant (schemas are constant); a document (mn_doc) is
 * used by one thread at a time, distinct documents in parallel. */
#ifndef MNSIM_INPUT_H
#define MNSIM_INPUT_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/types.h"
#include "mnsim/units.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_FIELD_STRING,  /* char *  (owned) */
    MN_FIELD_ENUM,    /* int: index into choices */
    MN_FIELD_INT,     /* long, range min..max */
    MN_FIELD_NUMBER,  /* double in SI; with unit kind; range min..max (SI) */
    MN_FIELD_SEXED,   /* mn_sexed: a number, or {female: .., male: ..} */
    MN_FIELD_BOOL,    /* int 0/1 */
    MN_FIELD_STRINGS, /* mn_strings: a sequence of strings */
    MN_FIELD_STRMAP,  /* mn_strmap: a mapping of string to string */
    MN_FIELD_TABLE,   /* mn_table: a sequence of mappings read by sub */
    MN_FIELD_MAP,     /* a nested struct at offset, read by sub */
    MN_FIELD_DATE     /* int64_t seconds: "YYYY-MM-DD[THH:MM]" (mnsim/date.h) */
} mn_field_type;

typedef struct mn_schema mn_schema;

typedef struct {
    const char *key;
    mn_field_type type;
    mn_unit_kind unit;        /* NUMBER / SEXED */
    const char *display_unit; /* unit used in messages ("mm") */
    double min, max;          /* allowed range, SI, inclusive; STRINGS and
                                 TABLE: max > 0 is the most items */
    int required;
    size_t offset;              /* offsetof(struct, member) */
    const char *const *choices; /* ENUM: NULL-terminated */
    const mn_schema *sub;       /* TABLE / MAP */
    const char *help;           /* one line, shown in messages and docs */
} mn_field;

/* Where a record came from, for cross-field checks. */
typedef struct {
    const char *file;
    int line, column; /* 1-based */
    const char *path; /* key path, e.g. "devices[2]" */
} mn_loc;

struct mn_schema {
    const char *name; /* "device" */
    const mn_field *fields;
    size_t n_fields;
    size_t size;              /* sizeof the record (TABLE items) */
    void (*init)(void *rec);  /* defaults ("not given" values) */
    void (*clear)(void *rec); /* free what a record owns (optional) */
    /* Cross-field checks after the fields are read; report through
     * mn_input_report. fields_ok is 0 when a field of this record already
     * had an error (so checks can avoid repeating it). May be NULL. */
    void (*check)(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags);
    /* When set, records of a TABLE must have unique values of this key. */
    const char *unique_key;
    /* For a schema read as a whole file: the required value of the
     * top-level key "kind" (e.g. "devices"). */
    const char *file_kind;
};

/* Add a diagnostic at loc (helper for schema check hooks). */
void mn_input_report(mn_diags *diags, mn_severity sev, mn_status code,
                     const mn_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A parsed input document. */
typedef struct mn_doc mn_doc;

/* What one input file may hold (docs/cli.md, "Input limits"). A file over
 * a limit is refused before it is built, with an error at the line where it
 * passes the limit, naming the key and the limit; every check is linear in
 * the size of the file. */
typedef struct {
    size_t max_bytes; /* the file */
    size_t max_nodes; /* values (scalars, mappings, lists) in the document */
    size_t max_keys;  /* keys of one mapping */
    size_t max_items; /* items of one list */
} mn_doc_limits;

#define MN_INPUT_MAX_BYTES ((size_t)8 << 20) /* 8 MiB */
#define MN_INPUT_MAX_NODES ((size_t)50000)
#define MN_INPUT_MAX_KEYS ((size_t)1000)
#define MN_INPUT_MAX_ITEMS ((size_t)10000)

/* The limits of every mnsim input file (the MN_INPUT_MAX_* above). */
extern const mn_doc_limits mn_doc_input_limits;

/* Parse a YAML or JSON file. Syntax errors go to diags (every one found)
 * and the return is MN_EPARSE; a file that cannot be read gives MN_EIO.
 * Also MN_EPARSE: text that is not UTF-8 or holds NUL bytes, a duplicate
 * key in a mapping, a second YAML document ('---') and a file over the
 * limits of mn_doc_input_limits. On success *out owns the document. */
mn_status mn_doc_load(const char *path, mn_doc **out, mn_diags *diags);

/* As mn_doc_load with other limits (the journal's exports are larger than
 * any input file). */
mn_status mn_doc_load_limited(const char *path, const mn_doc_limits *limits,
                              mn_doc **out, mn_diags *diags);

struct fy_document;
/* The libfyaml document (struct fy_document *) of doc, for a reader above
 * this floor that walks the tree itself (the journal import); it belongs
 * to doc. */
struct fy_document *mn_doc_fy(mn_doc *doc);

/* As mn_doc_load, from a string; name is used in messages. */
mn_status mn_doc_load_string(const char *text, const char *name, mn_doc **out,
                             mn_diags *diags);

/* Free a document; doc may be NULL. */
void mn_doc_free(mn_doc *doc);

/* Value of the top-level scalar key "kind", or NULL. */
const char *mn_doc_kind(mn_doc *doc);

/* Read the document root into rec (initialised with schema->init first).
 * Every problem goes to diags. Returns MN_OK when no error was found, else
 * MN_ESCHEMA. rec must be released with mn_schema_clear even on error. */
mn_status mn_doc_read(mn_doc *doc, const mn_schema *schema, void *rec, mn_diags *diags);

/* Free what rec owns according to schema (strings, lists, tables). */
void mn_schema_clear(const mn_schema *schema, void *rec);

/* Load a file and read it with schema; on failure err holds the first
 * error (with location) and diags (if not NULL) all of them. */
mn_status mn_input_read_file(const char *path, const mn_schema *schema, void *rec,
                             mn_diags *diags, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
