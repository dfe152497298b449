/* The transport solver in time (floor: model): TR-BDF2 steps, channel
 * closure, the probe plane, amounts and whole runs (docs/model.md,
 * "Transport through the channels"). The solver object is set up in
 * transport.c, the grid and coefficients in transport_grid.c, the stages
 * solved by transport_solve.c. */
#include "transport_grid.h"
#include "transport_level.h"
#include "transport_solve.h"
#include "transport_window.h"

/* ---- time step --------------------------------------------------------------------
 */

/* Rates at a state: clearance, bottom sink, taken from an infinite film and
 * moved across the dermo-epidermal junction (scaled amounts per s). */
static void rates(mn_transport *t, const double *x, double *out)
{
    const double t0 = pass_clock();
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
    long kd = t->k_dej > 0 ? (long)t->k_dej - 1 : -1;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        size_t o = k * t->nxy;
        double cl = 0, sk = 0, su = 0, dj = 0;
        if (t->kc[k] > 0) {
            for (size_t q = 0; q < t->nxy; q++)
                cl += (double)t->cap[o + q] * x[o + q];
            cl *= t->kc[k];
        }
        if (k + 1 == t->nz)
            for (size_t q = 0; q < t->nxy; q++)
                sk += (double)t->gbot[q] * x[o + q];
        if (k == 0 && t->cfg.infinite_dose)
            for (size_t q = 0; q < t->nxy; q++)
                su += (double)t->gtop[q] * (t->vehicle_fixed - x[o + q]);
        if ((long)k == kd)
            for (size_t q = 0; q < t->nxy; q++)
                dj += (double)t->gz[o + q] * (x[o + q] - x[o + q + t->nxy]);
        double *pl = t->pl + k * PL_N;
        pl[PL_A] = cl, pl[PL_B] = sk, pl[PL_C] = su, pl[PL_D] = dj;
    }
    out[L_CLEARED] = plane_total(t, PL_A);
    out[L_SINK] = plane_total(t, PL_B);
    out[L_SUPPLIED] = plane_total(t, PL_C);
    out[L_DEJ] = plane_total(t, PL_D);
    traffic(t, &t->lev[0], 12, MN_TRANSPORT_PASS_OTHER, t0);
}

/* The faces of the channel cells and their neighbours at t->open. */
static void set_channel_faces(mn_transport *t)
{
    for (size_t q = 0; q < t->n_chan_cells; q++) {
        size_t id = t->chan_cells[q];
        size_t i = id % t->nx, j = (id / t->nx) % t->ny, k = id / t->nxy;
        mn_tr_set_faces(t, i, j, k);
        mn_tr_set_faces(t, (i + t->nx - 1) % t->nx, j, k);
        mn_tr_set_faces(t, i, (j + t->ny - 1) % t->ny, k);
        if (k > 0)
            mn_tr_set_faces(t, i, j, k - 1);
    }
    t->rate_valid = 0;
}

/* Channel closure: blend the channel cells' coefficients toward the
 * tissue's for a step of h s. A cell's capacity changes, its amount may
 * not: what the capacities of the last accepted state held beyond the new
 * ones at the same concentration is given back to the cell at a constant
 * rate over the step (a source, integrated exactly by both stages). Kept
 * in the cell at once, as before, the concentration jumped at every step
 * and relaxed within it: the TR stage does not damp that, so the error
 * estimate saw a jump proportional to the step and held the steps of
 * rolled patches near 1 s for the first minutes (docs/model.md,
 * "Accuracy"). */
static void update_channels(mn_transport *t, double open, double h)
{
    if (open != t->open) {
        t->open = open;
        set_channel_faces(t);
    }
    t->n_src = t->n_chan_cells;
    for (size_t q = 0; q < t->n_chan_cells; q++) {
        size_t id = t->chan_cells[q];
        t->src_rate[q] = (t->cap_acc[q] - (double)t->cap[id]) * t->u[id] / h;
    }
}

