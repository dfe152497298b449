/* Tables on the terminal (floor: cli): every command that prints rows of
 * results lays them out here, so columns line up the same way everywhere.
 *
 *   static const cli_column cols[] = {{"SITE", -12}, {"DEPTH_um", 8}, ...};
 *   cli_table t = {cols, 2};
 *   cli_table_header(&t);
 *   cli_row r = {0};
 *   cli_cell(&r, "%s", name);
 *   cli_cell(&r, "%.0f", depth_um);
 *   cli_table_row(&t, &r);
 *
 * A negative width aligns left, a positive one right; the last column is
 * not padded when it aligns left. Columns are separated by one space, or
 * by `sep` where a column gives one. */
#ifndef MNSIM_CLI_TABLE_H
#define MNSIM_CLI_TABLE_H

#include <stddef.h>

#define CLI_TABLE_MAX_COLUMNS 24
#define CLI_TABLE_CELL_MAX 160

typedef struct {
    const char *title;
    int width;       /* > 0: right-aligned, < 0: left-aligned, in characters */
    const char *sep; /* before this column; NULL: one space */
} cli_column;

typedef struct {
    const cli_column *cols;
    size_t n;
} cli_table;

typedef struct {
    char cell[CLI_TABLE_MAX_COLUMNS][CLI_TABLE_CELL_MAX];
    size_t n;
} cli_row;

/* Print the column titles as a header line on stdout. */
void cli_table_header(const cli_table *t);

/* Add the next cell of a row (printf format); cells past the table's
 * columns are ignored. */
void cli_cell(cli_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print a row (cells missing at the end print empty) and empty it. */
void cli_table_row(const cli_table *t, cli_row *r);

/* Print a row whose last column is `last`, of any length (free text such
 * as a label or a list, which a cell would cut at CLI_TABLE_CELL_MAX); the
 * cells of r fill the columns before it. Empties r. */
void cli_table_row_last(const cli_table *t, cli_row *r, const char *last);

#endif
