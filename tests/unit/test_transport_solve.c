/* The transport solver's multigrid hierarchy (src/model/transport_solve.c,
 * transport_level.c, internal modules: this test reads the solver's
 * state): a window grown in depth keeps the coarse planes of the window it
 * replaces (mn_tr_mg_build_from), and the hierarchy so built is the one a
 * build from scratch gives, bit for bit; the residual after a depth sweep
 * from zero, taken from what the sweep left out, is the operator's; the
 * large arrays' allocator aligns, maps and frees what it says. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mn_test.h"
#include "mnsim/transport.h"
#include "transport_grid.h"
#include "transport_level.h"
#include "transport_solve.h"

#define H 10e-6
#define D (1000e-12 / 60.0)
#define K (0.1 / 60.0)

/* A held surface (film 0: infinite dose) or a finite film (1) on a grid
 * of n^3 cells, to t_end seconds, steps to 1%. */
static void config(mn_transport_config *c, int film, size_t n, double t_end)
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
    c->infinite_dose = !film;
    c->vehicle_concentration = 1.0;
    c->t_end_s = t_end;
    c->n_samples = 1;
    c->dt_max_s = t_end;
    c->accuracy = 0.01;
}

/* The coarse levels' coefficients of t (levels 1 on), copied. */
static float *levels_copy(const mn_transport *t, size_t *len)
{
    size_t total = 0;
    for (int l = 1; l < t->nlev; l++)
        total += 5 * t->lev[l].n + t->lev[l].nxy;
    float *a = malloc((total ? total : 1) * sizeof *a), *p = a;
    for (int l = 1; a && l < t->nlev; l++) {
        const mg_level *L = &t->lev[l];
        const float *arr[5] = {L->m0, L->m1, L->gx, L->gy, L->gz};
        for (int i = 0; i < 5; i++, p += L->n)
            memcpy(p, arr[i], L->n * sizeof *p);
        if (L->gt)
            memcpy(p, L->gt, L->nxy * sizeof *p);
        else
            memset(p, 0, L->nxy * sizeof *p);
        p += L->nxy;
    }
    *len = total;
    return a;
}

/* Runs to t_end; where the solver ends in a window, its hierarchy against
 * a build from scratch. Returns the coarse cells the window's build kept
 * (0 without a window). */
static size_t check_window(int film, double t_end)
{
    const size_t n = 48;
    mn_transport_config c;
    config(&c, film, n, t_end);
    double *u = calloc(n * n * n, sizeof *u);
    mn_error e;
    mn_transport *t = NULL;
    mn_transport_result r;
    int ok = u && mn_transport_new(&c, &t, &e) == MN_OK &&
             mn_transport_set_state(t, u, 1.0, &e) == MN_OK &&
             mn_transport_run(t, NULL, &r, &e) == MN_OK;
    CHECK(ok);
    size_t kept = 0;
    if (ok) {
        mn_transport_result_free(&r);
        mn_transport *w = t->win;
        if (w) {
            kept = w->mg_kept;
            size_t la = 0, lb = 0;
            int nlev = w->nlev;
            float *a = levels_copy(w, &la);
            CHECK(mn_tr_mg_build(w) == MN_OK);
            CHECK(w->mg_kept == 0 && w->nlev == nlev);
            float *b = levels_copy(w, &lb);
            CHECK(a && b && la == lb && la > 0);
            if (a && b && la == lb)
                CHECK(!memcmp(a, b, la * sizeof *a));
            free(a), free(b);
        }
    } else
        fprintf(stderr, "%s\n", e.message);
    mn_transport_free(t);
    free(u);
    return kept;
}

static void test_grown_window_hierarchy(void)
{
    static const double ends_s[] = {5, 15, 30, 60, 120};
    for (int film = 0; film < 2; film++) {
        size_t kept = 0;
        for (size_t i = 0; i < sizeof ends_s / sizeof ends_s[0]; i++)
            kept += check_window(film, ends_s[i]);
        /* the case is the one meant: some window kept coarse planes */
        CHECK(kept > 0);
    }
}

/* A deterministic value in [-1, 1) (an LCG: the test needs no quality). */
static double noise(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1.0p-52 - 1.0;
}

/* On a small grid of four layers of different diffusivity and partition,
 * with a finite film (coupled to the top cells) or a held one (on the
 * diagonal), mirror or periodic sides: after a depth sweep from zero on
 * each level with a coarser one, the residual restricted from what the
 * sweep left out ((1 - w) b + lateral and film terms) against the
 * operator's b - (C + theta A) x, cell by cell of the coarser level and
 * for the film. */
