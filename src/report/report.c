/* results.json, CSV, figures and report.html of a course. */
#include "mnsim/report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/file.h"
#include "mnsim/plot_deliver.h"
#include "mnsim/json.h"
#include "mnsim/plot.h"
#include "mnsim/plot_heal.h"
#include "mnsim/references.h"
#include "mnsim/roll_io.h"
#include "report_csv.h"
#include "report_delivery.h"
#include "report_evidence.h"
#include "report_text.h"

#ifndef MNSIM_VERSION
#define MNSIM_VERSION "unknown"
#endif

static const double months[] = {1, 3, 6, 12};
#define N_MONTHS 4
#define DAYS_PER_MONTH MN_HEAL_DAYS_PER_MONTH

/* ---- values ------------------------------------------------------------- */

static const char *sev_name(int s)
{
    return mn_severity_name((mn_severity)s);
}

/* ---- results.json ---------------------------------------------------------- */

static mn_jnode *findings_json(mn_json *j, const mn_findings *f)
{
    mn_jnode *arr = mn_json_array(j);
    for (size_t i = 0; i < f->count; i++) {
        const mn_finding *x = &f->items[i];
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "severity", sev_name(x->severity));
        mn_json_str(j, o, "rule", x->rule);
        mn_json_int(j, o, "session", x->session);
        mn_json_str(j, o, "zone", x->zone);
        mn_json_str(j, o, "message", x->message);
        mn_json_str(j, o, "source", x->source);
        mn_json_push(j, arr, o);
    }
    return arr;
}

static mn_jnode *protocol_json(mn_json *j, const mn_course *c, const char *path)
{
    const mn_protocol *p = &c->protocol;
    mn_jnode *o = mn_json_object(j);
    mn_json_str(j, o, "file", path);
    if (p->name)
        mn_json_str(j, o, "name", p->name);
    mn_json_str(j, o, "indication", mn_indication_name(p->indication));
    mn_json_str(j, o, "setting", p->setting == MN_SETTING_HOME ? "home" : "clinic");
    mn_json_str(j, o, "device", p->device);
    if (p->zone_devices.count) {
        mn_jnode *zd = mn_json_object(j);
        for (size_t i = 0; i < p->zone_devices.count; i++)
            mn_json_str(j, zd, p->zone_devices.keys[i], p->zone_devices.values[i]);
        mn_json_put(j, o, "zone_devices", zd);
    }
    mn_json_str(j, o, "pattern", p->pattern ? p->pattern : "four-direction");
    mn_json_int(j, o, "passes_per_direction", p->passes);
    mn_json_str(j, o, "pressure", mn_pressure_name(p->pressure));
    mn_jnode *person = mn_json_object(j);
    mn_json_str(j, person, "sex", p->person.sex == MN_SEX_MALE ? "male" : "female");
    if (!isnan(p->person.age_s))
        mn_json_num(j, person, "age_years", p->person.age_s / (365.2425 * 86400));
    if (p->person.fitzpatrick > 0)
        mn_json_int(j, person, "fitzpatrick", p->person.fitzpatrick);
    mn_json_put(j, o, "person", person);
    if (p->anaesthetic.compound) {
        mn_jnode *a = mn_json_object(j);
        mn_json_str(j, a, "compound", p->anaesthetic.compound);
        mn_json_num(j, a, "concentration_pct", p->anaesthetic.concentration * 100);
        mn_json_num(j, a, "contact_min", p->anaesthetic.time_s / 60);
        mn_json_put(j, o, "anaesthetic", a);
    }
    if (p->serum.compound) {
        mn_jnode *a = mn_json_object(j);
        mn_json_str(j, a, "compound", p->serum.compound);
        mn_json_num(j, a, "concentration_pct", p->serum.concentration * 100);
        mn_json_put(j, o, "serum", a);
    }
    return o;
}

