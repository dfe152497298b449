/* The transport solver's linear algebra (floor: model): the aggregation
 * multigrid hierarchy, the operator, line smoothers, V-cycle and the
 * preconditioned conjugate gradients (docs/model.md, "Transport through
 * the channels", Numerics). */
#include "transport_internal.h"
#define OP_BAND 8 /* rows per band of the operator pass */
#define PFD 4     /* planes ahead the depth sweep prefetches */

/* ---- multigrid hierarchy ------------------------------------------------------ */

/* Half-bandwidth of the coarsest level's matrix (see coarsest_factor). */
static size_t coarsest_bw(const mg_level *B)
{
    return B->nx * B->ny < B->n ? B->nx * B->ny : B->n - 1;
}

/* A level of one column (solved as a chain). */
static int is_chain(const mg_level *B)
{
    return B->nx == 1 && B->ny == 1;
}

void mn_tr_mg_free(mn_transport *t)
{
    for (int l = 1; l < t->nlev; l++) {
        mg_level *L = &t->lev[l];
        free(L->own), free(L->x), free(L->b), free(L->w), free(L->chol);
    }
    free(t->lev[0].chol);
    memset(t->lev, 0, sizeof t->lev);
    t->nlev = 0;
}

/* Build the coarse levels from the current coefficients: blocks of 2 cells
 * in every direction with more than one cell; each coarse equation is the
 * sum of the fine equations of its block. */
mn_status mn_tr_mg_build(mn_transport *t)
{
    mn_tr_mg_free(t);
    int coupled = !t->cfg.infinite_dose;
    mg_level *L0 = &t->lev[0];
    L0->nx = t->nx, L0->ny = t->ny, L0->nz = t->nz, L0->nxy = t->nxy, L0->n = t->n;
    L0->perx = t->cfg.lateral_bc == MN_LATERAL_PERIODIC && t->nx > 1;
    L0->pery = t->cfg.lateral_bc == MN_LATERAL_PERIODIC && t->ny > 1;
    L0->m0 = t->cap, L0->m1 = NULL;
    L0->gx = t->gx, L0->gy = t->gy, L0->gz = t->gz;
    L0->gt = coupled ? t->gtop : NULL;
    t->nlev = 1;
    while (t->nlev < MG_MAXLEV) {
        mg_level *F = &t->lev[t->nlev - 1];
        /* A single column is a chain (film, cell 0, cell 1, ...): solved
         * exactly at level 0, so conjugate gradients converge at once. */
        if (F->n <= MG_COARSEST || (F->nx == 1 && F->ny == 1))
            break;
        F->fx = F->nx > 1 ? 2 : 1, F->fy = F->ny > 1 ? 2 : 1, F->fz = F->nz > 1 ? 2 : 1;
        mg_level *C = &t->lev[t->nlev];
        memset(C, 0, sizeof *C);
        C->nx = (F->nx + F->fx - 1) / F->fx;
        C->ny = (F->ny + F->fy - 1) / F->fy;
        C->nz = (F->nz + F->fz - 1) / F->fz;
        C->nxy = C->nx * C->ny, C->n = C->nxy * C->nz;
        C->perx = F->perx && C->nx > 1, C->pery = F->pery && C->ny > 1;
        size_t n = C->n;
        C->own = alloc64(5 * n + C->nxy, sizeof(float));
        C->x = alloc64(n, sizeof(double));
        C->b = alloc64(n, sizeof(double));
        C->w = alloc64(n, sizeof(double));
        t->nlev++;
        if (!C->own || !C->x || !C->b || !C->w)
            return MN_ENOMEM;
        memset(C->own, 0, (5 * n + C->nxy) * sizeof(float));
        float *m0 = C->own, *m1 = m0 + n, *gx = m1 + n, *gy = gx + n, *gz = gy + n,
              *gt = gz + n;
        int lv = t->nlev - 2;
        const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
        (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t K = 0; K < C->nz; K++)
            for (size_t k = K * F->fz; k < (K + 1) * F->fz && k < F->nz; k++)
                for (size_t j = 0; j < F->ny; j++)
                    for (size_t i = 0; i < F->nx; i++) {
                        size_t f = (k * F->ny + j) * F->nx + i;
                        size_t I = i / F->fx, J = j / F->fy;
                        size_t c = (K * C->ny + J) * C->nx + I;
                        double a1;
                        if (lv == 0) {
                            a1 = (double)t->cap[f] * t->kc[k];
                            if (k + 1 == F->nz)
                                a1 += t->gbot[j * F->nx + i];
                            if (k == 0 && !coupled)
                                a1 += t->gtop[j * F->nx + i];
                        } else
                            a1 = F->m1[f];
                        m0[c] += F->m0[f];
                        m1[c] += (float)a1;
                        size_t in = i + 1 < F->nx ? i + 1 : 0;
                        if ((i + 1 < F->nx || F->perx) && in / F->fx != I)
                            gx[c] += F->gx[f];
                        size_t jn = j + 1 < F->ny ? j + 1 : 0;
                        if ((j + 1 < F->ny || F->pery) && jn / F->fy != J)
                            gy[c] += F->gy[f];
                        if (k + 1 < F->nz && (k + 1) / F->fz != K)
                            gz[c] += F->gz[f];
                        if (k == 0 && coupled)
                            gt[J * C->nx + I] += F->gt[j * F->nx + i];
                    }
        C->m0 = m0, C->m1 = m1, C->gx = gx, C->gy = gy, C->gz = gz;
        C->gt = coupled ? gt : NULL;
    }
    mg_level *B = &t->lev[t->nlev - 1];
    B->nd = B->n + (coupled ? 1 : 0);
    B->chol = malloc((is_chain(B) ? 2 * B->nd : B->n * (coarsest_bw(B) + 1) + B->nd) *
                     sizeof(double));
    if (!B->chol)
        return MN_ENOMEM;
    B->chol_theta = NAN;
    t->built_open = t->open;
    return MN_OK;
}

