/* Topical delivery: 3-D diffusion through skin layers and microneedle
 * channels (floor: model; docs/model.md, "Transport through the channels").
 *
 * Unknown: u = C / K, the concentration the vehicle would have in
 * equilibrium with the cell (K = partition coefficient of the cell relative
 * to the vehicle). u is continuous across layer interfaces, so the jump
 * C_a / C_b = K_a / K_b and the continuity of the flux come out of plain
 * two-point fluxes with series (harmonic) face conductances:
 *   flux a -> b = G_ab (u_a - u_b),  G_ab = A / (h_a/(2 D_a K_a) + h_b/(2 D_b K_b)).
 * The amount in a cell is cap * u with cap = K V. The semi-discrete system
 *   C du/dt = -A u + f
 * (C: capacities; A: symmetric, conductances plus clearance, bottom sink and
 * the film) is integrated by TR-BDF2 (gamma = 2 - sqrt 2): L-stable, second
 * order, two symmetric positive definite solves (C + theta A) x = b per
 * step. The amounts cleared, sunk, taken from an infinite dose and moved
 * across the dermo-epidermal junction are integrated by the same stages, so
 * vehicle + skin + cleared + sunk - supplied is invariant up to the solver
 * tolerance (set at 1e-13 of the mass per solve).
 *
 * Solver: conjugate gradients preconditioned by one V-cycle of an
 * aggregation multigrid: 2 x 2 x 2 blocks of cells, coarse operators by
 * summing the fine equations of each block (Galerkin with piecewise-constant
 * transfer, which keeps the 7-point structure and handles any contrast of
 * coefficients), damped block-Jacobi smoothing along depth columns, and a
 * dense Cholesky solve on the coarsest grid. The film of a finite dose is
 * one more unknown, coupled to every top cell, on every level.
 *
 * Inside, lengths are in um (1e-6 m) so that the single-precision
 * coefficients stay well inside the float range; times in s; u in kg/m^3.
 * Layout: u[(k * ny + j) * nx + i], x fastest, depth slowest. Every pass is
 * an OpenMP loop with a static schedule over depth planes (or rows), every
 * reduction is first taken per plane (or row) in a fixed order and then
 * over planes in a fixed order: results are identical for any number of
 * threads.
 *
 * The files: this one holds the solver object (its configuration, checks,
 * creation, state and statistics); transport_grid.c the grid and the
 * coefficients; transport_level.c the passes over one level of the
 * multigrid (operator, smoothers, transfers); transport_solve.c the
 * hierarchy, the V-cycle and the conjugate gradients; transport_step.c the
 * time steps, amounts and runs. Calls go one way: step -> solve -> level,
 * and everything -> grid. */
#include "transport_grid.h"
#include "transport_solve.h"

/* ---- solute relations ----------------------------------------------------- */

double mn_solute_aqueous_diffusivity(const mn_solute_model *m, double molar_mass_kg_mol)
{
    double r = cbrt(3.0 * molar_mass_kg_mol * m->solute_specific_volume_m3_kg /
                    (4.0 * MN_PI * N_AVOGADRO));
    return K_BOLTZMANN * m->temperature_k / (6.0 * MN_PI * m->water_viscosity_pa_s * r);
}

double mn_solute_potts_guy_kp(const mn_solute_model *m, double molar_mass_kg_mol,
                              double log_p)
{
    double mw = molar_mass_kg_mol * 1e3; /* g/mol */
    double lkp =
        m->potts_guy_intercept + m->potts_guy_log_p * log_p - m->potts_guy_mw * mw;
    return pow(10.0, lkp) * 1e-2 / 3600.0; /* cm/h -> m/s */
}

static int pos(double v)
{
    return isfinite(v) && v > 0;
}

