/* Protocols: reading, session expansion, overrides, writing back. */
#include "mn_test.h"
#include "mnsim/date.h"
#include "mnsim/protocol_io.h"

#include <stdlib.h>
#include <unistd.h>

static const char *text =
    "kind: protocol\n"
    "person: {age: \"30 years\", sex: male, fitzpatrick: 4, conditions: [keloid],\n"
    "         isotretinoin_last: \"2026-06-01\"}\n"
    "indication: acne-scars\n"
    "device: roller-192-1.5mm\n"
    "zones: [cheeks, chin]\n"
    "passes: 3\n"
    "pressure: medium\n"
    "anaesthetic: {compound: lidocaine, concentration: \"4 %\", time: \"45 min\", occlusion: true}\n"
    "sessions:\n"
    "  start: \"2027-01-04\"\n"
    "  count: 3\n"
    "  interval: \"4 weeks\"\n"
    "  overrides:\n"
    "    - {session: 3, device: roller-192-1.0mm, passes: 2, zones: [chin]}\n"
    "seed: 99\n";

static mn_status load(const char *yaml, mn_protocol *p, mn_diags *d)
{
    char path[] = "/tmp/mnsim-test-protocol-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(yaml, f);
    fclose(f);
    mn_error e;
    mn_status st = mn_protocol_load(path, p, d, &e);
    unlink(path);
    return st;
}

int main(void)
{
    mn_protocol p;
    mn_diags d = {0};
    CHECK(load(text, &p, &d) == MN_OK);
    CHECK(d.count == 0);
    CHECK(p.indication == MN_IND_ACNE_SCARS && p.person.sex == MN_SEX_MALE);
    CHECK(p.person.fitzpatrick == 4 && p.person.conditions.count == 1);
    CHECK_CLOSE(p.person.age_s, 30 * 365.2425 * 86400, 1e-12);
    CHECK_CLOSE(p.anaesthetic.concentration, 0.04, 1e-12);
    CHECK_CLOSE(p.anaesthetic.time_s, 2700, 1e-12);
    CHECK(p.seed == 99 && p.passes == 3 && p.zones.count == 2);
    mn_session *s;
    size_t n;
    mn_error e;
    CHECK(mn_protocol_sessions(&p, &s, &n, &e) == MN_OK);
    CHECK(n == 3);
    int64_t start;
    mn_date_parse("2027-01-04", &start, NULL);
    CHECK(s[0].at == start && s[1].at == start + 28 * 86400 && s[2].at == start + 56 * 86400);
    CHECK(!strcmp(s[2].device, "roller-192-1.0mm") && s[2].passes == 2);
    CHECK(s[2].zones->count == 1 && !strcmp(s[2].zones->items[0], "chin"));
    CHECK(!strcmp(s[0].device, "roller-192-1.5mm") && s[0].passes == 3 && s[0].zones->count == 2);
    free(s);

    /* Written back as YAML, it reads again to the same course. */
    char *yaml = mn_protocol_to_yaml(&p);
    CHECK(yaml && strstr(yaml, "kind: protocol"));
    mn_protocol q;
    CHECK(load(yaml, &q, &d) == MN_OK);
    CHECK(q.indication == p.indication && q.passes == p.passes && q.count == p.count);
    CHECK(q.start == p.start && q.interval_s == p.interval_s);
    CHECK(!strcmp(q.device, p.device) && q.zones.count == p.zones.count);
    CHECK_CLOSE(q.anaesthetic.concentration, 0.04, 1e-12);
    free(yaml);
    mn_protocol_clear(&q);
    mn_protocol_clear(&p);
    mn_diags_free(&d);

    /* Explicit dates; errors. */
    const char *dated = "kind: protocol\nperson: {}\nindication: hair-loss\ndevice: x\n"
                        "zones: [scalp]\nsessions: {dates: [\"2027-01-04\", \"2027-01-11\"]}\n";
    CHECK(load(dated, &p, &d) == MN_OK);
    CHECK(mn_protocol_sessions(&p, &s, &n, &e) == MN_OK && n == 2);
    CHECK(s[1].at - s[0].at == 7 * 86400);
    free(s);
    mn_protocol_clear(&p);
    typedef struct {
        const char *yaml, *message;
    } bad_case;
    const bad_case bad[] = {
        {"kind: protocol\nperson: {}\nindication: x\ndevice: d\nzones: [a]\n"
         "sessions: {start: \"2027-01-04\", count: 1}\n",
         "'x' is not allowed"},
        {"kind: protocol\nperson: {}\nindication: laxity\ndevice: d\nzones: [a]\n"
         "sessions: {start: \"2027-01-04\", count: 3}\n",
         "needs interval"},
        {"kind: protocol\nperson: {}\nindication: laxity\ndevice: d\nzones: [a]\n"
         "sessions: {start: \"2027-01-04\", count: 2, interval: \"2 weeks\", dates: [\"2027-01-04\"]}\n",
         "not both"},
        {"kind: protocol\nperson: {age: \"3 years\"}\nindication: laxity\ndevice: d\n"
         "zones: [a]\nsessions: {start: \"2027-01-04\", count: 1}\n",
         "outside the allowed range"},
        {"kind: protocol\nperson: {}\nindication: laxity\ndevice: d\nzones: []\n"
         "sessions: {start: \"2027-13-04\", count: 1}\n",
         "month must be 01-12"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mn_diags dd = {0};
        CHECK(load(bad[i].yaml, &p, &dd) != MN_OK);
        int found = 0;
        for (size_t k = 0; k < dd.count; k++)
            found |= strstr(dd.items[k].message, bad[i].message) != NULL;
        if (!found)
            fprintf(stderr, "case %zu: no '%s' (%s)\n", i, bad[i].message,
                    dd.count ? dd.items[0].message : "no message");
        CHECK(found);
        mn_protocol_clear(&p);
        mn_diags_free(&dd);
    }
    CHECK(mn_indication_from_name("stretch-marks") == MN_IND_STRETCH_MARKS);
    CHECK(mn_indication_from_name("wrinkles") == -1);
    return mn_test_report("protocol");
}
