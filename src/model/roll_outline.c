/* Outlines of treated areas (floor: model; docs/model.md, "Rolling"): the
 * area of a polygon, whether a point is inside it, and the check that an
 * outline is a simple polygon the strokes can be laid over. Pure
 * computation: no I/O, never prints. */
#include "mnsim/roll.h"

#include <math.h>

#define MAX_VERTICES 100000

double mn_roll_polygon_area(const double *x, const double *y, size_t n)
{
    if (n < 3)
        return 0;
    double a = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        a += (x[j] - x[0]) * (y[i] - y[0]) - (x[i] - x[0]) * (y[j] - y[0]);
    return 0.5 * a;
}

int mn_roll_point_in_polygon(const double *x, const double *y, size_t n, double px,
                             double py)
{
    int in = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++)
        if ((y[i] > py) != (y[j] > py)) {
            double xc = x[j] + (py - y[j]) / (y[i] - y[j]) * (x[i] - x[j]);
            if (px < xc)
                in = !in;
        }
    return in;
}

static double cross3(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static int segments_cross(double ax, double ay, double bx, double by, double cx,
                          double cy, double dx, double dy)
{
    double d1 = cross3(ax, ay, bx, by, cx, cy), d2 = cross3(ax, ay, bx, by, dx, dy);
    double d3 = cross3(cx, cy, dx, dy, ax, ay), d4 = cross3(cx, cy, dx, dy, bx, by);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
        ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return 1;
    /* Touching or collinear overlap counts as crossing. */
    if (d1 == 0 && fmin(ax, bx) <= cx && cx <= fmax(ax, bx) && fmin(ay, by) <= cy &&
        cy <= fmax(ay, by))
        return 1;
    if (d2 == 0 && fmin(ax, bx) <= dx && dx <= fmax(ax, bx) && fmin(ay, by) <= dy &&
        dy <= fmax(ay, by))
        return 1;
    if (d3 == 0 && fmin(cx, dx) <= ax && ax <= fmax(cx, dx) && fmin(cy, dy) <= ay &&
        ay <= fmax(cy, dy))
        return 1;
    if (d4 == 0 && fmin(cx, dx) <= bx && bx <= fmax(cx, dx) && fmin(cy, dy) <= by &&
        by <= fmax(cy, dy))
        return 1;
    return 0;
}

mn_status mn_roll_polygon_check(const double *x, const double *y, size_t n,
                                mn_error *err)
{
    if (n < 3)
        return mn_error_set(err, MN_EINVAL,
                            "an outline needs at least 3 points, found %zu", n);
    if (n > MAX_VERTICES)
        return mn_error_set(err, MN_EINVAL, "an outline may have at most %d points",
                            MAX_VERTICES);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return mn_error_set(err, MN_EINVAL, "point %zu is not finite", i + 1);
    for (size_t i = 0; i < n; i++) {
        size_t i2 = (i + 1) % n;
        if (x[i] == x[i2] && y[i] == y[i2])
            return mn_error_set(err, MN_EINVAL, "points %zu and %zu are the same",
                                i + 1, i2 + 1);
    }
    /* Non-adjacent edges must not touch (O(n^2): outlines are small). */
    for (size_t i = 0; i < n; i++) {
        size_t i2 = (i + 1) % n;
        for (size_t j = i + 2; j < n; j++) {
            size_t j2 = (j + 1) % n;
            if (j2 == i)
                continue;
            if (segments_cross(x[i], y[i], x[i2], y[i2], x[j], y[j], x[j2], y[j2]))
                return mn_error_set(err, MN_EINVAL,
                                    "the outline crosses itself (edge %zu-%zu "
                                    "meets edge %zu-%zu)",
                                    i + 1, i2 + 1, j + 1, j2 + 1);
        }
    }
    if (!(fabs(mn_roll_polygon_area(x, y, n)) > 0))
        return mn_error_set(err, MN_EINVAL, "the outline encloses no area");
    return MN_OK;
}
