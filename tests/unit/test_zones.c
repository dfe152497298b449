/* Treatment zones: the shipped data/zones.yaml and the checks of the
 * zones schema. */
#include <stdlib.h>

#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/zones.h"

/* Read a zones document from text; returns the number of errors and
 * whether one of them contains `want`. */
static size_t errors_of(const char *text, const char *want, int *found)
{
    mn_doc *doc = NULL;
    mn_diags d = {0};
    *found = 0;
    size_t n = 0;
    if (mn_doc_load_string(text, "zones-test.yaml", &doc, &d) == MN_OK) {
        void *rec = calloc(1, mn_schema_zones_file.size);
        mn_doc_read(doc, &mn_schema_zones_file, rec, &d);
        mn_schema_clear(&mn_schema_zones_file, rec);
        free(rec);
        mn_doc_free(doc);
    }
    for (size_t i = 0; i < d.count; i++) {
        if (d.severity[i] != MN_SEV_ERROR)
            continue;
        n++;
        if (want && strstr(d.items[i].message, want))
            *found = 1;
        else if (want)
            fprintf(stderr, "  (other error: %s)\n", d.items[i].message);
    }
    mn_diags_free(&d);
    return n;
}

#define ZONE_OK                                                               \
    "  - name: a\n    site: cheek\n    chart: face\n"                          \
    "    outline: [\"0 mm, 0 mm\", \"10 mm, 0 mm\", \"10 mm, 10 mm\", \"0 mm, 10 mm\"]\n" \
    "    source: test\n"

static void test_schema(void)
{
    int found;
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK, NULL, &found) == 0);
    CHECK(errors_of("kind: zones\nzones:\n  - name: a\n    site: cheek\n    chart: face\n"
                    "    outline: [\"0 mm, 0 mm\", \"10, 0 mm\", \"10 mm, 10 mm\"]\n"
                    "    source: t\n",
                    "outline[1]", &found) == 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n  - name: a\n    site: cheek\n    chart: face\n"
                    "    outline: [\"0 mm, 0 mm\", \"10 mm, 10 mm\", \"10 mm, 0 mm\", "
                    "\"0 mm, 10 mm\"]\n    source: t\n",
                    "crosses itself", &found) >= 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n  - name: a\n    site: cheek\n    chart: face\n"
                    "    outline: [\"0 mm, 0 mm\", \"10 mm, 0 mm\"]\n    source: t\n",
                    "3 to", &found) == 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n  - name: a\n    site: cheek\n    chart: head\n"
                    "    outline: [\"0 mm, 0 mm\", \"10 mm, 0 mm\", \"0 mm, 5 mm\"]\n"
                    "    source: t\n",
                    "face, body", &found) == 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK "groups:\n  - name: g\n"
                    "    zones: [a, b]\n",
                    "no zone named 'b'", &found) == 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK
                    "  - name: b\n    site: cheek\n    chart: face\n"
                    "    outline: [\"5 mm, 5 mm\", \"15 mm, 5 mm\", \"15 mm, 15 mm\", "
                    "\"5 mm, 15 mm\"]\n    source: t\n"
                    "groups:\n  - name: g\n    zones: [a, b]\n",
                    "overlap by about 25 mm2", &found) == 1);
    CHECK(found);
    /* Touching zones (a shared edge) do not overlap. */
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK
                    "  - name: b\n    site: cheek\n    chart: face\n"
                    "    outline: [\"10 mm, 0 mm\", \"20 mm, 0 mm\", \"20 mm, 10 mm\", "
                    "\"10 mm, 10 mm\"]\n    source: t\n"
                    "groups:\n  - name: g\n    zones: [a, b]\n",
                    NULL, &found) == 0);
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK "  - name: a\n    site: cheek\n"
                    "    chart: face\n    outline: [\"0 mm, 0 mm\", \"1 mm, 0 mm\", "
                    "\"0 mm, 1 mm\"]\n    source: t\n",
                    "duplicate name 'a'", &found) == 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK "    typical: [colour]\n",
                    "not a zone key", &found) == 1);
    CHECK(found);
    CHECK(errors_of("kind: zones\nzones:\n" ZONE_OK "    colour: red\n",
                    "unknown key 'colour'", &found) == 1);
    CHECK(found);
}

