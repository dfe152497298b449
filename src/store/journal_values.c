/* A record's values checked against the column table before they reach
 * SQLite: known keys, each given once, the required ones present, numbers
 * and quantities in range (quantities converted to the unit stored),
 * choices, dates, zones of the catalog, references by code, photos
 * hashed; and the values of an import. */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnsim/date.h"
#include "mnsim/sha256.h"
#include "mnsim/units.h"
#include "mnsim/utf8.h"

/* ---- values ------------------------------------------------------------ */

static const jcol *find_col(int kind, const char *key)
{
    const jtable *t = &jn_tables[kind];
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->cols[i].key, key) || !strcmp(t->cols[i].col, key))
            return &t->cols[i];
    return NULL;
}

static mn_status unknown_key(int kind, const char *key, mn_error *err)
{
    char allowed[512] = "";
    const jtable *t = &jn_tables[kind];
    for (size_t i = 0; i < t->n; i++) {
        size_t used = strlen(allowed);
        snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? ", " : "",
                 t->cols[i].key);
    }
    return mn_error_set(err, MN_EINVAL, "a %s has no '%s'; its keys are: %s", t->name,
                        key, allowed);
}

mn_status jn_lookup_code(mn_journal *j, const char *table, const char *code,
                         int64_t *id, mn_error *err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE code = ?", table);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "lookup");
    sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return MN_OK;
    if (rc != SQLITE_DONE)
        return jn_db_error(j, err, "lookup");
    return mn_error_set(err, MN_ENOTFOUND, "no %s with code '%s' in the journal", table,
                        code);
}

static mn_status hash_file(const char *path, char hex[65], mn_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EIO, "photo %s: %s", path, strerror(errno));
    mn_sha256 s;
    mn_sha256_init(&s);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        mn_sha256_update(&s, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return mn_error_set(err, MN_EIO, "photo %s: read error", path);
    mn_sha256_hex(&s, hex);
    return MN_OK;
}

void mn_journal_set_zones(mn_journal *j, const mn_zone_list *zones)
{
    j->zones = zones;
}

/* Text: UTF-8, at most max bytes. */
static mn_status check_text(const char *text, size_t max, mn_error *err)
{
    size_t bad, n = strlen(text);
    if (n > max)
        return mn_error_set(err, MN_EINVAL, "at most %zu characters", max);
    if (!mn_utf8_valid(text, n, &bad))
        return mn_error_set(err, MN_EINVAL, "not UTF-8 text (byte 0x%02X at %zu)",
                            (unsigned char)text[bad], bad + 1);
    return MN_OK;
}

/* A calendar date (and time), written back in the stored form. */
static mn_status check_date(const char *text, int with_time, char *out, size_t n,
                            mn_error *err)
{
    int64_t t;
    mn_error e;
    mn_error_clear(&e);
    if (mn_date_parse(text, &t, &e) != MN_OK)
        return mn_error_set(err, MN_EINVAL, "%s", e.message);
    mn_date_format(t, with_time, out, n);
    return MN_OK;
}

/* Whether name is a zone, a group or the site of a zone (what a course
 * resolves, src/data/course_io.c). */
static int zone_known(const mn_zone_list *l, const char *name)
{
    if (mn_zone_find(l, name))
        return 1;
    for (size_t g = 0; g < l->n_groups; g++)
        if (!strcmp(l->groups[g].name, name))
            return 1;
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->items[i].site, name))
            return 1;
    return 0;
}

/* Append name to the list in buf unless it is there already. */
static void add_name(char *buf, size_t n, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = buf; (p = strstr(p, name)) != NULL; p += len)
        if ((p == buf || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
            return;
    size_t used = strlen(buf);
    snprintf(buf + used, n - used, "%s%s", used ? ", " : "", name);
}

/* The names a session's zones may use: zones, groups, sites. */
static void zone_names(const mn_zone_list *l, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; i < l->count; i++)
        add_name(buf, n, l->items[i].name);
    for (size_t g = 0; g < l->n_groups; g++)
        add_name(buf, n, l->groups[g].name);
    for (size_t i = 0; i < l->count; i++)
        add_name(buf, n, l->items[i].site);
}

