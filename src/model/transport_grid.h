/* What transport_grid.c gives the other transport files (floor: model,
 * not installed): allocation of the large arrays, the graded faces, the
 * channels' volume fractions and the coefficients of a cell. */
#ifndef MNSIM_TRANSPORT_GRID_H
#define MNSIM_TRANSPORT_GRID_H

#include "transport_state.h"

/* Arrays of at least this many bytes are placed on 2 MiB boundaries and
 * asked to be backed by huge pages: the depth sweeps step a whole plane
 * between accesses, and with 4 KiB pages every step is a TLB miss. They
 * are mapped from the kernel, not taken from malloc: glibc raises its mmap
 * threshold after large frees (up to 32 MiB), and arrays carved from its
 * heap then reuse pages faulted as 4 KiB ones, or trimmed and faulted
 * again, so the solver's speed depended on what the process had done
 * before (2026-12-06: the spike216 on 2 threads 2.31 s after the
 * benchmark's baseline runs, 1.77 s in a fresh process; docs/model.md,
 * "Eleventh session"). */
#define MN_TR_HUGE ((size_t)4 << 20)

/* count elements of size sz, 64-byte aligned (2 MiB aligned from
 * MN_TR_HUGE bytes on, on pages of their own), not initialised; NULL on
 * overflow or when out of memory. Free with mn_tr_free64 only. */
void *mn_tr_alloc64(size_t count, size_t sz);

/* Frees what mn_tr_alloc64 returned (NULL: nothing). */
void mn_tr_free64(void *p);

/* The state vector u (not initialised), partial sums and per-thread
 * buffers of a solver whose dimensions and nthreads are set; 0 on
 * success, -1 when out of memory (what was allocated is freed with the
 * solver). */
int mn_tr_alloc_work(mn_transport *t);
/* Frees the pools the windows of t borrow their arrays from (fine grid and
 * coarse levels) and sets them to NULL; the windows must be freed first. */
void mn_tr_free_pools(mn_transport *t);
/* The vectors a step over the whole grid works in (un, b, r, z, p, q, w,
 * and e with cfg.accuracy), zero; allocated when first needed, since a
 * solver whose steps are solved in windows never needs its own. 0 on
 * success, -1 when out of memory. */
int mn_tr_alloc_vectors(mn_transport *t);

/* Capacity of cell (i, j, k) and the conductances of the faces it owns,
 * from the current open fraction of the channels. */
void mn_tr_set_faces(mn_transport *t, size_t i, size_t j, size_t k);

/* The smallest capacity and their sum over the grid, in cell order, as the
 * cells' capacities would give them; without channels only (a plane's
 * capacity per volume is its layer's partition), nothing stored. */
void mn_tr_cap_stats(const mn_transport *t, double *cmin, double *csum);

/* Below this many cells a solver steps its whole grid (transport_window.c). */
#define MN_TR_WINDOW_MIN_CELLS 32768

/* Planes [k0, k1) ready: the coefficients of those not yet set are set
 * (mn_tr_set_faces over the plane) and their u zeroed, in parallel over
 * planes. Windows ask for their boxes' planes, a step over the whole grid
 * for all: a solver whose solute stays in a part of the grid never sets
 * up (nor has the system clear the pages of) the rest. */
void mn_tr_planes_ready(mn_transport *t, size_t k0, size_t k1);

/* The channels' capacities now are those of an accepted state (after a step
 * or a new state): no amount is owed to their cells (transport_step.c,
 * update_channels). */
void mn_tr_channels_accepted(mn_transport *t);

/* Index of the cell of faces f (n cells) holding v (clamped). */
size_t mn_tr_find_cell(const double *f, size_t n, double v);

/* The faces (m, *n + 1 of them, allocated) along x (axis 0) or y (axis 1):
 * uniform (one cell without channels), or finest at the channels' walls and
 * growing away from them; the radial cell has one cell around its axis. */
mn_status mn_tr_lateral_grid(const mn_transport_config *c, int axis, double **faces,
                             size_t *n);

/* The faces (m, *n + 1 of them, allocated) down to depth: uniform, or
 * through every layer interface, the stratum corneum in sc_cells cells and
 * the spacing growing away from the interfaces, the channels' tips and the
 * probe depth. */
mn_status mn_tr_depth_grid(const mn_transport_config *c, double depth, double **faces,
                           size_t *n);

/* The volume fraction of every cell inside a channel, into t->phi (zeroed). */
void mn_tr_channel_fractions(mn_transport *t);

#endif
