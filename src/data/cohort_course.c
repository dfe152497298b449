/* The course of a trial's arm: its protocol with the arm's overrides,
 * resolved against the data directory (mnsim/cohort_io.h). Apart from
 * cohort_io.c, whose schemas `mnsim check` uses (check.c), so that no two
 * files call each other in a circle. */
#include "mnsim/cohort_io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/course_io.h"
#include "mnsim/protocol_io.h"

typedef mn_cohort_arm_spec arm_t;

static int replace(char **dst, const char *src)
{
    char *s = src ? strdup(src) : NULL;
    if (src && !s)
        return -1;
    free(*dst);
    *dst = s;
    return 0;
}

static mn_status apply_overrides(const arm_t *a, const char *trial_path, mn_protocol *p,
                                 mn_error *err)
{
    if ((!isnan(a->interval_s) || a->sessions) && p->dates.count) {
        return mn_error_set_at(err, MN_EINVAL, trial_path, a->line, a->column,
                               "arm %s: interval and sessions cannot override %s, "
                               "which gives its sessions as dates",
                               a->name, a->protocol);
    }
    if (!isnan(a->interval_s))
        p->interval_s = a->interval_s;
    if (a->sessions)
        p->count = a->sessions;
    int bad = a->device ? replace(&p->device, a->device) : 0;
    if (a->serum && !strcmp(a->serum, "none")) {
        bad |= replace(&p->serum.compound, NULL);
    } else if (a->serum) {
        bad |= replace(&p->serum.compound, a->serum);
        if (!(p->serum.time_s > 0))
            p->serum.time_s = 30 * 60.0;
        p->serum.line = a->line;
        p->serum.column = a->column;
    }
    if (!isnan(a->serum_concentration))
        p->serum.concentration = a->serum_concentration;
    return bad ? mn_error_set(err, MN_ENOMEM, "out of memory") : MN_OK;
}

mn_status mn_cohort_arm_course_load(const mn_cohort_arm_spec *a, const char *trial_path,
                                    const char *data_dir, mn_course *c, mn_diags *diags,
                                    mn_error *err)
{
    memset(c, 0, sizeof *c);
    mn_protocol_init(&c->protocol);
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t first = d->count;
    mn_status st = mn_protocol_load(a->protocol, &c->protocol, d, err);
    if (!st)
        st = apply_overrides(a, trial_path, &c->protocol, err);
    if (!st)
        st = mn_course_resolve(c, a->protocol, data_dir, d, err);
    if (st && err && d->count > first)
        *err = d->items[first];
    mn_diags_free(&local);
    return st;
}
