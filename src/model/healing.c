/* Healing and collagen induction after microneedling: a mechanistic ODE
 * system integrated with GSL's BDF solver, piecewise between sessions.
 * Equations, parameters and their sources: docs/model.md, "Healing and
 * collagen induction", and data/healing.yaml. Time is in days here. */
#include "mnsim/healing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_odeiv2.h>

#include "mnsim/rng.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#define SECONDS_PER_DAY 86400.0
/* 12 months (mean Gregorian year), the default horizon. */
#define YEAR_DAYS 365.2425

/* ---- parameters ---------------------------------------------------------- */

static const mn_heal_param_info param_info[MN_HEAL_NPARAMS] = {
#define MN_HEAL_X_INFO(id, key, unit, du, lo, hi, help) {#key, unit, du, lo, hi, help},
    MN_HEAL_PARAM_LIST(MN_HEAL_X_INFO)
#undef MN_HEAL_X_INFO
};

const mn_heal_param_info *mn_heal_param_get_info(int id)
{
    return (id >= 0 && id < MN_HEAL_NPARAMS) ? &param_info[id] : NULL;
}

int mn_heal_param_find(const char *key)
{
    for (int i = 0; key && i < MN_HEAL_NPARAMS; i++)
        if (!strcmp(param_info[i].key, key))
            return i;
    return -1;
}

double mn_heal_param_si_factor(int id)
{
    const mn_heal_param_info *in = mn_heal_param_get_info(id);
    return in && in->unit == MN_UNIT_TIME ? SECONDS_PER_DAY : 1.0;
}

mn_status mn_heal_params_validate(const mn_heal_params *p, mn_error *err)
{
    if (!p)
        return mn_error_set(err, MN_EINVAL, "no healing parameters");
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        double v = p->value[i];
        const mn_heal_param_info *in = &param_info[i];
        if (!isfinite(v) || v < in->min || v > in->max)
            return mn_error_set(err, MN_ERANGE,
                                "healing parameter %s = %g is outside %g..%g %s",
                                in->key, v, in->min, in->max, in->display_unit);
    }
    if (p->value[MN_HEAL_P_PIH_HIGH] < p->value[MN_HEAL_P_PIH_MODERATE])
        return mn_error_set(err, MN_ERANGE,
                            "healing parameter pih_high_index must not be below "
                            "pih_moderate_index");
    return MN_OK;
}

static const char *const state_names[MN_HEAL_NSTATES] = {
    "barrier_open", "damage",       "redness",     "inflammation",       "macrophages",
    "tgf",          "mmp",          "fibroblasts", "matrix_fibroblasts", "collagen_iii",
    "collagen_i",   "tropoelastin", "elastin",     "epidermis"};

const char *mn_heal_state_name(int s)
{
    return (s >= 0 && s < MN_HEAL_NSTATES) ? state_names[s] : "?";
}

static const char *const out_names[MN_HEAL_NOUT] = {
    "collagen_i", "collagen_iii", "elastin", "epidermis", "collagen_total"};

const char *mn_heal_out_name(int o)
{
    return (o >= 0 && o < MN_HEAL_NOUT) ? out_names[o] : "?";
}

const char *mn_heal_pih_name(int level)
{
    static const char *names[] = {"low", "moderate", "high"};
    return (level >= 0 && level <= MN_PIH_HIGH) ? names[level] : "?";
}

/* ---- doses ----------------------------------------------------------------- */

mn_status mn_heal_dose_validate(const mn_heal_dose *d, mn_error *err)
{
    if (!d)
        return mn_error_set(err, MN_EINVAL, "no session dose");
    if (!isfinite(d->t_days) || d->t_days < 0)
        return mn_error_set(err, MN_EINVAL, "session time %g days: must be >= 0",
                            d->t_days);
    if (!isfinite(d->channels_per_m2) || d->channels_per_m2 < 0)
        return mn_error_set(err, MN_EINVAL, "channels_per_m2 must be finite and >= 0");
    if (!isfinite(d->depth_m) || d->depth_m < 0)
        return mn_error_set(err, MN_EINVAL, "depth_m must be finite and >= 0");
    if (!isfinite(d->dermis_depth_m) || d->dermis_depth_m < 0 ||
        d->dermis_depth_m > d->depth_m * (1 + 1e-12))
        return mn_error_set(err, MN_EINVAL,
                            "dermis_depth_m must be in 0..depth_m (%g m)", d->depth_m);
    if (!isfinite(d->capillary_fraction) || d->capillary_fraction < 0 ||
        d->capillary_fraction > 1)
        return mn_error_set(err, MN_EINVAL, "capillary_fraction must be in 0..1");
    return MN_OK;
}