mn_status mn_transport_medium_derive(const mn_solute *s, const mn_solute_model *m,
                                     mn_transport_medium *out, mn_error *err)
{
    if (!pos(s->molar_mass_kg_mol))
        return mn_error_set(err, MN_EINVAL, "molar mass must be > 0");
    if (!isfinite(s->log_p))
        return mn_error_set(err, MN_EINVAL, "log P must be a finite number");
    double vp = isnan(s->vehicle_partition) ? 1.0 : s->vehicle_partition;
    if (!pos(vp))
        return mn_error_set(err, MN_EINVAL, "vehicle partition must be > 0");
    double daq = isnan(s->aqueous_diffusivity_m2_s)
                     ? mn_solute_aqueous_diffusivity(m, s->molar_mass_kg_mol)
                     : s->aqueous_diffusivity_m2_s;
    double ksc = s->sc_partition;
    if (isnan(ksc)) {
        ksc = pow(10.0, m->sc_partition_exponent * s->log_p);
        if (ksc > m->max_sc_partition)
            ksc = m->max_sc_partition;
    }
    double dsc = s->sc_diffusivity_m2_s;
    if (isnan(dsc)) {
        double kp = isnan(s->kp_m_s)
                        ? mn_solute_potts_guy_kp(m, s->molar_mass_kg_mol, s->log_p)
                        : s->kp_m_s;
        dsc = kp * m->sc_reference_thickness_m / ksc;
        if (!(dsc >= m->min_sc_diffusivity_m2_s))
            dsc = m->min_sc_diffusivity_m2_s;
    }
    double dve =
        isnan(s->ve_diffusivity_m2_s) ? m->ve_hindrance * daq : s->ve_diffusivity_m2_s;
    double dde = isnan(s->dermis_diffusivity_m2_s) ? m->dermis_hindrance * daq
                                                   : s->dermis_diffusivity_m2_s;
    double kt = isnan(s->tissue_partition) ? m->tissue_partition : s->tissue_partition;
    double th = isnan(s->clearance_half_life_s) ? m->clearance_half_life_s
                                                : s->clearance_half_life_s;
    if (!pos(daq) || !pos(ksc) || !pos(dsc) || !pos(dve) || !pos(dde) || !pos(kt) ||
        !pos(th) || !pos(m->channel_partition) || !(m->sc_anisotropy > 0))
        return mn_error_set(err, MN_EINVAL,
                            "a derived transport property is not positive "
                            "(check the compound and the model constants)");
    memset(out, 0, sizeof *out);
    out->diffusivity_m2_s[0] = dsc;
    out->lateral_diffusivity_m2_s[0] = dsc * m->sc_anisotropy;
    out->partition[0] = ksc / vp;
    out->diffusivity_m2_s[1] = out->lateral_diffusivity_m2_s[1] = dve;
    out->diffusivity_m2_s[2] = out->lateral_diffusivity_m2_s[2] = dde;
    out->diffusivity_m2_s[3] = out->lateral_diffusivity_m2_s[3] = dde;
    for (int l = 1; l < MN_TRANSPORT_LAYERS; l++)
        out->partition[l] = kt / vp;
    out->clearance_per_s[2] = out->clearance_per_s[3] = LN2 / th;
    out->channel_diffusivity_m2_s = daq;
    out->channel_partition = m->channel_partition / vp;
    return MN_OK;
}

/* ---- the film ----------------------------------------------------------------- */

/* Resistance of the film between its bulk and the channel mouths: solute
 * reaches a mouth of radius a by diffusion through the film (diffusivity
 * D, thickness L) from the share of area around it, a disc of radius R.
 * Two terms in series: the access resistance of a disc sink on a deep
 * medium, 1/(4 D a), and the lateral resistance of a thin film drawing
 * evenly from the disc, (ln(R/a) - 3/4) / (2 pi D L) (zero once R < a
 * e^(3/4)); an infinite dose has no thin-film term. The channels act in
 * parallel. docs/model.md, "The film".
 * With mirror sides a channel centred on a side is only half inside the
 * domain (the square cell's quarter holds a quarter of its channel): it
 * counts as that share of a channel, in its mouth area and in the area it
 * draws from (R is then the whole cell's, not the quarter's). */
static double share_inside(const mn_transport_config *c, const mn_transport_channel *ch)
{
    if (c->radial || c->lateral_bc != MN_LATERAL_MIRROR)
        return 1.0;
    double w = 1.0, eps = 1e-9 * fmax(c->size_x_m, c->size_y_m);
    if (fabs(ch->x_m) <= eps || fabs(ch->x_m - c->size_x_m) <= eps)
        w *= 0.5;
    if (fabs(ch->y_m) <= eps || fabs(ch->y_m - c->size_y_m) <= eps)
        w *= 0.5;
    return w;
}

