/* Rows of a multigrid level (floor: model, not installed): the diagonal
 * and the neighbour rows of row (j, k), shared by the passes over a level
 * (transport_level.c) and the line smoothers (transport_lines.c), and the
 * tridiagonal elimination both use; inline, since the passes call them
 * once per row. */
#ifndef MNSIM_TRANSPORT_ROWS_H
#define MNSIM_TRANSPORT_ROWS_H

#include "transport_state.h"

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

/* Series elimination of tridiagonal systems, W lanes side by side (the
 * depth columns of transport_level.c's sweep, the lines of
 * transport_lines.c). Forward step to cell k: a = theta g the face to
 * cell k-1, s the pivot of k-1 (overwritten by k's), q = 1 / (a + s) kept
 * for the back substitution, r (cell k's right-hand side) += a q r_prev.
 * Cancellation free: every pivot is a sum of positive terms. W lanes of
 * each pointer, not overlapping. */
static inline void tri_forward(size_t W, double theta, const float *restrict g,
                               const double *restrict e, const double *restrict rp,
                               double *restrict r, double *restrict q,
                               double *restrict s)
{
    SIMD for (size_t w = 0; w < W; w++)
    {
        double a = theta * (double)g[w];
        double qw = 1.0 / (a + s[w]);
        double aq = a * qw;
        q[w] = qw;
        s[w] = e[w] + aq * s[w];
        r[w] += aq * rp[w];
    }
}

/* Back substitution to cell k from k+1 (solution rn): r = (r + theta g rn) q,
 * g the face between them, q what tri_forward kept for k+1's step. */
static inline void tri_back(size_t W, double theta, const float *restrict g,
                            const double *restrict rn, const double *restrict q,
                            double *restrict r)
{
    SIMD for (size_t w = 0; w < W; w++) r[w] =
        (r[w] + theta * (double)g[w] * rn[w]) * q[w];
}

#endif
