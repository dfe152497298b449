/* Virtual trials: the readers of population and trial files, the
 * statistics (Wilson, quantiles, bootstrap), sampling people, and that a
 * block of people gives the same numbers however it is split or threaded. */
#include "mn_test.h"
#include "mnsim/cohort.h"
#include "mnsim/cohort_io.h"
#include "mnsim/cohort_report.h"
#include "mnsim/course_io.h"
#include "mnsim/healing_io.h"

#include <stdlib.h>

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#define YEAR_S (365.2425 * 86400.0)

static const char *data_dir;
static char examples[4200];

static void test_wilson(void)
{
    double lo, hi;
    mn_cohort_wilson(5, 10, &lo, &hi);
    CHECK_CLOSE(lo, 0.2365930, 1e-6);
    CHECK_CLOSE(hi, 0.7634070, 1e-6);
    mn_cohort_wilson(0, 10, &lo, &hi); /* upper: z^2 / (n + z^2) */
    CHECK(lo == 0);
    CHECK_CLOSE(hi, 3.8414588 / 13.8414588, 1e-6);
    mn_cohort_wilson(10, 10, &lo, &hi);
    CHECK_CLOSE(hi, 1, 1e-12);
    CHECK_CLOSE(lo, 10 / 13.8414588, 1e-6);
    mn_cohort_wilson(0, 0, &lo, &hi);
    CHECK(isnan(lo) && isnan(hi));
}

static void test_quantile(void)
{
    double x[] = {4, 1, NAN, 3, 2};
    CHECK(mn_cohort_quantile(x, 5, 0.5) == 2.5);
    CHECK_CLOSE(mn_cohort_quantile(x, 5, 0.05), 1.15, 1e-12);
    CHECK(mn_cohort_quantile(x, 5, 1.0) == 4);
    CHECK(mn_cohort_quantile(x, 5, 0.0) == 1);
    double none[] = {NAN};
    CHECK(isnan(mn_cohort_quantile(none, 1, 0.5)));
    CHECK(isnan(mn_cohort_quantile(none, 0, 0.5)));
}

static void test_bootstrap(void)
{
    double x[100];
    for (int i = 0; i < 100; i++)
        x[i] = i;
    double lo1, hi1, lo2, hi2, lo3, hi3;
    CHECK(mn_cohort_bootstrap_mean(x, 100, 2000, 7, 1, &lo1, &hi1) == MN_OK);
    CHECK(mn_cohort_bootstrap_mean(x, 100, 2000, 7, 1, &lo2, &hi2) == MN_OK);
    CHECK(lo1 == lo2 && hi1 == hi2); /* one stream: the same numbers */
    CHECK(mn_cohort_bootstrap_mean(x, 100, 2000, 7, 2, &lo3, &hi3) == MN_OK);
    CHECK(lo3 != lo1 || hi3 != hi1); /* another key, another stream */
    CHECK(lo1 < 49.5 && hi1 > 49.5);
    /* the normal-theory half-width is 1.96 x 29.0 / 10 = 5.7 */
    CHECK(hi1 - lo1 > 0.8 * 11.4 && hi1 - lo1 < 1.2 * 11.4);
    double c[5] = {3, 3, 3, 3, 3};
    CHECK(mn_cohort_bootstrap_mean(c, 5, 100, 7, 1, &lo1, &hi1) == MN_OK);
    CHECK(lo1 == 3 && hi1 == 3);
}

static int load_pop(const char *name, mn_cohort_population *p)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", examples, name);
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_cohort_population_load(path, p, NULL, &e);
    if (st)
        fprintf(stderr, "%s: %s\n", path, e.message);
    return st;
}

