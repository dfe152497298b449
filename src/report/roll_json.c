/* A rolling session as JSON: the pieces of `mnsim roll --json` (see
 * mnsim/roll_json.h). */
#include "mnsim/roll_json.h"
#include "mnsim/units.h"

mn_jnode *mn_roll_hand_json(mn_json *j, const mn_roll_params *p, int device_type)
{
    mn_jnode *hand = mn_json_object(j);
    mn_json_num(j, hand, "overlap", p->overlap);
    mn_json_num(j, hand, "lateral_jitter_mm", p->lateral_jitter_m * 1e3);
    mn_json_num(j, hand, "along_jitter_mm", p->along_jitter_m * 1e3);
    mn_json_num(j, hand, "angle_jitter_deg", p->angle_jitter_rad * 180 / MN_PI);
    mn_json_bool(j, hand, "random_pass_offset", p->random_pass_offset);
    mn_json_bool(j, hand, "random_phase", p->random_phase);
    if (!p->random_phase)
        mn_json_num(j, hand, "phase_deg", p->phase_rad * 180 / MN_PI);
    mn_json_num(j, hand, "slip", p->slip);
    if (device_type == MN_DEVICE_STAMP || device_type == MN_DEVICE_PEN)
        mn_json_num(j, hand, "stamp_jitter_mm", p->stamp_jitter_m * 1e3);
    if (device_type == MN_DEVICE_PEN)
        mn_json_num(j, hand, "speed_mm_s", p->hand_speed_m_s * 1e3);
    return hand;
}

mn_jnode *mn_roll_directions_json(mn_json *j, const mn_roll_pattern *p)
{
    mn_jnode *da = mn_json_array(j);
    for (int d = 0; d < p->n_dirs; d++) {
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "direction", mn_roll_direction_name(p->angle_rad[d]));
        mn_json_int(j, o, "passes", p->passes[d]);
        mn_json_push(j, da, o);
    }
    return da;
}

mn_jnode *mn_roll_zone_json(mn_json *j, const mn_roll_zone_row *zr, int with_target)
{
    const mn_roll_metrics *m = &zr->metrics;
    mn_jnode *z = mn_json_object(j);
    mn_json_str(j, z, "name", zr->name);
    if (zr->label)
        mn_json_str(j, z, "label", zr->label);
    mn_json_str(j, z, "site", zr->site);
    mn_json_num(j, z, "area_cm2", m->area_m2 * 1e4);
    mn_json_int(j, z, "punctures", (long long)m->punctures);
    mn_json_num(j, z, "density_per_cm2", m->density_mean * 1e-4);
    mn_json_num(j, z, "density_cv", m->density_cv);
    mn_json_num(j, z, "coverage", m->coverage);
    mn_jnode *cb = mn_json_array(j);
    for (int q = 0; q < m->passes && q < MN_ROLL_MAX_PASSES; q++)
        mn_json_push_num(j, cb, m->coverage_by_pass[q]);
    mn_json_put(j, z, "coverage_by_pass", cb);
    mn_json_num(j, z, "nn_mean_mm", m->nn_mean_m * 1e3);
    mn_json_num(j, z, "nn_p5_mm", m->nn_p05_m * 1e3);
    mn_json_num(j, z, "nn_along_mm", m->nn_along_m * 1e3);
    mn_json_num(j, z, "nn_across_mm", m->nn_across_m * 1e3);
    mn_json_num(j, z, "nn_anisotropy", m->nn_anisotropy);
    mn_json_num(j, z, "nn_axis_deg", m->nn_axis_rad * 180 / MN_PI);
    mn_json_num(j, z, "hit_fraction", m->hit_fraction);
    mn_json_num(j, z, "hit_radius_mm", zr->hit_radius_m * 1e3);
    mn_json_bool(j, z, "punctured", zr->punctured);
    mn_json_num(j, z, "depth_um", zr->depth_m * 1e6);
    mn_json_num(j, z, "depth_sd_um", zr->depth_sd_m * 1e6);
    mn_json_num(j, z, "depth_sampled_um", m->depth_mean_m * 1e6);
    mn_json_num(j, z, "depth_sampled_sd_um", m->depth_sd_m * 1e6);
    if (with_target) {
        if (zr->passes_needed > 0)
            mn_json_int(j, z, "passes_to_target", zr->passes_needed);
        else
            mn_json_str(j, z, "passes_to_target", "not reached");
    }
    return z;
}

mn_status mn_zone_list_json(mn_json *j, mn_jnode *obj, const mn_zone_list *zl)
{
    mn_jnode *za = mn_json_array(j), *ga = mn_json_array(j), *pa = mn_json_array(j);
    for (size_t i = 0; i < zl->count; i++) {
        const mn_zone *z = &zl->items[i];
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "name", z->name);
        if (z->label)
            mn_json_str(j, o, "label", z->label);
        mn_json_str(j, o, "site", z->site);
        mn_json_str(j, o, "chart", mn_chart_name(z->chart));
        mn_json_num(j, o, "area_cm2", z->area_m2 * 1e4);
        mn_json_int(j, o, "points", (long long)z->n);
        mn_json_str(j, o, "source", z->source);
        mn_json_push(j, za, o);
    }
    for (size_t g = 0; g < zl->n_groups; g++) {
        const mn_zone_group *G = &zl->groups[g];
        mn_jnode *o = mn_json_object(j), *m = mn_json_array(j);
        mn_json_str(j, o, "name", G->name);
        if (G->label)
            mn_json_str(j, o, "label", G->label);
        for (size_t k = 0; k < G->zones.count; k++)
            mn_json_push_str(j, m, G->zones.items[k]);
        mn_json_put(j, o, "zones", m);
        mn_json_num(j, o, "area_cm2", mn_zone_group_area(zl, g) * 1e4);
        mn_json_push(j, ga, o);
    }
    for (size_t k = 0; k < mn_roll_pattern_count(); k++) {
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "name", mn_roll_pattern_name(k));
        mn_json_str(j, o, "description", mn_roll_pattern_help(k));
        mn_json_push(j, pa, o);
    }
    mn_json_put(j, obj, "zones", za);
    mn_json_put(j, obj, "groups", ga);
    return mn_json_put(j, obj, "patterns", pa);
}
