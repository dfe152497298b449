/* The web app's runs (floor: web): a queue of courses, never more running
 * at once than the workers (the cores), each cancellable, its protocol and
 * report in the private folder (0700). The course is mn_course_load and
 * mn_course_run, its report mn_report_write_all, as `mnsim run` does. */
#include "web_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnsim/course_io.h"
#include "mnsim/course_run.h"
#include "mnsim/file.h"
#include "mnsim/report.h"
#include "mnsim/validation_io.h"

#define MAX_RUNS 256 /* kept; the oldest finished ones make room */
#define MAX_WORKERS 64

typedef struct {
    web_run_info info;
    long samples;
    int deliver;
    int cancel;
    int used;
} run_slot;

struct web_runs {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t workers[MAX_WORKERS];
    int n_workers;
    int stopping;
    run_slot slots[MAX_RUNS];
    long next_id;
    char dir[4096];
    char data_dir[4096];
};

static run_slot *find(web_runs *r, long id)
{
    for (int i = 0; i < MAX_RUNS; i++)
        if (r->slots[i].used && r->slots[i].info.id == id)
            return &r->slots[i];
    return NULL;
}

typedef struct {
    web_runs *r;
    long id;
} run_ctx;

/* Progress into the slot; the cancel flag back to the pipeline. */
static int on_progress(void *user, double fraction, const char *stage)
{
    run_ctx *x = user;
    pthread_mutex_lock(&x->r->lock);
    run_slot *s = find(x->r, x->id);
    int cancel = !s || s->cancel || x->r->stopping;
    if (s) {
        s->info.fraction = fraction;
        snprintf(s->info.stage, sizeof s->info.stage, "%s", stage);
    }
    pthread_mutex_unlock(&x->r->lock);
    return cancel;
}

static void run_one(web_runs *r, long id, long samples, int deliver)
{
    char proto[4300], out[4300];
    snprintf(proto, sizeof proto, "%s/run-%ld/protocol.yaml", r->dir, id);
    snprintf(out, sizeof out, "%s/run-%ld/report", r->dir, id);
    mn_course course;
    mn_course_outcome outcome;
    memset(&course, 0, sizeof course);
    memset(&outcome, 0, sizeof outcome);
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_course_run_options o;
    mn_course_run_options_default(&o);
    if (samples >= 0)
        o.simulate.n_samples = (size_t)samples;
    o.deliver = deliver;
    run_ctx x = {r, id};
    mn_progress prog = {on_progress, &x};
    mn_status st = MN_OK;
    if (web_protocol_names_file(proto, e.message, sizeof e.message))
        st = MN_EINVAL;
    else
        st = mn_course_load(proto, r->data_dir, &course, &d, &e);
    if (st != MN_OK && d.count)
        e = d.items[0];
    if (st == MN_OK)
        st = mn_course_run(&course, &o, &prog, &outcome, &e);
    /* The published record of the models used, as mnsim run shows it. */
    mn_course_evidence ev;
    memset(&ev, 0, sizeof ev);
    if (st == MN_OK) {
        st = mn_course_evidence_load(r->data_dir, &course, outcome.delivery.count > 0,
                                     &ev, &d, &e);
        if (st != MN_OK && d.count)
            e = d.items[0];
        outcome.evidence = mn_course_evidence_view(&ev);
    }
    if (st == MN_OK)
        st = mn_report_write_all(out, 0, "protocol.yaml", &course, &outcome, &e);
    pthread_mutex_lock(&r->lock);
    run_slot *s = find(r, id);
    if (s) {
        if (st == MN_OK) {
            snprintf(s->info.status, sizeof s->info.status, "done");
            s->info.fraction = 1;
            s->info.has_report = 1;
            s->info.errors = outcome.course.findings.n_errors;
            s->info.warnings = outcome.course.findings.n_warnings;
        } else {
            snprintf(s->info.status, sizeof s->info.status, "%s",
                     st == MN_ECANCEL ? "cancelled" : "failed");
            snprintf(s->info.message, sizeof s->info.message, "%s", e.message);
        }
    }
    pthread_mutex_unlock(&r->lock);
    mn_course_outcome_free(&outcome);
    mn_course_evidence_free(&ev);
    mn_course_free(&course);
    mn_diags_free(&d);
}

