/* The web app's JSON API (floor: web): the catalogs, check, plan and the
 * journal, with the documents `mnsim ... --json` prints (docs/api.md). The
 * runs are runs.c. Parse, call the library, render. */
#include "web_internal.h"

#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mnsim/catalog.h"
#include "mnsim/catalog_json.h"
#include "mnsim/compounds.h"
#include "mnsim/course_io.h"
#include "mnsim/date.h"
#include "mnsim/file.h"
#include "mnsim/journal_json.h"
#include "mnsim/plan.h"
#include "mnsim/plan_course.h"
#include "mnsim/plan_report.h"
#include "mnsim/protocol_io.h"
#include "mnsim/readiness.h"
#include "mnsim/references.h"
#include "mnsim/rules_io.h"
#include "mnsim/utf8.h"

static void data_path(web_server *s, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", s->data_dir, name);
}

/* ---- catalogs ----------------------------------------------------------- */

static enum MHD_Result api_devices(web_req *r)
{
    char path[4200];
    data_path(r->srv, "devices.yaml", path, sizeof path);
    mn_device_list cat = {0};
    mn_error e;
    mn_error_clear(&e);
    if (mn_devices_load(path, &cat, NULL, &e) != MN_OK)
        return web_reply_error(r, 500, "the device catalog cannot be read");
    mn_json *j = mn_json_new();
    mn_jnode *arr = mn_json_array(j);
    for (size_t i = 0; i < cat.count; i++)
        mn_json_push(j, arr, mn_device_json(j, &cat.items[i]));
    mn_json_put(j, mn_json_root(j), "devices", arr);
    mn_device_list_free(&cat);
    return web_reply_json(r, 200, j);
}

static enum MHD_Result api_sites(web_req *r)
{
    const char *sx = web_query(r, "sex");
    mn_sex sex =
        sx && (!strcmp(sx, "male") || !strcmp(sx, "m")) ? MN_SEX_MALE : MN_SEX_FEMALE;
    if (sx && sex == MN_SEX_FEMALE && strcmp(sx, "female") && strcmp(sx, "f"))
        return web_reply_error(r, 400, "sex: female or male");
    char path[4200];
    data_path(r->srv, "sites.yaml", path, sizeof path);
    mn_site_list sites = {0};
    mn_error e;
    mn_error_clear(&e);
    if (mn_sites_load(path, &sites, NULL, &e) != MN_OK)
        return web_reply_error(r, 500, "the site atlas cannot be read");
    mn_json *j = mn_json_new();
    mn_jnode *arr = mn_json_array(j);
    for (size_t i = 0; i < sites.count; i++) {
        mn_skin k;
        if (mn_site_skin(&sites.items[i], sex, &k, &e) == MN_OK)
            mn_json_push(j, arr, mn_site_json(j, &sites.items[i], &k, sex));
    }
    mn_json_put(j, mn_json_root(j), "sites", arr);
    mn_site_list_free(&sites);
    return web_reply_json(r, 200, j);
}

static enum MHD_Result api_compounds(web_req *r)
{
    char path[4200];
    data_path(r->srv, "compounds.yaml", path, sizeof path);
    mn_compound_catalog cat;
    memset(&cat, 0, sizeof cat);
    mn_error e;
    mn_error_clear(&e);
    if (mn_compounds_load(path, &cat, NULL, &e) != MN_OK)
        return web_reply_error(r, 500, "the compound catalog cannot be read");
    mn_json *j = mn_json_new();
    mn_jnode *arr = mn_json_array(j);
    for (size_t i = 0; i < cat.count; i++)
        mn_json_push(j, arr, mn_compound_json(j, &cat.items[i]));
    mn_json_put(j, mn_json_root(j), "compounds", arr);
    mn_compound_catalog_free(&cat);
    return web_reply_json(r, 200, j);
}

/* ---- check --------------------------------------------------------------- */

