/* Importing a JSON export into an empty journal: every record checked,
 * every problem with its file, line and column. */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "mnsim/input.h"

#define MAX_EXPORT_BYTES (1u << 30) /* 1 GiB: far above any real journal */

/* 1-based line and column of a node: its scalar, or the first key of a
 * mapping (0, 0 when there is none). */
static void node_pos(struct fy_node *n, int *line, int *col)
{
    *line = *col = 0;
    if (n && fy_node_get_type(n) == FYNT_MAPPING) {
        void *it = NULL;
        struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
        n = p ? fy_node_pair_key(p) : NULL;
    }
    struct fy_token *t =
        n && fy_node_get_type(n) == FYNT_SCALAR ? fy_node_get_scalar_token(n) : NULL;
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        *line = m->line + 1;
        *col = m->column + 1;
    }
}

/* An error at a node of the export. */
static mn_status bad_at(mn_error *err, mn_status code, const char *path,
                        struct fy_node *n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static mn_status bad_at(mn_error *err, mn_status code, const char *path,
                        struct fy_node *n, const char *fmt, ...)
{
    char msg[2 * MN_ERROR_MSG_MAX]; /* cut once, at a word, by mn_error_set_at */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    node_pos(n, &line, &col);
    return mn_error_set_at(err, code, path, line, col, "%s", msg);
}

static int journal_empty(mn_journal *j)
{
    for (int k = 0; k < MN_J_KIND_COUNT; k++) {
        char sql[96];
        int ok;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", jn_tables[k].table);
        if (jn_pragma_int(j, sql, &ok) != 0 || !ok)
            return 0;
    }
    return 1;
}

/* Columns allowed in an import: the table's real columns. */
static int real_column(mn_journal *j, const char *table, const char *col)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info('%s') WHERE name = ?",
             table);
    sqlite3_stmt *s = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, col, -1, SQLITE_TRANSIENT);
        found = sqlite3_step(s) == SQLITE_ROW;
    }
    sqlite3_finalize(s);
    return found;
}

static int is_int_text(const char *t)
{
    if (*t == '-')
        t++;
    if (!*t)
        return 0;
    for (; *t; t++)
        if (*t < '0' || *t > '9')
            return 0;
    return 1;
}

/* Where a record is, for messages: "session[3]". */
typedef struct {
    const char *path;
    int kind;
    size_t index;
} where;

/* INSERT INTO table(columns of obj) VALUES(?, ...), every key a column. */
static mn_status insert_sql(mn_journal *j, const where *w, struct fy_node *obj,
                            sqlite3_stmt **s, mn_error *err)
{
    const char *table = jn_tables[w->kind].table;
    char sql[4096], qs[512] = "";
    int len = snprintf(sql, sizeof sql, "INSERT INTO %s(", table);
    int n = 0;
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(obj, &it)) != NULL) {
        struct fy_node *kn = fy_node_pair_key(p);
        const char *key = fy_node_get_scalar0(kn);
        if (!key || !real_column(j, table, key))
            return bad_at(err, MN_EINVAL, w->path, kn, "%s[%zu]: unknown column '%s'",
                          table, w->index, key ? key : "?");
        if (n >= 40)
            return bad_at(err, MN_EINVAL, w->path, kn, "%s[%zu]: too many columns",
                          table, w->index);
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s", n ? "," : "", key);
        size_t used = strlen(qs);
        snprintf(qs + used, sizeof qs - used, "%s?", n ? "," : "");
        n++;
    }
    snprintf(sql + len, sizeof sql - (size_t)len, ") VALUES(%s)", qs);
    if (sqlite3_prepare_v2(j->db, sql, -1, s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "import");
    return MN_OK;
}

/* Bind value v of column key to parameter i: null, a checked text, an
 * integer, a number, or text as written. */
static mn_status bind_value(mn_journal *j, const where *w, sqlite3_stmt *s, int i,
                            const char *key, struct fy_node *v, mn_error *err)
{
    const char *table = jn_tables[w->kind].table;
    const char *t = v && !fy_node_is_alias(v) && fy_node_get_type(v) == FYNT_SCALAR
                        ? fy_node_get_scalar0(v)
                        : NULL;
    if (!t)
        return bad_at(err, MN_EINVAL, w->path, v, "%s[%zu].%s: values must be scalars",
                      table, w->index, key);
    enum fy_node_style style = fy_node_get_style(v);
    int quoted = style == FYNS_DOUBLE_QUOTED || style == FYNS_SINGLE_QUOTED;
    if (!quoted && !strcmp(t, "null")) {
        sqlite3_bind_null(s, i);
        return MN_OK;
    }
    char text[512];
    int checked;
    mn_error e;
    mn_error_clear(&e);
    if (jn_check_import(j, w->kind, key, t, text, sizeof text, &checked, &e) != MN_OK)
        return bad_at(err, MN_EINVAL, w->path, v, "%s[%zu].%s: %s", table, w->index,
                      key, e.message);
    if (checked) {
        sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
    } else if (quoted) {
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    } else if (is_int_text(t)) {
        errno = 0;
        long long x = strtoll(t, NULL, 10);
        if (errno == ERANGE)
            return bad_at(err, MN_EINVAL, w->path, v,
                          "%s[%zu].%s: %s is outside the range of whole numbers", table,
                          w->index, key, t);
        sqlite3_bind_int64(s, i, x);
    } else {
        char *end;
        double d = strtod(t, &end);
        if (*end || !isfinite(d))
            return bad_at(err, MN_EINVAL, w->path, v,
                          "%s[%zu].%s: '%s' is not a number", table, w->index, key, t);
        sqlite3_bind_double(s, i, d);
    }
    return MN_OK;
}

