/* What transport_window.c gives the time stepper (floor: model, not
 * installed): a solver for a window of the grid around the solute, and
 * its result taken back. */
#ifndef MNSIM_TRANSPORT_WINDOW_H
#define MNSIM_TRANSPORT_WINDOW_H

#include "transport_state.h"

/* 1 when the next step may be solved in a window (cfg.full_grid is 0, the
 * grid has at least 32768 cells, the window has not yet outgrown 80% of
 * it). */
int mn_tr_window_wanted(const mn_transport *t);

/* The window's solver for the next step, built (around the solute) or
 * brought up to date (the channels' closure: t's coefficients and state,
 * which the caller has updated for this step), with t's time and amounts.
 * NULL: the window would hold more than 80% of the grid (or found no
 * memory); windows are off from now on and the caller steps the whole
 * grid (docs/model.md, "Windows"). Owned by t. */
mn_transport *mn_tr_window_get(mn_transport *t);

/* After a step accepted in the window: 1 when the solute reached a wall
 * cut through the grid, the step is void and is to be solved again (in a
 * wider window, or over the grid); 0 when t now holds the step's result
 * (state, time, amounts; the window widened for the next step if the
 * solute comes near a wall), but for the probe plane. */
int mn_tr_window_settle(mn_transport *t);

/* Statistics of a window's solver (solves, iterations, bytes, pass times)
 * noted in *mark; the work since then added to t's (bytes per cell of t's
 * grid), *mark updated. */
void mn_tr_window_mark(const mn_transport *w, mn_transport *mark);
void mn_tr_window_merge(mn_transport *t, const mn_transport *w, mn_transport *mark);

#endif
