/* The command line's one option parser: tables of options in, checked
 * values out (see opts.h). */
#include "opts.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* strtol alone also takes "", " 5", "+5" and "5 " as far as it reads, and
 * clamps what overflows. */
int cli_whole_number(const char *v, long *out)
{
    const char *p = v + (*v == '-');
    if (!*p)
        return 0;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            return 0;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || *end)
        return 0;
    *out = x;
    return 1;
}

int cli_parse_int(cli_ctx *c, const char *cmd, const char *opt, const char *v, long lo,
                  long hi, long *out)
{
    long x;
    if (!cli_whole_number(v, &x) || x < lo || x > hi)
        return cli_usage_error(c, cmd,
                               "%s must be a whole number from %ld to %ld, not '%s'",
                               opt, lo, hi, v);
    *out = x;
    return CLI_OK;
}

int cli_parse_seed(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                   uint64_t *out)
{
    /* Up to 2^63-1: every result writes the seed as a JSON integer, exactly. */
    long x = 0;
    int rc = cli_parse_int(c, cmd, opt, v, 0, LONG_MAX, &x);
    if (rc == CLI_OK)
        *out = (uint64_t)x;
    return rc;
}

int cli_parse_quantity(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                       int unit, double lo, double hi, const char *range, double *out)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(v, (mn_unit_kind)unit, out, &e) != MN_OK)
        return cli_usage_error(c, cmd, "%s: %s", opt, e.message);
    if (!(*out >= lo && *out <= hi))
        return cli_usage_error(c, cmd, "%s: '%s' is outside %s", opt, v, range);
    return CLI_OK;
}

int cli_parse_number(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                     double lo, double hi, const char *range, double *out)
{
    return cli_parse_quantity(c, cmd, opt, v, MN_UNIT_NONE, lo, hi, range, out);
}

int cli_parse_choice(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                     const char *const *choices, int *out)
{
    char names[512] = "";
    size_t used = 0;
    for (int i = 0; choices[i]; i++) {
        if (!strcmp(v, choices[i])) {
            *out = i;
            return CLI_OK;
        }
        if (used < sizeof names)
            used +=
                (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 i ? (choices[i + 1] ? ", " : " or ") : "", choices[i]);
    }
    return cli_usage_error(c, cmd, "%s must be %s, not '%s'", opt, names, v);
}

int cli_parse_date(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                   int64_t *out)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_date_parse(v, out, &e) != MN_OK)
        return cli_usage_error(c, cmd, "%s: '%s' is not a date like 2027-01-04 (%s)",
                               opt, v, e.message);
    return CLI_OK;
}

int cli_opt_sex(cli_ctx *c, const char *cmd, const char *opt, const char *value,
                void *dest)
{
    (void)opt;
    return cli_parse_sex(c, cmd, value, dest);
}

/* name: o->name, or the option a CLI_OTHER entry caught. */
static int read_value(cli_ctx *c, const char *cmd, const cli_opt *o, const char *name,
                      const char *v)
{
    long l = 0;
    int rc;
    switch (o->type) {
    case CLI_OPT_FLAG: *(int *)o->dest = 1; return CLI_OK;
    case CLI_OPT_STRING: *(const char **)o->dest = v; return CLI_OK;
    case CLI_OPT_INT:
    case CLI_OPT_LONG:
        rc = cli_parse_int(c, cmd, name, v, (long)o->lo, (long)o->hi, &l);
        if (rc == CLI_OK && o->type == CLI_OPT_INT)
            *(int *)o->dest = (int)l;
        else if (rc == CLI_OK)
            *(long *)o->dest = l;
        return rc;
    case CLI_OPT_SEED: return cli_parse_seed(c, cmd, name, v, o->dest);
    case CLI_OPT_QUANTITY:
        return cli_parse_quantity(c, cmd, name, v, o->unit, o->lo, o->hi, o->range,
                                  o->dest);
    case CLI_OPT_CHOICE: return cli_parse_choice(c, cmd, name, v, o->choices, o->dest);
    case CLI_OPT_DATE: return cli_parse_date(c, cmd, name, v, o->dest);
    case CLI_OPT_CUSTOM: return o->parse(c, cmd, name, v, o->dest);
    }
    return CLI_USAGE;
}

/* The option an argument names ("--name", "--name=value" or the alias), or
 * NULL; *value gets the text after '=' (or NULL). */
static const cli_opt *find_option(const cli_opt *opts, size_t n, const char *arg,
                                  const char **value)
{
    *value = NULL;
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const cli_opt *other = NULL;
    for (size_t i = 0; i < n; i++) {
        const cli_opt *o = &opts[i];
        if ((strlen(o->name) == len && !strncmp(o->name, arg, len)) ||
            (!eq && o->alias && !strcmp(o->alias, arg))) {
            *value = eq ? eq + 1 : NULL;
            return o;
        }
        if (!strcmp(o->name, CLI_OTHER_NAME))
            other = o;
    }
    if (other && !strncmp(arg, "--", 2) && len > 2) {
        *value = eq ? eq + 1 : NULL;
        return other;
    }
    return NULL;
}

static int positional(cli_ctx *c, const char *cmd, const char *arg, const char **pos,
                      size_t max_pos, size_t *n_pos)
{
    if (!pos || *n_pos >= max_pos)
        return cli_usage_error(c, cmd, "unexpected argument '%s'", arg);
    pos[(*n_pos)++] = arg;
    return CLI_OK;
}

int cli_opts_parse(cli_ctx *c, const char *cmd, const cli_opt *opts, size_t n, int argc,
                   char **argv, const char **pos, size_t max_pos, size_t *n_pos)
{
    size_t np = 0;
    int rc = CLI_OK;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (++i < argc && rc == CLI_OK)
                rc = positional(c, cmd, argv[i], pos, max_pos, &np);
            break;
        }
        if (a[0] != '-' || !a[1]) { /* "-" alone is a file name: stdin */
            rc = positional(c, cmd, a, pos, max_pos, &np);
            continue;
        }
        const char *v;
        const cli_opt *o = find_option(opts, n, a, &v);
        if (!o)
            return cli_usage_error(c, cmd, "unknown option '%s'", a);
        char given[128]; /* a CLI_OTHER option: its name, without "=value" */
        snprintf(given, sizeof given, "%.*s", (int)(v ? v - 1 - a : (long)strlen(a)),
                 a);
        const char *name = strcmp(o->name, CLI_OTHER_NAME) ? o->name : given;
        if (o->type == CLI_OPT_FLAG && v)
            return cli_usage_error(c, cmd, "%s takes no value", name);
        if (o->type != CLI_OPT_FLAG && !v) {
            if (i + 1 >= argc)
                return cli_usage_error(c, cmd, "%s needs a value", name);
            v = argv[++i];
        }
        rc = read_value(c, cmd, o, name, v);
        if (rc == CLI_OK && o->seen)
            *o->seen = 1;
    }
    if (n_pos)
        *n_pos = np;
    return rc;
}

int cli_opts_parse_all(cli_ctx *c, const char *cmd, const cli_opt *opts, size_t n,
                       int argc, char **argv, const char ***pos, size_t *n_pos)
{
    *n_pos = 0;
    size_t room = argc > 0 ? (size_t)argc : 1;
    if (!(*pos = malloc(room * sizeof **pos))) {
        cli_errorf(c, "out of memory");
        return CLI_FAIL;
    }
    return cli_opts_parse(c, cmd, opts, n, argc, argv, *pos, room, n_pos);
}
