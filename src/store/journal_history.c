/* A person's history from the journal, for mnsim/readiness.h: the sessions
 * as recorded, the devices with their replacement counts, the last
 * follow-up. */
#include "mnsim/journal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/protocol.h"

/* A copy of a value that may be missing; 0, or -1 when out of memory. */
static int copy(const char *value, char **out)
{
    *out = value ? strdup(value) : NULL;
    return value && !*out ? -1 : 0;
}

static int session_of(const mn_journal_row *row, mn_recorded_session *s)
{
    const char *at = mn_journal_row_value(row, "at"),
               *len = mn_journal_row_value(row, "needle_length_mm");
    s->id = atoll(row->values[0]);
    if (!at || mn_date_parse(at, &s->at, NULL) != MN_OK)
        s->at = MN_DATE_NONE;
    s->needle_length_mm = len ? atof(len) : NAN;
    return copy(at, &s->at_text) ||
           copy(mn_journal_row_value(row, "zones"), &s->zones) ||
           copy(mn_journal_row_value(row, "device"), &s->device);
}

static int device_of(const mn_journal_row *row, mn_recorded_device *d)
{
    const char *max = mn_journal_row_value(row, "max_uses");
    d->max_uses = max ? atol(max) : -1;
    return copy(mn_journal_row_value(row, "code"), &d->code);
}

static mn_status convert(const mn_journal_rows *sess, const mn_journal_rows *fups,
                         const mn_journal_rows *devs, mn_history *out, mn_error *err)
{
    out->sessions = calloc(sess->count ? sess->count : 1, sizeof *out->sessions);
    out->devices = calloc(devs->count ? devs->count : 1, sizeof *out->devices);
    if (!out->sessions || !out->devices)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    /* Counted before they are filled: what a failure leaves is freed. */
    for (size_t i = 0; i < sess->count; i++)
        if (out->n_sessions++, session_of(&sess->rows[i], &out->sessions[i]))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t i = 0; i < devs->count; i++)
        if (out->n_devices++, device_of(&devs->rows[i], &out->devices[i]))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
    if (fups->count) {
        const mn_journal_row *last = &fups->rows[fups->count - 1];
        const char *healed = mn_journal_row_value(last, "healed");
        out->followup_not_healed = healed && !strcmp(healed, "no");
        if (copy(mn_journal_row_value(last, "at"), &out->followup_at))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    return MN_OK;
}

mn_status mn_journal_history(mn_journal *j, int64_t person_id, mn_history *out,
                             mn_error *err)
{
    memset(out, 0, sizeof *out);
    mn_journal_rows sess = {0}, fups = {0}, devs = {0};
    mn_status st = mn_journal_list(j, MN_J_SESSION, person_id, &sess, err);
    if (!st)
        st = mn_journal_list(j, MN_J_FOLLOWUP, person_id, &fups, err);
    if (!st)
        st = mn_journal_list(j, MN_J_DEVICE, 0, &devs, err);
    if (!st)
        st = convert(&sess, &fups, &devs, out, err);
    mn_journal_rows_free(&sess);
    mn_journal_rows_free(&fups);
    mn_journal_rows_free(&devs);
    return st;
}
