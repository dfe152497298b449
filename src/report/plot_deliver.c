/* Figures (PLplot, cairo driver) and CSV of a delivery experiment. */
#include "mnsim/plot_deliver.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

#include "mnsim/file.h"
#include "mnsim/plot.h"

#define UG_CM2 1e5 /* kg/m^2 -> ug/cm^2 */

static double lg(double v, double floor_)
{
    return log10(v > floor_ ? v : floor_);
}

/* Range of log10 of the positive values of two series. */
static void log_range(const double *a, const double *b, size_t n, double scale,
                      double *lo, double *hi)
{
    double mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (a && a[i] * scale > 0)
            mx = fmax(mx, log10(a[i] * scale));
        if (b && b[i] * scale > 0)
            mx = fmax(mx, log10(b[i] * scale));
    }
    if (!isfinite(mx))
        mx = 0;
    *hi = ceil(mx + 0.05);
    *lo = *hi - 6;
}

static void series(const double *t, const double *y, size_t n, double scale, double lo,
                   int colour, int style)
{
    PLFLT *px = malloc(n * sizeof *px), *py = malloc(n * sizeof *py);
    if (!px || !py) {
        free(px);
        free(py);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        px[i] = t[i] / 60.0;
        py[i] = lg(y[i] * scale, pow(10, lo - 1));
    }
    plcol0(colour);
    pllsty(style);
    plwidth(2);
    plline((PLINT)n, px, py);
    plwidth(1);
    pllsty(1);
    free(px);
    free(py);
}

static void legend_line(double x, double y, int colour, int style, const char *text)
{
    PLFLT lx[2] = {x, x + 0.08}, ly[2] = {y, y};
    plcol0(colour);
    pllsty(style);
    plwidth(2);
    plline(2, lx, ly);
    plwidth(1);
    pllsty(1);
    plcol0(1);
    plptex(x + 0.1, y, 1, 0, 0, text);
}

static void set_ramp(void)
{
    /* white-ish yellow -> orange -> dark red -> purple */
    PLFLT pos[5] = {0, 0.25, 0.5, 0.75, 1};
    PLFLT r[5] = {1.0, 1.0, 0.95, 0.6, 0.25};
    PLFLT g[5] = {1.0, 0.85, 0.45, 0.1, 0.0};
    PLFLT b[5] = {0.85, 0.4, 0.1, 0.15, 0.35};
    plscmap1n(128);
    plscmap1l(1, 5, pos, r, g, b, NULL);
}

typedef struct {
    const mn_deliver_result *r;
    const mn_skin *skin;
    double channel_depth_m, channel_radius_m;
    int channel_shape;
    const char *title;
    const mn_transport_result *w, *in; /* with channels (or intact), intact */
    double tmax;                       /* min */
} deliver_ctx;

/* (1) delivered past the stratum corneum */
static void panel_delivered(const deliver_ctx *c)
{
    const mn_transport_result *w = c->w, *in = c->in;
    double lo, hi;
    log_range(w->delivered, in->delivered, w->n < in->n ? w->n : in->n, UG_CM2, &lo,
              &hi);
    plvpor(0.08, 0.46, 0.56, 0.9);
    plwind(0, c->tmax, lo, hi);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstvl", 0, 0);
    pllab("time (min)", "ug/cm2 (log)", "delivered past the stratum corneum");
    if (c->r->has_channels)
        series(w->t_s, w->delivered, w->n, UG_CM2, lo, 2, 1);
    series(in->t_s, in->delivered, in->n, UG_CM2, lo, 3, 2);
    plwind(0, 1, 0, 1);
    if (c->r->has_channels)
        legend_line(0.05, 0.93, 2, 1, "with channels");
    legend_line(0.05, 0.86, 3, 2, "intact skin");
}

