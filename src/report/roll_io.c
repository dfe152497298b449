/* Rolling results to files: puncture maps (PLplot) and CSV. */
#include "mnsim/roll_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

#include "mnsim/file.h"
#include "mnsim/plot.h"

/* ---- CSV ---------------------------------------------------------------- */

mn_status mn_roll_csv_write(const char *path, const mn_roll_result *r,
                            const mn_roll_region *regions, int overwrite, mn_error *err)
{
    if (!path || !r)
        return mn_error_set(err, MN_EINVAL, "CSV: no file or no result");
    mn_file_out out;
    mn_status st = mn_file_open(&out, path, overwrite, 0644, err);
    if (st != MN_OK)
        return st;
    FILE *f = out.f;
    char *buf = malloc(1 << 16);
    if (buf)
        setvbuf(f, buf, _IOFBF, 1 << 16);
    fputs("x_mm,y_mm,depth_um,zone,stroke,pass,direction,needle\n", f);
    for (size_t i = 0; i < r->count; i++) {
        const mn_roll_stroke *s = &r->strokes[r->stroke[i]];
        const char *zone =
            regions && regions[s->region].name ? regions[s->region].name : "area";
        fprintf(f, "%.4f,%.4f,%.1f,%s,%u,%u,%s,%u\n", r->x_m[i] * 1e3, r->y_m[i] * 1e3,
                r->depth_m[i] * 1e6, zone, (unsigned)r->stroke[i],
                (unsigned)s->pass + 1, mn_roll_direction_name(s->dir_angle_rad),
                (unsigned)r->needle[i]);
    }
    st = mn_file_commit(&out, err);
    free(buf);
    return st;
}

/* ---- maps --------------------------------------------------------------- */

static double regions_area(const mn_roll_region *g, size_t n)
{
    double a = 0;
    for (size_t k = 0; k < n; k++)
        a += fabs(mn_roll_polygon_area(g[k].x_m, g[k].y_m, g[k].n));
    return a;
}

