/* One stroke of a roller, stamp or pen (floor: model; docs/model.md,
 * "Rolling"): where a device's needles are in the stroke frame, the hand's
 * jitter applied to a planned stroke, and the punctures the stroke leaves,
 * with their depths (normal deviates by the ziggurat). Sessions, which plan
 * the strokes over the areas and run them, are in roll.c. Pure
 * computation: no I/O, never prints. */
#include "roll_stroke.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "roll_internal.h"

/* ---- normal deviates by the ziggurat method ------------------------------ */

/* Marsaglia & Tsang 2000 (J Stat Softw 5(8)): 128 layers of equal area
 * v under f(x) = exp(-x^2/2), x[1] = r the start of the tail, x[128] = 0;
 * x[0] = v / f(r) is the width of the base layer. One 64-bit draw gives
 * the layer (7 bits), the sign (1 bit) and a 53-bit uniform; ~99% of
 * deviates need nothing else. Exact (no approximation of the normal). */
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
void mn_roll__layout_free(layout *L)
{
    free(L->na);
    free(L->nc);
    free(L->line_c);
    memset(L, 0, sizeof *L);
}

mn_status mn_roll__layout_make(const mn_device *d, const mn_roll_params *p, layout *L,
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
        mn_roll__layout_free(L);
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
            double rad = pitch / (2 * sin(MN_PI / (double)m));
            if (!isnan(d->cartridge_diameter_m) && rad > 0.5 * d->cartridge_diameter_m)
                rad = 0.5 * d->cartridge_diameter_m;
            double cmin = 0, cmax = 0;
            for (size_t k = 0; k < m; k++) {
                double a = 2 * MN_PI * (double)k / (double)m;
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
    if (mn_roll__layout_make(d, &p, &L, NULL) != MN_OK)
        return NAN;
    double w = L.width;
    mn_roll__layout_free(&L);
    return w;
}

double mn_roll_density_per_pass(const mn_device *d, const mn_roll_params *p)
{
    layout L;
    if (!d || !p || mn_roll__layout_make(d, p, &L, NULL) != MN_OK)
        return NAN;
    double per;
    if (L.type == MN_DEVICE_ROLLER)
        per = (double)L.rings * L.npr / (2 * MN_PI * L.R * L.width);
    else
        per = (double)L.m / (L.width * L.step);
    mn_roll__layout_free(&L);
    return per / (1 - p->overlap);
}

/* ---- strokes ------------------------------------------------------------ */
int mn_roll__scratch_fit(scratch *w, size_t n)
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

void mn_roll__scratch_free(scratch *w)
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
void mn_roll__realise(const plan *pl, const layout *L, const mn_roll_params *p,
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
    out->phase = p->random_phase ? 2 * MN_PI * u_ph : p->phase_rad;
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
size_t mn_roll__generate(const plan *pl, const layout *L, const mn_roll_params *p,
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
        const double ang = 2 * MN_PI / npr; /* needle pitch around the drum */
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
            phi = fmod(phi, 2 * MN_PI);
            if (phi < 0)
                phi += 2 * MN_PI;
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
        p->random_phase ? rs->phase / (2 * MN_PI) : fmod(p->phase_rad / (2 * MN_PI), 1.0);
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
