/* A protocol resolved into a course (src/data/course_io.c), its zones'
 * own devices (zone_devices) above all: which zone gets which device, the
 * errors at the line and column of the file, and that the check, the roll,
 * the depth, the healing, the intervals and the delivery all use the
 * zone's device. argv[1]: the data directory. */
#include "mn_test.h"

#include <stdlib.h>

#include "mnsim/course_deliver.h"
#include "mnsim/course_io.h"
#include "mnsim/input.h"
#include "mnsim/protocol_io.h"

static const char *data_dir = "data";

/* A male face: 1.5 mm stays in the dermis of the cheek and the forehead,
 * not around the eyes (mnsim depth --site periorbital --sex male). */
#define HEAD                                                                           \
    "kind: protocol\n"                                                                 \
    "person: {age: \"52 years\", sex: male, fitzpatrick: 2}\n"                         \
    "indication: laxity\n"                                                             \
    "setting: clinic\n"                                                                \
    "device: roller-192-1.5mm\n"
#define SESSIONS                                                                       \
    "anaesthetic: {compound: lidocaine, concentration: \"4 %\", time: \"75 min\"}\n"   \
    "sessions: {start: \"2027-01-04\", count: 2, interval: \"6 weeks\"}\n"

/* Resolve a protocol written in text; every problem into d. */
static mn_status resolve(const char *text, mn_course *c, mn_diags *d)
{
    memset(c, 0, sizeof *c);
    mn_protocol_init(&c->protocol);
    mn_doc *doc = NULL;
    mn_status st = mn_doc_load_string(text, "zd.yaml", &doc, d);
    if (!st)
        st = mn_doc_read(doc, &mn_schema_protocol_file, &c->protocol, d);
    mn_doc_free(doc);
    mn_error e;
    mn_error_clear(&e);
    if (!st)
        st = mn_course_resolve(c, "zd.yaml", data_dir, d, &e);
    return st;
}

static long zone_of(const mn_course *c, const char *name)
{
    for (size_t z = 0; z < c->n_zones; z++)
        if (!strcmp(c->zones[z].name, name))
            return (long)z;
    return -1;
}

/* The findings of rule, their zones joined by "|" into buf. */
static int findings_of(const mn_findings *f, const char *rule, char *buf, size_t n)
{
    int count = 0;
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->count; i++)
        if (!strcmp(f->items[i].rule, rule)) {
            count++;
            len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s|",
                                    f->items[i].zone);
        }
    return count;
}

/* Each zone gets its own device, the others the protocol's; a group or a
 * site names every zone of the course on it. */