static mn_jnode *sessions_json(mn_json *j, const mn_course *c,
                               const mn_course_result *r)
{
    mn_jnode *arr = mn_json_array(j);
    for (size_t s = 0; s < r->n_sessions; s++) {
        mn_jnode *o = mn_json_object(j), *zones = mn_json_array(j);
        char d[32];
        mn_json_int(j, o, "session", (long long)s + 1);
        mn_json_str(j, o, "date", mn_date_format(c->sessions[s].at, 0, d, sizeof d));
        mn_json_num(j, o, "day",
                    (double)(c->sessions[s].at - c->sessions[0].at) / 86400);
        mn_json_str(j, o, "device", c->devices[s].name);
        mn_json_num(j, o, "needle_length_mm", c->devices[s].needle_length_m * 1e3);
        mn_json_int(j, o, "passes_per_direction", c->sessions[s].passes);
        mn_json_num(j, o, "force_n", mn_course_force(&c->in, s));
        for (size_t z = 0; z < r->n_zones; z++) {
            const mn_course_cell *x = &r->cells[s * r->n_zones + z];
            if (!x->treated)
                continue;
            mn_jnode *zo = mn_json_object(j);
            mn_json_str(j, zo, "zone", c->zones[z].name);
            mn_json_str(j, zo, "site", c->zones[z].site);
            const mn_device *dev = mn_course_device(&c->in, s, z);
            mn_json_str(j, zo, "device", dev->name);
            mn_json_num(j, zo, "needle_length_mm", dev->needle_length_m * 1e3);
            mn_json_num(j, zo, "area_cm2", x->roll.area_m2 * 1e4);
            mn_json_int(j, zo, "punctures", (long long)x->roll.punctures);
            mn_json_num(j, zo, "density_per_cm2", x->roll.density_mean * 1e-4);
            mn_json_num(j, zo, "density_cv", x->roll.density_cv);
            mn_json_num(j, zo, "coverage", x->roll.coverage);
            mn_json_num(j, zo, "nn_mean_mm", x->roll.nn_mean_m * 1e3);
            mn_json_num(j, zo, "nn_p5_mm", x->roll.nn_p05_m * 1e3);
            mn_json_num(j, zo, "hit_fraction", x->roll.hit_fraction);
            mn_json_num(j, zo, "depth_um", x->depth.depth_m * 1e6);
            mn_json_num(j, zo, "depth_sd_um", x->depth.depth_sd_m * 1e6);
            mn_json_str(j, zo, "layer", mn_layer_name(x->depth.layer));
            mn_json_num(j, zo, "bleeding_fraction", x->depth.bleeding_fraction);
            mn_json_num(j, zo, "beyond_dermis_fraction",
                        x->depth.beyond_dermis_fraction);
            mn_json_bool(j, zo, "anaesthesia_advised", x->depth.anaesthesia_advised);
            mn_json_push(j, zones, zo);
        }
        mn_json_put(j, o, "zones", zones);
        mn_json_push(j, arr, o);
    }
    return arr;
}

static mn_jnode *healing_json(mn_json *j, const mn_course *c, const mn_course_result *r)
{
    mn_jnode *arr = mn_json_array(j);
    const mn_heal_params *med = &c->healing.population.median;
    for (size_t z = 0; z < r->n_zones; z++) {
        const mn_heal_result *h = &r->heal[r->heal_of[z]];
        if (!h->n_days)
            continue;
        const mn_heal_band *b = r->band ? &r->band[r->heal_of[z]] : NULL;
        mn_jnode *o = mn_json_object(j), *ms = mn_json_array(j), *ss = mn_json_array(j);
        mn_json_str(j, o, "zone", c->zones[z].name);
        mn_json_str(j, o, "site", c->zones[z].site);
        for (int m = 0; m < N_MONTHS; m++) {
            double day = months[m] * DAYS_PER_MONTH;
            mn_jnode *mo = mn_json_object(j);
            mn_json_num(j, mo, "month", months[m]);
            for (int out = 0; out < MN_HEAL_NOUT; out++) {
                char key[64];
                snprintf(key, sizeof key, "%s_pct", mn_heal_out_name(out));
                mn_json_num(j, mo, key, 100 * mn_rep_heal_p50(r, z, out, day, med));
                if (b && b->n_days) {
                    snprintf(key, sizeof key, "%s_p5_pct", mn_heal_out_name(out));
                    mn_json_num(j, mo, key, 100 * mn_rep_band_at(b, b->p5, out, day));
                    snprintf(key, sizeof key, "%s_p95_pct", mn_heal_out_name(out));
                    mn_json_num(j, mo, key, 100 * mn_rep_band_at(b, b->p95, out, day));
                }
            }
            mn_json_push(j, ms, mo);
        }
        mn_json_put(j, o, "months", ms);
        for (size_t s = 0; s < h->n_sessions; s++) {
            mn_jnode *so = mn_json_object(j);
            mn_json_num(j, so, "day", h->sessions[s].t_days);
            mn_json_num(j, so, "barrier_closed_days",
                        h->sessions[s].barrier_closed_days);
            mn_json_num(j, so, "redness_resolved_days",
                        h->sessions[s].redness_resolved_days);
            mn_json_num(j, so, "ready_days", h->sessions[s].ready_days);
            mn_json_bool(j, so, "early", h->sessions[s].early);
            mn_json_push(j, ss, so);
        }
        mn_json_put(j, o, "sessions", ss);
        mn_json_num(j, o, "overtreatment_index", h->overtreatment_index);
        mn_json_bool(j, o, "overtreated", h->overtreated);
        mn_json_str(j, o, "hyperpigmentation_risk", mn_heal_pih_name(h->pih_risk));
        if (b && b->n_days)
            mn_json_num(j, o, "overtreated_share", b->overtreated_share);
        mn_json_push(j, arr, o);
    }
    return arr;
}

