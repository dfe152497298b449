/* Starting plans (src/therapy/plan.c, src/data/plan_io.c): a plan made a
 * checked course from the data directory, and its sessions with their
 * guides. argv[1]: the data directory. */
#include "mn_test.h"

#include <stdlib.h>

#include "mnsim/date.h"
#include "mnsim/plan.h"
#include "mnsim/plan_course.h"

static const char *data_dir = "data";

static int has_rule(const mn_findings *f, const char *rule)
{
    for (size_t i = 0; i < f->count; i++)
        if (!strcmp(f->items[i].rule, rule))
            return 1;
    return 0;
}

/* The plan for a request: status, with the course, source and findings
 * (freed by the caller). */
static mn_status plan(int indication, int setting, const char *zones,
                      const char *device, mn_course *c, char **source, mn_findings *f,
                      mn_diags *d, mn_error *e)
{
    mn_strings z = {0};
    mn_strings_split(zones, ", ", 64, &z);
    int64_t start = 0;
    mn_date_parse("2027-01-04", &start, NULL);
    mn_plan_request req = {indication, setting, &z, start, MN_SEX_FEMALE, 2, device};
    mn_status st = mn_plan_course(data_dir, &req, c, source, f, d, e);
    mn_strings_free(&z);
    return st;
}

static void test_course(void)
{
    mn_course c;
    char *source = NULL;
    mn_findings f;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    CHECK(plan(MN_IND_ACNE_SCARS, MN_SETTING_CLINIC, "cheeks", NULL, &c, &source, &f,
               &d, &e) == MN_OK);
    CHECK(c.n_sessions == 3 && c.n_zones == 2);
    /* the plans' 1.5 mm roller may pass the cheek's dermis (10% of its
     * channels): the plan takes the 1.0 mm one and says so */
    CHECK(!strcmp(c.protocol.device, "roller-192-1.0mm"));
    int shorter = 0;
    for (size_t i = 0; i < f.count; i++)
        shorter |= !strcmp(f.items[i].rule, "shorter-needle") &&
                   f.items[i].severity == MN_SEV_INFO;
    CHECK(shorter);
    CHECK(f.n_warnings == 0);
    CHECK(c.protocol.person.fitzpatrick == 2);
    CHECK_STR_HAS(source, "[harris2015]");
    CHECK(f.n_errors == 0);

    /* The sessions of the course with their guides. */
    mn_plan_session *ps = NULL;
    CHECK(mn_plan_sessions(&c.protocol, c.sessions, c.n_sessions, &ps, &e) == MN_OK);
    char day[32];
    CHECK(!strcmp(mn_date_format(ps[1].at, 0, day, sizeof day), "2027-02-01"));
    CHECK(!strcmp(ps[0].summary, "Microneedling 1/3 (acne-scars)"));
    CHECK_STR_HAS(ps[0].guide, "Session 1 of 3, 2027-01-04");
    CHECK_STR_HAS(ps[0].guide, "Next session: 2027-02-01");
    CHECK_STR_HAS(ps[2].guide, "This is the last session of the course.");
    mn_plan_sessions_free(ps, c.n_sessions);
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);

    /* Another device: used, and checked (a 3 mm roller passes the dermis). */
    CHECK(plan(MN_IND_ACNE_SCARS, MN_SETTING_CLINIC, "cheeks", "roller-192-3.0mm", &c,
               &source, &f, &d, &e) == MN_OK);
    CHECK(!strcmp(c.protocol.device, "roller-192-3.0mm"));
    CHECK(has_rule(&f, "clinic-longest") && has_rule(&f, "beyond-dermis"));
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);
}

static void test_refused(void)
{
    mn_course c;
    char *source = NULL;
    mn_findings f;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    /* No home plan for acne scars: the message says which exist. */
    CHECK(plan(MN_IND_ACNE_SCARS, MN_SETTING_HOME, "cheeks", NULL, &c, &source, &f, &d,
               &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "no home plan for acne-scars");
    CHECK(d.count == 0);
    free(source);
    mn_course_free(&c);

    /* A zone that does not exist: the data directory's problem, in diags. */
    CHECK(plan(MN_IND_FINE_LINES, MN_SETTING_CLINIC, "elbows", NULL, &c, &source, &f,
               &d, &e) != MN_OK);
    CHECK(d.count > 0);
    CHECK_STR_HAS(d.items[0].message, "elbows");
    mn_diags_free(&d);
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);

    /* A device that does not exist. */
    CHECK(plan(MN_IND_FINE_LINES, MN_SETTING_CLINIC, "forehead", "roller-9", &c,
               &source, &f, &d, &e) != MN_OK);
    CHECK(d.count > 0);
    mn_diags_free(&d);
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        data_dir = argv[1];
    test_course();
    test_refused();
    return mn_test_report("test_plan");
}
