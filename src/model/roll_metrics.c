/* Metrics of a puncture map (floor: model; docs/model.md, "Rolling"):
 * density and its variation, coverage by pass, nearest neighbours and the
 * density grid. The passes needed for a target, which simulate sessions and
 * measure them with these metrics, are in roll_passes.c. Pure computation:
 * no I/O, never prints. */
#include "mnsim/roll.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roll_internal.h"

/* ---- raster helpers ------------------------------------------------------- */

/* Coverage grid: one bit per cell, "inside the outline" and "covered"
 * interleaved so that both come with one cache line. */
typedef struct {
    uint64_t in, cov;
} covword;

typedef struct {
    covword *w;
    size_t nw; /* words per row */
} covgrid;

static inline unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* Bits i0..i1 (inclusive) of word w of a row starting at word w0/w1. */
static inline uint64_t bit_range(size_t w, size_t i0, size_t i1)
{
    size_t w0 = i0 >> 6, w1 = i1 >> 6;
    unsigned lo = w == w0 ? (unsigned)(i0 & 63) : 0;
    unsigned hi = w == w1 ? (unsigned)(i1 & 63) : 63;
    return (~(uint64_t)0 >> (63 - hi)) & (~(uint64_t)0 << lo);
}

static void cov_set_inside(void *ctx, size_t j, size_t i0, size_t i1)
{
    covgrid *g = ctx;
    covword *row = g->w + j * g->nw;
    for (size_t w = i0 >> 6; w <= (i1 - 1) >> 6; w++)
        row[w].in |= bit_range(w, i0, i1 - 1);
}

/* Cells whose centres lie inside a polygon, row by row: fn(ctx, j, i0, i1)
 * for the half-open runs [i0, i1) of row j. */
static int raster_rows(const double *x, const double *y, size_t n, double x0, double y0,
                       double h, size_t nx, size_t ny,
                       void (*fn)(void *, size_t, size_t, size_t), void *ctx)
{
    double *xs = malloc((n + 2) * sizeof(double));
    if (!xs)
        return 0;
    for (size_t j = 0; j < ny; j++) {
        double yc = y0 + ((double)j + 0.5) * h;
        size_t k = 0;
        for (size_t a = 0, b = n - 1; a < n; b = a++)
            if ((y[a] > yc) != (y[b] > yc))
                xs[k++] = x[b] + (yc - y[b]) / (y[a] - y[b]) * (x[a] - x[b]);
        qsort(xs, k, sizeof(double), roll_cmp_double);
        for (size_t t = 0; t + 1 < k; t += 2) {
            double ilo = ceil((xs[t] - x0) / h - 0.5);
            double ihi = ceil((xs[t + 1] - x0) / h - 0.5);
            if (ilo < 0)
                ilo = 0;
            if (ihi > (double)nx)
                ihi = (double)nx;
            if (ihi > ilo)
                fn(ctx, j, (size_t)ilo, (size_t)ihi);
        }
    }
    free(xs);
    return 1;
}

/* Share of each grid cell inside a polygon, in sixteenths (4 x 4 samples
 * per cell), added to frac (nx * ny counters). */
typedef struct {
    unsigned char *frac;
    size_t nx;
} fracgrid;

static void frac_add(void *ctx, size_t j, size_t i0, size_t i1)
{
    fracgrid *g = ctx;
    unsigned char *row = g->frac + (j >> 2) * g->nx;
    for (size_t i = i0; i < i1; i++)
        row[i >> 2]++;
}

static int raster_fraction(const double *x, const double *y, size_t n, double x0,
                           double y0, double h, size_t nx, size_t ny,
                           unsigned char *frac)
{
    fracgrid g = {frac, nx};
    return raster_rows(x, y, n, x0, y0, h / 4, 4 * nx, 4 * ny, frac_add, &g);
}

static void bbox(const double *x, const double *y, size_t n, double *xmin, double *xmax,
                 double *ymin, double *ymax)
{
    double a = INFINITY, b = -INFINITY, c = INFINITY, d = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        a = x[i] < a ? x[i] : a;
        b = x[i] > b ? x[i] : b;
        c = y[i] < c ? y[i] : c;
        d = y[i] > d ? y[i] : d;
    }
    *xmin = a;
    *xmax = b;
    *ymin = c;
    *ymax = d;
}

