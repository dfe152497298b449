/* The compounds catalog (data/compounds.yaml): schema, units that mnsim's
 * unit table lacks, loading into SI. */
#include "mnsim/compounds.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- quantities -------------------------------------------------------------- */

typedef struct {
    const char *symbol;
    mn_qty q;
    double to_si; /* SI = number * to_si (+ offset) */
    double offset;
    int molar; /* concentration per mol: times the molar mass */
} qty_unit;

/* units-check: input spellings */
static const qty_unit qty_units[] = {
    {"kg/m^3", MN_QTY_CONCENTRATION, 1, 0, 0},
    {"kg/m3", MN_QTY_CONCENTRATION, 1, 0, 0},
    {"g/L", MN_QTY_CONCENTRATION, 1, 0, 0},
    {"g/l", MN_QTY_CONCENTRATION, 1, 0, 0},
    {"mg/mL", MN_QTY_CONCENTRATION, 1, 0, 0},
    {"mg/ml", MN_QTY_CONCENTRATION, 1, 0, 0},
    {"ug/mL", MN_QTY_CONCENTRATION, 1e-3, 0, 0},
    {"ug/ml", MN_QTY_CONCENTRATION, 1e-3, 0, 0},
    {"\xc2\xb5g/mL", MN_QTY_CONCENTRATION, 1e-3, 0, 0},
    {"ng/mL", MN_QTY_CONCENTRATION, 1e-6, 0, 0},
    {"ng/ml", MN_QTY_CONCENTRATION, 1e-6, 0, 0},
    {"%", MN_QTY_CONCENTRATION, 10, 0, 0},
    {"mol/m^3", MN_QTY_CONCENTRATION, 1, 0, 1},
    {"mol/m3", MN_QTY_CONCENTRATION, 1, 0, 1},
    {"mM", MN_QTY_CONCENTRATION, 1, 0, 1},
    {"uM", MN_QTY_CONCENTRATION, 1e-3, 0, 1},
    {"m^2/s", MN_QTY_DIFFUSIVITY, 1, 0, 0},
    {"m2/s", MN_QTY_DIFFUSIVITY, 1, 0, 0},
    {"cm^2/s", MN_QTY_DIFFUSIVITY, 1e-4, 0, 0},
    {"cm2/s", MN_QTY_DIFFUSIVITY, 1e-4, 0, 0},
    {"um^2/s", MN_QTY_DIFFUSIVITY, 1e-12, 0, 0},
    {"um2/s", MN_QTY_DIFFUSIVITY, 1e-12, 0, 0},
    {"kg/mol", MN_QTY_MOLAR_MASS, 1, 0, 0},
    {"g/mol", MN_QTY_MOLAR_MASS, 1e-3, 0, 0},
    {"Da", MN_QTY_MOLAR_MASS, 1e-3, 0, 0},
    {"kDa", MN_QTY_MOLAR_MASS, 1, 0, 0},
    {"kg/m^2", MN_QTY_DOSE, 1, 0, 0},
    {"kg/m2", MN_QTY_DOSE, 1, 0, 0},
    {"g/m^2", MN_QTY_DOSE, 1e-3, 0, 0},
    {"g/m2", MN_QTY_DOSE, 1e-3, 0, 0},
    {"mg/cm^2", MN_QTY_DOSE, 1e-2, 0, 0},
    {"mg/cm2", MN_QTY_DOSE, 1e-2, 0, 0},
    {"ug/cm^2", MN_QTY_DOSE, 1e-5, 0, 0},
    {"ug/cm2", MN_QTY_DOSE, 1e-5, 0, 0},
    {"m^3/kg", MN_QTY_SPECIFIC_VOLUME, 1, 0, 0},
    {"m3/kg", MN_QTY_SPECIFIC_VOLUME, 1, 0, 0},
    {"cm^3/g", MN_QTY_SPECIFIC_VOLUME, 1e-3, 0, 0},
    {"cm3/g", MN_QTY_SPECIFIC_VOLUME, 1e-3, 0, 0},
    {"mL/g", MN_QTY_SPECIFIC_VOLUME, 1e-3, 0, 0},
    {"Pa s", MN_QTY_VISCOSITY, 1, 0, 0},
    {"mPa s", MN_QTY_VISCOSITY, 1e-3, 0, 0},
    {"cP", MN_QTY_VISCOSITY, 1e-3, 0, 0},
    {"K", MN_QTY_TEMPERATURE, 1, 0, 0},
    {"C", MN_QTY_TEMPERATURE, 1, 273.15, 0},
    {"kg/m^3", MN_QTY_DENSITY, 1, 0, 0},
    {"kg/m3", MN_QTY_DENSITY, 1, 0, 0},
    {"g/cm^3", MN_QTY_DENSITY, 1e3, 0, 0},
    {"g/cm3", MN_QTY_DENSITY, 1e3, 0, 0},
    {"g/mL", MN_QTY_DENSITY, 1e3, 0, 0},
    {"m/s", MN_QTY_PERMEABILITY, 1, 0, 0},
    {"cm/s", MN_QTY_PERMEABILITY, 1e-2, 0, 0},
    {"cm/h", MN_QTY_PERMEABILITY, 1e-2 / 3600, 0, 0},
};
/* units-check: end */

