/* The journal: records, validation, references, export/import, refusal of
 * foreign files, permissions. */
#include "mn_test.h"
#include "mnsim/date.h"
#include "mnsim/journal.h"
#include "mnsim/zones.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/mnsim-test-journal-XXXXXX";

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static int64_t add(mn_journal *j, int kind, const mn_kv *kv, size_t n, mn_status want)
{
    int64_t id = 0;
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_journal_add(j, kind, kv, n, &id, &e);
    if (st != want)
        fprintf(stderr, "add %s: status %d (%s), expected %d\n",
                mn_journal_kind_name(kind), st, e.message, want);
    CHECK(st == want);
    return id;
}

static char *read_file(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    char *b = calloc(1, 1 << 16);
    size_t n = fread(b, 1, (1 << 16) - 1, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* Session zones against the zone catalog: unknown names refused with the
 * known ones listed; zones, groups and sites accepted. */
static void check_zones(mn_journal *j, int64_t sid, const char *data)
{
    char path[600];
    snprintf(path, sizeof path, "%s/zones.yaml", data);
    mn_zone_list zl = {0};
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_zones_load(path, &zl, NULL, &e) == MN_OK);
    mn_journal_set_zones(j, &zl);
    mn_kv bad[] = {{"zones", "cheek,chek"}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, bad, 1, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "zones: no zone, group or site named 'chek'; known: ");
    CHECK_STR_HAS(e.message, "left-cheek");
    CHECK_STR_HAS(e.message, "full-face");
    mn_kv none[] = {{"zones", " , "}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, none, 1, &e) == MN_EINVAL);
    mn_kv good[] = {{"zones", "full-face, left-cheek,cheek"}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, good, 1, &e) == MN_OK);
    mn_kv back[] = {{"zones", "cheek,forehead"}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, back, 1, &e) == MN_OK);
    mn_journal_set_zones(j, NULL);
    mn_zone_list_free(&zl);
}

