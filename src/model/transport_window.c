/* Windows (floor: model): steps solved only where the solute is
 * (docs/model.md, "Windows").
 *
 * Ahead of a diffusion front the concentration falls like a Gaussian's
 * tail: below any given fraction of the largest value a few widths of the
 * front away. A spike in the skin or a film on its surface fills a small
 * part of the grid for most of the steps (the steps grow with the time, the
 * front's width with its square root), so a step over the whole grid moves
 * mostly zeros. A window is a box of the grid around the solute, solved as
 * a grid of its own (a child solver with the parent's coefficients, walls
 * of zero flux where it cuts the grid, so the amount is kept exactly): the
 * solute must stay below eps of its largest value in the cells next to a
 * cut wall, else the step is solved again in a wider window; the window
 * grows before the front reaches it (by how far the front moved in the
 * last step), and gives way to the whole grid once it would hold 80% of
 * it (or cannot be allocated). eps is the solves' own tolerance: the
 * inexact solves leave values of that order everywhere, so a front
 * measured below it follows their noise, not the solute (at a fifth of it
 * the held surface's windows grew 16 planes deeper than the solute went:
 * docs/model.md, "Windows"). Outside the window the state stays exactly
 * zero. */
#include "transport_grid.h"
#include "transport_solve.h"
#include "transport_window.h"

#define WIN_MARGIN 8    /* cells added beyond the solute on a cut side, at least */
#define WIN_SHELL 2     /* cells next to a cut wall that must stay below eps */
#define WIN_AHEAD 1     /* free cells kept per cell the front moved in the last step */
#define WIN_SHARE 0.8   /* a window beyond this share of the grid: the grid */
#define WIN_EPS_TOL 1.0 /* eps per unit of the solves' tolerance */
/* smaller grids are stepped whole: a window's set-up costs more than it saves */
#define WIN_MIN_CELLS MN_TR_WINDOW_MIN_CELLS

int mn_tr_window_wanted(const mn_transport *t)
{
    return !t->cfg.full_grid && !t->win_off && t->n >= WIN_MIN_CELLS;
}

static double window_eps(const mn_transport *t)
{
    return WIN_EPS_TOL * mn_tr_solve_tolerance(t);
}

static size_t box_cells(const size_t lo[3], const size_t hi[3])
{
    return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
}

/* The film can give solute to the top cells. */
static int film_supplies(const mn_transport *t)
{
    if (t->cfg.sealed_top)
        return 0;
    return t->cfg.infinite_dose ? t->vehicle_fixed != 0 : t->uv != 0 || t->solid > 0;
}

/* The smallest box holding every cell with solute (and the top plane when
 * the film supplies it). */
static void support(const mn_transport *t, size_t lo[3], size_t hi[3])
{
    lo[0] = t->nx, lo[1] = t->ny, lo[2] = t->nz;
    hi[0] = hi[1] = hi[2] = 0;
    for (size_t k = 0; k < t->nz; k++)
        for (size_t j = 0; plane_ready(t, k) && j < t->ny; j++)
            for (size_t i = 0; i < t->nx; i++) {
                if (t->u[IDX(t, i, j, k)] == 0)
                    continue;
                size_t c[3] = {i, j, k};
                for (int a = 0; a < 3; a++) {
                    lo[a] = c[a] < lo[a] ? c[a] : lo[a];
                    hi[a] = c[a] + 1 > hi[a] ? c[a] + 1 : hi[a];
                }
            }
    if (film_supplies(t)) {
        lo[0] = lo[1] = lo[2] = 0;
        hi[0] = t->nx, hi[1] = t->ny;
        hi[2] = hi[2] > 1 ? hi[2] : 1;
    }
    for (int a = 0; a < 3; a++)
        if (hi[a] <= lo[a]) /* no solute anywhere: one cell */
            lo[a] = 0, hi[a] = 1;
}

