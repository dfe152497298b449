/* A course of sessions simulated by the healing model (floor: model;
 * docs/model.md, "Healing and collagen induction"): the doses of the
 * sessions, the integration of the equations (healing_ode.c) with RODAS3
 * (healing_fast.c) or GSL's BDF solver, piecewise between sessions, with
 * daily outputs, the recovery
 * markers after each session and the course's risks (overtreatment, PIH).
 * Time is in days. */
#include "healing_course.h"

#include <math.h>
#include <stdio.h> /* snprintf only: the model floor does no I/O */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "healing_fast.h"
#include "healing_ode.h"

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
    if (d->channels_per_m2 <= 0 || d->depth_m <= 0 || d->barrier_only)
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

/* ---- recovery tracking -------------------------------------------------- */

/* Crossing times of the markers after one session. */
typedef struct {
    double t0;      /* session time */
    double barrier; /* absolute times of the crossings, NaN = not yet */
    double redness;
    double ready;
    int active;
    double barrier_thr; /* open fraction below which the channels count as
                           closed (the channel model's) */
    double t_prev;      /* previous output point */
    double y_prev[NS];
    double tb_prev;     /* previous point at which the barrier was seen */
    double b_prev;      /* (output points and RODAS3's steps) */
    int have_prev;
} tracker;

