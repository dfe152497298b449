/* The catalogs as JSON (mnsim/catalog_json.h): a roller, a site and a
 * compound of the shipped catalogs, each key with its unit, the values
 * converted from SI as the file states them. */
#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/catalog_json.h"
#include "mnsim/compounds.h"

#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_catalog_json DATA_DIR\n");
        return 2;
    }
    char path[1024];
    mn_error e;
    mn_error_clear(&e);

    snprintf(path, sizeof path, "%s/devices.yaml", argv[1]);
    mn_device_list devs = {0};
    CHECK(mn_devices_load(path, &devs, NULL, &e) == MN_OK);
    mn_device d;
    CHECK(mn_device_resolve(&devs, "roller-192-1.5mm", &d, &e) == MN_OK);
    mn_json *j = mn_json_new();
    CHECK(mn_json_put(j, mn_json_root(j), "device", mn_device_json(j, &d)) == MN_OK);
    char *t = mn_json_text(j);
    CHECK_STR_HAS(t, "\"name\": \"roller-192-1.5mm\"");
    CHECK_STR_HAS(t, "\"type\": \"roller\"");
    CHECK_STR_HAS(t, "\"needles\": 192");
    CHECK_STR_HAS(t, "\"needle_length_mm\": 1.5");
    CHECK_STR_HAS(t, "\"drum_diameter_mm\": 20");
    CHECK_STR_HAS(t, "\"rings\": 8");
    CHECK_STR_HAS(t, "\"needles_per_ring\": 24");
    CHECK_STR_HAS(t, "\"tilt_deg\": 15");
    CHECK_STR_HAS(t, "\"density_per_pass_per_cm2\"");
    free(t);
    mn_json_free(j);
    mn_device_clear(&d);
    mn_device_list_free(&devs);

    snprintf(path, sizeof path, "%s/sites.yaml", argv[1]);
    mn_site_list sites = {0};
    CHECK(mn_sites_load(path, &sites, NULL, &e) == MN_OK);
    const mn_site *s = NULL;
    CHECK(mn_site_find(&sites, "cheek", &s, &e) == MN_OK);
    if (s) {
        mn_skin k;
        CHECK(mn_site_skin(s, MN_SEX_MALE, &k, &e) == MN_OK);
        j = mn_json_new();
        CHECK(mn_json_put(j, mn_json_root(j), "site",
                          mn_site_json(j, s, &k, MN_SEX_MALE)) == MN_OK);
        t = mn_json_text(j);
        CHECK_STR_HAS(t, "\"name\": \"cheek\"");
        CHECK_STR_HAS(t, "\"region\": \"face\"");
        CHECK_STR_HAS(t, "\"sex\": \"male\"");
        char want[96];
        snprintf(want, sizeof want, "\"stratum_corneum_um\": %g",
                 k.thickness_m[0] * 1e6);
        CHECK_STR_HAS(t, want);
        CHECK_STR_HAS(t, "\"sources\": {");
        free(t);
        mn_json_free(j);
    }
    mn_site_list_free(&sites);

    snprintf(path, sizeof path, "%s/compounds.yaml", argv[1]);
    mn_compound_catalog cat;
    memset(&cat, 0, sizeof cat);
    CHECK(mn_compounds_load(path, &cat, NULL, &e) == MN_OK);
    const mn_compound *c = NULL;
    CHECK(mn_compound_find(&cat, "lidocaine", &c, &e) == MN_OK);
    if (c) {
        j = mn_json_new();
        CHECK(mn_json_put(j, mn_json_root(j), "compound", mn_compound_json(j, c)) ==
              MN_OK);
        t = mn_json_text(j);
        /* compounds.yaml: 234.34 g/mol, 4% cream (40 mg/ml), 0.5 g/cm2. */
        CHECK_STR_HAS(t, "\"use\": \"anaesthetic\"");
        CHECK_STR_HAS(t, "\"molar_mass_g_mol\": 234.34");
        CHECK_STR_HAS(t, "\"concentration_mg_ml\": 40");
        CHECK_STR_HAS(t, "\"dose_mg_cm2\": 500");
        free(t);
        mn_json_free(j);
    }
    mn_compound_catalog_free(&cat);
    return mn_test_report("test_catalog_json");
}
