/* Setting up a delivery experiment from names, and the amounts it reports
 * (see mnsim/deliver_setup.h). */
#include "mnsim/deliver_setup.h"
#include "mnsim/units.h"

#include <math.h>
#include <string.h>

mn_status mn_deliver_spec_compound(mn_deliver_spec *s, const mn_compound_catalog *cat,
                                   const char *name, mn_error *err)
{
    const mn_compound *cp;
    mn_status st = mn_compound_find(cat, name, &cp, err);
    if (st != MN_OK)
        return st;
    s->catalog = cat;
    s->compound = cp;
    return MN_OK;
}

mn_status mn_deliver_spec_site(mn_deliver_spec *s, const mn_site_list *sites,
                               const char *name, mn_sex sex, mn_error *err)
{
    const mn_site *site;
    mn_status st = mn_site_find(sites, name, &site, err);
    return st != MN_OK ? st : mn_site_skin(site, sex, &s->skin, err);
}

int mn_deliver_usual_passes(const mn_device *d)
{
    return d->type == MN_DEVICE_ROLLER ? 15 : 1;
}

double mn_deliver_sc_open_fraction(const mn_depth_result *dr, double density_per_m2)
{
    if (!(dr->disrupted && dr->disruption_radius_m > 0 && density_per_m2 > 0))
        return 0.0;
    /* Patches of disrupted barrier around each contact, scattered at
     * random: the share of the area they cover (overlaps counted once). */
    double a = MN_PI * dr->disruption_radius_m * dr->disruption_radius_m;
    return -expm1(-density_per_m2 * a);
}

mn_status mn_deliver_spec_channels(mn_deliver_spec *s, const mn_device *d,
                                   const mn_depth_params *dp, double force_n,
                                   int passes, mn_deliver_channels *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    mn_status st = mn_depth_compute(d, &s->skin, dp, force_n, &out->depth, err);
    if (st != MN_OK)
        return st;
    const mn_depth_result *dr = &out->depth;
    /* Needles that stop inside the stratum corneum open no channel; they
     * disrupt the barrier around each contact (docs/model.md, Short
     * needles). */
    out->disrupted = dr->disrupted && dr->disruption_radius_m > 0;
    out->made = dr->punctured && dr->depth_m > 0; /* radius 0: a shallow channel */
    if (!out->made)
        return MN_OK;
    out->passes = passes > 0 ? passes : mn_deliver_usual_passes(d);
    out->density_per_m2 = mn_device_density_per_pass(d) * (double)out->passes;
    s->channel_depth_m = dr->depth_m;
    s->channel_radius_m = 0.5 * dr->width_m;
    s->sc_open_fraction = mn_deliver_sc_open_fraction(dr, out->density_per_m2);
    s->density_per_m2 = out->density_per_m2;
    if (s->patch_m > 0 && !out->disrupted) { /* disruption: uniform, one column */
        s->device = d;
        s->passes = out->passes;
        s->depth_sd_m = out->depth.depth_sd_m;
    }
    return MN_OK;
}

void mn_deliver_amounts_at_end(const mn_transport_result *r, mn_deliver_amounts *out)
{
    size_t last = r->n - 1;
    out->stratum_corneum = r->layer[0][last];
    out->viable_epidermis = r->layer[1][last];
    out->dermis = r->layer[2][last] + r->layer[3][last];
    out->cleared = r->cleared[last];
    out->blood = r->cleared[last] + r->sink[last];
    out->permeated = r->permeated[last];
    out->vehicle = r->vehicle[last];
    out->dermis_flux_per_s = r->permeated[last] / r->t_s[last];
}
