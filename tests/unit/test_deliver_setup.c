/* Setting up a delivery experiment from names (mnsim/deliver_setup.h): the
 * compound, the site's skin, the channels a device leaves by the
 * penetration model (unit cell and rolled patch), and the amounts at the
 * end of a run. */
#include <stdio.h>
#include <stdlib.h>

#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/compounds.h"
#include "mnsim/deliver_setup.h"

static const char *data_dir = "data";

typedef struct {
    mn_compound_catalog cat;
    mn_device_list devs;
    mn_site_list sites;
    mn_depth_params dp;
} data;

static int load(data *d)
{
    char path[4200];
    mn_error e;
    mn_error_clear(&e);
    memset(d, 0, sizeof *d);
    snprintf(path, sizeof path, "%s/compounds.yaml", data_dir);
    int ok = mn_compounds_load(path, &d->cat, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/devices.yaml", data_dir);
    ok = ok && mn_devices_load(path, &d->devs, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/sites.yaml", data_dir);
    ok = ok && mn_sites_load(path, &d->sites, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/penetration.yaml", data_dir);
    ok = ok && mn_depth_params_load(path, &d->dp, NULL, &e) == MN_OK;
    return ok;
}

static void unload(data *d)
{
    mn_compound_catalog_free(&d->cat);
    mn_device_list_free(&d->devs);
    mn_site_list_free(&d->sites);
}

static void test_names(data *d)
{
    mn_error e;
    mn_error_clear(&e);
    mn_deliver_spec s;
    mn_deliver_spec_default(&s);
    CHECK(mn_deliver_spec_compound(&s, &d->cat, "lidocaine", &e) == MN_OK);
    CHECK(s.catalog == &d->cat && s.compound && !strcmp(s.compound->name, "lidocaine"));
    CHECK(mn_deliver_spec_compound(&s, &d->cat, "aspirin", &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "lidocaine");
    CHECK(s.compound && !strcmp(s.compound->name, "lidocaine")); /* kept */
    CHECK(mn_deliver_spec_site(&s, &d->sites, "cheek", MN_SEX_FEMALE, &e) == MN_OK);
    CHECK(s.skin.thickness_m[0] > 0 && s.skin.thickness_m[3] > s.skin.thickness_m[0]);
    CHECK(mn_deliver_spec_site(&s, &d->sites, "elbow", MN_SEX_FEMALE, &e) ==
          MN_ENOTFOUND);
}

static void test_channels(data *d)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device roller, stamp;
    mn_device_init(&roller);
    mn_device_init(&stamp);
    CHECK(mn_device_resolve(&d->devs, "roller-192-0.5mm", &roller, &e) == MN_OK);
    CHECK(mn_device_resolve(&d->devs, "stamp-35-1.0mm", &stamp, &e) == MN_OK);
    CHECK(mn_deliver_usual_passes(&roller) == 15 &&
          mn_deliver_usual_passes(&stamp) == 1);

    /* The unit cell: depth, half the width, the usual passes' density. */
    mn_deliver_spec s;
    mn_deliver_spec_default(&s);
    CHECK(mn_deliver_spec_site(&s, &d->sites, "cheek", MN_SEX_FEMALE, &e) == MN_OK);
    mn_deliver_channels ch;
    double light = d->dp.hand_force_n[MN_PRESSURE_LIGHT];
    CHECK(mn_deliver_spec_channels(&s, &roller, &d->dp, light, 0, &ch, &e) == MN_OK);
    CHECK(ch.made && ch.passes == 15 && ch.depth.depth_m > 0);
    CHECK(s.channel_depth_m == ch.depth.depth_m);
    CHECK(s.channel_radius_m == 0.5 * ch.depth.width_m);
    CHECK_CLOSE(s.density_per_m2, 15 * mn_device_density_per_pass(&roller), 1e-12);
    CHECK(s.device == NULL && s.passes == 0); /* no patch: the device is not kept */

    /* A rolled patch keeps the device, the passes, the SD and a seed. */
    mn_deliver_spec_default(&s);
    CHECK(mn_deliver_spec_site(&s, &d->sites, "cheek", MN_SEX_FEMALE, &e) == MN_OK);
    s.patch_m = 1e-3;
    CHECK(mn_deliver_spec_channels(&s, &roller, &d->dp, light, 3, &ch, &e) == MN_OK);
    CHECK(ch.made && ch.passes == 3 && s.passes == 3 && s.device == &roller);
    CHECK(s.seed == 1 && s.depth_sd_m == ch.depth.depth_sd_m);

    /* Too light a touch opens nothing and leaves the spec as it was. */
    mn_deliver_spec_default(&s);
    CHECK(mn_deliver_spec_site(&s, &d->sites, "cheek", MN_SEX_FEMALE, &e) == MN_OK);
    CHECK(mn_deliver_spec_channels(&s, &roller, &d->dp, 1e-3, 0, &ch, &e) == MN_OK);
    CHECK(!ch.made && s.channel_depth_m == 0 && s.density_per_m2 == 0);
    mn_device_clear(&roller);
    mn_device_clear(&stamp);
}

static void test_amounts(void)
{
    double t[2] = {0, 1800}, veh[2] = {5, 1}, sc[2] = {0, 1}, ve[2] = {0, 0.5},
           pd[2] = {0, 0.25}, rd[2] = {0, 0.125}, cl[2] = {0, 0.75}, sink[2] = {0, 0.5},
           perm[2] = {0, 3};
    mn_transport_result r;
    memset(&r, 0, sizeof r);
    r.n = 2;
    r.t_s = t;
    r.vehicle = veh;
    r.layer[0] = sc, r.layer[1] = ve, r.layer[2] = pd, r.layer[3] = rd;
    r.cleared = cl;
    r.sink = sink;
    r.permeated = perm;
    mn_deliver_amounts a;
    mn_deliver_amounts_at_end(&r, &a);
    CHECK(a.stratum_corneum == 1 && a.viable_epidermis == 0.5 && a.dermis == 0.375);
    CHECK(a.cleared == 0.75 && a.blood == 1.25 && a.permeated == 3 && a.vehicle == 1);
    CHECK(a.dermis_flux_per_s == 3.0 / 1800);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "data";
    data d;
    CHECK(load(&d));
    test_names(&d);
    test_channels(&d);
    test_amounts();
    unload(&d);
    return mn_test_report("deliver_setup");
}
