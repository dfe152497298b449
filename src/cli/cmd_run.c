/* mnsim run PROTOCOL -o DIR: the whole course, simulated, with a report. */
#include "cli.h"
#include "opts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnsim/course_io.h"
#include "mnsim/course_run.h"
#include "mnsim/report.h"
#include "mnsim/validation_io.h"

typedef struct {
    const cli_ctx *c;
    char stage[32];
    double stage_start;
    double t_roll, t_heal, t_deliver;
    int last_pct;
} run_progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Times each stage; draws a bar when stderr is a terminal. */
static int on_progress(void *user, double fraction, const char *stage)
{
    run_progress *p = user;
    double t = now_s();
    if (strcmp(stage, p->stage)) {
        if (!strcmp(p->stage, "roll"))
            p->t_roll += t - p->stage_start;
        else if (!strcmp(p->stage, "heal"))
            p->t_heal += t - p->stage_start;
        else if (!strcmp(p->stage, "deliver"))
            p->t_deliver += t - p->stage_start;
        snprintf(p->stage, sizeof p->stage, "%s", stage);
        p->stage_start = t;
        p->last_pct = -1;
    }
    if (p->c->stderr_tty && !p->c->quiet) {
        int pct = (int)(100 * fraction);
        if (pct != p->last_pct) {
            int n = pct / 5;
            fprintf(stderr, "\r%-7s [%.*s%*s] %3d%%", stage, n, "####################",
                    20 - n, "", pct);
            if (!strcmp(stage, "done"))
                fputc('\n', stderr);
            p->last_pct = pct;
        }
    }
    return 0;
}

/* One line per delivery case. */
static void print_delivery(const mn_course_deliveries *dl)
{
    for (size_t i = 0; i < dl->count; i++) {
        const mn_course_delivery *x = &dl->items[i];
        if (x->role == MN_APPLY_ANAESTHETIC) {
            char numb[64];
            if (isfinite(x->res.time_to_numb_s))
                snprintf(numb, sizeof numb, "numb after %.0f min",
                         x->res.time_to_numb_s / 60);
            else
                snprintf(numb, sizeof numb, "not numb within 8 h");
            printf("  anaesthetic %s at %s: %s (left on %.0f min%s)\n",
                   x->compound->name, x->site, numb, x->contact_s / 60,
                   x->numb_in_time ? "" : ": comes off too early");
        } else {
            printf("  serum %s at %s%s%s: %.3g ug/cm2 past the barrier in %.0f min, "
                   "%.3g x intact skin's steady-state flux with the channels open\n",
                   x->compound->name, x->site, x->device ? " after " : " (no channels)",
                   x->device ? x->device : "", x->res.delivered_kg_m2 * 1e5,
                   x->contact_s / 60, x->res.steady.enhancement);
        }
    }
}

typedef struct {
    const char *protocol, *dir;
    int force, no_delivery, grid, seed_given;
    long samples;
    uint64_t seed;
    mn_course_run_options run;
} run_opts;

static const char *const grid_names[] = {"coarse", "medium", "fine", NULL};

static int parse_args(cli_ctx *c, int argc, char **argv, run_opts *o)
{
    memset(o, 0, sizeof *o);
    mn_course_run_options_default(&o->run);
    o->grid = o->run.delivery.grid;
    o->samples = (long)o->run.simulate.n_samples;
    cli_opt opts[] = {
        CLI_STR("--output", &o->dir),
        CLI_FLAG("--force", &o->force),
        CLI_FLAG("--no-delivery", &o->no_delivery),
        CLI_CHOICE("--grid", &o->grid, grid_names),
        CLI_LONG("--samples", &o->samples, 0, 100000),
        CLI_SEED("--seed", &o->seed),
    };
    opts[0].alias = "-o";
    opts[sizeof opts / sizeof *opts - 1].seen = &o->seed_given;
    const char *pos[1];
    size_t n_pos = 0;
    int rc = cli_opts_parse(c, "run", opts, sizeof opts / sizeof *opts, argc, argv, pos,
                            1, &n_pos);
    if (rc)
        return rc;
    o->protocol = n_pos ? pos[0] : NULL;
    if (!o->protocol || !o->dir)
        return cli_usage_error(c, "run", "run needs a PROTOCOL file and -o DIR");
    o->run.deliver = !o->no_delivery;
    o->run.delivery.grid = o->grid;
    o->run.simulate.n_samples = (size_t)o->samples;
    return CLI_OK;
}

