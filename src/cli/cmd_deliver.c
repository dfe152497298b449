/* mnsim deliver --compound NAME (--device NAME|FILE | --intact) [...]:
 * how much of a cream crosses the skin through the channels a device
 * leaves, how fast, the time to numbness for anaesthetics, and the
 * enhancement over intact skin. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnsim/compounds.h"
#include "mnsim/deliver.h"
#include "mnsim/plot_deliver.h"

typedef struct {
    const char *compound, *device, *site, *pressure, *concentration, *dose, *time,
        *delay;
    const char *csv, *figure, *shape, *grid, *patch, *cell;
    long passes;
    unsigned long long seed;
    int intact, occluded, force;
    mn_sex sex;
} deliver_opts;

static int parse_args(cli_ctx *c, int argc, char **argv, deliver_opts *o)
{
    memset(o, 0, sizeof *o);
    o->site = "cheek";
    o->pressure = "light";
    o->time = "1 h";
    o->passes = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--compound")        ? &o->compound
                            : !strcmp(a, "--device")        ? &o->device
                            : !strcmp(a, "--site")          ? &o->site
                            : !strcmp(a, "--pressure")      ? &o->pressure
                            : !strcmp(a, "--concentration") ? &o->concentration
                            : !strcmp(a, "--dose")          ? &o->dose
                            : !strcmp(a, "--time")          ? &o->time
                            : !strcmp(a, "--delay")         ? &o->delay
                            : !strcmp(a, "--csv")           ? &o->csv
                            : !strcmp(a, "--figure")        ? &o->figure
                            : !strcmp(a, "--shape")         ? &o->shape
                            : !strcmp(a, "--grid")          ? &o->grid
                            : !strcmp(a, "--patch")         ? &o->patch
                            : !strcmp(a, "--cell")          ? &o->cell
                                                            : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return cli_usage_error(c, "deliver", "%s needs a value", a);
            *slot = argv[++i];
        } else if (!strcmp(a, "--passes")) {
            if (i + 1 >= argc)
                return cli_usage_error(c, "deliver", "--passes needs a number");
            char *end;
            o->passes = strtol(argv[++i], &end, 10);
            if (*end || o->passes < 1 || o->passes > 400)
                return cli_usage_error(c, "deliver",
                                       "--passes must be a whole number 1-400");
        } else if (!strcmp(a, "--seed")) {
            if (i + 1 >= argc)
                return cli_usage_error(c, "deliver", "--seed needs a number");
            char *end;
            o->seed = strtoull(argv[++i], &end, 10);
            if (*end || !argv[i][0])
                return cli_usage_error(c, "deliver", "--seed must be a whole number");
        } else if (!strcmp(a, "--sex")) {
            if (i + 1 >= argc)
                return cli_usage_error(c, "deliver", "--sex needs female or male");
            if (cli_parse_sex(c, "deliver", argv[++i], &o->sex))
                return CLI_USAGE;
        } else if (!strcmp(a, "--intact")) {
            o->intact = 1;
        } else if (!strcmp(a, "--occluded")) {
            o->occluded = 1;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else {
            return cli_usage_error(c, "deliver", "unknown argument '%s'", a);
        }
    }
    if (!o->compound)
        return cli_usage_error(
            c, "deliver", "deliver needs --compound NAME (lidocaine, caffeine, ...)");
    if (!o->device && !o->intact)
        return cli_usage_error(c, "deliver",
                               "give --device NAME (see mnsim devices) or --intact");
    if (o->device && o->intact)
        return cli_usage_error(c, "deliver",
                               "--device and --intact exclude each other");
    if (o->patch && o->intact)
        return cli_usage_error(c, "deliver", "--patch needs a device, not --intact");
    if (o->figure && !mn_plot_device_for(o->figure))
        return cli_usage_error(c, "deliver", "--figure must end in .png or .svg");
    if (o->cell && strcmp(o->cell, "square") && strcmp(o->cell, "radial"))
        return cli_usage_error(c, "deliver", "--cell must be square or radial");
    if (o->cell && o->patch)
        return cli_usage_error(c, "deliver",
                               "--cell is for the unit cell, not --patch");
    if (o->shape && strcmp(o->shape, "cone") && strcmp(o->shape, "cylinder"))
        return cli_usage_error(c, "deliver", "--shape must be cone or cylinder");
    if (o->grid && strcmp(o->grid, "coarse") && strcmp(o->grid, "medium") &&
        strcmp(o->grid, "fine"))
        return cli_usage_error(c, "deliver", "--grid must be coarse, medium or fine");
    return CLI_OK;
}

static int parse_time(cli_ctx *c, const char *opt, const char *text, double lo,
                      double hi, double *out)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(text, MN_UNIT_TIME, out, &e) != MN_OK)
        return cli_usage_error(c, "deliver", "%s: %s", opt, e.message);
    if (!(*out >= lo && *out <= hi))
        return cli_usage_error(c, "deliver", "%s must be between %g min and %g h", opt,
                               lo / 60, hi / 3600);
    return CLI_OK;
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

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

#define UG_CM2 1e5
#define MIN 60.0

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
    put_series(j, o, "depth_um", r->z_m, r->nz, 1e6);
    put_series(j, o, "profile_end_mg_ml", r->profiles + (n - 1) * r->nz, r->nz, 1);
    mn_json_num(j, o, "steps", (double)r->steps);
    mn_json_num(j, o, "mass_balance_error", r->mass_error_max);
    return o;
}

static void fmt_minutes(double s, double t_end, char *buf, size_t n)
{
    if (isnan(s))
        snprintf(buf, n, "> %.0f", t_end / MIN);
    else
        snprintf(buf, n, "%.1f", s / MIN);
}

static int run_deliver(cli_ctx *c, int argc, char **argv)
{
    deliver_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    double t_end, delay = 0, patch_m = 0;
    if ((rc = parse_time(c, "--time", o.time, 60, 7 * 86400, &t_end)))
        return rc;
    if (o.delay && (rc = parse_time(c, "--delay", o.delay, 0, 30 * 86400, &delay)))
        return rc;
    if (o.patch) {
        mn_error pe;
        mn_error_clear(&pe);
        if (mn_units_parse(o.patch, MN_UNIT_LENGTH, &patch_m, &pe) != MN_OK)
            return cli_usage_error(c, "deliver", "--patch: %s", pe.message);
        if (!(patch_m >= 0.2e-3 && patch_m <= 20e-3))
            return cli_usage_error(c, "deliver", "--patch must be 0.2-20 mm");
    }
    if (!o.force) {
        const char *outs[2] = {o.csv, o.figure};
        for (int i = 0; i < 2; i++)
            if (outs[i] && exists(outs[i])) {
                cli_errorf(c, "%s exists; use --force to overwrite it", outs[i]);
                return CLI_FAIL;
            }
    }
    char path[4200];
    mn_error e;
    mn_error_clear(&e);
    mn_compound_catalog cat;
    memset(&cat, 0, sizeof cat);
    mn_device_list devs = {0};
    mn_site_list sites = {0};
    mn_device dev;
    mn_device_init(&dev);
    mn_deliver_result res;
    memset(&res, 0, sizeof res);
    mn_json *j = NULL;
    rc = CLI_FAIL;
    if (cli_data_file(c, "compounds.yaml", path, sizeof path))
        goto done;
    {
        mn_diags d = {0};
        if (mn_compounds_load(path, &cat, &d, &e) != MN_OK) {
            cli_errorf(c, "the compounds catalog is damaged:");
            char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
            for (size_t i = 0; i < d.count; i++)
                fprintf(stderr, "%s: %s\n", mn_severity_name(d.severity[i]),
                        mn_error_format(&d.items[i], buf, sizeof buf));
            mn_diags_free(&d);
            goto done;
        }
        mn_diags_free(&d);
    }
    const mn_compound *cp;
    if (mn_compound_find(&cat, o.compound, &cp, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    mn_deliver_spec spec;
    mn_deliver_spec_default(&spec);
    spec.catalog = &cat;
    spec.compound = cp;
    spec.t_end_s = t_end;
    spec.delay_s = delay;
    spec.occluded = o.occluded;
    spec.intact = o.intact;
    spec.channel_shape =
        o.shape && !strcmp(o.shape, "cylinder") ? MN_CHANNEL_CYLINDER : MN_CHANNEL_CONE;
    spec.radial = o.cell && !strcmp(o.cell, "radial");
    spec.grid = !o.grid                     ? MN_GRID_MEDIUM
                : !strcmp(o.grid, "coarse") ? MN_GRID_COARSE
                : !strcmp(o.grid, "fine")   ? MN_GRID_FINE
                                            : MN_GRID_MEDIUM;
    if (o.concentration) {
        if (mn_qty_parse(o.concentration, MN_QTY_CONCENTRATION,
                         cp->solute.molar_mass_kg_mol, &spec.concentration_kg_m3,
                         &e) != MN_OK) {
            rc = cli_usage_error(c, "deliver", "--concentration: %s", e.message);
            goto done;
        }
        if (!(spec.concentration_kg_m3 > 0 && spec.concentration_kg_m3 <= 1000)) {
            rc = cli_usage_error(c, "deliver",
                                 "--concentration must be > 0 and at most 100 %%");
            goto done;
        }
    }
    if (o.dose) {
        if (!strcmp(o.dose, "infinite")) {
            spec.dose_kg_m2 = INFINITY;
        } else if (mn_qty_parse(o.dose, MN_QTY_DOSE, 0, &spec.dose_kg_m2, &e) !=
                   MN_OK) {
            rc = cli_usage_error(c, "deliver", "--dose: %s (or 'infinite')", e.message);
            goto done;
        } else if (!(spec.dose_kg_m2 >= 1e-4 && spec.dose_kg_m2 <= 100)) {
            rc = cli_usage_error(c, "deliver", "--dose must be 0.01-10000 mg/cm^2");
            goto done;
        }
    }
    if (cli_load_sites(c, &sites))
        goto done;
    const mn_site *site;
    if (mn_site_find(&sites, o.site, &site, &e) != MN_OK ||
        mn_site_skin(site, o.sex, &spec.skin, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    double force_n = 0, density = 0;
    const char *plabel = "light";
    long passes = 0;
    mn_depth_result dr;
    memset(&dr, 0, sizeof dr);
    if (!o.intact) {
        mn_depth_params dp;
        if (cli_load_depth_params(c, &dp))
            goto done;
        if ((rc = cli_parse_pressure(c, "deliver", &dp, o.pressure, &force_n, &plabel)))
            goto done;
        rc = CLI_FAIL;
        if (cli_load_devices(c, &devs))
            goto done;
        if (mn_device_resolve(&devs, o.device, &dev, &e) != MN_OK ||
            mn_depth_compute(&dev, &spec.skin, &dp, force_n, &dr, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
        if (!dr.punctured || !(dr.depth_m > 0)) {
            cli_errorf(c,
                       "%s makes no channels at %s pressure (%g N): compare with "
                       "--intact, or press harder",
                       dev.name, plabel, force_n);
            goto done;
        }
        /* Fernandes 2005 / Doddaballapur 2009: ~15 passes of a roller give
         * ~250 punctures/cm^2 (literature.md); stamps and pens: one. */
        passes = o.passes > 0 ? o.passes : dev.type == MN_DEVICE_ROLLER ? 15 : 1;
        density = mn_device_density_per_pass(&dev) * (double)passes;
        spec.channel_depth_m = dr.depth_m;
        spec.channel_radius_m = 0.5 * dr.width_m;
        spec.density_per_m2 = density;
        if (patch_m > 0) {
            spec.patch_m = patch_m;
            spec.device = &dev;
            spec.passes = (int)passes;
            spec.depth_sd_m = dr.depth_sd_m;
            spec.seed = o.seed ? o.seed : 1;
        }
    }
    progress_state ps = {c, -1};
    mn_progress prog = {show_progress, &ps};
    int bar = c->stderr_tty && !c->quiet && !c->json;
    if (mn_deliver_run(&spec, bar ? &prog : NULL, &res, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    const mn_transport_result *w = res.has_channels ? &res.with : &res.intact;
    const mn_transport_result *in = &res.intact;
    size_t last = w->n - 1;
    if (o.csv && mn_deliver_write_csv(o.csv, &res, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    if (o.figure) {
        char title[256];
        if (o.intact)
            snprintf(title, sizeof title, "%s on intact %s skin", cp->name, o.site);
        else
            snprintf(title, sizeof title, "%s after %s (%ld passes), %s", cp->name,
                     dev.name, passes, o.site);
        if (mn_plot_deliver(o.figure, &res, &spec.skin, spec.channel_depth_m,
                            spec.channel_radius_m, spec.channel_shape, title,
                            &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
    }
    int anaesthetic = isfinite(res.threshold_kg_m3);
    if (c->json) {
        j = mn_json_new();
        if (!j)
            goto done;
        mn_jnode *root = mn_json_root(j);
        mn_json_str(j, root, "compound", cp->name);
        mn_json_str(j, root, "use", mn_compound_use_name(cp->use));
        mn_json_num(j, root, "concentration_mg_ml", res.concentration_kg_m3);
        mn_json_num(j, root, "dose_mg_cm2",
                    isinf(res.dose_kg_m2) ? NAN : res.dose_kg_m2 * 100);
        mn_json_bool(j, root, "infinite_dose", isinf(res.dose_kg_m2));
        mn_json_num(j, root, "film_um", res.film_thickness_m * 1e6);
        mn_json_str(j, root, "site", o.site);
        mn_json_str(j, root, "sex", o.sex == MN_SEX_MALE ? "male" : "female");
        mn_json_num(j, root, "time_min", t_end / MIN);
        mn_json_bool(j, root, "occluded", o.occluded);
        mn_json_bool(j, root, "intact", o.intact);
        if (!o.intact) {
            mn_jnode *d = mn_json_object(j);
            mn_json_str(j, d, "name", dev.name);
            mn_json_num(j, d, "needle_length_mm", dev.needle_length_m * 1e3);
            mn_json_str(j, d, "pressure", plabel);
            mn_json_num(j, d, "force_n", force_n);
            mn_json_int(j, d, "passes", passes);
            mn_json_num(j, d, "channels_per_cm2", density * 1e-4);
            mn_json_num(j, d, "channel_depth_um", dr.depth_m * 1e6);
            mn_json_num(j, d, "channel_width_um", dr.width_m * 1e6);
            mn_json_str(j, d, "channel_shape",
                        spec.channel_shape == MN_CHANNEL_CYLINDER ? "cylinder"
                                                                  : "cone");
            mn_json_num(j, d, "cell_um", res.cell_m * 1e6);
            mn_json_bool(j, d, "rolled_patch", patch_m > 0);
            mn_json_int(j, d, "channels_in_cell", (long long)res.n_channels);
            if (patch_m > 0)
                mn_json_int(j, d, "seed", (long long)spec.seed);
            mn_json_num(j, d, "closure_half_life_h", res.closure_half_life_s / 3600);
            mn_json_num(j, d, "delay_min", delay / MIN);
            mn_json_num(j, d, "open_fraction_end", res.with.channels_open_end);
            mn_json_put(j, root, "device", d);
        }
        mn_jnode *s = mn_json_object(j);
        mn_json_num(j, s, "time_to_numbness_min", res.time_to_numb_s / MIN);
        mn_json_num(j, s, "time_to_numbness_intact_min",
                    res.time_to_numb_intact_s / MIN);
        mn_json_num(j, s, "numbing_threshold_mg_ml", res.threshold_kg_m3);
        mn_json_num(j, s, "nerve_depth_um", res.probe_depth_m * 1e6);
        mn_json_num(j, s, "delivered_ug_cm2", res.delivered_kg_m2 * UG_CM2);
        mn_json_num(j, s, "delivered_intact_ug_cm2",
                    res.delivered_intact_kg_m2 * UG_CM2);
        mn_json_num(j, s, "enhancement_ratio", res.enhancement);
        mn_json_num(j, s, "flux_enhancement_ratio", res.flux_enhancement);
        mn_json_num(j, s, "permeated_dermis_ug_cm2", w->permeated[last] * UG_CM2);
        mn_json_num(j, s, "cleared_ug_cm2", w->cleared[last] * UG_CM2);
        mn_json_num(j, s, "vehicle_left_ug_cm2", w->vehicle[last] * UG_CM2);
        mn_json_num(j, s, "mass_balance_error", res.mass_error);
        mn_json_put(j, root, "summary", s);
        mn_jnode *g = mn_json_object(j);
        mn_json_str(j, g, "level", mn_grid_level_name(spec.grid));
        mn_json_str(j, g, "cell",
                    spec.patch_m > 0 ? "patch"
                    : spec.radial    ? "radial"
                                     : "square");
        mn_json_int(j, g, "nx", (long long)(res.has_channels ? res.nx : 1));
        mn_json_int(j, g, "ny", (long long)(res.has_channels ? res.ny : 1));
        mn_json_int(j, g, "nz", (long long)(res.has_channels ? res.nz : in->nz));
        mn_json_int(j, g, "cg_iterations", res.iterations);
        mn_json_num(j, g, "seconds", res.seconds);
        mn_json_put(j, root, "grid", g);
        if (res.has_channels)
            mn_json_put(j, root, "with_channels", run_json(j, &res.with));
        mn_json_put(j, root, "intact_skin", run_json(j, in));
        mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
        rc = cli_print_json(c, j);
        j = NULL;
        goto done;
    }
    /* Text summary. */
    char film[64];
    if (isinf(res.dose_kg_m2))
        snprintf(film, sizeof film, "infinite dose");
    else
        snprintf(film, sizeof film, "%g mg/cm^2 (film %.0f um)", res.dose_kg_m2 * 100,
                 res.film_thickness_m * 1e6);
    printf("%s %g mg/mL, %s, %s (%s), %g min, %s\n", cp->name, res.concentration_kg_m3,
           film, o.site, o.sex == MN_SEX_MALE ? "male" : "female", t_end / MIN,
           o.occluded ? "occluded" : "not occluded");
    if (!o.intact)
        printf(
            "channels: %s, %s pressure (%g N), %ld pass%s: %.0f /cm^2, %.0f um deep, "
            "%.0f um wide (%s), closure half-life %.1f h\n",
            dev.name, plabel, force_n, passes, passes == 1 ? "" : "es", density * 1e-4,
            dr.depth_m * 1e6, dr.width_m * 1e6,
            spec.channel_shape == MN_CHANNEL_CYLINDER ? "cylinder" : "cone",
            res.closure_half_life_s / 3600);
    if (patch_m > 0)
        printf("rolled patch: %g mm square, %zu channels (seed %llu)\n", patch_m * 1e3,
               res.n_channels, (unsigned long long)spec.seed);
    printf("%-38s %12s %12s\n", "", o.intact ? "" : "CHANNELS", "INTACT");
    char a[32], b[32];
    if (anaesthetic) {
        fmt_minutes(res.time_to_numb_s, t_end, a, sizeof a);
        fmt_minutes(res.time_to_numb_intact_s, t_end, b, sizeof b);
        printf("%-38s %12s %12s\n", "time to numbness (min)", o.intact ? "" : a, b);
    }
    if (o.intact)
        printf("%-38s %12s %12.4g\n", "delivered past the SC (ug/cm2)", "",
               res.delivered_intact_kg_m2 * UG_CM2);
    else
        printf("%-38s %12.4g %12.4g\n", "delivered past the SC (ug/cm2)",
               res.delivered_kg_m2 * UG_CM2, res.delivered_intact_kg_m2 * UG_CM2);
    const mn_transport_result *runs[2] = {o.intact ? NULL : &res.with, in};
    static const char *const rows[] = {
        "in the stratum corneum (ug/cm2)", "in the viable epidermis (ug/cm2)",
        "in the dermis (ug/cm2)", "taken up by the blood (ug/cm2)",
        "mean flux into the dermis (ug/cm2/h)"};
    for (int q = 0; q < 5; q++) {
        double v[2];
        for (int u = 0; u < 2; u++) {
            const mn_transport_result *rr = runs[u];
            if (!rr) {
                v[u] = NAN;
                continue;
            }
            size_t lm = rr->n - 1;
            v[u] = q == 0   ? rr->layer[0][lm]
                   : q == 1 ? rr->layer[1][lm]
                   : q == 2 ? rr->layer[2][lm] + rr->layer[3][lm]
                   : q == 3 ? rr->cleared[lm] + rr->sink[lm]
                            : rr->permeated[lm] / rr->t_s[lm] * 3600;
            v[u] *= UG_CM2;
        }
        if (o.intact)
            printf("%-38s %12s %12.4g\n", rows[q], "", v[1]);
        else
            printf("%-38s %12.4g %12.4g\n", rows[q], v[0], v[1]);
    }
    if (!o.intact)
        printf("enhancement by the channels: %.3g x delivered, %.3g x flux into the "
               "dermis\n",
               res.enhancement, res.flux_enhancement);
    if (anaesthetic)
        printf("numbness: %.2g mg/mL (%s) reached by %.0f%% of the nerve endings %.0f "
               "um deep\n",
               res.threshold_kg_m3, "C-fibre block", 100 * cat.numb_area_fraction,
               res.probe_depth_m * 1e6);
    if (!c->quiet) {
        printf("grid %s: %zu x %zu x %zu cells, mass balance error %.1e, %.1f s\n",
               mn_grid_level_name(spec.grid), res.has_channels ? res.nx : (size_t)1,
               res.has_channels ? res.ny : (size_t)1,
               res.has_channels ? res.nz : in->nz, res.mass_error, res.seconds);
        if (o.csv)
            fprintf(stderr, "mnsim: wrote %s\n", o.csv);
        if (o.figure)
            fprintf(stderr, "mnsim: wrote %s\n", o.figure);
        printf(
            "Model and its limits: docs/model.md (Transport through the channels). Not "
            "medical advice.\n");
    }
    rc = CLI_OK;
done:
    mn_json_free(j);
    mn_deliver_result_free(&res);
    mn_device_clear(&dev);
    mn_device_list_free(&devs);
    mn_site_list_free(&sites);
    mn_compound_catalog_free(&cat);
    return rc;
}

const cli_command cmd_deliver = {
    "deliver",
    "what a cream delivers through the channels: uptake, numbness, enhancement",
    "Usage: mnsim deliver --compound NAME (--device NAME|FILE | --intact)\n"
    "                     [--concentration C] [--dose D|infinite] [--site SITE]\n"
    "                     [--sex female|male] [--pressure light|medium|firm|\"8 N\"]\n"
    "                     [--passes N] [--occluded] [--time T] [--delay T]\n"
    "                     [--shape cone|cylinder] [--grid coarse|medium|fine]\n"
    "                     [--cell square|radial]\n"
    "                     [--patch SIZE [--seed N]]\n"
    "                     [--csv FILE] [--figure FILE.png|svg] [--force] [--json]\n\n"
    "Diffusion of a compound from a cream (or solution) through the skin and\n"
    "the channels a device leaves, by a 3-D transport model (docs/model.md,\n"
    "Transport through the channels), compared with intact skin for the same\n"
    "dose and time: amounts in each layer and taken up by the blood, flux into\n"
    "the dermis, enhancement by the channels and, for anaesthetics, the time to\n"
    "numbness. Compounds: data/compounds.yaml (lidocaine, caffeine,\n"
    "ascorbic-acid, niacinamide, palmitoyl-pentapeptide, hyaluronic-acid,\n"
    "minoxidil).\n\n"
    "  --concentration  e.g. \"4 %\", \"40 mg/mL\", \"10 mM\" (default: typical "
    "product)\n"
    "  --dose           amount per area, e.g. \"2 mg/cm^2\", or infinite\n"
    "  --site           skin site (default cheek; see mnsim sites)\n"
    "  --pressure       force on the device (default light, 5 N)\n"
    "  --passes         passes over the area (default: roller 15, stamp/pen 1)\n"
    "  --occluded       covered after application: channels stay open longer\n"
    "  --time           how long (default 1 h); --delay: time between\n"
    "                   needling and applying the cream (channels already closing)\n"
    "  --grid           resolution: coarse, medium (default) or fine\n"
    "  --cell           the unit cell around one channel: square (default; a 3-D\n"
    "                   quarter with mirror sides) or radial (the disc of the same\n"
    "                   area, axisymmetric: 2-D and ~20x faster; what mnsim run uses)\n"
    "  --patch SIZE     roll the device over the area (mnsim roll) and solve a\n"
    "                   periodic square of SIZE (e.g. \"2 mm\") holding the real\n"
    "                   punctures, each with its own depth; --seed picks the roll\n"
    "  --csv FILE       time series; --figure FILE uptake curves, profiles and a\n"
    "                   cross-section; existing files are replaced only with --force\n",
    run_deliver};
