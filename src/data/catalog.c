/* Catalog files: devices and skin sites, and the file kinds `check` knows. */
#include "mnsim/catalog.h"
#include "mnsim/units.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM 1e-3
#define UM 1e-6

/* ---- devices ---------------------------------------------------------- */

static const char *const device_types[] = {"roller", "stamp", "pen", NULL};
static const char *const settings[] = {"home", "clinic", NULL};
static const char *const layouts[] = {"grid", "circle", NULL};

#define DF(k, t, u, du, lo, hi, req, member, help)                            \
    {k, t, u, du, lo, hi, req, offsetof(mn_device, member), NULL, NULL, help}
#define DE(k, req, member, choices, help)                                     \
    {k, MN_FIELD_ENUM, MN_UNIT_NONE, NULL, 0, 0, req,                         \
     offsetof(mn_device, member), choices, NULL, help}

static const mn_field device_fields[] = {
    DF("name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, name,
       "catalog name, e.g. roller-192-1.5mm"),
    DE("type", 1, type, device_types, "roller, stamp or pen"),
    DF("label", MN_FIELD_STRING, 0, NULL, 0, 0, 0, label, "human-readable name"),
    DE("setting", 0, setting, settings, "home or clinic use"),
    DF("material", MN_FIELD_STRING, 0, NULL, 0, 0, 0, material, "needle material"),
    DF("needle_length", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0.05 * MM, 5 * MM,
       1, needle_length_m, "needle length beyond the drum or plate, 0.05-5 mm"),
    DF("needle_base_diameter", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0.02 * MM,
       1 * MM, 1, needle_base_diameter_m, "shaft diameter, 0.02-1 mm"),
    DF("tip_radius", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "um", 0.1 * UM, 100 * UM,
       1, tip_radius_m, "radius of the needle tip, 0.1-100 um"),
    DF("drum_diameter", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 3 * MM, 100 * MM,
       0, drum_diameter_m, "roller drum diameter, 3-100 mm"),
    DF("drum_width", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 1 * MM, 200 * MM, 0,
       drum_width_m, "roller drum width, 1-200 mm"),
    DF("rings", MN_FIELD_INT, 0, NULL, 1, 1000, 0, rings,
       "roller: rings (rows) of needles across the drum"),
    DF("needles_per_ring", MN_FIELD_INT, 0, NULL, 1, 1000, 0, needles_per_ring,
       "roller: needles around each ring"),
    DF("tilt", MN_FIELD_NUMBER, MN_UNIT_ANGLE, "deg", 0, 45 * MN_PI / 180,
       0, tilt_rad, "roller: needle tilt from the radial direction, 0-45 deg"),
    DF("rows", MN_FIELD_INT, 0, NULL, 1, 1000, 0, rows, "stamp: rows of needles"),
    DF("columns", MN_FIELD_INT, 0, NULL, 1, 1000, 0, columns,
       "stamp: columns of needles"),
    DF("pitch", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0.05 * MM, 20 * MM, 0,
       pitch_m, "stamp/pen: centre-to-centre needle spacing, 0.05-20 mm"),
    DF("needle_count", MN_FIELD_INT, 0, NULL, 1, 1000, 0, needle_count,
       "pen: needles in the cartridge"),
    DE("layout", 0, layout, layouts, "pen: grid or circle"),
    DF("cartridge_diameter", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 1 * MM,
       50 * MM, 0, cartridge_diameter_m, "pen: cartridge diameter, 1-50 mm"),
    DF("stroke_frequency", MN_FIELD_NUMBER, MN_UNIT_FREQUENCY, "Hz", 1, 1000, 0,
       stroke_frequency_hz, "pen: strokes per second, 1-1000 Hz"),
    DF("depth_min", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0.05 * MM, 5 * MM, 0,
       depth_min_m, "pen: shallowest depth setting"),
    DF("depth_max", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0.05 * MM, 5 * MM, 0,
       depth_max_m, "pen: deepest depth setting"),
    DF("source", MN_FIELD_STRING, 0, NULL, 0, 0, 1, source,
       "where the values come from (authors year, journal)"),
    DF("typical", MN_FIELD_STRINGS, 0, NULL, 0, 0, 0, typical,
       "keys whose values are typical rather than sourced"),
    DF("notes", MN_FIELD_STRING, 0, NULL, 0, 0, 0, notes, "free text"),
};