/* ---- figures ------------------------------------------------------------ */

/* Zones that heal alike (same site, same sessions) share their figures:
 * zone z draws them when it is the first of its group. */
static int group_head(const mn_course_result *r, size_t z)
{
    return r->heal_of[z] == z;
}

/* The names of the zones of z's group, comma separated. */
static void group_names(const mn_course *c, const mn_course_result *r, size_t z,
                        char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->n_zones && len < n; k++)
        if (r->heal_of[k] == r->heal_of[z])
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
                                    c->zones[k].name);
}

/* Names of the figure files; zone figures only for the first 12 zones. */
#define MAX_ZONE_FIGS 12

static mn_status figures(const char *dir, const mn_course *c, const mn_course_result *r,
                         mn_error *err)
{
    char path[4200];
    mn_status st;
    snprintf(path, sizeof path, "%s/map-session1.png", dir);
    mn_roll_map_opts mo;
    memset(&mo, 0, sizeof mo);
    mo.overwrite = 0; /* a fresh staging folder */
    /* The zones of session 1, in the order they were rolled. */
    mn_roll_region regs[64];
    size_t nreg = 0;
    for (size_t k = 0; k < c->n_session_zones[0] && nreg < 64; k++)
        regs[nreg++] = r->regions[c->session_zones[0][k]];
    if (nreg && (st = mn_roll_map_write(path, &r->first_roll, regs, nreg, &mo, err)))
        return st;
    for (size_t z = 0; z < r->n_zones && z < MAX_ZONE_FIGS; z++) {
        if (!group_head(r, z))
            continue;
        char names[512];
        group_names(c, r, z, names, sizeof names);
        /* Depth at the zone's first treatment. */
        for (size_t s = 0; s < r->n_sessions; s++) {
            const mn_course_cell *x = &r->cells[s * r->n_zones + z];
            if (!x->treated)
                continue;
            char title[256];
            const mn_device *dev = mn_course_device(&c->in, s, z);
            snprintf(title, sizeof title, "%s at %s (%s): %.0f um", dev->name,
                     c->zones[z].site, names, x->depth.depth_m * 1e6);
            snprintf(path, sizeof path, "%s/depth-%s.png", dir, c->zones[z].name);
            if ((st = mn_plot_depth_section(path, &c->zones[z].skin, &x->depth,
                                            dev->needle_length_m, title, 0, err)))
                return st;
            break;
        }
        const mn_heal_result *h = &r->heal[r->heal_of[z]];
        if (!h->n_days)
            continue;
        const mn_heal_band *b = r->band ? &r->band[r->heal_of[z]] : NULL;
        size_t n_days = b && b->n_days ? b->n_days : h->n_days;
        double *median = NULL, *sdays = calloc(h->n_sessions, sizeof *sdays);
        if (!sdays)
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        for (size_t s = 0; s < h->n_sessions; s++)
            sdays[s] = h->sessions[s].t_days;
        if (!(b && b->n_days)) {
            median = calloc(n_days * MN_HEAL_NOUT, sizeof *median);
            if (!median) {
                free(sdays);
                return mn_error_set(err, MN_ENOMEM, "out of memory");
            }
            for (size_t d = 0; d < n_days; d++)
                for (int o = 0; o < MN_HEAL_NOUT; o++)
                    median[d * MN_HEAL_NOUT + o] =
                        mn_heal_out_at(&c->healing.population.median, h, o, (double)d);
        }
        char title[256];
        snprintf(title, sizeof title, "%s, %zu sessions", names, h->n_sessions);
        mn_plot_heal_data hd = {title,
                                n_days,
                                median ? median : b->p50,
                                median ? NULL : b->p5,
                                median ? NULL : b->p95,
                                sdays,
                                h->n_sessions};
        snprintf(path, sizeof path, "%s/healing-%s.png", dir, c->zones[z].name);
        st = mn_plot_heal(path, &hd, 0, err);
        free(sdays);
        free(median);
        if (st)
            return st;
    }
    return MN_OK;
}

