/* Rolling, stamping and pen strokes: puncture maps, patterns, geometry
 * (docs/model.md, "Rolling"); the metrics of a puncture map are in
 * roll_metrics.c. Pure computation: no I/O, never prints. */
#include "mnsim/roll.h"

#include <float.h>
#include <math.h>
#include <stdio.h> /* snprintf only: the model floor does no I/O */
#include <stdlib.h>
#include <string.h>

#include "mnsim/rng.h"

#include "roll_internal.h"

#define MAX_PUNCTURES ((size_t)1 << 26) /* 67 M punctures, ~2 GB: refuse beyond */
#define MAX_STROKES ((size_t)1 << 26)
#define MAX_VERTICES 100000
#define STROKE_BLOCK 2048 /* strokes per parallel block (progress between) */

/* ---- patterns ----------------------------------------------------------- */

typedef struct {
    const char *name, *help;
    int n;
    double a[4];
} named_pattern;

static const named_pattern patterns[] = {
    {"vertical",
     "every pass vertical (along the zone chart's y axis)",
     1,
     {MN_ROLL_VERTICAL}},
    {"horizontal", "every pass horizontal", 1, {MN_ROLL_HORIZONTAL}},
    {"diagonal", "every pass diagonal (up and to the right)", 1, {MN_ROLL_DIAGONAL}},
    {"antidiagonal", "every pass along the other diagonal", 1, {MN_ROLL_ANTIDIAGONAL}},
    {"vertical-then-horizontal",
     "the seed's instructions: first vertically, then horizontally",
     2,
     {MN_ROLL_VERTICAL, MN_ROLL_HORIZONTAL}},
    {"horizontal-then-vertical",
     "first horizontally, then vertically",
     2,
     {MN_ROLL_HORIZONTAL, MN_ROLL_VERTICAL}},
    {"diagonals",
     "both diagonals, one after the other",
     2,
     {MN_ROLL_DIAGONAL, MN_ROLL_ANTIDIAGONAL}},
    {"four-direction",
     "the common clinical pattern: vertical, horizontal, then both diagonals",
     4,
     {MN_ROLL_VERTICAL, MN_ROLL_HORIZONTAL, MN_ROLL_DIAGONAL, MN_ROLL_ANTIDIAGONAL}},
};
#define N_PATTERNS (sizeof patterns / sizeof patterns[0])

size_t mn_roll_pattern_count(void)
{
    return N_PATTERNS;
}

const char *mn_roll_pattern_name(size_t i)
{
    return i < N_PATTERNS ? patterns[i].name : NULL;
}

const char *mn_roll_pattern_help(size_t i)
{
    return i < N_PATTERNS ? patterns[i].help : NULL;
}

int mn_roll_pattern_total(const mn_roll_pattern *p)
{
    int t = 0;
    for (int i = 0; p && i < p->n_dirs && i < MN_ROLL_MAX_DIRS; i++)
        t += p->passes[i] > 0 ? p->passes[i] : 0;
    return t;
}

mn_status mn_roll_pattern_rescale(const mn_roll_pattern *shape, int total_passes,
                                  mn_roll_pattern *out, mn_error *err)
{
    if (!shape || shape->n_dirs < 1 || shape->n_dirs > MN_ROLL_MAX_DIRS)
        return mn_error_set(err, MN_EINVAL, "a pattern needs 1 to %d directions",
                            MN_ROLL_MAX_DIRS);
    if (total_passes < 1 || total_passes > MN_ROLL_MAX_PASSES)
        return mn_error_set(err, MN_EINVAL, "passes must be 1 to %d, not %d",
                            MN_ROLL_MAX_PASSES, total_passes);
    mn_roll_pattern p = *shape;
    int base = total_passes / p.n_dirs, rem = total_passes % p.n_dirs;
    for (int i = 0; i < p.n_dirs; i++)
        p.passes[i] = base + (i < rem);
    *out = p;
    return MN_OK;
}

