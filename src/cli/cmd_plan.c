/* mnsim plan: a safe starting protocol for an indication, with a session
 * guide and a calendar. The plan made a course is mn_plan_course
 * (mnsim/plan_course.h); its sessions and guides mn_plan_sessions
 * (mnsim/plan.h). */
#include "cli.h"
#include "opts.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnsim/course_io.h"
#include "mnsim/date.h"
#include "mnsim/plan.h"
#include "mnsim/plan_course.h"
#include "mnsim/plan_report.h"
#include "mnsim/protocol_io.h"

typedef struct {
    const char *indication, *zones, *start_text, *device, *ics, *output;
    int ind, setting, sex, force;
    long fitzpatrick;
    int64_t start;
} plan_opts;

/* --indication: kept as written too (the JSON and the calendar show it). */
static int parse_indication(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                            void *dest)
{
    plan_opts *o = dest;
    o->indication = v;
    if ((o->ind = mn_indication_from_name(v)) < 0)
        return cli_usage_error(c, cmd,
                               "%s: one of fine-lines, acne-scars, atrophic-scars, "
                               "stretch-marks, hair-loss, texture, laxity",
                               opt);
    return CLI_OK;
}

/* --start: also kept as written (the calendar's event ids derive from it). */
static int parse_start(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                       void *dest)
{
    plan_opts *o = dest;
    o->start_text = v;
    return cli_parse_date(c, cmd, opt, v, &o->start);
}

static int parse(cli_ctx *c, int argc, char **argv, plan_opts *o)
{
    static const char *const settings[] = {"home", "clinic", NULL}; /* mn_setting */
    static const char *const sexes[] = {"female", "male", NULL};    /* mn_sex */
    memset(o, 0, sizeof *o);
    o->setting = MN_SETTING_CLINIC;
    o->sex = MN_SEX_FEMALE;
    o->fitzpatrick = -1;
    const cli_opt opts[] = {
        CLI_CUSTOM("--indication", o, parse_indication),
        CLI_STR("--zones", &o->zones),
        CLI_CUSTOM("--start", o, parse_start),
        CLI_CHOICE("--setting", &o->setting, settings),
        CLI_STR("--device", &o->device),
        CLI_CHOICE("--sex", &o->sex, sexes),
        CLI_LONG("--fitzpatrick", &o->fitzpatrick, 1, 6),
        CLI_STR("--ics", &o->ics),
        {.name = "--output", .alias = "-o", .type = CLI_OPT_STRING, .dest = &o->output},
        CLI_FLAG("--force", &o->force),
    };
    int rc = cli_opts_parse(c, "plan", opts, sizeof opts / sizeof *opts, argc, argv,
                            NULL, 0, NULL);
    if (rc)
        return rc;
    if (!o->indication || !o->zones || !o->start_text)
        return cli_usage_error(c, "plan",
                               "plan needs --indication, --zones and --start");
    if (o->ics && strlen(o->ics) < 5)
        return cli_usage_error(c, "plan", "--ics needs a file name, e.g. plan.ics");
    return CLI_OK;
}

