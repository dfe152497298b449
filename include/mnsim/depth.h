/* mnsim: needle penetration: how deep each needle really goes (floor: model).
 *
 * Skin deforms and resists before and during insertion, so a needle enters
 * less than its length. The model (docs/model.md, "Penetration") balances
 * the force the hand (or the pen's motor) applies against the resistance of
 * every needle in the skin at that moment; for a roller only the needles
 * near the bottom of the drum are in the skin at once.
 *
 * Thread safety: reentrant: pure functions of their arguments; devices, skin and
 * parameters may be shared read-only between threads. */
#ifndef MNSIM_DEPTH_H
#define MNSIM_DEPTH_H

#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_PRESSURE_LIGHT = 0,
    MN_PRESSURE_MEDIUM,
    MN_PRESSURE_FIRM,
    MN_PRESSURE_COUNT
} mn_pressure;

/* Parameters of the penetration model (data/penetration.yaml, each with its
 * source). SI units. */
typedef struct {
    double hand_force_n[MN_PRESSURE_COUNT]; /* total force on a roller/stamp */
    double pen_force_per_needle_n;          /* a pen's motor, per needle */
    double puncture_stress_pa;     /* puncture force / tip area, p_p */
    double tent_coefficient;       /* a: tenting at s/L = 1 and F = F_ref */
    double tent_exponent;          /* b: growth of tenting with s/L */
    double force_exponent;         /* g: fall of tenting with force */
    double reference_force_n;      /* F_ref */
    double reference_modulus_pa;   /* E_ref: the skin of the calibration data */
    double depth_cv;               /* between-channel coefficient of variation */
    double width_factor;           /* surface width / needle diameter at the surface */
    double disruption_radius_m;    /* radius of the patch of stratum
                                      corneum that a needle stopping inside
                                      it disrupts (opens), per contact */
} mn_depth_params;

/* Name of a pressure level ("light", ...). */
const char *mn_pressure_name(int p);

/* Hand force for a pressure level or explicit newtons (force_n > 0 wins). */
double mn_depth_hand_force(const mn_depth_params *p, int pressure, double force_n);

/* What one device does at one site. Lengths in m. */
typedef struct {
    double force_total_n;      /* force applied to the device */
    double force_per_needle_n; /* on the deepest needle */
    int needles_in_skin;       /* at once (roller: near the drum bottom) */
    double depth_m;            /* mean channel depth */
    double depth_sd_m;         /* between-channel standard deviation */
    double efficiency;         /* depth / needle length */
    double width_m;            /* channel diameter at the surface */
    int layer;                 /* deepest layer reached by the mean channel (mn_layer) */
    double bleeding_fraction;  /* channels reaching the capillary loops */
    int beyond_dermis;         /* 1 if channels may pass the dermis (>= 2.5% of them) */
    double beyond_dermis_fraction;
    int punctured;             /* 0 if the force cannot puncture the skin */
    int disrupted;             /* 1: the needles stop inside the stratum
                                  corneum: no channel into living tissue,
                                  but a spot of disrupted barrier under each
                                  tip (docs/model.md, Short needles) */
    double disruption_radius_m;/* radius of such a patch (the parameter) */
    int anaesthesia_advised;
} mn_depth_result;

/* Penetration of a device's needles at a site for a total applied force
 * (N; for pens the motor force in params is used instead). Monotonic in
 * needle length and force. Errors: MN_EINVAL for an invalid device or
 * non-positive force, MN_ENUMERIC if the force balance cannot be solved. */
mn_status mn_depth_compute(const mn_device *d, const mn_skin *skin,
                           const mn_depth_params *p, double force_n,
                           mn_depth_result *out, mn_error *err);

/* Insertion efficiency (depth / reach) of a needle of reach L (m) whose
 * skin (Young's modulus E, Pa) is supported at distance s (m) by the
 * device, bearing force_n (N):
 * eta = 1 / (1 + a (s/L)^b (F_ref/F)^g (E_ref/E)^g). */
double mn_depth_efficiency(const mn_depth_params *p, double reach_m,
                           double support_m, double force_n,
                           double youngs_modulus_pa);

/* Distance (m) at which the device supports the skin around a needle: the
 * needle pitch (roller: geometric mean of the pitch around the drum at the
 * tips and across the rings). */
double mn_depth_support_distance(const mn_device *d);

/* Force (N) borne by one needle: roller, hand force over the rings (one
 * needle per ring at the bottom of the drum); stamp, over all needles; pen,
 * the motor force per needle. */
double mn_depth_force_per_needle(const mn_device *d, const mn_depth_params *p,
                                 double force_n);

/* Check parameter ranges; MN_ERANGE names the key. */
mn_status mn_depth_params_validate(const mn_depth_params *p, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
