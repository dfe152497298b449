/* How deep the needles of a catalog device go at a skin site: the
 * penetration model of libmnsim through its public API only.
 *
 *   depth DATA_DIR [DEVICE [SITE]]
 *
 * DATA_DIR is mnsim's data directory: data/ of the source tree, or the
 * installed one, `pkg-config --variable=datadir mnsim`. DEVICE defaults to
 * roller-192-1.5mm, SITE to cheek. Prints the mean channel depth, the
 * deepest layer reached and the share of channels that bleed, for a woman's
 * skin under light pressure (what `mnsim depth` prints first). */
#include <mnsim/mnsim.h>
#include <stdio.h>

static int fail(const char *what, const mn_error *e)
{
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    fprintf(stderr, "depth: %s: %s\n", what, mn_error_format(e, buf, sizeof buf));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: depth DATA_DIR [DEVICE [SITE]]\n");
        return 2;
    }
    const char *dir = argv[1];
    const char *device = argc > 2 ? argv[2] : "roller-192-1.5mm";
    const char *site_name = argc > 3 ? argv[3] : "cheek";
    char path[4096];
    int rc = 1;
    mn_error e;
    mn_error_clear(&e);
    mn_device_list devices = {0};
    mn_site_list sites = {0};
    mn_depth_params params;
    mn_device dev;
    mn_device_init(&dev);

    /* The three catalogs the model needs: devices, sites, its parameters. */
    snprintf(path, sizeof path, "%s/devices.yaml", dir);
    if (mn_devices_load(path, &devices, NULL, &e) != MN_OK) {
        rc = fail(path, &e);
        goto done;
    }
    snprintf(path, sizeof path, "%s/sites.yaml", dir);
    if (mn_sites_load(path, &sites, NULL, &e) != MN_OK) {
        rc = fail(path, &e);
        goto done;
    }
    snprintf(path, sizeof path, "%s/penetration.yaml", dir);
    if (mn_depth_params_load(path, &params, NULL, &e) != MN_OK) {
        rc = fail(path, &e);
        goto done;
    }

    const mn_site *site;
    mn_skin skin;
    mn_depth_result r;
    double force_n = mn_depth_hand_force(&params, MN_PRESSURE_LIGHT, 0);
    if (mn_device_resolve(&devices, device, &dev, &e) != MN_OK ||
        mn_site_find(&sites, site_name, &site, &e) != MN_OK ||
        mn_site_skin(site, MN_SEX_FEMALE, &skin, &e) != MN_OK ||
        mn_depth_compute(&dev, &skin, &params, force_n, &r, &e) != MN_OK) {
        rc = fail(device, &e);
        goto done;
    }

    printf("%s at %s (female, %s pressure, %g N)\n", dev.name, site->name,
           mn_pressure_name(MN_PRESSURE_LIGHT), force_n);
    printf("depth_um %.0f\n", r.depth_m * 1e6);
    printf("depth_sd_um %.0f\n", r.depth_sd_m * 1e6);
    printf("efficiency %.2f\n", r.efficiency);
    printf("width_um %.0f\n", r.width_m * 1e6);
    printf("layer %s\n", r.punctured ? mn_layer_name(r.layer) : "not punctured");
    printf("bleeding %.0f%%\n", 100 * r.bleeding_fraction);
    printf("anaesthesia %s\n", r.anaesthesia_advised ? "advised" : "not needed");
    if (r.beyond_dermis)
        printf("warning: channels may pass the dermis (%.1f%% of them)\n",
               100 * r.beyond_dermis_fraction);
    rc = 0;
done:
    mn_device_clear(&dev);
    mn_device_list_free(&devices);
    mn_site_list_free(&sites);
    return rc;
}
