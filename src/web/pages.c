/* The web app's pages (floor: web): plan, protocol editor, catalogs and the
 * layout every page shares. Server-rendered HTML that works without
 * JavaScript; static/app.js only makes Check and the runs' progress live.
 * The journal's and the runs' pages are journal_pages.c. */
#include "web_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/catalog.h"
#include "mnsim/compounds.h"
#include "mnsim/date.h"
#include "mnsim/depth.h"
#include "mnsim/protocol.h"
#include "mnsim/protocol_io.h"

extern const char web_app_css[], web_app_js[];

static const char *const nav[][2] = {{"/", "Plan"},
                                     {"/protocol", "Protocol"},
                                     {"/runs", "Runs"},
                                     {"/journal", "Journal"},
                                     {"/devices", "Devices"},
                                     {"/sites", "Sites"},
                                     {"/compounds", "Compounds"}};

enum MHD_Result web_reply_page(web_req *r, unsigned status, const char *title,
                               web_buf *b)
{
    web_buf p = {0};
    web_buf_puts(
        &p, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>");
    web_buf_html(&p, title);
    web_buf_printf(
        &p,
        " - mnsim</title><meta name=\"csrf-token\" content=\"%s\">"
        "<link rel=\"stylesheet\" href=\"/static/app.css\">"
        "<script src=\"/static/app.js\" defer></script></head><body>"
        "<a class=\"skip\" href=\"#main\">Skip to content</a>"
        "<header><span class=\"brand\">mnsim</span><nav aria-label=\"Main\"><ul>",
        r->srv->csrf);
    for (size_t i = 0; i < sizeof nav / sizeof *nav; i++) {
        size_t n = strlen(nav[i][0]);
        int here = !strcmp(r->path, nav[i][0]) ||
                   (n > 1 && !strncmp(r->path, nav[i][0], n) && r->path[n] == '/');
        web_buf_printf(&p, "<li><a href=\"%s\"%s>%s</a></li>", nav[i][0],
                       here ? " aria-current=\"page\"" : "", nav[i][1]);
    }
    web_buf_puts(&p, "</ul></nav></header>\n<main id=\"main\">");
    web_buf_add(&p, b->s ? b->s : "", b->n);
    web_buf_puts(&p, "</main>\n<footer><p class=\"note\" role=\"note\">" WEB_NOTE
                     " It simulates and plans; a qualified practitioner decides.</p>"
                     "</footer></body></html>\n");
    int failed = b->failed || p.failed;
    web_buf_free(b);
    enum MHD_Result ret =
        failed ? web_reply(r, 500, "text/plain", "out of memory\n", 14)
               : web_reply(r, status, "text/html; charset=utf-8", p.s, p.n);
    web_buf_free(&p);
    return ret;
}

void web_csrf_field(web_req *r, web_buf *b)
{
    web_buf_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                   r->srv->csrf);
}

/* ---- plan -------------------------------------------------------------------- */

static const char *const indications[] = {
    "acne-scars", "atrophic-scars", "fine-lines", "stretch-marks",
    "hair-loss",  "texture",        "laxity"};

static void select_field(web_buf *b, const char *name, const char *label,
                         const char *const *opts, size_t n, const char *chosen)
{
    web_buf_printf(b, "<label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">",
                   name, label, name, name);
    for (size_t i = 0; i < n; i++) {
        web_buf_printf(b, "<option%s>",
                       chosen && !strcmp(chosen, opts[i]) ? " selected" : "");
        web_buf_html(b, opts[i]);
        web_buf_puts(b, "</option>");
    }
    web_buf_puts(b, "</select>");
}