static void print_json(cli_ctx *c, const run_opts *o, const mn_course_outcome *out,
                       const run_progress *rp, double t_total, double t_output, int *rc)
{
    const mn_course_result *res = &out->course;
    mn_json *j = mn_json_new();
    mn_jnode *root = mn_json_root(j);
    mn_json_str(j, root, "protocol", o->protocol);
    mn_json_str(j, root, "output", o->dir);
    mn_json_int(j, root, "seed", (long long)res->seed);
    mn_json_int(j, root, "sessions", (long long)res->n_sessions);
    mn_json_int(j, root, "zones", (long long)res->n_zones);
    mn_json_int(j, root, "punctures", res->total_punctures);
    mn_json_int(j, root, "errors", (long long)res->findings.n_errors);
    mn_json_int(j, root, "warnings", (long long)res->findings.n_warnings);
    mn_json_num(j, root, "elapsed_s", t_total);
    mn_json_num(j, root, "elapsed_roll_s", rp->t_roll);
    mn_json_num(j, root, "elapsed_heal_s", rp->t_heal);
    mn_json_num(j, root, "elapsed_deliver_s", rp->t_deliver);
    mn_json_int(j, root, "delivery_cases", (long long)out->delivery.count);
    mn_json_num(j, root, "elapsed_output_s", t_output);
    *rc = cli_print_json(c, j);
}

static void print_summary(const cli_ctx *c, const run_opts *o, const mn_course *course,
                          const mn_course_outcome *out, const run_progress *rp,
                          double t_total, double t_output)
{
    const mn_course_result *res = &out->course;
    printf("%s: %zu sessions, %zu zones, %ld punctures simulated, seed %llu\n",
           o->protocol, res->n_sessions, res->n_zones, res->total_punctures,
           (unsigned long long)res->seed);
    printf("safety: %zu error(s), %zu warning(s)%s\n", res->findings.n_errors,
           res->findings.n_warnings,
           res->findings.n_errors ? ": this course breaks safety rules (see the report)"
                                  : "");
    for (size_t z = 0; z < res->n_zones; z++) {
        const mn_heal_result *h = &res->heal[res->heal_of[z]];
        if (!h->n_days)
            continue;
        double tot6 =
            mn_heal_out_at(&course->healing.population.median, h,
                           MN_HEAL_OUT_COLLAGEN_TOTAL, 6 * MN_HEAL_DAYS_PER_MONTH);
        const mn_device *own = course->zone_devices ? course->zone_devices[z] : NULL;
        printf("  %-18s channels %4.0f um, collagen at 6 months %+.0f%%%s%s%s\n",
               course->zones[z].name,
               res->cells[z].treated ? res->cells[z].depth.depth_m * 1e6 : 0,
               100 * (tot6 - 1), h->overtreated ? ", OVERTREATED" : "",
               own ? ", with its own " : "", own ? own->name : "");
    }
    print_delivery(&out->delivery);
    printf("report: %s/report.html (results.json, CSV and figures beside it)\n",
           o->dir);
    if (!c->quiet)
        fprintf(
            stderr,
            "time: %.2f s (roll %.2f s, heal %.2f s, delivery %.2f s, output %.2f s)\n",
            t_total, rp->t_roll, rp->t_heal, rp->t_deliver, t_output);
    printf("mnsim informs; it is not medical advice.\n");
}