static void film_resistance(mn_transport *t)
{
    const mn_transport_config *c = &t->cfg;
    t->film_res = 0;
    t->mouth_area = 0;
    double D = c->vehicle_diffusivity_m2_s;
    if (!(D > 0) || !c->n_channels)
        return;
    double a_sum = 0, area = 0, n = 0;
    for (size_t i = 0; i < c->n_channels; i++) {
        double w = share_inside(c, &c->channels[i]);
        n += w;
        a_sum += w * c->channels[i].radius_m;
        area += w * MN_PI * c->channels[i].radius_m * c->channels[i].radius_m;
    }
    double a = a_sum / n;
    double R = sqrt(t->area_m2 / (MN_PI * n));
    double res = 1.0 / (4.0 * D * a);
    if (!c->infinite_dose && R > a)
        res +=
            fmax(0.0, log(R / a) - 0.75) / (2.0 * MN_PI * D * c->vehicle_thickness_m);
    t->film_res = res / n * 1e-18;    /* s/m^3 -> s/um^3, channels in parallel */
    t->mouth_area = area / (UM * UM); /* um^2 */
}

/* ---- configuration --------------------------------------------------------- */

void mn_transport_config_default(mn_transport_config *c)
{
    memset(c, 0, sizeof *c);
    c->domain_depth_m = 0;
    c->bottom = MN_TRANSPORT_SINK;
    c->infinite_dose = 0;
    c->vehicle_thickness_m = 20e-6;
    c->vehicle_concentration = 1.0;
    c->vehicle_solubility = INFINITY;
    c->vehicle_solid_kg_m2 = 0;
    c->lateral_bc = MN_LATERAL_PERIODIC;
    c->channel_shape = MN_CHANNEL_CONE;
    c->closure_half_life_s = INFINITY;
    c->closure_delay_s = 0;
    c->sc_cells = 8;
    c->z_growth = 1.15;
    c->z_max_m = 25e-6;
    c->uniform_lateral = 0;
    c->nx = c->ny = 1;
    c->lateral_min_m = 2.5e-6;
    c->lateral_max_m = 25e-6;
    c->lateral_growth = 1.15;
    c->uniform_z = 0;
    c->nz = 0;
    c->t_end_s = 3600;
    c->dt_first_s = 0.01;
    c->dt_rel = 0.05;
    c->dt_max_s = 120;
    c->n_samples = 60;
    c->probe_depth_m = NAN;
    c->probe_threshold = NAN;
    c->probe_quantile = 0.5;
    c->threads = 0;
}

/* ---- set-up ------------------------------------------------------------------- */

