/* mnsim sites [NAME] [--sex female|male]: the skin site atlas. */
#include "cli.h"
#include "opts.h"
#include "table.h"

#include <stdlib.h>
#include <string.h>

static const char *const region_names[] = {"face", "scalp", "body"};

static int parse_args(cli_ctx *c, int argc, char **argv, const char **name, mn_sex *sex)
{
    const cli_opt opts[] = {CLI_SEX("--sex", sex)};
    const char **pos;
    size_t n;
    int rc = cli_opts_parse_all(c, "sites", opts, 1, argc, argv, &pos, &n);
    *name = n ? pos[0] : NULL;
    free(pos);
    if (rc == CLI_OK && n > 1)
        return cli_usage_error(c, "sites", "sites takes at most one NAME");
    return rc;
}

/* One site with every layer and its source. */
static void show_site(const mn_site *s, const mn_skin *k, mn_sex sex)
{
    static const char *names[] = {"stratum corneum", "viable epidermis",
                                  "papillary dermis", "reticular dermis"};
    static const char *keys[] = {"stratum_corneum", "viable_epidermis",
                                 "papillary_dermis", "reticular_dermis"};
    printf("%s: %s (%s)\n", s->name, s->label ? s->label : "",
           sex == MN_SEX_MALE ? "male" : "female");
    for (int l = 0; l < MN_LAYER_SUBCUTIS; l++) {
        const char *src = mn_strmap_get(&s->sources, keys[l]);
        printf("  %-22s %8.0f um   %s\n", names[l], k->thickness_m[l] * 1e6,
               src ? src : "");
    }
    printf("  %-22s %8.0f um\n", "epidermis + dermis", mn_skin_total(k) * 1e6);
    const char *src = mn_strmap_get(&s->sources, "capillary_loop_depth");
    printf("  %-22s %8.0f um   %s\n", "capillary loops at",
           k->capillary_loop_depth_m * 1e6, src ? src : "");
    src = mn_strmap_get(&s->sources, "youngs_modulus");
    printf("  %-22s %8.0f kPa  %s\n", "Young's modulus", k->youngs_modulus_pa * 1e-3,
           src ? src : "");
    if (s->notes)
        printf("  notes: %s\n", s->notes);
}

static const cli_column list_columns[] = {
    {"NAME", -12, NULL}, {"REGION", -6, NULL}, {"SC_um", 6, NULL},
    {"VE_um", 6, NULL},  {"PD_um", 6, NULL},   {"RD_mm", 7, NULL},
    {"TOT_mm", 7, NULL}, {"CAP_um", 9, NULL},  {"LABEL", -1, "  "},
};
static const cli_table list_table = {list_columns, 9};

static void list_row(const mn_site *s, const mn_skin *k)
{
    cli_row row = {0};
    cli_cell(&row, "%s", s->name);
    cli_cell(&row, "%s", region_names[s->region]);
    cli_cell(&row, "%.0f", k->thickness_m[0] * 1e6);
    cli_cell(&row, "%.0f", k->thickness_m[1] * 1e6);
    cli_cell(&row, "%.0f", k->thickness_m[2] * 1e6);
    cli_cell(&row, "%.2f", k->thickness_m[3] * 1e3);
    cli_cell(&row, "%.2f", mn_skin_total(k) * 1e3);
    cli_cell(&row, "%.0f", k->capillary_loop_depth_m * 1e6);
    cli_table_row_last(&list_table, &row, s->label ? s->label : "");
}

static int run_sites(cli_ctx *c, int argc, char **argv)
{
    const char *name = NULL;
    mn_sex sex = MN_SEX_FEMALE;
    int rc = parse_args(c, argc, argv, &name, &sex);
    if (rc)
        return rc;
    mn_site_list sites = {0};
    if (cli_load_sites(c, &sites))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    mn_json *j = c->json ? mn_json_new() : NULL;
    mn_jnode *arr = j ? mn_json_array(j) : NULL;
    if (!j && !name)
        cli_table_header(&list_table);
    for (size_t i = 0; i < sites.count; i++) {
        const mn_site *s = &sites.items[i];
        if (name && strcmp(s->name, name))
            continue;
        mn_skin k;
        if (mn_site_skin(s, sex, &k, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
            break;
        }
        if (j)
            mn_json_push(j, arr, mn_site_json(j, s, &k, sex));
        else if (name)
            show_site(s, &k, sex);
        else
            list_row(s, &k);
    }
    if (rc == CLI_OK && name) {
        const mn_site *found;
        if (mn_site_find(&sites, name, &found, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        }
    }
    if (j) {
        if (rc == CLI_OK) {
            mn_json_put(j, mn_json_root(j), "sites", arr);
            rc = cli_print_json(c, j);
        } else {
            mn_json_free(j);
        }
    }
    mn_site_list_free(&sites);
    return rc;
}

const cli_command cmd_sites = {
    "sites", "list the skin site atlas, or show one site with its sources",
    "Usage: mnsim sites [NAME] [--sex female|male] [--json]\n\n"
    "Layer thicknesses (stratum corneum, viable epidermis, papillary and\n"
    "reticular dermis), depth of the capillary loops and skin modulus per\n"
    "site, for a sex (default female), each with its published source.\n",
    run_sites};
