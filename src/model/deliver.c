/* A delivery experiment: compound + skin + channels -> transport runs. */
#include "mnsim/deliver.h"

#include "mnsim/roll.h"
#include "mnsim/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const grid_names[MN_GRID_COUNT] = {"coarse", "medium", "fine"};

const char *mn_grid_level_name(int level)
{
    return level >= 0 && level < MN_GRID_COUNT ? grid_names[level] : "?";
}

void mn_deliver_spec_default(mn_deliver_spec *s)
{
    memset(s, 0, sizeof *s);
    s->concentration_kg_m3 = NAN;
    s->dose_kg_m2 = NAN;
    s->t_end_s = 3600;
    s->channel_shape = MN_CHANNEL_CONE;
    s->grid = MN_GRID_MEDIUM;
    s->n_samples = 60;
    s->seed = 1;
}

/* Grid parameters per level: SC cells, depth growth and largest cell,
 * lateral cell at a channel's wall (as a fraction of the channel's radius
 * at the surface), growth and largest cell. */
static const struct {
    int sc_cells;
    double z_growth, z_max, lat_wall, lat_growth, lat_max;
} grids[MN_GRID_COUNT] = {
    {6, 1.25, 40e-6, 0.25, 1.25, 40e-6},
    {8, 1.15, 25e-6, 0.15, 1.15, 25e-6},
    {12, 1.1, 15e-6, 0.09, 1.1, 15e-6},
};

/* Length of the channels inside the dermis. */
static double in_dermis(const mn_deliver_spec *s)
{
    return mn_channel_dermis_length(&s->skin, s->channel_depth_m);
}