int web_protocol_names_file(const char *path, char *msg, size_t n)
{
    mn_protocol p;
    mn_protocol_init(&p);
    mn_diags d = {0};
    const char *bad = NULL;
    if (mn_protocol_load(path, &p, &d, NULL) == MN_OK) {
        if (p.device && mn_device_spec_is_file(p.device))
            bad = p.device;
        for (size_t i = 0; !bad && i < p.zone_devices.count; i++)
            if (mn_device_spec_is_file(p.zone_devices.values[i]))
                bad = p.zone_devices.values[i];
        const mn_session_override *ov = p.overrides.items;
        for (size_t i = 0; !bad && i < p.overrides.count; i++)
            if (ov[i].device && mn_device_spec_is_file(ov[i].device))
                bad = ov[i].device;
        if (bad)
            snprintf(
                msg, n,
                "device '%s' names a file: the web app reads no file a request "
                "names; use a catalog device (the Devices page), or mnsim check and "
                "mnsim run for a device file",
                bad);
    }
    mn_protocol_clear(&p);
    mn_diags_free(&d);
    return bad != NULL;
}

#define MAX_CITED 64

void web_check_text(web_server *s, const char *text, size_t n, mn_json *j,
                    web_buf *html)
{
    char path[4200];
    web_temp_path(s, "check", "yaml", path, sizeof path);
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_jnode *root = mn_json_root(j), *list = mn_json_array(j);
    if (mn_file_write(path, text, n, 0, 0600, &e) != MN_OK) {
        mn_json_bool(j, root, "ok", 0);
        mn_json_str(j, root, "error", e.message);
        mn_json_put(j, root, "findings", list);
        return;
    }
    char refused[MN_ERROR_MSG_MAX];
    if (web_protocol_names_file(path, refused, sizeof refused)) {
        mn_error fe;
        mn_error_clear(&fe);
        snprintf(fe.message, sizeof fe.message, "%s", refused);
        fe.code = MN_EINVAL;
        mn_diags_push(&d, MN_SEV_ERROR, &fe);
    } else {
        mn_check_file_with_data(path, s->data_dir, &d);
    }
    unlink(path);
    mn_strmap refs = {0};
    mn_references_load(s->data_dir, &refs, NULL);
    const char *cited[MAX_CITED];
    size_t n_cited = 0;
    for (size_t k = 0; k < d.count; k++) {
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "severity", mn_severity_name(d.severity[k]));
        mn_json_str(j, o, "file", "protocol.yaml");
        mn_json_int(j, o, "line", d.items[k].line);
        mn_json_int(j, o, "column", d.items[k].column);
        mn_json_str(j, o, "message", d.items[k].message);
        mn_json_push(j, list, o);
        if (html) {
            web_buf_printf(html,
                           "<li class=\"%s\" data-line=\"%d\" data-column=\"%d\">"
                           "<strong>%s</strong> at line %d, column %d: ",
                           mn_severity_name(d.severity[k]), d.items[k].line,
                           d.items[k].column, mn_severity_name(d.severity[k]),
                           d.items[k].line, d.items[k].column);
            web_buf_html(html, d.items[k].message);
            web_buf_puts(html, "</li>");
        }
        mn_references_cited(d.items[k].message, &refs, cited, &n_cited, MAX_CITED);
    }
    mn_json_bool(j, root, "ok", d.n_errors == 0);
    mn_json_put(j, root, "findings", list);
    mn_json_int(j, root, "errors", (long long)d.n_errors);
    mn_json_int(j, root, "warnings", (long long)d.n_warnings);
    mn_jnode *ro = mn_json_object(j);
    for (size_t k = 0; k < n_cited; k++)
        mn_json_str(j, ro, cited[k], mn_strmap_get(&refs, cited[k]));
    mn_json_put(j, root, "references", ro);
    if (html && !d.count)
        web_buf_puts(html, "<li class=\"ok\">No problems found.</li>");
    for (size_t k = 0; html && k < n_cited; k++) {
        web_buf_printf(html, "<li class=\"ref\">[%s] ", cited[k]);
        web_buf_html(html, mn_strmap_get(&refs, cited[k]));
        web_buf_puts(html, "</li>");
    }
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    mn_strmap_free(&refs);
    mn_diags_free(&d);
}

