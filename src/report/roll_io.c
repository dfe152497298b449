/* Rolling results to files: puncture maps (PLplot) and CSV. */
#include "mnsim/roll_io.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

/* ---- atomic output -------------------------------------------------------- */

/* A temporary file next to path, created with the permissions of a new
 * file (0666 less the umask); its name goes to tmp. Returns the open
 * descriptor or -1 (err set). */
static int make_tmp(const char *path, char *tmp, size_t n, mn_error *err)
{
    static unsigned counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        int len = snprintf(tmp, n, "%s.tmp-%ld-%u", path, (long)getpid(), k);
        if (len < 0 || (size_t)len >= n) {
            mn_error_set(err, MN_EINVAL, "%s: path too long", path);
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST) {
            mn_error_set(err, MN_EIO, "%s: cannot create a file there: %s", path,
                         strerror(errno));
            return -1;
        }
    }
    mn_error_set(err, MN_EIO, "%s: cannot create a temporary file next to it", path);
    return -1;
}

static mn_status refuse_existing(const char *path, int overwrite, mn_error *err)
{
    struct stat st;
    if (!overwrite && lstat(path, &st) == 0)
        return mn_error_set(err, MN_EEXIST,
                            "%s exists; use --force to overwrite it", path);
    return MN_OK;
}

/* Move a finished temporary file to path: rename when overwriting is
 * allowed, else a hard link that fails if path exists. tmp is removed. */
