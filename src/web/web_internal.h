/* What the files of the web app share (floor: web). */
#ifndef MNSIM_WEB_INTERNAL_H
#define MNSIM_WEB_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "mnsim/json.h"
#include "mnsim/course.h"
#include "mnsim/journal.h"
#include "mnsim/plan.h"
#include "mnsim/readiness.h"
#include "mnsim/rules.h"
#include "mnsim/skin.h"
#include "web.h"
#include "web_form.h"

/* ---- a growing text -------------------------------------------------- */
typedef struct {
    char *s;
    size_t n, cap;
    int failed; /* out of memory: the text is incomplete */
} web_buf;

void web_buf_add(web_buf *b, const char *s, size_t n);
void web_buf_puts(web_buf *b, const char *s);
void web_buf_printf(web_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s with & < > " ' escaped for HTML text and attribute values. */
void web_buf_html(web_buf *b, const char *s);
void web_buf_free(web_buf *b);

/* ---- runs ------------------------------------------------------------ */
typedef struct web_runs web_runs;
mn_status web_runs_start(web_runs **out, const char *dir, const char *data_dir,
                         int max_runs, mn_error *err);
void web_runs_stop(web_runs *r);

/* ---- the server ------------------------------------------------------- */
struct web_server {
    struct MHD_Daemon *daemon;
    char token[65];
    char csrf[65];
    char url[160];
    char origin[96];     /* http://127.0.0.1:PORT */
    char host[96];       /* 127.0.0.1:PORT */
    char local_host[96]; /* localhost:PORT */
    char work[4096];     /* the private folder */
    char data_dir[4096];
    char examples[4096];
    char journal_path[4096];
    size_t max_body;
    int port;
    web_runs *runs;
    pthread_mutex_t journal_lock; /* one SQLite connection, one user at a time */
    mn_journal *journal;
    uint64_t counter; /* names of temporary files */
    pthread_mutex_t counter_lock;
};

/* One request, its body read. */
typedef struct {
    web_server *srv;
    struct MHD_Connection *conn;
    const char *method, *path;
    const char *body;
    size_t body_n;
    int is_post;
} web_req;

/* Queue resp (destroyed) with the security headers every reply carries
 * (Content-Security-Policy, nosniff, Referrer-Policy, no-store) and type
 * (may be NULL). */
enum MHD_Result web_queue(web_req *r, unsigned status, struct MHD_Response *resp,
                          const char *type);
/* Replies; each returns what the request handler returns. text is copied. */
enum MHD_Result web_reply(web_req *r, unsigned status, const char *type,
                          const char *text, size_t n);
/* A JSON document (freed). */
enum MHD_Result web_reply_json(web_req *r, unsigned status, mn_json *j);
/* {"error": message} with the status. */
enum MHD_Result web_reply_error(web_req *r, unsigned status, const char *message);
/* An HTML page: the head, the navigation, body_html, the note; b freed. */
enum MHD_Result web_reply_page(web_req *r, unsigned status, const char *title,
                               web_buf *b);
/* 303 See Other to location. */
enum MHD_Result web_redirect(web_req *r, const char *location);

/* A value of the query string, or NULL. */
const char *web_query(web_req *r, const char *key);
/* A field of a form body (application/x-www-form-urlencoded), decoded into
 * a malloc'd string, or NULL (no such field, or out of memory; a value with
 * a NUL byte never reaches here: the server refuses the form).
 * web_form_field (web_form.h) says which. */
char *web_form(web_req *r, const char *key);
/* A new file name in the private folder: DIR/PREFIX-N.EXT. */
void web_temp_path(web_server *s, const char *prefix, const char *ext, char *buf,
                   size_t n);
/* The whole file path into a malloc'd buffer (*n its size), or NULL. */
char *web_read_file(const char *path, size_t max, size_t *n);

/* The routes: each returns MHD_NO when it has nothing at that path. */
int web_api(web_req *r, enum MHD_Result *ret);
int web_api_runs(web_req *r, enum MHD_Result *ret);
int web_pages(web_req *r, enum MHD_Result *ret);
int web_run_pages(web_req *r, enum MHD_Result *ret);

/* ---- what the pages and the API share ------------------------------------ */
/* A protocol's text checked (mnsim check): its findings into j's root
 * ("ok", "findings" [{severity, line, column, message}], "references"),
 * and when html is not NULL the same as <li> items into it. */
void web_check_text(web_server *s, const char *text, size_t n, mn_json *j,
                    web_buf *html);

/* 1 when the protocol file at path names a device file (that the library
 * would read), with msg saying which; 0 otherwise (also when it does not
 * load: its check says why). */
int web_protocol_names_file(const char *path, char *msg, size_t n);

typedef struct {
    const char *indication, *zones, *start, *setting, *device;
} web_plan_req;
/* A plan (mnsim plan): its course, sessions, source and findings. */
typedef struct {
    mn_course course;
    mn_plan_session *ps;
    char *source;
    mn_findings f;
} web_plan_out;
/* 200, 400 (the request; message), 422 (the plan breaks a rule: o holds it),
 * 500. Free o with web_plan_free whatever it returns. */
unsigned web_plan_make(web_server *s, const web_plan_req *q, web_plan_out *o,
                       char *message, size_t n);
void web_plan_free(web_plan_out *o);
/* As mnsim plan --json prints it, with the findings. */
mn_json *web_plan_json(const web_plan_req *q, const web_plan_out *o);
/* The sessions as an iCalendar text (malloc'd), or NULL. */
char *web_plan_ics(web_server *s, const web_plan_req *q, const web_plan_out *o);
/* A hidden CSRF field for a form. */
void web_csrf_field(web_req *r, web_buf *b);

/* The journal, opened once (create) and locked for the caller; NULL and
 * the error when it cannot be opened. Unlock with web_journal_release. */
mn_journal *web_journal_take(web_server *s, mn_error *e);
void web_journal_release(web_server *s);

/* When each zone of a person is due (mn_journal_next, as mnsim journal
 * next: the interval rules and the healing model). */
typedef struct {
    mn_rules rules;
    int have_rules;
    mn_site_list sites;
    mn_readiness rd;
    size_t n_sessions;
    int healing_ran;
    char problem[MN_ERROR_MSG_MAX];
} web_next;
/* 200, or 400 (a bad date or indication), 404 (no such person), 500, and
 * e. indication: as mnsim journal next --format (NULL: fine-lines). Free x
 * with web_next_free whatever it returns. */
unsigned web_next_compute(web_server *s, const char *person, const char *on,
                          const char *indication, web_next *x, mn_error *e);
void web_next_free(web_next *x);

/* The runs. */
typedef struct {
    long id;
    char status[16]; /* queued, running, done, failed, cancelled */
    double fraction;
    char stage[32];
    char message[MN_ERROR_MSG_MAX];
    size_t errors, warnings;
    int has_report;
} web_run_info;
/* Queue a protocol's text; its id, or -1 and a message (HTTP status in
 * *status: 400, 503). */
long web_run_submit(web_runs *r, const char *text, size_t n, long samples, int deliver,
                    unsigned *status, char *message, size_t mn);
int web_run_get(web_runs *r, long id, web_run_info *out);
int web_run_cancel(web_runs *r, long id);
/* The ids, newest first, at most max; their count. */
size_t web_run_list(web_runs *r, long *ids, size_t max);
/* The path of a run's output file name (one of the report's files), or 0. */
int web_run_file(web_runs *r, long id, const char *name, char *buf, size_t n);

/* The note every page and document carries. */
#define WEB_NOTE "mnsim informs; it is not medical advice."

#endif
