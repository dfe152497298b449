/* mnsim validate: every calibration and validation case of every model,
 * mnsim's value against the published one, in one table. */
#include "cli.h"
#include "opts.h"
#include "table.h"
#include "cases.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/validation.h"
#include "mnsim/validation_report.h"

typedef struct {
    const char *cases_dir, *model, *report;
    int force;
    int role; /* -1: both */
    long samples;
    uint64_t seed;
} validate_opts;

static int parse_args(cli_ctx *c, int argc, char **argv, validate_opts *o)
{
    memset(o, 0, sizeof *o);
    o->role = -1;
    o->samples = 50;
    o->seed = 1;
    static const char *const roles[] = {"calibration", "validation", NULL};
    const cli_opt opts[] = {
        CLI_STR("--cases", &o->cases_dir),
        CLI_STR("--model", &o->model),
        CLI_STR("--report", &o->report),
        CLI_FLAG("--force", &o->force),
        CLI_CHOICE("--role", &o->role, roles),
        CLI_LONG("--samples", &o->samples, 0, 10000),
        CLI_SEED("--seed", &o->seed),
    };
    return cli_opts_parse(c, "validate", opts, sizeof opts / sizeof *opts, argc, argv,
                          NULL, 0, NULL);
}

static int selected(const mn_vcase *x, const void *user)
{
    const validate_opts *o = user;
    return (!o->model || !strcmp(x->model, o->model)) &&
           (o->role < 0 || x->role == o->role);
}

static void published_text(const mn_vcase *x, char *buf, size_t n)
{
    if (isfinite(x->value) && isfinite(x->sd))
        snprintf(buf, n, "%.4g +/- %.2g", x->value, x->sd);
    else if (isfinite(x->value))
        snprintf(buf, n, "%.4g", x->value);
    else if (isnan(x->high))
        snprintf(buf, n, "> %.4g", x->low);
    else if (isnan(x->low))
        snprintf(buf, n, "< %.4g", x->high);
    else
        snprintf(buf, n, "%.4g..%.4g", x->low, x->high);
}

static const cli_column columns[] = {
    {"CASE", -34, NULL},     {"ROLE", -11, NULL},  {"QUANTITY", -22, NULL},
    {"PUBLISHED", 16, NULL}, {"MNSIM", 8, NULL},   {"5-95%", -17, NULL},
    {"TOL", 6, NULL},        {"RESULT", -6, NULL}, {"REFERENCE", -1, NULL},
};
static const cli_table table = {columns, sizeof columns / sizeof *columns};

static void print_row(const mn_vcase *x, const mn_vresult *r)
{
    char pub[64];
    published_text(x, pub, sizeof pub);
    cli_row row = {0};
    cli_cell(&row, "%s", x->name);
    cli_cell(&row, "%s", mn_vcase_role_name(x->role));
    cli_cell(&row, "%s", x->quantity);
    cli_cell(&row, "%s", pub);
    if (r->status != MN_OK) {
        cli_cell(&row, "-");
        cli_cell(&row, "%s", "");
        cli_cell(&row, "%.3g", x->tolerance);
        cli_cell(&row, "NOTRUN");
    } else {
        cli_cell(&row, "%.4g", r->value);
        if (isfinite(r->p5))
            cli_cell(&row, "%.4g..%.4g", r->p5, r->p95);
        else
            cli_cell(&row, "%s", "");
        cli_cell(&row, "%.3g", x->tolerance);
        /* known: fails as its stated discrepancy says; STALE: passes
         * although a discrepancy is stated. */
        cli_cell(&row, "%s",
                 r->passed        ? (x->discrepancy ? "STALE" : "pass")
                 : x->discrepancy ? "known"
                                  : "FAIL");
    }
    cli_cell(&row, "%s", x->reference);
    cli_table_row(&table, &row);
}

static void print_table(const cli_ctx *c, const mn_vcase_list *l, const mn_vresult *r,
                        const mn_validation_summary *s)
{
    static const char *const models[] = {"depth", "roll", "channel", "heal", "deliver"};
    for (int m = 0; m < 5; m++) {
        int any = 0;
        for (size_t i = 0; i < l->count; i++) {
            if (strcmp(l->items[i].model, models[m]))
                continue;
            if (!any++) {
                printf("\nmodel %s\n", models[m]);
                cli_table_header(&table);
            }
            print_row(&l->items[i], &r[i]);
        }
    }
    for (size_t i = 0; i < l->count; i++)
        if (r[i].status != MN_OK)
            fprintf(stderr, "mnsim: case %s not run: %s\n", l->items[i].name,
                    r[i].message);
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].discrepancy && r[i].status == MN_OK)
            printf("%s %s: %s\n",
                   r[i].passed ? "STALE (passes now; remove its discrepancy)"
                               : "known discrepancy",
                   l->items[i].name, l->items[i].discrepancy);
    printf(
        "\n%zu cases: %zu passed, %zu failed (%zu known discrepancies), %zu not run; "
        "validation (out of "
        "sample) %zu "
        "of %zu passed, calibration %zu of %zu\n",
        s->cases, s->passed, s->cases - s->passed - s->not_run, s->known, s->not_run,
        s->validation_passed, s->validation, s->passed - s->validation_passed,
        s->cases - s->validation);
    if (!c->quiet)
        printf(
            "Calibration cases were used to fit parameters: passing them shows the "
            "fit, "
            "not a prediction. References: docs/references.md. Not medical advice.\n");
}

