/* Reading data/rules.yaml. */
#include "mnsim/rules_io.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct {
    mn_table intervals;
} rules_file;

static const mn_field rules_fields[] = {
    {"intervals", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(rules_file, intervals), NULL,
     &interval_schema, "minimum intervals between sessions"},
};

const mn_schema mn_schema_rules_file = {"rules", rules_fields, 1, sizeof(rules_file), NULL,
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
    return MN_OK;
}
