/* The healing model's equations, shared by healing_ode.c (which implements
 * them), healing_course.c and healing_ensemble.c (floor: model, not
 * installed): the state indices, the context of the right-hand side and
 * the functions GSL integrates. */
#ifndef MNSIM_MODEL_HEALING_ODE_H
#define MNSIM_MODEL_HEALING_ODE_H

#include "mnsim/healing.h"

typedef struct {
    const double *v;    /* parameter values */
    double tau_barrier; /* closure time constant of the latest channels, days */
    double rv[MN_HEAL_NPARAMS]; /* 1 / v (0 where v is 0): the rates, so that
                                   the right-hand side does not divide */
} ode_ctx;

/* The context for the parameter values v (kept by pointer) and the
 * barrier's time constant. */
void mn_heal__ode_ctx_init(ode_ctx *c, const double *v, double tau_barrier_days);

enum {
    B = MN_HEAL_BARRIER,
    D = MN_HEAL_DAMAGE,
    Y = MN_HEAL_REDNESS,
    I = MN_HEAL_INFLAMMATION,
    M = MN_HEAL_MACROPHAGES,
    T = MN_HEAL_TGF,
    P = MN_HEAL_MMP,
    F = MN_HEAL_FIBROBLASTS,
    G = MN_HEAL_MATRIX_FIBROBLASTS,
    C3 = MN_HEAL_COLLAGEN_III,
    C1 = MN_HEAL_COLLAGEN_I,
    R = MN_HEAL_TROPOELASTIN,
    E = MN_HEAL_ELASTIN,
    K = MN_HEAL_EPIDERMIS,
    NS = MN_HEAL_NSTATES
};

#define PV(name) v[MN_HEAL_P_##name]
#define PR(name) rv[MN_HEAL_P_##name] /* 1 / PV(name) */

/* dy/dt at (t, y) for the parameters and barrier time in params (an
 * ode_ctx); the Jacobian d f / d y (row-major NS x NS) and df/dt = 0. In
 * GSL's form (gsl_odeiv2_system). */
int mn_heal__ode_rhs(double t, const double y[], double f[], void *params);
int mn_heal__ode_jac(double t, const double y[], double *dfdy, double dfdt[],
                     void *params);

/* Exposed for the unit test of the Jacobian (not in the public header). */
int mn_heal__rhs(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double f[]);
int mn_heal__jac(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double *dfdy);

#endif /* MNSIM_MODEL_HEALING_ODE_H */