static mn_status check_config(const mn_transport_config *c, mn_error *err)
{
    const mn_transport_medium *m = &c->medium;
    if (!(c->thickness_m[0] > 0))
        return mn_error_set(err, MN_EINVAL,
                            "transport: the stratum corneum needs a thickness > 0");
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++) {
        if (!(c->thickness_m[l] >= 0) || !isfinite(c->thickness_m[l]))
            return mn_error_set(err, MN_EINVAL,
                                "transport: layer %d thickness must be >= 0", l);
        if (!(m->partition[l] >= 1e-12) || !isfinite(m->partition[l]))
            return mn_error_set(err, MN_EINVAL,
                                "transport: partition of layer %d must be > 0", l);
        if (!(m->diffusivity_m2_s[l] >= 0) || !(m->lateral_diffusivity_m2_s[l] >= 0) ||
            !isfinite(m->diffusivity_m2_s[l]) ||
            !isfinite(m->lateral_diffusivity_m2_s[l]))
            return mn_error_set(err, MN_EINVAL,
                                "transport: diffusivity of layer %d must be >= 0", l);
        if (!(m->clearance_per_s[l] >= 0) || !isfinite(m->clearance_per_s[l]))
            return mn_error_set(err, MN_EINVAL,
                                "transport: clearance of layer %d must be >= 0", l);
    }
    if (c->n_channels &&
        (!(m->channel_partition >= 1e-12) || !(m->channel_diffusivity_m2_s > 0)))
        return mn_error_set(err, MN_EINVAL,
                            "transport: channels need a diffusivity and partition > 0");
    if (c->radial &&
        (c->n_channels > 1 || (c->n_channels == 1 && c->channels[0].x_m != 0)))
        return mn_error_set(
            err, MN_EINVAL,
            "transport: a radial cell holds one channel, on its axis (x = 0)");
    if (c->radial && c->n_channels == 1 && !(c->channels[0].radius_m < c->size_x_m))
        return mn_error_set(
            err, MN_EINVAL,
            "transport: the channel must be narrower than the radial cell");
    if (!(c->size_x_m > 0) || (!c->radial && !(c->size_y_m > 0)))
        return mn_error_set(err, MN_EINVAL, "transport: the lateral size must be > 0");
    if (!c->infinite_dose && !(c->vehicle_thickness_m > 0))
        return mn_error_set(err, MN_EINVAL,
                            "transport: a finite dose needs a film thickness > 0");
    if (!(c->vehicle_concentration >= 0) || !isfinite(c->vehicle_concentration))
        return mn_error_set(err, MN_EINVAL,
                            "transport: vehicle concentration must be >= 0");
    if (!(c->vehicle_solubility > 0))
        return mn_error_set(
            err, MN_EINVAL,
            "transport: vehicle solubility must be > 0 (INFINITY: no limit)");
    if (c->vehicle_concentration > c->vehicle_solubility)
        return mn_error_set(
            err, MN_EINVAL,
            "transport: the dissolved concentration %g kg/m3 is above the "
            "solubility %g kg/m3 (the excess is vehicle_solid_kg_m2)",
            c->vehicle_concentration, c->vehicle_solubility);
    if (!(c->vehicle_solid_kg_m2 >= 0) || !isfinite(c->vehicle_solid_kg_m2))
        return mn_error_set(
            err, MN_EINVAL,
            "transport: the undissolved amount must be >= 0 and finite");
    if (c->vehicle_solid_kg_m2 > 0 &&
        (c->infinite_dose || c->vehicle_concentration != c->vehicle_solubility))
        return mn_error_set(
            err, MN_EINVAL,
            "transport: solid in the film needs a finite dose saturated at "
            "the solubility (vehicle_concentration = vehicle_solubility)");
    if (!(c->sc_open_fraction >= 0 && c->sc_open_fraction < 1))
        return mn_error_set(err, MN_EINVAL,
                            "transport: sc_open_fraction must be in 0-1");
    if (c->sc_cells < 1 || c->sc_cells > 10000)
        return mn_error_set(err, MN_EINVAL, "transport: sc_cells must be 1-10000");
    if (!(c->z_growth >= 1.0) || !(c->lateral_growth >= 1.0) || !(c->z_max_m > 0) ||
        !(c->lateral_min_m > 0) || !(c->lateral_max_m >= c->lateral_min_m))
        return mn_error_set(err, MN_EINVAL,
                            "transport: grid grading parameters out of range");
    if (c->uniform_lateral && (c->nx < 1 || c->ny < 1))
        return mn_error_set(err, MN_EINVAL,
                            "transport: a uniform grid needs nx, ny >= 1");
    if (c->uniform_z && c->nz < 1)
        return mn_error_set(err, MN_EINVAL,
                            "transport: a uniform depth grid needs nz >= 1");
    if (!(c->t_end_s > 0) || !(c->dt_first_s > 0) || !(c->dt_rel >= 0) ||
        !(c->dt_max_s > 0))
        return mn_error_set(err, MN_EINVAL, "transport: time parameters must be > 0");
    if (!(c->closure_half_life_s > 0) || !(c->closure_delay_s >= 0))
        return mn_error_set(err, MN_EINVAL, "transport: closure half-life must be > 0");
    if (!(c->solver_tolerance >= 0 && c->solver_tolerance < 1e-3))
        return mn_error_set(err, MN_EINVAL,
                            "transport: solver tolerance must be in [0, 1e-3)");
    if (!(c->accuracy >= 0 && c->accuracy <= 0.1))
        return mn_error_set(err, MN_EINVAL,
                            "transport: accuracy must be in [0, 0.1] (0: fixed steps)");
    if (!(c->probe_quantile > 0 && c->probe_quantile <= 1))
        return mn_error_set(err, MN_EINVAL,
                            "transport: probe quantile must be in (0, 1]");
    for (size_t i = 0; i < c->n_channels; i++) {
        const mn_transport_channel *q = &c->channels[i];
        if (!(q->depth_m >= 0) || !(q->radius_m >= 0) || !isfinite(q->x_m) ||
            !isfinite(q->y_m) || !isfinite(q->depth_m) || !isfinite(q->radius_m))
            return mn_error_set(err, MN_EINVAL,
                                "transport: channel %zu has an invalid geometry", i);
    }
    return MN_OK;
}

