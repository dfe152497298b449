/* Safety rules: every rule fires on a case made for it and not on a safe
 * course (the shipped data/rules.yaml, devices, sites, penetration). */
#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/course.h"
#include "mnsim/date.h"
#include "mnsim/rules_io.h"

#include <stdlib.h>

static mn_device_list devs;
static mn_site_list sites;
static mn_rules rules;
static mn_depth_params depth;

typedef struct {
    const char *device;
    const char *site;
    int setting;
    int indication;
    long fitzpatrick;
    const char *condition;
    const char *medication;
    int pregnant;
    int isotretinoin_days_before; /* 0: none */
    int anaesthetic;
    double interval_days;
    int sessions;
} course_case;

/* A safe course: 1.0 mm roller in a clinic on the cheek, numbed, 3
 * sessions 4 weeks apart, skin type II. */
static course_case safe(void)
{
    course_case c = {"roller-192-1.0mm", "cheek", MN_SETTING_CLINIC, MN_IND_FINE_LINES, 2,
                     NULL, NULL, 0, 0, 1, 28, 3};
    return c;
}

/* Run the check; 1 if rule fired. */
static int fires(course_case cc, const char *rule, int *severity)
{
    mn_protocol p;
    mn_protocol_init(&p);
    p.setting = cc.setting;
    p.indication = cc.indication;
    p.person.fitzpatrick = cc.fitzpatrick;
    p.person.pregnant = cc.pregnant;
    char *cond[1] = {(char *)cc.condition}, *med[1] = {(char *)cc.medication};
    if (cc.condition) {
        p.person.conditions.items = cond;
        p.person.conditions.count = 1;
    }
    if (cc.medication) {
        p.person.medications.items = med;
        p.person.medications.count = 1;
    }
    p.anaesthetic.compound = cc.anaesthetic ? "lidocaine" : NULL;
    int64_t start;
    mn_date_parse("2027-01-04", &start, NULL);
    if (cc.isotretinoin_days_before)
        p.person.isotretinoin_last = start - (int64_t)cc.isotretinoin_days_before * 86400;
    mn_session s[64];
    mn_device dv[64];
    size_t zi[1] = {0};
    size_t *szones[64];
    size_t nz[64];
    mn_device d;
    mn_error e;
    CHECK(mn_device_resolve(&devs, cc.device, &d, &e) == MN_OK);
    for (int i = 0; i < cc.sessions; i++) {
        s[i].at = start + (int64_t)(i * cc.interval_days * 86400);
        s[i].device = cc.device;
        s[i].passes = 4;
        s[i].pressure = MN_PRESSURE_LIGHT;
        s[i].zones = NULL;
        dv[i] = d;
        szones[i] = zi;
        nz[i] = 1;
    }
    const mn_site *site;
    CHECK(mn_site_find(&sites, cc.site, &site, &e) == MN_OK);
    mn_course_zone z;
    memset(&z, 0, sizeof z);
    z.name = cc.site;
    z.site = site->name;
    z.region = site->region;
    z.area_m2 = 1e-3;
    mn_site_skin(site, MN_SEX_FEMALE, &z.skin, &e);
    mn_course_input in = {
        &p,   s,   (size_t)cc.sessions, dv, &z, 1, szones, nz, &rules, &depth, NULL,
        NULL, NULL};
    mn_findings f = {0};
    CHECK(mn_course_check(&in, &f, &e) == MN_OK);
    int hit = 0;
    for (size_t i = 0; i < f.count; i++)
        if (!strcmp(f.items[i].rule, rule)) {
            hit = 1;
            if (severity)
                *severity = f.items[i].severity;
        }
    mn_findings_free(&f);
    mn_device_clear(&d);
    return hit;
}

