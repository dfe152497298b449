/* mnsim deliver --compound NAME (--device NAME|FILE | --intact) [...]:
 * how much of a cream crosses the skin through the channels a device
 * leaves, how fast, the time to numbness for anaesthetics, and the
 * enhancement over intact skin. The experiment is mnsim/deliver.h and
 * mnsim/deliver_setup.h; this file parses, calls and prints. */
#include "cli.h"
#include "opts.h"
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/compounds.h"
#include "mnsim/deliver.h"
#include "mnsim/deliver_setup.h"
#include "mnsim/plot_deliver.h"

#define UG_CM2 1e5 /* kg/m2 -> ug/cm2 */
#define MIN 60.0

typedef struct {
    const char *compound, *device, *site, *pressure, *concentration, *dose;
    const char *csv, *figure, *compounds; /* compounds: a user's own file */
    double t_end_s, delay_s, patch_m;     /* patch_m 0: the unit cell */
    double accuracy;                      /* 0: the fixed step rule */
    long passes;                          /* -1: the device's usual */
    uint64_t seed;
    int shape, grid, cell; /* mn_channel_shape, mn_grid_level; cell -1: not given,
                              0 square, 1 radial */
    int intact, occluded, force;
    mn_sex sex;
} deliver_opts;

/* What the options mean together. */
static int check_args(cli_ctx *c, const deliver_opts *o)
{
    if (!o->compound)
        return cli_usage_error(
            c, "deliver", "deliver needs --compound NAME (lidocaine, caffeine, ...)");
    if (!o->device && !o->intact)
        return cli_usage_error(c, "deliver",
                               "give --device NAME (see mnsim devices) or --intact");
    if (o->device && o->intact)
        return cli_usage_error(c, "deliver",
                               "--device and --intact exclude each other");
    if (o->patch_m > 0 && o->intact)
        return cli_usage_error(c, "deliver", "--patch needs a device, not --intact");
    if (o->figure && !mn_plot_device_for(o->figure))
        return cli_usage_error(c, "deliver", "--figure must end in .png or .svg");
    if (o->cell >= 0 && o->patch_m > 0)
        return cli_usage_error(c, "deliver",
                               "--cell is for the unit cell, not --patch");
    return CLI_OK;
}

static int parse_args(cli_ctx *c, int argc, char **argv, deliver_opts *o)
{
    static const char *const shapes[] = {"cone", "cylinder", NULL};
    static const char *const grids[] = {"coarse", "medium", "fine", NULL};
    static const char *const cells[] = {"square", "radial", NULL};
    memset(o, 0, sizeof *o);
    o->site = "cheek";
    o->pressure = "light";
    o->t_end_s = 3600;
    o->passes = -1;
    o->shape = MN_CHANNEL_CONE;
    o->grid = MN_GRID_MEDIUM;
    o->cell = -1;
    o->seed = 1;
    const cli_opt opts[] = {
        CLI_STR("--compound", &o->compound),
        CLI_STR("--compounds", &o->compounds),
        CLI_STR("--device", &o->device),
        CLI_STR("--site", &o->site),
        CLI_STR("--pressure", &o->pressure),
        CLI_STR("--concentration", &o->concentration),
        CLI_STR("--dose", &o->dose),
        CLI_QTY("--time", &o->t_end_s, MN_UNIT_TIME, 60, 7 * 86400, "1 min to 168 h"),
        CLI_QTY("--delay", &o->delay_s, MN_UNIT_TIME, 0, 30 * 86400, "0 to 720 h"),
        CLI_STR("--csv", &o->csv),
        CLI_STR("--figure", &o->figure),
        CLI_CHOICE("--shape", &o->shape, shapes),
        CLI_CHOICE("--grid", &o->grid, grids),
        CLI_QTY("--patch", &o->patch_m, MN_UNIT_LENGTH, 0.2e-3, 20e-3, "0.2-20 mm"),
        CLI_CHOICE("--cell", &o->cell, cells),
        CLI_QTY("--accuracy", &o->accuracy, MN_UNIT_FRACTION, 1e-5, 0.1,
                "0.001-10 pct"),
        CLI_LONG("--passes", &o->passes, 1, 400),
        CLI_SEED("--seed", &o->seed),
        CLI_SEX("--sex", &o->sex),
        CLI_FLAG("--intact", &o->intact),
        CLI_FLAG("--occluded", &o->occluded),
        CLI_FLAG("--force", &o->force),
    };
    int rc = cli_opts_parse(c, "deliver", opts, sizeof opts / sizeof *opts, argc, argv,
                            NULL, 0, NULL);
    return rc ? rc : check_args(c, o);
}

