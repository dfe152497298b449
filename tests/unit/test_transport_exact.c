/* Exact semi-discrete solutions (mnsim/transport_exact.h) against a dense
 * computation (the matrix exponential through GSL's symmetric eigen-
 * decomposition) on tiny grids, and the solver against them: fixed and
 * accuracy-driven steps, the thread count. Small grids (seconds). */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>

#include "mn_test.h"
#include "mnsim/transport.h"
#include "mnsim/transport_exact.h"

#define H 10e-6
#define D (1000e-12 / 60.0)
#define K (0.1 / 60.0)

/* out = V f(Lambda) V^T x for the symmetric m (n x n), f(l) = exp(l t)
 * (source 0) or (exp(l t) - 1) / l (source 1: x is a constant source). */
static void dense_apply(gsl_matrix *m, const double *x, double t, int source,
                        double *out)
{
    size_t n = m->size1;
    gsl_vector *ev = gsl_vector_alloc(n);
    gsl_matrix *V = gsl_matrix_alloc(n, n);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(n);
    gsl_eigen_symmv(m, ev, V, w);
    for (size_t i = 0; i < n; i++)
        out[i] = 0;
    for (size_t a = 0; a < n; a++) {
        double l = gsl_vector_get(ev, a), c = 0;
        for (size_t i = 0; i < n; i++)
            c += gsl_matrix_get(V, i, a) * x[i];
        double f = source ? expm1(l * t) / l : exp(l * t);
        for (size_t i = 0; i < n; i++)
            out[i] += gsl_matrix_get(V, i, a) * f * c;
    }
    gsl_eigen_symmv_free(w);
    gsl_matrix_free(V);
    gsl_vector_free(ev);
}

/* D L_h - k on an nx x ny x nz grid, mirror faces; held_top: the top face
 * (k = 0) held (its ghost the negative of the top cell). */
static gsl_matrix *dense_operator(size_t nx, size_t ny, size_t nz, int held_top)
{
    size_t n = nx * ny * nz;
    gsl_matrix *m = gsl_matrix_calloc(n, n);
    double g = D / (H * H);
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                size_t c = (k * ny + j) * nx + i;
                *gsl_matrix_ptr(m, c, c) -= K;
                size_t nb[3] = {i + 1 < nx ? c + 1 : c, j + 1 < ny ? c + nx : c,
                                k + 1 < nz ? c + nx * ny : c};
                for (int d = 0; d < 3; d++) {
                    if (nb[d] == c)
                        continue;
                    *gsl_matrix_ptr(m, c, c) -= g;
                    *gsl_matrix_ptr(m, nb[d], nb[d]) -= g;
                    *gsl_matrix_ptr(m, c, nb[d]) += g;
                    *gsl_matrix_ptr(m, nb[d], c) += g;
                }
                if (k == 0 && held_top)
                    *gsl_matrix_ptr(m, c, c) -= 2 * g;
            }
    return m;
}

static void test_against_dense(void)
{
    mn_error e;
    /* the spike, off centre, on an uneven grid, at two times */
    size_t nx = 3, ny = 4, nz = 5, n = nx * ny * nz;
    double x0[60] = {0}, ref[60], got[60];
    size_t c0 = (3 * ny + 2) * nx + 1;
    x0[c0] = 1;
    for (int q = 0; q < 2; q++) {
        double t = q ? 600 : 7;
        gsl_matrix *m = dense_operator(nx, ny, nz, 0);
        dense_apply(m, x0, t, 0, ref);
        gsl_matrix_free(m);
        CHECK(mn_transport_exact_spike(nx, ny, nz, 1, 2, 3, H, D, K, t, got, &e) ==
              MN_OK);
        double emax = 0;
        for (size_t i = 0; i < n; i++)
            emax = fmax(emax, fabs(got[i] - ref[i]));
        CHECK(emax < 1e-12);
    }
    /* the held surface: one column (the lateral faces do not matter) */
    nz = 7;
    double b[7] = {2 * D / (H * H)}, ref1[7], got1[7];
    for (int q = 0; q < 2; q++) {
        double t = q ? 600 : 3;
        gsl_matrix *m = dense_operator(1, 1, nz, 1);
        dense_apply(m, b, t, 1, ref1);
        gsl_matrix_free(m);
        CHECK(mn_transport_exact_surface(nz, H, D, K, t, got1, &e) == MN_OK);
        for (size_t i = 0; i < nz; i++)
            CHECK(fabs(got1[i] - ref1[i]) < 1e-12);
        CHECK(got1[0] > got1[1] && got1[1] > got1[6] && got1[0] < 1);
    }
    /* at t = 0: the initial states */
    CHECK(mn_transport_exact_spike(nx, ny, 5, 1, 2, 3, H, D, K, 0, got, &e) == MN_OK);
    CHECK(fabs(got[c0] - 1) < 1e-12 && fabs(got[0]) < 1e-12);
    CHECK(mn_transport_exact_surface(nz, H, D, K, 0, got1, &e) == MN_OK);
    CHECK(fabs(got1[0]) < 1e-15);
    /* bad input */
    CHECK(mn_transport_exact_spike(3, 3, 3, 3, 0, 0, H, D, K, 1, got, &e) == MN_EINVAL);
    CHECK(mn_transport_exact_spike(3, 3, 3, 0, 0, 0, H, NAN, K, 1, got, &e) ==
          MN_EINVAL);
    CHECK(mn_transport_exact_surface(0, H, D, K, 1, got1, &e) == MN_EINVAL);
    CHECK(mn_transport_exact_surface(3, H, D, -1, 1, got1, &e) == MN_EINVAL);
}