static void *worker(void *arg)
{
    web_runs *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        run_slot *next = NULL;
        for (int i = 0; i < MAX_RUNS && !r->stopping; i++) {
            run_slot *s = &r->slots[i];
            if (s->used && !strcmp(s->info.status, "queued") &&
                (!next || s->info.id < next->info.id))
                next = s;
        }
        if (r->stopping)
            break;
        if (!next) {
            pthread_cond_wait(&r->wake, &r->lock);
            continue;
        }
        snprintf(next->info.status, sizeof next->info.status, "running");
        long id = next->info.id, samples = next->samples;
        int deliver = next->deliver;
        pthread_mutex_unlock(&r->lock);
        run_one(r, id, samples, deliver);
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

mn_status web_runs_start(web_runs **out, const char *dir, const char *data_dir,
                         int max_runs, mn_error *err)
{
    web_runs *r = calloc(1, sizeof *r);
    if (!r)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    snprintf(r->data_dir, sizeof r->data_dir, "%s", data_dir);
    r->next_id = 1;
    if (max_runs > MAX_WORKERS)
        max_runs = MAX_WORKERS;
    for (int i = 0; i < max_runs; i++) {
        if (pthread_create(&r->workers[i], NULL, worker, r))
            break;
        r->n_workers++;
    }
    *out = r;
    if (!r->n_workers) {
        web_runs_stop(r);
        *out = NULL;
        return mn_error_set(err, MN_ENOMEM, "cannot start the run workers");
    }
    return MN_OK;
}

void web_runs_stop(web_runs *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = 1; /* running courses hear it at their next progress report */
    pthread_cond_broadcast(&r->wake);
    pthread_mutex_unlock(&r->lock);
    for (int i = 0; i < r->n_workers; i++)
        pthread_join(r->workers[i], NULL);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->wake);
    free(r);
}

/* A free slot: an unused one, else the oldest finished one. */
static run_slot *free_slot(web_runs *r)
{
    run_slot *old = NULL;
    for (int i = 0; i < MAX_RUNS; i++) {
        run_slot *s = &r->slots[i];
        if (!s->used)
            return s;
        if (strcmp(s->info.status, "queued") && strcmp(s->info.status, "running") &&
            (!old || s->info.id < old->info.id))
            old = s;
    }
    return old;
}

long web_run_submit(web_runs *r, const char *text, size_t n, long samples, int deliver,
                    unsigned *status, char *message, size_t mn)
{
    pthread_mutex_lock(&r->lock);
    run_slot *s = free_slot(r);
    long id = s ? r->next_id++ : -1;
    if (s) {
        memset(s, 0, sizeof *s);
        s->used = 1;
        s->info.id = id;
        snprintf(s->info.status, sizeof s->info.status, "preparing");
        s->samples = samples;
        s->deliver = deliver;
    }
    pthread_mutex_unlock(&r->lock);
    if (!s) {
        *status = 503;
        snprintf(message, mn, "%d runs are queued or running; try again later",
                 MAX_RUNS);
        return -1;
    }
    char dir[4300], proto[4400];
    snprintf(dir, sizeof dir, "%s/run-%ld", r->dir, id);
    snprintf(proto, sizeof proto, "%s/protocol.yaml", dir);
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mkdir(dir, 0700) ? MN_EIO : MN_OK;
    if (st == MN_OK)
        st = mn_file_write(proto, text, n, 0, 0600, &e);
    pthread_mutex_lock(&r->lock);
    if (st != MN_OK) {
        s->used = 0;
        id = -1;
        *status = 500;
        snprintf(message, mn, "cannot store the protocol: %s", e.message);
    } else {
        snprintf(s->info.status, sizeof s->info.status, "queued");
        pthread_cond_signal(&r->wake);
    }
    pthread_mutex_unlock(&r->lock);
    return id;
}

int web_run_get(web_runs *r, long id, web_run_info *out)
{
    pthread_mutex_lock(&r->lock);
    run_slot *s = find(r, id);
    if (s)
        *out = s->info;
    pthread_mutex_unlock(&r->lock);
    return s != NULL;
}

int web_run_cancel(web_runs *r, long id)
{
    pthread_mutex_lock(&r->lock);
    run_slot *s = find(r, id);
    if (s) {
        s->cancel = 1;
        if (!strcmp(s->info.status, "queued")) /* never started */
            snprintf(s->info.status, sizeof s->info.status, "cancelled");
    }
    pthread_mutex_unlock(&r->lock);
    return s != NULL;
}

size_t web_run_list(web_runs *r, long *ids, size_t max)
{
    size_t n = 0;
    pthread_mutex_lock(&r->lock);
    for (long id = r->next_id - 1; id >= 1 && n < max; id--)
        if (find(r, id))
            ids[n++] = id;
    pthread_mutex_unlock(&r->lock);
    return n;
}