static int cmp_pair(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Mean and area quantile of the probe plane. */
static void probe_stats(mn_transport *t)
{
    if (t->k_probe < 0)
        return;
    size_t k = (size_t)t->k_probe;
    double atot = 0, mean = 0;
    for (size_t j = 0; j < t->ny; j++)
        for (size_t i = 0; i < t->nx; i++) {
            size_t q = j * t->nx + i, id = IDX(t, i, j, k);
            double a = t->colarea[q];
            double v = (double)t->cap[id] * t->u[id] / cell_volume(t, i, j, k);
            t->probe_vals[q] = v;
            t->probe_sort[2 * q] = v;
            t->probe_sort[2 * q + 1] = a;
            atot += a;
            mean += a * v;
        }
    t->probe_mean = mean / atot;
    if (t->nxy == 1) {
        t->probe_q = t->probe_vals[0];
        return;
    }
    qsort(t->probe_sort, t->nxy, 2 * sizeof(double), cmp_pair);
    /* The value that the fraction q of the area reaches or exceeds, from
     * the cells in decreasing order, each standing at the middle of its
     * share of the cumulative area, interpolated linearly between them (a
     * continuous function of the cell values). */
    double need = t->cfg.probe_quantile * atot, acc = 0, prev_c = 0, prev_v = NAN;
    t->probe_q = t->probe_sort[0];
    for (size_t m = t->nxy; m-- > 0;) {
        double a = t->probe_sort[2 * m + 1], v = t->probe_sort[2 * m];
        double c = acc + 0.5 * a;
        if (c >= need) {
            if (isnan(prev_v))
                t->probe_q = v;
            else
                t->probe_q = prev_v + (v - prev_v) * (need - prev_c) / (c - prev_c);
            break;
        }
        acc += a;
        prev_c = c, prev_v = v;
        t->probe_q = v;
    }
}

/* A suspension after a step: the solid dissolves what the film lost, so
 * the film stays saturated while solid is left (dissolution is taken as
 * fast next to transport into the skin). During the step the solid counts
 * in the film's capacity, so the dissolved level moved little; once the
 * solid is gone the film is an ordinary finite dose and the coarsest
 * factor is rebuilt for its smaller capacity. The amount is exact: film
 * volume x level + solid is what the solver's balance holds. */
static void dissolve(mn_transport *t)
{
    if (!(t->solid > 0))
        return;
    double sat = t->cfg.vehicle_solubility;
    t->solid -= t->vehicle_cap * (sat - t->uv); /* what left the film */
    t->uv = sat;
    if (t->solid <= 0) {
        t->uv = sat + t->solid / t->film_cap;
        t->solid = 0;
        t->vehicle_cap = t->film_cap;
        mn_tr_invalidate_factor(t);
    }
}

/* b = a1 C x1 + a2 C x2 + a3 A x2 (+ source s of an infinite film), film
 * component alike; the passes as a fused loop over planes (one pass when
 * a3 = 0: the BDF2 stage needs no stencil). */
static void rhs_build(mn_transport *t, double a1, const double *x1, double x1v,
                      double a2, const double *x2, double x2v, double a3, double src)
{
    double bv;
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
    if (a3 == 0 && a1 != 0) {
        const double t0 = pass_clock();
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t k = 0; k < t->nz; k++) {
            size_t o = k * t->nxy;
            for (size_t q = 0; q < t->nxy; q++) {
                double c = (double)t->cap[o + q];
                t->b[o + q] = (a2 * c) * x2[o + q] + (a1 * c) * x1[o + q];
            }
        }
        traffic(t, &t->lev[0], 36, MN_TRANSPORT_PASS_OTHER, t0);
        bv = t->lev[0].gt ? a2 * t->vehicle_cap * x2v : 0.0;
    } else {
        mn_tr_op_level(t, 0, a2, a3, x2, x2v, NULL, 0, t->b, &bv);
        if (a1 != 0) {
            const double t0 = pass_clock();
#pragma omp parallel for schedule(static) num_threads(nth)
            for (size_t k = 0; k < t->nz; k++) {
                size_t o = k * t->nxy;
                for (size_t q = 0; q < t->nxy; q++)
                    t->b[o + q] += a1 * (double)t->cap[o + q] * x1[o + q];
            }
            traffic(t, &t->lev[0], 28, MN_TRANSPORT_PASS_OTHER, t0);
        }
    }
    if (t->cfg.infinite_dose && src != 0)
        for (size_t q = 0; q < t->nxy; q++)
            t->b[q] += src * (double)t->gtop[q] * t->vehicle_fixed;
    for (size_t q = 0; q < t->n_src; q++) /* what closing channels give back */
        t->b[t->src_idx[q]] += src * t->src_rate[q];
    t->bv = bv + (t->lev[0].gt ? a1 * t->vehicle_cap * x1v : 0.0);
}