static void test_which_device(void)
{
    mn_course c;
    mn_diags d = {0};
    CHECK(resolve(HEAD "zones: [cheeks, forehead, periorbital]\n"
                       "zone_devices: {periorbital: roller-192-1.0mm, forehead: "
                       "roller-192-0.5mm}\n" SESSIONS,
                  &c, &d) == MN_OK);
    CHECK(d.n_errors == 0);
    CHECK(c.n_zones == 5 && c.n_own_devices == 2);
    CHECK(mn_course_has_zone_devices(&c.in));
    const char *want[][2] = {{"left-cheek", "roller-192-1.5mm"},
                             {"right-cheek", "roller-192-1.5mm"},
                             {"forehead", "roller-192-0.5mm"},
                             {"left-periorbital", "roller-192-1.0mm"},
                             {"right-periorbital", "roller-192-1.0mm"}};
    for (size_t i = 0; i < 5; i++) {
        long z = zone_of(&c, want[i][0]);
        CHECK(z >= 0);
        for (size_t s = 0; z >= 0 && s < c.n_sessions; s++)
            CHECK(!strcmp(mn_course_device(&c.in, s, (size_t)z)->name, want[i][1]));
    }
    /* the protocol written back holds them, and reads back the same */
    char *yaml = mn_protocol_to_yaml(&c.protocol);
    CHECK_STR_HAS(yaml, "zone_devices:\n  \"periorbital\": \"roller-192-1.0mm\"\n");
    mn_course c2;
    CHECK(resolve(yaml, &c2, &d) == MN_OK);
    CHECK(c2.protocol.zone_devices.count == 2 &&
          !strcmp(mn_strmap_get(&c2.protocol.zone_devices, "forehead"),
                  "roller-192-0.5mm"));
    free(yaml);
    mn_course_free(&c2);
    mn_course_free(&c);

    /* a site: both cheeks; JSON as well as YAML */
    CHECK(resolve("{\"kind\": \"protocol\", \"person\": {\"sex\": \"male\"},"
                  " \"indication\": \"laxity\", \"device\": \"roller-192-1.5mm\","
                  " \"zones\": [\"cheeks\", \"nose\"],"
                  " \"zone_devices\": {\"cheek\": \"roller-192-1.0mm\"},"
                  " \"sessions\": {\"start\": \"2027-01-04\", \"count\": 1}}",
                  &c, &d) == MN_OK);
    CHECK(c.zone_devices && c.zone_devices[zone_of(&c, "left-cheek")] &&
          c.zone_devices[zone_of(&c, "right-cheek")] &&
          !c.zone_devices[zone_of(&c, "nose")]);
    CHECK(!strcmp(mn_course_device(&c.in, 0, (size_t)zone_of(&c, "nose"))->name,
                  "roller-192-1.5mm"));
    mn_course_free(&c);

    /* without zone_devices nothing changes */
    CHECK(resolve(HEAD "zones: [cheeks]\n" SESSIONS, &c, &d) == MN_OK);
    CHECK(!c.zone_devices && !mn_course_has_zone_devices(&c.in));
    CHECK(mn_course_device(&c.in, 1, 0) == &c.devices[1]);
    mn_course_free(&c);
    mn_diags_free(&d);
}

/* Every problem at the line and column of the key (zones) or the value
 * (devices), naming what is allowed; all of them at once. */
static void test_errors(void)
{
    mn_course c;
    mn_diags d = {0};
    CHECK(resolve(HEAD "zones: [cheeks, periorbital]\n"
                       "zone_devices:\n"
                       "  elbows: roller-192-1.0mm\n"
                       "  scalp: roller-192-1.0mm\n"
                       "  periorbital: roller-999\n"
                       "  left-cheek: roller-192-1.0mm\n"
                       "  cheek: roller-192-1.0mm\n" SESSIONS,
                  &c, &d) != MN_OK);
    CHECK(d.n_errors == 4);
    const char *want[][2] = {
        {"zd.yaml:8:3", "zone_devices: no zone or group named 'elbows'; known: "},
        {"zd.yaml:9:3",
         "zone_devices: 'scalp' is not among the protocol's zones "
         "(left-cheek, right-cheek, left-periorbital, right-periorbital;"},
        {"zd.yaml:10:16",
         "zone_devices.periorbital: no device named 'roller-999'; similar: "},
        {"zd.yaml:12:3",
         "left-cheek gets a device from both 'left-cheek' and 'cheek'"}};
    for (size_t i = 0; i < 4 && i < d.count; i++) {
        char where[64];
        snprintf(where, sizeof where, "%s:%d:%d", d.items[i].file, d.items[i].line,
                 d.items[i].column);
        CHECK(!strcmp(where, want[i][0]));
        CHECK_STR_HAS(d.items[i].message, want[i][1]);
    }
    mn_course_free(&c);
    mn_diags_free(&d);
    /* not a mapping of text */
    CHECK(resolve(HEAD "zones: [cheeks]\nzone_devices: [cheek]\n" SESSIONS, &c, &d) !=
          MN_OK);
    CHECK(d.count && strstr(d.items[0].message, "zone_devices"));
    mn_course_free(&c);
    mn_diags_free(&d);
}

/* The check with each zone's device: the thin skin around the eyes with a
 * short needle draws no beyond-dermis warning, with the long one it does
 * (and only there); the intervals follow the zone's needle. */