/* The benchmark's questions on n^3 (bench/transport.c), solved. */
static void question(mn_transport_config *c, int surface, size_t n)
{
    mn_transport_config_default(c);
    c->thickness_m[0] = H;
    c->thickness_m[3] = (double)n * H - H;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++) {
        c->medium.diffusivity_m2_s[l] = c->medium.lateral_diffusivity_m2_s[l] = D;
        c->medium.partition[l] = 1;
        c->medium.clearance_per_s[l] = K;
    }
    c->bottom = MN_TRANSPORT_ZERO_FLUX;
    c->lateral_bc = MN_LATERAL_MIRROR;
    c->uniform_lateral = c->uniform_z = 1;
    c->nx = c->ny = c->nz = n;
    c->size_x_m = c->size_y_m = (double)n * H;
    c->infinite_dose = surface;
    c->vehicle_concentration = surface ? 1.0 : 0.0;
    c->sealed_top = !surface;
    c->t_end_s = 600;
    c->n_samples = 1;
    c->dt_max_s = 600;
}

/* Error against the exact solution; the state in *state (owned). */
static double solve(int surface, size_t n, double accuracy, int threads, long *steps,
                    double **state)
{
    mn_transport_config c;
    question(&c, surface, n);
    c.accuracy = accuracy;
    c.threads = threads;
    c.parallel_min = 1000; /* threads even on this grid */
    if (accuracy == 0)
        c.dt_first_s = 2, c.dt_rel = 0.15;
    size_t cells = n * n * n, mid = n / 2;
    double *u = calloc(cells, sizeof *u), *ex = malloc(cells * sizeof *ex);
    if (!surface)
        u[(mid * n + mid) * n + mid] = 1;
    mn_error e;
    mn_transport *t = NULL;
    mn_transport_result r;
    int ok = mn_transport_new(&c, &t, &e) == MN_OK &&
             mn_transport_set_state(t, u, surface ? 1.0 : 0.0, &e) == MN_OK &&
             mn_transport_run(t, NULL, &r, &e) == MN_OK;
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "%s\n", e.message);
        mn_transport_free(t);
        free(u), free(ex);
        return INFINITY;
    }
    CHECK(r.mass_error_max < 1e-9);
    mn_transport_result_free(&r);
    mn_transport_stats(t, steps, NULL, NULL);
    mn_transport_get_state(t, u);
    mn_transport_free(t);
    CHECK((surface ? mn_transport_exact_surface(n, H, D, K, 600, ex, &e)
                   : mn_transport_exact_spike(n, n, n, mid, mid, mid, H, D, K, 600, ex,
                                              &e)) == MN_OK);
    double emax = 0, cmax = 0;
    for (size_t q = 0; q < cells; q++) {
        double x = surface ? ex[q / (n * n)] : ex[q];
        emax = fmax(emax, fabs(u[q] - x));
        cmax = fmax(cmax, x);
    }
    free(ex);
    if (state)
        *state = u;
    else
        free(u);
    return emax / cmax;
}