/* ---- the files ------------------------------------------------------------ */

/* The first session that treats zone z, or -1. */
static long first_treated(const mn_course_result *r, size_t z)
{
    for (size_t s = 0; s < r->n_sessions; s++)
        if (r->cells[s * r->n_zones + z].treated)
            return (long)s;
    return -1;
}

#define MAX_FILES (6 + 2 * MAX_ZONE_FIGS + MAX_DELIVERY_FIGS)

/* Every file mn_report_write_all writes, by name in dir. */
typedef struct {
    char name[MAX_FILES][320];
    const char *ptr[MAX_FILES];
    size_t n;
} file_list;

static void add_file(file_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_file(file_list *l, const char *fmt, ...)
{
    if (l->n >= MAX_FILES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->name[l->n], sizeof l->name[l->n], fmt, ap);
    va_end(ap);
    l->ptr[l->n] = l->name[l->n];
    l->n++;
}

/* The same conditions as the writers below: figures() draws the map when
 * session 1 has zones, a depth figure for each group that is treated, a
 * healing figure for each group that heals. */
static void report_files(const mn_course *c, const mn_course_result *r,
                         const mn_course_deliveries *dl, file_list *l)
{
    l->n = 0;
    add_file(l, "report.html");
    add_file(l, "results.json");
    add_file(l, "sessions.csv");
    add_file(l, "healing.csv");
    if (c->n_session_zones[0])
        add_file(l, "map-session1.png");
    if (dl)
        add_file(l, "delivery.csv");
    for (size_t z = 0; z < r->n_zones && z < MAX_ZONE_FIGS; z++) {
        if (!group_head(r, z))
            continue;
        if (first_treated(r, z) >= 0)
            add_file(l, "depth-%s.png", c->zones[z].name);
        if (r->heal[r->heal_of[z]].n_days)
            add_file(l, "healing-%s.png", c->zones[z].name);
    }
    for (size_t i = 0; dl && i < dl->count && i < MAX_DELIVERY_FIGS; i++)
        add_file(l, "delivery-%zu.png", i + 1);
}

/* ---- report.html ----------------------------------------------------------- */

static const char *css =
    "body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 "
    "1em;"
    "color:#222;line-height:1.45}h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em}table{border-collapse:collapse;margin:1em 0;font-size:.92em}"
    "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
    "td:first-child,th:first-child{text-align:left}.error{background:#fde2e2}"
    ".warning{background:#fff4d6}.info{background:#e8f1fb}img{max-width:100%}"
    "figure{margin:1em 0}figcaption{font-size:.85em;color:#555}.note{border:1px solid "
    "#999;padding:.6em 1em;background:#f6f6f6}.src{font-size:.85em;color:#555}";

/* 0 for an error, 1 for a warning, 2 for anything else. */
static int severity_rank(int severity)
{
    return severity >= MN_SEV_ERROR ? 0 : severity == MN_SEV_WARNING ? 1 : 2;
}

static void html_finding(sbuf *b, const mn_finding *x)
{
    mn_rep_put(b, "<tr class=\"%s\"><td>%s</td><td>", sev_name(x->severity),
               sev_name(x->severity));
    if (x->session)
        mn_rep_put(b, "%d", x->session);
    else
        mn_rep_put(b, "all");
    mn_rep_put(b, "</td><td>");
    mn_rep_put_html(b, x->zone[0] ? x->zone : "all");
    mn_rep_put(b, "</td><td style=\"text-align:left\">");
    mn_rep_put_html(b, x->message);
    mn_rep_put(b, "</td><td class=\"src\" style=\"text-align:left\">");
    mn_rep_put_html(b, x->rule);
    mn_rep_put(b, ": ");
    mn_rep_put_html(b, x->source);
    mn_rep_put(b, "</td></tr>\n");
}

static void html_findings(sbuf *b, const mn_course_result *r)
{
    mn_rep_put(b, "<h2>1. Is it safe? Findings</h2>\n");
    if (r->findings.count == 0) {
        mn_rep_put(b, "<p>No rule of data/rules.yaml is broken by this course.</p>\n");
        return;
    }
    mn_rep_put(
        b,
        "<p>%zu error(s), %zu warning(s). An <b>error</b> means a rule that mnsim "
        "considers unsafe is broken; a <b>warning</b> calls for care.</p>\n",
        r->findings.n_errors, r->findings.n_warnings);
    mn_rep_put(
        b, "<table><tr><th>severity</th><th>session</th><th>zone</th><th>finding</th>"
           "<th>rule and source</th></tr>\n");
    /* Errors first, then warnings, then notes; in their order within each. */
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < r->findings.count; i++)
            if (severity_rank(r->findings.items[i].severity) == rank)
                html_finding(b, &r->findings.items[i]);
    mn_rep_put(b, "</table>\n");
}

