/* The figure of a healing course: four panels with median and band. */
#include "mnsim/plot_heal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <plplot.h>

#include "mnsim/healing.h"
#include "mnsim/file.h"
#include "mnsim/plot.h"

typedef struct {
    const mn_plot_heal_data *d;
    PLFLT *x, *y, *bx, *by; /* n_days, n_days, 2 n_days, 2 n_days */
    double xmax;            /* months */
} heal_ctx;

static const int outs[4] = {MN_HEAL_OUT_COLLAGEN_I, MN_HEAL_OUT_COLLAGEN_III,
                            MN_HEAL_OUT_ELASTIN, MN_HEAL_OUT_EPIDERMIS};
static const char *const out_names[4] = {"collagen I", "collagen III", "elastin",
                                         "epidermal thickness"};
static const int line_rgb[4][3] = {
    {31, 90, 170}, {200, 90, 20}, {40, 140, 60}, {150, 50, 140}};
static const int band_rgb[4][3] = {
    {190, 210, 240}, {250, 215, 185}, {195, 230, 200}, {230, 200, 230}};

/* The range of output o in % over the median and the band. */
static void panel_range(const mn_plot_heal_data *d, int o, double *lo, double *hi)
{
    *lo = *hi = 100;
    for (size_t i = 0; i < d->n_days; i++) {
        double v[3] = {d->median[i * MN_HEAL_NOUT + o],
                       d->p5 ? d->p5[i * MN_HEAL_NOUT + o] : NAN,
                       d->p95 ? d->p95[i * MN_HEAL_NOUT + o] : NAN};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j])) {
                *lo = fmin(*lo, 100 * v[j]);
                *hi = fmax(*hi, 100 * v[j]);
            }
    }
}

static void panel_band(const heal_ctx *h, int k)
{
    const mn_plot_heal_data *d = h->d;
    size_t n = d->n_days;
    int o = outs[k];
    for (size_t i = 0; i < n; i++) {
        h->bx[i] = (double)i / MN_HEAL_DAYS_PER_MONTH;
        h->by[i] = 100 * d->p95[i * MN_HEAL_NOUT + o];
        h->bx[2 * n - 1 - i] = h->bx[i];
        h->by[2 * n - 1 - i] = 100 * d->p5[i * MN_HEAL_NOUT + o];
    }
    plscol0(15, band_rgb[k][0], band_rgb[k][1], band_rgb[k][2]);
    plcol0(15);
    plfill((PLINT)(2 * n), h->bx, h->by);
}

/* Baseline (dashed) and the sessions (ticks at the bottom). */
static void panel_marks(const heal_ctx *h, double lo, double hi, double pad)
{
    plscol0(14, 120, 120, 120);
    plcol0(14);
    pllsty(2);
    PLFLT hx[2] = {0, h->xmax}, hy[2] = {100, 100};
    plline(2, hx, hy);
    pllsty(1);
    plscol0(14, 60, 60, 60);
    plcol0(14);
    plwidth(2.0);
    for (size_t s = 0; s < h->d->n_sessions; s++) {
        double t = h->d->session_days[s] / MN_HEAL_DAYS_PER_MONTH;
        PLFLT sx[2] = {t, t}, sy[2] = {lo - pad, lo - pad + (hi - lo + 2 * pad) * 0.08};
        plline(2, sx, sy);
    }
    plwidth(1.0);
}

static void panel(const heal_ctx *h, int k)
{
    const mn_plot_heal_data *d = h->d;
    int o = outs[k];
    double lo, hi;
    panel_range(d, o, &lo, &hi);
    double pad = (hi - lo) * 0.08 + 1;
    pladv(0);
    plvpor(0.14, 0.95, 0.14, k < 2 ? 0.80 : 0.86);
    plwind(0, h->xmax, lo - pad, hi + pad);
    if (d->p5 && d->p95)
        panel_band(h, k);
    panel_marks(h, lo, hi, pad);
    for (size_t i = 0; i < d->n_days; i++) {
        h->x[i] = (double)i / MN_HEAL_DAYS_PER_MONTH;
        h->y[i] = 100 * d->median[i * MN_HEAL_NOUT + o];
    }
    plscol0(13, line_rgb[k][0], line_rgb[k][1], line_rgb[k][2]);
    plcol0(13);
    plwidth(2.0);
    plline((PLINT)d->n_days, h->x, h->y);
    plwidth(1.0);
    plcol0(1);
    plbox("bcnst", 1, 0, "bcnstv", 0, 0);
    pllab("months after the first session", "% of baseline", "");
    plmtex("t", 0.8, 0.5, 0.5, out_names[k]);
    if (k == 0 && d->title)
        plmtex("t", 3.0, 0.0, 0.0, d->title);
    if (k == 1)
        plmtex("t", 3.0, 1.0, 1.0,
               d->p5 ? "band: 5-95% of people; ticks: sessions"
                     : "median person; ticks: sessions");
}

static void draw_heal(void *ctx)
{
    plscol0(1, 0, 0, 0);
    for (int k = 0; k < 4; k++)
        panel(ctx, k);
}

mn_status mn_plot_heal(const char *path, const mn_plot_heal_data *d, int force,
                       mn_error *err)
{
    if (!mn_plot_device_for(path))
        return mn_error_set(err, MN_EINVAL, "%s: figure files must end in .png or .svg",
                            path ? path : "");
    if (!d || !d->median || d->n_days < 2)
        return mn_error_set(err, MN_EINVAL, "no healing curves to draw");
    mn_status st = mn_file_check(path, force, err);
    if (st != MN_OK)
        return st;
    size_t n = d->n_days;
    heal_ctx h = {d,
                  malloc(n * sizeof(PLFLT)),
                  malloc(n * sizeof(PLFLT)),
                  malloc(2 * n * sizeof(PLFLT)),
                  malloc(2 * n * sizeof(PLFLT)),
                  (double)(n - 1) / MN_HEAL_DAYS_PER_MONTH};
    mn_plot_page page = {1100, 800, 2, 2};
    st = h.x && h.y && h.bx && h.by
             ? mn_plot_render(path, force, &page, draw_heal, &h, err)
             : mn_error_set(err, MN_ENOMEM, "out of memory (figure)");
    free(h.x), free(h.y), free(h.bx), free(h.by);
    return st;
}
