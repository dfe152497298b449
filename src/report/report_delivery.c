/* The delivery stage's part of a course's report (report_delivery.h). */
#include "report_delivery.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/plot.h"
#include "mnsim/plot_deliver.h"

#define UG_CM2 1e5 /* kg/m2 -> ug/cm2 */

const mn_transport_result *mn_rep_case_series(const mn_course_delivery *x)
{
    return x->res.has_channels ? &x->res.with : &x->res.intact;
}
const char *mn_rep_case_where(const mn_course_delivery *x, char *buf, size_t n)
{
    if (x->device)
        snprintf(buf, n, "%s after %s", x->site, x->device);
    else
        snprintf(buf, n, "%s, intact skin", x->site);
    return buf;
}
mn_jnode *mn_rep_delivery_json(mn_json *j, const mn_course *c,
                               const mn_course_deliveries *dl)
{
    mn_jnode *o = mn_json_object(j), *arr = mn_json_array(j);
    mn_json_str(j, o, "grid", mn_grid_level_name(dl->grid));
    mn_json_str(j, o, "cell", "radial");
    for (size_t i = 0; i < dl->count; i++) {
        const mn_course_delivery *x = &dl->items[i];
        const mn_deliver_result *d = &x->res;
        const mn_transport_result *w = mn_rep_case_series(x);
        mn_jnode *k = mn_json_object(j);
        mn_json_int(j, k, "case", (long long)i + 1);
        mn_json_str(j, k, "role", mn_apply_role_name(x->role));
        mn_json_str(j, k, "compound", x->compound->name);
        mn_json_num(j, k, "concentration_mg_ml", x->concentration_kg_m3);
        mn_json_str(j, k, "site", x->site);
        mn_json_str(j, k, "zone", c->zones[x->zone].name);
        if (x->device)
            mn_json_str(j, k, "device", x->device);
        mn_json_int(j, k, "first_session", (long long)x->first_session + 1);
        mn_json_int(j, k, "sessions", (long long)x->n_sessions);
        mn_json_num(j, k, "contact_min", x->contact_s / 60);
        mn_json_bool(j, k, "occluded", x->occluded);
        mn_json_bool(j, k, "channels", d->has_channels);
        if (d->has_channels) {
            mn_json_num(j, k, "depth_um", x->channel_depth_m * 1e6);
            mn_json_num(j, k, "width_um", 2e6 * x->channel_radius_m);
            mn_json_num(j, k, "density_per_cm2", x->density_per_m2 * 1e-4);
            mn_json_bool(j, k, "channels_merged", x->merged);
            mn_json_num(j, k, "sc_open_fraction", x->sc_open_fraction);
            mn_json_num(j, k, "closure_half_life_h", d->closure_half_life_s / 3600);
            mn_json_num(j, k, "channels_open_at_end", d->with.channels_open_end);
        }
        mn_json_num(j, k, "dose_mg_cm2", d->dose_kg_m2 * 1e2);
        mn_json_num(j, k, "delivered_ug_cm2", d->delivered_kg_m2 * UG_CM2);
        mn_json_num(j, k, "delivered_intact_ug_cm2",
                    d->delivered_intact_kg_m2 * UG_CM2);
        mn_json_num(j, k, "steady_state_enhancement", d->steady.enhancement);
        mn_json_num(j, k, "intact_lag_h", d->steady.intact_lag_s / 3600);
        mn_json_num(j, k, "cumulative_enhancement", d->enhancement);
        mn_json_bool(j, k, "cumulative_lag_dominated", d->steady.lag_dominated);
        mn_json_num(j, k, "flux_enhancement_ratio", d->flux_enhancement);
        mn_json_num(j, k, "cleared_ug_cm2", w->cleared[w->n - 1] * UG_CM2);
        mn_json_num(j, k, "dermis_ug_cm2",
                    (w->layer[2][w->n - 1] + w->layer[3][w->n - 1]) * UG_CM2);
        if (x->role == MN_APPLY_ANAESTHETIC) {
            mn_json_num(j, k, "numbing_threshold_mg_ml", d->threshold_kg_m3);
            mn_json_num(j, k, "nerve_depth_um", d->probe_depth_m * 1e6);
            mn_json_num(j, k, "time_to_numbness_min", d->time_to_numb_s / 60);
            mn_json_bool(j, k, "numb_before_removal", x->numb_in_time);
        }
        mn_json_num(j, k, "mass_balance_error", d->mass_error);
        mn_json_push(j, arr, k);
    }
    mn_json_put(j, o, "cases", arr);
    return o;
}
/* One row per case and sample: amounts in ug/cm2, flux in ug/cm2/h,
 * the concentration at the nerve endings in mg/mL. */
