/* mnsim: order statistics shared by the healing ensembles, the virtual
 * trials and their figures (floor: base).
 *
 * Thread safety: reentrant: every function works on the caller's array only. */
#ifndef MNSIM_STATS_H
#define MNSIM_STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sort the n values of x in place, ascending, NaNs moved to the end (GSL's
 * gsl_sort orders the numbers; it has no order for NaN, so they are set
 * aside first). Returns the number of values that are not NaN (the sorted
 * prefix). x may be NULL when n is 0. */
size_t mn_stats_sort(double *x, size_t n);

/* Quantile q (0..1) of n values sorted by mn_stats_sort (NaNs at the end,
 * ignored): type 7 (linear interpolation between the order statistics at
 * h = (m - 1) q, m the number of values that are not NaN), computed as
 * x[i] + (h - i) (x[i+1] - x[i]). NaN when no value is a number.
 * Not gsl_stats_quantile_from_sorted_data: that one rounds differently
 * ((1 - d) a + d b), returns 0 for no value and does not skip NaNs. */
double mn_stats_quantile_sorted(const double *x, size_t n, double q);

#ifdef __cplusplus
}
#endif

#endif
