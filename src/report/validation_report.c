/* The page of `mnsim validate --report DIR` (mnsim/validation_report.h). */
#include "mnsim/validation_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

#include "mnsim/file.h"
#include "mnsim/plot.h"
#include "mnsim/report.h"
#include "report_evidence.h"
#include "report_text.h"

#define MAX_MODELS 16
#define CLIP 5.0 /* deviations beyond 5 tolerances are drawn at the edge */

/* The unit a case's deviation is measured in: its tolerance, or half its
 * published range, or a tenth of its value. */
static double unit_of(const mn_vcase *x)
{
    if (x->tolerance > 0)
        return x->tolerance;
    if (isfinite(x->low) && isfinite(x->high) && x->high > x->low)
        return 0.5 * (x->high - x->low);
    double v = isfinite(x->value) ? fabs(x->value)
               : isfinite(x->low) ? fabs(x->low)
                                  : 0;
    return v > 0 ? 0.1 * v : 1;
}

/* Deviation of a value from the published value or range, in units. */
static double scaled(const mn_vcase *x, double v)
{
    double d;
    if (isfinite(x->value)) {
        d = v - x->value;
    } else {
        double lo = isnan(x->low) ? -INFINITY : x->low,
               hi = isnan(x->high) ? INFINITY : x->high;
        d = v < lo ? v - lo : v > hi ? v - hi : 0;
    }
    d /= unit_of(x);
    return d > CLIP ? CLIP : d < -CLIP ? -CLIP : d;
}

static void draw_case(const mn_vcase *x, const mn_vresult *r, double at)
{
    if (r->status != MN_OK)
        return;
    if (isfinite(r->p5) && isfinite(r->p95)) {
        PLFLT bx[2] = {at, at}, by[2] = {scaled(x, r->p5), scaled(x, r->p95)};
        plcol0(7);
        plline(2, bx, by);
    }
    PLFLT px[1] = {at}, py[1] = {scaled(x, r->value)};
    plcol0(x->discrepancy ? 1 : x->role == MN_VCASE_VALIDATION ? 9 : 3);
    plpoin(1, px, py, x->role == MN_VCASE_VALIDATION ? 4 : 17);
}

typedef struct {
    const char *model;
    const mn_vcase_list *cases;
    const mn_vresult *r;
    size_t n; /* cases of the model */
} vplot_ctx;

static void draw_validation(void *ctx)
{
    const vplot_ctx *v = ctx;
    char title[160];
    snprintf(title, sizeof title, "model %s: mnsim against the published value",
             v->model);
    double n = (double)v->n;
    pladv(0);
    plvpor(0.1, 0.97, 0.12, 0.9);
    plwind(0, n + 1, -CLIP - 0.3, CLIP + 0.3);
    plscol0(15, 220, 240, 220);
    plcol0(15);
    PLFLT fx[4] = {0, n + 1, n + 1, 0}, fy[4] = {-1, -1, 1, 1};
    plfill(4, fx, fy);
    plscol0(1, 200, 0, 0);
    plscol0(3, 0, 90, 160);
    plscol0(7, 150, 150, 150);
    plscol0(9, 0, 130, 60);
    plscol0(14, 0, 0, 0);
    plcol0(14);
    plbox("bc", 0, 0, "bcnstv", 0, 0);
    pllab("case (in the order of the files)", "deviation / tolerance", title);
    size_t k = 0;
    for (size_t i = 0; i < v->cases->count; i++)
        if (!strcmp(v->cases->items[i].model, v->model))
            draw_case(&v->cases->items[i], &v->r[i], (double)++k);
    plcol0(14);
    plmtex(
        "t", 0.5, 0.0, 0.0,
        "filled: calibration; open: validation; red: known discrepancy; grey: 5-95%; "
        "green band: within tolerance");
}

mn_status mn_plot_validation(const char *path, const char *model,
                             const mn_vcase_list *cases, const mn_vresult *r, int force,
                             mn_error *err)
{
    if (!mn_plot_device_for(path))
        return mn_error_set(err, MN_EINVAL, "%s: figure files must end in .png or .svg",
                            path ? path : "");
    vplot_ctx v = {model, cases, r, 0};
    for (size_t i = 0; i < cases->count; i++)
        v.n += !strcmp(cases->items[i].model, model);
    if (!v.n)
        return mn_error_set(err, MN_EINVAL, "no case of model %s", model);
    mn_plot_page page = {900, 500, 1, 1};
    return mn_plot_render(path, force, &page, draw_validation, &v, err);
}

