/* The journal's exports, imports, backups and entry files. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>

#include "mnsim/file.h"
#include "mnsim/json.h"
#include "journal_internal.h"

/* ---- export / import ------------------------------------------------- */

/* Raw rows of one table (all columns), for export. */
static mn_status raw_select(mn_journal *j, int kind, int64_t person_id,
                            sqlite3_stmt **s, mn_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT * FROM %s t", jn_tables[kind].table);
    if (person_id > 0 && kind != MN_J_DEVICE)
        jn_person_filter(kind, sql, sizeof sql);
    strncat(sql, " ORDER BY t.id", sizeof sql - strlen(sql) - 1);
    if (sqlite3_prepare_v2(j->db, sql, -1, s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "export");
    if (person_id > 0 && kind != MN_J_DEVICE)
        sqlite3_bind_int64(*s, 1, person_id);
    return MN_OK;
}

mn_status mn_journal_export_json(mn_journal *j, int64_t person_id, char **text,
                                 mn_error *err)
{
    *text = NULL;
    mn_json *js = mn_json_new();
    if (!js)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_jnode *root = mn_json_root(js);
    mn_json_int(js, root, "mnsim_journal", MN_JOURNAL_SCHEMA_VERSION);
    mn_status st = MN_OK;
    /* One read transaction: a consistent snapshot of every table. */
    jn_exec(j, "BEGIN");
    for (int k = 0; k < MN_J_KIND_COUNT && !st; k++) {
        sqlite3_stmt *s = NULL;
        if ((st = raw_select(j, k, person_id, &s, err)))
            break;
        mn_jnode *arr = mn_json_array(js);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            mn_jnode *o = mn_json_object(js);
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const char *name = sqlite3_column_name(s, c);
                switch (sqlite3_column_type(s, c)) {
                case SQLITE_NULL: break; /* absent means NULL */
                case SQLITE_INTEGER:
                    mn_json_int(js, o, name, sqlite3_column_int64(s, c));
                    break;
                case SQLITE_FLOAT:
                    mn_json_num_exact(js, o, name, sqlite3_column_double(s, c));
                    break;
                default:
                    mn_json_str(js, o, name, (const char *)sqlite3_column_text(s, c));
                }
            }
            mn_json_push(js, arr, o);
        }
        if (rc != SQLITE_DONE)
            st = jn_db_error(j, err, "export");
        sqlite3_finalize(s);
        mn_json_put(js, root, jn_tables[k].table, arr);
    }
    jn_exec(j, "COMMIT");
    if (!st && !(*text = mn_json_text(js)))
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_json_free(js);
    return st;
}

static void csv_field(FILE *f, const char *v)
{
    if (!v)
        return;
    if (!strpbrk(v, ",\"\n\r")) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* One table as CSV into path (replaced when it is a regular file). */
static mn_status export_table(mn_journal *j, int k, int64_t person_id, const char *path,
                              mn_error *err)
{
    mn_journal_rows rows;
    mn_status st = mn_journal_list(
        j, k, person_id > 0 && jn_has_person(k) ? person_id : 0, &rows, err);
    if (st)
        return st;
    mn_file_out out;
    if ((st = mn_file_open(&out, path, 1, 0600, err)) != MN_OK) {
        mn_journal_rows_free(&rows);
        return st;
    }
    FILE *f = out.f;
    /* Header from the display select, even when there are no rows. */
    char sql[4096];
    jn_select_sql(k, sql, sizeof sql);
    strncat(sql, " LIMIT 0", sizeof sql - strlen(sql) - 1);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) == SQLITE_OK)
        for (int c = 0; c < sqlite3_column_count(s); c++)
            fprintf(f, "%s%s", c ? "," : "", sqlite3_column_name(s, c));
    sqlite3_finalize(s);
    fputc('\n', f);
    for (size_t r = 0; r < rows.count; r++) {
        for (size_t c = 0; c < rows.rows[r].count; c++) {
            if (c)
                fputc(',', f);
            csv_field(f, rows.rows[r].values[c]);
        }
        fputc('\n', f);
    }
    mn_journal_rows_free(&rows);
    return mn_file_commit(&out, err);
}

