/* mnsim heal --device NAME --site SITE (--sessions N [--interval T] | --dates D,...):
 * healing and collagen induction over 12 months for a course of sessions:
 * collagen I and III, elastin and epidermis at 1, 3, 6 and 12 months, when
 * the skin was ready again after each session, overtreatment warnings. The
 * course itself is mnsim/heal_course.h; its CSV is mnsim/heal_csv.h. */
#include "cli.h"
#include "opts.h"
#include "table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/heal_course.h"
#include "mnsim/heal_csv.h"
#include "mnsim/healing_io.h"
#include "mnsim/plot_heal.h"

#define DAY_S 86400.0

typedef struct {
    const char *device, *site, *pressure, *dates, *csv, *figure, *params;
    mn_sex sex;
    long passes, sessions, samples, fitzpatrick, months;
    double interval_s;
    int64_t start_day; /* day number, or -1 */
    int interval_given, start_given;
    uint64_t seed;
    int force;
} heal_opts;

/* --start: a day, YYYY-MM-DD (no time of day), as a day number. */
static int parse_start(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                       void *dest)
{
    int64_t t;
    if (strlen(v) != 10 || mn_date_parse(v, &t, NULL) != MN_OK)
        return cli_usage_error(c, cmd, "%s: '%s' is not a date like 2027-01-04", opt,
                               v);
    *(int64_t *)dest = t / 86400;
    return CLI_OK;
}

