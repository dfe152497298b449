/* Rolling, stamping and pen strokes: sessions (floor: model; docs/model.md,
 * "Rolling"): the strokes of every pass laid out over each area, run in
 * parallel blocks (counted, then filled), and single strokes added one by
 * one. The patterns and parameters are in roll_pattern.c, outlines in
 * roll_outline.c, one stroke in roll_stroke.c, the metrics of a puncture
 * map in roll_metrics.c and the passes needed for a target in
 * roll_passes.c. Pure computation: no I/O, never prints. */
#include "mnsim/roll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/rng.h"

#include "roll_internal.h"
#include "roll_stroke.h"

#define MAX_PUNCTURES ((size_t)1 << 26) /* 67 M punctures, ~2 GB: refuse beyond */
#define MAX_STROKES ((size_t)1 << 26)
#define STROKE_BLOCK 2048 /* strokes per parallel block (progress between) */

/* ---- sessions ----------------------------------------------------------- */

void mn_roll_result_free(mn_roll_result *r)
{
    if (!r)
        return;
    free(r->x_m);
    free(r->y_m);
    free(r->depth_m);
    free(r->stroke);
    free(r->needle);
    free(r->strokes);
    free(r->region_first);
    free(r->region_stroke_first);
    memset(r, 0, sizeof *r);
}

static int grow_plans(plan **pl, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 256;
    while (nc < need)
        nc *= 2;
    plan *np = realloc(*pl, nc * sizeof(plan));
    if (!np)
        return 0;
    *pl = np;
    *cap = nc;
    return 1;
}

/* Lay out the strokes of every pass over a region. */
static mn_status plan_region(const mn_roll_region *rg, uint32_t ridx, const layout *L,
                             const mn_roll_params *p, plan **pl, size_t *n_pl,
                             size_t *cap, mn_error *err)
{
    double S = L->width * (1 - p->overlap);
    double gx = 0, gy = 0;
    for (size_t i = 0; i < rg->n; i++) {
        gx += rg->x_m[i];
        gy += rg->y_m[i];
    }
    gx /= (double)rg->n;
    gy /= (double)rg->n;
    uint64_t key_a = rg->name ? mn_rng_hash(rg->name) : ridx;
    uint64_t stroke_no = 0;
    uint32_t pass = 0;
    for (int d = 0; d < p->pattern.n_dirs; d++) {
        double ang = p->pattern.angle_rad[d];
        double ca = cos(ang), sa = sin(ang);
        double amin = INFINITY, amax = -INFINITY;
        for (size_t i = 0; i < rg->n; i++) {
            double a = -rg->x_m[i] * sa + rg->y_m[i] * ca;
            amin = fmin(amin, a);
            amax = fmax(amax, a);
        }
        double s_ref = gx * ca + gy * sa;
        size_t per_pass = (size_t)ceil((amax - amin + L->width) / S) + 1;
        for (int k = 0; k < p->pattern.passes[d]; k++, pass++) {
            double o = 0;
            if (p->random_pass_offset) {
                mn_rng r;
                mn_rng_init(&r, p->seed, "roll-pass", key_a, pass);
                o = S * mn_rng_uniform(&r);
            }
            if (*n_pl + per_pass > MAX_STROKES)
                return mn_error_set(err, MN_ERANGE,
                                    "more than %zu strokes: the area is too "
                                    "large for the device",
                                    (size_t)MAX_STROKES);
            if (!grow_plans(pl, cap, *n_pl + per_pass))
                return mn_error_set(err, MN_ENOMEM, "out of memory");
            for (size_t j = 0;; j++) {
                double c = amin + 0.5 * L->width - o + (double)j * S;
                if (c - 0.5 * L->width >= amax)
                    break;
                plan *q = &(*pl)[(*n_pl)++];
                q->region = ridx;
                q->pass = pass;
                q->dir = (uint32_t)d;
                q->angle = ang;
                q->c_nom = c;
                q->s_ref = s_ref;
                q->key_a = key_a;
                q->key_b = stroke_no++;
                q->px = rg->x_m;
                q->py = rg->y_m;
                q->pn = rg->n;
                q->free_len = 0;
                q->depth_mean = rg->depth_mean_m;
                q->depth_sd = rg->depth_sd_m;
            }
        }
    }
    return MN_OK;
}