static void text_field(web_buf *b, const char *name, const char *label,
                       const char *type, const char *value, const char *hint,
                       int required)
{
    web_buf_printf(
        b, "<label for=\"%s\">%s</label><input id=\"%s\" name=\"%s\" type=\"%s\"", name,
        label, name, name, type);
    if (hint)
        web_buf_printf(b, " aria-describedby=\"%s-hint\"", name);
    if (required)
        web_buf_puts(b, " required");
    web_buf_puts(b, " value=\"");
    web_buf_html(b, value ? value : "");
    web_buf_puts(b, "\">");
    if (hint) {
        web_buf_printf(b, "<small id=\"%s-hint\">", name);
        web_buf_html(b, hint);
        web_buf_puts(b, "</small>");
    }
}

/* The query of a plan, for its download links. */
static void plan_query(web_buf *b, const web_plan_req *q)
{
    const char *k[] = {"indication", "zones", "start", "setting", "device"};
    const char *v[] = {q->indication, q->zones, q->start, q->setting, q->device};
    for (int i = 0; i < 5; i++) {
        if (!v[i] || !*v[i])
            continue;
        web_buf_printf(b, "%s%s=", i ? "&amp;" : "?", k[i]);
        for (const unsigned char *c = (const unsigned char *)v[i]; *c; c++) {
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' || *c == '_')
                web_buf_add(b, (const char *)c, 1);
            else
                web_buf_printf(b, "%%%02X", *c);
        }
    }
}

static web_plan_req plan_req(web_req *r)
{
    web_plan_req q = {web_query(r, "indication"), web_query(r, "zones"),
                      web_query(r, "start"), web_query(r, "setting"),
                      web_query(r, "device")};
    return q;
}

/* The plan: its sessions, guide, findings and downloads. */
static void plan_result(web_req *r, web_buf *b, const web_plan_req *q)
{
    web_plan_out o;
    char msg[MN_ERROR_MSG_MAX + 64];
    unsigned st = web_plan_make(r->srv, q, &o, msg, sizeof msg);
    if (st != 200) {
        web_buf_puts(b,
                     "<div class=\"error\" role=\"alert\" id=\"plan-error\"><h2>No plan"
                     "</h2><p>");
        web_buf_html(b, msg);
        web_buf_puts(b, "</p><ul>");
        for (size_t i = 0; i < o.f.count; i++) {
            web_buf_printf(
                b, "<li>%s: ", mn_severity_name((mn_severity)o.f.items[i].severity));
            web_buf_html(b, o.f.items[i].message);
            web_buf_puts(b, " [rule ");
            web_buf_html(b, o.f.items[i].rule);
            web_buf_puts(b, "; source: ");
            web_buf_html(b, o.f.items[i].source);
            web_buf_puts(b, "]</li>");
        }
        web_buf_puts(b, "</ul></div>");
        web_plan_free(&o);
        return;
    }
    const mn_protocol *p = &o.course.protocol;
    char day[32];
    web_buf_puts(
        b, "<section aria-labelledby=\"plan-h\" id=\"plan\"><h2 id=\"plan-h\">The plan"
           "</h2><p>");
    web_buf_html(b, mn_indication_name(mn_indication_from_name(q->indication)));
    web_buf_puts(b, " with <strong>");
    web_buf_html(b, p->device);
    web_buf_printf(b, "</strong>, %zu sessions every %g days, ", o.course.n_sessions,
                   p->interval_s / 86400);
    web_buf_html(b, p->pattern);
    web_buf_printf(b, " pattern, %ld passes per direction. Source: ", p->passes);
    web_buf_html(b, o.source);
    web_buf_puts(b, "</p><p class=\"downloads\"><a id=\"dl-ics\" href=\"/plan.ics");
    plan_query(b, q);
    web_buf_puts(
        b, "\">Download the calendar (.ics)</a> <a id=\"dl-yaml\" href=\"/plan.yaml");
    plan_query(b, q);
    web_buf_puts(
        b, "\">Download the protocol (YAML)</a> <a id=\"to-editor\" href=\"/protocol");
    plan_query(b, q);
    web_buf_puts(
        b, "\">Open in the protocol editor</a></p><div class=\"scroll\"><table "
           "id=\"sessions\"><caption>Sessions</caption><thead><tr><th scope=\"col\">"
           "Date</th><th scope=\"col\">Session</th></tr></thead><tbody>");
    for (size_t s = 0; s < o.course.n_sessions; s++) {
        web_buf_printf(b, "<tr><td>%s</td><td>",
                       mn_date_format(o.ps[s].at, 0, day, sizeof day));
        web_buf_html(b, o.ps[s].summary);
        web_buf_puts(b, "</td></tr>");
    }
    web_buf_puts(b, "</tbody></table></div>");
    for (size_t i = 0; i < o.f.count; i++) {
        web_buf_printf(b, "<p class=\"warning\">%s: ",
                       mn_severity_name((mn_severity)o.f.items[i].severity));
        web_buf_html(b, o.f.items[i].message);
        web_buf_puts(b, " [rule ");
        web_buf_html(b, o.f.items[i].rule);
        web_buf_puts(b, "]</p>");
    }
    if (o.course.n_sessions) {
        web_buf_puts(b, "<h3>Session guide</h3><pre class=\"guide\">");
        web_buf_html(b, o.ps[0].guide);
        web_buf_puts(b, "</pre>");
    }
    web_buf_puts(b, "</section>");
    web_plan_free(&o);
}

