/* RODAS3 for the healing model (floor: model; see healing_fast.h and
 * docs/model.md, "Integration"). Why a method of our own: GSL's msbdf is
 * general (allocation per driver, a dense LU of the 14 x 14 iteration
 * matrix, steps shortened to land on every output point); this system is
 * small, its Jacobian is analytic and block lower triangular, and its
 * outputs (daily rows, hourly recovery markers) can be interpolated. */
#include "healing_fast.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

/* The order in which the states' equations depend only on states before
 * them, except growth factor and fibroblasts, which feed each other (a 2x2
 * block, solved by Cramer's rule). */
static const int ORDER[NS] = {B, D, Y, I, M, T, F, P, G, C3, C1, R, E, K};
enum { BLOCK_AT = 5 }; /* ORDER[5] = T, ORDER[6] = F */

/* RODAS3 (Sandu, Verwer, Blom, Spee, Carmichael, Potra 1997, Atmos. Environ.
 * 31:3459; the tableau as in KPP's Rosenbrock integrators), autonomous
 * form, gamma = 1/2. Stages K_i solve (I/(gamma h) - J) K_i = f(Y_i) +
 * sum_j C_ij / h K_j with Y_i = y + sum_j A_ij K_j; y_new = y + 2 K1 + K3 +
 * K4 (third order, stiffly accurate), error estimate K4 (against the
 * second-order y + 2 K1 + K3). */
#define ROS_GAMMA 0.5
#define ROS_C21 4.0
#define ROS_C31 1.0
#define ROS_C32 (-1.0)
#define ROS_C41 1.0
#define ROS_C42 (-1.0)
#define ROS_C43 (-8.0 / 3.0)

/* What solve needs of the iteration matrix W = I/(gamma h) - J besides J
 * (mn_heal__ros_w): the inverted diagonal and the inverse of the 2x2
 * block. */
typedef mn_heal__ros_w wmat;

/* Where J may be other than zero off the diagonal, row by row in ORDER, -1
 * ending each row (healing_ode.c's couplings; T <-> F apart). */
static const signed char PATTERN[] = {
    -1,                 /* B */
    -1,                 /* D */
    D,  -1,             /* Y */
    D,  -1,             /* I */
    I,  D,  -1,         /* M */
    M,  -1,             /* T (and F, in the block) */
    I,  -1,             /* F (and T, in the block) */
    I,  F,  -1,         /* P */
    F,  I,  -1,         /* G */
    I,  F,  G,  P,  -1, /* C3 */
    I,  F,  G,  P,  -1, /* C1 */
    I,  G,  -1,         /* R */
    R,  P,  -1,         /* E */
    F,  G,  C1, C3, -1, /* K */
};

/* 1 when every entry of J off the diagonal that is not zero is in
 * PATTERN or the block: what the forward substitution assumes. */
static int pattern_holds(const double *J)
{
    unsigned char allowed[NS * NS] = {0};
    const signed char *p = PATTERN;
    for (int a = 0; a < NS; a++, p++)
        for (; *p >= 0; p++)
            allowed[ORDER[a] * NS + *p] = 1;
    allowed[T * NS + F] = allowed[F * NS + T] = 1;
    for (int i = 0; i < NS; i++)
        for (int j = 0; j < NS; j++)
            if (i != j && J[i * NS + j] != 0 && !allowed[i * NS + j])
                return 0;
    return 1;
}

static int make_w(const double *J, double h, wmat *m)
{
    double g = 1.0 / (ROS_GAMMA * h);
    for (int i = 0; i < NS; i++)
        m->inv_diag[i] = 1.0 / (g - J[i * NS + i]);
    double a = g - J[T * NS + T], b = -J[T * NS + F];
    double c = -J[F * NS + T], d = g - J[F * NS + F];
    double det = a * d - b * c;
    if (!(fabs(det) > 0) || !isfinite(det))
        return 0;
    m->blk[0] = d / det;
    m->blk[1] = -b / det;
    m->blk[2] = -c / det;
    m->blk[3] = a / det;
    for (int i = 0; i < NS; i++)
        if (!isfinite(m->inv_diag[i]))
            return 0;
    return 1;
}

