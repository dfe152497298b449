/* mnsim heal --device NAME --site SITE (--sessions N [--interval T] | --dates D,...):
 * healing and collagen induction over 12 months for a course of sessions:
 * collagen I and III, elastin and epidermis at 1, 3, 6 and 12 months, when
 * the skin was ready again after each session, overtreatment warnings. */
#include "cli.h"

#include "mnsim/date.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnsim/healing.h"
#include "mnsim/healing_io.h"
#include "mnsim/plot_heal.h"

#define DAY_S 86400.0
#define MONTH_DAYS 30.436875
#define MAX_SESSIONS 200

typedef struct {
    const char *device, *site, *pressure, *interval, *dates, *start, *csv, *figure,
        *params;
    mn_sex sex;
    long passes, sessions, samples, fitzpatrick, months;
    uint64_t seed;
    int force;
} heal_opts;

/* ---- dates: day numbers since 1970-01-01 (mnsim/date.h) ---------------- */

/* "YYYY-MM-DD" -> day number; 0 on success. */
static int parse_date(const char *s, long *out)
{
    int64_t t;
    if (!s || strlen(s) != 10 || mn_date_parse(s, &t, NULL) != MN_OK)
        return -1;
    *out = (long)(t / 86400);
    return 0;
}

static void format_date(long z, char *buf, size_t n)
{
    mn_date_format((int64_t)z * 86400, 0, buf, n);
}

/* ---- arguments ---------------------------------------------------------- */

static int parse_long(cli_ctx *c, const char *opt, const char *v, long lo, long hi,
                      long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi)
        return cli_usage_error(c, "heal",
                               "%s must be a whole number from %ld to %ld, not '%s'",
                               opt, lo, hi, v);
    *out = x;
    return CLI_OK;
}

static int parse_args(cli_ctx *c, int argc, char **argv, heal_opts *o)
{
    memset(o, 0, sizeof *o);
    o->pressure = "light";
    o->passes = 15;
    o->fitzpatrick = 3;
    o->months = 12;
    o->samples = -1;
    o->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--device")     ? &o->device
                            : !strcmp(a, "--site")     ? &o->site
                            : !strcmp(a, "--pressure") ? &o->pressure
                            : !strcmp(a, "--interval") ? &o->interval
                            : !strcmp(a, "--dates")    ? &o->dates
                            : !strcmp(a, "--start")    ? &o->start
                            : !strcmp(a, "--csv")      ? &o->csv
                            : !strcmp(a, "--figure")   ? &o->figure
                            : !strcmp(a, "--params")   ? &o->params
                                                       : NULL;
        long *num = !strcmp(a, "--passes")        ? &o->passes
                    : !strcmp(a, "--sessions")    ? &o->sessions
                    : !strcmp(a, "--samples")     ? &o->samples
                    : !strcmp(a, "--fitzpatrick") ? &o->fitzpatrick
                    : !strcmp(a, "--months")      ? &o->months
                                                  : NULL;
        if ((slot || num || !strcmp(a, "--seed") || !strcmp(a, "--sex")) &&
            i + 1 >= argc)
            return cli_usage_error(c, "heal", "%s needs a value", a);
        if (slot) {
            *slot = argv[++i];
        } else if (num) {
            const char *v = argv[++i];
            long lo = 0, hi = 0;
            if (num == &o->passes)
                lo = 1, hi = 1000;
            else if (num == &o->sessions)
                lo = 1, hi = MAX_SESSIONS;
            else if (num == &o->samples)
                lo = 0, hi = 100000;
            else if (num == &o->fitzpatrick)
                lo = 1, hi = 6;
            else
                lo = 12, hi = 120;
            if (parse_long(c, a, v, lo, hi, num))
                return CLI_USAGE;
        } else if (!strcmp(a, "--seed")) {
            const char *v = argv[++i];
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (end == v || *end || errno || v[0] == '-')
                return cli_usage_error(c, "heal", "--seed must be a whole number >= 0");
            o->seed = (uint64_t)s;
        } else if (!strcmp(a, "--sex")) {
            if (cli_parse_sex(c, "heal", argv[++i], &o->sex))
                return CLI_USAGE;
        } else if (!strcmp(a, "--force")) {
            o->force = 1;
        } else {
            return cli_usage_error(c, "heal", "unknown argument '%s'", a);
        }
    }
    if (!o->device)
        return cli_usage_error(c, "heal",
                               "heal needs --device NAME (see mnsim devices)");
    if (!o->site)
        return cli_usage_error(c, "heal", "heal needs --site NAME (see mnsim sites)");
    if (o->dates && (o->sessions || o->interval || o->start))
        return cli_usage_error(c, "heal",
                               "give the sessions either as --dates or as "
                               "--sessions N --interval T [--start DATE], not both");
    if (!o->dates && !o->sessions)
        return cli_usage_error(c, "heal",
                               "heal needs the sessions: --sessions N [--interval "
                               "\"4 weeks\"] or --dates 2027-01-04,2027-02-01,...");
    if (o->figure && !mn_plot_device_for(o->figure))
        return cli_usage_error(c, "heal", "--figure must end in .png or .svg");
    if (o->samples < 0) /* the figure shows the band between people */
        o->samples = o->figure ? 100 : 0;
    return CLI_OK;
}