static void tracker_start(tracker *tr, double t0, const double y[])
{
    tr->t0 = t0; /* barrier_thr is kept */
    tr->barrier = tr->redness = tr->ready = NAN;
    tr->active = 1;
    tr->t_prev = t0;
    memcpy(tr->y_prev, y, sizeof tr->y_prev);
    tr->tb_prev = t0;
    tr->b_prev = y[B];
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

/* Look at the barrier b at time t. The barrier alone decays fast (pores
 * close in minutes): RODAS3 shows it the ends of its steps too, between
 * output points (see stepper_apply). An exponential: its log-linear
 * crossing does not depend on where it is seen, as long as the values are
 * right. */
static void tracker_see_barrier(tracker *tr, double t, double b)
{
    if (!tr->active)
        return;
    if (isnan(tr->barrier) && b < tr->barrier_thr)
        tr->barrier = crossing(tr->tb_prev, tr->b_prev, t, b, tr->barrier_thr);
    tr->tb_prev = t;
    tr->b_prev = b;
}

/* Look at a new output point (t, y); f = dy/dt there. */
static void tracker_see(tracker *tr, const double *v, double t, const double y[],
                        const double f[])
{
    if (!tr->active)
        return;
    double thr_b = tr->barrier_thr, thr_y = PV(REDNESS_THR);
    double thr_d = PV(DAMAGE_THR), thr_i = PV(INFL_THR);
    const double *yp = tr->y_prev;
    tracker_see_barrier(tr, t, y[B]);
    if (isnan(tr->redness) && y[Y] < thr_y && f[Y] <= 0)
        tr->redness = crossing(tr->t_prev, yp[Y], t, y[Y], thr_y);
    if (isnan(tr->ready) && y[B] < thr_b && y[D] < thr_d && y[I] < thr_i && f[I] <= 0) {
        /* The barrier's crossing, or the previous point when it was
         * already closed there (as crossing() gives). */
        double tb = tr->barrier > tr->t_prev ? tr->barrier : tr->t_prev;
        double td = crossing(tr->t_prev, yp[D], t, y[D], thr_d);
        double ti = crossing(tr->t_prev, yp[I], t, y[I], thr_i);
        double tc = tb > td ? tb : td;
        tr->ready = tc > ti ? tc : ti;
    }
    tr->t_prev = t;
    memcpy(tr->y_prev, y, sizeof tr->y_prev);
}

static int ready_now(const double *v, double barrier_thr, const double y[],
                     const double f[])
{
    return y[B] < barrier_thr && y[D] < PV(DAMAGE_THR) && y[I] < PV(INFL_THR) &&
           f[I] <= 0;
}

/* ---- integration ---------------------------------------------------------- */

/* Days kept when not every day is (mn_heal_simulate_endpoints): the day
 * indices and their rows. */
typedef struct {
    size_t n;
    size_t day[2 * MN_HEAL_MAX_ENDPOINTS];
    double row[2 * MN_HEAL_MAX_ENDPOINTS][NS];
} day_set;

typedef struct {
    const mn_heal_params *p;
    const mn_heal_solver *s;
    ode_ctx ctx;
    gsl_odeiv2_system sys;
    double *daily; /* n_days x NS, or NULL */
    day_set *some; /* or only these days, or NULL */
    size_t n_days;
    double infl_time; /* time with I above threshold (accumulated) */
    double peak_infl;
    long steps;
} integ;

static int records_days(const integ *in)
{
    return in->daily || in->some;
}

/* Whether the row of day d is kept. */
static int day_wanted(const day_set *ds, double d)
{
    for (size_t k = 0; k < ds->n; k++)
        if (fabs((double)ds->day[k] - d) < 1e-9)
            return 1;
    return 0;
}

/* The state at day d (an integer time) is y. */
static void put_day(integ *in, size_t d, const double *y)
{
    if (d >= in->n_days)
        return;
    if (in->daily)
        memcpy(in->daily + d * NS, y, NS * sizeof(double));
    if (in->some)
        for (size_t k = 0; k < in->some->n; k++)
            if (in->some->day[k] == d)
                memcpy(in->some->row[k], y, NS * sizeof(double));
}

static mn_status solver_status(int st, double t, mn_error *err)
{
    return mn_error_set(err, MN_ENUMERIC,
                        "healing ODE solver failed at day %.3f (GSL status %d: %s)", t,
                        st, gsl_strerror(st));
}

/* The integrator of one piece between sessions: GSL's driver or RODAS3. */
typedef struct {
    gsl_odeiv2_driver *d;
    mn_heal__ros ros;
} stepper;

static mn_status stepper_start(integ *in, stepper *sp, double t0, const double *y,
                               mn_error *err)
{
    double h0 = in->s->fine_step_days > 0 ? in->s->fine_step_days * 0.01 : 1e-4;
    sp->d = NULL;
    if (in->s->method == MN_HEAL_METHOD_MSBDF) {
        sp->d = gsl_odeiv2_driver_alloc_y_new(&in->sys, gsl_odeiv2_step_msbdf, h0,
                                              in->s->atol, in->s->rtol);
        if (!sp->d)
            return mn_error_set(err, MN_ENOMEM, "out of memory (ODE driver)");
        gsl_odeiv2_driver_set_nmax(sp->d, 1000000);
        return MN_OK;
    }
    int st = mn_heal__ros_start(&sp->ros, &in->ctx, t0, y, h0, in->s->rtol, in->s->atol);
    return st == GSL_SUCCESS ? MN_OK : solver_status(st, t0, err);
}

/* y at target (<= t1, the end of the piece) from y at *t. RODAS3 also
 * shows the tracker (when given) the barrier at the ends of its steps
 * before target: exact states, where the output points between them are
 * interpolated. Pores close in minutes: 6 h later the barrier is far under
 * its threshold, and a log-linear crossing from there would need its tiny
 * value to a relative accuracy no absolute tolerance gives (msbdf happens
 * to keep such values positive and relatively right; RODAS3's interpolant
 * does not). */
static int stepper_apply(stepper *sp, double *t, double target, double t1, double *y,
                         tracker *tr, int only_i)
{
    if (sp->d)
        return gsl_odeiv2_driver_apply(sp->d, t, target, y);
    mn_heal__ros *r = &sp->ros;
    int st = GSL_SUCCESS;
    while (r->t < target && st == GSL_SUCCESS) {
        st = mn_heal__ros_step(r, t1);
        if (st == GSL_SUCCESS && r->steps > 1000000)
            st = GSL_EMAXITER;
        if (st == GSL_SUCCESS && tr && r->t < target)
            tracker_see_barrier(tr, r->t, r->y[B]);
    }
    if (st != GSL_SUCCESS) {
        *t = r->t;
        return st;
    }
    if (r->t == target)
        memcpy(y, r->y, sizeof r->y);
    else if (only_i)
        y[I] = mn_heal__ros_eval_one(r, target, I);
    else
        mn_heal__ros_eval(r, target, y);
    *t = target;
    return st;
}

static long stepper_end(stepper *sp)
{
    if (!sp->d)
        return sp->ros.steps;
    long n = (long)sp->d->e->count;
    gsl_odeiv2_driver_free(sp->d);
    return n;
}

/* Integrate y from t0 to t1 (days), writing the daily rows in (t0, t1] and
 * feeding the tracker at fine steps until its markers are found. When
 * stop_when_tracked, return as soon as the tracker is done (*t_end says
 * where). The output points are the same for both methods: RODAS3
 * interpolates them, msbdf steps to them. */
static mn_status integrate(integ *in, double *y, double t0, double t1, tracker *tr,
                           int stop_when_tracked, double *t_end, mn_error *err)
{
    const double *v = in->p->value;
    stepper sp;
    mn_status rc = stepper_start(in, &sp, t0, y, err);
    if (rc != MN_OK)
        return rc;
    double t = t0;
    double fine = in->s->fine_step_days;
    double thr_i = PV(INFL_THR);
    int days = records_days(in);
    double f[NS];
    /* Next daily output day strictly after t0 (the row at t0 is written by
     * the caller after a session jump). */
    double next_day = floor(t0) + 1;
    double next_fine = t0 + fine;
    while (t < t1) {
        int tracking = tr && !tracker_done(tr);
        double target = t1;
        if (days && next_day < target)
            target = next_day;
        if (tracking && next_fine < target)
            target = next_fine;
        double ta = t;
        double ia = y[I];
        /* A day no one keeps, between sessions and not tracking: only the
         * inflammation is looked at there (its peak, the inflamed time). */
        int only_i = !tracking && !in->daily && target < t1 &&
                     !(in->some && day_wanted(in->some, target));
        int st = stepper_apply(&sp, &t, target, t1, y, tracking ? tr : NULL, only_i);
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
        if (days && fabs(t - next_day) < 1e-9 && next_day < (double)in->n_days)
            put_day(in, (size_t)next_day, y);
        if (days && t >= next_day - 1e-9)
            next_day += 1;
        if (tracking) {
            mn_heal__ode_rhs(t, y, f, &in->ctx);
            tracker_see(tr, v, t, y, f);
            if (t >= next_fine - 1e-9)
                next_fine += fine;
            if (stop_when_tracked && tracker_done(tr))
                break;
        }
    }
    in->steps += stepper_end(&sp);
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

mn_status mn_heal__check_course(const mn_heal_course *c, mn_error *err)
{
    if (!c)
        return mn_error_set(err, MN_EINVAL, "no course");
    if (c->n_sessions > 0 && !c->sessions)
        return mn_error_set(err, MN_EINVAL, "course without its sessions");
    if (!c->channel)
        return mn_error_set(err, MN_EINVAL,
                            "course without the channel model's parameters");
    mn_status cst = mn_channel_params_validate(c->channel, err);
    if (cst != MN_OK)
        return cst;
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

double mn_heal__course_horizon(const mn_heal_course *c)
{
    double h = c->horizon_days;
    if (h <= 0) {
        h = MN_HEAL_YEAR_DAYS;
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

/* The solver settings: the caller's, defaults where they give none. */
static mn_heal_solver solver_settings(const mn_heal_solver *s_in)
{
    mn_heal_solver s = MN_HEAL_SOLVER_DEFAULTS;
    if (s_in) {
        if (s_in->rtol > 0)
            s.rtol = s_in->rtol;
        if (s_in->atol > 0)
            s.atol = s_in->atol;
        if (s_in->fine_step_days > 0)
            s.fine_step_days = s_in->fine_step_days;
        s.method = s_in->method;
    }
    return s;
}

static mn_status check_all(const mn_heal_params *p, const mn_heal_course *c,
                           const mn_heal_solver *s_in, size_t *n_days, mn_error *err)
{
    mn_status st = mn_heal_params_validate(p, err);
    if (st != MN_OK)
        return st;
    if ((st = mn_heal__check_course(c, err)) != MN_OK)
        return st;
    if (s_in && s_in->method != MN_HEAL_METHOD_RODAS3 &&
        s_in->method != MN_HEAL_METHOD_MSBDF)
        return mn_error_set(err, MN_EINVAL, "healing solver method %d: must be %d "
                            "(RODAS3) or %d (msbdf)", s_in->method,
                            MN_HEAL_METHOD_RODAS3, MN_HEAL_METHOD_MSBDF);
    *n_days = (size_t)ceil(mn_heal__course_horizon(c)) + 1;
    if (c->n_sessions && c->sessions[c->n_sessions - 1].t_days > (double)(*n_days - 1))
        return mn_error_set(err, MN_EINVAL,
                            "session %zu (day %g) is after the end of the simulation "
                            "(day %zu): extend the horizon",
                            c->n_sessions, c->sessions[c->n_sessions - 1].t_days,
                            *n_days - 1);
    return MN_OK;
}

/* The simulation itself, checks done: out->sessions holds c->n_sessions
 * entries; the days go to out->daily (n_days rows) or some (either may be
 * NULL). */
static mn_status simulate_core(const mn_heal_params *p, const mn_heal_course *c,
                               const mn_heal_solver *s_in, size_t n_days, day_set *some,
                               mn_heal_result *out, mn_error *err)
{
    mn_status st = MN_OK;
    mn_heal_solver s = solver_settings(s_in);
    const double *v = p->value;
    out->n_days = n_days;
    out->n_sessions = c->n_sessions;
    out->horizon_days = mn_heal__course_horizon(c);
    out->fitzpatrick = c->fitzpatrick;

    integ in;
    memset(&in, 0, sizeof in);
    in.p = p;
    in.s = &s;
    mn_heal__ode_ctx_init(&in.ctx, v, mn_channel_tau(c->channel, 0, 0) / 86400);
    in.sys.function = mn_heal__ode_rhs;
    in.sys.jacobian = mn_heal__ode_jac;
    in.sys.dimension = NS;
    in.sys.params = &in.ctx;
    in.daily = out->daily;
    in.some = some;
    in.n_days = n_days;

    double y[NS];
    rest_state(y);
    put_day(&in, 0, y); /* day 0 before any session */
    double t = 0;
    tracker tr;
    memset(&tr, 0, sizeof tr);
    tr.barrier_thr = c->channel->closed_fraction;
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
                mn_heal__ode_rhs(t, y, f, &in.ctx);
                if (ready_now(v, c->channel->closed_fraction, y, f)) {
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
            ib.some = NULL;
                ib.some = NULL;
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
            /* The one channel model: deeper channels close later. */
            in.ctx.tau_barrier = mn_channel_tau(c->channel, dose->dermis_depth_m, 0) /
                                 86400 * PV(BARRIER_FACTOR);
        }
        y[D] += q;
        if (!dose->barrier_only)
            y[T] += PV(PLATELET_GAIN) * density_ratio(p, dose) * dose->capillary_fraction;
        if (fabs(t - round(t)) < 1e-9 && (size_t)round(t) < n_days)
            put_day(&in, (size_t)round(t), y);
        tracker_start(&tr, t, y);
    }
    if (st == MN_OK && tr.active && c->n_sessions > 0) {
        /* Recovery of the last session, beyond the horizon if needed. */
        if (!tracker_done(&tr)) {
            double yb[NS];
            memcpy(yb, y, sizeof yb);
            integ ib = in;
            ib.daily = NULL;
            ib.some = NULL;
            ib.sys.params = &ib.ctx;
            st = integrate(&ib, yb, t, t + 365, &tr, 1, NULL, err);
            in.steps = ib.steps;
        }
        mn_heal_session_result *last = &out->sessions[c->n_sessions - 1];
        last->barrier_closed_days = tr.barrier - tr.t0;
        last->redness_resolved_days = tr.redness - tr.t0;
        last->ready_days = tr.ready - tr.t0;
    }
    if (st != MN_OK)
        return st;
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

mn_status mn_heal__simulate(const mn_heal_params *p, const mn_heal_course *c,
                            const mn_heal_solver *s, mn_heal_result *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n_days;
    mn_status st = check_all(p, c, s, &n_days, err);
    if (st != MN_OK)
        return st;
    out->daily = malloc(n_days * NS * sizeof(double));
    out->sessions = calloc(c->n_sessions ? c->n_sessions : 1, sizeof *out->sessions);
    if (!out->daily || !out->sessions) {
        mn_heal_result_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory (healing result)");
    }
    if ((st = simulate_core(p, c, s, n_days, NULL, out, err)) != MN_OK)
        mn_heal_result_free(out);
    return st;
}

/* The days whose rows the value at t needs (as mn_heal_value_at reads
 * them): floor(t) and the day after, within the series. */
static void want_days(day_set *ds, double t, size_t n_days)
{
    size_t i = (size_t)floor(t);
    size_t want[2] = {i, i + 1};
    for (int w = 0; w < 2; w++) {
        if (want[w] >= n_days)
            continue;
        size_t k = 0;
        while (k < ds->n && ds->day[k] != want[w])
            k++;
        if (k == ds->n)
            ds->day[ds->n++] = want[w];
    }
}

/* mn_heal_value_at on the kept days. */
static double some_value_at(const day_set *ds, size_t n_days, int state, double t)
{
    size_t i = (size_t)floor(t);
    if (i >= n_days - 1)
        i = n_days - 1;
    const double *r0 = NULL, *r1 = NULL;
    for (size_t k = 0; k < ds->n; k++) {
        if (ds->day[k] == i)
            r0 = ds->row[k];
        if (ds->day[k] == i + 1)
            r1 = ds->row[k];
    }
    if (i == n_days - 1 || !r1)
        return r0[state];
    double a = t - (double)i;
    return (1 - a) * r0[state] + a * r1[state];
}

mn_status mn_heal_simulate_endpoints(const mn_heal_params *p, const mn_heal_course *c,
                                     const mn_heal_solver *s, const double *t_days,
                                     size_t n_times, mn_heal_session_result *sessions,
                                     mn_heal_endpoints *out, mn_error *err)
{
    mn_gsl_errors_off(); /* GSL's default handler aborts; mnsim never does */
    if (!out)
        return mn_error_set(err, MN_EINVAL, "no endpoints to fill");
    memset(out, 0, sizeof *out);
    size_t n_days;
    mn_status st = check_all(p, c, s, &n_days, err);
    if (st != MN_OK)
        return st;
    if (n_times > MN_HEAL_MAX_ENDPOINTS || (n_times && !t_days))
        return mn_error_set(err, MN_EINVAL, "%zu endpoint times: at most %d", n_times,
                            MN_HEAL_MAX_ENDPOINTS);
    if (c->n_sessions && !sessions)
        return mn_error_set(err, MN_EINVAL, "no array for the %zu sessions' recovery",
                            c->n_sessions);
    day_set ds;
    ds.n = 0;
    for (size_t k = 0; k < n_times; k++) {
        if (!(t_days[k] >= 0 && t_days[k] <= (double)(n_days - 1)))
            return mn_error_set(err, MN_EINVAL,
                                "endpoint time %g days: must be in 0..%zu (the horizon)",
                                t_days[k], n_days - 1);
        want_days(&ds, t_days[k], n_days);
    }
    mn_heal_result r;
    memset(&r, 0, sizeof r);
    r.sessions = sessions;
    if (c->n_sessions)
        memset(sessions, 0, c->n_sessions * sizeof *sessions);
    if ((st = simulate_core(p, c, s, n_days, &ds, &r, err)) != MN_OK)
        return st;
    out->n_times = n_times;
    for (size_t k = 0; k < n_times; k++) {
        double t = t_days[k];
        double c1 = some_value_at(&ds, n_days, C1, t);
        double c3 = some_value_at(&ds, n_days, C3, t);
        out->t_days[k] = t;
        out->out[k][MN_HEAL_OUT_COLLAGEN_I] = c1;
        out->out[k][MN_HEAL_OUT_COLLAGEN_III] = c3;
        out->out[k][MN_HEAL_OUT_ELASTIN] = some_value_at(&ds, n_days, E, t);
        out->out[k][MN_HEAL_OUT_EPIDERMIS] = some_value_at(&ds, n_days, K, t);
        out->out[k][MN_HEAL_OUT_COLLAGEN_TOTAL] = mn_heal_total_collagen(p, c1, c3);
    }
    out->horizon_days = r.horizon_days;
    out->overtreatment_index = r.overtreatment_index;
    out->overtreated = r.overtreated;
    out->inflamed_days = r.inflamed_days;
    out->peak_inflammation = r.peak_inflammation;
    out->pih_index = r.pih_index;
    out->pih_risk = r.pih_risk;
    out->steps = r.steps;
    return MN_OK;
}

mn_status mn_heal_simulate(const mn_heal_params *p, const mn_heal_course *c,
                           const mn_heal_solver *s, mn_heal_result *out, mn_error *err)
{
    mn_gsl_errors_off(); /* GSL's default handler aborts; mnsim never does */
    return mn_heal__simulate(p, c, s, out, err);
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
