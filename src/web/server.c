/* The web app's server (floor: web): libmicrohttpd's daemon with a thread
 * pool, the access token, the CSRF checks, the body cap and the dispatch to
 * the routes (the replies: http.c). It never prints. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "web_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnsim/file.h"

/* ---- access ------------------------------------------------------------ */

/* Equal without a timing that says how much of the token was right. */
static int same_secret(const char *given, const char *secret)
{
    if (!given)
        return 0;
    size_t n = strlen(secret);
    if (strlen(given) != n)
        return 0;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(given[i] ^ secret[i]);
    return d == 0;
}

static const char *header(web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static int bearer_ok(web_req *r)
{
    const char *a = header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    return a && !strncmp(a, "Bearer ", 7) && same_secret(a + 7, r->srv->token);
}

static int cookie_ok(web_req *r)
{
    return same_secret(
        MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "mnsim_token"),
        r->srv->token);
}

/* A POST from this app's own pages, or from a program with the token:
 * 0, or the status and why not. */
static unsigned post_refused(web_req *r, const char **why)
{
    const char *site = header(r, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none")) {
        *why = "a request from another site is refused (Sec-Fetch-Site)";
        return 403;
    }
    const char *origin = header(r, "Origin");
    if (origin && strcmp(origin, r->srv->origin)) {
        char local[128];
        snprintf(local, sizeof local, "http://%s", r->srv->local_host);
        if (strcmp(origin, local)) {
            *why = "a request from another origin is refused (Origin)";
            return 403;
        }
    }
    if (bearer_ok(r))
        return 0;
    if (same_secret(header(r, "X-CSRF-Token"), r->srv->csrf))
        return 0;
    const char *type = header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (type && !strncmp(type, "application/x-www-form-urlencoded", 33)) {
        char *csrf = web_form(r, "csrf");
        int ok = same_secret(csrf, r->srv->csrf);
        free(csrf);
        if (ok)
            return 0;
    }
    *why = "the CSRF token is missing or wrong";
    return 403;
}

static enum MHD_Result refuse_token(web_req *r)
{
    static const char page[] =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>mnsim: access token needed</title></head><body>"
        "<h1>Access token needed</h1><p>Open the address that <code>mnsim serve</code> "
        "printed (it ends with <code>?token=...</code>).</p><p>" WEB_NOTE
        "</p></body></html>";
    if (!strncmp(r->path, "/api/", 5))
        return web_reply_error(r, 401, "the access token is missing or wrong");
    return web_reply(r, 401, "text/html; charset=utf-8", page, sizeof page - 1);
}

/* ?token=TOKEN on a GET: the cookie, and the same address without it. */
static enum MHD_Result accept_token(web_req *r)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie, "mnsim_token=%s; HttpOnly; SameSite=Strict; Path=/",
             r->srv->token);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->path);
    return web_queue(r, 303, resp, "text/plain");
}

/* ---- dispatch ------------------------------------------------------------ */

typedef struct {
    web_buf body;
    int too_big;
    size_t dropped; /* bytes read and dropped after the cap */
} conn_state;

/* Counts the values (of the query string) that hold a NUL byte ("%00"):
 * the pages read them as C strings, which would cut them short. */
static enum MHD_Result count_nul(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_n, const char *value, size_t value_n)
{
    (void)kind;
    if (strlen(key) != key_n || (value && strlen(value) != value_n))
        ++*(int *)cls;
    return MHD_YES;
}

/* 0, or why the request's query string or form body is refused (400). */
static const char *undecodable(web_req *r)
{
    int nul = 0;
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, count_nul, &nul);
    if (nul)
        return "a value of the query string holds a NUL byte (%00)";
    const char *type = header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (r->is_post && type && !strncmp(type, "application/x-www-form-urlencoded", 33) &&
        web_form_check(r->body, r->body_n))
        return "a field of the form holds a NUL byte (%00)";
    return NULL;
}

