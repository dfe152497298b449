/* Order statistics (floor: base): sorting with NaNs last and type-7
 * quantiles, one implementation for the healing ensembles (model), the
 * virtual trials (therapy) and their figures (report). */
#include "mnsim/stats.h"

#include <math.h>

#include <gsl/gsl_sort.h>

size_t mn_stats_sort(double *x, size_t n)
{
    /* Stable partition: numbers first in their order, then the NaNs. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            double v = x[i];
            x[i] = x[m];
            x[m++] = v;
        }
    if (m > 1)
        gsl_sort(x, 1, m);
    return m;
}

double mn_stats_quantile_sorted(const double *x, size_t n, double q)
{
    while (n > 0 && isnan(x[n - 1]))
        n--;
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return x[n - 1];
    return x[i] + (h - (double)i) * (x[i + 1] - x[i]);
}
