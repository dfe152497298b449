/* A rolling session as mnsim roll runs it (mnsim/roll_session.h): the
 * parameters from a setup, the size of an area, zones and groups, the
 * depth, metrics, targets and totals of each zone, the pattern comparison,
 * and the JSON of its pieces (mnsim/roll_json.h). */
#include <stdio.h>
#include <stdlib.h>

#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/roll_json.h"
#include "mnsim/roll_session.h"
#include "mnsim/zones.h"

static const char *data_dir = "data";

static void data_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", data_dir, name);
}

static void test_setup(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_roll_setup s;
    mn_roll_params p;
    mn_roll_setup_default(&s);
    CHECK(mn_roll_setup_params(&s, &p, &e) == MN_OK);
    /* The seed's instructions: 15 passes, vertical first (it gets the odd
     * one), then horizontal; the default hand; seed 1. */
    CHECK(p.pattern.n_dirs == 2 && p.pattern.passes[0] == 8 &&
          p.pattern.passes[1] == 7);
    CHECK(p.random_phase == 1 && p.seed == 1);
    mn_roll_params def;
    mn_roll_params_default(&def);
    CHECK(p.overlap == def.overlap && p.lateral_jitter_m == def.lateral_jitter_m);

    /* What the setup gives replaces the default; no_jitter first. */
    s.pattern = "four-direction";
    s.passes_per_direction = 3;
    s.no_jitter = 1;
    s.overlap = 0.2;
    s.random_phase = 0;
    s.phase_rad = 0.5;
    s.seed = 9;
    CHECK(mn_roll_setup_params(&s, &p, &e) == MN_OK);
    CHECK(mn_roll_pattern_total(&p.pattern) == 12 && p.pattern.n_dirs == 4);
    CHECK(p.overlap == 0.2 && p.lateral_jitter_m == 0 && p.along_jitter_m == 0);
    CHECK(p.random_phase == 0 && p.phase_rad == 0.5 && p.seed == 9);

    /* Too many passes in all is a range error; a name not known, not found. */
    s.passes_per_direction = 200;
    CHECK(mn_roll_setup_params(&s, &p, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message, "at most 400 passes in all");
    s.pattern = "spiral";
    CHECK(mn_roll_setup_params(&s, &p, &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "patterns: vertical");
}

static void test_area_parse(void)
{
    mn_error e;
    mn_error_clear(&e);
    double w, h;
    CHECK(mn_roll_area_parse("200 mm x 150 mm", &w, &h, &e) == MN_OK);
    CHECK_CLOSE(w, 0.2, 1e-12);
    CHECK_CLOSE(h, 0.15, 1e-12);
    CHECK(mn_roll_area_parse("20 x 15 cm", &w, &h, &e) == MN_OK);
    CHECK_CLOSE(w, 0.2, 1e-12);
    CHECK_CLOSE(h, 0.15, 1e-12);
    CHECK(mn_roll_area_parse("3X2cm", &w, &h, &e) == MN_OK);
    CHECK_CLOSE(w, 0.03, 1e-12);
    CHECK(mn_roll_area_parse("5", &w, &h, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "20 cm x 20 cm");
    CHECK(mn_roll_area_parse("0x0", &w, &h, &e) == MN_EINVAL);
    CHECK(mn_roll_area_parse("11 m x 2 cm", &w, &h, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "1 mm to 10 m");
}

static void test_zones(void)
{
    char path[4200];
    data_path(path, sizeof path, "zones.yaml");
    mn_zone_list zl = {0};
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_zones_load(path, &zl, NULL, &e) == MN_OK);
    mn_roll_session s;
    CHECK(mn_roll_session_zones(&zl, "cheeks", NULL, &s, &e) == MN_OK);
    CHECK(s.count == 2 && !strcmp(s.where, "cheeks") && s.label);
    CHECK(!strcmp(s.zones[0].site, "cheek"));
    CHECK(s.regions[0].x_m == mn_zone_find(&zl, s.zones[0].name)->x_m);
    double a = 0;
    for (size_t g = 0; g < zl.n_groups; g++)
        if (!strcmp(zl.groups[g].name, "cheeks"))
            a = mn_zone_group_area(&zl, g);
    const mn_zone *left = mn_zone_find(&zl, "left-cheek");
    const mn_zone *right = mn_zone_find(&zl, "right-cheek");
    CHECK(left && right);
    CHECK_CLOSE(a, left->area_m2 + right->area_m2, 1e-12);
    mn_roll_session_free(&s);
    /* A site given for all zones; an unknown name. */
    CHECK(mn_roll_session_zones(&zl, "chin", "forehead", &s, &e) == MN_OK);
    CHECK(s.count == 1 && !strcmp(s.zones[0].site, "forehead"));
    mn_roll_session_free(&s);
    CHECK(mn_roll_session_zones(&zl, "elbow", NULL, &s, &e) == MN_ENOTFOUND);
    CHECK(s.count == 0 && !s.regions);
    /* The JSON of what the file offers. */
    mn_json *j = mn_json_new();
    CHECK(mn_zone_list_json(j, mn_json_root(j), &zl) == MN_OK);
    char *text = mn_json_text(j);
    CHECK_STR_HAS(text, "\"four-direction\"");
    CHECK_STR_HAS(text, "\"left-cheek\"");
    free(text);
    mn_json_free(j);
    mn_zone_list_free(&zl);
}

/* Roll a stamp over 2 cm x 2 cm at the cheek: depth, metrics, totals,
 * targets, the pattern comparison and the JSON of a zone. */
static void test_session(void)
{
    char path[4200];
    mn_error e;
    mn_error_clear(&e);
    mn_device_list cat = {0};
    mn_site_list sites = {0};
    mn_depth_params dp;
    data_path(path, sizeof path, "devices.yaml");
    CHECK(mn_devices_load(path, &cat, NULL, &e) == MN_OK);
    data_path(path, sizeof path, "sites.yaml");
    CHECK(mn_sites_load(path, &sites, NULL, &e) == MN_OK);
    data_path(path, sizeof path, "penetration.yaml");
    CHECK(mn_depth_params_load(path, &dp, NULL, &e) == MN_OK);
    mn_device dev;
    mn_device_init(&dev);
    CHECK(mn_device_resolve(&cat, "roller-192-0.5mm", &dev, &e) == MN_OK);

    mn_roll_session s;
    CHECK(mn_roll_session_area(0.02, 0.02, "2 cm x 2 cm", NULL, &s, &e) == MN_OK);
    CHECK(s.count == 1 && !strcmp(s.where, "area") &&
          !strcmp(s.zones[0].site, "cheek"));
    CHECK(mn_roll_session_depth(&s, 0, &sites, MN_SEX_FEMALE, &dev, &dp,
                                dp.hand_force_n[MN_PRESSURE_LIGHT], &e) == MN_OK);
    CHECK(s.zones[0].punctured && s.zones[0].depth_m > 0 && s.zones[0].width_m > 0);
    CHECK(s.regions[0].depth_mean_m == s.zones[0].depth_m);
    CHECK(mn_roll_session_depth(&s, 1, &sites, MN_SEX_FEMALE, &dev, &dp, 5, &e) ==
          MN_EINVAL);

    mn_roll_setup setup;
    mn_roll_setup_default(&setup);
    setup.pattern = "vertical";
    setup.passes = 2;
    mn_roll_params p;
    CHECK(mn_roll_setup_params(&setup, &p, &e) == MN_OK);
    mn_roll_result res;
    CHECK(mn_roll_simulate(&dev, s.regions, s.count, &p, NULL, &res, &e) == MN_OK);
    mn_roll_metrics_opts mo;
    mn_roll_metrics_opts_default(&mo);
    /* The hit radius is the channel's width unless given. */
    CHECK(mn_roll_session_metrics(&s, &res, &mo, NAN, &e) == MN_OK);
    CHECK(s.zones[0].hit_radius_m == s.zones[0].width_m);
    CHECK(mn_roll_session_metrics(&s, &res, &mo, 0.2e-3, &e) == MN_OK);
    CHECK(s.zones[0].hit_radius_m == 0.2e-3 && s.zones[0].passes_needed == 0);
    mn_roll_totals t;
    mn_roll_session_totals(&s, &dev, &p, &t);
    CHECK(t.punctures == res.count && t.punctures == s.zones[0].metrics.punctures);
    CHECK_CLOSE(t.area_m2, 4e-4, 1e-9);
    CHECK_CLOSE(t.density_expected, 2 * t.density_per_pass, 1e-12);
    CHECK(t.depth_mean_m > 0);
    CHECK(mn_roll_session_map_radius(&s) >= 0.05e-3);

    /* Passes to a density: per zone, and for every pattern the most any
     * zone needs; a target out of reach in 2 passes is -1. */
    double target = 100e4;
    CHECK(mn_roll_session_targets(&s, &dev, &p, &mo, MN_ROLL_TARGET_DENSITY, target, 50,
                                  &e) == MN_OK);
    CHECK(s.zones[0].passes_needed > 2 && s.zones[0].achieved >= target);
    int need;
    double got;
    CHECK(mn_roll_session_pattern_need(&s, &dev, &p, 0, &mo, MN_ROLL_TARGET_DENSITY,
                                       target, 50, &need, &got, &e) == MN_OK);
    CHECK(need == s.zones[0].passes_needed && got == s.zones[0].achieved);
    CHECK(mn_roll_session_pattern_need(&s, &dev, &p, 0, &mo, MN_ROLL_TARGET_DENSITY,
                                       target, 2, &need, &got, &e) == MN_OK);
    CHECK(need == -1 && got < target);
    CHECK(mn_roll_session_pattern_need(&s, &dev, &p, 999, &mo, MN_ROLL_TARGET_DENSITY,
                                       target, 2, &need, &got, &e) == MN_ENOTFOUND);

    mn_json *j = mn_json_new();
    mn_jnode *root = mn_json_root(j);
    mn_json_put(j, root, "zone", mn_roll_zone_json(j, &s.zones[0], 1));
    mn_json_put(j, root, "hand", mn_roll_hand_json(j, &p, dev.type));
    mn_json_put(j, root, "directions", mn_roll_directions_json(j, &p.pattern));
    char *text = mn_json_text(j);
    CHECK_STR_HAS(text, "\"passes_to_target\"");
    CHECK_STR_HAS(text, "\"hit_radius_mm\": 0.2");
    CHECK_STR_HAS(text, "\"direction\": \"vertical\"");
    CHECK(!strstr(text, "speed_mm_s")); /* a roller has no hand speed */
    free(text);
    mn_json_free(j);

    mn_roll_result_free(&res);
    mn_roll_session_free(&s);
    mn_device_clear(&dev);
    mn_device_list_free(&cat);
    mn_site_list_free(&sites);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "data";
    test_setup();
    test_area_parse();
    test_zones();
    test_session();
    return mn_test_report("roll_session");
}
