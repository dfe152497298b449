/* The figures of a virtual trial (through mn_plot_render): the distribution
 * of the compared collagen endpoint per arm, the responder curves (share of
 * people at or above each collagen change) and a forest plot of the
 * subgroups. */
#include "mnsim/cohort_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <plplot.h>

#include "mnsim/plot.h"
#include "mnsim/stats.h"

#define NBINS 40
#define NCURVE 101

static const int arm_rgb[8][3] = {{31, 119, 180},  {214, 39, 40},  {44, 160, 44},
                                  {148, 103, 189}, {255, 127, 14}, {140, 86, 75},
                                  {227, 119, 194}, {127, 127, 127}};

typedef struct {
    const mn_cohort_report *r;
    size_t k;       /* the endpoint column */
    double lo, hi;  /* its range over every arm */
    double *sorted; /* n_arms x n_people, each arm sorted */
    char label[80];
} plot_ctx;

static void arm_colour(size_t a)
{
    const int *c = arm_rgb[a % 8];
    plscol0(14, c[0], c[1], c[2]);
    plcol0(14);
}

static void legend(const plot_ctx *p)
{
    for (size_t a = 0; a < p->r->n_arms; a++) {
        arm_colour(a);
        plmtex("t", 1.0 + 1.2 * (double)(p->r->n_arms - 1 - a), 0.02, 0.0,
               p->r->arm_names[a]);
    }
    plcol0(1);
}

static void draw_hist(void *ctx)
{
    plot_ctx *p = ctx;
    size_t np = p->r->summary->n_people;
    double w = (p->hi - p->lo) / NBINS, ymax = 0;
    double y[8][NBINS + 1], x[NBINS + 1];
    for (size_t a = 0; a < p->r->n_arms && a < 8; a++) {
        memset(y[a], 0, sizeof y[a]);
        for (size_t i = 0; i < np; i++) {
            double v = p->sorted[a * np + i];
            if (isnan(v))
                continue;
            int bin = w > 0 ? (int)floor((v - p->lo) / w) : 0;
            bin = bin < 0 ? 0 : bin >= NBINS ? NBINS - 1 : bin;
            y[a][bin] += 1.0 / (double)np;
        }
        for (int b = 0; b < NBINS; b++)
            ymax = fmax(ymax, y[a][b]);
    }
    for (int b = 0; b <= NBINS; b++)
        x[b] = p->lo + w * (b + 0.5);
    plscol0(1, 0, 0, 0); /* axes and labels black */
    pladv(0);
    plvpor(0.12, 0.95, 0.12, 0.78);
    plwind(p->lo, p->hi + (w > 0 ? 0 : 1), 0, ymax > 0 ? 1.1 * ymax : 1);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab(p->label, "share of people per bin", "");
    plwidth(2.0);
    for (size_t a = 0; a < p->r->n_arms && a < 8; a++) {
        arm_colour(a);
        plline(NBINS, x, y[a]);
    }
    plwidth(1.0);
    legend(p);
}

static void draw_curves(void *ctx)
{
    plot_ctx *p = ctx;
    size_t np = p->r->summary->n_people;
    double x[NCURVE], y[NCURVE];
    plscol0(1, 0, 0, 0); /* axes and labels black */
    pladv(0);
    plvpor(0.12, 0.95, 0.12, 0.78);
    plwind(p->lo, p->hi + (p->hi > p->lo ? 0 : 1), 0, 100);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab(p->label, "% of people at or above", "");
    plwidth(2.0);
    for (size_t a = 0; a < p->r->n_arms && a < 8; a++) {
        const double *s = p->sorted + a * np;
        size_t m = np;
        while (m > 0 && isnan(s[m - 1]))
            m--;
        size_t j = 0;
        for (int q = 0; q < NCURVE; q++) {
            x[q] = p->lo + (p->hi - p->lo) * q / (NCURVE - 1);
            while (j < m && s[j] < x[q])
                j++;
            y[q] = m ? 100.0 * (double)(m - j) / (double)m : 0;
        }
        arm_colour(a);
        plline(NCURVE, x, y);
    }
    plwidth(1.0);
    legend(p);
}