/* ---- metrics ------------------------------------------------------------ */

void mn_roll_metrics_opts_default(mn_roll_metrics_opts *o)
{
    o->what = MN_ROLL_M_ALL;
    o->grid_m = 1e-3;
    o->coverage_radius_m = 0.5e-3;
    o->hit_radius_m = 0.1e-3;
}

#define MAX_GRID_CELLS ((size_t)1 << 27)

static mn_status metric_density(const mn_roll_result *r, size_t b, size_t e,
                                const mn_roll_region *reg, double h, mn_roll_metrics *m,
                                mn_error *err)
{
    double xmin, xmax, ymin, ymax;
    bbox(reg->x_m, reg->y_m, reg->n, &xmin, &xmax, &ymin, &ymax);
    double fx = ceil((xmax - xmin) / h), fy = ceil((ymax - ymin) / h);
    if (fx < 1)
        fx = 1;
    if (fy < 1)
        fy = 1;
    if (fx * fy > (double)MAX_GRID_CELLS)
        return mn_error_set(err, MN_EINVAL,
                            "the density grid would have %.0f cells; use a "
                            "coarser grid",
                            fx * fy);
    size_t nx = (size_t)fx, ny = (size_t)fy;
    /* Cells wholly inside the outline (all 16 samples): edge cells, partly
     * outside, would read low and inflate the variation. */
    unsigned char *mask = calloc(nx * ny, 1);
    uint32_t *cnt = calloc(nx * ny, sizeof(uint32_t));
    if (!mask || !cnt ||
        !raster_fraction(reg->x_m, reg->y_m, reg->n, xmin, ymin, h, nx, ny, mask)) {
        free(mask);
        free(cnt);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < nx * ny; c++)
        mask[c] = mask[c] == 16;
    for (size_t i = b; i < e; i++) {
        double fi = floor((r->x_m[i] - xmin) / h), fj = floor((r->y_m[i] - ymin) / h);
        if (fi < 0 || fj < 0 || fi >= (double)nx || fj >= (double)ny)
            continue;
        size_t c = (size_t)fj * nx + (size_t)fi;
        cnt[c] += mask[c];
    }
    uint64_t cells = 0, s1 = 0, s2 = 0;
    for (size_t c = 0; c < nx * ny; c++)
        if (mask[c]) {
            cells++;
            s1 += cnt[c];
            s2 += (uint64_t)cnt[c] * cnt[c];
        }
    free(mask);
    free(cnt);
    m->grid_cells = (size_t)cells;
    if (cells > 0 && s1 > 0) {
        double mean = (double)s1 / (double)cells;
        double var = (double)s2 / (double)cells - mean * mean;
        m->density_cv = sqrt(var > 0 ? var : 0) / mean;
    } else {
        m->density_cv = NAN;
    }
    return MN_OK;
}