/* (2) the nerve endings (anaesthetics) or the flux into the dermis */
static void panel_nerve(const deliver_ctx *c)
{
    const mn_transport_result *w = c->w, *in = c->in;
    double lo, hi, tmax = c->tmax;
    plvpor(0.58, 0.96, 0.56, 0.9);
    if (isfinite(c->r->threshold_kg_m3)) {
        log_range(w->probe, in->probe, w->n < in->n ? w->n : in->n, 1.0, &lo, &hi);
        double tl = log10(c->r->threshold_kg_m3);
        if (tl + 0.5 > hi)
            hi = ceil(tl + 0.5);
        lo = hi - 7;
        plwind(0, tmax, lo, hi);
        plcol0(1);
        plbox("bcnst", 0, 0, "bcnstvl", 0, 0);
        pllab("time (min)", "mg/mL (log)",
              "at the nerve endings (median of the plane)");
        if (c->r->has_channels)
            series(w->t_s, w->probe, w->n, 1.0, lo, 2, 1);
        series(in->t_s, in->probe, in->n, 1.0, lo, 3, 2);
        PLFLT hx[2] = {0, tmax}, hy[2] = {tl, tl};
        plcol0(4);
        pllsty(3);
        plline(2, hx, hy);
        pllsty(1);
        plptex(tmax * 0.98, tl + 0.15, 1, 0, 1, "numbing threshold");
    } else {
        double f = UG_CM2 * 3600; /* kg/m^2/s -> ug/cm^2/h */
        log_range(w->dermis_flux, in->dermis_flux, w->n < in->n ? w->n : in->n, f, &lo,
                  &hi);
        plwind(0, tmax, lo, hi);
        plcol0(1);
        plbox("bcnst", 0, 0, "bcnstvl", 0, 0);
        pllab("time (min)", "ug/cm2/h (log)", "flux into the dermis");
        if (c->r->has_channels)
            series(w->t_s + 1, w->dermis_flux + 1, w->n - 1, f, lo, 2, 1);
        series(in->t_s + 1, in->dermis_flux + 1, in->n - 1, f, lo, 3, 2);
    }
}

/* Dotted lines at the layer boundaries from x0 to x1. */
static void layer_lines(const mn_skin *skin, double x0, double x1)
{
    double zb = 0;
    for (int l = 0; l < MN_TRANSPORT_LAYERS - 1; l++) {
        zb += skin->thickness_m[l] * 1e6;
        PLFLT lx[2] = {x0, x1}, ly[2] = {-zb, -zb};
        plcol0(4);
        pllsty(3);
        plline(2, lx, ly);
        pllsty(1);
    }
}

/* One profile at sample m, in colour col. */
static void profile_line(const mn_transport_result *w, size_t m, double lo, int col)
{
    PLFLT *px = malloc(w->nz * sizeof *px), *py = malloc(w->nz * sizeof *py);
    if (px && py) {
        for (size_t k = 0; k < w->nz; k++) {
            px[k] = lg(w->profiles[m * w->nz + k], pow(10, lo - 1));
            py[k] = -w->z_m[k] * 1e6;
        }
        plcol0(col);
        plwidth(2);
        plline((PLINT)w->nz, px, py);
        plwidth(1);
    }
    free(px);
    free(py);
}

/* (3) depth profiles at four times */
static void panel_profiles(const deliver_ctx *c)
{
    const mn_transport_result *w = c->w;
    double zmax = 0;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        zmax += c->skin->thickness_m[l];
    zmax *= 1e6;
    double pmax = -INFINITY;
    for (size_t i = 0; i < w->n * w->nz; i++)
        if (w->profiles[i] > 0)
            pmax = fmax(pmax, log10(w->profiles[i]));
    if (!isfinite(pmax))
        pmax = 0;
    double hi = ceil(pmax + 0.05), lo = hi - 7;
    plvpor(0.08, 0.46, 0.08, 0.42);
    plwind(lo, hi, -zmax, 0);
    plcol0(1);
    plbox("bcnstl", 0, 0, "bcnstv", 0, 0);
    pllab("mg/mL (log), mean over the plane", "depth (um)", "concentration profiles");
    layer_lines(c->skin, lo, hi);
    static const int cols[4] = {5, 6, 3, 2};
    char lab[64];
    for (int q = 0; q < 4; q++) {
        size_t m = (size_t)((double)(w->n - 1) * (double)(q + 1) / 4.0 + 0.5);
        if (m >= w->n)
            m = w->n - 1;
        profile_line(w, m, lo, cols[q]);
        plwind(0, 1, 0, 1);
        snprintf(lab, sizeof lab, "%.0f min", w->t_s[m] / 60.0);
        legend_line(0.62, 0.35 - 0.07 * q, cols[q], 1, lab);
        plwind(lo, hi, -zmax, 0);
    }
}

