/* The delivery stage of a course: which cases run, what they report, the
 * two rules it adds (each fires on a case made for it and not on a safe
 * one), and the same numbers for 1 and 2 threads. */
#include "mn_test.h"
#include "mnsim/course_deliver.h"
#include "mnsim/course_io.h"

#include <stdlib.h>
#include <unistd.h>

static const char *data_dir;

/* A protocol with the given device, zones, anaesthetic time (0: none) and
 * serum (NULL: none). */
static const char *write_protocol(const char *device, const char *zones, double numb_min,
                                  const char *serum)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/mnsim-test-cd-%ld.yaml", (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return NULL;
    fprintf(f,
            "kind: protocol\nperson:\n  age: \"35 years\"\n  sex: female\n  fitzpatrick: 2\n"
            "indication: acne-scars\nsetting: clinic\ndevice: %s\nzones: [%s]\n"
            "pattern: four-direction\npasses: 4\npressure: light\n",
            device, zones);
    if (numb_min > 0)
        fprintf(f,
                "anaesthetic:\n  compound: lidocaine\n  concentration: \"4 %%\"\n"
                "  time: \"%g min\"\n  occlusion: true\n",
                numb_min);
    if (serum)
        fprintf(f, "serum:\n  compound: %s\n  concentration: \"5 %%\"\n  time: \"30 min\"\n",
                serum);
    fprintf(f, "sessions:\n  start: \"2027-01-04\"\n  count: 3\n  interval: \"6 weeks\"\n"
               "seed: 3\n");
    fclose(f);
    return path;
}

typedef struct {
    mn_course c;
    mn_course_result r;
    mn_course_deliveries d;
    mn_status st;
} run;

static void run_course(run *x, const char *path, int threads)
{
    memset(x, 0, sizeof *x);
    mn_error e;
    mn_error_clear(&e);
    x->st = mn_course_load(path, data_dir, &x->c, NULL, &e);
    mn_course_options o;
    mn_course_options_default(&o);
    o.n_samples = 0; /* no bands: the delivery stage is under test */
    if (!x->st)
        x->st = mn_course_simulate(&x->c.in, &o, NULL, &x->r, &e);
    mn_course_deliver_opts d;
    mn_course_deliver_opts_default(&d);
    d.threads = threads;
    if (!x->st)
        x->st = mn_course_deliver(&x->c, &x->r, &d, NULL, &x->d, &e);
    if (x->st)
        fprintf(stderr, "run: %s\n", e.message);
}

static void run_free(run *x)
{
    mn_course_deliveries_free(&x->d);
    mn_course_result_free(&x->r);
    mn_course_free(&x->c);
}

static int has_finding(const run *x, const char *rule)
{
    for (size_t i = 0; i < x->r.findings.count; i++)
        if (!strcmp(x->r.findings.items[i].rule, rule))
            return 1;
    return 0;
}

/* Cases: the anaesthetic once per site on intact skin, the serum once per
 * device and site with the rolled density. */
static void test_cases(void)
{
    run x;
    run_course(&x, write_protocol("roller-192-1.5mm", "cheeks, forehead", 45, "niacinamide"), 1);
    CHECK(x.st == MN_OK);
    CHECK(x.d.count == 4); /* lidocaine at cheek, forehead; niacinamide at both */
    size_t n_an = 0, n_se = 0;
    for (size_t i = 0; i < x.d.count; i++) {
        const mn_course_delivery *k = &x.d.items[i];
        CHECK(k->n_sessions == 3);
        CHECK(k->res.mass_error < 1e-10);
        if (k->role == MN_APPLY_ANAESTHETIC) {
            n_an++;
            CHECK(!k->device && !k->res.has_channels && k->res.enhancement == 1);
            /* calibrated: ~60 min on intact skin (data/compounds.yaml, lidocaine) */
            CHECK(k->res.time_to_numb_s > 40 * 60 && k->res.time_to_numb_s < 90 * 60);
            CHECK(!k->numb_in_time); /* 45 min is not enough */
            CHECK_CLOSE(k->concentration_kg_m3, 40, 1e-12);
        } else {
            n_se++;
            CHECK(k->device && k->res.has_channels);
            /* the roll's density: 16 passes of a 192-needle roller */
            CHECK(k->density_per_m2 * 1e-4 > 150 && k->density_per_m2 * 1e-4 < 350);
            CHECK(k->res.enhancement > 10);
            CHECK(k->res.delivered_kg_m2 > k->res.delivered_intact_kg_m2);
        }
    }
    CHECK(n_an == 2 && n_se == 2);
    CHECK(has_finding(&x, "numbing-too-short"));
    CHECK(has_finding(&x, "serum-into-dermis"));
    run_free(&x);
}