void mn_transport_free(mn_transport *t)
{
    if (!t)
        return;
    mn_transport_free(t->win); /* before the pools it borrows from */
    mn_tr_free_pools(t);
    mn_tr_mg_free(t);
    free(t->channels);
    free(t->xf), free(t->yf), free(t->zf);
    free(t->dx), free(t->dy), free(t->dz);
    free(t->colarea), free(t->xwidth);
    free(t->layer), free(t->kc), free(t->ready);
    if (!t->pooled) { /* a window's are its parent's */
        void *big[] = {t->cap, t->gx, t->gy, t->gz, t->u, t->un, t->b,
                       t->r,   t->z,  t->p,  t->q,  t->w, t->e};
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
            mn_tr_free64(big[i]);
    }
    if (t->src_idx != t->chan_cells)
        free(t->src_idx);
    mn_tr_free64(t->gtop), mn_tr_free64(t->gbot), mn_tr_free64(t->phi);
    mn_tr_free64(t->rs);
    free(t->chan_cells), free(t->cap_acc), free(t->src_rate);
    free(t->probe_vals), free(t->probe_sort), free(t->pl), free(t->zero_f);
    for (int i = 0; i < t->nthreads; i++) {
        if (t->scratch)
            mn_tr_free64(t->scratch[i]);
        if (t->planebuf)
            mn_tr_free64(t->planebuf[i]);
    }
    free(t->scratch);
    free(t->planebuf);
    free(t);
}

