/* What `mnsim validate` and `mnsim fit` load (floor: cli): the catalogs and
 * model parameters of the data directory and a set of cases, as one
 * validation environment. */
#ifndef MNSIM_CLI_CASES_H
#define MNSIM_CLI_CASES_H

#include "cli.h"

#include "mnsim/channel.h"
#include "mnsim/healing.h"
#include "mnsim/validation.h"

typedef struct {
    mn_device_list catalog, study, all; /* all: catalog then study (shallow) */
    mn_site_list sites;
    mn_depth_params depth;
    mn_heal_data healing;
    mn_channel_params channel;
    mn_compound_catalog compounds;
    mn_vcase_list cases;
    mn_validation_env env; /* points into the above */
} cli_cases;

/* Load everything; cases_path is a case file (.yaml) or a folder of them
 * (NULL: the data directory's validation/), healing_path another healing
 * parameter file (NULL: the data directory's). Prints every problem.
 * CLI_OK or CLI_FAIL; free with cli_cases_free either way. */
int cli_cases_load(cli_ctx *c, const char *cases_path, const char *healing_path,
                   cli_cases *v);

void cli_cases_free(cli_cases *v);

/* Keep the cases that keep(case, user) accepts, freeing the others. */
int cli_cases_filter(cli_ctx *c, cli_cases *v,
                     int (*keep)(const mn_vcase *, const void *), const void *user);

#endif