typedef struct {
    const cli_ctx *c;
    double last;
} progress_state;

static int show_progress(void *user, double f, const char *stage)
{
    progress_state *s = user;
    if (f - s->last >= 0.02 || f >= 1) {
        int n = (int)(f * 30 + 0.5);
        fprintf(stderr, "\rmnsim deliver: [%.*s%*s] %3.0f%% %s", n,
                "==============================", 30 - n, "", 100 * f, stage);
        if (f >= 1)
            fputc('\n', stderr);
        fflush(stderr);
        s->last = f;
    }
    return 0;
}

/* ---- setting up and running --------------------------------------------- */

typedef struct {
    deliver_opts o;
    mn_compound_catalog cat;
    mn_channel_params channel;
    mn_device_list devs;
    mn_site_list sites;
    mn_device dev;
    mn_deliver_spec spec;
    mn_deliver_channels ch; /* zero on intact skin */
    double force_n;
    const char *plabel;
    mn_deliver_result res;
} deliver_run;

static int refuse_overwrite(cli_ctx *c, const deliver_opts *o)
{
    const char *outs[2] = {o->csv, o->figure};
    return cli_check_outputs(c, outs, 2, o->force);
}

/* The catalog, and the user's own compounds from extra (may be NULL). */
static int load_compounds(cli_ctx *c, const char *extra, mn_compound_catalog *cat)
{
    char path[4200];
    if (cli_data_file(c, "compounds.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_compounds_load(path, cat, &d, &e);
    if (st != MN_OK)
        cli_errorf(c, "the compounds catalog is damaged:");
    else if (extra && (st = mn_compounds_add(extra, cat, &d, &e)) != MN_OK) {
        if (d.count)
            cli_errorf(c, "%s: not a valid file of compounds:", extra);
        else
            cli_error(c, &e);
    }
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    for (size_t i = 0; st != MN_OK && i < d.count; i++)
        fprintf(stderr, "%s: %s\n", mn_severity_name(d.severity[i]),
                mn_error_format(&d.items[i], buf, sizeof buf));
    mn_diags_free(&d);
    return st == MN_OK ? CLI_OK : CLI_FAIL;
}

/* --concentration and --dose: read once the compound is known (a molar
 * strength needs its molar mass). */
static int parse_amounts(cli_ctx *c, const deliver_opts *o, mn_deliver_spec *spec)
{
    mn_error e;
    mn_error_clear(&e);
    if (o->concentration) {
        if (mn_qty_parse(o->concentration, MN_QTY_CONCENTRATION,
                         spec->compound->solute.molar_mass_kg_mol,
                         &spec->concentration_kg_m3, &e) != MN_OK)
            return cli_usage_error(c, "deliver", "--concentration: %s", e.message);
        if (!(spec->concentration_kg_m3 > 0 && spec->concentration_kg_m3 <= 1000))
            return cli_usage_error(c, "deliver",
                                   "--concentration must be > 0 and at most 100 %%");
    }
    if (!o->dose)
        return CLI_OK;
    if (!strcmp(o->dose, "infinite"))
        spec->dose_kg_m2 = INFINITY;
    else if (mn_qty_parse(o->dose, MN_QTY_DOSE, 0, &spec->dose_kg_m2, &e) != MN_OK)
        return cli_usage_error(c, "deliver", "--dose: %s (or 'infinite')", e.message);
    else if (!(spec->dose_kg_m2 >= 1e-4 && spec->dose_kg_m2 <= 100))
        return cli_usage_error(c, "deliver", "--dose must be 0.01-10000 mg/cm2");
    return CLI_OK;
}

/* The channels of the device at the site, by the penetration model. */
static int setup_channels(cli_ctx *c, deliver_run *r)
{
    const deliver_opts *o = &r->o;
    mn_depth_params dp;
    if (cli_load_depth_params(c, &dp))
        return CLI_FAIL;
    int rc =
        cli_parse_pressure(c, "deliver", &dp, o->pressure, &r->force_n, &r->plabel);
    if (rc)
        return rc;
    if (cli_load_devices(c, &r->devs))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    r->spec.patch_m = o->patch_m;
    r->spec.seed = o->seed;
    if (mn_device_resolve(&r->devs, o->device, &r->dev, &e) != MN_OK ||
        mn_deliver_spec_channels(&r->spec, &r->dev, &dp, r->force_n, (int)o->passes,
                                 &r->ch, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (!r->ch.made) {
        cli_errorf(c,
                   "%s makes no channels at %s pressure (%g N): compare with "
                   "--intact, or press harder",
                   r->dev.name, r->plabel, r->force_n);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* The experiment: compound, dose, site, channels. */
static int setup_spec(cli_ctx *c, deliver_run *r)
{
    const deliver_opts *o = &r->o;
    mn_deliver_spec *spec = &r->spec;
    mn_error e;
    mn_error_clear(&e);
    mn_deliver_spec_default(spec);
    if (load_compounds(c, o->compounds, &r->cat) ||
        cli_load_channel_params(c, &r->channel))
        return CLI_FAIL;
    spec->channel = &r->channel;
    if (mn_deliver_spec_compound(spec, &r->cat, o->compound, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    spec->t_end_s = o->t_end_s;
    spec->delay_s = o->delay_s;
    spec->occluded = o->occluded;
    spec->intact = o->intact;
    spec->channel_shape = o->shape;
    /* One channel per cell is axisymmetric: the radial cell gives the
     * square cell's answer within a few % at ~1/100 of the cost, so it is
     * the default; --cell square asks for the 3-D quarter. */
    spec->radial = o->cell == 1 || (o->cell < 0 && !(o->patch_m > 0));
    spec->grid = o->grid;
    spec->accuracy = o->accuracy;
    int rc = parse_amounts(c, o, spec);
    if (rc)
        return rc;
    if (cli_load_sites(c, &r->sites))
        return CLI_FAIL;
    if (mn_deliver_spec_site(spec, &r->sites, o->site, o->sex, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return o->intact ? CLI_OK : setup_channels(c, r);
}

/* Run the experiment and write the files asked for. */
static int run_and_write(cli_ctx *c, deliver_run *r)
{
    const deliver_opts *o = &r->o;
    mn_error e;
    mn_error_clear(&e);
    progress_state ps = {c, -1};
    mn_progress prog = {show_progress, &ps};
    int bar = c->stderr_tty && !c->quiet && !c->json;
    if (mn_deliver_evaluate(&r->spec, bar ? &prog : NULL, &r->res, &e) != MN_OK ||
        (o->csv && mn_deliver_write_csv(o->csv, &r->res, o->force, &e) != MN_OK)) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (!o->figure)
        return CLI_OK;
    char title[256];
    const char *compound = r->spec.compound->name;
    if (o->intact)
        snprintf(title, sizeof title, "%s on intact %s skin", compound, o->site);
    else
        snprintf(title, sizeof title, "%s after %s (%d passes), %s", compound,
                 r->dev.name, r->ch.passes, o->site);
    if (mn_plot_deliver(o->figure, &r->res, &r->spec.skin, r->spec.channel_depth_m,
                        r->spec.channel_radius_m, r->spec.channel_shape, title,
                        o->force, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* ---- JSON ----------------------------------------------------------------- */

static void put_series(mn_json *j, mn_jnode *obj, const char *key, const double *v,
                       size_t n, double scale)
{
    mn_jnode *a = mn_json_array(j);
    for (size_t i = 0; i < n; i++)
        mn_json_push_num(j, a, v[i] * scale);
    mn_json_put(j, obj, key, a);
}

static mn_jnode *run_json(mn_json *j, const mn_transport_result *r)
{
    mn_jnode *o = mn_json_object(j);
    size_t n = r->n;
    put_series(j, o, "time_min", r->t_s, n, 1 / MIN);
    put_series(j, o, "vehicle_ug_cm2", r->vehicle, n, UG_CM2);
    put_series(j, o, "stratum_corneum_ug_cm2", r->layer[0], n, UG_CM2);
    put_series(j, o, "viable_epidermis_ug_cm2", r->layer[1], n, UG_CM2);
    put_series(j, o, "papillary_dermis_ug_cm2", r->layer[2], n, UG_CM2);
    put_series(j, o, "reticular_dermis_ug_cm2", r->layer[3], n, UG_CM2);
    put_series(j, o, "cleared_ug_cm2", r->cleared, n, UG_CM2);
    put_series(j, o, "sink_ug_cm2", r->sink, n, UG_CM2);
    put_series(j, o, "delivered_ug_cm2", r->delivered, n, UG_CM2);
    put_series(j, o, "permeated_dermis_ug_cm2", r->permeated, n, UG_CM2);
    put_series(j, o, "dermis_flux_ug_cm2_h", r->dermis_flux, n, UG_CM2 * 3600);
    put_series(j, o, "nerve_mg_ml", r->probe, n, 1);
    put_series(j, o, "profile_depth_um", r->z_m, r->nz, 1e6);
    put_series(j, o, "profile_end_mg_ml", r->profiles + (n - 1) * r->nz, r->nz, 1);
    mn_json_num(j, o, "steps", (double)r->steps);
    mn_json_num(j, o, "mass_balance_error", r->mass_error_max);
    return o;
}

static const char *shape_name(int shape)
{
    return shape == MN_CHANNEL_CYLINDER ? "cylinder" : "cone";
}

static mn_jnode *device_json(mn_json *j, const deliver_run *r)
{
    const mn_deliver_result *res = &r->res;
    const mn_depth_result *dr = &r->ch.depth;
    mn_jnode *d = mn_json_object(j);
    mn_json_str(j, d, "name", r->dev.name);
    mn_json_num(j, d, "needle_length_mm", r->dev.needle_length_m * 1e3);
    mn_json_str(j, d, "pressure", r->plabel);
    mn_json_num(j, d, "force_n", r->force_n);
    mn_json_int(j, d, "passes", r->ch.passes);
    mn_json_num(j, d, "density_per_cm2", r->ch.density_per_m2 * 1e-4);
    mn_json_num(j, d, "depth_um", dr->depth_m * 1e6);
    mn_json_bool(j, d, "disrupted", r->ch.disrupted);
    mn_json_num(j, d, "sc_open_fraction", r->spec.sc_open_fraction);
    mn_json_num(j, d, "width_um", dr->width_m * 1e6);
    mn_json_str(j, d, "channel_shape", shape_name(r->spec.channel_shape));
    mn_json_num(j, d, "cell_um", res->cell_m * 1e6);
    mn_json_bool(j, d, "rolled_patch", r->o.patch_m > 0);
    mn_json_int(j, d, "channels_in_cell", (long long)res->n_channels);
    if (r->o.patch_m > 0)
        mn_json_int(j, d, "seed", (long long)r->spec.seed);
    mn_json_num(j, d, "closure_half_life_h", res->closure_half_life_s / 3600);
    mn_json_num(j, d, "closure_h", res->closure_time_s / 3600);
    mn_json_num(j, d, "delay_min", r->o.delay_s / MIN);
    mn_json_num(j, d, "channels_open_at_end", res->with.channels_open_end);
    return d;
}

static mn_jnode *summary_json(mn_json *j, const mn_deliver_result *res)
{
    mn_deliver_amounts a;
    mn_deliver_amounts_at_end(res->has_channels ? &res->with : &res->intact, &a);
    mn_jnode *s = mn_json_object(j);
    mn_json_num(j, s, "time_to_numbness_min", res->time_to_numb_s / MIN);
    mn_json_num(j, s, "time_to_numbness_intact_min", res->time_to_numb_intact_s / MIN);
    mn_json_num(j, s, "numbing_threshold_mg_ml", res->threshold_kg_m3);
    mn_json_num(j, s, "nerve_depth_um", res->probe_depth_m * 1e6);
    mn_json_num(j, s, "delivered_ug_cm2", res->delivered_kg_m2 * UG_CM2);
    mn_json_num(j, s, "delivered_intact_ug_cm2", res->delivered_intact_kg_m2 * UG_CM2);
    /* The headline: steady state, infinite dose, channels open. The ratio
     * of cumulative amounts carries its time and dose and is flagged while
     * intact skin is in its lag time. */
    const mn_deliver_steady_result *ss = &res->steady;
    mn_json_num(j, s, "steady_state_enhancement", ss->enhancement);
    mn_json_num(j, s, "steady_flux_ug_cm2_h", ss->channel_flux_kg_m2_s * 3600 * UG_CM2);
    mn_json_num(j, s, "steady_flux_intact_ug_cm2_h",
                ss->intact_flux_kg_m2_s * 3600 * UG_CM2);
    mn_json_bool(j, s, "steady_state_reached", ss->intact_steady && ss->channel_steady);
    mn_json_num(j, s, "intact_lag_h", ss->intact_lag_s / 3600);
    mn_json_num(j, s, "cumulative_enhancement", res->enhancement);
    mn_json_num(j, s, "cumulative_enhancement_time_min",
                res->with.n || res->intact.n ? res->intact.t_s[res->intact.n - 1] / MIN
                                             : NAN);
    mn_json_bool(j, s, "cumulative_lag_dominated", ss->lag_dominated);
    mn_json_num(j, s, "intact_share_of_steady_amount", ss->intact_share_at_time);
    mn_json_num(j, s, "flux_enhancement_ratio", res->flux_enhancement);
    mn_json_num(j, s, "permeated_dermis_ug_cm2", a.permeated * UG_CM2);
    mn_json_num(j, s, "cleared_ug_cm2", a.cleared * UG_CM2);
    mn_json_num(j, s, "vehicle_ug_cm2", a.vehicle * UG_CM2);
    mn_json_num(j, s, "mass_balance_error", res->mass_error);
    return s;
}

static mn_jnode *grid_json(mn_json *j, const deliver_run *r)
{
    const mn_deliver_result *res = &r->res;
    mn_jnode *g = mn_json_object(j);
    mn_json_str(j, g, "level", mn_grid_level_name(r->spec.grid));
    mn_json_str(j, g, "cell",
                r->spec.patch_m > 0 ? "patch"
                : r->spec.radial    ? "radial"
                                    : "square");
    mn_json_int(j, g, "nx", (long long)(res->has_channels ? res->nx : 1));
    mn_json_int(j, g, "ny", (long long)(res->has_channels ? res->ny : 1));
    mn_json_int(j, g, "nz", (long long)(res->has_channels ? res->nz : res->intact.nz));
    mn_json_int(j, g, "cg_iterations", res->iterations);
    mn_json_num(j, g, "elapsed_s", res->seconds);
    return g;
}

static int print_json(cli_ctx *c, const deliver_run *r)
{
    const deliver_opts *o = &r->o;
    const mn_deliver_result *res = &r->res;
    const mn_compound *cp = r->spec.compound;
    mn_json *j = mn_json_new();
    if (!j)
        return CLI_FAIL;
    mn_jnode *root = mn_json_root(j);
    mn_json_str(j, root, "compound", cp->name);
    mn_json_str(j, root, "use", mn_compound_use_name(cp->use));
    mn_json_num(j, root, "concentration_mg_ml", res->concentration_kg_m3);
    mn_json_num(j, root, "dissolved_mg_ml", res->dissolved_kg_m3);
    mn_json_num(j, root, "solubility_mg_ml", res->solubility_kg_m3);
    mn_json_bool(j, root, "saturated", res->saturated);
    mn_json_num(j, root, "dose_mg_cm2",
                isinf(res->dose_kg_m2) ? NAN : res->dose_kg_m2 * 100);
    mn_json_bool(j, root, "infinite_dose", isinf(res->dose_kg_m2));
    mn_json_num(j, root, "film_um", res->film_thickness_m * 1e6);
    mn_json_str(j, root, "site", o->site);
    mn_json_str(j, root, "sex", o->sex == MN_SEX_MALE ? "male" : "female");
    mn_json_num(j, root, "contact_min", o->t_end_s / MIN);
    mn_json_bool(j, root, "occluded", o->occluded);
    mn_json_bool(j, root, "intact", o->intact);
    if (!o->intact)
        mn_json_put(j, root, "device", device_json(j, r));
    mn_json_put(j, root, "summary", summary_json(j, res));
    mn_json_put(j, root, "grid", grid_json(j, r));
    if (res->has_channels)
        mn_json_put(j, root, "with_channels", run_json(j, &res->with));
    mn_json_put(j, root, "intact_skin", run_json(j, &res->intact));
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    return cli_print_json(c, j);
}

/* ---- text ----------------------------------------------------------------- */

static void fmt_minutes(double s, double t_end, char *buf, size_t n)
{
    if (isnan(s))
        snprintf(buf, n, "> %.0f", t_end / MIN);
    else
        snprintf(buf, n, "%.1f", s / MIN);
}

/* What was put where: compound, dose, site, time, channels. */
static void print_setting(const deliver_run *r)
{
    const deliver_opts *o = &r->o;
    const mn_deliver_result *res = &r->res;
    char film[64];
    if (isinf(res->dose_kg_m2))
        snprintf(film, sizeof film, "infinite dose");
    else
        snprintf(film, sizeof film, "%g mg/cm2 (film %.0f um)", res->dose_kg_m2 * 100,
                 res->film_thickness_m * 1e6);
    printf("%s %g mg/mL, %s, %s (%s), %g min, %s\n", r->spec.compound->name,
           res->concentration_kg_m3, film, o->site,
           o->sex == MN_SEX_MALE ? "male" : "female", o->t_end_s / MIN,
           o->occluded ? "occluded" : "not occluded");
    if (res->saturated)
        printf("note: %g mg/mL is at or above the solubility of %s in the vehicle (%g "
               "mg/mL): "
               "a saturated %s, so the skin sees %g mg/mL dissolved and more strength "
               "does "
               "not raise the flux (thermodynamic activity 1)\n",
               res->concentration_kg_m3, r->spec.compound->name, res->solubility_kg_m3,
               res->concentration_kg_m3 > res->solubility_kg_m3 ? "suspension"
                                                                : "solution",
               res->dissolved_kg_m3);
    if (!o->intact && r->ch.disrupted)
        printf(
            "no channels: %s, %s pressure (%g N), %d pass%s: the needles stop inside "
            "the "
            "stratum corneum (%.0f um) and disrupt it around each of %.0f contacts "
            "/cm2: "
            "%.2g%% of it open, closing with half-life %.1f h, closed after %.1f h\n",
            r->dev.name, r->plabel, r->force_n, r->ch.passes,
            r->ch.passes == 1 ? "" : "es", r->ch.depth.depth_m * 1e6,
            r->ch.density_per_m2 * 1e-4, r->spec.sc_open_fraction * 100,
            res->closure_half_life_s / 3600, res->closure_time_s / 3600);
    else if (!o->intact)
        printf("channels: %s, %s pressure (%g N), %d pass%s: %.0f /cm2, %.0f um deep, "
               "%.0f um wide (%s), closure half-life %.1f h, closed after %.1f h\n",
               r->dev.name, r->plabel, r->force_n, r->ch.passes,
               r->ch.passes == 1 ? "" : "es", r->ch.density_per_m2 * 1e-4,
               r->ch.depth.depth_m * 1e6, r->ch.depth.width_m * 1e6,
               shape_name(r->spec.channel_shape), res->closure_half_life_s / 3600,
               res->closure_time_s / 3600);
    if (o->patch_m > 0)
        printf("rolled patch: %g mm square, %zu channels (seed %llu)\n",
               o->patch_m * 1e3, res->n_channels, (unsigned long long)r->spec.seed);
}

/* One row of the comparison: the value with channels (none on intact
 * skin) and on intact skin, in ug/cm2 or ug/cm2/h. */
static void amount_row(const cli_table *t, const char *what, int intact, double with,
                       double without)
{
    cli_row row = {0};
    cli_cell(&row, "%s", what);
    if (intact)
        cli_cell(&row, "%s", "");
    else
        cli_cell(&row, "%.4g", with);
    cli_cell(&row, "%.4g", without);
    cli_table_row(t, &row);
}

static void print_amounts(const deliver_run *r)
{
    const mn_deliver_result *res = &r->res;
    int intact = r->o.intact;
    const cli_column cols[] = {
        {"", -38, NULL}, {intact ? "" : "CHANNELS", 12, NULL}, {"INTACT", 12, NULL}};
    const cli_table t = {cols, 3};
    cli_table_header(&t);
    if (isfinite(res->threshold_kg_m3)) {
        char a[32], b[32];
        fmt_minutes(res->time_to_numb_s, r->o.t_end_s, a, sizeof a);
        fmt_minutes(res->time_to_numb_intact_s, r->o.t_end_s, b, sizeof b);
        cli_row row = {0};
        cli_cell(&row, "time to numbness (min)");
        cli_cell(&row, "%s", intact ? "" : a);
        cli_cell(&row, "%s", b);
        cli_table_row(&t, &row);
    }
    amount_row(&t, "delivered past the SC (ug/cm2)", intact,
               res->delivered_kg_m2 * UG_CM2, res->delivered_intact_kg_m2 * UG_CM2);
    mn_deliver_amounts w = {0}, in;
    if (!intact) /* on intact skin there is no run with channels */
        mn_deliver_amounts_at_end(&res->with, &w);
    mn_deliver_amounts_at_end(&res->intact, &in);
    amount_row(&t, "in the stratum corneum (ug/cm2)", intact,
               w.stratum_corneum * UG_CM2, in.stratum_corneum * UG_CM2);
    amount_row(&t, "in the viable epidermis (ug/cm2)", intact,
               w.viable_epidermis * UG_CM2, in.viable_epidermis * UG_CM2);
    amount_row(&t, "in the dermis (ug/cm2)", intact, w.dermis * UG_CM2,
               in.dermis * UG_CM2);
    amount_row(&t, "taken up by the blood (ug/cm2)", intact, w.blood * UG_CM2,
               in.blood * UG_CM2);
    amount_row(&t, "mean flux into the dermis (ug/cm2/h)", intact,
               w.dermis_flux_per_s * 3600 * UG_CM2,
               in.dermis_flux_per_s * 3600 * UG_CM2);
}

/* The headline ratio with its conditions; the cumulative ratio only with
 * its time and dose, and never as a number while it is lag-dominated. */
static void print_enhancement(const deliver_run *r)
{
    const mn_deliver_result *res = &r->res;
    const mn_deliver_steady_result *ss = &res->steady;
    printf("enhancement by the channels: %.3g x the steady-state flux of intact skin "
           "(infinite dose, channels kept open%s); intact skin's lag time %.1f h\n",
           ss->enhancement,
           ss->intact_steady && ss->channel_steady ? "" : ", NOT yet steady",
           ss->intact_lag_s / 3600);
    if (ss->lag_dominated)
        printf("  over these %g min the cumulative ratio is not meaningful: intact "
               "skin has "
               "let through %.2g%% of its steady-state amount by then (it is still in "
               "its lag "
               "time)\n",
               r->o.t_end_s / MIN, 100 * ss->intact_share_at_time);
    else
        printf(
            "  over these %g min at this dose: %.3g x delivered, %.3g x flux into the "
            "dermis (channels closing as they do)\n",
            r->o.t_end_s / MIN, res->enhancement, res->flux_enhancement);
}

static void print_text(cli_ctx *c, const deliver_run *r)
{
    const deliver_opts *o = &r->o;
    const mn_deliver_result *res = &r->res;
    print_setting(r);
    print_amounts(r);
    if (!o->intact)
        print_enhancement(r);
    if (isfinite(res->threshold_kg_m3))
        printf("numbness: %.2g mg/mL (%s) reached by %.0f%% of the nerve endings %.0f "
               "um deep\n",
               res->threshold_kg_m3, "C-fibre block", 100 * r->cat.numb_area_fraction,
               res->probe_depth_m * 1e6);
    if (c->quiet)
        return;
    printf("grid %s, %s: %zu x %zu x %zu cells, mass balance error %.1e, %.1f s\n",
           mn_grid_level_name(r->spec.grid),
           o->patch_m > 0   ? "rolled patch"
           : r->spec.radial ? "radial cell"
                            : "square cell",
           res->has_channels ? res->nx : (size_t)1,
           res->has_channels ? res->ny : (size_t)1,
           res->has_channels ? res->nz : res->intact.nz, res->mass_error, res->seconds);
    if (o->csv)
        fprintf(stderr, "mnsim: wrote %s\n", o->csv);
    if (o->figure)
        fprintf(stderr, "mnsim: wrote %s\n", o->figure);
    printf("Model and its limits: docs/model.md (Transport through the channels). Not "
           "medical advice.\n");
}

static int run_deliver(cli_ctx *c, int argc, char **argv)
{
    deliver_run r;
    memset(&r, 0, sizeof r);
    mn_device_init(&r.dev);
    r.plabel = "light";
    int rc = parse_args(c, argc, argv, &r.o);
    if (rc)
        return rc;
    if (!(rc = refuse_overwrite(c, &r.o)) && !(rc = setup_spec(c, &r)) &&
        !(rc = run_and_write(c, &r))) {
        if (c->json)
            rc = print_json(c, &r);
        else
            print_text(c, &r);
    }
    mn_deliver_result_free(&r.res);
    mn_device_clear(&r.dev);
    mn_device_list_free(&r.devs);
    mn_site_list_free(&r.sites);
    mn_compound_catalog_free(&r.cat);
    return rc;
}

const cli_command cmd_deliver = {
    "deliver",
    "what a cream delivers through the channels: uptake, numbness, enhancement",
    "Usage: mnsim deliver --compound NAME [--compounds FILE]\n"
    "                     (--device NAME|FILE | --intact)\n"
    "                     [--concentration C] [--dose D|infinite] [--site SITE]\n"
    "                     [--sex female|male] [--pressure light|medium|firm|\"8 N\"]\n"
    "                     [--passes N] [--occluded] [--time T] [--delay T]\n"
    "                     [--shape cone|cylinder] [--grid coarse|medium|fine]\n"
    "                     [--cell radial|square]\n"
    "                     [--patch SIZE [--seed N]] [--accuracy A]\n"
    "                     [--csv FILE] [--figure FILE.png|svg] [--force] [--json]\n\n"
    "Diffusion of a compound from a cream (or solution) through the skin and\n"
    "the channels a device leaves, by a 3-D transport model (docs/model.md,\n"
    "Transport through the channels), compared with intact skin for the same\n"
    "dose and time: amounts in each layer and taken up by the blood, flux into\n"
    "the dermis, enhancement by the channels and, for anaesthetics, the time to\n"
    "numbness. Compounds: data/compounds.yaml (lidocaine, caffeine,\n"
    "ascorbic-acid, niacinamide, palmitoyl-pentapeptide, hyaluronic-acid,\n"
    "minoxidil), or your own in a file given with --compounds (the format of\n"
    "data/compounds.yaml without its model section; every value with a source).\n"
    "Above its solubility a product is a saturated suspension: the flux is that\n"
    "of the saturated solution, and the output says so.\n\n"
    "  --concentration  e.g. \"4 %\", \"40 mg/mL\", \"10 mM\" (default: typical "
    "product)\n"
    "  --dose           amount per area, e.g. \"2 mg/cm2\", or infinite\n"
    "  --site           skin site (default cheek; see mnsim sites)\n"
    "  --pressure       force on the device (default light, 5 N)\n"
    "  --passes         passes over the area (default: roller 15, stamp/pen 1)\n"
    "  --occluded       covered after application: channels stay open longer\n"
    "  --time           how long (default 1 h); --delay: time between\n"
    "                   needling and applying the cream (channels already closing)\n"
    "  --grid           resolution: coarse, medium (default) or fine\n"
    "  --cell           the unit cell around one channel: radial (default: the disc\n"
    "                   of the same area, axisymmetric, 2-D; what mnsim run uses) or\n"
    "                   square (a 3-D quarter with mirror sides, ~100x slower)\n"
    "  --patch SIZE     roll the device over the area (mnsim roll) and solve a\n"
    "                   periodic square of SIZE (e.g. \"2 mm\") holding the real\n"
    "                   punctures, each with its own depth; --seed picks the roll\n"
    "  --accuracy A     steps chosen by the solver's error estimate to this\n"
    "                   accuracy, e.g. \"1 %\" (default: the fixed step rule)\n"
    "  --csv FILE       time series; --figure FILE uptake curves, profiles and a\n"
    "                   cross-section; existing files are replaced only with --force\n",
    run_deliver};
