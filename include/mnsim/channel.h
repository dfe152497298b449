/* mnsim: the life of a microneedle channel: how long it stays open
 * (floor: model). One model for every use: the transport model lets
 * solute through a channel in proportion to its open fraction, the healing
 * model's barrier is the same open fraction, and `mnsim depth`, `deliver`,
 * `heal`, `run` and `journal next` print the closure times it gives.
 *
 * The open fraction of the channels of one session decays as
 *
 *   f(t) = exp(-t / tau),   tau = tau_pore x k_occ + tau_wound x d_dermis / 1 mm
 *
 * tau_pore: the resealing of a pore in the stratum corneum and epidermis
 * (impedance recovery after shallow microneedles: hours without occlusion);
 * k_occ: how much occlusion slows it (occluded pores stay open for a day or
 * more: the skin under a cover stays hydrated); tau_wound: the repair of
 * the wound a channel leaves in the dermis (TEWL after 1.5 mm needling stays
 * raised for days), per mm of channel inside the dermis. A channel that
 * stays in the epidermis (d_dermis = 0) reseals as a pore. The parameters
 * and their sources: data/channels.yaml; the calibration: docs/model.md.
 *
 * Thread safety: reentrant: pure functions of their arguments; the parameters may be
 * shared read-only between threads. */
#ifndef MNSIM_CHANNEL_H
#define MNSIM_CHANNEL_H

#include "mnsim/error.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The model's parameters (SI). */
typedef struct {
    double pore_time_s;          /* tau_pore, without occlusion */
    double occlusion_factor;     /* k_occ (>= 1) */
    double wound_time_per_m_s_m; /* tau_wound per m of channel in the dermis (s/m) */
    double closed_fraction;      /* a channel set counts as closed below this
                                    open fraction (the thresholds of the
                                    impedance and TEWL studies) */
} mn_channel_params;

/* Check the parameters: finite, positive, k_occ >= 1, closed fraction in
 * (0, 1). MN_ERANGE names the key. */
mn_status mn_channel_params_validate(const mn_channel_params *p, mn_error *err);

/* Length (m) of a channel depth_m deep inside the dermis of skin k: 0 for a
 * channel that stays in the epidermis, at most the dermis's thickness for
 * one that passes it. Every model that needs it (closure, the healing
 * dose) takes it from here. */
double mn_channel_dermis_length(const mn_skin *k, double depth_m);

/* The closure time constant tau (s) of channels reaching dermis_depth_m
 * into the dermis (0 for channels that stay in the epidermis), occluded or
 * not. */
double mn_channel_tau(const mn_channel_params *p, double dermis_depth_m, int occluded);

/* Open fraction (0..1) at age_s after the session. */
double mn_channel_open_fraction(const mn_channel_params *p, double dermis_depth_m,
                                int occluded, double age_s);

/* Half-life (s) and closure time (s: open fraction down to closed_fraction). */
double mn_channel_half_life(const mn_channel_params *p, double dermis_depth_m,
                            int occluded);
/* Closure time (s): until the open fraction is down to closed_fraction. */
double mn_channel_closure_time(const mn_channel_params *p, double dermis_depth_m,
                               int occluded);

#ifdef __cplusplus
}
#endif
#endif