mn_status mn_deliver_config(const mn_deliver_spec *s, int intact_reference,
                            mn_transport_config *cfg, mn_transport_channel *channel,
                            mn_error *err)
{
    if (!s->catalog || !s->compound)
        return mn_error_set(err, MN_EINVAL, "deliver: no compound");
    if (!s->channel && !s->intact)
        return mn_error_set(err, MN_EINVAL, "deliver: no channel model parameters");
    if (s->grid < 0 || s->grid >= MN_GRID_COUNT)
        return mn_error_set(err, MN_EINVAL, "deliver: unknown grid level");
    const mn_compound_catalog *cat = s->catalog;
    const mn_compound *c = s->compound;
    mn_transport_config_default(cfg);
    mn_status st =
        mn_transport_medium_derive(&c->solute, &cat->model, &cfg->medium, err);
    if (st != MN_OK)
        return st;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        cfg->thickness_m[l] = s->skin.thickness_m[l];
    double conc =
        isnan(s->concentration_kg_m3) ? c->concentration_kg_m3 : s->concentration_kg_m3;
    double dose = isnan(s->dose_kg_m2) ? c->dose_kg_m2 : s->dose_kg_m2;
    if (!(conc > 0) || !isfinite(conc))
        return mn_error_set(err, MN_EINVAL,
                            "deliver: %s has no typical concentration; give one",
                            c->name);
    if (!(dose > 0))
        return mn_error_set(err, MN_EINVAL, "deliver: %s has no typical dose; give one",
                            c->name);
    /* Above its solubility the product is a saturated suspension: the
     * dissolved part is at the solubility (thermodynamic activity 1) and
     * the rest is solid that dissolves as the film loses solute. */
    double sat = c->solubility_kg_m3 > 0 ? c->solubility_kg_m3 : INFINITY;
    cfg->vehicle_solubility = sat;
    cfg->vehicle_concentration = conc < sat ? conc : sat;
    if (isinf(dose)) {
        cfg->infinite_dose = 1;
    } else {
        cfg->infinite_dose = 0;
        cfg->vehicle_thickness_m = dose / cat->vehicle_density_kg_m3;
        if (conc > sat)
            cfg->vehicle_solid_kg_m2 = (conc - sat) * cfg->vehicle_thickness_m;
    }
    /* The film: solute reaches the channel mouths by diffusion in it. */
    cfg->vehicle_diffusivity_m2_s =
        cfg->medium.channel_diffusivity_m2_s * cat->vehicle_hindrance;
    cfg->bottom = MN_TRANSPORT_SINK;
    cfg->t_end_s = s->t_end_s;
    cfg->n_samples = s->n_samples ? s->n_samples : 60;
    cfg->threads = s->threads;
    cfg->accuracy = s->accuracy;
    const int g = s->grid;
    cfg->sc_cells = grids[g].sc_cells;
    cfg->z_growth = grids[g].z_growth;
    cfg->z_max_m = grids[g].z_max;
    cfg->lateral_growth = grids[g].lat_growth;
    cfg->lateral_max_m = grids[g].lat_max;
    cfg->probe_depth_m =
        s->skin.thickness_m[0] + s->skin.thickness_m[1] + cat->nerve_depth_below_dej_m;
    cfg->probe_threshold =
        c->use == MN_USE_ANAESTHETIC ? c->numbing_threshold_kg_m3 : NAN;
    cfg->probe_quantile = cat->numb_area_fraction;
    /* The one channel model: how long these channels stay open depends on
     * how far they reach into the dermis and on occlusion. */
    cfg->closure_half_life_s =
        s->channel ? mn_channel_half_life(s->channel, in_dermis(s), s->occluded)
                   : INFINITY;
    cfg->closure_delay_s = s->delay_s;
    int disrupted = !intact_reference && !s->intact && s->sc_open_fraction > 0;
    cfg->sc_open_fraction = disrupted ? s->sc_open_fraction : 0.0;
    cfg->channel_shape = s->channel_shape;
    cfg->lateral_bc = MN_LATERAL_MIRROR;
    /* Second order in time: steps of 10% of the elapsed time (docs/model.md,
     * time steps); the intact column takes 3% (its slow front: against 1%,
     * the time to numbness moves by 3e-5 and caffeine's amount by 0.2%). */
    cfg->dt_first_s = 0.01;
    cfg->dt_rel = intact_reference || s->intact ? 0.03 : 0.1;
    cfg->dt_max_s = 120;
    if (intact_reference || s->intact || disrupted) {
        /* One column (a uniformly disrupted stratum corneum too), so the depth grid can
         * be converged: the amount past intact stratum corneum within hours is the far
         * tail of a slow front and needs ~64 cells across it (docs/model.md). */
        cfg->sc_cells = 64;
        cfg->z_growth = 1.05;
        cfg->z_max_m = 10e-6;
        cfg->size_x_m = cfg->size_y_m = 1e-3;
        cfg->n_channels = 0;
        cfg->channels = NULL;
        return MN_OK;
    }
    if (!(s->density_per_m2 > 0) || !isfinite(s->density_per_m2))
        return mn_error_set(err, MN_EINVAL, "deliver: channel density must be > 0");
    if (!(s->channel_depth_m > 0) || !(s->channel_radius_m > 0))
        return mn_error_set(
            err, MN_EINVAL,
            "deliver: the device makes no channel here (depth %.3g um); "
            "use intact skin",
            s->channel_depth_m * 1e6);
    double cell = 1.0 / sqrt(s->density_per_m2);
    if (2 * s->channel_radius_m >= cell)
        return mn_error_set(err, MN_EINVAL,
                            "deliver: channels of %.0f um at %.0f um spacing overlap",
                            2e6 * s->channel_radius_m, 1e6 * cell);
    cfg->size_x_m = cfg->size_y_m = 0.5 * cell;
    if (s->radial) {
        /* the disc of the same area as the square cell (docs/model.md) */
        cfg->radial = 1;
        cfg->size_x_m = cell / sqrt(MN_PI);
    }
    double lm = grids[g].lat_wall * s->channel_radius_m;
    if (lm < 0.5e-6)
        lm = 0.5e-6;
    if (lm > 0.5 * cfg->lateral_max_m)
        lm = 0.5 * cfg->lateral_max_m;
    cfg->lateral_min_m = lm;
    channel->x_m = 0;
    channel->y_m = 0;
    channel->depth_m = s->channel_depth_m;
    channel->radius_m = s->channel_radius_m;
    cfg->channels = channel;
    cfg->n_channels = 1;
    return MN_OK;
}

