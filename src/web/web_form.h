/* The web app's own decoding of what a request sends (floor: web): form
 * bodies (application/x-www-form-urlencoded), their percent-escapes, and
 * the run ids of paths. Pure functions on bytes, no libmicrohttpd: the fuzz
 * harness (tests/fuzz/fuzz_web_form.c) and the unit test (tests/unit/
 * test_web.c) compile this file alone. The query string, the headers and
 * the cookies are parsed by libmicrohttpd (MHD_lookup_connection_value). */
#ifndef MNSIM_WEB_FORM_H
#define MNSIM_WEB_FORM_H

#include <stddef.h>

/* s[0..n) percent-decoded into a new NUL-terminated string (malloc'd, the
 * caller frees it), as browsers encode forms: '+' is a blank, "%HH" (two
 * hex digits, either case) the byte HH, and a '%' not followed by two hex
 * digits is kept as it is ("%zz", a '%' or "%4" at the end). Its length,
 * NUL bytes from "%00" included, in *out_n (may be NULL); never more than
 * n. NULL only when out of memory. Thread-safe. */
char *web_url_decode(const char *s, size_t n, size_t *out_n);

/* What web_form_field found. */
enum {
    WEB_FORM_ABSENT = 0, /* no field of that name */
    WEB_FORM_FOUND = 1,  /* *value: the decoded value, malloc'd */
    WEB_FORM_NUL = -1,   /* the field's value holds a NUL byte (raw or %00) */
    WEB_FORM_NOMEM = -2
};

/* The field key of the form body body[0..n) (fields separated by '&', the
 * name from its value by the first '='; a field without '=' has the name
 * and an empty value): the first field whose decoded name is key (repeated
 * names: the first wins). On WEB_FORM_FOUND *value is its decoded value
 * (malloc'd, the caller frees it); otherwise *value is NULL. A value
 * holding a NUL byte (raw or "%00") is WEB_FORM_NUL: a C string would cut
 * it short, so it is refused rather than read as something else (a name
 * holding one is never key). Thread-safe. */
int web_form_field(const char *body, size_t n, const char *key, char **value);

/* 0 when no name or value of the form body holds a NUL byte (raw or
 * "%00"), -1 otherwise: the server refuses such a form (400) before any
 * page reads it. */
int web_form_check(const char *body, size_t n);

/* A run's id at the start of p (the part of a path after "/runs/" or
 * "/api/runs/"): 1 to 18 decimal digits, no sign, blank or leading zero,
 * above 0, followed by the end or '/'. The id, and in *rest where it
 * stops; -1 (rest untouched) otherwise. */
long web_path_id(const char *p, const char **rest);

#endif
