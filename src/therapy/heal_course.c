/* A course of one device at one site through the healing model: its
 * schedule, the injury of a session, the simulation and its warnings (see
 * mnsim/heal_course.h). */
#include "mnsim/heal_course.h"

#include "mnsim/channel.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"

const double mn_heal_milestone_months[MN_HEAL_N_MILESTONES] = {1, 3, 6, 12};

/* ---- the schedule ---------------------------------------------------- */

/* "YYYY-MM-DD" (exactly: no time of day) -> day number; 0 on success. */
static int parse_day(const char *s, int64_t *day)
{
    int64_t t;
    if (strlen(s) != 10 || mn_date_parse(s, &t, NULL) != MN_OK)
        return -1;
    *day = t / 86400;
    return 0;
}

mn_status mn_heal_schedule_dates(const char *dates, mn_heal_schedule *out,
                                 mn_error *err)
{
    memset(out, 0, sizeof *out);
    out->first_day = -1;
    out->from_dates = 1;
    char buf[4096];
    if (strlen(dates) >= sizeof buf)
        return mn_error_set(err, MN_EINVAL, "too long");
    snprintf(buf, sizeof buf, "%s", dates);
    int64_t prev = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        int64_t day;
        if (parse_day(tok, &day))
            return mn_error_set(err, MN_EINVAL, "'%s' is not a date like 2027-01-04",
                                tok);
        if (out->n >= MN_HEAL_MAX_SESSIONS)
            return mn_error_set(err, MN_EINVAL, "at most %d sessions",
                                MN_HEAL_MAX_SESSIONS);
        if (out->n == 0)
            out->first_day = day;
        else if (day <= prev)
            return mn_error_set(err, MN_EINVAL, "'%s' is not after the date before it",
                                tok);
        out->t_days[out->n++] = (double)(day - out->first_day);
        prev = day;
    }
    if (out->n == 0)
        return mn_error_set(err, MN_EINVAL, "no date given");
    return MN_OK;
}

mn_status mn_heal_schedule_every(long n, double interval_days, int64_t first_day,
                                 mn_heal_schedule *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    out->first_day = first_day < 0 ? -1 : first_day;
    if (n < 1 || n > MN_HEAL_MAX_SESSIONS)
        return mn_error_set(err, MN_ERANGE,
                            "the number of sessions must be from 1 to %d",
                            MN_HEAL_MAX_SESSIONS);
    if (!(interval_days >= 1.0 / 24 && interval_days <= 730))
        return mn_error_set(err, MN_ERANGE, "the interval must be from 1 h to 2 years");
    for (long k = 0; k < n; k++)
        out->t_days[k] = (double)k * interval_days;
    out->n = (size_t)n;
    return MN_OK;
}

mn_status mn_heal_schedule_fits(const mn_heal_schedule *s, long months, mn_error *err)
{
    double horizon = months * MN_HEAL_DAYS_PER_MONTH;
    double last = s->n ? s->t_days[s->n - 1] : 0;
    if (last > horizon - 1)
        return mn_error_set(
            err, MN_ERANGE,
            "the last session (day %.0f) is beyond the %ld months simulated", last,
            months);
    return MN_OK;
}

char *mn_heal_schedule_describe(const mn_heal_schedule *s, char *buf, size_t n)
{
    if (s->from_dates)
        snprintf(buf, n, "%zu session%s on the dates given", s->n,
                 s->n == 1 ? "" : "s");
    else if (s->n == 1)
        snprintf(buf, n, "1 session");
    else
        snprintf(buf, n, "%zu sessions %g days apart", s->n,
                 round((s->t_days[1] - s->t_days[0]) * 100) / 100);
    return buf;
}

/* ---- the injury of a session ------------------------------------------- */

mn_status mn_heal_injury_compute(const mn_device *dev, const mn_skin *skin,
                                 const mn_depth_params *params, double force_n,
                                 long passes, mn_heal_injury *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    mn_depth_result r;
    mn_status st = mn_depth_compute(dev, skin, params, force_n, &r, err);
    if (st != MN_OK)
        return st;
    double depth = r.punctured ? r.depth_m : 0;
    double in_dermis = mn_channel_dermis_length(skin, depth);
    out->channels_per_cm2 =
        r.punctured ? (double)passes * mn_device_density_per_pass(dev) * 1e-4 : 0;
    out->depth_um = depth * 1e6;
    out->dermis_depth_um = in_dermis > 0 ? in_dermis * 1e6 : 0;
    out->capillary_fraction = r.punctured ? r.bleeding_fraction : 0;
    out->force_n = r.force_total_n;
    out->layer = r.layer;
    out->punctured = r.punctured;
    out->disrupted = r.disrupted;
    out->beyond_dermis = r.beyond_dermis;
    return MN_OK;
}

mn_heal_dose mn_heal_injury_dose(const mn_heal_injury *inj, double t_days)
{
    mn_heal_dose d;
    d.t_days = t_days;
    d.channels_per_m2 = inj->channels_per_cm2 * 1e4;
    d.depth_m = inj->depth_um * 1e-6;
    d.dermis_depth_m = inj->dermis_depth_um * 1e-6;
    d.capillary_fraction = inj->capillary_fraction;
    d.barrier_only = inj->disrupted;
    return d;
}

/* ---- warnings ---------------------------------------------------------- */

