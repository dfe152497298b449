/* One level of the transport solver's multigrid (floor: model; docs/model.md,
 * "Transport through the channels", Numerics): the passes over a whole
 * level, each an OpenMP loop with sums in a fixed order: the operator
 * (7-point, with the film), the damped line smoothers (the depth columns
 * here, the x and y lines' sweep of one plane in transport_lines.c), and
 * the transfers to and from the next coarser level. The hierarchy they run
 * on is built in transport_solve.c. */
#include "transport_level.h"
#include "transport_rows.h"
#define OP_BAND 8 /* rows per band of the operator pass */
#define PFD 4     /* planes ahead the depth sweep prefetches */

/* Bands of at most OP_BAND rows out of `rows`, as many as a multiple of
 * the team's threads and of nearly equal size, so that a static schedule
 * gives every thread the same rows to within one per band (bands of
 * exactly OP_BAND rows gave one of 2 threads 56 of the 103 rows of a
 * window, 61% of the coarse rows of the restriction). Which thread does a
 * row does not change what is computed for it. */
static size_t band_count(size_t rows)
{
#ifdef _OPENMP
    size_t nth = (size_t)omp_get_num_threads();
#else
    size_t nth = 1;
#endif
    size_t nb = (rows + OP_BAND - 1) / OP_BAND;
    nb = (nb + nth - 1) / nth * nth;
    return nb < rows ? nb : rows;
}

/* Rows [*j0, *j1) of band b of nb over `rows`. */
static void band_rows(size_t b, size_t nb, size_t rows, size_t *j0, size_t *j1)
{
    *j0 = b * rows / nb;
    *j1 = (b + 1) * rows / nb;
}

/* ---- operators ------------------------------------------------------------------- */

/* out = [b -] (a0 C + a1 A) x on row j of plane k of a level. Partial sums
 * of the row in rs: PL_A x.out, PL_B |out|, PL_C the film exchange sum
 * gt (xv - x), PL_D sum out, PL_E sum of the diagonal part
 * (a0 m0 + a1 m1) x. */
HOT static void op_row(const mn_transport *t, const mg_level *L, int lv, size_t j,
                       size_t k, double a0, double a1, const double *x, double xv,
                       const double *b, double *yr, double *rs)
{
    size_t nx = L->nx, ny = L->ny;
    double *dr = thread_scratch(t);
    double sC = 0;
    row_diag(t, L, lv, j, k, a0, a1, dr);
    size_t o = (k * ny + j) * nx;
    nbrs n = neighbours(t, L, j, k, x);
    const double *xr = n.xr, *xs = n.xs, *xn = n.xn, *xu = n.xu, *xd = n.xd;
    const float *gxr = n.gxr, *gs = n.gs, *gn = n.gn, *gu = n.gu, *gd = n.gd;
    /* y = d x + a1 (conductances) for the interior, then the ends. */
    SIMD for (size_t i = 1; i < nx - 1; i++)
    {
        double v = xr[i];
        double a = (double)gxr[i - 1] * (v - xr[i - 1]) +
                   (double)gxr[i] * (v - xr[i + 1]) + (double)gs[i] * (v - xs[i]) +
                   (double)gn[i] * (v - xn[i]) + (double)gu[i] * (v - xu[i]) +
                   (double)gd[i] * (v - xd[i]);
        yr[i] = dr[i] * v + a1 * a;
    }
    size_t ends[2] = {0, nx - 1};
    for (int e = 0; e < (nx > 1 ? 2 : 1); e++) {
        size_t i = ends[e];
        size_t il = i > 0 ? i - 1 : (L->perx ? nx - 1 : i);
        size_t ir = i + 1 < nx ? i + 1 : (L->perx ? 0 : i);
        double gl = i > 0 ? gxr[i - 1] : (L->perx ? gxr[nx - 1] : 0.0f);
        double v = xr[i];
        double a = gl * (v - xr[il]) + (double)gxr[i] * (v - xr[ir]) +
                   (double)gs[i] * (v - xs[i]) + (double)gn[i] * (v - xn[i]) +
                   (double)gu[i] * (v - xu[i]) + (double)gd[i] * (v - xd[i]);
        yr[i] = dr[i] * v + a1 * a;
    }
    if (k == 0 && L->gt) {
        const float *gt = L->gt + j * nx;
        double c = 0;
        SIMD_SUM(c)
        for (size_t i = 0; i < nx; i++) {
            double e = (double)gt[i] * (xv - xr[i]);
            yr[i] -= a1 * e;
            c += e;
        }
        sC = c;
    }
    double pA = 0, pB = 0, pD = 0, pE = 0;
    if (b) {
        const double *br = b + o;
        SIMD_SUM(pA, pB, pD, pE)
        for (size_t i = 0; i < nx; i++) {
            double y = br[i] - yr[i];
            yr[i] = y;
            pA += xr[i] * y;
            pB += fabs(y);
            pD += y;
            pE += dr[i] * xr[i];
        }
    } else {
        SIMD_SUM(pA, pB, pD, pE)
        for (size_t i = 0; i < nx; i++) {
            double y = yr[i];
            pA += xr[i] * y;
            pB += fabs(y);
            pD += y;
            pE += dr[i] * xr[i];
        }
    }
    rs[PL_A] = pA, rs[PL_B] = pB, rs[PL_C] = sC, rs[PL_D] = pD, rs[PL_E] = pE;
}