/* The amount a solve's residual is measured against: what is in the
 * system (sum of |amounts| at the start of the step, which also covers
 * fields of mixed sign), at least what one layer of top cells holds at the
 * vehicle's concentration. */
static double mass_ref(const mn_transport *t, double skin_abs)
{
    double top = t->top_cap;
    double u = t->cfg.infinite_dose ? t->vehicle_fixed : t->cfg.vehicle_concentration;
    double r = skin_abs + fabs(t->vehicle_cap * t->uv) + t->acc[L_SUPPLIED];
    double f = fabs(u) * top;
    return r > f ? r : f;
}

/* The stage solves' tolerances at the start of a step (the planes' PL_F:
 * amounts, PL_H: largest values, of u^n): the fixed tolerance per amount
 * in the system; or, with steps to an accuracy, the error the solves may
 * leave in any cell, eps = 1e-2 of the local error a step may make, per
 * largest value (the film's included, as in step_estimate). A residual of
 * eps x largest x smallest capacity bounds it strictly (an M-matrix:
 * |dx|_max <= |r|_1 / smallest capacity), else the last correction: a
 * tolerance on the amount in the system let the first stages of rolled
 * patches stop with no iteration, unsolved in the channels, where a film
 * holding 100 x the skin's amount set it (docs/model.md, "Accuracy"). */
static void solve_tolerances(const mn_transport *t, mn_tr_tols *tol)
{
    const double amount = mass_ref(t, plane_total(t, PL_F));
    if (!(t->cfg.accuracy > 0)) {
        tol->res = mn_tr_solve_tolerance(t) * amount;
        tol->step = tol->mass = 0;
        return;
    }
    double scale = plane_max(t, PL_H);
    scale = fabs(t->uv) > scale ? fabs(t->uv) : scale;
    scale = fabs(t->vehicle_fixed) > scale ? fabs(t->vehicle_fixed) : scale;
    double eps = ACC_SOLVE * ACC_LOCAL * t->cfg.accuracy;
    tol->step = eps * scale;
    tol->res = eps * scale * t->cap_min;
    tol->mass = eps * amount;
    if (!(tol->step > 0)) /* nothing anywhere: any residual is too much */
        tol->step = tol->res = tol->mass = DBL_MIN;
}

/* The embedded error estimate of the step just solved (Hosea & Shampine
 * 1996): with the stages' derivatives f_n, f_g, f_n+1, the third-order
 * companion of TR-BDF2 differs from it by
 *   est = h ((1 - 4w)/3 f_n + 1/3 f_g - 2d/3 f_n+1),  w = sqrt2/4, d = g/2,
 * i.e. C est = -h A v with v = (1 - sqrt2)/3 u^n + 1/3 u* - (2 - sqrt2)/3
 * u^n+1 (the sources cancel: the weights sum to zero); filtered through
 * (C + d h A)^-1 as in ode23tb, so that stiff components, which the
 * L-stable scheme damps, do not count. v is in t->e (u^n and u* parts
 * added before). Returns max |est| over the largest value (cells and film). */