static mn_status import_row(mn_journal *j, const where *w, struct fy_node *obj,
                            mn_error *err)
{
    const char *table = jn_tables[w->kind].table;
    if (fy_node_get_type(obj) != FYNT_MAPPING)
        return bad_at(err, MN_EINVAL, w->path, obj, "%s[%zu] is not an object", table,
                      w->index);
    sqlite3_stmt *s = NULL;
    mn_status st = insert_sql(j, w, obj, &s, err);
    void *it = NULL;
    struct fy_node_pair *p;
    for (int i = 1; !st && (p = fy_node_mapping_iterate(obj, &it)) != NULL; i++)
        st = bind_value(j, w, s, i, fy_node_get_scalar0(fy_node_pair_key(p)),
                        fy_node_pair_value(p), err);
    if (!st && sqlite3_step(s) != SQLITE_DONE) {
        char what[128];
        snprintf(what, sizeof what, "%s[%zu]", table, w->index);
        st = jn_db_error(j, err, what);
        int line, col;
        node_pos(obj, &line, &col);
        if (err && line) {
            snprintf(err->file, sizeof err->file, "%s", w->path);
            err->line = line;
            err->column = col;
        }
    }
    sqlite3_finalize(s);
    return st;
}

/* The export's root, after its version. */
static mn_status export_root(struct fy_document *fyd, const char *path,
                             struct fy_node **root, mn_error *err)
{
    *root = fy_document_root(fyd);
    if (!*root || fy_node_get_type(*root) != FYNT_MAPPING)
        return mn_error_set(err, MN_EPARSE, "%s: not an mnsim journal export", path);
    struct fy_node *ver = fy_node_mapping_lookup_by_string(*root, "mnsim_journal", -1);
    const char *vs =
        ver && fy_node_get_type(ver) == FYNT_SCALAR ? fy_node_get_scalar0(ver) : NULL;
    char *end = NULL;
    long version = vs ? strtol(vs, &end, 10) : 0;
    if (!vs || !is_int_text(vs) || *end || version < 1 ||
        version > MN_JOURNAL_SCHEMA_VERSION)
        return mn_error_set(
            err, MN_EPARSE,
            "%s: not an mnsim journal export (no supported mnsim_journal "
            "version)",
            path);
    return MN_OK;
}

/* Every table of the export, in dependency order (the kind order is). */
static mn_status import_tables(mn_journal *j, struct fy_node *root, const char *path,
                               mn_error *err)
{
    mn_status st = MN_OK;
    for (int k = 0; k < MN_J_KIND_COUNT && !st; k++) {
        struct fy_node *arr =
            fy_node_mapping_lookup_by_string(root, jn_tables[k].table, -1);
        if (!arr)
            continue;
        if (fy_node_get_type(arr) != FYNT_SEQUENCE)
            return bad_at(err, MN_EINVAL, path, arr, "'%s' is not a list",
                          jn_tables[k].table);
        void *it = NULL;
        struct fy_node *obj;
        where w = {path, k, 0};
        while (!st && (obj = fy_node_sequence_iterate(arr, &it)) != NULL) {
            st = import_row(j, &w, obj, err);
            w.index++;
        }
    }
    int ok;
    if (!st && jn_pragma_int(j, "SELECT count(*) FROM pragma_foreign_key_check", &ok))
        st = mn_error_set(err, MN_EINVAL, "%s: the export has broken references", path);
    return st;
}

/* An export is read as every input is (mnsim/input.h: UTF-8 only, no NUL
 * bytes, duplicate keys and a second document refused) with larger limits:
 * a journal holds many records. */
static const mn_doc_limits export_limits = {MAX_EXPORT_BYTES, 50000000, 1000, 10000000};

mn_status mn_journal_import_json(mn_journal *j, const char *path, mn_diags *diags,
                                 mn_error *err)
{
    (void)diags; /* a JSON export is machine-written: one error suffices */
    mn_diags d = {0};
    mn_doc *doc = NULL;
    mn_status st = mn_doc_load_limited(path, &export_limits, &doc, &d);
    if (st) {
        if (d.count && err) {
            *err = d.items[0];
        } else {
            mn_error_set(err, st, "%s: cannot read it", path);
        }
        mn_diags_free(&d);
        return st;
    }
    mn_diags_free(&d);
    struct fy_node *root = NULL;
    st = export_root(mn_doc_fy(doc), path, &root, err);
    if (!st && !(st = jn_begin_write(j, "import", err))) {
        if (!journal_empty(j))
            st =
                mn_error_set(err, MN_EINVAL,
                             "%s: import goes into an empty journal only (this one "
                             "has records); create a new one with `mnsim journal init`",
                             j->path);
        if (!st)
            st = import_tables(j, root, path, err);
        if (!st && jn_exec(j, "COMMIT") != SQLITE_OK)
            st = jn_db_error(j, err, "commit");
        if (st)
            jn_rollback(j);
    }
    mn_doc_free(doc);
    return st;
}