/* x = W^-1 b by forward substitution in ORDER, written out for PATTERN
 * (x and b may not alias): W = g I - J, so row i reads
 * (g - J_ii) x_i - sum_j J_ij x_j = b_i. */
static void solve(const double *J, const wmat *m, const double *b, double *x)
{
#define JV(i, j) J[(i)*NS + (j)]
    const double *id = m->inv_diag;
    x[B] = b[B] * id[B];
    x[D] = b[D] * id[D];
    x[Y] = (b[Y] + JV(Y, D) * x[D]) * id[Y];
    x[I] = (b[I] + JV(I, D) * x[D]) * id[I];
    x[M] = (b[M] + JV(M, I) * x[I] + JV(M, D) * x[D]) * id[M];
    double st = b[T] + JV(T, M) * x[M];
    double sf = b[F] + JV(F, I) * x[I];
    x[T] = m->blk[0] * st + m->blk[1] * sf;
    x[F] = m->blk[2] * st + m->blk[3] * sf;
    x[P] = (b[P] + JV(P, I) * x[I] + JV(P, F) * x[F]) * id[P];
    x[G] = (b[G] + JV(G, F) * x[F] + JV(G, I) * x[I]) * id[G];
    x[C3] = (b[C3] + JV(C3, I) * x[I] + JV(C3, F) * x[F] + JV(C3, G) * x[G] +
             JV(C3, P) * x[P]) *
            id[C3];
    x[C1] = (b[C1] + JV(C1, I) * x[I] + JV(C1, F) * x[F] + JV(C1, G) * x[G] +
             JV(C1, P) * x[P]) *
            id[C1];
    x[R] = (b[R] + JV(R, I) * x[I] + JV(R, G) * x[G]) * id[R];
    x[E] = (b[E] + JV(E, R) * x[R] + JV(E, P) * x[P]) * id[E];
    x[K] = (b[K] + JV(K, F) * x[F] + JV(K, G) * x[G] + JV(K, C1) * x[C1] +
            JV(K, C3) * x[C3]) *
           id[K];
#undef JV
}

static int rhs(mn_heal__ros *r, const double *y, double *f)
{
    return mn_heal__ode_rhs(0, y, f, &r->ctx);
}

/* The Jacobian at (t, y). Entries that are not
 * finite show in the step's error, which rejects the step. */
static void jacobian(mn_heal__ros *r)
{
    double dfdt[NS];
    mn_heal__ode_jac(r->t, r->y, r->jac, dfdt, &r->ctx);
    r->jac_ok = 1;
}

int mn_heal__ros_start(mn_heal__ros *r, const ode_ctx *ctx, double t, const double y[],
                       double h0, double rtol, double atol)
{
    memset(r, 0, sizeof *r);
    r->ctx = *ctx;
    r->rtol = rtol;
    r->atol = atol;
    r->t = r->t0 = t;
    r->h = h0;
    memcpy(r->y, y, sizeof r->y);
    memcpy(r->y0, y, sizeof r->y0);
    int st = rhs(r, r->y, r->f);
    if (st != GSL_SUCCESS)
        return st;
    memcpy(r->f0, r->f, sizeof r->f0);
    jacobian(r);
    /* Checked once per piece (the couplings are the model's, not the
     * state's): a Jacobian outside the pattern would be solved wrongly. */
    return pattern_holds(r->jac) ? GSL_SUCCESS : GSL_EFAILED;
}

/* One trial step of size h from (t, y): ynew and the scaled RMS error, or a
 * non-success status when a stage's rate is not finite. */