static enum MHD_Result page_plan(web_req *r)
{
    web_plan_req q = plan_req(r);
    static const char *const settings[] = {"clinic", "home"};
    web_buf b = {0};
    web_buf_puts(&b,
                 "<h1>Plan a course</h1><p>Pick an indication, the zones and a start "
                 "date: mnsim proposes a starting plan from published courses and "
                 "checks it against the safety rules.</p>"
                 "<form method=\"get\" action=\"/\" class=\"card\" id=\"plan-form\">");
    select_field(&b, "indication", "Indication", indications, 7,
                 q.indication ? q.indication : "acne-scars");
    text_field(&b, "zones", "Zones", "text", q.zones ? q.zones : "cheeks",
               "zone names, comma-separated (for example cheeks, forehead)", 1);
    select_field(&b, "setting", "Setting", settings, 2, q.setting);
    text_field(&b, "start", "Start date", "date", q.start ? q.start : "2027-01-04",
               NULL, 1);
    text_field(&b, "device", "Device (optional)", "text", q.device,
               "a catalog name to use instead of the plan's", 0);
    web_buf_puts(
        &b, "<button type=\"submit\" id=\"plan-submit\">Make the plan</button></form>");
    if (q.indication)
        plan_result(r, &b, &q);
    return web_reply_page(r, 200, "Plan", &b);
}

static enum MHD_Result download_plan(web_req *r, int ics)
{
    web_plan_req q = plan_req(r);
    web_plan_out o;
    char msg[MN_ERROR_MSG_MAX + 64];
    unsigned st = web_plan_make(r->srv, &q, &o, msg, sizeof msg);
    char *text = NULL;
    if (st == 200)
        text = ics ? web_plan_ics(r->srv, &q, &o)
                   : mn_protocol_to_yaml(&o.course.protocol);
    web_plan_free(&o);
    if (st != 200 || !text) {
        free(text);
        return web_reply_error(r, st == 200 ? 500 : st,
                               st == 200 ? "cannot write it" : msg);
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Disposition",
                            ics ? "attachment; filename=\"mnsim-plan.ics\""
                                : "attachment; filename=\"protocol.yaml\"");
    return web_queue(r, 200, resp,
                     ics ? "text/calendar; charset=utf-8"
                         : "application/yaml; charset=utf-8");
}

/* ---- protocol editor ---------------------------------------------------------- */

