/* Population and trial files (kind: population, kind: trial; docs/cohort.md)
 * and the course of a trial's arm. */
#include "mnsim/cohort_io.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/units.h"

#define YEAR_S (365.2425 * 86400.0)
#define MONTH_S (30.436875 * 86400.0)

/* ---- population ---------------------------------------------------------- */

typedef mn_cohort_population pop_t;

static void prov_report(const mn_cohort_prov *p, const mn_loc *loc, mn_diags *d)
{
    if (!(p->source && p->source[0]) && !(p->typical && p->typical[0]))
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "give where the distribution comes from: source: (a key of "
                        "docs/references.md) or typical: (the reason for a typical value)");
}

#define PROV_FIELDS(member)                                                            \
    {"source", MN_FIELD_STRING, 0, NULL, 0, 0, 0, offsetof(pop_t, member.source), NULL, \
     NULL, "the publication (a key of docs/references.md)"},                           \
    {                                                                                  \
        "typical", MN_FIELD_STRING, 0, NULL, 0, 0, 0, offsetof(pop_t, member.typical),  \
            NULL, NULL, "why a typical value was chosen"                               \
    }

#define PROV_CHECK(member)                                                             \
    static void check_##member(void *rec, const mn_loc *loc, int ok, mn_diags *d)      \
    {                                                                                  \
        (void)ok;                                                                      \
        prov_report(&((pop_t *)rec)->member, loc, d);                                  \
    }
PROV_CHECK(age)
PROV_CHECK(sex)
PROV_CHECK(skin)
PROV_CHECK(healing)
PROV_CHECK(adherence)
PROV_CHECK(pressure)

#define NUM(k, u, du, lo, hi, req, member, help)                                       \
    {k, MN_FIELD_NUMBER, u, du, lo, hi, req, offsetof(pop_t, member), NULL, NULL, help}

static const mn_field age_fields[] = {
    NUM("mean", MN_UNIT_TIME, "years", 0, 120 * YEAR_S, 1, age_mean_s, "mean age"),
    NUM("sd", MN_UNIT_TIME, "years", 0, 50 * YEAR_S, 1, age_sd_s, "standard deviation"),
    NUM("min", MN_UNIT_TIME, "years", 0, 120 * YEAR_S, 1, age_min_s, "youngest"),
    NUM("max", MN_UNIT_TIME, "years", 0, 120 * YEAR_S, 1, age_max_s, "oldest"),
    PROV_FIELDS(age),
};
static const mn_field sex_fields[] = {
    NUM("female_share", MN_UNIT_FRACTION, "", 0, 1, 1, female_share,
        "share of women, 0-1 (or \"60 %\")"),
    PROV_FIELDS(sex),
};
static const mn_field skin_fields[] = {
    NUM("epidermis_cv", MN_UNIT_NONE, NULL, 0, 1, 1, epidermis_cv,
        "between-person coefficient of variation of the epidermis (lognormal)"),
    NUM("dermis_cv", MN_UNIT_NONE, NULL, 0, 1, 1, dermis_cv,
        "between-person coefficient of variation of the dermis (lognormal)"),
    PROV_FIELDS(skin),
};
static const mn_field healing_fields[] = {
    NUM("cv_scale", MN_UNIT_NONE, NULL, 0, 5, 1, healing_cv_scale,
        "factor on the between-person cvs of data/healing.yaml (1: as published)"),
    PROV_FIELDS(healing),
};
static const mn_field adherence_fields[] = {
    NUM("missed_probability", MN_UNIT_FRACTION, "", 0, 1, 1, missed_probability,
        "chance that a session after the first is missed"),
    NUM("early_probability", MN_UNIT_FRACTION, "", 0, 1, 1, early_probability,
        "chance that a session after the first comes early"),
    NUM("early_by", MN_UNIT_TIME, "days", 0, 60 * 86400.0, 1, early_max_s,
        "how early at most (uniform from 0)"),
    PROV_FIELDS(adherence),
};
static const mn_field pressure_fields[] = {
    NUM("cv", MN_UNIT_NONE, NULL, 0, 1, 1, pressure_cv,
        "between-person coefficient of variation of the hand force (lognormal)"),
    PROV_FIELDS(pressure),
};
static const mn_field fitz_fields[] = {
    {"shares", MN_FIELD_STRINGS, 0, NULL, 0, 6, 1, offsetof(pop_t, fitzpatrick_shares), NULL,
     NULL, "six shares of types I to VI, summing to 1"},
    PROV_FIELDS(fitzpatrick_prov),
};

