/* The journal's exports, backups and entry files (imports:
 * journal_import.c). */
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

/* ---- export ------------------------------------------------------------ */

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

/* One kind as CSV text (malloc'd, *len bytes): the header from the display
 * select, even when there are no rows, then the rows. */
static mn_status csv_text(mn_journal *j, int k, int64_t person_id, char **text,
                          size_t *len, mn_error *err)
{
    mn_journal_rows rows;
    mn_status st = mn_journal_list(
        j, k, person_id > 0 && jn_has_person(k) ? person_id : 0, &rows, err);
    if (st)
        return st;
    FILE *f = open_memstream(text, len);
    if (!f) {
        mn_journal_rows_free(&rows);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
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
    if (ferror(f) | fclose(f)) {
        free(*text);
        *text = NULL;
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    return MN_OK;
}

/* Every target of a CSV export may be written: a regular file only with
 * force, nothing else at all. All are named when some exist. */
static mn_status csv_targets(const char *dir, int force, mn_error *err)
{
    char existing[400] = "";
    int n_existing = 0;
    for (int k = 0; k < MN_J_KIND_COUNT; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.csv", dir, jn_tables[k].table);
        struct stat sb;
        if (lstat(path, &sb) != 0) {
            if (errno == ENOENT)
                continue;
            return mn_error_set(err, MN_EIO, "%s: %s", path, strerror(errno));
        }
        mn_status st = mn_file_check(path, 1, err); /* names a device, FIFO, link */
        if (st != MN_OK)
            return st;
        size_t used = strlen(existing);
        snprintf(existing + used, sizeof existing - used, "%s%s.csv", used ? ", " : "",
                 jn_tables[k].table);
        n_existing++;
    }
    if (n_existing && !force)
        return mn_error_set(err, MN_EEXIST,
                            "%s: %s exist%s; exports never overwrite without --force "
                            "(nothing was written)",
                            dir, existing, n_existing == 1 ? "s" : "");
    return MN_OK;
}

mn_status mn_journal_export_csv(mn_journal *j, int64_t person_id, const char *dir,
                                int force, mn_error *err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return mn_error_set(err, MN_EIO, "%s: %s", dir, strerror(errno));
    mn_status st = csv_targets(dir, force, err);
    char *texts[MN_J_KIND_COUNT] = {0};
    size_t lens[MN_J_KIND_COUNT] = {0};
    /* One read transaction: a consistent snapshot of every table. */
    if (!st)
        jn_exec(j, "BEGIN");
    for (int k = 0; k < MN_J_KIND_COUNT && !st; k++)
        st = csv_text(j, k, person_id, &texts[k], &lens[k], err);
    jn_rollback(j);
    for (int k = 0; k < MN_J_KIND_COUNT && !st; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.csv", dir, jn_tables[k].table);
        st = mn_file_write(path, texts[k], lens[k], force, 0600, err);
    }
    for (int k = 0; k < MN_J_KIND_COUNT; k++)
        free(texts[k]);
    return st;
}

mn_status mn_journal_export_write(const char *path, const char *text, int force,
                                  mn_error *err)
{
    mn_status st = mn_file_write(path, text, strlen(text), force, 0600, err);
    if (st == MN_EEXIST)
        return mn_error_set(err, st,
                            "%s exists; exports never overwrite without --force", path);
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
