/* mnsim command line: shared context and helpers (cli layer). */
#ifndef MNSIM_CLI_H
#define MNSIM_CLI_H

#include <stdio.h>

#include "mnsim/mnsim.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef struct {
    int json;             /* --json: machine-readable stdout */
    int quiet;            /* --quiet: no diagnostics but errors */
    const char *data_dir; /* --data-dir, or found */
    char found_data_dir[4096];
    int stderr_tty;
    const char *argv0;
} cli_ctx;

typedef struct {
    const char *name;
    const char *summary;
    const char *usage; /* full help text */
    int (*run)(cli_ctx *c, int argc, char **argv);
} cli_command;

/* All commands (NULL-terminated). */
extern const cli_command *const cli_commands[];

/* Print "mnsim: message" for an error (with its location) on stderr. */
void cli_error(const cli_ctx *c, const mn_error *e);
void cli_errorf(const cli_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print every diagnostic of d ("severity: file:line:col: message") on
 * stderr, or e (cli_error) when d has none; returns CLI_FAIL. */
int cli_fail_diags(const cli_ctx *c, const mn_diags *d, const mn_error *e);
/* Print a usage error and a hint; returns CLI_USAGE. */
int cli_usage_error(const cli_ctx *c, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Check, before long work, that each non-NULL paths[i] may be written
 * (mn_file_check: absent, or a regular file with force). 0, or prints the
 * error and returns CLI_FAIL. */
int cli_check_outputs(const cli_ctx *c, const char *const *paths, size_t n, int force);

/* Path of a data file (devices.yaml, ...) in the data directory. 0 on
 * success, else prints an error and returns CLI_FAIL. */
int cli_data_file(cli_ctx *c, const char *name, char *buf, size_t n);
/* The data directory itself, without a trailing '/' (as the library's
 * data_dir arguments take it); 0 or CLI_FAIL after printing an error. */
int cli_data_dir(cli_ctx *c, char *buf, size_t n);

/* Load the catalogs; print errors; CLI_OK or CLI_FAIL. */
int cli_load_devices(cli_ctx *c, mn_device_list *out);
int cli_load_sites(cli_ctx *c, mn_site_list *out);
int cli_load_depth_params(cli_ctx *c, mn_depth_params *out);
int cli_load_channel_params(cli_ctx *c, mn_channel_params *out);
/* The zones of file, or of data/zones.yaml when file is NULL. */
int cli_load_zones(cli_ctx *c, const char *file, mn_zone_list *out);

/* Print a JSON document on stdout and free it; CLI_OK or CLI_FAIL. */
int cli_print_json(cli_ctx *c, mn_json *j);

/* --sex: "female" (or "f") or "male" (or "m"); CLI_OK or a usage error
 * of command cmd (CLI_USAGE). */
int cli_parse_sex(const cli_ctx *c, const char *cmd, const char *v, mn_sex *out);

/* --pressure: "light", "medium", "firm" (the hand forces of the
 * penetration parameters) or a force such as "8 N" (0-200 N). label points
 * at the name or at text. CLI_OK or a usage error of command cmd. */
int cli_parse_pressure(const cli_ctx *c, const char *cmd, const mn_depth_params *p,
                       const char *text, double *force_n, const char **label);

/* Is this argument a request for help (-h / --help)? */
int cli_is_help(const char *arg);

/* Print the help of a command on stdout. */
void cli_print_command_help(const cli_command *cmd);

#endif