static void test_check(void)
{
    mn_course c;
    mn_diags d = {0};
    mn_findings f = {0};
    mn_error e;
    mn_error_clear(&e);
    char zones[512];
    CHECK(resolve(HEAD "zones: [cheeks, forehead, periorbital]\n"
                       "zone_devices: {periorbital: roller-192-1.0mm}\n" SESSIONS,
                  &c, &d) == MN_OK);
    CHECK(mn_course_check(&c.in, &f, &e) == MN_OK);
    CHECK(findings_of(&f, "beyond-dermis", zones, sizeof zones) == 0);
    CHECK(f.n_errors == 0 && f.n_warnings == 0);
    mn_findings_free(&f);
    mn_course_free(&c);

    CHECK(resolve(HEAD "zones: [cheeks, forehead, periorbital]\n" SESSIONS, &c, &d) ==
          MN_OK);
    CHECK(mn_course_check(&c.in, &f, &e) == MN_OK);
    CHECK(findings_of(&f, "beyond-dermis", zones, sizeof zones) == 2);
    CHECK(!strcmp(zones, "left-periorbital|right-periorbital|"));
    mn_findings_free(&f);
    mn_course_free(&c);

    /* 2 weeks apart: too short for the forehead's 1.5 mm (an error), enough
     * for 0.5 mm around the eyes */
    const char *two_weeks =
        "sessions: {start: \"2027-01-04\", count: 2, interval: \"2 weeks\"}\n";
    char text[2048];
    snprintf(text, sizeof text,
             HEAD "zones: [forehead, periorbital]\n"
                  "zone_devices: {periorbital: roller-192-0.5mm}\n"
                  "anaesthetic: {compound: lidocaine, concentration: \"4 %%\"}\n%s",
             two_weeks);
    CHECK(resolve(text, &c, &d) == MN_OK);
    CHECK(mn_course_check(&c.in, &f, &e) == MN_OK);
    CHECK(findings_of(&f, "deep-needles", zones, sizeof zones) == 1);
    CHECK(!strcmp(zones, "forehead|"));
    CHECK(findings_of(&f, "half-millimetre-weekly", zones, sizeof zones) == 0);
    mn_findings_free(&f);
    mn_course_free(&c);
    snprintf(text, sizeof text,
             HEAD "zones: [forehead, periorbital]\n"
                  "anaesthetic: {compound: lidocaine, concentration: \"4 %%\"}\n%s",
             two_weeks);
    CHECK(resolve(text, &c, &d) == MN_OK);
    CHECK(mn_course_check(&c.in, &f, &e) == MN_OK);
    CHECK(findings_of(&f, "deep-needles", zones, sizeof zones) == 1);
    CHECK(!strcmp(zones, "forehead, left-periorbital, right-periorbital|"));
    mn_findings_free(&f);
    mn_course_free(&c);

    /* a needle limit names the zones that have the device */
    CHECK(resolve(HEAD "zones: [forehead, periorbital]\n"
                       "zone_devices: {periorbital: roller-192-3.0mm}\n" SESSIONS,
                  &c, &d) == MN_OK);
    CHECK(mn_course_check(&c.in, &f, &e) == MN_OK);
    int found = 0;
    for (size_t i = 0; i < f.count; i++)
        if (strstr(f.items[i].message, "roller-192-3.0mm: 3 mm, limit"))
            found = !strcmp(f.items[i].zone, "left-periorbital, right-periorbital");
    CHECK(found);
    mn_findings_free(&f);
    mn_course_free(&c);
    mn_diags_free(&d);
}

/* The simulation rolls each zone with its device and its depth; a zone
 * gives the same punctures as in a course of its device alone; zones of
 * one site with different devices heal apart; the serum gets a case per
 * device. */
