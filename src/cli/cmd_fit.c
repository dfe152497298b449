/* mnsim fit: healing parameters fitted to measurements (the calibration
 * cases, or a researcher's own), with intervals, goodness of fit and
 * sensitivities; the fitted parameter file for --params. */
#include "cli.h"
#include "opts.h"
#include "table.h"
#include "cases.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/file.h"
#include "mnsim/fit.h"
#include "mnsim/healing_io.h"

#define MAX_FIT_PARAMS 16

typedef struct {
    const char *cases, *params_text, *output, *base;
    int role; /* -1: every case */
    int force;
    int ids[MAX_FIT_PARAMS];
    size_t n_ids;
} fit_opts;

static int parse_param_list(cli_ctx *c, fit_opts *o)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", o->params_text);
    for (char *save = NULL, *k = strtok_r(buf, ", ", &save); k;
         k = strtok_r(NULL, ", ", &save)) {
        int id = mn_heal_param_find(k);
        if (id < 0)
            return cli_usage_error(c, "fit",
                                   "--params: no healing parameter named '%s' "
                                   "(see data/healing.yaml)",
                                   k);
        if (o->n_ids == MAX_FIT_PARAMS)
            return cli_usage_error(c, "fit", "--params: at most %d parameters",
                                   MAX_FIT_PARAMS);
        o->ids[o->n_ids++] = id;
    }
    return o->n_ids ? CLI_OK
                    : cli_usage_error(c, "fit", "--params needs parameter names");
}

static int parse_args(cli_ctx *c, int argc, char **argv, fit_opts *o)
{
    memset(o, 0, sizeof *o);
    o->role = 0;
    static const char *const roles[] = {"calibration", "validation", NULL};
    cli_opt opts[] = {
        CLI_STR("--cases", &o->cases),         CLI_STR("--params", &o->params_text),
        CLI_STR("--output", &o->output),       CLI_STR("--base", &o->base),
        CLI_CHOICE("--role", &o->role, roles), CLI_FLAG("--force", &o->force),
    };
    opts[2].alias = "-o";
    const char *pos[1];
    size_t n_pos = 0;
    int rc = cli_opts_parse(c, "fit", opts, sizeof opts / sizeof *opts, argc, argv, pos,
                            1, &n_pos);
    if (rc)
        return rc;
    if (n_pos)
        o->cases = pos[0];
    if (!o->params_text)
        return cli_usage_error(c, "fit", "fit needs --params NAME[,NAME...]");
    return parse_param_list(c, o);
}

/* Only the heal cases of the chosen role take part. */
static int heal_of_role(const mn_vcase *x, const void *user)
{
    return x->role == *(const int *)user && !strcmp(x->model, "heal");
}

static void print_params(const mn_fit_result *r)
{
    static const cli_column cols[] = {{"PARAMETER", -36, NULL},
                                      {"START", 10, NULL},
                                      {"FIT", 10, NULL},
                                      {"95% INTERVAL", 23, NULL},
                                      {"IDENTIFIED", -10, NULL}};
    cli_table t = {cols, 5};
    cli_table_header(&t);
    for (size_t j = 0; j < r->n_params; j++) {
        cli_row row = {0};
        cli_cell(&row, "%s", mn_heal_param_get_info(r->params[j])->key);
        cli_cell(&row, "%.4g", r->start[j]);
        cli_cell(&row, "%.4g", r->value[j]);
        cli_cell(&row, "%.4g..%.4g", r->lo95[j], r->hi95[j]);
        cli_cell(&row, "%s", r->identified[j] ? "yes" : "NO");
        cli_table_row(&t, &row);
    }
}

static void print_cases(const mn_vcase_list *l, const mn_fit_result *r)
{
    static const cli_column cols[] = {{"CASE", -34, NULL},
                                      {"QUANTITY", -20, NULL},
                                      {"PUBLISHED", 10, NULL},
                                      {"SIGMA", 7, NULL},
                                      {"MNSIM", 9, NULL},
                                      {"RESIDUAL", 9, NULL},
                                      {"+10% OF EACH PARAMETER", -1, "  "}};
    cli_table t = {cols, 7};
    printf("\n");
    cli_table_header(&t);
    for (size_t i = 0; i < l->count; i++) {
        const mn_vcase *x = &l->items[i];
        cli_row row = {0};
        cli_cell(&row, "%s", x->name);
        cli_cell(&row, "%s", x->quantity);
        if (isfinite(x->value))
            cli_cell(&row, "%.4g", x->value);
        else if (isnan(x->high))
            cli_cell(&row, "> %.3g", x->low);
        else if (isnan(x->low))
            cli_cell(&row, "< %.3g", x->high);
        else
            cli_cell(&row, "%.3g..%.3g", x->low, x->high);
        cli_cell(&row, "%.3g", isfinite(x->sd) ? x->sd : x->tolerance);
        cli_cell(&row, "%.4g", r->mnsim[i]);
        cli_cell(&row, r->used[i] ? "%+.2f" : "(range)", r->residual[i]);
        char sens[256] = "";
        size_t used = 0;
        for (size_t j = 0; j < r->n_params && used < sizeof sens; j++)
            used += (size_t)snprintf(sens + used, sizeof sens - used, "%s%+.3g",
                                     j ? " " : "", r->sensitivity[i * r->n_params + j]);
        cli_cell(&row, "%s", sens);
        cli_table_row(&t, &row);
    }
}

