/* The treatment journal: one SQLite file, every change in a transaction. */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>
#include <sqlite3.h>

#include "mnsim/date.h"
#include "mnsim/json.h"
#include "mnsim/sha256.h"
#include "mnsim/units.h"

/* PRAGMA application_id: "mnsm". */
#define MN_APP_ID 0x6d6e736d
#define BUSY_TIMEOUT_MS 15000

/* ---- the column table -------------------------------------------------- */

static const char *const sexes[] = {"female", "male", NULL};
static const char *const pressures[] = {"light", "medium", "firm", NULL};
static const char *const bleedings[] = {"none", "pinpoint", "moderate", "heavy", NULL};
static const char *const redness[] = {"none", "mild", "moderate", "severe", NULL};
static const char *const yesno[] = {"no", "yes", NULL};

static const jcol person_cols[] = {
    {"code", "code", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "pseudonymous id, unique (e.g. P001)"},
    {"name", "name", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "name (optional)"},
    {"birth_year", "birth_year", JC_INT, 0, 1900, 2100, 0, NULL, NULL, "year of birth"},
    {"sex", "sex", JC_ENUM, 0, 0, 0, 0, NULL, sexes, "female or male"},
    {"fitzpatrick", "fitzpatrick", JC_INT, 0, 1, 6, 0, NULL, NULL,
     "Fitzpatrick skin type 1-6"},
    {"conditions", "conditions", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "skin conditions"},
    {"contraindications", "contraindications", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "known contraindications (medications, history)"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol consent_cols[] = {
    {"person", "person_id", JC_PERSON, 1, 0, 0, 0, NULL, NULL, "person code"},
    {"date", "date", JC_DATE, 1, 0, 0, 0, NULL, NULL, "date consent was given"},
    {"scope", "scope", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "what was consented to"},
};
static const jcol device_cols[] = {
    {"code", "code", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "your id for this device, unique"},
    {"catalog_name", "catalog_name", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "catalog name (mnsim devices), e.g. roller-192-1.5mm"},
    {"lot", "lot", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "lot or batch"},
    {"first_use", "first_use", JC_DATE, 0, 0, 0, 0, NULL, NULL, "date of first use"},
    {"max_uses", "max_uses", JC_INT, 0, 1, 1000, 0, NULL, NULL,
     "replace after this many sessions"},
    {"sterilisations", "sterilisations", JC_INT, 0, 0, 100000, 0, NULL, NULL,
     "times sterilised"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol session_cols[] = {
    {"person", "person_id", JC_PERSON, 1, 0, 0, 0, NULL, NULL, "person code"},
    {"at", "at", JC_DATETIME, 1, 0, 0, 0, NULL, NULL,
     "date and time, YYYY-MM-DDTHH:MM"},
    {"practitioner", "practitioner", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "who did it ('self' for home use)"},
    {"device", "device_id", JC_DEVICE, 0, 0, 0, 0, NULL, NULL, "device code"},
    {"needle_length", "needle_length_mm", JC_QTY, 1, 0.05, 5, MN_UNIT_LENGTH, "mm",
     NULL, "needle length, e.g. \"1.5 mm\""},
    {"zones", "zones", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "treated zones or sites, comma-separated (e.g. cheek,forehead)"},
    {"pattern", "pattern", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "rolling pattern"},
    {"passes", "passes", JC_INT, 0, 1, 100, 0, NULL, NULL, "passes per direction"},
    {"pressure", "pressure", JC_ENUM, 0, 0, 0, 0, NULL, pressures,
     "light, medium or firm"},
    {"anaesthetic", "anaesthetic", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "e.g. lidocaine 4%"},
    {"anaesthetic_time", "anaesthetic_min", JC_QTY, 0, 0, 240, MN_UNIT_TIME, "min",
     NULL, "how long it was on, e.g. \"45 min\""},
    {"serum", "serum", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "serum or cream applied"},
    {"redness", "redness", JC_ENUM, 0, 0, 0, 0, NULL, redness,
     "none, mild, moderate or severe"},
    {"bleeding", "bleeding", JC_ENUM, 0, 0, 0, 0, NULL, bleedings,
     "none, pinpoint, moderate or heavy"},
    {"pain", "pain", JC_INT, 0, 0, 10, 0, NULL, NULL, "pain score 0-10"},
    {"adverse_events", "adverse_events", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "adverse events, if any"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol photo_cols[] = {
    {"session", "session_id", JC_SESSION, 1, 0, 0, 0, NULL, NULL, "session id"},
    {"path", "path", JC_PHOTO, 1, 0, 0, 0, NULL, NULL,
     "photo file; its SHA-256 is recorded"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol followup_cols[] = {
    {"person", "person_id", JC_PERSON, 1, 0, 0, 0, NULL, NULL, "person code"},
    {"session", "session_id", JC_SESSION, 0, 0, 0, 0, NULL, NULL,
     "the session followed up (id)"},
    {"at", "at", JC_DATETIME, 1, 0, 0, 0, NULL, NULL, "date and time"},
    {"redness", "redness", JC_ENUM, 0, 0, 0, 0, NULL, redness,
     "none, mild, moderate or severe"},
    {"pain", "pain", JC_INT, 0, 0, 10, 0, NULL, NULL, "pain score 0-10"},
    {"healed", "healed", JC_ENUM, 0, 0, 0, 0, NULL, yesno, "yes or no"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};

#define T(name, table, cols)                                                           \
    {                                                                                  \
        name, table, cols, sizeof cols / sizeof cols[0]                                \
    }
const jtable jn_tables[MN_J_KIND_COUNT] = {
    T("person", "person", person_cols), T("consent", "consent", consent_cols),
    T("device", "device", device_cols), T("session", "session", session_cols),
    T("photo", "photo", photo_cols),    T("followup", "followup", followup_cols),
};

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

const char *mn_journal_kind_name(int kind)
{
    return kind >= 0 && kind < MN_J_KIND_COUNT ? jn_tables[kind].name : "unknown";
}

int mn_journal_kind_from_name(const char *name)
{
    for (int k = 0; k < MN_J_KIND_COUNT; k++)
        if (name && !strcmp(name, jn_tables[k].name))
            return k;
    return -1;
}

size_t mn_journal_column_count(int kind)
{
    return kind >= 0 && kind < MN_J_KIND_COUNT ? jn_tables[kind].n : 0;
}

mn_journal_column_doc mn_journal_column(int kind, size_t i)
{
    mn_journal_column_doc d = {NULL, NULL, 0};
    if (i < mn_journal_column_count(kind)) {
        d.key = jn_tables[kind].cols[i].key;
        d.help = jn_tables[kind].cols[i].help;
        d.required = jn_tables[kind].cols[i].required;
    }
    return d;
}

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
    if (jn_exec(j, "BEGIN IMMEDIATE") != SQLITE_OK)
        return jn_db_error(j, err, "cannot start the schema update");
    for (int64_t v = from; v < (int64_t)N_MIGRATIONS; v++)
        if (jn_exec(j, migrations[v]) != SQLITE_OK) {
            mn_status st = jn_db_error(j, err, "schema update failed");
            jn_rollback(j);
            return st;
        }
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             MN_APP_ID, MN_JOURNAL_SCHEMA_VERSION);
    if (jn_exec(j, sql) != SQLITE_OK || jn_exec(j, "COMMIT") != SQLITE_OK) {
        mn_status st = jn_db_error(j, err, "schema update failed");
        jn_rollback(j);
        return st;
    }
    return MN_OK;
}

static mn_status configure(mn_journal *j, mn_error *err)
{
    sqlite3_busy_timeout(j->db, BUSY_TIMEOUT_MS);
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

mn_status mn_journal_check(mn_journal *j, mn_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(j->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return jn_db_error(j, err, "integrity check");
    mn_status st = MN_OK;
    char report[400] = "";
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(s, 0);
        if (line && strcmp(line, "ok")) {
            size_t used = strlen(report);
            snprintf(report + used, sizeof report - used, "%s%s", used ? "; " : "",
                     line);
            st = MN_EIO;
        }
    }
    sqlite3_finalize(s);
    if (st)
        return mn_error_set(err, MN_EIO, "%s: integrity check failed: %s", j->path,
                            report);
    int ok;
    int64_t fk = jn_pragma_int(j, "SELECT count(*) FROM pragma_foreign_key_check", &ok);
    if (ok && fk > 0)
        return mn_error_set(err, MN_EIO, "%s: %lld broken references", j->path,
                            (long long)fk);
    return MN_OK;
}

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

/* A checked value ready to bind. */
typedef struct {
    int type; /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT */
    int64_t i;
    double d;
    char text[512];
    char sha[65]; /* photos */
} jval;

static mn_status lookup_code(mn_journal *j, const char *table, const char *code,
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

mn_status mn_journal_find(mn_journal *j, int kind, const char *code, int64_t *id,
                          mn_error *err)
{
    if (kind != MN_J_PERSON && kind != MN_J_DEVICE)
        return mn_error_set(err, MN_EINVAL, "only people and devices have codes");
    return lookup_code(j, jn_tables[kind].table, code, id, err);
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

static mn_status parse_value(mn_journal *j, const jcol *c, const char *text, jval *v,
                             mn_error *err)
{
    memset(v, 0, sizeof *v);
    mn_error e;
    mn_error_clear(&e);
    switch (c->type) {
    case JC_TEXT:
        if (strlen(text) >= sizeof v->text)
            return mn_error_set(err, MN_EINVAL, "%s: at most %zu characters", c->key,
                                sizeof v->text - 1);
        if (c->required && !*text)
            return mn_error_set(err, MN_EINVAL, "%s: must not be empty", c->key);
        v->type = SQLITE_TEXT;
        snprintf(v->text, sizeof v->text, "%s", text);
        return MN_OK;
    case JC_INT: {
        char *end;
        errno = 0;
        long long x = strtoll(text, &end, 10);
        if (end == text || *end || errno)
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
    case JC_DATE:
    case JC_DATETIME: {
        int64_t t;
        if (mn_date_parse(text, &t, &e) != MN_OK)
            return mn_error_set(err, MN_EINVAL, "%s: %s", c->key, e.message);
        v->type = SQLITE_TEXT;
        mn_date_format(t, c->type == JC_DATETIME, v->text, sizeof v->text);
        return MN_OK;
    }
    case JC_PERSON:
    case JC_DEVICE: {
        mn_status st = lookup_code(j, c->type == JC_PERSON ? "person" : "device", text,
                                   &v->i, err);
        v->type = SQLITE_INTEGER;
        return st;
    }
    case JC_SESSION: {
        char *end;
        long long x = strtoll(text, &end, 10);
        if (end == text || *end || x <= 0)
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
    case JC_PHOTO:
        if (strlen(text) >= sizeof v->text)
            return mn_error_set(err, MN_EINVAL, "%s: path too long", c->key);
        v->type = SQLITE_TEXT;
        snprintf(v->text, sizeof v->text, "%s", text);
        return hash_file(text, v->sha, err);
    }
    return mn_error_set(err, MN_EINVAL, "%s: unsupported column", c->key);
}

static void bind(sqlite3_stmt *s, int idx, const jval *v)
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
static mn_status parse_all(mn_journal *j, int kind, const mn_kv *kv, size_t n,
                           const jcol **cols, jval *vals, int need_required,
                           mn_error *err)
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
    if (jn_exec(j, "BEGIN IMMEDIATE") != SQLITE_OK) {
        st = jn_db_error(j, err, "cannot start a transaction");
        goto out;
    }
    if ((st = parse_all(j, kind, kv, n, cols, vals, 1, err)))
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
        bind(s, (int)i + 1, &vals[i]);
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
    if (jn_exec(j, "BEGIN IMMEDIATE") != SQLITE_OK) {
        st = jn_db_error(j, err, "cannot start a transaction");
        goto out;
    }
    if ((st = require_row(j, kind, id, err)) ||
        (st = parse_all(j, kind, kv, n, cols, vals, 0, err)))
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
        bind(s, (int)i + 1, &vals[i]);
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
    if (jn_exec(j, "BEGIN IMMEDIATE") != SQLITE_OK)
        return jn_db_error(j, err, "cannot start a transaction");
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