static double step_estimate(mn_transport *t, double h, double th1)
{
    const double c2 = -(2.0 - sqrt(2.0)) / 3.0;
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
    double t0 = pass_clock();
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        size_t o = k * t->nxy;
        double m = 0;
        for (size_t q = 0; q < t->nxy; q++) {
            t->e[o + q] += c2 * t->u[o + q];
            double a = fabs(t->u[o + q]);
            m = a > m ? a : m;
        }
        t->pl[k * PL_N + PL_F] = m;
    }
    traffic(t, &t->lev[0], 24, MN_TRANSPORT_PASS_OTHER, t0);
    double scale =
        fabs(t->uv) > fabs(t->vehicle_fixed) ? fabs(t->uv) : fabs(t->vehicle_fixed);
    for (size_t k = 0; k < t->nz; k++)
        scale = t->pl[k * PL_N + PL_F] > scale ? t->pl[k * PL_N + PL_F] : scale;
    t->ev += c2 * t->uv;
    op_sums s = mn_tr_op_level(t, 0, 0.0, -h, t->e, t->ev, NULL, 0, t->b, &t->bv);
    if (!(s.abs > 0)) /* the stages agree exactly (a steady state) */
        return 0.0;
    /* filtered by one V-cycle scaled as one conjugate-gradient step from
     * zero (one digit is enough: it sets the next step through a cube
     * root; a full solve to a tenth of the right-hand side cost three
     * operator passes more, for the same steps) */
    double ev;
    double alpha = mn_tr_vcycle_scaled(t, th1, &ev);
    t0 = pass_clock();
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        const double *zk = t->z + k * t->nxy;
        double m = 0;
        for (size_t q = 0; q < t->nxy; q++)
            m = fabs(zk[q]) > m ? fabs(zk[q]) : m;
        t->pl[k * PL_N + PL_F] = m;
    }
    traffic(t, &t->lev[0], 8, MN_TRANSPORT_PASS_OTHER, t0);
    double emax = fabs(ev);
    for (size_t k = 0; k < t->nz; k++)
        emax = fabs(alpha) * t->pl[k * PL_N + PL_F] > emax
                   ? fabs(alpha) * t->pl[k * PL_N + PL_F]
                   : emax;
    return scale > 0 ? emax / scale : 0.0;
}

mn_status mn_transport_step(mn_transport *t, double h, mn_error *err)
{
    return mn_tr_step_try(t, h, NULL, err);
}

static mn_status step_grid(mn_transport *t, double h, double *estimate, mn_error *err);
static mn_status step_window_or_grid(mn_transport *t, double h, double *estimate,
                                     mn_error *err);

mn_status mn_tr_step_try(mn_transport *t, double h, double *estimate, mn_error *err)
{
#ifdef _OPENMP
    t->omp_level = omp_get_level();
#endif
    if (!(h > 0) || !isfinite(h))
        return mn_error_set(err, MN_EINVAL,
                            "transport: the step must be > 0 and finite");
    if (t->phi) { /* the channels' open fraction at the middle of the step */
        double age = t->t + 0.5 * h + t->cfg.closure_delay_s;
        double open = isfinite(t->cfg.closure_half_life_s)
                          ? exp(-LN2 * age / t->cfg.closure_half_life_s)
                          : 1.0;
        update_channels(t, open, h);
    }
    const long steps = t->steps;
    mn_status st = step_window_or_grid(t, h, estimate, err);
    if (st == MN_OK && t->phi && t->steps > steps)
        mn_tr_channels_accepted(t);
    return st;
}

static mn_status step_window_or_grid(mn_transport *t, double h, double *estimate,
                                     mn_error *err)
{
    mn_transport *w;
    while (mn_tr_window_wanted(t) && (w = mn_tr_window_get(t))) {
        mn_transport mark;
        mn_tr_window_mark(w, &mark);
        mn_status st = mn_tr_step_try(w, h, estimate, err);
        mn_tr_window_merge(t, w, &mark);
        if (st != MN_OK)
            return st;
        if (estimate && *estimate > ACC_LOCAL * t->cfg.accuracy)
            return MN_OK; /* undone in the window: t as before */
        if (!mn_tr_window_settle(t)) {
            probe_stats(t);
            return MN_OK;
        }
    }
    return step_grid(t, h, estimate, err);
}

