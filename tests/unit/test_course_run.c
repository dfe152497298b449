/* The course pipeline (mn_course_run): the same numbers as its stages run
 * one by one, the stages in order ending in "done", cancellation from the
 * progress callback, the delivery stage skipped on request, and defaults
 * for NULL options. */
#include "mn_test.h"
#include "mnsim/course_io.h"
#include "mnsim/course_run.h"

#include <stdlib.h>

static const char *data_dir;
static char example[4200];

typedef struct {
    char stages[8][16];
    int n;
    int cancel_at; /* cancel when this many stage changes were seen (0: never) */
} stage_log;

static int log_stage(void *user, double fraction, const char *stage)
{
    stage_log *l = user;
    (void)fraction;
    if (l->n == 0 || strcmp(l->stages[l->n - 1], stage)) {
        if (l->n < 8)
            snprintf(l->stages[l->n++], sizeof l->stages[0], "%s", stage);
        if (l->cancel_at && l->n >= l->cancel_at)
            return 1;
    }
    return 0;
}

static int load(mn_course *c)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_course_load(example, data_dir, c, NULL, &e) != MN_OK) {
        fprintf(stderr, "load %s: %s\n", example, e.message);
        return 0;
    }
    return 1;
}

/* The pipeline gives bit for bit what its stages give when called one by
 * one, and reports the stages in order. */
static void test_same_as_stages(void)
{
    mn_course c;
    if (!load(&c)) {
        CHECK(0);
        return;
    }
    mn_course_run_options o;
    mn_course_run_options_default(&o);
    o.simulate.n_samples = 5;
    stage_log log = {0};
    mn_progress prog = {log_stage, &log};
    mn_course_outcome out;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_course_run(&c, &o, &prog, &out, &e) == MN_OK);

    mn_course_result r;
    mn_course_deliveries d;
    CHECK(mn_course_simulate(&c.in, &o.simulate, NULL, &r, &e) == MN_OK);
    CHECK(mn_course_deliver(&c, &r, &o.delivery, NULL, &d, &e) == MN_OK);

    CHECK(out.course.n_sessions == r.n_sessions && out.course.n_zones == r.n_zones);
    CHECK(out.course.total_punctures == r.total_punctures);
    CHECK(out.course.findings.count == r.findings.count);
    for (size_t z = 0; z < r.n_zones; z++) {
        const mn_heal_result *a = &out.course.heal[out.course.heal_of[z]];
        const mn_heal_result *b = &r.heal[r.heal_of[z]];
        CHECK(a->n_days == b->n_days);
        if (a->n_days == b->n_days && a->n_days)
            CHECK(memcmp(a->daily, b->daily,
                         a->n_days * MN_HEAL_NSTATES * sizeof(double)) == 0);
    }
    CHECK(out.delivery.count == d.count && d.count > 0);
    for (size_t i = 0; i < d.count && i < out.delivery.count; i++)
        CHECK(out.delivery.items[i].res.delivered_kg_m2 ==
              d.items[i].res.delivered_kg_m2);

    CHECK(log.n >= 4);
    CHECK(!strcmp(log.stages[0], "roll"));
    CHECK(!strcmp(log.stages[1], "heal"));
    CHECK(!strcmp(log.stages[2], "deliver"));
    CHECK(!strcmp(log.stages[log.n - 1], "done"));

    mn_course_deliveries_free(&d);
    mn_course_result_free(&r);
    mn_course_outcome_free(&out);
    mn_course_outcome_free(&out); /* freeing twice is harmless */
    mn_course_free(&c);
}

/* A callback that asks to stop is obeyed, with MN_ECANCEL, and the
 * outcome can still be freed. */
static void test_cancel(void)
{
    mn_course c;
    if (!load(&c)) {
        CHECK(0);
        return;
    }
    for (int at = 1; at <= 3; at++) {
        stage_log log = {0};
        log.cancel_at = at;
        mn_progress prog = {log_stage, &log};
        mn_course_outcome out;
        mn_error e;
        mn_error_clear(&e);
        mn_course_run_options o;
        mn_course_run_options_default(&o);
        o.simulate.n_samples = 2;
        CHECK(mn_course_run(&c, &o, &prog, &out, &e) == MN_ECANCEL);
        mn_course_outcome_free(&out);
    }
    mn_course_free(&c);
}

/* Without the delivery stage there are no cases; NULL options are the
 * defaults. */
static void test_options(void)
{
    mn_course c;
    if (!load(&c)) {
        CHECK(0);
        return;
    }
    mn_course_run_options o;
    mn_course_run_options_default(&o);
    CHECK(o.deliver == 1);
    CHECK(o.simulate.n_samples > 0);
    o.deliver = 0;
    o.simulate.n_samples = 0;
    mn_course_outcome out;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_course_run(&c, &o, NULL, &out, &e) == MN_OK);
    CHECK(out.delivery.count == 0);
    CHECK(out.course.band == NULL || out.course.n_samples == 0);
    mn_course_outcome_free(&out);
    mn_course_free(&c);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "data";
    snprintf(example, sizeof example, "%s/../examples/acne-scars.yaml", data_dir);
    test_same_as_stages();
    test_cancel();
    test_options();
    return mn_test_report("course_run");
}
