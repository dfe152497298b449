/* The web app's journal and runs pages (floor: web): people, their
 * sessions, when each zone is due (mnsim journal next), adding records;
 * the runs with their progress, cancel and report. */
#include "web_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"

/* ---- journal ------------------------------------------------------------------ */

static void rows_table(web_buf *b, const mn_journal_rows *rows, const char *id,
                       const char *caption)
{
    web_buf_printf(b, "<div class=\"scroll\"><table id=\"%s\"><caption>%s</caption>",
                   id, caption);
    if (!rows->count) {
        web_buf_puts(b, "<tbody><tr><td>None yet.</td></tr></tbody></table></div>");
        return;
    }
    web_buf_puts(b, "<thead><tr>");
    const mn_journal_row *h = &rows->rows[0];
    for (size_t k = 0; k < h->count; k++) {
        web_buf_puts(b, "<th scope=\"col\">");
        web_buf_html(b, h->keys[k]);
        web_buf_puts(b, "</th>");
    }
    web_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < rows->count; i++) {
        web_buf_puts(b, "<tr>");
        for (size_t k = 0; k < rows->rows[i].count; k++) {
            web_buf_puts(b, "<td>");
            web_buf_html(b, rows->rows[i].values[k] ? rows->rows[i].values[k] : "");
            web_buf_puts(b, "</td>");
        }
        web_buf_puts(b, "</tr>");
    }
    web_buf_puts(b, "</tbody></table></div>");
}

/* The stored value of column key in row, as the form takes it back: a
 * quantity stored as key_UNIT ("needle_length_mm": "1.5") with its unit
 * ("1.5 mm"). Into buf; "" when absent. */
static const char *row_value(const mn_journal_row *row, const char *key, char *buf,
                             size_t n)
{
    buf[0] = '\0';
    if (!row)
        return buf;
    size_t kn = strlen(key);
    for (size_t k = 0; k < row->count; k++) {
        const char *rk = row->keys[k], *v = row->values[k];
        if (!v)
            continue;
        if (!strcmp(rk, key))
            snprintf(buf, n, "%s", v);
        else if (!strncmp(rk, key, kn) && rk[kn] == '_' &&
                 strchr(rk + kn + 1, '_') == NULL)
            snprintf(buf, n, "%s %s", v, rk + kn + 1);
    }
    return buf;
}

/* A form to add a record of a kind (edit: the record row, to edit it), its
 * fields from the journal's columns. */
static void record_form(web_req *r, web_buf *b, int kind, const char *person,
                        const char *title, const mn_journal_row *edit)
{
    const char *kn = mn_journal_kind_name(kind), *verb = edit ? "edit" : "add";
    web_buf_printf(b,
                   "<form method=\"post\" action=\"/journal/%s\" class=\"card\" "
                   "id=\"%s-%s\"><h2>%s</h2>",
                   verb, verb, kn, title);
    web_csrf_field(r, b);
    web_buf_printf(b, "<input type=\"hidden\" name=\"kind\" value=\"%s\">", kn);
    if (edit) {
        char idv[32];
        web_buf_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%s\">",
                       row_value(edit, "id", idv, sizeof idv));
    }
    for (size_t i = 0; i < mn_journal_column_count(kind); i++) {
        mn_journal_column_doc c = mn_journal_column(kind, i);
        if (person && !strcmp(c.key, "person")) {
            web_buf_puts(b, "<input type=\"hidden\" name=\"f_person\" value=\"");
            web_buf_html(b, person);
            web_buf_puts(b, "\">");
            continue;
        }
        char val[512];
        const char *p = edit ? "edit-" : "";
        web_buf_printf(b,
                       "<label for=\"%s%s-%s\">%s%s</label><input id=\"%s%s-%s\" "
                       "name=\"f_%s\" type=\"text\"%s aria-describedby=\"%s%s-%s-h\" "
                       "value=\"",
                       p, kn, c.key, c.key, c.required ? " (required)" : "", p, kn,
                       c.key, c.key, c.required ? " required" : "", p, kn, c.key);
        web_buf_html(b, row_value(edit, c.key, val, sizeof val));
        web_buf_printf(b, "\"><small id=\"%s%s-%s-h\">", p, kn, c.key);
        web_buf_html(b, c.help);
        web_buf_puts(b, "</small>");
    }
    web_buf_printf(b, "<button type=\"submit\" id=\"%s-%s-submit\">%s</button></form>",
                   verb, kn, edit ? "Save" : "Add");
}