static int check_args(cli_ctx *c, heal_opts *o)
{
    if (!o->device)
        return cli_usage_error(c, "heal",
                               "heal needs --device NAME (see mnsim devices)");
    if (!o->site)
        return cli_usage_error(c, "heal", "heal needs --site NAME (see mnsim sites)");
    if (o->dates && (o->sessions || o->interval_given || o->start_given))
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

static int parse_args(cli_ctx *c, int argc, char **argv, heal_opts *o)
{
    memset(o, 0, sizeof *o);
    o->pressure = "light";
    o->passes = 15;
    o->fitzpatrick = 3;
    o->months = 12;
    o->samples = -1;
    o->seed = 1;
    o->interval_s = 28 * DAY_S;
    o->start_day = -1;
    const cli_opt opts[] = {
        CLI_STR("--device", &o->device),
        CLI_STR("--site", &o->site),
        CLI_STR("--pressure", &o->pressure),
        {.name = "--interval",
         .type = CLI_OPT_QUANTITY,
         .dest = &o->interval_s,
         .seen = &o->interval_given,
         .lo = 3600,
         .hi = 730 * DAY_S,
         .unit = MN_UNIT_TIME,
         .range = "1 h to 2 years"},
        CLI_STR("--dates", &o->dates),
        {.name = "--start",
         .type = CLI_OPT_CUSTOM,
         .dest = &o->start_day,
         .seen = &o->start_given,
         .parse = parse_start},
        CLI_STR("--csv", &o->csv),
        CLI_STR("--figure", &o->figure),
        CLI_STR("--params", &o->params),
        CLI_LONG("--passes", &o->passes, 1, 1000),
        CLI_LONG("--sessions", &o->sessions, 1, MN_HEAL_MAX_SESSIONS),
        CLI_LONG("--samples", &o->samples, 0, 100000),
        CLI_LONG("--fitzpatrick", &o->fitzpatrick, 1, 6),
        CLI_LONG("--months", &o->months, 12, 120),
        CLI_SEED("--seed", &o->seed),
        CLI_SEX("--sex", &o->sex),
        CLI_FLAG("--force", &o->force),
    };
    int rc = cli_opts_parse(c, "heal", opts, sizeof opts / sizeof *opts, argc, argv,
                            NULL, 0, NULL);
    return rc ? rc : check_args(c, o);
}

/* The sessions of the options, checked against the months simulated. */
static int make_schedule(cli_ctx *c, const heal_opts *o, mn_heal_schedule *s)
{
    mn_error e;
    mn_error_clear(&e);
    if (o->dates) {
        if (mn_heal_schedule_dates(o->dates, s, &e) != MN_OK)
            return cli_usage_error(c, "heal", "--dates: %s", e.message);
    } else if (mn_heal_schedule_every(o->sessions, o->interval_s / DAY_S, o->start_day,
                                      s, &e) != MN_OK) {
        return cli_usage_error(c, "heal", "%s", e.message);
    }
    if (mn_heal_schedule_fits(s, o->months, &e) != MN_OK)
        return cli_usage_error(c, "heal", "%s; give --months", e.message);
    return CLI_OK;
}

static int refuse_existing(cli_ctx *c, const heal_opts *o)
{
    const char *paths[2] = {o->csv && strcmp(o->csv, "-") ? o->csv : NULL, o->figure};
    return cli_check_outputs(c, paths, 2, o->force);
}

/* ---- inputs ------------------------------------------------------------- */

/* The skin of the site for the person's sex and the device (dev is
 * initialised by the caller, cleared by the caller). */
static int load_device_and_skin(cli_ctx *c, const heal_opts *o, mn_device *dev,
                                mn_skin *skin, char *site_name, size_t n)
{
    mn_device_list cat = {0};
    mn_site_list sites = {0};
    mn_error e;
    mn_error_clear(&e);
    int rc = CLI_FAIL;
    const mn_site *site;
    if (cli_load_devices(c, &cat) || cli_load_sites(c, &sites))
        goto done;
    if (mn_device_resolve(&cat, o->device, dev, &e) != MN_OK ||
        mn_site_find(&sites, o->site, &site, &e) != MN_OK ||
        mn_site_skin(site, o->sex, skin, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    snprintf(site_name, n, "%s", site->name);
    rc = CLI_OK;
done:
    mn_site_list_free(&sites);
    mn_device_list_free(&cat);
    return rc;
}

/* The healing parameters: --params, or the data directory's healing.yaml
 * (its path into path, for the JSON). */
static int load_heal_data(cli_ctx *c, const heal_opts *o, char *path, size_t n,
                          mn_heal_data *hd)
{
    if (o->params)
        snprintf(path, n, "%s", o->params);
    else if (cli_data_file(c, "healing.yaml", path, n))
        return CLI_FAIL;
    mn_diags diags = {0};
    mn_error e;
    mn_error_clear(&e);
    if (mn_heal_data_load(path, hd, &diags, &e) == MN_OK) {
        mn_diags_free(&diags);
        return CLI_OK;
    }
    cli_errorf(c, "the healing parameters cannot be read:");
    cli_fail_diags(c, &diags, &e);
    mn_diags_free(&diags);
    return CLI_FAIL;
}

/* The injury of one session: the penetration model at the --pressure. */
static int session_injury(cli_ctx *c, const heal_opts *o, const mn_device *dev,
                          const mn_skin *skin, mn_heal_injury *inj, const char **plabel)
{
    mn_depth_params dp;
    if (cli_load_depth_params(c, &dp))
        return CLI_FAIL;
    double force;
    int rc = cli_parse_pressure(c, "heal", &dp, o->pressure, &force, plabel);
    if (rc)
        return rc;
    mn_error e;
    mn_error_clear(&e);
    if (mn_heal_injury_compute(dev, skin, &dp, force, o->passes, inj, &e) != MN_OK) {
        cli_error(c, &e);
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

/* ---- output ------------------------------------------------------------- */

/* What the printers need. */
typedef struct {
    const heal_opts *o;
    const char *site;
    const char *pressure; /* its label */
    const mn_heal_injury *inj;
    const mn_heal_params *p;
    const mn_heal_outcome *out;
    const mn_heal_band *b; /* NULL without samples */
    const mn_heal_schedule *sched;
    const char *params_path;
    const char *schedule; /* in words */
} heal_view;

static void format_day(int64_t day, char *buf, size_t n)
{
    mn_date_format(day * 86400, 0, buf, n);
}

static void put_pct(mn_json *j, mn_jnode *o, const char *key, double rel)
{
    mn_json_num(j, o, key, round(rel * 1000) / 10);
}

static mn_jnode *json_dose(mn_json *j, const heal_view *v)
{
    mn_jnode *dj = mn_json_object(j);
    mn_json_num(j, dj, "density_per_cm2", v->inj->channels_per_cm2);
    mn_json_num(j, dj, "depth_um", v->inj->depth_um);
    mn_json_num(j, dj, "dermis_depth_um", v->inj->dermis_depth_um);
    mn_json_str(j, dj, "layer", mn_layer_name(v->inj->layer));
    mn_json_num(j, dj, "bleeding_fraction", v->inj->capillary_fraction);
    mn_json_num(j, dj, "damage", mn_heal_dose_damage(v->p, &v->out->doses[0]));
    return dj;
}

static mn_jnode *json_session(mn_json *j, const heal_view *v, size_t k)
{
    const mn_heal_session_result *s = &v->out->result.sessions[k];
    int64_t first = v->sched->first_day;
    mn_jnode *so = mn_json_object(j);
    mn_json_int(j, so, "session", (long long)k + 1);
    mn_json_num(j, so, "day", s->t_days);
    char date[16];
    if (first >= 0) {
        format_day(first + (int64_t)floor(s->t_days + 0.5), date, sizeof date);
        mn_json_str(j, so, "date", date);
    }
    mn_json_num(j, so, "barrier_closed_days", s->barrier_closed_days);
    mn_json_num(j, so, "redness_resolved_days", s->redness_resolved_days);
    mn_json_num(j, so, "ready_days", s->ready_days);
    mn_json_num(j, so, "ready_day", s->t_days + s->ready_days);
    if (first >= 0 && isfinite(s->ready_days)) {
        format_day(first + (int64_t)ceil(s->t_days + s->ready_days - 1e-9), date,
                   sizeof date);
        mn_json_str(j, so, "ready_date", date);
    }
    if (v->b) {
        mn_json_num(j, so, "ready_p5_days", v->b->ready_p5[k]);
        mn_json_num(j, so, "ready_p50_days", v->b->ready_p50[k]);
        mn_json_num(j, so, "ready_p95_days", v->b->ready_p95[k]);
    }
    mn_json_bool(j, so, "early", s->early);
    mn_json_num(j, so, "unready_fraction", s->unready_fraction);
    return so;
}

static mn_jnode *json_milestone(mn_json *j, const heal_view *v, double months)
{
    const mn_heal_band *b = v->b;
    double t = months * MN_HEAL_DAYS_PER_MONTH;
    mn_jnode *mo = mn_json_object(j);
    mn_json_num(j, mo, "month", months);
    mn_json_num(j, mo, "day", t);
    for (int out = 0; out < MN_HEAL_NOUT; out++) {
        const char *name = mn_heal_out_name(out);
        char key[64];
        snprintf(key, sizeof key, "%s_pct", name);
        put_pct(j, mo, key, mn_heal_out_at(v->p, &v->out->result, out, t));
        if (!b)
            continue;
        snprintf(key, sizeof key, "%s_p5_pct", name);
        put_pct(j, mo, key, mn_heal_band_at(b->p5, b->n_days, out, t));
        snprintf(key, sizeof key, "%s_p50_pct", name);
        put_pct(j, mo, key, mn_heal_band_at(b->p50, b->n_days, out, t));
        snprintf(key, sizeof key, "%s_p95_pct", name);
        put_pct(j, mo, key, mn_heal_band_at(b->p95, b->n_days, out, t));
    }
    return mo;
}

static mn_jnode *json_overtreatment(mn_json *j, const heal_view *v)
{
    const mn_heal_result *r = &v->out->result;
    mn_jnode *ot = mn_json_object(j);
    mn_json_num(j, ot, "overtreatment_index", r->overtreatment_index);
    mn_json_num(j, ot, "threshold", v->p->value[MN_HEAL_P_OT_THR]);
    mn_json_bool(j, ot, "overtreated", r->overtreated);
    mn_json_num(j, ot, "inflamed_days", r->inflamed_days);
    mn_json_num(j, ot, "peak_inflammation", r->peak_inflammation);
    mn_json_num(j, ot, "hyperpigmentation_index", r->pih_index);
    mn_json_str(j, ot, "hyperpigmentation_risk", mn_heal_pih_name(r->pih_risk));
    if (v->b) {
        mn_json_num(j, ot, "overtreatment_index_p5", v->b->oi_p5);
        mn_json_num(j, ot, "overtreatment_index_p50", v->b->oi_p50);
        mn_json_num(j, ot, "overtreatment_index_p95", v->b->oi_p95);
        mn_json_num(j, ot, "overtreated_share", v->b->overtreated_share);
        mn_json_num(j, ot, "hyperpigmentation_high_share", v->b->pih_high_share);
    }
    return ot;
}

static int print_json(cli_ctx *c, const heal_view *v)
{
    const heal_opts *o = v->o;
    const mn_heal_result *r = &v->out->result;
    mn_json *j = mn_json_new();
    if (!j)
        return CLI_FAIL;
    mn_jnode *root = mn_json_root(j);
    mn_json_str(j, root, "device", o->device);
    mn_json_str(j, root, "site", v->site);
    mn_json_str(j, root, "sex", o->sex == MN_SEX_MALE ? "male" : "female");
    mn_json_int(j, root, "passes", o->passes);
    mn_json_str(j, root, "pressure", v->pressure);
    mn_json_num(j, root, "force_n", v->inj->force_n);
    mn_json_int(j, root, "fitzpatrick", o->fitzpatrick);
    mn_json_put(j, root, "dose_per_session", json_dose(j, v));
    mn_jnode *sa = mn_json_array(j);
    for (size_t k = 0; k < r->n_sessions; k++)
        mn_json_push(j, sa, json_session(j, v, k));
    mn_json_put(j, root, "sessions", sa);
    mn_jnode *ma = mn_json_array(j);
    for (int m = 0; m < MN_HEAL_N_MILESTONES; m++)
        if (mn_heal_milestone_months[m] * MN_HEAL_DAYS_PER_MONTH <=
            (double)(r->n_days - 1))
            mn_json_push(j, ma, json_milestone(j, v, mn_heal_milestone_months[m]));
    mn_json_put(j, root, "milestones", ma);
    mn_json_put(j, root, "overtreatment", json_overtreatment(j, v));
    mn_jnode *wa = mn_json_array(j);
    for (size_t i = 0; i < v->out->warnings.count; i++)
        mn_json_push_str(j, wa, v->out->warnings.items[i]);
    mn_json_put(j, root, "warnings", wa);
    mn_json_num(j, root, "horizon_days", r->horizon_days);
    mn_json_int(j, root, "samples", o->samples);
    mn_json_int(j, root, "seed", (long long)o->seed);
    mn_json_str(j, root, "parameters", v->params_path);
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
        snprintf(buf, n, "%.1f days", d);
}

/* Collagen, elastin and epidermis in % of baseline at 1, 3, 6 and 12
 * months (with the range between people in brackets). */
static void print_milestones(const heal_view *v)
{
    static const int rows[] = {MN_HEAL_OUT_COLLAGEN_I, MN_HEAL_OUT_COLLAGEN_III,
                               MN_HEAL_OUT_ELASTIN, MN_HEAL_OUT_EPIDERMIS,
                               MN_HEAL_OUT_COLLAGEN_TOTAL};
    static const char *labels[] = {"collagen I", "collagen III", "elastin",
                                   "epidermal thickness", "total collagen"};
    const mn_heal_band *b = v->b;
    int width = b ? 18 : 10;
    const cli_column cols[1 + MN_HEAL_N_MILESTONES] = {
        {"% of baseline", -20, NULL}, {"1 month", width, NULL},
        {"3 months", width, NULL},    {"6 months", width, NULL},
        {"12 months", width, NULL},
    };
    const cli_table t = {cols, 1 + MN_HEAL_N_MILESTONES};
    cli_table_header(&t);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cli_row row = {0};
        cli_cell(&row, "%s", labels[i]);
        for (int m = 0; m < MN_HEAL_N_MILESTONES; m++) {
            double day = mn_heal_milestone_months[m] * MN_HEAL_DAYS_PER_MONTH;
            char cell[64];
            fmt_cell(cell, sizeof cell,
                     mn_heal_out_at(v->p, &v->out->result, rows[i], day),
                     b ? mn_heal_band_at(b->p5, b->n_days, rows[i], day) : NAN,
                     b ? mn_heal_band_at(b->p95, b->n_days, rows[i], day) : NAN);
            cli_cell(&row, "%s", cell);
        }
        cli_table_row(&t, &row);
    }
}

/* When the skin was ready again after session k, in words. */
static void ready_text(const heal_view *v, size_t k, char *ready, size_t size)
{
    const mn_heal_result *r = &v->out->result;
    const mn_heal_session_result *s = &r->sessions[k];
    if (!isfinite(s->ready_days)) {
        snprintf(ready, size, "not within the simulation");
        return;
    }
    double day = s->t_days + s->ready_days;
    int n = snprintf(ready, size, "day %.1f", day);
    if (v->sched->first_day >= 0) {
        char rd[16];
        format_day(v->sched->first_day + (int64_t)ceil(day - 1e-9), rd, sizeof rd);
        n += snprintf(ready + n, size - (size_t)n, " (%s)", rd);
    }
    if (v->b)
        n += snprintf(ready + n, size - (size_t)n, ", %.1f days after (%.1f-%.1f)",
                      s->ready_days, v->b->ready_p5[k], v->b->ready_p95[k]);
    else
        n += snprintf(ready + n, size - (size_t)n, ", %.1f days after", s->ready_days);
    if (k + 1 < r->n_sessions && r->sessions[k + 1].early)
        snprintf(ready + n, size - (size_t)n, "; next came first");
}

/* Each session: when the barrier closed, the redness went and the skin
 * was ready again. */
static void print_sessions(const heal_view *v)
{
    int64_t first = v->sched->first_day;
    const cli_column cols[] = {
        {"session", -8, NULL},
        {"day", 6, NULL},
        {first >= 0 ? "date" : "", -11, NULL},
        {"barrier closed", -15, NULL},
        {"redness gone", -13, NULL},
        {"ready again", -1, NULL},
    };
    const cli_table t = {cols, sizeof cols / sizeof *cols};
    putchar('\n');
    cli_table_header(&t);
    const mn_heal_result *r = &v->out->result;
    for (size_t k = 0; k < r->n_sessions; k++) {
        const mn_heal_session_result *s = &r->sessions[k];
        char date[16] = "", bar[32], red[32], ready[96];
        if (first >= 0)
            format_day(first + (int64_t)floor(s->t_days + 0.5), date, sizeof date);
        fmt_days(bar, sizeof bar, s->barrier_closed_days);
        fmt_days(red, sizeof red, s->redness_resolved_days);
        ready_text(v, k, ready, sizeof ready);
        cli_row row = {0};
        cli_cell(&row, "%zu", k + 1);
        cli_cell(&row, "%.1f", s->t_days);
        cli_cell(&row, "%s", date);
        cli_cell(&row, "%s", bar);
        cli_cell(&row, "%s", red);
        cli_cell(&row, "%s", ready);
        cli_table_row(&t, &row);
    }
}

static void print_text(const heal_view *v)
{
    const heal_opts *o = v->o;
    const mn_heal_injury *inj = v->inj;
    const mn_heal_result *r = &v->out->result;
    const mn_heal_band *b = v->b;
    const char *phototype = mn_heal_phototype_name(o->fitzpatrick);
    printf("%s on %s (%s), %s, %ld passes, %s pressure, Fitzpatrick %s\n", o->device,
           v->site, o->sex == MN_SEX_MALE ? "male" : "female", v->schedule, o->passes,
           v->pressure, phototype);
    printf("dose per session: %.0f channels/cm2, %.0f um deep (%.0f um into the "
           "dermis, %s), bleeding in %.0f%% of channels\n",
           inj->channels_per_cm2, inj->depth_um, inj->dermis_depth_um,
           mn_layer_name(inj->layer), 100 * inj->capillary_fraction);
    if (b)
        printf("median person, in brackets the 5-95%% range of %zu virtual people "
               "(seed %llu)\n\n",
               b->n_samples, (unsigned long long)o->seed);
    else
        printf("median person (--samples N gives the 5-95%% range between people)\n\n");
    print_milestones(v);
    print_sessions(v);
    printf("\novertreatment index %.2f (flagged from %.2f)%s; hyperpigmentation risk "
           "%s (Fitzpatrick %s)\n",
           r->overtreatment_index, v->p->value[MN_HEAL_P_OT_THR],
           r->overtreated ? ": OVERTREATMENT" : ": ok", mn_heal_pih_name(r->pih_risk),
           phototype);
    if (b)
        printf("  between people: index %.2f (%.2f-%.2f), flagged in %.0f%%\n",
               b->oi_p50, b->oi_p5, b->oi_p95, 100 * b->overtreated_share);
    for (size_t i = 0; i < v->out->warnings.count; i++)
        printf("warning: %s\n", v->out->warnings.items[i]);
    printf("mnsim informs; it is not medical advice.\n");
}

/* The curves of the median person, with the band between people. */
static int write_figure(cli_ctx *c, const heal_view *v)
{
    char title[256];
    snprintf(title, sizeof title, "%s, %s: %s", v->o->device, v->site, v->schedule);
    double *med = mn_heal_daily_outputs(v->p, &v->out->result);
    if (!med) {
        cli_errorf(c, "out of memory");
        return CLI_FAIL;
    }
    mn_plot_heal_data pd = {title,
                            v->out->result.n_days,
                            med,
                            v->b ? v->b->p5 : NULL,
                            v->b ? v->b->p95 : NULL,
                            v->sched->t_days,
                            v->sched->n};
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_plot_heal(v->o->figure, &pd, v->o->force, &e);
    free(med);
    if (st != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* The CSV, the figure, then the results on stdout (unless the CSV is). */
static int write_outputs(cli_ctx *c, const heal_view *v)
{
    const heal_opts *o = v->o;
    mn_heal_series series = {v->p, &v->out->result, v->b, v->sched->first_day};
    mn_error e;
    mn_error_clear(&e);
    if (o->csv && !strcmp(o->csv, "-"))
        return mn_heal_csv_write(stdout, &series) || (o->figure && write_figure(c, v))
                   ? CLI_FAIL
                   : CLI_OK;
    if (o->csv && mn_heal_csv_save(o->csv, &series, o->force, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (o->figure && write_figure(c, v))
        return CLI_FAIL;
    if (c->json)
        return print_json(c, v);
    print_text(v);
    return CLI_OK;
}

static int run_heal(cli_ctx *c, int argc, char **argv)
{
    heal_opts o;
    mn_heal_schedule sched;
    int rc = parse_args(c, argc, argv, &o);
    if (rc || (rc = make_schedule(c, &o, &sched)) || (rc = refuse_existing(c, &o)))
        return rc;
    mn_device dev;
    mn_device_init(&dev);
    mn_skin skin;
    mn_heal_data hd;
    memset(&hd, 0, sizeof hd);
    mn_heal_outcome out;
    memset(&out, 0, sizeof out);
    mn_heal_injury inj;
    char site[256], params_path[4200];
    const char *plabel = "light";
    if ((rc = load_device_and_skin(c, &o, &dev, &skin, site, sizeof site)) ||
        (rc = load_heal_data(c, &o, params_path, sizeof params_path, &hd)) ||
        (rc = session_injury(c, &o, &dev, &skin, &inj, &plabel)))
        goto done;
    mn_channel_params channel;
    if ((rc = cli_load_channel_params(c, &channel)))
        goto done;
    mn_heal_course_spec spec = {
        &sched, &inj,    (int)o.fitzpatrick, o.months, (size_t)o.samples,
        o.seed, &channel};
    mn_progress prog = {progress_bar, NULL};
    int show = c->stderr_tty && !c->quiet && !c->json;
    mn_error e;
    mn_error_clear(&e);
    if (mn_heal_course_run(&hd.population, &spec, show ? &prog : NULL, &out, &e) !=
        MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
        goto done;
    }
    char schedule[160];
    mn_heal_schedule_describe(&sched, schedule, sizeof schedule);
    heal_view v = {.o = &o,
                   .site = site,
                   .pressure = plabel,
                   .inj = &inj,
                   .p = &hd.population.median,
                   .out = &out,
                   .b = out.has_band ? &out.band : NULL,
                   .sched = &sched,
                   .params_path = params_path,
                   .schedule = schedule};
    rc = write_outputs(c, &v);
done:
    mn_heal_outcome_free(&out);
    mn_heal_data_clear(&hd);
    mn_device_clear(&dev);
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
