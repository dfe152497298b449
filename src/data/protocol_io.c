/* Protocol files: schema and writer. */
#include "mnsim/protocol_io.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/heal_course.h"
#include "mnsim/utf8.h"

static const char *const sexes[] = {"female", "male", NULL};
static const char *const sensitivities[] = {"low", "normal", "high", NULL};
static const char *const indications[] = {
    "fine-lines", "acne-scars", "atrophic-scars", "stretch-marks",
    "hair-loss",  "texture",    "laxity",         NULL};
static const char *const settings[] = {"home", "clinic", NULL};
static const char *const pressures[] = {"light", "medium", "firm", NULL};

#define YEAR (365.2425 * 86400.0)
#define MAX_SESSIONS MN_HEAL_MAX_SESSIONS /* what the healing model takes */
#define F(k, t, u, du, lo, hi, req, off, ch, sub, help)                                \
    {                                                                                  \
        k, t, u, du, lo, hi, req, off, ch, sub, help                                   \
    }

/* person: */
static const mn_field person_fields[] = {
    F("age", MN_FIELD_NUMBER, MN_UNIT_TIME, "years", 12 * YEAR, 120 * YEAR, 0,
      offsetof(mn_person, age_s), NULL, NULL, "age, e.g. \"34 years\" (12-120)"),
    F("sex", MN_FIELD_ENUM, 0, NULL, 0, 0, 0, offsetof(mn_person, sex), sexes, NULL,
      "female or male"),
    F("fitzpatrick", MN_FIELD_INT, 0, NULL, 1, 6, 0, offsetof(mn_person, fitzpatrick),
      NULL, NULL, "Fitzpatrick skin type 1-6"),
    F("sensitivity", MN_FIELD_ENUM, 0, NULL, 0, 0, 0, offsetof(mn_person, sensitivity),
      sensitivities, NULL, "low, normal or high"),
    F("conditions", MN_FIELD_STRINGS, 0, NULL, 0, 0, 0, offsetof(mn_person, conditions),
      NULL, NULL, "condition ids (see data/rules.yaml contraindications)"),
    F("medications", MN_FIELD_STRINGS, 0, NULL, 0, 0, 0,
      offsetof(mn_person, medications), NULL, NULL,
      "medication ids (see data/rules.yaml)"),
    F("isotretinoin_last", MN_FIELD_DATE, 0, NULL, 0, 0, 0,
      offsetof(mn_person, isotretinoin_last), NULL, NULL,
      "date isotretinoin was last taken"),
    F("pregnant", MN_FIELD_BOOL, 0, NULL, 0, 0, 0, offsetof(mn_person, pregnant), NULL,
      NULL, "true or false"),
};
static const mn_schema person_schema = {"person",
                                        person_fields,
                                        sizeof person_fields / sizeof person_fields[0],
                                        sizeof(mn_person),
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL};

static const mn_field topical_fields[] = {
    F("compound", MN_FIELD_STRING, 0, NULL, 0, 0, 1, offsetof(mn_topical, compound),
      NULL, NULL, "compound name, e.g. lidocaine"),
    F("concentration", MN_FIELD_NUMBER, MN_UNIT_FRACTION, "%", 1e-6, 1, 0,
      offsetof(mn_topical, concentration), NULL, NULL, "e.g. \"4 %\""),
    F("time", MN_FIELD_NUMBER, MN_UNIT_TIME, "min", 0, 24 * 3600.0, 0,
      offsetof(mn_topical, time_s), NULL, NULL, "application time, e.g. \"45 min\""),
    F("occlusion", MN_FIELD_BOOL, 0, NULL, 0, 0, 0, offsetof(mn_topical, occlusion),
      NULL, NULL, "covered with a film"),
};
/* Remember where the topical is written, for later checks against the
 * compounds catalog (course_io.c). */
