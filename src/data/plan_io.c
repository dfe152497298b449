/* Reading the starting plans of data/plans.yaml. */
#include "mnsim/plan_io.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/device.h"

static const char *const indications[] = {"fine-lines", "acne-scars", "atrophic-scars",
                                          "stretch-marks", "hair-loss", "texture",
                                          "laxity", NULL};
static const char *const settings[] = {"home", "clinic", NULL};

static const mn_field topical_fields[] = {
    {"compound", MN_FIELD_STRING, 0, NULL, 0, 0, 1, offsetof(mn_topical, compound), NULL, NULL,
     "compound name"},
    {"concentration", MN_FIELD_NUMBER, MN_UNIT_FRACTION, "%", 1e-6, 1, 1,
     offsetof(mn_topical, concentration), NULL, NULL, "e.g. \"4 %\""},
    {"time", MN_FIELD_NUMBER, MN_UNIT_TIME, "min", 0, 86400, 1, offsetof(mn_topical, time_s),
     NULL, NULL, "application time"},
    {"occlusion", MN_FIELD_BOOL, 0, NULL, 0, 0, 0, offsetof(mn_topical, occlusion), NULL, NULL,
     "covered"},
};
static const mn_schema topical_schema = {"topical", topical_fields, 4, sizeof(mn_topical),
                                         NULL, NULL, NULL, NULL, NULL};

#define PL(k, t, u, du, lo, hi, req, m, ch, sub, help)                          \
    {k, t, u, du, lo, hi, req, offsetof(mn_plan, m), ch, sub, help}
static const mn_field plan_fields[] = {
    PL("indication", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, indication, indications, NULL,
       "the indication"),
    PL("setting", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, setting, settings, NULL, "home or clinic"),
    PL("device", MN_FIELD_STRING, 0, NULL, 0, 0, 1, device, NULL, NULL, "catalog name"),
    PL("pattern", MN_FIELD_STRING, 0, NULL, 0, 0, 1, pattern, NULL, NULL, "rolling pattern"),
    PL("passes", MN_FIELD_INT, 0, NULL, 1, 100, 1, passes, NULL, NULL, "passes per direction"),
    PL("count", MN_FIELD_INT, 0, NULL, 1, 100, 1, count, NULL, NULL, "sessions"),
    PL("interval", MN_FIELD_NUMBER, MN_UNIT_TIME, "days", 86400, 3.2e7, 1, interval_s, NULL,
       NULL, "between sessions"),
    PL("anaesthetic", MN_FIELD_MAP, 0, NULL, 0, 0, 0, anaesthetic, NULL, &topical_schema,
       "topical anaesthetic"),
    PL("serum", MN_FIELD_MAP, 0, NULL, 0, 0, 0, serum, NULL, &topical_schema, "serum"),
    PL("source", MN_FIELD_STRING, 0, NULL, 0, 0, 1, source, NULL, NULL, "the course it follows"),
};
static const mn_schema plan_schema = {"plan", plan_fields,
                                      sizeof plan_fields / sizeof plan_fields[0],
                                      sizeof(mn_plan), NULL, NULL, NULL, NULL, NULL};

typedef struct {
    mn_table plans;
} plans_file;
static const mn_field plans_fields[] = {
    {"plans", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(plans_file, plans), NULL, &plan_schema,
     "the plans"},
};
const mn_schema mn_schema_plans_file = {"plans", plans_fields, 1, sizeof(plans_file), NULL, NULL,
                                        NULL, NULL, "plans"};

mn_status mn_plans_load(const char *path, mn_plan_list *out, mn_diags *diags, mn_error *err)
{
    plans_file f = {{NULL, 0}};
    out->items = NULL;
    out->count = 0;
    mn_status st = mn_input_read_file(path, &mn_schema_plans_file, &f, diags, err);
    if (st) {
        mn_schema_clear(&mn_schema_plans_file, &f);
        return st;
    }
    out->items = f.plans.items;
    out->count = f.plans.count;
    return MN_OK;
}

