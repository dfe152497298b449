/* mnsim journal: record real sessions in an SQLite journal and say when the
 * next one is due. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdarg.h>
#include <unistd.h>

#include "mnsim/date.h"
#include "mnsim/journal.h"
#include "mnsim/course_io.h"
#include "mnsim/course_run.h"
#include "mnsim/report.h"
#include "mnsim/rules_io.h"

#define MAX_PAIRS 32

typedef struct {
    const char *db, *person, *file, *format, *output, *on;
    int yes, cascade, force;
    mn_kv kv[MAX_PAIRS];
    char keybuf[MAX_PAIRS][64];
    size_t n_kv;
    const char *pos[4]; /* positional arguments after the subcommand */
    int n_pos;
} jopts;

static int parse(cli_ctx *c, int argc, char **argv, jopts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || !a[2]) {
            if (strcmp(a, "-o") == 0) {
                if (i + 1 >= argc)
                    return cli_usage_error(c, "journal", "-o needs a path");
                o->output = argv[++i];
                continue;
            }
            if (o->n_pos >= 4)
                return cli_usage_error(c, "journal", "too many arguments ('%s')", a);
            o->pos[o->n_pos++] = a;
            continue;
        }
        const char *name = a + 2;
        if (!strcmp(name, "yes")) {
            o->yes = 1;
            continue;
        }
        if (!strcmp(name, "force")) {
            o->force = 1;
            continue;
        }
        if (!strcmp(name, "cascade")) {
            o->cascade = 1;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error(c, "journal", "%s needs a value", a);
        const char *v = argv[++i];
        const char **slot = !strcmp(name, "db")       ? &o->db
                            : !strcmp(name, "person") ? &o->person
                            : !strcmp(name, "file")   ? &o->file
                            : !strcmp(name, "format") ? &o->format
                            : !strcmp(name, "output") ? &o->output
                            : !strcmp(name, "on")     ? &o->on
                                                      : NULL;
        if (slot) {
            *slot = v;
            continue;
        }
        /* --needle-length "1.5 mm" -> needle_length: a record value. */
        if (o->n_kv >= MAX_PAIRS || strlen(name) >= 64)
            return cli_usage_error(c, "journal", "too many values or a key too long");
        char *k = o->keybuf[o->n_kv];
        snprintf(k, 64, "%s", name);
        for (char *p = k; *p; p++)
            if (*p == '-')
                *p = '_';
        o->kv[o->n_kv].key = k;
        o->kv[o->n_kv].value = v;
        o->n_kv++;
    }
    return CLI_OK;
}

