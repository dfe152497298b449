/* mnsim depth --device NAME [--site SITE] [--pressure light|medium|firm|"8 N"]:
 * how deep the needles go at each site, the layer reached, bleeding and
 * whether anaesthesia is advised. */
#include "cli.h"
#include "opts.h"
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *device, *site, *figure, *pressure;
    mn_sex sex;
    int force;
} depth_opts;

static int parse_sex_opt(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                         void *dest)
{
    (void)opt;
    return cli_parse_sex(c, cmd, v, dest);
}

static int parse_args(cli_ctx *c, int argc, char **argv, depth_opts *o)
{
    memset(o, 0, sizeof *o);
    o->pressure = "light";
    const cli_opt opts[] = {
        CLI_STR("--device", &o->device),
        CLI_STR("--site", &o->site),
        CLI_STR("--figure", &o->figure),
        CLI_STR("--pressure", &o->pressure),
        CLI_CUSTOM("--sex", &o->sex, parse_sex_opt),
        CLI_FLAG("--force", &o->force),
    };
    int rc = cli_opts_parse(c, "depth", opts, sizeof opts / sizeof *opts, argc, argv,
                            NULL, 0, NULL);
    if (rc)
        return rc;
    if (!o->device)
        return cli_usage_error(c, "depth",
                               "depth needs --device NAME (see mnsim devices)");
    if (o->figure && !o->site)
        return cli_usage_error(c, "depth", "--figure draws one site: give --site too");
    if (o->figure && !mn_plot_device_for(o->figure))
        return cli_usage_error(c, "depth", "--figure must end in .png or .svg");
    return CLI_OK;
}

/* Length of the channels inside the dermis. */
static double in_dermis(const mn_skin *k, const mn_depth_result *r)
{
    return r->punctured ? mn_channel_dermis_length(k, r->depth_m) : 0;
}

static mn_jnode *result_json(mn_json *j, const mn_site *s, const mn_skin *k,
                             const mn_depth_result *r, const mn_channel_params *ch)
{
    mn_jnode *o = mn_json_object(j);
    mn_json_str(j, o, "site", s->name);
    mn_json_num(j, o, "depth_um", r->depth_m * 1e6);
    mn_json_num(j, o, "depth_sd_um", r->depth_sd_m * 1e6);
    mn_json_num(j, o, "efficiency", r->efficiency);
    mn_json_num(j, o, "width_um", r->width_m * 1e6);
    mn_json_str(j, o, "layer", mn_layer_name(r->layer));
    mn_json_bool(j, o, "punctured", r->punctured);
    mn_json_bool(j, o, "disrupted", r->disrupted);
    mn_json_num(j, o, "disruption_radius_um",
                r->disrupted ? r->disruption_radius_m * 1e6 : NAN);
    mn_json_num(j, o, "bleeding_fraction", r->bleeding_fraction);
    mn_json_bool(j, o, "bleeding_likely", r->bleeding_fraction >= 0.5);
    mn_json_num(j, o, "beyond_dermis_fraction", r->beyond_dermis_fraction);
    mn_json_bool(j, o, "beyond_dermis_warning", r->beyond_dermis);
    mn_json_bool(j, o, "anaesthesia_advised", r->anaesthesia_advised);
    mn_json_num(j, o, "skin_total_um", mn_skin_total(k) * 1e6);
    mn_json_num(j, o, "capillary_loop_depth_um", k->capillary_loop_depth_m * 1e6);
    mn_json_num(j, o, "closure_h",
                mn_channel_closure_time(ch, in_dermis(k, r), 0) / 3600);
    mn_json_num(j, o, "closure_occluded_h",
                mn_channel_closure_time(ch, in_dermis(k, r), 1) / 3600);
    return o;
}

static const char *bleeding_word(double f)
{
    return f >= 0.5 ? "likely" : f >= 0.05 ? "some" : "none";
}

static const cli_column depth_columns[] = {
    {"SITE", -12, NULL},   {"DEPTH_um", 8, NULL}, {"DEPTH/L", 7, NULL},
    {"WIDTH_um", 8, NULL}, {"LAYER", -17, NULL},  {"BLEEDING", 9, NULL},
    {"NUMBING", -7, NULL}, {"CLOSED_h", 8, NULL}, {"WARNING", -1, NULL},
};
static const cli_table table = {depth_columns,
                                sizeof depth_columns / sizeof *depth_columns};