int main(int argc, char **argv)
{
    CHECK(mkdtemp(dir) != NULL);
    char db[512], db2[512], p[512];
    path_in(db, sizeof db, "sub/dir/j.db");
    mn_error e;
    mn_error_clear(&e);
    mn_journal *j = NULL;
    CHECK(mn_journal_open(db, 0, &j, &e) == MN_ENOTFOUND);
    CHECK(mn_journal_open(db, 1, &j, &e) == MN_OK);
    struct stat sb;
    CHECK(stat(db, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    path_in(p, sizeof p, "sub/dir");
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    CHECK(mn_journal_check(j, &e) == MN_OK);

    mn_kv person[] = {{"code", "P001"},
                      {"sex", "female"},
                      {"fitzpatrick", "4"},
                      {"birth_year", "1985"}};
    int64_t pid = add(j, MN_J_PERSON, person, 4, MN_OK);
    CHECK(pid == 1);
    add(j, MN_J_PERSON, person, 1, MN_EEXIST); /* duplicate code */
    mn_kv bad_person[] = {{"code", "P002"}, {"fitzpatrick", "7"}};
    add(j, MN_J_PERSON, bad_person, 2, MN_ERANGE);
    mn_kv no_code[] = {{"name", "x"}};
    add(j, MN_J_PERSON, no_code, 1, MN_EINVAL);
    mn_kv device[] = {
        {"code", "R1"}, {"catalog_name", "roller-192-1.5mm"}, {"max_uses", "10"}};
    add(j, MN_J_DEVICE, device, 3, MN_OK);

    mn_kv s1[] = {{"person", "P001"},
                  {"at", "2027-01-04T10:00"},
                  {"needle_length", "1.5 mm"},
                  {"zones", "cheek,forehead"},
                  {"device", "R1"},
                  {"anaesthetic_time", "45 min"},
                  {"pain", "3"}};
    int64_t sid = add(j, MN_J_SESSION, s1, 7, MN_OK);
    mn_kv bad_unit[] = {{"person", "P001"},
                        {"at", "2027-01-05"},
                        {"needle_length", "1.5"},
                        {"zones", "cheek"}};
    add(j, MN_J_SESSION, bad_unit, 4, MN_EINVAL);
    mn_kv too_long[] = {{"person", "P001"},
                        {"at", "2027-01-05"},
                        {"needle_length", "6 mm"},
                        {"zones", "cheek"}};
    add(j, MN_J_SESSION, too_long, 4, MN_ERANGE);
    mn_kv no_person[] = {{"person", "P999"},
                         {"at", "2027-01-05"},
                         {"needle_length", "1 mm"},
                         {"zones", "cheek"}};
    add(j, MN_J_SESSION, no_person, 4, MN_ENOTFOUND);
    mn_kv bad_date[] = {{"person", "P001"},
                        {"at", "2027-02-30"},
                        {"needle_length", "1 mm"},
                        {"zones", "cheek"}};
    add(j, MN_J_SESSION, bad_date, 4, MN_EINVAL);
    mn_kv unknown[] = {{"person", "P001"}, {"colour", "red"}};
    mn_journal_add(j, MN_J_SESSION, unknown, 2, NULL, &e);
    CHECK_STR_HAS(e.message, "has no 'colour'");

    /* Photos record the file's SHA-256. */
    path_in(p, sizeof p, "photo.jpg");
    FILE *f = fopen(p, "wb");
    fputs("abc", f);
    fclose(f);
    char sidtext[32];
    snprintf(sidtext, sizeof sidtext, "%lld", (long long)sid);
    mn_kv photo[] = {{"session", sidtext}, {"path", p}};
    int64_t phid = add(j, MN_J_PHOTO, photo, 2, MN_OK);
    mn_journal_rows rows;
    CHECK(mn_journal_get(j, MN_J_PHOTO, phid, &rows, &e) == MN_OK);
    int found = 0;
    for (size_t k = 0; k < rows.rows[0].count; k++)
        if (!strcmp(rows.rows[0].keys[k], "sha256"))
            found = !strcmp(
                rows.rows[0].values[k],
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(found);
    mn_journal_rows_free(&rows);

    mn_kv fu[] = {{"person", "P001"},
                  {"session", sidtext},
                  {"at", "2027-01-06"},
                  {"healed", "no"}};
    add(j, MN_J_FOLLOWUP, fu, 4, MN_OK);

    /* A person's history for mnsim/readiness.h. */
    mn_history h;
    CHECK(mn_journal_history(j, pid, &h, &e) == MN_OK);
    CHECK(h.n_sessions == 1 && h.sessions[0].id == sid);
    CHECK(!strcmp(h.sessions[0].zones, "cheek,forehead") &&
          !strcmp(h.sessions[0].device, "R1"));
    CHECK(h.sessions[0].needle_length_mm == 1.5);
    CHECK(!strcmp(h.sessions[0].at_text, "2027-01-04T10:00"));
    int64_t at = 0;
    mn_date_parse("2027-01-04T10:00", &at, NULL);
    CHECK(h.sessions[0].at == at);
    CHECK(h.n_devices == 1 && !strcmp(h.devices[0].code, "R1") &&
          h.devices[0].max_uses == 10);
    CHECK(h.followup_not_healed && !strcmp(h.followup_at, "2027-01-06T00:00"));
    mn_history_free(&h);
    CHECK(mn_journal_history(j, 999, &h, &e) == MN_OK && h.n_sessions == 0 &&
          !h.followup_not_healed && h.n_devices == 1);
    mn_history_free(&h);

    /* Edit, list, show. */
    mn_kv change[] = {{"pain", "5"}, {"notes", "felt fine"}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, change, 2, &e) == MN_OK);
    mn_kv bad_change[] = {{"pain", "11"}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, bad_change, 1, &e) == MN_ERANGE);
    CHECK(mn_journal_update(j, MN_J_SESSION, 999, change, 2, &e) == MN_ENOTFOUND);
    CHECK(mn_journal_list(j, MN_J_SESSION, pid, &rows, &e) == MN_OK);
    CHECK(rows.count == 1);
    int pain5 = 0, person_code = 0, length = 0;
    for (size_t k = 0; k < rows.rows[0].count; k++) {
        const char *key = rows.rows[0].keys[k], *v = rows.rows[0].values[k];
        pain5 |= !strcmp(key, "pain") && v && !strcmp(v, "5");
        person_code |= !strcmp(key, "person") && v && !strcmp(v, "P001");
        length |= !strcmp(key, "needle_length_mm") && v && !strcmp(v, "1.5");
    }
    CHECK(pain5 && person_code && length);
    mn_journal_rows_free(&rows);

    check_zones(j, sid, argc > 1 ? argv[1] : "data");
    mn_kv not_utf8[] = {{"notes", "bad\xff"}};
    CHECK(mn_journal_update(j, MN_J_SESSION, sid, not_utf8, 1, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "notes: not UTF-8 text (byte 0xFF at 4)");

    /* Export, import into an empty journal, export again: identical. */
    char *exp1 = NULL, *exp2 = NULL;
    CHECK(mn_journal_export_json(j, 0, &exp1, &e) == MN_OK);
    CHECK_STR_HAS(exp1, "\"mnsim_journal\": 1");
    path_in(p, sizeof p, "export.json");
    f = fopen(p, "w");
    fputs(exp1, f);
    fclose(f);
    CHECK(mn_journal_import_json(j, p, NULL, &e) == MN_EINVAL); /* not empty */
    path_in(db2, sizeof db2, "j2.db");
    mn_journal *j2 = NULL;
    CHECK(mn_journal_open(db2, 1, &j2, &e) == MN_OK);
    CHECK(mn_journal_import_json(j2, p, NULL, &e) == MN_OK);
    CHECK(mn_journal_export_json(j2, 0, &exp2, &e) == MN_OK);
    CHECK(exp1 && exp2 && !strcmp(exp1, exp2));
    CHECK(mn_journal_check(j2, &e) == MN_OK);
    free(exp1);
    free(exp2);
    mn_journal_close(j2);

    /* CSV export. */
    path_in(p, sizeof p, "csv");
    CHECK(mn_journal_export_csv(j, 0, p, 0, &e) == MN_OK);
    path_in(p, sizeof p, "csv/session.csv");
    char *csv = read_file(p);
    CHECK_STR_HAS(csv, "id,person,at,practitioner,device,needle_length_mm");
    CHECK_STR_HAS(csv, "\"cheek,forehead\"");
    free(csv);
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    /* Existing files: all refused, nothing written, unless force. */
    path_in(p, sizeof p, "csv");
    CHECK(mn_journal_export_csv(j, 0, p, 0, &e) == MN_EEXIST);
    CHECK_STR_HAS(e.message, "person.csv, consent.csv, device.csv");
    CHECK(mn_journal_export_csv(j, 0, p, 1, &e) == MN_OK);
    path_in(p, sizeof p, "export.json");
    CHECK(mn_journal_export_write(p, "{}", 0, &e) == MN_EEXIST);
    CHECK(mn_journal_export_write(p, "{}", 1, &e) == MN_OK);
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600);

    /* Backup never overwrites, and is a valid journal. */
    path_in(p, sizeof p, "backup.db");
    CHECK(mn_journal_backup(j, p, &e) == MN_OK);
    CHECK(mn_journal_backup(j, p, &e) == MN_EEXIST);
    mn_journal *jb = NULL;
    CHECK(mn_journal_open(p, 0, &jb, &e) == MN_OK);
    CHECK(jb && mn_journal_list(jb, MN_J_SESSION, 0, &rows, &e) == MN_OK &&
          rows.count == 1);
    mn_journal_rows_free(&rows);
    mn_journal_close(jb);

    /* Deleting a person with sessions needs cascade. */
    CHECK(mn_journal_delete(j, MN_J_PERSON, pid, 0, &e) == MN_EINVAL);
    CHECK(mn_journal_delete(j, MN_J_PERSON, pid, 1, &e) == MN_OK);
    CHECK(mn_journal_list(j, MN_J_PHOTO, 0, &rows, &e) == MN_OK && rows.count == 0);
    mn_journal_rows_free(&rows);
    CHECK(mn_journal_delete(j, MN_J_PERSON, pid, 1, &e) == MN_ENOTFOUND);
    mn_journal_close(j);

    /* Foreign files are refused and left byte-for-byte untouched. */
    const char *garbage = "this is not a database\n";
    path_in(p, sizeof p, "notes.txt");
    f = fopen(p, "w");
    fputs(garbage, f);
    fclose(f);
    CHECK(mn_journal_open(p, 1, &j, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "not an mnsim journal");
    char *after = read_file(p);
    CHECK(after && !strcmp(after, garbage));
    free(after);
    path_in(p, sizeof p, "other.db");
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES(1);'", p);
    if (system(cmd) == 0) {
        struct stat before, later;
        stat(p, &before);
        CHECK(mn_journal_open(p, 1, &j, &e) == MN_EINVAL);
        CHECK_STR_HAS(e.message, "another program");
        stat(p, &later);
        CHECK(before.st_size == later.st_size && before.st_mtime == later.st_mtime);
    }
    /* A damaged journal: clear error, not overwritten. */
    path_in(p, sizeof p, "damaged.db");
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", db2, p);
    CHECK(system(cmd) == 0);
    f = fopen(p, "r+b");
    fseek(f, 4096, SEEK_SET); /* pages 2-4: table roots */
    for (int i = 0; i < 3 * 4096; i++)
        fputc(0x5a, f);
    fclose(f);
    if (mn_journal_open(p, 0, &j, &e) == MN_OK) {
        mn_status st = mn_journal_check(j, &e);
        if (st == MN_OK)
            st = mn_journal_list(j, MN_J_SESSION, 0, &rows, &e);
        CHECK(st == MN_EIO);
        CHECK_STR_HAS(e.message, "damaged");
        /* Nothing is written to it. */
        mn_kv p2[] = {{"code", "P002"}};
        CHECK(mn_journal_add(j, MN_J_PERSON, p2, 1, NULL, &e) == MN_EIO);
        CHECK_STR_HAS(e.message, "is damaged (quick_check");
        mn_journal_close(j);
    } else {
        CHECK(e.code == MN_EIO || e.code == MN_EINVAL);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return mn_test_report("journal");
}
