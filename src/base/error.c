/* Status codes, errors and diagnostic lists. */
#include "mnsim/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mn_strerror(mn_status code)
{
    switch (code) {
    case MN_OK: return "success";
    case MN_EINVAL: return "invalid value";
    case MN_ERANGE: return "value out of range";
    case MN_ENOMEM: return "out of memory";
    case MN_EIO: return "input/output error";
    case MN_EPARSE: return "parse error";
    case MN_ESCHEMA: return "schema error";
    case MN_ENOTFOUND: return "not found";
    case MN_ENUMERIC: return "numerical failure";
    case MN_ECANCEL: return "cancelled";
    case MN_EEXIST: return "already exists";
    }
    return "unknown error";
}

void mn_error_clear(mn_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* buf holds the first n - 1 bytes of a longer text: cut it after a whole
 * word and end it with "...". */
static void cut_words(char *buf, size_t n)
{
    if (n < 8) {
        if (n)
            buf[n - 1] = '\0';
        return;
    }
    size_t k = n - 4; /* room for "..." and the NUL */
    size_t cut = 0;
    for (size_t i = k; i > n / 2; i--)
        if (buf[i] == ' ' || buf[i] == '\n') { /* the word before i is whole */
            cut = i;
            break;
        }
    if (!cut) { /* one long word: cut between UTF-8 characters */
        cut = k;
        while (cut > 0 && ((unsigned char)buf[cut] & 0xC0) == 0x80)
            cut--;
    }
    while (cut > 0 && strchr(" \n,;:", buf[cut - 1]))
        cut--;
    memcpy(buf + cut, "...", 4);
}

void mn_text_fit(char *buf, size_t n, const char *text)
{
    if (!buf || !n)
        return;
    size_t len = text ? strlen(text) : 0;
    if (len < n) {
        memcpy(buf, text ? text : "", len + 1);
        return;
    }
    memcpy(buf, text, n - 1);
    buf[n - 1] = '\0';
    cut_words(buf, n);
}

void mn_text_vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
    if (!buf || !n)
        return;
    int len = vsnprintf(buf, n, fmt, ap);
    if (len < 0)
        buf[0] = '\0';
    else if ((size_t)len >= n)
        cut_words(buf, n);
}

static void set_message(mn_error *err, const char *fmt, va_list ap)
{
    mn_text_vformat(err->message, sizeof err->message, fmt, ap);
}

mn_status mn_error_set(mn_error *err, mn_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    mn_error_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    set_message(err, fmt, ap);
    va_end(ap);
    return code;
}

mn_status mn_error_set_at(mn_error *err, mn_status code, const char *file, int line,
                          int column, const char *fmt, ...)
{
    if (!err)
        return code;
    mn_error_clear(err);
    err->code = code;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    set_message(err, fmt, ap);
    va_end(ap);
    return code;
}

char *mn_error_format(const mn_error *err, char *buf, size_t n)
{
    if (!buf || n == 0)
        return buf;
    if (!err) {
        buf[0] = '\0';
        return buf;
    }
    if (err->file[0] && err->line > 0)
        snprintf(buf, n, "%s:%d:%d: %s", err->file, err->line, err->column,
                 err->message);
    else if (err->file[0])
        snprintf(buf, n, "%s: %s", err->file, err->message);
    else
        snprintf(buf, n, "%s", err->message);
    return buf;
}

const char *mn_severity_name(mn_severity s)
{
    switch (s) {
    case MN_SEV_INFO: return "info";
    case MN_SEV_WARNING: return "warning";
    case MN_SEV_ERROR: return "error";
    }
    return "unknown";
}

mn_status mn_diags_push(mn_diags *d, mn_severity sev, const mn_error *err)
{
    if (!d || !err)
        return MN_EINVAL;
    if (sev == MN_SEV_ERROR)
        d->n_errors++;
    else if (sev == MN_SEV_WARNING)
        d->n_warnings++;
    if (d->count >= MN_DIAGS_MAX) {
        d->not_listed++;
        return MN_OK;
    }
    mn_error note;
    if (d->count == MN_DIAGS_MAX - 1) { /* the last place: say so */
        mn_error_set_at(&note, err->code, NULL, 0, 0,
                        "more problems were found; mnsim lists the first %d",
                        MN_DIAGS_MAX - 1);
        memcpy(note.file, err->file, sizeof note.file);
        err = &note;
        d->not_listed++;
    }
    if (d->count == d->capacity) {
        size_t cap = d->capacity ? 2 * d->capacity : 8;
        mn_error *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return MN_ENOMEM;
        d->items = items;
        mn_severity *sv = realloc(d->severity, cap * sizeof *sv);
        if (!sv)
            return MN_ENOMEM;
        d->severity = sv;
        d->capacity = cap;
    }
    d->items[d->count] = *err;
    d->severity[d->count] = sev;
    d->count++;
    return MN_OK;
}

void mn_diags_free(mn_diags *d)
{
    if (!d)
        return;
    free(d->items);
    free(d->severity);
    memset(d, 0, sizeof *d);
}

#ifndef MNSIM_VERSION
#define MNSIM_VERSION "unknown"
#endif
const char *mn_version(void)
{
    return MNSIM_VERSION;
}