static void next_table(web_req *r, web_buf *b, const char *person)
{
    web_next x;
    mn_error e;
    mn_error_clear(&e);
    unsigned st = web_next_compute(r->srv, person, web_query(r, "on"),
                                   web_query(r, "indication"), &x, &e);
    web_buf_puts(
        b, "<section aria-labelledby=\"next-h\"><h2 id=\"next-h\">Next session</h2>");
    if (st != 200) {
        web_buf_puts(b, "<p class=\"error\">");
        web_buf_html(b, e.message);
        web_buf_puts(b, "</p></section>");
        web_next_free(&x);
        return;
    }
    char d1[32], d2[32];
    web_buf_puts(
        b, "<div class=\"scroll\"><table id=\"next\"><caption>When each zone is due"
           "</caption><thead><tr><th scope=\"col\">Zone</th><th scope=\"col\">"
           "Sessions</th><th scope=\"col\">Last</th><th scope=\"col\">Needle (mm)</th>"
           "<th scope=\"col\">Next due</th><th scope=\"col\">Rule</th></tr></thead>"
           "<tbody>");
    for (size_t k = 0; k < x.rd.n_zones; k++) {
        const mn_zone_due *z = &x.rd.zones[k];
        web_buf_puts(b, "<tr><th scope=\"row\">");
        web_buf_html(b, z->zone);
        web_buf_printf(
            b, "</th><td>%d</td><td>%s</td><td>%g</td><td class=\"due\">%s%s</td><td>",
            z->sessions, mn_date_format(z->last_at, 0, d1, sizeof d1),
            z->last_needle_mm, mn_date_format(z->next_due, 0, d2, sizeof d2),
            z->wait_days <= 0 ? " (due now)" : "");
        if (z->due_by_healing)
            web_buf_printf(b, "the healing model: the skin ready by %s; ",
                           mn_date_format(z->skin_recovered, 0, d1, sizeof d1));
        if (z->rule) {
            web_buf_html(b, z->rule->name);
            web_buf_puts(b, " [");
            web_buf_html(b, z->rule->source);
            web_buf_puts(b, "]");
        }
        web_buf_puts(b, "</td></tr>");
    }
    if (!x.rd.n_zones)
        web_buf_puts(b, "<tr><td colspan=\"6\">No sessions recorded.</td></tr>");
    web_buf_puts(b, "</tbody></table></div><ul class=\"warnings\">");
    for (size_t i = 0; i < x.rd.n_warnings; i++) {
        web_buf_printf(
            b, "<li>%s: ", mn_severity_name((mn_severity)x.rd.warnings[i].severity));
        web_buf_html(b, x.rd.warnings[i].message);
        web_buf_puts(b, "</li>");
    }
    if (!x.healing_ran && x.rd.n_zones) {
        web_buf_puts(b, "<li>the healing model was not run: ");
        web_buf_html(b, x.problem[0] ? x.problem : "zones unknown");
        web_buf_puts(b, "</li>");
    }
    web_buf_puts(
        b, "</ul><p>Intervals from data/rules.yaml (sources there); a zone is due "
           "at the later of the rules' date and the healing model's recovery of "
           "its skin (as <code>mnsim journal next</code>).</p></section>");
    web_next_free(&x);
}

static enum MHD_Result page_journal(web_req *r)
{
    const char *person = web_query(r, "person");
    mn_error e;
    mn_error_clear(&e);
    web_buf b = {0};
    mn_journal_rows people = {0}, sessions = {0};
    int64_t pid = 0;
    unsigned st = 200;
    mn_journal *jn = web_journal_take(r->srv, &e);
    if (!jn)
        st = 500;
    else if (mn_journal_list(jn, MN_J_PERSON, 0, &people, &e) != MN_OK)
        st = 500;
    else if (person && mn_journal_find(jn, MN_J_PERSON, person, &pid, &e) != MN_OK)
        st = 404;
    else if (person && mn_journal_list(jn, MN_J_SESSION, pid, &sessions, &e) != MN_OK)
        st = 500;
    if (jn)
        web_journal_release(r->srv);
    if (st != 200) {
        mn_journal_rows_free(&people);
        mn_journal_rows_free(&sessions);
        web_buf_puts(&b, "<h1>Journal</h1><p class=\"error\" role=\"alert\">");
        web_buf_html(&b, e.message);
        web_buf_puts(&b, "</p>");
        return web_reply_page(r, st, "Journal", &b);
    }
    if (!person) {
        web_buf_puts(&b,
                     "<h1>Journal</h1><p>The treatment journal (<code>mnsim journal"
                     "</code>): people, their sessions and when each zone is next due."
                     "</p><ul class=\"people\">");
        for (size_t i = 0; i < people.count; i++) {
            const char *code = mn_journal_row_value(&people.rows[i], "code");
            web_buf_puts(&b, "<li><a href=\"/journal?person=");
            web_buf_html(&b, code);
            web_buf_puts(&b, "\">");
            web_buf_html(&b, code);
            web_buf_puts(&b, "</a></li>");
        }
        web_buf_puts(&b, "</ul>");
        record_form(r, &b, MN_J_PERSON, NULL, "Add a person", NULL);
    } else {
        web_buf_puts(&b, "<h1>Journal: ");
        web_buf_html(&b, person);
        web_buf_puts(&b, "</h1><p><a href=\"/journal\">All people</a> | <a "
                         "href=\"/api/journal/export?person=");
        web_buf_html(&b, person);
        web_buf_puts(&b, "\">Export (JSON)</a></p>");
        next_table(r, &b, person);
        rows_table(&b, &sessions, "sessions", "Sessions");
        record_form(r, &b, MN_J_SESSION, person, "Add a session", NULL);
        if (sessions.count)
            record_form(r, &b, MN_J_SESSION, person, "Edit the last session",
                        &sessions.rows[sessions.count - 1]);
    }
    mn_journal_rows_free(&people);
    mn_journal_rows_free(&sessions);
    return web_reply_page(r, 200, "Journal", &b);
}