/* One step over the whole grid (of a solver or of a window's child). */
static mn_status step_grid(mn_transport *t, double h, double *estimate, mn_error *err)
{
    /* the vectors and the hierarchy of the whole grid, on its first step */
    mn_tr_planes_ready(t, 0, t->nz);
    if (!t->un && (mn_tr_alloc_vectors(t) != 0 || mn_tr_mg_build(t) != MN_OK))
        return mn_error_set(err, MN_ENOMEM, "transport: out of memory for the grid");
    if (t->phi && fabs(t->open - t->built_open) > 0.02 * t->built_open &&
        mn_tr_mg_build(t) != MN_OK)
        return mn_error_set(err, MN_ENOMEM, "transport: out of memory");
    if (!t->rate_valid) {
        rates(t, t->u, t->rate_n);
        t->rate_valid = 1;
    }
    const double g = 2.0 - sqrt(2.0);
    const double th1 = 0.5 * g * h, th2 = (1.0 - g) / (2.0 - g) * h;
    const double c1 = 1.0 / (g * (2.0 - g)),
                 c0 = (1.0 - g) * (1.0 - g) / (g * (2.0 - g));
    double qn[L_N], qs[L_N], rs[L_N];
    memcpy(qn, t->acc, sizeof qn);
    /* un = u, and the amount in the skin (absolute values); the first
     * stage's guess u extrapolates the last step linearly to t + g h
     * (un holds the state before the last accepted step) */
    const double ex = t->guess_valid && t->last_dt > 0 ? g * h / t->last_dt : 0.0;
    {
        const double t0 = pass_clock();
        const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
        (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t k = 0; k < t->nz; k++) {
            size_t o = k * t->nxy;
            double a = 0, m = 0;
            if (ex != 0) {
                for (size_t q = 0; q < t->nxy; q++) {
                    double x = t->u[o + q], xp = t->un[o + q];
                    t->un[o + q] = x;
                    t->u[o + q] = x + ex * (x - xp);
                    a += (double)t->cap[o + q] * fabs(x);
                    m = fabs(x) > m ? fabs(x) : m;
                }
            } else
                for (size_t q = 0; q < t->nxy; q++) {
                    t->un[o + q] = t->u[o + q];
                    a += (double)t->cap[o + q] * fabs(t->u[o + q]);
                    m = fabs(t->u[o + q]) > m ? fabs(t->u[o + q]) : m;
                }
            t->pl[k * PL_N + PL_F] = a;
            t->pl[k * PL_N + PL_H] = m;
        }
        traffic(t, &t->lev[0], ex != 0 ? 44 : 28, MN_TRANSPORT_PASS_OTHER, t0);
    }
    double xv_prev = t->unv;
    t->unv = t->uv;
    mn_tr_tols tol;
    solve_tolerances(t, &tol);
    t->uv += ex * (t->uv - xv_prev);
    /* TR stage over g h. */
    rhs_build(t, 0.0, NULL, 0, 1.0, t->un, t->unv, -th1, 2.0 * th1);
    t->guess_valid = 0; /* un is u^n from here */
    mn_status st = mn_tr_cg_solve(t, th1, &tol, err);
    if (st != MN_OK)
        return st;
    rates(t, t->u, rs);
    for (int a = 0; a < L_N; a++)
        qs[a] = qn[a] + th1 * (t->rate_n[a] + rs[a]);
    if (estimate) { /* e = (1 - sqrt2)/3 u^n + 1/3 u* (step_estimate) */
        const double c0e = (1.0 - sqrt(2.0)) / 3.0, c1e = 1.0 / 3.0;
        double te = pass_clock();
        const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
        (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t k = 0; k < t->nz; k++) {
            size_t o = k * t->nxy;
            for (size_t q = 0; q < t->nxy; q++)
                t->e[o + q] = c0e * t->un[o + q] + c1e * t->u[o + q];
        }
        t->ev = c0e * t->unv + c1e * t->uv;
        traffic(t, &t->lev[0], 32, MN_TRANSPORT_PASS_OTHER, te);
    }
    /* BDF2 stage to t + h: b = c1 C x* - c0 C x^n + th2 f. The guess
     * extrapolates x^n -> x* linearly, into z, which then trades places
     * with u (x* is not needed after the right-hand side). */
    double xsv = t->uv;
    rhs_build(t, c1, t->u, xsv, -c0, t->un, t->unv, 0.0, th2);
    {
        double e = (1.0 - g) / g;
        double t0 = pass_clock();
        const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
        (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t k = 0; k < t->nz; k++) {
            size_t o = k * t->nxy;
            for (size_t q = 0; q < t->nxy; q++)
                t->z[o + q] = t->u[o + q] + e * (t->u[o + q] - t->un[o + q]);
        }
        double *sw = t->u;
        t->u = t->z, t->z = sw;
        t->uv = xsv + e * (xsv - t->unv);
        traffic(t, &t->lev[0], 32, MN_TRANSPORT_PASS_OTHER, t0);
    }
    st = mn_tr_cg_solve(t, th2, &tol, err);
    if (st != MN_OK)
        return st;
    if (estimate) {
        *estimate = step_estimate(t, h, th1);
        if (*estimate > ACC_LOCAL * t->cfg.accuracy) { /* rejected: back to u^n */
            memcpy(t->u, t->un, t->n * sizeof *t->u);
            t->uv = t->unv;
            return MN_OK;
        }
    }
    double rn[L_N];
    rates(t, t->u, rn);
    for (int a = 0; a < L_N; a++)
        t->acc[a] = c1 * qs[a] - c0 * qn[a] + th2 * rn[a];
    memcpy(t->rate_n, rn, sizeof rn);
    dissolve(t);
    t->guess_valid = 1;
    t->last_dej = t->acc[L_DEJ] - qn[L_DEJ];
    t->last_dt = h;
    t->t += h;
    t->steps++;
    probe_stats(t);
    if (!isfinite(t->uv) || !isfinite(t->acc[L_CLEARED]))
        return mn_error_set(err, MN_ENUMERIC, "transport: the solution is not finite");
    return MN_OK;
}

