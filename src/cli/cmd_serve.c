/* mnsim serve: the web app (src/web) on this computer; prints its address
 * and serves until SIGINT or SIGTERM. */
#include "cli.h"
#include "opts.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "web.h"

typedef struct {
    const char *listen, *journal, *url_file;
    long port, threads, max_runs;
} serve_opts;

static int parse(cli_ctx *c, int argc, char **argv, serve_opts *o)
{
    memset(o, 0, sizeof *o);
    const cli_opt opts[] = {
        CLI_LONG("--port", &o->port, 0, 65535),
        CLI_STR("--listen", &o->listen),
        CLI_STR("--journal", &o->journal),
        CLI_STR("--url-file", &o->url_file),
        CLI_LONG("--threads", &o->threads, 1, 64),
        CLI_LONG("--max-runs", &o->max_runs, 1, 64),
    };
    return cli_opts_parse(c, "serve", opts, sizeof opts / sizeof *opts, argc, argv,
                          NULL, 0, NULL);
}

static int run_serve(cli_ctx *c, int argc, char **argv)
{
    serve_opts o;
    int rc = parse(c, argc, argv, &o);
    if (rc)
        return rc;
    char data[4200], examples[4300];
    if (cli_data_dir(c, data, sizeof data))
        return CLI_FAIL;
    struct stat st;
    snprintf(examples, sizeof examples, "%s/../examples", data);
    if (stat(examples, &st) || !S_ISDIR(st.st_mode))
        snprintf(examples, sizeof examples, "%s/examples", data);
    if (o.url_file && cli_check_outputs(c, &o.url_file, 1, 0))
        return CLI_FAIL;
    /* SIGINT and SIGTERM wait for sigwait below: every thread of the
     * server inherits the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    web_options wo = {o.listen, (int)o.port, data,           o.journal,
                      examples, 0,           (int)o.threads, (int)o.max_runs};
    web_server *s;
    mn_error e;
    mn_error_clear(&e);
    if (web_start(&wo, &s, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (o.url_file) {
        char text[256];
        snprintf(text, sizeof text, "%s\n", web_url(s));
        if (mn_file_write(o.url_file, text, strlen(text), 0, 0600, &e) != MN_OK) {
            cli_error(c, &e);
            web_stop(s);
            return CLI_FAIL;
        }
    }
    printf("mnsim serve: open %s\n", web_url(s));
    printf("The address holds the access token: share it with nobody. Ctrl-C stops.\n"
           "mnsim informs; it is not medical advice.\n");
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    web_stop(s);
    if (!c->quiet)
        fprintf(stderr, "mnsim serve: stopped (%s)\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM");
    return CLI_OK;
}

const cli_command cmd_serve = {
    "serve", "the web app: plan, check, run and record in a browser",
    "Usage: mnsim serve [--port N] [--listen ADDR] [--journal FILE]\n"
    "                   [--url-file FILE] [--threads N] [--max-runs N]\n\n"
    "Serves mnsim's web app (docs/api.md) on 127.0.0.1 and prints the address to\n"
    "open, with a random access token (keep it private: it is the key). --port N\n"
    "(default 0: any free port); --listen ADDR binds another IPv4 address (every\n"
    "request still needs the token). --journal FILE: the treatment journal (default\n"
    "as mnsim journal). --url-file FILE also writes the address into a new file\n"
    "(0600). Runs go into a private folder (0700) that is removed on exit; at most\n"
    "--max-runs (default: the cores) courses run at once, the rest wait. Serves\n"
    "until SIGINT (Ctrl-C) or SIGTERM. Not medical advice.\n",
    run_serve};