/* ---- operators ------------------------------------------------------------------- */

/* The diagonal of row (j, k) of a level: d = a0 m0 + a1 m1 with m0 the
 * capacity and m1 the rest (clearance, bottom sink, infinite film). */
static inline void row_diag_range(const mn_transport *t, const mg_level *L, int lv,
                                  size_t j, size_t k, double a0, double a1, size_t i0,
                                  size_t nx, double *d)
{
    size_t o = (k * L->ny + j) * L->nx + i0;
    size_t oc = j * L->nx + i0; /* column index */
    if (lv == 0) {
        const float *cp = t->cap + o;
        double f = a0 + a1 * t->kc[k];
        SIMD for (size_t i = 0; i < nx; i++) d[i] = f * (double)cp[i];
        if (k + 1 == L->nz) {
            const float *gb = t->gbot + oc;
            SIMD for (size_t i = 0; i < nx; i++) d[i] += a1 * (double)gb[i];
        }
        if (k == 0 && t->cfg.infinite_dose) {
            const float *gt = t->gtop + oc;
            SIMD for (size_t i = 0; i < nx; i++) d[i] += a1 * (double)gt[i];
        }
    } else {
        const float *m0 = L->m0 + o, *m1 = L->m1 + o;
        SIMD for (size_t i = 0; i < nx; i++) d[i] =
            a0 * (double)m0[i] + a1 * (double)m1[i];
    }
}

static inline void row_diag(const mn_transport *t, const mg_level *L, int lv, size_t j,
                            size_t k, double a0, double a1, double *d)
{
    row_diag_range(t, L, lv, j, k, a0, a1, 0, L->nx, d);
}

/* Neighbour rows of row (j, k): south/north (y) and up/down (z) values and
 * faces; a missing neighbour points at the row itself with zero faces. */
typedef struct {
    const double *xr, *xs, *xn, *xu, *xd;
    const float *gxr, *gs, *gn, *gu, *gd;
} nbrs;

static inline nbrs neighbours(const mn_transport *t, const mg_level *L, size_t j,
                              size_t k, const double *x)
{
    size_t nx = L->nx, ny = L->ny, nz = L->nz, nxy = L->nxy, o = (k * ny + j) * nx;
    nbrs n;
    n.xr = x + o;
    n.gxr = L->gx + o;
    if (j > 0 || L->pery) {
        size_t os = j > 0 ? o - nx : o + (ny - 1) * nx;
        n.xs = x + os, n.gs = L->gy + os;
    } else
        n.xs = n.xr, n.gs = t->zero_f;
    if (j + 1 < ny || L->pery) {
        size_t on = j + 1 < ny ? o + nx : o - (ny - 1) * nx;
        n.xn = x + on, n.gn = L->gy + o;
    } else
        n.xn = n.xr, n.gn = t->zero_f;
    if (k > 0)
        n.xu = x + o - nxy, n.gu = L->gz + o - nxy;
    else
        n.xu = n.xr, n.gu = t->zero_f;
    if (k + 1 < nz)
        n.xd = x + o + nxy, n.gd = L->gz + o;
    else
        n.xd = n.xr, n.gd = t->zero_f;
    return n;
}

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
        size_t nb = (L->ny + OP_BAND - 1) / OP_BAND;