static enum MHD_Result dispatch(web_req *r)
{
    web_server *s = r->srv;
    const char *host = header(r, MHD_HTTP_HEADER_HOST);
    /* DNS rebinding: only our own address names this server. */
    if (s->host[0] && (!host || (strcmp(host, s->host) && strcmp(host, s->local_host))))
        return web_reply_error(r, 403, "unknown Host");
    const char *bad = undecodable(r);
    if (bad)
        return web_reply_error(r, 400, bad);
    const char *qt = web_query(r, "token");
    if (qt && !r->is_post && same_secret(qt, s->token))
        return accept_token(r);
    if (!bearer_ok(r) && !cookie_ok(r))
        return refuse_token(r);
    if (r->is_post) {
        const char *why = NULL;
        unsigned st = post_refused(r, &why);
        if (st)
            return web_reply_error(r, st, why);
    }
    enum MHD_Result ret = MHD_NO;
    if (web_api(r, &ret) || web_api_runs(r, &ret) || web_pages(r, &ret) ||
        web_run_pages(r, &ret))
        return ret;
    if (!strncmp(r->path, "/api/", 5))
        return web_reply_error(r, 404, "no such resource");
    web_buf b = {0};
    web_buf_puts(&b, "<h1>Not found</h1><p>There is no page at this address.</p>");
    return web_reply_page(r, 404, "Not found", &b);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    web_server *s = cls;
    (void)version;
    conn_state *cs = *con_cls;
    if (!cs) {
        if (!(cs = calloc(1, sizeof *cs)))
            return MHD_NO;
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cs->too_big && cs->body.n + *upload_data_size > s->max_body) {
            cs->too_big = 1; /* the rest is read and dropped */
            web_buf_free(&cs->body);
        }
        if (!cs->too_big)
            web_buf_add(&cs->body, upload_data, *upload_data_size);
        else if ((cs->dropped += *upload_data_size) > 64 * s->max_body)
            return MHD_NO; /* a body without end: the connection is closed */
        *upload_data_size = 0;
        return MHD_YES;
    }
    web_req r = {s, conn, method, url, cs->body.s ? cs->body.s : "", cs->body.n, 0};
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    r.is_post = !strcmp(method, "POST") || !strcmp(method, "DELETE");
    if (!get && !r.is_post)
        return web_reply_error(&r, 405, "method not allowed");
    if (cs->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "the body is larger than %zu bytes", s->max_body);
        return web_reply_error(&r, 413, msg);
    }
    if (cs->body.failed)
        return web_reply_error(&r, 500, "out of memory");
    return dispatch(&r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    conn_state *cs = *con_cls;
    if (cs) {
        web_buf_free(&cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

/* ---- start and stop -------------------------------------------------------- */

static int random_hex(char *out, size_t n_bytes)
{
    unsigned char raw[32];
    if (n_bytes > sizeof raw || getrandom(raw, n_bytes, 0) != (ssize_t)n_bytes)
        return -1;
    for (size_t i = 0; i < n_bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

static mn_status make_work_dir(web_server *s, mn_error *err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(s->work, sizeof s->work, "%s/mnsim-serve-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->work)) /* mkdtemp makes it 0700 */
        return mn_error_set(err, MN_EIO, "cannot make a private folder in %s: %s",
                            tmp && *tmp ? tmp : "/tmp", strerror(errno));
    chmod(s->work, 0700);
    return MN_OK;
}

mn_status web_start(const web_options *o, web_server **out, mn_error *err)
{
    *out = NULL;
    web_server *s = calloc(1, sizeof *s);
    if (!s)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    pthread_mutex_init(&s->journal_lock, NULL);
    pthread_mutex_init(&s->counter_lock, NULL);
    s->max_body = o->max_body ? o->max_body : WEB_MAX_BODY;
    snprintf(s->data_dir, sizeof s->data_dir, "%s", o->data_dir ? o->data_dir : "");
    snprintf(s->examples, sizeof s->examples, "%s", o->examples ? o->examples : "");
    if (o->journal)
        snprintf(s->journal_path, sizeof s->journal_path, "%s", o->journal);
    else if (mn_journal_default_path(s->journal_path, sizeof s->journal_path, err) !=
             MN_OK)
        goto fail;
    const char *addr = o->listen ? o->listen : "127.0.0.1";
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        mn_error_set(err, MN_EINVAL, "--listen: '%s' is not an IPv4 address", addr);
        goto fail;
    }
    if (random_hex(s->token, 24) || random_hex(s->csrf, 24)) {
        mn_error_set(err, MN_EIO, "no random numbers for the access token");
        goto fail;
    }
    if (make_work_dir(s, err) != MN_OK)
        goto fail;
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (web_runs_start(&s->runs, s->work, s->data_dir,
                       o->max_runs > 0 ? o->max_runs : (cores > 0 ? cores : 1),
                       err) != MN_OK)
        goto fail;
    unsigned threads = (unsigned)(o->threads > 0 ? o->threads : 4);
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        threads, MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        1024u, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(128 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!s->daemon) {
        mn_error_set(err, MN_EIO, "cannot listen on %s port %d", addr, o->port);
        goto fail;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    snprintf(s->host, sizeof s->host, "%s:%d", addr, s->port);
    snprintf(s->local_host, sizeof s->local_host, "localhost:%d", s->port);
    snprintf(s->origin, sizeof s->origin, "http://%s", s->host);
    snprintf(s->url, sizeof s->url, "http://%s/?token=%s", s->host, s->token);
    if (strcmp(addr, "127.0.0.1")) /* another address: any Host, the token guards */
        s->host[0] = '\0';
    *out = s;
    return MN_OK;
fail:
    web_stop(s);
    return err ? err->code : MN_EIO;
}

const char *web_url(const web_server *s)
{
    return s->url;
}

const char *web_work_dir(const web_server *s)
{
    return s->work;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    remove(path); /* what cannot go stays; the rest is removed */
    return 0;
}

void web_stop(web_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    web_runs_stop(s->runs);
    if (s->journal)
        mn_journal_close(s->journal);
    if (s->work[0] && strstr(s->work, "mnsim-serve-"))
        nftw(s->work, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    pthread_mutex_destroy(&s->journal_lock);
    pthread_mutex_destroy(&s->counter_lock);
    free(s);
}
