/* The files of a virtual trial: persons.csv, summary.json, summary.csv,
 * report.html (figures: cohort_plot.c). Every number is printed with a
 * fixed format, so the same trial gives the same bytes. */
#include "mnsim/cohort_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/file.h"
#include "mnsim/json.h"
#include "report_text.h"

const char *const mn_cohort_report_files[] = {
    "persons.csv",           "summary.json",
    "summary.csv",           "cohort-distributions.png",
    "cohort-responders.png", "cohort-forest.png",
    "report.html",           NULL};

static const char *sex_name(int s)
{
    return s == MN_SEX_MALE ? "male" : "female";
}

/* A number as CSV: %.9g, empty for NaN. */
static void put_num(sbuf *b, double v)
{
    if (isfinite(v))
        mn_rep_put(b, ",%.9g", v);
    else
        mn_rep_put(b, ",");
}

static void put_csv_text(sbuf *b, const char *s)
{
    mn_rep_put(b, "\"");
    for (; *s; s++)
        mn_rep_put(b, *s == '"' ? "\"\"" : "%c", *s);
    mn_rep_put(b, "\"");
}

char *mn_cohort_rows_csv(const mn_cohort_trial *t, const char *const *arm_names,
                         size_t n_arms, const mn_cohort_person *people, size_t n,
                         const double *values, int header)
{
    sbuf b = {0};
    size_t ne = mn_cohort_n_endpoints(&t->endpoints);
    char name[64];
    if (header) {
        mn_rep_put(&b, "person,arm,age_years,sex,fitzpatrick");
        for (size_t k = 0; k < ne; k++)
            mn_rep_put(&b, ",%s",
                       mn_cohort_endpoint_name(&t->endpoints, k, name, sizeof name));
        mn_rep_put(&b, "\n");
    }
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < n_arms; a++) {
            const mn_cohort_person *p = &people[i];
            mn_rep_put(&b, "%llu,", (unsigned long long)p->index);
            put_csv_text(&b, arm_names[a]);
            mn_rep_put(&b, ",%.2f,%s,%d", p->age_years, sex_name(p->sex),
                       p->fitzpatrick);
            for (size_t k = 0; k < ne; k++)
                put_num(&b, values[(i * n_arms + a) * ne + k]);
            mn_rep_put(&b, "\n");
        }
    if (b.failed || !b.buf) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

/* ---- summary ------------------------------------------------------------- */