static void check_fitz(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    pop_t *p = rec;
    prov_report(&p->fitzpatrick_prov, loc, d);
    if (!ok)
        return;
    if (p->fitzpatrick_shares.count != 6) {
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "shares: give six shares (types I to VI), found %zu",
                        p->fitzpatrick_shares.count);
        return;
    }
    double sum = 0;
    for (int i = 0; i < 6; i++) {
        char *end;
        const char *s = p->fitzpatrick_shares.items[i];
        double v = strtod(s, &end);
        if (end == s || *end || !isfinite(v) || v < 0 || v > 1) {
            mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                            "shares[%d]: '%s' is not a share 0-1", i, s);
            return;
        }
        p->fitzpatrick[i] = v;
        sum += v;
    }
    if (fabs(sum - 1) > 1e-6)
        mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                        "shares: the six shares sum to %g, not 1", sum);
}

#define SUB(nm, fields, check)                                                         \
    static const mn_schema nm = {#nm,  fields, sizeof fields / sizeof fields[0],     \
                                 0,    NULL,   NULL,                                 \
                                 check, NULL,  NULL}
SUB(age, age_fields, check_age);
SUB(sex, sex_fields, check_sex);
SUB(fitzpatrick, fitz_fields, check_fitz);
SUB(skin, skin_fields, check_skin);
SUB(healing, healing_fields, check_healing);
SUB(adherence, adherence_fields, check_adherence);
SUB(pressure, pressure_fields, check_pressure);

/* Sections are read into the same record (offset 0: their fields' offsets
 * are into the population itself). */
#define SECTION(k, s, help) {k, MN_FIELD_MAP, 0, NULL, 0, 0, 1, 0, NULL, &s, help}
static const mn_field pop_fields[] = {
    {"name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, offsetof(pop_t, name), NULL, NULL,
     "name of the population"},
    {"description", MN_FIELD_STRING, 0, NULL, 0, 0, 0, offsetof(pop_t, description), NULL,
     NULL, "free text"},
    SECTION("age", age, "{mean, sd, min, max, source|typical}"),
    SECTION("sex", sex, "{female_share, source|typical}"),
    SECTION("fitzpatrick", fitzpatrick, "{shares: [I..VI], source|typical}"),
    SECTION("skin", skin, "{epidermis_cv, dermis_cv, source|typical}"),
    SECTION("healing", healing, "{cv_scale, source|typical}"),
    SECTION("adherence", adherence,
            "{missed_probability, early_probability, early_by, source|typical}"),
    SECTION("pressure", pressure, "{cv, source|typical}"),
};

static void pop_init(void *rec) { memset(rec, 0, sizeof(pop_t)); }

static void pop_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    pop_t *p = rec;
    if (!ok)
        return;
    mn_error e;
    mn_error_clear(&e);
    if (mn_cohort_population_validate(p, &e))
        mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc, "%s", e.message);
}

const mn_schema mn_schema_population_file = {
    "population", pop_fields, sizeof pop_fields / sizeof pop_fields[0],
    sizeof(pop_t), pop_init,  NULL,
    pop_check,    NULL,       "population"};

static mn_status first_error(mn_status st, const mn_diags *d, size_t first, mn_error *err)
{
    if (st && err)
        for (size_t i = first; i < d->count; i++)
            if (d->severity[i] == MN_SEV_ERROR) {
                *err = d->items[i];
                break;
            }
    return st;
}

mn_status mn_cohort_population_load(const char *path, mn_cohort_population *out,
                                    mn_diags *diags, mn_error *err)
{
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t first = d->count;
    pop_init(out);
    mn_status st = mn_input_read_file(path, &mn_schema_population_file, out, d, err);
    first_error(st, d, first, err);
    mn_diags_free(&local);
    return st;
}

/* ---- trial --------------------------------------------------------------- */

typedef mn_cohort_arm_spec arm_t;
typedef mn_cohort_trial trial_t;

