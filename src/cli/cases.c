/* Loading the cases and the models' parameters for validate and fit
 * (cases.h). */
#include "cases.h"

#include <stdlib.h>
#include <string.h>

#include "mnsim/channels_io.h"
#include "mnsim/compounds.h"
#include "mnsim/healing_io.h"
#include "mnsim/validation_io.h"

void cli_cases_free(cli_cases *v)
{
    free(v->all.items);
    mn_device_list_free(&v->catalog);
    mn_device_list_free(&v->study);
    mn_site_list_free(&v->sites);
    mn_heal_data_clear(&v->healing);
    mn_compound_catalog_free(&v->compounds);
    mn_vcase_list_free(&v->cases);
    memset(v, 0, sizeof *v);
}

static mn_status load_cases(const char *path, cli_cases *v, mn_diags *d, mn_error *e)
{
    size_t n = strlen(path);
    if (n > 5 && !strcmp(path + n - 5, ".yaml"))
        return mn_validation_load(path, &v->cases, d, e);
    return mn_validation_load_dir(path, &v->cases, &v->study, d, e);
}

/* The catalog and the studies' devices as one list (shallow copies). */
static int merge_devices(cli_ctx *c, cli_cases *v)
{
    size_t n = v->catalog.count + v->study.count;
    if (!(v->all.items = malloc((n ? n : 1) * sizeof *v->all.items))) {
        cli_errorf(c, "out of memory");
        return CLI_FAIL;
    }
    /* (memcpy from NULL is undefined even for 0 bytes: a folder of cases
     * may have no devices.yaml) */
    if (v->catalog.count)
        memcpy(v->all.items, v->catalog.items, v->catalog.count * sizeof *v->all.items);
    if (v->study.count)
        memcpy(v->all.items + v->catalog.count, v->study.items,
               v->study.count * sizeof *v->all.items);
    v->all.count = n;
    return CLI_OK;
}

int cli_cases_load(cli_ctx *c, const char *cases_path, const char *healing_path,
                   cli_cases *v)
{
    memset(v, 0, sizeof *v);
    char path[4200];
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    int rc = CLI_FAIL;
    if (cli_load_devices(c, &v->catalog) || cli_load_sites(c, &v->sites) ||
        cli_load_depth_params(c, &v->depth))
        goto done;
    if (healing_path)
        snprintf(path, sizeof path, "%s", healing_path);
    else if (cli_data_file(c, "healing.yaml", path, sizeof path))
        goto done;
    if (mn_heal_data_load(path, &v->healing, &d, &e) != MN_OK) {
        cli_fail_diags(c, &d, &e);
        goto done;
    }
    if (cli_data_file(c, "channels.yaml", path, sizeof path))
        goto done;
    if (mn_channel_params_load(path, &v->channel, &d, &e) != MN_OK) {
        cli_fail_diags(c, &d, &e);
        goto done;
    }
    if (cases_path)
        snprintf(path, sizeof path, "%s", cases_path);
    else if (cli_data_file(c, "validation", path, sizeof path))
        goto done;
    if (load_cases(path, v, &d, &e) != MN_OK) {
        cli_fail_diags(c, &d, &e);
        goto done;
    }
    if (merge_devices(c, v))
        goto done;
    if (cli_data_file(c, "compounds.yaml", path, sizeof path))
        goto done;
    if (mn_compounds_load(path, &v->compounds, &d, &e) != MN_OK) {
        cli_fail_diags(c, &d, &e);
        goto done;
    }
    mn_validation_env env = {.devices = &v->all,
                             .sites = &v->sites,
                             .depth = &v->depth,
                             .healing = &v->healing.population,
                             .channel = &v->channel,
                             .compounds = &v->compounds,
                             .n_people = 0,
                             .seed = 1};
    v->env = env;
    rc = CLI_OK;
done:
    mn_diags_free(&d);
    return rc;
}

int cli_cases_filter(cli_ctx *c, cli_cases *v,
                     int (*keep)(const mn_vcase *, const void *), const void *user)
{
    mn_vcase_list *l = &v->cases;
    mn_vcase_list dropped = {calloc(l->count ? l->count : 1, sizeof(mn_vcase)), 0};
    if (!dropped.items) {
        cli_errorf(c, "out of memory");
        return CLI_FAIL;
    }
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++) {
        if (keep(&l->items[i], user))
            l->items[kept++] = l->items[i];
        else
            dropped.items[dropped.count++] = l->items[i];
    }
    l->count = kept;
    mn_vcase_list_free(&dropped);
    return CLI_OK;
}