static const char *const qty_names[MN_QTY_COUNT] = {
    "concentration", "diffusivity", "molar mass", "dose",        "specific volume",
    "viscosity",     "temperature", "density",    "permeability"};

static const char *const qty_accepted[MN_QTY_COUNT] = {
    "kg/m3, g/L, mg/mL, ug/mL, ng/mL, mol/m3, mM, uM, % (g per 100 g)",
    "m2/s, cm2/s, um2/s",
    "g/mol, Da, kDa, kg/mol",
    "mg/cm2, ug/cm2, g/m2, kg/m2",
    "cm3/g, mL/g, m3/kg",
    "Pa s, mPa s, cP",
    "K, C",
    "g/cm3, g/mL, kg/m3",
    "cm/h, cm/s, m/s"};

const char *mn_qty_units(mn_qty q)
{
    return q >= 0 && q < MN_QTY_COUNT ? qty_accepted[q] : "?";
}

mn_status mn_qty_parse(const char *text, mn_qty q, double molar_mass_kg_mol, double *si,
                       mn_error *err)
{
    if (!text)
        return mn_error_set(err, MN_EINVAL, "no value given");
    if (q < 0 || q >= MN_QTY_COUNT)
        return mn_error_set(err, MN_EINVAL, "unknown quantity");
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    if (end == p)
        return mn_error_set(
            err, MN_EINVAL,
            "'%s' is not a number with a unit: write the %s with one of %s", text,
            qty_names[q], qty_accepted[q]);
    for (const char *c = p; c < end; c++)
        if (*c == 'x' || *c == 'X' || *c == 'n' || *c == 'N' || *c == 'i' || *c == 'I')
            return mn_error_set(err, MN_EINVAL, "'%s' is not a plain decimal number",
                                text);
    if (!isfinite(v) || errno == ERANGE)
        return mn_error_set(err, MN_ERANGE, "'%s' is not a finite number", text);
    while (isspace((unsigned char)*end))
        end++;
    char sym[32];
    size_t n = strlen(end);
    while (n > 0 && isspace((unsigned char)end[n - 1]))
        n--;
    if (n == 0)
        return mn_error_set(err, MN_EINVAL,
                            "'%s' has no unit: write the %s with one of %s", text,
                            qty_names[q], qty_accepted[q]);
    if (n >= sizeof sym)
        return mn_error_set(err, MN_EINVAL, "'%s': unknown unit for a %s (use %s)",
                            text, qty_names[q], qty_accepted[q]);
    memcpy(sym, end, n);
    sym[n] = '\0';
    for (size_t i = 0; i < sizeof qty_units / sizeof qty_units[0]; i++) {
        const qty_unit *u = &qty_units[i];
        if (u->q != q || strcmp(u->symbol, sym))
            continue;
        double x = v * u->to_si + u->offset;
        if (u->molar) {
            if (!(molar_mass_kg_mol > 0))
                return mn_error_set(err, MN_EINVAL,
                                    "'%s': a molar concentration needs the molar mass",
                                    text);
            x *= molar_mass_kg_mol;
        }
        *si = x;
        return MN_OK;
    }
    return mn_error_set(err, MN_EINVAL, "'%s': unknown unit '%s' for a %s (use %s)",
                        text, sym, qty_names[q], qty_accepted[q]);
}