static void test_readers(void)
{
    static const char *const pops[] = {
        "population-acne.yaml", "population-fine-lines.yaml",
        "population-hair-loss.yaml", "population-stretch-marks.yaml"};
    for (int i = 0; i < 4; i++) {
        mn_cohort_population p;
        CHECK(load_pop(pops[i], &p) == MN_OK);
        CHECK(p.age.source || p.age.typical);
        mn_cohort_population_clear(&p);
    }
    mn_cohort_population p;
    CHECK(load_pop("population-acne.yaml", &p) == MN_OK);
    CHECK_CLOSE(p.female_share, 0.65, 1e-12);
    CHECK_CLOSE(p.age_mean_s, 27 * YEAR_S, 1e-12);
    CHECK_CLOSE(p.fitzpatrick[4], 0.15, 1e-12);
    CHECK_CLOSE(p.early_max_s, 7 * 86400.0, 1e-12);
    mn_cohort_population_clear(&p);

    char path[4300];
    snprintf(path, sizeof path, "%s/trial-acne.yaml", examples);
    mn_cohort_trial t;
    mn_error e;
    CHECK(mn_cohort_trial_load(path, &t, NULL, &e) == MN_OK);
    CHECK(t.n_people == 10000 && t.arms.count == 3 && t.seed == 2027);
    CHECK(t.endpoints.n_months == 3 && t.endpoints.months[2] == 12);
    CHECK_CLOSE(t.endpoints.responder_month, 6, 1e-12);
    CHECK_CLOSE(t.endpoints.responder_pct, 30, 1e-12);
    CHECK_CLOSE(t.endpoints.bleeding_threshold, 0.1, 1e-12);
    CHECK(t.endpoints.numbness == 1);
    CHECK(t.n_age_bands == 2 && fabs(t.age_bands_years[1] - 35) < 1e-9);
    const mn_cohort_arm_spec *a = t.arms.items;
    CHECK_STR_HAS(a[0].protocol, "examples/acne-scars.yaml");
    CHECK_STR_HAS(t.population, "examples/population-acne.yaml");
    CHECK(a[1].sessions == 4 && !strcmp(a[1].device, "roller-192-1.0mm"));
    CHECK(isnan(a[0].interval_s) && fabs(a[2].interval_s - 42 * 86400.0) < 1e-6);
    CHECK(mn_cohort_n_endpoints(&t.endpoints) == 9 + MN_COHORT_E_FIXED);
    char nm[64];
    CHECK(!strcmp(mn_cohort_endpoint_name(&t.endpoints, 3, nm, sizeof nm),
                  "collagen_pct_m6"));
    CHECK(!strcmp(
        mn_cohort_endpoint_name(&t.endpoints, 9 + MN_COHORT_E_PIH, nm, sizeof nm),
        "pih_index"));
    /* the overrides reach the course */
    mn_course c;
    CHECK(mn_cohort_arm_course_load(&a[1], path, data_dir, &c, NULL, &e) == MN_OK);
    CHECK(c.n_sessions == 4 && !strcmp(c.devices[0].name, "roller-192-1.0mm"));
    mn_course_free(&c);
    CHECK(mn_cohort_arm_course_load(&a[2], path, data_dir, &c, NULL, &e) == MN_OK);
    CHECK(c.n_sessions == 3 && c.sessions[1].at - c.sessions[0].at == 42 * 86400);
    CHECK(c.protocol.serum.compound == NULL);
    mn_course_free(&c);
    mn_cohort_trial_clear(&t);
}

static void test_sampling(void)
{
    mn_cohort_population p;
    CHECK(load_pop("population-acne.yaml", &p) == MN_OK);
    mn_heal_data h;
    mn_error e;
    char path[4300];
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    memset(&h, 0, sizeof h);
    CHECK(mn_heal_data_load(path, &h, NULL, &e) == MN_OK);
    mn_heal_population hp;
    mn_cohort_healing_population(&p, &h.population, &hp);
    mn_cohort_person a, b;
    mn_cohort_person_sample(&p, &hp, 11, 42, &a);
    mn_cohort_person_sample(&p, &hp, 11, 42, &b);
    CHECK(!memcmp(&a, &b, sizeof a));
    mn_cohort_person_sample(&p, &hp, 12, 42, &b);
    CHECK(memcmp(&a, &b, sizeof a) != 0);
    size_t n = 20000, women = 0, type5 = 0, in_range = 0;
    for (size_t i = 0; i < n; i++) {
        mn_cohort_person_sample(&p, &hp, 11, i, &a);
        women += a.sex == MN_SEX_FEMALE;
        type5 += a.fitzpatrick == 5;
        in_range += a.age_years >= 18 && a.age_years <= 50;
    }
    /* within 4 binomial standard deviations */
    CHECK(fabs((double)women / n - 0.65) < 4 * sqrt(0.65 * 0.35 / n));
    CHECK(fabs((double)type5 / n - 0.15) < 4 * sqrt(0.15 * 0.85 / n));
    CHECK(in_range == n);
    mn_heal_data_clear(&h);
    mn_cohort_population_clear(&p);
}

