/* What transport_solve.c gives the solver object and the time stepper
 * (floor: model, not installed): the multigrid hierarchy and the solve of
 * one stage. */
#ifndef MNSIM_TRANSPORT_SOLVE_H
#define MNSIM_TRANSPORT_SOLVE_H

#include "transport_state.h"

/* Build (again) the coarse levels from the current coefficients; free them. */
mn_status mn_tr_mg_build(mn_transport *t);
/* The same for a window that replaces old (NULL: none), keeping the
 * coarse planes of old's hierarchy that t's coefficients leave as they
 * were (a window grown in depth only, its levels in the same pool). */
mn_status mn_tr_mg_build_from(mn_transport *t, const mn_transport *old);
void mn_tr_mg_free(mn_transport *t);
/* Forget the coarsest level's factor (the film's capacity changed). */
void mn_tr_invalidate_factor(mn_transport *t);

/* The solves' relative tolerance: the fixed one (cfg.solver_tolerance,
 * 1e-9: |residual|_1 per amount in the system), or with steps to an
 * accuracy 1e-2 of the local error a step may make (the error left in any
 * cell per largest value), times the smallest cell capacity over the mean
 * one (docs/model.md, "Accuracy"). */
double mn_tr_solve_tolerance(const mn_transport *t);

/* The tolerances of a stage solve (mn_tr_cg_solve). */
typedef struct {
    double res;  /* |residual|_1 */
    double step; /* 0, or the last correction in any cell and the film */
    double mass; /* with step: |sum of the residual| */
} mn_tr_tols;

/* Solve (C + theta A) u = b (b, bv in t->b, t->bv) from the guess in t->u;
 * ends with the mass projection. tol->step = 0: until |residual|_1 <=
 * tol->res. tol->step > 0 (steps to an accuracy): tol->res is a residual
 * below which the guess is taken as it is (|residual|_1 / smallest
 * capacity bounds the error in any cell), else until the last
 * conjugate-gradient correction is at most tol->step in every cell and the
 * film and the residual sums to at most tol->mass (what the projection
 * then spreads over the whole state). */
mn_status mn_tr_cg_solve(mn_transport *t, double theta, const mn_tr_tols *tol,
                         mn_error *err);

/* An approximate solve of (C + theta A) x = b (t->b, t->bv) from zero: one
 * V-cycle, x = alpha z, alpha = b.z / z^T (C + theta A) z (the best multiple
 * in the energy norm: one conjugate-gradient iteration). Returns alpha;
 * z in t->z (t->w, t->q overwritten), the film's alpha zv in *xv. */
double mn_tr_vcycle_scaled(mn_transport *t, double theta, double *xv);

/* One TR-BDF2 step of h seconds (mn_transport_step). estimate non-NULL:
 * also the embedded error estimate (max over the largest value, in
 * *estimate); above cfg.accuracy the step is undone (the state and the
 * time as before) and MN_OK returned. */
mn_status mn_tr_step_try(mn_transport *t, double h, double *estimate, mn_error *err);

#endif
