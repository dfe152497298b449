/* The text buffer and file helpers of report.html and results.json
 * (report_text.h). */
#include "report_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnsim/file.h"
#include "mnsim/report.h"

void mn_rep_grow(sbuf *b, size_t need)
{
    if (b->failed || b->len + need + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + need + 1)
        cap *= 2;
    char *nb = realloc(b->buf, cap);
    if (!nb) {
        b->failed = 1;
        return;
    }
    b->buf = nb;
    b->cap = cap;
}
void mn_rep_put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    mn_rep_grow(b, (size_t)n);
    if (b->failed)
        return;
    va_start(ap, fmt);
    vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
/* HTML-escaped text. */
void mn_rep_put_html(sbuf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '<': mn_rep_put(b, "&lt;"); break;
        case '>': mn_rep_put(b, "&gt;"); break;
        case '&': mn_rep_put(b, "&amp;"); break;
        case '"': mn_rep_put(b, "&quot;"); break;
        default: mn_rep_put(b, "%c", *p);
        }
    }
}
/* Whole or not at all (mnsim/file.h), into a fresh staging folder: an
 * existing name is an error. */
mn_status mn_rep_write_text(const char *path, const char *text, size_t len,
                            mn_error *err)
{
    return mn_file_write(path, text, len, 0, 0644, err);
}
unsigned char *mn_rep_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = len > 0 ? malloc((size_t)len) : NULL;
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = b ? (size_t)len : 0;
    return b;
}
void mn_rep_put_image(sbuf *b, const char *dir, const char *name, const char *alt)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n;
    unsigned char *data = mn_rep_slurp(path, &n);
    if (!data)
        return;
    char *enc = mn_base64(data, n);
    free(data);
    if (!enc)
        return;
    mn_rep_put(b, "<figure><img alt=\"");
    mn_rep_put_html(b, alt);
    mn_rep_put(b, "\" src=\"data:image/png;base64,%s\"><figcaption>", enc);
    mn_rep_put_html(b, alt);
    mn_rep_put(b, "</figcaption></figure>\n");
    free(enc);
}

char *mn_base64(const unsigned char *d, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                     (i + 2 < n ? d[i + 2] : 0);
        out[k++] = tab[v >> 18 & 63];
        out[k++] = tab[v >> 12 & 63];
        out[k++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[k++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[k] = '\0';
    return out;
}