static void topical_where(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags)
{
    (void)fields_ok, (void)diags;
    mn_topical *t = rec;
    t->line = loc->line;
    t->column = loc->column;
}
static const mn_schema topical_schema = {
    "topical",
    topical_fields,
    sizeof topical_fields / sizeof topical_fields[0],
    sizeof(mn_topical),
    NULL,
    NULL,
    topical_where,
    NULL,
    NULL};

static const mn_field override_fields[] = {
    F("session", MN_FIELD_INT, 0, NULL, 1, 1000, 1,
      offsetof(mn_session_override, session), NULL, NULL, "which session (1 = first)"),
    F("device", MN_FIELD_STRING, 0, NULL, 0, 0, 0,
      offsetof(mn_session_override, device), NULL, NULL, "device for this session"),
    F("passes", MN_FIELD_INT, 0, NULL, 1, 100, 0, offsetof(mn_session_override, passes),
      NULL, NULL, "passes per direction"),
    F("pressure", MN_FIELD_ENUM, 0, NULL, 0, 0, 0,
      offsetof(mn_session_override, pressure), pressures, NULL,
      "light, medium or firm"),
    F("zones", MN_FIELD_STRINGS, 0, NULL, 0, 0, 0, offsetof(mn_session_override, zones),
      NULL, NULL, "zones for this session"),
};
static void override_init(void *rec)
{
    mn_session_override *o = rec;
    memset(o, 0, sizeof *o);
    o->passes = -1;
    o->pressure = -1;
}
static const mn_schema override_schema = {"session override",
                                          override_fields,
                                          sizeof override_fields /
                                              sizeof override_fields[0],
                                          sizeof(mn_session_override),
                                          override_init,
                                          NULL,
                                          NULL,
                                          NULL,
                                          NULL};

/* sessions: the fields live in mn_protocol from `start` on. */
#define SOFF(m) (offsetof(mn_protocol, m) - offsetof(mn_protocol, start))
static const mn_field sessions_fields[] = {
    F("start", MN_FIELD_DATE, 0, NULL, 0, 0, 0, SOFF(start), NULL, NULL,
      "first session, YYYY-MM-DD"),
    F("count", MN_FIELD_INT, 0, NULL, 1, MAX_SESSIONS, 0, SOFF(count), NULL, NULL,
      "number of sessions"),
    F("interval", MN_FIELD_NUMBER, MN_UNIT_TIME, "days", 3600, 2 * YEAR, 0,
      SOFF(interval_s), NULL, NULL, "time between sessions, e.g. \"4 weeks\""),
    F("dates", MN_FIELD_STRINGS, 0, NULL, 0, MAX_SESSIONS, 0, SOFF(dates), NULL, NULL,
      "explicit dates instead of start/count/interval"),
    F("overrides", MN_FIELD_TABLE, 0, NULL, 0, MAX_SESSIONS, 0, SOFF(overrides), NULL,
      &override_schema, "per-session changes"),
};
static void sessions_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    /* rec points at p->start. */
    mn_protocol *p = (mn_protocol *)((char *)rec - offsetof(mn_protocol, start));
    if (!ok)
        return;
    int has_series = p->start != MN_DATE_NONE || p->count > 0 || !isnan(p->interval_s);
    if (p->dates.count && has_series)
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "give either dates or start + count + interval, not both");
    else if (!p->dates.count) {
        if (p->start == MN_DATE_NONE || p->count < 1)
            mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "needs start and count (and interval when count > 1), or "
                            "dates");
        else if (p->count > 1 && isnan(p->interval_s))
            mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "needs interval, e.g. \"4 weeks\", for %ld sessions",
                            p->count);
    }
    for (size_t i = 0; i < p->dates.count; i++) {
        int64_t t;
        mn_error e;
        if (mn_date_parse(p->dates.items[i], &t, &e) != MN_OK)
            mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc, "dates[%zu]: %s", i,
                            e.message);
    }
}
static const mn_schema sessions_schema = {"sessions",
                                          sessions_fields,
                                          sizeof sessions_fields /
                                              sizeof sessions_fields[0],
                                          0,
                                          NULL,
                                          NULL,
                                          sessions_check,
                                          NULL,
                                          NULL};