/* The box widened by m[a] cells on both sides along axis a (clipped to
 * the grid); the whole plane where the film couples to it (the film
 * reaches every top cell) or the sides are periodic. */
static void widen(const mn_transport *t, size_t lo[3], size_t hi[3], const size_t m[3])
{
    const size_t dim[3] = {t->nx, t->ny, t->nz};
    for (int a = 0; a < 3; a++) {
        lo[a] = lo[a] > m[a] ? lo[a] - m[a] : 0;
        hi[a] = hi[a] + m[a] < dim[a] ? hi[a] + m[a] : dim[a];
    }
    if (t->cfg.lateral_bc == MN_LATERAL_PERIODIC ||
        (!t->cfg.sealed_top && lo[2] == 0)) {
        lo[0] = lo[1] = 0;
        hi[0] = t->nx, hi[1] = t->ny;
    }
}

/* Widened by a share of its extent (1/div), at least WIN_MARGIN cells. */
static void widen_by_share(const mn_transport *t, size_t lo[3], size_t hi[3],
                           size_t div)
{
    size_t m[3];
    for (int a = 0; a < 3; a++) {
        m[a] = (hi[a] - lo[a]) / div;
        m[a] = m[a] > WIN_MARGIN ? m[a] : WIN_MARGIN;
    }
    widen(t, lo, hi, m);
}

/* dst = src over the cells of box [lo, hi) (grid coordinates of the
 * parent); each array covers the box at its offset off with dims dim. */
static void copy_box(double *dst, const size_t doff[3], const size_t ddim[3],
                     const double *src, const size_t soff[3], const size_t sdim[3],
                     const size_t lo[3], const size_t hi[3])
{
    size_t w = hi[0] - lo[0];
    for (size_t k = lo[2]; k < hi[2]; k++)
        for (size_t j = lo[1]; j < hi[1]; j++) {
            size_t d =
                ((k - doff[2]) * ddim[1] + (j - doff[1])) * ddim[0] + lo[0] - doff[0];
            size_t s =
                ((k - soff[2]) * sdim[1] + (j - soff[1])) * sdim[0] + lo[0] - soff[0];
            memcpy(dst + d, src + s, w * sizeof *dst);
        }
}

static void dims_of(const mn_transport *t, size_t d[3])
{
    d[0] = t->nx, d[1] = t->ny, d[2] = t->nz;
}

/* Coefficients of the box [lo, hi) of t into the child w (dims set):
 * faces that leave the box are walls, the film and the sink only where
 * the box meets them. A box of whole planes (a film's window) reads t's
 * own arrays from its first plane on: its faces are t's, but for those
 * below its last plane, which no pass of a grid reads (every pass takes
 * the faces below a plane only where there is a plane below); nothing is
 * copied, and the pool's coefficient pages are never touched. */
static void copy_coefficients(const mn_transport *t, mn_transport *w,
                              const size_t lo[3], const size_t hi[3])
{
    const int fullx = lo[0] == 0 && hi[0] == t->nx,
              fully = lo[1] == 0 && hi[1] == t->ny;
    for (size_t k = 0; k < w->nz; k++)
        w->kc[k] = t->kc[k + lo[2]];
    const int nth = w->n >= w->par_min ? w->nthreads : 1;
    (void)nth;
    if (fullx && fully) {
        size_t o = lo[2] * t->nxy;
        w->cap = t->cap + o, w->gx = t->gx + o, w->gy = t->gy + o, w->gz = t->gz + o;
    } else {
        w->cap = t->pool[0], w->gx = t->pool[1], w->gy = t->pool[2], w->gz = t->pool[3];
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t k = 0; k < w->nz; k++)
            for (size_t j = 0; j < w->ny; j++)
                for (size_t i = 0; i < w->nx; i++) {
                    size_t s = IDX(t, i + lo[0], j + lo[1], k + lo[2]),
                           d = IDX(w, i, j, k);
                    w->cap[d] = t->cap[s];
                    w->gx[d] = i + 1 < w->nx || fullx ? t->gx[s] : 0.0f;
                    w->gy[d] = j + 1 < w->ny || fully ? t->gy[s] : 0.0f;
                    w->gz[d] = k + 1 < w->nz ? t->gz[s] : 0.0f;
                }
    }
    for (size_t j = 0; j < w->ny; j++)
        for (size_t i = 0; i < w->nx; i++) {
            size_t s = (j + lo[1]) * t->nx + i + lo[0], d = j * w->nx + i;
            w->gtop[d] = lo[2] == 0 ? t->gtop[s] : 0.0f;
            w->gbot[d] = hi[2] == t->nz ? t->gbot[s] : 0.0f;
        }
    /* the junction's flux where both of its planes are in the box */
    long kd = t->k_dej > 0 ? (long)t->k_dej - 1 - (long)lo[2] : -1;
    w->k_dej = kd >= 0 && (size_t)kd + 1 < w->nz ? (int)kd + 1 : -1;
    w->k_probe = -1;
    w->open = t->open;
}

