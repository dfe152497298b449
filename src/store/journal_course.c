/* The recorded sessions of a person as a course (mnsim/journal.h). */
#include "mnsim/journal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/catalog.h"
#include "mnsim/course_io.h"
#include "mnsim/course_run.h"

static char *dupstr(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A catalog device for a recorded session: its device's catalog name, or
 * the standard roller of its needle length. */
static const char *device_for(const mn_device_list *cat, const mn_journal_rows *devs,
                              const mn_journal_row *sess)
{
    const char *code = mn_journal_row_value(sess, "device");
    for (size_t d = 0; code && d < devs->count; d++) {
        const char *dc = mn_journal_row_value(&devs->rows[d], "code");
        if (dc && !strcmp(dc, code))
            return mn_journal_row_value(&devs->rows[d], "catalog_name");
    }
    const char *len = mn_journal_row_value(sess, "needle_length_mm");
    double mm = len ? atof(len) : 0;
    const char *any = NULL;
    for (size_t i = 0; i < cat->count; i++) {
        const mn_device *x = &cat->items[i];
        if (fabs(x->needle_length_m * 1e3 - mm) > 1e-6)
            continue;
        if (x->type == MN_DEVICE_ROLLER && mn_device_needle_count(x) == 192)
            return x->name;
        if (!any)
            any = x->name;
    }
    return any;
}

static void split_into(const char *text, mn_strings *out)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    out->items = calloc(64, sizeof(char *));
    out->count = 0;
    char *save = NULL;
    for (char *z = strtok_r(buf, ", ", &save); z && out->items && out->count < 64;
         z = strtok_r(NULL, ", ", &save))
        out->items[out->count++] = strdup(z);
}

mn_status mn_journal_course(mn_journal *jn, int64_t pid, const char *code, int ind,
                            const char *data, mn_course *course, mn_diags *d,
                            mn_error *err)
{
    memset(course, 0, sizeof *course);
    mn_protocol_init(&course->protocol);
    mn_journal_rows sess = {0}, devs = {0}, people = {0};
    mn_device_list cat = {0};
    mn_status st = MN_OK;
    if ((st = mn_journal_list(jn, MN_J_SESSION, pid, &sess, err)) ||
        (st = mn_journal_list(jn, MN_J_DEVICE, 0, &devs, err)) ||
        (st = mn_journal_get(jn, MN_J_PERSON, pid, &people, err)))
        goto done;
    if (sess.count == 0) {
        st = mn_error_set(err, MN_EINVAL, "%s has no recorded sessions", code);
        goto done;
    }
    char path[4300];
    snprintf(path, sizeof path, "%s/devices.yaml", data);
    if ((st = mn_devices_load(path, &cat, NULL, err)))
        goto done;
    mn_protocol *p = &course->protocol;
    const mn_journal_row *who = &people.rows[0];
    const char *sex = mn_journal_row_value(who, "sex"),
               *fitz = mn_journal_row_value(who, "fitzpatrick");
    char name[128];
    snprintf(name, sizeof name, "Recorded course of %s (journal)", code);
    p->name = strdup(name);
    p->person.sex = sex && !strcmp(sex, "male") ? MN_SEX_MALE : MN_SEX_FEMALE;
    p->person.fitzpatrick = fitz ? atol(fitz) : -1;
    p->indication = ind;
    const char *prac = mn_journal_row_value(&sess.rows[0], "practitioner");
    p->setting = prac && !strcmp(prac, "self") ? MN_SETTING_HOME : MN_SETTING_CLINIC;
    p->pattern = strdup("four-direction");
    p->dates.items = calloc(sess.count, sizeof(char *));
    p->overrides.items = calloc(sess.count, sizeof(mn_session_override));
    if (!p->dates.items || !p->overrides.items) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    /* Each recorded session is one dated session with its own device,
     * zones and passes. */
    for (size_t i = 0; i < sess.count; i++) {
        const mn_journal_row *r = &sess.rows[i];
        const char *dev = device_for(&cat, &devs, r);
        if (!dev) {
            st = mn_error_set(
                err, MN_ENOTFOUND, "session %s: no catalog device with %s mm needles",
                r->values[0], mn_journal_row_value(r, "needle_length_mm"));
            goto done;
        }
        const char *at = mn_journal_row_value(r, "at");
        char day[16];
        snprintf(day, sizeof day, "%.10s", at ? at : "");
        p->dates.items[p->dates.count++] = strdup(day);
        mn_session_override *ov = (mn_session_override *)p->overrides.items + i;
        ov->session = (long)i + 1;
        ov->device = dupstr(dev);
        const char *passes = mn_journal_row_value(r, "passes"),
                   *press = mn_journal_row_value(r, "pressure");
        ov->passes = passes ? atol(passes) : -1;
        ov->pressure = -1;
        for (int k = 0; press && k < MN_PRESSURE_COUNT; k++)
            if (!strcmp(press, mn_pressure_name(k)))
                ov->pressure = k;
        split_into(mn_journal_row_value(r, "zones"), &ov->zones);
        p->overrides.count++;
        if (i == 0) {
            p->device = dupstr(dev);
            split_into(mn_journal_row_value(r, "zones"), &p->zones);
        }
    }
    st = mn_course_resolve(course, "journal", data, d, err);
done:
    mn_device_list_free(&cat);
    mn_journal_rows_free(&sess);
    mn_journal_rows_free(&devs);
    mn_journal_rows_free(&people);
    return st;
}

/* ---- when each zone is next due ------------------------------------------ */

/* The healing model over the recorded sessions (the median person only:
 * readiness, not bands), added to r; its failure only says why in problem. */
static mn_status add_healing(mn_journal *j, int64_t pid, const char *code, int indication,
                             const char *data_dir, mn_readiness *r, int *ran,
                             char *problem, size_t problem_n, mn_error *err)
{
    mn_course course;
    mn_course_outcome out;
    memset(&out, 0, sizeof out);
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_course_run_options ro;
    mn_course_run_options_default(&ro);
    ro.simulate.n_samples = 0;
    ro.deliver = 0;
    mn_status st = MN_OK;
    if (mn_journal_course(j, pid, code, indication, data_dir, &course, &d, &e) == MN_OK &&
        mn_course_run(&course, &ro, NULL, &out, &e) == MN_OK) {
        *ran = 1;
        st = mn_readiness_add_healing(r, &course.in, &out.course, err);
    } else if (problem && problem_n) {
        snprintf(problem, problem_n, "%s", e.message);
    }
    mn_course_outcome_free(&out);
    mn_course_free(&course);
    mn_diags_free(&d);
    return st;
}

mn_status mn_journal_next(mn_journal *j, int64_t person_id, const char *code,
                          int indication, const char *data_dir, const mn_rules *rules,
                          const mn_site_list *sites, int64_t now, mn_readiness *out,
                          size_t *n_sessions, int *healing_ran, char *problem,
                          size_t problem_n, mn_error *err)
{
    memset(out, 0, sizeof *out);
    *healing_ran = 0;
    *n_sessions = 0;
    if (problem && problem_n)
        problem[0] = '\0';
    mn_history h = {0};
    mn_status st = mn_journal_history(j, person_id, &h, err);
    if (st == MN_OK)
        st = mn_readiness_compute(&h, rules, sites, now, out, err);
    *n_sessions = h.n_sessions;
    mn_history_free(&h);
    if (st == MN_OK && out->n_zones)
        st = add_healing(j, person_id, code, indication < 0 ? 0 : indication, data_dir, out,
                         healing_ran, problem, problem_n, err);
    return st;
}
