/* The healing model's parameter file (kind: healing): schema and loader. */
#include "mnsim/healing_io.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double median; /* SI */
    double cv;
    char *source;
    char *typical;
    char *notes;
} param_rec;

typedef struct {
    char *description;
    param_rec p[MN_HEAL_NPARAMS];
} heal_file;

static void param_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags)
{
    (void)fields_ok;
    param_rec *r = rec;
    int has_source = r->source && r->source[0];
    int has_typical = r->typical && r->typical[0];
    if (!has_source && !has_typical)
        mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "give where the value comes from: source: (a "
                        "publication) or typical: (the reason for a typical "
                        "or calibrated value)");
}

#define SIF(unit) ((unit) == MN_UNIT_TIME ? 86400.0 : 1.0)

#define HEAL_PARAM_SCHEMA(id, key, unit, du, lo, hi, help)                             \
    static const mn_field pf_##id[] = {                                                \
        {"median", MN_FIELD_NUMBER, unit, du, (lo)*SIF(unit), (hi)*SIF(unit), 1,       \
         offsetof(param_rec, median), NULL, NULL, help},                               \
        {"cv", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 0, 3, 1, offsetof(param_rec, cv),  \
         NULL, NULL,                                                                   \
         "between-person coefficient of variation (lognormal), 0-3; 0 = the "          \
         "same for everyone"},                                                         \
        {"source", MN_FIELD_STRING, MN_UNIT_NONE, NULL, 0, 0, 0,                       \
         offsetof(param_rec, source), NULL, NULL,                                      \
         "the publication the value comes from"},                                      \
        {"typical", MN_FIELD_STRING, MN_UNIT_NONE, NULL, 0, 0, 0,                      \
         offsetof(param_rec, typical), NULL, NULL,                                     \
         "why a typical or calibrated value was chosen"},                              \
        {"notes", MN_FIELD_STRING, MN_UNIT_NONE, NULL, 0, 0, 0,                        \
         offsetof(param_rec, notes), NULL, NULL, "free text"},                         \
    };                                                                                 \
    static const mn_schema ps_##id = {#key,                                            \
                                      pf_##id,                                         \
                                      sizeof pf_##id / sizeof pf_##id[0],              \
                                      sizeof(param_rec),                               \
                                      NULL,                                            \
                                      NULL,                                            \
                                      param_check,                                     \
                                      NULL,                                            \
                                      NULL};
MN_HEAL_PARAM_LIST(HEAL_PARAM_SCHEMA)
#undef HEAL_PARAM_SCHEMA

static const mn_field param_fields[] = {
#define HEAL_PARAM_FIELD(id, key, unit, du, lo, hi, help)                              \
    {#key,                                                                             \
     MN_FIELD_MAP,                                                                     \
     MN_UNIT_NONE,                                                                     \
     NULL,                                                                             \
     0,                                                                                \
     0,                                                                                \
     1,                                                                                \
     (size_t)MN_HEAL_P_##id * sizeof(param_rec),                                       \
     NULL,                                                                             \
     &ps_##id,                                                                         \
     help},
    MN_HEAL_PARAM_LIST(HEAL_PARAM_FIELD)
#undef HEAL_PARAM_FIELD
};

static const mn_schema params_schema = {"healing parameters",
                                        param_fields,
                                        sizeof param_fields / sizeof param_fields[0],
                                        sizeof(param_rec) * MN_HEAL_NPARAMS,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL,
                                        NULL};

static void file_init(void *rec)
{
    heal_file *f = rec;
    memset(f, 0, sizeof *f);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++)
        f->p[i].median = f->p[i].cv = NAN;
}

static void to_population(const heal_file *f, mn_heal_population *pop)
{
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        pop->median.value[i] = f->p[i].median / mn_heal_param_si_factor(i);
        pop->cv[i] = f->p[i].cv;
    }
}

static void file_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags)
{
    if (!fields_ok)
        return;
    heal_file *f = rec;
    mn_heal_population pop;
    to_population(f, &pop);
    mn_error e;
    mn_error_clear(&e);
    if (mn_heal_params_validate(&pop.median, &e) != MN_OK)
        mn_input_report(diags, MN_SEV_ERROR, MN_ERANGE, loc, "%s", e.message);
}

static const mn_field file_fields[] = {
    {"description", MN_FIELD_STRING, MN_UNIT_NONE, NULL, 0, 0, 0,
     offsetof(heal_file, description), NULL, NULL, "what this parameter set is"},
    {"parameters", MN_FIELD_MAP, MN_UNIT_NONE, NULL, 0, 0, 1, offsetof(heal_file, p),
     NULL, &params_schema,
     "every parameter of the healing model: {median, cv, source|typical}"},
};

const mn_schema mn_schema_healing_file = {"healing parameters file",
                                          file_fields,
                                          sizeof file_fields / sizeof file_fields[0],
                                          sizeof(heal_file),
                                          file_init,
                                          NULL,
                                          file_check,
                                          NULL,
                                          "healing"};

mn_status mn_heal_data_load(const char *path, mn_heal_data *out, mn_diags *diags,
                            mn_error *err)
{
    memset(out, 0, sizeof *out);
    heal_file *f = calloc(1, sizeof *f);
    if (!f)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_status st = mn_input_read_file(path, &mn_schema_healing_file, f, diags, err);
    if (st == MN_OK) {
        to_population(f, &out->population);
        out->description = f->description;
        f->description = NULL;
        for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
            out->source[i] = f->p[i].source;
            out->typical[i] = f->p[i].typical;
            f->p[i].source = f->p[i].typical = NULL;
        }
    }
    mn_schema_clear(&mn_schema_healing_file, f);
    free(f);
    return st;
}

/* ---- writing --------------------------------------------------------------- */

/* A YAML double-quoted scalar. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const char *p = s; p && *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if ((unsigned char)*p < 0x20)
            fprintf(f, "\\x%02x", (unsigned char)*p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

char *mn_heal_data_to_yaml(const mn_heal_data *d, const char *header)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    for (const char *p = header; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "# %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
    fputs("kind: healing\ndescription: ", f);
    put_quoted(f, d->description ? d->description : "");
    fputs("\n\nparameters:\n", f);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        const mn_heal_param_info *info = mn_heal_param_get_info(i);
        double v = d->population.median.value[i];
        fprintf(f, "  %s:\n    median: ", info->key);
        /* Times are held in days and lengths in m: written with their unit;
         * plain numbers and fractions as numbers. Full precision. */
        if (info->unit == MN_UNIT_TIME)
            fprintf(f, "\"%.17g days\"\n", v);
        else if (info->unit == MN_UNIT_LENGTH)
            fprintf(f, "\"%.17g mm\"\n", v * 1e3);
        else
            fprintf(f, "%.17g\n", v);
        fprintf(f, "    cv: %.17g\n", d->population.cv[i]);
        if (d->source[i]) {
            fputs("    source: ", f);
            put_quoted(f, d->source[i]);
            fputc('\n', f);
        }
        if (d->typical[i]) {
            fputs("    typical: ", f);
            put_quoted(f, d->typical[i]);
            fputc('\n', f);
        }
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
