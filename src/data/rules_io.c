/* Reading data/rules.yaml. */
#include "mnsim/rules_io.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/units.h"

static const char *const regions_any[] = {"face", "scalp", "body", "any", NULL};
static const char *const severities[] = {"info", "warning", "error", NULL};

/* Read into a staging record whose region enum is 0..3 (3 = any). */
typedef struct {
    mn_interval_rule r;
    int region_choice;
} interval_rec;

#define IF(k, t, u, du, lo, hi, req, member, help)                            \
    {k, t, u, du, lo, hi, req, offsetof(interval_rec, member), NULL, NULL, help}

static const mn_field interval_fields[] = {
    IF("name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, r.name, "rule id"),
    {"region", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, offsetof(interval_rec, region_choice),
     regions_any, NULL, "face, scalp, body or any"},
    IF("needle_min", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0, 5e-3, 1, r.needle_min_m,
       "shortest needle the rule covers (inclusive)"),
    IF("needle_max", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0, 5e-3, 1, r.needle_max_m,
       "longest needle the rule covers (exclusive)"),
    IF("min_interval", MN_FIELD_NUMBER, MN_UNIT_TIME, "days", 3600, 365 * 86400.0, 1,
       r.min_interval_s, "minimum time between sessions on a zone"),
    {"severity", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, offsetof(interval_rec, r.severity),
     severities, NULL, "info, warning or error"},
    IF("message", MN_FIELD_STRING, 0, NULL, 0, 0, 1, r.message, "what to tell the user"),
    IF("source", MN_FIELD_STRING, 0, NULL, 0, 0, 1, r.source, "where the rule comes from"),
};

static void interval_init(void *rec) { memset(rec, 0, sizeof(interval_rec)); }

static void interval_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *d)
{
    interval_rec *x = rec;
    if (fields_ok && !(x->r.needle_min_m < x->r.needle_max_m))
        mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                        "needle_min must be smaller than needle_max");
}

static const mn_schema interval_schema = {
    "interval rule", interval_fields, sizeof interval_fields / sizeof interval_fields[0],
    sizeof(interval_rec), interval_init, NULL, interval_check, "name", NULL};

/* contraindications */
static const char *const applies[] = {"condition", "medication", NULL};
#define CF(k, t, req, member, ch, help)                                          \
    {k, t, 0, NULL, 0, 0, req, offsetof(mn_contraindication, member), ch, NULL, help}
static const mn_field contra_fields[] = {
    CF("id", MN_FIELD_STRING, 1, id, NULL, "id used in protocol files"),
    CF("applies_to", MN_FIELD_ENUM, 1, applies_to, applies, "condition or medication"),
    CF("severity", MN_FIELD_ENUM, 1, severity, severities, "info, warning or error"),
    CF("message", MN_FIELD_STRING, 1, message, NULL, "what to tell the user"),
    CF("source", MN_FIELD_STRING, 1, source, NULL, "where the rule comes from"),
};
static const mn_schema contra_schema = {
    "contraindication", contra_fields, sizeof contra_fields / sizeof contra_fields[0],
    sizeof(mn_contraindication), NULL, NULL, NULL, "id", NULL};

/* needle limits: staged with enum choices that include "any" last. */
static const char *const settings_any[] = {"home", "clinic", "any", NULL};
static const char *const indications_any[] = {"fine-lines", "acne-scars", "atrophic-scars",
                                              "stretch-marks", "hair-loss", "texture",
                                              "laxity", "any", NULL};
#define LF(k, t, u, du, lo, hi, req, member, ch, help)                           \
    {k, t, u, du, lo, hi, req, offsetof(mn_needle_limit, member), ch, NULL, help}
