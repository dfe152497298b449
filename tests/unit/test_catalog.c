/* The shipped catalogs load, and every entry is complete. */
#include "mn_test.h"
#include "mnsim/catalog.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_catalog DATA_DIR\n");
        return 2;
    }
    char path[1024];
    mn_error e;
    mn_error_clear(&e);

    snprintf(path, sizeof path, "%s/devices.yaml", argv[1]);
    mn_device_list devs = {0};
    CHECK(mn_devices_load(path, &devs, NULL, &e) == MN_OK);
    if (e.code)
        fprintf(stderr, "%s:%d:%d: %s\n", e.file, e.line, e.column, e.message);
    CHECK(devs.count >= 17);
    const char *required[] = {"roller-192-0.2mm", "roller-192-0.25mm",
                              "roller-192-0.3mm", "roller-192-0.5mm",
                              "roller-192-0.75mm", "roller-192-1.0mm",
                              "roller-192-1.5mm", "roller-192-2.0mm",
                              "roller-192-2.5mm", "roller-192-3.0mm",
                              "roller-540-0.5mm", "roller-1200-0.5mm"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        mn_device d;
        CHECK(mn_device_resolve(&devs, required[i], &d, &e) == MN_OK);
        CHECK(mn_device_validate(&d, &e) == MN_OK);
        mn_device_clear(&d);
    }
    int stamps = 0, pens = 0;
    for (size_t i = 0; i < devs.count; i++) {
        mn_device *d = &devs.items[i];
        CHECK(mn_device_validate(d, &e) == MN_OK);
        CHECK(d->source && d->source[0]);
        stamps += d->type == MN_DEVICE_STAMP;
        pens += d->type == MN_DEVICE_PEN;
        if (d->type == MN_DEVICE_ROLLER && mn_device_needle_count(d) == 192) {
            CHECK(d->rings == 8 && d->needles_per_ring == 24);
            CHECK_CLOSE(d->drum_diameter_m, 0.02, 1e-12);
            CHECK_CLOSE(d->drum_width_m, 0.02, 1e-12);
        }
    }
    CHECK(stamps >= 1 && pens >= 1);
    mn_device d;
    CHECK(mn_device_resolve(&devs, "roller-192-9mm", &d, &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "roller-192-0.2mm");
    mn_device_clear(&d);
    mn_device_list_free(&devs);

    snprintf(path, sizeof path, "%s/sites.yaml", argv[1]);
    mn_site_list sites = {0};
    CHECK(mn_sites_load(path, &sites, NULL, &e) == MN_OK);
    const char *names[] = {"forehead", "glabella", "temple", "periorbital",
                           "nose", "cheek", "upper-lip", "perioral", "chin",
                           "jawline", "neck", "scalp", "abdomen", "thigh",
                           "buttock", "breast", "upper-arm", "back"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const mn_site *s;
        CHECK(mn_site_find(&sites, names[i], &s, &e) == MN_OK);
        if (!s)
            continue;
        CHECK(mn_site_validate(s, &e) == MN_OK);
        for (int sex = 0; sex < 2; sex++) {
            mn_skin k;
            CHECK(mn_site_skin(s, (mn_sex)sex, &k, &e) == MN_OK);
            for (int l = 0; l < MN_LAYER_SUBCUTIS; l++)
                CHECK(k.thickness_m[l] > 0);
            /* Plausible: epidermis+dermis 0.5-6 mm on every site. */
            CHECK(mn_skin_total(&k) > 0.5e-3 && mn_skin_total(&k) < 6e-3);
        }
    }
    const mn_site *s;
    CHECK(mn_site_find(&sites, "elbow", &s, &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "cheek");
    mn_site_list_free(&sites);

    /* Every shipped file passes check. */
    const char *files[] = {"devices.yaml", "sites.yaml"};
    for (int i = 0; i < 2; i++) {
        mn_diags dg = {0};
        snprintf(path, sizeof path, "%s/%s", argv[1], files[i]);
        CHECK(mn_check_file(path, &dg) == MN_OK);
        CHECK(dg.n_errors == 0);
        mn_diags_free(&dg);
    }
    /* A spec names a file when it has a '/' or a file's extension. */
    CHECK(mn_device_spec_is_file("/etc/passwd") == 1);
    CHECK(mn_device_spec_is_file("../x") == 1);
    CHECK(mn_device_spec_is_file("mine.yaml") == 1);
    CHECK(mn_device_spec_is_file("mine.yml") == 1);
    CHECK(mn_device_spec_is_file("mine.json") == 1);
    CHECK(mn_device_spec_is_file("roller-192-1.5mm") == 0);
    CHECK(mn_device_spec_is_file(".yaml") == 0);
    return mn_test_report("catalog");
}
