/* bench/run: time `mnsim run` on every shipped example, stage by stage
 * (roll, heal, delivery by the transport model, the published record of
 * the models used (evidence), output), against the goal of 5 s per example on this
 * 2-core machine. Usage: bench_run [SOURCE_DIR] (default: the source tree). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mnsim/course_deliver.h"
#include "mnsim/course_io.h"
#include "mnsim/report.h"
#include "mnsim/validation_io.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    char stage[16];
    double start, t_roll, t_heal, t_deliver;
} timing;

static int on_progress(void *user, double fraction, const char *stage)
{
    (void)fraction;
    timing *t = user;
    double n = now_s();
    if (strcmp(stage, t->stage)) {
        if (!strcmp(t->stage, "roll"))
            t->t_roll += n - t->start;
        else if (!strcmp(t->stage, "heal"))
            t->t_heal += n - t->start;
        else if (!strcmp(t->stage, "deliver"))
            t->t_deliver += n - t->start;
        snprintf(t->stage, sizeof t->stage, "%s", stage);
        t->start = n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : MNSIM_SOURCE_DIR;
    const char *examples[] = {"acne-scars", "face-zones",    "fine-lines-home",
                              "hair-loss",  "stretch-marks", "seed-protocol"};
    const double goal_s = 5.0;
    char data[4096];
    snprintf(data, sizeof data, "%s/data", src);
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    printf("bench/run: mnsim run on each example, %d thread(s), default resolution "
           "(50 virtual people per zone)\n",
           threads);
    printf("%-16s %8s %8s %8s %8s %9s %10s %8s %14s %10s\n", "example", "total_s",
           "load_s", "roll_s", "heal_s", "deliver_s", "evidence_s", "output_s",
           "transport_share", "vs_goal_5s");
    int failed = 0;
    double worst = 0, worst_share = 0;
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        char path[4300], out[256];
        snprintf(path, sizeof path, "%s/examples/%s.yaml", src, examples[i]);
        snprintf(out, sizeof out, "/tmp/mnsim-bench-run-%ld-%s", (long)getpid(),
                 examples[i]);
        mn_course c;
        mn_course_outcome r = {0};
        mn_course_evidence ev = {0};
        mn_error e;
        timing t = {"", 0, 0, 0, 0};
        mn_progress prog = {on_progress, &t};
        double t0 = now_s();
        mn_status st = mn_course_load(path, data, &c, NULL, &e);
        double t1 = now_s();
        t.start = t1;
        if (!st)
            st = mn_course_run(&c, NULL, &prog, &r, &e); /* ends with "done" */
        double t2 = now_s();
        if (!st) /* as mnsim run does */
            st = mn_course_evidence_load(data, &c, r.delivery.count > 0, &ev, NULL, &e);
        r.evidence = mn_course_evidence_view(&ev);
        double t2e = now_s();
        if (!st)
            st = mn_report_write_all(out, 1, path, &c, &r, &e);
        double t3 = now_s();
        if (st) {
            printf("%-16s failed: %s\n", examples[i], e.message);
            failed = 1;
        } else {
            double total = t3 - t0;
            worst = total > worst ? total : worst;
            double share = t.t_deliver / total;
            worst_share = share > worst_share ? share : worst_share;
            printf(
                "%-16s %8.2f %8.2f %8.2f %8.2f %9.2f %10.2f %8.2f %13.0f%% %9.0f%%\n",
                examples[i], total, t1 - t0, t.t_roll, t.t_heal, t.t_deliver, t2e - t2,
                t3 - t2e, 100 * share, 100 * total / goal_s);
        }
        mn_course_outcome_free(&r);
        mn_course_evidence_free(&ev);
        mn_course_free(&c);
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
        if (system(cmd) != 0)
            failed = 1;
    }
    printf("slowest example: %.2f s = %.0f%% of the 5 s goal; the transport stage "
           "takes up "
           "to %.0f%% of a run\n",
           worst, 100 * worst / goal_s, 100 * worst_share);
    return failed;
}