/* ---- records as written --------------------------------------------------------- */

typedef struct {
    char *name, *label;
    int use;
    char *molar_mass;
    double log_p;
    char *aqueous_diffusivity, *sc_diffusivity, *ve_diffusivity, *dermis_diffusivity;
    char *kp, *solubility;
    double sc_partition, tissue_partition, vehicle_partition;
    double clearance_half_life;
    char *concentration, *dose, *numbing_threshold;
    mn_strmap sources;
    char *notes;
} compound_rec;

typedef struct {
    double pg_a, pg_b, pg_c, sc_exp, sc_ref, sc_aniso, sc_kmax;
    char *sc_dmin, *spec_vol, *temperature, *viscosity;
    double ve_hind, de_hind, tissue_k, channel_k;
    double clearance, nerve_depth, numb_fraction;
    char *vehicle_density;
    double vehicle_hindrance;
    mn_strmap sources;
} model_rec;

typedef struct {
    model_rec model;
    mn_table compounds;
} compounds_file;

#define UM 1e-6
#define CF(k, t, u, du, lo, hi, req, member, help)                                     \
    {                                                                                  \
        k, t, u, du, lo, hi, req, offsetof(compound_rec, member), NULL, NULL, help     \
    }
#define STR(k, req, member, help)                                                      \
    CF(k, MN_FIELD_STRING, 0, NULL, 0, 0, req, member, help)

static const mn_field compound_fields[] = {
    STR("name", 1, name, "compound id, e.g. lidocaine"),
    STR("label", 0, label, "human-readable name"),
    {"use", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, offsetof(compound_rec, use),
     mn_compound_use_names, NULL, "anaesthetic, cosmetic or drug"},
    STR("molar_mass", 1, molar_mass, "e.g. \"234.3 g/mol\" (g/mol, Da, kDa)"),
    CF("log_p", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, -10, 10, 1, log_p,
       "log10 of the octanol/water partition coefficient, -10 to 10"),
    STR("aqueous_diffusivity", 0, aqueous_diffusivity,
        "in water at skin temperature (default: Stokes-Einstein)"),
    STR("sc_diffusivity", 0, sc_diffusivity,
        "across the stratum corneum (default: from kp)"),
    STR("kp", 0, kp,
        "measured permeability coefficient of human epidermis from water, e.g. \"1e-4 "
        "cm/h\" "
        "(default: Potts-Guy)"),
    STR("solubility", 0, solubility,
        "saturation concentration in the (aqueous) vehicle at skin temperature, e.g. "
        "\"21.6 mg/mL\" (default: no limit)"),
    CF("sc_partition", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 1e-6, 1e6, 0, sc_partition,
       "stratum corneum / water (default: Kow^x)"),
    STR("ve_diffusivity", 0, ve_diffusivity,
        "viable epidermis (default: hindrance x aqueous)"),
    STR("dermis_diffusivity", 0, dermis_diffusivity,
        "dermis (default: hindrance x aqueous)"),
    CF("tissue_partition", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 1e-6, 1e6, 0,
       tissue_partition, "viable tissue / water"),
    CF("vehicle_partition", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 1e-6, 1e6, 0,
       vehicle_partition, "vehicle / water (default 1: an aqueous vehicle)"),
    CF("clearance_half_life", MN_FIELD_NUMBER, MN_UNIT_TIME, "min", 1, 3e6, 0,
       clearance_half_life, "dermal capillary clearance, 1 s to 35 days"),
    STR("concentration", 0, concentration, "typical product strength, e.g. \"4 %\""),
    STR("dose", 0, dose, "typical amount per area, e.g. \"2 mg/cm2\""),
    STR("numbing_threshold", 0, numbing_threshold,
        "anaesthetics: tissue concentration that numbs the nerve endings"),
    CF("sources", MN_FIELD_STRMAP, 0, NULL, 0, 0, 1, sources,
       "the source of each value, by key"),
    STR("notes", 0, notes, "free text"),
};
#define N_COMPOUND_FIELDS (sizeof compound_fields / sizeof compound_fields[0])