/* Asks for the bytes [p, p + len) (write: to be written), a line at a
 * time. */
static inline void prefetch_range(const void *p, size_t len, int write)
{
    const char *c = p;
    for (size_t o = 0; o < len; o += 64) {
        if (write)
            __builtin_prefetch(c + o, 1);
        else
            __builtin_prefetch(c + o);
    }
}

/* What the band of rows [j0, j1) of the operator pass reads and writes on
 * the next plane (x a plane further, the plane below that one's): planes
 * are far apart in memory, beyond the hardware prefetcher's reach, and a
 * band's piece of a plane is a few pages. */
static void prefetch_band(const mn_transport *t, const mg_level *L, int lv, size_t j0,
                          size_t j1, size_t k, const double *x, const double *b,
                          const double *out)
{
    const size_t nx = L->nx, o = (k * L->ny + j0) * nx, m = (j1 - j0) * nx;
    const float *m0 = lv == 0 ? t->cap : L->m0;
    prefetch_range(m0 + o, m * sizeof *m0, 0);
    if (lv > 0)
        prefetch_range(L->m1 + o, m * sizeof *L->m1, 0);
    prefetch_range(L->gx + o, m * sizeof *L->gx, 0);
    prefetch_range(L->gy + o, m * sizeof *L->gy, 0);
    prefetch_range(L->gz + o, m * sizeof *L->gz, 0);
    if (b)
        prefetch_range(b + o, m * sizeof *b, 0);
    prefetch_range(out + o, m * sizeof *out, 1);
    if (k + 1 < L->nz)
        prefetch_range(x + o + L->nxy, m * sizeof *x, 0);
}

/* A whole level: out = [b -] (a0 C + a1 A) x, with the film component. */
op_sums mn_tr_op_level(mn_transport *t, int lv, double a0, double a1, const double *x,
                       double xv, const double *b, double bv, double *out, double *outv)
{
    const double t0 = pass_clock();
    mg_level *L = &t->lev[lv];
    const int nth = L->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel num_threads(nth)
    {
        FTZ_ON(csr);
        /* bands of OP_BAND rows, each down all planes: the rows of x above
         * and below a plane are still in cache when the band reaches the
         * next plane (plane by plane they come back from main memory) */
        const size_t nb = band_count(L->ny);
#pragma omp for schedule(static)
        for (size_t bj = 0; bj < nb; bj++) {
            size_t j0, j1;
            band_rows(bj, nb, L->ny, &j0, &j1);
            for (size_t k = 0; k < L->nz; k++) {
                if (k + 1 < L->nz)
                    prefetch_band(t, L, lv, j0, j1, k + 1, x, b, out);
                for (size_t j = j0; j < j1; j++)
                    op_row(t, L, lv, j, k, a0, a1, x, xv, b,
                           out + (k * L->ny + j) * L->nx,
                           t->rs + (k * L->ny + j) * PL_N);
            }
        }
        /* the planes' sums, rows in order (for any number of threads) */
#pragma omp for schedule(static)
        for (size_t k = 0; k < L->nz; k++) {
            double p[PL_F] = {0, 0, 0, 0, 0};
            for (size_t j = 0; j < L->ny; j++)
                for (int c = 0; c < PL_F; c++)
                    p[c] += t->rs[(k * L->ny + j) * PL_N + c];
            for (int c = 0; c < PL_F; c++)
                t->pl[k * PL_N + c] = p[c];
        }
        FTZ_OFF(csr);
    }
    op_sums s = {0, 0, 0, 0, 0};
    for (size_t k = 0; k < L->nz; k++) {
        s.dot += t->pl[k * PL_N + PL_A];
        s.abs += t->pl[k * PL_N + PL_B];
        s.film += t->pl[k * PL_N + PL_C];
        s.sum += t->pl[k * PL_N + PL_D];
        s.diagx += t->pl[k * PL_N + PL_E];
    }
    if (L->gt) {
        double y = a0 * t->vehicle_cap * xv + a1 * s.film;
        double o = b ? bv - y : y;
        *outv = o;
        s.dot += xv * o;
        s.abs += fabs(o);
        s.sum += o;
        s.diagx += a0 * t->vehicle_cap * xv;
    } else
        *outv = 0;
    /* out is written without being read: +16 */
    traffic(t, L, b ? 48 : 40, MN_TRANSPORT_PASS_OPERATOR, t0);
    return s;
}