static const mn_field arm_fields[] = {
    {"name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, offsetof(arm_t, name), NULL, NULL,
     "name of the arm"},
    {"protocol", MN_FIELD_STRING, 0, NULL, 0, 0, 1, offsetof(arm_t, protocol), NULL, NULL,
     "protocol file (relative to the trial file)"},
    {"device", MN_FIELD_STRING, 0, NULL, 0, 0, 0, offsetof(arm_t, device), NULL, NULL,
     "override: the device (needle) of every session, a catalog name"},
    {"interval", MN_FIELD_NUMBER, MN_UNIT_TIME, "days", 86400, 365 * 86400.0, 0,
     offsetof(arm_t, interval_s), NULL, NULL, "override: time between sessions"},
    {"sessions", MN_FIELD_INT, 0, NULL, 1, 50, 0, offsetof(arm_t, sessions), NULL, NULL,
     "override: number of sessions"},
    {"serum", MN_FIELD_STRING, 0, NULL, 0, 0, 0, offsetof(arm_t, serum), NULL, NULL,
     "override: serum compound, or none"},
    {"serum_concentration", MN_FIELD_NUMBER, MN_UNIT_FRACTION, "%", 0, 1, 0,
     offsetof(arm_t, serum_concentration), NULL, NULL, "override: serum concentration"},
    {"zone", MN_FIELD_STRING, 0, NULL, 0, 0, 0, offsetof(arm_t, zone), NULL, NULL,
     "zone whose healing gives the endpoints (default: the protocol's first)"},
};

static void arm_init(void *rec)
{
    arm_t *a = rec;
    memset(a, 0, sizeof *a);
    a->interval_s = NAN;
    a->serum_concentration = NAN;
}

static void arm_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    arm_t *a = rec;
    (void)ok;
    (void)d;
    a->line = loc->line;
    a->column = loc->column;
}

static const mn_schema arm_schema = {
    "arm", arm_fields, sizeof arm_fields / sizeof arm_fields[0], sizeof(arm_t), arm_init,
    NULL,  arm_check,  "name",                                   NULL};

#define EP(k, t, u, du, lo, hi, req, member, help)                                     \
    {k, t, u, du, lo, hi, req, offsetof(trial_t, endpoints.member), NULL, NULL, help}
static const mn_field ep_fields[] = {
    EP("months", MN_FIELD_STRINGS, 0, NULL, 0, 8, 1, months_text,
       "months after the first session for collagen, elastin, epidermis (\"6 months\")"),
    EP("responder_month", MN_FIELD_NUMBER, MN_UNIT_TIME, "months", MONTH_S, 60 * MONTH_S, 1,
       responder_month, "when the responder rule looks at collagen"),
    EP("responder_collagen", MN_FIELD_NUMBER, MN_UNIT_FRACTION, "%", -1, 10, 1,
       responder_pct, "responder: collagen change at least this (\"5 %\")"),
    EP("bleeding_threshold", MN_FIELD_NUMBER, MN_UNIT_FRACTION, "%", 0, 1, 1,
       bleeding_threshold, "bleeding: share of channels at the capillaries at least this"),
    EP("numbness", MN_FIELD_BOOL, 0, NULL, 0, 0, 0, numbness,
       "whether each arm's anaesthetic numbs in time (the delivery stage once per arm, "
       "median person; seconds per arm)"),
};

static int parse_time_list(const mn_strings *in, double unit_s, double lo, double hi,
                           double *out, size_t *n, const char *key, const mn_loc *loc,
                           mn_diags *d)
{
    *n = 0;
    for (size_t i = 0; i < in->count; i++) {
        double si;
        mn_error e;
        mn_error_clear(&e);
        if (mn_units_parse(in->items[i], MN_UNIT_TIME, &si, &e) || !(si / unit_s >= lo) ||
            !(si / unit_s <= hi)) {
            mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                            "%s[%zu]: '%s' is not a time of %g-%g %s", key, i, in->items[i],
                            lo, hi, unit_s == MONTH_S ? "months" : "years");
            return -1;
        }
        out[(*n)++] = si / unit_s;
        if (*n > 1 && !(out[*n - 1] > out[*n - 2])) {
            mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                            "%s: the times must increase ('%s' after '%s')", key,
                            in->items[i], in->items[i - 1]);
            return -1;
        }
    }
    return 0;
}

