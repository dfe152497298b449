/* Fuzz target: the web app's own decoding (src/web/form.c, web_form.h):
 * percent-escapes, the fields of an application/x-www-form-urlencoded body
 * and the run ids of paths. The input is "KEY\nBODY" (no newline: the key
 * is "csrf" and the body the whole input). Each function is checked
 * against a second, plainer implementation here (differential), and
 * decoding what an encoder here makes of a decoded text gives it back.
 * The query string, headers and cookies are libmicrohttpd's (not here).
 * The functions are pure (no files, no printing): no capture is needed. */
#include "fuzz.h"
#include "web_form.h"

#include <stdlib.h>
#include <string.h>

/* The reference decoder: a table of hex digits, one pass. */
static int hexdig(unsigned char c)
{
    static const char digits[] = "0123456789abcdef0123456789ABCDEF";
    const char *p = c ? strchr(digits, c) : NULL;
    return p ? (int)((p - digits) % 16) : -1;
}

static size_t ref_decode(const unsigned char *s, size_t n, unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && n - i >= 3 && hexdig(s[i + 1]) >= 0 &&
            hexdig(s[i + 2]) >= 0) {
            out[o++] = (unsigned char)(16 * hexdig(s[i + 1]) + hexdig(s[i + 2]));
            i += 2;
        } else
            out[o++] = s[i] == '+' ? ' ' : s[i];
    }
    return o;
}

/* What a browser sends for s[0..n): unreserved bytes as they are, blanks
 * as '+', everything else %HH (upper or lower case by position). */
static size_t encode(const unsigned char *s, size_t n, char *out)
{
    static const char up[] = "0123456789ABCDEF", low[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '*')
            out[o++] = (char)c;
        else if (c == ' ')
            out[o++] = '+';
        else {
            const char *h = i % 2 ? up : low;
            out[o++] = '%';
            out[o++] = h[c >> 4];
            out[o++] = h[c & 15];
        }
    }
    return o;
}

static void check_decode(const unsigned char *s, size_t n, unsigned char *scratch)
{
    size_t dn = (size_t)-1;
    char *d = web_url_decode((const char *)s, n, &dn);
    if (!d)
        return; /* out of memory (allocator_may_return_null) */
    if (dn > n || d[dn] != '\0')
        fuzz_fail("decode: %zu bytes from %zu, or not terminated", dn, n);
    size_t rn = ref_decode(s, n, scratch);
    if (rn != dn || memcmp(scratch, d, dn))
        fuzz_fail("decode differs from the reference (%zu against %zu bytes)", dn, rn);
    /* encoded again and decoded: the same bytes */
    char *enc = malloc(3 * dn + 1);
    if (enc) {
        size_t en = encode((const unsigned char *)d, dn, enc);
        size_t back_n = 0;
        char *back = web_url_decode(enc, en, &back_n);
        if (back && (back_n != dn || memcmp(back, d, dn)))
            fuzz_fail("decode(encode(x)) != x for %zu bytes", dn);
        free(back);
        free(enc);
    }
    free(d);
}

/* The reference lookup of key in body: status and value (into out). */
static int ref_field(const unsigned char *body, size_t n, const char *key,
                     unsigned char *out, size_t *out_n)
{
    size_t kn = strlen(key), start = 0;
    while (start < n) {
        size_t stop = start, eq = (size_t)-1;
        while (stop < n && body[stop] != '&') {
            if (body[stop] == '=' && eq == (size_t)-1)
                eq = stop;
            stop++;
        }
        size_t name_end = eq == (size_t)-1 ? stop : eq;
        size_t nn = ref_decode(body + start, name_end - start, out);
        if (nn == kn && !memcmp(out, key, kn)) {
            size_t v0 = eq == (size_t)-1 ? stop : eq + 1;
            *out_n = ref_decode(body + v0, stop - v0, out);
            return memchr(out, 0, *out_n) ? WEB_FORM_NUL : WEB_FORM_FOUND;
        }
        start = stop + 1;
    }
    return WEB_FORM_ABSENT;
}

static void check_form(const unsigned char *body, size_t n, const char *key,
                       unsigned char *scratch)
{
    char *v = (char *)"untouched";
    int st = web_form_field((const char *)body, n, key, &v);
    if (st == WEB_FORM_NOMEM)
        return;
    if ((st == WEB_FORM_FOUND) != (v != NULL))
        fuzz_fail("form field: status %d with value %p", st, (void *)v);
    size_t rn = 0;
    int want = ref_field(body, n, key, scratch, &rn);
    if (st != want)
        fuzz_fail("form field '%s': status %d, the reference %d", key, st, want);
    if (st == WEB_FORM_FOUND && (strlen(v) != rn || memcmp(v, scratch, rn)))
        fuzz_fail("form field '%s': the value differs from the reference", key);
    free(st == WEB_FORM_FOUND ? v : NULL);
    /* the whole form refused exactly when it decodes to a NUL byte */
    size_t dn = ref_decode(body, n, scratch);
    int nul = memchr(scratch, 0, dn) != NULL;
    if ((web_form_check((const char *)body, n) != 0) != nul)
        fuzz_fail("form check: %d, the body %s a NUL byte",
                  web_form_check((const char *)body, n), nul ? "holds" : "holds no");
    if (!nul && st == WEB_FORM_NUL)
        fuzz_fail("form field refused for a NUL byte the body does not hold");
}

static void check_path_id(const char *p)
{
    const char *rest = NULL;
    long id = web_path_id(p, &rest);
    size_t k = strspn(p, "0123456789");
    int want = k >= 1 && k <= 18 && p[0] != '0' && (p[k] == '\0' || p[k] == '/');
    if ((id > 0) != want || (id <= 0 && id != -1))
        fuzz_fail("path id of '%.40s': %ld", p, id);
    if (id > 0) {
        if (rest != p + k || strtol(p, NULL, 10) != id)
            fuzz_fail("path id of '%.40s': %ld, rest at %td", p, id, rest - p);
    } else if (rest)
        fuzz_fail("path id of '%.40s' refused but rest set", p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *scratch = malloc(size + 1);
    char *text = malloc(size + 1);
    if (!scratch || !text) {
        free(scratch);
        free(text);
        return 0;
    }
    const unsigned char *nl = memchr(data, '\n', size < 256 ? size : 256);
    char key[257] = "csrf";
    const unsigned char *body = data;
    size_t n = size;
    if (nl) {
        size_t kn = (size_t)(nl - data);
        memcpy(key, data, kn);
        key[kn] = '\0'; /* a NUL in it shortens the key */
        body = nl + 1;
        n = size - kn - 1;
    }
    check_decode(data, size, scratch);
    check_form(body, n, key, scratch);
    memcpy(text, data, size);
    text[size] = '\0';
    check_path_id(text);
    free(scratch);
    free(text);
    return 0;
}
