/* A rolling session and its metrics: where the needles of a roller land on
 * a group of zones, through libmnsim's public API only.
 *
 *   roll DATA_DIR [DEVICE [ZONE [PASSES]]]
 *
 * DATA_DIR is mnsim's data directory (data/ of the source tree, or
 * `pkg-config --variable=datadir mnsim`). Defaults: roller-192-1.5mm on
 * the cheeks, 16 passes in four directions, light pressure, seed 1: the
 * same session as `mnsim roll --device roller-192-1.5mm --zone cheeks
 * --pattern four-direction --passes 16`, and the same numbers. */
#include <math.h>
#include <mnsim/mnsim.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what, const mn_error *e)
{
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    fprintf(stderr, "roll: %s: %s\n", what, mn_error_format(e, buf, sizeof buf));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 5) {
        fprintf(stderr, "usage: roll DATA_DIR [DEVICE [ZONE [PASSES]]]\n");
        return 2;
    }
    const char *dir = argv[1];
    const char *device = argc > 2 ? argv[2] : "roller-192-1.5mm";
    const char *zone = argc > 3 ? argv[3] : "cheeks";
    int passes = argc > 4 ? atoi(argv[4]) : 16;
    char path[4096];
    const char *what = path; /* what an error is about */
    int rc = 1;
    mn_error e;
    mn_error_clear(&e);
    mn_device_list devices = {0};
    mn_site_list sites = {0};
    mn_zone_list zones = {0};
    mn_depth_params depth;
    mn_device dev;
    mn_device_init(&dev);
    mn_roll_session s = {0};
    mn_roll_result punctures = {0};

    snprintf(path, sizeof path, "%s/devices.yaml", dir);
    if (mn_devices_load(path, &devices, NULL, &e) != MN_OK)
        goto failed;
    snprintf(path, sizeof path, "%s/sites.yaml", dir);
    if (mn_sites_load(path, &sites, NULL, &e) != MN_OK)
        goto failed;
    snprintf(path, sizeof path, "%s/zones.yaml", dir);
    if (mn_zones_load(path, &zones, NULL, &e) != MN_OK)
        goto failed;
    snprintf(path, sizeof path, "%s/penetration.yaml", dir);
    if (mn_depth_params_load(path, &depth, NULL, &e) != MN_OK)
        goto failed;
    what = device;
    if (mn_device_resolve(&devices, device, &dev, &e) != MN_OK)
        goto failed;

    /* The session: the zones, the channel depth at each zone's site, then
     * the hand (pattern, passes, seed) as the model's parameters. */
    double force_n = mn_depth_hand_force(&depth, MN_PRESSURE_LIGHT, 0);
    what = zone;
    if (mn_roll_session_zones(&zones, zone, NULL, &s, &e) != MN_OK)
        goto failed;
    for (size_t k = 0; k < s.count; k++)
        if (mn_roll_session_depth(&s, k, &sites, MN_SEX_FEMALE, &dev, &depth, force_n,
                                  &e) != MN_OK)
            goto failed;
    mn_roll_setup setup;
    mn_roll_setup_default(&setup);
    setup.pattern = "four-direction";
    setup.passes = passes;
    setup.seed = 1;
    mn_roll_params p;
    if (mn_roll_setup_params(&setup, &p, &e) != MN_OK)
        goto failed;

    /* Roll every zone, then measure each one. */
    mn_roll_metrics_opts mo;
    mn_roll_metrics_opts_default(&mo);
    if (mn_roll_simulate(&dev, s.regions, s.count, &p, NULL, &punctures, &e) != MN_OK ||
        mn_roll_session_metrics(&s, &punctures, &mo, NAN, &e) != MN_OK)
        goto failed;
    mn_roll_totals t;
    mn_roll_session_totals(&s, &dev, &p, &t);

    printf("%s on %s: %s, %d passes, seed 1\n", dev.name, s.where, setup.pattern,
           passes);
    printf("%-14s %8s %8s %8s %6s %6s %6s %6s\n", "zone", "area_cm2", "punct",
           "per_cm2", "cv", "cover", "nn_mm", "depth");
    for (size_t k = 0; k < s.count; k++) {
        const mn_roll_zone_row *z = &s.zones[k];
        const mn_roll_metrics *m = &z->metrics;
        printf("%-14s %8.1f %8zu %8.1f %6.2f %6.3f %6.3f %6.0f\n", z->name,
               m->area_m2 * 1e4, m->punctures, m->density_mean * 1e-4, m->density_cv,
               m->coverage, m->nn_mean_m * 1e3, z->depth_m * 1e6);
    }
    printf("total %.1f cm2, %zu punctures; expected %.1f per cm2 (%.2f per pass)\n",
           t.area_m2 * 1e4, t.punctures, t.density_expected * 1e-4,
           t.density_per_pass * 1e-4);
    rc = 0;
    goto done;
failed:
    rc = fail(what, &e);
done:
    mn_roll_result_free(&punctures);
    mn_roll_session_free(&s);
    mn_device_clear(&dev);
    mn_zone_list_free(&zones);
    mn_device_list_free(&devices);
    mn_site_list_free(&sites);
    return rc;
}