static void compound_init(void *rec)
{
    compound_rec *c = rec;
    memset(c, 0, sizeof *c);
    c->log_p = NAN;
    c->sc_partition = c->tissue_partition = c->vehicle_partition = NAN;
    c->clearance_half_life = NAN;
}

/* Keys of a compound that are values (need a source). */
static int compound_value_key(const char *k)
{
    for (size_t i = 0; i < N_COMPOUND_FIELDS; i++)
        if (!strcmp(compound_fields[i].key, k))
            return strcmp(k, "name") && strcmp(k, "label") && strcmp(k, "use") &&
                   strcmp(k, "sources") && strcmp(k, "notes");
    return 0;
}

typedef struct {
    const char *key;
    size_t off;
    mn_qty q;
    double lo, hi;
} qty_field;

static const qty_field compound_qty[] = {
    {"aqueous_diffusivity", offsetof(compound_rec, aqueous_diffusivity),
     MN_QTY_DIFFUSIVITY, 1e-14, 1e-7},
    {"sc_diffusivity", offsetof(compound_rec, sc_diffusivity), MN_QTY_DIFFUSIVITY,
     1e-30, 1e-9},
    {"kp", offsetof(compound_rec, kp), MN_QTY_PERMEABILITY, 1e-16, 1e-5},
    {"solubility", offsetof(compound_rec, solubility), MN_QTY_CONCENTRATION, 1e-9,
     2000},
    {"ve_diffusivity", offsetof(compound_rec, ve_diffusivity), MN_QTY_DIFFUSIVITY,
     1e-18, 1e-8},
    {"dermis_diffusivity", offsetof(compound_rec, dermis_diffusivity),
     MN_QTY_DIFFUSIVITY, 1e-18, 1e-8},
    {"concentration", offsetof(compound_rec, concentration), MN_QTY_CONCENTRATION, 1e-9,
     1000},
    {"dose", offsetof(compound_rec, dose), MN_QTY_DOSE, 1e-6, 100},
    {"numbing_threshold", offsetof(compound_rec, numbing_threshold),
     MN_QTY_CONCENTRATION, 1e-9, 1000},
};

/* Parse every unit-carrying string of a record; report problems. */
static void check_qty(const void *rec, const qty_field *f, size_t n, double mm,
                      const mn_loc *loc, mn_diags *diags, double *out)
{
    for (size_t i = 0; i < n; i++) {
        const char *text = *(char *const *)((const char *)rec + f[i].off);
        if (out)
            out[i] = NAN;
        if (!text)
            continue;
        mn_error e;
        mn_error_clear(&e);
        double v;
        if (mn_qty_parse(text, f[i].q, mm, &v, &e) != MN_OK) {
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc, "%s: %s", f[i].key,
                            e.message);
            continue;
        }
        if (!(v >= f[i].lo && v <= f[i].hi)) {
            mn_input_report(diags, MN_SEV_ERROR, MN_ERANGE, loc,
                            "%s: %s is outside the allowed range %g to %g (SI: %s)",
                            f[i].key, text, f[i].lo, f[i].hi, qty_names[f[i].q]);
            continue;
        }
        if (out)
            out[i] = v;
    }
}