static enum MHD_Result api_check(web_req *r)
{
    if (!r->body_n)
        return web_reply_error(r, 400, "the body must be the protocol's YAML or JSON");
    mn_json *j = mn_json_new();
    if (!j)
        return web_reply_error(r, 500, "out of memory");
    web_check_text(r->srv, r->body, r->body_n, j, NULL);
    return web_reply_json(r, 200, j);
}

/* ---- plan ------------------------------------------------------------------ */

static char *calendar(web_server *s, const web_plan_req *q, const mn_course *course,
                      const mn_plan_session *ps, mn_error *e)
{
    char path[4200];
    web_temp_path(s, "plan", "ics", path, sizeof path);
    char *text = NULL;
    size_t n;
    if (mn_plan_ics_write(path, q->indication, q->zones, q->start, course, ps,
                          (int64_t)time(NULL), 0, e) == MN_OK)
        text = web_read_file(path, 4u << 20, &n);
    unlink(path);
    return text;
}

unsigned web_plan_make(web_server *s, const web_plan_req *q, web_plan_out *o,
                       char *message, size_t n)
{
    memset(o, 0, sizeof *o);
    mn_protocol_init(&o->course.protocol);
    mn_plan_request req = {0, MN_SETTING_CLINIC, NULL, 0, MN_SEX_FEMALE, -1, NULL};
    mn_error e;
    mn_error_clear(&e);
    if (!q->indication ||
        (req.indication = mn_indication_from_name(q->indication)) < 0) {
        snprintf(message, n,
                 "indication: one of fine-lines, acne-scars, atrophic-scars, "
                 "stretch-marks, hair-loss, texture, laxity");
        return 400;
    }
    if (q->setting && strcmp(q->setting, "clinic")) {
        if (strcmp(q->setting, "home")) {
            snprintf(message, n, "setting: home or clinic");
            return 400;
        }
        req.setting = MN_SETTING_HOME;
    }
    if (!q->start || mn_date_parse(q->start, &req.start, &e) != MN_OK) {
        snprintf(message, n, "start: a date YYYY-MM-DD%s%s", e.message[0] ? ": " : "",
                 e.message);
        return 400;
    }
    mn_strings zones = {0};
    if (!q->zones || mn_strings_split(q->zones, ", ", 64, &zones) || !zones.count) {
        mn_strings_free(&zones);
        snprintf(message, n, "zones: name at least one zone");
        return 400;
    }
    req.zones = &zones;
    req.device = q->device && *q->device ? q->device : NULL;
    if (req.device && mn_device_spec_is_file(req.device)) {
        mn_strings_free(&zones);
        snprintf(message, n,
                 "device: a catalog name (the web app reads no file a request "
                 "names)");
        return 400;
    }
    mn_diags d = {0};
    unsigned status = 200;
    if (mn_plan_course(s->data_dir, &req, &o->course, &o->source, &o->f, &d, &e) !=
        MN_OK) {
        snprintf(message, n, "%s", d.count ? d.items[0].message : e.message);
        status = 400;
    } else if (mn_plan_sessions(&o->course.protocol, o->course.sessions,
                                o->course.n_sessions, &o->ps, &e) != MN_OK) {
        snprintf(message, n, "%s", e.message);
        status = 500;
    } else if (o->f.n_errors) {
        snprintf(message, n,
                 "this plan breaks %zu safety rule(s); change the device or "
                 "setting",
                 o->f.n_errors);
        status = 422;
    }
    mn_strings_free(&zones);
    mn_diags_free(&d);
    return status;
}

void web_plan_free(web_plan_out *o)
{
    mn_plan_sessions_free(o->ps, o->course.n_sessions);
    mn_findings_free(&o->f);
    free(o->source);
    mn_course_free(&o->course);
    memset(o, 0, sizeof *o);
}

