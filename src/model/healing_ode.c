/* The healing model's equations (floor: model; docs/model.md, "Healing and
 * collagen induction"): the right-hand side of the 14 states' ODE system
 * and its analytic Jacobian, for RODAS3 (healing_fast.c) and GSL's BDF
 * solver. healing_fast.c relies on the Jacobian's block lower triangular
 * structure (a state's rate depends only on the states before it in its
 * ORDER, except growth factor <-> fibroblasts) and stops with an error if a
 * new coupling breaks it. Time is in days. */
#include "healing_ode.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

int mn_heal__ode_rhs(double t, const double y[], double f[], void *params)
{
    (void)t;
    const ode_ctx *c = params;
    const double *v = c->v, *rv = c->rv;
    double sw = 1.0 / (1.0 + y[D] * PR(MAC_SWITCH));
    double h = y[T] / (PV(FIB_HALF) + y[T]);
    double kmat = PR(FIB_MATURE);
    double w = PV(C1_FRACTION);
    double ctot = w * y[C1] + (1 - w) * y[C3];
    double inh = 1.0 / (1.0 + y[I] * PR(SYN_INHIB));

    f[B] = -y[B] / c->tau_barrier;
    f[D] = -y[D] * PR(DAMAGE_TIME);
    f[Y] = (y[D] - y[Y]) * PR(REDNESS_TIME);
    f[I] = (PV(INFL_GAIN) * y[D] - y[I]) * PR(INFL_TIME);
    f[M] = (y[I] * sw - y[M]) * PR(MAC_TIME);
    f[T] = (PV(TGF_MAC) * y[M] + PV(TGF_FIB) * y[F] - y[T]) * PR(TGF_TIME);
    f[P] = (PV(MMP_INFL) * y[I] + PV(MMP_FIB) * y[F] - y[P]) * PR(MMP_TIME);
    f[F] = PV(FIB_PROLIF) * h * (1 + y[F]) * (1 - y[F] * PR(FIB_CAP)) -
           (PV(FIB_DEATH) + kmat + PV(FIB_INFL_LOSS) * y[I]) * y[F];
    f[G] = kmat * y[F] - (PR(MFIB_TIME) + PV(FIB_INFL_LOSS) * y[I]) * y[G];
    f[C3] = inh * PV(C3_SYN) * (y[F] + PV(C3_MATURE) * y[G]) -
            (y[C3] - 1) * PR(C3_TIME) - PV(C3_MMP) * y[P] * y[C3];
    f[C1] = inh * PV(C1_SYN) * (PV(C1_EARLY) * y[F] + y[G]) -
            (y[C1] - 1) * PR(C1_TIME) - PV(C1_MMP) * y[P] * y[C1];
    f[R] = inh * PV(EL_SYN) * y[G] - y[R] * PR(EL_ASSEMBLY);
    f[E] = y[R] * PR(EL_ASSEMBLY) - (y[E] - 1) * PR(EL_TIME) - PV(EL_MMP) * y[P] * y[E];
    f[K] = (1 + PV(EPI_GF) * (y[F] + y[G]) + PV(EPI_MATRIX) * (ctot - 1) - y[K]) *
           PR(EPI_TIME);
    /* One test for all: a NaN or an infinity in any rate makes the sum NaN
     * or infinite (the rates are far below overflow). */
    double sum = 0;
    for (int i = 0; i < NS; i++)
        sum += f[i];
    return isfinite(sum) ? GSL_SUCCESS : GSL_EBADFUNC;
}

