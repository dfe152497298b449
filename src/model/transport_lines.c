/* Line smoothers of a multigrid level along x and y (floor: model;
 * docs/model.md, "Transport through the channels", Numerics): damped
 * block-Jacobi sweeps whose blocks are the lines of a plane, for media
 * whose lateral couplings are as strong as the depth ones (line smoothing
 * in all directions); the depth sweep, which every level uses, is in
 * transport_level.c. */
#include "transport_level.h"
#include "transport_rows.h"

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
        for (size_t k = 1; k < n; k++)
            tri_forward(W, theta, g + (k - 1) * S, e + k * S, r + (k - 1) * S,
                        r + k * S, wv + (k - 1) * W, s);
        double *rl = r + (n - 1) * S;
        SIMD for (size_t w = 0; w < W; w++) rl[w] /= s[w];
        for (size_t k = n - 1; k-- > 0;)
            tri_back(W, theta, g + k * S, r + (k + 1) * S, wv + k * W, r + k * S);
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
        const double *ek = e + k * S, *vp = rv + (k - 1) * W;
        double *vk = rv + k * W, *wp = wv + (k - 1) * W;
        tri_forward(W, theta, gp, ek, r + (k - 1) * S, r + k * S, wp, s);
        /* the bordering column takes the same step (a q as tri_forward's) */
        SIMD for (size_t w = 0; w < W; w++) vk[w] =
            ek[w] + theta * (double)gp[w] * wp[w] * vp[w];
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
 * plane k; like the depth sweep (transport_level.c). The diagonals and right-hand sides
 * of the plane are set up row by row (vectorised), then the x lines are solved 8 rows
 * at a time through a transposed copy (rows as vector lanes) and the y lines with the
 * columns as lanes. */
HOT void mn_tr_smooth_plane(const mn_transport *t, const mg_level *L, int lv, int dir,
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
