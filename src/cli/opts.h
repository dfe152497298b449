/* The command line's one option parser (floor: cli): every command
 * describes its options in a table and calls cli_opts_parse, so all of them
 * accept the same forms and give the same messages:
 *
 *   --name value   --name=value   -x value (a short alias)
 *   --             everything after it is a positional argument
 *
 * Values are checked as they are read: whole numbers and quantities against
 * their range, choices against their names, dates as YYYY-MM-DD. A wrong
 * value is a usage error (exit 2) that names the option, what was given and
 * what is accepted. */
#ifndef MNSIM_CLI_OPTS_H
#define MNSIM_CLI_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

typedef enum {
    CLI_OPT_FLAG,     /* no value: *(int *)dest = 1 */
    CLI_OPT_STRING,   /* *(const char **)dest = the text */
    CLI_OPT_INT,      /* *(int *)dest, a whole number in [lo, hi] */
    CLI_OPT_LONG,     /* *(long *)dest, a whole number in [lo, hi] */
    CLI_OPT_SEED,     /* *(uint64_t *)dest, a whole number 0 to 2^63-1 */
    CLI_OPT_QUANTITY, /* *(double *)dest in SI, of unit kind `unit`, in
                         [lo, hi] (SI); `range` says it for people */
    CLI_OPT_CHOICE,   /* *(int *)dest = index of the value in `choices` */
    CLI_OPT_DATE,     /* *(int64_t *)dest = mn_date_parse of the value */
    CLI_OPT_CUSTOM    /* parse(c, cmd, opt, value, dest) */
} cli_opt_type;

typedef struct cli_opt cli_opt;

/* A custom value parser: CLI_OK, or a usage error already printed. */
typedef int (*cli_opt_parser)(cli_ctx *c, const char *cmd, const char *opt,
                              const char *value, void *dest);

struct cli_opt {
    const char *name;  /* "--device" */
    const char *alias; /* "-o", or NULL */
    cli_opt_type type;
    void *dest;
    int *seen; /* may be NULL: set to 1 when the option is given */
    double lo, hi;
    int unit;                   /* CLI_OPT_QUANTITY: mn_unit_kind */
    const char *range;          /* CLI_OPT_QUANTITY: "0-50 mm" */
    const char *const *choices; /* CLI_OPT_CHOICE: NULL-terminated */
    cli_opt_parser parse;       /* CLI_OPT_CUSTOM */
};

/* Shorthands for the tables. */
#define CLI_FLAG(n, d)                                                                 \
    {                                                                                  \
        n, NULL, CLI_OPT_FLAG, d, NULL, 0, 0, 0, NULL, NULL, NULL                      \
    }
#define CLI_STR(n, d)                                                                  \
    {                                                                                  \
        n, NULL, CLI_OPT_STRING, d, NULL, 0, 0, 0, NULL, NULL, NULL                    \
    }
#define CLI_INT(n, d, lo, hi)                                                          \
    {                                                                                  \
        n, NULL, CLI_OPT_INT, d, NULL, lo, hi, 0, NULL, NULL, NULL                     \
    }
#define CLI_LONG(n, d, lo, hi)                                                         \
    {                                                                                  \
        n, NULL, CLI_OPT_LONG, d, NULL, lo, hi, 0, NULL, NULL, NULL                    \
    }
#define CLI_SEED(n, d)                                                                 \
    {                                                                                  \
        n, NULL, CLI_OPT_SEED, d, NULL, 0, 0, 0, NULL, NULL, NULL                      \
    }
#define CLI_QTY(n, d, kind, lo, hi, range)                                             \
    {                                                                                  \
        n, NULL, CLI_OPT_QUANTITY, d, NULL, lo, hi, kind, range, NULL, NULL            \
    }
#define CLI_CHOICE(n, d, names)                                                        \
    {                                                                                  \
        n, NULL, CLI_OPT_CHOICE, d, NULL, 0, 0, 0, NULL, names, NULL                   \
    }
#define CLI_DATE(n, d)                                                                 \
    {                                                                                  \
        n, NULL, CLI_OPT_DATE, d, NULL, 0, 0, 0, NULL, NULL, NULL                      \
    }
#define CLI_CUSTOM(n, d, fn)                                                           \
    {                                                                                  \
        n, NULL, CLI_OPT_CUSTOM, d, NULL, 0, 0, 0, NULL, NULL, fn                      \
    }
/* --sex female|male (also f, m): *(mn_sex *)d. */
#define CLI_SEX(n, d) CLI_CUSTOM(n, d, cli_opt_sex)
/* Any other --name VALUE: fn(c, cmd, "--name", value, d) gets the option as
 * it was given, for commands whose options name the fields of a record
 * (mnsim journal add --needle-length "1.5 mm"). At most one per table. */
#define CLI_OTHER(d, fn) CLI_CUSTOM(CLI_OTHER_NAME, d, fn)
#define CLI_OTHER_NAME "--*"

/* Parse argv[1..argc-1] of command cmd against the n options of opts.
 * Arguments that are not options are positional: they go to pos (at most
 * max_pos of them, in order; *n_pos gets their count). pos may be NULL when
 * the command takes none. Returns CLI_OK, or CLI_USAGE after printing the
 * problem (unknown option, missing or bad value, too many arguments). */
int cli_opts_parse(cli_ctx *c, const char *cmd, const cli_opt *opts, size_t n, int argc,
                   char **argv, const char **pos, size_t max_pos, size_t *n_pos);

/* As cli_opts_parse, with room for every positional argument: *pos gets
 * a malloc'd array of them (the caller frees it, also after an error; NULL
 * when out of memory, then CLI_FAIL after printing it), *n_pos their count.
 * For commands that take a list of files, or that say themselves how many
 * arguments they take. */
int cli_opts_parse_all(cli_ctx *c, const char *cmd, const cli_opt *opts, size_t n,
                       int argc, char **argv, const char ***pos, size_t *n_pos);

/* The value parsers, for commands that read a value some other way. Each
 * returns CLI_OK or prints a usage error of cmd naming opt, the value given
 * and the range accepted, and returns CLI_USAGE. A whole number is an
 * optional '-' and digits, nothing else (no blank, '+', unit or exponent),
 * within [lo, hi]; "" and what overflows a long are refused. A seed is a
 * whole number from 0 to 2^63-1 (9223372036854775807). A number or a
 * quantity is read by mn_units_parse (finite, decimal, no hexadecimal). */
int cli_parse_int(cli_ctx *c, const char *cmd, const char *opt, const char *v, long lo,
                  long hi, long *out);
/* The whole number of cli_parse_int, without a range or a message: 1 and
 * *out, or 0 when v is not one or does not fit a long. */
int cli_whole_number(const char *v, long *out);
int cli_parse_seed(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                   uint64_t *out);
int cli_parse_quantity(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                       int unit, double lo, double hi, const char *range, double *out);
int cli_parse_number(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                     double lo, double hi, const char *range, double *out);
int cli_parse_choice(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                     const char *const *choices, int *out);
int cli_parse_date(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                   int64_t *out);

/* The custom parser of CLI_SEX: "female" or "f", "male" or "m" into the
 * mn_sex at dest. */
int cli_opt_sex(cli_ctx *c, const char *cmd, const char *opt, const char *value,
                void *dest);

#endif
