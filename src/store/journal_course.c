/* The recorded sessions of a person as a course (mnsim/journal.h). */
#include "mnsim/journal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/catalog.h"
#include "mnsim/course_io.h"

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