mn_status mn_journal_export_csv(mn_journal *j, int64_t person_id, const char *dir,
                                mn_error *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return mn_error_set(err, MN_EIO, "%s: %s", dir, strerror(errno));
    for (int k = 0; k < MN_J_KIND_COUNT; k++) {
        char path[MN_FILE_PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.csv", dir, jn_tables[k].table);
        mn_status st = export_table(j, k, person_id, path, err);
        if (st != MN_OK)
            return st;
    }
    return MN_OK;
}

static void silent_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d, (void)user, (void)buf, (void)len;
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

static mn_status import_row(mn_journal *j, int kind, struct fy_node *obj, size_t index,
                            const char *path, mn_error *err)
{
    const char *table = jn_tables[kind].table;
    if (fy_node_get_type(obj) != FYNT_MAPPING)
        return mn_error_set(err, MN_EINVAL, "%s: %s[%zu] is not an object", path, table,
                            index);
    char sql[4096];
    char qs[512] = "";
    int len = snprintf(sql, sizeof sql, "INSERT INTO %s(", table);
    int n = 0;
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(obj, &it)) != NULL) {
        const char *key = fy_node_get_scalar0(fy_node_pair_key(p));
        if (!key || !real_column(j, table, key))
            return mn_error_set(err, MN_EINVAL, "%s: %s[%zu]: unknown column '%s'",
                                path, table, index, key ? key : "?");
        if (n >= 40)
            return mn_error_set(err, MN_EINVAL, "%s: too many columns", path);
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s", n ? "," : "", key);
        size_t used = strlen(qs);
        snprintf(qs + used, sizeof qs - used, "%s?", n ? "," : "");
        n++;
    }
    snprintf(sql + len, sizeof sql - (size_t)len, ") VALUES(%s)", qs);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "import");
    it = NULL;
    int i = 1;
    while ((p = fy_node_mapping_iterate(obj, &it)) != NULL) {
        struct fy_node *v = fy_node_pair_value(p);
        const char *t =
            v && fy_node_get_type(v) == FYNT_SCALAR ? fy_node_get_scalar0(v) : NULL;
        if (!t) {
            sqlite3_finalize(s);
            return mn_error_set(err, MN_EINVAL, "%s: %s[%zu]: values must be scalars",
                                path, table, index);
        }
        enum fy_node_style style = fy_node_get_style(v);
        int quoted = style == FYNS_DOUBLE_QUOTED || style == FYNS_SINGLE_QUOTED;
        if (!quoted && !strcmp(t, "null"))
            sqlite3_bind_null(s, i);
        else if (!quoted && is_int_text(t))
            sqlite3_bind_int64(s, i, strtoll(t, NULL, 10));
        else if (!quoted) {
            char *end;
            double d = strtod(t, &end);
            if (*end || !isfinite(d)) {
                sqlite3_finalize(s);
                return mn_error_set(err, MN_EINVAL, "%s: %s[%zu]: '%s' is not a number",
                                    path, table, index, t);
            }
            sqlite3_bind_double(s, i, d);
        } else
            sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
        i++;
    }
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        char what[128];
        snprintf(what, sizeof what, "%s: %s[%zu]", path, table, index);
        return jn_db_error(j, err, what);
    }
    return MN_OK;
}

mn_status mn_journal_import_json(mn_journal *j, const char *path, mn_diags *diags,
                                 mn_error *err)
{
    (void)diags; /* a JSON export is machine-written: one error suffices */
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = silent_output;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    struct fy_parse_cfg cfg = {0};
    cfg.flags = FYPCF_QUIET;
    cfg.diag = diag;
    struct fy_document *fyd = diag ? fy_document_build_from_file(&cfg, path) : NULL;
    if (!fyd) {
        if (diag)
            fy_diag_destroy(diag);
        return mn_error_set(err, MN_EPARSE, "%s: not a readable JSON export", path);
    }
    struct fy_node *root = fy_document_root(fyd);
    mn_status st = MN_OK;
    if (!root || fy_node_get_type(root) != FYNT_MAPPING) {
        st = mn_error_set(err, MN_EPARSE, "%s: not an mnsim journal export", path);
        goto out;
    }
    struct fy_node *ver = fy_node_mapping_lookup_by_string(root, "mnsim_journal", -1);
    const char *vs =
        ver && fy_node_get_type(ver) == FYNT_SCALAR ? fy_node_get_scalar0(ver) : NULL;
    if (!vs || atoi(vs) < 1 || atoi(vs) > MN_JOURNAL_SCHEMA_VERSION) {
        st = mn_error_set(err, MN_EPARSE,
                          "%s: not an mnsim journal export (no supported mnsim_journal "
                          "version)",
                          path);
        goto out;
    }
    if (jn_exec(j, "BEGIN IMMEDIATE") != SQLITE_OK) {
        st = jn_db_error(j, err, "import");
        goto out;
    }
    if (!journal_empty(j)) {
        st = mn_error_set(err, MN_EINVAL,
                          "%s: import goes into an empty journal only (this one has "
                          "records); create a new one with `mnsim journal init`",
                          j->path);
        goto out;
    }
    /* Tables in dependency order (the kind order is). */
    for (int k = 0; k < MN_J_KIND_COUNT && !st; k++) {
        struct fy_node *arr =
            fy_node_mapping_lookup_by_string(root, jn_tables[k].table, -1);
        if (!arr)
            continue;
        if (fy_node_get_type(arr) != FYNT_SEQUENCE) {
            st = mn_error_set(err, MN_EINVAL, "%s: '%s' is not a list", path,
                              jn_tables[k].table);
            break;
        }
        void *it = NULL;
        struct fy_node *obj;
        size_t idx = 0;
        while (!st && (obj = fy_node_sequence_iterate(arr, &it)) != NULL)
            st = import_row(j, k, obj, idx++, path, err);
    }
    if (!st) {
        int ok;
        if (jn_pragma_int(j, "SELECT count(*) FROM pragma_foreign_key_check", &ok) != 0)
            st = mn_error_set(err, MN_EINVAL, "%s: the export has broken references",
                              path);
    }
    if (!st && jn_exec(j, "COMMIT") != SQLITE_OK)
        st = jn_db_error(j, err, "commit");
out:
    if (st)
        jn_rollback(j);
    fy_document_destroy(fyd);
    fy_diag_destroy(diag);
    return st;
}