/* The text to start from: the plan asked for, else the acne-scar example. */
static char *start_text(web_req *r)
{
    web_plan_req q = plan_req(r);
    if (q.indication) {
        web_plan_out o;
        char msg[MN_ERROR_MSG_MAX + 64];
        char *yaml = web_plan_make(r->srv, &q, &o, msg, sizeof msg) == 200
                         ? mn_protocol_to_yaml(&o.course.protocol)
                         : NULL;
        web_plan_free(&o);
        if (yaml)
            return yaml;
    }
    char path[4200];
    size_t n;
    snprintf(path, sizeof path, "%s/acne-scars.yaml", r->srv->examples);
    char *t = r->srv->examples[0] ? web_read_file(path, 1 << 20, &n) : NULL;
    return t ? t : strdup("kind: protocol\n");
}

/* The findings of a check as a list; each names its line and column. */
static void findings_html(web_req *r, web_buf *b, const char *text, size_t n)
{
    mn_json *j = mn_json_new();
    if (!j)
        return;
    web_buf_puts(b, "<section id=\"findings\" aria-live=\"polite\"><h2>Check</h2>"
                    "<ul id=\"findings-list\">");
    web_check_text(r->srv, text, n, j, b);
    web_buf_puts(b, "</ul></section>");
    mn_json_free(j);
}

static void editor(web_req *r, web_buf *b, const char *text)
{
    web_buf_puts(b,
                 "<h1>Protocol</h1><p>Edit the protocol (YAML, as <code>mnsim "
                 "check</code> and <code>mnsim run</code> read it). <em>Check</em> "
                 "shows every problem at its line and column with the rule's "
                 "reference; <em>Run</em> simulates the course and shows its report."
                 "</p><form method=\"post\" action=\"/protocol\" id=\"protocol-form\" "
                 "class=\"card\">");
    web_csrf_field(r, b);
    web_buf_puts(
        b, "<label for=\"protocol\">Protocol (YAML)</label><textarea id=\"protocol\" "
           "name=\"protocol\" rows=\"24\" spellcheck=\"false\">");
    web_buf_html(b, text);
    web_buf_puts(
        b, "</textarea><label for=\"samples\">Virtual people for the bands</label>"
           "<input id=\"samples\" name=\"samples\" type=\"number\" min=\"0\" "
           "max=\"1000\" value=\"50\"><label class=\"check\"><input type=\"checkbox\" "
           "name=\"delivery\" value=\"1\" checked> Simulate the delivery (slower)"
           "</label><div class=\"buttons\"><button type=\"submit\" name=\"action\" "
           "value=\"check\" id=\"check\">Check</button> <button type=\"submit\" "
           "name=\"action\" value=\"run\" id=\"run\">Run</button></div></form>");
}

/* The latest runs, under the editor. */
static void recent_runs(web_req *r, web_buf *b)
{
    long ids[5];
    size_t n = web_run_list(r->srv->runs, ids, 5);
    if (!n)
        return;
    web_buf_puts(b,
                 "<section aria-labelledby=\"past-h\"><h2 id=\"past-h\">Past runs</h2>"
                 "<ul id=\"past-runs\">");
    for (size_t i = 0; i < n; i++) {
        web_run_info info;
        if (web_run_get(r->srv->runs, ids[i], &info))
            web_buf_printf(b, "<li><a href=\"/runs/%ld\">Run %ld</a>: %s</li>", info.id,
                           info.id, info.status);
    }
    web_buf_puts(b, "</ul><p><a href=\"/runs\">All runs</a></p></section>");
}

static enum MHD_Result page_protocol(web_req *r)
{
    web_buf b = {0};
    if (!r->is_post) {
        char *text = start_text(r);
        editor(r, &b, text);
        recent_runs(r, &b);
        free(text);
        return web_reply_page(r, 200, "Protocol", &b);
    }
    char *text = web_form(r, "protocol"), *action = web_form(r, "action");
    enum MHD_Result ret;
    if (!text) {
        ret = web_reply_error(r, 400, "the form has no protocol");
    } else if (action && !strcmp(action, "run")) {
        char *sm = web_form(r, "samples"), *dl = web_form(r, "delivery");
        long samples = sm && *sm ? strtol(sm, NULL, 10) : -1;
        if (samples > 1000)
            samples = 1000;
        unsigned st;
        char msg[MN_ERROR_MSG_MAX + 64], loc[64];
        long id = web_run_submit(r->srv->runs, text, strlen(text), samples,
                                 dl && !strcmp(dl, "1"), &st, msg, sizeof msg);
        free(sm), free(dl);
        snprintf(loc, sizeof loc, "/runs/%ld", id);
        ret = id < 0 ? web_reply_error(r, st, msg) : web_redirect(r, loc);
    } else {
        editor(r, &b, text);
        findings_html(r, &b, text, strlen(text));
        ret = web_reply_page(r, 200, "Protocol", &b);
    }
    free(text);
    free(action);
    return ret;
}