int mn_heal__ode_jac(double t, const double y[], double *dfdy, double dfdt[],
                     void *params)
{
    (void)t;
    const ode_ctx *c = params;
    const double *v = c->v, *rv = c->rv;
    /* Row-major NS x NS, written directly: RODAS3 evaluates it every step. */
#define JSET(i, j, x) (dfdy[(i) * NS + (j)] = (x))
    memset(dfdy, 0, NS * NS * sizeof *dfdy);
    for (int i = 0; i < NS; i++)
        dfdt[i] = 0;

    double rksw = PR(MAC_SWITCH);
    double sw = 1.0 / (1.0 + y[D] * rksw);
    double dsw_dD = -sw * sw * rksw;
    double kt = PV(FIB_HALF);
    double h = y[T] / (kt + y[T]);
    double dh_dT = kt / ((kt + y[T]) * (kt + y[T]));
    double kmat = PR(FIB_MATURE);
    double rcap = PR(FIB_CAP);
    double w = PV(C1_FRACTION);
    double rki = PR(SYN_INHIB);
    double inh = 1.0 / (1.0 + y[I] * rki);
    double dinh_dI = -inh * inh * rki;
    double s3 = PV(C3_SYN) * (y[F] + PV(C3_MATURE) * y[G]);
    double s1 = PV(C1_SYN) * (PV(C1_EARLY) * y[F] + y[G]);
    double se = PV(EL_SYN) * y[G];

    JSET(B, B, -1.0 / c->tau_barrier);
    JSET(D, D, -PR(DAMAGE_TIME));
    JSET(Y, D, PR(REDNESS_TIME));
    JSET(Y, Y, -PR(REDNESS_TIME));
    JSET(I, D, PV(INFL_GAIN) * PR(INFL_TIME));
    JSET(I, I, -PR(INFL_TIME));
    JSET(M, I, sw * PR(MAC_TIME));
    JSET(M, D, y[I] * dsw_dD * PR(MAC_TIME));
    JSET(M, M, -PR(MAC_TIME));
    JSET(T, M, PV(TGF_MAC) * PR(TGF_TIME));
    JSET(T, F, PV(TGF_FIB) * PR(TGF_TIME));
    JSET(T, T, -PR(TGF_TIME));
    JSET(P, I, PV(MMP_INFL) * PR(MMP_TIME));
    JSET(P, F, PV(MMP_FIB) * PR(MMP_TIME));
    JSET(P, P, -PR(MMP_TIME));
    double logistic = (1 + y[F]) * (1 - y[F] * rcap);
    double dlog_dF = (1 - y[F] * rcap) - (1 + y[F]) * rcap;
    JSET(F, T, PV(FIB_PROLIF) * dh_dT * logistic);
    double loss = PV(FIB_INFL_LOSS);
    JSET(F, F,
                   PV(FIB_PROLIF) * h * dlog_dF - (PV(FIB_DEATH) + kmat + loss * y[I]));
    JSET(F, I, -loss * y[F]);
    JSET(G, F, kmat);
    JSET(G, I, -loss * y[G]);
    JSET(G, G, -PR(MFIB_TIME) - loss * y[I]);
    JSET(C3, I, dinh_dI * s3);
    JSET(C3, F, inh * PV(C3_SYN));
    JSET(C3, G, inh * PV(C3_SYN) * PV(C3_MATURE));
    JSET(C3, P, -PV(C3_MMP) * y[C3]);
    JSET(C3, C3, -PR(C3_TIME) - PV(C3_MMP) * y[P]);
    JSET(C1, I, dinh_dI * s1);
    JSET(C1, F, inh * PV(C1_SYN) * PV(C1_EARLY));
    JSET(C1, G, inh * PV(C1_SYN));
    JSET(C1, P, -PV(C1_MMP) * y[C1]);
    JSET(C1, C1, -PR(C1_TIME) - PV(C1_MMP) * y[P]);
    JSET(R, I, dinh_dI * se);
    JSET(R, G, inh * PV(EL_SYN));
    JSET(R, R, -PR(EL_ASSEMBLY));
    JSET(E, R, PR(EL_ASSEMBLY));
    JSET(E, P, -PV(EL_MMP) * y[E]);
    JSET(E, E, -PR(EL_TIME) - PV(EL_MMP) * y[P]);
    double ret = PR(EPI_TIME);
    JSET(K, F, PV(EPI_GF) * ret);
    JSET(K, G, PV(EPI_GF) * ret);
    JSET(K, C1, PV(EPI_MATRIX) * w * ret);
    JSET(K, C3, PV(EPI_MATRIX) * (1 - w) * ret);
    JSET(K, K, -ret);
#undef JSET
    return GSL_SUCCESS;
}

void mn_heal__ode_ctx_init(ode_ctx *c, const double *v, double tau_barrier_days)
{
    c->v = v;
    c->tau_barrier = tau_barrier_days;
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        c->rv[i] = v[i] != 0 ? 1.0 / v[i] : 0;
}

int mn_heal__rhs(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double f[])
{
    ode_ctx c;
    mn_heal__ode_ctx_init(&c, p->value, tau_barrier_days);
    return mn_heal__ode_rhs(0, y, f, &c);
}

int mn_heal__jac(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double *dfdy)
{
    ode_ctx c;
    mn_heal__ode_ctx_init(&c, p->value, tau_barrier_days);
    double dfdt[NS];
    return mn_heal__ode_jac(0, y, dfdy, dfdt, &c);
}