/* Session times (days after the first) and the first date (-1: none). */
static int session_times(cli_ctx *c, const heal_opts *o, double *t, size_t *n,
                         long *first_date)
{
    *first_date = -1;
    if (o->dates) {
        char buf[4096];
        if (strlen(o->dates) >= sizeof buf)
            return cli_usage_error(c, "heal", "--dates: too long");
        snprintf(buf, sizeof buf, "%s", o->dates);
        size_t k = 0;
        long prev = 0;
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ')
                tok++;
            long z;
            if (parse_date(tok, &z))
                return cli_usage_error(
                    c, "heal", "--dates: '%s' is not a date like 2027-01-04", tok);
            if (k >= MAX_SESSIONS)
                return cli_usage_error(c, "heal", "--dates: at most %d sessions",
                                       MAX_SESSIONS);
            if (k == 0)
                *first_date = z;
            else if (z <= prev)
                return cli_usage_error(
                    c, "heal", "--dates: '%s' is not after the date before it", tok);
            t[k++] = (double)(z - *first_date);
            prev = z;
        }
        if (k == 0)
            return cli_usage_error(c, "heal", "--dates: no date given");
        *n = k;
        return CLI_OK;
    }
    double interval_days = 28;
    if (o->interval) {
        mn_error e;
        mn_error_clear(&e);
        double s;
        if (mn_units_parse(o->interval, MN_UNIT_TIME, &s, &e) != MN_OK)
            return cli_usage_error(c, "heal", "--interval: %s", e.message);
        interval_days = s / DAY_S;
        if (!(interval_days >= 1.0 / 24 && interval_days <= 730))
            return cli_usage_error(c, "heal",
                                   "--interval must be from 1 hour to 2 years");
    }
    if (o->start && parse_date(o->start, first_date))
        return cli_usage_error(c, "heal", "--start: '%s' is not a date like 2027-01-04",
                               o->start);
    for (long k = 0; k < o->sessions; k++)
        t[k] = (double)k * interval_days;
    *n = (size_t)o->sessions;
    return CLI_OK;
}

/* ---- the injury dose from the device, site and penetration models -------- */

typedef struct {
    double channels_per_cm2, depth_um, dermis_depth_um, capillary_fraction;
    double force_n;
    int layer, punctured, beyond_dermis;
    const char *pressure_label;
} dose_info;