#define P(k, t, u, du, lo, hi, req, m, ch, sub, help)                                  \
    F(k, t, u, du, lo, hi, req, offsetof(mn_protocol, m), ch, sub, help)
static const mn_field protocol_fields[] = {
    P("name", MN_FIELD_STRING, 0, NULL, 0, 0, 0, name, NULL, NULL, "a title"),
    P("person", MN_FIELD_MAP, 0, NULL, 0, 0, 1, person, NULL, &person_schema,
      "who is treated (age, sex, fitzpatrick, conditions, medications, ...)"),
    P("indication", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, indication, indications, NULL,
      "what is treated"),
    P("setting", MN_FIELD_ENUM, 0, NULL, 0, 0, 0, setting, settings, NULL,
      "home or clinic"),
    P("device", MN_FIELD_STRING, 0, NULL, 0, 0, 1, device, NULL, NULL,
      "catalog name (mnsim devices) or a device file"),
    P("zones", MN_FIELD_STRINGS, 0, NULL, 0, 0, 1, zones, NULL, NULL,
      "zones or zone groups (data/zones.yaml)"),
    P("zone_devices", MN_FIELD_STRMAP, 0, NULL, 0, 0, 0, zone_devices, NULL, NULL,
      "a zone's own device: zone, group or site -> catalog name or device file"),
    P("pattern", MN_FIELD_STRING, 0, NULL, 0, 0, 0, pattern, NULL, NULL,
      "rolling pattern, e.g. four-direction"),
    P("passes", MN_FIELD_INT, 0, NULL, 1, 100, 0, passes, NULL, NULL,
      "passes per direction"),
    P("pressure", MN_FIELD_ENUM, 0, NULL, 0, 0, 0, pressure, pressures, NULL,
      "light, medium or firm"),
    P("force", MN_FIELD_NUMBER, MN_UNIT_FORCE, "N", 0.1, 200, 0, force_n, NULL, NULL,
      "explicit hand force instead of pressure"),
    P("anaesthetic", MN_FIELD_MAP, 0, NULL, 0, 0, 0, anaesthetic, NULL, &topical_schema,
      "topical anaesthetic before the session"),
    P("serum", MN_FIELD_MAP, 0, NULL, 0, 0, 0, serum, NULL, &topical_schema,
      "serum or cream applied during/after"),
    P("aftercare", MN_FIELD_STRING, 0, NULL, 0, 0, 0, aftercare, NULL, NULL,
      "free text"),
    P("sessions", MN_FIELD_MAP, 0, NULL, 0, 0, 1, start, NULL, &sessions_schema,
      "start + count + interval, or dates; overrides"),
    P("seed", MN_FIELD_INT, 0, NULL, 0, 4e18, 0, seed, NULL, NULL,
      "random seed of the simulation"),
    P("notes", MN_FIELD_STRING, 0, NULL, 0, 0, 0, notes, NULL, NULL, "free text"),
};

static void protocol_init(void *rec)
{
    mn_protocol_init(rec);
}

static void protocol_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    mn_protocol *p = rec;
    if (!ok)
        return;
    if (p->zones.count == 0)
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "zones: name at least one zone");
}

const mn_schema mn_schema_protocol_file = {"protocol",
                                           protocol_fields,
                                           sizeof protocol_fields /
                                               sizeof protocol_fields[0],
                                           sizeof(mn_protocol),
                                           protocol_init,
                                           NULL,
                                           protocol_check,
                                           NULL,
                                           "protocol"};

mn_status mn_protocol_load(const char *path, mn_protocol *out, mn_diags *diags,
                           mn_error *err)
{
    return mn_input_read_file(path, &mn_schema_protocol_file, out, diags, err);
}

