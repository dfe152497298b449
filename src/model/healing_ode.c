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
    const double *v = c->v;
    double sw = 1.0 / (1.0 + y[D] / PV(MAC_SWITCH));
    double h = y[T] / (PV(FIB_HALF) + y[T]);
    double kmat = 1.0 / PV(FIB_MATURE);
    double w = PV(C1_FRACTION);
    double ctot = w * y[C1] + (1 - w) * y[C3];
    double inh = 1.0 / (1.0 + y[I] / PV(SYN_INHIB));

    f[B] = -y[B] / c->tau_barrier;
    f[D] = -y[D] / PV(DAMAGE_TIME);
    f[Y] = (y[D] - y[Y]) / PV(REDNESS_TIME);
    f[I] = (PV(INFL_GAIN) * y[D] - y[I]) / PV(INFL_TIME);
    f[M] = (y[I] * sw - y[M]) / PV(MAC_TIME);
    f[T] = (PV(TGF_MAC) * y[M] + PV(TGF_FIB) * y[F] - y[T]) / PV(TGF_TIME);
    f[P] = (PV(MMP_INFL) * y[I] + PV(MMP_FIB) * y[F] - y[P]) / PV(MMP_TIME);
    f[F] = PV(FIB_PROLIF) * h * (1 + y[F]) * (1 - y[F] / PV(FIB_CAP)) -
           (PV(FIB_DEATH) + kmat + PV(FIB_INFL_LOSS) * y[I]) * y[F];
    f[G] = kmat * y[F] - (1.0 / PV(MFIB_TIME) + PV(FIB_INFL_LOSS) * y[I]) * y[G];
    f[C3] = inh * PV(C3_SYN) * (y[F] + PV(C3_MATURE) * y[G]) -
            (y[C3] - 1) / PV(C3_TIME) - PV(C3_MMP) * y[P] * y[C3];
    f[C1] = inh * PV(C1_SYN) * (PV(C1_EARLY) * y[F] + y[G]) -
            (y[C1] - 1) / PV(C1_TIME) - PV(C1_MMP) * y[P] * y[C1];
    f[R] = inh * PV(EL_SYN) * y[G] - y[R] / PV(EL_ASSEMBLY);
    f[E] = y[R] / PV(EL_ASSEMBLY) - (y[E] - 1) / PV(EL_TIME) - PV(EL_MMP) * y[P] * y[E];
    f[K] = (1 + PV(EPI_GF) * (y[F] + y[G]) + PV(EPI_MATRIX) * (ctot - 1) - y[K]) /
           PV(EPI_TIME);
    for (int i = 0; i < NS; i++)
        if (!isfinite(f[i]))
            return GSL_EBADFUNC;
    return GSL_SUCCESS;
}