static mn_status metric_coverage(const mn_roll_result *r, size_t region,
                                 const mn_roll_region *reg, double rad,
                                 mn_roll_metrics *m, mn_error *err)
{
    double h = fmin(rad / 5, 1e-4);
    double xmin, xmax, ymin, ymax;
    bbox(reg->x_m, reg->y_m, reg->n, &xmin, &xmax, &ymin, &ymax);
    double fx, fy;
    for (;;) {
        fx = ceil((xmax - xmin) / h);
        fy = ceil((ymax - ymin) / h);
        if (fx * fy <= (double)MAX_GRID_CELLS * 8)
            break;
        h *= 1.5; /* very large areas: a coarser coverage grid */
    }
    size_t nx = (size_t)(fx < 1 ? 1 : fx), ny = (size_t)(fy < 1 ? 1 : fy);
    covgrid g = {NULL, (nx + 63) / 64};
    g.w = calloc(g.nw * ny, sizeof(covword));
    if (!g.w || !raster_rows(reg->x_m, reg->y_m, reg->n, xmin, ymin, h, nx, ny,
                             cov_set_inside, &g)) {
        free(g.w);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    size_t inside = 0;
    for (size_t c = 0; c < g.nw * ny; c++)
        inside += popcount64(g.w[c].in);
    size_t covered = 0;
    size_t sb = r->region_stroke_first[region], se = r->region_stroke_first[region + 1];
    int last_pass = -1;
    /* Disc stencils: the cells whose centre is within rad of a puncture,
     * for the puncture's position within its cell quantised to 1/8 of a
     * cell (12.5 um at most on the default grid) in x and y. */
    const double inv = 1 / h, rc = rad * inv;
    const int Q = 8;
    int rows_max = (int)(2 * rc) + 3;
    int32_t *st_rows = malloc((size_t)(Q * Q * rows_max) * 3 * sizeof(int32_t));
    int *st_n = malloc((size_t)(Q * Q) * sizeof(int));
    if (!st_rows || !st_n) {
        free(st_rows);
        free(st_n);
        free(g.w);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (int qy = 0; qy < Q; qy++)
        for (int qx = 0; qx < Q; qx++) {
            double sy = (qy + 0.5) / Q, sx = (qx + 0.5) / Q;
            int *cnt = &st_n[qy * Q + qx];
            int32_t *out = st_rows + (size_t)((qy * Q + qx) * rows_max) * 3;
            *cnt = 0;
            for (int dj = (int)ceil(sy - rc); dj <= (int)floor(sy + rc); dj++) {
                double dy = dj - sy, hw2 = rc * rc - dy * dy;
                if (hw2 < 0)
                    continue;
                double hw = sqrt(hw2);
                int di0 = (int)ceil(sx - hw), di1 = (int)floor(sx + hw);
                if (di1 < di0 || *cnt >= rows_max)
                    continue;
                out[3 * *cnt] = dj;
                out[3 * *cnt + 1] = di0;
                out[3 * *cnt + 2] = di1;
                (*cnt)++;
            }
        }
    const long lnx = (long)nx, lny = (long)ny;
    for (size_t s = sb; s < se; s++) {
        const mn_roll_stroke *st = &r->strokes[s];
        if ((int)st->pass != last_pass) {
            for (int q = last_pass < 0 ? 0 : last_pass;
                 q < (int)st->pass && q < MN_ROLL_MAX_PASSES; q++)
                m->coverage_by_pass[q] =
                    inside ? (double)covered / (double)inside : NAN;
            last_pass = (int)st->pass;
        }
        for (size_t i = st->first; i < st->first + st->count; i++) {
            double px = (r->x_m[i] - xmin) * inv - 0.5,
                   py = (r->y_m[i] - ymin) * inv - 0.5;
            double bx = floor(px), by = floor(py);
            if (bx < -rc - 2 || by < -rc - 2 || bx > (double)nx + rc + 2 ||
                by > (double)ny + rc + 2)
                continue;
            int qx = (int)((px - bx) * Q), qy = (int)((py - by) * Q);
            qx = qx < 0 ? 0 : qx >= Q ? Q - 1 : qx;
            qy = qy < 0 ? 0 : qy >= Q ? Q - 1 : qy;
            long ib = (long)bx, jb = (long)by;
            const int32_t *sr = st_rows + (size_t)((qy * Q + qx) * rows_max) * 3;
            int nr = st_n[qy * Q + qx];
            for (int t = 0; t < nr; t++) {
                long j = jb + sr[3 * t];
                if (j < 0 || j >= lny)
                    continue;
                long i0 = ib + sr[3 * t + 1], i1 = ib + sr[3 * t + 2];
                if (i0 < 0)
                    i0 = 0;
                if (i1 >= lnx)
                    i1 = lnx - 1;
                if (i1 < i0)
                    continue;
                covword *row = g.w + (size_t)j * g.nw;
                size_t u0 = (size_t)i0, u1 = (size_t)i1;
                size_t w0 = u0 >> 6, w1 = u1 >> 6;
                uint64_t lo = ~(uint64_t)0 << (u0 & 63),
                         hi = ~(uint64_t)0 >> (63 - (u1 & 63));
                if (w0 == w1) {
                    uint64_t mask = lo & hi;
                    covered += popcount64(row[w0].in & ~row[w0].cov & mask);
                    row[w0].cov |= mask;
                    continue;
                }
                covered += popcount64(row[w0].in & ~row[w0].cov & lo);
                row[w0].cov |= lo;
                for (size_t w = w0 + 1; w < w1; w++) {
                    covered += popcount64(row[w].in & ~row[w].cov);
                    row[w].cov = ~(uint64_t)0;
                }
                covered += popcount64(row[w1].in & ~row[w1].cov & hi);
                row[w1].cov |= hi;
            }
        }
    }
    free(st_rows);
    free(st_n);
    int passes = r->passes < MN_ROLL_MAX_PASSES ? r->passes : MN_ROLL_MAX_PASSES;
    for (int q = last_pass < 0 ? 0 : last_pass; q < passes; q++)
        m->coverage_by_pass[q] = inside ? (double)covered / (double)inside : NAN;
    m->coverage = inside ? (double)covered / (double)inside : NAN;
    free(g.w);
    return MN_OK;
}

/* k-th smallest of a[0..n) (0-based), reordering a; three-way partition so
 * that many equal values (lattices) stay linear. */
static double select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
        double piv =
            x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (a[i] < piv) {
                double t = a[lt];
                a[lt++] = a[i];
                a[i++] = t;
            } else if (a[i] > piv) {
                double t = a[--gt];
                a[gt] = a[i];
                a[i] = t;
            } else {
                i++;
            }
        }
        if (k < lt)
            hi = lt;
        else if (k >= gt)
            lo = gt;
        else
            return piv;
    }
    return a[lo];
}