static void html_course(sbuf *b, const mn_course *c, const mn_course_result *r,
                        const char *path)
{
    const mn_protocol *p = &c->protocol;
    char d0[32], d1[32];
    mn_rep_put(b, "<h2>2. The course</h2>\n<p>");
    mn_rep_put_html(b, p->name ? p->name : path);
    mn_rep_put(b, ": %s, %s, %zu session(s) from %s to %s with ",
               mn_indication_name(p->indication),
               p->setting == MN_SETTING_HOME ? "at home" : "in a clinic", r->n_sessions,
               mn_date_format(c->sessions[0].at, 0, d0, sizeof d0),
               mn_date_format(c->sessions[r->n_sessions - 1].at, 0, d1, sizeof d1));
    mn_rep_put_html(b, p->device);
    mn_rep_put(b, " (%g mm needles)", c->devices[0].needle_length_m * 1e3);
    for (size_t z = 0, n = 0; c->zone_devices && z < c->n_zones; z++)
        if (c->zone_devices[z]) {
            mn_rep_put(b, "%s", n++ ? ", " : "; zones with their own device: ");
            mn_rep_put_html(b, c->zones[z].name);
            mn_rep_put(b, " ");
            mn_rep_put_html(b, c->zone_devices[z]->name);
            mn_rep_put(b, " (%g mm)", c->zone_devices[z]->needle_length_m * 1e3);
        }
    mn_rep_put(b, ", pattern ");
    mn_rep_put_html(b, p->pattern ? p->pattern : "four-direction");
    mn_rep_put(b, ", %ld passes per direction, %s pressure (%.0f N). Zones:", p->passes,
               mn_pressure_name(p->pressure), mn_course_force(&c->in, 0));
    for (size_t z = 0; z < c->n_zones; z++) {
        mn_rep_put(b, "%s ", z ? "," : "");
        mn_rep_put_html(b, c->zones[z].name);
        mn_rep_put(b, " (%.1f cm2)", c->zones[z].area_m2 * 1e4);
    }
    mn_rep_put(b, ". Seed %llu; %zu virtual people per zone for the bands.</p>\n",
               (unsigned long long)r->seed, r->n_samples);
}

static void html_rolling(sbuf *b, const char *dir, const mn_course *c,
                         const mn_course_result *r)
{
    mn_rep_put(
        b,
        "<h2>3. Where the needles land (session 1)</h2>\n"
        "<p>Each zone rolled in the pattern; density on a 1 mm grid, coverage within "
        "0.5 mm of a channel, nearest-neighbour distance between channels.</p>\n"
        "<table><tr><th>zone</th><th>area cm2</th><th>punctures</th>"
        "<th>per cm2</th><th>CV</th><th>coverage</th><th>nearest mm</th></tr>\n");
    for (size_t z = 0; z < r->n_zones; z++) {
        const mn_course_cell *x = &r->cells[z];
        if (!x->treated)
            continue;
        mn_rep_put(b, "<tr><td>");
        mn_rep_put_html(b, c->zones[z].name);
        mn_rep_put(
            b,
            "</td><td>%.1f</td><td>%zu</td><td>%.0f</td><td>%.2f</td><td>%.0f%%</td>"
            "<td>%.2f</td></tr>\n",
            x->roll.area_m2 * 1e4, x->roll.punctures, x->roll.density_mean * 1e-4,
            x->roll.density_cv, 100 * x->roll.coverage, x->roll.nn_mean_m * 1e3);
    }
    mn_rep_put(b, "</table>\n");
    mn_rep_put_image(b, dir, "map-session1.png",
                     "Punctures of session 1 on the zone chart");
}