static void device_init(void *rec) { mn_device_init(rec); }

static void device_check(void *rec, const mn_loc *loc, int fields_ok,
                         mn_diags *diags)
{
    mn_device *d = rec;
    mn_error e;
    mn_error_clear(&e);
    if (fields_ok && mn_device_validate(d, &e) != MN_OK)
        mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc, "%s", e.message);
    for (size_t i = 0; i < d->typical.count; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof device_fields / sizeof device_fields[0]; k++)
            if (!strcmp(device_fields[k].key, d->typical.items[i]))
                known = 1;
        if (!known)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "typical: '%s' is not a device key",
                            d->typical.items[i]);
    }
}

const mn_schema mn_schema_device = {
    "device", device_fields, sizeof device_fields / sizeof device_fields[0],
    sizeof(mn_device), device_init, NULL, device_check, NULL, NULL};

const mn_schema mn_schema_device_file = {
    "device", device_fields, sizeof device_fields / sizeof device_fields[0],
    sizeof(mn_device), device_init, NULL, device_check, NULL, "device"};

typedef struct {
    mn_table devices;
} devices_file;

/* In a catalog, device names are unique. */
static const mn_schema device_table_schema = {
    "device", device_fields, sizeof device_fields / sizeof device_fields[0],
    sizeof(mn_device), device_init, NULL, device_check, "name", NULL};

static const mn_field devices_file_fields[] = {
    {"devices", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(devices_file, devices),
     NULL, &device_table_schema, "the list of devices"},
};

const mn_schema mn_schema_devices_file = {
    "devices catalog", devices_file_fields, 1, sizeof(devices_file), NULL, NULL,
    NULL, NULL, "devices"};

/* ---- sites ----------------------------------------------------------- */

static const char *const regions[] = {"face", "scalp", "body", NULL};

#define SF(k, t, u, du, lo, hi, req, member, help)                            \
    {k, t, u, du, lo, hi, req, offsetof(mn_site, member), NULL, NULL, help}

static const mn_field site_fields[] = {
    SF("name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, name, "site id, e.g. cheek"),
    SF("label", MN_FIELD_STRING, 0, NULL, 0, 0, 0, label, "human-readable name"),
    {"region", MN_FIELD_ENUM, 0, NULL, 0, 0, 1, offsetof(mn_site, region),
     regions, NULL, "face, scalp or body"},
    SF("stratum_corneum", MN_FIELD_SEXED, MN_UNIT_LENGTH, "um", 1 * UM,
       1000 * UM, 1, stratum_corneum_m, "thickness, 1-1000 um"),
    SF("viable_epidermis", MN_FIELD_SEXED, MN_UNIT_LENGTH, "um", 5 * UM,
       1000 * UM, 1, viable_epidermis_m, "thickness, 5-1000 um"),
    SF("papillary_dermis", MN_FIELD_SEXED, MN_UNIT_LENGTH, "um", 10 * UM,
       2000 * UM, 1, papillary_dermis_m, "thickness, 10-2000 um"),
    SF("reticular_dermis", MN_FIELD_SEXED, MN_UNIT_LENGTH, "mm", 0.1 * MM,
       8 * MM, 1, reticular_dermis_m, "thickness, 0.1-8 mm"),
    SF("capillary_loop_depth", MN_FIELD_SEXED, MN_UNIT_LENGTH, "um", 10 * UM,
       2000 * UM, 1, capillary_loop_depth_m,
       "depth of the capillary loop tips below the surface, 10-2000 um"),
    SF("youngs_modulus", MN_FIELD_SEXED, MN_UNIT_PRESSURE, "kPa", 1e3, 1e8, 1,
       youngs_modulus_pa, "effective in-vivo modulus, 1 kPa-100 MPa"),
    SF("sources", MN_FIELD_STRMAP, 0, NULL, 0, 0, 1, sources,
       "the source of each value, by key"),
    SF("notes", MN_FIELD_STRING, 0, NULL, 0, 0, 0, notes, "free text"),
};

static void site_init(void *rec) { mn_site_init(rec); }

static void site_check(void *rec, const mn_loc *loc, int fields_ok,
                       mn_diags *diags)
{
    mn_site *s = rec;
    static const char *valued[] = {"stratum_corneum", "viable_epidermis",
                                   "papillary_dermis", "reticular_dermis",
                                   "capillary_loop_depth", "youngs_modulus"};
    for (size_t i = 0; i < sizeof valued / sizeof valued[0]; i++)
        if (!mn_strmap_get(&s->sources, valued[i]))
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: no source given for '%s' (every value "
                            "needs one)",
                            valued[i]);
    for (size_t i = 0; i < s->sources.count; i++) {
        int known = 0;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            if (!strcmp(valued[k], s->sources.keys[i]))
                known = 1;
        if (!known)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: '%s' is not a value key of a site",
                            s->sources.keys[i]);
    }
    mn_error e;
    mn_error_clear(&e);
    if (fields_ok && mn_site_validate(s, &e) != MN_OK)
        mn_input_report(diags, MN_SEV_ERROR, MN_ERANGE, loc, "%s", e.message);
}

