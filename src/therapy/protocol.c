/* Protocols: defaults and session expansion. */
#include "mnsim/protocol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/depth.h"
#include "mnsim/device.h"

static const char *const indications[MN_IND_COUNT] = {
    "fine-lines", "acne-scars", "atrophic-scars", "stretch-marks",
    "hair-loss",  "texture",    "laxity"};

const char *mn_indication_name(int ind)
{
    return ind >= 0 && ind < MN_IND_COUNT ? indications[ind] : "unknown";
}

int mn_indication_from_name(const char *name)
{
    for (int i = 0; i < MN_IND_COUNT; i++)
        if (name && !strcmp(name, indications[i]))
            return i;
    return -1;
}

void mn_protocol_init(mn_protocol *p)
{
    memset(p, 0, sizeof *p);
    p->person.age_s = NAN;
    p->person.fitzpatrick = -1;
    p->person.sensitivity = MN_SENS_NORMAL;
    p->person.isotretinoin_last = MN_DATE_NONE;
    p->setting = MN_SETTING_CLINIC;
    p->passes = 4;
    p->pressure = MN_PRESSURE_LIGHT;
    p->force_n = NAN;
    p->start = MN_DATE_NONE;
    p->count = -1;
    p->interval_s = NAN;
    p->seed = 1;
}

static void topical_clear(mn_topical *t) { free(t->compound); }

void mn_protocol_clear(mn_protocol *p)
{
    if (!p)
        return;
    free(p->name);
    mn_strings_free(&p->person.conditions);
    mn_strings_free(&p->person.medications);
    free(p->device);
    mn_strings_free(&p->zones);
    mn_strmap_free(&p->zone_devices);
    free(p->pattern);
    topical_clear(&p->anaesthetic);
    topical_clear(&p->serum);
    free(p->aftercare);
    mn_strings_free(&p->dates);
    mn_session_override *o = p->overrides.items;
    for (size_t i = 0; i < p->overrides.count; i++) {
        free(o[i].device);
        mn_strings_free(&o[i].zones);
    }
    free(p->overrides.items);
    free(p->notes);
    mn_protocol_init(p);
}

mn_status mn_protocol_sessions(const mn_protocol *p, mn_session **out, size_t *n,
                               mn_error *err)
{
    *out = NULL;
    *n = 0;
    size_t count;
    if (p->dates.count)
        count = p->dates.count;
    else if (p->start != MN_DATE_NONE && p->count > 0 &&
             (p->count == 1 || p->interval_s > 0))
        count = (size_t)p->count;
    else
        return mn_error_set(err, MN_EINVAL,
                            "sessions: give dates, or start + count + interval");
    mn_session *s = calloc(count, sizeof *s);
    if (!s)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        if (p->dates.count) {
            if (mn_date_parse(p->dates.items[i], &s[i].at, err) != MN_OK) {
                free(s);
                return MN_EINVAL;
            }
            if (i && s[i].at < s[i - 1].at) {
                free(s);
                return mn_error_set(err, MN_EINVAL, "sessions: dates must be in order (%s)",
                                    p->dates.items[i]);
            }
        } else {
            s[i].at = p->start + (int64_t)llround((double)i * (p->count > 1 ? p->interval_s : 0));
        }
        s[i].device = p->device;
        s[i].passes = p->passes;
        s[i].pressure = p->pressure;
        s[i].zones = &p->zones;
    }
    const mn_session_override *o = p->overrides.items;
    for (size_t k = 0; k < p->overrides.count; k++) {
        if (o[k].session < 1 || (size_t)o[k].session > count) {
            free(s);
            return mn_error_set(err, MN_EINVAL,
                                "sessions: an override names session %ld, the course has "
                                "%zu",
                                o[k].session, count);
        }
        mn_session *x = &s[o[k].session - 1];
        if (o[k].device)
            x->device = o[k].device;
        if (o[k].passes > 0)
            x->passes = o[k].passes;
        if (o[k].pressure >= 0)
            x->pressure = o[k].pressure;
        if (o[k].zones.count)
            x->zones = &o[k].zones;
    }
    *out = s;
    *n = count;
    return MN_OK;
}