/* POST /journal/add: kind and f_KEY fields -> mn_journal_add; POST
 * /journal/edit: also id -> mn_journal_update (the fields given). */
static enum MHD_Result journal_add(web_req *r, int edit)
{
    int64_t id = 0;
    if (edit) {
        char *idt = web_form(r, "id"), *end = NULL;
        id = idt ? strtoll(idt, &end, 10) : 0;
        int ok = idt && *idt && !*end && id > 0;
        free(idt);
        if (!ok)
            return web_reply_error(r, 400, "id: the record's id");
    }
    char *kind_name = web_form(r, "kind");
    int kind = kind_name ? mn_journal_kind_from_name(kind_name) : -1;
    free(kind_name);
    if (kind != MN_J_PERSON && kind != MN_J_SESSION)
        return web_reply_error(r, 400, "kind: person or session");
    mn_kv kv[32];
    char *vals[32];
    size_t n = 0;
    for (size_t i = 0; i < mn_journal_column_count(kind) && n < 32; i++) {
        mn_journal_column_doc c = mn_journal_column(kind, i);
        char field[80];
        snprintf(field, sizeof field, "f_%s", c.key);
        char *v = web_form(r, field);
        if (!v || !*v) {
            free(v);
            continue;
        }
        kv[n].key = c.key;
        kv[n].value = v;
        vals[n++] = v;
    }
    mn_error e;
    mn_error_clear(&e);
    mn_journal *jn = web_journal_take(r->srv, &e);
    mn_status st = !jn    ? MN_EIO
                   : edit ? mn_journal_update(jn, kind, id, kv, n, &e)
                          : mn_journal_add(jn, kind, kv, n, &id, &e);
    if (jn)
        web_journal_release(r->srv);
    char loc[300] = "/journal";
    for (size_t i = 0; i < n; i++)
        if ((!strcmp(kv[i].key, "person") ||
             (kind == MN_J_PERSON && !strcmp(kv[i].key, "code"))) &&
            strspn(
                kv[i].value,
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
                strlen(kv[i].value))
            snprintf(loc, sizeof loc, "/journal?person=%s", kv[i].value);
    for (size_t i = 0; i < n; i++)
        free(vals[i]);
    if (st != MN_OK) {
        web_buf b = {0};
        web_buf_puts(&b, edit ? "<h1>Not saved</h1>" : "<h1>Not added</h1>");
        web_buf_puts(&b, "<p class=\"error\" role=\"alert\" id=\"add-error\">");
        web_buf_html(&b, e.message);
        web_buf_printf(&b, "</p><p><a href=\"%s\">Back</a></p>", loc);
        return web_reply_page(r, 400, "Journal", &b);
    }
    return web_redirect(r, loc);
}

/* ---- runs ---------------------------------------------------------------------- */

static enum MHD_Result page_runs(web_req *r)
{
    long ids[256];
    size_t n = web_run_list(r->srv->runs, ids, 256);
    web_buf b = {0};
    web_buf_puts(
        &b, "<h1>Runs</h1><p>Courses run from the <a href=\"/protocol\">protocol "
            "editor</a>, newest first. At most as many run at once as the computer "
            "has cores; the others wait.</p><ul id=\"runs\">");
    for (size_t i = 0; i < n; i++) {
        web_run_info info;
        if (web_run_get(r->srv->runs, ids[i], &info))
            web_buf_printf(&b, "<li><a href=\"/runs/%ld\">Run %ld</a>: %s</li>",
                           info.id, info.id, info.status);
    }
    if (!n)
        web_buf_puts(&b, "<li>No runs yet.</li>");
    web_buf_puts(&b, "</ul>");
    return web_reply_page(r, 200, "Runs", &b);
}

static enum MHD_Result page_run(web_req *r, long id)
{
    web_run_info info;
    if (!web_run_get(r->srv->runs, id, &info))
        return 0;
    web_buf b = {0};
    int live = !strcmp(info.status, "queued") || !strcmp(info.status, "running") ||
               !strcmp(info.status, "preparing");
    web_buf_printf(
        &b,
        "<h1>Run %ld</h1><div id=\"run\" data-id=\"%ld\" data-live=\"%d\">"
        "<p>Status: <strong id=\"run-status\">%s</strong> <span "
        "id=\"run-stage\">%s</span></p><label for=\"run-progress\">Progress"
        "</label> <progress id=\"run-progress\" max=\"1\" value=\"%.3f\">%.0f%%"
        "</progress>",
        id, id, live, info.status, live ? info.stage : "", info.fraction,
        100 * info.fraction);
    if (live) {
        web_buf_printf(&b,
                       "<noscript><p>This page shows the state when it was loaded: "
                       "<a href=\"/runs/%ld\">reload</a>.</p></noscript>"
                       "<form method=\"post\" action=\"/runs/%ld/cancel\">",
                       id, id);
        web_csrf_field(r, &b);
        web_buf_puts(&b,
                     "<button type=\"submit\" id=\"cancel\">Cancel</button></form>");
    }
    if (info.message[0]) {
        web_buf_puts(&b, "<p class=\"error\" role=\"alert\">");
        web_buf_html(&b, info.message);
        web_buf_puts(&b, "</p>");
    }
    web_buf_puts(&b, "</div>");
    if (info.has_report) {
        web_buf_printf(&b,
                       "<p>%zu error(s), %zu warning(s). <a href=\"/runs/%ld/files/"
                       "report.html\" id=\"report-link\">Open the report</a> | <a "
                       "href=\"/runs/%ld/files/results.json\">results.json</a> | "
                       "<a href=\"/runs/%ld/files/sessions.csv\">sessions.csv</a> | "
                       "<a href=\"/runs/%ld/files/healing.csv\">healing.csv</a></p>"
                       "<iframe id=\"report\" title=\"The run's report\" "
                       "src=\"/runs/%ld/files/report.html\"></iframe>",
                       info.errors, info.warnings, id, id, id, id, id);
    }
    return web_reply_page(r, 200, "Run", &b);
}

static enum MHD_Result run_file(web_req *r, const char *path, const char *name)
{
    size_t n;
    char *data = web_read_file(path, 256u << 20, &n);
    if (!data)
        return web_reply_error(r, 500, "cannot read the file");
    const char *type = strstr(name, ".html")   ? "text/html; charset=utf-8"
                       : strstr(name, ".json") ? "application/json"
                                               : "text/csv; charset=utf-8";
    enum MHD_Result ret = web_reply(r, 200, type, data, n);
    free(data);
    return ret;
}

int web_run_pages(web_req *r, enum MHD_Result *ret)
{
    const char *p = r->path;
    if (!strcmp(p, "/journal") && !r->is_post) {
        *ret = page_journal(r);
        return 1;
    }
    if ((!strcmp(p, "/journal/add") || !strcmp(p, "/journal/edit")) && r->is_post) {
        *ret = journal_add(r, !strcmp(p, "/journal/edit"));
        return 1;
    }
    if (!strcmp(p, "/runs") && !r->is_post) {
        *ret = page_runs(r);
        return 1;
    }
    if (strncmp(p, "/runs/", 6))
        return 0;
    const char *end;
    long id = web_path_id(p + 6, &end);
    if (id < 0)
        return 0;
    web_run_info info;
    if (!web_run_get(r->srv->runs, id, &info))
        return 0;
    if (!*end && !r->is_post) {
        *ret = page_run(r, id);
        return 1;
    }
    if (!strcmp(end, "/cancel") && r->is_post) {
        web_run_cancel(r->srv->runs, id);
        char loc[64];
        snprintf(loc, sizeof loc, "/runs/%ld", id);
        *ret = web_redirect(r, loc);
        return 1;
    }
    if (!strncmp(end, "/files/", 7) && !r->is_post && strlen(end + 7) < 64 &&
        !strchr(end + 7, '/')) {
        char path[4400];
        if (!web_run_file(r->srv->runs, id, end + 7, path, sizeof path))
            return 0; /* not one of the report's files: 404 */
        *ret = run_file(r, path, end + 7);
        return 1;
    }
    return 0;
}