mn_status mn_journal_backup(mn_journal *j, const char *path, mn_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return mn_error_set(err, MN_EEXIST, "%s: %s (a backup never overwrites a file)",
                            path, strerror(errno));
    close(fd);
    sqlite3 *dst = NULL;
    mn_status st = MN_OK;
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        st = mn_error_set(err, MN_EIO, "%s: cannot open", path);
    } else {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", j->db, "main");
        if (!b) {
            st = mn_error_set(err, MN_EIO, "%s: backup failed: %s", path,
                              sqlite3_errmsg(dst));
        } else {
            int rc;
            while ((rc = sqlite3_backup_step(b, 64)) == SQLITE_OK ||
                   rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(rc == SQLITE_OK ? 0 : 20);
            sqlite3_backup_finish(b);
            if (rc != SQLITE_DONE)
                st = mn_error_set(err, MN_EIO, "%s: backup failed: %s", path,
                                  sqlite3_errstr(rc));
        }
    }
    if (dst && !st) {
        /* The copy is a plain rollback-journal file, complete by itself. */
        sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    }
    sqlite3_close(dst);
    if (st)
        unlink(path);
    return st;
}

/* ---- entries from files ------------------------------------------------ */

void mn_journal_entry_free(mn_journal_entry *rec)
{
    if (!rec)
        return;
    for (size_t i = 0; i < rec->count; i++) {
        free(rec->keys[i]);
        free(rec->values[i]);
    }
    free(rec->keys);
    free(rec->values);
    memset(rec, 0, sizeof *rec);
}

mn_status mn_journal_read_entry(const char *path, mn_journal_entry *rec,
                                mn_diags *diags, mn_error *err)
{
    memset(rec, 0, sizeof *rec);
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    mn_doc *doc = NULL;
    mn_status st = mn_doc_load(path, &doc, d);
    if (st) {
        if (d->count)
            *err = d->items[0];
        mn_diags_free(&local);
        return st;
    }
    const char *kind = mn_doc_kind(doc);
    int k = mn_journal_kind_from_name(kind);
    if (k < 0) {
        st = mn_error_set_at(err, MN_ESCHEMA, path, 1, 1,
                             "kind: a journal entry is one of person, consent, device, "
                             "session, photo, followup%s%s",
                             kind ? "; found " : "", kind ? kind : "");
        mn_diags_push(d, MN_SEV_ERROR, err);
        mn_doc_free(doc);
        mn_diags_free(&local);
        return st;
    }
    /* Every value is read as text by a schema of the kind's keys, so that
     * unknown keys and wrong types are reported with line and column; the
     * journal then checks each value (units, ranges, references). */
    const jtable *t = &jn_tables[k];
    typedef struct {
        char *v[MAX_KV];
    } text_rec;
    mn_field fields[MAX_KV];
    for (size_t i = 0; i < t->n; i++) {
        mn_field f = {t->cols[i].key,
                      MN_FIELD_STRING,
                      MN_UNIT_NONE,
                      NULL,
                      0,
                      0,
                      t->cols[i].required,
                      offsetof(text_rec, v) + i * sizeof(char *),
                      NULL,
                      NULL,
                      t->cols[i].help};
        fields[i] = f;
    }
    mn_schema schema = {t->name, fields, t->n, sizeof(text_rec), NULL,
                        NULL,    NULL,   NULL, t->name};
    text_rec tr;
    memset(&tr, 0, sizeof tr);
    st = mn_doc_read(doc, &schema, &tr, d);
    mn_doc_free(doc);
    if (!st) {
        rec->kind = k;
        rec->keys = calloc(t->n, sizeof(char *));
        rec->values = calloc(t->n, sizeof(char *));
        for (size_t i = 0; i < t->n && rec->keys && rec->values; i++)
            if (tr.v[i]) {
                rec->keys[rec->count] = strdup(t->cols[i].key);
                rec->values[rec->count] = tr.v[i];
                tr.v[i] = NULL;
                rec->count++;
            }
    } else {
        for (size_t i = 0; i < d->count; i++)
            if (d->severity[i] == MN_SEV_ERROR) {
                *err = d->items[i];
                break;
            }
    }
    for (size_t i = 0; i < t->n; i++)
        free(tr.v[i]);
    mn_diags_free(&local);
    return st;
}
