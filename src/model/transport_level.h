/* What transport_level.c gives the multigrid and the time stepper
 * (floor: model, not installed): whole passes over one level of the
 * hierarchy. */
#ifndef MNSIM_TRANSPORT_LEVEL_H
#define MNSIM_TRANSPORT_LEVEL_H

#include "transport_state.h"

/* Sums over a level after op_level: x.out, |out|_1, the film exchange,
 * sum of out, and 1^T (a0 C + a1 A) x restricted to the diagonal (the
 * conductances cancel in column sums). Film components included. */
typedef struct {
    double dot, abs, film, sum, diagx;
} op_sums;

/* A whole level: out = [b -] (a0 C + a1 A) x, with the film component;
 * the sums of the result. */
op_sums mn_tr_op_level(mn_transport *t, int lv, double a0, double a1, const double *x,
                       double xv, const double *b, double bv, double *out,
                       double *outv);

/* The sum over all rows of level 0 of (C + theta A) x, film included: the
 * capacities and losses (clearance, bottom sink, infinite film) times x,
 * since the exchanges between unknowns cancel in it; what the mass
 * projection divides by, without a pass of the whole operator. */
double mn_tr_row_sum(mn_transport *t, double theta, const double *x, double xv);

/* One damped block-Jacobi sweep of level lv along lines of direction dir
 * (0 x, 1 y, 2 z) into out, *outv; x NULL: from x = 0. bdot non-NULL: also
 * b . out (film included; summed by rows in a fixed order, for any number
 * of threads), which conjugate gradients need next, without a pass of its
 * own. */
void mn_tr_smooth_level(mn_transport *t, int lv, int dir, double theta, const double *x,
                        double xv, const double *b, double bv, double *out,
                        double *outv, double *bdot);

/* One damped block-Jacobi sweep along the x lines (dir 0) or y lines
 * (dir 1) of plane k of level lv into out (transport_lines.c); x NULL:
 * from x = 0. Called by mn_tr_smooth_level's threads, one plane each: it
 * uses the calling thread's scratch. */
void mn_tr_smooth_plane(const mn_transport *t, const mg_level *L, int lv, int dir,
                        size_t k, double theta, const double *x, double xv,
                        const double *b, double *out);

/* The residual of level lv summed over the blocks into the next level's
 * right-hand side; the film's residual in *rv. swept: x (and xv) are one
 * depth sweep of mn_tr_smooth_level from zero with this b, theta and
 * level, so the residual is (1 - w) b + the couplings the sweep left out
 * (fewer bytes; the same to rounding). */
void mn_tr_residual_restrict(mn_transport *t, int lv, double theta, const double *x,
                             double xv, const double *b, double bv, int swept,
                             double *rv);

/* x += the next level's solution, constant over each block. */
void mn_tr_prolong_level(mn_transport *t, int lv, double *x);

#endif
