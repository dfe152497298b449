/* Starting plans (src/therapy/plan.c, src/data/plan_io.c): a plan made a
 * checked course from the data directory, and its sessions with their
 * guides. argv[1]: the data directory. */
#include "mn_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mnsim/date.h"
#include "mnsim/plan.h"
#include "mnsim/plan_course.h"
#include "mnsim/plan_report.h"

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
static mn_status plan_for(int indication, int setting, const char *zones, int sex,
                          const char *device, mn_course *c, char **source,
                          mn_findings *f, mn_diags *d, mn_error *e)
{
    mn_strings z = {0};
    mn_strings_split(zones, ", ", 64, &z);
    int64_t start = 0;
    mn_date_parse("2027-01-04", &start, NULL);
    mn_plan_request req = {indication, setting, &z, start, sex, 2, device};
    mn_status st = mn_plan_course(data_dir, &req, c, source, f, d, e);
    mn_strings_free(&z);
    return st;
}

/* A woman's plan. */
static mn_status plan(int indication, int setting, const char *zones,
                      const char *device, mn_course *c, char **source, mn_findings *f,
                      mn_diags *d, mn_error *e)
{
    return plan_for(indication, setting, zones, MN_SEX_FEMALE, device, c, source, f, d,
                    e);
}

static const char *device_at(const mn_course *c, const char *zone)
{
    for (size_t z = 0; z < c->n_zones; z++)
        if (!strcmp(c->zones[z].name, zone))
            return mn_course_device(&c->in, 0, z)->name;
    return "(no such zone)";
}

/* The plan as JSON and as a calendar (mnsim/plan_report.h), as mnsim plan
 * and the web app write them. */
static char *json_text(mn_json *j)
{
    char *t = j ? mn_json_text(j) : NULL;
    mn_json_free(j);
    return t;
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    if (buf && fread(buf, 1, (1 << 16) - 1, fp) == 0)
        buf[0] = '\0';
    fclose(fp);
    return buf;
}