static int print_json(cli_ctx *c, const mn_vcase_list *l, const mn_vresult *r,
                      const mn_validation_summary *s)
{
    mn_json *j = mn_json_new();
    if (!j)
        return CLI_FAIL;
    mn_jnode *root = mn_json_root(j), *arr = mn_json_array(j);
    for (size_t i = 0; i < l->count; i++) {
        const mn_vcase *x = &l->items[i];
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "name", x->name);
        mn_json_str(j, o, "model", x->model);
        mn_json_str(j, o, "role", mn_vcase_role_name(x->role));
        mn_json_str(j, o, "what", x->what);
        mn_json_str(j, o, "quantity", x->quantity);
        mn_json_num(j, o, "published_value", x->value);
        mn_json_num(j, o, "published_sd", x->sd);
        mn_json_num(j, o, "published_low", x->low);
        mn_json_num(j, o, "published_high", x->high);
        mn_json_num(j, o, "tolerance", x->tolerance);
        mn_json_str(j, o, "reference", x->reference);
        mn_json_bool(j, o, "run", r[i].status == MN_OK);
        mn_json_num(j, o, "mnsim_value", r[i].value);
        mn_json_num(j, o, "mnsim_p5", r[i].p5);
        mn_json_num(j, o, "mnsim_p95", r[i].p95);
        mn_json_num(j, o, "deviation", r[i].deviation);
        mn_json_bool(j, o, "passed", r[i].status == MN_OK && r[i].passed);
        mn_json_bool(j, o, "as_expected", r[i].status == MN_OK && r[i].expected);
        if (x->discrepancy)
            mn_json_str(j, o, "known_discrepancy", x->discrepancy);
        if (r[i].status != MN_OK)
            mn_json_str(j, o, "not_run_because", r[i].message);
        mn_json_push(j, arr, o);
    }
    mn_json_put(j, root, "cases", arr);
    mn_json_int(j, root, "passed", (long long)s->passed);
    mn_json_int(j, root, "failed", (long long)(s->cases - s->passed - s->not_run));
    mn_json_int(j, root, "not_run", (long long)s->not_run);
    mn_json_int(j, root, "known_discrepancies", (long long)s->known);
    mn_json_int(j, root, "unexpected", (long long)s->unexpected);
    mn_json_int(j, root, "validation_cases", (long long)s->validation);
    mn_json_int(j, root, "validation_passed", (long long)s->validation_passed);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    return cli_print_json(c, j);
}

static int run_validate(cli_ctx *c, int argc, char **argv)
{
    validate_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    cli_cases v;
    if (cli_cases_load(c, o.cases_dir, NULL, &v) ||
        cli_cases_filter(c, &v, selected, &o)) {
        cli_cases_free(&v);
        return CLI_FAIL;
    }
    if (!v.cases.count) {
        cli_cases_free(&v);
        return cli_usage_error(c, "validate", "no case matches --model and --role");
    }
    v.env.n_people = (size_t)o.samples;
    v.env.seed = o.seed;
    mn_vresult *r = NULL;
    mn_error e;
    mn_error_clear(&e);
    rc = CLI_FAIL;
    if (mn_validation_run(&v.env, &v.cases, NULL, &r, &e) != MN_OK) {
        cli_error(c, &e);
    } else {
        mn_validation_summary s;
        mn_validation_summarise(&v.cases, r, &s);
        if (o.report &&
            mn_validation_report_write(o.report, o.force, &v.cases, r, &e) != MN_OK) {
            cli_error(c, &e);
            free(r);
            cli_cases_free(&v);
            return CLI_FAIL;
        }
        if (c->json)
            rc = print_json(c, &v.cases, r, &s);
        else
            print_table(c, &v.cases, r, &s), rc = CLI_OK;
        /* Every case must come out as its file says: passing, or failing
         * with its stated discrepancy. */
        if (rc == CLI_OK && (s.unexpected || s.not_run))
            rc = CLI_FAIL;
    }
    free(r);
    cli_cases_free(&v);
    return rc;
}

const cli_command cmd_validate = {
    "validate", "every calibration and validation case against published data",
    "Usage: mnsim validate [--model depth|roll|heal|channel|deliver] [--role "
    "calibration|validation]\n"
    "                      [--samples N] [--seed N] [--cases DIR]\n"
    "                      [--report DIR [--force]] [--json]\n\n"
    "Runs every case of data/validation (or --cases DIR): a published measurement, "
    "the\n"
    "experiment that gave it, mnsim's value for the same experiment (the median\n"
    "person, and the 5-95% band over N virtual people, default 50, where the model\n"
    "has between-person spread), the tolerance and the reference (a key of\n"
    "docs/references.md). Calibration cases were used to fit a parameter; only\n"
    "validation cases test a prediction. A case may state a known discrepancy (a\n"
    "limit of the model, shown as 'known'); it is then expected to fail, and\n"
    "passing makes it STALE. Exits 1 when a case fails unexpectedly, is stale or\n"
    "cannot run. --report DIR writes DIR/validation.html with a figure per model\n"
    "(each case's deviation from the published value in units of its tolerance).\n",
    run_validate};