double mn_tr_row_sum(mn_transport *t, double theta, const double *x, double xv)
{
    const double t0 = pass_clock();
    mg_level *L = &t->lev[0];
    const int nth = L->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel num_threads(nth)
    {
        double *dr = thread_scratch(t);
#pragma omp for schedule(static)
        for (size_t k = 0; k < L->nz; k++) {
            double a = 0; /* rows in order: any number of threads */
            for (size_t j = 0; j < L->ny; j++) {
                row_diag(t, L, 0, j, k, 1.0, theta, dr);
                const double *xr = x + (k * L->ny + j) * L->nx;
                double r = 0;
                SIMD_SUM(r)
                for (size_t i = 0; i < L->nx; i++)
                    r += dr[i] * xr[i];
                a += r;
            }
            t->pl[k * PL_N + PL_E] = a;
        }
    }
    double s = plane_total(t, PL_E);
    traffic(t, L, 12, MN_TRANSPORT_PASS_VECTOR, t0);
    return s + (L->gt ? t->vehicle_cap * xv : 0.0);
}

/* Damped block-Jacobi sweep along depth columns of row j:
 * out = (1 - w) x + w T^-1 (b + theta (lateral neighbours x + film xv)),
 * T = the column's own tridiagonal block. x NULL: x = 0. */