static const mn_field limit_fields[] = {
    LF("name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, name, NULL, "rule id"),
    LF("setting", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, setting, settings_any, "home, clinic or any"),
    LF("indication", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, indication, indications_any,
       "an indication or any"),
    LF("needle_max", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0.05e-3, 5e-3, 1, needle_max_m, NULL,
       "longest needle allowed"),
    LF("severity", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, severity, severities, "info, warning, error"),
    LF("message", MN_FIELD_STRING, 0, NULL, 0, 0, 1, message, NULL, "what to tell the user"),
    LF("source", MN_FIELD_STRING, 0, NULL, 0, 0, 1, source, NULL, "where it comes from"),
};
static const mn_schema limit_schema = {"needle limit", limit_fields,
                                       sizeof limit_fields / sizeof limit_fields[0],
                                       sizeof(mn_needle_limit), NULL, NULL, NULL, "name", NULL};

/* checks evaluated by mnsim; their names are fixed by the code. */
static const char *const check_names[] = {"pregnancy", "isotretinoin-window",
                                          "fitzpatrick-pigmentation", "beyond-dermis",
                                          "anaesthesia-advised", "bleeding-at-home",
                                          "unknown-condition", "not-ready", "overtreatment",
                                          "numbing-too-short", "serum-into-dermis"};
#define KF(k, t, req, member, ch, help)                                          \
    {k, t, 0, NULL, 0, 0, req, offsetof(mn_check_rule, member), ch, NULL, help}
static const mn_field check_fields[] = {
    KF("name", MN_FIELD_STRING, 1, name, NULL, "one of mnsim's checks"),
    KF("value", MN_FIELD_STRING, 0, value, NULL, "threshold with its unit"),
    KF("severity", MN_FIELD_ENUM, 1, severity, severities, "info, warning or error"),
    KF("message", MN_FIELD_STRING, 1, message, NULL, "what to tell the user"),
    KF("source", MN_FIELD_STRING, 1, source, NULL, "where the rule comes from"),
};
static void check_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    mn_check_rule *k = rec;
    if (!ok || !k->name)
        return;
    int known = 0;
    for (size_t i = 0; i < sizeof check_names / sizeof check_names[0]; i++)
        known |= !strcmp(k->name, check_names[i]);
    if (!known)
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc, "name: mnsim has no check '%s'",
                        k->name);
    mn_unit_kind unit = !strcmp(k->name, "isotretinoin-window")        ? MN_UNIT_TIME
                        : !strcmp(k->name, "fitzpatrick-pigmentation") ? MN_UNIT_LENGTH
                                                                       : MN_UNIT_NONE;
    double v;
    mn_error e;
    if (unit != MN_UNIT_NONE && (!k->value || mn_units_parse(k->value, unit, &v, &e) != MN_OK))
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc, "value: check '%s' needs a %s",
                        k->name, mn_unit_kind_name(unit));
}
static const mn_schema check_schema = {"check", check_fields,
                                       sizeof check_fields / sizeof check_fields[0],
                                       sizeof(mn_check_rule), NULL, NULL, check_check, "name",
                                       NULL};

typedef struct {
    mn_table intervals;
    mn_table contraindications;
    mn_table needle_limits;
    mn_table checks;
} rules_file;

static const mn_field rules_fields[] = {
    {"intervals", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(rules_file, intervals), NULL,
     &interval_schema, "minimum intervals between sessions"},
    {"contraindications", MN_FIELD_TABLE, 0, NULL, 0, 0, 0,
     offsetof(rules_file, contraindications), NULL, &contra_schema,
     "conditions and medications"},
    {"needle_limits", MN_FIELD_TABLE, 0, NULL, 0, 0, 0, offsetof(rules_file, needle_limits),
     NULL, &limit_schema, "longest needle by setting and indication"},
    {"checks", MN_FIELD_TABLE, 0, NULL, 0, 0, 0, offsetof(rules_file, checks), NULL,
     &check_schema, "rules mnsim evaluates itself"},
};

const mn_schema mn_schema_rules_file = {"rules", rules_fields, 4, sizeof(rules_file), NULL,
                                        NULL, NULL, NULL, "rules"};

mn_status mn_rules_load(const char *path, mn_rules *out, mn_diags *diags, mn_error *err)
{
    memset(out, 0, sizeof *out);
    rules_file f;
    memset(&f, 0, sizeof f);
    mn_status st = mn_input_read_file(path, &mn_schema_rules_file, &f, diags, err);
    if (st) {
        mn_schema_clear(&mn_schema_rules_file, &f);
        return st;
    }
    /* Move the staged records into plain rules (region "any" = -1). */
    interval_rec *src = f.intervals.items;
    mn_interval_rule *dst = calloc(f.intervals.count ? f.intervals.count : 1, sizeof *dst);
    if (!dst) {
        mn_schema_clear(&mn_schema_rules_file, &f);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < f.intervals.count; i++) {
        dst[i] = src[i].r;
        dst[i].region = src[i].region_choice == 3 ? MN_REGION_ANY : src[i].region_choice;
    }
    out->intervals.items = dst;
    out->intervals.count = f.intervals.count;
    free(f.intervals.items); /* strings now owned by dst */
    out->contraindications = f.contraindications;
    out->checks = f.checks;
    /* "any" (the last choice) becomes -1. */
    mn_needle_limit *l = f.needle_limits.items;
    for (size_t i = 0; i < f.needle_limits.count; i++) {
        if (l[i].setting == 2)
            l[i].setting = -1;
        if (l[i].indication == 7)
            l[i].indication = -1;
    }
    out->needle_limits = f.needle_limits;
    return MN_OK;
}