int mn_roll_map_auto_mode(const mn_roll_result *r, const mn_roll_region *regions,
                          size_t n_regions)
{
    if (r && regions && regions_area(regions, n_regions) <= 10e-4 && r->count <= 20000)
        return MN_ROLL_MAP_CHANNELS;
    return MN_ROLL_MAP_DENSITY;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A perceptual blue-green-yellow ramp (viridis-like) on colour map 1. */
static void set_ramp(void)
{
    PLFLT pos[5] = {0, 0.25, 0.5, 0.75, 1};
    PLFLT r[5] = {0.27, 0.23, 0.13, 0.37, 0.99};
    PLFLT g[5] = {0.00, 0.32, 0.57, 0.79, 0.91};
    PLFLT b[5] = {0.33, 0.55, 0.55, 0.38, 0.14};
    plscmap1n(256);
    plscmap1l(1, 5, pos, r, g, b, NULL);
}

static void colour_bar(double zmin, double zmax, const char *label)
{
    PLFLT cw, ch;
    PLINT n_values[1] = {2};
    PLFLT vals[2] = {zmin, zmax};
    const PLFLT *values[1] = {vals};
    const char *labels[1] = {label};
    PLINT label_opts[1] = {PL_COLORBAR_LABEL_RIGHT};
    const char *axis_opts[1] = {"bcvtm"};
    PLFLT ticks[1] = {0};
    PLINT sub_ticks[1] = {0};
    plschr(0, 0.7);
    plcolorbar(&cw, &ch, PL_COLORBAR_IMAGE, PL_POSITION_RIGHT | PL_POSITION_OUTSIDE,
               0.03, 0, 0.03, 0.8, 0, 1, 1, 0, 0, 0, 0, 1, label_opts, labels, 1,
               axis_opts, ticks, sub_ticks, n_values, values);
    plschr(0, 1.0);
}

static void outlines(const mn_roll_region *g, size_t n, double scale, int labels)
{
    plscol0(2, 40, 40, 40);
    plcol0(2);
    plwidth(1.2);
    for (size_t k = 0; k < n; k++) {
        PLFLT *x = malloc((g[k].n + 1) * sizeof(PLFLT));
        PLFLT *y = malloc((g[k].n + 1) * sizeof(PLFLT));
        if (!x || !y) {
            free(x);
            free(y);
            continue;
        }
        double cx = 0, cy = 0;
        for (size_t i = 0; i <= g[k].n; i++) {
            x[i] = g[k].x_m[i % g[k].n] * scale;
            y[i] = g[k].y_m[i % g[k].n] * scale;
            if (i < g[k].n) {
                cx += x[i];
                cy += y[i];
            }
        }
        plline((PLINT)g[k].n + 1, x, y);
        if (labels && g[k].name) {
            plschr(0, 0.55);
            plptex(cx / (double)g[k].n, cy / (double)g[k].n, 1, 0, 0.5, g[k].name);
            plschr(0, 1.0);
        }
        free(x);
        free(y);
    }
    plwidth(1);
}

typedef struct {
    const mn_roll_result *r;
    const mn_roll_region *regions;
    size_t n_regions;
    const mn_roll_map_opts *o;
    int mode;
    const mn_roll_grid *grid; /* density */
    double zmax;              /* density: top of the colour scale, /cm^2 */
    double X0, X1, Y0, Y1;    /* extent, mm */
} map_ctx;

static void draw_density(const map_ctx *m)
{
    const mn_roll_grid *grid = m->grid;
    PLFLT **z = NULL;
    plAlloc2dGrid(&z, (PLINT)grid->nx, (PLINT)grid->ny);
    /* /cm^2, -1 outside; values above zmax take the top colour */
    for (size_t i = 0; i < grid->nx; i++)
        for (size_t j = 0; j < grid->ny; j++)
            z[i][j] = fmin(grid->per_m2[j * grid->nx + i] * 1e-4, m->zmax);
    double gx0 = grid->x0_m * 1e3, gy0 = grid->y0_m * 1e3;
    double gx1 = gx0 + (double)grid->nx * grid->cell_m * 1e3;
    double gy1 = gy0 + (double)grid->ny * grid->cell_m * 1e3;
    /* Drawn: values 0 and up (outside cells hold -1); colours 0..zmax. */
    plimagefr((PLFLT_MATRIX)z, (PLINT)grid->nx, (PLINT)grid->ny, gx0, gx1, gy0, gy1, 0,
              1e300, 0, m->zmax, NULL, NULL);
    plFree2dGrid(z, (PLINT)grid->nx, (PLINT)grid->ny);
}

/* Every channel as a disc coloured by depth; returns the depth range. */
static void draw_channels(const map_ctx *m, double *dmin, double *dmax)
{
    const mn_roll_result *r = m->r;
    *dmin = INFINITY, *dmax = -INFINITY;
    for (size_t i = 0; i < r->count; i++) {
        *dmin = fmin(*dmin, r->depth_m[i]);
        *dmax = fmax(*dmax, r->depth_m[i]);
    }
    if (!(*dmax > *dmin)) {
        *dmin -= 1e-6;
        *dmax += 1e-6;
    }
    double rad = (m->o->channel_radius_m > 0 ? m->o->channel_radius_m : 1e-4) * 1e3;
    for (size_t i = 0; i < r->count; i++) {
        plcol1((r->depth_m[i] - *dmin) / (*dmax - *dmin));
        plarc(r->x_m[i] * 1e3, r->y_m[i] * 1e3, rad, rad, 0, 360, 0, 1);
    }
}

static void draw_map(void *ctx)
{
    const map_ctx *m = ctx;
    pladv(0);
    plscol0(1, 0, 0, 0);
    plcol0(1);
    plvpas(0.1, 0.8, 0.1, 0.9, (m->Y1 - m->Y0) / (m->X1 - m->X0));
    plwind(m->X0, m->X1, m->Y0, m->Y1);
    set_ramp();
    double dmin = 0, dmax = 0;
    if (m->mode == MN_ROLL_MAP_DENSITY)
        draw_density(m);
    else
        draw_channels(m, &dmin, &dmax);
    plcol0(1);
    outlines(m->regions, m->n_regions, 1e3, m->n_regions > 1);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    if (m->mode == MN_ROLL_MAP_DENSITY) {
        pllab("x (mm)", "y (mm)", m->o->title ? m->o->title : "punctures per cm2");
        colour_bar(0, m->zmax, "punctures/cm2");
    } else {
        pllab("x (mm)", "y (mm)", m->o->title ? m->o->title : "punctures");
        colour_bar(dmin * 1e6, dmax * 1e6, "depth (um)");
    }
}

/* The colour scale of a density map: the 99th percentile of the cells,
 * so that a few small edge cells do not wash out the rest. */
static double density_top(const mn_roll_grid *grid)
{
    size_t nin = 0;
    double zmax = 0, *vals = malloc(grid->nx * grid->ny * sizeof(double));
    if (!vals)
        return -1;
    for (size_t c = 0; c < grid->nx * grid->ny; c++)
        if (grid->per_m2[c] >= 0)
            vals[nin++] = grid->per_m2[c] * 1e-4;
    if (nin) {
        qsort(vals, nin, sizeof(double), cmp_double);
        zmax = vals[(size_t)(0.99 * (double)(nin - 1))];
    }
    free(vals);
    return zmax > 0 ? zmax : 1;
}

/* The extent of the regions in mm, with a margin; 0 when they have none. */
static int map_extent(map_ctx *m, double *w, double *h)
{
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t k = 0; k < m->n_regions; k++)
        for (size_t i = 0; i < m->regions[k].n; i++) {
            xmin = fmin(xmin, m->regions[k].x_m[i]);
            xmax = fmax(xmax, m->regions[k].x_m[i]);
            ymin = fmin(ymin, m->regions[k].y_m[i]);
            ymax = fmax(ymax, m->regions[k].y_m[i]);
        }
    *w = xmax - xmin, *h = ymax - ymin;
    if (!(*w > 0 && *h > 0))
        return 0;
    double mx = 0.04 * fmax(*w, *h);
    m->X0 = (xmin - mx) * 1e3, m->X1 = (xmax + mx) * 1e3;
    m->Y0 = (ymin - mx) * 1e3, m->Y1 = (ymax + mx) * 1e3;
    return 1;
}