static void test_solver_accuracy(void)
{
    long s1, s2, s3;
    /* accuracy-driven steps reach the accuracy asked for; more steps for
     * a tighter one, fewer for a looser one */
    double e1 = solve(0, 32, 0.01, 1, &s1, NULL);
    double e2 = solve(0, 32, 0.002, 1, &s2, NULL);
    CHECK(e1 <= 0.01 && e2 <= 0.002 * 1.5 && e2 < e1);
    CHECK(s2 > s1);
    double e3 = solve(1, 32, 0.01, 1, &s3, NULL);
    CHECK(e3 <= 0.01);
    /* the fixed rule (today's steps of the benchmark) also converges */
    long sf;
    double ef = solve(0, 32, 0, 1, &sf, NULL);
    CHECK(ef < 0.02 && sf > 20);
    /* the same bits with 1 and 2 threads */
    double *a = NULL, *b = NULL;
    long sa, sb;
    solve(0, 24, 0.01, 1, &sa, &a);
    solve(0, 24, 0.01, 2, &sb, &b);
    CHECK(a && b && sa == sb && !memcmp(a, b, 24 * 24 * 24 * sizeof(double)));
    free(a), free(b);
}

/* The state at T of a question with the spike at cell (i, j, k), in a
 * window or over the whole grid; the counted bytes per cell in *bytes. */
static double *run_state(int surface, size_t n, double accuracy, int full_grid,
                         const size_t at[3], double *bytes, long *steps)
{
    mn_transport_config c;
    question(&c, surface, n);
    c.accuracy = accuracy;
    c.full_grid = full_grid;
    if (accuracy == 0)
        c.dt_first_s = 2, c.dt_rel = 0.15;
    double *u = calloc(n * n * n, sizeof *u);
    if (!surface)
        u[(at[2] * n + at[1]) * n + at[0]] = 1;
    mn_error e;
    mn_transport *t = NULL;
    mn_transport_result r;
    int ok = mn_transport_new(&c, &t, &e) == MN_OK &&
             mn_transport_set_state(t, u, surface ? 1.0 : 0.0, &e) == MN_OK &&
             mn_transport_run(t, NULL, &r, &e) == MN_OK;
    CHECK(ok);
    if (!ok) {
        fprintf(stderr, "%s\n", e.message);
        mn_transport_free(t);
        free(u);
        return NULL;
    }
    CHECK(r.mass_error_max < 1e-9);
    mn_transport_result_free(&r);
    mn_transport_get_state(t, u);
    *bytes = mn_transport_traffic_bytes(t);
    mn_transport_stats(t, steps, NULL, NULL);
    mn_transport_free(t);
    return u;
}

/* Windows (docs/model.md, "Windows") give the whole grid's answer to
 * twice their eps (the solves' tolerance), for
 * a spike in the middle, against a corner (walls cut on some sides only)
 * and a held surface, with adaptive and fixed steps, in the same steps,
 * and move fewer bytes. */
static void test_windows(void)
{
    const size_t n = 40;
    const size_t spots[2][3] = {{20, 20, 20}, {2, 36, 5}};
    for (int q = 0; q < 4; q++) {
        int surface = q == 3;
        double acc = q == 2 ? 0 : 0.01;
        const size_t *at = spots[q == 1];
        double bw = 0, bf = 0;
        long sw = 0, sf = 0;
        double *w = run_state(surface, n, acc, 0, at, &bw, &sw);
        double *f = run_state(surface, n, acc, 1, at, &bf, &sf);
        CHECK(w && f);
        if (!w || !f) {
            free(w), free(f);
            continue;
        }
        double dmax = 0, cmax = 0;
        for (size_t c = 0; c < n * n * n; c++) {
            dmax = fmax(dmax, fabs(w[c] - f[c]));
            cmax = fmax(cmax, fabs(f[c]));
        }
        /* eps: the solves' tolerance (1e-2 x 0.5 x the accuracy, or
         * 1e-9) */
        double tol = acc > 0 ? 5e-3 * acc : 1e-9;
        if (!(dmax <= 2 * tol * cmax))
            fprintf(stderr, "windows: case %d differs by %.3g of the largest value\n",
                    q, dmax / cmax);
        CHECK(dmax <= 2 * tol * cmax);
        CHECK(sw == sf);
        /* the windows were used (with the fixed steps' tolerance, 1e-9, the
         * window outgrows half of this small grid at once) */
        CHECK(acc == 0 || bw < 0.95 * bf);
        free(w), free(f);
    }
}

static void test_config(void)
{
    mn_transport_config c;
    question(&c, 0, 8);
    mn_transport *t = NULL;
    mn_error e;
    c.accuracy = 0.2;
    CHECK(mn_transport_new(&c, &t, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "accuracy");
    c.accuracy = NAN;
    CHECK(mn_transport_new(&c, &t, &e) == MN_EINVAL);
    c.accuracy = 0.01;
    CHECK(mn_transport_new(&c, &t, &e) == MN_OK);
    mn_transport_free(t);
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    test_against_dense();
    test_config();
    test_solver_accuracy();
    test_windows();
    return mn_test_report("transport_exact");
}