static int write_params(cli_ctx *c, const fit_opts *o, cli_cases *v,
                        const mn_fit_result *r, const mn_heal_population *fitted)
{
    mn_heal_data out = v->healing;
    out.population = *fitted;
    char *typical[MAX_FIT_PARAMS] = {0};
    for (size_t j = 0; j < r->n_params; j++) {
        char t[512];
        snprintf(t, sizeof t,
                 "calibrated: mnsim fit to %zu cases (%s), 95%% interval %.4g..%.4g%s",
                 r->n_used, o->cases ? o->cases : "data/validation", r->lo95[j],
                 r->hi95[j], r->identified[j] ? "" : "; not identified by these data");
        typical[j] = strdup(t);
        out.typical[r->params[j]] = typical[j];
    }
    char *text = mn_heal_data_to_yaml(&out, "Healing parameters fitted by mnsim fit "
                                            "(docs/cli.md). Not medical advice.");
    int rc = CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (!text)
        cli_errorf(c, "out of memory");
    else if (mn_file_write(o->output, text, strlen(text), o->force, 0644, &e) != MN_OK)
        cli_error(c, &e);
    else
        rc = CLI_OK;
    free(text);
    for (size_t j = 0; j < r->n_params; j++)
        free(typical[j]);
    return rc;
}

static int print_json(cli_ctx *c, const mn_vcase_list *l, const mn_fit_result *r)
{
    mn_json *j = mn_json_new();
    if (!j)
        return CLI_FAIL;
    mn_jnode *root = mn_json_root(j), *ps = mn_json_array(j), *cs = mn_json_array(j);
    for (size_t k = 0; k < r->n_params; k++) {
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "name", mn_heal_param_get_info(r->params[k])->key);
        mn_json_num(j, o, "start", r->start[k]);
        mn_json_num(j, o, "value", r->value[k]);
        mn_json_num(j, o, "low95", r->lo95[k]);
        mn_json_num(j, o, "high95", r->hi95[k]);
        mn_json_bool(j, o, "identified", r->identified[k]);
        mn_json_push(j, ps, o);
    }
    for (size_t i = 0; i < l->count; i++) {
        mn_jnode *o = mn_json_object(j), *s = mn_json_array(j);
        mn_json_str(j, o, "name", l->items[i].name);
        mn_json_bool(j, o, "in_fit", r->used[i]);
        mn_json_num(j, o, "mnsim", r->mnsim[i]);
        mn_json_num(j, o, "residual", r->residual[i]);
        for (size_t k = 0; k < r->n_params; k++)
            mn_json_push_num(j, s, r->sensitivity[i * r->n_params + k]);
        mn_json_put(j, o, "change_for_10pct_more", s);
        mn_json_push(j, cs, o);
    }
    mn_json_put(j, root, "parameters", ps);
    mn_json_put(j, root, "cases", cs);
    mn_json_num(j, root, "chi2", r->chi2);
    mn_json_num(j, root, "chi2_start", r->chi2_start);
    mn_json_int(j, root, "dof", r->dof);
    mn_json_num(j, root, "p_value", r->p_value);
    mn_json_bool(j, root, "converged", r->converged);
    mn_json_int(j, root, "iterations", (long long)r->iterations);
    return cli_print_json(c, j);
}

static int run_fit(cli_ctx *c, int argc, char **argv)
{
    fit_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    if (cli_check_outputs(c, &o.output, 1, o.force)) /* before the fit */
        return CLI_FAIL;
    cli_cases v;
    if (cli_cases_load(c, o.cases, o.base, &v) ||
        cli_cases_filter(c, &v, heal_of_role, &o.role)) {
        cli_cases_free(&v);
        return CLI_FAIL;
    }
    mn_fit_options fo = {o.ids, o.n_ids, 100};
    mn_heal_population fitted;
    mn_fit_result r;
    mn_error e;
    mn_error_clear(&e);
    rc = CLI_FAIL;
    if (mn_fit_healing(&v.env, &v.cases, &fo, NULL, &fitted, &r, &e) != MN_OK) {
        cli_error(c, &e);
    } else if (o.output && write_params(c, &o, &v, &r, &fitted)) {
        /* reported */
    } else if (c->json) {
        rc = print_json(c, &v.cases, &r);
    } else {
        print_params(&r);
        print_cases(&v.cases, &r);
        printf("\nchi-square %.3g over %ld degrees of freedom (p = %.3g), %.3g before "
               "the fit; "
               "%zu iterations%s\n",
               r.chi2, r.dof, r.p_value, r.chi2_start, r.iterations,
               r.converged ? "" : ", NOT converged");
        if (o.output)
            printf("fitted parameters: %s (use with --params)\n", o.output);
        printf("Residuals in sigmas; the last column: how each case's quantity changes "
               "when "
               "each parameter rises by 10%%. Not medical advice.\n");
        rc = CLI_OK;
    }
    mn_fit_result_free(&r);
    cli_cases_free(&v);
    return rc;
}

const cli_command cmd_fit = {
    "fit", "fit healing parameters to measurements, with intervals",
    "Usage: mnsim fit --params NAME[,NAME...] [CASES] [--role calibration|validation]\n"
    "                 [--base HEALING.yaml] [-o FITTED.yaml] [--force] [--json]\n\n"
    "Fits the named healing parameters (keys of data/healing.yaml) of the median\n"
    "person to the heal cases of CASES (a case file or a folder of them, in the\n"
    "format of data/validation; default: data/validation) with the role given\n"
    "(default calibration): weighted least squares with each case's sd (or its\n"
    "tolerance). Prints each parameter with its 95% interval and whether the data\n"
    "identify it, every case with its residual and its sensitivity to each\n"
    "parameter, and chi-square. -o writes the whole parameter file with the fitted\n"
    "values, for --params. Not medical advice.\n",
    run_fit};