static double density_ratio(const mn_heal_params *p, const mn_heal_dose *d)
{
    return d->channels_per_m2 / (p->value[MN_HEAL_P_REF_DENSITY] * 1e4);
}

double mn_heal_dose_damage(const mn_heal_params *p, const mn_heal_dose *d)
{
    if (d->channels_per_m2 <= 0 || d->depth_m <= 0)
        return 0;
    const double *v = p->value;
    return density_ratio(p, d) *
           (d->dermis_depth_m / v[MN_HEAL_P_REF_DERMIS] + v[MN_HEAL_P_EPI_WEIGHT]);
}

double mn_heal_total_collagen(const mn_heal_params *p, double c1, double c3)
{
    double w = p->value[MN_HEAL_P_C1_FRACTION];
    return w * c1 + (1 - w) * c3;
}

/* ---- the ODE system ------------------------------------------------------ */

typedef struct {
    const double *v;    /* parameter values */
    double tau_barrier; /* closure time constant of the latest channels, days */
} ode_ctx;

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

static int rhs(double t, const double y[], double f[], void *params)
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

static int jac(double t, const double y[], double *dfdy, double dfdt[], void *params)
{
    (void)t;
    const ode_ctx *c = params;
    const double *v = c->v;
    gsl_matrix_view mv = gsl_matrix_view_array(dfdy, NS, NS);
    gsl_matrix *J = &mv.matrix;
    gsl_matrix_set_zero(J);
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

    gsl_matrix_set(J, B, B, -1.0 / c->tau_barrier);
    gsl_matrix_set(J, D, D, -1.0 / PV(DAMAGE_TIME));
    gsl_matrix_set(J, Y, D, 1.0 / PV(REDNESS_TIME));
    gsl_matrix_set(J, Y, Y, -1.0 / PV(REDNESS_TIME));
    gsl_matrix_set(J, I, D, PV(INFL_GAIN) / PV(INFL_TIME));
    gsl_matrix_set(J, I, I, -1.0 / PV(INFL_TIME));
    gsl_matrix_set(J, M, I, sw / PV(MAC_TIME));
    gsl_matrix_set(J, M, D, y[I] * dsw_dD / PV(MAC_TIME));
    gsl_matrix_set(J, M, M, -1.0 / PV(MAC_TIME));
    gsl_matrix_set(J, T, M, PV(TGF_MAC) / PV(TGF_TIME));
    gsl_matrix_set(J, T, F, PV(TGF_FIB) / PV(TGF_TIME));
    gsl_matrix_set(J, T, T, -1.0 / PV(TGF_TIME));
    gsl_matrix_set(J, P, I, PV(MMP_INFL) / PV(MMP_TIME));
    gsl_matrix_set(J, P, F, PV(MMP_FIB) / PV(MMP_TIME));
    gsl_matrix_set(J, P, P, -1.0 / PV(MMP_TIME));
    double logistic = (1 + y[F]) * (1 - y[F] / cap);
    double dlog_dF = (1 - y[F] / cap) - (1 + y[F]) / cap;
    gsl_matrix_set(J, F, T, PV(FIB_PROLIF) * dh_dT * logistic);
    double loss = PV(FIB_INFL_LOSS);
    gsl_matrix_set(J, F, F,
                   PV(FIB_PROLIF) * h * dlog_dF - (PV(FIB_DEATH) + kmat + loss * y[I]));
    gsl_matrix_set(J, F, I, -loss * y[F]);
    gsl_matrix_set(J, G, F, kmat);
    gsl_matrix_set(J, G, I, -loss * y[G]);
    gsl_matrix_set(J, G, G, -1.0 / PV(MFIB_TIME) - loss * y[I]);
    gsl_matrix_set(J, C3, I, dinh_dI * s3);
    gsl_matrix_set(J, C3, F, inh * PV(C3_SYN));
    gsl_matrix_set(J, C3, G, inh * PV(C3_SYN) * PV(C3_MATURE));
    gsl_matrix_set(J, C3, P, -PV(C3_MMP) * y[C3]);
    gsl_matrix_set(J, C3, C3, -1.0 / PV(C3_TIME) - PV(C3_MMP) * y[P]);
    gsl_matrix_set(J, C1, I, dinh_dI * s1);
    gsl_matrix_set(J, C1, F, inh * PV(C1_SYN) * PV(C1_EARLY));
    gsl_matrix_set(J, C1, G, inh * PV(C1_SYN));
    gsl_matrix_set(J, C1, P, -PV(C1_MMP) * y[C1]);
    gsl_matrix_set(J, C1, C1, -1.0 / PV(C1_TIME) - PV(C1_MMP) * y[P]);
    gsl_matrix_set(J, R, I, dinh_dI * se);
    gsl_matrix_set(J, R, G, inh * PV(EL_SYN));
    gsl_matrix_set(J, R, R, -1.0 / PV(EL_ASSEMBLY));
    gsl_matrix_set(J, E, R, 1.0 / PV(EL_ASSEMBLY));
    gsl_matrix_set(J, E, P, -PV(EL_MMP) * y[E]);
    gsl_matrix_set(J, E, E, -1.0 / PV(EL_TIME) - PV(EL_MMP) * y[P]);
    double et = PV(EPI_TIME);
    gsl_matrix_set(J, K, F, PV(EPI_GF) / et);
    gsl_matrix_set(J, K, G, PV(EPI_GF) / et);
    gsl_matrix_set(J, K, C1, PV(EPI_MATRIX) * w / et);
    gsl_matrix_set(J, K, C3, PV(EPI_MATRIX) * (1 - w) / et);
    gsl_matrix_set(J, K, K, -1.0 / et);
    return GSL_SUCCESS;
}

