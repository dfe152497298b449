/* mnsim journal: record real sessions in an SQLite journal and say when the
 * next one is due. The journal is mnsim/journal.h; when each zone is due,
 * mnsim/readiness.h. */
#include "cli.h"
#include "journal_print.h"
#include "opts.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mnsim/course_io.h"
#include "mnsim/course_run.h"
#include "mnsim/date.h"
#include "mnsim/journal.h"
#include "mnsim/readiness.h"
#include "mnsim/report.h"
#include "mnsim/validation_io.h"
#include "mnsim/rules_io.h"

#define MAX_PAIRS 32

typedef struct {
    const char *db, *person, *file, *format, *output, *on;
    int yes, cascade, force;
    char path[4096];    /* the journal's file */
    mn_zone_list zones; /* the catalog sessions' zones are checked against */
    mn_kv kv[MAX_PAIRS];
    char keybuf[MAX_PAIRS][64];
    size_t n_kv;
    const char *pos[4]; /* the subcommand and its arguments */
    size_t n_pos;
} jopts;

/* Any other --key VALUE is a value of the record to add or edit:
 * --needle-length "1.5 mm" -> needle_length. */
static int record_value(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                        void *dest)
{
    jopts *o = dest;
    const char *name = opt + 2;
    if (o->n_kv >= MAX_PAIRS || strlen(name) >= 64)
        return cli_usage_error(c, cmd, "too many values or a key too long");
    char *k = o->keybuf[o->n_kv];
    snprintf(k, 64, "%s", name);
    for (char *p = k; *p; p++)
        if (*p == '-')
            *p = '_';
    o->kv[o->n_kv].key = k;
    o->kv[o->n_kv].value = v;
    o->n_kv++;
    return CLI_OK;
}

static int parse(cli_ctx *c, int argc, char **argv, jopts *o)
{
    memset(o, 0, sizeof *o);
    const cli_opt opts[] = {
        CLI_STR("--db", &o->db),
        CLI_STR("--person", &o->person),
        CLI_STR("--file", &o->file),
        CLI_STR("--format", &o->format),
        {.name = "--output", .alias = "-o", .type = CLI_OPT_STRING, .dest = &o->output},
        CLI_STR("--on", &o->on),
        CLI_FLAG("--yes", &o->yes),
        CLI_FLAG("--force", &o->force),
        CLI_FLAG("--cascade", &o->cascade),
        CLI_OTHER(o, record_value),
    };
    return cli_opts_parse(c, "journal", opts, sizeof opts / sizeof *opts, argc, argv,
                          o->pos, sizeof o->pos / sizeof *o->pos, &o->n_pos);
}

