/* Opening a journal: the file created owner-only, anything that is not an
 * mnsim journal refused untouched, the schema and its migrations, the
 * integrity check; and SQLite's errors as mn_status for every journal
 * file. */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

/* PRAGMA application_id: "mnsm". */
#define MN_APP_ID 0x6d6e736d
#define BUSY_TIMEOUT_MS 15000

/* Schema version 1. Every constraint in the column table is also a CHECK,
 * so that nothing else (an import, a hand edit) can store what add refuses. */
static const char *const schema_v1 =
    "CREATE TABLE person(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT, birth_year INTEGER CHECK(birth_year BETWEEN 1900 AND 2100),"
    " sex TEXT CHECK(sex IN ('female','male')),"
    " fitzpatrick INTEGER CHECK(fitzpatrick BETWEEN 1 AND 6), conditions TEXT,"
    " contraindications TEXT, notes TEXT);"
    "CREATE TABLE consent(id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " date TEXT NOT NULL, scope TEXT);"
    "CREATE TABLE device(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " catalog_name TEXT NOT NULL, lot TEXT, first_use TEXT,"
    " max_uses INTEGER CHECK(max_uses BETWEEN 1 AND 1000),"
    " sterilisations INTEGER CHECK(sterilisations >= 0), notes TEXT);"
    "CREATE TABLE session(id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " at TEXT NOT NULL, practitioner TEXT,"
    " device_id INTEGER REFERENCES device(id) ON DELETE SET NULL,"
    " needle_length_mm REAL NOT NULL CHECK(needle_length_mm > 0 AND needle_length_mm "
    "<= 5),"
    " zones TEXT NOT NULL, pattern TEXT, passes INTEGER CHECK(passes BETWEEN 1 AND "
    "100),"
    " pressure TEXT CHECK(pressure IN ('light','medium','firm')), anaesthetic TEXT,"
    " anaesthetic_min REAL CHECK(anaesthetic_min BETWEEN 0 AND 240), serum TEXT,"
    " redness TEXT CHECK(redness IN ('none','mild','moderate','severe')),"
    " bleeding TEXT CHECK(bleeding IN ('none','pinpoint','moderate','heavy')),"
    " pain INTEGER CHECK(pain BETWEEN 0 AND 10), adverse_events TEXT, notes TEXT);"
    "CREATE INDEX session_person_at ON session(person_id, at);"
    "CREATE TABLE photo(id INTEGER PRIMARY KEY,"
    " session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,"
    " path TEXT NOT NULL, sha256 TEXT NOT NULL CHECK(length(sha256) = 64), notes TEXT);"
    "CREATE TABLE followup(id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
    " session_id INTEGER REFERENCES session(id) ON DELETE SET NULL, at TEXT NOT NULL,"
    " redness TEXT CHECK(redness IN ('none','mild','moderate','severe')),"
    " pain INTEGER CHECK(pain BETWEEN 0 AND 10), healed TEXT CHECK(healed IN "
    "('no','yes')),"
    " notes TEXT);";

/* Forward migrations: migrations[v] takes schema v to v + 1. */
static const char *const migrations[] = {schema_v1};
#define N_MIGRATIONS (sizeof migrations / sizeof migrations[0])

/* ---- errors ------------------------------------------------------------ */

mn_status jn_db_error(mn_journal *j, mn_error *err, const char *what)
{
    int code = sqlite3_extended_errcode(j->db);
    const char *msg = sqlite3_errmsg(j->db);
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
        return mn_error_set(err, MN_EIO, "%s: the journal is damaged (%s): %s", j->path,
                            msg, what);
    if ((code & 0xff) == SQLITE_CONSTRAINT) {
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
            return mn_error_set(err, MN_EEXIST, "%s: already recorded (%s)", what, msg);
        return mn_error_set(err, MN_EINVAL, "%s: refused by the journal (%s)", what,
                            msg);
    }
    if ((code & 0xff) == SQLITE_BUSY)
        return mn_error_set(err, MN_EIO, "%s: the journal is busy (another process)",
                            what);
    return mn_error_set(err, MN_EIO, "%s: %s", what, msg);
}

