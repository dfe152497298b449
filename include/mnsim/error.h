/* mnsim: status codes, error and diagnostic records (floor: base).
 *
 * GSL style: every library function that can fail returns an mn_status and,
 * when given one, fills an mn_error that the caller owns. The library never
 * prints, exits or aborts.
 *
 * Thread safety: reentrant; status names are constant strings, messages go into the
 * caller's mn_error. GSL's process-wide error handler is set once (pthread_once,
 * mn_gsl_errors_off). */
#ifndef MNSIM_ERROR_H
#define MNSIM_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_OK = 0,
    MN_EINVAL,    /* invalid argument or input value */
    MN_ERANGE,    /* value outside its physical or allowed range */
    MN_ENOMEM,    /* allocation failed */
    MN_EIO,       /* file could not be read or written */
    MN_EPARSE,    /* input is not well-formed YAML/JSON */
    MN_ESCHEMA,   /* input is well-formed but does not match its schema */
    MN_ENOTFOUND, /* a named thing (device, site, file) does not exist */
    MN_ENUMERIC,  /* numerical method failed (no convergence, NaN produced) */
    MN_ECANCEL,   /* cancelled by a progress callback */
    MN_EEXIST     /* output exists and overwriting was not allowed */
} mn_status;

#define MN_ERROR_MSG_MAX 1024
#define MN_ERROR_FILE_MAX 256

/* One error: code, message and (for inputs) where it happened.
 * line and column are 1-based; 0 means unknown. */
typedef struct {
    mn_status code;
    char message[MN_ERROR_MSG_MAX];
    char file[MN_ERROR_FILE_MAX];
    int line;
    int column;
} mn_error;

/* Short English name of a status code ("invalid argument", ...). */
const char *mn_strerror(mn_status code);

/* Clear an error record (err may be NULL). */
void mn_error_clear(mn_error *err);

/* Fill err (if not NULL) with code and a printf-style message; returns code
 * so that callers can write `return mn_error_set(err, MN_EINVAL, ...)`. */
mn_status mn_error_set(mn_error *err, mn_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As mn_error_set, with the input location (file may be NULL). */
mn_status mn_error_set_at(mn_error *err, mn_status code, const char *file, int line,
                          int column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Copy text into buf of size n (n >= 8). Text that does not fit is cut
 * after the last whole word that leaves room for "...", which then ends
 * it: a message is never cut inside a word (only a single word longer than
 * half of buf is, at a UTF-8 character boundary, and still ends in "..."). */
void mn_text_fit(char *buf, size_t n, const char *text);

/* vsnprintf into buf of size n, cut as mn_text_fit does. */
void mn_text_vformat(char *buf, size_t n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Format "file:line:col: message" (or just the message when no file) into
 * buf of size n. Returns buf. */
char *mn_error_format(const mn_error *err, char *buf, size_t n);

/* Severity of a diagnostic. */
typedef enum { MN_SEV_INFO = 0, MN_SEV_WARNING = 1, MN_SEV_ERROR = 2 } mn_severity;

/* Name of a severity ("info", "warning", "error"). */
const char *mn_severity_name(mn_severity s);

/* A list of diagnostics, for checks that report every problem found, not
 * only the first. Zero-initialise, then mn_diags_free. */
typedef struct {
    mn_error *items;
    mn_severity *severity;
    size_t count;
    size_t capacity;
    size_t n_errors;
    size_t n_warnings;
    size_t not_listed; /* counted in n_errors / n_warnings, not in items */
} mn_diags;

/* Diagnostics kept in one list: the last item then says that more
 * problems were found, and later ones are only counted (a hostile file
 * with 100,000 unknown keys gives 200 lines, not 100,000). */
#define MN_DIAGS_MAX 200

/* Append a copy of err with a severity (beyond MN_DIAGS_MAX, count it).
 * Returns MN_ENOMEM on failure. */
mn_status mn_diags_push(mn_diags *d, mn_severity sev, const mn_error *err);

/* Free the storage of a list (not the list itself); d may be NULL. */
void mn_diags_free(mn_diags *d);

/* GSL's error handler is one per process, and GSL's default aborts the
 * program. mnsim sets it once, to off (gsl_set_error_handler_off), on the
 * first call of any of its functions that use GSL (the healing model,
 * mnsim/healing.h; the fit, mnsim/fit.h), and checks the status codes GSL
 * returns instead; no mnsim function changes it afterwards, so threads of
 * a caller never race on it. A program that installs its own GSL handler
 * after that keeps it, and mnsim's GSL calls then report to it. Calling
 * this first is allowed and changes nothing else. Thread-safe
 * (pthread_once). */
void mn_gsl_errors_off(void);

#ifdef __cplusplus
}
#endif
#endif
