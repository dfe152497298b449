/* The transport solver's multigrid hierarchy (src/model/transport_solve.c,
 * an internal module: this test reads the solver's state): a window grown
 * in depth keeps the coarse planes of the window it replaces
 * (mn_tr_mg_build_from), and the hierarchy so built is the one a build
 * from scratch gives, bit for bit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mn_test.h"
#include "mnsim/transport.h"
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

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    test_grown_window_hierarchy();
    return mn_test_report("transport_solve");
}