int jn_exec(mn_journal *j, const char *sql)
{
    return sqlite3_exec(j->db, sql, NULL, NULL, NULL);
}

void jn_rollback(mn_journal *j)
{
    if (!sqlite3_get_autocommit(j->db))
        jn_exec(j, "ROLLBACK");
}

/* ---- open ---------------------------------------------------------------- */

static mn_status make_dirs(const char *path, mn_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf)
        return MN_OK;
    *slash = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return mn_error_set(err, MN_EIO, "%s: cannot create directory: %s", buf,
                                strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return mn_error_set(err, MN_EIO, "%s: cannot create directory: %s", buf,
                            strerror(errno));
    return MN_OK;
}

mn_status mn_journal_default_path(char *buf, size_t n, mn_error *err)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(buf, n, "%s/mnsim/journal.db", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.local/share/mnsim/journal.db", home);
    else
        return mn_error_set(err, MN_EINVAL,
                            "neither XDG_DATA_HOME nor HOME is set: give --db PATH");
    return MN_OK;
}

/* What is at path: 0 missing, 1 empty file, 2 SQLite file, 3 other. */
static int probe(const char *path, mn_error *err, mn_status *st)
{
    struct stat sb;
    *st = MN_OK;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return 0;
        *st = mn_error_set(err, MN_EIO, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        *st = mn_error_set(err, MN_EINVAL, "%s: not a regular file", path);
        return -1;
    }
    if (sb.st_size == 0)
        return 1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *st = mn_error_set(err, MN_EIO, "%s: %s", path, strerror(errno));
        return -1;
    }
    char head[16] = {0};
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return got == 16 && !memcmp(head, "SQLite format 3", 16) ? 2 : 3;
}

int64_t jn_pragma_int(mn_journal *j, const char *sql, int *ok)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    *ok = 0;
    if (sqlite3_prepare_v2(j->db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        v = sqlite3_column_int64(s, 0);
        *ok = 1;
    }
    sqlite3_finalize(s);
    return v;
}

/* Bring the schema from version `from` to the current one, in one
 * transaction (a fresh file starts at 0). */
static mn_status migrate(mn_journal *j, int64_t from, mn_error *err)
{
    mn_status st = jn_begin_write(j, "cannot start the schema update", err);
    if (st)
        return st;
    for (int64_t v = from; v < (int64_t)N_MIGRATIONS; v++)
        if (jn_exec(j, migrations[v]) != SQLITE_OK) {
            st = jn_db_error(j, err, "schema update failed");
            jn_rollback(j);
            return st;
        }
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             MN_APP_ID, MN_JOURNAL_SCHEMA_VERSION);
    if (jn_exec(j, sql) != SQLITE_OK || jn_exec(j, "COMMIT") != SQLITE_OK) {
        st = jn_db_error(j, err, "schema update failed");
        jn_rollback(j);
        return st;
    }
    return MN_OK;
}

static mn_status configure(mn_journal *j, mn_error *err)
{
    if (jn_exec(j, "PRAGMA foreign_keys = ON") != SQLITE_OK ||
        jn_exec(j, "PRAGMA journal_mode = WAL") != SQLITE_OK ||
        jn_exec(j, "PRAGMA synchronous = FULL") != SQLITE_OK)
        return jn_db_error(j, err, "cannot configure the journal");
    return MN_OK;
}

/* Refuse anything that is not an mnsim journal, before writing a byte. */
static mn_status verify_existing(mn_journal *j, int64_t *version, mn_error *err)
{
    int ok1, ok2;
    int64_t app = jn_pragma_int(j, "PRAGMA application_id", &ok1);
    *version = jn_pragma_int(j, "PRAGMA user_version", &ok2);
    if (!ok1 || !ok2)
        return jn_db_error(j, err, "cannot read the journal");
    if (app != MN_APP_ID)
        return mn_error_set(err, MN_EINVAL,
                            "%s is an SQLite database of another program, not an mnsim "
                            "journal; it was left untouched",
                            j->path);
    if (*version > MN_JOURNAL_SCHEMA_VERSION)
        return mn_error_set(
            err, MN_EINVAL,
            "%s was written by a newer mnsim (journal schema %lld, this "
            "mnsim knows %d); it was left untouched",
            j->path, (long long)*version, MN_JOURNAL_SCHEMA_VERSION);
    return MN_OK;
}

