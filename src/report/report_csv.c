/* healing.csv and sessions.csv of a course, and the healing values the
 * report's files share (report_csv.h). */
#include "report_csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "report_text.h"

/* ---- values ------------------------------------------------------------- */

double mn_rep_heal_p50(const mn_course_result *r, size_t z, int out, double day,
                       const mn_heal_params *median)
{
    z = r->heal_of[z];
    const mn_heal_band *b = r->band ? &r->band[z] : NULL;
    if (b && b->n_days) {
        size_t d = (size_t)llround(day);
        if (d >= b->n_days)
            d = b->n_days - 1;
        return b->p50[d * MN_HEAL_NOUT + out];
    }
    return r->heal[z].n_days ? mn_heal_out_at(median, &r->heal[z], out, day) : NAN;
}

double mn_rep_band_at(const mn_heal_band *b, const double *arr, int out, double day)
{
    if (!b || !b->n_days || !arr)
        return NAN;
    size_t d = (size_t)llround(day);
    if (d >= b->n_days)
        d = b->n_days - 1;
    return arr[d * MN_HEAL_NOUT + out];
}

/* ---- CSV ------------------------------------------------------------------- */

mn_status mn_rep_course_csv(const char *dir, const mn_course *c,
                            const mn_course_result *r, mn_error *err)
{
    sbuf b = {0};
    mn_rep_put(&b, "zone,day");
    for (int o = 0; o < MN_HEAL_NOUT; o++)
        mn_rep_put(&b, ",%s_pct,%s_p5_pct,%s_p95_pct", mn_heal_out_name(o),
                   mn_heal_out_name(o), mn_heal_out_name(o));
    mn_rep_put(&b, "\n");
    for (size_t z = 0; z < r->n_zones; z++) {
        const mn_heal_result *h = &r->heal[r->heal_of[z]];
        if (!h->n_days)
            continue;
        const mn_heal_band *bd = r->band ? &r->band[r->heal_of[z]] : NULL;
        size_t n_days = bd && bd->n_days ? bd->n_days : h->n_days;
        for (size_t d = 0; d < n_days; d++) {
            mn_rep_put(&b, "%s,%zu", c->zones[z].name, d);
            for (int o = 0; o < MN_HEAL_NOUT; o++)
                mn_rep_put(&b, ",%.6g,%.6g,%.6g",
                           100 * mn_rep_heal_p50(r, z, o, (double)d,
                                                 &c->healing.population.median),
                           100 * mn_rep_band_at(bd, bd ? bd->p5 : NULL, o, (double)d),
                           100 * mn_rep_band_at(bd, bd ? bd->p95 : NULL, o, (double)d));
            mn_rep_put(&b, "\n");
        }
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/healing.csv", dir);
    mn_status st = b.failed ? mn_error_set(err, MN_ENOMEM, "out of memory")
                            : mn_rep_write_text(path, b.buf ? b.buf : "", b.len, err);
    free(b.buf);
    if (st)
        return st;
    sbuf s = {0};
    mn_rep_put(
        &s, "session,date,zone,site,device,needle_length_mm,punctures,density_per_cm2,"
            "density_cv,coverage,depth_um,layer,bleeding_fraction\n");
    for (size_t i = 0; i < r->n_sessions; i++)
        for (size_t z = 0; z < r->n_zones; z++) {
            const mn_course_cell *x = &r->cells[i * r->n_zones + z];
            if (!x->treated)
                continue;
            char d[32];
            const mn_device *dev = mn_course_device(&c->in, i, z);
            mn_rep_put(&s, "%zu,%s,%s,%s,%s,%g,%zu,%.4g,%.4g,%.4g,%.1f,%s,%.4g\n",
                       i + 1, mn_date_format(c->sessions[i].at, 0, d, sizeof d),
                       c->zones[z].name, c->zones[z].site, dev->name,
                       dev->needle_length_m * 1e3, x->roll.punctures,
                       x->roll.density_mean * 1e-4, x->roll.density_cv,
                       x->roll.coverage, x->depth.depth_m * 1e6,
                       mn_layer_name(x->depth.layer), x->depth.bleeding_fraction);
        }
    snprintf(path, sizeof path, "%s/sessions.csv", dir);
    st = s.failed ? mn_error_set(err, MN_ENOMEM, "out of memory")
                  : mn_rep_write_text(path, s.buf, s.len, err);
    free(s.buf);
    return st;
}