static void test_summary(void)
{
    mn_cohort_trial t;
    memset(&t, 0, sizeof t);
    t.endpoints.n_months = 1;
    t.endpoints.months[0] = 6;
    t.endpoints.responder_month = 6;
    t.bootstrap = 200;
    t.seed = 3;
    size_t ne = mn_cohort_n_endpoints(&t.endpoints), np = 4, na = 2;
    mn_cohort_person people[4];
    memset(people, 0, sizeof people);
    double *v = calloc(np * na * ne, sizeof *v);
    for (size_t i = 0; i < np; i++) {
        people[i].index = i;
        people[i].fitzpatrick = i < 2 ? 2 : 5;
        people[i].sex = i % 2 ? MN_SEX_MALE : MN_SEX_FEMALE;
        people[i].age_years = 20 + 10 * (double)i;
        v[(i * na + 0) * ne + 0] = (double)i;     /* arm 0: 0 1 2 3 */
        v[(i * na + 1) * ne + 0] = (double)i + 2; /* arm 1: +2 each */
        v[(i * na + 1) * ne + 3 + MN_COHORT_E_RESPONDER] = i < 3;
    }
    mn_cohort_summary s;
    mn_error e;
    CHECK(mn_cohort_summarise(&t, people, np, na, v, &s, &e) == MN_OK);
    CHECK(s.n_subgroups == 7 && !strcmp(s.subgroups[3].name, "fitzpatrick V-VI"));
    const mn_cohort_stat *x = &s.stats[(1 * s.n_subgroups + 0) * ne + 0];
    CHECK(x->n == 4 && x->median == 3.5 && x->mean == 3.5);
    const mn_cohort_stat *r =
        &s.stats[(1 * s.n_subgroups + 0) * ne + 3 + MN_COHORT_E_RESPONDER];
    CHECK(r->k == 3 && r->rate == 0.75);
    const mn_cohort_stat *g = &s.stats[(0 * s.n_subgroups + 3) * ne + 0];
    CHECK(g->n == 2 && g->median == 2.5); /* types V-VI: people 2 and 3 */
    CHECK(s.n_diffs == s.n_subgroups * s.n_compared);
    CHECK(s.diffs[0].endpoint == 0 && s.diffs[0].mean == 2 && s.diffs[0].lo == 2 &&
          s.diffs[0].hi == 2);
    /* the same input, the same summary */
    mn_cohort_summary s2;
    CHECK(mn_cohort_summarise(&t, people, np, na, v, &s2, &e) == MN_OK);
    CHECK(!memcmp(s.diffs, s2.diffs, s.n_diffs * sizeof *s.diffs));
    mn_cohort_summary_free(&s);
    mn_cohort_summary_free(&s2);
    free(v);
}

/* A block split in two, or run on 1 and 2 threads: the same bytes. */
static void test_block(void)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/trial-acne.yaml", examples);
    mn_cohort_trial t;
    mn_cohort_population p;
    mn_error e;
    CHECK(mn_cohort_trial_load(path, &t, NULL, &e) == MN_OK);
    CHECK(mn_cohort_population_load(t.population, &p, NULL, &e) == MN_OK);
    mn_course c[2];
    mn_cohort_arm arms[2];
    for (int a = 0; a < 2; a++) {
        CHECK(mn_cohort_arm_course_load((mn_cohort_arm_spec *)t.arms.items + a, path,
                                        data_dir, &c[a], NULL, &e) == MN_OK);
        CHECK(mn_cohort_arm_prepare(&c[a], NULL, 0, &arms[a], &e) == MN_OK);
    }
    mn_heal_population hp;
    mn_cohort_healing_population(&p, &c[0].healing.population, &hp);
    size_t ne = mn_cohort_n_endpoints(&t.endpoints), n = 4;
    double *v1 = calloc(n * 2 * ne, sizeof *v1), *v2 = calloc(n * 2 * ne, sizeof *v2);
    mn_cohort_person pe[4];
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(1);
#endif
    CHECK(mn_cohort_run_block(&t, &p, &hp, arms, 2, 100, n, pe, v1, &e) == MN_OK);
#ifdef MNSIM_HAVE_OPENMP
    omp_set_num_threads(2);
#endif
    CHECK(mn_cohort_run_block(&t, &p, &hp, arms, 2, 100, 1, pe, v2, &e) == MN_OK);
    CHECK(mn_cohort_run_block(&t, &p, &hp, arms, 2, 101, 3, pe, v2 + 2 * ne, &e) ==
          MN_OK);
    CHECK(!memcmp(v1, v2, n * 2 * ne * sizeof *v1));
    CHECK(v1[3] > 0); /* collagen at 6 months rises */
    CHECK(v1[ne + 9 + MN_COHORT_E_SESSIONS] >= 1);
    char *rows = mn_cohort_rows_csv(&t, (const char *const[]){"a", "b"}, 2, pe, 1,
                                    v1 + 2 * ne, 1);
    CHECK_STR_HAS(rows, "person,arm,age_years,sex,fitzpatrick,collagen_pct_m3");
    CHECK_STR_HAS(rows, "\n101,\"a\",");
    free(rows);
    free(v1);
    free(v2);
    for (int a = 0; a < 2; a++) {
        mn_cohort_arm_free(&arms[a]);
        mn_course_free(&c[a]);
    }
    mn_cohort_population_clear(&p);
    mn_cohort_trial_clear(&t);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "data";
    snprintf(examples, sizeof examples, "%s/../examples", data_dir);
    test_wilson();
    test_quantile();
    test_bootstrap();
    test_readers();
    test_sampling();
    test_summary();
    test_block();
    return mn_test_report("cohort");
}