static void compound_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags)
{
    compound_rec *c = rec;
    (void)fields_ok;
    double mm = NAN;
    if (c->molar_mass) {
        mn_error e;
        mn_error_clear(&e);
        if (mn_qty_parse(c->molar_mass, MN_QTY_MOLAR_MASS, 0, &mm, &e) != MN_OK)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc, "molar_mass: %s",
                            e.message);
        else if (!(mm >= 0.001 && mm <= 1e4)) {
            mn_input_report(
                diags, MN_SEV_ERROR, MN_ERANGE, loc,
                "molar_mass: %s is outside the allowed range 1 g/mol to 10000 kDa",
                c->molar_mass);
            mm = NAN;
        }
    }
    check_qty(c, compound_qty, sizeof compound_qty / sizeof compound_qty[0], mm, loc,
              diags, NULL);
    if (c->kp && c->sc_diffusivity)
        mn_input_report(
            diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
            "kp: give kp or sc_diffusivity, not both (one is derived from the "
            "other)");
    if (c->numbing_threshold && c->use != MN_USE_ANAESTHETIC)
        mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "numbing_threshold: only an anaesthetic has one");
    if (c->use == MN_USE_ANAESTHETIC && !c->numbing_threshold)
        mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "numbing_threshold: an anaesthetic needs one");
    /* Every value given has a source; every source names a value given. */
    for (size_t i = 0; i < N_COMPOUND_FIELDS; i++) {
        const mn_field *f = &compound_fields[i];
        if (!compound_value_key(f->key))
            continue;
        const char *base = rec;
        int given = f->type == MN_FIELD_STRING
                        ? *(char *const *)(base + f->offset) != NULL
                        : !isnan(*(const double *)(base + f->offset));
        if (given && !mn_strmap_get(&c->sources, f->key))
            mn_input_report(
                diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                "sources: no source given for '%s' (every value needs one, or "
                "'typical: <reason>')",
                f->key);
    }
    for (size_t i = 0; i < c->sources.count; i++)
        if (!compound_value_key(c->sources.keys[i]))
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: '%s' is not a value key of a compound",
                            c->sources.keys[i]);
}

static const mn_schema compound_schema = {
    "compound",           compound_fields, N_COMPOUND_FIELDS,
    sizeof(compound_rec), compound_init,   NULL,
    compound_check,       "name",          NULL};

#define MF(k, t, u, du, lo, hi, member, help)                                          \
    {                                                                                  \
        k, t, u, du, lo, hi, 1, offsetof(model_rec, member), NULL, NULL, help          \
    }
#define MNUM(k, lo, hi, member, help)                                                  \
    MF(k, MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, lo, hi, member, help)
#define MSTR(k, member, help) MF(k, MN_FIELD_STRING, 0, NULL, 0, 0, member, help)