/* Exposed for the unit test of the Jacobian (not in the public header). */
int mn_heal__rhs(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double f[]);
int mn_heal__jac(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double *dfdy);

int mn_heal__rhs(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double f[])
{
    ode_ctx c = {p->value, tau_barrier_days};
    return rhs(0, y, f, &c);
}

int mn_heal__jac(const mn_heal_params *p, double tau_barrier_days, const double y[],
                 double *dfdy)
{
    ode_ctx c = {p->value, tau_barrier_days};
    double dfdt[NS];
    return jac(0, y, dfdy, dfdt, &c);
}

/* ---- recovery tracking -------------------------------------------------- */

/* Crossing times of the markers after one session. */
typedef struct {
    double t0;      /* session time */
    double barrier; /* absolute times of the crossings, NaN = not yet */
    double redness;
    double ready;
    int active;
    double t_prev; /* previous output point */
    double y_prev[NS];
    int have_prev;
} tracker;

static void tracker_start(tracker *tr, double t0, const double y[])
{
    tr->t0 = t0;
    tr->barrier = tr->redness = tr->ready = NAN;
    tr->active = 1;
    tr->t_prev = t0;
    memcpy(tr->y_prev, y, sizeof tr->y_prev);
    tr->have_prev = 1;
}

static int tracker_done(const tracker *tr)
{
    return !tr->active ||
           (!isnan(tr->barrier) && !isnan(tr->redness) && !isnan(tr->ready));
}

/* Time in (t0, t1] at which x fell to thr, given x0 >= thr > x1: log-linear
 * interpolation (the markers decay exponentially). */
static double crossing(double t0, double x0, double t1, double x1, double thr)
{
    if (!(x0 > thr))
        return t0;
    if (x1 > 0 && x0 > 0 && thr > 0) {
        double a = log(x0 / thr), b = log(x0 / x1);
        if (b > 0)
            return t0 + (t1 - t0) * (a / b);
    }
    return t0 + (t1 - t0) * (x0 - thr) / (x0 - x1);
}

/* Look at a new output point (t, y); f = dy/dt there. */
static void tracker_see(tracker *tr, const double *v, double t, const double y[],
                        const double f[])
{
    if (!tr->active)
        return;
    double thr_b = PV(BARRIER_THR), thr_y = PV(REDNESS_THR);
    double thr_d = PV(DAMAGE_THR), thr_i = PV(INFL_THR);
    const double *yp = tr->y_prev;
    if (isnan(tr->barrier) && y[B] < thr_b)
        tr->barrier = crossing(tr->t_prev, yp[B], t, y[B], thr_b);
    if (isnan(tr->redness) && y[Y] < thr_y && f[Y] <= 0)
        tr->redness = crossing(tr->t_prev, yp[Y], t, y[Y], thr_y);
    if (isnan(tr->ready) && y[B] < thr_b && y[D] < thr_d && y[I] < thr_i && f[I] <= 0) {
        double tb = crossing(tr->t_prev, yp[B], t, y[B], thr_b);
        double td = crossing(tr->t_prev, yp[D], t, y[D], thr_d);
        double ti = crossing(tr->t_prev, yp[I], t, y[I], thr_i);
        double tc = tb > td ? tb : td;
        tr->ready = tc > ti ? tc : ti;
    }
    tr->t_prev = t;
    memcpy(tr->y_prev, y, sizeof tr->y_prev);
}

static int ready_now(const double *v, const double y[], const double f[])
{
    return y[B] < PV(BARRIER_THR) && y[D] < PV(DAMAGE_THR) && y[I] < PV(INFL_THR) &&
           f[I] <= 0;
}

/* ---- integration ---------------------------------------------------------- */

