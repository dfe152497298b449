/* When each zone may be treated again (src/therapy/readiness.c), from a
 * history written here and the shipped rules and sites. argv[1]: the data
 * directory. */
#include "mn_test.h"

#include <stdlib.h>

#include "mnsim/catalog.h"
#include "mnsim/date.h"
#include "mnsim/readiness.h"
#include "mnsim/rules_io.h"

static mn_rules rules;
static mn_site_list sites;

static int64_t at(const char *text)
{
    int64_t t = MN_DATE_NONE;
    mn_date_parse(text, &t, NULL);
    return t;
}

static void session(mn_recorded_session *s, int64_t id, const char *when, double mm,
                    const char *zones, const char *device)
{
    s->id = id;
    s->at = when ? at(when) : MN_DATE_NONE;
    s->at_text = when ? strdup(when) : NULL;
    s->needle_length_mm = mm;
    s->zones = zones ? strdup(zones) : NULL;
    s->device = device ? strdup(device) : NULL;
}

/* The history of the CLI test (tests/cli/test_journal.sh) and more: 1.5 mm
 * on cheek and forehead, cheek again 14 days later (too early), cheek and
 * scalp, a 0.5 mm session on the left cheeks and forehead, one dated a
 * year ahead, one without zones; R1 may be used twice; the last follow-up
 * says the skin had not healed. */
static void history(mn_history *h)
{
    memset(h, 0, sizeof *h);
    h->n_sessions = 6;
    h->sessions = calloc(h->n_sessions, sizeof *h->sessions);
    session(&h->sessions[0], 1, "2027-01-04T10:00", 1.5, "cheek,forehead", "R1");
    session(&h->sessions[1], 2, "2027-01-18T10:00", 1.5, "cheek", "R1");
    session(&h->sessions[2], 3, "2027-03-01T00:00", 1.5, "cheek, scalp", "R1");
    session(&h->sessions[3], 4, "2027-03-05T00:00", 0.5, "left-cheeks,forehead", "R2");
    session(&h->sessions[4], 5, "2028-03-05T00:00", 0.5, "neck", "R2");
    session(&h->sessions[5], 6, "2027-03-06T00:00", NAN, NULL, "R1");
    h->n_devices = 2;
    h->devices = calloc(h->n_devices, sizeof *h->devices);
    h->devices[0].code = strdup("R1");
    h->devices[0].max_uses = 2;
    h->devices[1].code = strdup("R2");
    h->devices[1].max_uses = -1;
    h->followup_not_healed = 1;
    h->followup_at = strdup("2027-03-02T00:00");
}

static const mn_zone_due *zone(const mn_readiness *r, const char *name)
{
    for (size_t k = 0; k < r->n_zones; k++)
        if (!strcmp(r->zones[k].zone, name))
            return &r->zones[k];
    return NULL;
}

/* The first warning containing text, or NULL. */
static const mn_ready_warning *warning(const mn_readiness *r, const char *text)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strstr(r->warnings[i].message, text))
            return &r->warnings[i];
    return NULL;
}

static void test_due(void)
{
    mn_history h;
    history(&h);
    mn_readiness r;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_readiness_compute(&h, &rules, &sites, at("2027-03-10"), &r, &e) == MN_OK);
    CHECK(r.n_zones == 5);
    CHECK(!strcmp(r.zones[0].zone, "cheek") && !strcmp(r.zones[4].zone, "neck"));
    char day[32];

    /* cheek: three 1.5 mm sessions, the last on 2027-03-01; 6 weeks after. */
    const mn_zone_due *z = zone(&r, "cheek");
    CHECK(z && z->sessions == 3 && z->last_id == 3 && z->last_needle_mm == 1.5);
    CHECK(z && !strcmp(mn_date_format(z->next_due, 0, day, sizeof day), "2027-04-12"));
    CHECK(z && z->rule && z->wait_days > 32 && z->wait_days < 34);
    CHECK(z && z->min_interval_s == 42 * 86400.0);

    /* forehead: the 0.5 mm session came last: a week after it, due now. */
    z = zone(&r, "forehead");
    CHECK(z && z->sessions == 2 && z->last_needle_mm == 0.5);
    CHECK(z && !strcmp(mn_date_format(z->next_due, 0, day, sizeof day), "2027-03-12"));
    CHECK(z && z->wait_days > 0);

    /* scalp: a site of its own region, whose rules are weekly. */
    z = zone(&r, "scalp");
    CHECK(z && !strcmp(mn_date_format(z->next_due, 0, day, sizeof day), "2027-03-08"));
    CHECK(z && z->wait_days <= 0);

    /* left-cheeks: the cheek's region (prefix and plural dropped). */
    z = zone(&r, "left-cheeks");
    CHECK(z && z->sessions == 1 && z->rule);

    /* The session 14 days after a 1.5 mm one on the cheek breaks a rule of
     * error severity; the interval of 41.6 days one of warning severity. */
    const mn_ready_warning *w =
        warning(&r, "session 2 on cheek (2027-01-18T10:00) came 14.0 "
                    "days after session 1");
    CHECK(w && w->severity == MN_SEV_ERROR && w->stage == MN_READY_SESSIONS);
    w = warning(&r, "session 3 on cheek");
    CHECK(w && w->severity == MN_SEV_WARNING);
    w = warning(&r, "session 5 is dated 2028-03-05T00:00, after today");
    CHECK(w && w->stage == MN_READY_SESSIONS);
    CHECK(!warning(&r, "session 4 on forehead")); /* 60 days after: fine */

    /* Care: the follow-up, and R1 used 4 times (the session without zones
     * counts too) where 2 are allowed; R2 has no count. */
    w = warning(&r,
                "the last follow-up (2027-03-02T00:00) says the skin had not healed");
    CHECK(w && w->stage == MN_READY_CARE);
    w = warning(&r, "device R1 was used 4 times, past its replacement count of 2");
    CHECK(w && w->stage == MN_READY_CARE && w->severity == MN_SEV_WARNING);
    CHECK(!warning(&r, "device R2"));
    /* The stages come in order. */
    for (size_t i = 1; i < r.n_warnings; i++)
        CHECK(r.warnings[i].stage >= r.warnings[i - 1].stage);
    mn_readiness_free(&r);

    /* Nothing recorded: no zones, no warnings. */
    mn_history none = {0};
    CHECK(mn_readiness_compute(&none, &rules, &sites, at("2027-03-10"), &r, &e) ==
          MN_OK);
    CHECK(r.n_zones == 0 && r.n_warnings == 0);
    mn_readiness_free(&r);
    mn_history_free(&h);
}

