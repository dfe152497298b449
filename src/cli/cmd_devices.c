/* mnsim devices [NAME|FILE]: list the device catalog or show one device. */
#include "cli.h"
#include "opts.h"
#include "table.h"

#include "mnsim/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void line(const char *k, const char *fmt, double v, const char *unit)
{
    if (isnan(v))
        return;
    printf("  %-24s ", k);
    printf(fmt, v);
    printf(" %s\n", unit);
}

static void show_device(const mn_device *d)
{
    printf("%s: %s\n", d->name, d->label ? d->label : "");
    printf("  %-24s %s\n", "type", mn_device_type_name(d->type));
    printf("  %-24s %s\n", "setting",
           d->setting == MN_SETTING_HOME ? "home" : "clinic");
    if (d->material)
        printf("  %-24s %s\n", "material", d->material);
    printf("  %-24s %ld\n", "needles", mn_device_needle_count(d));
    line("needle length", "%g", d->needle_length_m * 1e3, "mm");
    line("needle base diameter", "%g", d->needle_base_diameter_m * 1e3, "mm");
    line("tip radius", "%g", d->tip_radius_m * 1e6, "um");
    if (d->type == MN_DEVICE_ROLLER) {
        line("drum diameter", "%g", d->drum_diameter_m * 1e3, "mm");
        line("drum width", "%g", d->drum_width_m * 1e3, "mm");
        printf("  %-24s %ld x %ld\n", "rings x needles/ring", d->rings,
               d->needles_per_ring);
        line("tilt", "%g", d->tilt_rad * 180 / MN_PI, "deg");
    } else if (d->type == MN_DEVICE_STAMP) {
        printf("  %-24s %ld x %ld\n", "rows x columns", d->rows, d->columns);
        line("pitch", "%g", d->pitch_m * 1e3, "mm");
    } else {
        printf("  %-24s %ld (%s)\n", "needle count", d->needle_count,
               d->layout == MN_LAYOUT_CIRCLE ? "circle" : "grid");
        line("pitch", "%g", d->pitch_m * 1e3, "mm");
        line("cartridge diameter", "%g", d->cartridge_diameter_m * 1e3, "mm");
        line("stroke frequency", "%g", d->stroke_frequency_hz, "Hz");
        line("depth min", "%g", d->depth_min_m * 1e3, "mm");
        line("depth max", "%g", d->depth_max_m * 1e3, "mm");
    }
    line(d->type == MN_DEVICE_ROLLER ? "punctures per pass"
                                     : "punctures per stamp area",
         "%.1f", mn_device_density_per_pass(d) * 1e-4, "/cm2");
    printf("  %-24s %s\n", "source", d->source);
    for (size_t i = 0; i < d->typical.count; i++)
        printf("  %-24s %s\n", i ? "" : "typical values", d->typical.items[i]);
    if (d->notes)
        printf("  %-24s %s\n", "notes", d->notes);
}

static int parse_args(cli_ctx *c, int argc, char **argv, const char **name)
{
    const char **pos;
    size_t n;
    int rc = cli_opts_parse_all(c, "devices", NULL, 0, argc, argv, &pos, &n);
    *name = n ? pos[0] : NULL;
    free(pos);
    if (rc == CLI_OK && n > 1)
        return cli_usage_error(c, "devices", "devices takes at most one NAME");
    return rc;
}

static const cli_column list_columns[] = {
    {"NAME", -22, NULL}, {"TYPE", -7, NULL},    {"NEEDLES", 7, NULL},
    {"LENGTH", 9, NULL}, {"SETTING", -7, NULL}, {"LABEL", -1, NULL},
};

static void list_devices(const mn_device_list *cat)
{
    const cli_table table = {list_columns, 6};
    cli_table_header(&table);
    cli_row row = {0};
    for (size_t i = 0; i < cat->count; i++) {
        const mn_device *d = &cat->items[i];
        cli_cell(&row, "%s", d->name);
        cli_cell(&row, "%s", mn_device_type_name(d->type));
        cli_cell(&row, "%ld", mn_device_needle_count(d));
        if (d->type == MN_DEVICE_PEN) /* a pen's needles reach as deep as it is set */
            cli_cell(&row, "%g-%g mm", d->depth_min_m * 1e3, d->depth_max_m * 1e3);
        else
            cli_cell(&row, "%g mm", d->needle_length_m * 1e3);
        cli_cell(&row, "%s", d->setting == MN_SETTING_HOME ? "home" : "clinic");
        cli_table_row_last(&table, &row, d->label ? d->label : "");
    }
}

static int run_devices(cli_ctx *c, int argc, char **argv)
{
    const char *name;
    int rc = parse_args(c, argc, argv, &name);
    if (rc)
        return rc;
    mn_device_list cat = {0};
    if (cli_load_devices(c, &cat))
        return CLI_FAIL;
    if (name) {
        mn_device d;
        mn_error e;
        mn_error_clear(&e);
        if (mn_device_resolve(&cat, name, &d, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        } else if (c->json) {
            mn_json *j = mn_json_new();
            mn_json_put(j, mn_json_root(j), "device", mn_device_json(j, &d));
            rc = cli_print_json(c, j);
        } else {
            show_device(&d);
        }
        mn_device_clear(&d);
    } else if (c->json) {
        mn_json *j = mn_json_new();
        mn_jnode *arr = mn_json_array(j);
        for (size_t i = 0; i < cat.count; i++)
            mn_json_push(j, arr, mn_device_json(j, &cat.items[i]));
        mn_json_put(j, mn_json_root(j), "devices", arr);
        rc = cli_print_json(c, j);
    } else {
        list_devices(&cat);
    }
    mn_device_list_free(&cat);
    return rc;
}

const cli_command cmd_devices = {
    "devices", "list the device catalog, or show one device",
    "Usage: mnsim devices [NAME|FILE] [--json]\n\n"
    "Without NAME: list the catalog (rollers, stamps, pens).\n"
    "With NAME: show every value of one device and its source. A device file\n"
    "(YAML with kind: device) is accepted wherever a catalog name is.\n",
    run_devices};
