/* Enhancement that means something: the steady-state flux through skin
 * with open channels against intact skin, both under an infinite dose, and
 * intact skin's lag time (mnsim/deliver.h, mn_deliver_steady). A ratio of
 * cumulative amounts at a chosen time is well conditioned only once intact
 * skin is past its lag time; before that it grows without bound as the
 * time shrinks (a 10-min ratio of 1e20 says nothing), so the headline is
 * the steady-state ratio and the cumulative one is flagged. */
#include "mnsim/deliver.h"

#include <math.h>
#include <string.h>

/* Intact skin is taken to 72 h: several lag times of the slowest compounds
 * shipped (caffeine ~5 h on the cheek); open channels reach their steady
 * flux within hours (the dermis is thin and fast). */
#define INTACT_HORIZON_S (72 * 3600.0)
#define CHANNEL_HORIZON_S (24 * 3600.0)
#define SAMPLES 240
#define STEADY_TOL 0.02 /* flux within 2% over the last 10% of the run */

/* The flux at the end of a run and whether it has settled. */
static double end_flux(const mn_transport_result *r, int *steady)
{
    size_t n = r->n;
    if (n < 12) {
        *steady = 0;
        return NAN;
    }
    double a = r->dermis_flux[n - 1], b = r->dermis_flux[n - 1 - n / 10];
    *steady = a > 0 && fabs(a - b) <= STEADY_TOL * a;
    return a;
}

static mn_status run_one(const mn_transport_config *cfg_in, mn_transport_result *out,
                         mn_error *err)
{
    /* Only the end state matters here, not the time course: steps may grow
     * with the elapsed time beyond the 2-min cap of a reported run (the
     * stepper is L-stable; the end flux moves by < 0.1%, docs/model.md). */
    mn_transport_config cfg_v = *cfg_in;
    const mn_transport_config *cfg = &cfg_v;
    cfg_v.dt_max_s = 1800;
    mn_transport *t = NULL;
    mn_status st = mn_transport_new(cfg, &t, err);
    if (st == MN_OK)
        st = mn_transport_run(t, NULL, out, err);
    mn_transport_free(t);
    return st;
}

/* Linear interpolation of y(t) on the samples of a run. */
static double value_at(const mn_transport_result *r, const double *y, double t)
{
    if (t <= r->t_s[0])
        return y[0];
    for (size_t i = 1; i < r->n; i++)
        if (t <= r->t_s[i]) {
            double w = (t - r->t_s[i - 1]) / (r->t_s[i] - r->t_s[i - 1]);
            return y[i - 1] + w * (y[i] - y[i - 1]);
        }
    return y[r->n - 1];
}

static mn_status intact_steady(const mn_deliver_spec *s, mn_deliver_steady_result *out,
                               mn_error *err)
{
    mn_deliver_spec si = *s;
    si.dose_kg_m2 = INFINITY;
    si.t_end_s = INTACT_HORIZON_S;
    si.n_samples = SAMPLES;
    mn_transport_config cfg;
    mn_transport_channel ch;
    mn_status st = mn_deliver_config(&si, 1, &cfg, &ch, err);
    mn_transport_result r;
    memset(&r, 0, sizeof r);
    if (st == MN_OK)
        st = run_one(&cfg, &r, err);
    if (st == MN_OK) {
        int steady;
        out->intact_flux_kg_m2_s = end_flux(&r, &steady);
        out->intact_steady = steady;
        double t = r.t_s[r.n - 1], q = r.permeated[r.n - 1];
        out->intact_lag_s =
            out->intact_flux_kg_m2_s > 0 ? t - q / out->intact_flux_kg_m2_s : INFINITY;
        /* What share of its steady-state amount intact skin has let through
         * by the stated time (infinite dose): below a few % the ratio of
         * cumulative amounts measures the lag, not the channels. */
        double tu = s->t_end_s;
        double qu = tu <= t ? value_at(&r, r.permeated, tu) : NAN;
        out->intact_share_at_time = out->intact_flux_kg_m2_s > 0 && tu > 0
                                        ? qu / (out->intact_flux_kg_m2_s * tu)
                                        : 0;
    }
    mn_transport_result_free(&r);
    return st;
}

static mn_status channel_steady(const mn_deliver_spec *s, mn_deliver_steady_result *out,
                                mn_error *err)
{
    mn_deliver_spec sc = *s;
    sc.dose_kg_m2 = INFINITY;
    sc.t_end_s = CHANNEL_HORIZON_S;
    sc.n_samples = SAMPLES;
    sc.delay_s = 0;
    sc.patch_m = 0; /* one channel per cell: the axisymmetric cell is exact */
    sc.radial = 1;
    mn_transport_config cfg;
    mn_transport_channel ch;
    mn_status st = mn_deliver_config(&sc, 0, &cfg, &ch, err);
    cfg.closure_half_life_s = INFINITY; /* the channels kept open */
    mn_transport_result r;
    memset(&r, 0, sizeof r);
    if (st == MN_OK)
        st = run_one(&cfg, &r, err);
    if (st == MN_OK) {
        int steady;
        out->channel_flux_kg_m2_s = end_flux(&r, &steady);
        out->channel_steady = steady;
    }
    mn_transport_result_free(&r);
    return st;
}

mn_status mn_deliver_steady(const mn_deliver_spec *s, mn_deliver_steady_result *out,
                            mn_error *err)
{
    memset(out, 0, sizeof *out);
    out->intact_flux_kg_m2_s = out->channel_flux_kg_m2_s = out->enhancement = NAN;
    out->intact_lag_s = out->intact_share_at_time = NAN;
    mn_status st = intact_steady(s, out, err);
    if (st == MN_OK && !s->intact)
        st = channel_steady(s, out, err);
    if (st != MN_OK)
        return st;
    out->enhancement = s->intact ? 1.0
                       : out->intact_flux_kg_m2_s > 0
                           ? out->channel_flux_kg_m2_s / out->intact_flux_kg_m2_s
                           : INFINITY;
    out->lag_dominated = !(out->intact_share_at_time >= MN_DELIVER_LAG_SHARE);
    return MN_OK;
}

mn_status mn_deliver_evaluate(const mn_deliver_spec *s, const mn_progress *progress,
                              mn_deliver_result *r, mn_error *err)
{
    mn_status st = mn_deliver_run(s, progress, r, err);
    if (st == MN_OK && (st = mn_deliver_steady(s, &r->steady, err)) != MN_OK)
        mn_deliver_result_free(r);
    return st;
}