/* Read and resolve the protocol; print every problem. */
static int load_course(cli_ctx *c, const char *data, const char *protocol,
                       mn_course *course)
{
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    int rc = CLI_OK;
    if (mn_course_load(protocol, data, course, &d, &e) != MN_OK)
        rc = cli_fail_diags(c, &d, &e);
    mn_diags_free(&d);
    return rc;
}

/* The cases of data/validation for the models the course used; every
 * problem printed. */
static int load_evidence(cli_ctx *c, const char *data, const mn_course *course,
                         int with_delivery, mn_course_evidence *ev)
{
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    int rc = CLI_OK;
    if (mn_course_evidence_load(data, course, with_delivery, ev, &d, &e) != MN_OK)
        rc = cli_fail_diags(c, &d, &e);
    mn_diags_free(&d);
    return rc;
}

static int run_run(cli_ctx *c, int argc, char **argv)
{
    run_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    mn_course course;
    mn_course_outcome out;
    mn_course_evidence ev;
    memset(&ev, 0, sizeof ev);
    memset(&course, 0, sizeof course);
    memset(&out, 0, sizeof out);
    mn_error e;
    mn_error_clear(&e);
    double t0 = now_s();
    if (mn_report_check_dir(o.dir, o.force, &e) != MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
        goto done;
    }
    char data[4200];
    if ((rc = cli_data_dir(c, data, sizeof data)) ||
        (rc = load_course(c, data, o.protocol, &course)))
        goto done;
    if (o.seed_given) /* --seed 0 too: the protocol's seed is replaced */
        course.protocol.seed = (long)o.seed;
    run_progress rp;
    memset(&rp, 0, sizeof rp);
    rp.c = c;
    rp.stage_start = now_s();
    mn_progress prog = {on_progress, &rp};
    rc = CLI_FAIL;
    if (mn_course_run(&course, &o.run, &prog, &out, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    double t_sim = now_s();
    /* The published record of the models used, beside the results. */
    if (load_evidence(c, data, &course, out.delivery.count > 0, &ev))
        goto done;
    out.evidence = mn_course_evidence_view(&ev);
    if (mn_report_write_all(o.dir, o.force, o.protocol, &course, &out, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    double t_end = now_s();
    if (c->json) {
        print_json(c, &o, &out, &rp, t_end - t0, t_end - t_sim, &rc);
    } else {
        print_summary(c, &o, &course, &out, &rp, t_end - t0, t_end - t_sim);
        rc = CLI_OK;
    }
done:
    mn_course_outcome_free(&out);
    mn_course_evidence_free(&ev);
    mn_course_free(&course);
    return rc;
}

const cli_command cmd_run = {
    "run", "simulate a whole course and write a report (the main job)",
    "Usage: mnsim run PROTOCOL.yaml -o DIR [--samples N] [--seed N]\n"
    "                 [--grid coarse|medium|fine] [--no-delivery] [--force] "
    "[--json]\n\n"
    "Checks the protocol against the safety rules, then for each session rolls\n"
    "every zone (puncture positions and density), computes the channel depth at\n"
    "each zone's site, computes what the anaesthetic (on intact skin, time to\n"
    "numbness) and the serum (over the fresh channels) deliver by the transport\n"
    "model (--grid, default coarse; --no-delivery skips it), and follows the\n"
    "healing of each zone for 12 months (the median person and N virtual\n"
    "people, default 50, for the 5-95% bands).\n"
    "Writes DIR/report.html (one self-contained file, figures embedded, findings\n"
    "first), DIR/results.json (docs/results.md), sessions.csv, healing.csv,\n"
    "delivery.csv and the figures. Every file is checked before anything is\n"
    "written: existing results are replaced only with --force (the error names\n"
    "them), and only regular files. Everything is written into a staging folder\n"
    "inside DIR and moved into place only when all of it was written, so a\n"
    "failure leaves the previous results whole. A course that breaks safety\n"
    "rules is still simulated, to show what it does; the report puts the\n"
    "errors first. Not medical advice.\n",
    run_run};
