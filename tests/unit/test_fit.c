/* Fitting healing parameters (mn_fit_healing): measurements simulated by
 * mnsim itself with known parameters and noise are fitted from the shipped
 * medians; the known values must fall inside the 95% intervals, chi-square
 * must fall and be plausible for its degrees of freedom, and the bad
 * inputs are refused. */
#include "mn_test.h"
#include "mnsim/fit.h"
#include "mnsim/channels_io.h"
#include "mnsim/healing_io.h"
#include "mnsim/rng.h"

#include <stdlib.h>

static mn_heal_data hd;
static mn_channel_params channel;
static mn_validation_env env;

/* A heal case with a fixed dose (the calibration course's), n sessions
 * every interval_days, measured at at_days; value filled later. */
static void make_case(mn_vcase *c, int k, const char *quantity, int n,
                      int interval_days, int at_days)
{
    static const char *const keys[] = {"sessions", "interval",     "at",      "density",
                                       "depth",    "dermis_depth", "bleeding"};
    char vals[7][32];
    snprintf(vals[0], 32, "%d", n);
    snprintf(vals[1], 32, "%d days", interval_days);
    snprintf(vals[2], 32, "%d days", at_days);
    snprintf(vals[3], 32, "229 /cm2");
    snprintf(vals[4], 32, "840 um");
    snprintf(vals[5], 32, "777 um");
    snprintf(vals[6], 32, "100 %%");
    memset(c, 0, sizeof *c);
    char name[32];
    snprintf(name, sizeof name, "synthetic-%d", k);
    c->name = strdup(name);
    c->model = strdup("heal");
    c->quantity = strdup(quantity);
    c->reference = strdup("synthetic");
    c->input.count = 7;
    c->input.keys = calloc(7, sizeof(char *));
    c->input.values = calloc(7, sizeof(char *));
    for (int i = 0; i < 7; i++) {
        c->input.keys[i] = strdup(keys[i]);
        c->input.values[i] = strdup(vals[i]);
    }
    c->sd = 2.0; /* percentage points */
    c->tolerance = 4.0;
    c->low = c->high = NAN;
    c->n = -1;
    c->role = MN_VCASE_VALIDATION;
}

static void test_recovers_known_parameters(void)
{
    enum { NC = 8 };
    mn_vcase_list cases = {calloc(NC, sizeof(mn_vcase)), NC};
    const char *q[NC] = {"collagen_total_pct", "collagen_total_pct",
                         "collagen_total_pct", "epidermis_pct",
                         "collagen_total_pct", "collagen_i_pct",
                         "collagen_iii_pct",   "epidermis_pct"};
    int n[NC] = {4, 4, 4, 4, 6, 6, 6, 1};
    int iv[NC] = {28, 28, 28, 28, 14, 14, 14, 1};
    int at[NC] = {90, 180, 365, 180, 120, 60, 60, 90};
    for (int i = 0; i < NC; i++)
        make_case(&cases.items[i], i, q[i], n[i], iv[i], at[i]);

    /* The truth: collagen I synthesis +30%, collagen III synthesis -20%. */
    int ids[2] = {MN_HEAL_P_C1_SYN, MN_HEAL_P_C3_SYN};
    mn_heal_population truth = hd.population;
    truth.median.value[ids[0]] *= 1.3;
    truth.median.value[ids[1]] *= 0.8;
    mn_validation_env tenv = env;
    tenv.healing = &truth;
    mn_rng rng;
    mn_rng_init(&rng, 7, "test-fit", 0, 0);
    for (int i = 0; i < NC; i++) {
        mn_vresult r;
        CHECK(mn_vcase_evaluate(&tenv, &cases.items[i], &r, NULL) == MN_OK);
        CHECK(r.status == MN_OK);
        cases.items[i].value = r.value + cases.items[i].sd * mn_rng_normal(&rng);
    }

    mn_fit_options o = {ids, 2, 100};
    mn_heal_population fitted;
    mn_fit_result fr;
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_fit_healing(&env, &cases, &o, NULL, &fitted, &fr, &e);
    if (st)
        fprintf(stderr, "fit: %s\n", e.message);
    CHECK(st == MN_OK);
    CHECK(fr.converged);
    CHECK(fr.n_used == NC && fr.dof == NC - 2);
    CHECK(fr.chi2 < fr.chi2_start);
    CHECK(fr.p_value > 0.001);
    for (int j = 0; j < 2; j++) {
        double t = truth.median.value[ids[j]];
        printf("  %s: truth %.4g, fit %.4g [%.4g, %.4g] (start %.4g)\n",
               mn_heal_param_get_info(ids[j])->key, t, fr.value[j], fr.lo95[j],
               fr.hi95[j], fr.start[j]);
        CHECK(fr.lo95[j] <= t && t <= fr.hi95[j]);
        CHECK(fr.identified[j]);
        CHECK(fitted.median.value[ids[j]] == fr.value[j]);
    }
    /* More collagen I synthesis raises collagen I. */
    CHECK(fr.sensitivity[5 * 2 + 0] > 0);
    CHECK(fabs(fr.correlation[0 * 2 + 1]) <= 1.0 + 1e-12);
    mn_fit_result_free(&fr);

    /* More parameters than cases with a value: refused, and freeable. */
    mn_vcase_list one = {cases.items, 1};
    CHECK(mn_fit_healing(&env, &one, &o, NULL, &fitted, &fr, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "at least as many cases");
    mn_fit_result_free(&fr);
    mn_fit_options none = {ids, 0, 100};
    CHECK(mn_fit_healing(&env, &cases, &none, NULL, &fitted, &fr, &e) == MN_EINVAL);
    mn_fit_result_free(&fr);
    mn_vcase_list_free(&cases);
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "data";
    char path[1024];
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    mn_error e;
    mn_error_clear(&e);
    if (mn_heal_data_load(path, &hd, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    snprintf(path, sizeof path, "%s/channels.yaml", data_dir);
    if (mn_channel_params_load(path, &channel, NULL, &e) != MN_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    env.healing = &hd.population;
    env.channel = &channel;
    test_recovers_known_parameters();
    mn_heal_data_clear(&hd);
    return mn_test_report("fit");
}