static void warn(mn_strings *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(mn_strings *w, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **items = realloc(w->items, (w->count + 1) * sizeof *items);
    if (!items)
        return;
    w->items = items;
    if ((w->items[w->count] = strdup(buf)))
        w->count++;
}

/* Sessions that came before the skin had recovered: one line for a few,
 * a summary for many. */
static void warn_early(mn_strings *w, const mn_heal_result *r)
{
    size_t n_early = 0;
    double umin = 1, umax = 0;
    for (size_t k = 1; k < r->n_sessions; k++)
        if (r->sessions[k].early) {
            n_early++;
            umin = fmin(umin, r->sessions[k].unready_fraction);
            umax = fmax(umax, r->sessions[k].unready_fraction);
        }
    if (n_early > 3) {
        warn(w,
             "%zu of %zu sessions came before the skin had recovered from the one "
             "before (%.0f-%.0f%% of each recovery skipped; see the table)",
             n_early, r->n_sessions, 100 * umin, 100 * umax);
        return;
    }
    for (size_t k = 1; k < r->n_sessions; k++) {
        const mn_heal_session_result *s = &r->sessions[k], *prev = &r->sessions[k - 1];
        if (s->early)
            warn(w,
                 "session %zu (day %.0f) came before the skin had recovered from "
                 "session %zu (ready after %.1f days; %.0f%% of that recovery "
                 "skipped)",
                 k + 1, s->t_days, k, prev->ready_days, 100 * s->unready_fraction);
    }
}

static void collect_warnings(mn_strings *w, const mn_heal_course_spec *spec,
                             const mn_heal_params *p, const mn_heal_result *r)
{
    if (!spec->injury->punctured)
        warn(w,
             "the needles do not puncture the skin at this force: no healing response");
    if (spec->injury->beyond_dermis)
        warn(
            w,
            "some channels may pass through the dermis at this site (see mnsim depth)");
    warn_early(w, r);
    if (r->overtreated) {
        double longest = 0;
        for (size_t k = 0; k < r->n_sessions; k++)
            if (r->sessions[k].ready_days > longest)
                longest = r->sessions[k].ready_days;
        warn(w,
             "overtreatment: index %.2f (flagged from %.2f): sessions came before the "
             "skin had recovered, which keeps it inflamed (chronic inflammation) and "
             "lowers the net collagen; leave at least %.0f days between these sessions",
             r->overtreatment_index, p->value[MN_HEAL_P_OT_THR], ceil(longest));
    }
    if (r->pih_risk >= MN_PIH_MODERATE)
        warn(w, "hyperpigmentation risk %s (index %.1f, Fitzpatrick %s)%s",
             mn_heal_pih_name(r->pih_risk), r->pih_index,
             mn_heal_phototype_name(spec->fitzpatrick),
             spec->fitzpatrick >= 4 ? ": darker skin types are more prone to "
                                      "post-inflammatory hyperpigmentation"
                                    : "");
}

/* ---- the course -------------------------------------------------------- */

mn_status mn_heal_course_run(const mn_heal_population *pop,
                             const mn_heal_course_spec *spec,
                             const mn_progress *progress, mn_heal_outcome *out,
                             mn_error *err)
{
    memset(out, 0, sizeof *out);
    const mn_heal_schedule *s = spec->schedule;
    if (s->n < 1 || s->n > MN_HEAL_MAX_SESSIONS)
        return mn_error_set(err, MN_EINVAL, "a course has 1 to %d sessions",
                            MN_HEAL_MAX_SESSIONS);
    for (size_t k = 0; k < s->n; k++)
        out->doses[k] = mn_heal_injury_dose(spec->injury, s->t_days[k]);
    mn_heal_course course = {out->doses, s->n, spec->fitzpatrick,
                             spec->months * MN_HEAL_DAYS_PER_MONTH, spec->channel};
    mn_status st = mn_heal_simulate(&pop->median, &course, NULL, &out->result, err);
    if (st == MN_OK && spec->n_samples > 0) {
        out->has_band = 1;
        st = mn_heal_ensemble(pop, &course, NULL, spec->seed, spec->n_samples, progress,
                              &out->band, err);
    }
    if (st == MN_OK)
        collect_warnings(&out->warnings, spec, &pop->median, &out->result);
    return st;
}

void mn_heal_outcome_free(mn_heal_outcome *o)
{
    if (!o)
        return;
    mn_heal_result_free(&o->result);
    mn_heal_band_free(&o->band);
    mn_strings_free(&o->warnings);
    o->has_band = 0;
}

/* ---- reading the results --------------------------------------------- */

double mn_heal_band_at(const double *series, size_t n_days, int out, double t_days)
{
    if (!series || n_days == 0 || !(t_days >= 0) || t_days > (double)(n_days - 1))
        return NAN;
    size_t i = (size_t)floor(t_days);
    if (i >= n_days - 1)
        return series[(n_days - 1) * MN_HEAL_NOUT + (size_t)out];
    double w = t_days - (double)i;
    return (1 - w) * series[i * MN_HEAL_NOUT + (size_t)out] +
           w * series[(i + 1) * MN_HEAL_NOUT + (size_t)out];
}

double *mn_heal_daily_outputs(const mn_heal_params *p, const mn_heal_result *r)
{
    double *v = malloc((r->n_days ? r->n_days : 1) * MN_HEAL_NOUT * sizeof *v);
    if (!v)
        return NULL;
    for (size_t d = 0; d < r->n_days; d++)
        for (int out = 0; out < MN_HEAL_NOUT; out++)
            v[d * MN_HEAL_NOUT + (size_t)out] = mn_heal_out_at(p, r, out, (double)d);
    return v;
}

const char *mn_heal_phototype_name(long fitzpatrick)
{
    static const char *const roman[] = {"?", "I", "II", "III", "IV", "V", "VI"};
    return fitzpatrick >= 1 && fitzpatrick <= 6 ? roman[fitzpatrick] : "?";
}