HOT static void smooth_row(const mn_transport *t, const mg_level *L, int lv, size_t j,
                           double theta, const double *x, double xv, const double *b,
                           double *out, double *bdot)
{
    double bo = 0; /* b . out over the row (bdot non-NULL) */
    size_t nx = L->nx, nz = L->nz, nxy = L->nxy;
    double *sc = thread_scratch(t);
    const double om = MG_OMEGA;
    double *dl = sc, *wl = sc + nz * WZ, *s = sc + 2 * nz * WZ;
    double *dr = s + WZ, *lat = dr + nx, *rl = lat + nx;
    for (size_t i0 = 0; i0 < nx; i0 += WZ) {
        size_t W = nx - i0 < WZ ? nx - i0 : WZ;
        for (size_t k = 0; k < nz; k++) {
            size_t o = k * nxy + j * nx;
            if (k + PFD < nz) {
                /* the next planes are a plane apart in memory, beyond the
                 * reach of the hardware prefetcher: ask for them */
                size_t p = o + PFD * nxy + i0;
                size_t ps = j > 0 ? p - nx : p + (L->ny - 1) * nx;
                size_t pn = j + 1 < L->ny ? p + nx : p - (L->ny - 1) * nx;
                for (size_t w = 0; w < W; w += 8) {
                    __builtin_prefetch(b + p + w);
                    if (x) {
                        __builtin_prefetch(x + p + w);
                        __builtin_prefetch(x + ps + w);
                        __builtin_prefetch(x + pn + w);
                    }
                }
                for (size_t w = 0; w < W; w += 16) {
                    __builtin_prefetch(L->m0 + p + w);
                    __builtin_prefetch(L->gx + p + w);
                    __builtin_prefetch(L->gy + p + w);
                    __builtin_prefetch(L->gy + ps + w);
                    __builtin_prefetch(L->gz + p + w);
                    if (L->m1)
                        __builtin_prefetch(L->m1 + p + w);
                }
            }
            row_diag_range(t, L, lv, j, k, 1.0, theta, i0, W, dr + i0);
            nbrs n = neighbours(t, L, j, k, x ? x : b);
            const float *gxr = n.gxr, *gs = n.gs, *gn = n.gn;
            /* lateral conductance sums (and neighbour terms) of the lanes */
            size_t ia = i0 > 0 ? i0 : 1, ib = i0 + W < nx ? i0 + W : nx - 1;
            SIMD for (size_t i = ia; i < ib; i++) lat[i] =
                (double)gxr[i - 1] + (double)gxr[i] + (double)gs[i] + (double)gn[i];
            if (x) {
                const double *xr = n.xr, *xs = n.xs, *xn = n.xn;
                SIMD for (size_t i = ia; i < ib; i++) rl[i] =
                    (double)gxr[i - 1] * xr[i - 1] + (double)gxr[i] * xr[i + 1] +
                    (double)gs[i] * xs[i] + (double)gn[i] * xn[i];
            }
            size_t ends[2] = {0, nx - 1};
            for (int e = 0; e < (nx > 1 ? 2 : 1); e++) {
                size_t i = ends[e];
                if (i < i0 || i >= i0 + W)
                    continue;
                size_t il = i > 0 ? i - 1 : (L->perx ? nx - 1 : i);
                size_t ir = i + 1 < nx ? i + 1 : (L->perx ? 0 : i);
                double gl = i > 0 ? gxr[i - 1] : (L->perx ? gxr[nx - 1] : 0.0f);
                lat[i] = gl + (double)gxr[i] + (double)gs[i] + (double)gn[i];
                if (x)
                    rl[i] = gl * x[o + il] + (double)gxr[i] * x[o + ir] +
                            (double)gs[i] * n.xs[i] + (double)gn[i] * n.xn[i];
            }
            const double *br = b + o + i0;
            double *dk = dl + k * W;
            double *el = lat + i0, *rr = rl + i0, *dd = dr + i0;
            SIMD for (size_t w = 0; w < W; w++) el[w] = dd[w] + theta * el[w];
            if (x) {
                SIMD for (size_t w = 0; w < W; w++) dk[w] = br[w] + theta * rr[w];
            } else {
                SIMD for (size_t w = 0; w < W; w++) dk[w] = br[w];
            }
            if (k == 0 && L->gt) {
                const float *gt = L->gt + j * nx + i0;
                for (size_t w = 0; w < W; w++) {
                    el[w] += theta * (double)gt[w];
                    if (x)
                        dk[w] += theta * (double)gt[w] * xv;
                }
            }
            if (k == 0) {
                SIMD for (size_t w = 0; w < W; w++) s[w] = el[w];
            } else {
                tri_forward(W, theta, L->gz + o - nxy + i0, el, dl + (k - 1) * W, dk,
                            wl + (k - 1) * W, s);
            }
        }
        double *dn = dl + (nz - 1) * W;
        SIMD for (size_t w = 0; w < W; w++) dn[w] /= s[w];
        for (size_t k = nz - 1; k-- > 0;)
            tri_back(W, theta, L->gz + k * nxy + j * nx + i0, dl + (k + 1) * W,
                     wl + k * W, dl + k * W);
        for (size_t k = 0; k < nz; k++) {
            size_t o = k * nxy + j * nx + i0;
            const double *dk = dl + k * W;
            double *yo = out + o;
            if (k + PFD < nz) /* the rows written next, owned before they are */
                for (size_t w = 0; w < W; w += 8) {
                    __builtin_prefetch(out + o + PFD * nxy + w, 1);
                    if (x)
                        __builtin_prefetch(x + o + PFD * nxy + w);
                }
            if (x) {
                const double *xo = x + o;
                SIMD for (size_t w = 0; w < W; w++) yo[w] =
                    (1.0 - om) * xo[w] + om * dk[w];
            } else {
                SIMD for (size_t w = 0; w < W; w++) yo[w] = om * dk[w];
            }
            if (bdot) {
                const double *bo_k = b + o;
                SIMD_SUM(bo)
                for (size_t w = 0; w < W; w++)
                    bo += bo_k[w] * yo[w];
            }
        }
    }
    if (bdot)
        *bdot = bo;
}