static char *summary_csv(const mn_cohort_report *r)
{
    const mn_cohort_summary *s = r->summary;
    const mn_cohort_trial *t = r->trial;
    sbuf b = {0};
    char name[64];
    mn_rep_put(&b, "kind,arm,subgroup,endpoint,n,median,p5,p95,mean,count,rate,"
                   "rate_ci_low,rate_ci_high,diff_ci_low,diff_ci_high\n");
    for (size_t i = 0; i < s->n_arms * s->n_subgroups * s->n_endpoints; i++) {
        const mn_cohort_stat *x = &s->stats[i];
        mn_rep_put(&b, "stat,");
        put_csv_text(&b, r->arm_names[x->arm]);
        mn_rep_put(
            &b, ",%s,%s,%zu", s->subgroups[x->subgroup].name,
            mn_cohort_endpoint_name(&t->endpoints, x->endpoint, name, sizeof name),
            x->n);
        put_num(&b, x->median);
        put_num(&b, x->p5);
        put_num(&b, x->p95);
        put_num(&b, x->mean);
        if (isfinite(x->rate))
            mn_rep_put(&b, ",%zu", x->k);
        else
            mn_rep_put(&b, ",");
        put_num(&b, x->rate);
        put_num(&b, x->rate_lo);
        put_num(&b, x->rate_hi);
        mn_rep_put(&b, ",,\n");
    }
    for (size_t i = 0; i < s->n_diffs; i++) {
        const mn_cohort_diff *d = &s->diffs[i];
        mn_rep_put(&b, "paired_difference,");
        put_csv_text(&b, r->arm_names[d->arm]);
        mn_rep_put(
            &b, ",%s,%s,%zu", s->subgroups[d->subgroup].name,
            mn_cohort_endpoint_name(&t->endpoints, d->endpoint, name, sizeof name),
            d->n);
        put_num(&b, d->median);
        mn_rep_put(&b, ",,");
        put_num(&b, d->mean);
        mn_rep_put(&b, ",,,,");
        put_num(&b, d->lo);
        put_num(&b, d->hi);
        mn_rep_put(&b, "\n");
    }
    if (b.failed) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

static void prov_json(mn_json *j, mn_jnode *o, const char *key, const mn_cohort_prov *p)
{
    mn_jnode *x = mn_json_object(j);
    mn_json_str(j, x, "source", p->source);
    mn_json_str(j, x, "typical", p->typical);
    mn_json_put(j, o, key, x);
}

static char *summary_json(const mn_cohort_report *r)
{
    const mn_cohort_summary *s = r->summary;
    const mn_cohort_trial *t = r->trial;
    mn_json *j = mn_json_new();
    if (!j)
        return NULL;
    mn_jnode *root = mn_json_root(j);
    char name[64];
    mn_json_str(j, root, "trial", t->name);
    mn_json_str(j, root, "population", r->population->name);
    mn_json_int(j, root, "people", (long long)s->n_people);
    mn_json_int(j, root, "seed", (long long)t->seed);
    mn_json_int(j, root, "bootstrap", (long long)t->bootstrap);
    mn_json_num(j, root, "responder_month", t->endpoints.responder_month);
    mn_json_num(j, root, "responder_collagen_pct", t->endpoints.responder_pct);
    mn_jnode *prov = mn_json_object(j);
    prov_json(j, prov, "age", &r->population->age);
    prov_json(j, prov, "sex", &r->population->sex);
    prov_json(j, prov, "fitzpatrick", &r->population->fitzpatrick_prov);
    prov_json(j, prov, "skin", &r->population->skin);
    prov_json(j, prov, "healing", &r->population->healing);
    prov_json(j, prov, "adherence", &r->population->adherence);
    prov_json(j, prov, "pressure", &r->population->pressure);
    mn_json_put(j, root, "population_sources", prov);
    mn_jnode *arms = mn_json_array(j);
    for (size_t a = 0; a < r->n_arms; a++) {
        mn_jnode *x = mn_json_object(j);
        mn_json_str(j, x, "name", r->arm_names[a]);
        mn_json_int(j, x, "safety_errors", (long long)r->arms[a].n_errors);
        mn_json_int(j, x, "safety_warnings", (long long)r->arms[a].n_warnings);
        if (r->arms[a].numb_in_time >= 0) { /* the median person, once per arm */
            mn_json_bool(j, x, "numb_in_time", r->arms[a].numb_in_time);
            mn_json_num(j, x, "time_to_numb_min", r->arms[a].time_to_numb_s / 60);
        }
        mn_json_push(j, arms, x);
    }
    mn_json_put(j, root, "arms", arms);
    mn_jnode *stats = mn_json_array(j);
    for (size_t i = 0; i < s->n_arms * s->n_subgroups * s->n_endpoints; i++) {
        const mn_cohort_stat *x = &s->stats[i];
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "arm", r->arm_names[x->arm]);
        mn_json_str(j, o, "subgroup", s->subgroups[x->subgroup].name);
        mn_json_str(
            j, o, "endpoint",
            mn_cohort_endpoint_name(&t->endpoints, x->endpoint, name, sizeof name));
        mn_json_int(j, o, "n", (long long)x->n);
        mn_json_num(j, o, "median", x->median);
        mn_json_num(j, o, "p5", x->p5);
        mn_json_num(j, o, "p95", x->p95);
        mn_json_num(j, o, "mean", x->mean);
        if (isfinite(x->rate)) {
            mn_json_int(j, o, "count", (long long)x->k);
            mn_json_num(j, o, "rate", x->rate);
            mn_json_num(j, o, "rate_ci_low", x->rate_lo);
            mn_json_num(j, o, "rate_ci_high", x->rate_hi);
        }
        mn_json_push(j, stats, o);
    }
    mn_json_put(j, root, "statistics", stats);
    mn_jnode *diffs = mn_json_array(j);
    for (size_t i = 0; i < s->n_diffs; i++) {
        const mn_cohort_diff *d = &s->diffs[i];
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "arm", r->arm_names[d->arm]);
        mn_json_str(j, o, "reference", r->arm_names[0]);
        mn_json_str(j, o, "subgroup", s->subgroups[d->subgroup].name);
        mn_json_str(
            j, o, "endpoint",
            mn_cohort_endpoint_name(&t->endpoints, d->endpoint, name, sizeof name));
        mn_json_int(j, o, "n", (long long)d->n);
        mn_json_num(j, o, "mean_difference", d->mean);
        mn_json_num(j, o, "ci_low", d->lo);
        mn_json_num(j, o, "ci_high", d->hi);
        mn_json_num(j, o, "median_difference", d->median);
        mn_json_push(j, diffs, o);
    }
    mn_json_put(j, root, "paired_differences", diffs);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    char *text = mn_json_text(j);
    mn_json_free(j);
    return text;
}