mn_status mn_transport_new(const mn_transport_config *c, mn_transport **out,
                           mn_error *err)
{
    *out = NULL;
    mn_status st = check_config(c, err);
    if (st != MN_OK)
        return st;
    mn_transport *t = calloc(1, sizeof *t);
#ifdef _OPENMP
    if (t)
        t->omp_level = omp_get_level();
#endif
    if (!t)
        return mn_error_set(err, MN_ENOMEM, "transport: out of memory");
    t->cfg = *c;
    if (c->radial) {
        t->cfg.lateral_bc = MN_LATERAL_MIRROR; /* the axis and the cell's rim */
        t->cfg.uniform_lateral = 0;
    }
    double total = 0;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++)
        total += c->thickness_m[l];
    double depth =
        c->domain_depth_m > 0 && c->domain_depth_m < total ? c->domain_depth_m : total;
    t->cfg.domain_depth_m = depth;
    if (c->n_channels) {
        t->channels = malloc(c->n_channels * sizeof *t->channels);
        if (!t->channels)
            goto nomem;
        memcpy(t->channels, c->channels, c->n_channels * sizeof *t->channels);
        t->cfg.channels = t->channels;
    }
    if (mn_tr_lateral_grid(&t->cfg, 0, &t->xf, &t->nx) ||
        mn_tr_lateral_grid(&t->cfg, 1, &t->yf, &t->ny) ||
        mn_tr_depth_grid(&t->cfg, depth, &t->zf, &t->nz))
        goto nomem;
    t->nxy = t->nx * t->ny;
    if (t->nz && t->nxy > ((size_t)1 << 32) / t->nz) {
        mn_transport_free(t);
        return mn_error_set(err, MN_ENOMEM, "transport: grid of more than 2^32 cells");
    }
    t->n = t->nxy * t->nz;
    t->dx = malloc(t->nx * sizeof *t->dx);
    t->dy = malloc(t->ny * sizeof *t->dy);
    t->dz = malloc(t->nz * sizeof *t->dz);
    t->layer = malloc(t->nz * sizeof *t->layer);
    t->kc = malloc(t->nz * sizeof *t->kc);
    t->cap = mn_tr_alloc64(t->n, sizeof *t->cap);
    t->gx = mn_tr_alloc64(t->n, sizeof *t->gx);
    t->gy = mn_tr_alloc64(t->n, sizeof *t->gy);
    t->gz = mn_tr_alloc64(t->n, sizeof *t->gz);
    t->gtop = mn_tr_alloc64(t->nxy, sizeof *t->gtop);
    t->gbot = mn_tr_alloc64(t->nxy, sizeof *t->gbot);
    t->probe_vals = malloc(t->nxy * sizeof *t->probe_vals);
    t->probe_sort = malloc(2 * t->nxy * sizeof *t->probe_sort);
    if (!t->dx || !t->dy || !t->dz || !t->layer || !t->kc || !t->cap || !t->gx ||
        !t->gy || !t->gz || !t->gtop || !t->gbot || !t->probe_vals || !t->probe_sort)
        goto nomem;
    for (size_t i = 0; i < t->nx; i++)
        t->dx[i] = (t->xf[i + 1] - t->xf[i]) / UM;
    for (size_t j = 0; j < t->ny; j++)
        t->dy[j] = (t->yf[j + 1] - t->yf[j]) / UM;
    t->colarea = malloc(t->nxy * sizeof *t->colarea);
    t->xwidth = malloc(t->nxy * sizeof *t->xwidth);
    if (!t->colarea || !t->xwidth)
        goto nomem;
    for (size_t j = 0; j < t->ny; j++)
        for (size_t i = 0; i < t->nx; i++) {
            size_t q = j * t->nx + i;
            if (c->radial) {
                /* annulus between the faces; the face to i+1 a cylinder */
                double r0 = t->xf[i] / UM, r1 = t->xf[i + 1] / UM;
                t->colarea[q] = MN_PI * (r1 * r1 - r0 * r0);
                t->xwidth[q] = 2 * MN_PI * r1;
            } else {
                t->colarea[q] = t->dx[i] * t->dy[j];
                t->xwidth[q] = t->dy[j];
            }
        }
    for (size_t k = 0; k < t->nz; k++) {
        t->dz[k] = (t->zf[k + 1] - t->zf[k]) / UM;
        double zc = 0.5 * (t->zf[k] + t->zf[k + 1]), b = 0;
        int l = MN_TRANSPORT_LAYERS - 1;
        for (int q = 0; q < MN_TRANSPORT_LAYERS; q++) {
            b += c->thickness_m[q];
            if (zc < b) {
                l = q;
                break;
            }
        }
        t->layer[k] = l;
        t->kc[k] = c->medium.clearance_per_s[l];
    }
    t->k_dej = -1;
    for (size_t k = 1; k < t->nz; k++)
        if (t->layer[k] >= 2 && t->layer[k - 1] < 2) {
            t->k_dej = (int)k;
            break;
        }
    t->k_probe = -1;
    if (isfinite(c->probe_depth_m) && c->probe_depth_m >= 0 && c->probe_depth_m < depth)
        t->k_probe = (int)mn_tr_find_cell(t->zf, t->nz, c->probe_depth_m);
    t->area_m2 =
        c->radial ? MN_PI * c->size_x_m * c->size_x_m : c->size_x_m * c->size_y_m;
    t->area_um2 = t->area_m2 / (UM * UM);
    int paths = c->n_channels || c->sc_open_fraction > 0;
    t->open = paths ? exp(-LN2 * c->closure_delay_s / c->closure_half_life_s) : 0.0;
    if (paths) {
        t->phi = mn_tr_alloc64(t->n, sizeof *t->phi);
        if (!t->phi)
            goto nomem;
        memset(t->phi, 0, t->n * sizeof *t->phi);
        mn_tr_channel_fractions(t);
        /* a disrupted stratum corneum: the same share open in every cell */
        for (size_t k = 0; k < t->nz && c->sc_open_fraction > 0; k++)
            for (size_t q = 0; t->layer[k] == 0 && q < t->nxy; q++) {
                float *ph = &t->phi[k * t->nxy + q];
                if (*ph < (float)c->sc_open_fraction)
                    *ph = (float)c->sc_open_fraction;
            }
        size_t m = 0;
        for (size_t q = 0; q < t->n; q++)
            m += t->phi[q] > 0;
        t->chan_cells = malloc((m ? m : 1) * sizeof *t->chan_cells);
        if (!t->chan_cells)
            goto nomem;
        for (size_t q = 0; q < t->n; q++)
            if (t->phi[q] > 0)
                t->chan_cells[t->n_chan_cells++] = q;
        t->cap_acc = malloc((m ? m : 1) * sizeof *t->cap_acc);
        t->src_rate = malloc((m ? m : 1) * sizeof *t->src_rate);
        if (!t->cap_acc || !t->src_rate)
            goto nomem;
        t->src_idx = t->chan_cells;
    }
    film_resistance(t);
    t->par_min = c->parallel_min ? c->parallel_min : 262144;
    t->tol = c->solver_tolerance > 0 ? c->solver_tolerance : CG_TOL;
