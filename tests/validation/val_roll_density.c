/* Rolling: densities of the literature, line spacing and isotropy, and
 * bit-identical results for any thread count (issue "Rolling").
 *
 * 1. One pass of the standard roller (192 needles, 8 x 24 on a 2 cm x 2 cm
 *    drum; data/devices.yaml) leaves 192 / (pi x 2 cm x 2 cm) = 15.28
 *    punctures/cm^2: within 1% on a large area (40 cm x 40 cm, counted in
 *    the central 30 cm x 30 cm so that edges do not matter, with the
 *    hand's default jitter, averaged over 8 seeds; and over the whole area
 *    with no jitter).
 * 2. 15 passes give 15 x 15.28 = 229.2 /cm^2 within 3% (the literature
 *    quotes ~250 /cm^2, Fernandes 2005).
 * 3. Rolling in one direction without jitter leaves the channels on lines
 *    2.5 mm apart (drum width / rings): nearest neighbours along the lines,
 *    anisotropy > 0.9; adding the perpendicular direction makes them
 *    isotropic (anisotropy < 0.15).
 * 4. A full-face session with all metrics is bit-identical with 1 and 2
 *    threads. */
#include <stdint.h>
#include <stdlib.h>

#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/roll.h"
#include "mnsim/zones.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

static const double PI = 3.14159265358979323846;

static void square(double *x, double *y, double x0, double y0, double w, double h)
{
    x[0] = x0, y[0] = y0, x[1] = x0 + w, y[1] = y0;
    x[2] = x0 + w, y[2] = y0 + h, x[3] = x0, y[3] = y0 + h;
}

/* Punctures per cm^2 inside [lo, hi]^2 (m). */
static double window_density(const mn_roll_result *r, double lo, double hi)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        n += r->x_m[i] >= lo && r->x_m[i] < hi && r->y_m[i] >= lo && r->y_m[i] < hi;
    return (double)n / ((hi - lo) * (hi - lo) * 1e4);
}

static void densities(const mn_device *d)
{
    mn_error e;
    mn_error_clear(&e);
    double per_pass = 192 / (PI * 2 * 2); /* /cm^2 */
    CHECK_CLOSE(mn_device_density_per_pass(d) * 1e-4, 15.28, 1e-3);
    double x[4], y[4];
    square(x, y, 0, 0, 0.4, 0.4);
    mn_roll_region g = {"large-area", x, y, 4, NAN, NAN};
    mn_roll_params p;
    mn_roll_result r;
    for (int passes = 1; passes <= 15; passes += 14) {
        /* The hand's default jitter: one pass has ~1% of chance in where
         * its edge strokes fall; average 8 sessions (seeds). */
        double inner = 0, whole = 0;
        int seeds = passes == 1 ? 8 : 2;
        for (int s = 0; s < seeds; s++) {
            mn_roll_params_default(&p);
            p.depth_mean_m = 0.3e-3;
            p.depth_sd_m = 0.02e-3;
            p.seed = 100 + (uint64_t)s;
            mn_roll_pattern_make("vertical-then-horizontal", passes, &p.pattern, &e);
            CHECK(mn_roll_simulate(d, &g, 1, &p, NULL, &r, &e) == MN_OK);
            inner += window_density(&r, 0.05, 0.35) / seeds;
            whole += (double)r.count / (0.4 * 0.4 * 1e4) / seeds;
            mn_roll_result_free(&r);
        }
        printf("  %2d pass(es), hand jitter: %.2f /cm^2 in the central 30 cm x 30 cm, "
               "%.2f over the whole 40 cm x 40 cm (expected %.2f; mean of %d seeds)\n",
               passes, inner, whole, passes * per_pass, seeds);
        CHECK_CLOSE(inner, passes * per_pass, passes == 1 ? 0.01 : 0.03);
        CHECK_CLOSE(whole, passes * per_pass, passes == 1 ? 0.02 : 0.03);
        /* A perfect hand: strokes tile the area exactly. */
        mn_roll_params_no_jitter(&p);
        p.seed = 1;
        CHECK(mn_roll_simulate(d, &g, 1, &p, NULL, &r, &e) == MN_OK);
        whole = (double)r.count / (0.4 * 0.4 * 1e4);
        printf("  %2d pass(es), no jitter:   %.2f /cm^2 over the whole area\n", passes, whole);
        CHECK_CLOSE(whole, passes * per_pass, passes == 1 ? 0.01 : 0.03);
        mn_roll_result_free(&r);
    }
}

