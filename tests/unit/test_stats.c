#include <math.h>

#include "mn_test.h"
#include "mnsim/stats.h"

/* Type 7 written out for the check: x[i] + (h - i)(x[i+1] - x[i]). */
static double type7(const double *x, size_t m, double q)
{
    double h = (double)(m - 1) * q;
    size_t i = (size_t)floor(h);
    return i + 1 >= m ? x[m - 1] : x[i] + (h - (double)i) * (x[i + 1] - x[i]);
}

int main(void)
{
    /* Sorting: numbers ascending, NaNs at the end, their count returned. */
    double x[] = {3, NAN, -1, 2.5, NAN, 0, 7, -4};
    size_t m = mn_stats_sort(x, 8);
    CHECK(m == 6);
    const double want[] = {-4, -1, 0, 2.5, 3, 7};
    for (size_t i = 0; i < 6; i++)
        CHECK(x[i] == want[i]);
    CHECK(isnan(x[6]) && isnan(x[7]));
    CHECK(mn_stats_sort(NULL, 0) == 0);

    /* Quantiles: NaNs ignored, the ends exact, interpolation type 7. */
    CHECK(mn_stats_quantile_sorted(x, 8, 0.0) == -4);
    CHECK(mn_stats_quantile_sorted(x, 8, 1.0) == 7);
    CHECK(mn_stats_quantile_sorted(x, 8, 0.5) == 1.25); /* h = 2.5: 0 .. 2.5 */
    CHECK_CLOSE(mn_stats_quantile_sorted(x, 8, 0.05), -4 + 0.25 * 3, 1e-15);
    CHECK_CLOSE(mn_stats_quantile_sorted(x, 8, 0.95), 3 + 0.75 * 4, 1e-15);
    for (int k = 0; k <= 20; k++)
        CHECK(mn_stats_quantile_sorted(x, 8, k / 20.0) == type7(x, 6, k / 20.0));
    double one = 5;
    CHECK(mn_stats_quantile_sorted(&one, 1, 0.3) == 5);
    double none[] = {NAN, NAN};
    CHECK(mn_stats_sort(none, 2) == 0);
    CHECK(isnan(mn_stats_quantile_sorted(none, 2, 0.5)));
    CHECK(isnan(mn_stats_quantile_sorted(none, 0, 0.5)));

    /* A larger shuffled set: sorted, and the median between the middle two. */
    double y[101];
    for (int i = 0; i < 101; i++)
        y[i] = (double)((i * 37) % 101) - 50; /* -50..50, each once */
    CHECK(mn_stats_sort(y, 101) == 101);
    for (int i = 1; i < 101; i++)
        CHECK(y[i - 1] < y[i]);
    CHECK(mn_stats_quantile_sorted(y, 101, 0.5) == 0);
    CHECK(mn_stats_quantile_sorted(y, 101, 0.25) == -25);
    return mn_test_report("stats");
}
