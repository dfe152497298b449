/* The published record beside a course's results (mn_course_evidence_load,
 * src/data/course_evidence.c): the cases of the models a course report
 * shows, evaluated with the course's catalogs, the same verdicts as `mnsim
 * validate`, none for a data folder without validation/, and a broken case
 * file reported, not skipped. */
#include "mn_test.h"
#include "mnsim/course_io.h"
#include "mnsim/validation_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *data_dir;

static int count_model(const mn_vcase_list *l, const char *model)
{
    int n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += !strcmp(l->items[i].model, model);
    return n;
}

static void test_shipped(mn_course *c)
{
    for (int with_delivery = 0; with_delivery < 2; with_delivery++) {
        mn_course_evidence ev;
        mn_error e;
        mn_error_clear(&e);
        CHECK(mn_course_evidence_load(data_dir, c, with_delivery, &ev, NULL, &e) ==
              MN_OK);
        CHECK(ev.cases.count > 20 && ev.results != NULL);
        CHECK(count_model(&ev.cases, "depth") >= 3 &&
              count_model(&ev.cases, "heal") >= 10);
        CHECK(count_model(&ev.cases, "channel") >= 4 &&
              count_model(&ev.cases, "roll") >= 1);
        CHECK((count_model(&ev.cases, "deliver") > 0) == with_delivery);
        /* every case comes out as its file says: pass, or its known
         * discrepancy */
        mn_validation_summary s;
        mn_validation_summarise(&ev.cases, ev.results, &s);
        CHECK(s.unexpected == 0 && s.not_run == 0 && s.known > 0);
        CHECK(s.validation > 0 && s.validation_passed < s.validation);
        mn_evidence v = mn_course_evidence_view(&ev);
        CHECK(v.cases == &ev.cases && v.results == ev.results);
        mn_course_evidence_free(&ev);
        CHECK(ev.cases.count == 0 && ev.results == NULL);
    }
}

/* A data folder of one's own: without validation/ nothing, with a broken
 * case file an error naming it. */
static void test_own_folder(mn_course *c)
{
    char dir[64], sub[96], file[128];
    snprintf(dir, sizeof dir, "/tmp/mnsim-test-ev-%ld", (long)getpid());
    snprintf(sub, sizeof sub, "%s/validation", dir);
    snprintf(file, sizeof file, "%s/broken.yaml", sub);
    CHECK(mkdir(dir, 0700) == 0);
    mn_course_evidence ev;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_course_evidence_load(dir, c, 1, &ev, NULL, &e) == MN_OK);
    CHECK(ev.cases.count == 0 && mn_course_evidence_view(&ev).cases == NULL);
    mn_course_evidence_free(&ev);
    CHECK(mkdir(sub, 0700) == 0);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("kind: validation\ncases:\n  - name: x\n    model: depth\n", f);
        fclose(f);
    }
    mn_diags d = {0};
    CHECK(mn_course_evidence_load(dir, c, 1, &ev, &d, &e) != MN_OK);
    CHECK(d.count > 0 && strstr(d.items[0].file, "broken.yaml") != NULL);
    mn_diags_free(&d);
    mn_course_evidence_free(&ev);
    unlink(file);
    rmdir(sub);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    data_dir = argc > 1 ? argv[1] : "data";
    char path[4200];
    snprintf(path, sizeof path, "%s/../examples/acne-scars.yaml", data_dir);
    mn_course c;
    mn_error e;
    mn_error_clear(&e);
    memset(&c, 0, sizeof c);
    CHECK(mn_course_load(path, data_dir, &c, NULL, &e) == MN_OK);
    if (!e.code) {
        test_shipped(&c);
        test_own_folder(&c);
    } else {
        fprintf(stderr, "course: %s\n", e.message);
    }
    mn_course_free(&c);
    return mn_test_report("course_evidence");
}
