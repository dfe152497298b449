/* The course pipeline: the stages of a course in order (mnsim/course_run.h). */
#include "mnsim/course_run.h"

#include <string.h>

void mn_course_run_options_default(mn_course_run_options *o)
{
    memset(o, 0, sizeof *o);
    mn_course_options_default(&o->simulate);
    o->deliver = 1;
    mn_course_deliver_opts_default(&o->delivery);
}

mn_status mn_course_run(const mn_course *c, const mn_course_run_options *o,
                        const mn_progress *progress, mn_course_outcome *out,
                        mn_error *err)
{
    memset(out, 0, sizeof *out);
    mn_course_run_options defaults;
    if (!o) {
        mn_course_run_options_default(&defaults);
        o = &defaults;
    }
    mn_status st =
        mn_course_simulate(&c->in, &o->simulate, progress, &out->course, err);
    if (st == MN_OK && o->deliver)
        st = mn_course_deliver(c, &out->course, &o->delivery, progress, &out->delivery,
                               err);
    if (st == MN_OK && mn_progress_report(progress, 1.0, "done"))
        st = mn_error_set(err, MN_ECANCEL, "cancelled");
    return st;
}

void mn_course_outcome_free(mn_course_outcome *o)
{
    if (!o)
        return;
    mn_course_deliveries_free(&o->delivery);
    mn_course_result_free(&o->course);
    memset(o, 0, sizeof *o);
}
