/* The catalogs as JSON: devices, sites, compounds (mnsim/catalog_json.h).
 * Moved here from the command (mnsim devices, mnsim sites) so the web app
 * serves the same documents. */
#include "mnsim/catalog_json.h"

#include <math.h>

#include "mnsim/units.h"

static void put_len(mn_json *j, mn_jnode *o, const char *key, double m)
{
    if (!isnan(m))
        mn_json_num(j, o, key, m * 1e3);
}

mn_jnode *mn_device_json(mn_json *j, const mn_device *d)
{
    mn_jnode *o = mn_json_object(j);
    mn_json_str(j, o, "name", d->name);
    mn_json_str(j, o, "type", mn_device_type_name(d->type));
    if (d->label)
        mn_json_str(j, o, "label", d->label);
    mn_json_str(j, o, "setting", d->setting == MN_SETTING_HOME ? "home" : "clinic");
    if (d->material)
        mn_json_str(j, o, "material", d->material);
    mn_json_int(j, o, "needles", mn_device_needle_count(d));
    put_len(j, o, "needle_length_mm", d->needle_length_m);
    put_len(j, o, "needle_base_diameter_mm", d->needle_base_diameter_m);
    if (!isnan(d->tip_radius_m))
        mn_json_num(j, o, "tip_radius_um", d->tip_radius_m * 1e6);
    if (d->type == MN_DEVICE_ROLLER) {
        put_len(j, o, "drum_diameter_mm", d->drum_diameter_m);
        put_len(j, o, "drum_width_mm", d->drum_width_m);
        mn_json_int(j, o, "rings", d->rings);
        mn_json_int(j, o, "needles_per_ring", d->needles_per_ring);
        if (!isnan(d->tilt_rad))
            mn_json_num(j, o, "tilt_deg", d->tilt_rad * 180 / MN_PI);
    } else if (d->type == MN_DEVICE_STAMP) {
        mn_json_int(j, o, "rows", d->rows);
        mn_json_int(j, o, "columns", d->columns);
        put_len(j, o, "pitch_mm", d->pitch_m);
    } else {
        mn_json_int(j, o, "needle_count", d->needle_count);
        mn_json_str(j, o, "layout", d->layout == MN_LAYOUT_CIRCLE ? "circle" : "grid");
        put_len(j, o, "pitch_mm", d->pitch_m);
        put_len(j, o, "cartridge_diameter_mm", d->cartridge_diameter_m);
        mn_json_num(j, o, "stroke_frequency_hz", d->stroke_frequency_hz);
        put_len(j, o, "depth_min_mm", d->depth_min_m);
        put_len(j, o, "depth_max_mm", d->depth_max_m);
    }
    mn_json_num(j, o, "density_per_pass_per_cm2", mn_device_density_per_pass(d) * 1e-4);
    mn_json_str(j, o, "source", d->source);
    if (d->typical.count) {
        mn_jnode *t = mn_json_array(j);
        for (size_t i = 0; i < d->typical.count; i++)
            mn_json_push_str(j, t, d->typical.items[i]);
        mn_json_put(j, o, "typical", t);
    }
    if (d->notes)
        mn_json_str(j, o, "notes", d->notes);
    return o;
}

static const char *const region_names[] = {"face", "scalp", "body"};

static const char *const layer_keys[] = {"stratum_corneum_um", "viable_epidermis_um",
                                         "papillary_dermis_um", "reticular_dermis_um"};

mn_jnode *mn_site_json(mn_json *j, const mn_site *s, const mn_skin *k, mn_sex sex)
{
    mn_jnode *o = mn_json_object(j);
    mn_json_str(j, o, "name", s->name);
    if (s->label)
        mn_json_str(j, o, "label", s->label);
    mn_json_str(j, o, "region", region_names[s->region]);
    mn_json_str(j, o, "sex", sex == MN_SEX_MALE ? "male" : "female");
    for (int l = 0; l < MN_LAYER_SUBCUTIS; l++)
        mn_json_num(j, o, layer_keys[l], k->thickness_m[l] * 1e6);
    mn_json_num(j, o, "skin_total_um", mn_skin_total(k) * 1e6);
    mn_json_num(j, o, "capillary_loop_depth_um", k->capillary_loop_depth_m * 1e6);
    mn_json_num(j, o, "youngs_modulus_kpa", k->youngs_modulus_pa * 1e-3);
    mn_jnode *src = mn_json_object(j);
    for (size_t i = 0; i < s->sources.count; i++)
        mn_json_str(j, src, s->sources.keys[i], s->sources.values[i]);
    mn_json_put(j, o, "sources", src);
    if (s->notes)
        mn_json_str(j, o, "notes", s->notes);
    return o;
}

static const char *const use_names[] = {"anaesthetic", "cosmetic", "drug"};

mn_jnode *mn_compound_json(mn_json *j, const mn_compound *c)
{
    mn_jnode *o = mn_json_object(j);
    if (!o)
        return NULL;
    mn_json_str(j, o, "name", c->name);
    if (c->label)
        mn_json_str(j, o, "label", c->label);
    if (c->use >= 0 && c->use <= MN_USE_DRUG)
        mn_json_str(j, o, "use", use_names[c->use]);
    mn_json_num(j, o, "molar_mass_g_mol", c->solute.molar_mass_kg_mol * 1e3);
    mn_json_num(j, o, "log_p", c->solute.log_p);
    mn_json_num(j, o, "concentration_mg_ml",
                c->concentration_kg_m3);                   /* kg/m3 = mg/ml */
    mn_json_num(j, o, "dose_mg_cm2", c->dose_kg_m2 * 1e2); /* kg/m2 -> mg/cm2 */
    mn_jnode *src = mn_json_object(j);
    for (size_t i = 0; i < c->sources.count; i++)
        mn_json_str(j, src, c->sources.keys[i], c->sources.values[i]);
    mn_json_put(j, o, "sources", src);
    if (c->notes)
        mn_json_str(j, o, "notes", c->notes);
    return o;
}
