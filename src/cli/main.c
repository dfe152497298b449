/* mnsim: the command. Parses global options and dispatches. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The commands, in the order of `mnsim --help` (see commands.def). */
#define MN_COMMAND(name) extern const cli_command cmd_##name;
#include "commands.def"
#undef MN_COMMAND

const cli_command *const cli_commands[] = {
#define MN_COMMAND(name) &cmd_##name,
#include "commands.def"
#undef MN_COMMAND
    NULL};

static const cli_command *find_command(const char *name)
{
    for (int i = 0; cli_commands[i]; i++)
        if (!strcmp(cli_commands[i]->name, name))
            return cli_commands[i];
    return NULL;
}

static void print_main_help(void)
{
    printf("mnsim %s: simulate and plan microneedling therapy\n\n"
           "Usage: mnsim [--json] [--quiet] [--data-dir DIR] COMMAND [options]\n\n"
           "Commands:\n",
           MNSIM_VERSION);
    for (int i = 0; cli_commands[i]; i++)
        printf("  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    printf("\nGlobal options (anywhere on the line):\n"
           "  --json          machine-readable output on stdout\n"
           "  -q, --quiet     print only errors on stderr\n"
           "  --data-dir DIR  read the catalogs (devices.yaml, sites.yaml) from DIR\n"
           "  -h, --help      show help (also: mnsim help COMMAND)\n"
           "  --version       show the version\n\n"
           "Exit codes: 0 success, 1 failure, 2 usage error.\n"
           "mnsim informs; it does not prescribe. Its output is not medical advice.\n");
}

/* Remove the global options from argv wherever they are; returns the new
 * argc, or -1 after printing a usage error. */
static int take_global_options(cli_ctx *c, int argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(a, "--json"))
            c->json = 1;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
            c->quiet = 1;
        else if (!strcmp(a, "--data-dir")) {
            if (i + 1 >= argc) {
                cli_usage_error(c, NULL, "--data-dir needs a directory");
                return -1;
            }
            c->data_dir = argv[++i];
        } else if (!strncmp(a, "--data-dir=", 11))
            c->data_dir = a + 11;
        else
            argv[out++] = argv[i];
    }
    argv[out] = NULL;
    return out;
}

static int run_help(cli_ctx *c, int argc, char **argv)
{
    (void)c;
    if (argc < 2) {
        print_main_help();
        return CLI_OK;
    }
    const cli_command *cmd = find_command(argv[1]);
    if (!cmd)
        return cli_usage_error(c, NULL, "no command named '%s'", argv[1]);
    cli_print_command_help(cmd);
    return CLI_OK;
}

const cli_command cmd_help = {
    "help", "show help for mnsim or for one command",
    "Usage: mnsim help [COMMAND]\n\nShow the list of commands, or the help of "
    "one command.\n",
    run_help};

static int run_version(cli_ctx *c, int argc, char **argv)
{
    (void)argc, (void)argv;
    if (c->json) {
        mn_json *j = mn_json_new();
        if (!j)
            return CLI_FAIL;
        mn_json_str(j, mn_json_root(j), "mnsim_version", MNSIM_VERSION);
        return cli_print_json(c, j);
    }
    printf("mnsim %s\n", MNSIM_VERSION);
    return CLI_OK;
}

const cli_command cmd_version = {
    "version", "show the version of mnsim",
    "Usage: mnsim version [--json]\n\nShow the version of mnsim.\n", run_version};

int main(int argc, char **argv)
{
    cli_ctx c;
    memset(&c, 0, sizeof c);
    c.argv0 = argv[0];
    c.stderr_tty = isatty(2);
    argc = take_global_options(&c, argc, argv);
    if (argc < 0)
        return CLI_USAGE;
    if (argc < 2) {
        print_main_help();
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (cli_is_help(name)) {
        print_main_help();
        return CLI_OK;
    }
    if (!strcmp(name, "--version"))
        return run_version(&c, 0, NULL);
    const cli_command *cmd = find_command(name);
    if (!cmd) {
        if (name[0] == '-')
            return cli_usage_error(&c, NULL, "unknown option '%s'", name);
        return cli_usage_error(&c, NULL, "no command named '%s'", name);
    }
    for (int i = 2; i < argc; i++)
        if (cli_is_help(argv[i])) {
            cli_print_command_help(cmd);
            return CLI_OK;
        }
    fflush(stdout);
    int rc = cmd->run(&c, argc - 1, argv + 1);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_errorf(&c, "cannot write the output");
        return CLI_FAIL;
    }
    return rc;
}