mn_status mn_rep_delivery_csv(const char *dir, const mn_course *c,
                              const mn_course_deliveries *dl, mn_error *err)
{
    (void)c;
    sbuf b = {0};
    mn_rep_put(
        &b,
        "case,role,compound,site,device,time_min,delivered_ug_cm2,delivered_intact_ug_"
        "cm2,"
        "vehicle_ug_cm2,stratum_corneum_ug_cm2,viable_epidermis_ug_cm2,dermis_ug_cm2,"
        "cleared_ug_cm2,dermis_flux_ug_cm2_h,nerve_mg_ml\n");
    for (size_t i = 0; i < dl->count; i++) {
        const mn_course_delivery *x = &dl->items[i];
        const mn_transport_result *w = mn_rep_case_series(x), *in = &x->res.intact;
        for (size_t m = 0; m < w->n; m++)
            mn_rep_put(
                &b,
                "%zu,%s,%s,%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
                i + 1, mn_apply_role_name(x->role), x->compound->name, x->site,
                x->device ? x->device : "", w->t_s[m] / 60, w->delivered[m] * UG_CM2,
                m < in->n ? in->delivered[m] * UG_CM2 : NAN, w->vehicle[m] * UG_CM2,
                w->layer[0][m] * UG_CM2, w->layer[1][m] * UG_CM2,
                (w->layer[2][m] + w->layer[3][m]) * UG_CM2, w->cleared[m] * UG_CM2,
                w->dermis_flux[m] * UG_CM2 * 3600, w->probe[m]);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/delivery.csv", dir);
    mn_status st = b.failed ? mn_error_set(err, MN_ENOMEM, "out of memory")
                            : mn_rep_write_text(path, b.buf ? b.buf : "", b.len, err);
    free(b.buf);
    return st;
}
mn_status mn_rep_delivery_figures(const char *dir, const mn_course *c,
                                  const mn_course_deliveries *dl, mn_error *err)
{
    for (size_t i = 0; i < dl->count && i < MAX_DELIVERY_FIGS; i++) {
        const mn_course_delivery *x = &dl->items[i];
        char path[4200], title[300], where[200];
        snprintf(path, sizeof path, "%s/delivery-%zu.png", dir, i + 1);
        snprintf(title, sizeof title, "%s %s, %s, %.0f min",
                 mn_apply_role_name(x->role), x->compound->name,
                 mn_rep_case_where(x, where, sizeof where), x->contact_s / 60);
        mn_status st =
            mn_plot_deliver(path, &x->res, &c->zones[x->zone].skin, x->channel_depth_m,
                            x->channel_radius_m, MN_CHANNEL_CONE, title, 0, err);
        if (st)
            return st;
    }
    return MN_OK;
}
void mn_rep_html_delivery(sbuf *b, const char *dir, const mn_course *c,
                          const mn_course_deliveries *dl, int sec)
{
    mn_rep_put(
        b,
        "<h2>%d. What crosses the skin</h2>\n"
        "<p>The transport model (docs/model.md, Transport through the channels): the "
        "anaesthetic on intact skin before the session, the serum over the fresh "
        "channels "
        "right after it, which close within hours. <i>Delivered</i> is the amount past "
        "the stratum corneum, the skin's barrier; <i>intact</i> the same cream on "
        "unneedled "
        "skin. The enhancement is the ratio of steady-state fluxes with the channels "
        "kept open "
        "and on intact skin, both under an infinite dose: the amounts of a few minutes "
        "compare intact skin still in its lag time and say nothing. Grid: %s.</p>\n",
        sec, mn_grid_level_name(dl->grid));
    mn_rep_put(b,
               "<table><tr><th>case</th><th>cream</th><th>where</th><th>sessions</th>"
               "<th>left on</th><th>delivered ug/cm2</th><th>intact "
               "ug/cm2"
               "</th><th>enhancement (steady state, open channels)</th><th>numb "
               "after</th></tr>\n");
    for (size_t i = 0; i < dl->count; i++) {
        const mn_course_delivery *x = &dl->items[i];
        char where[200];
        mn_rep_put(b, "<tr><td>%zu</td><td>%s ", i + 1, mn_apply_role_name(x->role));
        mn_rep_put_html(b, x->compound->name);
        mn_rep_put(b, " %.3g mg/mL</td><td>", x->concentration_kg_m3);
        mn_rep_put_html(b, mn_rep_case_where(x, where, sizeof where));
        mn_rep_put(b,
                   "</td><td>%zu</td><td>%.0f "
                   "min</td><td>%.3g</td><td>%.3g</td><td>%.3g&times;"
                   "</td><td>",
                   x->n_sessions, x->contact_s / 60, x->res.delivered_kg_m2 * UG_CM2,
                   x->res.delivered_intact_kg_m2 * UG_CM2, x->res.steady.enhancement);
        if (x->role != MN_APPLY_ANAESTHETIC)
            mn_rep_put(b, "&ndash;");
        else if (isfinite(x->res.time_to_numb_s))
            mn_rep_put(b, "%.0f min%s", x->res.time_to_numb_s / 60,
                       x->numb_in_time ? "" : " (after it comes off)");
        else
            mn_rep_put(b, "not within 8 h");
        mn_rep_put(b, "</td></tr>\n");
    }
    mn_rep_put(b, "</table>\n");
    for (size_t i = 0; i < dl->count; i++) {
        const mn_course_delivery *x = &dl->items[i];
        if (x->role == MN_APPLY_ANAESTHETIC)
            mn_rep_put(
                b,
                "<p>Case %zu: numbness is taken as %.2g mg/mL of %s reaching %.0f%% of "
                "the "
                "nerve endings %.0f um deep (docs/model.md); %s.</p>\n",
                i + 1, x->res.threshold_kg_m3, x->compound->name,
                100 * c->compounds.numb_area_fraction, x->res.probe_depth_m * 1e6,
                x->numb_in_time
                    ? "the skin is numb before the cream comes off"
                    : "the cream comes off before that: the first passes may hurt");
        else if (x->res.has_channels)
            mn_rep_put(
                b,
                "<p>Case %zu: %.0f channels/cm2, %.0f um deep%s; closure "
                "half-life %.1f h (%s); %.0f%% of the channel still open when the "
                "cream "
                "comes off.</p>\n",
                i + 1, x->density_per_m2 * 1e-4, x->channel_depth_m * 1e6,
                x->merged ? " (so dense they merge: width cut to 90% of the spacing)"
                          : "",
                x->res.closure_half_life_s / 3600, x->occluded ? "occluded" : "open",
                100 * x->res.with.channels_open_end);
        else
            mn_rep_put(
                b,
                "<p>Case %zu: the needles make no channel through the stratum corneum "
                "here (docs/model.md, penetration): the serum meets intact skin.</p>\n",
                i + 1);
    }
    for (size_t i = 0; i < dl->count && i < MAX_DELIVERY_FIGS; i++) {
        char name[64], alt[300], where[200];
        const mn_course_delivery *x = &dl->items[i];
        snprintf(name, sizeof name, "delivery-%zu.png", i + 1);
        snprintf(alt, sizeof alt,
                 "Case %zu: %s %s, %s: uptake, concentration at depth and "
                 "a cross-section at the end",
                 i + 1, mn_apply_role_name(x->role), x->compound->name,
                 mn_rep_case_where(x, where, sizeof where));
        mn_rep_put_image(b, dir, name, alt);
    }
}