/* The healing model's view, from a course and result made here: two
 * zones, the second sharing the first's healing run. */
static void test_healing(void)
{
    mn_history none = {0};
    mn_readiness r;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_readiness_compute(&none, &rules, &sites, at("2027-01-10"), &r, &e) ==
          MN_OK);

    mn_session sessions[2] = {{at("2027-01-04"), NULL, 0, 0, NULL},
                              {at("2027-01-06"), NULL, 0, 0, NULL}};
    mn_course_zone zones[3] = {
        {.name = "cheek"}, {.name = "forehead"}, {.name = "chin"}};
    mn_course_input in = {0};
    in.sessions = sessions;
    in.n_sessions = 2;
    in.zones = zones;
    in.n_zones = 3;
    mn_heal_session_result hs[2] = {{.t_days = 0, .ready_days = 5},
                                    {.t_days = 2, .ready_days = 6.5}};
    mn_heal_result heal[3] = {{0}};
    heal[0].n_sessions = 2;
    heal[0].sessions = hs;
    heal[0].overtreatment_index = 0.7;
    heal[0].overtreated = 1;
    /* zone 2 (chin) was never treated: no healing */
    size_t heal_of[3] = {0, 0, 2};
    mn_course_result res = {0};
    res.n_zones = 3;
    res.heal = heal;
    res.heal_of = heal_of;
    mn_findings_add(&res.findings, MN_SEV_ERROR, "not-ready", 2, "cheek", "the model",
                    "session 2 came before the skin was ready");
    mn_findings_add(&res.findings, MN_SEV_WARNING, "deep-needles", 2, "cheek", "x",
                    "y");

    CHECK(mn_readiness_add_healing(&r, &in, &res, &e) == MN_OK);
    CHECK(r.n_healing == 2);
    char day[32];
    /* 2027-01-04 + 2 + 6.5 days = 2027-01-12 12:00: not yet on the 10th. */
    CHECK(!strcmp(r.healing[0].zone, "cheek") &&
          !strcmp(r.healing[1].zone, "forehead"));
    CHECK(r.healing[0].skin_ready == at("2027-01-12T12:00"));
    CHECK(!strcmp(mn_date_format(r.healing[1].skin_ready, 0, day, sizeof day),
                  "2027-01-12"));
    CHECK(!r.healing[0].healed && r.healing[0].overtreated);
    CHECK(r.healing[0].overtreatment_index == 0.7);
    CHECK(r.n_warnings == 1);
    CHECK(r.n_warnings == 1 && r.warnings[0].stage == MN_READY_HEALING &&
          r.warnings[0].severity == MN_SEV_ERROR);
    CHECK_STR_HAS(r.warnings[0].message,
                  "cheek: session 2 came before the skin was ready "
                  "[rule not-ready; the model]");
    mn_findings_free(&res.findings);
    mn_readiness_free(&r);
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "data";
    char path[1024];
    mn_error e;
    mn_error_clear(&e);
    snprintf(path, sizeof path, "%s/rules.yaml", data_dir);
    int ok = mn_rules_load(path, &rules, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/sites.yaml", data_dir);
    ok = ok && mn_sites_load(path, &sites, NULL, &e) == MN_OK;
    CHECK(ok);
    if (ok) {
        test_due();
        test_healing();
    } else {
        fprintf(stderr, "test_readiness: %s\n", e.message);
    }
    mn_rules_clear(&rules);
    mn_site_list_free(&sites);
    return mn_test_report("test_readiness");
}
