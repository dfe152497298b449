/* Changing the journal: adding, editing and deleting records, each in one
 * transaction, and finding people and devices by code. */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

mn_status mn_journal_find(mn_journal *j, int kind, const char *code, int64_t *id,
                          mn_error *err)
{
    if (kind != MN_J_PERSON && kind != MN_J_DEVICE)
        return mn_error_set(err, MN_EINVAL, "only people and devices have codes");
    return jn_lookup_code(j, jn_tables[kind].table, code, id, err);
}

mn_status mn_journal_add(mn_journal *j, int kind, const mn_kv *kv, size_t n,
                         int64_t *id, mn_error *err)
{
    if (kind < 0 || kind >= MN_J_KIND_COUNT)
        return mn_error_set(err, MN_EINVAL, "unknown record kind");
    if (n > MAX_KV)
        return mn_error_set(err, MN_EINVAL, "too many values");
    const jcol *cols[MAX_KV];
    jval *vals = calloc(MAX_KV, sizeof *vals);
    if (!vals)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    char sql[2048], qs[256] = "";
    mn_status st = MN_OK;
    sqlite3_stmt *s = NULL;
    if ((st = jn_begin_write(j, "cannot start a transaction", err)))
        goto out;
    if ((st = jn_parse_all(j, kind, kv, n, cols, vals, 1, err)))
        goto out;
    int len = snprintf(sql, sizeof sql, "INSERT INTO %s(", jn_tables[kind].table);
    int photo = -1;
    for (size_t i = 0; i < n; i++) {
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s", i ? "," : "",
                        cols[i]->col);
        size_t used = strlen(qs);
        snprintf(qs + used, sizeof qs - used, "%s?", i ? "," : "");
        if (cols[i]->type == JC_PHOTO)
            photo = (int)i;
    }
    if (photo >= 0) {
        len += snprintf(sql + len, sizeof sql - (size_t)len, ",sha256");
        strcat(qs, ",?");
    }
    snprintf(sql + len, sizeof sql - (size_t)len, ") VALUES(%s)", qs);
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK) {
        st = jn_db_error(j, err, "add");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        jn_bind(s, (int)i + 1, &vals[i]);
    if (photo >= 0)
        sqlite3_bind_text(s, (int)n + 1, vals[photo].sha, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) {
        char what[64];
        snprintf(what, sizeof what, "add %s", jn_tables[kind].name);
        st = jn_db_error(j, err, what);
        goto out;
    }
    if (id)
        *id = sqlite3_last_insert_rowid(j->db);
    sqlite3_finalize(s);
    s = NULL;
    if (jn_exec(j, "COMMIT") != SQLITE_OK)
        st = jn_db_error(j, err, "commit");
out:
    sqlite3_finalize(s);
    if (st)
        jn_rollback(j);
    free(vals);
    return st;
}

static mn_status require_row(mn_journal *j, int kind, int64_t id, mn_error *err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?", jn_tables[kind].table);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "lookup");
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return MN_OK;
    if (rc != SQLITE_DONE)
        return jn_db_error(j, err, "lookup");
    return mn_error_set(err, MN_ENOTFOUND, "no %s with id %lld", jn_tables[kind].name,
                        (long long)id);
}

mn_status mn_journal_update(mn_journal *j, int kind, int64_t id, const mn_kv *kv,
                            size_t n, mn_error *err)
{
    if (kind < 0 || kind >= MN_J_KIND_COUNT || n == 0 || n > MAX_KV)
        return mn_error_set(err, MN_EINVAL, "nothing to change");
    const jcol *cols[MAX_KV];
    jval *vals = calloc(MAX_KV, sizeof *vals);
    if (!vals)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_status st = MN_OK;
    sqlite3_stmt *s = NULL;
    char sql[2048];
    if ((st = jn_begin_write(j, "cannot start a transaction", err)))
        goto out;
    if ((st = require_row(j, kind, id, err)) ||
        (st = jn_parse_all(j, kind, kv, n, cols, vals, 0, err)))
        goto out;
    int len = snprintf(sql, sizeof sql, "UPDATE %s SET ", jn_tables[kind].table);
    for (size_t i = 0; i < n; i++) {
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s = ?", i ? ", " : "",
                        cols[i]->col);
        if (cols[i]->type == JC_PHOTO)
            len += snprintf(sql + len, sizeof sql - (size_t)len, ", sha256 = '%s'",
                            vals[i].sha);
    }
    snprintf(sql + len, sizeof sql - (size_t)len, " WHERE id = ?");
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK) {
        st = jn_db_error(j, err, "edit");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        jn_bind(s, (int)i + 1, &vals[i]);
    sqlite3_bind_int64(s, (int)n + 1, id);
    if (sqlite3_step(s) != SQLITE_DONE) {
        st = jn_db_error(j, err, "edit");
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (jn_exec(j, "COMMIT") != SQLITE_OK)
        st = jn_db_error(j, err, "commit");
out:
    sqlite3_finalize(s);
    if (st)
        jn_rollback(j);
    free(vals);
    return st;
}

mn_status mn_journal_delete(mn_journal *j, int kind, int64_t id, int cascade,
                            mn_error *err)
{
    if (kind < 0 || kind >= MN_J_KIND_COUNT)
        return mn_error_set(err, MN_EINVAL, "unknown record kind");
    mn_status st = MN_OK;
    if ((st = jn_begin_write(j, "cannot start a transaction", err)))
        return st;
    if ((st = require_row(j, kind, id, err)))
        goto out;
    if (kind == MN_J_PERSON && !cascade) {
        int ok;
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM session WHERE person_id = %lld",
                 (long long)id);
        int64_t nsess = jn_pragma_int(j, sql, &ok);
        if (ok && nsess > 0) {
            st = mn_error_set(err, MN_EINVAL,
                              "person %lld has %lld sessions: delete them first, or "
                              "delete with --cascade",
                              (long long)id, (long long)nsess);
            goto out;
        }
    }
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", jn_tables[kind].table);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK) {
        st = jn_db_error(j, err, "delete");
        goto out;
    }
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_DONE)
        st = jn_db_error(j, err, "delete");
    sqlite3_finalize(s);
    if (!st && jn_exec(j, "COMMIT") != SQLITE_OK)
        st = jn_db_error(j, err, "commit");
out:
    if (st)
        jn_rollback(j);
    return st;
}
