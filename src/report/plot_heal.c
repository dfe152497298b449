/* The figure of a healing course: four panels with median and band. */
#include "mnsim/plot_heal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

#include "mnsim/healing.h"
#include "mnsim/plot.h"

#define DAYS_PER_MONTH 30.436875

mn_status mn_plot_heal(const char *path, const mn_plot_heal_data *d, int force,
                       mn_error *err)
{
    const char *dev = mn_plot_device_for(path);
    if (!dev)
        return mn_error_set(err, MN_EINVAL, "%s: figure files must end in .png or .svg",
                            path);
    if (!d || !d->median || d->n_days < 2)
        return mn_error_set(err, MN_EINVAL, "no healing curves to draw");
    struct stat st;
    if (!force && stat(path, &st) == 0)
        return mn_error_set(err, MN_EEXIST, "%s exists; use --force to overwrite it",
                            path);
    size_t n = d->n_days;
    PLFLT *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    PLFLT *bx = malloc(2 * n * sizeof *bx), *by = malloc(2 * n * sizeof *by);
    if (!x || !y || !bx || !by) {
        free(x), free(y), free(bx), free(by);
        return mn_error_set(err, MN_ENOMEM, "out of memory (figure)");
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    double xmax = (double)(n - 1) / DAYS_PER_MONTH;

    static const int outs[4] = {MN_HEAL_OUT_COLLAGEN_I, MN_HEAL_OUT_COLLAGEN_III,
                                MN_HEAL_OUT_ELASTIN, MN_HEAL_OUT_EPIDERMIS};
    static const char *names[4] = {"collagen I", "collagen III", "elastin",
                                   "epidermal thickness"};
    static const int line_rgb[4][3] = {
        {31, 90, 170}, {200, 90, 20}, {40, 140, 60}, {150, 50, 140}};
    static const int band_rgb[4][3] = {
        {190, 210, 240}, {250, 215, 185}, {195, 230, 200}, {230, 200, 230}};

    plsdev(dev);
    plsfnam(tmp);
    plspage(0, 0, 1100, 800, 0, 0);
    plscolbg(255, 255, 255);
    plscol0(1, 0, 0, 0);
    plssub(2, 2);
    plinit();
    for (int k = 0; k < 4; k++) {
        int o = outs[k];
        double lo = 100, hi = 100;
        for (size_t i = 0; i < n; i++) {
            double v[3] = {d->median[i * MN_HEAL_NOUT + o],
                           d->p5 ? d->p5[i * MN_HEAL_NOUT + o] : NAN,
                           d->p95 ? d->p95[i * MN_HEAL_NOUT + o] : NAN};
            for (int j = 0; j < 3; j++)
                if (isfinite(v[j])) {
                    lo = fmin(lo, 100 * v[j]);
                    hi = fmax(hi, 100 * v[j]);
                }
        }
        double pad = (hi - lo) * 0.08 + 1;
        pladv(0);
        plvpor(0.14, 0.95, 0.14, k < 2 ? 0.80 : 0.86);
        plwind(0, xmax, lo - pad, hi + pad);
        if (d->p5 && d->p95) {
            for (size_t i = 0; i < n; i++) {
                bx[i] = (double)i / DAYS_PER_MONTH;
                by[i] = 100 * d->p95[i * MN_HEAL_NOUT + o];
                bx[2 * n - 1 - i] = bx[i];
                by[2 * n - 1 - i] = 100 * d->p5[i * MN_HEAL_NOUT + o];
            }
            plscol0(15, band_rgb[k][0], band_rgb[k][1], band_rgb[k][2]);
            plcol0(15);
            plfill((PLINT)(2 * n), bx, by);
        }
        /* Baseline and sessions. */
        plscol0(14, 120, 120, 120);
        plcol0(14);
        pllsty(2);
        PLFLT hx[2] = {0, xmax}, hy[2] = {100, 100};
        plline(2, hx, hy);
        pllsty(1);
        plscol0(14, 60, 60, 60);
        plcol0(14);
        plwidth(2.0);
        for (size_t s = 0; s < d->n_sessions; s++) {
            double t = d->session_days[s] / DAYS_PER_MONTH;
            PLFLT sx[2] = {t, t},
                  sy[2] = {lo - pad, lo - pad + (hi - lo + 2 * pad) * 0.08};
            plline(2, sx, sy);
        }
        plwidth(1.0);
        for (size_t i = 0; i < n; i++) {
            x[i] = (double)i / DAYS_PER_MONTH;
            y[i] = 100 * d->median[i * MN_HEAL_NOUT + o];
        }
        plscol0(13, line_rgb[k][0], line_rgb[k][1], line_rgb[k][2]);
        plcol0(13);
        plwidth(2.0);
        plline((PLINT)n, x, y);
        plwidth(1.0);
        plcol0(1);
        plbox("bcnst", 1, 0, "bcnstv", 0, 0);
        pllab("months after the first session", "% of baseline", "");
        plmtex("t", 0.8, 0.5, 0.5, names[k]);
        if (k == 0 && d->title)
            plmtex("t", 3.0, 0.0, 0.0, d->title);
        if (k == 1)
            plmtex("t", 3.0, 1.0, 1.0,
                   d->p5 ? "band: 5-95% of people; ticks: sessions"
                         : "median person; ticks: sessions");
    }
    plend();
    free(x), free(y), free(bx), free(by);
    return mn_plot_commit(tmp, path, err);
}
