/* Exact solutions of the transport solver's semi-discrete problems (floor:
 * model): the eigen-decomposition of the 7-point Laplacian on a uniform
 * grid, one direction at a time (include/mnsim/transport_exact.h). */
#include "mnsim/transport_exact.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846

static int bad(double v)
{
    return !(v >= 0) || !isfinite(v);
}

/* The 1-D mirror kernel: g[i] = sum_m exp(-D t lambda_m) v_m(i) v_m(i0) /
 * |v_m|^2 with v_m(i) = cos(m pi (i + 1/2) / n), lambda_m = (4 / h^2)
 * sin^2(m pi / (2 n)), |v_0|^2 = n, |v_m|^2 = n / 2. */
static void mirror_kernel(size_t n, size_t i0, double h, double Dt, double *g)
{
    for (size_t i = 0; i < n; i++)
        g[i] = 1.0 / (double)n;
    for (size_t m = 1; m < n; m++) {
        double s = sin(PI * (double)m / (2.0 * (double)n));
        double a = exp(-Dt * 4.0 / (h * h) * s * s);
        if (a == 0)
            break; /* the higher modes decay faster still */
        double w =
            2.0 / (double)n * a * cos(PI * (double)m * ((double)i0 + 0.5) / (double)n);
        for (size_t i = 0; i < n; i++)
            g[i] += w * cos(PI * (double)m * ((double)i + 0.5) / (double)n);
    }
}

mn_status mn_transport_exact_spike(size_t nx, size_t ny, size_t nz, size_t i0,
                                   size_t j0, size_t k0, double h_m, double D_m2_s,
                                   double k_per_s, double t_s, double *out,
                                   mn_error *err)
{
    if (nx < 1 || ny < 1 || nz < 1 || i0 >= nx || j0 >= ny || k0 >= nz)
        return mn_error_set(err, MN_EINVAL,
                            "transport exact: the spike's cell must be in the grid");
    if (!(h_m > 0) || bad(h_m) || bad(D_m2_s) || bad(k_per_s) || bad(t_s))
        return mn_error_set(err, MN_EINVAL,
                            "transport exact: h > 0, D, k and t >= 0 and finite");
    double *g = malloc((nx + ny + nz) * sizeof *g);
    if (!g)
        return mn_error_set(err, MN_ENOMEM, "transport exact: out of memory");
    double *gx = g, *gy = g + nx, *gz = g + nx + ny;
    double Dt = D_m2_s * t_s;
    mirror_kernel(nx, i0, h_m, Dt, gx);
    mirror_kernel(ny, j0, h_m, Dt, gy);
    mirror_kernel(nz, k0, h_m, Dt, gz);
    double decay = exp(-k_per_s * t_s);
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++) {
            double f = decay * gz[k] * gy[j];
            double *o = out + (k * ny + j) * nx;
            for (size_t i = 0; i < nx; i++)
                o[i] = f * gx[i];
        }
    free(g);
    return MN_OK;
}

mn_status mn_transport_exact_surface(size_t nz, double h_m, double D_m2_s,
                                     double k_per_s, double t_s, double *out,
                                     mn_error *err)
{
    if (nz < 1)
        return mn_error_set(err, MN_EINVAL, "transport exact: nz must be >= 1");
    if (!(h_m > 0) || bad(h_m) || bad(D_m2_s) || bad(k_per_s) || bad(t_s))
        return mn_error_set(err, MN_EINVAL,
                            "transport exact: h > 0, D, k and t >= 0 and finite");
    /* dC/dt = D L0 C - k C + (2 D / h^2) e_0: the held face half a cell
     * above the top cell's centre (its ghost value is 2 - C_0). Modes
     * v_m(j) = sin((j + 1/2) theta_m), theta_m = pi (2m + 1) / (2 nz), of
     * L0 with eigenvalue -(4 / h^2) sin^2(theta_m / 2) - k = mu_m; from
     * zero, C = sum_m (b.v_m) (exp(mu_m t) - 1) / mu_m v_m / |v_m|^2
     * (|v_m|^2 = nz / 2, the sum of sin^2 over the half-integer points). */
    double n = (double)nz, b0 = 2.0 * D_m2_s / (h_m * h_m);
    for (size_t j = 0; j < nz; j++)
        out[j] = 0;
    for (size_t m = 0; m < nz; m++) {
        double th = PI * (2.0 * (double)m + 1.0) / (2.0 * n);
        double s = sin(0.5 * th);
        double mu = -D_m2_s * 4.0 / (h_m * h_m) * s * s - k_per_s;
        double growth = mu != 0 ? expm1(mu * t_s) / mu : t_s; /* (e^{mu t}-1)/mu */
        double w = b0 * sin(0.5 * th) * growth * 2.0 / n;
        for (size_t j = 0; j < nz; j++)
            out[j] += w * sin(((double)j + 0.5) * th);
    }
    return MN_OK;
}
