/* Needle penetration: depth, layer reached, bleeding (docs/model.md). */
#include "mnsim/depth.h"
#include "mnsim/units.h"

#include <math.h>

const char *mn_pressure_name(int p)
{
    switch (p) {
    case MN_PRESSURE_LIGHT: return "light";
    case MN_PRESSURE_MEDIUM: return "medium";
    case MN_PRESSURE_FIRM: return "firm";
    }
    return "unknown";
}

double mn_depth_hand_force(const mn_depth_params *p, int pressure, double force_n)
{
    if (force_n > 0)
        return force_n;
    if (pressure < 0 || pressure >= MN_PRESSURE_COUNT)
        pressure = MN_PRESSURE_LIGHT;
    return p->hand_force_n[pressure];
}

mn_status mn_depth_params_validate(const mn_depth_params *p, mn_error *err)
{
    for (int i = 0; i < MN_PRESSURE_COUNT; i++)
        if (!(p->hand_force_n[i] > 0 && p->hand_force_n[i] < 200))
            return mn_error_set(err, MN_ERANGE,
                                "hand force for '%s' must be in 0-200 N",
                                mn_pressure_name(i));
    if (!(p->hand_force_n[0] <= p->hand_force_n[1] &&
          p->hand_force_n[1] <= p->hand_force_n[2]))
        return mn_error_set(err, MN_ERANGE,
                            "hand forces must not decrease from light to firm");
    struct {
        const char *key;
        double v, lo, hi;
    } r[] = {{"pen_force_per_needle", p->pen_force_per_needle_n, 1e-3, 50},
             {"puncture_stress", p->puncture_stress_pa, 1e5, 1e10},
             {"tent_coefficient", p->tent_coefficient, 1e-4, 1e3},
             {"tent_exponent", p->tent_exponent, 0, 10},
             {"force_exponent", p->force_exponent, 0, 5},
             {"reference_force", p->reference_force_n, 1e-3, 100},
             {"reference_modulus", p->reference_modulus_pa, 1e3, 1e8},
             {"depth_cv", p->depth_cv, 0, 1},
             {"width_factor", p->width_factor, 0.1, 10},
             {"disruption_radius", p->disruption_radius_m, 0, 1e-3}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (!(r[i].v >= r[i].lo && r[i].v <= r[i].hi))
            return mn_error_set(err, MN_ERANGE, "%s must be in %g-%g (SI)", r[i].key,
                                r[i].lo, r[i].hi);
    return MN_OK;
}

/* Radial reach of a roller needle beyond the drum surface (m): a needle
 * tilted by tau from the radius reaches sqrt((R+L cos t)^2 + (L sin t)^2) - R. */
static double reach(const mn_device *d)
{
    double L = d->needle_length_m;
    if (d->type != MN_DEVICE_ROLLER || isnan(d->tilt_rad))
        return L;
    double R = 0.5 * d->drum_diameter_m, t = d->tilt_rad;
    double a = R + L * cos(t), b = L * sin(t);
    return sqrt(a * a + b * b) - R;
}

double mn_depth_support_distance(const mn_device *d)
{
    if (d->type == MN_DEVICE_ROLLER) {
        double around = MN_PI * (d->drum_diameter_m + 2 * d->needle_length_m) /
                        (double)d->needles_per_ring;
        double across = d->drum_width_m / (double)d->rings;
        return sqrt(around * across);
    }
    return d->pitch_m;
}

double mn_depth_force_per_needle(const mn_device *d, const mn_depth_params *p,
                                 double force_n)
{
    switch (d->type) {
    case MN_DEVICE_ROLLER: return force_n / (double)d->rings;
    case MN_DEVICE_STAMP: return force_n / (double)(d->rows * d->columns);
    case MN_DEVICE_PEN: return p->pen_force_per_needle_n;
    }
    return NAN;
}

double mn_depth_efficiency(const mn_depth_params *p, double reach_m, double support_m,
                           double force_n, double youngs_modulus_pa)
{
    /* Softer skin tents more before it is pierced; more force presses it
     * against the device and tents it less. */
    double tent = p->tent_coefficient * pow(support_m / reach_m, p->tent_exponent) *
                  pow(p->reference_force_n / force_n, p->force_exponent) *
                  pow(p->reference_modulus_pa / youngs_modulus_pa, p->force_exponent);
    return 1.0 / (1.0 + tent);
}

/* Standard normal upper tail. */
static double upper_tail(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

static double fraction_deeper(double mean, double sd, double depth)
{
    if (!(mean > 0))
        return 0;
    if (sd <= 0)
        return mean > depth ? 1.0 : 0.0;
    return upper_tail((depth - mean) / sd);
}

mn_status mn_depth_compute(const mn_device *d, const mn_skin *skin,
                           const mn_depth_params *p, double force_n,
                           mn_depth_result *out, mn_error *err)
{
    mn_status s = mn_device_validate(d, err);
    if (s)
        return s;
    if (!(force_n > 0) || !isfinite(force_n))
        return mn_error_set(err, MN_EINVAL, "force must be > 0 N");
    if ((s = mn_depth_params_validate(p, err)))
        return s;

    mn_depth_result r = {0};
    r.force_total_n = d->type == MN_DEVICE_PEN
                          ? p->pen_force_per_needle_n * (double)d->needle_count
                          : force_n;
    r.force_per_needle_n = mn_depth_force_per_needle(d, p, force_n);
    r.needles_in_skin =
        d->type == MN_DEVICE_ROLLER ? (int)d->rings : (int)mn_device_needle_count(d);
    double tip_area = MN_PI * d->tip_radius_m * d->tip_radius_m;
    double puncture_force = p->puncture_stress_pa * tip_area;
    r.punctured = r.force_per_needle_n >= puncture_force;
    double L = reach(d);
    if (r.punctured) {
        r.efficiency =
            mn_depth_efficiency(p, L, mn_depth_support_distance(d),
                                r.force_per_needle_n, skin->youngs_modulus_pa) *
            (L / d->needle_length_m);
        r.depth_m = r.efficiency * d->needle_length_m;
    }
    if (!isfinite(r.depth_m))
        return mn_error_set(err, MN_ENUMERIC, "penetration depth is not finite");
    r.depth_sd_m = p->depth_cv * r.depth_m;
    /* The needle is a cone from the tip radius to the base radius over its
     * length; the channel's surface width is the needle's diameter where it
     * met the surface, widened by tearing (width_factor, Kalluri 2011). */
    double rb = 0.5 * d->needle_base_diameter_m, rt = d->tip_radius_m;
    double frac = d->needle_length_m > 0 ? r.depth_m / d->needle_length_m : 0;
    r.width_m =
        r.punctured ? p->width_factor * 2 * (rt + (rb - rt) * fmin(frac, 1.0)) : 0;
    r.layer = mn_skin_layer_at(skin, r.depth_m);
    /* A needle that stops inside the stratum corneum opens no channel into
     * living tissue; it cracks the barrier under its tip (short needles:
     * docs/model.md). */
    double sc = skin->thickness_m[MN_LAYER_STRATUM_CORNEUM];
    r.disrupted = r.punctured && r.depth_m < sc;
    if (r.disrupted)
        r.disruption_radius_m = p->disruption_radius_m;
    r.bleeding_fraction =
        fraction_deeper(r.depth_m, r.depth_sd_m, skin->capillary_loop_depth_m);
    r.beyond_dermis_fraction =
        fraction_deeper(r.depth_m, r.depth_sd_m, mn_skin_total(skin));
    r.beyond_dermis = r.beyond_dermis_fraction >= 0.025;
    /* Nerve endings lie in the dermis: channels that reach it hurt. */
    r.anaesthesia_advised =
        r.depth_m > mn_skin_layer_bottom(skin, MN_LAYER_VIABLE_EPIDERMIS);
    *out = r;
    return MN_OK;
}
