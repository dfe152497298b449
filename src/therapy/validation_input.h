/* Reading the inputs of a validation case (floor: therapy; private to
 * src/therapy/validation*.c). Each reader returns MN_OK, or sets r->status
 * and r->message (naming the key) and returns the status. */
#ifndef MNSIM_VALIDATION_INPUT_H
#define MNSIM_VALIDATION_INPUT_H

#include "mnsim/validation.h"

/* The text of input key (NULL when absent and not required). */
mn_status mn_vin_text(const mn_vcase *c, const char *key, const char **out,
                      int required, mn_vresult *r);

/* A quantity with its unit, in SI (unit: mn_unit_kind); *out is kept when
 * the key is absent and not required. */
mn_status mn_vin_quantity(const mn_vcase *c, const char *key, int unit, double *out,
                          int required, mn_vresult *r);

/* A whole number in lo..hi; *out is kept when absent and not required. */
mn_status mn_vin_count(const mn_vcase *c, const char *key, long lo, long hi, long *out,
                       int required, mn_vresult *r);

/* Every input key of the case is in keys or in more (both NULL-terminated;
 * more may be NULL). */
mn_status mn_vin_known(const mn_vcase *c, const char *const *keys,
                       const char *const *more, mn_vresult *r);

/* Input key as yes or no (*out 1 or 0; 0 when absent). */
mn_status mn_vin_yes_no(const mn_vcase *c, const char *key, int *out, mn_vresult *r);

/* The case asks for a quantity the model does not give. */
mn_status mn_vin_unknown_quantity(const mn_vcase *c, const char *known, mn_vresult *r);

/* 5% and 95% quantiles of values (sorted in place) into r->p5, r->p95
 * (NaN for fewer than 2 values). */
void mn_vband(double *values, size_t n, mn_vresult *r);

#endif