/* Comma-separated names, at least one, each known to the catalog (when
 * the journal has one). */
static mn_status check_zones(const mn_zone_list *l, const char *text, mn_error *err)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    size_t count = 0;
    char *save = NULL;
    for (char *z = strtok_r(buf, ", ", &save); z; z = strtok_r(NULL, ", ", &save)) {
        count++;
        if (l && !zone_known(l, z)) {
            char known[400];
            zone_names(l, known, sizeof known);
            return mn_error_set(err, MN_EINVAL,
                                "no zone, group or site named '%s'; known: %s", z,
                                known);
        }
    }
    if (!count)
        return mn_error_set(err, MN_EINVAL, "names no zone (e.g. cheek,forehead)");
    return MN_OK;
}

/* A text-like value of the column table: the key in front of its problem. */
static mn_status parse_text(mn_journal *j, const jcol *c, const char *text, jval *v,
                            mn_error *err)
{
    mn_error e;
    mn_error_clear(&e);
    mn_status st = check_text(text, sizeof v->text - 1, &e);
    if (!st && c->required && !*text)
        st = mn_error_set(&e, MN_EINVAL, "must not be empty");
    if (!st && c->type == JC_ZONES)
        st = check_zones(j->zones, text, &e);
    if (!st && (c->type == JC_DATE || c->type == JC_DATETIME))
        st = check_date(text, c->type == JC_DATETIME, v->text, sizeof v->text, &e);
    else if (!st)
        snprintf(v->text, sizeof v->text, "%s", text);
    if (st)
        return mn_error_set(err, st, "%s: %s", c->key, e.message);
    v->type = SQLITE_TEXT;
    return MN_OK;
}

mn_status jn_check_import(mn_journal *j, int kind, const char *col, const char *text,
                          char *out, size_t n, int *checked, mn_error *err)
{
    const jcol *c = find_col(kind, col);
    *checked = 0;
    if (!c || (c->type != JC_TEXT && c->type != JC_ZONES && c->type != JC_PHOTO &&
               c->type != JC_DATE && c->type != JC_DATETIME))
        return MN_OK;
    mn_status st = check_text(text, n - 1, err);
    if (!st && c->type == JC_ZONES)
        st = check_zones(j->zones, text, err);
    if (!st && (c->type == JC_DATE || c->type == JC_DATETIME))
        st = check_date(text, c->type == JC_DATETIME, out, n, err);
    else if (!st)
        snprintf(out, n, "%s", text);
    *checked = !st;
    return st;
}