/* The state of a new child, zero (touched first by the threads that use
 * it). */
static void zero_state(mn_transport *w)
{
    const int nth = w->n >= w->par_min ? w->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < w->nz; k++)
        memset(w->u + k * w->nxy, 0, w->nxy * sizeof *w->u);
}

/* The child's large arrays from t's pool (allocated, for the largest
 * window, when first needed): its vectors from those that are not old's
 * state or previous state (which it is filled from). */
static int take_pool(mn_transport *t, mn_transport *w, const mn_transport *old)
{
    const size_t most = (size_t)(WIN_SHARE * (double)t->n) + 1;
    const int acc = t->cfg.accuracy > 0;
    for (int i = 0; i < POOL_N - (acc ? 0 : 1); i++) {
        size_t sz = i < POOL_FLOATS ? sizeof(float) : sizeof(double);
        if (!t->pool[i] && !(t->pool[i] = mn_tr_alloc64(most, sz)))
            return -1;
    }
    w->pooled = 1;
    w->owner = t;
    w->cap = t->pool[0], w->gx = t->pool[1], w->gy = t->pool[2], w->gz = t->pool[3];
    double **dst[] = {&w->u, &w->un, &w->b, &w->r, &w->z, &w->p, &w->q, &w->w, &w->e};
    size_t nd = sizeof dst / sizeof dst[0] - (acc ? 0 : 1), next = 0;
    for (int i = POOL_FLOATS; i < POOL_N && next < nd; i++) {
        double *a = t->pool[i];
        if (a && !(old && (a == old->u || a == old->un)))
            *dst[next++] = a;
    }
    return next == nd ? 0 : -1;
}

/* The box [lo, hi) is old's grown in depth only (the same sides and top
 * plane): old's arrays hold its first planes as they are (planes are
 * contiguous), so the child takes them over and only zeroes the new ones.
 * A film's window grows so at almost every step; before, every wider
 * window cleared and refilled all its vectors (a fifth of the held
 * surface's time at 216^3). */
static int grows_in_place(const mn_transport *old, const size_t lo[3],
                          const size_t hi[3])
{
    return old && old->wlo[0] == lo[0] && old->wlo[1] == lo[1] &&
           old->wlo[2] == lo[2] && old->whi[0] == hi[0] && old->whi[1] == hi[1] &&
           old->whi[2] <= hi[2];
}

static void take_over(mn_transport *w, const mn_transport *old)
{
    w->pooled = 1;
    w->owner = old->owner;
    w->u = old->u, w->un = old->un, w->b = old->b, w->r = old->r, w->z = old->z;
    w->p = old->p, w->q = old->q, w->w = old->w, w->e = old->e;
}

/* Planes k0 on of the child's vectors zero (touched first by the threads
 * that use them). */