#pragma omp for schedule(static)
        for (size_t bj = 0; bj < nb; bj++) {
            size_t j1 = (bj + 1) * OP_BAND < L->ny ? (bj + 1) * OP_BAND : L->ny;
            for (size_t k = 0; k < L->nz; k++)
                for (size_t j = bj * OP_BAND; j < j1; j++)
                    op_row(t, L, lv, j, k, a0, a1, x, xv, b,
                           out + (k * L->ny + j) * L->nx,
                           t->rs + (k * L->ny + j) * PL_N);
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

/* Damped block-Jacobi sweep along depth columns of row j:
 * out = (1 - w) x + w T^-1 (b + theta (lateral neighbours x + film xv)),
 * T = the column's own tridiagonal block. x NULL: x = 0. */
HOT static void smooth_row(const mn_transport *t, const mg_level *L, int lv, size_t j,
                           double theta, const double *x, double xv, const double *b,
                           double *out)
{
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
                const float *gzu = L->gz + o - nxy + i0;
                const double *dp = dl + (k - 1) * W;
                double *wk = wl + (k - 1) * W;
                SIMD for (size_t w = 0; w < W; w++)
                {
                    double a = theta * (double)gzu[w];
                    double r = 1.0 / (a + s[w]);
                    double ar = a * r;
                    wk[w] = r;
                    s[w] = el[w] + ar * s[w];
                    dk[w] = dk[w] + ar * dp[w];
                }
            }
        }
        double *dn = dl + (nz - 1) * W;
        SIMD for (size_t w = 0; w < W; w++) dn[w] /= s[w];
        for (size_t k = nz - 1; k-- > 0;) {
            const float *gz = L->gz + k * nxy + j * nx + i0;
            double *dk = dl + k * W;
            const double *dkn = dl + (k + 1) * W, *wk = wl + k * W;
            SIMD for (size_t w = 0; w < W; w++) dk[w] =
                (dk[w] + theta * (double)gz[w] * dkn[w]) * wk[w];
        }
        for (size_t k = 0; k < nz; k++) {
            size_t o = k * nxy + j * nx + i0;
            const double *dk = dl + k * W;
            double *yo = out + o;
            if (x) {
                const double *xo = x + o;
                SIMD for (size_t w = 0; w < W; w++) yo[w] =
                    (1.0 - om) * xo[w] + om * dk[w];
            } else {
                SIMD for (size_t w = 0; w < W; w++) yo[w] = om * dk[w];
            }
        }
    }
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

/* Tridiagonal systems along lines: n cells, W lanes, element (k, w) at
 * k*S + w of e (diagonal without the line's faces), r (right-hand side,
 * overwritten by the solution) and g (face between k and k+1; periodic:
 * g[n-1] couples n-1 and 0), faces scaled by theta. Series (cancellation
 * free) elimination; periodic lines by bordering: u = P + X (1 - R) with
 * R = A^-1 e. Scratch: wv, rv (n*W), s, xo (W). */
HOT static void tri_lines(size_t n, size_t W, size_t S, const double *restrict e,
                          double *restrict r, const float *restrict g, double theta,
                          int periodic, double *restrict wv, double *restrict rv,
                          double *restrict s, double *restrict xo)
{
    if (!periodic || n < 2) {
        SIMD for (size_t w = 0; w < W; w++) s[w] = e[w];
        for (size_t k = 1; k < n; k++) {
            const float *gp = g + (k - 1) * S;
            const double *ek = e + k * S, *rp = r + (k - 1) * S;
            double *rk = r + k * S, *wp = wv + (k - 1) * W;
            SIMD for (size_t w = 0; w < W; w++)
            {
                double a = theta * (double)gp[w];
                double q = 1.0 / (a + s[w]);
                double aq = a * q;
                wp[w] = q;
                s[w] = ek[w] + aq * s[w];
                rk[w] += aq * rp[w];
            }
        }
        double *rl = r + (n - 1) * S;
        SIMD for (size_t w = 0; w < W; w++) rl[w] /= s[w];
        for (size_t k = n - 1; k-- > 0;) {
            const float *gk = g + k * S;
            double *rk = r + k * S;
            const double *rn = r + (k + 1) * S, *wk = wv + k * W;
            SIMD for (size_t w = 0; w < W; w++) rk[w] =
                (rk[w] + theta * (double)gk[w] * rn[w]) * wk[w];
        }
        return;
    }
    const float *gl = g + (n - 1) * S;
    double *rl = r + (n - 1) * S;
    SIMD for (size_t w = 0; w < W; w++)
    {
        xo[w] = rl[w];
        s[w] = e[w] + theta * (double)gl[w];
        rv[w] = e[w];
    }
    for (size_t k = 1; k + 1 < n; k++) {
        const float *gp = g + (k - 1) * S;
        const double *ek = e + k * S, *rp = r + (k - 1) * S, *vp = rv + (k - 1) * W;
        double *rk = r + k * S, *vk = rv + k * W, *wp = wv + (k - 1) * W;
        SIMD for (size_t w = 0; w < W; w++)
        {
            double a = theta * (double)gp[w];
            double q = 1.0 / (a + s[w]);
            double aq = a * q;
            wp[w] = q;
            s[w] = ek[w] + aq * s[w];
            rk[w] += aq * rp[w];
            vk[w] = ek[w] + aq * vp[w];
        }
    }
    {
        const float *gk = g + (n - 2) * S;
        double *rk = r + (n - 2) * S, *vk = rv + (n - 2) * W, *wk = wv + (n - 2) * W;
        SIMD for (size_t w = 0; w < W; w++)
        {
            double q = 1.0 / (theta * (double)gk[w] + s[w]);
            wk[w] = q;
            rk[w] *= q;
            vk[w] *= q;
        }
    }
    for (size_t k = n - 2; k-- > 0;) {
        const float *gk = g + k * S;
        double *rk = r + k * S, *vk = rv + k * W;
        const double *rn = r + (k + 1) * S, *vn = rv + (k + 1) * W, *wk = wv + k * W;
        SIMD for (size_t w = 0; w < W; w++)
        {
            double a = theta * (double)gk[w];
            rk[w] = (rk[w] + a * rn[w]) * wk[w];
            vk[w] = (vk[w] + a * vn[w]) * wk[w];
        }
    }
    const float *gm = g + (n - 2) * S;
    const double *el = e + (n - 1) * S, *rm = r + (n - 2) * S, *vm = rv + (n - 2) * W;
    SIMD for (size_t w = 0; w < W; w++)
    {
        double am = theta * (double)gm[w], al = theta * (double)gl[w];
        xo[w] = (xo[w] + am * rm[w] + al * r[w]) / (el[w] + am * vm[w] + al * rv[w]);
    }
    for (size_t k = 0; k + 1 < n; k++) {
        double *rk = r + k * S;
        const double *vk = rv + k * W;
        SIMD for (size_t w = 0; w < W; w++) rk[w] += xo[w] * (1.0 - vk[w]);
    }
    SIMD for (size_t w = 0; w < W; w++) rl[w] = xo[w];
}