#ifdef _OPENMP
    t->nthreads = c->threads > 0 ? c->threads : omp_get_max_threads();
#else
    t->nthreads = 1;
#endif
    if (t->nthreads < 1)
        t->nthreads = 1;
    if (mn_tr_alloc_work(t) != 0)
        goto nomem;
    /* Without channels, a solver that may step in windows sets its planes
     * up when a window first needs them (the top and bottom planes, the
     * film's and the sink's, and the probe's now): a spike or a film
     * fills a small part of the grid for most of the steps. */
    double cmin = INFINITY, csum = 0;
    if (!t->phi && !c->full_grid && t->n >= MN_TR_WINDOW_MIN_CELLS) {
        if (!(t->ready = calloc(t->nz, 1)))
            goto nomem;
        mn_tr_cap_stats(t, &cmin, &csum);
        mn_tr_planes_ready(t, 0, 1);
        mn_tr_planes_ready(t, t->nz - 1, t->nz);
        if (t->k_probe >= 0)
            mn_tr_planes_ready(t, (size_t)t->k_probe, (size_t)t->k_probe + 1);
    } else {
        const int nth = t->nthreads;
        (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
        for (size_t k = 0; k < t->nz; k++)
            for (size_t j = 0; j < t->ny; j++)
                for (size_t i = 0; i < t->nx; i++) {
                    size_t id = IDX(t, i, j, k);
                    mn_tr_set_faces(t, i, j, k);
                    t->u[id] = 0.0;
                }
        for (size_t q = 0; q < t->n; q++) {
            cmin = t->cap[q] < cmin ? t->cap[q] : cmin;
            csum += t->cap[q];
        }
    }
    t->cap_ratio = csum > 0 && cmin > 0 ? cmin * (double)t->n / csum : 1.0;
    t->cap_min = cmin;
    mn_tr_channels_accepted(t);
    for (size_t q = 0; q < t->nxy; q++)
        t->top_cap += t->cap[q];
    t->film_cap = c->infinite_dose ? 0.0 : c->vehicle_thickness_m / UM * t->area_um2;
    t->vehicle_fixed = c->infinite_dose ? c->vehicle_concentration : 0.0;
    t->uv = c->infinite_dose ? 0.0 : c->vehicle_concentration;
    /* The solid as a scaled amount (kg/m^2 -> kg/m^3 um^3, as cap * u). */
    t->solid = c->infinite_dose ? 0.0 : c->vehicle_solid_kg_m2 * t->area_m2 / AMOUNT;
    t->vehicle_cap = t->film_cap;
    if (t->solid > 0)
        t->vehicle_cap += t->solid / c->vehicle_solubility;
    t->initial = t->film_cap * t->uv + t->solid;
    *out = t;
    return MN_OK;
nomem:
    mn_transport_free(t);
    return mn_error_set(err, MN_ENOMEM, "transport: out of memory for the grid");
}

void mn_transport_dims(const mn_transport *t, size_t *nx, size_t *ny, size_t *nz)
{
    if (nx)
        *nx = t->nx;
    if (ny)
        *ny = t->ny;
    if (nz)
        *nz = t->nz;
}

const double *mn_transport_faces(const mn_transport *t, int axis)
{
    return axis == 0 ? t->xf : axis == 1 ? t->yf : t->zf;
}

double mn_transport_time(const mn_transport *t)
{
    return t->t;
}