static const mn_field model_fields[] = {
    MNUM("potts_guy_intercept", -10, 5, pg_a,
         "a in log10 kp[cm/h] = a + b logP - c MW"),
    MNUM("potts_guy_log_p", 0, 2, pg_b, "b"),
    MNUM("potts_guy_mw", 0, 0.1, pg_c, "c, per g/mol"),
    MNUM("sc_partition_exponent", 0, 2, sc_exp, "x in K_sc/w = Kow^x"),
    MF("sc_reference_thickness", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "um", 1 * UM,
       100 * UM, sc_ref, "path length behind the kp data, 1-100 um"),
    MNUM("sc_anisotropy", 1, 1e4, sc_aniso,
         "D lateral / D across in the stratum corneum"),
    MNUM("max_sc_partition", 1, 1e8, sc_kmax, "largest K_sc/w"),
    MSTR("min_sc_diffusivity", sc_dmin, "floor of D_sc (macromolecules)"),
    MSTR("solute_specific_volume", spec_vol,
         "for the Stokes-Einstein radius, e.g. 0.9 cm3/g"),
    MSTR("temperature", temperature, "skin surface temperature, e.g. \"32 C\""),
    MSTR("water_viscosity", viscosity, "at that temperature, e.g. \"0.76 mPa s\""),
    MNUM("ve_hindrance", 1e-4, 1, ve_hind, "D in viable epidermis / D in water"),
    MNUM("dermis_hindrance", 1e-4, 1, de_hind, "D in dermis / D in water"),
    MNUM("tissue_partition", 1e-3, 1e3, tissue_k, "viable tissue / water"),
    MNUM("channel_partition", 1e-3, 1e3, channel_k, "channel fluid / water"),
    MF("dermal_clearance_half_life", MN_FIELD_NUMBER, MN_UNIT_TIME, "min", 1, 3e6,
       clearance, "default capillary clearance half-life"),
    MF("nerve_depth_below_dej", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "um", 0, 500 * UM,
       nerve_depth, "depth of the nerve endings below the dermo-epidermal junction"),
    MF("numb_area_fraction", MN_FIELD_NUMBER, MN_UNIT_FRACTION, NULL, 0.01, 1,
       numb_fraction, "share of the nerve plane that must reach the threshold"),
    MSTR("vehicle_density", vehicle_density,
         "of creams and solutions, e.g. \"1 g/mL\""),
    MNUM("vehicle_hindrance", 1e-3, 1, vehicle_hindrance,
         "diffusivity in the film (cream, gel) over that in water"),
    MF("sources", MN_FIELD_STRMAP, 0, NULL, 0, 0, sources,
       "the source of each value, by key"),
};
#define N_MODEL_FIELDS (sizeof model_fields / sizeof model_fields[0])

static const qty_field model_qty[] = {
    {"min_sc_diffusivity", offsetof(model_rec, sc_dmin), MN_QTY_DIFFUSIVITY, 1e-40,
     1e-12},
    {"solute_specific_volume", offsetof(model_rec, spec_vol), MN_QTY_SPECIFIC_VOLUME,
     1e-4, 1e-2},
    {"temperature", offsetof(model_rec, temperature), MN_QTY_TEMPERATURE, 273.15,
     323.15},
    {"water_viscosity", offsetof(model_rec, viscosity), MN_QTY_VISCOSITY, 1e-4, 1e-2},
    {"vehicle_density", offsetof(model_rec, vehicle_density), MN_QTY_DENSITY, 500,
     2000},
};

static void model_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags)
{
    model_rec *m = rec;
    (void)fields_ok;
    check_qty(m, model_qty, sizeof model_qty / sizeof model_qty[0], 0, loc, diags,
              NULL);
    for (size_t i = 0; i + 1 < N_MODEL_FIELDS; i++)
        if (!mn_strmap_get(&m->sources, model_fields[i].key))
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: no source given for '%s'", model_fields[i].key);
    for (size_t i = 0; i < m->sources.count; i++) {
        int known = 0;
        for (size_t k = 0; k + 1 < N_MODEL_FIELDS; k++)
            known |= !strcmp(model_fields[k].key, m->sources.keys[i]);
        if (!known)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: '%s' is not a key of the model",
                            m->sources.keys[i]);
    }
}

static const mn_schema model_schema = {"compound model",  model_fields, N_MODEL_FIELDS,
                                       sizeof(model_rec), NULL,         NULL,
                                       model_check,       NULL,         NULL};

static const mn_field file_fields[] = {
    {"model", MN_FIELD_MAP, 0, NULL, 0, 0, 0, offsetof(compounds_file, model), NULL,
     &model_schema, "the constants of the structure relations"},
    {"compounds", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(compounds_file, compounds),
     NULL, &compound_schema, "the list of compounds"},
};

static void file_init(void *rec)
{
    memset(rec, 0, sizeof(compounds_file));
}

static void file_clear(void *rec)
{
    (void)rec; /* everything is freed through the schema */
}