static int compute_dose(cli_ctx *c, const heal_opts *o, const mn_device *dev,
                        const mn_skin *skin, dose_info *di)
{
    mn_depth_params dp;
    if (cli_load_depth_params(c, &dp))
        return CLI_FAIL;
    double force;
    int rc =
        cli_parse_pressure(c, "heal", &dp, o->pressure, &force, &di->pressure_label);
    if (rc)
        return rc;
    mn_error e;
    mn_error_clear(&e);
    mn_depth_result r;
    if (mn_depth_compute(dev, skin, &dp, force, &r, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    double depth = r.punctured ? r.depth_m : 0;
    double in_dermis = mn_channel_dermis_length(skin, depth);
    di->channels_per_cm2 =
        r.punctured ? (double)o->passes * mn_device_density_per_pass(dev) * 1e-4 : 0;
    di->depth_um = depth * 1e6;
    di->dermis_depth_um = in_dermis > 0 ? in_dermis * 1e6 : 0;
    di->capillary_fraction = r.punctured ? r.bleeding_fraction : 0;
    di->force_n = r.force_total_n;
    di->layer = r.layer;
    di->punctured = r.punctured;
    di->beyond_dermis = r.beyond_dermis;
    return CLI_OK;
}

/* ---- output ---------------------------------------------------------------- */

static const double milestone_months[4] = {1, 3, 6, 12};

static double band_at(const double *a, size_t n_days, int out, double t)
{
    if (!a || !(t >= 0) || t > (double)(n_days - 1))
        return NAN;
    size_t i = (size_t)floor(t);
    if (i >= n_days - 1)
        return a[(n_days - 1) * MN_HEAL_NOUT + (size_t)out];
    double w = t - (double)i;
    return (1 - w) * a[i * MN_HEAL_NOUT + (size_t)out] +
           w * a[(i + 1) * MN_HEAL_NOUT + (size_t)out];
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

typedef struct {
    const mn_heal_params *p;
    const mn_heal_result *r;
    const mn_heal_band *b; /* NULL without samples */
    long first_date;
} series;

static int write_csv(FILE *f, const series *s)
{
    static const int markers[] = {
        MN_HEAL_BARRIER,      MN_HEAL_DAMAGE,      MN_HEAL_REDNESS,
        MN_HEAL_INFLAMMATION, MN_HEAL_MACROPHAGES, MN_HEAL_TGF,
        MN_HEAL_MMP,          MN_HEAL_FIBROBLASTS, MN_HEAL_MATRIX_FIBROBLASTS,
        MN_HEAL_TROPOELASTIN};
    const size_t nm = sizeof markers / sizeof markers[0];
    fprintf(f, "day");
    if (s->first_date >= 0)
        fprintf(f, ",date");
    for (int o = 0; o < MN_HEAL_NOUT; o++)
        fprintf(f, ",%s_pct", mn_heal_out_name(o));
    if (s->b)
        for (int o = 0; o < MN_HEAL_NOUT; o++)
            fprintf(f, ",%s_pct_p5,%s_pct_p50,%s_pct_p95", mn_heal_out_name(o),
                    mn_heal_out_name(o), mn_heal_out_name(o));
    for (size_t m = 0; m < nm; m++)
        fprintf(f, ",%s", mn_heal_state_name(markers[m]));
    fputc('\n', f);
    for (size_t d = 0; d < s->r->n_days; d++) {
        fprintf(f, "%zu", d);
        if (s->first_date >= 0) {
            char date[16];
            format_date(s->first_date + (long)d, date, sizeof date);
            fprintf(f, ",%s", date);
        }
        for (int o = 0; o < MN_HEAL_NOUT; o++)
            fprintf(f, ",%.4f", 100 * mn_heal_out_at(s->p, s->r, o, (double)d));
        if (s->b)
            for (int o = 0; o < MN_HEAL_NOUT; o++) {
                size_t j = d * MN_HEAL_NOUT + (size_t)o;
                fprintf(f, ",%.4f,%.4f,%.4f", 100 * s->b->p5[j], 100 * s->b->p50[j],
                        100 * s->b->p95[j]);
            }
        const double *row = s->r->daily + d * MN_HEAL_NSTATES;
        for (size_t m = 0; m < nm; m++)
            fprintf(f, ",%.6g", row[markers[m]]);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

static int save_csv(cli_ctx *c, const char *path, const series *s)
{
    if (!strcmp(path, "-"))
        return write_csv(stdout, s) ? CLI_FAIL : CLI_OK;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        cli_errorf(c, "%s: cannot write: %s", path, strerror(errno));
        return CLI_FAIL;
    }
    int bad = write_csv(f, s);
    if (fclose(f) != 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        cli_errorf(c, "%s: cannot write: %s", path, strerror(e));
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int progress_bar(void *user, double fraction, const char *stage)
{
    (void)user;
    fprintf(stderr, "\r%s: %3.0f%%", stage, 100 * fraction);
    if (fraction >= 1)
        fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

static const char *roman(long f)
{
    static const char *r[] = {"?", "I", "II", "III", "IV", "V", "VI"};
    return f >= 1 && f <= 6 ? r[f] : "?";
}

/* Warnings, each one line, into a list the caller frees. */
typedef struct {
    char *items[MAX_SESSIONS + 8];
    size_t n;
} warn_list;

static void warn(warn_list *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(warn_list *w, const char *fmt, ...)
{
    if (w->n >= sizeof w->items / sizeof w->items[0])
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    w->items[w->n] = strdup(buf);
    if (w->items[w->n])
        w->n++;
}

static void collect_warnings(warn_list *w, const heal_opts *o, const dose_info *di,
                             const mn_heal_params *p, const mn_heal_result *r)
{
    if (!di->punctured)
        warn(w,
             "the needles do not puncture the skin at this force: no healing response");
    if (di->beyond_dermis)
        warn(
            w,
            "some channels may pass through the dermis at this site (see mnsim depth)");
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
    } else {
        for (size_t k = 1; k < r->n_sessions; k++) {
            const mn_heal_session_result *s = &r->sessions[k],
                                         *prev = &r->sessions[k - 1];
            if (s->early)
                warn(w,
                     "session %zu (day %.0f) came before the skin had recovered from "
                     "session %zu (ready after %.1f days; %.0f%% of that recovery "
                     "skipped)",
                     k + 1, s->t_days, k, prev->ready_days, 100 * s->unready_fraction);
        }
    }
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
             mn_heal_pih_name(r->pih_risk), r->pih_index, roman(o->fitzpatrick),
             o->fitzpatrick >= 4 ? ": darker skin types are more prone to "
                                   "post-inflammatory hyperpigmentation"
                                 : "");
}

static void put_pct(mn_json *j, mn_jnode *o, const char *key, double rel)
{
    mn_json_num(j, o, key, round(rel * 1000) / 10);
}

static int print_json(cli_ctx *c, const heal_opts *o, const mn_site *site,
                      const dose_info *di, const mn_heal_params *p,
                      const mn_heal_result *r, const mn_heal_band *b, long first_date,
                      const warn_list *w, const char *params_path,
                      const mn_heal_dose *dose)
{
    mn_json *j = mn_json_new();
    if (!j)
        return CLI_FAIL;
    mn_jnode *root = mn_json_root(j);
    mn_json_str(j, root, "device", o->device);
    mn_json_str(j, root, "site", site->name);
    mn_json_str(j, root, "sex", o->sex == MN_SEX_MALE ? "male" : "female");
    mn_json_int(j, root, "passes", o->passes);
    mn_json_str(j, root, "pressure", di->pressure_label);
    mn_json_num(j, root, "force_n", di->force_n);
    mn_json_int(j, root, "fitzpatrick", o->fitzpatrick);
    mn_jnode *dj = mn_json_object(j);
    mn_json_num(j, dj, "channels_per_cm2", di->channels_per_cm2);
    mn_json_num(j, dj, "depth_um", di->depth_um);
    mn_json_num(j, dj, "dermis_depth_um", di->dermis_depth_um);
    mn_json_str(j, dj, "layer", mn_layer_name(di->layer));
    mn_json_num(j, dj, "capillary_fraction", di->capillary_fraction);
    mn_json_num(j, dj, "damage", mn_heal_dose_damage(p, dose));
    mn_json_put(j, root, "dose_per_session", dj);

    mn_jnode *sa = mn_json_array(j);
    for (size_t k = 0; k < r->n_sessions; k++) {
        const mn_heal_session_result *s = &r->sessions[k];
        mn_jnode *so = mn_json_object(j);
        mn_json_int(j, so, "session", (long long)k + 1);
        mn_json_num(j, so, "day", s->t_days);
        char date[16];
        if (first_date >= 0) {
            format_date(first_date + (long)floor(s->t_days + 0.5), date, sizeof date);
            mn_json_str(j, so, "date", date);
        }
        mn_json_num(j, so, "barrier_closed_days", s->barrier_closed_days);
        mn_json_num(j, so, "redness_resolved_days", s->redness_resolved_days);
        mn_json_num(j, so, "ready_days", s->ready_days);
        mn_json_num(j, so, "ready_day", s->t_days + s->ready_days);
        if (first_date >= 0 && isfinite(s->ready_days)) {
            format_date(first_date + (long)ceil(s->t_days + s->ready_days - 1e-9), date,
                        sizeof date);
            mn_json_str(j, so, "ready_date", date);
        }
        if (b) {
            mn_json_num(j, so, "ready_days_p5", b->ready_p5[k]);
            mn_json_num(j, so, "ready_days_p50", b->ready_p50[k]);
            mn_json_num(j, so, "ready_days_p95", b->ready_p95[k]);
        }
        mn_json_bool(j, so, "early", s->early);
        mn_json_num(j, so, "unready_fraction", s->unready_fraction);
        mn_json_push(j, sa, so);
    }
    mn_json_put(j, root, "sessions", sa);

    mn_jnode *ma = mn_json_array(j);
    for (int m = 0; m < 4; m++) {
        double t = milestone_months[m] * MONTH_DAYS;
        if (t > (double)(r->n_days - 1))
            continue;
        mn_jnode *mo = mn_json_object(j);
        mn_json_num(j, mo, "months", milestone_months[m]);
        mn_json_num(j, mo, "day", t);
        for (int out = 0; out < MN_HEAL_NOUT; out++) {
            char key[64];
            snprintf(key, sizeof key, "%s_pct", mn_heal_out_name(out));
            put_pct(j, mo, key, mn_heal_out_at(p, r, out, t));
            if (b) {
                snprintf(key, sizeof key, "%s_pct_p5", mn_heal_out_name(out));
                put_pct(j, mo, key, band_at(b->p5, b->n_days, out, t));
                snprintf(key, sizeof key, "%s_pct_p50", mn_heal_out_name(out));
                put_pct(j, mo, key, band_at(b->p50, b->n_days, out, t));
                snprintf(key, sizeof key, "%s_pct_p95", mn_heal_out_name(out));
                put_pct(j, mo, key, band_at(b->p95, b->n_days, out, t));
            }
        }
        mn_json_push(j, ma, mo);
    }
    mn_json_put(j, root, "milestones", ma);

    mn_jnode *ot = mn_json_object(j);
    mn_json_num(j, ot, "index", r->overtreatment_index);
    mn_json_num(j, ot, "threshold", p->value[MN_HEAL_P_OT_THR]);
    mn_json_bool(j, ot, "flagged", r->overtreated);
    mn_json_num(j, ot, "inflamed_days", r->inflamed_days);
    mn_json_num(j, ot, "peak_inflammation", r->peak_inflammation);
    mn_json_num(j, ot, "pih_index", r->pih_index);
    mn_json_str(j, ot, "pih_risk", mn_heal_pih_name(r->pih_risk));
    if (b) {
        mn_json_num(j, ot, "index_p5", b->oi_p5);
        mn_json_num(j, ot, "index_p50", b->oi_p50);
        mn_json_num(j, ot, "index_p95", b->oi_p95);
        mn_json_num(j, ot, "flagged_share", b->overtreated_share);
        mn_json_num(j, ot, "pih_high_share", b->pih_high_share);
    }
    mn_json_put(j, root, "overtreatment", ot);

    mn_jnode *wa = mn_json_array(j);
    for (size_t i = 0; i < w->n; i++)
        mn_json_push_str(j, wa, w->items[i]);
    mn_json_put(j, root, "warnings", wa);
    mn_json_num(j, root, "horizon_days", r->horizon_days);
    mn_json_int(j, root, "samples", o->samples);
    mn_json_int(j, root, "seed", (long long)o->seed);
    mn_json_str(j, root, "parameters", params_path);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    return cli_print_json(c, j);
}

static void fmt_cell(char *buf, size_t n, double v, double lo, double hi)
{
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else if (isfinite(lo) && isfinite(hi))
        snprintf(buf, n, "%.0f%% (%.0f-%.0f)", 100 * v, 100 * lo, 100 * hi);
    else
        snprintf(buf, n, "%.0f%%", 100 * v);
}

static void fmt_days(char *buf, size_t n, double d)
{
    if (!isfinite(d))
        snprintf(buf, n, "-");
    else if (d < 1)
        snprintf(buf, n, "%.0f h", d * 24);
    else
        snprintf(buf, n, "%.1f d", d);
}

static void print_text(const heal_opts *o, const mn_site *site, const dose_info *di,
                       const mn_heal_params *p, const mn_heal_result *r,
                       const mn_heal_band *b, long first_date, const warn_list *w,
                       const char *schedule)
{
    printf("%s on %s (%s), %s, %ld passes, %s pressure, Fitzpatrick %s\n", o->device,
           site->name, o->sex == MN_SEX_MALE ? "male" : "female", schedule, o->passes,
           di->pressure_label, roman(o->fitzpatrick));
    printf("dose per session: %.0f channels/cm^2, %.0f um deep (%.0f um into the "
           "dermis, %s), bleeding in %.0f%% of channels\n",
           di->channels_per_cm2, di->depth_um, di->dermis_depth_um,
           mn_layer_name(di->layer), 100 * di->capillary_fraction);
    if (b)
        printf("median person, in brackets the 5-95%% range of %zu virtual people "
               "(seed %llu)\n\n",
               b->n_samples, (unsigned long long)o->seed);
    else
        printf("median person (--samples N gives the 5-95%% range between people)\n\n");

    static const int rows[] = {MN_HEAL_OUT_COLLAGEN_I, MN_HEAL_OUT_COLLAGEN_III,
                               MN_HEAL_OUT_ELASTIN, MN_HEAL_OUT_EPIDERMIS,
                               MN_HEAL_OUT_COLLAGEN_TOTAL};
    static const char *labels[] = {"collagen I", "collagen III", "elastin",
                                   "epidermal thickness", "total collagen"};
    int width = b ? 18 : 10;
    printf("%-20s", "% of baseline");
    static const char *heads[] = {"1 month", "3 months", "6 months", "12 months"};
    for (int m = 0; m < 4; m++)
        printf(" %*s", width, heads[m]);
    putchar('\n');
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        printf("%-20s", labels[i]);
        for (int m = 0; m < 4; m++) {
            double t = milestone_months[m] * MONTH_DAYS;
            char cell[64];
            fmt_cell(cell, sizeof cell, mn_heal_out_at(p, r, rows[i], t),
                     b ? band_at(b->p5, b->n_days, rows[i], t) : NAN,
                     b ? band_at(b->p95, b->n_days, rows[i], t) : NAN);
            printf(" %*s", width, cell);
        }
        putchar('\n');
    }

    printf("\n%-8s %6s %-11s %-15s %-13s %s\n", "session", "day",
           first_date >= 0 ? "date" : "", "barrier closed", "redness gone",
           "ready again");
    for (size_t k = 0; k < r->n_sessions; k++) {
        const mn_heal_session_result *s = &r->sessions[k];
        char date[16] = "", bar[32], red[32], ready[96];
        if (first_date >= 0)
            format_date(first_date + (long)floor(s->t_days + 0.5), date, sizeof date);
        fmt_days(bar, sizeof bar, s->barrier_closed_days);
        fmt_days(red, sizeof red, s->redness_resolved_days);
        if (!isfinite(s->ready_days)) {
            snprintf(ready, sizeof ready, "not within the simulation");
        } else {
            double day = s->t_days + s->ready_days;
            int n = snprintf(ready, sizeof ready, "day %.1f", day);
            if (first_date >= 0) {
                char rd[16];
                format_date(first_date + (long)ceil(day - 1e-9), rd, sizeof rd);
                n += snprintf(ready + n, sizeof ready - (size_t)n, " (%s)", rd);
            }
            if (b)
                n += snprintf(ready + n, sizeof ready - (size_t)n,
                              ", %.1f d after (%.1f-%.1f)", s->ready_days,
                              b->ready_p5[k], b->ready_p95[k]);
            else
                n += snprintf(ready + n, sizeof ready - (size_t)n, ", %.1f d after",
                              s->ready_days);
            if (k + 1 < r->n_sessions && r->sessions[k + 1].early)
                snprintf(ready + n, sizeof ready - (size_t)n, "; next came first");
        }
        printf("%-8zu %6.1f %-11s %-15s %-13s %s\n", k + 1, s->t_days, date, bar, red,
               ready);
    }
    printf("\novertreatment index %.2f (flagged from %.2f)%s; hyperpigmentation risk "
           "%s (Fitzpatrick %s)\n",
           r->overtreatment_index, p->value[MN_HEAL_P_OT_THR],
           r->overtreated ? ": OVERTREATMENT" : ": ok", mn_heal_pih_name(r->pih_risk),
           roman(o->fitzpatrick));
    if (b)
        printf("  between people: index %.2f (%.2f-%.2f), flagged in %.0f%%\n",
               b->oi_p50, b->oi_p5, b->oi_p95, 100 * b->overtreated_share);
    for (size_t i = 0; i < w->n; i++)
        printf("warning: %s\n", w->items[i]);
    printf("mnsim informs; it is not medical advice.\n");
}

static int run_heal(cli_ctx *c, int argc, char **argv)
{
    heal_opts o;
    if (parse_args(c, argc, argv, &o))
        return CLI_USAGE;
    double t[MAX_SESSIONS];
    size_t n_sessions = 0;
    long first_date;
    if (session_times(c, &o, t, &n_sessions, &first_date))
        return CLI_USAGE;
    double horizon = o.months * MONTH_DAYS;
    if (t[n_sessions - 1] > horizon - 1)
        return cli_usage_error(c, "heal",
                               "the last session (day %.0f) is beyond the %ld months "
                               "simulated; give --months",
                               t[n_sessions - 1], o.months);
    if (o.csv && strcmp(o.csv, "-") && !o.force && exists(o.csv)) {
        cli_errorf(c, "%s exists; use --force to overwrite it", o.csv);
        return CLI_FAIL;
    }
    if (o.figure && !o.force && exists(o.figure)) {
        cli_errorf(c, "%s exists; use --force to overwrite it", o.figure);
        return CLI_FAIL;
    }

    int rc = CLI_OK;
    mn_device_list cat = {0};
    mn_site_list sites = {0};
    mn_device dev;
    mn_device_init(&dev);
    mn_heal_data hd;
    memset(&hd, 0, sizeof hd);
    mn_heal_result res;
    memset(&res, 0, sizeof res);
    mn_heal_band band;
    memset(&band, 0, sizeof band);
    warn_list w = {{0}, 0};
    mn_error e;
    mn_error_clear(&e);
    char params_path[4200];

    if (cli_load_devices(c, &cat) || cli_load_sites(c, &sites)) {
        rc = CLI_FAIL;
        goto done;
    }
    if (mn_device_resolve(&cat, o.device, &dev, &e) != MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
        goto done;
    }
    const mn_site *site;
    if (mn_site_find(&sites, o.site, &site, &e) != MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
        goto done;
    }
    mn_skin skin;
    if (mn_site_skin(site, o.sex, &skin, &e) != MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
        goto done;
    }
    if (o.params)
        snprintf(params_path, sizeof params_path, "%s", o.params);
    else if (cli_data_file(c, "healing.yaml", params_path, sizeof params_path)) {
        rc = CLI_FAIL;
        goto done;
    }
    mn_diags diags = {0};
    if (mn_heal_data_load(params_path, &hd, &diags, &e) != MN_OK) {
        char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
        cli_errorf(c, "the healing parameters cannot be read:");
        for (size_t i = 0; i < diags.count; i++)
            fprintf(stderr, "%s: %s\n", mn_severity_name(diags.severity[i]),
                    mn_error_format(&diags.items[i], buf, sizeof buf));
        if (diags.count == 0)
            cli_error(c, &e);
        mn_diags_free(&diags);
        rc = CLI_FAIL;
        goto done;
    }
    mn_diags_free(&diags);

    dose_info di;
    memset(&di, 0, sizeof di);
    if ((rc = compute_dose(c, &o, &dev, &skin, &di)) != CLI_OK)
        goto done;
    mn_heal_dose doses[MAX_SESSIONS];
    for (size_t k = 0; k < n_sessions; k++) {
        doses[k].t_days = t[k];
        doses[k].channels_per_m2 = di.channels_per_cm2 * 1e4;
        doses[k].depth_m = di.depth_um * 1e-6;
        doses[k].dermis_depth_m = di.dermis_depth_um * 1e-6;
        doses[k].capillary_fraction = di.capillary_fraction;
    }
    mn_channel_params channel;
    if ((rc = cli_load_channel_params(c, &channel)) != CLI_OK)
        goto done;
    mn_heal_course course = {doses, n_sessions, (int)o.fitzpatrick, horizon, &channel};
    const mn_heal_params *p = &hd.population.median;
    if (mn_heal_simulate(p, &course, NULL, &res, &e) != MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
        goto done;
    }
    if (o.samples > 0) {
        mn_progress prog = {progress_bar, NULL};
        int show = c->stderr_tty && !c->quiet && !c->json;
        if (mn_heal_ensemble(&hd.population, &course, NULL, o.seed, (size_t)o.samples,
                             show ? &prog : NULL, &band, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
            goto done;
        }
    }
    collect_warnings(&w, &o, &di, p, &res);

    char schedule[160];
    if (o.dates)
        snprintf(schedule, sizeof schedule, "%zu session%s on the dates given",
                 n_sessions, n_sessions == 1 ? "" : "s");
    else if (n_sessions == 1)
        snprintf(schedule, sizeof schedule, "1 session");
    else
        snprintf(schedule, sizeof schedule, "%zu sessions %g days apart", n_sessions,
                 round((t[1] - t[0]) * 100) / 100);

    series s = {p, &res, o.samples > 0 ? &band : NULL, first_date};
    if (o.csv && (rc = save_csv(c, o.csv, &s)) != CLI_OK)
        goto done;
    if (o.figure) {
        char title[256];
        snprintf(title, sizeof title, "%s, %s: %s", o.device, site->name, schedule);
        /* The median person's curves. */
        size_t nd = res.n_days;
        double *med = malloc(nd * MN_HEAL_NOUT * sizeof *med);
        if (!med) {
            cli_errorf(c, "out of memory");
            rc = CLI_FAIL;
            goto done;
        }
        for (size_t d = 0; d < nd; d++)
            for (int out = 0; out < MN_HEAL_NOUT; out++)
                med[d * MN_HEAL_NOUT + (size_t)out] =
                    mn_heal_out_at(p, &res, out, (double)d);
        mn_plot_heal_data pd = {title,
                                nd,
                                med,
                                o.samples > 0 ? band.p5 : NULL,
                                o.samples > 0 ? band.p95 : NULL,
                                t,
                                n_sessions};
        mn_status st = mn_plot_heal(o.figure, &pd, o.force, &e);
        free(med);
        if (st != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
            goto done;
        }
    }
    if (o.csv && !strcmp(o.csv, "-"))
        goto done; /* the CSV is the output */
    if (c->json)
        rc = print_json(c, &o, site, &di, p, &res, o.samples > 0 ? &band : NULL,
                        first_date, &w, params_path, &doses[0]);
    else
        print_text(&o, site, &di, p, &res, o.samples > 0 ? &band : NULL, first_date, &w,
                   schedule);

done:
    for (size_t i = 0; i < w.n; i++)
        free(w.items[i]);
    mn_heal_band_free(&band);
    mn_heal_result_free(&res);
    mn_heal_data_clear(&hd);
    mn_device_clear(&dev);
    mn_site_list_free(&sites);
    mn_device_list_free(&cat);
    return rc;
}

const cli_command cmd_heal = {
    "heal", "healing and collagen induction over 12 months for a course of sessions",
    "Usage: mnsim heal --device NAME|FILE --site SITE\n"
    "                  (--sessions N [--interval T] [--start DATE] | --dates "
    "D1,D2,...)\n"
    "                  [--passes N] [--pressure light|medium|firm|\"8 N\"] [--sex "
    "female|male]\n"
    "                  [--fitzpatrick 1-6] [--samples N] [--seed S] [--months M]\n"
    "                  [--csv FILE|-] [--figure FILE.png|.svg] [--force]\n"
    "                  [--params FILE] [--json]\n\n"
    "Simulates the wound-healing cascade that each session starts (damage,\n"
    "inflammation, growth factor, fibroblasts, collagen III then collagen I,\n"
    "elastin, epidermal thickness) and prints collagen I, collagen III, elastin\n"
    "and epidermal thickness in % of baseline at 1, 3, 6 and 12 months, when the\n"
    "barrier closed, the redness went and the skin was ready again after each\n"
    "session, and warnings when sessions come before the skin has recovered\n"
    "(overtreatment) or the hyperpigmentation risk is raised.\n\n"
    "The dose of a session: passes x the device's punctures per pass, at the depth\n"
    "the penetration model gives for the site and pressure (see mnsim depth).\n\n"
    "  --sessions N      number of sessions, --interval apart (default \"4 weeks\")\n"
    "  --start DATE      date of the first session (YYYY-MM-DD), to print dates\n"
    "  --dates D1,...    the sessions as dates (YYYY-MM-DD, increasing)\n"
    "  --passes N        passes over the area per session (default 15)\n"
    "  --pressure P      hand pressure or force (default light)\n"
    "  --fitzpatrick F   skin phototype 1-6 (default 3): hyperpigmentation risk\n"
    "  --samples N       also simulate N virtual people (between-person variability)\n"
    "                    and print the 5-95% range; --seed S picks them (default 1)\n"
    "  --months M        months simulated after the first session (12-120, default "
    "12)\n"
    "  --csv FILE        the daily series as CSV (- for standard output)\n"
    "  --figure FILE     the curves with the 5-95% band as .png or .svg (implies\n"
    "                    --samples 100 unless --samples is given)\n"
    "  --force           overwrite existing --csv / --figure files\n"
    "  --params FILE     healing parameters (default: data directory's "
    "healing.yaml)\n\n"
    "Example: mnsim heal --device roller-192-1.5mm --site cheek --sessions 4 "
    "--interval \"4 weeks\"\n",
    run_heal};