typedef struct {
    const mn_heal_params *p;
    const mn_heal_solver *s;
    ode_ctx ctx;
    gsl_odeiv2_system sys;
    double *daily; /* n_days x NS, or NULL */
    size_t n_days;
    double infl_time; /* time with I above threshold (accumulated) */
    double peak_infl;
    long steps;
} integ;

static mn_status solver_status(int st, double t, mn_error *err)
{
    return mn_error_set(err, MN_ENUMERIC,
                        "healing ODE solver failed at day %.3f (GSL status %d: %s)", t,
                        st, gsl_strerror(st));
}

/* Integrate y from t0 to t1 (days), writing the daily rows in (t0, t1] and
 * feeding the tracker at fine steps until its markers are found. When
 * stop_when_tracked, return as soon as the tracker is done (*t_end says
 * where). */
static mn_status integrate(integ *in, double *y, double t0, double t1, tracker *tr,
                           int stop_when_tracked, double *t_end, mn_error *err)
{
    const double *v = in->p->value;
    double h0 = in->s->fine_step_days > 0 ? in->s->fine_step_days * 0.01 : 1e-4;
    gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(
        &in->sys, gsl_odeiv2_step_msbdf, h0, in->s->atol, in->s->rtol);
    if (!d)
        return mn_error_set(err, MN_ENOMEM, "out of memory (ODE driver)");
    gsl_odeiv2_driver_set_nmax(d, 1000000);
    double t = t0;
    double fine = in->s->fine_step_days;
    double thr_i = PV(INFL_THR);
    mn_status rc = MN_OK;
    double f[NS];
    /* Next daily output day strictly after t0 (the row at t0 is written by
     * the caller after a session jump). */
    double next_day = floor(t0) + 1;
    double next_fine = t0 + fine;
    while (t < t1) {
        int tracking = tr && !tracker_done(tr);
        double target = t1;
        if (in->daily && next_day < target)
            target = next_day;
        if (tracking && next_fine < target)
            target = next_fine;
        double ta = t;
        double ia = y[I];
        int st = gsl_odeiv2_driver_apply(d, &t, target, y);
        if (st != GSL_SUCCESS) {
            rc = solver_status(st, t, err);
            break;
        }
        for (int i = 0; i < NS; i++)
            if (!isfinite(y[i])) {
                rc = mn_error_set(err, MN_ENUMERIC,
                                  "healing ODE produced a non-finite value at "
                                  "day %.3f",
                                  t);
                break;
            }
        if (rc != MN_OK)
            break;
        /* Inflammation above threshold: trapezoid of the indicator by
         * crossing interpolation. */
        {
            double ib = y[I];
            double dt = t - ta;
            if (ia >= thr_i && ib >= thr_i)
                in->infl_time += dt;
            else if (ia >= thr_i || ib >= thr_i)
                in->infl_time += dt * (ia >= thr_i ? (ia - thr_i) / (ia - ib)
                                                   : (ib - thr_i) / (ib - ia));
            if (ib > in->peak_infl)
                in->peak_infl = ib;
        }
        if (in->daily && fabs(t - next_day) < 1e-9 && next_day < (double)in->n_days) {
            memcpy(in->daily + (size_t)next_day * NS, y, NS * sizeof(double));
        }
        if (in->daily && t >= next_day - 1e-9)
            next_day += 1;
        if (tracking) {
            rhs(t, y, f, &in->ctx);
            tracker_see(tr, v, t, y, f);
            if (t >= next_fine - 1e-9)
                next_fine += fine;
            if (stop_when_tracked && tracker_done(tr))
                break;
        }
    }
    in->steps += (long)d->e->count;
    gsl_odeiv2_driver_free(d);
    if (t_end)
        *t_end = t;
    return rc;
}

void mn_heal_result_free(mn_heal_result *r)
{
    if (!r)
        return;
    free(r->daily);
    free(r->sessions);
    memset(r, 0, sizeof *r);
}

static double pih_factor(const double *v, int fitz)
{
    if (fitz >= 5)
        return PV(PIH_5_6);
    if (fitz == 4)
        return PV(PIH_4);
    return PV(PIH_1_3);
}