const mn_schema mn_schema_compounds_file = {
    "compounds catalog", file_fields, 2,    sizeof(compounds_file),
    file_init,           file_clear,  NULL, NULL,
    "compounds"};

/* ---- loading ------------------------------------------------------------------ */

static double parse_or_nan(const char *text, mn_qty q, double mm)
{
    double v = NAN;
    if (text && mn_qty_parse(text, q, mm, &v, NULL) != MN_OK)
        v = NAN;
    return v;
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int copy_strmap(mn_strmap *dst, const mn_strmap *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->count)
        return 0;
    dst->keys = calloc(src->count, sizeof *dst->keys);
    dst->values = calloc(src->count, sizeof *dst->values);
    if (!dst->keys || !dst->values)
        return -1;
    dst->count = src->count;
    for (size_t i = 0; i < src->count; i++) {
        dst->keys[i] = dup_or_null(src->keys[i]);
        dst->values[i] = dup_or_null(src->values[i]);
        if (!dst->keys[i] || !dst->values[i])
            return -1;
    }
    return 0;
}

/* One record into a compound (SI); -1 when out of memory. */
static int compound_from_rec(const compound_rec *r, mn_compound *c)
{
    c->name = dup_or_null(r->name);
    c->label = dup_or_null(r->label);
    c->notes = dup_or_null(r->notes);
    c->use = r->use;
    double mm = parse_or_nan(r->molar_mass, MN_QTY_MOLAR_MASS, 0);
    mn_solute *so = &c->solute;
    so->molar_mass_kg_mol = mm;
    so->log_p = r->log_p;
    so->aqueous_diffusivity_m2_s =
        parse_or_nan(r->aqueous_diffusivity, MN_QTY_DIFFUSIVITY, 0);
    so->sc_diffusivity_m2_s = parse_or_nan(r->sc_diffusivity, MN_QTY_DIFFUSIVITY, 0);
    so->kp_m_s = parse_or_nan(r->kp, MN_QTY_PERMEABILITY, 0);
    so->sc_partition = r->sc_partition;
    so->ve_diffusivity_m2_s = parse_or_nan(r->ve_diffusivity, MN_QTY_DIFFUSIVITY, 0);
    so->dermis_diffusivity_m2_s =
        parse_or_nan(r->dermis_diffusivity, MN_QTY_DIFFUSIVITY, 0);
    so->tissue_partition = r->tissue_partition;
    so->clearance_half_life_s = r->clearance_half_life;
    so->vehicle_partition = r->vehicle_partition;
    c->concentration_kg_m3 = parse_or_nan(r->concentration, MN_QTY_CONCENTRATION, mm);
    c->dose_kg_m2 = parse_or_nan(r->dose, MN_QTY_DOSE, 0);
    c->solubility_kg_m3 = parse_or_nan(r->solubility, MN_QTY_CONCENTRATION, mm);
    c->numbing_threshold_kg_m3 =
        parse_or_nan(r->numbing_threshold, MN_QTY_CONCENTRATION, mm);
    return copy_strmap(&c->sources, &r->sources) || !c->name ? -1 : 0;
}

/* Append the compounds of a file to a catalog; -1 when out of memory. */
static int append_compounds(const compounds_file *f, mn_compound_catalog *out)
{
    size_t n = f->compounds.count;
    if (!n)
        return 0;
    mn_compound *items = realloc(out->items, (out->count + n) * sizeof *items);
    if (!items)
        return -1;
    out->items = items;
    memset(items + out->count, 0, n * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        const compound_rec *r = (const compound_rec *)f->compounds.items + i;
        out->count++;
        if (compound_from_rec(r, &out->items[out->count - 1]))
            return -1;
    }
    return 0;
}