/* ---- report.html --------------------------------------------------------- */

static const char *css =
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
    "padding:.2em .5em;text-align:right}th{background:#eee}"
    ".note{background:#fff3cd;padding:.5em;border:1px solid #e0c36a}"
    "img{max-width:100%}";

static const mn_cohort_stat *stat_at(const mn_cohort_summary *s, size_t a, size_t g,
                                     size_t k)
{
    return &s->stats[(a * s->n_subgroups + g) * s->n_endpoints + k];
}

static void html_arms(sbuf *b, const mn_cohort_report *r)
{
    const mn_cohort_summary *s = r->summary;
    const mn_cohort_trial *t = r->trial;
    size_t f = 3 * t->endpoints.n_months, c = s->compared[0];
    char name[64];
    mn_rep_put(b,
               "<h2>Arms (all people)</h2>\n<table><tr><th>arm</th><th>%s median "
               "(5-95%%)</th><th>responders (95%% CI)</th><th>overtreated</th>"
               "<th>high PIH risk</th><th>bleeding</th><th>numb in time (median "
               "person)</th><th>safety findings</th></tr>\n",
               mn_cohort_endpoint_name(&t->endpoints, c, name, sizeof name));
    for (size_t a = 0; a < r->n_arms; a++) {
        const mn_cohort_stat *x = stat_at(s, a, 0, c);
        const mn_cohort_stat *rs = stat_at(s, a, 0, f + MN_COHORT_E_RESPONDER);
        mn_rep_put(b, "<tr><td style=\"text-align:left\">");
        mn_rep_put_html(b, r->arm_names[a]);
        mn_rep_put(b, "</td><td>%.1f (%.1f to %.1f)</td><td>%.1f%% (%.1f-%.1f%%)</td>",
                   x->median, x->p5, x->p95, 100 * rs->rate, 100 * rs->rate_lo,
                   100 * rs->rate_hi);
        static const int flags[] = {MN_COHORT_E_OVERTREATED, MN_COHORT_E_PIH_HIGH,
                                    MN_COHORT_E_BLEED};
        for (int q = 0; q < 3; q++) {
            const mn_cohort_stat *y = stat_at(s, a, 0, f + (size_t)flags[q]);
            mn_rep_put(b, "<td>%.1f%% (%.1f-%.1f%%)</td>", 100 * y->rate,
                       100 * y->rate_lo, 100 * y->rate_hi);
        }
        int numb = r->arms[a].numb_in_time;
        mn_rep_put(b, "<td>%s</td>", numb < 0 ? "not asked" : numb ? "yes" : "no");
        mn_rep_put(b, "<td>%zu error(s), %zu warning(s)</td></tr>\n",
                   r->arms[a].n_errors, r->arms[a].n_warnings);
    }
    mn_rep_put(b, "</table>\n");
}

static void html_diffs(sbuf *b, const mn_cohort_report *r)
{
    const mn_cohort_summary *s = r->summary;
    char name[64];
    if (!s->n_diffs)
        return;
    mn_rep_put(b, "<h2>Paired differences against ");
    mn_rep_put_html(b, r->arm_names[0]);
    mn_rep_put(b,
               "</h2>\n<p>The same virtual people in every arm; mean of the "
               "differences person by person, 95%% bootstrap CI (%ld resamples).</p>\n"
               "<table><tr><th>arm</th><th>subgroup</th><th>endpoint</th><th>n</th>"
               "<th>mean difference (95%% CI)</th></tr>\n",
               r->trial->bootstrap);
    for (size_t i = 0; i < s->n_diffs; i++) {
        const mn_cohort_diff *d = &s->diffs[i];
        mn_rep_put(b, "<tr><td style=\"text-align:left\">");
        mn_rep_put_html(b, r->arm_names[d->arm]);
        mn_rep_put(b,
                   "</td><td style=\"text-align:left\">%s</td><td>%s</td><td>%zu</td>"
                   "<td>%+.3g (%+.3g to %+.3g)</td></tr>\n",
                   s->subgroups[d->subgroup].name,
                   mn_cohort_endpoint_name(&r->trial->endpoints, d->endpoint, name,
                                           sizeof name),
                   d->n, d->mean, d->lo, d->hi);
    }
    mn_rep_put(b, "</table>\n");
}