static void check_plan_report(const mn_course *c, const mn_plan_session *ps,
                              const char *source, const mn_findings *f)
{
    char *t = json_text(mn_plan_json("acne-scars", c, ps, source, 0, NULL));
    CHECK(t != NULL);
    CHECK_STR_HAS(t, "\"indication\": \"acne-scars\"");
    CHECK_STR_HAS(t, "\"setting\": \"clinic\"");
    CHECK_STR_HAS(t, "\"device\": \"roller-192-1.0mm\"");
    CHECK_STR_HAS(t, "\"date\": \"2027-02-01\"");
    CHECK_STR_HAS(t, "[harris2015]");
    CHECK_STR_HAS(t, "not medical advice");
    CHECK(t && !strstr(t, "\"summary\"") && !strstr(t, "\"findings\""));
    free(t);
    t = json_text(mn_plan_json("acne-scars", c, ps, source, 1, f));
    CHECK_STR_HAS(t, "\"summary\": \"Microneedling 1/3 (acne-scars)\"");
    CHECK_STR_HAS(t, "\"rule\": \"shorter-needle\"");
    free(t);
    t = json_text(mn_plan_json("acne-scars", c, NULL, source, 1, f));
    CHECK(t && !strstr(t, "\"date\""));
    free(t);

    char dir[] = "/tmp/mnsim-test-plan-XXXXXX", path[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/p.ics", dir);
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_plan_ics_write(path, "acne-scars", "cheeks", "2027-01-04", c, ps, 0, 0,
                            &e) == MN_OK);
    char *a = slurp(path);
    CHECK_STR_HAS(a, "SUMMARY:Microneedling 1/3 (acne-scars)");
    CHECK_STR_HAS(a, "DTSTART;VALUE=DATE:20270201");
    size_t events = 0;
    for (const char *q = a; q && (q = strstr(q, "BEGIN:VEVENT")); q++)
        events++;
    CHECK(events == 3);
    /* Never over a file without force; the same plan gives the same UIDs. */
    CHECK(mn_plan_ics_write(path, "acne-scars", "cheeks", "2027-01-04", c, ps, 0, 0,
                            &e) == MN_EEXIST);
    CHECK(mn_plan_ics_write(path, "acne-scars", "cheeks", "2027-01-04", c, ps, 0, 1,
                            &e) == MN_OK);
    char *b = slurp(path);
    CHECK(a && b && !strcmp(a, b));
    free(b);
    CHECK(mn_plan_ics_write(path, "acne-scars", "cheeks", "2027-01-05", c, ps, 0, 1,
                            &e) == MN_OK);
    b = slurp(path);
    CHECK(a && b && strcmp(a, b) != 0); /* another start text: other UIDs */
    free(b);
    free(a);
    unlink(path);
    rmdir(dir);
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
    /* the plans' 1.5 mm roller may pass a woman's cheek's dermis: both
     * zones need the 1.0 mm one, so the plan takes it and says so */
    CHECK(!strcmp(c.protocol.device, "roller-192-1.0mm"));
    CHECK(c.protocol.zone_devices.count == 0);
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
    check_plan_report(&c, ps, source, &f);
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

/* Only the zones where the plan's needle may pass the dermis get a
 * shorter one (zone_devices); the others keep it. */
static void test_zone_needles(void)
{
    mn_course c;
    char *source = NULL;
    mn_findings f;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    /* a woman's face: 1.5 mm stays in the dermis of the nose and chin only */
    CHECK(plan(MN_IND_LAXITY, MN_SETTING_CLINIC, "full-face", NULL, &c, &source, &f, &d,
               &e) == MN_OK);
    CHECK(!strcmp(c.protocol.device, "roller-192-1.5mm"));
    CHECK(!strcmp(device_at(&c, "nose"), "roller-192-1.5mm"));
    CHECK(!strcmp(device_at(&c, "chin"), "roller-192-1.5mm"));
    const char *shorter[] = {"forehead",         "left-temple",       "right-temple",
                             "left-periorbital", "right-periorbital", "left-cheek",
                             "right-cheek",      "upper-lip"};
    for (size_t i = 0; i < sizeof shorter / sizeof *shorter; i++)
        CHECK(!strcmp(device_at(&c, shorter[i]), "roller-192-1.0mm"));
    /* by site where a site's zones all get it */
    CHECK(
        !strcmp(mn_strmap_get(&c.protocol.zone_devices, "cheek"), "roller-192-1.0mm"));
    CHECK(!strcmp(mn_strmap_get(&c.protocol.zone_devices, "periorbital"),
                  "roller-192-1.0mm"));
    CHECK(c.protocol.zone_devices.count == 5);
    int info = 0;
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].rule, "shorter-needle")) {
            info++;
            CHECK_STR_HAS(f.items[i].message, "at these zones only (zone_devices)");
            CHECK_STR_HAS(f.items[i].message, "the other zones keep it");
            CHECK_STR_HAS(f.items[i].zone, "left-periorbital");
        }
    CHECK(info == 1);
    CHECK(f.n_errors == 0 && f.n_warnings == 0 && !has_rule(&f, "beyond-dermis"));
    /* the guide says which zones get which needle */
    mn_plan_session *ps = NULL;
    CHECK(mn_plan_sessions(&c.protocol, c.sessions, c.n_sessions, &ps, &e) == MN_OK);
    CHECK_STR_HAS(ps[0].guide,
                  "At forehead, temple, periorbital, cheek, upper-lip use the "
                  "roller-192-1.0mm, not the roller-192-1.5mm.");
    mn_plan_sessions_free(ps, c.n_sessions);
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);

    /* a man's cheeks keep 1.5 mm; around his eyes it would pass the dermis */
    CHECK(plan_for(MN_IND_ACNE_SCARS, MN_SETTING_CLINIC, "cheeks", MN_SEX_MALE, NULL,
                   &c, &source, &f, &d, &e) == MN_OK);
    CHECK(!strcmp(c.protocol.device, "roller-192-1.5mm") &&
          c.protocol.zone_devices.count == 0 && !has_rule(&f, "shorter-needle"));
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);
    CHECK(plan_for(MN_IND_ATROPHIC_SCARS, MN_SETTING_CLINIC, "cheeks, periorbital",
                   MN_SEX_MALE, NULL, &c, &source, &f, &d, &e) == MN_OK);
    CHECK(!strcmp(device_at(&c, "left-cheek"), "roller-192-1.5mm"));
    CHECK(!strcmp(device_at(&c, "right-periorbital"), "roller-192-1.0mm"));
    CHECK(f.n_errors == 0 && f.n_warnings == 0);
    free(source);
    mn_findings_free(&f);
    mn_course_free(&c);
    mn_diags_free(&d);
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
    test_zone_needles();
    test_refused();
    return mn_test_report("test_plan");
}
