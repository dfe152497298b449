/* Tables on the terminal: one layout for every command (see table.h). */
#include "table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_line(const cli_table *t, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < t->n; i++) {
        const cli_column *c = &t->cols[i];
        const char *text = i < n ? cells[i] : "";
        if (i)
            fputs(c->sep ? c->sep : " ", stdout);
        int last = i + 1 == t->n;
        if (c->width < 0 && last)
            fputs(text, stdout);
        else
            printf("%*s", c->width, text);
    }
    fputc('\n', stdout);
}

void cli_table_header(const cli_table *t)
{
    const char *titles[CLI_TABLE_MAX_COLUMNS];
    size_t n = t->n < CLI_TABLE_MAX_COLUMNS ? t->n : CLI_TABLE_MAX_COLUMNS;
    for (size_t i = 0; i < n; i++)
        titles[i] = t->cols[i].title;
    print_line(t, titles, n);
}

void cli_cell(cli_row *r, const char *fmt, ...)
{
    if (r->n >= CLI_TABLE_MAX_COLUMNS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->cell[r->n++], CLI_TABLE_CELL_MAX, fmt, ap);
    va_end(ap);
}

void cli_table_row(const cli_table *t, cli_row *r)
{
    const char *cells[CLI_TABLE_MAX_COLUMNS];
    for (size_t i = 0; i < r->n; i++)
        cells[i] = r->cell[i];
    print_line(t, cells, r->n);
    r->n = 0;
}

void cli_table_row_last(const cli_table *t, cli_row *r, const char *last)
{
    const char *cells[CLI_TABLE_MAX_COLUMNS];
    size_t n = t->n < CLI_TABLE_MAX_COLUMNS ? t->n : CLI_TABLE_MAX_COLUMNS;
    for (size_t i = 0; i + 1 < n; i++)
        cells[i] = i < r->n ? r->cell[i] : "";
    if (n)
        cells[n - 1] = last ? last : "";
    print_line(t, cells, n);
    r->n = 0;
}