mn_status mn_roll_map_write(const char *path, const mn_roll_result *r,
                            const mn_roll_region *regions, size_t n_regions,
                            const mn_roll_map_opts *o, mn_error *err)
{
    mn_roll_map_opts def = {MN_ROLL_MAP_AUTO, NULL, 0, 0, 0};
    if (!o)
        o = &def;
    if (!mn_plot_device_for(path))
        return mn_error_set(err, MN_EINVAL, "%s: a map file must end in .png or .svg",
                            path ? path : "");
    if (!r || !regions || n_regions == 0)
        return mn_error_set(err, MN_EINVAL, "map: no result or no regions");
    mn_status st = mn_file_check(path, o->overwrite, err);
    if (st != MN_OK)
        return st;
    map_ctx m = {r, regions, n_regions, o, o->mode, NULL, 0, 0, 0, 0, 0};
    if (m.mode == MN_ROLL_MAP_AUTO)
        m.mode = mn_roll_map_auto_mode(r, regions, n_regions);
    double w, h;
    if (!map_extent(&m, &w, &h))
        return mn_error_set(err, MN_EINVAL, "map: the regions have no extent");
    mn_roll_grid grid;
    memset(&grid, 0, sizeof grid);
    if (m.mode == MN_ROLL_MAP_DENSITY) {
        double cell = o->cell_m > 0 ? o->cell_m : fmax(1e-3, sqrt(w * h) / 60);
        if ((st = mn_roll_density_grid(r, regions, n_regions, cell, &grid, err)) !=
            MN_OK)
            return st;
        m.grid = &grid;
        if ((m.zmax = density_top(&grid)) < 0) {
            mn_roll_grid_free(&grid);
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
    }
    mn_plot_page page = {1000, 850, 1, 1};
    st = mn_plot_render(path, o->overwrite, &page, draw_map, &m, err);
    mn_roll_grid_free(&grid);
    return st;
}