/* The section's image: mirrored, 2 nx columns, edges from the cell
 * centres; log colour scale cmin..cmax. */
static void section_image(const mn_deliver_result *r, double half, double zs,
                          double cmin, double cmax)
{
    size_t nx = r->sec_nx, nz = r->sec_nz, mx = 2 * nx;
    PLFLT **z = NULL;
    plAlloc2dGrid(&z, (PLINT)mx, (PLINT)nz);
    for (size_t i = 0; i < nx; i++)
        for (size_t k = 0; k < nz; k++) {
            double v = lg(r->section[k * nx + i], pow(10, cmin));
            z[nx + i][nz - 1 - k] = v;
            z[nx - 1 - i][nz - 1 - k] = v;
        }
    PLFLT *xg = malloc((mx + 1) * sizeof *xg), *yg = malloc((nz + 1) * sizeof *yg);
    double *xe = malloc((nx + 1) * sizeof *xe), *ze = malloc((nz + 1) * sizeof *ze);
    if (xg && yg && xe && ze) {
        xe[0] = 0;
        for (size_t i = 1; i <= nx; i++)
            xe[i] = 2 * r->sec_x_m[i - 1] * 1e6 - xe[i - 1];
        ze[0] = 0;
        for (size_t k = 1; k <= nz; k++)
            ze[k] = 2 * r->sec_z_m[k - 1] * 1e6 - ze[k - 1];
        for (size_t i = 0; i <= nx; i++) {
            xg[nx + i] = xe[i];
            xg[nx - i] = -xe[i];
        }
        for (size_t k = 0; k <= nz; k++)
            yg[nz - k] = -ze[k];
        PLcGrid cg = {xg, yg, NULL, (PLINT)mx + 1, (PLINT)nz + 1, 0};
        set_ramp();
        plimagefr((PLFLT_MATRIX)z, (PLINT)mx, (PLINT)nz, -half, half, -zs, 0, cmin,
                  cmax, cmin, cmax, pltr1, &cg);
    }
    free(xe);
    free(ze);
    free(xg);
    free(yg);
    plFree2dGrid(z, (PLINT)mx, (PLINT)nz);
}

static void colour_bar(double cmin, double cmax)
{
    plvpor(0.9, 0.92, 0.08, 0.42);
    plwind(0, 1, cmin, cmax);
    for (int q = 0; q < 64; q++) {
        double a = cmin + (cmax - cmin) * q / 64.0,
               b = cmin + (cmax - cmin) * (q + 1) / 64.0;
        plcol1((q + 0.5) / 64.0);
        PLFLT fx[4] = {0, 1, 1, 0}, fy[4] = {a, a, b, b};
        plfill(4, fx, fy);
    }
    plcol0(1);
    plbox("bc", 0, 0, "bcmstvl", 0, 0);
}

/* (4) the cross-section through the channel at the end */
static void panel_section(const deliver_ctx *c)
{
    const mn_deliver_result *r = c->r;
    plvpor(0.58, 0.88, 0.08, 0.42);
    if (!r->has_channels || !r->section) {
        plwind(0, 1, 0, 1);
        plcol0(1);
        plptex(0.5, 0.5, 1, 0, 0.5, "intact skin: no channel");
        return;
    }
    double half = r->cell_m * 0.5e6; /* um */
    /* the upper skin, where the channel is */
    double zs = r->sec_z_m[r->sec_nz - 1] * 1e6 + 1;
    double zwant = fmax(4 * c->channel_depth_m * 1e6, 250.0);
    if (zwant < zs)
        zs = zwant;
    plwind(-half, half, -zs, 0);
    double cmax = -INFINITY;
    for (size_t q = 0; q < r->sec_nx * r->sec_nz; q++)
        if (r->section[q] > 0)
            cmax = fmax(cmax, log10(r->section[q]));
    if (!isfinite(cmax))
        cmax = 0;
    double cmin = cmax - 6;
    section_image(r, half, zs, cmin, cmax);
    layer_lines(c->skin, -half, half);
    double d = c->channel_depth_m * 1e6, rr = c->channel_radius_m * 1e6;
    plcol0(1);
    if (c->channel_shape == MN_CHANNEL_CYLINDER) {
        PLFLT cx[4] = {-rr, -rr, rr, rr}, cy[4] = {0, -d, -d, 0};
        plline(4, cx, cy);
    } else {
        PLFLT cx[3] = {-rr, 0, rr}, cy[3] = {0, -d, 0};
        plline(3, cx, cy);
    }
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab("um", "depth (um)", "mg/mL at the end, section through the channel");
    colour_bar(cmin, cmax);
}

