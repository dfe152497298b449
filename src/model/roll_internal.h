/* Internal to the rolling model (floor: model): the small inline helpers
 * the roll_*.c files share. It declares no function of any file (one
 * stroke's functions are in roll_stroke.h). Not installed and not part of
 * the API (include/mnsim/roll.h). */
#ifndef MNSIM_MODEL_ROLL_INTERNAL_H
#define MNSIM_MODEL_ROLL_INTERNAL_H

#include <math.h>

#include "mnsim/units.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#define MN_PRAGMA(x) _Pragma(#x)
#else
#define MN_PRAGMA(x)
#endif

/* v is finite and within [lo, hi]. */
static inline int roll_in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

/* qsort comparison of doubles: ascending. */
static inline int roll_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif /* MNSIM_MODEL_ROLL_INTERNAL_H */