const mn_schema mn_schema_site = {
    "site", site_fields, sizeof site_fields / sizeof site_fields[0],
    sizeof(mn_site), site_init, NULL, site_check, NULL, NULL};

typedef struct {
    mn_table sites;
} sites_file;

static const mn_schema site_table_schema = {
    "site", site_fields, sizeof site_fields / sizeof site_fields[0],
    sizeof(mn_site), site_init, NULL, site_check, "name", NULL};

static const mn_field sites_file_fields[] = {
    {"sites", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(sites_file, sites),
     NULL, &site_table_schema, "the list of skin sites"},
};

const mn_schema mn_schema_sites_file = {
    "sites atlas", sites_file_fields, 1, sizeof(sites_file), NULL, NULL, NULL,
    NULL, "sites"};


/* ---- loading ------------------------------------------------------------ */

mn_status mn_devices_load(const char *path, mn_device_list *out,
                          mn_diags *diags, mn_error *err)
{
    out->items = NULL;
    out->count = 0;
    devices_file f = {{NULL, 0}};
    const mn_schema *s = &mn_schema_devices_file;
    mn_status st = mn_input_read_file(path, s, &f, diags, err);
    if (st != MN_OK) {
        mn_schema_clear(s, &f);
        return st;
    }
    out->items = f.devices.items;
    out->count = f.devices.count;
    return MN_OK;
}

mn_status mn_device_load(const char *path, mn_device *out, mn_diags *diags,
                         mn_error *err)
{
    mn_status st = mn_input_read_file(path, &mn_schema_device_file, out, diags, err);
    if (st != MN_OK)
        mn_device_clear(out);
    return st;
}

int mn_device_spec_is_file(const char *spec)
{
    size_t n = strlen(spec);
    if (strchr(spec, '/'))
        return 1;
    const char *ext[] = {".yaml", ".yml", ".json"};
    for (int i = 0; i < 3; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcmp(spec + n - e, ext[i]))
            return 1;
    }
    return 0;
}

mn_status mn_device_resolve(const mn_device_list *catalog, const char *spec,
                            mn_device *out, mn_error *err)
{
    mn_device_init(out);
    if (!spec || !*spec)
        return mn_error_set(err, MN_EINVAL, "no device given");
    if (mn_device_spec_is_file(spec))
        return mn_device_load(spec, out, NULL, err);
    for (size_t i = 0; catalog && i < catalog->count; i++)
        if (!strcmp(catalog->items[i].name, spec))
            return mn_device_copy(out, &catalog->items[i], err);
    /* Suggest names sharing the type prefix. */
    char hint[256] = "";
    size_t used = 0;
    for (size_t i = 0; catalog && i < catalog->count && used < 200; i++)
        if (!strncmp(catalog->items[i].name, spec, 4))
            used += (size_t)snprintf(hint + used, sizeof hint - used, "%s%s",
                                     used ? ", " : "", catalog->items[i].name);
    return mn_error_set(err, MN_ENOTFOUND,
                        "no device named '%s'%s%s (see `mnsim devices`, or give "
                        "a device file)",
                        spec, used ? "; similar: " : "", hint);
}

mn_status mn_sites_load(const char *path, mn_site_list *out, mn_diags *diags,
                        mn_error *err)
{
    out->items = NULL;
    out->count = 0;
    sites_file f = {{NULL, 0}};
    mn_status st = mn_input_read_file(path, &mn_schema_sites_file, &f, diags, err);
    if (st != MN_OK) {
        mn_schema_clear(&mn_schema_sites_file, &f);
        return st;
    }
    out->items = f.sites.items;
    out->count = f.sites.count;
    return MN_OK;
}