/* Damped block-Jacobi sweep along x lines (dir 0) or y lines (dir 1) of
 * plane k; like smooth_row. The diagonals and right-hand sides of the plane
 * are set up row by row (vectorised), then the x lines are solved 8 rows at
 * a time through a transposed copy (rows as vector lanes) and the y lines
 * with the columns as lanes. */
HOT static void smooth_plane(const mn_transport *t, const mg_level *L, int lv, int dir,
                             size_t k, double theta, const double *x, double xv,
                             const double *b, double *out)
{
    size_t nx = L->nx, ny = L->ny, nxy = L->nxy;
    double *sc = thread_scratch(t);
    double *E = sc, *R = E + nxy, *wv = R + nxy, *rv = wv + nxy, *s = rv + nxy,
           *xo = s + nx;
    double *dr = xo + nx;
    const double om = MG_OMEGA;
    for (size_t j = 0; j < ny; j++) {
        row_diag(t, L, lv, j, k, 1.0, theta, dr);
        size_t o = (k * ny + j) * nx;
        nbrs n = neighbours(t, L, j, k, x ? x : b);
        double *er = E + j * nx, *rr = R + j * nx;
        const double *br = b + o;
        /* the faces off the line go to the diagonal and the rhs */
        const float *gs = n.gs, *gn = n.gn, *gu = n.gu, *gd = n.gd, *gxr = n.gxr;
        const double *xs = n.xs, *xn = n.xn, *xu = n.xu, *xd = n.xd, *xr = n.xr;
        if (dir == 0) {
            SIMD for (size_t i = 0; i < nx; i++) er[i] =
                dr[i] +
                theta * ((double)gs[i] + (double)gn[i] + (double)gu[i] + (double)gd[i]);
            if (x) {
                SIMD for (size_t i = 0; i < nx; i++) rr[i] =
                    br[i] + theta * ((double)gs[i] * xs[i] + (double)gn[i] * xn[i] +
                                     (double)gu[i] * xu[i] + (double)gd[i] * xd[i]);
            } else {
                SIMD for (size_t i = 0; i < nx; i++) rr[i] = br[i];
            }
        } else {
            SIMD for (size_t i = 1; i < nx - 1; i++) er[i] =
                dr[i] + theta * ((double)gxr[i - 1] + (double)gxr[i] + (double)gu[i] +
                                 (double)gd[i]);
            if (x) {
                SIMD for (size_t i = 1; i < nx - 1; i++) rr[i] =
                    br[i] + theta * ((double)gxr[i - 1] * xr[i - 1] +
                                     (double)gxr[i] * xr[i + 1] +
                                     (double)gu[i] * xu[i] + (double)gd[i] * xd[i]);
            } else {
                SIMD for (size_t i = 1; i < nx - 1; i++) rr[i] = br[i];
            }
            size_t ends[2] = {0, nx - 1};
            for (int e = 0; e < (nx > 1 ? 2 : 1); e++) {
                size_t i = ends[e];
                double gl = i > 0 ? gxr[i - 1] : (L->perx ? gxr[nx - 1] : 0.0f);
                double gr = gxr[i];
                size_t il = i > 0 ? i - 1 : (L->perx ? nx - 1 : i);
                size_t ir = i + 1 < nx ? i + 1 : (L->perx ? 0 : i);
                er[i] = dr[i] + theta * (gl + gr + (double)gu[i] + (double)gd[i]);
                rr[i] =
                    br[i] + (x ? theta * (gl * xr[il] + gr * xr[ir] +
                                          (double)gu[i] * xu[i] + (double)gd[i] * xd[i])
                               : 0.0);
            }
        }
        if (k == 0 && L->gt) {
            const float *gt = L->gt + j * nx;
            for (size_t i = 0; i < nx; i++) {
                er[i] += theta * (double)gt[i];
                if (x)
                    rr[i] += theta * (double)gt[i] * xv;
            }
        }
    }
    if (dir == 0) {
        /* x lines, 8 rows at a time through a transposed copy */
        enum { B = 8 };
        double *te = dr + nx, *tr = te + B * nx;
        float *tg = (float *)(tr + B * nx);
        for (size_t j0 = 0; j0 < ny; j0 += B) {
            size_t W = ny - j0 < B ? ny - j0 : B;
            for (size_t w = 0; w < W; w++) {
                const double *er = E + (j0 + w) * nx, *rr = R + (j0 + w) * nx;
                const float *gr = L->gx + k * nxy + (j0 + w) * nx;
                for (size_t i = 0; i < nx; i++) {
                    te[i * W + w] = er[i];
                    tr[i * W + w] = rr[i];
                    tg[i * W + w] = gr[i];
                }
            }
            tri_lines(nx, W, W, te, tr, tg, theta, L->perx, wv, rv, s, xo);
            for (size_t w = 0; w < W; w++) {
                double *rr = R + (j0 + w) * nx;
                for (size_t i = 0; i < nx; i++)
                    rr[i] = tr[i * W + w];
            }
        }
    } else
        tri_lines(ny, nx, nx, E, R, L->gy + k * nxy, theta, L->pery, wv, rv, s, xo);
    double *yo = out + k * nxy;
    const double *xo0 = x ? x + k * nxy : NULL;
    if (xo0) {
        SIMD for (size_t q = 0; q < nxy; q++) yo[q] = (1.0 - om) * xo0[q] + om * R[q];
    } else {
        SIMD for (size_t q = 0; q < nxy; q++) yo[q] = om * R[q];
    }
}