int mn_transport_pass_profile(const mn_transport *t, mn_transport_pass_kind kind,
                              const char **name, double *seconds,
                              double *bytes_per_cell)
{
    static const char *const names[MN_TRANSPORT_PASSES] = {
        "operator",     "smoothing",      "residual+restriction",
        "prolongation", "vector updates", "right-hand sides etc."};
    if ((int)kind < 0 || kind >= MN_TRANSPORT_PASSES)
        return MN_EINVAL;
    if (name)
        *name = names[kind];
    if (seconds)
        *seconds = t->pass_s[kind];
    if (bytes_per_cell)
        *bytes_per_cell = t->pass_bytes[kind];
    return MN_OK;
}

double mn_transport_traffic_bytes(const mn_transport *t)
{
    return t->steps ? t->bytes / (double)t->steps : 0.0;
}

double mn_transport_projection_max(const mn_transport *t)
{
    return t->max_fix;
}

void mn_transport_stats(const mn_transport *t, long *steps, long *solves,
                        long *iterations)
{
    if (steps)
        *steps = t->steps;
    if (solves)
        *solves = t->solves;
    if (iterations)
        *iterations = t->iterations;
}

mn_status mn_transport_set_state(mn_transport *t, const double *c_kg_m3,
                                 double vehicle_kg_m3, mn_error *err)
{
    if (!(vehicle_kg_m3 >= 0) || !isfinite(vehicle_kg_m3))
        return mn_error_set(err, MN_EINVAL,
                            "transport: vehicle concentration must be >= 0");
    /* checked first (the state stays as it was on an error), then set;
     * both in parallel over planes, the amount summed per plane and then
     * in plane order (the same bits for any thread count) */
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        const double *c = c_kg_m3 + k * t->nxy;
        double bad = -1, any = 0;
        for (size_t q = 0; q < t->nxy && bad < 0; q++) {
            if (!isfinite(c[q]))
                bad = (double)q;
            any = c[q] != 0 ? 1 : any;
        }
        t->pl[k * PL_N + PL_F] = bad;
        t->pl[k * PL_N + PL_G] = any;
    }
    for (size_t k = 0; k < t->nz; k++)
        if (t->pl[k * PL_N + PL_F] >= 0) {
            size_t q = (size_t)t->pl[k * PL_N + PL_F];
            return mn_error_set(err, MN_EINVAL,
                                "transport: the state is not finite at cell (%zu, %zu, "
                                "%zu)",
                                q % t->nx, q / t->nx, k);
        }
    size_t k0 = t->nz, k1 = 0; /* the planes with solute are set up */
    for (size_t k = 0; k < t->nz; k++)
        if (t->pl[k * PL_N + PL_G] != 0)
            k0 = k < k0 ? k : k0, k1 = k + 1;
    if (k1 > k0)
        mn_tr_planes_ready(t, k0, k1);
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) {
        double s = 0;
        if (!plane_ready(t, k)) { /* zero, as it is */
            t->pl[k * PL_N + PL_F] = 0;
            continue;
        }
        for (size_t j = 0; j < t->ny; j++)
            for (size_t i = 0; i < t->nx; i++) {
                size_t id = IDX(t, i, j, k);
                t->u[id] = c_kg_m3[id] * cell_volume(t, i, j, k) / (double)t->cap[id];
                s += (double)t->cap[id] * t->u[id];
            }
        t->pl[k * PL_N + PL_F] = s;
    }
    double skin = plane_total(t, PL_F);
    if (t->cfg.infinite_dose)
        t->vehicle_fixed = vehicle_kg_m3;
    else
        t->uv = vehicle_kg_m3;
    memset(t->acc, 0, sizeof t->acc);
    mn_tr_channels_accepted(t);
    t->rate_valid = 0;
    t->guess_valid = 0;
    mn_transport_free(t->win); /* a new window around the new state */
    t->win = NULL;
    t->wgrow = 0;
    t->win_off = 0;
    t->wfront_valid = 0;
    t->initial = t->film_cap * t->uv + t->solid + skin;
    return MN_OK;
}

void mn_transport_get_state(const mn_transport *t, double *c)
{
    for (size_t k = 0; k < t->nz; k++) {
        if (!plane_ready(t, k)) {
            memset(c + k * t->nxy, 0, t->nxy * sizeof *c);
            continue;
        }
        for (size_t j = 0; j < t->ny; j++)
            for (size_t i = 0; i < t->nx; i++) {
                size_t id = IDX(t, i, j, k);
                c[id] = (double)t->cap[id] * t->u[id] / cell_volume(t, i, j, k);
            }
    }
}