/* Each rule fires on its case and not on a safe one. */
static void test_rules(void)
{
    run x;
    run_course(&x, write_protocol("roller-192-1.0mm", "cheeks", 120, NULL), 1);
    CHECK(x.st == MN_OK && x.d.count == 1);
    CHECK(x.d.count && x.d.items[0].numb_in_time);
    CHECK(!has_finding(&x, "numbing-too-short"));
    CHECK(!has_finding(&x, "serum-into-dermis"));
    run_free(&x);
    /* 0.25 mm needles barely open the stratum corneum: no serum reaches
     * the dermis through channels. */
    run_course(&x, write_protocol("roller-192-0.25mm", "cheeks", 0, "niacinamide"), 1);
    CHECK(x.st == MN_OK && x.d.count == 1);
    CHECK(!has_finding(&x, "serum-into-dermis"));
    run_free(&x);
    run_course(&x, write_protocol("roller-192-1.0mm", "cheeks", 0, "ascorbic-acid"), 1);
    CHECK(x.st == MN_OK && has_finding(&x, "serum-into-dermis"));
    run_free(&x);
    /* No cream, no case. */
    run_course(&x, write_protocol("roller-192-1.0mm", "cheeks", 0, NULL), 1);
    CHECK(x.st == MN_OK && x.d.count == 0);
    run_free(&x);
}

/* The cases run side by side: the numbers do not depend on the threads. */
static void test_threads(void)
{
    const char *p = write_protocol("roller-192-1.0mm", "forehead, nose, chin", 90, "caffeine");
    run a, b;
    run_course(&a, p, 1);
    run_course(&b, p, 2);
    CHECK(a.st == MN_OK && b.st == MN_OK && a.d.count == b.d.count && a.d.count > 4);
    for (size_t i = 0; i < a.d.count && i < b.d.count; i++) {
        const mn_deliver_result *x = &a.d.items[i].res, *y = &b.d.items[i].res;
        CHECK(x->delivered_kg_m2 == y->delivered_kg_m2);
        CHECK(x->mass_error == y->mass_error);
        CHECK(x->iterations == y->iterations);
        CHECK((isnan(x->time_to_numb_s) && isnan(y->time_to_numb_s)) ||
              x->time_to_numb_s == y->time_to_numb_s);
    }
    run_free(&a);
    run_free(&b);
}

/* Names that are not compounds, or not anaesthetics, stop the load. */
static void test_bad_compounds(void)
{
    const char *p = write_protocol("roller-192-1.0mm", "cheeks", 0, "unobtainium");
    mn_course c;
    mn_diags d = {0};
    mn_error e;
    CHECK(mn_course_load(p, data_dir, &c, &d, &e) == MN_ENOTFOUND);
    CHECK_STR_HAS(e.message, "serum.compound");
    CHECK_STR_HAS(e.message, "lidocaine"); /* the known names are listed */
    mn_course_free(&c);
    mn_diags_free(&d);
    FILE *f = fopen(p, "a");
    CHECK(f != NULL);
    if (f) {
        fclose(f);
        p = write_protocol("roller-192-1.0mm", "cheeks", 0, NULL);
        f = fopen(p, "a");
        fprintf(f, "anaesthetic:\n  compound: caffeine\n  concentration: \"3 %%\"\n");
        fclose(f);
    }
    CHECK(mn_course_load(p, data_dir, &c, &d, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "not an anaesthetic");
    mn_course_free(&c);
    mn_diags_free(&d);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "data";
    test_cases();
    test_rules();
    test_threads();
    test_bad_compounds();
    unlink(write_protocol("x", "y", 0, NULL));
    return mn_test_report("course_deliver");
}