mn_status mn_journal_open(const char *path, int create, mn_journal **out, mn_error *err)
{
    *out = NULL;
    mn_status st;
    int what = probe(path, err, &st);
    if (what < 0)
        return st;
    if (what == 0 && !create)
        return mn_error_set(
            err, MN_ENOTFOUND,
            "%s: no journal there (create one with `mnsim journal init`)", path);
    if (what == 3)
        return mn_error_set(
            err, MN_EINVAL,
            "%s is not an mnsim journal (not an SQLite database); it was "
            "left untouched",
            path);
    if (what == 0) {
        if ((st = make_dirs(path, err)))
            return st;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
            return mn_error_set(err, MN_EIO, "%s: cannot create: %s", path,
                                strerror(errno));
        close(fd);
    }
    mn_journal *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        st = mn_error_set(err, MN_EIO, "%s: cannot open: %s", path,
                          j->db ? sqlite3_errmsg(j->db) : "out of memory");
        mn_journal_close(j);
        return st;
    }
    /* Before any statement: another writer may hold the lock from the
     * first read (the schema check) on. */
    sqlite3_busy_timeout(j->db, BUSY_TIMEOUT_MS);
    int64_t version = 0;
    if (what == 2)
        st = verify_existing(j, &version, err);
    if (!st)
        st = configure(j, err);
    if (!st && version < MN_JOURNAL_SCHEMA_VERSION)
        st = migrate(j, version, err);
    if (!st)
        chmod(path, 0600); /* health records: owner only, whatever made the file */
    if (st) {
        mn_journal_close(j);
        return st;
    }
    *out = j;
    return MN_OK;
}

void mn_journal_close(mn_journal *j)
{
    if (!j)
        return;
    sqlite3_close(j->db);
    free(j->path);
    free(j);
}

/* Run an integrity pragma; MN_OK when it says "ok", else MN_EIO with its
 * report (or SQLite's error) in report. */
static mn_status run_check(mn_journal *j, const char *pragma, char *report, size_t n)
{
    sqlite3_stmt *s = NULL;
    report[0] = '\0';
    mn_status st = MN_OK;
    int rc = sqlite3_prepare_v2(j->db, pragma, -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(s, 0);
        if (line && strcmp(line, "ok")) {
            size_t used = strlen(report);
            snprintf(report + used, n - used, "%s%s", used ? "; " : "", line);
            st = MN_EIO;
        }
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE && !st) {
        snprintf(report, n, "%s", sqlite3_errmsg(j->db));
        st = MN_EIO;
    }
    sqlite3_finalize(s);
    return st;
}

mn_status jn_begin_write(mn_journal *j, const char *what, mn_error *err)
{
    if (jn_exec(j, "BEGIN IMMEDIATE") != SQLITE_OK)
        return jn_db_error(j, err, what);
    char report[300];
    if (run_check(j, "PRAGMA quick_check", report, sizeof report) == MN_OK)
        return MN_OK;
    jn_rollback(j);
    return mn_error_set(err, MN_EIO,
                        "%s is damaged (quick_check: %s); nothing was written to it. "
                        "`mnsim journal check` shows the damage; restore a backup",
                        j->path, report);
}

mn_status mn_journal_check(mn_journal *j, mn_error *err)
{
    char report[400];
    if (run_check(j, "PRAGMA integrity_check", report, sizeof report))
        return mn_error_set(err, MN_EIO, "%s: integrity check failed: %s", j->path,
                            report);
    int ok;
    int64_t fk = jn_pragma_int(j, "SELECT count(*) FROM pragma_foreign_key_check", &ok);
    if (ok && fk > 0)
        return mn_error_set(err, MN_EIO, "%s: %lld broken references", j->path,
                            (long long)fk);
    return MN_OK;
}