/* ---- writing ------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    while (!b->oom) {
        va_start(ap, fmt);
        int n = vsnprintf(b->buf ? b->buf + b->len : NULL, b->buf ? b->cap - b->len : 0,
                          fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (b->buf && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *nb = realloc(b->buf, cap);
        if (!nb) {
            b->oom = 1;
            return;
        }
        b->buf = nb;
        b->cap = cap;
    }
}

/* A YAML double-quoted string that reads back to s: every character YAML
 * does not print as itself (C0 and C1 controls, DEL, the line and
 * paragraph separators, the byte-order mark, U+FFFE/F) escaped; bytes that
 * are not UTF-8 become U+FFFD. */
static void put_str(sbuf *b, const char *s)
{
    put(b, "\"");
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = mn_utf8_sequence(p, strlen((const char *)p));
        unsigned long cp = *p;
        if (n == 2)
            cp = ((p[0] & 0x1Ful) << 6) | (p[1] & 0x3F);
        else if (n == 3)
            cp = ((p[0] & 0x0Ful) << 12) | ((p[1] & 0x3Ful) << 6) | (p[2] & 0x3F);
        if (!n) {
            put(b, "\\uFFFD");
            n = 1;
        } else if (cp == '"' || cp == '\\') {
            put(b, "\\%c", (char)cp);
        } else if (cp == '\n') {
            put(b, "\\n");
        } else if (cp == '\t') {
            put(b, "\\t");
        } else if (cp < 0x20 || cp == 0x7F) {
            put(b, "\\x%02lX", cp);
        } else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
                   cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF) {
            put(b, "\\u%04lX", cp);
        } else {
            put(b, "%.*s", (int)n, (const char *)p);
        }
        p += n;
    }
    put(b, "\"");
}

static void put_strs(sbuf *b, const mn_strings *l)
{
    put(b, "[");
    for (size_t i = 0; i < l->count; i++) {
        put(b, "%s", i ? ", " : "");
        put_str(b, l->items[i]);
    }
    put(b, "]");
}

/* A quantity as people write it ("4 weeks" as "28 days") when that reads
 * back to the same number, else exactly, in SI ("%.17g s"). */
static void put_qty(sbuf *b, double si, mn_unit_kind kind, double per_unit,
                    const char *unit)
{
    char text[64];
    double back;
    snprintf(text, sizeof text, "%g %s", si / per_unit, unit);
    if (mn_units_parse(text, kind, &back, NULL) != MN_OK || back != si)
        snprintf(text, sizeof text, "%.17g %s", si, mn_unit_si_symbol(kind));
    if (kind == MN_UNIT_FRACTION &&
        (mn_units_parse(text, kind, &back, NULL) != MN_OK || back != si))
        snprintf(text, sizeof text, "%.17g", si);
    put(b, "\"%s\"", text);
}

/* A date, with its time of day when it has one. */
static void put_date(sbuf *b, int64_t t)
{
    char d[32];
    put(b, "\"%s\"", mn_date_format(t, t % 86400 != 0, d, sizeof d));
}

static void put_topical(sbuf *b, const char *key, const mn_topical *t)
{
    if (!t->compound)
        return;
    put(b, "%s:\n  compound: ", key);
    put_str(b, t->compound);
    if (t->concentration > 0) {
        put(b, "\n  concentration: ");
        put_qty(b, t->concentration, MN_UNIT_FRACTION, 0.01, "%");
    }
    if (t->time_s > 0) {
        put(b, "\n  time: ");
        put_qty(b, t->time_s, MN_UNIT_TIME, 60, "min");
    }
    put(b, "\n  occlusion: %s\n", t->occlusion ? "true" : "false");
}

static void put_person(sbuf *b, const mn_person *h)
{
    static const char *const sens[] = {"low", "normal", "high"};
    put(b, "person:\n");
    if (!isnan(h->age_s)) {
        put(b, "  age: ");
        put_qty(b, h->age_s, MN_UNIT_TIME, YEAR, "years");
        put(b, "\n");
    }
    put(b, "  sex: %s\n", h->sex == MN_SEX_MALE ? "male" : "female");
    if (h->fitzpatrick > 0)
        put(b, "  fitzpatrick: %ld\n", h->fitzpatrick);
    if (h->sensitivity >= 0 && h->sensitivity <= MN_SENS_HIGH)
        put(b, "  sensitivity: %s\n", sens[h->sensitivity]);
    put(b, "  conditions: ");
    put_strs(b, &h->conditions);
    put(b, "\n  medications: ");
    put_strs(b, &h->medications);
    put(b, "\n");
    if (h->isotretinoin_last != MN_DATE_NONE) {
        put(b, "  isotretinoin_last: ");
        put_date(b, h->isotretinoin_last);
        put(b, "\n");
    }
    if (h->pregnant)
        put(b, "  pregnant: true\n");
}

