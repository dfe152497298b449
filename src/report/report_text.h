/* The text buffer and file helpers of report.html and results.json
 * (floor: report; private to src/report/report*.c). */
#ifndef MNSIM_REPORT_TEXT_H
#define MNSIM_REPORT_TEXT_H

#include <stddef.h>

#include "mnsim/error.h"

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} sbuf;

void mn_rep_grow(sbuf *b, size_t need);
void mn_rep_put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mn_rep_put_html(sbuf *b, const char *s);
mn_status mn_rep_write_text(const char *path, const char *text, size_t len,
                            mn_error *err);
unsigned char *mn_rep_slurp(const char *path, size_t *n);
void mn_rep_put_image(sbuf *b, const char *dir, const char *name, const char *alt);

#endif
