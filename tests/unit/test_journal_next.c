/* mn_journal_next: when each zone of a person is next due, the interval
 * rules and the healing model together, as mnsim journal next and the web
 * app show it; the same day as the rules alone or later, never earlier. */
#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/date.h"
#include "mnsim/journal.h"
#include "mnsim/journal_json.h"
#include "mnsim/rules_io.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_journal_next DATA_DIR\n");
        return 2;
    }
    char dir[] = "/tmp/mnsim-test-next-XXXXXX", db[256], path[1024];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(db, sizeof db, "%s/j.db", dir);
    mn_error e;
    mn_error_clear(&e);
    mn_journal *j = NULL;
    CHECK(mn_journal_open(db, 1, &j, &e) == MN_OK);
    mn_kv person[] = {{"code", "N1"}, {"sex", "female"}};
    int64_t pid = 0;
    CHECK(mn_journal_add(j, MN_J_PERSON, person, 2, &pid, &e) == MN_OK);
    mn_rules rules;
    mn_site_list sites = {0};
    snprintf(path, sizeof path, "%s/rules.yaml", argv[1]);
    CHECK(mn_rules_load(path, &rules, NULL, &e) == MN_OK);
    snprintf(path, sizeof path, "%s/sites.yaml", argv[1]);
    CHECK(mn_sites_load(path, &sites, NULL, &e) == MN_OK);
    int64_t now;
    CHECK(mn_date_parse("2027-01-10", &now, &e) == MN_OK);

    /* No sessions: no zones, nothing for the healing model. */
    mn_readiness r;
    size_t n = 99;
    int ran = 7;
    char problem[MN_ERROR_MSG_MAX];
    CHECK(mn_journal_next(j, pid, "N1", 0, argv[1], &rules, &sites, now, &r, &n, &ran,
                          problem, sizeof problem, &e) == MN_OK);
    CHECK(n == 0 && r.n_zones == 0 && ran == 0 && problem[0] == '\0');
    mn_readiness_free(&r);

    mn_kv s1[] = {{"person", "N1"},
                  {"at", "2027-01-04T10:00"},
                  {"needle_length", "1.5 mm"},
                  {"zones", "cheeks"}};
    CHECK(mn_journal_add(j, MN_J_SESSION, s1, 4, NULL, &e) == MN_OK);
    CHECK(mn_journal_next(j, pid, "N1", 1, argv[1], &rules, &sites, now, &r, &n, &ran,
                          problem, sizeof problem, &e) == MN_OK);
    CHECK(n == 1 && r.n_zones >= 1);
    CHECK(ran == 1);
    /* The rules alone, for the same history. */
    mn_history h = {0};
    mn_readiness rules_only;
    CHECK(mn_journal_history(j, pid, &h, &e) == MN_OK);
    CHECK(mn_readiness_compute(&h, &rules, &sites, now, &rules_only, &e) == MN_OK);
    CHECK(rules_only.n_zones == r.n_zones);
    for (size_t k = 0; k < r.n_zones && k < rules_only.n_zones; k++) {
        const mn_zone_due *z = &r.zones[k];
        CHECK(z->rule != NULL && z->next_due > z->last_at);
        CHECK(z->next_due >= rules_only.zones[k].next_due);
        CHECK(z->next_due == (z->due_by_healing ? z->skin_recovered : z->rules_due));
    }
    CHECK(r.n_healing >= 1);
    mn_readiness_free(&rules_only);
    mn_history_free(&h);
    mn_readiness_free(&r);

    /* A session no catalog device fits: the healing model cannot run, and
     * that is said, not an error. */
    mn_kv s2[] = {{"person", "N1"},
                  {"at", "2027-02-15T10:00"},
                  {"needle_length", "4.9 mm"},
                  {"zones", "cheeks"}};
    CHECK(mn_journal_add(j, MN_J_SESSION, s2, 4, NULL, &e) == MN_OK);
    CHECK(mn_journal_next(j, pid, "N1", 1, argv[1], &rules, &sites, now, &r, &n, &ran,
                          problem, sizeof problem, &e) == MN_OK);
    CHECK(n == 2 && ran == 0 && strstr(problem, "4.9") != NULL);
    /* The JSON of mnsim journal next --json and GET /api/journal/next. */
    mn_json *js = mn_journal_next_json("N1", &r, n, problem);
    char *text = js ? mn_json_text(js) : NULL;
    CHECK(text != NULL);
    if (text) {
        CHECK_STR_HAS(text, "\"person\": \"N1\"");
        CHECK_STR_HAS(text, "\"today\": \"2027-01-10\"");
        CHECK_STR_HAS(text, "\"sessions\": 2");
        CHECK_STR_HAS(text, "\"healing_not_run\": ");
        CHECK_STR_HAS(text, "4.9");
        CHECK_STR_HAS(text, "\"next_due\": ");
        CHECK_STR_HAS(text, "\"min_interval_days\": ");
        CHECK_STR_HAS(text, "not medical advice");
        /* healing first, person next: the order mnsim journal next --json has printed
         */
        CHECK(strstr(text, "\"healing\"") < strstr(text, "\"person\""));
    }
    free(text);
    mn_json_free(js);
    js = mn_journal_next_json("N1", &r, n, NULL);
    text = js ? mn_json_text(js) : NULL;
    CHECK(text != NULL && strstr(text, "healing_not_run") == NULL);
    free(text);
    mn_json_free(js);
    mn_readiness_free(&r);

    /* Rows as JSON: the columns that have a value, in order. */
    mn_journal_rows rows = {0};
    CHECK(mn_journal_list(j, MN_J_SESSION, pid, &rows, &e) == MN_OK);
    CHECK(rows.count == 2);
    size_t n_null = 0;
    for (size_t k = 0; k < rows.count && k < 1; k++)
        for (size_t c = 0; c < rows.rows[k].count; c++)
            n_null += rows.rows[k].values[c] == NULL;
    CHECK(n_null > 0); /* session 1 has no device, pain, ...: left out below */
    js = mn_json_new();
    mn_jnode *arr = js ? mn_journal_rows_json(js, &rows) : NULL;
    CHECK(arr != NULL);
    if (arr) {
        mn_json_put(js, mn_json_root(js), "session", arr);
        text = mn_json_text(js);
        CHECK(text != NULL);
        if (text) {
            CHECK_STR_HAS(text, "\"at\": \"2027-01-04T10:00\"");
            CHECK_STR_HAS(text, "\"zones\": \"cheeks\"");
            CHECK(strstr(text, "null") == NULL);
            CHECK(strstr(text, "\"id\"") < strstr(text, "\"at\""));
        }
        free(text);
    }
    mn_json_free(js);
    mn_journal_rows_free(&rows);

    mn_rules_clear(&rules);
    mn_site_list_free(&sites);
    mn_journal_close(j);
    unlink(db);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", db);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", db);
    unlink(wal);
    rmdir(dir);
    return mn_test_report("journal_next");
}
