/* Rolling model: patterns, outlines, strokes, sessions, metrics. */
#include <stdint.h>
#include <stdlib.h>

#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/roll.h"

static const double PI = 3.14159265358979323846;

static mn_device roller(void)
{
    mn_device d;
    mn_device_init(&d);
    d.name = "test-roller";
    d.type = MN_DEVICE_ROLLER;
    d.needle_length_m = 0.5e-3;
    d.needle_base_diameter_m = 0.14e-3;
    d.tip_radius_m = 4e-6;
    d.drum_diameter_m = 20e-3;
    d.drum_width_m = 20e-3;
    d.rings = 8;
    d.needles_per_ring = 24;
    d.tilt_rad = 15 * PI / 180;
    return d;
}

static void square(double *x, double *y, double x0, double y0, double w, double h)
{
    x[0] = x0, y[0] = y0, x[1] = x0 + w, y[1] = y0;
    x[2] = x0 + w, y[2] = y0 + h, x[3] = x0, y[3] = y0 + h;
}

static void test_patterns(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_roll_pattern p;
    CHECK(mn_roll_pattern_make("vertical-then-horizontal", 15, &p, &e) == MN_OK);
    CHECK(p.n_dirs == 2 && p.passes[0] == 8 && p.passes[1] == 7);
    CHECK(fabs(p.angle_rad[0] - PI / 2) < 1e-12 && p.angle_rad[1] == 0);
    CHECK(mn_roll_pattern_total(&p) == 15);
    CHECK(mn_roll_pattern_make("four-direction", 16, &p, &e) == MN_OK);
    CHECK(p.n_dirs == 4 && p.passes[3] == 4);
    CHECK(!strcmp(mn_roll_direction_name(p.angle_rad[2]), "diagonal"));
    CHECK(!strcmp(mn_roll_direction_name(p.angle_rad[3]), "antidiagonal"));
    CHECK(!strcmp(mn_roll_direction_name(p.angle_rad[0]), "vertical"));
    CHECK(mn_roll_pattern_make("spiral", 4, &p, &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "four-direction");
    CHECK(mn_roll_pattern_make("vertical", 0, &p, &e) == MN_EINVAL);
    CHECK(mn_roll_pattern_make("vertical", MN_ROLL_MAX_PASSES + 1, &p, &e) == MN_EINVAL);
    mn_roll_pattern q;
    CHECK(mn_roll_pattern_make("diagonals", 1, &p, &e) == MN_OK);
    CHECK(p.passes[0] == 1 && p.passes[1] == 0 && mn_roll_pattern_total(&p) == 1);
    CHECK(mn_roll_pattern_rescale(&p, 9, &q, &e) == MN_OK);
    CHECK(q.passes[0] == 5 && q.passes[1] == 4);
    size_t n = mn_roll_pattern_count();
    CHECK(n >= 7);
    for (size_t i = 0; i < n; i++)
        CHECK(mn_roll_pattern_name(i) && mn_roll_pattern_help(i));
    CHECK(mn_roll_pattern_name(n) == NULL);
}

static void test_geometry(void)
{
    mn_error e;
    mn_error_clear(&e);
    double x[4], y[4];
    square(x, y, 0, 0, 2, 3);
    CHECK_CLOSE(mn_roll_polygon_area(x, y, 4), 6, 1e-12);
    double rx[4] = {x[3], x[2], x[1], x[0]}, ry[4] = {y[3], y[2], y[1], y[0]};
    CHECK_CLOSE(mn_roll_polygon_area(rx, ry, 4), -6, 1e-12);
    CHECK(mn_roll_point_in_polygon(x, y, 4, 1, 1));
    CHECK(!mn_roll_point_in_polygon(x, y, 4, 3, 1));
    CHECK(mn_roll_polygon_check(x, y, 4, &e) == MN_OK);
    CHECK(mn_roll_polygon_check(rx, ry, 4, &e) == MN_OK);
    double bx[4] = {0, 1, 0, 1}, by[4] = {0, 1, 1, 0}; /* a bow tie */
    CHECK(mn_roll_polygon_check(bx, by, 4, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "crosses itself");
    CHECK(mn_roll_polygon_check(x, y, 2, &e) == MN_EINVAL);
    double dx[3] = {0, 1, 2}, dy[3] = {0, 1, 2}; /* collinear: no area */
    CHECK(mn_roll_polygon_check(dx, dy, 3, &e) == MN_EINVAL);
    double nx[3] = {0, NAN, 1}, ny[3] = {0, 1, 0};
    CHECK(mn_roll_polygon_check(nx, ny, 3, &e) == MN_EINVAL);
}

static void test_params(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_roll_params p;
    mn_roll_params_default(&p);
    CHECK(mn_roll_params_validate(&p, &e) == MN_OK);
    p.overlap = 0.95;
    CHECK(mn_roll_params_validate(&p, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "overlap");
    mn_roll_params_default(&p);
    p.lateral_jitter_m = -1e-3;
    CHECK(mn_roll_params_validate(&p, &e) == MN_EINVAL);
    mn_roll_params_default(&p);
    p.depth_sd_m = NAN;
    CHECK(mn_roll_params_validate(&p, &e) == MN_EINVAL);
    mn_roll_params_default(&p);
    p.pattern.passes[0] = 0;
    CHECK(mn_roll_params_validate(&p, &e) == MN_EINVAL);
    mn_roll_params_default(&p);
    mn_roll_params_no_jitter(&p);
    CHECK(p.lateral_jitter_m == 0 && p.angle_jitter_rad == 0 && !p.random_pass_offset);
    CHECK(p.random_phase == 1);
}

/* One drum revolution leaves every needle once, on 8 lines 2.5 mm apart,
 * 2.618 mm apart along each line. */
static void test_one_revolution(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    mn_roll_params_no_jitter(&p);
    p.random_phase = 0;
    p.phase_rad = 0.1;
    p.depth_mean_m = 0.3e-3;
    p.depth_sd_m = 0;
    mn_roll_result r;
    memset(&r, 0, sizeof r);
    double circ = PI * d.drum_diameter_m;
    CHECK(mn_roll_stroke_run(&d, &p, 0.05, 0.01, PI / 2, circ, 7, 0, &r, &e) == MN_OK);
    CHECK(r.count == 192 && r.n_strokes == 1 && r.strokes[0].count == 192);
    int seen[192] = {0};
    for (size_t i = 0; i < r.count; i++) {
        CHECK(r.needle[i] < 192);
        if (r.needle[i] < 192)
            seen[r.needle[i]]++;
        CHECK(r.depth_m[i] == 0.3e-3);
        CHECK(r.y_m[i] >= 0.01 && r.y_m[i] < 0.01 + circ);
        /* Lines at x0 -8.75, -6.25, ..., +8.75 mm. */
        double k = (r.x_m[i] - 0.05 + 8.75e-3) / 2.5e-3;
        CHECK(fabs(k - round(k)) < 1e-9 && round(k) >= 0 && round(k) <= 7);
    }
    for (int i = 0; i < 192; i++)
        CHECK(seen[i] == 1);
    /* Along a ring, consecutive needles 2 pi R / 24 apart. */
    for (size_t i = 1; i < 24; i++)
        CHECK_CLOSE(r.y_m[i] - r.y_m[i - 1], circ / 24, 1e-9);
    mn_roll_result_free(&r);

    /* Slip lengthens the spacing along the stroke. */
    p.slip = 0.1;
    memset(&r, 0, sizeof r);
    CHECK(mn_roll_stroke_run(&d, &p, 0, 0, PI / 2, 0.1, 7, 1, &r, &e) == MN_OK);
    CHECK_CLOSE(r.y_m[1] - r.y_m[0], 1.1 * circ / 24, 1e-9);
    mn_roll_result_free(&r);
    p.slip = 0;
    /* A horizontal stroke runs along x. */
    memset(&r, 0, sizeof r);
    CHECK(mn_roll_stroke_run(&d, &p, 0, 0, 0, 0.1, 7, 2, &r, &e) == MN_OK);
    CHECK_CLOSE(r.x_m[1] - r.x_m[0], circ / 24, 1e-9);
    CHECK(fabs(r.y_m[1] - r.y_m[0]) < 1e-12);
    CHECK(mn_roll_stroke_run(&d, &p, 0, 0, 0, -1, 7, 2, &r, &e) == MN_EINVAL);
    mn_roll_result_free(&r);
}

/* Depths: a truncated normal from the ziggurat; check its moments and
 * tails against the normal distribution. */
static void test_depths(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    p.depth_mean_m = 3e-3; /* far from 0: no truncation */
    p.depth_sd_m = 0.5e-3;
    mn_roll_pattern_make("vertical", 40, &p.pattern, &e);
    double x[4], y[4];
    square(x, y, 0, 0, 0.2, 0.2);
    mn_roll_region g = {"depths", x, y, 4, NAN, NAN};
    mn_roll_result r;
    CHECK(mn_roll_simulate(&d, &g, 1, &p, NULL, &r, &e) == MN_OK);
    size_t n = r.count, below1 = 0, beyond2 = 0, beyond3 = 0;
    CHECK(n > 200000);
    double s = 0, s2 = 0, s4 = 0;
    for (size_t i = 0; i < n; i++) {
        double z = (r.depth_m[i] - 3e-3) / 0.5e-3;
        s += z;
        s2 += z * z;
        s4 += z * z * z * z;
        below1 += z < -1;
        beyond2 += fabs(z) > 2;
        beyond3 += fabs(z) > 3;
    }
    double mean = s / (double)n, var = s2 / (double)n - mean * mean;
    CHECK(fabs(mean) < 0.01);
    CHECK(fabs(sqrt(var) - 1) < 0.01);
    CHECK(fabs(s4 / (double)n - 3) < 0.1);
    CHECK(fabs((double)below1 / (double)n - 0.158655) < 0.004);
    CHECK(fabs((double)beyond2 / (double)n - 0.0455) < 0.002);
    CHECK(fabs((double)beyond3 / (double)n - 0.0027) < 0.0006);
    mn_roll_result_free(&r);

    /* Truncated at 0: shallow mean, wide spread. */
    p.depth_mean_m = 0.01e-3;
    p.depth_sd_m = 0.05e-3;
    mn_roll_pattern_make("vertical", 2, &p.pattern, &e);
    CHECK(mn_roll_simulate(&d, &g, 1, &p, NULL, &r, &e) == MN_OK);
    double m = 0;
    int neg = 0;
    for (size_t i = 0; i < r.count; i++) {
        neg += r.depth_m[i] < 0;
        m += r.depth_m[i];
    }
    CHECK(neg == 0);
    CHECK(m / (double)r.count > 0.03e-3); /* truncated normal mean ~0.045 mm */
    /* A region's own depth wins over the session's. */
    mn_roll_region g2 = {"depths", x, y, 4, 0.2e-3, 0};
    mn_roll_result r2;
    CHECK(mn_roll_simulate(&d, &g2, 1, &p, NULL, &r2, &e) == MN_OK);
    CHECK(r2.count == r.count && r2.depth_m[0] == 0.2e-3 && r2.depth_m[r2.count - 1] == 0.2e-3);
    mn_roll_result_free(&r);
    mn_roll_result_free(&r2);
}

static void test_sessions(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    p.depth_mean_m = 0.3e-3;
    p.depth_sd_m = 0.02e-3;
    mn_roll_pattern_make("vertical-then-horizontal", 4, &p.pattern, &e);
    double ax[4], ay[4], bx[4], by[4];
    square(ax, ay, 0, 0, 0.05, 0.04);
    square(bx, by, 0.1, 0, 0.03, 0.03);
    mn_roll_region A = {"zone-a", ax, ay, 4, NAN, NAN};
    mn_roll_region B = {"zone-b", bx, by, 4, NAN, NAN};
    mn_roll_region AB[2] = {B, A};
    mn_roll_result ra, rab, ra2;
    CHECK(mn_roll_simulate(&d, &A, 1, &p, NULL, &ra, &e) == MN_OK);
    CHECK(mn_roll_simulate(&d, AB, 2, &p, NULL, &rab, &e) == MN_OK);
    CHECK(mn_roll_simulate(&d, &A, 1, &p, NULL, &ra2, &e) == MN_OK);
    /* Same seed, same punctures; a zone is the same alone or in a group. */
    CHECK(ra.count == ra2.count &&
          !memcmp(ra.x_m, ra2.x_m, ra.count * sizeof(double)) &&
          !memcmp(ra.depth_m, ra2.depth_m, ra.count * sizeof(double)));
    size_t f = rab.region_first[1], n = rab.region_first[2] - f;
    CHECK(n == ra.count);
    CHECK(n == ra.count && !memcmp(ra.x_m, rab.x_m + f, n * sizeof(double)) &&
          !memcmp(ra.y_m, rab.y_m + f, n * sizeof(double)) &&
          !memcmp(ra.needle, rab.needle + f, n * sizeof(uint32_t)));
    /* Every puncture inside its outline; strokes in pass order. */
    for (size_t i = 0; i < ra.count; i++)
        CHECK(mn_roll_point_in_polygon(ax, ay, 4, ra.x_m[i], ra.y_m[i]));
    for (size_t s = 1; s < ra.n_strokes; s++)
        CHECK(ra.strokes[s].pass >= ra.strokes[s - 1].pass);
    CHECK(ra.strokes[ra.n_strokes - 1].pass == 3 && ra.passes == 4);
    CHECK(ra.strokes[0].dir == 0 && ra.strokes[ra.n_strokes - 1].dir == 1);
    size_t tot = 0;
    for (size_t s = 0; s < ra.n_strokes; s++) {
        CHECK(ra.strokes[s].first == tot);
        tot += ra.strokes[s].count;
    }
    CHECK(tot == ra.count);
    mn_roll_result_free(&ra2);
    p.seed = 2;
    CHECK(mn_roll_simulate(&d, &A, 1, &p, NULL, &ra2, &e) == MN_OK);
    CHECK(ra2.count != ra.count || memcmp(ra.x_m, ra2.x_m, ra.count * sizeof(double)));
    mn_roll_result_free(&ra);
    mn_roll_result_free(&ra2);
    mn_roll_result_free(&rab);

    /* Errors. */
    double bad[4] = {0, 1, 0, 1}, bady[4] = {0, 1, 1, 0};
    mn_roll_region R = {"bow", bad, bady, 4, NAN, NAN};
    CHECK(mn_roll_simulate(&d, &R, 1, &p, NULL, &ra, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "bow");
    CHECK(ra.count == 0 && ra.x_m == NULL);
    mn_device broken = roller();
    broken.rings = -1;
    CHECK(mn_roll_simulate(&broken, &A, 1, &p, NULL, &ra, &e) == MN_EINVAL);
    CHECK(mn_roll_simulate(&d, &A, 0, &p, NULL, &ra, &e) == MN_EINVAL);
}

static int cancel_now(void *u, double f, const char *s)
{
    (void)u, (void)f, (void)s;
    return 1;
}

static void test_progress(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    double x[4], y[4];
    square(x, y, 0, 0, 0.05, 0.05);
    mn_roll_region g = {"z", x, y, 4, NAN, NAN};
    mn_progress pr = {cancel_now, NULL};
    mn_roll_result r;
    CHECK(mn_roll_simulate(&d, &g, 1, &p, &pr, &r, &e) == MN_ECANCEL);
    CHECK(r.count == 0);
}

static mn_device stamp(void)
{
    mn_device d = roller();
    d.type = MN_DEVICE_STAMP;
    d.drum_diameter_m = d.drum_width_m = NAN;
    d.rings = d.needles_per_ring = -1;
    d.rows = 5;
    d.columns = 7;
    d.pitch_m = 1.5e-3;
    return d;
}

static void test_stamp_pen(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device s = stamp();
    mn_roll_params p;
    mn_roll_params_default(&p);
    mn_roll_params_no_jitter(&p);
    mn_roll_pattern_make("vertical", 1, &p.pattern, &e);
    double x[4], y[4];
    square(x, y, 0, 0, 0.06, 0.06);
    mn_roll_region g = {"stamped", x, y, 4, NAN, NAN};
    mn_roll_result r;
    CHECK(mn_roll_simulate(&s, &g, 1, &p, NULL, &r, &e) == MN_OK);
    double area = 0.06 * 0.06;
    CHECK_CLOSE(mn_roll_density_per_pass(&s, &p), 1 / (1.5e-3 * 1.5e-3), 1e-12);
    CHECK_CLOSE((double)r.count / area, 1 / (1.5e-3 * 1.5e-3), 0.03);
    CHECK_CLOSE(mn_roll_stroke_width(&s), 7.5e-3, 1e-12);
    mn_roll_result_free(&r);

    mn_device pen = stamp();
    pen.type = MN_DEVICE_PEN;
    pen.rows = pen.columns = -1;
    pen.needle_count = 12;
    pen.pitch_m = 0.9e-3;
    pen.layout = MN_LAYOUT_GRID;
    pen.cartridge_diameter_m = 9e-3;
    pen.stroke_frequency_hz = 110;
    pen.depth_min_m = 0.25e-3;
    pen.depth_max_m = 2.5e-3;
    pen.needle_length_m = 0.5e-3;
    square(x, y, 0, 0, 0.02, 0.02);
    CHECK(mn_roll_simulate(&pen, &g, 1, &p, NULL, &r, &e) == MN_OK);
    /* 12 needles in 3 rows of 0.9 mm: 2.7 mm wide; 20 mm/s / 110 Hz apart. */
    double per = 12 / (2.7e-3 * 0.02 / 110);
    CHECK_CLOSE(mn_roll_density_per_pass(&pen, &p), per, 1e-9);
    CHECK_CLOSE((double)r.count / (0.02 * 0.02), per, 0.06);
    mn_roll_result_free(&r);
    pen.layout = MN_LAYOUT_CIRCLE;
    CHECK(mn_roll_simulate(&pen, &g, 1, &p, NULL, &r, &e) == MN_OK);
    CHECK(r.count > 0);
    for (size_t i = 0; i < r.count; i++)
        CHECK(mn_roll_point_in_polygon(x, y, 4, r.x_m[i], r.y_m[i]));
    mn_roll_result_free(&r);
}

/* A hand-made result: a 1 mm lattice, one stroke or two on top. */
static void lattice(mn_roll_result *r, int nside, int copies)
{
    memset(r, 0, sizeof *r);
    size_t n = (size_t)(nside * nside * copies);
    r->count = n;
    r->x_m = malloc(n * sizeof(double));
    r->y_m = malloc(n * sizeof(double));
    r->depth_m = malloc(n * sizeof(double));
    r->stroke = malloc(n * sizeof(uint32_t));
    r->needle = calloc(n, sizeof(uint32_t));
    r->strokes = calloc((size_t)copies, sizeof(mn_roll_stroke));
    r->n_strokes = (size_t)copies;
    r->n_regions = 1;
    r->region_first = calloc(2, sizeof(size_t));
    r->region_stroke_first = calloc(2, sizeof(size_t));
    r->region_first[1] = n;
    r->region_stroke_first[1] = (size_t)copies;
    r->passes = copies;
    size_t k = 0;
    for (int c = 0; c < copies; c++) {
        r->strokes[c].ux = 0;
        r->strokes[c].uy = 1;
        r->strokes[c].pass = (uint32_t)c;
        r->strokes[c].first = k;
        r->strokes[c].count = (size_t)(nside * nside);
        for (int i = 0; i < nside; i++)
            for (int j = 0; j < nside; j++, k++) {
                r->x_m[k] = (i + 0.5) * 1e-3;
                r->y_m[k] = (j + 0.5) * 1e-3;
                r->depth_m[k] = (double)(c + 1) * 1e-4;
                r->stroke[k] = (uint32_t)c;
            }
    }
}

static void test_metrics(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_roll_result r;
    lattice(&r, 40, 1);
    double x[4], y[4];
    square(x, y, 0, 0, 0.04, 0.04);
    mn_roll_region g = {"lattice", x, y, 4, NAN, NAN};
    mn_roll_metrics_opts o;
    mn_roll_metrics_opts_default(&o);
    CHECK(o.grid_m == 1e-3 && o.coverage_radius_m == 0.5e-3);
    mn_roll_metrics *m = calloc(1, sizeof *m);
    CHECK(mn_roll_metrics_compute(&r, 0, &g, &o, m, &e) == MN_OK);
    CHECK_CLOSE(m->area_m2, 16e-4, 1e-12);
    CHECK(m->punctures == 1600);
    CHECK_CLOSE(m->density_mean, 1e6, 1e-12);
    CHECK(m->grid_cells == 1600);
    CHECK(m->density_cv < 1e-12);
    CHECK_CLOSE(m->nn_mean_m, 1e-3, 1e-9);
    CHECK_CLOSE(m->nn_p05_m, 1e-3, 1e-9);
    CHECK(m->hit_fraction == 0);
    /* Discs of 0.5 mm on a 1 mm lattice cover pi/4 of the plane. */
    CHECK_CLOSE(m->coverage, PI / 4, 0.02);
    CHECK_CLOSE(m->coverage_by_pass[0], m->coverage, 1e-12);
    CHECK_CLOSE(m->depth_mean_m, 1e-4, 1e-12);
    CHECK(m->depth_sd_m < 1e-15);
    o.coverage_radius_m = 0.75e-3; /* > half the diagonal: everything */
    CHECK(mn_roll_metrics_compute(&r, 0, &g, &o, m, &e) == MN_OK);
    CHECK(m->coverage > 0.999);
    o.what = MN_ROLL_M_DENSITY;
    CHECK(mn_roll_metrics_compute(&r, 0, &g, &o, m, &e) == MN_OK);
    CHECK(isnan(m->coverage) && isnan(m->nn_mean_m) && !isnan(m->density_cv));
    /* Density grid: 1e6 /m^2 everywhere inside; -1 outside. */
    mn_roll_grid grid;
    CHECK(mn_roll_density_grid(&r, &g, 1, 2e-3, &grid, &e) == MN_OK);
    CHECK(grid.nx == 20 && grid.ny == 20);
    for (size_t c = 0; c < grid.nx * grid.ny; c++)
        CHECK_CLOSE(grid.per_m2[c], 1e6, 1e-9);
    mn_roll_grid_free(&grid);
    mn_roll_result_free(&r);

    /* The same lattice twice: every puncture of the second stroke hits a
     * channel of the first; nearest neighbour at distance 0. */
    lattice(&r, 20, 2);
    square(x, y, 0, 0, 0.02, 0.02);
    mn_roll_metrics_opts_default(&o);
    CHECK(mn_roll_metrics_compute(&r, 0, &g, &o, m, &e) == MN_OK);
    CHECK_CLOSE(m->hit_fraction, 0.5, 1e-12);
    CHECK(m->nn_mean_m == 0 && m->nn_p05_m == 0);
    CHECK_CLOSE(m->coverage_by_pass[0], m->coverage_by_pass[1], 1e-12);
    CHECK(m->depth_sd_m > 0);
    /* Bad options and regions. */
    o.hit_radius_m = -1;
    CHECK(mn_roll_metrics_compute(&r, 0, &g, &o, m, &e) == MN_EINVAL);
    mn_roll_metrics_opts_default(&o);
    CHECK(mn_roll_metrics_compute(&r, 1, &g, &o, m, &e) == MN_EINVAL);
    mn_roll_result_free(&r);
    free(m);
}

/* Lines of punctures: nearest neighbours along them; two directions:
 * no preferred axis. */
static void test_anisotropy(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    mn_roll_params_no_jitter(&p);
    mn_roll_pattern_make("vertical", 10, &p.pattern, &e);
    double x[4], y[4];
    square(x, y, 0, 0, 0.08, 0.08);
    mn_roll_region g = {"aniso", x, y, 4, NAN, NAN};
    mn_roll_result r;
    mn_roll_metrics *m = calloc(1, sizeof *m);
    CHECK(mn_roll_simulate(&d, &g, 1, &p, NULL, &r, &e) == MN_OK);
    CHECK(mn_roll_metrics_compute(&r, 0, &g, NULL, m, &e) == MN_OK);
    CHECK(m->nn_anisotropy > 0.95);
    CHECK(fabs(m->nn_axis_rad - PI / 2) < 0.05);
    CHECK(m->nn_across_m < 0.05 * m->nn_along_m);
    /* Coverage grows pass by pass. */
    for (int q = 1; q < 10; q++)
        CHECK(m->coverage_by_pass[q] >= m->coverage_by_pass[q - 1]);
    CHECK(m->coverage_by_pass[9] == m->coverage);
    mn_roll_result_free(&r);
    mn_roll_pattern_make("vertical-then-horizontal", 20, &p.pattern, &e);
    CHECK(mn_roll_simulate(&d, &g, 1, &p, NULL, &r, &e) == MN_OK);
    CHECK(mn_roll_metrics_compute(&r, 0, &g, NULL, m, &e) == MN_OK);
    CHECK(m->nn_anisotropy < 0.2);
    mn_roll_result_free(&r);
    free(m);
}

static void test_passes_needed(void)
{
    mn_error e;
    mn_error_clear(&e);
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    mn_roll_params_no_jitter(&p);
    mn_roll_pattern_make("vertical", 1, &p.pattern, &e);
    double x[4], y[4];
    square(x, y, 0, 0, 0.1, 0.1);
    mn_roll_region g = {"target", x, y, 4, NAN, NAN};
    int n = 0;
    double got = 0;
    /* 100 /cm^2 needs 7 passes of 15.28 /cm^2. */
    CHECK(mn_roll_passes_needed(&d, &g, &p, NULL, MN_ROLL_TARGET_DENSITY, 100e4, 50, &n,
                                &got, &e) == MN_OK);
    CHECK(n == 7);
    CHECK(got >= 100e4 && got < 110e4);
    CHECK(mn_roll_passes_needed(&d, &g, &p, NULL, MN_ROLL_TARGET_DENSITY, 1000e4, 20, &n,
                                &got, &e) == MN_OK);
    CHECK(n == -1 && got < 1000e4);
    mn_roll_pattern_make("four-direction", 1, &p.pattern, &e);
    mn_roll_params_default(&p);
    mn_roll_pattern_make("four-direction", 1, &p.pattern, &e);
    square(x, y, 0, 0, 0.03, 0.03);
    CHECK(mn_roll_passes_needed(&d, &g, &p, NULL, MN_ROLL_TARGET_COVERAGE, 0.5, 60, &n,
                                &got, &e) == MN_OK);
    CHECK(n > 1 && n < 60 && got >= 0.5);
    CHECK(mn_roll_passes_needed(&d, &g, &p, NULL, MN_ROLL_TARGET_COVERAGE, 1.5, 60, &n,
                                &got, &e) == MN_EINVAL);
}

int main(void)
{
    test_patterns();
    test_geometry();
    test_params();
    test_one_revolution();
    test_depths();
    test_sessions();
    test_progress();
    test_stamp_pen();
    test_metrics();
    test_anisotropy();
    test_passes_needed();
    mn_device d = roller();
    mn_roll_params p;
    mn_roll_params_default(&p);
    CHECK_CLOSE(mn_roll_density_per_pass(&d, &p), 192 / (PI * 0.02 * 0.02), 1e-12);
    p.overlap = 0.5;
    CHECK_CLOSE(mn_roll_density_per_pass(&d, &p), 2 * 192 / (PI * 0.02 * 0.02), 1e-12);
    CHECK_CLOSE(mn_roll_stroke_width(&d), 0.02, 1e-12);
    return mn_test_report("test_roll");
}