static int open_journal(cli_ctx *c, const jopts *o, int create, mn_journal **j)
{
    char path[4096];
    mn_error e;
    mn_error_clear(&e);
    if (o->db)
        snprintf(path, sizeof path, "%s", o->db);
    else if (mn_journal_default_path(path, sizeof path, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (mn_journal_open(path, create, j, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int kind_arg(cli_ctx *c, const char *name)
{
    int k = name ? mn_journal_kind_from_name(name) : -1;
    if (k < 0)
        cli_usage_error(c, "journal",
                        "a record kind is one of person, consent, device, session, "
                        "photo, followup%s%s",
                        name ? "; not " : "", name ? name : "");
    return k;
}

static int id_arg(cli_ctx *c, const char *text, int64_t *id)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || *end || v <= 0)
        return cli_usage_error(c, "journal", "'%s' is not a record id", text ? text : "");
    *id = v;
    return CLI_OK;
}

/* A person given by code: its id. */
static int person_arg(cli_ctx *c, mn_journal *j, const char *code, int64_t *id)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_find(j, MN_J_PERSON, code, id, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static void print_rows(cli_ctx *c, const mn_journal_rows *rows, int kind)
{
    if (c->json) {
        mn_json *j = mn_json_new();
        mn_jnode *arr = mn_json_array(j);
        for (size_t r = 0; r < rows->count; r++) {
            mn_jnode *o = mn_json_object(j);
            for (size_t k = 0; k < rows->rows[r].count; k++)
                if (rows->rows[r].values[k])
                    mn_json_str(j, o, rows->rows[r].keys[k], rows->rows[r].values[k]);
            mn_json_push(j, arr, o);
        }
        mn_json_put(j, mn_json_root(j), mn_journal_kind_name(kind), arr);
        cli_print_json(c, j);
        return;
    }
    for (size_t r = 0; r < rows->count; r++) {
        const mn_journal_row *row = &rows->rows[r];
        printf("%s %s:", mn_journal_kind_name(kind), row->values[0]);
        for (size_t k = 1; k < row->count; k++)
            if (row->values[k])
                printf(" %s=%s", row->keys[k], row->values[k]);
        printf("\n");
    }
    if (rows->count == 0 && !c->quiet)
        printf("no %s records\n", mn_journal_kind_name(kind));
}

/* ---- next ------------------------------------------------------------- */

typedef struct {
    char zone[64];
    int64_t last_at;
    double last_needle_mm;
    int64_t last_id;
    int sessions;
} zone_state;

static int load_rules(cli_ctx *c, mn_rules *rules, mn_site_list *sites)
{
    char path[4200];
    mn_error e;
    mn_error_clear(&e);
    if (cli_data_file(c, "rules.yaml", path, sizeof path))
        return CLI_FAIL;
    if (mn_rules_load(path, rules, NULL, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (cli_load_sites(c, sites)) {
        mn_rules_clear(rules);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* Region of a zone name: the site of that name (left/right prefixes and a
 * plural 's' dropped), else face. */
static int zone_region(const mn_site_list *sites, const char *zone)
{
    char name[64];
    snprintf(name, sizeof name, "%s", zone);
    const char *p = name;
    if (!strncmp(p, "left-", 5))
        p += 5;
    else if (!strncmp(p, "right-", 6))
        p += 6;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sites->count; i++)
            if (!strcmp(sites->items[i].name, p))
                return sites->items[i].region;
        size_t n = strlen(p);
        if (n > 1 && p[n - 1] == 's')
            name[p - name + n - 1] = '\0';
    }
    return MN_REGION_FACE;
}

static const char *row_get(const mn_journal_row *row, const char *key)
{
    for (size_t k = 0; k < row->count; k++)
        if (!strcmp(row->keys[k], key))
            return row->values[k];
    return NULL;
}

/* ---- course: the recorded sessions through `mnsim run` ------------------- */

static char *dupstr(const char *s) { return s ? strdup(s) : NULL; }

/* A catalog device for a recorded session: its device's catalog name, or
 * the standard roller of its needle length. */
static const char *device_for(const mn_device_list *cat, const mn_journal_rows *devs,
                              const mn_journal_row *sess)
{
    const char *code = row_get(sess, "device");
    for (size_t d = 0; code && d < devs->count; d++) {
        const char *dc = row_get(&devs->rows[d], "code");
        if (dc && !strcmp(dc, code))
            return row_get(&devs->rows[d], "catalog_name");
    }
    const char *len = row_get(sess, "needle_length_mm");
    double mm = len ? atof(len) : 0;
    const char *any = NULL;
    for (size_t i = 0; i < cat->count; i++) {
        const mn_device *x = &cat->items[i];
        if (fabs(x->needle_length_m * 1e3 - mm) > 1e-6)
            continue;
        if (x->type == MN_DEVICE_ROLLER && mn_device_needle_count(x) == 192)
            return x->name;
        if (!any)
            any = x->name;
    }
    return any;
}

static void split_into(const char *text, mn_strings *out)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    out->items = calloc(64, sizeof(char *));
    out->count = 0;
    char *save = NULL;
    for (char *z = strtok_r(buf, ", ", &save); z && out->items && out->count < 64;
         z = strtok_r(NULL, ", ", &save))
        out->items[out->count++] = strdup(z);
}

/* The recorded sessions of a person as a resolved course, simulated with
 * n_samples virtual people. On failure the reason is in *err (the course
 * and result are freed by the caller either way). */
static mn_status journal_simulate(cli_ctx *c, mn_journal *jn, int64_t pid, const char *code,
                                  int ind, size_t n_samples, mn_course *course,
                                  mn_course_result *res, mn_diags *d, mn_error *err)
{
    memset(course, 0, sizeof *course);
    mn_protocol_init(&course->protocol);
    memset(res, 0, sizeof *res);
    char data[4200];
    if (cli_data_file(c, "", data, sizeof data))
        return mn_error_set(err, MN_ENOTFOUND, "no data directory");
    size_t dl = strlen(data);
    if (dl && data[dl - 1] == '/')
        data[dl - 1] = '\0';
    mn_journal_rows sess = {0}, devs = {0}, people = {0};
    mn_device_list cat = {0};
    mn_status st = MN_OK;
    if ((st = mn_journal_list(jn, MN_J_SESSION, pid, &sess, err)) ||
        (st = mn_journal_list(jn, MN_J_DEVICE, 0, &devs, err)) ||
        (st = mn_journal_get(jn, MN_J_PERSON, pid, &people, err)))
        goto done;
    if (sess.count == 0) {
        st = mn_error_set(err, MN_EINVAL, "%s has no recorded sessions", code);
        goto done;
    }
    char path[4300];
    snprintf(path, sizeof path, "%s/devices.yaml", data);
    if ((st = mn_devices_load(path, &cat, NULL, err)))
        goto done;
    mn_protocol *p = &course->protocol;
    const mn_journal_row *who = &people.rows[0];
    const char *sex = row_get(who, "sex"), *fitz = row_get(who, "fitzpatrick");
    char name[128];
    snprintf(name, sizeof name, "Recorded course of %s (journal)", code);
    p->name = strdup(name);
    p->person.sex = sex && !strcmp(sex, "male") ? MN_SEX_MALE : MN_SEX_FEMALE;
    p->person.fitzpatrick = fitz ? atol(fitz) : -1;
    p->indication = ind;
    const char *prac = row_get(&sess.rows[0], "practitioner");
    p->setting = prac && !strcmp(prac, "self") ? MN_SETTING_HOME : MN_SETTING_CLINIC;
    p->pattern = strdup("four-direction");
    p->dates.items = calloc(sess.count, sizeof(char *));
    p->overrides.items = calloc(sess.count, sizeof(mn_session_override));
    if (!p->dates.items || !p->overrides.items) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    /* Each recorded session is one dated session with its own device,
     * zones and passes. */
    for (size_t i = 0; i < sess.count; i++) {
        const mn_journal_row *r = &sess.rows[i];
        const char *dev = device_for(&cat, &devs, r);
        if (!dev) {
            st = mn_error_set(err, MN_ENOTFOUND, "session %s: no catalog device with %s mm needles",
                              r->values[0], row_get(r, "needle_length_mm"));
            goto done;
        }
        const char *at = row_get(r, "at");
        char day[16];
        snprintf(day, sizeof day, "%.10s", at ? at : "");
        p->dates.items[p->dates.count++] = strdup(day);
        mn_session_override *ov = (mn_session_override *)p->overrides.items + i;
        ov->session = (long)i + 1;
        ov->device = dupstr(dev);
        const char *passes = row_get(r, "passes"), *press = row_get(r, "pressure");
        ov->passes = passes ? atol(passes) : -1;
        ov->pressure = -1;
        for (int k = 0; press && k < MN_PRESSURE_COUNT; k++)
            if (!strcmp(press, mn_pressure_name(k)))
                ov->pressure = k;
        split_into(row_get(r, "zones"), &ov->zones);
        p->overrides.count++;
        if (i == 0) {
            p->device = dupstr(dev);
            split_into(row_get(r, "zones"), &p->zones);
        }
    }
    if ((st = mn_course_resolve(course, "journal", data, d, err)))
        goto done;
    mn_course_options opt;
    mn_course_options_default(&opt);
    opt.n_samples = n_samples;
    st = mn_course_simulate(&course->in, &opt, NULL, res, err);
done:
    mn_device_list_free(&cat);
    mn_journal_rows_free(&sess);
    mn_journal_rows_free(&devs);
    mn_journal_rows_free(&people);
    return st;
}

static int run_course(cli_ctx *c, mn_journal *jn, const jopts *o)
{
    if (o->n_pos < 2 || !o->output)
        return cli_usage_error(c, "journal", "journal course needs a PERSON code and -o DIR");
    int64_t pid;
    if (person_arg(c, jn, o->pos[1], &pid))
        return CLI_FAIL;
    int ind = mn_indication_from_name(o->format ? o->format : "fine-lines");
    if (ind < 0)
        return cli_usage_error(c, "journal", "--format here names the indication, e.g. acne-scars");
    mn_error e;
    mn_error_clear(&e);
    mn_course course;
    mn_course_result res;
    mn_diags d = {0};
    int rc = CLI_FAIL;
    mn_course_options defaults;
    mn_course_options_default(&defaults);
    if (journal_simulate(c, jn, pid, o->pos[1], ind, defaults.n_samples, &course, &res, &d,
                         &e) != MN_OK) {
        char buf[1024];
        for (size_t i = 0; i < d.count; i++)
            fprintf(stderr, "%s: %s\n", mn_severity_name(d.severity[i]),
                    mn_error_format(&d.items[i], buf, sizeof buf));
        if (!d.count)
            cli_error(c, &e);
    } else if (mn_report_write_all(o->output, o->force, course.protocol.name, &course,
                                   &(mn_course_outcome){res, {0}}, &e) != MN_OK) {
        cli_error(c, &e);
    } else {
        if (!c->quiet)
            printf("%s: %zu recorded sessions simulated; %zu error(s), %zu warning(s); "
                   "report: %s/report.html\n",
                   o->pos[1], res.n_sessions, res.findings.n_errors, res.findings.n_warnings,
                   o->output);
        rc = CLI_OK;
    }
    mn_course_result_free(&res);
    mn_course_free(&course);
    mn_diags_free(&d);
    return rc;
}

typedef struct {
    mn_json *j;
    mn_jnode *warnings;
    int count;
} warn_sink;

static void warn(cli_ctx *c, warn_sink *w, const char *sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void warn(cli_ctx *c, warn_sink *w, const char *sev, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->count++;
    if (w->j) {
        mn_jnode *o = mn_json_object(w->j);
        mn_json_str(w->j, o, "severity", sev);
        mn_json_str(w->j, o, "message", msg);
        mn_json_push(w->j, w->warnings, o);
    } else if (!c->quiet || !strcmp(sev, "error")) {
        printf("  %s: %s\n", sev, msg);
    }
}

static int64_t today_seconds(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return mn_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 +
           tm.tm_hour * 3600 + tm.tm_min * 60;
}

static int run_next(cli_ctx *c, mn_journal *jn, const jopts *o)
{
    if (o->n_pos < 2)
        return cli_usage_error(c, "journal", "journal next needs a PERSON code");
    int64_t pid;
    if (person_arg(c, jn, o->pos[1], &pid))
        return CLI_FAIL;
    int64_t now = today_seconds();
    mn_error e;
    mn_error_clear(&e);
    if (o->on && mn_date_parse(o->on, &now, &e) != MN_OK)
        return cli_usage_error(c, "journal", "--on: %s", e.message);
    mn_rules rules;
    mn_site_list sites = {0};
    if (load_rules(c, &rules, &sites))
        return CLI_FAIL;
    mn_journal_rows sess = {0}, fups = {0}, devs = {0};
    int rc = CLI_FAIL;
    if (mn_journal_list(jn, MN_J_SESSION, pid, &sess, &e) != MN_OK ||
        mn_journal_list(jn, MN_J_FOLLOWUP, pid, &fups, &e) != MN_OK ||
        mn_journal_list(jn, MN_J_DEVICE, 0, &devs, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    warn_sink w = {NULL, NULL, 0};
    mn_json *j = NULL;
    mn_jnode *zones_json = NULL;
    if (c->json) {
        j = mn_json_new();
        w.j = j;
        w.warnings = mn_json_array(j);
        zones_json = mn_json_array(j);
    }
    char day[32];
    if (!j)
        printf("%s: %zu sessions recorded; today %s\n", o->pos[1], sess.count,
               mn_date_format(now, 0, day, sizeof day));
    /* Walk the sessions in time order, zone by zone. */
    zone_state zs[64];
    int nz = 0;
    for (size_t r = 0; r < sess.count; r++) {
        const mn_journal_row *row = &sess.rows[r];
        int64_t at;
        const char *at_s = row_get(row, "at"), *len_s = row_get(row, "needle_length_mm");
        const char *zones = row_get(row, "zones");
        if (!at_s || !len_s || !zones || mn_date_parse(at_s, &at, NULL) != MN_OK)
            continue;
        double needle_mm = atof(len_s);
        if (at > now)
            warn(c, &w, "warning", "session %s is dated %s, after today", row->values[0],
                 at_s);
        char list[512];
        snprintf(list, sizeof list, "%s", zones);
        char *save = NULL;
        for (char *z = strtok_r(list, ", ", &save); z; z = strtok_r(NULL, ", ", &save)) {
            int k;
            for (k = 0; k < nz && strcmp(zs[k].zone, z); k++)
                ;
            if (k == nz) {
                if (nz == 64)
                    continue;
                memset(&zs[nz], 0, sizeof zs[nz]);
                snprintf(zs[nz].zone, sizeof zs[nz].zone, "%s", z);
                nz++;
            } else {
                const mn_interval_rule *broken = NULL;
                double gap = (double)(at - zs[k].last_at);
                /* The earlier session's needle sets how long the skin needs. */
                double needle = zs[k].last_needle_mm > needle_mm ? zs[k].last_needle_mm
                                                                 : needle_mm;
                int sev = mn_rules_check_interval(&rules, needle * 1e-3,
                                                  zone_region(&sites, z), gap, &broken);
                if (sev >= 0)
                    warn(c, &w, mn_severity_name((mn_severity)sev),
                         "session %s on %s (%s) came %.1f days after session %lld: %s "
                         "[rule %s; %s]",
                         row->values[0], z, at_s, gap / 86400.0, (long long)zs[k].last_id,
                         broken->message, broken->name, broken->source);
            }
            zs[k].last_at = at;
            zs[k].last_needle_mm = needle_mm;
            zs[k].last_id = atoll(row->values[0]);
            zs[k].sessions++;
        }
    }
    /* Due dates. */
    if (!j && nz)
        printf("%-16s %-10s %-8s %-11s %s\n", "ZONE", "LAST", "NEEDLE", "NEXT", "STATUS");
    for (int k = 0; k < nz; k++) {
        const mn_interval_rule *rule = NULL;
        double gap = mn_rules_min_interval(&rules, zs[k].last_needle_mm * 1e-3,
                                           zone_region(&sites, zs[k].zone), &rule);
        int64_t due = zs[k].last_at + (int64_t)gap;
        char last[32], next[32], status[128];
        mn_date_format(zs[k].last_at, 0, last, sizeof last);
        mn_date_format(due, 0, next, sizeof next);
        double wait_days = (double)(due - now) / 86400.0;
        if (wait_days <= 0)
            snprintf(status, sizeof status, "due now%s", rule ? "" : " (no rule applies)");
        else
            snprintf(status, sizeof status, "wait %.0f more days", wait_days + 0.4999);
        if (j) {
            mn_jnode *zo = mn_json_object(j);
            mn_json_str(j, zo, "zone", zs[k].zone);
            mn_json_int(j, zo, "sessions", zs[k].sessions);
            mn_json_str(j, zo, "last_session", last);
            mn_json_num(j, zo, "last_needle_length_mm", zs[k].last_needle_mm);
            mn_json_str(j, zo, "next_due", next);
            mn_json_num(j, zo, "min_interval_days", gap / 86400.0);
            mn_json_bool(j, zo, "due_now", wait_days <= 0);
            if (rule) {
                mn_json_str(j, zo, "rule", rule->name);
                mn_json_str(j, zo, "source", rule->source);
            }
            mn_json_push(j, zones_json, zo);
        } else {
            printf("%-16s %-10s %5.2g mm %-11s %s\n", zs[k].zone, last,
                   zs[k].last_needle_mm, next, status);
        }
    }
    if (nz == 0 && !j)
        printf("no sessions recorded yet: any day is fine as far as intervals go\n");
    /* Follow-ups: not healed after the last session. */
    if (fups.count) {
        const mn_journal_row *f = &fups.rows[fups.count - 1];
        const char *healed = row_get(f, "healed");
        if (healed && !strcmp(healed, "no"))
            warn(c, &w, "warning",
                 "the last follow-up (%s) says the skin had not healed: wait until it has",
                 row_get(f, "at") ? row_get(f, "at") : "?");
    }
    /* Devices used past their replacement count. */
    for (size_t d = 0; d < devs.count; d++) {
        const char *code = row_get(&devs.rows[d], "code");
        const char *max_s = row_get(&devs.rows[d], "max_uses");
        if (!code || !max_s)
            continue;
        int uses = 0;
        for (size_t r = 0; r < sess.count; r++) {
            const char *dc = row_get(&sess.rows[r], "device");
            uses += dc && !strcmp(dc, code);
        }
        if (uses > atoi(max_s))
            warn(c, &w, "warning",
                 "device %s was used %d times, past its replacement count of %s: use a "
                 "new one",
                 code, uses, max_s);
    }
    /* The healing model on the recorded sessions: when each zone's skin
     * should be ready again, and sessions that came too early. */
    mn_course hc;
    mn_course_result hr;
    mn_diags hd = {0};
    mn_error he;
    mn_error_clear(&he);
    mn_jnode *ready_json = j ? mn_json_array(j) : NULL;
    int ind = mn_indication_from_name(o->format ? o->format : "fine-lines");
    if (nz && journal_simulate(c, jn, pid, o->pos[1], ind < 0 ? 0 : ind, 0, &hc, &hr, &hd,
                               &he) == MN_OK) {
        for (size_t z = 0; z < hr.n_zones; z++) {
            const mn_heal_result *h = &hr.heal[hr.heal_of[z]];
            if (!h->n_sessions)
                continue;
            const mn_heal_session_result *last = &h->sessions[h->n_sessions - 1];
            int64_t ready = hc.sessions[0].at + (int64_t)((last->t_days + last->ready_days) * 86400);
            char rd[32];
            mn_date_format(ready, 0, rd, sizeof rd);
            if (j) {
                mn_jnode *ro = mn_json_object(j);
                mn_json_str(j, ro, "zone", hc.zones[z].name);
                mn_json_str(j, ro, "skin_ready", rd);
                mn_json_bool(j, ro, "healed_by_today", ready <= now);
                mn_json_num(j, ro, "overtreatment_index", h->overtreatment_index);
                mn_json_push(j, ready_json, ro);
            } else {
                printf("  healing model: %s should be ready again by %s (%s)%s\n",
                       hc.zones[z].name, rd, ready <= now ? "healed by today" : "not yet",
                       h->overtreated ? "; OVERTREATED" : "");
            }
        }
        for (size_t i = 0; i < hr.findings.count; i++) {
            const mn_finding *f = &hr.findings.items[i];
            if (!strcmp(f->rule, "not-ready") || !strcmp(f->rule, "overtreatment"))
                warn(c, &w, mn_severity_name((mn_severity)f->severity), "%s: %s [rule %s; %s]",
                     f->zone, f->message, f->rule, f->source);
        }
    } else if (nz && !c->quiet && !j) {
        printf("  healing model not run: %s\n", he.message[0] ? he.message : "zones unknown");
    }
    if (nz) {
        mn_course_result_free(&hr);
        mn_course_free(&hc);
    }
    mn_diags_free(&hd);
    if (j) {
        mn_jnode *root = mn_json_root(j);
        mn_json_put(j, root, "healing", ready_json);
        mn_json_str(j, root, "person", o->pos[1]);
        mn_json_str(j, root, "today", mn_date_format(now, 0, day, sizeof day));
        mn_json_int(j, root, "sessions", (long long)sess.count);
        mn_json_put(j, root, "zones", zones_json);
        mn_json_put(j, root, "warnings", w.warnings);
        mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
        rc = cli_print_json(c, j);
    } else {
        if (w.count == 0 && nz)
            printf("  no interval or device warnings\n");
        printf("Intervals from data/rules.yaml (sources there). Not medical advice.\n");
        rc = CLI_OK;
    }
done:
    mn_journal_rows_free(&sess);
    mn_journal_rows_free(&fups);
    mn_journal_rows_free(&devs);
    mn_rules_clear(&rules);
    mn_site_list_free(&sites);
    return rc;
}


/* ---- the other subcommands -------------------------------------------- */

static int run_add(cli_ctx *c, mn_journal *jn, jopts *o)
{
    mn_journal_entry entry = {0};
    mn_error e;
    mn_error_clear(&e);
    int kind;
    const mn_kv *kv = o->kv;
    size_t n = o->n_kv;
    mn_kv file_kv[MAX_PAIRS];
    if (o->file) {
        mn_diags d = {0};
        if (mn_journal_read_entry(o->file, &entry, &d, &e) != MN_OK) {
            char buf[1024];
            for (size_t i = 0; i < d.count; i++)
                fprintf(stderr, "%s: %s\n", mn_severity_name(d.severity[i]),
                        mn_error_format(&d.items[i], buf, sizeof buf));
            if (!d.count)
                cli_error(c, &e);
            mn_diags_free(&d);
            return CLI_FAIL;
        }
        mn_diags_free(&d);
        kind = entry.kind;
        if (o->n_pos >= 2 && mn_journal_kind_from_name(o->pos[1]) != kind) {
            mn_journal_entry_free(&entry);
            return cli_usage_error(c, "journal", "%s holds a %s, not a %s", o->file,
                                   mn_journal_kind_name(kind), o->pos[1]);
        }
        for (size_t i = 0; i < entry.count && i < MAX_PAIRS; i++) {
            file_kv[i].key = entry.keys[i];
            file_kv[i].value = entry.values[i];
        }
        kv = file_kv;
        n = entry.count < MAX_PAIRS ? entry.count : MAX_PAIRS;
    } else {
        if ((kind = kind_arg(c, o->n_pos >= 2 ? o->pos[1] : NULL)) < 0)
            return CLI_USAGE;
    }
    int64_t id = 0;
    int rc = CLI_OK;
    if (mn_journal_add(jn, kind, kv, n, &id, &e) != MN_OK) {
        if (o->file)
            fprintf(stderr, "mnsim: error: %s: %s\n", o->file, e.message);
        else
            cli_error(c, &e);
        rc = CLI_FAIL;
    } else if (c->json) {
        mn_json *j = mn_json_new();
        mn_json_str(j, mn_json_root(j), "added", mn_journal_kind_name(kind));
        mn_json_int(j, mn_json_root(j), "id", id);
        rc = cli_print_json(c, j);
    } else if (!c->quiet) {
        printf("added %s %lld\n", mn_journal_kind_name(kind), (long long)id);
    }
    mn_journal_entry_free(&entry);
    return rc;
}

static int confirm(cli_ctx *c, const char *what)
{
    if (!isatty(0)) {
        cli_errorf(c, "deleting %s needs confirmation: add --yes", what);
        return 0;
    }
    fprintf(stderr, "Delete %s? This cannot be undone. [y/N] ", what);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    return line[0] == 'y' || line[0] == 'Y';
}

static int write_text_file(cli_ctx *c, const char *path, const char *text)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wx");
    if (!f) {
        cli_errorf(c, "%s: cannot write", tmp);
        return CLI_FAIL;
    }
    int bad = fputs(text, f) < 0;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        cli_errorf(c, "%s: cannot write", path);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int run_export(cli_ctx *c, mn_journal *jn, const jopts *o)
{
    const char *format = o->format ? o->format : "json";
    int64_t pid = 0;
    if (o->person && person_arg(c, jn, o->person, &pid))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (!strcmp(format, "csv")) {
        if (!o->output)
            return cli_usage_error(c, "journal", "export --format csv needs -o DIR");
        if (mn_journal_export_csv(jn, pid, o->output, &e) != MN_OK) {
            cli_error(c, &e);
            return CLI_FAIL;
        }
        if (!c->quiet)
            fprintf(stderr, "mnsim: wrote CSV files in %s\n", o->output);
        return CLI_OK;
    }
    if (strcmp(format, "json"))
        return cli_usage_error(c, "journal", "--format is json or csv, not '%s'", format);
    char *text = NULL;
    if (mn_journal_export_json(jn, pid, &text, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    int rc;
    if (!o->output || !strcmp(o->output, "-")) {
        fputs(text, stdout);
        rc = CLI_OK;
    } else if (access(o->output, F_OK) == 0) {
        cli_errorf(c, "%s exists; choose a new file (exports never overwrite)", o->output);
        rc = CLI_FAIL;
    } else {
        rc = write_text_file(c, o->output, text);
    }
    free(text);
    return rc;
}

static int run_journal(cli_ctx *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(c, "journal", "journal needs a subcommand");
    jopts o;
    int rc = parse(c, argc - 1, argv + 1, &o);
    if (rc)
        return rc;
    if (o.n_pos < 1)
        return cli_usage_error(c, "journal", "journal needs a subcommand");
    const char *sub = o.pos[0];
    static const char *const subs[] = {"init", "add", "list", "show", "edit", "delete",
                                       "next", "export", "import", "backup", "check", "course",
                                       NULL};
    int known = 0;
    for (int i = 0; subs[i]; i++)
        known |= !strcmp(sub, subs[i]);
    if (!known)
        return cli_usage_error(c, "journal", "no journal subcommand '%s'", sub);
    /* For add and edit, --person is a value of the record. */
    if (o.person && (!strcmp(sub, "add") || !strcmp(sub, "edit")) && o.n_kv < MAX_PAIRS) {
        o.kv[o.n_kv].key = "person";
        o.kv[o.n_kv].value = o.person;
        o.n_kv++;
        o.person = NULL;
    }
    if (o.n_kv && strcmp(sub, "add") && strcmp(sub, "edit"))
        return cli_usage_error(c, "journal", "unknown option --%s for journal %s",
                               o.kv[0].key, sub);
    mn_journal *jn = NULL;
    if (open_journal(c, &o, !strcmp(sub, "init"), &jn))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    rc = CLI_OK;
    if (!strcmp(sub, "init")) {
        if (!c->quiet)
            printf("journal ready: %s\n", o.db ? o.db : "(default path)");
    } else if (!strcmp(sub, "check")) {
        if (mn_journal_check(jn, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        } else if (!c->quiet) {
            printf("journal ok\n");
        }
    } else if (!strcmp(sub, "add")) {
        rc = run_add(c, jn, &o);
    } else if (!strcmp(sub, "list")) {
        int kind = kind_arg(c, o.n_pos >= 2 ? o.pos[1] : "session");
        int64_t pid = 0;
        mn_journal_rows rows;
        if (kind < 0)
            rc = CLI_USAGE;
        else if (o.person && person_arg(c, jn, o.person, &pid))
            rc = CLI_FAIL;
        else if (mn_journal_list(jn, kind, pid, &rows, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        } else {
            print_rows(c, &rows, kind);
            mn_journal_rows_free(&rows);
        }
    } else if (!strcmp(sub, "show") || !strcmp(sub, "edit") || !strcmp(sub, "delete")) {
        int kind = kind_arg(c, o.n_pos >= 2 ? o.pos[1] : NULL);
        int64_t id = 0;
        if (kind < 0 || id_arg(c, o.n_pos >= 3 ? o.pos[2] : NULL, &id)) {
            rc = CLI_USAGE;
        } else if (!strcmp(sub, "show")) {
            mn_journal_rows rows;
            if (mn_journal_get(jn, kind, id, &rows, &e) != MN_OK) {
                cli_error(c, &e);
                rc = CLI_FAIL;
            } else {
                print_rows(c, &rows, kind);
                mn_journal_rows_free(&rows);
            }
        } else if (!strcmp(sub, "edit")) {
            if (!o.n_kv)
                rc = cli_usage_error(c, "journal", "edit needs --KEY VALUE to change");
            else if (mn_journal_update(jn, kind, id, o.kv, o.n_kv, &e) != MN_OK) {
                cli_error(c, &e);
                rc = CLI_FAIL;
            } else if (!c->quiet) {
                printf("changed %s %lld\n", mn_journal_kind_name(kind), (long long)id);
            }
        } else {
            char what[64];
            snprintf(what, sizeof what, "%s %lld", mn_journal_kind_name(kind), (long long)id);
            if (!o.yes && !confirm(c, what))
                rc = CLI_FAIL;
            else if (mn_journal_delete(jn, kind, id, o.cascade, &e) != MN_OK) {
                cli_error(c, &e);
                rc = CLI_FAIL;
            } else if (!c->quiet) {
                printf("deleted %s\n", what);
            }
        }
    } else if (!strcmp(sub, "next")) {
        rc = run_next(c, jn, &o);
    } else if (!strcmp(sub, "export")) {
        rc = run_export(c, jn, &o);
    } else if (!strcmp(sub, "import")) {
        if (o.n_pos < 2)
            rc = cli_usage_error(c, "journal", "import needs the export FILE");
        else if (mn_journal_import_json(jn, o.pos[1], NULL, &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        } else if (!c->quiet) {
            printf("imported %s\n", o.pos[1]);
        }
    } else if (!strcmp(sub, "course")) {
        rc = run_course(c, jn, &o);
    } else if (!strcmp(sub, "backup")) {
        if (o.n_pos < 2)
            rc = cli_usage_error(c, "journal", "backup needs a new FILE");
        else if (mn_journal_backup(jn, o.pos[1], &e) != MN_OK) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        } else if (!c->quiet) {
            printf("backed up to %s\n", o.pos[1]);
        }
    }
    mn_journal_close(jn);
    return rc;
}

const cli_command cmd_journal = {
    "journal", "record real sessions and say when the next one is due",
    "Usage: mnsim journal SUBCOMMAND [--db PATH] ...\n\n"
    "A record of real sessions in one SQLite file (default\n"
    "$XDG_DATA_HOME/mnsim/journal.db, owner-only). Subcommands:\n"
    "  init                          create the journal\n"
    "  add KIND --KEY VALUE ...      add a person, consent, device, session, photo\n"
    "                                or followup (e.g. --needle-length \"1.5 mm\")\n"
    "  add --file ENTRY.yaml         the same from a YAML file (kind: session ...)\n"
    "  list [KIND] [--person CODE]   records, oldest first (default: sessions)\n"
    "  show KIND ID                  one record\n"
    "  edit KIND ID --KEY VALUE ...  change values\n"
    "  delete KIND ID [--yes] [--cascade]\n"
    "                                delete (asks first; --cascade deletes a person's\n"
    "                                sessions too)\n"
    "  next PERSON [--on DATE]       when each zone may be treated again, and\n"
    "                                warnings (too early, device past its use count)\n"
    "  export [--person CODE] [--format json|csv] [-o FILE|DIR]\n"
    "  import FILE                   a JSON export, into an empty journal\n"
    "  backup FILE                   online backup to a new file\n"
    "  check                         integrity check\n"
    "  course PERSON -o DIR [--format INDICATION] [--force]\n"
    "                                simulate the recorded sessions as `mnsim run`\n"
    "                                does and write the same report (--force\n"
    "                                replaces an earlier report)\n\n"
    "Keys of each kind: docs/cli.md. Intervals come from data/rules.yaml.\n"
    "Not medical advice.\n",
    run_journal};
