/* The transport solver's linear solve (floor: model; docs/model.md,
 * "Transport through the channels", Numerics): the aggregation multigrid
 * hierarchy, the exact solve on its coarsest level, the V-cycle and the
 * conjugate gradients it preconditions. The passes over one level
 * (operator, smoothers, transfers) are in transport_level.c. */
#include "transport_solve.h"

#include "transport_grid.h"
#include "transport_level.h"

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
        if (!t->owner) /* a window's are its owner's pool */
            mn_tr_free64(L->own), mn_tr_free64(L->x), mn_tr_free64(L->b),
                mn_tr_free64(L->w);
        free(L->chol);
    }
    free(t->lev[0].chol);
    memset(t->lev, 0, sizeof t->lev);
    t->nlev = 0;
}

/* Cells (n) and plane cells (nxy) of level l of a grid of nx x ny x nz,
 * coarsened as mn_tr_mg_build does (2 cells per block where a level has
 * more than one). */
static void level_size(size_t nx, size_t ny, size_t nz, int l, size_t *n, size_t *nxy)
{
    for (int i = 0; i < l; i++) {
        nx = nx > 1 ? (nx + 1) / 2 : 1;
        ny = ny > 1 ? (ny + 1) / 2 : 1;
        nz = nz > 1 ? (nz + 1) / 2 : 1;
    }
    *n = nx * ny * nz, *nxy = nx * ny;
}

/* The arrays of coarse level l (C's sizes set): the solver's own; a
 * window's from its owner's pool, allocated once at the size of the
 * owner's grid's level l (a window's level is never larger: its sides
 * are not longer). The system clears a page once, not again for every
 * wider window (before this, each window's new levels took a sixth of
 * its set-up). */
static int level_arrays(mn_transport *t, int l, mg_level *C)
{
    const size_t n = C->n;
    if (!t->owner) {
        C->stride = n;
        C->own = mn_tr_alloc64(5 * n + C->nxy, sizeof(float));
        C->x = mn_tr_alloc64(n, sizeof(double));
        C->b = mn_tr_alloc64(n, sizeof(double));
        C->w = mn_tr_alloc64(n, sizeof(double));
        return C->own && C->x && C->b && C->w ? 0 : -1;
    }
    mn_transport *o = t->owner;
    size_t pn, pxy;
    level_size(o->nx, o->ny, o->nz, l, &pn, &pxy);
    if (n > pn || C->nxy > pxy)
        return -1;
    void **a = o->mgpool[l];
    if (!a[0] && !(a[0] = mn_tr_alloc64(5 * pn + pxy, sizeof(float))))
        return -1;
    for (int i = 1; i < 4; i++)
        if (!a[i] && !(a[i] = mn_tr_alloc64(pn, sizeof(double))))
            return -1;
    C->own = a[0], C->x = a[1], C->b = a[2], C->w = a[3];
    C->stride = pn; /* where each array starts does not move with n */
    return 0;
}

/* The first plane of coarse level l that must be built again when t's
 * hierarchy replaces old's, whose fine planes before k0 are t's (a window
 * grown in depth only, in the same pool): 0 when nothing can be kept. */
static size_t first_changed(const mn_transport *t, const mn_transport *old, int l,
                            const mg_level *C, size_t k0)
{
    for (int i = 0; i < l; i++)
        k0 /= t->lev[i].fz;
    if (!old || l >= old->nlev)
        return 0;
    const mg_level *O = &old->lev[l];
    if (O->own != C->own || O->stride != C->stride || O->nx != C->nx ||
        O->ny != C->ny || O->nz > C->nz)
        return 0;
    for (int i = 0; i < l; i++)
        if (old->lev[i].fx != t->lev[i].fx || old->lev[i].fy != t->lev[i].fy ||
            old->lev[i].fz != t->lev[i].fz)
            return 0;
    return k0;
}

/* Build the coarse levels from the current coefficients: blocks of 2 cells
 * in every direction with more than one cell; each coarse equation is the
 * sum of the fine equations of its block. */
mn_status mn_tr_mg_build(mn_transport *t)
{
    return mn_tr_mg_build_from(t, NULL);
}