/* ---- amounts ----------------------------------------------------------------------
 */

/* Amount (scaled) in every depth plane, each summed in a fixed order. */
static void plane_amounts(const mn_transport *t, double *out)
{
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        double s = 0;
        const double *u = t->u + k * t->nxy;
        const float *c = t->cap + k * t->nxy;
        for (size_t q = 0; plane_ready(t, k) && q < t->nxy; q++)
            s += (double)c[q] * u[q];
        out[k] = s;
    }
}

static void balance_from(const mn_transport *t, const double *plane,
                         mn_transport_balance *b)
{
    double f = AMOUNT / t->area_m2;
    memset(b, 0, sizeof *b);
    double skin = 0;
    for (size_t k = 0; k < t->nz; k++) {
        b->layer[t->layer[k]] += plane[k] * f;
        skin += plane[k];
    }
    double veh = t->film_cap * t->uv + t->solid;
    b->vehicle = veh * f;
    b->undissolved = t->solid * f;
    b->cleared = t->acc[L_CLEARED] * f;
    b->sink = t->acc[L_SINK] * f;
    b->supplied = t->acc[L_SUPPLIED] * f;
    b->initial = t->initial * f;
    double in = t->initial + t->acc[L_SUPPLIED];
    double have = veh + skin + t->acc[L_CLEARED] + t->acc[L_SINK];
    double ref = t->initial > t->acc[L_SUPPLIED] ? t->initial : t->acc[L_SUPPLIED];
    b->error = ref > 0 ? fabs(have - in) / ref : 0.0;
}

void mn_transport_balance_now(const mn_transport *t, mn_transport_balance *b)
{
    double *plane = malloc(t->nz * sizeof *plane);
    if (!plane) {
        memset(b, 0, sizeof *b);
        b->error = NAN;
        return;
    }
    plane_amounts(t, plane);
    balance_from(t, plane, b);
    free(plane);
}

void mn_transport_profile(const mn_transport *t, double *out)
{
    plane_amounts(t, out);
    for (size_t k = 0; k < t->nz; k++)
        out[k] /= t->area_um2 * t->dz[k];
}