char *web_plan_ics(web_server *s, const web_plan_req *q, const web_plan_out *o)
{
    mn_error e;
    mn_error_clear(&e);
    return calendar(s, q, &o->course, o->ps, &e);
}

mn_json *web_plan_json(const web_plan_req *q, const web_plan_out *o)
{
    return mn_plan_json(q->indication, &o->course, o->ps, o->source, 1, &o->f);
}

/* ---- JSON bodies ------------------------------------------------------------ */

static void silent_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d, (void)user, (void)buf, (void)len;
}

/* The body as a JSON object; NULL (a 400) when it is not one. Its syntax
 * errors are dropped (the web app never prints); text that is not UTF-8
 * reaches no parser (as in src/data/input_load.c). */
static struct fy_document *json_body(web_req *r)
{
    if (!r->body_n || !mn_utf8_valid(r->body, r->body_n, NULL) ||
        memchr(r->body, '\0', r->body_n))
        return NULL;
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = silent_output;
    dcfg.colorize = false;
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE};
    if (!(cfg.diag = fy_diag_create(&dcfg)))
        return NULL;
    struct fy_document *fyd = fy_document_build_from_string(&cfg, r->body, r->body_n);
    fy_diag_unref(cfg.diag); /* the document holds its own reference */
    if (fyd && fy_node_get_type(fy_document_root(fyd)) != FYNT_MAPPING) {
        fy_document_destroy(fyd);
        return NULL;
    }
    return fyd;
}

/* A text member of the body's object (a copy, the caller frees), or NULL. */
static char *member(struct fy_document *fyd, const char *key)
{
    struct fy_node *v =
        fy_node_mapping_lookup_by_string(fy_document_root(fyd), key, -1);
    if (!v || fy_node_get_type(v) != FYNT_SCALAR)
        return NULL;
    size_t n;
    const char *t = fy_node_get_scalar(v, &n);
    char *out = t ? malloc(n + 1) : NULL;
    if (out) {
        memcpy(out, t, n);
        out[n] = '\0';
    }
    return out;
}

static enum MHD_Result api_plan(web_req *r)
{
    struct fy_document *fyd = json_body(r);
    if (!fyd)
        return web_reply_error(r, 400, "the body must be a JSON object");
    char *ind = member(fyd, "indication"), *zones = member(fyd, "zones"),
         *start = member(fyd, "start"), *setting = member(fyd, "setting"),
         *device = member(fyd, "device");
    fy_document_destroy(fyd);
    web_plan_req q = {ind, zones, start, setting, device};
    web_plan_out o;
    char msg[MN_ERROR_MSG_MAX + 64];
    unsigned st = web_plan_make(r->srv, &q, &o, msg, sizeof msg);
    mn_json *j = st == 200 || st == 422 ? web_plan_json(&q, &o) : NULL;
    web_plan_free(&o);
    free(ind), free(zones), free(start), free(setting), free(device);
    if (st != 200 && j)
        mn_json_str(j, mn_json_root(j), "error", msg);
    if (!j)
        return web_reply_error(r, st, msg);
    return web_reply_json(r, st, j);
}

/* ---- journal -------------------------------------------------------------------- */

mn_journal *web_journal_take(web_server *s, mn_error *e)
{
    pthread_mutex_lock(&s->journal_lock);
    if (!s->journal && mn_journal_open(s->journal_path, 1, &s->journal, e) != MN_OK) {
        s->journal = NULL;
        pthread_mutex_unlock(&s->journal_lock);
        return NULL;
    }
    return s->journal;
}

void web_journal_release(web_server *s)
{
    pthread_mutex_unlock(&s->journal_lock);
}

