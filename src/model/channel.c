/* The life of a microneedle channel (mnsim/channel.h). */
#include "mnsim/channel.h"

#include <math.h>

mn_status mn_channel_params_validate(const mn_channel_params *p, mn_error *err)
{
    if (!(isfinite(p->pore_time_s) && p->pore_time_s > 0))
        return mn_error_set(err, MN_ERANGE, "pore_closure_time must be positive");
    if (!(isfinite(p->occlusion_factor) && p->occlusion_factor >= 1))
        return mn_error_set(err, MN_ERANGE, "occlusion_factor must be 1 or more");
    if (!(isfinite(p->wound_time_per_m_s_m) && p->wound_time_per_m_s_m >= 0))
        return mn_error_set(err, MN_ERANGE,
                            "wound_closure_time_per_mm must be 0 or more");
    if (!(p->closed_fraction > 0 && p->closed_fraction < 1))
        return mn_error_set(err, MN_ERANGE,
                            "closed_fraction must be in 0..1 (exclusive)");
    return MN_OK;
}

double mn_channel_dermis_length(const mn_skin *k, double depth_m)
{
    double top = k->thickness_m[MN_LAYER_STRATUM_CORNEUM] +
                 k->thickness_m[MN_LAYER_VIABLE_EPIDERMIS];
    double bottom = mn_skin_layer_bottom(k, MN_LAYER_RETICULAR_DERMIS);
    double in = fmin(depth_m, bottom) - top;
    return in > 0 ? in : 0;
}

double mn_channel_tau(const mn_channel_params *p, double dermis_depth_m, int occluded)
{
    double d = dermis_depth_m > 0 ? dermis_depth_m : 0;
    return p->pore_time_s * (occluded ? p->occlusion_factor : 1.0) +
           p->wound_time_per_m_s_m * d;
}

double mn_channel_open_fraction(const mn_channel_params *p, double dermis_depth_m,
                                int occluded, double age_s)
{
    if (!(age_s > 0))
        return 1.0;
    return exp(-age_s / mn_channel_tau(p, dermis_depth_m, occluded));
}

double mn_channel_half_life(const mn_channel_params *p, double dermis_depth_m,
                            int occluded)
{
    return log(2.0) * mn_channel_tau(p, dermis_depth_m, occluded);
}

double mn_channel_closure_time(const mn_channel_params *p, double dermis_depth_m,
                               int occluded)
{
    return -log(p->closed_fraction) * mn_channel_tau(p, dermis_depth_m, occluded);
}