int mn_heal__ode_jac(double t, const double y[], double *dfdy, double dfdt[],
                     void *params)
{
    (void)t;
    const ode_ctx *c = params;
    const double *v = c->v;
    /* Row-major NS x NS, written directly: RODAS3 evaluates it every step. */
#define JSET(i, j, x) (dfdy[(i) * NS + (j)] = (x))
    memset(dfdy, 0, NS * NS * sizeof *dfdy);
    for (int i = 0; i < NS; i++)
        dfdt[i] = 0;

    double ksw = PV(MAC_SWITCH);
    double sw = 1.0 / (1.0 + y[D] / ksw);
    double dsw_dD = -sw * sw / ksw;
    double kt = PV(FIB_HALF);
    double h = y[T] / (kt + y[T]);
    double dh_dT = kt / ((kt + y[T]) * (kt + y[T]));
    double kmat = 1.0 / PV(FIB_MATURE);
    double cap = PV(FIB_CAP);
    double w = PV(C1_FRACTION);
    double ki = PV(SYN_INHIB);
    double inh = 1.0 / (1.0 + y[I] / ki);
    double dinh_dI = -inh * inh / ki;
    double s3 = PV(C3_SYN) * (y[F] + PV(C3_MATURE) * y[G]);
    double s1 = PV(C1_SYN) * (PV(C1_EARLY) * y[F] + y[G]);
    double se = PV(EL_SYN) * y[G];

    JSET(B, B, -1.0 / c->tau_barrier);
    JSET(D, D, -1.0 / PV(DAMAGE_TIME));
    JSET(Y, D, 1.0 / PV(REDNESS_TIME));
    JSET(Y, Y, -1.0 / PV(REDNESS_TIME));
    JSET(I, D, PV(INFL_GAIN) / PV(INFL_TIME));
    JSET(I, I, -1.0 / PV(INFL_TIME));
    JSET(M, I, sw / PV(MAC_TIME));
    JSET(M, D, y[I] * dsw_dD / PV(MAC_TIME));
    JSET(M, M, -1.0 / PV(MAC_TIME));
    JSET(T, M, PV(TGF_MAC) / PV(TGF_TIME));
    JSET(T, F, PV(TGF_FIB) / PV(TGF_TIME));
    JSET(T, T, -1.0 / PV(TGF_TIME));
    JSET(P, I, PV(MMP_INFL) / PV(MMP_TIME));
    JSET(P, F, PV(MMP_FIB) / PV(MMP_TIME));
    JSET(P, P, -1.0 / PV(MMP_TIME));
    double logistic = (1 + y[F]) * (1 - y[F] / cap);
    double dlog_dF = (1 - y[F] / cap) - (1 + y[F]) / cap;
    JSET(F, T, PV(FIB_PROLIF) * dh_dT * logistic);
    double loss = PV(FIB_INFL_LOSS);
    JSET(F, F,
                   PV(FIB_PROLIF) * h * dlog_dF - (PV(FIB_DEATH) + kmat + loss * y[I]));
    JSET(F, I, -loss * y[F]);
    JSET(G, F, kmat);
    JSET(G, I, -loss * y[G]);
    JSET(G, G, -1.0 / PV(MFIB_TIME) - loss * y[I]);
    JSET(C3, I, dinh_dI * s3);
    JSET(C3, F, inh * PV(C3_SYN));
    JSET(C3, G, inh * PV(C3_SYN) * PV(C3_MATURE));
    JSET(C3, P, -PV(C3_MMP) * y[C3]);
    JSET(C3, C3, -1.0 / PV(C3_TIME) - PV(C3_MMP) * y[P]);
    JSET(C1, I, dinh_dI * s1);
    JSET(C1, F, inh * PV(C1_SYN) * PV(C1_EARLY));
    JSET(C1, G, inh * PV(C1_SYN));
    JSET(C1, P, -PV(C1_MMP) * y[C1]);
    JSET(C1, C1, -1.0 / PV(C1_TIME) - PV(C1_MMP) * y[P]);
    JSET(R, I, dinh_dI * se);
    JSET(R, G, inh * PV(EL_SYN));
    JSET(R, R, -1.0 / PV(EL_ASSEMBLY));
    JSET(E, R, 1.0 / PV(EL_ASSEMBLY));
    JSET(E, P, -PV(EL_MMP) * y[E]);
    JSET(E, E, -1.0 / PV(EL_TIME) - PV(EL_MMP) * y[P]);
    double et = PV(EPI_TIME);
    JSET(K, F, PV(EPI_GF) / et);
    JSET(K, G, PV(EPI_GF) / et);
    JSET(K, C1, PV(EPI_MATRIX) * w / et);
    JSET(K, C3, PV(EPI_MATRIX) * (1 - w) / et);
    JSET(K, K, -1.0 / et);
#undef JSET
    return GSL_SUCCESS;
}

int mn_heal__rhs(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double f[])
{
    ode_ctx c = {p->value, tau_barrier_days};
    return mn_heal__ode_rhs(0, y, f, &c);
}

int mn_heal__jac(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double *dfdy)
{
    ode_ctx c = {p->value, tau_barrier_days};
    double dfdt[NS];
    return mn_heal__ode_jac(0, y, dfdy, dfdt, &c);
}
