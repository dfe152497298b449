/* mnsim check FILE...: validate any mnsim input file, report every problem. */
#include "cli.h"
#include "opts.h"

#include <stdlib.h>
#include <string.h>

#include "mnsim/course_io.h"
#include "mnsim/references.h"

static void diag_json(mn_json *j, mn_jnode *arr, mn_severity sev, const mn_error *e)
{
    mn_jnode *o = mn_json_object(j);
    mn_json_str(j, o, "severity", mn_severity_name(sev));
    mn_json_str(j, o, "file", e->file);
    mn_json_int(j, o, "line", e->line);
    mn_json_int(j, o, "column", e->column);
    mn_json_str(j, o, "message", e->message);
    mn_json_push(j, arr, o);
}

/* One file's findings: into the JSON list of files, or on stderr. */
static void report_file(cli_ctx *c, const char *file, const mn_diags *d, mn_json *j,
                        mn_jnode *files)
{
    if (j) {
        mn_jnode *f = mn_json_object(j), *list = mn_json_array(j);
        mn_json_str(j, f, "file", file);
        mn_json_bool(j, f, "ok", d->n_errors == 0);
        for (size_t k = 0; k < d->count; k++)
            diag_json(j, list, d->severity[k], &d->items[k]);
        mn_json_put(j, f, "findings", list);
        mn_json_push(j, files, f);
        return;
    }
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    for (size_t k = 0; k < d->count; k++)
        if (!c->quiet || d->severity[k] == MN_SEV_ERROR)
            fprintf(stderr, "%s: %s\n", mn_severity_name(d->severity[k]),
                    mn_error_format(&d->items[k], buf, sizeof buf));
    if (!c->quiet && d->n_errors == 0)
        printf("%s: ok%s\n", file, d->n_warnings ? " (with warnings)" : "");
}

#define MAX_CITED 64

/* The full reference of every [key] the findings cite (docs/references.md),
 * after the findings on stderr, or as "references" in the JSON. */
static void print_references(cli_ctx *c, const char **cited, size_t n,
                             const mn_strmap *refs, mn_json *j)
{
    if (!n)
        return;
    if (j) {
        mn_jnode *o = mn_json_object(j);
        for (size_t k = 0; k < n; k++)
            mn_json_str(j, o, cited[k], mn_strmap_get(refs, cited[k]));
        mn_json_put(j, mn_json_root(j), "references", o);
        return;
    }
    if (c->quiet)
        return;
    fprintf(stderr, "references:\n");
    for (size_t k = 0; k < n; k++)
        fprintf(stderr, "  [%s] %s\n", cited[k], mn_strmap_get(refs, cited[k]));
}

static int check_files(cli_ctx *c, const char *const *file, size_t n)
{
    mn_json *j = c->json ? mn_json_new() : NULL;
    mn_jnode *files = j ? mn_json_array(j) : NULL;
    size_t errors = 0, warnings = 0;
    mn_strmap refs = {0};
    const char *cited[MAX_CITED];
    size_t n_cited = 0;

    for (size_t i = 0; i < n; i++) {
        mn_diags d = {0};
        char data[4200];
        /* Protocols are checked against the rules too: that needs the
         * data directory (without it, only their schema). */
        int have_data = cli_data_dir(c, data, sizeof data) == CLI_OK;
        mn_check_file_with_data(file[i], have_data ? data : NULL, &d);
        report_file(c, file[i], &d, j, files);
        /* The bibliography is documentation: without it the findings
         * still name their keys. */
        if (have_data && !refs.count)
            mn_references_load(data, &refs, NULL);
        for (size_t k = 0; k < d.count; k++)
            mn_references_cited(d.items[k].message, &refs, cited, &n_cited, MAX_CITED);
        errors += d.n_errors;
        warnings += d.n_warnings;
        mn_diags_free(&d);
    }
    print_references(c, cited, n_cited, &refs, j);
    if (j) {
        mn_json_put(j, mn_json_root(j), "files", files);
        mn_json_int(j, mn_json_root(j), "errors", (long long)errors);
        mn_json_int(j, mn_json_root(j), "warnings", (long long)warnings);
        if (cli_print_json(c, j)) {
            mn_strmap_free(&refs);
            return CLI_FAIL;
        }
    } else if (!c->quiet && n > 1) {
        printf("%zu error(s), %zu warning(s) in %zu files\n", errors, warnings, n);
    }
    mn_strmap_free(&refs);
    return errors ? CLI_FAIL : CLI_OK;
}

static int run_check(cli_ctx *c, int argc, char **argv)
{
    const char **files;
    size_t n;
    int rc = cli_opts_parse_all(c, "check", NULL, 0, argc, argv, &files, &n);
    if (rc == CLI_OK && n == 0)
        rc = cli_usage_error(c, "check", "check needs at least one FILE");
    if (rc == CLI_OK)
        rc = check_files(c, files, n);
    free(files);
    return rc;
}

const cli_command cmd_check = {
    "check", "validate mnsim input files and report every problem",
    "Usage: mnsim check FILE... [--json]\n\n"
    "Validate mnsim input files (YAML or JSON). The top-level key 'kind' says\n"
    "what a file is: protocol, devices, device, sites, zones, rules, penetration\n"
    "or healing. Protocols are also checked against the safety rules\n"
    "(data/rules.yaml): each finding with its severity, session, zone, rule and\n"
    "source, and at the end the full reference of every publication the findings\n"
    "cite (docs/references.md). Every problem is reported with\n"
    "file:line:column, the key and what is allowed, not only the first.\n\n"
    "Exit code 0 when no file has an error, 1 otherwise.\n",
    run_check};
