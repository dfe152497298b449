/* How mnsim journal shows records and when each zone is due (cli; the
 * computing is mnsim/journal.h and mnsim/readiness.h). */
#ifndef MNSIM_CLI_JOURNAL_PRINT_H
#define MNSIM_CLI_JOURNAL_PRINT_H

#include "cli.h"

#include "mnsim/journal.h"
#include "mnsim/readiness.h"

/* Stored text as it may be shown on a terminal, into buf (n bytes, cut
 * short if need be): control characters as \n, \t, \r or \xHH, C1
 * controls as \u00HH and bytes that are not UTF-8 as \xHH; the rest as
 * stored. Returns buf. */
const char *cli_journal_shown(const char *s, char *buf, size_t n);

/* What a subcommand did: with --json the document j, else the text of fmt
 * (unless --quiet). j is freed. CLI_OK or CLI_FAIL. */
int cli_journal_done(cli_ctx *c, mn_json *j, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records of a kind: "KIND ID: key=value ..." lines (text escaped as
 * cli_journal_shown does), or with --json {"KIND": [{key: value, ...},
 * ...]}. */
void cli_journal_rows(cli_ctx *c, const mn_journal_rows *rows, int kind);

/* What `journal next` found: when each zone is due, and whether the
 * healing model ran over the recorded sessions (else why not). */
typedef struct {
    const char *person;
    size_t n_sessions;
    mn_readiness r;
    int healing_ran;
    char healing_problem[MN_ERROR_MSG_MAX];
} cli_next_view;

/* The zones' table between the warnings about the sessions and about their
 * care, then the healing model's view (stdout). */
void cli_journal_next_text(cli_ctx *c, const cli_next_view *v);

/* The same as one JSON document; CLI_OK or CLI_FAIL. */
int cli_journal_next_json(cli_ctx *c, const cli_next_view *v);

#endif