static void ep_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    trial_t *t = rec;
    mn_cohort_endpoint_spec *e = &t->endpoints;
    if (!ok)
        return;
    e->responder_month /= MONTH_S;
    e->responder_pct *= 100;
    if (parse_time_list(&e->months_text, MONTH_S, 0.5, 60, e->months, &e->n_months,
                        "months", loc, d))
        return;
    for (size_t m = 0; m < e->n_months; m++)
        if (fabs(e->months[m] - e->responder_month) < 1e-9)
            return;
    mn_input_report(d, MN_SEV_ERROR, MN_ERANGE, loc,
                    "responder_month: %g months is not one of months (the collagen "
                    "endpoints)",
                    e->responder_month);
}

static const mn_schema ep_schema = {
    "endpoints", ep_fields, sizeof ep_fields / sizeof ep_fields[0], 0, NULL, NULL,
    ep_check,    NULL,      NULL};

#define TF(k, t, u, du, lo, hi, req, member, sub, help)                                \
    {k, t, u, du, lo, hi, req, offsetof(trial_t, member), NULL, sub, help}
static const mn_field trial_fields[] = {
    TF("name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, name, NULL, "name of the trial"),
    TF("population", MN_FIELD_STRING, 0, NULL, 0, 0, 1, population, NULL,
       "population file (relative to the trial file)"),
    TF("people", MN_FIELD_INT, 0, NULL, 1, 10000000, 1, n_people, NULL,
       "virtual people (each in every arm)"),
    TF("seed", MN_FIELD_INT, 0, NULL, 0, 9.2e18, 1, seed, NULL, "the trial's seed"),
    TF("arms", MN_FIELD_TABLE, 0, NULL, 0, 8, 1, arms, &arm_schema,
       "the arms (1-8); the first is the reference of the paired differences"),
    {"endpoints", MN_FIELD_MAP, 0, NULL, 0, 0, 1, 0, NULL, &ep_schema,
     "{months, responder_month, responder_collagen, bleeding_threshold}"},
    TF("age_bands", MN_FIELD_STRINGS, 0, NULL, 0, 6, 0, age_bands_text, NULL,
       "bounds of the age bands of the subgroups (\"30 years\", ...)"),
    TF("bootstrap", MN_FIELD_INT, 0, NULL, 100, 100000, 0, bootstrap, NULL,
       "bootstrap resamples of the paired differences (default 1000)"),
    TF("block", MN_FIELD_INT, 0, NULL, 1, 100000, 0, block, NULL,
       "people per checkpoint block (default 100)"),
};

static void trial_init(void *rec)
{
    trial_t *t = rec;
    memset(t, 0, sizeof *t);
    t->bootstrap = 1000;
    t->block = 100;
}

static void trial_check(void *rec, const mn_loc *loc, int ok, mn_diags *d)
{
    trial_t *t = rec;
    if (!ok)
        return;
    if (!t->arms.count)
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, loc, "arms: give at least one arm");
    parse_time_list(&t->age_bands_text, YEAR_S, 1, 120, t->age_bands_years,
                    &t->n_age_bands, "age_bands", loc, d);
}

const mn_schema mn_schema_trial_file = {
    "trial",     trial_fields, sizeof trial_fields / sizeof trial_fields[0],
    sizeof(trial_t), trial_init, NULL,
    trial_check, NULL,         "trial"};

/* dir of `base` joined with `rel` (rel when absolute), as a new string. */
static char *relative_to(const char *base, const char *rel)
{
    const char *slash = strrchr(base, '/');
    size_t nd = rel[0] == '/' || !slash ? 0 : (size_t)(slash - base) + 1;
    char *s = malloc(nd + strlen(rel) + 1);
    if (s) {
        memcpy(s, base, nd);
        strcpy(s + nd, rel);
    }
    return s;
}

static int make_relative(char **p, const char *base)
{
    char *s = relative_to(base, *p);
    if (!s)
        return -1;
    free(*p);
    *p = s;
    return 0;
}

mn_status mn_cohort_trial_load(const char *path, mn_cohort_trial *out, mn_diags *diags,
                               mn_error *err)
{
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t first = d->count;
    trial_init(out);
    mn_status st = mn_input_read_file(path, &mn_schema_trial_file, out, d, err);
    first_error(st, d, first, err);
    mn_diags_free(&local);
    if (st)
        return st;
    int bad = make_relative(&out->population, path);
    for (size_t i = 0; i < out->arms.count; i++)
        bad |= make_relative(&((arm_t *)out->arms.items)[i].protocol, path);
    return bad ? mn_error_set(err, MN_ENOMEM, "out of memory") : MN_OK;
}
