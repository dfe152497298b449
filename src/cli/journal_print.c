/* How mnsim journal shows records (list, show), when each zone is due
 * (next) and what a change did: text (stored text escaped, so that it
 * cannot drive the terminal) or JSON. */
#include "journal_print.h"

#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/journal_json.h"
#include "mnsim/utf8.h"

const char *cli_journal_shown(const char *s, char *buf, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < len && k + 8 < n;) {
        size_t q = mn_utf8_sequence(p + i, len - i);
        if (q == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) { /* C1: U+0080-U+009F */
            k += (size_t)snprintf(buf + k, n - k, "\\u%04x", p[i + 1]);
        } else if (q > 1 || (q == 1 && p[i] >= 0x20 && p[i] != 0x7F)) {
            memcpy(buf + k, p + i, q);
            k += q;
        } else if (q == 1 && (p[i] == '\n' || p[i] == '\t' || p[i] == '\r')) {
            buf[k++] = '\\';
            buf[k++] = p[i] == '\n' ? 'n' : p[i] == '\t' ? 't' : 'r';
        } else { /* other control characters, bytes that are not UTF-8 */
            k += (size_t)snprintf(buf + k, n - k, "\\x%02x", p[i]);
        }
        i += q ? q : 1;
        buf[k] = '\0';
    }
    return buf;
}

int cli_journal_done(cli_ctx *c, mn_json *j, const char *fmt, ...)
{
    if (c->json)
        return cli_print_json(c, j);
    mn_json_free(j);
    if (!c->quiet) {
        va_list ap;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    return CLI_OK;
}

void cli_journal_rows(cli_ctx *c, const mn_journal_rows *rows, int kind)
{
    if (c->json) {
        mn_json *j = mn_json_new();
        mn_jnode *arr = j ? mn_journal_rows_json(j, rows) : NULL;
        if (!arr) {
            mn_json_free(j);
            cli_errorf(c, "out of memory writing JSON");
            return;
        }
        mn_json_put(j, mn_json_root(j), mn_journal_kind_name(kind), arr);
        cli_print_json(c, j);
        return;
    }
    for (size_t r = 0; r < rows->count; r++) {
        const mn_journal_row *row = &rows->rows[r];
        printf("%s %s:", mn_journal_kind_name(kind), row->values[0]);
        for (size_t k = 1; k < row->count; k++) {
            if (!row->values[k])
                continue;
            size_t n = 6 * strlen(row->values[k]) + 16; /* room for every escape */
            char *buf = malloc(n);
            printf(" %s=%s", row->keys[k],
                   buf ? cli_journal_shown(row->values[k], buf, n) : "(out of memory)");
            free(buf);
        }
        printf("\n");
    }
    if (rows->count == 0 && !c->quiet)
        printf("no %s records\n", mn_journal_kind_name(kind));
}

static void print_warnings(cli_ctx *c, const mn_readiness *r, int stage)
{
    for (size_t i = 0; i < r->n_warnings; i++) {
        const mn_ready_warning *w = &r->warnings[i];
        char buf[4 * MN_ERROR_MSG_MAX];
        if (w->stage == stage && (!c->quiet || w->severity == MN_SEV_ERROR))
            printf("  %s: %s\n", mn_severity_name((mn_severity)w->severity),
                   cli_journal_shown(w->message, buf, sizeof buf));
    }
}

static const cli_column due_columns[] = {
    {"ZONE", -16, NULL}, {"LAST", -10, NULL},  {"NEEDLE", -8, NULL},
    {"NEXT", -11, NULL}, {"STATUS", -1, NULL},
};
static const cli_table due_table = {due_columns,
                                    sizeof due_columns / sizeof *due_columns};

static void print_due(const mn_readiness *r)
{
    if (r->n_zones)
        cli_table_header(&due_table);
    for (size_t k = 0; k < r->n_zones; k++) {
        const mn_zone_due *z = &r->zones[k];
        char last[32], next[32], zone[256];
        cli_row row = {0};
        cli_cell(&row, "%s", cli_journal_shown(z->zone, zone, sizeof zone));
        cli_cell(&row, "%s", mn_date_format(z->last_at, 0, last, sizeof last));
        cli_cell(&row, "%5.2g mm", z->last_needle_mm);
        cli_cell(&row, "%s", mn_date_format(z->next_due, 0, next, sizeof next));
        const char *why = z->due_by_healing
                              ? "the skin is still recovering (healing model)"
                          : z->rule ? "the interval rule for this needle"
                                    : "";
        if (z->wait_days <= 0)
            cli_cell(&row, "due now%s",
                     z->rule || z->skin_recovered != MN_DATE_NONE
                         ? ""
                         : " (no rule applies)");
        else
            cli_cell(&row, "wait %.0f more days: %s", z->wait_days + 0.4999, why);
        cli_table_row(&due_table, &row);
    }
    if (r->n_zones == 0)
        printf("no sessions recorded yet: any day is fine as far as intervals go\n");
}

void cli_journal_next_text(cli_ctx *c, const cli_next_view *v)
{
    const mn_readiness *r = &v->r;
    char day[32], name[256], problem[4 * MN_ERROR_MSG_MAX];
    printf("%s: %zu sessions recorded; today %s\n",
           cli_journal_shown(v->person, name, sizeof name), v->n_sessions,
           mn_date_format(r->now, 0, day, sizeof day));
    print_warnings(c, r, MN_READY_SESSIONS);
    print_due(r);
    print_warnings(c, r, MN_READY_CARE);
    for (size_t i = 0; i < r->n_healing; i++) {
        const mn_zone_healing *h = &r->healing[i];
        printf("  healing model: %s should have recovered by %s (%s)%s\n",
               cli_journal_shown(h->zone, name, sizeof name),
               mn_date_format(h->skin_ready, 0, day, sizeof day),
               h->healed ? "healed by today" : "not yet",
               h->overtreated ? "; OVERTREATED" : "");
    }
    print_warnings(c, r, MN_READY_HEALING);
    if (r->n_zones && !v->healing_ran && !c->quiet)
        printf("  healing model not run: %s\n",
               v->healing_problem[0]
                   ? cli_journal_shown(v->healing_problem, problem, sizeof problem)
                   : "zones unknown");
    if (r->n_warnings == 0 && r->n_zones)
        printf("  no interval or device warnings\n");
    printf("Intervals from data/rules.yaml (sources there). Not medical advice.\n");
}

int cli_journal_next_json(cli_ctx *c, const cli_next_view *v)
{
    /* healing_not_run stays out of the command's JSON (its text says it). */
    mn_json *j = mn_journal_next_json(v->person, &v->r, v->n_sessions, NULL);
    if (!j) {
        cli_errorf(c, "out of memory writing JSON");
        return CLI_FAIL;
    }
    return cli_print_json(c, j);
}
