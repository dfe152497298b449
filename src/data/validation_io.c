/* Reading the calibration and validation cases (mnsim/validation_io.h). */
#include "mnsim/validation_io.h"

#include <dirent.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/catalog.h"

#define VF(k, t, req, member, help)                                                    \
    {                                                                                  \
        k, t, MN_UNIT_NONE, NULL, -1e300, 1e300, req, offsetof(mn_vcase, member),      \
            NULL, NULL, help                                                           \
    }

static const char *const models[] = {"depth", "roll", "heal", "channel", "deliver", NULL};

static const mn_field case_fields[] = {
    VF("name", MN_FIELD_STRING, 1, name, "unique id of the case"),
    {"model", MN_FIELD_ENUM, MN_UNIT_NONE, NULL, 0, 0, 1,
     offsetof(mn_vcase, model_choice), models, NULL, "depth, roll, heal, channel or deliver"},
    {"role", MN_FIELD_ENUM, MN_UNIT_NONE, NULL, 0, 0, 1, offsetof(mn_vcase, role),
     mn_vcase_role_names, NULL,
     "calibration (used to fit a parameter) or validation (never seen by a fit)"},
    VF("what", MN_FIELD_STRING, 1, what, "what was measured, in one line"),
    VF("input", MN_FIELD_STRMAP, 1, input, "the experiment: model inputs with units"),
    VF("quantity", MN_FIELD_STRING, 1, quantity,
       "the model output compared, unit in its name"),
    VF("value", MN_FIELD_NUMBER, 0, value, "published value (mean or central)"),
    {"sd", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 0, 1e300, 0, offsetof(mn_vcase, sd),
     NULL, NULL, "its standard deviation"},
    VF("low", MN_FIELD_NUMBER, 0, low, "lower end of a published range or direction"),
    VF("high", MN_FIELD_NUMBER, 0, high, "upper end of a published range"),
    {"n", MN_FIELD_INT, MN_UNIT_NONE, NULL, 1, 1e9, 0, offsetof(mn_vcase, n), NULL,
     NULL, "subjects or samples"},
    {"tolerance", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 0, 1e300, 1,
     offsetof(mn_vcase, tolerance), NULL, NULL,
     "accepted distance from the value or range, in the quantity's unit"},
    VF("reference", MN_FIELD_STRING, 1, reference, "key of docs/references.md"),
    VF("notes", MN_FIELD_STRING, 0, notes, "how the tolerance was chosen, caveats"),
    VF("discrepancy", MN_FIELD_STRING, 0, discrepancy,
       "why mnsim is known to disagree (the case is then expected to fail)"),
};

static void case_init(void *rec)
{
    mn_vcase *c = rec;
    memset(c, 0, sizeof *c);
    c->value = c->sd = c->low = c->high = NAN;
    c->n = -1;
}

static void case_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *d)
{
    mn_vcase *c = rec;
    if (!fields_ok)
        return;
    if (isnan(c->value) && isnan(c->low) && isnan(c->high))
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "case %s: give the published value, or a range low/high",
                        c->name);
    if (!isnan(c->value) && !(isnan(c->low) && isnan(c->high)))
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "case %s: give value or low/high, not both", c->name);
    if (!isnan(c->low) && !isnan(c->high) && !(c->low <= c->high))
        mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                        "case %s: low must not exceed high", c->name);
    for (const char *p = c->reference; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
            mn_input_report(
                d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                "case %s: reference '%s' is not a key of docs/references.md "
                "(lower-case letters, digits and '-')",
                c->name, c->reference);
            break;
        }
}

static const mn_schema case_schema = {
    "validation case", case_fields, sizeof case_fields / sizeof *case_fields,
    sizeof(mn_vcase),  case_init,   NULL,
    case_check,        "name",      NULL};

typedef struct {
    mn_table cases;
} validation_file;

static const mn_field file_fields[] = {
    {"cases", MN_FIELD_TABLE, MN_UNIT_NONE, NULL, 0, 0, 1,
     offsetof(validation_file, cases), NULL, &case_schema,
     "the published measurements"},
};

const mn_schema mn_schema_validation_file = {
    "validation cases", file_fields, 1, sizeof(validation_file), NULL, NULL, NULL, NULL,
    "validation"};

static void clear_cases(mn_vcase *items, size_t n)
{
    mn_vcase_list l = {items, n};
    mn_vcase_list_free(&l);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
}

mn_status mn_validation_load(const char *path, mn_vcase_list *out, mn_diags *diags,
                             mn_error *err)
{
    validation_file f;
    memset(&f, 0, sizeof f);
    mn_status st = mn_input_read_file(path, &mn_schema_validation_file, &f, diags, err);
    mn_vcase *items = f.cases.items;
    if (st) {
        clear_cases(items, f.cases.count);
        return st;
    }
    for (size_t i = 0; i < f.cases.count; i++)
        for (size_t k = 0; k < out->count; k++)
            if (!strcmp(items[i].name, out->items[k].name)) {
                st = mn_error_set(err, MN_ESCHEMA, "%s: case %s is already defined",
                                  path, items[i].name);
                clear_cases(items, f.cases.count);
                return st;
            }
    mn_vcase *all = realloc(out->items, (out->count + f.cases.count + 1) * sizeof *all);
    if (!all) {
        clear_cases(items, f.cases.count);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    out->items = all;
    for (size_t i = 0; i < f.cases.count; i++) {
        items[i].model = strdup(models[items[i].model_choice]);
        items[i].dir = dir_of(path);
        all[out->count++] = items[i];
    }
    free(items);
    return MN_OK;
}

static int yaml_name(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".yaml");
}

mn_status mn_validation_load_dir(const char *dir, mn_vcase_list *cases,
                                 mn_device_list *devices, mn_diags *diags,
                                 mn_error *err)
{
    memset(cases, 0, sizeof *cases);
    if (devices)
        memset(devices, 0, sizeof *devices);
    struct dirent **names;
    int n = scandir(dir, &names, yaml_name, alphasort);
    if (n < 0)
        return mn_error_set(err, MN_EIO,
                            "%s: cannot read the folder of validation cases", dir);
    mn_status st = MN_OK;
    for (int i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (st == MN_OK && !strcmp(names[i]->d_name, "devices.yaml")) {
            if (devices)
                st = mn_devices_load(path, devices, diags, err);
        } else if (st == MN_OK) {
            st = mn_validation_load(path, cases, diags, err);
        }
        free(names[i]);
    }
    free(names);
    return st;
}