static void html_depth(sbuf *b, const char *dir, const mn_course *c,
                       const mn_course_result *r)
{
    mn_rep_put(
        b, "<h2>4. How deep the needles go</h2>\n"
           "<p>Skin tents before it is pierced: channels are shorter than the needles "
           "(penetration model, docs/model.md). Bleeding is the share of channels "
           "reaching the capillary loops.</p>\n<table><tr><th>zone</th><th>site</th>"
           "<th>device</th><th>needle mm</th><th>channel um</th><th>layer "
           "reached</th>"
           "<th>bleeding</th><th>numbing advised</th></tr>\n");
    for (size_t z = 0; z < r->n_zones; z++)
        for (size_t s = 0; s < r->n_sessions; s++) {
            const mn_course_cell *x = &r->cells[s * r->n_zones + z];
            if (!x->treated)
                continue;
            mn_rep_put(b, "<tr><td>");
            mn_rep_put_html(b, c->zones[z].name);
            mn_rep_put(b, "</td><td>");
            mn_rep_put_html(b, c->zones[z].site);
            const mn_device *dev = mn_course_device(&c->in, s, z);
            mn_rep_put(b, "</td><td>");
            mn_rep_put_html(b, dev->name);
            mn_rep_put(
                b,
                "</td><td>%g</td><td>%.0f</td><td>%s</td><td>%.0f%%</td><td>%s</td></"
                "tr>\n",
                dev->needle_length_m * 1e3, x->depth.depth_m * 1e6,
                mn_layer_name(x->depth.layer), 100 * x->depth.bleeding_fraction,
                x->depth.anaesthesia_advised ? "yes" : "no");
            break;
        }
    mn_rep_put(b, "</table>\n");
    for (size_t z = 0; z < r->n_zones && z < MAX_ZONE_FIGS; z++) {
        char name[256], alt[700], names[512];
        if (!group_head(r, z))
            continue;
        group_names(c, r, z, names, sizeof names);
        snprintf(name, sizeof name, "depth-%s.png", c->zones[z].name);
        snprintf(alt, sizeof alt, "Skin layers at %s (%s) with a channel to scale",
                 c->zones[z].site, names);
        mn_rep_put_image(b, dir, name, alt);
    }
}