static void test_points(void)
{
    mn_error e;
    mn_error_clear(&e);
    double x, y;
    CHECK(mn_zone_parse_point("12 mm, -3.5 mm", &x, &y, &e) == MN_OK);
    CHECK_CLOSE(x, 12e-3, 1e-12);
    CHECK_CLOSE(y, -3.5e-3, 1e-12);
    CHECK(mn_zone_parse_point("1.2 cm,3 mm", &x, &y, &e) == MN_OK);
    CHECK_CLOSE(x, 12e-3, 1e-12);
    CHECK(mn_zone_parse_point("12, 3 mm", &x, &y, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "x mm, y mm");
    CHECK(mn_zone_parse_point("12 mm 3 mm", &x, &y, &e) == MN_EINVAL);
    CHECK(mn_zone_parse_point("1 mm, 2 mm, 3 mm", &x, &y, &e) == MN_EINVAL);
    CHECK(mn_zone_parse_point("20 m, 0 m", &x, &y, &e) == MN_EINVAL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_zones DATA_DIR\n");
        return 2;
    }
    test_schema();
    test_points();
    char path[1024];
    mn_error e;
    mn_error_clear(&e);
    snprintf(path, sizeof path, "%s/zones.yaml", argv[1]);
    mn_zone_list zl;
    mn_diags d = {0};
    CHECK(mn_zones_load(path, &zl, &d, &e) == MN_OK);
    if (e.code)
        fprintf(stderr, "%s:%d: %s\n", e.file, e.line, e.message);
    CHECK(d.n_errors == 0 && d.n_warnings == 0);
    mn_diags_free(&d);
    const char *need[] = {"forehead", "left-cheek", "right-cheek", "nose", "chin",
                          "upper-lip", "neck", "scalp", "abdomen", "left-thigh",
                          "right-thigh"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        CHECK(mn_zone_find(&zl, need[i]) != NULL);
    for (size_t i = 0; i < zl.count; i++) {
        const mn_zone *z = &zl.items[i];
        CHECK(z->n >= 3 && z->area_m2 > 1e-4 && z->source && z->source[0]);
        CHECK(mn_strings_has(&z->typical, "outline")); /* no outline is measured */
    }
    /* Mirror zones have equal areas. */
    CHECK_CLOSE(mn_zone_find(&zl, "left-cheek")->area_m2,
                mn_zone_find(&zl, "right-cheek")->area_m2, 1e-12);
    /* Sites exist in the atlas. */
    snprintf(path, sizeof path, "%s/sites.yaml", argv[1]);
    mn_site_list sites = {0};
    CHECK(mn_sites_load(path, &sites, NULL, &e) == MN_OK);
    CHECK(mn_zones_check_sites(&zl, &sites, &e) == MN_OK);
    mn_site_list_free(&sites);
    /* Full face: ~300-450 cm^2 without the neck; the neck adds ~100-200. */
    size_t *idx = NULL, n = 0;
    const char *label = NULL;
    CHECK(mn_zones_select(&zl, "full-face", &idx, &n, &label, &e) == MN_OK);
    double face = 0;
    for (size_t k = 0; k < n; k++)
        face += zl.items[idx[k]].area_m2;
    free(idx);
    CHECK(n == 10 && label != NULL);
    CHECK(face > 300e-4 && face < 450e-4);
    CHECK(mn_zones_select(&zl, "face-and-neck", &idx, &n, NULL, &e) == MN_OK);
    double fn = 0;
    for (size_t k = 0; k < n; k++)
        fn += zl.items[idx[k]].area_m2;
    free(idx);
    CHECK(fn - face > 100e-4 && fn - face < 200e-4);
    printf("full-face %.0f cm^2, face-and-neck %.0f cm^2\n", face * 1e4, fn * 1e4);
    /* No two zones of a chart overlap, in or out of groups. */
    for (size_t a = 0; a < zl.count; a++)
        for (size_t b = a + 1; b < zl.count; b++)
            if (zl.items[a].chart == zl.items[b].chart)
                CHECK(mn_zone_overlap_area(&zl.items[a], &zl.items[b], 1e-3) == 0);
    CHECK(mn_zones_select(&zl, "cheek", &idx, &n, NULL, &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "left-cheek");
    CHECK(mn_zones_select(&zl, "chin", &idx, &n, NULL, &e) == MN_OK && n == 1);
    free(idx);
    mn_zone_list_free(&zl);
    CHECK(mn_zones_load("/nonexistent/zones.yaml", &zl, NULL, &e) == MN_EIO);
    mn_zone_list_free(&zl);
    return mn_test_report("test_zones");
}