static void model_from_rec(const model_rec *m, mn_compound_catalog *out)
{
    mn_solute_model *sm = &out->model;
    sm->potts_guy_intercept = m->pg_a;
    sm->potts_guy_log_p = m->pg_b;
    sm->potts_guy_mw = m->pg_c;
    sm->sc_partition_exponent = m->sc_exp;
    sm->sc_reference_thickness_m = m->sc_ref;
    sm->sc_anisotropy = m->sc_aniso;
    sm->max_sc_partition = m->sc_kmax;
    sm->min_sc_diffusivity_m2_s = parse_or_nan(m->sc_dmin, MN_QTY_DIFFUSIVITY, 0);
    sm->solute_specific_volume_m3_kg =
        parse_or_nan(m->spec_vol, MN_QTY_SPECIFIC_VOLUME, 0);
    sm->temperature_k = parse_or_nan(m->temperature, MN_QTY_TEMPERATURE, 0);
    sm->water_viscosity_pa_s = parse_or_nan(m->viscosity, MN_QTY_VISCOSITY, 0);
    sm->ve_hindrance = m->ve_hind;
    sm->dermis_hindrance = m->de_hind;
    sm->tissue_partition = m->tissue_k;
    sm->channel_partition = m->channel_k;
    sm->clearance_half_life_s = m->clearance;
    out->nerve_depth_below_dej_m = m->nerve_depth;
    out->numb_area_fraction = m->numb_fraction;
    out->vehicle_density_kg_m3 = parse_or_nan(m->vehicle_density, MN_QTY_DENSITY, 0);
    out->vehicle_hindrance = m->vehicle_hindrance;
}

/* Read a file of kind compounds; has_model: its model section was given. */
static mn_status read_file(const char *path, compounds_file *f, int *has_model,
                           mn_diags *diags, mn_error *err)
{
    memset(f, 0, sizeof *f);
    mn_status st = mn_input_read_file(path, &mn_schema_compounds_file, f, diags, err);
    if (st != MN_OK) {
        mn_schema_clear(&mn_schema_compounds_file, f);
        return st;
    }
    /* a model section has its required strings and its sources */
    *has_model = f->model.vehicle_density || f->model.sources.count;
    return MN_OK;
}

mn_status mn_compounds_load(const char *path, mn_compound_catalog *out, mn_diags *diags,
                            mn_error *err)
{
    memset(out, 0, sizeof *out);
    compounds_file f;
    int has_model;
    mn_status st = read_file(path, &f, &has_model, diags, err);
    if (st != MN_OK)
        return st;
    if (!has_model) {
        mn_schema_clear(&mn_schema_compounds_file, &f);
        return mn_error_set(
            err, MN_ESCHEMA,
            "%s: the catalog needs its 'model' section (the constants of the "
            "structure relations)",
            path);
    }
    model_from_rec(&f.model, out);
    int oom = copy_strmap(&out->sources, &f.model.sources) || append_compounds(&f, out);
    mn_schema_clear(&mn_schema_compounds_file, &f);
    if (oom) {
        mn_compound_catalog_free(out);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    }
    return MN_OK;
}

mn_status mn_compounds_add(const char *path, mn_compound_catalog *cat, mn_diags *diags,
                           mn_error *err)
{
    compounds_file f;
    int has_model;
    mn_status st = read_file(path, &f, &has_model, diags, err);
    if (st != MN_OK)
        return st;
    if (has_model)
        st = mn_error_set(
            err, MN_ESCHEMA,
            "%s: a file of your own compounds takes no 'model' section (the "
            "constants of the relations come from data/compounds.yaml)",
            path);
    for (size_t i = 0; st == MN_OK && i < f.compounds.count; i++) {
        const compound_rec *r = (const compound_rec *)f.compounds.items + i;
        const mn_compound *old;
        if (mn_compound_find(cat, r->name, &old, NULL) == MN_OK)
            st = mn_error_set(err, MN_ESCHEMA,
                              "%s: compound '%s' is already in the catalog; give yours "
                              "another name",
                              path, r->name);
    }
    if (st == MN_OK && append_compounds(&f, cat))
        st = mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    mn_schema_clear(&mn_schema_compounds_file, &f);
    return st;
}