/* ---- catalogs -------------------------------------------------------------------- */

static void data_file(web_req *r, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", r->srv->data_dir, name);
}

static enum MHD_Result page_devices(web_req *r)
{
    char path[4200];
    data_file(r, "devices.yaml", path, sizeof path);
    mn_device_list cat = {0};
    if (mn_devices_load(path, &cat, NULL, NULL) != MN_OK)
        return web_reply_error(r, 500, "the device catalog cannot be read");
    web_buf b = {0};
    web_buf_puts(
        &b, "<h1>Devices</h1><p>The device catalog (data/devices.yaml), each "
            "value with its source; also as <a href=\"/api/devices\">JSON</a>.</p>"
            "<div class=\"scroll\"><table><caption>Rollers, stamps and pens"
            "</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type"
            "</th><th scope=\"col\">Needles</th><th scope=\"col\">Length</th>"
            "<th scope=\"col\">Setting</th><th scope=\"col\">Label</th></tr>"
            "</thead><tbody>");
    for (size_t i = 0; i < cat.count; i++) {
        const mn_device *d = &cat.items[i];
        web_buf_puts(&b, "<tr><th scope=\"row\">");
        web_buf_html(&b, d->name);
        web_buf_printf(&b, "</th><td>%s</td><td>%ld</td><td>",
                       mn_device_type_name(d->type), mn_device_needle_count(d));
        if (d->type == MN_DEVICE_PEN)
            web_buf_printf(&b, "%g-%g mm", d->depth_min_m * 1e3, d->depth_max_m * 1e3);
        else
            web_buf_printf(&b, "%g mm", d->needle_length_m * 1e3);
        web_buf_printf(&b, "</td><td>%s</td><td>",
                       d->setting == MN_SETTING_HOME ? "home" : "clinic");
        web_buf_html(&b, d->label);
        web_buf_puts(&b, "</td></tr>");
    }
    web_buf_puts(&b, "</tbody></table></div>");
    mn_device_list_free(&cat);
    return web_reply_page(r, 200, "Devices", &b);
}

/* The sites page's device and pressure: the channel depth of that device
 * at each site (mnsim depth). 0, or 1 and the message when it cannot. */
typedef struct {
    mn_device dev;
    mn_depth_params params;
    double force_n;
    int on;
} site_depth;

static int depth_setup(web_req *r, const mn_device_list *cat, const char *device,
                       const char *pressure, site_depth *sd, char *msg, size_t n)
{
    memset(sd, 0, sizeof *sd);
    char path[4200];
    snprintf(path, sizeof path, "%s/penetration.yaml", r->srv->data_dir);
    mn_error e;
    mn_error_clear(&e);
    int p = MN_PRESSURE_LIGHT;
    for (int i = 0; pressure && i < MN_PRESSURE_COUNT; i++)
        if (!strcmp(pressure, mn_pressure_name(i)))
            p = i;
    if (mn_depth_params_load(path, &sd->params, NULL, &e) != MN_OK ||
        mn_device_resolve(cat, device, &sd->dev, &e) != MN_OK) {
        snprintf(msg, n, "%s", e.message);
        return 1;
    }
    sd->force_n = mn_depth_hand_force(&sd->params, p, 0);
    sd->on = 1;
    return 0;
}