static void zero_planes(mn_transport *w, size_t k0)
{
    double *vec[] = {w->u, w->un, w->b, w->r, w->z, w->p, w->q, w->w, w->e};
    const size_t nv = sizeof vec / sizeof vec[0];
    const int nth = w->n >= w->par_min ? w->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = k0; k < w->nz; k++)
        for (size_t v = 0; v < nv; v++)
            if (vec[v])
                memset(vec[v] + k * w->nxy, 0, w->nxy * sizeof(double));
}

/* A child solver for the box [lo, hi) of t: t's coefficients, film,
 * time and amounts; its state from old (a narrower child, whose guess and
 * rates it keeps) or from t. NULL when out of memory. */
static mn_transport *child_new(mn_transport *t, const size_t lo[3], const size_t hi[3],
                               const mn_transport *old)
{
    mn_transport *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cfg = t->cfg;
    w->cfg.channels = NULL, w->cfg.n_channels = 0;
    w->cfg.full_grid = 1; /* a window does not window itself */
    if (!(lo[0] == 0 && hi[0] == t->nx && lo[1] == 0 && hi[1] == t->ny))
        w->cfg.lateral_bc = MN_LATERAL_MIRROR;
    w->nx = hi[0] - lo[0], w->ny = hi[1] - lo[1], w->nz = hi[2] - lo[2];
    w->nxy = w->nx * w->ny, w->n = w->nxy * w->nz;
    memcpy(w->wlo, lo, sizeof w->wlo);
    memcpy(w->whi, hi, sizeof w->whi);
    w->omp_level = t->omp_level, w->nthreads = t->nthreads, w->par_min = t->par_min;
    w->tol = t->tol, w->cap_ratio = t->cap_ratio, w->top_cap = t->top_cap;
    w->cap_min = t->cap_min;
    mn_tr_planes_ready(t, lo[2], hi[2]); /* the box's coefficients */
    const int same = grows_in_place(old, lo, hi);
    if (same)
        take_over(w, old);
    else if (take_pool(t, w, old) != 0)
        goto fail;
    w->kc = malloc(w->nz * sizeof *w->kc);
    w->gtop = mn_tr_alloc64(w->nxy, sizeof *w->gtop);
    w->gbot = mn_tr_alloc64(w->nxy, sizeof *w->gbot);
    size_t ns = t->n_chan_cells ? t->n_chan_cells : 1;
    w->src_idx = malloc(ns * sizeof *w->src_idx);
    w->src_rate = malloc(ns * sizeof *w->src_rate);
    if (!w->kc || !w->gtop || !w->gbot || !w->src_idx || !w->src_rate ||
        mn_tr_alloc_work(w) != 0 || (!same && mn_tr_alloc_vectors(w) != 0))
        goto fail;
    if (same)
        zero_planes(w, old->nz);
    else
        zero_state(w);
    copy_coefficients(t, w, lo, hi);
    w->vehicle_cap = t->vehicle_cap, w->film_cap = t->film_cap;
    w->film_res = t->film_res, w->mouth_area = t->mouth_area;
    w->area_um2 = t->area_um2, w->area_m2 = t->area_m2;
    w->t = t->t;
    memcpy(w->acc, t->acc, sizeof w->acc);
    size_t wd[3], zero[3] = {0, 0, 0};
    dims_of(w, wd);
    if (old) { /* the narrower child's state, guess and rates */
        size_t od[3];
        dims_of(old, od);
        if (!same) {
            copy_box(w->u, w->wlo, wd, old->u, old->wlo, od, old->wlo, old->whi);
            copy_box(w->un, w->wlo, wd, old->un, old->wlo, od, old->wlo, old->whi);
        }
        w->uv = old->uv, w->unv = old->unv, w->solid = old->solid;
        w->vehicle_cap = old->vehicle_cap;
        w->guess_valid = old->guess_valid, w->last_dt = old->last_dt;
        w->last_dej = old->last_dej;
        memcpy(w->rate_n, old->rate_n, sizeof w->rate_n);
        w->rate_valid = old->rate_valid;
    } else {
        size_t td[3];
        dims_of(t, td);
        copy_box(w->u, w->wlo, wd, t->u, zero, td, lo, hi);
        w->uv = t->uv, w->unv = t->uv, w->solid = t->solid;
    }
    w->vehicle_fixed = t->vehicle_fixed;
    if (mn_tr_mg_build_from(w, same ? old : NULL) != MN_OK)
        goto fail;
    return w;
fail:
    mn_transport_free(w);
    return NULL;
}