static void html_healing(sbuf *b, const char *dir, const mn_course *c,
                         const mn_course_result *r, int sec)
{
    mn_rep_put(
        b,
        "<h2>%d. What the skin does over the year</h2>\n"
        "<p>The healing model (docs/model.md): collagen I and III, elastin and "
        "epidermal thickness as %% of the level before the course; median person, "
        "and in brackets the 5-95%% range between people.</p>\n",
        sec);
    const mn_heal_params *med = &c->healing.population.median;
    for (size_t z = 0; z < r->n_zones; z++) {
        const mn_heal_result *h = &r->heal[r->heal_of[z]];
        if (!h->n_days || !group_head(r, z))
            continue;
        const mn_heal_band *bd = r->band ? &r->band[r->heal_of[z]] : NULL;
        char names[512];
        group_names(c, r, z, names, sizeof names);
        mn_rep_put(b, "<h3>");
        mn_rep_put_html(b, names);
        mn_rep_put(b, "</h3>\n<table><tr><th>%% of baseline</th>");
        for (int m = 0; m < N_MONTHS; m++)
            mn_rep_put(b, "<th>%g month%s</th>", months[m], months[m] > 1 ? "s" : "");
        mn_rep_put(b, "</tr>\n");
        for (int o = 0; o < MN_HEAL_NOUT; o++) {
            mn_rep_put(b, "<tr><td>%s</td>", mn_heal_out_name(o));
            for (int m = 0; m < N_MONTHS; m++) {
                double day = months[m] * DAYS_PER_MONTH;
                mn_rep_put(b, "<td>%.0f%%", 100 * mn_rep_heal_p50(r, z, o, day, med));
                if (bd && bd->n_days)
                    mn_rep_put(b, " (%.0f-%.0f)",
                               100 * mn_rep_band_at(bd, bd->p5, o, day),
                               100 * mn_rep_band_at(bd, bd->p95, o, day));
                mn_rep_put(b, "</td>");
            }
            mn_rep_put(b, "</tr>\n");
        }
        mn_rep_put(b, "</table>\n<p>Readiness (median person): ");
        for (size_t s = 0; s < h->n_sessions; s++)
            mn_rep_put(b, "%ssession %zu ready again %.1f days after%s", s ? "; " : "",
                       s + 1, h->sessions[s].ready_days,
                       h->sessions[s].early ? " (came too early)" : "");
        mn_rep_put(b, ". Overtreatment index %.2f%s; hyperpigmentation risk %s.</p>\n",
                   h->overtreatment_index,
                   h->overtreated ? " (flagged: sessions before recovery)" : "",
                   mn_heal_pih_name(h->pih_risk));
        if (z < MAX_ZONE_FIGS) {
            char name[256], alt[700];
            snprintf(name, sizeof name, "healing-%s.png", c->zones[z].name);
            snprintf(alt, sizeof alt,
                     "Collagen, elastin and epidermis at %s over the year", names);
            mn_rep_put_image(b, dir, name, alt);
        }
    }
}

/* ---- delivery ---------------------------------------------------------------- */

/* The full reference of every publication the findings cite. */
static void html_references(sbuf *b, const mn_course *c, const mn_course_result *r,
                            const mn_evidence *ev)
{
    const char *cited[96];
    size_t n = 0;
    for (size_t i = 0; i < r->findings.count; i++)
        mn_references_cited(r->findings.items[i].source, &c->references, cited, &n, 96);
    for (size_t i = 0; ev->cases && i < ev->cases->count; i++) {
        char cite[160];
        snprintf(cite, sizeof cite, "[%s]", ev->cases->items[i].reference);
        mn_references_cited(cite, &c->references, cited, &n, 96);
    }
    if (!n)
        return;
    mn_rep_put(b, "<ul class=\"src\">\n");
    for (size_t k = 0; k < n; k++) {
        mn_rep_put(b, "<li>[");
        mn_rep_put_html(b, cited[k]);
        mn_rep_put(b, "] ");
        mn_rep_put_html(b, mn_strmap_get(&c->references, cited[k]));
        mn_rep_put(b, "</li>\n");
    }
    mn_rep_put(b, "</ul>\n");
}