static enum MHD_Result page_sites(web_req *r)
{
    char path[4200], msg[MN_ERROR_MSG_MAX] = "";
    data_file(r, "sites.yaml", path, sizeof path);
    mn_site_list sites = {0};
    if (mn_sites_load(path, &sites, NULL, NULL) != MN_OK)
        return web_reply_error(r, 500, "the site atlas cannot be read");
    data_file(r, "devices.yaml", path, sizeof path);
    mn_device_list cat = {0};
    if (mn_devices_load(path, &cat, NULL, NULL) != MN_OK) {
        mn_site_list_free(&sites);
        return web_reply_error(r, 500, "the device catalog cannot be read");
    }
    const char *sx = web_query(r, "sex"), *device = web_query(r, "device"),
               *pressure = web_query(r, "pressure");
    mn_sex sex = sx && !strcmp(sx, "male") ? MN_SEX_MALE : MN_SEX_FEMALE;
    if (!device || !*device)
        device = "roller-192-1.0mm";
    site_depth sd;
    depth_setup(r, &cat, device, pressure, &sd, msg, sizeof msg);
    static const char *const sexes[] = {"female", "male"};
    const char *pressures[MN_PRESSURE_COUNT];
    for (int i = 0; i < MN_PRESSURE_COUNT; i++)
        pressures[i] = mn_pressure_name(i);
    const char **names = calloc(cat.count ? cat.count : 1, sizeof *names);
    for (size_t i = 0; names && i < cat.count; i++)
        names[i] = cat.items[i].name;
    web_buf b = {0};
    web_buf_puts(&b,
                 "<h1>Skin sites</h1><p>Layer thicknesses per site, each from its "
                 "published source, and the mean channel depth of a device at each "
                 "site (<code>mnsim depth</code>); also as <a href=\"/api/sites\">JSON"
                 "</a>.</p><form method=\"get\" action=\"/sites\" class=\"card\">");
    select_field(&b, "device", "Device", names ? names : sexes, names ? cat.count : 0,
                 device);
    select_field(&b, "pressure", "Pressure", pressures, MN_PRESSURE_COUNT,
                 pressure ? pressure : "light");
    select_field(&b, "sex", "Sex", sexes, 2, sex == MN_SEX_MALE ? "male" : "female");
    web_buf_puts(&b, "<button type=\"submit\">Show</button></form>");
    free(names);
    if (msg[0]) {
        web_buf_puts(&b, "<p class=\"error\" role=\"alert\">");
        web_buf_html(&b, msg);
        web_buf_puts(&b, "</p>");
    }
    web_buf_puts(&b,
                 "<div class=\"scroll\"><table id=\"sites\"><caption>The site atlas");
    if (sd.on) {
        web_buf_puts(&b, " and the channels of ");
        web_buf_html(&b, sd.dev.name);
        web_buf_printf(&b, " at %g N", sd.force_n);
    }
    web_buf_puts(&b,
                 "</caption><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">"
                 "Stratum corneum (um)</th><th scope=\"col\">Viable epidermis (um)</th>"
                 "<th scope=\"col\">Papillary dermis (um)</th><th scope=\"col\">"
                 "Reticular dermis (mm)</th><th scope=\"col\">Capillary loops (um)</th>"
                 "<th scope=\"col\">Channel depth (um)</th><th scope=\"col\">Label</th>"
                 "</tr></thead><tbody>");
    for (size_t i = 0; i < sites.count; i++) {
        mn_skin k;
        if (mn_site_skin(&sites.items[i], sex, &k, NULL) != MN_OK)
            continue;
        web_buf_puts(&b, "<tr><th scope=\"row\">");
        web_buf_html(&b, sites.items[i].name);
        web_buf_printf(&b,
                       "</th><td>%.0f</td><td>%.0f</td><td>%.0f</td><td>%.2f</td>"
                       "<td>%.0f</td><td>",
                       k.thickness_m[0] * 1e6, k.thickness_m[1] * 1e6,
                       k.thickness_m[2] * 1e6, k.thickness_m[3] * 1e3,
                       k.capillary_loop_depth_m * 1e6);
        mn_depth_result dr;
        if (sd.on &&
            mn_depth_compute(&sd.dev, &k, &sd.params, sd.force_n, &dr, NULL) == MN_OK)
            web_buf_printf(&b, "%.0f%s", dr.depth_m * 1e6,
                           dr.beyond_dermis ? " (may pass the dermis)" : "");
        web_buf_puts(&b, "</td><td>");
        web_buf_html(&b, sites.items[i].label);
        web_buf_puts(&b, "</td></tr>");
    }
    web_buf_puts(&b, "</tbody></table></div>");
    if (sd.on)
        mn_device_clear(&sd.dev);
    mn_device_list_free(&cat);
    mn_site_list_free(&sites);
    return web_reply_page(r, 200, "Sites", &b);
}