mn_status mn_roll_pattern_make(const char *name, int total_passes, mn_roll_pattern *out,
                               mn_error *err)
{
    for (size_t i = 0; name && i < N_PATTERNS; i++)
        if (!strcmp(patterns[i].name, name)) {
            mn_roll_pattern shape;
            memset(&shape, 0, sizeof shape);
            shape.n_dirs = patterns[i].n;
            for (int k = 0; k < shape.n_dirs; k++)
                shape.angle_rad[k] = patterns[i].a[k];
            return mn_roll_pattern_rescale(&shape, total_passes, out, err);
        }
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < N_PATTERNS; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 i ? ", " : "", patterns[i].name);
    return mn_error_set(err, MN_ENOTFOUND, "no pattern named '%s'; patterns: %s",
                        name ? name : "", names);
}

const char *mn_roll_direction_name(double a)
{
    double m = fmod(a, PI);
    if (m < 0)
        m += PI;
    static const struct {
        double a;
        const char *n;
    } d[] = {{MN_ROLL_HORIZONTAL, "horizontal"},
             {MN_ROLL_VERTICAL, "vertical"},
             {MN_ROLL_DIAGONAL, "diagonal"},
             {MN_ROLL_ANTIDIAGONAL, "antidiagonal"},
             {PI, "horizontal"}};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (fabs(m - d[i].a) < 1e-9)
            return d[i].n;
    return "other";
}

/* ---- parameters --------------------------------------------------------- */

void mn_roll_params_default(mn_roll_params *p)
{
    memset(p, 0, sizeof *p);
    p->pattern.n_dirs = 1;
    p->pattern.angle_rad[0] = MN_ROLL_VERTICAL;
    p->pattern.passes[0] = 1;
    p->overlap = 0;
    p->lateral_jitter_m = 2e-3;
    p->along_jitter_m = 2e-3;
    p->angle_jitter_rad = 2 * PI / 180;
    p->random_pass_offset = 1;
    p->random_phase = 1;
    p->phase_rad = 0;
    p->slip = 0;
    p->slip_sd = 0;
    p->ring_stagger = 0;
    p->stamp_jitter_m = 0.5e-3;
    p->hand_speed_m_s = 0.02;
    p->depth_mean_m = 0;
    p->depth_sd_m = 0;
    p->seed = 1;
}

void mn_roll_params_no_jitter(mn_roll_params *p)
{
    p->lateral_jitter_m = 0;
    p->along_jitter_m = 0;
    p->angle_jitter_rad = 0;
    p->random_pass_offset = 0;
    p->slip = 0;
    p->slip_sd = 0;
    p->stamp_jitter_m = 0;
}