/* The channels closed a little since the child copied its coefficients
 * (the parent's were updated for this step; the state is not changed by
 * that, the amount owed goes in as sources: transport_step.c): the child's
 * again, its hierarchy rebuilt past the same 2% as the parent's. */
static mn_status refresh(const mn_transport *t, mn_transport *w)
{
    if (w->open == t->open)
        return MN_OK;
    copy_coefficients(t, w, w->wlo, w->whi);
    w->rate_valid = 0;
    if (fabs(w->open - w->built_open) > 0.02 * w->built_open)
        return mn_tr_mg_build(w);
    return MN_OK;
}

/* Largest |u| over the child's cells. */
static double largest(mn_transport *w)
{
    const int nth = w->n >= w->par_min ? w->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < w->nz; k++) {
        const double *x = w->u + k * w->nxy;
        double m = 0;
        for (size_t q = 0; q < w->nxy; q++)
            m = fabs(x[q]) > m ? fabs(x[q]) : m;
        w->pl[k * PL_N + PL_F] = m;
    }
    double m = 0;
    for (size_t k = 0; k < w->nz; k++)
        m = w->pl[k * PL_N + PL_F] > m ? w->pl[k * PL_N + PL_F] : m;
    return m;
}

/* The front: the smallest box holding the child's cells above thr, in the
 * parent's coordinates; 0 when there are none. */
static int front_box(mn_transport *w, double thr, size_t lo[3], size_t hi[3])
{
    const int nth = w->n >= w->par_min ? w->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < w->nz; k++) {
        size_t i0 = w->nx, i1 = 0, j0 = w->ny, j1 = 0;
        for (size_t j = 0; j < w->ny; j++) {
            const double *row = w->u + IDX(w, 0, j, k);
            size_t a = 0, b = w->nx;
            while (a < w->nx && !(fabs(row[a]) > thr))
                a++;
            if (a == w->nx)
                continue;
            while (!(fabs(row[b - 1]) > thr))
                b--;
            i0 = a < i0 ? a : i0, i1 = b > i1 ? b : i1;
            j0 = j < j0 ? j : j0, j1 = j + 1;
        }
        double *pl = w->pl + k * PL_N;
        pl[PL_A] = (double)i0, pl[PL_B] = (double)i1;
        pl[PL_C] = (double)j0, pl[PL_D] = (double)j1;
    }
    lo[0] = w->nx, lo[1] = w->ny, lo[2] = w->nz;
    hi[0] = hi[1] = hi[2] = 0;
    for (size_t k = 0; k < w->nz; k++) {
        const double *pl = w->pl + k * PL_N;
        if (!(pl[PL_B] > pl[PL_A]))
            continue;
        size_t v[4] = {(size_t)pl[PL_A], (size_t)pl[PL_B], (size_t)pl[PL_C],
                       (size_t)pl[PL_D]};
        lo[0] = v[0] < lo[0] ? v[0] : lo[0], hi[0] = v[1] > hi[0] ? v[1] : hi[0];
        lo[1] = v[2] < lo[1] ? v[2] : lo[1], hi[1] = v[3] > hi[1] ? v[3] : hi[1];
        lo[2] = k < lo[2] ? k : lo[2], hi[2] = k + 1;
    }
    if (hi[2] == 0)
        return 0;
    for (int a = 0; a < 3; a++)
        lo[a] += w->wlo[a], hi[a] += w->wlo[a];
    return 1;
}

