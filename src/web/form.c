/* Form bodies and their percent-escapes, run ids of paths (floor: web;
 * web_form.h). No libmicrohttpd and no other file of the web app: the fuzz
 * harness and the unit test compile this file alone. */
#include "web_form.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The byte that s[i..n) starts with, decoded, into *c; the bytes it took
 * (1 or 3). */
static size_t decode_one(const char *s, size_t n, size_t i, char *c)
{
    if (s[i] == '+') {
        *c = ' ';
        return 1;
    }
    if (s[i] == '%' && n - i > 2 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
        *c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
        return 3;
    }
    *c = s[i];
    return 1;
}

char *web_url_decode(const char *s, size_t n, size_t *out_n)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;)
        i += decode_one(s, n, i, &out[o++]);
    out[o] = '\0';
    if (out_n)
        *out_n = o;
    return out;
}

/* 1 when s[0..n) decodes to exactly key (without allocating). */
static int name_is(const char *s, size_t n, const char *key)
{
    size_t i = 0, k = 0;
    while (i < n) {
        char c;
        i += decode_one(s, n, i, &c);
        if (!key[k] || key[k] != c)
            return 0;
        k++;
    }
    return !key[k];
}

/* 1 when s[0..n) decodes to a NUL byte somewhere. */
static int has_nul(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        char c;
        i += decode_one(s, n, i, &c);
        if (!c)
            return 1;
    }
    return 0;
}

/* The field at p (up to end): its name [p, *name_end), its value
 * [*value, *stop); returns where the next field starts. */
static const char *field_at(const char *p, const char *end, const char **name_end,
                            const char **value, const char **stop)
{
    const char *amp = memchr(p, '&', (size_t)(end - p));
    *stop = amp ? amp : end;
    const char *eq = memchr(p, '=', (size_t)(*stop - p));
    *name_end = eq ? eq : *stop;
    *value = eq ? eq + 1 : *stop;
    return amp ? amp + 1 : end;
}

int web_form_field(const char *body, size_t n, const char *key, char **value)
{
    *value = NULL;
    if (!body)
        return WEB_FORM_ABSENT;
    const char *p = body, *end = body + n;
    while (p < end) {
        const char *name_end, *v, *stop;
        const char *next = field_at(p, end, &name_end, &v, &stop);
        if (name_is(p, (size_t)(name_end - p), key)) {
            if (has_nul(v, (size_t)(stop - v)))
                return WEB_FORM_NUL;
            *value = web_url_decode(v, (size_t)(stop - v), NULL);
            return *value ? WEB_FORM_FOUND : WEB_FORM_NOMEM;
        }
        p = next;
    }
    return WEB_FORM_ABSENT;
}

int web_form_check(const char *body, size_t n)
{
    return body && has_nul(body, n) ? -1 : 0;
}

long web_path_id(const char *p, const char **rest)
{
    size_t k = 0;
    long id = 0;
    if (p[0] < '1' || p[0] > '9')
        return -1;
    while (p[k] >= '0' && p[k] <= '9') {
        if (++k > 18)
            return -1;
        id = id * 10 + (p[k - 1] - '0');
    }
    if (p[k] && p[k] != '/')
        return -1;
    *rest = p + k;
    return id;
}