mn_status mn_roll_params_validate(const mn_roll_params *p, mn_error *err)
{
    if (!p)
        return mn_error_set(err, MN_EINVAL, "no rolling parameters");
    const mn_roll_pattern *pt = &p->pattern;
    if (pt->n_dirs < 1 || pt->n_dirs > MN_ROLL_MAX_DIRS)
        return mn_error_set(err, MN_EINVAL, "pattern: 1 to %d directions",
                            MN_ROLL_MAX_DIRS);
    for (int i = 0; i < pt->n_dirs; i++) {
        if (!isfinite(pt->angle_rad[i]))
            return mn_error_set(err, MN_EINVAL, "pattern: direction %d is not finite",
                                i);
        if (pt->passes[i] < 0)
            return mn_error_set(err, MN_EINVAL, "pattern: negative passes");
    }
    int total = mn_roll_pattern_total(pt);
    if (total < 1 || total > MN_ROLL_MAX_PASSES)
        return mn_error_set(err, MN_EINVAL, "passes must be 1 to %d in all, not %d",
                            MN_ROLL_MAX_PASSES, total);
    struct {
        const char *name;
        double v, lo, hi;
        const char *range;
    } r[] = {
        {"overlap", p->overlap, 0, 0.9, "0-0.9"},
        {"lateral jitter", p->lateral_jitter_m, 0, 0.05, "0-50 mm"},
        {"along jitter", p->along_jitter_m, 0, 0.05, "0-50 mm"},
        {"angle jitter", p->angle_jitter_rad, 0, PI / 4, "0-45 deg"},
        {"phase", p->phase_rad, -1e3, 1e3, "a finite angle"},
        {"slip", p->slip, -0.5, 0.5, "-0.5 to 0.5"},
        {"slip SD", p->slip_sd, 0, 0.2, "0-0.2"},
        {"ring stagger", p->ring_stagger, 0, 1, "0-1"},
        {"stamp jitter", p->stamp_jitter_m, 0, 0.01, "0-10 mm"},
        {"hand speed", p->hand_speed_m_s, 1e-4, 1, "0.1 mm/s to 1 m/s"},
        {"depth", p->depth_mean_m, 0, 0.01, "0-10 mm"},
        {"depth SD", p->depth_sd_m, 0, 0.01, "0-10 mm"},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (!roll_in_range(r[i].v, r[i].lo, r[i].hi))
            return mn_error_set(err, MN_EINVAL, "%s must be %s", r[i].name, r[i].range);
    return MN_OK;
}

/* ---- geometry ----------------------------------------------------------- */

double mn_roll_polygon_area(const double *x, const double *y, size_t n)
{
    if (n < 3)
        return 0;
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        a += (x[j] - x[0]) * (y[i] - y[0]) - (x[i] - x[0]) * (y[j] - y[0]);
    return 0.5 * a;
}

int mn_roll_point_in_polygon(const double *x, const double *y, size_t n, double px,
                             double py)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        if ((y[i] > py) != (y[j] > py)) {
            double xc = x[j] + (py - y[j]) / (y[i] - y[j]) * (x[i] - x[j]);
            if (px < xc)
                in = !in;
        }
    return in;
}