static mn_status html(const char *dir, const char *path, const mn_course *c,
                      const mn_course_result *r, const mn_course_deliveries *dl,
                      const mn_evidence *ev, mn_error *err)
{
    sbuf b = {0};
    mn_rep_put(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>mnsim report: ");
    mn_rep_put_html(&b, c->protocol.name ? c->protocol.name : path);
    mn_rep_put(&b, "</title><style>%s</style></head><body>\n<h1>mnsim report: ", css);
    mn_rep_put_html(&b, c->protocol.name ? c->protocol.name : path);
    mn_rep_put(
        &b, "</h1>\n<p class=\"note\"><b>Not medical advice.</b> mnsim simulates and "
            "informs; it does not prescribe. Its models have stated limits "
            "(docs/model.md); ask a clinician before any treatment.</p>\n");
    html_findings(&b, r);
    html_course(&b, c, r, path);
    html_rolling(&b, dir, c, r);
    html_depth(&b, dir, c, r);
    int sec = 5;
    if (dl)
        mn_rep_html_delivery(&b, dir, c, dl, sec++);
    html_healing(&b, dir, c, r, sec++);
    if (ev && ev->cases)
        mn_rep_html_evidence(&b, ev, dl != NULL, sec++);
    mn_rep_put(
        &b,
        "<h2>%d. Sources</h2>\n<p class=\"src\">Every value mnsim used carries its "
        "source in its data files: devices.yaml, sites.yaml, penetration.yaml, "
        "healing.yaml, rules.yaml, zones.yaml, compounds.yaml, channels.yaml. The "
        "rules "
        "and the published measurements cited above name theirs:</p>\n",
        sec);
    html_references(&b, c, r, ev);
    mn_rep_put(&b, "<p class=\"src\">Models: docs/model.md. mnsim %s, protocol ",
               MNSIM_VERSION);
    mn_rep_put_html(&b, path);
    mn_rep_put(&b, ", seed %llu.</p>\n</body></html>\n", (unsigned long long)r->seed);
    char out[4200];
    snprintf(out, sizeof out, "%s/report.html", dir);
    mn_status st = b.failed ? mn_error_set(err, MN_ENOMEM, "out of memory")
                            : mn_rep_write_text(out, b.buf, b.len, err);
    free(b.buf);
    return st;
}

/* ---- all ---------------------------------------------------------------- */

static mn_status results_json(const char *dir, const char *path, const mn_course *c,
                              const mn_course_result *r, const mn_course_deliveries *dl,
                              const mn_evidence *ev, const file_list *fl, mn_error *err)
{
    mn_json *j = mn_json_new();
    if (!j)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_jnode *root = mn_json_root(j);
    mn_json_int(j, root, "mnsim_results", MN_RESULTS_FORMAT);
    mn_json_str(j, root, "mnsim_version", MNSIM_VERSION);
    mn_json_int(j, root, "seed", (long long)r->seed);
    mn_json_int(j, root, "samples", (long long)r->n_samples);
    mn_json_put(j, root, "protocol", protocol_json(j, c, path));
    mn_json_int(j, root, "errors", (long long)r->findings.n_errors);
    mn_json_int(j, root, "warnings", (long long)r->findings.n_warnings);
    mn_json_put(j, root, "findings", findings_json(j, &r->findings));
    mn_json_put(j, root, "sessions", sessions_json(j, c, r));
    mn_json_put(j, root, "healing", healing_json(j, c, r));
    if (dl)
        mn_json_put(j, root, "delivery", mn_rep_delivery_json(j, c, dl));
    if (ev->cases)
        mn_json_put(j, root, "evidence", mn_rep_evidence_json(j, ev, dl != NULL));
    mn_jnode *files = mn_json_array(j);
    for (size_t i = 0; i < fl->n; i++)
        mn_json_push_str(j, files, fl->ptr[i]);
    mn_json_put(j, root, "files", files);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    char *text = mn_json_text(j);
    mn_json_free(j);
    if (!text)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    char out[4200];
    snprintf(out, sizeof out, "%s/results.json", dir);
    mn_status st = mn_rep_write_text(out, text, strlen(text), err);
    free(text);
    return st;
}

mn_status mn_report_check_dir(const char *dir, int force, mn_error *err)
{
    static const char *const always[] = {"report.html", "results.json", "sessions.csv",
                                         "healing.csv"};
    return mn_file_check_names(dir, always, sizeof always / sizeof always[0], force,
                               err);
}

mn_status mn_report_write_all(const char *dir, int force, const char *protocol_path,
                              const mn_course *c, const mn_course_outcome *outcome,
                              mn_error *err)
{
    const mn_course_result *r = &outcome->course;
    const mn_course_deliveries *dl = &outcome->delivery;
    if (!dl->count) /* no delivery stage, or nothing applied: no section */
        dl = NULL;
    file_list fl;
    report_files(c, r, dl, &fl);
    /* Every name checked first; everything written into a staging folder
     * and moved into dir only when all of it was written. */
    mn_file_set set;
    mn_status st = mn_file_set_open(&set, dir, fl.ptr, fl.n, force, err);
    if (st != MN_OK)
        return st;
    const char *stage = set.stage;
    if ((st = results_json(stage, protocol_path, c, r, dl, &outcome->evidence, &fl,
                           err)) ||
        (st = mn_rep_course_csv(stage, c, r, err)) ||
        (dl && (st = mn_rep_delivery_csv(stage, c, dl, err))) ||
        (st = figures(stage, c, r, err)) ||
        (dl && (st = mn_rep_delivery_figures(stage, c, dl, err))) ||
        (st = html(stage, protocol_path, c, r, dl, &outcome->evidence, err))) {
        mn_file_set_discard(&set);
        return st;
    }
    return mn_file_set_commit(&set, fl.ptr, fl.n, err);
}