static mn_status check_course(const mn_heal_course *c, mn_error *err)
{
    if (!c)
        return mn_error_set(err, MN_EINVAL, "no course");
    if (c->n_sessions > 0 && !c->sessions)
        return mn_error_set(err, MN_EINVAL, "course without its sessions");
    if (c->fitzpatrick < 1 || c->fitzpatrick > 6)
        return mn_error_set(err, MN_EINVAL, "Fitzpatrick skin type %d: must be 1 to 6",
                            c->fitzpatrick);
    for (size_t k = 0; k < c->n_sessions; k++) {
        mn_status st = mn_heal_dose_validate(&c->sessions[k], err);
        if (st != MN_OK) {
            if (err) {
                char msg[MN_ERROR_MSG_MAX];
                snprintf(msg, sizeof msg, "session %zu: %s", k + 1, err->message);
                memcpy(err->message, msg, sizeof msg);
            }
            return st;
        }
        if (k > 0 && c->sessions[k].t_days < c->sessions[k - 1].t_days)
            return mn_error_set(err, MN_EINVAL,
                                "session %zu (day %g) comes before session %zu "
                                "(day %g): give sessions in time order",
                                k + 1, c->sessions[k].t_days, k,
                                c->sessions[k - 1].t_days);
    }
    if (!isfinite(c->horizon_days) || c->horizon_days > 36500)
        return mn_error_set(err, MN_EINVAL, "horizon %g days: at most 100 years",
                            c->horizon_days);
    return MN_OK;
}

static double course_horizon(const mn_heal_course *c)
{
    double h = c->horizon_days;
    if (h <= 0) {
        h = YEAR_DAYS;
        if (c->n_sessions && c->sessions[c->n_sessions - 1].t_days + 90 > h)
            h = c->sessions[c->n_sessions - 1].t_days + 90;
    }
    return h;
}

static void rest_state(double y[NS])
{
    for (int i = 0; i < NS; i++)
        y[i] = 0;
    y[C3] = y[C1] = y[E] = y[K] = 1;
}