static void lines_and_isotropy(const mn_device *d)
{
    mn_error e;
    mn_error_clear(&e);
    double x[4], y[4];
    square(x, y, 0, 0, 0.1, 0.1);
    mn_roll_region g = {"lines", x, y, 4, NAN, NAN};
    mn_roll_params p;
    mn_roll_params_default(&p);
    mn_roll_params_no_jitter(&p);
    mn_roll_pattern_make("vertical", 15, &p.pattern, &e);
    mn_roll_result r;
    mn_roll_metrics *m = calloc(1, sizeof *m);
    CHECK(mn_roll_simulate(d, &g, 1, &p, NULL, &r, &e) == MN_OK);
    /* Every channel on a line x = 1.25 mm + k 2.5 mm. */
    double worst = 0;
    int lines[64] = {0};
    for (size_t i = 0; i < r.count; i++) {
        double k = (r.x_m[i] - 1.25e-3) / 2.5e-3;
        worst = fmax(worst, fabs(k - round(k)) * 2.5e-3);
        if (round(k) >= 0 && round(k) < 64)
            lines[(int)round(k)]++;
    }
    int used = 0;
    for (int k = 0; k < 64; k++)
        used += lines[k] > 0;
    CHECK(worst < 1e-9);
    CHECK(used == 40); /* 100 mm / 2.5 mm */
    CHECK(mn_roll_metrics_compute(&r, 0, &g, NULL, m, &e) == MN_OK);
    printf("  vertical x15, no jitter: channels on %d lines 2.5 mm apart (off by <= %.1e m); "
           "nearest neighbour %.3f mm along, %.3f mm across; anisotropy %.3f at %.1f deg\n",
           used, worst, m->nn_along_m * 1e3, m->nn_across_m * 1e3, m->nn_anisotropy,
           m->nn_axis_rad * 180 / PI);
    CHECK(m->nn_anisotropy > 0.9);
    CHECK(fabs(m->nn_axis_rad - PI / 2) < 0.05);
    CHECK(m->nn_across_m < 0.1 * m->nn_along_m);
    mn_roll_result_free(&r);

    mn_roll_pattern_make("vertical-then-horizontal", 30, &p.pattern, &e);
    CHECK(mn_roll_simulate(d, &g, 1, &p, NULL, &r, &e) == MN_OK);
    CHECK(mn_roll_metrics_compute(&r, 0, &g, NULL, m, &e) == MN_OK);
    printf("  + 15 horizontal passes: anisotropy %.3f\n", m->nn_anisotropy);
    CHECK(m->nn_anisotropy < 0.15);
    mn_roll_result_free(&r);
    free(m);
}

static void set_threads(int n)
{
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
}

static void threads(const mn_device *d, const char *data)
{
    mn_error e;
    mn_error_clear(&e);
    char path[1024];
    snprintf(path, sizeof path, "%s/zones.yaml", data);
    mn_zone_list zl;
    CHECK(mn_zones_load(path, &zl, NULL, &e) == MN_OK);
    size_t *idx = NULL, nz = 0;
    CHECK(mn_zones_select(&zl, "full-face", &idx, &nz, NULL, &e) == MN_OK);
    mn_roll_region *g = calloc(nz, sizeof *g);
    for (size_t k = 0; k < nz; k++) {
        const mn_zone *z = &zl.items[idx[k]];
        g[k] = (mn_roll_region){z->name, z->x_m, z->y_m, z->n, NAN, NAN};
    }
    mn_roll_params p;
    mn_roll_params_default(&p);
    p.depth_mean_m = 0.3e-3;
    p.depth_sd_m = 0.02e-3;
    p.seed = 20240601;
    mn_roll_pattern_make("four-direction", 15, &p.pattern, &e);
    mn_roll_result r[2];
    mn_roll_metrics *m[2];
    for (int t = 0; t < 2; t++) {
        set_threads(t + 1);
        m[t] = calloc(nz, sizeof(mn_roll_metrics));
        CHECK(mn_roll_simulate(d, g, nz, &p, NULL, &r[t], &e) == MN_OK);
        CHECK(mn_roll_metrics_all(&r[t], g, NULL, m[t], &e) == MN_OK);
    }
    size_t n = r[0].count;
    CHECK(n > 50000 && n == r[1].count);
    int same = n == r[1].count && !memcmp(r[0].x_m, r[1].x_m, n * sizeof(double)) &&
               !memcmp(r[0].y_m, r[1].y_m, n * sizeof(double)) &&
               !memcmp(r[0].depth_m, r[1].depth_m, n * sizeof(double)) &&
               !memcmp(r[0].stroke, r[1].stroke, n * sizeof(uint32_t)) &&
               !memcmp(r[0].needle, r[1].needle, n * sizeof(uint32_t)) &&
               r[0].n_strokes == r[1].n_strokes &&
               !memcmp(r[0].strokes, r[1].strokes, r[0].n_strokes * sizeof(mn_roll_stroke));
    CHECK(same);
    CHECK(!memcmp(m[0], m[1], nz * sizeof(mn_roll_metrics)));
    printf("  full-face, four-direction x15: %zu punctures, %zu strokes; 1 and 2 threads "
           "bit-identical: %s\n",
           n, r[0].n_strokes, same && !memcmp(m[0], m[1], nz * sizeof(mn_roll_metrics))
                                  ? "yes" : "NO");
    for (int t = 0; t < 2; t++) {
        mn_roll_result_free(&r[t]);
        free(m[t]);
    }
    free(g);
    free(idx);
    mn_zone_list_free(&zl);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: val_roll_density DATA_DIR\n");
        return 2;
    }
    char path[1024];
    mn_error e;
    mn_error_clear(&e);
    snprintf(path, sizeof path, "%s/devices.yaml", argv[1]);
    mn_device_list cat = {0};
    CHECK(mn_devices_load(path, &cat, NULL, &e) == MN_OK);
    mn_device d;
    CHECK(mn_device_resolve(&cat, "roller-192-0.5mm", &d, &e) == MN_OK);
    CHECK(d.rings == 8 && d.needles_per_ring == 24);
    densities(&d);
    lines_and_isotropy(&d);
    threads(&d, argv[1]);
    mn_device_clear(&d);
    mn_device_list_free(&cat);
    return mn_test_report("val_roll_density");
}
