/* A starting plan made a checked course (see mnsim/plan_course.h). */
#include "mnsim/plan_course.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/course_io.h"
#include "mnsim/plan.h"
#include "mnsim/plan_io.h"

/* The protocol of the plan for a request, from data_dir/plans.yaml. */
static mn_status plan_protocol(const char *data_dir, const mn_plan_request *req,
                               mn_protocol *p, char **source, mn_error *err)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/plans.yaml", data_dir);
    mn_plan_list plans = {0};
    const mn_plan *plan;
    mn_status st = mn_plans_load(path, &plans, NULL, err);
    if (!st)
        st = mn_plan_find(&plans, req->indication, req->setting, &plan, err);
    if (!st)
        st = mn_plan_to_protocol(plan, req->start, req->zones, req->sex,
                                 req->fitzpatrick, p, err);
    if (!st && !(*source = strdup(plan->source ? plan->source : "")))
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_plan_list_free(&plans);
    return st;
}

mn_status mn_plan_course(const char *data_dir, const mn_plan_request *req,
                         mn_course *course, char **source, mn_findings *findings,
                         mn_diags *diags, mn_error *err)
{
    memset(course, 0, sizeof *course);
    mn_protocol_init(&course->protocol);
    memset(findings, 0, sizeof *findings);
    *source = NULL;
    mn_status st = plan_protocol(data_dir, req, &course->protocol, source, err);
    if (st)
        return st;
    if (req->device) {
        free(course->protocol.device);
        if (!(course->protocol.device = strdup(req->device)))
            return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    if ((st = mn_course_resolve(course, "plan", data_dir, diags, err)))
        return st;
    return mn_course_check(&course->in, findings, err);
}
