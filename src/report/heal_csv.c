/* The daily series of a healing course as CSV (see mnsim/heal_csv.h). */
#include "mnsim/heal_csv.h"

#include <stdio.h>

#include "mnsim/date.h"
#include "mnsim/file.h"

/* The model's markers after the outputs, in this order. */
static const int markers[] = {
    MN_HEAL_BARRIER,      MN_HEAL_DAMAGE,      MN_HEAL_REDNESS,
    MN_HEAL_INFLAMMATION, MN_HEAL_MACROPHAGES, MN_HEAL_TGF,
    MN_HEAL_MMP,          MN_HEAL_FIBROBLASTS, MN_HEAL_MATRIX_FIBROBLASTS,
    MN_HEAL_TROPOELASTIN};
#define N_MARKERS (sizeof markers / sizeof markers[0])

static void write_header(FILE *f, const mn_heal_series *s)
{
    fprintf(f, "day");
    if (s->first_day >= 0)
        fprintf(f, ",date");
    for (int o = 0; o < MN_HEAL_NOUT; o++)
        fprintf(f, ",%s_pct", mn_heal_out_name(o));
    if (s->band)
        for (int o = 0; o < MN_HEAL_NOUT; o++)
            fprintf(f, ",%s_p5_pct,%s_p50_pct,%s_p95_pct", mn_heal_out_name(o),
                    mn_heal_out_name(o), mn_heal_out_name(o));
    for (size_t m = 0; m < N_MARKERS; m++)
        fprintf(f, ",%s", mn_heal_state_name(markers[m]));
    fputc('\n', f);
}

static void write_day(FILE *f, const mn_heal_series *s, size_t d)
{
    fprintf(f, "%zu", d);
    if (s->first_day >= 0) {
        char date[16];
        mn_date_format((s->first_day + (int64_t)d) * 86400, 0, date, sizeof date);
        fprintf(f, ",%s", date);
    }
    for (int o = 0; o < MN_HEAL_NOUT; o++)
        fprintf(f, ",%.4f", 100 * mn_heal_out_at(s->params, s->result, o, (double)d));
    if (s->band)
        for (int o = 0; o < MN_HEAL_NOUT; o++) {
            size_t j = d * MN_HEAL_NOUT + (size_t)o;
            fprintf(f, ",%.4f,%.4f,%.4f", 100 * s->band->p5[j], 100 * s->band->p50[j],
                    100 * s->band->p95[j]);
        }
    const double *row = s->result->daily + d * MN_HEAL_NSTATES;
    for (size_t m = 0; m < N_MARKERS; m++)
        fprintf(f, ",%.6g", row[markers[m]]);
    fputc('\n', f);
}

int mn_heal_csv_write(FILE *f, const mn_heal_series *s)
{
    write_header(f, s);
    for (size_t d = 0; d < s->result->n_days; d++)
        write_day(f, s, d);
    return ferror(f) ? -1 : 0;
}

mn_status mn_heal_csv_save(const char *path, const mn_heal_series *s, int force,
                           mn_error *err)
{
    mn_file_out out;
    mn_status st = mn_file_open(&out, path, force, 0644, err);
    if (st != MN_OK)
        return st;
    if (mn_heal_csv_write(out.f, s) != 0) {
        mn_file_discard(&out);
        return mn_error_set(err, MN_EIO, "%s: cannot write", path);
    }
    return mn_file_commit(&out, err);
}