static enum MHD_Result api_journal_list(web_req *r, int kind)
{
    mn_error e;
    mn_error_clear(&e);
    mn_journal *jn = web_journal_take(r->srv, &e);
    if (!jn)
        return web_reply_error(r, 500, e.message);
    int64_t pid = 0;
    const char *person = web_query(r, "person");
    mn_journal_rows rows = {0};
    unsigned st = 200;
    if (person && mn_journal_find(jn, MN_J_PERSON, person, &pid, &e) != MN_OK)
        st = 404;
    else if (mn_journal_list(jn, kind, pid, &rows, &e) != MN_OK)
        st = 500;
    web_journal_release(r->srv);
    if (st != 200)
        return web_reply_error(r, st, e.message);
    mn_json *j = mn_json_new();
    mn_jnode *arr = j ? mn_journal_rows_json(j, &rows) : NULL;
    if (arr)
        mn_json_put(j, mn_json_root(j), mn_journal_kind_name(kind), arr);
    mn_journal_rows_free(&rows);
    if (!arr) {
        mn_json_free(j);
        j = NULL;
    }
    return web_reply_json(r, 200, j);
}

/* POST /api/journal/KIND with {"key": "value", ...} (mnsim journal add). */
static enum MHD_Result api_journal_add(web_req *r, int kind)
{
    struct fy_document *fyd = json_body(r);
    if (!fyd)
        return web_reply_error(r, 400, "the body must be a JSON object");
    mn_kv kv[32];
    size_t n = 0;
    void *it = NULL;
    struct fy_node_pair *pair;
    char *texts[64];
    size_t nt = 0;
    int bad = 0;
    while ((pair = fy_node_mapping_iterate(fy_document_root(fyd), &it))) {
        struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
        if (n >= 32 || fy_node_get_type(k) != FYNT_SCALAR ||
            fy_node_get_type(v) != FYNT_SCALAR) {
            bad = 1;
            break;
        }
        size_t kn, vn;
        const char *ks = fy_node_get_scalar(k, &kn), *vs = fy_node_get_scalar(v, &vn);
        texts[nt] = strndup(ks, kn);
        texts[nt + 1] = strndup(vs, vn);
        kv[n].key = texts[nt];
        kv[n].value = texts[nt + 1];
        nt += 2;
        n++;
    }
    fy_document_destroy(fyd);
    enum MHD_Result ret;
    if (bad) {
        ret = web_reply_error(r, 400,
                              "the body must be an object of text values "
                              "(at most 32)");
    } else {
        mn_error e;
        mn_error_clear(&e);
        int64_t id = 0;
        mn_journal *jn = web_journal_take(r->srv, &e);
        mn_status st = jn ? mn_journal_add(jn, kind, kv, n, &id, &e) : MN_EIO;
        if (jn)
            web_journal_release(r->srv);
        if (st != MN_OK) {
            ret = web_reply_error(r, st == MN_EIO ? 500 : 400, e.message);
        } else {
            mn_json *j = mn_json_new();
            mn_json_str(j, mn_json_root(j), "added", mn_journal_kind_name(kind));
            mn_json_int(j, mn_json_root(j), "id", id);
            ret = web_reply_json(r, 201, j);
        }
    }
    for (size_t i = 0; i < nt; i++)
        free(texts[i]);
    return ret;
}

unsigned web_next_compute(web_server *s, const char *person, const char *on,
                          const char *indication, web_next *x, mn_error *e)
{
    memset(x, 0, sizeof *x);
    int64_t now = mn_date_from_local(time(NULL));
    if (on && *on && mn_date_parse(on, &now, e) != MN_OK)
        return 400;
    int ind =
        mn_indication_from_name(indication && *indication ? indication : "fine-lines");
    if (ind < 0) {
        mn_error_set(e, MN_EINVAL, "indication: fine-lines, acne-scars, ...");
        return 400;
    }
    char path[4200];
    data_path(s, "rules.yaml", path, sizeof path);
    if (mn_rules_load(path, &x->rules, NULL, e) != MN_OK)
        return 500;
    x->have_rules = 1;
    data_path(s, "sites.yaml", path, sizeof path);
    if (mn_sites_load(path, &x->sites, NULL, e) != MN_OK)
        return 500;
    unsigned st = 200;
    int64_t pid;
    mn_journal *jn = web_journal_take(s, e);
    if (!jn)
        st = 500;
    else if (mn_journal_find(jn, MN_J_PERSON, person, &pid, e) != MN_OK)
        st = 404;
    else if (mn_journal_next(jn, pid, person, ind, s->data_dir, &x->rules, &x->sites,
                             now, &x->rd, &x->n_sessions, &x->healing_ran, x->problem,
                             sizeof x->problem, e) != MN_OK)
        st = 500;
    if (jn)
        web_journal_release(s);
    return st;
}

