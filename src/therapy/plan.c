/* Starting plans: finding one, turning it into a protocol, and the session
 * guide (the plans are read from data/plans.yaml by src/data/plan_io.c). */
#include "mnsim/plan.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/device.h"

void mn_plan_list_free(mn_plan_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        mn_plan *x = &l->items[i];
        free(x->device), free(x->pattern), free(x->source);
        free(x->anaesthetic.compound), free(x->serum.compound);
    }
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

mn_status mn_plan_find(const mn_plan_list *l, int indication, int setting,
                       const mn_plan **out, mn_error *err)
{
    char have[256] = "";
    for (size_t i = 0; i < l->count; i++) {
        if (l->items[i].indication == indication && l->items[i].setting == setting) {
            *out = &l->items[i];
            return MN_OK;
        }
        if (l->items[i].indication == indication) {
            size_t used = strlen(have);
            snprintf(have + used, sizeof have - used, "%s%s", used ? ", " : "",
                     mn_setting_name(l->items[i].setting));
        }
    }
    if (have[0])
        return mn_error_set(
            err, MN_ENOTFOUND,
            "no %s plan for %s: mnsim plans it only for: %s (a %s needs "
            "needles that reach the dermis)",
            mn_setting_name(setting), mn_indication_name(indication), have,
            mn_indication_name(indication));
    return mn_error_set(err, MN_ENOTFOUND, "no plan for %s",
                        mn_indication_name(indication));
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void copy_topical(mn_topical *dst, const mn_topical *src)
{
    *dst = *src;
    dst->compound = dup(src->compound);
}

mn_status mn_plan_to_protocol(const mn_plan *plan, int64_t start,
                              const mn_strings *zones, int sex, long fitzpatrick,
                              mn_protocol *p, mn_error *err)
{
    mn_protocol_init(p);
    char name[256];
    snprintf(name, sizeof name, "%s, %s (%s)", mn_indication_name(plan->indication),
             plan->setting == MN_SETTING_HOME ? "home" : "clinic", plan->device);
    p->name = dup(name);
    p->person.sex = sex;
    p->person.fitzpatrick = fitzpatrick;
    p->indication = plan->indication;
    p->setting = plan->setting;
    p->device = dup(plan->device);
    p->pattern = dup(plan->pattern);
    p->passes = plan->passes;
    p->pressure = 0; /* light: the seed's "gentle pressure" */
    copy_topical(&p->anaesthetic, &plan->anaesthetic);
    copy_topical(&p->serum, &plan->serum);
    p->aftercare =
        dup("Rinse with water; no make-up for 24 h; sunscreen daily; no retinoids, "
            "acids or exfoliants for 5 days");
    p->start = start;
    p->count = plan->count;
    p->interval_s = plan->interval_s;
    p->zones.items = calloc(zones->count ? zones->count : 1, sizeof(char *));
    if (!p->zones.items || !p->name || !p->device || !p->pattern)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t i = 0; i < zones->count; i++)
        p->zones.items[p->zones.count++] = dup(zones->items[i]);
    return MN_OK;
}

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof tmp)
        n = sizeof tmp - 1;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *nb = realloc(b->buf, cap);
        if (!nb)
            return;
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, tmp, (size_t)n + 1);
    b->len += (size_t)n;
}

static const char *directions(const char *pattern)
{
    if (!pattern)
        return "vertical, horizontal and both diagonals";
    if (!strcmp(pattern, "vertical-then-horizontal"))
        return "first vertically, then horizontally";
    if (!strcmp(pattern, "four-direction"))
        return "vertically, horizontally, then along both diagonals";
    if (!strcmp(pattern, "vertical"))
        return "vertically";
    if (!strcmp(pattern, "horizontal"))
        return "horizontally";
    return pattern;
}

char *mn_plan_session_guide(const mn_protocol *p, int session, size_t n_sessions,
                            int64_t at, int64_t next_due)
{
    sbuf b = {0};
    char d[32];
    int step = 1;
    put(&b, "Session %d of %zu, %s (%s, %s).\n", session, n_sessions,
        mn_date_format(at, 0, d, sizeof d), mn_indication_name(p->indication),
        p->device);
    put(&b, "%d. Cleanse the skin with lukewarm water and a mild cleanser; pat dry.\n",
        step++);
    if (p->anaesthetic.compound)
        put(&b,
            "%d. Numb: apply %g%% %s cream%s for %g min, then wipe it off "
            "completely.\n",
            step++, p->anaesthetic.concentration * 100, p->anaesthetic.compound,
            p->anaesthetic.occlusion ? " under a film" : "",
            p->anaesthetic.time_s / 60);
    put(&b,
        "%d. Disinfect the device (soak in 70%% isopropyl alcohol for 10 min, let it "
        "air-dry) and the skin.\n",
        step++);
    if (p->serum.compound)
        put(&b, "%d. Apply the serum: %g%% %s.\n", step++, p->serum.concentration * 100,
            p->serum.compound);
    put(&b, "%d. Roll each zone (", step++);
    for (size_t i = 0; i < p->zones.count; i++)
        put(&b, "%s%s", i ? ", " : "", p->zones.items[i]);
    put(&b,
        ") %s, %ld passes in each direction, with gentle pressure; lift the roller "
        "between strokes.\n",
        directions(p->pattern), p->passes);
    /* the zones with a device of their own, by device */
    const mn_strmap *zd = &p->zone_devices;
    for (size_t i = 0; i < zd->count; i++) {
        size_t k;
        for (k = 0; k < i && strcmp(zd->values[k], zd->values[i]); k++)
            ;
        if (k < i)
            continue; /* said with its device */
        put(&b, "   At %s", zd->keys[i]);
        for (k = i + 1; k < zd->count; k++)
            if (!strcmp(zd->values[k], zd->values[i]))
                put(&b, ", %s", zd->keys[k]);
        put(&b, " use the %s, not the %s.\n", zd->values[i], p->device);
    }
    if (p->aftercare)
        put(&b, "%d. Aftercare: %s.\n", step++, p->aftercare);
    if (next_due != MN_DATE_NONE)
        put(&b,
            "%d. Next session: %s, if the skin has healed (no redness, no scabs).\n",
            step++, mn_date_format(next_due, 0, d, sizeof d));
    else
        put(&b, "%d. This is the last session of the course.\n", step++);
    put(&b, "mnsim informs; it does not prescribe. Not medical advice.\n");
    return b.buf;
}

mn_status mn_plan_sessions(const mn_protocol *p, const mn_session *sessions, size_t n,
                           mn_plan_session **out, mn_error *err)
{
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t s = 0; s < n; s++) {
        mn_plan_session *ps = &(*out)[s];
        int64_t next = s + 1 < n ? sessions[s + 1].at : MN_DATE_NONE;
        ps->at = sessions[s].at;
        ps->guide = mn_plan_session_guide(p, (int)s + 1, n, sessions[s].at, next);
        snprintf(ps->summary, sizeof ps->summary, "Microneedling %zu/%zu (%s)", s + 1,
                 n, mn_indication_name(p->indication));
        if (!ps->guide) {
            mn_plan_sessions_free(*out, n);
            *out = NULL;
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
    }
    return MN_OK;
}

void mn_plan_sessions_free(mn_plan_session *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free(s[i].guide);
    free(s);
}