static void fill_stroke_record(mn_roll_stroke *s, const plan *pl, const realised *rs)
{
    s->x0_m = rs->qx + rs->s0 * rs->ux;
    s->y0_m = rs->qy + rs->s0 * rs->uy;
    s->ux = rs->ux;
    s->uy = rs->uy;
    s->length_m = rs->empty ? 0 : rs->s1 - rs->s0;
    s->phase_rad = rs->phase;
    s->slip = rs->slip;
    s->region = pl->region;
    s->pass = pl->pass;
    s->dir = pl->dir;
    s->dir_angle_rad = pl->angle;
}

/* Count (pass 0) or fill (pass 1) a range of strokes in parallel. */
static int run_strokes(const plan *pl, size_t from, size_t to, const layout *L,
                       const mn_roll_params *p, size_t maxv, mn_roll_result *res,
                       int fill)
{
    int fail = 0;
    long lfrom = (long)from, lto = (long)to;
    MN_PRAGMA(omp parallel if (to - from > 4))
    {
        scratch w = {0};
        int ok = mn_roll__scratch_fit(&w, maxv > 0 ? maxv : 1);
        if (!ok) {
            MN_PRAGMA(omp atomic write)
            fail = 1;
        }
        MN_PRAGMA(omp for schedule(dynamic, 4))
        for (long i = lfrom; i < lto; i++) {
            if (!ok)
                continue;
            realised rs;
            mn_rng g;
            mn_roll__realise(&pl[i], L, p, &w, &g, &rs);
            mn_roll_stroke *sr = &res->strokes[i];
            if (!fill) {
                fill_stroke_record(sr, &pl[i], &rs);
                sr->count = mn_roll__generate(&pl[i], L, p, &rs, &w, &g, NULL);
            } else {
                size_t f = sr->first;
                sink sk = {res->x_m + f,    res->y_m + f,    res->depth_m + f,
                           res->stroke + f, res->needle + f, (uint32_t)i};
                mn_roll__generate(&pl[i], L, p, &rs, &w, &g, &sk);
            }
        }
        mn_roll__scratch_free(&w);
    }
    return !fail;
}

static mn_status alloc_punctures(mn_roll_result *r, size_t n, mn_error *err)
{
    size_t m = n ? n : 1;
    r->x_m = malloc(m * sizeof(double));
    r->y_m = malloc(m * sizeof(double));
    r->depth_m = malloc(m * sizeof(double));
    r->stroke = malloc(m * sizeof(uint32_t));
    r->needle = malloc(m * sizeof(uint32_t));
    if (!r->x_m || !r->y_m || !r->depth_m || !r->stroke || !r->needle)
        return mn_error_set(err, MN_ENOMEM, "out of memory for %zu punctures", n);
    r->count = n;
    return MN_OK;
}