void web_next_free(web_next *x)
{
    mn_readiness_free(&x->rd);
    if (x->have_rules)
        mn_rules_clear(&x->rules);
    mn_site_list_free(&x->sites);
}

static mn_json *next_json(const char *person, const web_next *x)
{
    const char *not_run = NULL;
    if (!x->healing_ran && x->rd.n_zones)
        not_run = x->problem[0] ? x->problem : "zones unknown";
    return mn_journal_next_json(person, &x->rd, x->n_sessions, not_run);
}

static enum MHD_Result api_journal_next(web_req *r)
{
    const char *person = web_query(r, "person");
    if (!person)
        return web_reply_error(r, 400, "person: the person's code");
    mn_error e;
    mn_error_clear(&e);
    web_next x;
    unsigned st = web_next_compute(r->srv, person, web_query(r, "on"),
                                   web_query(r, "indication"), &x, &e);
    enum MHD_Result ret = st == 200 ? web_reply_json(r, 200, next_json(person, &x))
                                    : web_reply_error(r, st, e.message);
    web_next_free(&x);
    return ret;
}

static enum MHD_Result api_journal_export(web_req *r)
{
    const char *person = web_query(r, "person");
    mn_error e;
    mn_error_clear(&e);
    int64_t pid = 0;
    char *text = NULL;
    unsigned st = 200;
    mn_journal *jn = web_journal_take(r->srv, &e);
    if (!jn)
        st = 500;
    else if (person && mn_journal_find(jn, MN_J_PERSON, person, &pid, &e) != MN_OK)
        st = 404;
    else if (mn_journal_export_json(jn, pid, &text, &e) != MN_OK)
        st = 500;
    if (jn)
        web_journal_release(r->srv);
    if (st != 200)
        return web_reply_error(r, st, e.message);
    enum MHD_Result ret = web_reply(r, 200, "application/json", text, strlen(text));
    free(text);
    return ret;
}

/* ---- routes --------------------------------------------------------------------- */

int web_api(web_req *r, enum MHD_Result *ret)
{
    const char *p = r->path;
    if (strncmp(p, "/api/", 5))
        return 0;
    int get = !r->is_post;
    if (get && !strcmp(p, "/api/devices"))
        *ret = api_devices(r);
    else if (get && !strcmp(p, "/api/sites"))
        *ret = api_sites(r);
    else if (get && !strcmp(p, "/api/compounds"))
        *ret = api_compounds(r);
    else if (!strcmp(p, "/api/check"))
        *ret = get ? web_reply_error(r, 405, "POST the protocol") : api_check(r);
    else if (!strcmp(p, "/api/plan"))
        *ret = get ? web_reply_error(r, 405, "POST a JSON object") : api_plan(r);
    else if (get && !strcmp(p, "/api/journal/next"))
        *ret = api_journal_next(r);
    else if (get && !strcmp(p, "/api/journal/export"))
        *ret = api_journal_export(r);
    /* Photos are out of scope: a photo record names a file, which the
     * journal reads; no path from a request reaches the file system. */
    else if (!strncmp(p, "/api/journal/", 13) &&
             mn_journal_kind_from_name(p + 13) >= 0 &&
             mn_journal_kind_from_name(p + 13) != MN_J_PHOTO)
        *ret = get ? api_journal_list(r, mn_journal_kind_from_name(p + 13))
                   : api_journal_add(r, mn_journal_kind_from_name(p + 13));
    else
        return 0;
    return 1;
}
