/* Helpers shared by the commands. */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const cli_ctx *c, const mn_error *e)
{
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    (void)c;
    fprintf(stderr, "mnsim: error: %s\n", mn_error_format(e, buf, sizeof buf));
}

int cli_check_outputs(const cli_ctx *c, const char *const *paths, size_t n, int force)
{
    for (size_t i = 0; i < n; i++) {
        mn_error e;
        mn_error_clear(&e);
        if (paths[i] && mn_file_check(paths[i], force, &e) != MN_OK) {
            cli_error(c, &e);
            return CLI_FAIL;
        }
    }
    return CLI_OK;
}

void cli_errorf(const cli_ctx *c, const char *fmt, ...)
{
    (void)c;
    va_list ap;
    va_start(ap, fmt);
    fputs("mnsim: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const cli_ctx *c, const char *cmd, const char *fmt, ...)
{
    (void)c;
    va_list ap;
    va_start(ap, fmt);
    fputs("mnsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nTry 'mnsim %s --help'.\n", cmd);
    else
        fputs("\nTry 'mnsim --help'.\n", stderr);
    return CLI_USAGE;
}

static int has_file(const char *dir, const char *name)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Data directory: --data-dir, $MNSIM_DATA_DIR, next to the installed
 * command (../share/mnsim), the source tree of a build, the install
 * prefix. */
static const char *find_data_dir(cli_ctx *c)
{
    if (c->data_dir)
        return c->data_dir;
    const char *env = getenv("MNSIM_DATA_DIR");
    if (env && *env) {
        snprintf(c->found_data_dir, sizeof c->found_data_dir, "%s", env);
        return c->data_dir = c->found_data_dir;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 64];
            snprintf(cand, sizeof cand, "%s/%s", exe, MNSIM_REL_DATA_DIR);
            if (has_file(cand, "devices.yaml")) {
                snprintf(c->found_data_dir, sizeof c->found_data_dir, "%s", cand);
                return c->data_dir = c->found_data_dir;
            }
        }
    }
    const char *fixed[] = {MNSIM_SOURCE_DATA_DIR, MNSIM_INSTALL_DATA_DIR};
    for (int i = 0; i < 2; i++)
        if (has_file(fixed[i], "devices.yaml")) {
            snprintf(c->found_data_dir, sizeof c->found_data_dir, "%s", fixed[i]);
            return c->data_dir = c->found_data_dir;
        }
    return NULL;
}

int cli_data_file(cli_ctx *c, const char *name, char *buf, size_t n)
{
    const char *dir = find_data_dir(c);
    if (!dir) {
        cli_errorf(c,
                   "cannot find mnsim's data directory (looked for "
                   "devices.yaml next to the command, in %s and in %s); "
                   "set MNSIM_DATA_DIR or use --data-dir",
                   MNSIM_SOURCE_DATA_DIR, MNSIM_INSTALL_DATA_DIR);
        return CLI_FAIL;
    }
    snprintf(buf, n, "%s/%s", dir, name);
    return CLI_OK;
}

int cli_data_dir(cli_ctx *c, char *buf, size_t n)
{
    if (cli_data_file(c, "", buf, n))
        return CLI_FAIL;
    size_t len = strlen(buf);
    if (len && buf[len - 1] == '/')
        buf[len - 1] = '\0';
    return CLI_OK;
}

static void print_diags(const mn_diags *d)
{
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "%s: %s\n", mn_severity_name(d->severity[i]),
                mn_error_format(&d->items[i], buf, sizeof buf));
}

int cli_fail_diags(const cli_ctx *c, const mn_diags *d, const mn_error *e)
{
    print_diags(d);
    if (!d->count)
        cli_error(c, e);
    return CLI_FAIL;
}

int cli_load_devices(cli_ctx *c, mn_device_list *out)
{
    char path[4200];
    if (cli_data_file(c, "devices.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_devices_load(path, out, &d, &e);
    if (st != MN_OK) {
        cli_errorf(c, "the device catalog is damaged:");
        print_diags(&d);
    }
    mn_diags_free(&d);
    return st == MN_OK ? CLI_OK : CLI_FAIL;
}

int cli_load_depth_params(cli_ctx *c, mn_depth_params *out)
{
    char path[4200];
    if (cli_data_file(c, "penetration.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (mn_depth_params_load(path, out, NULL, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_load_channel_params(cli_ctx *c, mn_channel_params *out)
{
    char path[4200];
    if (cli_data_file(c, "channels.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (mn_channel_params_load(path, out, NULL, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cli_load_sites(cli_ctx *c, mn_site_list *out)
{
    char path[4200];
    if (cli_data_file(c, "sites.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_sites_load(path, out, &d, &e);
    if (st != MN_OK) {
        cli_errorf(c, "the site atlas is damaged:");
        print_diags(&d);
    }
    mn_diags_free(&d);
    return st == MN_OK ? CLI_OK : CLI_FAIL;
}

int cli_load_zones(cli_ctx *c, const char *file, mn_zone_list *out)
{
    char path[4200];
    if (file)
        snprintf(path, sizeof path, "%s", file);
    else if (cli_data_file(c, "zones.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    mn_diags d = {0};
    mn_status st = mn_zones_load(path, out, &d, &e);
    if (st != MN_OK) {
        cli_errorf(c, "%s has errors:", path);
        print_diags(&d);
    }
    mn_diags_free(&d);
    return st == MN_OK ? CLI_OK : CLI_FAIL;
}

int cli_print_json(cli_ctx *c, mn_json *j)
{
    char *text = mn_json_text(j);
    mn_json_free(j);
    if (!text) {
        cli_errorf(c, "out of memory writing JSON");
        return CLI_FAIL;
    }
    fputs(text, stdout);
    size_t n = strlen(text);
    if (n == 0 || text[n - 1] != '\n')
        fputc('\n', stdout);
    free(text);
    return CLI_OK;
}

int cli_is_help(const char *arg)
{
    return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

void cli_print_command_help(const cli_command *cmd)
{
    printf("%s", cmd->usage);
}

int cli_parse_sex(const cli_ctx *c, const char *cmd, const char *v, mn_sex *out)
{
    if (!strcmp(v, "female") || !strcmp(v, "f"))
        *out = MN_SEX_FEMALE;
    else if (!strcmp(v, "male") || !strcmp(v, "m"))
        *out = MN_SEX_MALE;
    else
        return cli_usage_error(c, cmd, "--sex must be female or male, not '%s'", v);
    return CLI_OK;
}

int cli_parse_pressure(const cli_ctx *c, const char *cmd, const mn_depth_params *p,
                       const char *text, double *force_n, const char **label)
{
    for (int i = 0; i < MN_PRESSURE_COUNT; i++)
        if (!strcmp(text, mn_pressure_name(i))) {
            *force_n = p->hand_force_n[i];
            *label = mn_pressure_name(i);
            return CLI_OK;
        }
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(text, MN_UNIT_FORCE, force_n, &e) != MN_OK)
        return cli_usage_error(
            c, cmd, "--pressure: light, medium, firm or a force such as \"8 N\" (%s)",
            e.message);
    if (!(*force_n > 0 && *force_n <= 200))
        return cli_usage_error(c, cmd, "--pressure: a force must be in 0-200 N");
    *label = text;
    return CLI_OK;
}