/* Roll the device over a square larger than the patch and turn the
 * punctures inside the central square into the channels of a periodic
 * block. */
static mn_status patch_channels(const mn_deliver_spec *s, mn_transport_config *cfg,
                                mn_transport_channel **out, double *y0, mn_error *err)
{
    static const double cells[MN_GRID_COUNT] = {20e-6, 12e-6, 8e-6};
    if (!s->device)
        return mn_error_set(err, MN_EINVAL, "deliver: a patch needs the device");
    double W = s->patch_m;
    if (!(W >= 0.2e-3 && W <= 20e-3))
        return mn_error_set(err, MN_EINVAL,
                            "deliver: the patch side must be 0.2-20 mm");
    double margin = 5e-3, L = W + 2 * margin;
    double ox[4] = {0, L, L, 0}, oy[4] = {0, 0, L, L};
    mn_roll_region reg = {"patch", ox, oy, 4, NAN, NAN};
    mn_roll_params p;
    mn_roll_params_default(&p);
    mn_status st = mn_roll_pattern_make("four-direction", s->passes > 0 ? s->passes : 1,
                                        &p.pattern, err);
    if (st != MN_OK)
        return st;
    p.depth_mean_m = s->channel_depth_m;
    p.depth_sd_m = s->depth_sd_m > 0 ? s->depth_sd_m : 0;
    p.seed = s->seed;
    mn_roll_result rr;
    memset(&rr, 0, sizeof rr);
    if ((st = mn_roll_simulate(s->device, &reg, 1, &p, NULL, &rr, err)) != MN_OK)
        return st;
    size_t n = 0;
    for (size_t i = 0; i < rr.count; i++)
        if (rr.x_m[i] >= margin && rr.x_m[i] < margin + W && rr.y_m[i] >= margin &&
            rr.y_m[i] < margin + W && rr.depth_m[i] > 0)
            n++;
    mn_transport_channel *ch = malloc((n ? n : 1) * sizeof *ch);
    if (!ch) {
        mn_roll_result_free(&rr);
        return mn_error_set(err, MN_ENOMEM, "deliver: out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < rr.count; i++)
        if (rr.x_m[i] >= margin && rr.x_m[i] < margin + W && rr.y_m[i] >= margin &&
            rr.y_m[i] < margin + W && rr.depth_m[i] > 0) {
            ch[m].x_m = rr.x_m[i] - margin;
            ch[m].y_m = rr.y_m[i] - margin;
            ch[m].depth_m = rr.depth_m[i];
            /* a conical needle: the surface width in proportion to depth */
            ch[m].radius_m = s->channel_radius_m * rr.depth_m[i] / s->channel_depth_m;
            m++;
        }
    mn_roll_result_free(&rr);
    size_t nc = (size_t)ceil(W / cells[s->grid]);
    cfg->size_x_m = cfg->size_y_m = W;
    cfg->lateral_bc = MN_LATERAL_PERIODIC;
    cfg->uniform_lateral = 1;
    cfg->nx = cfg->ny = nc;
    cfg->channels = ch;
    cfg->n_channels = m;
    *y0 = m ? ch[0].y_m : 0;
    *out = ch;
    return MN_OK;
}

void mn_deliver_result_free(mn_deliver_result *r)
{
    if (!r)
        return;
    mn_transport_result_free(&r->with);
    mn_transport_result_free(&r->intact);
    free(r->sec_x_m), free(r->sec_z_m), free(r->section);
    memset(r, 0, sizeof *r);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Mean flux into the dermis over the run: permeated amount / time. */
/* Intact skin on the depth grid of a channel run's configuration: one
 * column with the same depth grid settings and no channel. */
static mn_status same_grid_intact(const mn_transport_config *with,
                                  mn_transport_result *out, mn_error *err)
{
    mn_transport_config c = *with;
    c.channels = NULL;
    c.n_channels = 0;
    c.sc_open_fraction = 0;
    c.radial = 0;
    c.uniform_lateral = 1;
    c.nx = c.ny = 1;
    c.size_x_m = c.size_y_m = 1e-3;
    c.probe_depth_m = NAN;
    mn_transport *t;
    mn_status st = mn_transport_new(&c, &t, err);
    if (st != MN_OK)
        return st;
    st = mn_transport_run(t, NULL, out, err);
    mn_transport_free(t);
    return st;
}

static double mean_flux(const mn_transport_result *r)
{
    return r->n ? r->permeated[r->n - 1] / r->t_s[r->n - 1] : NAN;
}

mn_status mn_deliver_run(const mn_deliver_spec *s, const mn_progress *progress,
                         mn_deliver_result *r, mn_error *err)
{
    memset(r, 0, sizeof *r);
    double t0 = now();
    mn_transport_config cfg;
    mn_transport_channel ch;
    mn_transport_channel *patch = NULL;
    double sec_y = 0;
    mn_transport *t = NULL;
    mn_status st = mn_deliver_config(s, 1, &cfg, &ch, err);
    if (st != MN_OK)
        return st;
    r->concentration_kg_m3 =
        cfg.vehicle_concentration +
        (cfg.infinite_dose ? 0.0 : cfg.vehicle_solid_kg_m2 / cfg.vehicle_thickness_m);
    r->dissolved_kg_m3 = cfg.vehicle_concentration;
    r->solubility_kg_m3 = cfg.vehicle_solubility;
    r->saturated = cfg.vehicle_concentration >= cfg.vehicle_solubility;
    r->film_thickness_m = cfg.infinite_dose ? NAN : cfg.vehicle_thickness_m;
    r->dose_kg_m2 = cfg.infinite_dose
                        ? INFINITY
                        : cfg.vehicle_thickness_m * s->catalog->vehicle_density_kg_m3;
    r->probe_depth_m = cfg.probe_depth_m;
    r->threshold_kg_m3 = cfg.probe_threshold;
    r->time_to_numb_s = r->time_to_numb_intact_s = NAN;
    /* Intact skin: one column. */
    if ((st = mn_transport_new(&cfg, &t, err)) != MN_OK)
        return st;
    st = mn_transport_run(t, s->intact ? progress : NULL, &r->intact, err);
    long it;
    mn_transport_stats(t, NULL, NULL, &it);
    r->iterations += it;
    mn_transport_free(t);
    t = NULL;
    if (st != MN_OK)
        goto fail;
    r->time_to_numb_intact_s = r->intact.threshold_time_s;
    if (isfinite(cfg.probe_threshold) && isnan(r->time_to_numb_intact_s)) {
        /* Numbness of intact skin beyond the run: the column again, up to
         * 8 h (cheap), for the time only. */
        mn_transport_config c2 = cfg;
        c2.t_end_s = 8 * 3600.0 > 4 * cfg.t_end_s ? 8 * 3600.0 : 4 * cfg.t_end_s;
        c2.n_samples = 8;
        mn_transport_result r2;
        if ((st = mn_transport_new(&c2, &t, err)) != MN_OK)
            goto fail;
        st = mn_transport_run(t, NULL, &r2, err);
        mn_transport_free(t);
        t = NULL;
        if (st != MN_OK)
            goto fail;
        r->time_to_numb_intact_s = r2.threshold_time_s;
        mn_transport_result_free(&r2);
    }
    r->delivered_intact_kg_m2 = r->intact.delivered[r->intact.n - 1];
    r->mass_error = r->intact.mass_error_max;
    if (s->intact) {
        r->time_to_numb_s = r->time_to_numb_intact_s;
        r->delivered_kg_m2 = r->delivered_intact_kg_m2;
        r->enhancement = 1.0;
        r->flux_enhancement = 1.0;
        r->seconds = now() - t0;
        return MN_OK;
    }
    if ((st = mn_deliver_config(s, 0, &cfg, &ch, err)) != MN_OK)
        goto fail;
    r->has_channels = 1;
    r->closure_half_life_s = cfg.closure_half_life_s;
    r->closure_time_s =
        s->channel ? mn_channel_closure_time(s->channel, in_dermis(s), s->occluded)
                   : INFINITY;
    r->cell_m = cfg.radial ? 1.0 / sqrt(s->density_per_m2) : 2 * cfg.size_x_m;
    r->n_channels = 1;
    if (s->patch_m > 0 && !(s->sc_open_fraction > 0)) { /* disruption: uniform */
        if ((st = patch_channels(s, &cfg, &patch, &sec_y, err)) != MN_OK)
            goto fail;
        r->n_channels = cfg.n_channels;
        r->cell_m = s->patch_m;
    }
    st = mn_transport_new(&cfg, &t, err);
    free(patch);
    patch = NULL;
    if (st != MN_OK)
        goto fail;
    mn_transport_dims(t, &r->nx, &r->ny, &r->nz);
    st = mn_transport_run(t, progress, &r->with, err);
    mn_transport_stats(t, NULL, NULL, &it);
    r->iterations += it;
    if (st != MN_OK)
        goto fail;
    r->time_to_numb_s = r->with.threshold_time_s;
    r->delivered_kg_m2 = r->with.delivered[r->with.n - 1];
    /* The ratios against intact skin solved on the channel run's own depth
     * grid: both sides then carry the same discretisation error of the
     * barrier, and channels that stop in the stratum corneum give 1. */
    mn_transport_result same;
    if ((st = same_grid_intact(&cfg, &same, err)) != MN_OK)
        goto fail;
    double di = same.delivered[same.n - 1];
    r->enhancement = di > 0 ? r->delivered_kg_m2 / di : INFINITY;
    double fi = mean_flux(&same), fw = mean_flux(&r->with);
    r->flux_enhancement = fi > 0 ? fw / fi : INFINITY;
    mn_transport_result_free(&same);
    if (r->with.mass_error_max > r->mass_error)
        r->mass_error = r->with.mass_error_max;
    /* Cross-section through the channel axis (the first row of the
     * quarter cell). */
    r->sec_nx = r->nx, r->sec_nz = r->nz;
    r->sec_x_m = malloc(r->nx * sizeof(double));
    r->sec_z_m = malloc(r->nz * sizeof(double));
    r->section = malloc(r->nx * r->nz * sizeof(double));
    if (!r->sec_x_m || !r->sec_z_m || !r->section) {
        st = mn_error_set(err, MN_ENOMEM, "deliver: out of memory");
        goto fail;
    }
    const double *xf = mn_transport_faces(t, 0), *zf = mn_transport_faces(t, 2);
    for (size_t i = 0; i < r->nx; i++)
        r->sec_x_m[i] = 0.5 * (xf[i] + xf[i + 1]);
    for (size_t k = 0; k < r->nz; k++)
        r->sec_z_m[k] = 0.5 * (zf[k] + zf[k + 1]);
    /* through the first channel (the unit cell's is at y = 0) */
    mn_transport_section(t, sec_y, r->section);
    mn_transport_free(t);
    r->seconds = now() - t0;
    return MN_OK;
fail:
    free(patch);
    mn_transport_free(t);
    mn_deliver_result_free(r);
    return st;
}