static mn_status parse_value(mn_journal *j, const jcol *c, const char *text, jval *v,
                             mn_error *err)
{
    memset(v, 0, sizeof *v);
    mn_error e;
    mn_error_clear(&e);
    switch (c->type) {
    case JC_TEXT:
    case JC_ZONES:
    case JC_DATE:
    case JC_DATETIME: return parse_text(j, c, text, v, err);
    case JC_INT: {
        char *end;
        errno = 0;
        long long x = strtoll(text, &end, 10);
        /* digits and an optional '-' only: strtoll also skips blanks, '+' */
        if (end == text || *end || errno ||
            !(*text == '-' || (*text >= '0' && *text <= '9')))
            return mn_error_set(err, MN_EINVAL, "%s: '%s' is not a whole number",
                                c->key, text);
        if (x < c->min || x > c->max)
            return mn_error_set(err, MN_ERANGE, "%s: %lld is outside %.0f-%.0f", c->key,
                                x, c->min, c->max);
        v->type = SQLITE_INTEGER;
        v->i = x;
        return MN_OK;
    }
    case JC_QTY: {
        double si, out;
        if (mn_units_parse(text, c->unit, &si, &e) != MN_OK)
            return mn_error_set(err, MN_EINVAL, "%s: %s", c->key, e.message);
        /* Stored in store_unit; min and max are in that unit too. */
        mn_units_to(si, c->unit, c->store_unit, &out, NULL);
        if (out < c->min || out > c->max)
            return mn_error_set(err, MN_ERANGE, "%s: %s is outside %g-%g %s", c->key,
                                text, c->min, c->max, c->store_unit);
        v->type = SQLITE_FLOAT;
        v->d = out;
        return MN_OK;
    }
    case JC_ENUM: {
        char allowed[160] = "";
        for (int i = 0; c->choices[i]; i++) {
            if (!strcmp(text, c->choices[i])) {
                v->type = SQLITE_TEXT;
                snprintf(v->text, sizeof v->text, "%s", text);
                return MN_OK;
            }
            size_t used = strlen(allowed);
            snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? ", " : "",
                     c->choices[i]);
        }
        return mn_error_set(err, MN_EINVAL, "%s: '%s' is not one of %s", c->key, text,
                            allowed);
    }
    case JC_PERSON:
    case JC_DEVICE: {
        mn_status st = jn_lookup_code(j, c->type == JC_PERSON ? "person" : "device",
                                      text, &v->i, err);
        v->type = SQLITE_INTEGER;
        return st;
    }
    case JC_SESSION: {
        char *end;
        errno = 0;
        long long x = strtoll(text, &end, 10);
        if (end == text || *end || errno || x <= 0 || !(*text >= '0' && *text <= '9'))
            return mn_error_set(err, MN_EINVAL, "%s: '%s' is not a session id", c->key,
                                text);
        sqlite3_stmt *s = NULL;
        int found = 0;
        if (sqlite3_prepare_v2(j->db, "SELECT 1 FROM session WHERE id = ?", -1, &s,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_int64(s, 1, x);
            found = sqlite3_step(s) == SQLITE_ROW;
        }
        sqlite3_finalize(s);
        if (!found)
            return mn_error_set(err, MN_ENOTFOUND, "%s: no session %lld in the journal",
                                c->key, x);
        v->type = SQLITE_INTEGER;
        v->i = x;
        return MN_OK;
    }
    case JC_PHOTO: {
        mn_status st = parse_text(j, c, text, v, err);
        return st ? st : hash_file(text, v->sha, err);
    }
    }
    return mn_error_set(err, MN_EINVAL, "%s: unsupported column", c->key);
}

void jn_bind(sqlite3_stmt *s, int idx, const jval *v)
{
    if (v->type == SQLITE_INTEGER)
        sqlite3_bind_int64(s, idx, v->i);
    else if (v->type == SQLITE_FLOAT)
        sqlite3_bind_double(s, idx, v->d);
    else
        sqlite3_bind_text(s, idx, v->text, -1, SQLITE_TRANSIENT);
}

/* Check keys (known, not repeated) and parse every value. vals[i] belongs
 * to cols[i]. */
mn_status jn_parse_all(mn_journal *j, int kind, const mn_kv *kv, size_t n,
                       const jcol **cols, jval *vals, int need_required, mn_error *err)
{
    for (size_t i = 0; i < n; i++) {
        cols[i] = find_col(kind, kv[i].key);
        if (!cols[i])
            return unknown_key(kind, kv[i].key, err);
        for (size_t k = 0; k < i; k++)
            if (cols[k] == cols[i])
                return mn_error_set(err, MN_EINVAL, "%s given twice", cols[i]->key);
        if (!kv[i].value)
            return mn_error_set(err, MN_EINVAL, "%s: no value", cols[i]->key);
        mn_status st = parse_value(j, cols[i], kv[i].value, &vals[i], err);
        if (st)
            return st;
    }
    if (need_required) {
        const jtable *t = &jn_tables[kind];
        for (size_t c = 0; c < t->n; c++) {
            if (!t->cols[c].required)
                continue;
            int given = 0;
            for (size_t i = 0; i < n; i++)
                given |= cols[i] == &t->cols[c];
            if (!given)
                return mn_error_set(err, MN_EINVAL, "a %s needs '%s' (%s)", t->name,
                                    t->cols[c].key, t->cols[c].help);
        }
    }
    return MN_OK;
}