mn_status mn_roll_simulate(const mn_device *d, const mn_roll_region *regions,
                           size_t n_regions, const mn_roll_params *p,
                           const mn_progress *progress, mn_roll_result *out,
                           mn_error *err)
{
    memset(out, 0, sizeof *out);
    if (!d || !p || (!regions && n_regions))
        return mn_error_set(err, MN_EINVAL, "mn_roll_simulate: missing argument");
    if (n_regions == 0)
        return mn_error_set(err, MN_EINVAL, "no area to treat");
    mn_status st = mn_roll_params_validate(p, err);
    if (st != MN_OK)
        return st;
    size_t maxv = 1;
    for (size_t i = 0; i < n_regions; i++) {
        mn_error e;
        mn_error_clear(&e);
        if (mn_roll_polygon_check(regions[i].x_m, regions[i].y_m, regions[i].n, &e) !=
            MN_OK)
            return mn_error_set(err, MN_EINVAL, "%s: %s",
                                regions[i].name ? regions[i].name : "area", e.message);
        const double dm = regions[i].depth_mean_m, ds = regions[i].depth_sd_m;
        if ((!isnan(dm) && !roll_in_range(dm, 0, 0.01)) ||
            (!isnan(ds) && !roll_in_range(ds, 0, 0.01)))
            return mn_error_set(err, MN_EINVAL, "%s: depth must be 0-10 mm",
                                regions[i].name ? regions[i].name : "area");
        if (regions[i].n > maxv)
            maxv = regions[i].n;
    }
    layout L;
    if ((st = mn_roll__layout_make(d, p, &L, err)) != MN_OK)
        return st;
    plan *pl = NULL;
    size_t n_pl = 0, cap = 0;
    out->region_first = calloc(n_regions + 1, sizeof(size_t));
    out->region_stroke_first = calloc(n_regions + 1, sizeof(size_t));
    if (!out->region_first || !out->region_stroke_first) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto fail;
    }
    out->n_regions = n_regions;
    out->passes = mn_roll_pattern_total(&p->pattern);
    out->seed = p->seed;
    for (size_t i = 0; i < n_regions; i++) {
        out->region_stroke_first[i] = n_pl;
        if ((st = plan_region(&regions[i], (uint32_t)i, &L, p, &pl, &n_pl, &cap,
                              err)) != MN_OK)
            goto fail;
    }
    out->region_stroke_first[n_regions] = n_pl;
    out->strokes = calloc(n_pl ? n_pl : 1, sizeof(mn_roll_stroke));
    if (!out->strokes) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto fail;
    }
    out->n_strokes = n_pl;
    /* Count, block by block, with progress in between. */
    for (size_t b = 0; b < n_pl; b += STROKE_BLOCK) {
        size_t e = b + STROKE_BLOCK < n_pl ? b + STROKE_BLOCK : n_pl;
        if (!run_strokes(pl, b, e, &L, p, maxv, out, 0)) {
            st = mn_error_set(err, MN_ENOMEM, "out of memory");
            goto fail;
        }
        if (mn_progress_report(progress, 0.3 * (double)e / (double)n_pl, "strokes")) {
            st = mn_error_set(err, MN_ECANCEL, "cancelled");
            goto fail;
        }
    }
    size_t total = 0;
    size_t ri = 0;
    for (size_t i = 0; i < n_pl; i++) {
        while (ri < n_regions && out->region_stroke_first[ri] == i)
            out->region_first[ri++] = total;
        out->strokes[i].first = total;
        total += out->strokes[i].count;
        if (total > MAX_PUNCTURES) {
            st = mn_error_set(err, MN_ERANGE,
                              "more than %zu punctures: simulate a smaller "
                              "area or fewer passes",
                              (size_t)MAX_PUNCTURES);
            goto fail;
        }
    }
    while (ri <= n_regions)
        out->region_first[ri++] = total;
    if ((st = alloc_punctures(out, total, err)) != MN_OK)
        goto fail;
    for (size_t b = 0; b < n_pl; b += STROKE_BLOCK) {
        size_t e = b + STROKE_BLOCK < n_pl ? b + STROKE_BLOCK : n_pl;
        if (!run_strokes(pl, b, e, &L, p, maxv, out, 1)) {
            st = mn_error_set(err, MN_ENOMEM, "out of memory");
            goto fail;
        }
        if (mn_progress_report(progress, 0.3 + 0.7 * (double)e / (double)n_pl,
                               "punctures")) {
            st = mn_error_set(err, MN_ECANCEL, "cancelled");
            goto fail;
        }
    }
    free(pl);
    mn_roll__layout_free(&L);
    return MN_OK;
fail:
    free(pl);
    mn_roll__layout_free(&L);
    mn_roll_result_free(out);
    return st;
}