static void put_sessions(sbuf *b, const mn_protocol *p)
{
    put(b, "sessions:\n");
    if (p->dates.count) {
        put(b, "  dates: ");
        put_strs(b, &p->dates);
        put(b, "\n");
    } else {
        if (p->start != MN_DATE_NONE) {
            put(b, "  start: ");
            put_date(b, p->start);
            put(b, "\n");
        }
        if (p->count > 0)
            put(b, "  count: %ld\n", p->count);
        if (!isnan(p->interval_s)) {
            put(b, "  interval: ");
            put_qty(b, p->interval_s, MN_UNIT_TIME, 86400, "days");
            put(b, "\n");
        }
    }
    const mn_session_override *o = p->overrides.items;
    if (p->overrides.count)
        put(b, "  overrides:\n");
    for (size_t i = 0; i < p->overrides.count; i++) {
        put(b, "    - session: %ld\n", o[i].session);
        if (o[i].device) {
            put(b, "      device: ");
            put_str(b, o[i].device);
            put(b, "\n");
        }
        if (o[i].passes > 0)
            put(b, "      passes: %ld\n", o[i].passes);
        if (o[i].pressure >= 0)
            put(b, "      pressure: %s\n", mn_pressure_name(o[i].pressure));
        if (o[i].zones.count) {
            put(b, "      zones: ");
            put_strs(b, &o[i].zones);
            put(b, "\n");
        }
    }
}

/* key: "text"\n for text that is set. */
static void put_text(sbuf *b, const char *key, const char *text)
{
    if (!text)
        return;
    put(b, "%s: ", key);
    put_str(b, text);
    put(b, "\n");
}

char *mn_protocol_to_yaml(const mn_protocol *p)
{
    sbuf b = {0};
    put(&b, "# A microneedling protocol written by mnsim plan. Check it with\n"
            "# `mnsim check`, simulate it with `mnsim run`. Not medical advice.\n");
    put(&b, "kind: protocol\n");
    put_text(&b, "name", p->name);
    put_person(&b, &p->person);
    put(&b, "indication: %s\n", mn_indication_name(p->indication));
    put(&b, "setting: %s\n", p->setting == MN_SETTING_HOME ? "home" : "clinic");
    put_text(&b, "device", p->device ? p->device : "");
    put(&b, "zones: ");
    put_strs(&b, &p->zones);
    put(&b, "\n");
    if (p->zone_devices.count) {
        put(&b, "zone_devices:\n");
        for (size_t i = 0; i < p->zone_devices.count; i++) {
            put(&b, "  ");
            put_str(&b, p->zone_devices.keys[i]);
            put(&b, ": ");
            put_str(&b, p->zone_devices.values[i]);
            put(&b, "\n");
        }
    }
    put_text(&b, "pattern", p->pattern);
    put(&b, "passes: %ld\n", p->passes);
    put(&b, "pressure: %s\n", mn_pressure_name(p->pressure));
    if (!isnan(p->force_n)) {
        put(&b, "force: ");
        put_qty(&b, p->force_n, MN_UNIT_FORCE, 1, "N");
        put(&b, "\n");
    }
    put_topical(&b, "anaesthetic", &p->anaesthetic);
    put_topical(&b, "serum", &p->serum);
    put_text(&b, "aftercare", p->aftercare);
    put_sessions(&b, p);
    put(&b, "seed: %ld\n", p->seed);
    put_text(&b, "notes", p->notes);
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}
