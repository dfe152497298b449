/* The healing model's own stiff integrator (floor: model, not installed;
 * docs/model.md, "Integration"): RODAS3, a four-stage, third-order,
 * L-stable Rosenbrock method with an embedded second-order error estimate
 * (Sandu et al. 1997), the analytic Jacobian of healing_ode.c, and a cubic
 * Hermite dense output, so that output points cost an interpolation and
 * not a step. The linear systems (I/(gamma h) - J) x = b are solved by
 * block forward substitution: the 14 states' Jacobian is block lower
 * triangular (one 2x2 block, growth factor <-> fibroblasts), which
 * mn_heal__ros_start checks. No allocation; a stepper is a plain struct on
 * the caller's stack. Time is in days. */
#ifndef MNSIM_MODEL_HEALING_FAST_H
#define MNSIM_MODEL_HEALING_FAST_H

#include "healing_ode.h"

/* The iteration matrix of a step (healing_fast.c). */
typedef struct {
    double inv_diag[NS];
    double blk[4];
} mn_heal__ros_w;

typedef struct {
    ode_ctx ctx;       /* parameters and barrier time (copied) */
    double rtol, atol; /* local error tolerances */
    double t, h;       /* current time, next step, days */
    double y[NS], f[NS];
    double t0;             /* start of the last accepted step (dense output */
    double y0[NS], f0[NS]; /* over [t0, t]) */
    double jac[NS * NS];   /* Jacobian at (t, y), row-major */
    mn_heal__ros_w w;      /* its sparsity and the iteration matrix */
    int jac_ok;            /* jac and w's pattern are current */
    long steps, rejected;
} mn_heal__ros;

/* Start at (t, y) with a first trial step h0 (days) and the tolerances.
 * Returns GSL_SUCCESS, GSL_EBADFUNC (a non-finite rate) or GSL_EFAILED (the
 * Jacobian has an entry outside the block-triangular pattern the solver
 * assumes: healing_ode.c gained a coupling that healing_fast.c must learn). */
int mn_heal__ros_start(mn_heal__ros *r, const ode_ctx *ctx, double t, const double y[],
                       double h0, double rtol, double atol);

/* Take one accepted step, ending at t_max exactly when it is within reach
 * (never beyond: t_max is where the next session's impulse comes).
 * GSL_SUCCESS, or GSL_EFAILED when the step size underflows, GSL_EMAXITER
 * after too many rejections. */
int mn_heal__ros_step(mn_heal__ros *r, double t_max);

/* The state at t in [t0, t] of the last step (cubic Hermite interpolation
 * of the step's ends, third order like the method). */
void mn_heal__ros_eval(const mn_heal__ros *r, double t, double y[]);

/* State i alone at t, as mn_heal__ros_eval gives it (the same bits). */
double mn_heal__ros_eval_one(const mn_heal__ros *r, double t, int i);

#endif /* MNSIM_MODEL_HEALING_FAST_H */