void mn_transport_section(const mn_transport *t, double y_m, double *out)
{
    size_t j = mn_tr_find_cell(t->yf, t->ny, y_m);
    for (size_t k = 0; k < t->nz; k++)
        for (size_t i = 0; i < t->nx; i++) {
            size_t id = IDX(t, i, j, k);
            out[k * t->nx + i] = plane_ready(t, k) ? (double)t->cap[id] * t->u[id] /
                                                         cell_volume(t, i, j, k)
                                                   : 0.0;
        }
}

/* ---- a whole run ------------------------------------------------------------------
 */

void mn_transport_result_free(mn_transport_result *r)
{
    if (!r)
        return;
    free(r->t_s);
    free(r->vehicle);
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        free(r->layer[l]);
    free(r->cleared), free(r->sink), free(r->supplied), free(r->delivered);
    free(r->permeated), free(r->dermis_flux), free(r->probe), free(r->probe_mean);
    free(r->z_m), free(r->profiles);
    memset(r, 0, sizeof *r);
}

double mn_transport_crossing(const double *t_s, const double *y, size_t n, double value)
{
    for (size_t m = 0; m < n; m++) {
        if (!(y[m] >= value))
            continue;
        if (m == 0)
            return t_s[0];
        double y0 = y[m - 1], y1 = y[m];
        double fr = y1 > y0 ? (value - y0) / (y1 - y0) : 1.0;
        return t_s[m - 1] + fr * (t_s[m] - t_s[m - 1]);
    }
    return NAN;
}

static void record(mn_transport *t, mn_transport_result *r, size_t m, double *plane)
{
    plane_amounts(t, plane);
    mn_transport_balance b;
    balance_from(t, plane, &b);
    double f = AMOUNT / t->area_m2;
    r->t_s[m] = t->t;
    r->vehicle[m] = b.vehicle;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        r->layer[l][m] = b.layer[l];
    r->cleared[m] = b.cleared;
    r->sink[m] = b.sink;
    r->supplied[m] = b.supplied;
    r->delivered[m] = b.layer[1] + b.layer[2] + b.layer[3] + b.cleared + b.sink;
    r->permeated[m] = t->acc[L_DEJ] * f;
    r->dermis_flux[m] = t->k_dej <= 0    ? NAN
                        : t->last_dt > 0 ? t->last_dej * f / t->last_dt
                                         : 0.0;
    r->probe[m] = t->k_probe >= 0 ? t->probe_q : NAN;
    r->probe_mean[m] = t->k_probe >= 0 ? t->probe_mean : NAN;
    for (size_t k = 0; k < t->nz; k++)
        r->profiles[m * t->nz + k] = plane[k] / (t->area_um2 * t->dz[k]);
    if (b.error > r->mass_error_max)
        r->mass_error_max = b.error;
}