/* The files of a report a browser may fetch: a fixed list, so no name from
 * a request reaches the file system. */
static const char *const served[] = {"report.html", "results.json", "sessions.csv",
                                     "healing.csv", "delivery.csv", NULL};

int web_run_file(web_runs *r, long id, const char *name, char *buf, size_t n)
{
    web_run_info info;
    if (!web_run_get(r, id, &info) || !info.has_report)
        return 0;
    for (int i = 0; served[i]; i++)
        if (!strcmp(name, served[i])) {
            snprintf(buf, n, "%s/run-%ld/report/%s", r->dir, id, served[i]);
            return 1;
        }
    return 0;
}

/* ---- the API ----------------------------------------------------------------- */

static mn_jnode *info_json(mn_json *j, const web_run_info *i)
{
    mn_jnode *o = mn_json_object(j);
    char url[96];
    mn_json_int(j, o, "id", i->id);
    mn_json_str(j, o, "status", i->status);
    mn_json_num(j, o, "progress", i->fraction);
    mn_json_str(j, o, "stage", i->stage);
    if (i->message[0])
        mn_json_str(j, o, "message", i->message);
    if (i->has_report) {
        mn_json_int(j, o, "errors", (long long)i->errors);
        mn_json_int(j, o, "warnings", (long long)i->warnings);
        snprintf(url, sizeof url, "/runs/%ld/files/report.html", i->id);
        mn_json_str(j, o, "report", url);
        snprintf(url, sizeof url, "/runs/%ld/files/results.json", i->id);
        mn_json_str(j, o, "results", url);
    }
    return o;
}

static enum MHD_Result api_submit(web_req *r)
{
    if (!r->body_n)
        return web_reply_error(r, 400, "the body must be the protocol's YAML or JSON");
    const char *sm = web_query(r, "samples"), *dl = web_query(r, "delivery");
    long samples = -1;
    if (sm) {
        char *end;
        samples = strtol(sm, &end, 10);
        if (*end || samples < 0 || samples > 1000)
            return web_reply_error(r, 400, "samples: a whole number 0-1000");
    }
    if (dl && strcmp(dl, "0") && strcmp(dl, "1"))
        return web_reply_error(r, 400, "delivery: 0 or 1");
    unsigned st = 202;
    char msg[MN_ERROR_MSG_MAX + 64];
    long id = web_run_submit(r->srv->runs, r->body, r->body_n, samples,
                             !dl || !strcmp(dl, "1"), &st, msg, sizeof msg);
    if (id < 0)
        return web_reply_error(r, st, msg);
    web_run_info info;
    web_run_get(r->srv->runs, id, &info);
    mn_json *j = mn_json_new();
    mn_json_put(j, mn_json_root(j), "run", info_json(j, &info));
    return web_reply_json(r, 202, j);
}

int web_api_runs(web_req *r, enum MHD_Result *ret)
{
    const char *p = r->path, *rest = NULL;
    if (!strcmp(p, "/api/runs")) {
        if (r->is_post) {
            *ret = api_submit(r);
            return 1;
        }
        long ids[MAX_RUNS];
        size_t n = web_run_list(r->srv->runs, ids, MAX_RUNS);
        mn_json *j = mn_json_new();
        mn_jnode *arr = mn_json_array(j);
        for (size_t i = 0; i < n; i++) {
            web_run_info info;
            if (web_run_get(r->srv->runs, ids[i], &info))
                mn_json_push(j, arr, info_json(j, &info));
        }
        mn_json_put(j, mn_json_root(j), "runs", arr);
        *ret = web_reply_json(r, 200, j);
        return 1;
    }
    if (strncmp(p, "/api/runs/", 10))
        return 0;
    long id = web_path_id(p + 10, &rest);
    web_run_info info;
    if (id < 0 || !web_run_get(r->srv->runs, id, &info))
        *ret = web_reply_error(r, 404, "no such run");
    else if (!*rest && !r->is_post) {
        mn_json *j = mn_json_new();
        mn_json_put(j, mn_json_root(j), "run", info_json(j, &info));
        *ret = web_reply_json(r, 200, j);
    } else if ((!strcmp(rest, "/cancel") && r->is_post) ||
               (!*rest && !strcmp(r->method, "DELETE"))) {
        web_run_cancel(r->srv->runs, id);
        web_run_get(r->srv->runs, id, &info);
        mn_json *j = mn_json_new();
        mn_json_put(j, mn_json_root(j), "run", info_json(j, &info));
        *ret = web_reply_json(r, 202, j);
    } else
        *ret = web_reply_error(r, 404, "no such resource");
    return 1;
}