void mn_tr_window_mark(const mn_transport *w, mn_transport *mark)
{
    mark->solves = w->solves, mark->iterations = w->iterations, mark->bytes = w->bytes;
    memcpy(mark->pass_s, w->pass_s, sizeof mark->pass_s);
    memcpy(mark->pass_bytes, w->pass_bytes, sizeof mark->pass_bytes);
}

/* The statistics of the child's work since *mark added to t's (bytes per
 * cell of t's grid); *mark becomes the child's now. */
void mn_tr_window_merge(mn_transport *t, const mn_transport *w, mn_transport *mark)
{
    double f = (double)w->n / (double)t->n;
    t->solves += w->solves - mark->solves;
    t->iterations += w->iterations - mark->iterations;
    t->bytes += (w->bytes - mark->bytes) * f;
    for (int p = 0; p < MN_TRANSPORT_PASSES; p++) {
        t->pass_s[p] += w->pass_s[p] - mark->pass_s[p];
        t->pass_bytes[p] += (w->pass_bytes[p] - mark->pass_bytes[p]) * f;
    }
    t->max_fix = w->max_fix > t->max_fix ? w->max_fix : t->max_fix;
    mn_tr_window_mark(w, mark);
}

/* From now on the whole grid: its state is t's, its guess and rates are
 * to be found again, the film's capacity may have changed. */
static void go_full(mn_transport *t)
{
    mn_transport_free(t->win); /* the grid has its own arrays */
    t->win = NULL;
    t->wgrow = 0;
    mn_tr_free_pools(t);
    t->win_off = 1;
    t->guess_valid = 0;
    t->rate_valid = 0;
    mn_tr_invalidate_factor(t);
}

/* The accepted step of the child into t. */
static void accept(mn_transport *t, const mn_transport *w)
{
    size_t wd[3], td[3], zero[3] = {0, 0, 0};
    dims_of(w, wd), dims_of(t, td);
    copy_box(t->u, zero, td, w->u, w->wlo, wd, w->wlo, w->whi);
    t->uv = w->uv, t->solid = w->solid, t->vehicle_cap = w->vehicle_cap;
    t->t = w->t;
    memcpy(t->acc, w->acc, sizeof t->acc);
    memcpy(t->rate_n, w->rate_n, sizeof t->rate_n);
    t->last_dej = w->last_dej, t->last_dt = w->last_dt;
    t->steps++;
}

mn_transport *mn_tr_window_get(mn_transport *t)
{
    if (!t->win) {
        size_t lo[3], hi[3];
        support(t, lo, hi);
        widen_by_share(t, lo, hi, 8);
        /* too large, or no memory for it: the grid needs no more */
        if ((double)box_cells(lo, hi) > WIN_SHARE * (double)t->n ||
            !(t->win = child_new(t, lo, hi, NULL))) {
            go_full(t);
            return NULL;
        }
    }
    if (t->wgrow) { /* the wider box settled on after the last step */
        t->wgrow = 0;
        mn_transport *g = (double)box_cells(t->wglo, t->wghi) > WIN_SHARE * (double)t->n
                              ? NULL
                              : child_new(t, t->wglo, t->wghi, t->win);
        if (!g) { /* too large, or no memory for it: the grid from now on */
            go_full(t);
            return NULL;
        }
        mn_transport_free(t->win);
        t->win = g;
    }
    mn_transport *w = t->win;
    if (refresh(t, w) != MN_OK) {
        go_full(t);
        return NULL;
    }
    /* the closing channels' sources in the box */
    w->n_src = 0;
    for (size_t q = 0; q < t->n_src; q++) {
        size_t id = t->src_idx[q], i = id % t->nx, j = (id / t->nx) % t->ny,
               k = id / t->nxy;
        if (i < w->wlo[0] || i >= w->whi[0] || j < w->wlo[1] || j >= w->whi[1] ||
            k < w->wlo[2] || k >= w->whi[2] || t->src_rate[q] == 0)
            continue;
        w->src_idx[w->n_src] = IDX(w, i - w->wlo[0], j - w->wlo[1], k - w->wlo[2]);
        w->src_rate[w->n_src++] = t->src_rate[q];
    }
    w->t = t->t;
    memcpy(w->acc, t->acc, sizeof w->acc);
    return w;
}