/* One damped block-Jacobi sweep of a level along lines of direction dir
 * (0 x, 1 y, 2 z); the film is its own block. */
static void smooth_level(mn_transport *t, int lv, int dir, double theta,
                         const double *x, double xv, const double *b, double bv,
                         double *out, double *outv)
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
                smooth_row(t, L, lv, j, theta, x, xv, b, out);
        } else {
#pragma omp for schedule(static)
            for (size_t k = 0; k < L->nz; k++)
                smooth_plane(t, L, lv, dir, k, theta, x, xv, b, out);
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
    traffic(t, L, x ? 48 : 40, MN_TRANSPORT_PASS_SMOOTH, t0);
}

/* Coarse right-hand side: block sums of the fine residual b - (C + theta
 * A) x, computed plane by plane without storing it; the film's residual in
 * *rv. */
static void residual_restrict(mn_transport *t, int lv, double theta, const double *x,
                              double xv, const double *b, double bv, double *rv)
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
        size_t nb = (C->ny + OP_BAND - 1) / OP_BAND;
#pragma omp for schedule(static)
        for (size_t bj = 0; bj < nb; bj++) {
            size_t J0 = bj * OP_BAND, J1 = J0 + OP_BAND < C->ny ? J0 + OP_BAND : C->ny;
            size_t jf0 = J0 << sy, jf1 = (J1 << sy) < F->ny ? J1 << sy : F->ny;
            for (size_t K = 0; K < C->nz; K++) {
                double *cb = C->b + K * C->nxy;
                memset(cb + J0 * C->nx, 0, (J1 - J0) * C->nx * sizeof *cb);
                for (size_t k = K * F->fz; k < (K + 1) * F->fz && k < F->nz; k++)
                    for (size_t j = jf0; j < jf1; j++) {
                        op_row(t, F, lv, j, k, 1.0, theta, x, xv, b, buf,
                               t->rs + (k * F->ny + j) * PL_N);
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
    traffic(t, F, 32, MN_TRANSPORT_PASS_RESTRICT, t0);
    traffic(t, C, 16, MN_TRANSPORT_PASS_RESTRICT, -1);
}

static void prolong_level(mn_transport *t, int lv, double *x)
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

/* Diagonal entry (C + theta A)_cc without the faces, of the coarsest level. */
static double coarsest_diag(const mn_transport *t, const mg_level *B, size_t i,
                            size_t j, size_t k, double theta)
{
    size_t c = (k * B->ny + j) * B->nx + i;
    double m1 = B->m1 ? B->m1[c] : 0.0;
    if (!B->m1) { /* a one-level hierarchy: level 0 itself */
        m1 = (double)t->cap[c] * t->kc[k];
        if (k + 1 == B->nz)
            m1 += t->gbot[j * B->nx + i];
        if (k == 0 && t->cfg.infinite_dose)
            m1 += t->gtop[j * B->nx + i];
    }
    return (double)B->m0[c] + theta * m1;
}

/* A column: the matrix is tridiagonal in the order film, cell 0, ...,
 * cell nz-1. LDL^T without pivoting (symmetric positive definite): chol
 * holds the pivots d (nd) then the multipliers l (nd - 1). */
static void chain_factor(const mn_transport *t, mg_level *B, double theta)
{
    size_t nz = B->nz, nd = B->nd, f = B->gt ? 1 : 0;
    double *d = B->chol, *l = B->chol + nd;
    double *off = l; /* off-diagonals first, overwritten by multipliers */
    for (size_t a = 0; a < nd; a++)
        d[a] = 0;
    if (f) {
        double g = theta * B->gt[0];
        d[0] = t->vehicle_cap + g;
        d[1] += g;
        off[0] = -g;
    }
    for (size_t k = 0; k < nz; k++) {
        d[f + k] += coarsest_diag(t, B, 0, 0, k, theta);
        if (k + 1 < nz) {
            double g = theta * B->gz[k];
            d[f + k] += g;
            d[f + k + 1] += g;
            off[f + k] = -g;
        }
    }
    for (size_t a = 0; a + 1 < nd; a++) {
        double m = off[a] / d[a];
        d[a + 1] -= m * off[a];
        l[a] = m;
    }
    B->chol_theta = theta;
}

static void chain_solve(const mg_level *B, const double *b, double bv, double *x,
                        double *xv)
{
    size_t nd = B->nd, f = B->gt ? 1 : 0;
    const double *d = B->chol, *l = B->chol + nd;
    /* forward: y = L^-1 rhs (in x and *xv, chain order) */
    double prev = f ? bv : b[0];
    if (f)
        *xv = prev;
    else
        x[0] = prev;
    for (size_t a = 1; a < nd; a++) {
        double y = b[a - f] - l[a - 1] * prev;
        x[a - f] = y;
        prev = y;
    }
    /* backward: D^-1 then L^-T */
    double next = x[nd - 1 - f] / d[nd - 1];
    x[nd - 1 - f] = next;
    for (size_t a = nd - 1; a-- > 0;) {
        double *ya = a < f ? xv : &x[a - f];
        next = *ya / d[a] - l[a] * next;
        *ya = next;
    }
    if (!f)
        *xv = 0.0;
}

/* The coarsest level's matrix C + theta A, Cholesky-factored in place of
 * B->chol. Cells are numbered (k ny + j) nx + i, so every coupling of two
 * cells is at most bw = nx ny apart: the factor keeps that band (fill stays
 * inside it), stored by rows, L[a][a - d] at band[a (bw + 1) + d]. The film
 * (coupled to the top plane) is the last unknown, a dense last row (the
 * arrow) after the band: n (bw + 1) + nd numbers, O(n bw^2) work, not the
 * O(nd^3) of a dense factor (this is done at every new step size). */
static void band_add(mg_level *B, size_t r, size_t q, double v)
{
    size_t n = B->n, bw = coarsest_bw(B);
    double *band = B->chol, *last = B->chol + n * (bw + 1);
    if (r == n || q == n)
        last[r == n ? q : r] += v; /* last row, and its corner */
    else if (r >= q)
        band[r * (bw + 1) + (r - q)] += v;
}

static void coarsest_factor(mn_transport *t, mg_level *B, double theta)
{
    size_t n = B->n, nd = B->nd, bw = coarsest_bw(B), w = bw + 1;
    double *band = B->chol, *last = B->chol + n * w;
    memset(B->chol, 0, (n * w + nd) * sizeof *B->chol);
    for (size_t k = 0; k < B->nz; k++)
        for (size_t j = 0; j < B->ny; j++)
            for (size_t i = 0; i < B->nx; i++) {
                size_t c = (k * B->ny + j) * B->nx + i;
                band_add(B, c, c, coarsest_diag(t, B, i, j, k, theta));
                size_t nb[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
                if (i + 1 < B->nx || B->perx)
                    nb[0] = (k * B->ny + j) * B->nx + (i + 1) % B->nx;
                if (j + 1 < B->ny || B->pery)
                    nb[1] = (k * B->ny + (j + 1) % B->ny) * B->nx + i;
                if (k + 1 < B->nz)
                    nb[2] = ((k + 1) * B->ny + j) * B->nx + i;
                double g[3] = {B->gx[c], B->gy[c], B->gz[c]};
                for (int d = 0; d < 3; d++) {
                    if (nb[d] == SIZE_MAX || nb[d] == c || g[d] == 0)
                        continue;
                    double a = theta * g[d];
                    band_add(B, c, c, a);
                    band_add(B, nb[d], nb[d], a);
                    band_add(B, c > nb[d] ? c : nb[d], c > nb[d] ? nb[d] : c, -a);
                }
                if (k == 0 && B->gt) {
                    double a = theta * B->gt[j * B->nx + i];
                    band_add(B, c, c, a);
                    band_add(B, n, n, a);
                    band_add(B, n, c, -a);
                }
            }
    if (B->gt)
        band_add(B, n, n, t->vehicle_cap);
    /* In place: row a of the band, then the last row's entry a. */
    for (size_t a = 0; a < n; a++) {
        size_t q0 = a > bw ? a - bw : 0;
        double *ra = band + a * w; /* ra[a - q] = L[a][q] */
        double d = ra[0];
        for (size_t q = q0; q < a; q++)
            d -= ra[a - q] * ra[a - q];
        d = d > 0 ? sqrt(d) : 1e-300;
        ra[0] = d;
        size_t r1 = a + bw < n ? a + bw : n - 1;
        for (size_t r = a + 1; r <= r1; r++) {
            double *rr = band + r * w;
            size_t p0 = r > bw ? r - bw : 0; /* both rows nonzero from here */
            double sum = rr[r - a];
            for (size_t q = p0; q < a; q++)
                sum -= rr[r - q] * ra[a - q];
            rr[r - a] = sum / d;
        }
        if (nd > n) {
            double sum = last[a];
            for (size_t q = q0; q < a; q++)
                sum -= last[q] * ra[a - q];
            last[a] = sum / d;
        }
    }
    if (nd > n) {
        double d = last[n];
        for (size_t q = 0; q < n; q++)
            d -= last[q] * last[q];
        last[n] = d > 0 ? sqrt(d) : 1e-300;
    }
    B->chol_theta = theta;
}

static void coarsest_solve(mn_transport *t, int lv, double theta, const double *b,
                           double bv, double *x, double *xv)
{
    mg_level *B = &t->lev[lv];
    if (is_chain(B)) {
        if (B->chol_theta != theta)
            chain_factor(t, B, theta);
        chain_solve(B, b, bv, x, xv);
        return;
    }
    if (B->chol_theta != theta)
        coarsest_factor(t, B, theta);
    size_t n = B->n, nd = B->nd, bw = coarsest_bw(B), w = bw + 1;
    const double *band = B->chol, *last = B->chol + n * w;
    double *y = thread_scratch(t); /* nd numbers */
    /* L y = b */
    for (size_t a = 0; a < n; a++) {
        const double *ra = band + a * w;
        double sum = b[a];
        for (size_t q = a > bw ? a - bw : 0; q < a; q++)
            sum -= ra[a - q] * y[q];
        y[a] = sum / ra[0];
    }
    if (nd > n) {
        double sum = bv;
        for (size_t q = 0; q < n; q++)
            sum -= last[q] * y[q];
        y[n] = sum / last[n];
    }
    /* L^T x = y, by columns: row a of L is column a of L^T */
    if (nd > n) {
        y[n] /= last[n];
        for (size_t q = 0; q < n; q++)
            y[q] -= last[q] * y[n];
    }
    for (size_t a = n; a-- > 0;) {
        const double *ra = band + a * w;
        y[a] /= ra[0];
        for (size_t q = a > bw ? a - bw : 0; q < a; q++)
            y[q] -= ra[a - q] * y[a];
    }
    memcpy(x, y, n * sizeof *x);
    *xv = nd > n ? y[n] : 0.0;
}

/* One V-cycle: x ~ (C + theta A)^-1 b on level lv. *xp and *wp may be
 * swapped (the result is in *xp). */
static void vcycle(mn_transport *t, int lv, double theta, const double *b, double bv,
                   double **xp, double *xv, double **wp)
{
    if (lv == t->nlev - 1) {
        coarsest_solve(t, lv, theta, b, bv, *xp, xv);
        return;
    }
    mg_level *C = &t->lev[lv + 1];
    double rv;
    /* pre-smoothing: depth columns (from zero), then (all_lines) x lines
     * and y lines; the post-smoothing runs the same sweeps in reverse
     * order, so the cycle is a symmetric preconditioner. */
    static const int pre[3] = {2, 0, 1};
    const int ns = t->cfg.all_lines ? 3 : 1;
    smooth_level(t, lv, pre[0], theta, NULL, 0, b, bv, *xp, xv);
    for (int s = 1; s < ns; s++) {
        double nv0;
        smooth_level(t, lv, pre[s], theta, *xp, *xv, b, bv, *wp, &nv0);
        double *sw0 = *xp;
        *xp = *wp;
        *wp = sw0;
        *xv = nv0;
    }
    residual_restrict(t, lv, theta, *xp, *xv, b, bv, &rv);
    C->bv = rv;
    vcycle(t, lv + 1, theta, C->b, C->bv, &C->x, &C->xv, &C->w);
    prolong_level(t, lv, *xp);
    *xv += C->xv;
    for (int s = ns - 1; s >= 0; s--) {
        double nv;
        smooth_level(t, lv, pre[s], theta, *xp, *xv, b, bv, *wp, &nv);
        double *sw = *xp;
        *xp = *wp;
        *wp = sw;
        *xv = nv;
    }
}

/* ---- conjugate gradients ------------------------------------------------------- */

static double dot0(mn_transport *t, const double *a, const double *b)
{
    const double t0 = pass_clock();
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        const double *x = a + k * t->nxy, *y = b + k * t->nxy;
        double s = 0;
        for (size_t q = 0; q < t->nxy; q++)
            s += x[q] * y[q];
        t->pl[k * PL_N + PL_F] = s;
    }
    traffic(t, &t->lev[0], 16, MN_TRANSPORT_PASS_VECTOR, t0);
    return plane_total(t, PL_F);
}

/* x += alpha p, r -= alpha q; returns |r|_1. */
static double axpy2(mn_transport *t, double alpha, double *x, const double *p,
                    double *r, const double *qv)
{
    const double t0 = pass_clock();
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel num_threads(nth)
    {
        FTZ_ON(csr);
#pragma omp for schedule(static)
        for (size_t k = 0; k < t->nz; k++) {
            size_t o = k * t->nxy;
            double s = 0;
            SIMD for (size_t q = 0; q < t->nxy; q++)
            {
                x[o + q] += alpha * p[o + q];
                r[o + q] -= alpha * qv[o + q];
            }
            for (size_t q = 0; q < t->nxy; q++)
                s += fabs(r[o + q]);
            t->pl[k * PL_N + PL_F] = s;
        }
        FTZ_OFF(csr);
    }
    traffic(t, &t->lev[0], 48, MN_TRANSPORT_PASS_VECTOR, t0);
    return plane_total(t, PL_F);
}

/* x *= f. */
static void scale0(mn_transport *t, double f, double *x)
{
    const double t0 = pass_clock();
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        size_t o = k * t->nxy;
        SIMD for (size_t q = 0; q < t->nxy; q++) x[o + q] *= f;
    }
    traffic(t, &t->lev[0], 16, MN_TRANSPORT_PASS_VECTOR, t0);
}

/* p = z + beta p. */
static void xpby(mn_transport *t, const double *z, double beta, double *p)
{
    const double t0 = pass_clock();
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        size_t o = k * t->nxy;
        SIMD for (size_t q = 0; q < t->nxy; q++) p[o + q] = z[o + q] + beta * p[o + q];
    }
    traffic(t, &t->lev[0], 24, MN_TRANSPORT_PASS_VECTOR, t0);
}