static enum MHD_Result page_compounds(web_req *r)
{
    static const char *const uses[] = {"anaesthetic", "cosmetic", "drug"};
    char path[4200];
    data_file(r, "compounds.yaml", path, sizeof path);
    mn_compound_catalog cat;
    memset(&cat, 0, sizeof cat);
    if (mn_compounds_load(path, &cat, NULL, NULL) != MN_OK)
        return web_reply_error(r, 500, "the compound catalog cannot be read");
    web_buf b = {0};
    web_buf_puts(
        &b, "<h1>Compounds</h1><p>Anaesthetics and serums (data/compounds.yaml); "
            "also as <a href=\"/api/compounds\">JSON</a>.</p><div class=\"scroll\">"
            "<table><caption>The compound catalog</caption><thead><tr><th "
            "scope=\"col\">Name</th><th scope=\"col\">Use</th><th scope=\"col\">"
            "Molar mass (g/mol)</th><th scope=\"col\">log P</th><th scope=\"col\">"
            "Label</th></tr></thead><tbody>");
    for (size_t i = 0; i < cat.count; i++) {
        const mn_compound *c = &cat.items[i];
        web_buf_puts(&b, "<tr><th scope=\"row\">");
        web_buf_html(&b, c->name);
        web_buf_printf(&b, "</th><td>%s</td><td>%.1f</td><td>%.2f</td><td>",
                       c->use >= 0 && c->use <= 2 ? uses[c->use] : "",
                       c->solute.molar_mass_kg_mol * 1e3, c->solute.log_p);
        web_buf_html(&b, c->label);
        web_buf_puts(&b, "</td></tr>");
    }
    web_buf_puts(&b, "</tbody></table></div>");
    mn_compound_catalog_free(&cat);
    return web_reply_page(r, 200, "Compounds", &b);
}

/* ---- routes
 * -------------------------------------------------------------------------- */

int web_pages(web_req *r, enum MHD_Result *ret)
{
    const char *p = r->path;
    int get = !r->is_post;
    if (get && !strcmp(p, "/static/app.css"))
        *ret = web_reply(r, 200, "text/css; charset=utf-8", web_app_css,
                         strlen(web_app_css));
    else if (get && !strcmp(p, "/static/app.js"))
        *ret = web_reply(r, 200, "text/javascript; charset=utf-8", web_app_js,
                         strlen(web_app_js));
    else if (get && !strcmp(p, "/"))
        *ret = page_plan(r);
    else if (get && !strcmp(p, "/plan.ics"))
        *ret = download_plan(r, 1);
    else if (get && !strcmp(p, "/plan.yaml"))
        *ret = download_plan(r, 0);
    else if (!strcmp(p, "/protocol"))
        *ret = page_protocol(r);
    else if (get && !strcmp(p, "/devices"))
        *ret = page_devices(r);
    else if (get && !strcmp(p, "/sites"))
        *ret = page_sites(r);
    else if (get && !strcmp(p, "/compounds"))
        *ret = page_compounds(r);
    else
        return 0;
    return 1;
}