mn_status mn_tr_mg_build_from(mn_transport *t, const mn_transport *old)
{
    /* old's hierarchy is kept where t's fine planes are old's: all but
     * its last plane (whose bottom faces change), with the same
     * coefficients (channels as open) */
    size_t k0 = 0;
    if (old && old->nlev > 1 && old->owner && old->owner == t->owner &&
        old->built_open == t->open && old->nx == t->nx && old->ny == t->ny &&
        old->nz <= t->nz)
        k0 = old->nz - 1;
    mn_tr_mg_free(t);
    t->mg_kept = 0;
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
        t->nlev++;
        if (level_arrays(t, t->nlev - 1, C) != 0)
            return MN_ENOMEM;
        const size_t sd = C->stride, K0 = first_changed(t, old, t->nlev - 1, C, k0);
        float *m0 = C->own, *m1 = m0 + sd, *gx = m1 + sd, *gy = gx + sd, *gz = gy + sd,
              *gt = gz + sd;
        for (int a = 0; a < 5; a++)
            memset(C->own + a * sd + K0 * C->nxy, 0, (n - K0 * C->nxy) * sizeof(float));
        if (K0 == 0)
            memset(gt, 0, C->nxy * sizeof(float));
        t->mg_kept += K0 * C->nxy;
        int lv = t->nlev - 2;
        const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
        (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t K = K0; K < C->nz; K++)
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
                        if (k == 0 && coupled && K0 == 0)
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

void mn_tr_invalidate_factor(mn_transport *t)
{
    if (t->nlev > 0)
        t->lev[t->nlev - 1].chol_theta = NAN;
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
 * swapped (the result is in *xp). bdot non-NULL: b . x too, summed by the
 * last sweep. */
static void vcycle(mn_transport *t, int lv, double theta, const double *b, double bv,
                   double **xp, double *xv, double **wp, double *bdot)
{
    if (lv == t->nlev - 1) {
        coarsest_solve(t, lv, theta, b, bv, *xp, xv);
        if (bdot) { /* a one-level hierarchy: small, in order */
            const mg_level *B = &t->lev[lv];
            double d = 0;
            for (size_t q = 0; q < B->n; q++)
                d += b[q] * (*xp)[q];
            *bdot = d + (B->gt ? bv * *xv : 0.0);
        }
        return;
    }
    mg_level *C = &t->lev[lv + 1];
    double rv;
    /* pre-smoothing: depth columns (from zero), then (all_lines) x lines
     * and y lines; the post-smoothing runs the same sweeps in reverse
     * order, so the cycle is a symmetric preconditioner. */
    static const int pre[3] = {2, 0, 1};
    const int ns = t->cfg.all_lines ? 3 : 1;
    mn_tr_smooth_level(t, lv, pre[0], theta, NULL, 0, b, bv, *xp, xv, NULL);
    for (int s = 1; s < ns; s++) {
        double nv0;
        mn_tr_smooth_level(t, lv, pre[s], theta, *xp, *xv, b, bv, *wp, &nv0, NULL);
        double *sw0 = *xp;
        *xp = *wp;
        *wp = sw0;
        *xv = nv0;
    }
    mn_tr_residual_restrict(t, lv, theta, *xp, *xv, b, bv, ns == 1, &rv);
    C->bv = rv;
    vcycle(t, lv + 1, theta, C->b, C->bv, &C->x, &C->xv, &C->w, NULL);
    mn_tr_prolong_level(t, lv, *xp);
    *xv += C->xv;
    for (int s = ns - 1; s >= 0; s--) {
        double nv;
        mn_tr_smooth_level(t, lv, pre[s], theta, *xp, *xv, b, bv, *wp, &nv,
                           s == 0 ? bdot : NULL);
        double *sw = *xp;
        *xp = *wp;
        *wp = sw;
        *xv = nv;
    }
}

/* ---- conjugate gradients ------------------------------------------------------- */

/* axpy2 on one plane of n cells: its |r|_1, sum r and largest |p| into pl
 * (one pass, vector lanes: the sums' order is fixed by the plane, not by
 * the thread that takes it). */
HOT static void axpy2_plane(size_t n, double alpha, double *restrict x,
                            const double *restrict p, double *restrict r,
                            const double *restrict qv, double *pl)
{
    double s = 0, g = 0, m = 0;
    MN_PRAGMA(omp simd reduction(+ : s, g) reduction(max : m))
    for (size_t q = 0; q < n; q++) {
        x[q] += alpha * p[q];
        double v = r[q] - alpha * qv[q];
        r[q] = v;
        s += fabs(v);
        g += v;
        double a = fabs(p[q]);
        m = a > m ? a : m;
    }
    pl[PL_F] = s, pl[PL_G] = g, pl[PL_H] = m;
}

/* x += alpha p, r -= alpha q; returns |r|_1 (the plain sum of r in the
 * planes' PL_G, the largest |p| in their PL_H: p is read anyway). */
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
            axpy2_plane(t->nxy, alpha, x + o, p + o, r + o, qv + o, t->pl + k * PL_N);
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

/* Mass projection: scale the solution by 1 + c so that the residual sums to
 * zero, i.e. the step conserves mass to rounding (sum: the residual's sum,
 * rowsum: 1^T (C + theta A) u); |c| is of the order of the tolerance (up to
 * 1e-4 when the tolerance follows an accuracy: 1e-2 bounds it). */
static void project(mn_transport *t, double sum, double rowsum)
{
    double c = rowsum != 0 ? sum / rowsum : 0.0;
    double cmax = t->cfg.accuracy > 0 ? 1e-2 : 1e-6;
    if (c != 0 && fabs(c) < cmax) {
        scale0(t, 1.0 + c, t->u);
        t->uv *= 1.0 + c;
        if (fabs(c) > t->max_fix)
            t->max_fix = fabs(c);
    }
}

double mn_tr_vcycle_scaled(mn_transport *t, double theta, double *xv)
{
    double rho;
    vcycle(t, 0, theta, t->b, t->bv, &t->z, &t->zv, &t->w, &rho);
    op_sums zq = mn_tr_op_level(t, 0, 1.0, theta, t->z, t->zv, NULL, 0, t->q, &t->qv);
    double alpha = zq.dot > 0 ? rho / zq.dot : 0.0;
    *xv = alpha * t->zv;
    return alpha;
}

/* The error a solve leaves when it stops after a correction of largest
 * value corr, the one before it last (0: none): the corrections still to
 * come, corr r / (1 - r) for a contraction r = corr / last per iteration,
 * counted twice (conjugate gradients do not contract the largest value
 * evenly; at once, the solves' noise reached the windows' walls on the
 * held surface and voided steps). Without a contraction below 1/2 to go
 * by, the correction itself, as before (docs/model.md, "Accuracy"). */
static double error_left(double corr, double last)
{
    double r = last > 0 ? corr / last : 1.0;
    return r < 0.5 ? 2.0 * corr * r / (1.0 - r) : corr;
}

/* Solve (C + theta A) u = b (b, bv in t->b, t->bv) from the guess in t->u
 * (transport_solve.h). */
mn_status mn_tr_cg_solve(mn_transport *t, double theta, const mn_tr_tols *tols,
                         mn_error *err)
{
    const double tol = tols->res, step_tol = tols->step;
    double res;
    int restarts = 0;
    t->solves++;
    mg_level *L0 = &t->lev[0];
    for (;;) {
        op_sums s =
            mn_tr_op_level(t, 0, 1.0, theta, t->u, t->uv, t->b, t->bv, t->r, &t->rv);
        res = s.abs;
        if (res <= tol) {
            project(t, s.sum, s.diagx);
            return MN_OK;
        }
        if (restarts++ > 3)
            break;
        double rho;
        vcycle(t, 0, theta, t->r, t->rv, &t->z, &t->zv, &t->w, &rho);
        /* p = z: the vectors trade places (z is overwritten next) */
        double *sw = t->p;
        t->p = t->z, t->z = sw;
        t->pv = t->zv;
        int it;
        double last_corr = 0;
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
            if (step_tol > 0) {
                /* the last corrections bound the error left (error_left);
                 * the updated residual, used for the mass projection, is
                 * the true one to far below the tolerance (they drift
                 * apart by rounding only): no operator pass to check it */
                double pm = plane_max(t, PL_H);
                if (L0->gt && fabs(t->pv) > pm)
                    pm = fabs(t->pv);
                double sum = plane_total(t, PL_G) + (L0->gt ? t->rv : 0.0);
                const double corr = fabs(alpha) * pm;
                if (error_left(corr, last_corr) <= step_tol &&
                    fabs(sum) <= tols->mass) {
                    project(t, sum, mn_tr_row_sum(t, theta, t->u, t->uv));
                    return MN_OK;
                }
                last_corr = corr;
                if (res <= 0) /* solved exactly */
                    break;
            } else if (res <= tol)
                break;
            double rn;
            vcycle(t, 0, theta, t->r, t->rv, &t->z, &t->zv, &t->w, &rn);
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

/* The solves' relative tolerance when the steps follow an accuracy: a
 * hundredth of the local error a step may make (docs/model.md, "Accuracy";
 * on the benchmark's questions the error reached does not move between
 * 1e-3 and 1e-5 of it, so 1e-2 leaves a margin), times the smallest cell's
 * capacity over the mean one (what the windows' front is measured with;
 * the stage solves use eps without it, in their own measure:
 * transport_step.c, solve_tolerances). */
double mn_tr_solve_tolerance(const mn_transport *t)
{
    if (!(t->cfg.accuracy > 0))
        return t->tol;
    return ACC_SOLVE * ACC_LOCAL * t->cfg.accuracy * t->cap_ratio;
}