static mn_status commit(const char *tmp, const char *path, int overwrite,
                        mn_error *err)
{
    struct stat st;
    if (stat(tmp, &st) != 0 || st.st_size == 0) {
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: nothing was written", path);
    }
    if (overwrite) {
        if (rename(tmp, path) != 0) {
            int e = errno;
            unlink(tmp);
            return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
        }
        return MN_OK;
    }
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return MN_OK;
    }
    int e = errno;
    if (e == EEXIST) {
        unlink(tmp);
        return mn_error_set(err, MN_EEXIST, "%s exists; use --force to overwrite it",
                            path);
    }
    /* File systems without hard links: check, then rename. */
    if (lstat(path, &st) == 0) {
        unlink(tmp);
        return mn_error_set(err, MN_EEXIST, "%s exists; use --force to overwrite it",
                            path);
    }
    if (rename(tmp, path) != 0) {
        e = errno;
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return MN_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

mn_status mn_roll_csv_write(const char *path, const mn_roll_result *r,
                            const mn_roll_region *regions, int overwrite,
                            mn_error *err)
{
    if (!path || !r)
        return mn_error_set(err, MN_EINVAL, "CSV: no file or no result");
    mn_status st = refuse_existing(path, overwrite, err);
    if (st != MN_OK)
        return st;
    char tmp[4200];
    int fd = make_tmp(path, tmp, sizeof tmp, err);
    if (fd < 0)
        return MN_EIO;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: %s", path, strerror(errno));
    }
    char *buf = malloc(1 << 16);
    if (buf)
        setvbuf(f, buf, _IOFBF, 1 << 16);
    fputs("x_mm,y_mm,depth_um,zone,stroke,pass,direction,needle\n", f);
    for (size_t i = 0; i < r->count; i++) {
        const mn_roll_stroke *s = &r->strokes[r->stroke[i]];
        const char *zone = regions && regions[s->region].name ? regions[s->region].name
                                                              : "area";
        fprintf(f, "%.4f,%.4f,%.1f,%s,%u,%u,%s,%u\n", r->x_m[i] * 1e3, r->y_m[i] * 1e3,
                r->depth_m[i] * 1e6, zone, (unsigned)r->stroke[i], (unsigned)s->pass + 1,
                mn_roll_direction_name(s->dir_angle_rad), (unsigned)r->needle[i]);
    }
    int bad = ferror(f);
    int closed = fclose(f);
    free(buf);
    if (closed != 0 || bad) {
        int e = errno;
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return commit(tmp, path, overwrite, err);
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

static const char *device_for(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n > 4 && !strcmp(path + n - 4, ".png"))
        return "pngcairo";
    if (n > 4 && !strcmp(path + n - 4, ".svg"))
        return "svgcairo";
    return NULL;
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

mn_status mn_roll_map_write(const char *path, const mn_roll_result *r,
                            const mn_roll_region *regions, size_t n_regions,
                            const mn_roll_map_opts *o, mn_error *err)
{
    mn_roll_map_opts def = {MN_ROLL_MAP_AUTO, NULL, 0, 0, 0};
    if (!o)
        o = &def;
    const char *dev = device_for(path);
    if (!dev)
        return mn_error_set(err, MN_EINVAL, "%s: a map file must end in .png or .svg",
                            path ? path : "");
    if (!r || !regions || n_regions == 0)
        return mn_error_set(err, MN_EINVAL, "map: no result or no regions");
    mn_status st = refuse_existing(path, o->overwrite, err);
    if (st != MN_OK)
        return st;
    int mode = o->mode == MN_ROLL_MAP_AUTO ? mn_roll_map_auto_mode(r, regions, n_regions)
                                           : o->mode;
    /* Extent in mm, with a margin. */
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t k = 0; k < n_regions; k++)
        for (size_t i = 0; i < regions[k].n; i++) {
            xmin = fmin(xmin, regions[k].x_m[i]);
            xmax = fmax(xmax, regions[k].x_m[i]);
            ymin = fmin(ymin, regions[k].y_m[i]);
            ymax = fmax(ymax, regions[k].y_m[i]);
        }
    double w = xmax - xmin, h = ymax - ymin;
    if (!(w > 0 && h > 0))
        return mn_error_set(err, MN_EINVAL, "map: the regions have no extent");
    mn_roll_grid grid;
    memset(&grid, 0, sizeof grid);
    double zmax = 0;
    if (mode == MN_ROLL_MAP_DENSITY) {
        double cell = o->cell_m > 0 ? o->cell_m : fmax(1e-3, sqrt(w * h) / 60);
        if ((st = mn_roll_density_grid(r, regions, n_regions, cell, &grid, err)) != MN_OK)
            return st;
        /* Colour scale to the 99th percentile: a few small edge cells
         * should not wash out the rest. */
        size_t nin = 0;
        double *vals = malloc(grid.nx * grid.ny * sizeof(double));
        if (!vals) {
            mn_roll_grid_free(&grid);
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
        for (size_t c = 0; c < grid.nx * grid.ny; c++)
            if (grid.per_m2[c] >= 0)
                vals[nin++] = grid.per_m2[c] * 1e-4;
        if (nin) {
            qsort(vals, nin, sizeof(double), cmp_double);
            zmax = vals[(size_t)(0.99 * (double)(nin - 1))];
        }
        free(vals);
        if (!(zmax > 0))
            zmax = 1;
    }
    char tmp[4200];
    int fd = make_tmp(path, tmp, sizeof tmp, err);
    if (fd < 0) {
        mn_roll_grid_free(&grid);
        return MN_EIO;
    }
    close(fd);

    double mx = 0.04 * fmax(w, h);
    double X0 = (xmin - mx) * 1e3, X1 = (xmax + mx) * 1e3;
    double Y0 = (ymin - mx) * 1e3, Y1 = (ymax + mx) * 1e3;
    plsdev(dev);
    plsfnam(tmp);
    plspage(0, 0, 1000, 850, 0, 0);
    plscolbg(255, 255, 255);
    plinit();
    pladv(0);
    plscol0(1, 0, 0, 0);
    plcol0(1);
    plvpas(0.1, 0.8, 0.1, 0.9, (Y1 - Y0) / (X1 - X0));
    plwind(X0, X1, Y0, Y1);
    set_ramp();
    if (mode == MN_ROLL_MAP_DENSITY) {
        PLFLT **z = NULL;
        plAlloc2dGrid(&z, (PLINT)grid.nx, (PLINT)grid.ny);
        for (size_t i = 0; i < grid.nx; i++)
            for (size_t j = 0; j < grid.ny; j++)
                z[i][j] = grid.per_m2[j * grid.nx + i] * 1e-4; /* /cm^2; -1 outside */
        double gx0 = grid.x0_m * 1e3, gy0 = grid.y0_m * 1e3;
        double gx1 = gx0 + (double)grid.nx * grid.cell_m * 1e3;
        double gy1 = gy0 + (double)grid.ny * grid.cell_m * 1e3;
        /* Drawn: values 0 and up (outside cells hold -1); colours 0..zmax
         * (values above take the top colour). */
        for (size_t i = 0; i < grid.nx; i++)
            for (size_t j = 0; j < grid.ny; j++)
                if (z[i][j] > zmax)
                    z[i][j] = zmax;
        plimagefr((PLFLT_MATRIX)z, (PLINT)grid.nx, (PLINT)grid.ny, gx0, gx1, gy0, gy1, 0,
                  1e300, 0, zmax, NULL, NULL);
        plFree2dGrid(z, (PLINT)grid.nx, (PLINT)grid.ny);
    } else {
        double dmin = INFINITY, dmax = -INFINITY;
        for (size_t i = 0; i < r->count; i++) {
            dmin = fmin(dmin, r->depth_m[i]);
            dmax = fmax(dmax, r->depth_m[i]);
        }
        if (!(dmax > dmin)) {
            dmin = dmin - 1e-6;
            dmax = dmax + 1e-6;
        }
        double rad = (o->channel_radius_m > 0 ? o->channel_radius_m : 1e-4) * 1e3;
        for (size_t i = 0; i < r->count; i++) {
            plcol1((r->depth_m[i] - dmin) / (dmax - dmin));
            plarc(r->x_m[i] * 1e3, r->y_m[i] * 1e3, rad, rad, 0, 360, 0, 1);
        }
        plcol0(1);
        outlines(regions, n_regions, 1e3, n_regions > 1);
        plcol0(1);
        plbox("bcnst", 0, 0, "bcnstv", 0, 0);
        pllab("x (mm)", "y (mm)", o->title ? o->title : "punctures");
        colour_bar(dmin * 1e6, dmax * 1e6, "depth (um)");
        plend();
        return commit(tmp, path, o->overwrite, err);
    }
    plcol0(1);
    outlines(regions, n_regions, 1e3, n_regions > 1);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab("x (mm)", "y (mm)", o->title ? o->title : "punctures per cm2");
    colour_bar(0, zmax, "punctures/cm2");
    plend();
    mn_roll_grid_free(&grid);
    return commit(tmp, path, o->overwrite, err);
}