#ifndef NN_CELL_POINTS
#define NN_CELL_POINTS 2.0 /* mean punctures per cell of the hash */
#endif

/* Nearest neighbours with a uniform grid hash. Points are copied in cell
 * order, so that a query reads neighbouring memory; sums are taken in that
 * (deterministic) order. */
static mn_status metric_neighbours(const mn_roll_result *r, size_t b, size_t e,
                                   double area, double hit_r, mn_roll_metrics *m,
                                   mn_error *err)
{
    size_t n = e - b;
    m->hit_fraction = n ? 0 : NAN;
    if (n < 2)
        return MN_OK;
    double xmin, xmax, ymin, ymax;
    bbox(r->x_m + b, r->y_m + b, n, &xmin, &xmax, &ymin, &ymax);
    double hc = sqrt(NN_CELL_POINTS * area / (double)n);
    double wx = xmax - xmin, wy = ymax - ymin;
    if (!(hc > 0))
        hc = fmax(fmax(wx, wy), 1e-9);
    while ((wx / hc + 1) * (wy / hc + 1) > 4.0 * (double)n + 16)
        hc *= 1.25;
    size_t gx = (size_t)(wx / hc) + 1, gy = (size_t)(wy / hc) + 1;
    size_t ncell = gx * gy;
    size_t *start = calloc(ncell + 1, sizeof(size_t));
    uint32_t *cell = malloc(n * sizeof(uint32_t));
    uint32_t *scell = malloc(n * sizeof(uint32_t));
    double *sx = malloc(n * sizeof(double));
    double *sy = malloc(n * sizeof(double));
    uint32_t *ss = malloc(n * sizeof(uint32_t));
    double *dist = malloc(n * sizeof(double));
    double *ddx = malloc(n * sizeof(double));
    double *ddy = malloc(n * sizeof(double));
    unsigned char *hit = malloc(n);
    mn_status st = MN_OK;
    if (!start || !cell || !scell || !sx || !sy || !ss || !dist || !ddx || !ddy ||
        !hit) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t cx = (size_t)((r->x_m[b + i] - xmin) / hc);
        size_t cy = (size_t)((r->y_m[b + i] - ymin) / hc);
        if (cx >= gx)
            cx = gx - 1;
        if (cy >= gy)
            cy = gy - 1;
        cell[i] = (uint32_t)(cy * gx + cx);
        start[cell[i] + 1]++;
    }
    for (size_t c = 0; c < ncell; c++)
        start[c + 1] += start[c];
    {
        size_t *pos = malloc(ncell * sizeof(size_t));
        if (!pos) {
            st = mn_error_set(err, MN_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(pos, start, ncell * sizeof(size_t));
        for (size_t i = 0; i < n; i++) {
            size_t t = pos[cell[i]]++;
            sx[t] = r->x_m[b + i];
            sy[t] = r->y_m[b + i];
            ss[t] = r->stroke[b + i];
            scell[t] = cell[i];
        }
        free(pos);
    }
    const double h2 = hit_r * hit_r;
    long ln = (long)n;
    MN_PRAGMA(omp parallel for schedule(static) if (n > 20000))
    for (long li = 0; li < ln; li++) {
        size_t i = (size_t)li;
        double px = sx[i], py = sy[i];
        long cx = (long)(scell[i] % gx), cy = (long)(scell[i] / gx);
        double best = INFINITY;
        size_t bi = i;
        int h = 0;
        uint32_t sp = ss[i];
        /* Rings 0 and 1 (the 3 x 3 cells around): three runs of cells
         * that are contiguous in the sorted order. */
        long x0 = cx > 0 ? cx - 1 : 0, x1 = cx + 1 < (long)gx ? cx + 1 : (long)gx - 1;
        long y0 = cy > 0 ? cy - 1 : 0, y1 = cy + 1 < (long)gy ? cy + 1 : (long)gy - 1;
        for (long yy = y0; yy <= y1; yy++) {
            size_t qa = start[(size_t)yy * gx + (size_t)x0];
            size_t qb = start[(size_t)yy * gx + (size_t)x1 + 1];
            /* q only grows here, so the first of equal distances (the
             * lowest index) is kept without a tie-break; branch-free. */
            for (size_t q = qa; q < qb; q++) {
                double dx = sx[q] - px, dy = sy[q] - py;
                double d2 = dx * dx + dy * dy;
                h |= (d2 < h2) & (ss[q] < sp);
                d2 = q == i ? INFINITY : d2;
                int better = d2 < best;
                best = better ? d2 : best;
                bi = better ? q : bi;
            }
        }
        long kmax = (long)(gx > gy ? gx : gy);
        for (long k = 2; k <= kmax && !(hc * hc >= best && hc >= hit_r); k++) {
            for (long yy = cy - k; yy <= cy + k; yy++) {
                if (yy < 0 || yy >= (long)gy)
                    continue;
                int edge_row = (yy == cy - k || yy == cy + k);
                long step = edge_row ? 1 : 2 * k;
                for (long xx = cx - k; xx <= cx + k; xx += step) {
                    if (xx < 0 || xx >= (long)gx)
                        continue;
                    size_t c = (size_t)yy * gx + (size_t)xx;
                    for (size_t q = start[c]; q < start[c + 1]; q++) {
                        double dx = sx[q] - px, dy = sy[q] - py;
                        double d2 = dx * dx + dy * dy;
                        if (q != i && (d2 < best || (d2 == best && q < bi))) {
                            best = d2;
                            bi = q;
                        }
                        h |= d2 < h2 && ss[q] < sp;
                    }
                }
            }
            double reach = (double)k * hc;
            if (reach * reach >= best && reach >= hit_r)
                break;
        }
        dist[i] = sqrt(best);
        ddx[i] = sx[bi] - px;
        ddy[i] = sy[bi] - py;
        hit[i] = (unsigned char)h;
    }
    /* Serial sums: the same for any thread count. */
    double sd = 0, sa = 0, sc = 0, txx = 0, txy = 0, tyy = 0;
    size_t nh = 0, nv = 0;
    for (size_t i = 0; i < n; i++) {
        sd += dist[i];
        const mn_roll_stroke *s = &r->strokes[ss[i]];
        sa += fabs(ddx[i] * s->ux + ddy[i] * s->uy);
        sc += fabs(-ddx[i] * s->uy + ddy[i] * s->ux);
        nh += hit[i];
        if (dist[i] > 0) {
            double ex = ddx[i] / dist[i], ey = ddy[i] / dist[i];
            txx += ex * ex;
            txy += ex * ey;
            tyy += ey * ey;
            nv++;
        }
    }
    m->nn_mean_m = sd / (double)n;
    m->nn_along_m = sa / (double)n;
    m->nn_across_m = sc / (double)n;
    m->hit_fraction = (double)nh / (double)n;
    if (nv) {
        txx /= (double)nv;
        txy /= (double)nv;
        tyy /= (double)nv;
        double dd = 0.5 * (txx - tyy);
        m->nn_anisotropy = 2 * sqrt(dd * dd + txy * txy) / (txx + tyy);
        double ax = 0.5 * atan2(2 * txy, txx - tyy);
        if (ax < 0)
            ax += MN_PI;
        m->nn_axis_rad = ax;
    }
    /* 5th percentile: quickselect on the distances (dist is ours). */
    m->nn_p05_m = select_kth(dist, n, (size_t)floor(0.05 * (double)(n - 1)));
done:
    free(start);
    free(cell);
    free(scell);
    free(sx);
    free(sy);
    free(ss);
    free(dist);
    free(ddx);
    free(ddy);
    free(hit);
    return st;
}

mn_status mn_roll_metrics_compute(const mn_roll_result *r, size_t region,
                                  const mn_roll_region *reg,
                                  const mn_roll_metrics_opts *o, mn_roll_metrics *m,
                                  mn_error *err)
{
    if (!r || !reg || !m)
        return mn_error_set(err, MN_EINVAL,
                            "mn_roll_metrics_compute: missing argument");
    if (region >= r->n_regions)
        return mn_error_set(err, MN_EINVAL, "no region %zu in the result", region);
    mn_roll_metrics_opts def;
    mn_roll_metrics_opts_default(&def);
    if (!o)
        o = &def;
    unsigned what = o->what ? o->what : MN_ROLL_M_ALL;
    if (!roll_in_range(o->grid_m, 1e-5, 1) ||
        !roll_in_range(o->coverage_radius_m, 1e-6, 0.1) ||
        !roll_in_range(o->hit_radius_m, 0, 0.1))
        return mn_error_set(err, MN_EINVAL,
                            "metrics: grid 0.01-1000 mm, coverage radius "
                            "0.001-100 mm, hit radius 0-100 mm");
    mn_status st = mn_roll_polygon_check(reg->x_m, reg->y_m, reg->n, err);
    if (st != MN_OK)
        return st;
    size_t b = r->region_first[region], e = r->region_first[region + 1];
    m->area_m2 = fabs(mn_roll_polygon_area(reg->x_m, reg->y_m, reg->n));
    m->punctures = e - b;
    m->passes = r->passes;
    m->density_mean = (double)(e - b) / m->area_m2;
    m->density_cv = m->coverage = NAN;
    m->grid_cells = 0;
    for (int i = 0; i < MN_ROLL_MAX_PASSES; i++)
        m->coverage_by_pass[i] = NAN;
    m->nn_mean_m = m->nn_p05_m = m->nn_along_m = m->nn_across_m = NAN;
    m->nn_anisotropy = m->nn_axis_rad = m->hit_fraction = NAN;
    m->depth_mean_m = m->depth_sd_m = NAN;
    if ((what & MN_ROLL_M_DENSITY) &&
        (st = metric_density(r, b, e, reg, o->grid_m, m, err)) != MN_OK)
        return st;
    if ((what & MN_ROLL_M_COVERAGE) &&
        (st = metric_coverage(r, region, reg, o->coverage_radius_m, m, err)) != MN_OK)
        return st;
    if ((what & MN_ROLL_M_NEIGHBOURS) &&
        (st = metric_neighbours(r, b, e, m->area_m2, o->hit_radius_m, m, err)) != MN_OK)
        return st;
    if ((what & MN_ROLL_M_DEPTH) && e > b) {
        double s = 0, s2 = 0;
        for (size_t i = b; i < e; i++)
            s += r->depth_m[i];
        double mean = s / (double)(e - b);
        for (size_t i = b; i < e; i++)
            s2 += (r->depth_m[i] - mean) * (r->depth_m[i] - mean);
        m->depth_mean_m = mean;
        m->depth_sd_m = e - b > 1 ? sqrt(s2 / (double)(e - b - 1)) : 0;
    }
    return MN_OK;
}

mn_status mn_roll_metrics_all(const mn_roll_result *r, const mn_roll_region *regs,
                              const mn_roll_metrics_opts *o, mn_roll_metrics *out,
                              mn_error *err)
{
    if (!r || !regs || !out)
        return mn_error_set(err, MN_EINVAL, "mn_roll_metrics_all: missing argument");
    size_t n = r->n_regions;
    if (n == 0)
        return MN_OK;
    size_t *order = malloc(n * sizeof(size_t));
    mn_error *errs = calloc(n, sizeof(mn_error));
    mn_status *sts = calloc(n, sizeof(mn_status));
    if (!order || !errs || !sts) {
        free(order);
        free(errs);
        free(sts);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    /* Largest regions first, for the balance of the threads. */
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], j = i;
        size_t nv = r->region_first[v + 1] - r->region_first[v];
        while (j > 0 &&
               r->region_first[order[j - 1] + 1] - r->region_first[order[j - 1]] < nv) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    long ln = (long)n;
    MN_PRAGMA(omp parallel for schedule(dynamic, 1) if (n > 1))
    for (long k = 0; k < ln; k++) {
        size_t i = order[k];
        sts[i] = mn_roll_metrics_compute(r, i, &regs[i], o, &out[i], &errs[i]);
    }
    mn_status st = MN_OK;
    for (size_t i = 0; i < n; i++)
        if (sts[i] != MN_OK) {
            st = sts[i];
            if (err)
                *err = errs[i];
            break;
        }
    free(order);
    free(errs);
    free(sts);
    return st;
}

mn_status mn_roll_density_grid(const mn_roll_result *r, const mn_roll_region *regions,
                               size_t n_regions, double cell_m, mn_roll_grid *g,
                               mn_error *err)
{
    memset(g, 0, sizeof *g);
    if (!r || !regions || n_regions == 0 || !roll_in_range(cell_m, 1e-6, 10))
        return mn_error_set(err, MN_EINVAL,
                            "density grid: regions and a cell of "
                            "0.001 mm to 10 m needed");
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t k = 0; k < n_regions; k++) {
        double a, b2, c, d;
        bbox(regions[k].x_m, regions[k].y_m, regions[k].n, &a, &b2, &c, &d);
        xmin = fmin(xmin, a);
        xmax = fmax(xmax, b2);
        ymin = fmin(ymin, c);
        ymax = fmax(ymax, d);
    }
    double fx = ceil((xmax - xmin) / cell_m), fy = ceil((ymax - ymin) / cell_m);
    if (!(fx >= 1))
        fx = 1;
    if (!(fy >= 1))
        fy = 1;
    if (fx * fy > (double)((size_t)1 << 26))
        return mn_error_set(err, MN_ENOMEM, "density grid of %.0f cells is too large",
                            fx * fy);
    size_t nx = (size_t)fx, ny = (size_t)fy;
    unsigned char *mask = calloc(nx * ny, 1);
    double *v = calloc(nx * ny, sizeof(double));
    if (!mask || !v) {
        free(mask);
        free(v);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < n_regions; k++)
        if (!raster_fraction(regions[k].x_m, regions[k].y_m, regions[k].n, xmin, ymin,
                             cell_m, nx, ny, mask)) {
            free(mask);
            free(v);
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
    for (size_t i = 0; i < r->count; i++) {
        double fi = floor((r->x_m[i] - xmin) / cell_m),
               fj = floor((r->y_m[i] - ymin) / cell_m);
        if (fi < 0 || fj < 0 || fi >= (double)nx || fj >= (double)ny)
            continue;
        v[(size_t)fj * nx + (size_t)fi] += 1;
    }
    /* Per unit of the cell's area inside the outlines; cells less than half
     * inside are left out. */
    for (size_t c = 0; c < nx * ny; c++) {
        unsigned f = mask[c] > 16 ? 16 : mask[c];
        v[c] = f >= 8 ? v[c] / (cell_m * cell_m * f / 16.0) : -1;
    }
    free(mask);
    g->nx = nx;
    g->ny = ny;
    g->x0_m = xmin;
    g->y0_m = ymin;
    g->cell_m = cell_m;
    g->per_m2 = v;
    return MN_OK;
}

void mn_roll_grid_free(mn_roll_grid *g)
{
    if (!g)
        return;
    free(g->per_m2);
    memset(g, 0, sizeof *g);
}