/* Solve (C + theta A) u = b (b, bv in t->b, t->bv) from the guess in t->u,
 * to |residual|_1 <= tol. */
mn_status mn_tr_cg_solve(mn_transport *t, double theta, double tol, mn_error *err)
{
    double res;
    int restarts = 0;
    t->solves++;
    mg_level *L0 = &t->lev[0];
    for (;;) {
        op_sums s =
            mn_tr_op_level(t, 0, 1.0, theta, t->u, t->uv, t->b, t->bv, t->r, &t->rv);
        res = s.abs;
        if (res <= tol) {
            /* Mass projection: scale the solution by 1 + c so that the
             * residual sums to zero, i.e. the step conserves mass to
             * rounding; |c| is of the order of the tolerance. */
            double c = s.diagx != 0 ? s.sum / s.diagx : 0.0;
            if (c != 0 && fabs(c) < 1e-6) {
                scale0(t, 1.0 + c, t->u);
                t->uv *= 1.0 + c;
                if (fabs(c) > t->max_fix)
                    t->max_fix = fabs(c);
            }
            return MN_OK;
        }
        if (restarts++ > 3)
            break;
        vcycle(t, 0, theta, t->r, t->rv, &t->z, &t->zv, &t->w);
        double rho = dot0(t, t->r, t->z) + (L0->gt ? t->rv * t->zv : 0.0);
        const double t0 = pass_clock();
        memcpy(t->p, t->z, t->n * sizeof *t->p);
        traffic(t, L0, 24, MN_TRANSPORT_PASS_VECTOR, t0);
        t->pv = t->zv;
        int it;
        for (it = 0; it < CG_MAXIT; it++) {
            t->iterations++;
            op_sums pq =
                mn_tr_op_level(t, 0, 1.0, theta, t->p, t->pv, NULL, 0, t->q, &t->qv);
            if (!(pq.dot > 0))
                break;
            double alpha = rho / pq.dot;
            res = axpy2(t, alpha, t->u, t->p, t->r, t->q);
            if (L0->gt) {
                t->uv += alpha * t->pv;
                t->rv -= alpha * t->qv;
                res += fabs(t->rv);
            }
            if (!isfinite(res))
                return mn_error_set(err, MN_ENUMERIC, "transport: the solver diverged");
            if (res <= tol)
                break;
            vcycle(t, 0, theta, t->r, t->rv, &t->z, &t->zv, &t->w);
            double rn = dot0(t, t->r, t->z) + (L0->gt ? t->rv * t->zv : 0.0);
            double beta = rn / rho;
            rho = rn;
            xpby(t, t->z, beta, t->p);
            t->pv = t->zv + beta * t->pv;
        }
        if (it == CG_MAXIT)
            break;
        /* loop: check the true residual */
    }
    return mn_error_set(
        err, MN_ENUMERIC,
        "transport: the solver did not converge (residual %.3g of %.3g)", res, tol);
}
