/* mnsim plan: a safe starting protocol for an indication, with a session
 * guide and a calendar. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mnsim/course_io.h"
#include "mnsim/date.h"
#include "mnsim/ics.h"
#include "mnsim/plan.h"
#include "mnsim/protocol_io.h"

typedef struct {
    const char *indication, *zones, *start, *setting, *device, *sex, *fitz, *ics, *output;
    int force;
} plan_opts;

static int parse(cli_ctx *c, int argc, char **argv, plan_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--force")) {
            o->force = 1;
            continue;
        }
        const char **slot = !strcmp(a, "--indication")    ? &o->indication
                            : !strcmp(a, "--zones")       ? &o->zones
                            : !strcmp(a, "--start")       ? &o->start
                            : !strcmp(a, "--setting")     ? &o->setting
                            : !strcmp(a, "--device")      ? &o->device
                            : !strcmp(a, "--sex")         ? &o->sex
                            : !strcmp(a, "--fitzpatrick") ? &o->fitz
                            : !strcmp(a, "--ics")         ? &o->ics
                            : (!strcmp(a, "-o") || !strcmp(a, "--output")) ? &o->output
                                                                           : NULL;
        if (!slot)
            return cli_usage_error(c, "plan", "unknown argument '%s'", a);
        if (i + 1 >= argc)
            return cli_usage_error(c, "plan", "%s needs a value", a);
        *slot = argv[++i];
    }
    if (!o->indication || !o->zones || !o->start)
        return cli_usage_error(c, "plan", "plan needs --indication, --zones and --start");
    return CLI_OK;
}

static int split_zones(const char *text, mn_strings *out)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text);
    out->items = calloc(64, sizeof(char *));
    out->count = 0;
    if (!out->items)
        return -1;
    char *save = NULL;
    for (char *z = strtok_r(buf, ", ", &save); z && out->count < 64;
         z = strtok_r(NULL, ", ", &save))
        out->items[out->count++] = strdup(z);
    return out->count ? 0 : -1;
}

static int write_new_file(cli_ctx *c, const char *path, const char *text, int force)
{
    if (!force && access(path, F_OK) == 0) {
        cli_errorf(c, "%s exists; use --force to replace it", path);
        return CLI_FAIL;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int bad = !f || fputs(text, f) < 0;
    if (f)
        bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        cli_errorf(c, "%s: cannot write", path);
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

static int run_plan(cli_ctx *c, int argc, char **argv)
{
    plan_opts o;
    int rc = parse(c, argc, argv, &o);
    if (rc)
        return rc;
    int ind = mn_indication_from_name(o.indication);
    if (ind < 0)
        return cli_usage_error(c, "plan",
                               "--indication: one of fine-lines, acne-scars, atrophic-scars, "
                               "stretch-marks, hair-loss, texture, laxity");
    int setting = MN_SETTING_CLINIC;
    if (o.setting && !strcmp(o.setting, "home"))
        setting = MN_SETTING_HOME;
    else if (o.setting && strcmp(o.setting, "clinic"))
        return cli_usage_error(c, "plan", "--setting is home or clinic");
    int sex = MN_SEX_FEMALE;
    if (o.sex && !strcmp(o.sex, "male"))
        sex = MN_SEX_MALE;
    else if (o.sex && strcmp(o.sex, "female"))
        return cli_usage_error(c, "plan", "--sex is female or male");
    long fitz = -1;
    if (o.fitz) {
        char *end;
        fitz = strtol(o.fitz, &end, 10);
        if (*end || fitz < 1 || fitz > 6)
            return cli_usage_error(c, "plan", "--fitzpatrick is 1-6");
    }
    mn_error e;
    mn_error_clear(&e);
    int64_t start;
    if (mn_date_parse(o.start, &start, &e) != MN_OK)
        return cli_usage_error(c, "plan", "--start: %s", e.message);
    if (o.ics && strlen(o.ics) < 5)
        return cli_usage_error(c, "plan", "--ics needs a file name, e.g. plan.ics");
    mn_strings zones = {0};
    if (split_zones(o.zones, &zones)) {
        mn_strings_free(&zones);
        return cli_usage_error(c, "plan", "--zones: name at least one zone");
    }
    char data[4200], path[4300];
    if (cli_data_file(c, "", data, sizeof data)) {
        mn_strings_free(&zones);
        return CLI_FAIL;
    }
    size_t dl = strlen(data);
    if (dl && data[dl - 1] == '/')
        data[dl - 1] = '\0';
    snprintf(path, sizeof path, "%s/plans.yaml", data);
    mn_plan_list plans = {0};
    mn_course course;
    memset(&course, 0, sizeof course);
    mn_protocol_init(&course.protocol);
    mn_diags d = {0};
    const mn_plan *plan;
    char *yaml = NULL;
    mn_ics_event *ev = NULL;
    char **guides = NULL;
    rc = CLI_FAIL;
    if (mn_plans_load(path, &plans, NULL, &e) != MN_OK ||
        mn_plan_find(&plans, ind, setting, &plan, &e) != MN_OK ||
        mn_plan_to_protocol(plan, start, &zones, sex, fitz, &course.protocol, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    if (o.device) {
        free(course.protocol.device);
        course.protocol.device = strdup(o.device);
    }
    /* A plan is offered only when it passes the safety rules. */
    if (mn_course_resolve(&course, "plan", data, &d, &e) != MN_OK) {
        print_findings(&d);
        goto done;
    }
    mn_findings f = {0};
    if (mn_course_check(&course.in, &f, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    for (size_t i = 0; i < f.count; i++)
        if (!c->quiet || f.items[i].severity == MN_SEV_ERROR)
            fprintf(stderr, "%s: %s%s%s [rule %s; source: %s]\n",
                    mn_severity_name((mn_severity)f.items[i].severity), f.items[i].zone,
                    f.items[i].zone[0] ? ": " : "", f.items[i].message, f.items[i].rule,
                    f.items[i].source);
    size_t n_err = f.n_errors;
    mn_findings_free(&f);
    if (n_err) {
        cli_errorf(c, "this plan breaks %zu safety rule(s) (above); change the device or "
                      "setting",
                   n_err);
        goto done;
    }
    size_t ns = course.n_sessions;
    guides = calloc(ns, sizeof *guides);
    ev = calloc(ns, sizeof *ev);
    if (!guides || !ev)
        goto done;
    char summaries[64][96];
    for (size_t s = 0; s < ns; s++) {
        int64_t next = s + 1 < ns ? course.sessions[s + 1].at : MN_DATE_NONE;
        guides[s] = mn_plan_session_guide(&course.protocol, (int)s + 1, ns,
                                          course.sessions[s].at, next);
        snprintf(summaries[s % 64], sizeof summaries[0], "Microneedling %zu/%zu (%s)", s + 1, ns,
                 mn_indication_name(ind));
        ev[s].day = course.sessions[s].at;
        ev[s].summary = summaries[s % 64];
        ev[s].description = guides[s];
    }
    if (o.output) {
        yaml = mn_protocol_to_yaml(&course.protocol);
        if (!yaml || write_new_file(c, o.output, yaml, o.force))
            goto done;
    }
    if (o.ics) {
        char seed[512];
        snprintf(seed, sizeof seed, "%s|%s|%s|%s", o.indication, o.zones, o.start,
                 course.protocol.device);
        /* DTSTAMP: SOURCE_DATE_EPOCH for reproducible files, else now. */
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        int64_t stamp = sde ? atoll(sde) : (int64_t)time(NULL);
        if (mn_ics_write(o.ics, ev, ns, seed, stamp, o.force, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
    }
    if (c->json) {
        mn_json *j = mn_json_new();
        mn_jnode *root = mn_json_root(j), *arr = mn_json_array(j);
        mn_json_str(j, root, "indication", o.indication);
        mn_json_str(j, root, "setting", setting == MN_SETTING_HOME ? "home" : "clinic");
        mn_json_str(j, root, "device", course.protocol.device);
        mn_json_str(j, root, "pattern", course.protocol.pattern);
        mn_json_int(j, root, "passes", course.protocol.passes);
        mn_json_num(j, root, "interval_days", course.protocol.interval_s / 86400);
        mn_json_str(j, root, "source", plan->source);
        for (size_t s = 0; s < ns; s++) {
            char day[32];
            mn_jnode *so = mn_json_object(j);
            mn_json_str(j, so, "date", mn_date_format(course.sessions[s].at, 0, day, sizeof day));
            mn_json_str(j, so, "guide", guides[s]);
            mn_json_push(j, arr, so);
        }
        mn_json_put(j, root, "sessions", arr);
        mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
        rc = cli_print_json(c, j);
    } else {
        char day[32];
        printf("Plan: %s for %s, %s\n", mn_indication_name(ind), o.zones,
               setting == MN_SETTING_HOME ? "at home" : "in a clinic");
        printf("  device   %s, %s pattern, %ld passes per direction, gentle pressure\n",
               course.protocol.device, course.protocol.pattern, course.protocol.passes);
        printf("  sessions %zu, every %g days:", ns, course.protocol.interval_s / 86400);
        for (size_t s = 0; s < ns; s++)
            printf(" %s", mn_date_format(course.sessions[s].at, 0, day, sizeof day));
        printf("\n  source   %s\n\nSession guide:\n%s", plan->source, guides[0]);
        if (o.output)
            printf("\nProtocol written to %s (check it: mnsim check %s)\n", o.output, o.output);
        if (o.ics)
            printf("Calendar written to %s (%zu events)\n", o.ics, ns);
        rc = CLI_OK;
    }
done:
    for (size_t s = 0; guides && s < course.n_sessions; s++)
        free(guides[s]);
    free(guides);
    free(ev);
    free(yaml);
    mn_diags_free(&d);
    mn_course_free(&course);
    mn_plan_list_free(&plans);
    mn_strings_free(&zones);
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