static int trial(mn_heal__ros *r, double h, double *ynew, double *err)
{
    wmat *m = &r->w;
    if (!make_w(r->jac, h, m))
        return GSL_EBADFUNC;
    double k1[NS], k2[NS], k3[NS], k4[NS], u[NS], b[NS];
    double ih = 1.0 / h;
    solve(r->jac, m, r->f, k1);
    for (int i = 0; i < NS; i++)
        b[i] = r->f[i] + ROS_C21 * ih * k1[i];
    solve(r->jac, m, b, k2);
    for (int i = 0; i < NS; i++)
        u[i] = r->y[i] + 2 * k1[i];
    int st = rhs(r, u, b);
    if (st != GSL_SUCCESS)
        return st;
    for (int i = 0; i < NS; i++)
        b[i] += ih * (ROS_C31 * k1[i] + ROS_C32 * k2[i]);
    solve(r->jac, m, b, k3);
    for (int i = 0; i < NS; i++)
        u[i] = r->y[i] + 2 * k1[i] + k3[i];
    if ((st = rhs(r, u, b)) != GSL_SUCCESS)
        return st;
    for (int i = 0; i < NS; i++)
        b[i] += ih * (ROS_C41 * k1[i] + ROS_C42 * k2[i] + ROS_C43 * k3[i]);
    solve(r->jac, m, b, k4);
    double s = 0;
    for (int i = 0; i < NS; i++) {
        ynew[i] = u[i] + k4[i];
        double a = fabs(r->y[i]), b2 = fabs(ynew[i]);
        double sc = r->atol + r->rtol * (a > b2 ? a : b2);
        double e = k4[i] / sc;
        s += e * e;
    }
    *err = sqrt(s / NS);
    return isfinite(*err) ? GSL_SUCCESS : GSL_EBADFUNC;
}

int mn_heal__ros_step(mn_heal__ros *r, double t_max)
{
    if (!r->jac_ok)
        jacobian(r);
    double fac_max = 6;
    for (int tries = 0; tries < 100; tries++) {
        double h = r->h;
        int last = 0;
        /* Land on t_max rather than leave a sliver of a step before it. */
        if (r->t + 1.01 * h >= t_max) {
            h = t_max - r->t;
            last = 1;
        }
        if (!(h > 1e-14 * fmax(1, fabs(r->t))))
            return GSL_EFAILED;
        double ynew[NS], fnew[NS], err;
        int st = trial(r, h, ynew, &err);
        if (st == GSL_SUCCESS && err <= 1) {
            st = rhs(r, ynew, fnew);
            if (st == GSL_SUCCESS) {
                double fac = err > 0 ? 0.9 / cbrt(err) : fac_max;
                fac = fac < 0.2 ? 0.2 : fac > fac_max ? fac_max : fac;
                r->t0 = r->t;
                memcpy(r->y0, r->y, sizeof r->y0);
                memcpy(r->f0, r->f, sizeof r->f0);
                r->t = last ? t_max : r->t + h;
                memcpy(r->y, ynew, sizeof r->y);
                memcpy(r->f, fnew, sizeof r->f);
                /* Keep the controller's step when the last one was cut to
                 * land on t_max. */
                if (!last || h * fac > r->h)
                    r->h = h * fac;
                r->steps++;
                r->jac_ok = 0;
                return GSL_SUCCESS;
            }
        }
        /* Rejected (or a rate that is not finite: shrink hard). */
        r->rejected++;
        double fac = st == GSL_SUCCESS ? 0.9 / cbrt(err) : 0.1;
        r->h = h * (fac < 0.1 ? 0.1 : fac > 0.9 ? 0.9 : fac);
        fac_max = 1;
    }
    return GSL_EMAXITER;
}

/* The cubic Hermite weights at t of the last step: h00, h10 h, h01, h11 h;
 * 0 when the step is empty. */
static int hermite(const mn_heal__ros *r, double t, double w[4])
{
    double h = r->t - r->t0;
    if (!(h > 0))
        return 0;
    double s = (t - r->t0) / h;
    double s2 = s * s, s3 = s2 * s;
    w[0] = 2 * s3 - 3 * s2 + 1;
    w[1] = (s3 - 2 * s2 + s) * h;
    w[2] = -2 * s3 + 3 * s2;
    w[3] = (s3 - s2) * h;
    return 1;
}

void mn_heal__ros_eval(const mn_heal__ros *r, double t, double y[])
{
    double w[4];
    if (!hermite(r, t, w)) {
        memcpy(y, r->y, sizeof r->y);
        return;
    }
    for (int i = 0; i < NS; i++)
        y[i] = w[0] * r->y0[i] + w[1] * r->f0[i] + w[2] * r->y[i] + w[3] * r->f[i];
}

double mn_heal__ros_eval_one(const mn_heal__ros *r, double t, int i)
{
    double w[4];
    if (!hermite(r, t, w))
        return r->y[i];
    return w[0] * r->y0[i] + w[1] * r->f0[i] + w[2] * r->y[i] + w[3] * r->f[i];
}