/* ---- the page ---------------------------------------------------------------- */

static size_t models_of(const mn_vcase_list *cases, const char **models)
{
    size_t n = 0;
    for (size_t i = 0; i < cases->count; i++) {
        size_t k;
        for (k = 0; k < n && strcmp(models[k], cases->items[i].model); k++)
            ;
        if (k == n && n < MAX_MODELS)
            models[n++] = cases->items[i].model;
    }
    return n;
}

static void model_section(sbuf *b, const char *dir, const char *model,
                          const mn_vcase_list *cases, const mn_vresult *r)
{
    char fig[64], alt[96];
    snprintf(fig, sizeof fig, "validation-%s.png", model);
    snprintf(alt, sizeof alt,
             "model %s: deviation of each case in units of its tolerance", model);
    mn_rep_put(b, "<h2>Model %s</h2>\n", model);
    mn_rep_put_image(b, dir, fig, alt);
    mn_rep_put(b,
               "<table><tr><th>case</th><th>role</th><th>measured</th><th>quantity</th>"
               "<th>published</th><th>mnsim</th><th>5&ndash;95%%</th><th>result</th>"
               "<th>reference</th></tr>\n");
    for (size_t i = 0; i < cases->count; i++)
        if (!strcmp(cases->items[i].model, model))
            mn_rep_vcase_row(b, &cases->items[i], &r[i], 1);
    mn_rep_put(b, "</table>\n");
}

/* The page, its figures drawn into dir. */
static mn_status write_page(const char *dir, const char **models,
                            const char *const *figures, size_t n,
                            const mn_vcase_list *cases, const mn_vresult *r,
                            mn_error *err)
{
    mn_status st = MN_OK;
    for (size_t m = 0; m < n && st == MN_OK; m++) {
        char p[MN_FILE_PATH_MAX + 96];
        snprintf(p, sizeof p, "%s/%s", dir, figures[m]);
        st = mn_plot_validation(p, models[m], cases, r, 0, err);
    }
    if (st != MN_OK)
        return st;
    mn_validation_summary s;
    mn_validation_summarise(cases, r, &s);
    sbuf b = {0};
    mn_rep_put(
        &b,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>mnsim: calibration and validation</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px "
        "6px;font-size:90%%}img{max-width:100%%}</style></head><body>\n"
        "<h1>Calibration and validation</h1>\n<p>%zu cases: %zu passed, %zu "
        "known discrepancies, %zu not run; %zu of %zu validation (out-of-sample) "
        "cases passed. A calibration case was used to fit a parameter: passing it "
        "shows the fit. A validation case was never seen by a fit: it tests a "
        "prediction. References: docs/references.md.</p>\n"
        "<p><b>mnsim informs; it does not prescribe. Not medical advice.</b></p>\n",
        s.cases, s.passed, s.known, s.not_run, s.validation_passed, s.validation);
    for (size_t m = 0; m < n; m++)
        model_section(&b, dir, models[m], cases, r);
    mn_rep_put(&b, "</body></html>\n");
    char p[MN_FILE_PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/validation.html", dir);
    st = b.failed ? mn_error_set(err, MN_ENOMEM, "out of memory")
                  : mn_file_write(p, b.buf, b.len, 0, 0644, err);
    free(b.buf);
    return st;
}

mn_status mn_validation_report_write(const char *dir, int force,
                                     const mn_vcase_list *cases, const mn_vresult *r,
                                     mn_error *err)
{
    const char *models[MAX_MODELS];
    size_t n = models_of(cases, models);
    char names[MAX_MODELS + 1][96];
    const char *list[MAX_MODELS + 1];
    for (size_t m = 0; m < n; m++) {
        snprintf(names[m], sizeof names[m], "validation-%s.png", models[m]);
        list[m] = names[m];
    }
    list[n] = "validation.html";
    mn_file_set set;
    mn_status st = mn_file_set_open(&set, dir, list, n + 1, force, err);
    if (st != MN_OK)
        return st;
    st = write_page(set.stage, models, list, n, cases, r, err);
    if (st != MN_OK) {
        mn_file_set_discard(&set);
        return st;
    }
    return mn_file_set_commit(&set, list, n + 1, err);
}