static mn_status simulate(const mn_heal_params *p, const mn_heal_course *c,
                          const mn_heal_solver *s_in, mn_heal_result *out,
                          mn_error *err)
{
    memset(out, 0, sizeof *out);
    mn_status st = mn_heal_params_validate(p, err);
    if (st != MN_OK)
        return st;
    if ((st = check_course(c, err)) != MN_OK)
        return st;
    mn_heal_solver s = MN_HEAL_SOLVER_DEFAULTS;
    if (s_in) {
        if (s_in->rtol > 0)
            s.rtol = s_in->rtol;
        if (s_in->atol > 0)
            s.atol = s_in->atol;
        if (s_in->fine_step_days > 0)
            s.fine_step_days = s_in->fine_step_days;
    }
    const double *v = p->value;
    double horizon = course_horizon(c);
    size_t n_days = (size_t)ceil(horizon) + 1;
    if (c->n_sessions && c->sessions[c->n_sessions - 1].t_days > (double)(n_days - 1))
        return mn_error_set(err, MN_EINVAL,
                            "session %zu (day %g) is after the end of the simulation "
                            "(day %zu): extend the horizon",
                            c->n_sessions, c->sessions[c->n_sessions - 1].t_days,
                            n_days - 1);
    out->daily = malloc(n_days * NS * sizeof(double));
    out->sessions = calloc(c->n_sessions ? c->n_sessions : 1, sizeof *out->sessions);
    if (!out->daily || !out->sessions) {
        mn_heal_result_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory (healing result)");
    }
    out->n_days = n_days;
    out->n_sessions = c->n_sessions;
    out->horizon_days = horizon;
    out->fitzpatrick = c->fitzpatrick;

    integ in;
    memset(&in, 0, sizeof in);
    in.p = p;
    in.s = &s;
    in.ctx.v = v;
    in.ctx.tau_barrier = PV(BARRIER_TIME);
    in.sys.function = rhs;
    in.sys.jacobian = jac;
    in.sys.dimension = NS;
    in.sys.params = &in.ctx;
    in.daily = out->daily;
    in.n_days = n_days;

    double y[NS];
    rest_state(y);
    memcpy(out->daily, y, sizeof y); /* day 0 before any session */
    double t = 0;
    tracker tr;
    memset(&tr, 0, sizeof tr);
    double t_last_day = (double)(n_days - 1);
    double f[NS];

    for (size_t k = 0; k <= c->n_sessions && st == MN_OK; k++) {
        double t_next = k < c->n_sessions ? c->sessions[k].t_days : t_last_day;
        if (t_next > t_last_day)
            t_next = t_last_day;
        if (t_next > t) {
            st = integrate(&in, y, t, t_next, tr.active ? &tr : NULL, 0, NULL, err);
            t = t_next;
            if (st != MN_OK)
                break;
        }
        if (k == c->n_sessions)
            break;
        const mn_heal_dose *dose = &c->sessions[k];
        mn_heal_session_result *sr = &out->sessions[k];
        sr->t_days = dose->t_days;
        sr->inflammation_before = y[I];
        sr->barrier_closed_days = sr->redness_resolved_days = sr->ready_days = NAN;
        /* The previous session: was the skin ready, and when did (or would)
         * its markers fall under their thresholds? */
        if (k > 0 && tr.active) {
            int was_ready = !isnan(tr.ready);
            if (!was_ready) {
                rhs(t, y, f, &in.ctx);
                if (ready_now(v, y, f)) {
                    tr.ready = t;
                    was_ready = 1;
                }
            }
            if (!tracker_done(&tr)) {
                /* Branch: continue without this session. */
                double yb[NS];
                memcpy(yb, y, sizeof yb);
                integ ib = in;
                ib.daily = NULL;
                ib.sys.params = &ib.ctx;
                st = integrate(&ib, yb, t, t + 365, &tr, 1, NULL, err);
                in.steps = ib.steps;
                if (st != MN_OK)
                    break;
            }
            if (!was_ready) {
                double u = 1;
                if (!isnan(tr.ready) && tr.ready > tr.t0)
                    u = (tr.ready - t) / (tr.ready - tr.t0);
                sr->unready_fraction = u < 0 ? 0 : u > 1 ? 1 : u;
                sr->early = sr->unready_fraction > 0;
            }
            mn_heal_session_result *prev = &out->sessions[k - 1];
            prev->barrier_closed_days = tr.barrier - tr.t0;
            prev->redness_resolved_days = tr.redness - tr.t0;
            prev->ready_days = tr.ready - tr.t0;
        }
        /* The session: channels open, damage, platelets. */
        double q = mn_heal_dose_damage(p, dose);
        sr->damage = q;
        if (dose->channels_per_m2 > 0 && dose->depth_m > 0) {
            y[B] = 1;
            in.ctx.tau_barrier =
                PV(BARRIER_TIME) * (1 + dose->depth_m / PV(BARRIER_DEPTH));
        }
        y[D] += q;
        y[T] += PV(PLATELET_GAIN) * density_ratio(p, dose) * dose->capillary_fraction;
        if (fabs(t - round(t)) < 1e-9 && (size_t)round(t) < n_days)
            memcpy(out->daily + (size_t)round(t) * NS, y, sizeof y);
        tracker_start(&tr, t, y);
    }
    if (st == MN_OK && tr.active && c->n_sessions > 0) {
        /* Recovery of the last session, beyond the horizon if needed. */
        if (!tracker_done(&tr)) {
            double yb[NS];
            memcpy(yb, y, sizeof yb);
            integ ib = in;
            ib.daily = NULL;
            ib.sys.params = &ib.ctx;
            st = integrate(&ib, yb, t, t + 365, &tr, 1, NULL, err);
            in.steps = ib.steps;
        }
        mn_heal_session_result *last = &out->sessions[c->n_sessions - 1];
        last->barrier_closed_days = tr.barrier - tr.t0;
        last->redness_resolved_days = tr.redness - tr.t0;
        last->ready_days = tr.ready - tr.t0;
    }
    if (st != MN_OK) {
        mn_heal_result_free(out);
        return st;
    }
    double oi = 0;
    for (size_t k = 0; k < c->n_sessions; k++)
        oi += out->sessions[k].unready_fraction;
    out->overtreatment_index = oi;
    out->overtreated = oi >= PV(OT_THR) && oi > 0;
    out->inflamed_days = in.infl_time;
    out->peak_inflammation = in.peak_infl;
    out->pih_index = pih_factor(v, c->fitzpatrick) * in.peak_infl * (1 + oi);
    out->pih_risk = out->pih_index >= PV(PIH_HIGH)       ? MN_PIH_HIGH
                    : out->pih_index >= PV(PIH_MODERATE) ? MN_PIH_MODERATE
                                                         : MN_PIH_LOW;
    out->steps = in.steps;
    return MN_OK;
}