mn_status mn_transport_run(mn_transport *t, const mn_progress *progress,
                           mn_transport_result *r, mn_error *err)
{
    memset(r, 0, sizeof *r);
#ifdef _OPENMP
    t->omp_level = omp_get_level();
#endif
    const mn_transport_config *c = &t->cfg;
    size_t ns = c->n_samples < 1 ? 1 : c->n_samples;
    size_t n = ns + 1;
    r->n = n;
    r->nz = t->nz;
    r->t_s = malloc(n * sizeof(double));
    r->vehicle = malloc(n * sizeof(double));
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        r->layer[l] = malloc(n * sizeof(double));
    r->cleared = malloc(n * sizeof(double));
    r->sink = malloc(n * sizeof(double));
    r->supplied = malloc(n * sizeof(double));
    r->delivered = malloc(n * sizeof(double));
    r->permeated = malloc(n * sizeof(double));
    r->dermis_flux = malloc(n * sizeof(double));
    r->probe = malloc(n * sizeof(double));
    r->probe_mean = malloc(n * sizeof(double));
    r->z_m = malloc(t->nz * sizeof(double));
    r->profiles = malloc(n * t->nz * sizeof(double));
    double *plane = malloc(t->nz * sizeof *plane);
    int ok = r->t_s && r->vehicle && r->cleared && r->sink && r->supplied &&
             r->delivered && r->permeated && r->dermis_flux && r->probe &&
             r->probe_mean && r->z_m && r->profiles && plane;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        ok = ok && r->layer[l];
    if (!ok) {
        free(plane);
        mn_transport_result_free(r);
        return mn_error_set(err, MN_ENOMEM, "transport: out of memory for the results");
    }
    for (size_t k = 0; k < t->nz; k++)
        r->z_m[k] = 0.5 * (t->zf[k] + t->zf[k + 1]);
    r->threshold_time_s = NAN;
    double t0 = t->t, t_end = c->t_end_s;
    probe_stats(t);
    record(t, r, 0, plane);
    double thr = c->probe_threshold;
    double p_prev = t->probe_q, t_prev = t->t;
    if (t->k_probe >= 0 && isfinite(thr) && p_prev >= thr)
        r->threshold_time_s = t->t;
    long steps0 = t->steps;
    mn_status st = MN_OK;
    size_t m = 1;
    const int adaptive = c->accuracy > 0;
    double h_next = c->dt_first_s; /* adaptive: the controller's step */
    while (m < n) {
        double ts = t0 + (t_end - t0) * (double)m / (double)ns;
        double tt = t->t - t0;
        double dt = tt <= 0 ? c->dt_first_s : c->dt_rel * tt;
        if (dt < c->dt_first_s)
            dt = c->dt_first_s;
        if (adaptive)
            dt = h_next;
        if (dt > c->dt_max_s)
            dt = c->dt_max_s;
        if (t->phi && isfinite(c->closure_half_life_s) &&
            dt > 0.05 * c->closure_half_life_s)
            dt = 0.05 * c->closure_half_life_s;
        if (t->t + 1.25 * dt >= ts)
            dt = ts - t->t;
        if (!(dt > 1e-9 * (ts > 1 ? ts : 1))) {
            t->t = ts;
            record(t, r, m++, plane);
            continue;
        }
        double est = 0;
        st = mn_tr_step_try(t, dt, adaptive ? &est : NULL, err);
        if (st != MN_OK)
            break;
        if (adaptive) {
            /* local error ~ h^3: the next step from the estimate, with a
             * safety factor and at most 4x growth, 5x shrinking */
            double tol = ACC_LOCAL * c->accuracy;
            double f = est > 0 ? 0.9 * cbrt(tol / est) : 4.0;
            f = f > 4.0 ? 4.0 : f < 0.2 ? 0.2 : f;
            if (est > tol) { /* undone: again, smaller */
                h_next = dt * f;
                if (!(h_next > 1e-12 * (ts > 1 ? ts : 1))) {
                    st =
                        mn_error_set(err, MN_ENUMERIC,
                                     "transport: the step fell below 1e-12 of the time "
                                     "(accuracy %g)",
                                     c->accuracy);
                    break;
                }
                continue;
            }
            /* a step cut short to meet a sample does not shrink the next */
            h_next = dt * f > h_next || dt >= h_next ? dt * f : h_next;
        }
        if (t->k_probe >= 0 && isfinite(thr) && isnan(r->threshold_time_s) &&
            t->probe_q >= thr) {
            double fr =
                t->probe_q > p_prev ? (thr - p_prev) / (t->probe_q - p_prev) : 1.0;
            r->threshold_time_s = t_prev + fr * (t->t - t_prev);
        }
        p_prev = t->probe_q;
        t_prev = t->t;
        if (t->t >= ts * (1 - 1e-12)) {
            t->t = ts; /* exact sample times */
            record(t, r, m++, plane);
        }
        if (mn_progress_report(progress, (t->t - t0) / (t_end - t0), "transport")) {
            st = mn_error_set(err, MN_ECANCEL, "transport: cancelled");
            break;
        }
    }
    r->steps = t->steps - steps0;
    r->channels_open_end = t->phi ? t->open : 0.0;
    free(plane);
    if (st != MN_OK)
        mn_transport_result_free(r);
    return st;
}