/* How far the front may move in the next step along each axis: twice as
 * far as it moved in the last (steps grow by up to 4 x: the front by 2 x),
 * at least one cell; WIN_MARGIN / 2 before a first move is seen. */
static void front_moves(const mn_transport *t, const size_t lo[3], const size_t hi[3],
                        size_t d[3])
{
    for (int a = 0; a < 3; a++) {
        if (!t->wfront_valid) {
            d[a] = WIN_MARGIN / 2;
            continue;
        }
        size_t m = 1;
        if (t->wfront[a] > lo[a] && t->wfront[a] - lo[a] > m)
            m = t->wfront[a] - lo[a];
        if (hi[a] > t->wfront[3 + a] && hi[a] - t->wfront[3 + a] > m)
            m = hi[a] - t->wfront[3 + a];
        d[a] = 2 * m;
    }
}

int mn_tr_window_settle(mn_transport *t)
{
    mn_transport *w = t->win, mark;
    mn_tr_window_mark(w, &mark);
    const double t0 = pass_clock();
    size_t lo[3], hi[3], td[3];
    dims_of(t, td);
    const double all = largest(w);
    int any = front_box(w, window_eps(t) * all, lo, hi);
    traffic(w, &w->lev[0], 16, MN_TRANSPORT_PASS_OTHER, t0);
    mn_tr_window_merge(t, w, &mark);
    const double cut = WIN_SHARE * (double)t->n;
    int reached = 0;
    for (int a = 0; any && a < 3; a++)
        reached |= (w->wlo[a] > 0 && lo[a] < w->wlo[a] + WIN_SHELL) ||
                   (w->whi[a] < td[a] && hi[a] + WIN_SHELL > w->whi[a]);
    if (reached) { /* the solute reached a wall: again, in a window twice as wide */
        memcpy(lo, w->wlo, sizeof lo), memcpy(hi, w->whi, sizeof hi);
        widen_by_share(t, lo, hi, 2);
        mn_transport_free(w);
        t->win = NULL;
        if ((double)box_cells(lo, hi) > cut || !(t->win = child_new(t, lo, hi, NULL)))
            go_full(t);
        return 1;
    }
    accept(t, w);
    if (!any)
        return 0;
    size_t d[3];
    front_moves(t, lo, hi, d);
    memcpy(t->wfront, lo, sizeof lo), memcpy(t->wfront + 3, hi, sizeof hi);
    t->wfront_valid = 1;
    int near = 0;
    for (int a = 0; a < 3; a++)
        near |= (w->wlo[a] > 0 && lo[a] < w->wlo[a] + WIN_SHELL + d[a]) ||
                (w->whi[a] < td[a] && hi[a] + WIN_SHELL + d[a] > w->whi[a]);
    if (!near)
        return 0;
    /* near a wall: for the next step, a window with room for the front
     * to move WIN_AHEAD times as far again (never narrower than now) */
    size_t m[3];
    for (int a = 0; a < 3; a++) {
        m[a] = WIN_SHELL + WIN_AHEAD * d[a];
        m[a] = m[a] > WIN_MARGIN ? m[a] : WIN_MARGIN;
    }
    widen(t, lo, hi, m);
    for (int a = 0; a < 3; a++) {
        t->wglo[a] = lo[a] < w->wlo[a] ? lo[a] : w->wlo[a];
        t->wghi[a] = hi[a] > w->whi[a] ? hi[a] : w->whi[a];
    }
    /* made when the next step asks for it (mn_tr_window_get): after the
     * last step of a run, never */
    t->wgrow = 1;
    return 0;
}