static void expect_fires(course_case c, const char *rule, int severity)
{
    int sev = -1;
    int hit = fires(c, rule, &sev);
    if (!hit || sev != severity)
        fprintf(stderr, "rule %s: fired %d severity %d (expected %d)\n", rule, hit, sev,
                severity);
    CHECK(hit && sev == severity);
    /* ... and not on the safe course. */
    CHECK(!fires(safe(), rule, NULL));
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "data";
    char path[1024];
    mn_error e;
    snprintf(path, sizeof path, "%s/devices.yaml", data);
    CHECK(mn_devices_load(path, &devs, NULL, &e) == MN_OK);
    snprintf(path, sizeof path, "%s/sites.yaml", data);
    CHECK(mn_sites_load(path, &sites, NULL, &e) == MN_OK);
    snprintf(path, sizeof path, "%s/rules.yaml", data);
    CHECK(mn_rules_load(path, &rules, NULL, &e) == MN_OK);
    snprintf(path, sizeof path, "%s/penetration.yaml", data);
    CHECK(mn_depth_params_load(path, &depth, NULL, &e) == MN_OK);

    /* The safe course has no finding at all. */
    {
        course_case c = safe();
        const char *all[] = {"pregnancy", "isotretinoin-window", "fitzpatrick-pigmentation",
                             "beyond-dermis", "anaesthesia-advised", "bleeding-at-home",
                             "unknown-condition", "medium-needles", "medium-needles-usual"};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            CHECK(!fires(c, all[i], NULL));
    }
    /* Every contraindication. */
    const mn_contraindication *ci = rules.contraindications.items;
    for (size_t i = 0; i < rules.contraindications.count; i++) {
        course_case c = safe();
        if (ci[i].applies_to == MN_APPLIES_CONDITION)
            c.condition = ci[i].id;
        else
            c.medication = ci[i].id;
        expect_fires(c, ci[i].id, ci[i].severity);
    }
    CHECK(rules.contraindications.count >= 14);
    course_case c = safe();
    c.condition = "dragon-scales";
    expect_fires(c, "unknown-condition", MN_SEV_WARNING);
    c = safe();
    c.pregnant = 1;
    expect_fires(c, "pregnancy", MN_SEV_ERROR);
    c = safe();
    c.isotretinoin_days_before = 60;
    expect_fires(c, "isotretinoin-window", MN_SEV_ERROR);
    c.isotretinoin_days_before = 400;
    CHECK(!fires(c, "isotretinoin-window", NULL));
    /* Needle limits and model-driven rules. */
    c = safe();
    c.setting = MN_SETTING_HOME;
    expect_fires(c, "home-short-needles-only", MN_SEV_WARNING);
    expect_fires(c, "home-no-dermal-needles", MN_SEV_ERROR);
    expect_fires(c, "bleeding-at-home", MN_SEV_WARNING);
    c.device = "roller-192-0.25mm";
    CHECK(!fires(c, "home-short-needles-only", NULL) && !fires(c, "bleeding-at-home", NULL));
    c = safe();
    c.device = "roller-192-3.0mm";
    c.interval_days = 56;
    expect_fires(c, "clinic-longest", MN_SEV_WARNING);
    c = safe();
    c.fitzpatrick = 5;
    expect_fires(c, "fitzpatrick-pigmentation", MN_SEV_WARNING);
    c.device = "roller-192-0.5mm";
    c.interval_days = 7;
    CHECK(!fires(c, "fitzpatrick-pigmentation", NULL));
    c = safe();
    c.anaesthetic = 0;
    expect_fires(c, "anaesthesia-advised", MN_SEV_WARNING);
    c = safe();
    c.device = "roller-192-2.0mm";
    c.site = "periorbital";
    c.interval_days = 56;
    expect_fires(c, "beyond-dermis", MN_SEV_WARNING);
    /* Intervals. */
    c = safe();
    c.interval_days = 7;
    expect_fires(c, "medium-needles", MN_SEV_ERROR);
    c.interval_days = 21;
    expect_fires(c, "medium-needles-usual", MN_SEV_WARNING);
    CHECK(!fires(c, "medium-needles", NULL));
    c = safe();
    c.device = "roller-192-1.5mm";
    c.interval_days = 21;
    expect_fires(c, "deep-needles", MN_SEV_ERROR);
    c.interval_days = 35;
    expect_fires(c, "deep-needles-seed", MN_SEV_WARNING);
    CHECK(!fires(c, "deep-needles", NULL));
    c = safe();
    c.device = "roller-192-0.25mm";
    c.interval_days = 1;
    expect_fires(c, "home-short-needles", MN_SEV_WARNING);
    c.interval_days = 3.5;
    CHECK(!fires(c, "home-short-needles", NULL));
    c = safe();
    c.device = "roller-192-0.5mm";
    c.interval_days = 3;
    expect_fires(c, "half-millimetre-weekly", MN_SEV_WARNING);
    /* The scalp: weekly 1.5 mm is the published protocol (Dhurat 2013). */
    c = safe();
    c.site = "scalp";
    c.device = "roller-192-1.5mm";
    c.interval_days = 7;
    c.sessions = 12;
    CHECK(!fires(c, "scalp-weekly", NULL) && !fires(c, "deep-needles", NULL));
    c.interval_days = 3;
    expect_fires(c, "scalp-weekly", MN_SEV_ERROR);
    c.device = "roller-192-2.0mm";
    c.interval_days = 14;
    expect_fires(c, "scalp-deep", MN_SEV_ERROR);
    /* The seed's instructions: 1.5 mm, 4 times a week -> an error. */
    c = safe();
    c.device = "roller-192-1.5mm";
    c.interval_days = 1.75;
    c.sessions = 24;
    int sev;
    CHECK(fires(c, "deep-needles", &sev) && sev == MN_SEV_ERROR);

    mn_device_list_free(&devs);
    mn_site_list_free(&sites);
    mn_rules_clear(&rules);
    return mn_test_report("rules");
}