static void test_simulate(void)
{
    mn_course c, alone;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    const char *serum =
        "serum: {compound: niacinamide, concentration: \"5 %\"}\nseed: 5\n";
    char text[2048];
    snprintf(text, sizeof text,
             HEAD "zones: [cheeks, periorbital]\n"
                  "zone_devices: {left-cheek: roller-192-1.0mm, periorbital: "
                  "roller-192-1.0mm}\n%s%s",
             SESSIONS, serum);
    CHECK(resolve(text, &c, &d) == MN_OK);
    snprintf(text, sizeof text,
             "kind: protocol\nperson: {age: \"52 years\", sex: male, fitzpatrick: 2}\n"
             "indication: laxity\nsetting: clinic\ndevice: roller-192-1.0mm\n"
             "zones: [left-periorbital]\n%s%s",
             SESSIONS, serum);
    CHECK(resolve(text, &alone, &d) == MN_OK);
    mn_course_options o;
    mn_course_options_default(&o);
    o.n_samples = 0;
    mn_course_result r, ra;
    CHECK(mn_course_simulate(&c.in, &o, NULL, &r, &e) == MN_OK);
    CHECK(mn_course_simulate(&alone.in, &o, NULL, &ra, &e) == MN_OK);
    long lc = zone_of(&c, "left-cheek"), rc = zone_of(&c, "right-cheek"),
         lp = zone_of(&c, "left-periorbital");
    for (size_t s = 0; s < r.n_sessions; s++) {
        const mn_course_cell *a = &r.cells[s * r.n_zones + (size_t)lp],
                             *b = &ra.cells[s * ra.n_zones + 0];
        CHECK(a->treated && a->roll.punctures == b->roll.punctures);
        CHECK(a->depth.depth_m == b->depth.depth_m);
        CHECK(a->roll.density_mean == b->roll.density_mean);
        /* the cheek with 1.0 mm is as deep as the eyes; the other as 1.5 mm */
        CHECK(r.cells[s * r.n_zones + (size_t)lc].depth.depth_m == a->depth.depth_m);
        CHECK(r.cells[s * r.n_zones + (size_t)rc].depth.depth_m > 2 * a->depth.depth_m);
    }
    CHECK(r.heal_of[rc] == (size_t)rc && r.heal_of[lc] == (size_t)lc);
    /* the map of session 1 has every zone, in the session's order */
    CHECK(r.first_roll.n_regions == c.n_session_zones[0]);
    size_t total = 0;
    for (size_t k = 0; k < c.n_session_zones[0]; k++) {
        size_t z = c.session_zones[0][k];
        total += r.cells[z].roll.punctures;
        CHECK(r.first_roll.region_first[k + 1] - r.first_roll.region_first[k] ==
              r.cells[z].roll.punctures);
    }
    CHECK(total == r.first_roll.count);
    for (size_t i = 0; i < r.first_roll.count; i += 997) {
        const mn_roll_stroke *st = &r.first_roll.strokes[r.first_roll.stroke[i]];
        CHECK(i >= st->first && i < st->first + st->count);
    }
    /* the serum: one case per device and site (cheek 1.0, cheek 1.5, eyes 1.0) */
    mn_course_deliver_opts dopts;
    mn_course_deliver_opts_default(&dopts);
    mn_course_deliveries dl;
    CHECK(mn_course_deliver(&c, &r, &dopts, NULL, &dl, &e) == MN_OK);
    int serum_cases = 0, cheek_short = 0, eyes_short = 0;
    for (size_t i = 0; i < dl.count; i++) {
        const mn_course_delivery *x = &dl.items[i];
        if (x->role != MN_APPLY_SERUM)
            continue;
        serum_cases++;
        cheek_short |=
            !strcmp(x->site, "cheek") && !strcmp(x->device, "roller-192-1.0mm");
        eyes_short |=
            !strcmp(x->site, "periorbital") && !strcmp(x->device, "roller-192-1.0mm");
        CHECK(x->n_sessions == 2);
    }
    CHECK(serum_cases == 3 && cheek_short && eyes_short);
    mn_course_deliveries_free(&dl);
    mn_course_result_free(&r);
    mn_course_result_free(&ra);
    mn_course_free(&c);
    mn_course_free(&alone);
    mn_diags_free(&d);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        data_dir = argv[1];
    test_which_device();
    test_errors();
    test_check();
    test_simulate();
    return mn_test_report("test_course_io");
}