static double cross3(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static int segments_cross(double ax, double ay, double bx, double by, double cx,
                          double cy, double dx, double dy)
{
    double d1 = cross3(ax, ay, bx, by, cx, cy), d2 = cross3(ax, ay, bx, by, dx, dy);
    double d3 = cross3(cx, cy, dx, dy, ax, ay), d4 = cross3(cx, cy, dx, dy, bx, by);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
        ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return 1;
    /* Touching or collinear overlap counts as crossing. */
    if (d1 == 0 && fmin(ax, bx) <= cx && cx <= fmax(ax, bx) && fmin(ay, by) <= cy &&
        cy <= fmax(ay, by))
        return 1;
    if (d2 == 0 && fmin(ax, bx) <= dx && dx <= fmax(ax, bx) && fmin(ay, by) <= dy &&
        dy <= fmax(ay, by))
        return 1;
    if (d3 == 0 && fmin(cx, dx) <= ax && ax <= fmax(cx, dx) && fmin(cy, dy) <= ay &&
        ay <= fmax(cy, dy))
        return 1;
    if (d4 == 0 && fmin(cx, dx) <= bx && bx <= fmax(cx, dx) && fmin(cy, dy) <= by &&
        by <= fmax(cy, dy))
        return 1;
    return 0;
}

mn_status mn_roll_polygon_check(const double *x, const double *y, size_t n,
                                mn_error *err)
{
    if (n < 3)
        return mn_error_set(err, MN_EINVAL,
                            "an outline needs at least 3 points, found %zu", n);
    if (n > MAX_VERTICES)
        return mn_error_set(err, MN_EINVAL, "an outline may have at most %d points",
                            MAX_VERTICES);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return mn_error_set(err, MN_EINVAL, "point %zu is not finite", i + 1);
    for (size_t i = 0; i < n; i++) {
        size_t i2 = (i + 1) % n;
        if (x[i] == x[i2] && y[i] == y[i2])
            return mn_error_set(err, MN_EINVAL, "points %zu and %zu are the same",
                                i + 1, i2 + 1);
    }
    /* Non-adjacent edges must not touch (O(n^2): outlines are small). */
    for (size_t i = 0; i < n; i++) {
        size_t i2 = (i + 1) % n;
        for (size_t j = i + 2; j < n; j++) {
            size_t j2 = (j + 1) % n;
            if (j2 == i)
                continue;
            if (segments_cross(x[i], y[i], x[i2], y[i2], x[j], y[j], x[j2], y[j2]))
                return mn_error_set(err, MN_EINVAL,
                                    "the outline crosses itself (edge %zu-%zu "
                                    "meets edge %zu-%zu)",
                                    i + 1, i2 + 1, j + 1, j2 + 1);
        }
    }
    if (!(fabs(mn_roll_polygon_area(x, y, n)) > 0))
        return mn_error_set(err, MN_EINVAL, "the outline encloses no area");
    return MN_OK;
}

/* ---- normal deviates by the ziggurat method ------------------------------ */

/* Marsaglia & Tsang 2000 (J Stat Softw 5(8)): 128 layers of equal area
 * v under f(x) = exp(-x^2/2), x[1] = r the start of the tail, x[128] = 0;
 * x[0] = v / f(r) is the width of the base layer. One 64-bit draw gives
 * the layer (7 bits), the sign (1 bit) and a 53-bit uniform; ~99% of
 * deviates need nothing else. Exact (no approximation of the normal). */
#define ZIG_N 128
static const double ZIG_R = 3.442619855899;
static const double ZIG_V = 9.91256303526217e-3;

static void zig_init(double *x, double *f)
{
    x[1] = ZIG_R;
    f[1] = exp(-0.5 * ZIG_R * ZIG_R);
    x[0] = ZIG_V / f[1];
    f[0] = 0; /* unused */
    for (int i = 1; i < ZIG_N - 1; i++) {
        x[i + 1] = sqrt(-2 * log(ZIG_V / x[i] + f[i]));
        f[i + 1] = exp(-0.5 * x[i + 1] * x[i + 1]);
    }
    x[ZIG_N] = 0;
    f[ZIG_N] = 1;
}

static inline double zig_normal(mn_rng *r, const double *x, const double *f)
{
    for (;;) {
        uint64_t b = mn_rng_u64(r);
        unsigned i = (unsigned)(b & (ZIG_N - 1));
        double sgn = (b & ZIG_N) ? -1.0 : 1.0;
        double u = (double)(b >> 11) * 0x1.0p-53;
        double v = u * x[i];
        if (v < x[i + 1])
            return sgn * v;
        if (i == 0) { /* the tail beyond r */
            double a, c;
            do {
                a = -log(mn_rng_uniform(r)) / ZIG_R;
                c = -log(mn_rng_uniform(r));
            } while (c + c < a * a);
            return sgn * (ZIG_R + a);
        }
        double y = f[i] + mn_rng_uniform(r) * (f[i + 1] - f[i]);
        if (y < exp(-0.5 * v * v))
            return sgn * v;
    }
}

/* ---- device layout -------------------------------------------------------- */

/* Where a device's needles are, in the stroke frame (s along, c across). */
typedef struct {
    int type;
    double width; /* band one stroke covers */
    /* roller */
    int rings, npr;
    double R, tilt_phase, stagger;
    /* stamp, pen: needles relative to the stamp centre */
    size_t m;
    double *na, *nc;
    double step; /* spacing of stamps along the stroke */
    /* distinct across offsets of the needles ("lines") */
    size_t n_lines;
    double *line_c;
    /* ziggurat tables for the depth deviates */
    double zx[ZIG_N + 1], zf[ZIG_N + 1];
} layout;

static void layout_free(layout *L)
{
    free(L->na);
    free(L->nc);
    free(L->line_c);
    memset(L, 0, sizeof *L);
}

static mn_status layout_make(const mn_device *d, const mn_roll_params *p, layout *L,
                             mn_error *err)
{
    memset(L, 0, sizeof *L);
    zig_init(L->zx, L->zf);
    mn_status st = mn_device_validate(d, err);
    if (st != MN_OK)
        return st;
    L->type = d->type;
    if (d->type == MN_DEVICE_ROLLER) {
        if (d->rings > 1000 || d->needles_per_ring > 1000)
            return mn_error_set(err, MN_EINVAL,
                                "a roller may have at most 1000 "
                                "rings of 1000 needles");
        L->rings = (int)d->rings;
        L->npr = (int)d->needles_per_ring;
        L->R = 0.5 * d->drum_diameter_m;
        L->width = d->drum_width_m;
        double tilt = isnan(d->tilt_rad) ? 0 : d->tilt_rad;
        double len = d->needle_length_m;
        /* A needle tilted by tau reaches its lowest point when its base is
         * delta = atan2(L sin tau, R + L cos tau) before the bottom. */
        L->tilt_phase = atan2(len * sin(tilt), L->R + len * cos(tilt));
        L->stagger = p->ring_stagger;
        L->n_lines = (size_t)L->rings;
        L->line_c = malloc(L->n_lines * sizeof(double));
        if (!L->line_c)
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        for (int i = 0; i < L->rings; i++)
            L->line_c[i] = (i + 0.5) * L->width / L->rings - 0.5 * L->width;
        return MN_OK;
    }
    size_t m;
    double pitch = d->pitch_m;
    if (d->type == MN_DEVICE_STAMP)
        m = (size_t)(d->rows * d->columns);
    else
        m = (size_t)d->needle_count;
    if (m < 1 || m > 100000)
        return mn_error_set(err, MN_EINVAL,
                            "device '%s': %zu needles is not "
                            "supported (1 to 100000)",
                            d->name ? d->name : "", m);
    L->m = m;
    L->na = malloc(m * sizeof(double));
    L->nc = malloc(m * sizeof(double));
    L->line_c = malloc(m * sizeof(double));
    if (!L->na || !L->nc || !L->line_c) {
        layout_free(L);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    if (d->type == MN_DEVICE_STAMP) {
        long rows = d->rows, cols = d->columns;
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++) {
                size_t k = (size_t)(r * cols + c);
                L->nc[k] = (r - 0.5 * (rows - 1)) * pitch;
                L->na[k] = (c - 0.5 * (cols - 1)) * pitch;
            }
        L->width = rows * pitch;
        L->step = cols * pitch;
    } else {
        double fr = d->stroke_frequency_hz, v = p->hand_speed_m_s;
        L->step = v / fr;
        if (d->layout == MN_LAYOUT_CIRCLE && m > 1) {
            double rad = pitch / (2 * sin(PI / (double)m));
            if (!isnan(d->cartridge_diameter_m) && rad > 0.5 * d->cartridge_diameter_m)
                rad = 0.5 * d->cartridge_diameter_m;
            double cmin = 0, cmax = 0;
            for (size_t k = 0; k < m; k++) {
                double a = 2 * PI * (double)k / (double)m;
                L->na[k] = rad * cos(a);
                L->nc[k] = rad * sin(a);
                cmin = fmin(cmin, L->nc[k]);
                cmax = fmax(cmax, L->nc[k]);
            }
            L->width = cmax - cmin + pitch;
        } else {
            size_t cols = (size_t)ceil(sqrt((double)m));
            size_t rows = (m + cols - 1) / cols;
            for (size_t k = 0; k < m; k++) {
                size_t r = k / cols, c = k % cols;
                L->nc[k] = ((double)r - 0.5 * (double)(rows - 1)) * pitch;
                L->na[k] = ((double)c - 0.5 * (double)(cols - 1)) * pitch;
            }
            L->width = (double)rows * pitch;
        }
    }
    /* Distinct across offsets. */
    memcpy(L->line_c, L->nc, m * sizeof(double));
    qsort(L->line_c, m, sizeof(double), roll_cmp_double);
    size_t u = 0;
    for (size_t k = 0; k < m; k++)
        if (u == 0 || L->line_c[k] - L->line_c[u - 1] > 1e-12)
            L->line_c[u++] = L->line_c[k];
    L->n_lines = u;
    return MN_OK;
}

double mn_roll_stroke_width(const mn_device *d)
{
    mn_roll_params p;
    mn_roll_params_default(&p);
    layout L;
    if (layout_make(d, &p, &L, NULL) != MN_OK)
        return NAN;
    double w = L.width;
    layout_free(&L);
    return w;
}

double mn_roll_density_per_pass(const mn_device *d, const mn_roll_params *p)
{
    layout L;
    if (!d || !p || layout_make(d, p, &L, NULL) != MN_OK)
        return NAN;
    double per;
    if (L.type == MN_DEVICE_ROLLER)
        per = (double)L.rings * L.npr / (2 * PI * L.R * L.width);
    else
        per = (double)L.m / (L.width * L.step);
    layout_free(&L);
    return per / (1 - p->overlap);
}

/* ---- strokes ------------------------------------------------------------ */

/* A planned stroke: where its centre line lies before the hand's jitter. */
typedef struct {
    uint32_t region, pass, dir;
    double angle; /* nominal direction */
    double c_nom; /* across coordinate of the centre line (nominal frame) */
    double s_ref; /* along coordinate of the frame origin (nominal frame) */
    uint64_t key_a, key_b;
    const double *px, *py; /* outline, or NULL for a free stroke */
    size_t pn;
    double free_len; /* free stroke: nominal length */
    double depth_mean, depth_sd;
} plan;

/* A stroke as done. */
typedef struct {
    double qx, qy, ux, uy, vx, vy; /* frame: origin, along, across */
    double s0, s1;                 /* travel along u */
    double phase, slip;
    int empty;
} realised;

/* Per-thread scratch: the outline in the stroke frame, crossings. */
typedef struct {
    double *s, *c, *xs;
    size_t cap;
} scratch;

static int scratch_fit(scratch *w, size_t n)
{
    if (w->cap >= n)
        return 1;
    double *s = realloc(w->s, n * sizeof(double));
    if (!s)
        return 0;
    w->s = s;
    double *c = realloc(w->c, n * sizeof(double));
    if (!c)
        return 0;
    w->c = c;
    double *xs = realloc(w->xs, (n + 2) * sizeof(double));
    if (!xs)
        return 0;
    w->xs = xs;
    w->cap = n;
    return 1;
}

static void scratch_free(scratch *w)
{
    free(w->s);
    free(w->c);
    free(w->xs);
    memset(w, 0, sizeof *w);
}

/* Sorted along-coordinates where the line c = c0 crosses the outline (in
 * frame coordinates); an even count, pairs are inside intervals. */
static size_t chords(const double *s, const double *c, size_t n, double c0, double *xs)
{
    size_t k = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        if ((c[i] > c0) != (c[j] > c0))
            xs[k++] = s[j] + (c0 - c[j]) / (c[i] - c[j]) * (s[i] - s[j]);
    for (size_t i = 1; i < k; i++) { /* insertion sort: k is tiny */
        double v = xs[i];
        size_t j = i;
        while (j > 0 && xs[j - 1] > v) {
            xs[j] = xs[j - 1];
            j--;
        }
        xs[j] = v;
    }
    return k;
}

static int inside_frame(const double *s, const double *c, size_t n, double ps,
                        double pc)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        if ((c[i] > pc) != (c[j] > pc)) {
            double sc = s[j] + (pc - c[j]) / (c[i] - c[j]) * (s[i] - s[j]);
            if (ps < sc)
                in = !in;
        }
    return in;
}