/* Film exchange sums of a level's top plane: sum gt and sum gt x. */
static void film_sums(const mg_level *L, const double *x, double *sg, double *sgx)
{
    double a = 0, b = 0;
    if (L->gt)
        for (size_t q = 0; q < L->nxy; q++) {
            a += L->gt[q];
            b += (double)L->gt[q] * (x ? x[q] : 0.0);
        }
    *sg = a, *sgx = b;
}

/* One damped block-Jacobi sweep of a level along lines of direction dir
 * (0 x, 1 y, 2 z); the film is its own block. */
void mn_tr_smooth_level(mn_transport *t, int lv, int dir, double theta, const double *x,
                        double xv, const double *b, double bv, double *out,
                        double *outv, double *bdot)
{
    const double t0 = pass_clock();
    mg_level *L = &t->lev[lv];
    const int nth = L->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
    if ((dir == 0 && L->nx < 2) || (dir == 1 && L->ny < 2)) {
        /* a line of one cell is a point: the z sweep does it better */
        dir = 2;
    }
#pragma omp parallel num_threads(nth)
    {
        FTZ_ON(csr);
        if (dir == 2) {
#pragma omp for schedule(static)
            for (size_t j = 0; j < L->ny; j++)
                smooth_row(t, L, lv, j, theta, x, xv, b, out,
                           bdot ? &t->rs[j * PL_N + PL_F] : NULL);
        } else {
#pragma omp for schedule(static)
            for (size_t k = 0; k < L->nz; k++)
                mn_tr_smooth_plane(t, L, lv, dir, k, theta, x, xv, b, out);
        }
        FTZ_OFF(csr);
    }
    if (L->gt) {
        double sg, sgx;
        film_sums(L, x, &sg, &sgx);
        double xh = (bv + theta * sgx) / (t->vehicle_cap + theta * sg);
        *outv = x ? (1.0 - MG_OMEGA) * xv + MG_OMEGA * xh : MG_OMEGA * xh;
    } else
        *outv = 0;
    if (bdot) { /* the rows in order, for any number of threads */
        double d = 0;
        if (dir == 2)
            for (size_t j = 0; j < L->ny; j++)
                d += t->rs[j * PL_N + PL_F];
        else /* the line sweeps do not sum as they go (not used by the cycle) */
            for (size_t q = 0; q < L->n; q++)
                d += b[q] * out[q];
        *bdot = d + (L->gt ? bv * *outv : 0.0);
    }
    traffic(t, L, x ? 48 : 40, MN_TRANSPORT_PASS_SMOOTH, t0);
}

/* The residual of row (j, k) right after one depth sweep from zero,
 * x = w T^-1 b (smooth_row with x NULL; T the columns' blocks, their
 * lateral faces and the film's on the diagonal): b - (C + theta A) x =
 * b - T x + N x = (1 - w) b + N x, where N x = theta (lateral neighbours x
 * + film xv) is what the sweep leaves out (its rl). It reads neither the
 * capacities nor the depth faces nor the planes above and below (24
 * instead of 32 B per cell); it differs from op_row's b - (C + theta A) x
 * by the sweep's rounding only. The film exchange sum in rs[PL_C]. */
HOT static void swept_residual_row(const mn_transport *t, const mg_level *L, size_t j,
                                   size_t k, double theta, const double *x, double xv,
                                   const double *b, double *yr, double *rs)
{
    const size_t nx = L->nx, o = (k * L->ny + j) * nx;
    const double om1 = 1.0 - MG_OMEGA;
    nbrs n = neighbours(t, L, j, k, x);
    const double *xr = n.xr, *xs = n.xs, *xn = n.xn, *br = b + o;
    const float *gxr = n.gxr, *gs = n.gs, *gn = n.gn;
    SIMD for (size_t i = 1; i < nx - 1; i++) yr[i] =
        om1 * br[i] +
        theta * ((double)gxr[i - 1] * xr[i - 1] + (double)gxr[i] * xr[i + 1] +
                 (double)gs[i] * xs[i] + (double)gn[i] * xn[i]);
    size_t ends[2] = {0, nx - 1};
    for (int e = 0; e < (nx > 1 ? 2 : 1); e++) { /* as smooth_row's ends */
        size_t i = ends[e];
        size_t il = i > 0 ? i - 1 : (L->perx ? nx - 1 : i);
        size_t ir = i + 1 < nx ? i + 1 : (L->perx ? 0 : i);
        double gl = i > 0 ? gxr[i - 1] : (L->perx ? gxr[nx - 1] : 0.0f);
        yr[i] = om1 * br[i] + theta * (gl * xr[il] + (double)gxr[i] * xr[ir] +
                                       (double)gs[i] * xs[i] + (double)gn[i] * xn[i]);
    }
    double c = 0;
    if (k == 0 && L->gt) {
        const float *gt = L->gt + j * nx;
        SIMD_SUM(c)
        for (size_t i = 0; i < nx; i++) {
            double g = (double)gt[i];
            yr[i] += theta * g * xv;
            c += g * (xv - xr[i]);
        }
    }
    rs[PL_C] = c;
}