mn_status mn_heal_simulate(const mn_heal_params *p, const mn_heal_course *c,
                           const mn_heal_solver *s, mn_heal_result *out, mn_error *err)
{
    /* GSL's default error handler aborts; the library never does. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    mn_status st = simulate(p, c, s, out, err);
    gsl_set_error_handler(old);
    return st;
}

double mn_heal_value_at(const mn_heal_result *r, int state, double t)
{
    if (!r || !r->daily || state < 0 || state >= NS || !(t >= 0) ||
        t > (double)(r->n_days - 1))
        return NAN;
    size_t i = (size_t)floor(t);
    if (i >= r->n_days - 1)
        return r->daily[(r->n_days - 1) * NS + (size_t)state];
    double a = t - (double)i;
    return (1 - a) * r->daily[i * NS + (size_t)state] +
           a * r->daily[(i + 1) * NS + (size_t)state];
}

double mn_heal_out_at(const mn_heal_params *p, const mn_heal_result *r, int o, double t)
{
    switch (o) {
    case MN_HEAL_OUT_COLLAGEN_I: return mn_heal_value_at(r, C1, t);
    case MN_HEAL_OUT_COLLAGEN_III: return mn_heal_value_at(r, C3, t);
    case MN_HEAL_OUT_ELASTIN: return mn_heal_value_at(r, E, t);
    case MN_HEAL_OUT_EPIDERMIS: return mn_heal_value_at(r, K, t);
    case MN_HEAL_OUT_COLLAGEN_TOTAL:
        return mn_heal_total_collagen(p, mn_heal_value_at(r, C1, t),
                                      mn_heal_value_at(r, C3, t));
    default: return NAN;
    }
}

/* ---- populations ---------------------------------------------------------- */

void mn_heal_sample_params(const mn_heal_population *pop, uint64_t seed,
                           uint64_t sample, mn_heal_params *out)
{
    mn_rng r;
    mn_rng_init(&r, seed, "heal", sample, 0);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        double z = mn_rng_normal(&r); /* always drawn: fixed stream layout */
        double med = pop->median.value[i], cv = pop->cv[i];
        double x = med;
        if (cv > 0 && med > 0) {
            double sigma = sqrt(log1p(cv * cv));
            x = med * exp(sigma * z);
        }
        const mn_heal_param_info *in = &param_info[i];
        if (x < in->min)
            x = in->min;
        if (x > in->max)
            x = in->max;
        out->value[i] = x;
    }
    if (out->value[MN_HEAL_P_PIH_HIGH] < out->value[MN_HEAL_P_PIH_MODERATE])
        out->value[MN_HEAL_P_PIH_HIGH] = out->value[MN_HEAL_P_PIH_MODERATE];
}

void mn_heal_band_free(mn_heal_band *b)
{
    if (!b)
        return;
    free(b->p5);
    free(b->p50);
    free(b->p95);
    free(b->ready_p5);
    free(b->ready_p50);
    free(b->ready_p95);
    memset(b, 0, sizeof *b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    /* NaN last */
    if (isnan(x))
        return isnan(y) ? 0 : 1;
    if (isnan(y))
        return -1;
    return (x > y) - (x < y);
}

/* Quantile q of n sorted values (linear interpolation, type 7), NaNs
 * ignored. */
static double quantile_sorted(const double *x, size_t n, double q)
{
    while (n > 0 && isnan(x[n - 1]))
        n--;
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return x[lo] + (h - (double)lo) * (x[hi] - x[lo]);
}

static void summarise(double *vals, size_t n, double *p5, double *p50, double *p95)
{
    qsort(vals, n, sizeof *vals, cmp_double);
    *p5 = quantile_sorted(vals, n, 0.05);
    *p50 = quantile_sorted(vals, n, 0.50);
    *p95 = quantile_sorted(vals, n, 0.95);
}

mn_status mn_heal_ensemble(const mn_heal_population *pop, const mn_heal_course *c,
                           const mn_heal_solver *s, uint64_t seed, size_t n_samples,
                           const mn_progress *progress, mn_heal_band *out,
                           mn_error *err)
{
    memset(out, 0, sizeof *out);
    if (!pop || n_samples == 0)
        return mn_error_set(err, MN_EINVAL, "an ensemble needs at least one sample");
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        if (!(pop->cv[i] >= 0 && pop->cv[i] <= 10))
            return mn_error_set(err, MN_ERANGE,
                                "healing parameter %s: cv %g "
                                "must be in 0..10",
                                param_info[i].key, pop->cv[i]);
    mn_status st = mn_heal_params_validate(&pop->median, err);
    if (st != MN_OK)
        return st;
    if ((st = check_course(c, err)) != MN_OK)
        return st;
    double horizon = course_horizon(c);
    size_t n_days = (size_t)ceil(horizon) + 1;
    size_t ns = c->n_sessions;
    size_t per = n_days * MN_HEAL_NOUT;
    /* Per sample: daily outputs, ready days, index, flags. */
    double *outs = malloc(n_samples * per * sizeof(double));
    double *ready = malloc(n_samples * (ns ? ns : 1) * sizeof(double));
    double *oi = malloc(n_samples * sizeof(double));
    unsigned char *flag = calloc(n_samples, 2);
    if (!outs || !ready || !oi || !flag) {
        free(outs), free(ready), free(oi), free(flag);
        return mn_error_set(err, MN_ENOMEM, "out of memory (%zu samples)", n_samples);
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int stop = 0;
    long failed_sample = -1;
    mn_error first_err;
    mn_error_clear(&first_err);
    size_t done = 0;
    int cancelled = 0;
    long ni = (long)n_samples;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
    for (long i = 0; i < ni; i++) {
        int halt;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp atomic read
#endif
        halt = stop;
        if (halt)
            continue;
        mn_heal_params p;
        mn_heal_sample_params(pop, seed, (uint64_t)i, &p);
        mn_heal_result r;
        mn_error e;
        mn_error_clear(&e);
        mn_status sst = simulate(&p, c, s, &r, &e);
        if (sst != MN_OK) {
#ifdef MNSIM_HAVE_OPENMP
#pragma omp critical(mn_heal_ens)
#endif
            {
                if (failed_sample < 0 || i < failed_sample) {
                    failed_sample = i;
                    first_err = e;
                }
#ifdef MNSIM_HAVE_OPENMP
#pragma omp atomic write
#endif
                stop = 1;
            }
            continue;
        }
        double *o = outs + (size_t)i * per;
        for (size_t d = 0; d < n_days; d++) {
            const double *row = r.daily + d * NS;
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_I] = row[C1];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_III] = row[C3];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_ELASTIN] = row[E];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_EPIDERMIS] = row[K];
            o[d * MN_HEAL_NOUT + MN_HEAL_OUT_COLLAGEN_TOTAL] =
                mn_heal_total_collagen(&p, row[C1], row[C3]);
        }
        for (size_t k = 0; k < ns; k++)
            ready[(size_t)i * ns + k] = r.sessions[k].ready_days;
        oi[i] = r.overtreatment_index;
        flag[2 * i] = (unsigned char)r.overtreated;
        flag[2 * i + 1] = (unsigned char)(r.pih_risk == MN_PIH_HIGH);
        mn_heal_result_free(&r);