static int open_journal(cli_ctx *c, jopts *o, int create, mn_journal **j)
{
    mn_error e;
    mn_error_clear(&e);
    if (o->db)
        snprintf(o->path, sizeof o->path, "%s", o->db);
    else if (mn_journal_default_path(o->path, sizeof o->path, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (mn_journal_open(o->path, create, j, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* Sessions' zones are checked against the zone catalog (data/zones.yaml),
 * read when a session may be written. */
static int use_zones(cli_ctx *c, mn_journal *jn, jopts *o)
{
    if (!o->zones.count && cli_load_zones(c, NULL, &o->zones))
        return CLI_FAIL;
    mn_journal_set_zones(jn, &o->zones);
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
    long v;
    if (!text)
        return cli_usage_error(c, "journal", "give the record id after its kind");
    int rc = cli_parse_int(c, "journal", "a record id", text, 1, LONG_MAX, &v);
    if (rc == CLI_OK)
        *id = v;
    return rc;
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

/* ---- course: the recorded sessions through `mnsim run` ------------------- */

/* The recorded sessions of a person as a course (mnsim/journal.h). */
static mn_status journal_course(cli_ctx *c, mn_journal *jn, int64_t pid,
                                const char *code, int ind, mn_course *course,
                                mn_diags *d, mn_error *err)
{
    memset(course, 0, sizeof *course);
    mn_protocol_init(&course->protocol);
    char data[4200];
    if (cli_data_dir(c, data, sizeof data))
        return mn_error_set(err, MN_ENOTFOUND, "no data directory");
    return mn_journal_course(jn, pid, code, ind, data, course, d, err);
}

static int course_done(cli_ctx *c, const jopts *o, const mn_course_outcome *out)
{
    char report[4200];
    snprintf(report, sizeof report, "%s/report.html", o->output);
    mn_json *j = mn_json_new();
    mn_jnode *root = mn_json_root(j);
    mn_json_str(j, root, "person", o->pos[1]);
    mn_json_int(j, root, "sessions", (long long)out->course.n_sessions);
    mn_json_int(j, root, "errors", (long long)out->course.findings.n_errors);
    mn_json_int(j, root, "warnings", (long long)out->course.findings.n_warnings);
    mn_json_str(j, root, "output", o->output);
    mn_json_str(j, root, "report", report);
    return cli_journal_done(c, j,
                            "%s: %zu recorded sessions simulated; %zu error(s), %zu "
                            "warning(s); report: %s\n",
                            o->pos[1], out->course.n_sessions,
                            out->course.findings.n_errors,
                            out->course.findings.n_warnings, report);
}

static int run_course(cli_ctx *c, mn_journal *jn, jopts *o)
{
    if (o->n_pos < 2 || !o->output)
        return cli_usage_error(c, "journal",
                               "journal course needs a PERSON code and -o DIR");
    int64_t pid;
    if (person_arg(c, jn, o->pos[1], &pid))
        return CLI_FAIL;
    int ind = mn_indication_from_name(o->format ? o->format : "fine-lines");
    if (ind < 0)
        return cli_usage_error(c, "journal",
                               "--format here names the indication, e.g. acne-scars");
    mn_error e;
    mn_error_clear(&e);
    if (mn_report_check_dir(o->output, o->force, &e) != MN_OK) { /* before the work */
        cli_error(c, &e);
        return CLI_FAIL;
    }
    mn_course course;
    mn_course_outcome out;
    memset(&out, 0, sizeof out);
    mn_diags d = {0};
    int rc = CLI_FAIL;
    /* The same pipeline as mnsim run (mnsim/course_run.h), with the
     * published record of the models used. */
    mn_course_evidence ev;
    memset(&ev, 0, sizeof ev);
    char data[4200];
    int ran = journal_course(c, jn, pid, o->pos[1], ind, &course, &d, &e) == MN_OK &&
              mn_course_run(&course, NULL, NULL, &out, &e) == MN_OK &&
              cli_data_dir(c, data, sizeof data) == CLI_OK &&
              mn_course_evidence_load(data, &course, out.delivery.count > 0, &ev, &d,
                                      &e) == MN_OK;
    if (!ran) {
        cli_fail_diags(c, &d, &e);
    } else {
        out.evidence = mn_course_evidence_view(&ev);
        if (mn_report_write_all(o->output, o->force, course.protocol.name, &course,
                                &out, &e) != MN_OK)
            cli_error(c, &e);
        else
            rc = course_done(c, o, &out);
    }
    mn_course_outcome_free(&out);
    mn_course_evidence_free(&ev);
    mn_course_free(&course);
    mn_diags_free(&d);
    return rc;
}

/* ---- next ------------------------------------------------------------- */

static int run_next(cli_ctx *c, mn_journal *jn, jopts *o)
{
    if (o->n_pos < 2)
        return cli_usage_error(c, "journal", "journal next needs a PERSON code");
    int64_t pid, now = mn_date_from_local(time(NULL));
    if (person_arg(c, jn, o->pos[1], &pid))
        return CLI_FAIL;
    if (o->on && cli_parse_date(c, "journal", "--on", o->on, &now))
        return CLI_USAGE;
    mn_rules rules;
    mn_site_list sites = {0};
    if (load_rules(c, &rules, &sites))
        return CLI_FAIL;
    cli_next_view v = {o->pos[1], 0, {0}, 0, ""};
    int ind = mn_indication_from_name(o->format ? o->format : "fine-lines");
    char data[4200];
    mn_error e;
    mn_error_clear(&e);
    int rc = CLI_FAIL;
    if (cli_data_dir(c, data, sizeof data))
        goto done;
    /* The history, the rules and the healing model: mnsim/journal.h. */
    if (mn_journal_next(jn, pid, o->pos[1], ind, data, &rules, &sites, now, &v.r,
                        &v.n_sessions, &v.healing_ran, v.healing_problem,
                        sizeof v.healing_problem, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    if (c->json) {
        rc = cli_journal_next_json(c, &v);
    } else {
        cli_journal_next_text(c, &v);
        rc = CLI_OK;
    }
done:
    mn_readiness_free(&v.r);
    mn_rules_clear(&rules);
    mn_site_list_free(&sites);
    return rc;
}

/* ---- the other subcommands -------------------------------------------- */

/* {"VERB": KIND, "id": ID} of add, edit and delete. */
static mn_json *change_json(const char *verb, int kind, int64_t id)
{
    mn_json *j = mn_json_new();
    mn_json_str(j, mn_json_root(j), verb, mn_journal_kind_name(kind));
    mn_json_int(j, mn_json_root(j), "id", id);
    return j;
}

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
            cli_fail_diags(c, &d, &e);
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
    if (kind == MN_J_SESSION && use_zones(c, jn, o)) {
        rc = CLI_FAIL;
    } else if (mn_journal_add(jn, kind, kv, n, &id, &e) != MN_OK) {
        if (o->file)
            fprintf(stderr, "mnsim: error: %s: %s\n", o->file, e.message);
        else
            cli_error(c, &e);
        rc = CLI_FAIL;
    } else {
        rc = cli_journal_done(c, change_json("added", kind, id), "added %s %lld\n",
                              mn_journal_kind_name(kind), (long long)id);
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

/* CSV files in DIR: every target checked first, none overwritten without
 * --force (mnsim/journal.h). */
static int export_csv(cli_ctx *c, mn_journal *jn, const jopts *o, int64_t pid)
{
    mn_error e;
    mn_error_clear(&e);
    if (!o->output)
        return cli_usage_error(c, "journal", "export --format csv needs -o DIR");
    if (mn_journal_export_csv(jn, pid, o->output, o->force, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    if (!c->json) {
        if (!c->quiet)
            fprintf(stderr, "mnsim: wrote CSV files in %s\n", o->output);
        return CLI_OK;
    }
    mn_json *j = mn_json_new();
    mn_jnode *files = mn_json_array(j);
    for (int k = 0; k < MN_J_KIND_COUNT; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.csv", o->output, mn_journal_kind_name(k));
        mn_json_push_str(j, files, path);
    }
    mn_json_str(j, mn_json_root(j), "exported", "csv");
    mn_json_str(j, mn_json_root(j), "directory", o->output);
    mn_json_put(j, mn_json_root(j), "files", files);
    return cli_print_json(c, j);
}

static int run_export(cli_ctx *c, mn_journal *jn, jopts *o)
{
    const char *format = o->format ? o->format : "json";
    int64_t pid = 0;
    if (o->person && person_arg(c, jn, o->person, &pid))
        return CLI_FAIL;
    if (!strcmp(format, "csv"))
        return export_csv(c, jn, o, pid);
    if (strcmp(format, "json"))
        return cli_usage_error(c, "journal", "--format is json or csv, not '%s'",
                               format);
    mn_error e;
    mn_error_clear(&e);
    char *text = NULL;
    if (mn_journal_export_json(jn, pid, &text, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    int rc = CLI_OK;
    if (!o->output || !strcmp(o->output, "-")) {
        fputs(text, stdout); /* the export is JSON, with --json or without */
    } else if (mn_journal_export_write(o->output, text, o->force, &e) != MN_OK) {
        cli_error(c, &e);
        rc = CLI_FAIL;
    } else if (c->json) {
        mn_json *j = mn_json_new();
        mn_json_str(j, mn_json_root(j), "exported", "json");
        mn_json_str(j, mn_json_root(j), "file", o->output);
        rc = cli_print_json(c, j);
    }
    free(text);
    return rc;
}

static int run_init(cli_ctx *c, mn_journal *jn, jopts *o)
{
    (void)jn;
    mn_json *j = mn_json_new();
    mn_json_str(j, mn_json_root(j), "journal", o->path);
    mn_json_int(j, mn_json_root(j), "schema_version", MN_JOURNAL_SCHEMA_VERSION);
    return cli_journal_done(c, j, "journal ready: %s\n", o->path);
}

static int run_check(cli_ctx *c, mn_journal *jn, jopts *o)
{
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_journal_check(jn, &e);
    mn_json *j = mn_json_new();
    mn_json_str(j, mn_json_root(j), "journal", o->path);
    mn_json_bool(j, mn_json_root(j), "ok", st == MN_OK);
    if (st == MN_OK)
        return cli_journal_done(c, j, "journal ok\n");
    mn_json_str(j, mn_json_root(j), "problem", e.message);
    cli_error(c, &e);
    if (c->json)
        cli_print_json(c, j);
    else
        mn_json_free(j);
    return CLI_FAIL;
}

static int run_list(cli_ctx *c, mn_journal *jn, jopts *o)
{
    int kind = kind_arg(c, o->n_pos >= 2 ? o->pos[1] : "session");
    int64_t pid = 0;
    if (kind < 0)
        return CLI_USAGE;
    if (o->person && person_arg(c, jn, o->person, &pid))
        return CLI_FAIL;
    mn_journal_rows rows;
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_list(jn, kind, pid, &rows, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    cli_journal_rows(c, &rows, kind);
    mn_journal_rows_free(&rows);
    return CLI_OK;
}

/* KIND ID of show, edit and delete. */
static int record_arg(cli_ctx *c, const jopts *o, int *kind, int64_t *id)
{
    *kind = kind_arg(c, o->n_pos >= 2 ? o->pos[1] : NULL);
    if (*kind < 0 || id_arg(c, o->n_pos >= 3 ? o->pos[2] : NULL, id))
        return CLI_USAGE;
    return CLI_OK;
}

static int run_show(cli_ctx *c, mn_journal *jn, jopts *o)
{
    int kind;
    int64_t id;
    if (record_arg(c, o, &kind, &id))
        return CLI_USAGE;
    mn_journal_rows rows;
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_get(jn, kind, id, &rows, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    cli_journal_rows(c, &rows, kind);
    mn_journal_rows_free(&rows);
    return CLI_OK;
}

static int run_edit(cli_ctx *c, mn_journal *jn, jopts *o)
{
    int kind;
    int64_t id;
    if (record_arg(c, o, &kind, &id))
        return CLI_USAGE;
    if (!o->n_kv)
        return cli_usage_error(c, "journal", "edit needs --KEY VALUE to change");
    if (kind == MN_J_SESSION && use_zones(c, jn, o))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_update(jn, kind, id, o->kv, o->n_kv, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return cli_journal_done(c, change_json("changed", kind, id), "changed %s %lld\n",
                            mn_journal_kind_name(kind), (long long)id);
}

static int run_delete(cli_ctx *c, mn_journal *jn, jopts *o)
{
    int kind;
    int64_t id;
    if (record_arg(c, o, &kind, &id))
        return CLI_USAGE;
    char what[64];
    snprintf(what, sizeof what, "%s %lld", mn_journal_kind_name(kind), (long long)id);
    if (!o->yes && !confirm(c, what))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_delete(jn, kind, id, o->cascade, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return cli_journal_done(c, change_json("deleted", kind, id), "deleted %s\n", what);
}

static int run_import(cli_ctx *c, mn_journal *jn, jopts *o)
{
    if (o->n_pos < 2)
        return cli_usage_error(c, "journal", "import needs the export FILE");
    if (use_zones(c, jn, o))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_import_json(jn, o->pos[1], NULL, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    mn_json *j = mn_json_new();
    mn_json_str(j, mn_json_root(j), "imported", o->pos[1]);
    mn_json_str(j, mn_json_root(j), "journal", o->path);
    return cli_journal_done(c, j, "imported %s\n", o->pos[1]);
}

static int run_backup(cli_ctx *c, mn_journal *jn, jopts *o)
{
    if (o->n_pos < 2)
        return cli_usage_error(c, "journal", "backup needs a new FILE");
    mn_error e;
    mn_error_clear(&e);
    if (mn_journal_backup(jn, o->pos[1], &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    mn_json *j = mn_json_new();
    mn_json_str(j, mn_json_root(j), "backup", o->pos[1]);
    mn_json_str(j, mn_json_root(j), "journal", o->path);
    return cli_journal_done(c, j, "backed up to %s\n", o->pos[1]);
}

typedef struct {
    const char *name;
    int (*run)(cli_ctx *c, mn_journal *jn, jopts *o);
} subcommand;

static const subcommand subcommands[] = {
    {"init", run_init},     {"add", run_add},       {"list", run_list},
    {"show", run_show},     {"edit", run_edit},     {"delete", run_delete},
    {"next", run_next},     {"export", run_export}, {"import", run_import},
    {"backup", run_backup}, {"check", run_check},   {"course", run_course},
};

static int run_journal(cli_ctx *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(c, "journal", "journal needs a subcommand");
    jopts o;
    int rc = parse(c, argc, argv, &o);
    if (rc)
        return rc;
    if (o.n_pos < 1)
        return cli_usage_error(c, "journal", "journal needs a subcommand");
    const char *sub = o.pos[0];
    const subcommand *s = NULL;
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (!strcmp(sub, subcommands[i].name))
            s = &subcommands[i];
    if (!s)
        return cli_usage_error(c, "journal", "no journal subcommand '%s'", sub);
    int record = s->run == run_add || s->run == run_edit;
    /* For add and edit, --person is a value of the record. */
    if (o.person && record && o.n_kv < MAX_PAIRS) {
        o.kv[o.n_kv].key = "person";
        o.kv[o.n_kv].value = o.person;
        o.n_kv++;
        o.person = NULL;
    }
    if (o.n_kv && !record)
        return cli_usage_error(c, "journal", "unknown option --%s for journal %s",
                               o.kv[0].key, sub);
    mn_journal *jn = NULL;
    rc = open_journal(c, &o, s->run == run_init, &jn);
    if (!rc)
        rc = s->run(c, jn, &o);
    mn_journal_close(jn);
    mn_zone_list_free(&o.zones);
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
    "  export [--person CODE] [--format json|csv] [-o FILE|DIR] [--force]\n"
    "                                owner-only files; never over an existing one\n"
    "                                without --force\n"
    "  import FILE                   a JSON export, into an empty journal\n"
    "  backup FILE                   online backup to a new file\n"
    "  check                         integrity check (a change to a journal that\n"
    "                                fails PRAGMA quick_check is refused)\n"
    "  course PERSON -o DIR [--format INDICATION] [--force]\n"
    "                                simulate the recorded sessions as `mnsim run`\n"
    "                                does and write the same report (--force\n"
    "                                replaces an earlier report)\n\n"
    "Keys of each kind: docs/cli.md; zones are names of data/zones.yaml.\n"
    "--json: one JSON document on stdout, for every subcommand.\n"
    "Intervals come from data/rules.yaml.\n"
    "Not medical advice.\n",
    run_journal};