/* Apply the hand's jitter to a planned stroke and find its travel. The
 * geometry stream's first six draws are always the same ones (lateral,
 * angle, start, end, phase, slip), whatever parameters are zero. */
static void realise(const plan *pl, const layout *L, const mn_roll_params *p,
                    scratch *w, mn_rng *g, realised *out)
{
    mn_rng_init(g, p->seed, "roll", pl->key_a, pl->key_b);
    double z_lat = mn_rng_normal(g), z_ang = mn_rng_normal(g);
    double z_s0 = mn_rng_normal(g), z_s1 = mn_rng_normal(g);
    double u_ph = mn_rng_uniform(g), z_slip = mn_rng_normal(g);
    double ca = cos(pl->angle), sa = sin(pl->angle);
    double cn = pl->c_nom + p->lateral_jitter_m * z_lat;
    double qx = pl->s_ref * ca - cn * sa, qy = pl->s_ref * sa + cn * ca;
    double th = pl->angle + p->angle_jitter_rad * z_ang;
    out->qx = qx;
    out->qy = qy;
    out->ux = cos(th);
    out->uy = sin(th);
    out->vx = -out->uy;
    out->vy = out->ux;
    out->phase = p->random_phase ? 2 * PI * u_ph : p->phase_rad;
    double sl = p->slip + p->slip_sd * z_slip;
    out->slip = sl < -0.5 ? -0.5 : sl > 0.5 ? 0.5 : sl;
    out->empty = 0;
    double smin, smax;
    if (!pl->px) {
        smin = 0;
        smax = pl->free_len;
    } else {
        for (size_t i = 0; i < pl->pn; i++) {
            double dx = pl->px[i] - qx, dy = pl->py[i] - qy;
            w->s[i] = dx * out->ux + dy * out->uy;
            w->c[i] = dx * out->vx + dy * out->vy;
        }
        smin = INFINITY;
        smax = -INFINITY;
        for (size_t l = 0; l < L->n_lines; l++) {
            size_t k = chords(w->s, w->c, pl->pn, L->line_c[l], w->xs);
            if (k >= 2) {
                smin = fmin(smin, w->xs[0]);
                smax = fmax(smax, w->xs[k - 1]);
            }
        }
        if (!(smin < smax)) {
            out->empty = 1;
            smin = smax = 0;
        }
    }
    out->s0 = smin + p->along_jitter_m * z_s0;
    out->s1 = smax + p->along_jitter_m * z_s1;
    if (!(out->s1 > out->s0))
        out->empty = 1;
}