/* ---- penetration parameters ------------------------------------------ */

typedef struct {
    mn_depth_params p;
    mn_strmap sources;
} penetration_file;

#define PF(k, t, u, du, lo, hi, member, help)                                 \
    {k, t, u, du, lo, hi, 1, offsetof(penetration_file, member), NULL, NULL, help}

static const mn_field penetration_fields[] = {
    PF("hand_force_light", MN_FIELD_NUMBER, MN_UNIT_FORCE, "N", 0.01, 200,
       p.hand_force_n[MN_PRESSURE_LIGHT], "total force of light (gentle) pressure"),
    PF("hand_force_medium", MN_FIELD_NUMBER, MN_UNIT_FORCE, "N", 0.01, 200,
       p.hand_force_n[MN_PRESSURE_MEDIUM], "total force of medium pressure"),
    PF("hand_force_firm", MN_FIELD_NUMBER, MN_UNIT_FORCE, "N", 0.01, 200,
       p.hand_force_n[MN_PRESSURE_FIRM], "total force of firm pressure"),
    PF("pen_force_per_needle", MN_FIELD_NUMBER, MN_UNIT_FORCE, "N", 1e-3, 50,
       p.pen_force_per_needle_n, "force of a pen's motor per needle"),
    PF("puncture_stress", MN_FIELD_NUMBER, MN_UNIT_PRESSURE, "MPa", 1e5, 1e10,
       p.puncture_stress_pa, "puncture force per tip area"),
    PF("tent_coefficient", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 1e-4, 1e3,
       p.tent_coefficient, "a in eta = 1/(1 + a (s/L)^b (F_ref/F)^g)"),
    PF("tent_exponent", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 0, 10,
       p.tent_exponent, "b"),
    PF("force_exponent", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 0, 5,
       p.force_exponent, "g"),
    PF("reference_force", MN_FIELD_NUMBER, MN_UNIT_FORCE, "N", 1e-3, 100,
       p.reference_force_n, "F_ref"),
    PF("reference_modulus", MN_FIELD_NUMBER, MN_UNIT_PRESSURE, "kPa", 1e3, 1e8,
       p.reference_modulus_pa, "E_ref"),
    PF("depth_cv", MN_FIELD_NUMBER, MN_UNIT_FRACTION, NULL, 0, 1, p.depth_cv,
       "between-channel coefficient of variation of depth"),
    PF("width_factor", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 0.1, 10,
       p.width_factor, "channel surface width over needle diameter"),
    PF("disruption_radius", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "um", 0, 1e-3,
       p.disruption_radius_m,
       "radius of stratum corneum opened around a needle that stops inside it, 0-1 mm"),
    PF("sources", MN_FIELD_STRMAP, 0, NULL, 0, 0, sources, "source of each value"),
};
#define N_PENETRATION_FIELDS (sizeof penetration_fields / sizeof penetration_fields[0])

static void penetration_check(void *rec, const mn_loc *loc, int fields_ok,
                              mn_diags *diags)
{
    penetration_file *f = rec;
    for (size_t i = 0; i + 1 < N_PENETRATION_FIELDS; i++)
        if (!mn_strmap_get(&f->sources, penetration_fields[i].key))
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: no source given for '%s'",
                            penetration_fields[i].key);
    mn_error e;
    mn_error_clear(&e);
    if (fields_ok && mn_depth_params_validate(&f->p, &e) != MN_OK)
        mn_input_report(diags, MN_SEV_ERROR, MN_ERANGE, loc, "%s", e.message);
}

const mn_schema mn_schema_penetration_file = {
    "penetration parameters", penetration_fields, N_PENETRATION_FIELDS,
    sizeof(penetration_file), NULL, NULL, penetration_check, NULL, "penetration"};

mn_status mn_depth_params_load(const char *path, mn_depth_params *out,
                               mn_diags *diags, mn_error *err)
{
    penetration_file f;
    memset(&f, 0, sizeof f);
    mn_status st = mn_input_read_file(path, &mn_schema_penetration_file, &f, diags, err);
    if (st == MN_OK)
        *out = f.p;
    mn_schema_clear(&mn_schema_penetration_file, &f);
    return st;
}
