/* The evaluators of validation cases, one per model (floor: therapy;
 * private to src/therapy/validation*.c). Each fills r->value (and the band
 * when it has one) or sets r->status and r->message; returns MN_ENOMEM
 * only for memory. */
#ifndef MNSIM_VALIDATION_MODELS_H
#define MNSIM_VALIDATION_MODELS_H

#include "mnsim/validation.h"

mn_status mn_veval_depth(const mn_validation_env *env, const mn_vcase *c,
                         mn_vresult *r);
mn_status mn_veval_roll(const mn_validation_env *env, const mn_vcase *c, mn_vresult *r);
mn_status mn_veval_channel(const mn_validation_env *env, const mn_vcase *c,
                           mn_vresult *r);
mn_status mn_veval_heal(const mn_validation_env *env, const mn_vcase *c, mn_vresult *r);
mn_status mn_veval_deliver(const mn_validation_env *env, const mn_vcase *c,
                           mn_vresult *r);

/* The inputs that set the experiment's device and skin (device, site, sex,
 * pressure, force, the layers, capillary_loop_depth, modulus), read by
 * mn_vm_device, mn_vm_skin and mn_vm_depth; NULL-terminated. */
extern const char *const mn_vm_experiment_keys[];

/* Shared by the evaluators: the device of input 'device', the skin of the
 * experiment (site and/or layers), the penetration model's channels. */
mn_status mn_vm_device(const mn_validation_env *env, const mn_vcase *c,
                       const mn_device **out, mn_vresult *r);
mn_status mn_vm_skin(const mn_validation_env *env, const mn_vcase *c, mn_skin *k,
                     mn_vresult *r);
mn_status mn_vm_depth(const mn_validation_env *env, const mn_vcase *c,
                      const mn_device *dev, const mn_skin *k, mn_depth_result *d,
                      mn_vresult *r);

#endif
