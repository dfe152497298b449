/* mnsim: exact solutions of the transport solver's semi-discrete problems
 * (floor: model; pure functions, no I/O). For the benchmark (bench/transport)
 * and the tests: they measure the time-stepping and solver error alone.
 *
 * The grid is uniform (cubic cells of size h), every face a mirror (zero
 * flux) unless said otherwise; the problem is the system of ODEs
 * dC/dt = (D L_h - k) C that the finite-volume 7-point Laplacian L_h gives,
 * solved exactly through its eigenvectors, which separate by direction:
 * cosines (DCT-II) along a mirrored direction; along depth with the top face
 * held at a fixed value, sines of the half-integer frequencies
 * theta_m = pi (2m + 1) / (2 nz), v_m(j) = sin((j + 1/2) theta_m) (DST-IV:
 * the held face is a node of the mode, the mirror bottom an extremum).
 * Eigenvalues -(4 / h^2) sin^2(theta / 2). docs/model.md, "Performance".
 *
 * Thread safety: the functions keep no state. */
#ifndef MNSIM_TRANSPORT_EXACT_H
#define MNSIM_TRANSPORT_EXACT_H

#include <stddef.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The spike: concentration 1 in cell (i0, j0, k0) at t = 0, zero elsewhere,
 * all six faces mirrors. Writes the concentration at t_s into out
 * (nx * ny * nz values, x fastest, z slowest). h_m cell size (m), D_m2_s
 * diffusivity, k_per_s first-order decay. O(n^2) per direction plus one
 * pass over the grid. MN_EINVAL for sizes < 1, a cell outside the grid or
 * values that are negative or not finite; MN_ENOMEM. */
mn_status mn_transport_exact_spike(size_t nx, size_t ny, size_t nz, size_t i0,
                                   size_t j0, size_t k0, double h_m, double D_m2_s,
                                   double k_per_s, double t_s, double *out,
                                   mn_error *err);

/* The held surface: the top face held at concentration 1 from t = 0, the
 * skin at 0; the bottom face a mirror (the lateral faces do not matter: the
 * solution is the same in every column). Writes the depth profile at t_s
 * into out (nz values, from the top). Same units and errors as above. */
mn_status mn_transport_exact_surface(size_t nz, double h_m, double D_m2_s,
                                     double k_per_s, double t_s, double *out,
                                     mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