/* Forest: the responder rate per subgroup and arm, with its Wilson CI. */
static void draw_forest(void *ctx)
{
    plot_ctx *p = ctx;
    const mn_cohort_summary *s = p->r->summary;
    size_t ng = s->n_subgroups, na = p->r->n_arms;
    size_t k = 3 * p->r->trial->endpoints.n_months + MN_COHORT_E_RESPONDER;
    plscol0(1, 0, 0, 0); /* axes and labels black */
    pladv(0);
    plvpor(0.28, 0.95, 0.10, 0.82);
    plwind(0, 100, -0.5, (double)ng - 0.5);
    plcol0(1);
    plbox("bcgnst", 0, 0, "bc", 0, 0);
    pllab("responders, % (95% CI, Wilson)", "", "");
    for (size_t g = 0; g < ng; g++)
        plmtex("lv", 1.0, 1.0 - ((double)g + 0.5) / (double)ng, 1.0,
               s->subgroups[g].name);
    for (size_t a = 0; a < na && a < 8; a++) {
        arm_colour(a);
        for (size_t g = 0; g < ng; g++) {
            const mn_cohort_stat *x = &s->stats[(a * ng + g) * s->n_endpoints + k];
            if (!isfinite(x->rate))
                continue;
            double yy =
                (double)(ng - 1 - g) + 0.25 - 0.5 * (double)a / (double)(na ? na : 1);
            double xl[2] = {100 * x->rate_lo, 100 * x->rate_hi}, yl[2] = {yy, yy};
            double xp[1] = {100 * x->rate}, yp[1] = {yy};
            plline(2, xl, yl);
            plpoin(1, xp, yp, 17);
        }
    }
    legend(p);
}

mn_status mn_cohort_plots(const char *dir, int force, const mn_cohort_report *r,
                          mn_error *err)
{
    const mn_cohort_summary *s = r->summary;
    size_t np = s->n_people, na = r->n_arms, ne = s->n_endpoints;
    plot_ctx p;
    memset(&p, 0, sizeof p);
    p.r = r;
    p.k = s->compared[0];
    p.sorted = malloc((np > 0 && na > 0 ? np * na : 1) * sizeof *p.sorted);
    if (!p.sorted)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    char name[64];
    snprintf(p.label, sizeof p.label, "%s (%% change from baseline)",
             mn_cohort_endpoint_name(&r->trial->endpoints, p.k, name, sizeof name));
    p.lo = INFINITY;
    p.hi = -INFINITY;
    for (size_t a = 0; a < na; a++) {
        for (size_t i = 0; i < np; i++) {
            double v = r->values[(i * na + a) * ne + p.k];
            p.sorted[a * np + i] = v;
            if (isfinite(v)) {
                p.lo = fmin(p.lo, v);
                p.hi = fmax(p.hi, v);
            }
        }
        mn_stats_sort(p.sorted + a * np, np);
    }
    if (!isfinite(p.lo))
        p.lo = 0, p.hi = 1;
    mn_plot_page page = {900, 560, 1, 1};
    char path[4200];
    mn_status st;
    snprintf(path, sizeof path, "%s/cohort-distributions.png", dir);
    st = mn_plot_render(path, force, &page, draw_hist, &p, err);
    if (!st) {
        snprintf(path, sizeof path, "%s/cohort-responders.png", dir);
        st = mn_plot_render(path, force, &page, draw_curves, &p, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/cohort-forest.png", dir);
        mn_plot_page fp = {900, 700, 1, 1};
        st = mn_plot_render(path, force, &fp, draw_forest, &p, err);
    }
    free(p.sorted);
    return st;
}