static int write_new_file(cli_ctx *c, const char *path, const char *text, int force)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_file_write(path, text, strlen(text), force, 0644, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static void print_findings(const mn_diags *d)
{
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    for (size_t i = 0; i < d->count; i++) {
        mn_error e = d->items[i];
        e.file[0] = '\0';
        fprintf(stderr, "%s: %s\n", mn_severity_name(d->severity[i]),
                mn_error_format(&e, buf, sizeof buf));
    }
}

/* The plan's course, resolved and checked: its safety findings on stderr;
 * refused when one is an error. */
static int plan_course(cli_ctx *c, const plan_opts *o, mn_course *course, char **source)
{
    char data[4200];
    mn_strings zones = {0};
    if (mn_strings_split(o->zones, ", ", 64, &zones) || zones.count == 0) {
        mn_strings_free(&zones);
        return cli_usage_error(c, "plan", "--zones: name at least one zone");
    }
    if (cli_data_dir(c, data, sizeof data)) {
        mn_strings_free(&zones);
        return CLI_FAIL;
    }
    mn_plan_request req = {o->ind, o->setting,     &zones,   o->start,
                           o->sex, o->fitzpatrick, o->device};
    mn_findings f = {0};
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_plan_course(data, &req, course, source, &f, &d, &e);
    mn_strings_free(&zones);
    if (st != MN_OK) {
        if (d.count) /* the data files: each problem */
            print_findings(&d);
        else
            cli_error(c, &e);
        mn_diags_free(&d);
        mn_findings_free(&f);
        return CLI_FAIL;
    }
    mn_diags_free(&d);
    for (size_t i = 0; i < f.count; i++)
        if (!c->quiet || f.items[i].severity == MN_SEV_ERROR)
            fprintf(stderr, "%s: %s%s%s [rule %s; source: %s]\n",
                    mn_severity_name((mn_severity)f.items[i].severity), f.items[i].zone,
                    f.items[i].zone[0] ? ": " : "", f.items[i].message, f.items[i].rule,
                    f.items[i].source);
    size_t n_err = f.n_errors;
    mn_findings_free(&f);
    if (n_err) {
        cli_errorf(c,
                   "this plan breaks %zu safety rule(s) (above); change the device or "
                   "setting",
                   n_err);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* The sessions as an iCalendar file, each with its guide. */
static int write_calendar(cli_ctx *c, const plan_opts *o, const mn_course *course,
                          const mn_plan_session *ps)
{
    /* DTSTAMP: SOURCE_DATE_EPOCH for reproducible files, else now. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    long sde_s = 0;
    if (sde && (!cli_whole_number(sde, &sde_s) || sde_s < 0)) {
        cli_errorf(c,
                   "SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to %ld, "
                   "not '%s'",
                   LONG_MAX, sde);
        return CLI_FAIL;
    }
    int64_t stamp = sde ? (int64_t)sde_s : (int64_t)time(NULL);
    mn_error e;
    mn_error_clear(&e);
    if (mn_plan_ics_write(o->ics, o->indication, o->zones, o->start_text, course, ps,
                          stamp, o->force, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int print_json(cli_ctx *c, const plan_opts *o, const mn_course *course,
                      const mn_plan_session *ps, const char *source)
{
    /* The command's JSON: the sessions' guides, no titles; findings on stderr. */
    mn_json *j = mn_plan_json(o->indication, course, ps, source, 0, NULL);
    if (!j) {
        cli_errorf(c, "out of memory writing JSON");
        return CLI_FAIL;
    }
    return cli_print_json(c, j);
}

static void print_text(const plan_opts *o, const mn_course *course,
                       const mn_plan_session *ps, const char *source)
{
    const mn_protocol *p = &course->protocol;
    size_t ns = course->n_sessions;
    char day[32];
    printf("Plan: %s for %s, %s\n", mn_indication_name(o->ind), o->zones,
           o->setting == MN_SETTING_HOME ? "at home" : "in a clinic");
    printf("  device   %s, %s pattern, %ld passes per direction, gentle pressure\n",
           p->device, p->pattern, p->passes);
    const mn_strmap *zd = &p->zone_devices; /* by device */
    for (size_t i = 0; i < zd->count; i++) {
        size_t k;
        for (k = 0; k < i && strcmp(zd->values[k], zd->values[i]); k++)
            ;
        if (k < i)
            continue;
        printf("           %s at %s", zd->values[i], zd->keys[i]);
        for (k = i + 1; k < zd->count; k++)
            if (!strcmp(zd->values[k], zd->values[i]))
                printf(", %s", zd->keys[k]);
        printf("\n");
    }
    printf("  sessions %zu, every %g days:", ns, p->interval_s / 86400);
    for (size_t s = 0; s < ns; s++)
        printf(" %s", mn_date_format(ps[s].at, 0, day, sizeof day));
    printf("\n  source   %s\n\nSession guide:\n%s", source, ps[0].guide);
    if (o->output)
        printf("\nProtocol written to %s (check it: mnsim check %s)\n", o->output,
               o->output);
    if (o->ics)
        printf("Calendar written to %s (%zu events)\n", o->ics, ns);
}

static int run_plan(cli_ctx *c, int argc, char **argv)
{
    plan_opts o;
    int rc = parse(c, argc, argv, &o);
    if (rc)
        return rc;
    const char *outs[2] = {o.output, o.ics}; /* both checked before either is written */
    if (cli_check_outputs(c, outs, 2, o.force))
        return CLI_FAIL;
    mn_course course;
    memset(&course, 0, sizeof course);
    mn_protocol_init(&course.protocol);
    char *source = NULL, *yaml = NULL;
    mn_plan_session *ps = NULL;
    mn_error e;
    mn_error_clear(&e);
    if ((rc = plan_course(c, &o, &course, &source)))
        goto done;
    rc = CLI_FAIL;
    if (mn_plan_sessions(&course.protocol, course.sessions, course.n_sessions, &ps, &e))
        goto done;
    if (o.output) {
        yaml = mn_protocol_to_yaml(&course.protocol);
        if (!yaml || write_new_file(c, o.output, yaml, o.force))
            goto done;
    }
    if (o.ics && write_calendar(c, &o, &course, ps))
        goto done;
    if (c->json) {
        rc = print_json(c, &o, &course, ps, source);
    } else {
        print_text(&o, &course, ps, source);
        rc = CLI_OK;
    }
done:
    mn_plan_sessions_free(ps, course.n_sessions);
    free(yaml);
    free(source);
    mn_course_free(&course);
    return rc;
}

const cli_command cmd_plan = {
    "plan", "a safe starting protocol, a session guide and a calendar",
    "Usage: mnsim plan --indication IND --zones ZONE[,ZONE] --start YYYY-MM-DD\n"
    "                  [--setting clinic|home] [--device NAME] [--sex female|male]\n"
    "                  [--fitzpatrick 1-6] [-o PROTOCOL.yaml] [--ics FILE.ics]\n"
    "                  [--force] [--json]\n\n"
    "Chooses a starting plan for the indication and setting (data/plans.yaml,\n"
    "each with the published course it follows), checks it against the safety\n"
    "rules, and prints the dates and a step-by-step guide. -o writes it as a\n"
    "protocol file for `mnsim check` and `mnsim run`; --ics writes the sessions as\n"
    "an iCalendar file (RFC 5545) with the guide in each event. Indications:\n"
    "fine-lines, acne-scars, atrophic-scars, stretch-marks, hair-loss, texture,\n"
    "laxity. Not medical advice.\n",
    run_plan};