static void draw_deliver(void *ctx)
{
    const deliver_ctx *c = ctx;
    plscol0(1, 0, 0, 0);
    plscol0(2, 200, 40, 40);   /* with channels */
    plscol0(3, 40, 80, 200);   /* intact */
    plscol0(4, 120, 120, 120); /* threshold, layers */
    plscol0(5, 30, 140, 60);
    plscol0(6, 150, 80, 200);
    plschr(0, 0.8);
    pladv(0);
    if (c->title) {
        plvpor(0, 1, 0.95, 1);
        plwind(0, 1, 0, 1);
        plcol0(1);
        plptex(0.5, 0.4, 1, 0, 0.5, c->title);
    }
    panel_delivered(c);
    panel_nerve(c);
    panel_profiles(c);
    panel_section(c);
}

mn_status mn_plot_deliver(const char *path, const mn_deliver_result *r,
                          const mn_skin *skin, double channel_depth_m,
                          double channel_radius_m, int channel_shape, const char *title,
                          int force, mn_error *err)
{
    if (!mn_plot_device_for(path))
        return mn_error_set(err, MN_EINVAL, "%s: figure files must end in .png or .svg",
                            path ? path : "");
    deliver_ctx c = {
        r,          skin, channel_depth_m, channel_radius_m, channel_shape, title, NULL,
        &r->intact, 0};
    c.w = r->has_channels ? &r->with : &r->intact;
    if (!c.w->n || !c.in->n)
        return mn_error_set(err, MN_EINVAL, "%s: nothing to draw", path);
    c.tmax = c.w->t_s[c.w->n - 1] / 60.0;
    mn_plot_page page = {1200, 900, 1, 1};
    return mn_plot_render(path, force, &page, draw_deliver, &c, err);
}

/* ---- CSV ------------------------------------------------------------------- */

static double at(const double *a, size_t n, size_t m)
{
    return a && m < n ? a[m] : NAN;
}

mn_status mn_deliver_write_csv(const char *path, const mn_deliver_result *r, int force,
                               mn_error *err)
{
    const mn_transport_result *w = r->has_channels ? &r->with : &r->intact;
    const mn_transport_result *in = &r->intact;
    mn_file_out out;
    mn_status st = mn_file_open(&out, path, force, 0644, err);
    if (st != MN_OK)
        return st;
    FILE *f = out.f;
    const double U = 1e5, F = 1e5 * 3600; /* ug/cm^2, ug/cm^2/h */
    fprintf(
        f, "time_min,vehicle_ug_cm2,stratum_corneum_ug_cm2,viable_epidermis_ug_cm2,"
           "papillary_dermis_ug_cm2,reticular_dermis_ug_cm2,cleared_ug_cm2,sink_ug_cm2,"
           "delivered_ug_cm2,permeated_dermis_ug_cm2,dermis_flux_ug_cm2_h,nerve_mg_ml,"
           "delivered_intact_ug_cm2,dermis_flux_intact_ug_cm2_h,nerve_intact_mg_ml\n");
    for (size_t m = 0; m < w->n; m++) {
        fprintf(f,
                "%.6g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,"
                "%.8g\n",
                w->t_s[m] / 60.0, w->vehicle[m] * U, w->layer[0][m] * U,
                w->layer[1][m] * U, w->layer[2][m] * U, w->layer[3][m] * U,
                w->cleared[m] * U, w->sink[m] * U, w->delivered[m] * U,
                w->permeated[m] * U, w->dermis_flux[m] * F, w->probe[m],
                at(in->delivered, in->n, m) * U, at(in->dermis_flux, in->n, m) * F,
                at(in->probe, in->n, m));
    }
    return mn_file_commit(&out, err);
}