/* Coarse right-hand side: block sums of the fine residual b - (C + theta
 * A) x, computed plane by plane without storing it; the film's residual in
 * *rv. swept: x is one depth sweep from zero (swept_residual_row). */
void mn_tr_residual_restrict(mn_transport *t, int lv, double theta, const double *x,
                             double xv, const double *b, double bv, int swept,
                             double *rv)
{
    const double t0 = pass_clock();
    mg_level *F = &t->lev[lv], *C = &t->lev[lv + 1];
    const int nth = F->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel num_threads(nth)
    {
        FTZ_ON(csr);
#ifdef _OPENMP
        double *buf = t->planebuf[team_thread(t)];
#else
        double *buf = t->planebuf[0];
#endif
        /* bands of coarse rows, each down all planes (as in the operator
         * pass); every coarse cell sums its fine cells plane by plane,
         * row by row, for any number of threads */
        const unsigned sx = F->fx == 2, sy = F->fy == 2;
        const size_t nb = band_count(C->ny);
#pragma omp for schedule(static)
        for (size_t bj = 0; bj < nb; bj++) {
            size_t J0, J1;
            band_rows(bj, nb, C->ny, &J0, &J1);
            size_t jf0 = J0 << sy, jf1 = (J1 << sy) < F->ny ? J1 << sy : F->ny;
            for (size_t K = 0; K < C->nz; K++) {
                double *cb = C->b + K * C->nxy;
                memset(cb + J0 * C->nx, 0, (J1 - J0) * C->nx * sizeof *cb);
                for (size_t k = K * F->fz; k < (K + 1) * F->fz && k < F->nz; k++)
                    for (size_t j = jf0; j < jf1; j++) {
                        double *rs = t->rs + (k * F->ny + j) * PL_N;
                        if (swept)
                            swept_residual_row(t, F, j, k, theta, x, xv, b, buf, rs);
                        else
                            op_row(t, F, lv, j, k, 1.0, theta, x, xv, b, buf, rs);
                        double *cr = cb + (j >> sy) * C->nx;
                        if (sx) {
                            size_t i = 0;
                            for (; i + 1 < F->nx; i += 2)
                                cr[i >> 1] += buf[i] + buf[i + 1];
                            if (i < F->nx)
                                cr[i >> 1] += buf[i];
                        } else {
                            for (size_t i = 0; i < F->nx; i++)
                                cr[i] += buf[i];
                        }
                    }
            }
        }
        FTZ_OFF(csr);
    }
    if (F->gt) {
        double film = 0; /* plane 0's exchange with the film, rows in order */
        for (size_t j = 0; j < F->ny; j++)
            film += t->rs[j * PL_N + PL_C];
        *rv = bv - (t->vehicle_cap * xv + theta * film);
    } else
        *rv = 0;
    traffic(t, F, swept ? 24 : 32, MN_TRANSPORT_PASS_RESTRICT, t0);
    traffic(t, C, 16, MN_TRANSPORT_PASS_RESTRICT, -1);
}

void mn_tr_prolong_level(mn_transport *t, int lv, double *x)
{
    const double t0 = pass_clock();
    mg_level *F = &t->lev[lv], *C = &t->lev[lv + 1];
    const int nth = F->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < F->nz; k++) {
        const unsigned sx = F->fx == 2, sy = F->fy == 2, sz = F->fz == 2;
        const double *ce = C->x + (k >> sz) * C->nxy;
        for (size_t j = 0; j < F->ny; j++) {
            double *xr = x + (k * F->ny + j) * F->nx;
            const double *cr = ce + (j >> sy) * C->nx;
            SIMD for (size_t i = 0; i < F->nx; i++) xr[i] += cr[i >> sx];
        }
    }
    traffic(t, F, 16, MN_TRANSPORT_PASS_PROLONG, t0);
}