static mn_status html(const char *dir, const mn_cohort_report *r, mn_error *err)
{
    sbuf b = {0};
    mn_rep_put(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>mnsim virtual trial: ");
    mn_rep_put_html(&b, r->trial->name);
    mn_rep_put(
        &b, "</title><style>%s</style></head><body>\n<h1>mnsim virtual trial: ", css);
    mn_rep_put_html(&b, r->trial->name);
    mn_rep_put(
        &b, "</h1>\n<p class=\"note\"><b>Not medical advice.</b> mnsim simulates and "
            "informs; it does not prescribe. A virtual trial compares model "
            "predictions over a sampled population; its models have stated limits "
            "(docs/model.md, docs/cohort.md) and the hyperpigmentation, "
            "overtreatment and bleeding figures are model indices, not observed "
            "events. Ask a clinician before any treatment.</p>\n");
    mn_rep_put(&b, "<p>%zu virtual people from the population <b>",
               r->summary->n_people);
    mn_rep_put_html(&b, r->population->name);
    mn_rep_put(
        &b,
        "</b>, each in all %zu arm(s); seed %ld. Responder: collagen change of at "
        "least %g%% at %g months.</p>\n",
        r->n_arms, r->trial->seed, r->trial->endpoints.responder_pct,
        r->trial->endpoints.responder_month);
    html_arms(&b, r);
    html_diffs(&b, r);
    mn_rep_put(&b, "<h2>Figures</h2>\n");
    mn_rep_put_image(&b, dir, "cohort-distributions.png", "Distribution per arm");
    mn_rep_put_image(&b, dir, "cohort-responders.png", "Responder curves");
    mn_rep_put_image(&b, dir, "cohort-forest.png", "Subgroups (forest plot)");
    mn_rep_put(&b, "<p>Every number per person and arm: persons.csv; every statistic: "
                   "summary.csv and summary.json.</p>\n<p><b>mnsim informs; it is not "
                   "medical advice.</b></p>\n</body></html>\n");
    if (b.failed) {
        free(b.buf);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/report.html", dir);
    mn_status st = mn_rep_write_text(path, b.buf, b.len, err);
    free(b.buf);
    return st;
}

/* persons.csv: the header, then each block file's bytes. */
static mn_status persons_csv(const char *dir, const mn_cohort_report *r, mn_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/persons.csv", dir);
    char *head =
        mn_cohort_rows_csv(r->trial, r->arm_names, r->n_arms, NULL, 0, NULL, 1);
    if (!head)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_file_out o;
    mn_status st = mn_file_open(&o, path, 0, 0644, err);
    if (st) {
        free(head);
        return st;
    }
    fputs(head, o.f);
    free(head);
    for (size_t i = 0; i < r->n_row_files; i++) {
        size_t n;
        unsigned char *data = mn_rep_slurp(r->row_files[i], &n);
        if (!data) {
            mn_file_discard(&o);
            return mn_error_set(err, MN_EIO, "%s: cannot read the rows of a block",
                                r->row_files[i]);
        }
        fwrite(data, 1, n, o.f);
        free(data);
    }
    return mn_file_commit(&o, err);
}

static mn_status text_file(const char *dir, const char *name, char *text, mn_error *err)
{
    if (!text)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mn_status st = mn_rep_write_text(path, text, strlen(text), err);
    free(text);
    return st;
}

mn_status mn_cohort_report_write(const char *dir, int force, const mn_cohort_report *r,
                                 mn_error *err)
{
    size_t n = 0;
    while (mn_cohort_report_files[n])
        n++;
    mn_file_set set;
    mn_status st = mn_file_set_open(&set, dir, mn_cohort_report_files, n, force, err);
    if (st)
        return st;
    const char *stage = set.stage;
    if ((st = persons_csv(stage, r, err)) ||
        (st = text_file(stage, "summary.json", summary_json(r), err)) ||
        (st = text_file(stage, "summary.csv", summary_csv(r), err)) ||
        (st = mn_cohort_plots(stage, 0, r, err)) || (st = html(stage, r, err))) {
        mn_file_set_discard(&set);
        return st;
    }
    return mn_file_set_commit(&set, mn_cohort_report_files, n, err);
}