/* Output slots for the punctures of one stroke (NULL x: count only). */
typedef struct {
    double *x, *y, *depth;
    uint32_t *stroke, *needle;
    uint32_t stroke_id;
} sink;

static inline double draw_depth(mn_rng *dr, const layout *L, double mean, double sd)
{
    if (!(sd > 0))
        return mean;
    for (int t = 0; t < 100; t++) {
        double v = mean + sd * zig_normal(dr, L->zx, L->zf);
        if (v >= 0)
            return v;
    }
    return 0;
}

/* Generate (or count) the punctures of a realised stroke. The geometry
 * stream g continues after realise's draws (stamps' jitter). */
static size_t generate(const plan *pl, const layout *L, const mn_roll_params *p,
                       const realised *rs, scratch *w, mn_rng *g, const sink *out)
{
    if (rs->empty)
        return 0;
    mn_rng dr;
    double dmean = isnan(pl->depth_mean) ? p->depth_mean_m : pl->depth_mean;
    double dsd = isnan(pl->depth_sd) ? p->depth_sd_m : pl->depth_sd;
    if (out && out->x)
        mn_rng_init(&dr, p->seed, "roll-depth", pl->key_a, pl->key_b);
    size_t k = 0;
    const double s0 = rs->s0, s1 = rs->s1;
    if (L->type == MN_DEVICE_ROLLER) {
        const int npr = L->npr;
        const double reff = L->R * (1 + rs->slip);
        const double ang = 2 * PI / npr; /* needle pitch around the drum */
        const double dstep = reff * ang;
        for (int ring = 0; ring < L->rings; ring++) {
            double c0 = L->line_c[ring];
            double lo_hi[2] = {s0, s1};
            const double *iv = lo_hi;
            size_t nk = 2;
            if (pl->px) {
                nk = chords(w->s, w->c, pl->pn, c0, w->xs);
                iv = w->xs;
            }
            double phi = rs->phase + L->tilt_phase + L->stagger * ang * ring;
            phi = fmod(phi, 2 * PI);
            if (phi < 0)
                phi += 2 * PI;
            double qd = floor(phi / ang);
            double r = phi - qd * ang;
            long q = (long)qd % npr;
            int jmin = (int)((npr - q) % npr);
            double s_start = s0 + reff * r;
            double bx = rs->qx + c0 * rs->vx, by = rs->qy + c0 * rs->vy;
            for (size_t t = 0; t + 1 < nk; t += 2) {
                double lo = fmax(iv[t], s0), hi = fmin(iv[t + 1], s1);
                if (!(lo < hi))
                    continue;
                double flo = ceil((lo - s_start) / dstep);
                double fhi = ceil((hi - s_start) / dstep);
                if (flo < 0)
                    flo = 0;
                if (!(fhi > flo))
                    continue;
                long nlo = (long)flo, nhi = (long)fhi;
                if (!out || !out->x) {
                    k += (size_t)(nhi - nlo);
                    continue;
                }
                uint32_t base = (uint32_t)ring * (uint32_t)npr;
                int j = (int)((jmin + nlo) % npr);
                for (long n = nlo; n < nhi; n++) {
                    double s = s_start + (double)n * dstep;
                    out->x[k] = bx + s * rs->ux;
                    out->y[k] = by + s * rs->uy;
                    out->depth[k] = draw_depth(&dr, L, dmean, dsd);
                    out->stroke[k] = out->stroke_id;
                    out->needle[k] = base + (uint32_t)j;
                    k++;
                    if (++j == npr)
                        j = 0;
                }
            }
        }
        return k;
    }
    /* Stamps and pens: stamps every `step` along the stroke. */
    double frac =
        p->random_phase ? rs->phase / (2 * PI) : fmod(p->phase_rad / (2 * PI), 1.0);
    if (frac < 0)
        frac += 1;
    const double step = L->step;
    double t0 = s0 - frac * step + 0.5 * step;
    for (long n = 0;; n++) {
        double t = t0 + (double)n * step;
        if (t - 0.5 * step >= s1)
            break;
        double da = p->stamp_jitter_m * mn_rng_normal(g);
        double dc = p->stamp_jitter_m * mn_rng_normal(g);
        for (size_t m = 0; m < L->m; m++) {
            double s = t + da + L->na[m], c = L->nc[m] + dc;
            if (pl->px && !inside_frame(w->s, w->c, pl->pn, s, c))
                continue;
            if (out && out->x) {
                out->x[k] = rs->qx + s * rs->ux + c * rs->vx;
                out->y[k] = rs->qy + s * rs->uy + c * rs->vy;
                out->depth[k] = draw_depth(&dr, L, dmean, dsd);
                out->stroke[k] = out->stroke_id;
                out->needle[k] = (uint32_t)m;
            }
            k++;
        }
    }
    return k;
}

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
        int ok = scratch_fit(&w, maxv > 0 ? maxv : 1);
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
            realise(&pl[i], L, p, &w, &g, &rs);
            mn_roll_stroke *sr = &res->strokes[i];
            if (!fill) {
                fill_stroke_record(sr, &pl[i], &rs);
                sr->count = generate(&pl[i], L, p, &rs, &w, &g, NULL);
            } else {
                size_t f = sr->first;
                sink sk = {res->x_m + f,    res->y_m + f,    res->depth_m + f,
                           res->stroke + f, res->needle + f, (uint32_t)i};
                generate(&pl[i], L, p, &rs, &w, &g, &sk);
            }
        }
        scratch_free(&w);
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
    if ((st = layout_make(d, p, &L, err)) != MN_OK)
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
    layout_free(&L);
    return MN_OK;
fail:
    free(pl);
    layout_free(&L);
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
    if ((st = layout_make(d, p, &L, err)) != MN_OK)
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
    realise(&pl, &L, p, &w, &g, &rs);
    mn_rng g0 = g;
    size_t n = generate(&pl, &L, p, &rs, &w, &g, NULL);
    if (n > MAX_PUNCTURES || out->count + n > MAX_PUNCTURES ||
        out->n_strokes >= UINT32_MAX) {
        layout_free(&L);
        return mn_error_set(err, MN_ERANGE, "too many punctures");
    }
    if (!grow_result(out, n)) {
        layout_free(&L);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    size_t f = out->count;
    sink sk = {out->x_m + f,    out->y_m + f,    out->depth_m + f,
               out->stroke + f, out->needle + f, (uint32_t)out->n_strokes};
    generate(&pl, &L, p, &rs, &w, &g0, &sk);
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
    layout_free(&L);
    return MN_OK;
}