#ifdef MNSIM_HAVE_OPENMP
#pragma omp critical(mn_heal_ens)
#endif
        {
            done++;
            if (progress && progress->fn) {
#ifdef MNSIM_HAVE_OPENMP
                int master = omp_get_thread_num() == 0;
#else
                int master = 1;
#endif
                if ((master || done == n_samples) &&
                    mn_progress_report(progress, (double)done / (double)n_samples,
                                       "healing samples")) {
                    cancelled = 1;
#ifdef MNSIM_HAVE_OPENMP
#pragma omp atomic write
#endif
                    stop = 1;
                }
            }
        }
    }
    gsl_set_error_handler(old);
    if (cancelled || failed_sample >= 0) {
        free(outs), free(ready), free(oi), free(flag);
        if (cancelled && failed_sample < 0)
            return mn_error_set(err, MN_ECANCEL, "cancelled");
        if (err) {
            *err = first_err;
            char msg[MN_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "virtual person %ld: %s", failed_sample,
                     first_err.message);
            memcpy(err->message, msg, sizeof msg);
        }
        return first_err.code != MN_OK ? first_err.code : MN_ENUMERIC;
    }
    out->n_samples = n_samples;
    out->n_days = n_days;
    out->n_sessions = ns;
    out->p5 = malloc(per * sizeof(double));
    out->p50 = malloc(per * sizeof(double));
    out->p95 = malloc(per * sizeof(double));
    out->ready_p5 = malloc((ns ? ns : 1) * sizeof(double));
    out->ready_p50 = malloc((ns ? ns : 1) * sizeof(double));
    out->ready_p95 = malloc((ns ? ns : 1) * sizeof(double));
    double *col = malloc(n_samples * sizeof(double));
    if (!out->p5 || !out->p50 || !out->p95 || !out->ready_p5 || !out->ready_p50 ||
        !out->ready_p95 || !col) {
        free(col), free(outs), free(ready), free(oi), free(flag);
        mn_heal_band_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory (band)");
    }
    for (size_t j = 0; j < per; j++) {
        for (size_t i = 0; i < n_samples; i++)
            col[i] = outs[i * per + j];
        summarise(col, n_samples, &out->p5[j], &out->p50[j], &out->p95[j]);
    }
    for (size_t k = 0; k < ns; k++) {
        for (size_t i = 0; i < n_samples; i++)
            col[i] = ready[i * ns + k];
        summarise(col, n_samples, &out->ready_p5[k], &out->ready_p50[k],
                  &out->ready_p95[k]);
    }
    size_t n_ot = 0, n_pih = 0;
    for (size_t i = 0; i < n_samples; i++) {
        n_ot += flag[2 * i];
        n_pih += flag[2 * i + 1];
    }
    summarise(oi, n_samples, &out->oi_p5, &out->oi_p50, &out->oi_p95);
    out->overtreated_share = (double)n_ot / (double)n_samples;
    out->pih_high_share = (double)n_pih / (double)n_samples;
    free(col), free(outs), free(ready), free(oi), free(flag);
    return MN_OK;
}

void mn_heal_data_clear(mn_heal_data *d)
{
    if (!d)
        return;
    free(d->description);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        free(d->source[i]);
        free(d->typical[i]);
    }
    memset(d, 0, sizeof *d);
}