static int run_depth(cli_ctx *c, int argc, char **argv)
{
    depth_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    mn_depth_params params;
    mn_channel_params channel;
    if (cli_load_depth_params(c, &params) || cli_load_channel_params(c, &channel))
        return CLI_FAIL;
    double force_n = 0;
    const char *plabel = "light";
    if ((rc = cli_parse_pressure(c, "depth", &params, o.pressure, &force_n, &plabel)))
        return rc;
    if (cli_check_outputs(c, &o.figure, 1, o.force))
        return CLI_FAIL;
    mn_device_list cat = {0};
    mn_site_list sites = {0};
    mn_device dev;
    mn_device_init(&dev);
    mn_error e;
    mn_error_clear(&e);
    mn_json *j = NULL;
    rc = CLI_FAIL;
    if (cli_load_devices(c, &cat) || cli_load_sites(c, &sites))
        goto done;
    if (mn_device_resolve(&cat, o.device, &dev, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    const mn_site *only = NULL;
    if (o.site && mn_site_find(&sites, o.site, &only, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    j = c->json ? mn_json_new() : NULL;
    mn_jnode *arr = j ? mn_json_array(j) : NULL;
    if (!j) {
        printf("%s (%g mm), %s pressure (%g N), %s skin\n", dev.name,
               dev.needle_length_m * 1e3, plabel, force_n,
               o.sex == MN_SEX_MALE ? "male" : "female");
        cli_table_header(&table);
    }
    for (size_t i = 0; i < sites.count; i++) {
        const mn_site *s = &sites.items[i];
        if (only && s != only)
            continue;
        mn_skin k;
        mn_depth_result r;
        if (mn_site_skin(s, o.sex, &k, &e) != MN_OK ||
            mn_depth_compute(&dev, &k, &params, force_n, &r, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
        if (j) {
            mn_json_push(j, arr, result_json(j, s, &k, &r, &channel));
        } else {
            cli_row row = {0};
            cli_cell(&row, "%s", s->name);
            cli_cell(&row, "%.0f", r.depth_m * 1e6);
            cli_cell(&row, "%.2f", r.efficiency);
            cli_cell(&row, "%.0f", r.width_m * 1e6);
            cli_cell(&row, "%s",
                     r.punctured ? mn_layer_name(r.layer) : "not punctured");
            cli_cell(&row, "%4.0f%% %-3s", r.bleeding_fraction * 100,
                     bleeding_word(r.bleeding_fraction));
            cli_cell(&row, "%s", r.anaesthesia_advised ? "advised" : "no");
            cli_cell(&row, "%.1f",
                     mn_channel_closure_time(&channel, in_dermis(&k, &r), 0) / 3600);
            cli_cell(&row, "%s",
                     r.beyond_dermis ? "channels may pass the dermis"
                     : r.disrupted   ? "no channel: disrupts the stratum corneum"
                                     : "");
            cli_table_row(&table, &row);
        }
        if (o.figure) {
            char title[256];
            snprintf(title, sizeof title, "%s at %s: %.0f um", dev.name, s->name,
                     r.depth_m * 1e6);
            if (mn_plot_depth_section(o.figure, &k, &r, dev.needle_length_m, title,
                                      o.force, &e) != MN_OK) {
                cli_error(c, &e);
                goto done;
            }
        }
    }
    if (j) {
        mn_jnode *root = mn_json_root(j);
        mn_json_str(j, root, "device", dev.name);
        mn_json_num(j, root, "needle_length_mm", dev.needle_length_m * 1e3);
        mn_json_str(j, root, "pressure", plabel);
        mn_json_num(j, root, "force_n", force_n);
        mn_json_str(j, root, "sex", o.sex == MN_SEX_MALE ? "male" : "female");
        mn_json_put(j, root, "sites", arr);
        mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
        rc = cli_print_json(c, j);
        j = NULL;
    } else {
        if (o.figure && !c->quiet)
            fprintf(stderr, "mnsim: wrote %s\n", o.figure);
        if (!c->quiet)
            printf("Model and its limits: docs/model.md (Penetration). Not medical "
                   "advice.\n");
        rc = CLI_OK;
    }
done:
    mn_json_free(j);
    mn_device_clear(&dev);
    mn_device_list_free(&cat);
    mn_site_list_free(&sites);
    return rc;
}

const cli_command cmd_depth = {
    "depth", "how deep the needles go at each site: layer, bleeding, numbing",
    "Usage: mnsim depth --device NAME|FILE [--site SITE] [--sex female|male]\n"
    "                   [--pressure light|medium|firm|\"8 N\"] [--figure "
    "FILE.png|svg]\n"
    "                   [--force] [--json]\n\n"
    "For each skin site (or one), the channel depth and its ratio to the needle\n"
    "length, the channel width at the surface, the deepest layer reached, the\n"
    "share of channels that reach the capillary loops (pinpoint bleeding),\n"
    "whether topical anaesthesia is advised, and a warning where channels may\n"
    "pass the dermis, and when the channels close without occlusion (CLOSED_h,\n"
    "the channel model of data/channels.yaml; --json has the occluded time too).\n"
    "--pressure is the total force on the device (default\n"
    "light, the seed's \"gentle pressure\"). --figure draws the skin layers at the\n"
    "site with the channel to scale. The model: docs/model.md (Penetration).\n",
    run_depth};
