/* The web app of `mnsim serve` (floor: web, between the library's floors
 * and the command): an HTTP server on libmicrohttpd that parses requests,
 * calls the library and renders HTML or JSON. It never prints: the command
 * (src/cli/cmd_serve.c) prints its URL and waits for SIGINT or SIGTERM.
 *
 * Security (docs/api.md): a random access token on every request (the
 * cookie the first visit sets, or "Authorization: Bearer TOKEN"); every
 * POST from the same origin only (Origin, Sec-Fetch-Site) and with the
 * CSRF token (a form field or the X-CSRF-Token header) or the bearer
 * token; bodies capped; only the app's own files served; runs in a
 * private 0700 folder, never more at once than cores. */
#ifndef MNSIM_WEB_H
#define MNSIM_WEB_H

#include <stddef.h>

#include "mnsim/error.h"

typedef struct {
    const char *listen;   /* address to bind, "127.0.0.1" by default */
    int port;             /* 0: any free port */
    const char *data_dir; /* the data directory (devices.yaml, ...) */
    const char *journal;  /* the journal's file, NULL: the default */
    const char *examples; /* folder of example protocols, or NULL */
    size_t max_body;      /* bytes; 0: WEB_MAX_BODY */
    int threads;          /* HTTP threads; 0: 4 */
    int max_runs;         /* courses at once; 0: the cores */
} web_options;

/* The largest request body accepted (bytes): 1 MiB. Larger: 413. */
#define WEB_MAX_BODY (1024 * 1024)

typedef struct web_server web_server;

/* Start serving. Errors: MN_EINVAL (a bad address), MN_EIO (cannot bind
 * or make the private folder), MN_ENOMEM. */
mn_status web_start(const web_options *o, web_server **out, mn_error *err);

/* The URL to open, with the access token ("http://127.0.0.1:PORT/?token=..."). */
const char *web_url(const web_server *s);

/* The private folder of the runs (0700). */
const char *web_work_dir(const web_server *s);

/* Stop: no new requests, cancel the runs, wait for them, remove the
 * private folder, free. s may be NULL. */
void web_stop(web_server *s);

#endif