static void test_swept_residual(void)
{
    for (int v = 0; v < 4; v++) {
        const int film = v & 1, periodic = v >> 1;
        mn_transport_config c;
        config(&c, film, 12, 60);
        c.nx = 13, c.ny = 11, c.nz = 17;
        c.size_x_m = 13 * H, c.size_y_m = 11 * H;
        c.thickness_m[0] = 2 * H, c.thickness_m[1] = 3 * H, c.thickness_m[2] = 5 * H;
        c.thickness_m[3] = 7 * H;
        for (int l = 0; l < MN_TRANSPORT_LAYERS; l++) {
            c.medium.diffusivity_m2_s[l] = D * pow(10.0, -l);
            c.medium.lateral_diffusivity_m2_s[l] = D * pow(10.0, -0.5 * l);
            c.medium.partition[l] = 1.0 + l;
        }
        c.lateral_bc = periodic ? MN_LATERAL_PERIODIC : MN_LATERAL_MIRROR;
        double *u = calloc(13 * 11 * 17, sizeof *u);
        mn_error e;
        mn_transport *t = NULL;
        int ok = u && mn_transport_new(&c, &t, &e) == MN_OK &&
                 mn_transport_set_state(t, u, 1.0, &e) == MN_OK &&
                 mn_transport_step(t, 5.0, &e) == MN_OK;
        CHECK(ok);
        CHECK(!ok || t->nlev >= 3);
        unsigned long long seed = 12345u + (unsigned)v;
        const double theta = 7.0;
        for (int lv = 0; ok && lv + 1 < t->nlev && lv < 2; lv++) {
            mg_level *L = &t->lev[lv], *C = &t->lev[lv + 1];
            double *b = lv ? L->b : t->b, *x = lv ? L->x : t->z;
            double bmax = 0, xv, rv1, rv0;
            for (size_t q = 0; q < L->n; q++) {
                b[q] = noise(&seed);
                bmax = fmax(bmax, fabs(b[q]));
            }
            const double bv = noise(&seed);
            mn_tr_smooth_level(t, lv, 2, theta, NULL, 0, b, bv, x, &xv, NULL);
            mn_tr_residual_restrict(t, lv, theta, x, xv, b, bv, 1, &rv1);
            double *r1 = malloc(C->n * sizeof *r1);
            CHECK(r1 != NULL);
            if (!r1)
                break;
            memcpy(r1, C->b, C->n * sizeof *r1);
            mn_tr_residual_restrict(t, lv, theta, x, xv, b, bv, 0, &rv0);
            double d = 0, m = 0;
            for (size_t q = 0; q < C->n; q++) {
                d = fmax(d, fabs(r1[q] - C->b[q]));
                m = fmax(m, fabs(C->b[q]));
            }
            /* rounding only: the terms are of the order of b (a term left
             * out, the film's, w's or one face's, makes them differ by
             * 1e-2 to 3 of b) */
            if (!(d <= 1e-12 * bmax * 8))
                fprintf(stderr, "swept residual: case %d level %d differs by %.3g\n", v,
                        lv, d / bmax);
            CHECK(d <= 1e-12 * bmax * 8);
            CHECK(m > 0.01 * bmax); /* a residual there was to compare */
            CHECK(fabs(rv1 - rv0) <= 1e-12 * (fabs(rv0) + fabs(bv)));
            free(r1);
        }
        if (!ok)
            fprintf(stderr, "%s\n", e.message);
        mn_transport_free(t);
        free(u);
    }
}

/* mn_tr_alloc64: 64-byte alignment below MN_TR_HUGE, 2 MiB from it (the
 * kernel's own mapping, not malloc's), every byte writable, each freed by
 * mn_tr_free64 (the sanitizer build sees a wrong free); overflow is NULL. */
static void test_alloc64(void)
{
    const size_t huge = (size_t)2 << 20;
    const size_t counts[] = {0,
                             1,
                             7,
                             MN_TR_HUGE / 8 - 1,
                             MN_TR_HUGE / 8,
                             MN_TR_HUGE / 8 + 3,
                             3 * MN_TR_HUGE / 8 + 1};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        double *a = mn_tr_alloc64(counts[c], sizeof *a),
               *b = mn_tr_alloc64(counts[c], 8);
        CHECK(a != NULL && b != NULL);
        if (!a || !b) {
            mn_tr_free64(a), mn_tr_free64(b);
            continue;
        }
        size_t align = counts[c] * 8 >= MN_TR_HUGE ? huge : 64;
        CHECK((uintptr_t)a % align == 0 && (uintptr_t)b % align == 0);
        CHECK(a != b);
        for (size_t i = 0; i < counts[c]; i++)
            a[i] = (double)i, b[i] = -(double)i;
        int same = 1;
        for (size_t i = 0; i < counts[c]; i++)
            same &= a[i] == (double)i && b[i] == -(double)i;
        CHECK(same);
        mn_tr_free64(a);
        mn_tr_free64(b);
    }
    mn_tr_free64(NULL);
    CHECK(mn_tr_alloc64(SIZE_MAX / 4, 8) == NULL);  /* over SIZE_MAX / 2 */
    CHECK(mn_tr_alloc64(SIZE_MAX / 16, 8) == NULL); /* mmap refuses 8 EiB */
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    test_alloc64();
    test_grown_window_hierarchy();
    test_swept_residual();
    return mn_test_report("transport_solve");
}