static int grow_result(mn_roll_result *r, size_t add)
{
    size_t n = r->count + add;
    double *x = realloc(r->x_m, (n ? n : 1) * sizeof(double));
    if (!x)
        return 0;
    r->x_m = x;
    double *y = realloc(r->y_m, (n ? n : 1) * sizeof(double));
    if (!y)
        return 0;
    r->y_m = y;
    double *z = realloc(r->depth_m, (n ? n : 1) * sizeof(double));
    if (!z)
        return 0;
    r->depth_m = z;
    uint32_t *s = realloc(r->stroke, (n ? n : 1) * sizeof(uint32_t));
    if (!s)
        return 0;
    r->stroke = s;
    uint32_t *nd = realloc(r->needle, (n ? n : 1) * sizeof(uint32_t));
    if (!nd)
        return 0;
    r->needle = nd;
    mn_roll_stroke *st =
        realloc(r->strokes, (r->n_strokes + 1) * sizeof(mn_roll_stroke));
    if (!st)
        return 0;
    r->strokes = st;
    if (!r->region_first) {
        r->region_first = calloc(2, sizeof(size_t));
        r->region_stroke_first = calloc(2, sizeof(size_t));
        if (!r->region_first || !r->region_stroke_first)
            return 0;
        r->n_regions = 1;
    }
    return 1;
}

mn_status mn_roll_stroke_run(const mn_device *d, const mn_roll_params *p, double x0_m,
                             double y0_m, double angle_rad, double length_m,
                             uint64_t stream_a, uint64_t stream_b, mn_roll_result *out,
                             mn_error *err)
{
    if (!d || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_roll_stroke_run: missing argument");
    mn_status st = mn_roll_params_validate(p, err);
    if (st != MN_OK)
        return st;
    if (!roll_in_range(x0_m, -1e3, 1e3) || !roll_in_range(y0_m, -1e3, 1e3) ||
        !roll_in_range(angle_rad, -1e3, 1e3) || !roll_in_range(length_m, 0, 100))
        return mn_error_set(err, MN_EINVAL,
                            "a stroke needs a finite start, direction and a "
                            "length of 0-100 m");
    layout L;
    if ((st = mn_roll__layout_make(d, p, &L, err)) != MN_OK)
        return st;
    plan pl;
    memset(&pl, 0, sizeof pl);
    pl.angle = angle_rad;
    double ca = cos(angle_rad), sa = sin(angle_rad);
    pl.s_ref = x0_m * ca + y0_m * sa;
    pl.c_nom = -x0_m * sa + y0_m * ca;
    pl.key_a = stream_a;
    pl.key_b = stream_b;
    pl.free_len = length_m;
    pl.depth_mean = NAN;
    pl.depth_sd = NAN;
    scratch w = {0};
    realised rs;
    mn_rng g;
    mn_roll__realise(&pl, &L, p, &w, &g, &rs);
    mn_rng g0 = g;
    size_t n = mn_roll__generate(&pl, &L, p, &rs, &w, &g, NULL);
    if (n > MAX_PUNCTURES || out->count + n > MAX_PUNCTURES ||
        out->n_strokes >= UINT32_MAX) {
        mn_roll__layout_free(&L);
        return mn_error_set(err, MN_ERANGE, "too many punctures");
    }
    if (!grow_result(out, n)) {
        mn_roll__layout_free(&L);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    size_t f = out->count;
    sink sk = {out->x_m + f,    out->y_m + f,    out->depth_m + f,
               out->stroke + f, out->needle + f, (uint32_t)out->n_strokes};
    mn_roll__generate(&pl, &L, p, &rs, &w, &g0, &sk);
    mn_roll_stroke *sr = &out->strokes[out->n_strokes];
    memset(sr, 0, sizeof *sr);
    fill_stroke_record(sr, &pl, &rs);
    sr->first = f;
    sr->count = n;
    out->n_strokes++;
    out->count += n;
    out->region_first[1] = out->count;
    out->region_stroke_first[1] = out->n_strokes;
    if (out->passes < 1)
        out->passes = 1;
    out->seed = p->seed;
    mn_roll__layout_free(&L);
    return MN_OK;
}
