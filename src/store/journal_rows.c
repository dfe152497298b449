/* Reading the journal: the records of a kind (all, or one person's, oldest
 * first) or one by id, as key/value text with references shown by code. */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

/* ---- reading rows ------------------------------------------------------ */

void mn_journal_rows_free(mn_journal_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        for (size_t k = 0; k < r->rows[i].count; k++) {
            free(r->rows[i].keys[k]);
            free(r->rows[i].values[k]);
        }
        free(r->rows[i].keys);
        free(r->rows[i].values);
    }
    free(r->rows);
    r->rows = NULL;
    r->count = 0;
}

/* SELECT list of a kind for display: references shown by code. */
void jn_select_sql(int kind, char *sql, size_t n)
{
    const jtable *t = &jn_tables[kind];
    int len = snprintf(sql, n, "SELECT t.id AS id");
    for (size_t i = 0; i < t->n; i++) {
        const jcol *c = &t->cols[i];
        if (c->type == JC_PERSON)
            len += snprintf(sql + len, n - (size_t)len,
                            ", (SELECT code FROM person WHERE id = t.%s) AS person",
                            c->col);
        else if (c->type == JC_DEVICE)
            len += snprintf(sql + len, n - (size_t)len,
                            ", (SELECT code FROM device WHERE id = t.%s) AS device",
                            c->col);
        else
            len += snprintf(sql + len, n - (size_t)len, ", t.%s AS %s", c->col, c->col);
        if (c->type == JC_PHOTO)
            len += snprintf(sql + len, n - (size_t)len, ", t.sha256 AS sha256");
    }
    snprintf(sql + len, n - (size_t)len, " FROM %s t", t->table);
}

static char *column_text(sqlite3_stmt *s, int i)
{
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return NULL;
    if (sqlite3_column_type(s, i) == SQLITE_FLOAT) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.10g", sqlite3_column_double(s, i));
        return strdup(buf);
    }
    const unsigned char *t = sqlite3_column_text(s, i);
    return strdup(t ? (const char *)t : "");
}

static mn_status collect(mn_journal *j, sqlite3_stmt *s, mn_journal_rows *out,
                         mn_error *err)
{
    out->rows = NULL;
    out->count = 0;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? 2 * cap : 16;
            mn_journal_row *nr = realloc(out->rows, cap * sizeof *nr);
            if (!nr) {
                mn_journal_rows_free(out);
                return mn_error_set(err, MN_ENOMEM, "out of memory");
            }
            out->rows = nr;
        }
        int nc = sqlite3_column_count(s);
        mn_journal_row *row = &out->rows[out->count++];
        row->count = (size_t)nc;
        row->keys = calloc((size_t)nc, sizeof(char *));
        row->values = calloc((size_t)nc, sizeof(char *));
        if (!row->keys || !row->values) {
            row->count = 0;
            mn_journal_rows_free(out);
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
        for (int i = 0; i < nc; i++) {
            row->keys[i] = strdup(sqlite3_column_name(s, i));
            row->values[i] = column_text(s, i);
        }
    }
    if (rc != SQLITE_DONE) {
        mn_journal_rows_free(out);
        return jn_db_error(j, err, "read");
    }
    return MN_OK;
}

int jn_has_person(int kind)
{
    return kind == MN_J_CONSENT || kind == MN_J_SESSION || kind == MN_J_FOLLOWUP ||
           kind == MN_J_PERSON || kind == MN_J_PHOTO;
}

void jn_person_filter(int kind, char *sql, size_t n)
{
    size_t len = strlen(sql);
    if (kind == MN_J_PERSON)
        snprintf(sql + len, n - len, " WHERE t.id = ?1");
    else if (kind == MN_J_PHOTO)
        snprintf(
            sql + len, n - len,
            " WHERE t.session_id IN (SELECT id FROM session WHERE person_id = ?1)");
    else
        snprintf(sql + len, n - len, " WHERE t.person_id = ?1");
}

static const char *order_by(int kind)
{
    return kind == MN_J_SESSION || kind == MN_J_FOLLOWUP ? " ORDER BY t.at, t.id"
                                                         : " ORDER BY t.id";
}

mn_status mn_journal_list(mn_journal *j, int kind, int64_t person_id,
                          mn_journal_rows *out, mn_error *err)
{
    if (kind < 0 || kind >= MN_J_KIND_COUNT)
        return mn_error_set(err, MN_EINVAL, "unknown record kind");
    char sql[4096];
    jn_select_sql(kind, sql, sizeof sql);
    if (person_id > 0 && jn_has_person(kind))
        jn_person_filter(kind, sql, sizeof sql);
    else if (person_id > 0)
        return mn_error_set(err, MN_EINVAL, "%ss do not belong to a person",
                            jn_tables[kind].name);
    strncat(sql, order_by(kind), sizeof sql - strlen(sql) - 1);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "list");
    if (person_id > 0)
        sqlite3_bind_int64(s, 1, person_id);
    mn_status st = collect(j, s, out, err);
    sqlite3_finalize(s);
    return st;
}

mn_status mn_journal_get(mn_journal *j, int kind, int64_t id, mn_journal_rows *out,
                         mn_error *err)
{
    if (kind < 0 || kind >= MN_J_KIND_COUNT)
        return mn_error_set(err, MN_EINVAL, "unknown record kind");
    char sql[4096];
    jn_select_sql(kind, sql, sizeof sql);
    strncat(sql, " WHERE t.id = ?", sizeof sql - strlen(sql) - 1);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "show");
    sqlite3_bind_int64(s, 1, id);
    mn_status st = collect(j, s, out, err);
    sqlite3_finalize(s);
    if (!st && out->count == 0)
        return mn_error_set(err, MN_ENOTFOUND, "no %s with id %lld",
                            jn_tables[kind].name, (long long)id);
    return st;
}

const char *mn_journal_row_value(const mn_journal_row *row, const char *key)
{
    for (size_t k = 0; row && k < row->count; k++)
        if (!strcmp(row->keys[k], key))
            return row->values[k];
    return NULL;
}
