/* The transport solver's grid and coefficients (floor: model; docs/model.md,
 * "Transport through the channels"): the graded faces along each axis, the
 * share of every cell inside a channel, and the capacities and face
 * conductances of the cells from the layers, the channels and how open they
 * still are. The scheme, and the order in which the grid is set up, are in
 * transport.c. */
#define _DEFAULT_SOURCE /* mmap(MAP_ANONYMOUS), madvise(MADV_HUGEPAGE) */
#include "transport_grid.h"

#include <sys/mman.h>

/* ---- memory ------------------------------------------------------------------- */

/* Every array of mn_tr_alloc64 has this header in the 64 bytes before it:
 * what to give back, and how. */
typedef struct {
    unsigned long magic; /* ALLOC_MALLOC or ALLOC_MAPPED */
    void *base;          /* what malloc or mmap returned */
    size_t length;       /* the mapping's bytes (ALLOC_MAPPED) */
} alloc_header;

enum { ALLOC_HEAD = 64 };
#define ALLOC_MALLOC 0x6d6e6d616c6c6f63UL /* "mnmalloc" */
#define ALLOC_MAPPED 0x6d6e6d6d61707065UL /* "mnmmappe" */

/* bytes on a 2 MiB boundary, rounded up to 2 MiB, mapped from the kernel
 * with transparent huge pages asked for (a hint: without them the array is
 * the same, only slower to sweep by depth); the header in the 4 KiB page
 * before it, the rest of the mapping given back. */
static void *alloc_mapped(size_t bytes)
{
    const size_t huge = (size_t)2 << 20, page = 4096;
    /* mn_tr_alloc64 keeps bytes at most SIZE_MAX / 2: no sum below wraps */
    bytes = (bytes + huge - 1) / huge * huge;
    size_t length = bytes + huge;
    char *m =
        mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    /* mmap returns whole pages: the first 2 MiB boundary at least one page
     * in holds the array, and the page before it the header */
    char *p = (char *)(((uintptr_t)m + page + huge - 1) / huge * huge);
    if (p - page > m)
        (void)munmap(m, (size_t)(p - page - m));
    if (p + bytes < m + length)
        (void)munmap(p + bytes, (size_t)(m + length - (p + bytes)));
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    alloc_header *h = (alloc_header *)(p - ALLOC_HEAD);
    h->magic = ALLOC_MAPPED, h->base = p - page, h->length = page + bytes;
    return p;
}

void *mn_tr_alloc64(size_t count, size_t sz)
{
    if (count && sz > SIZE_MAX / count)
        return NULL;
    size_t bytes = count * sz;
    if (bytes > SIZE_MAX / 2) /* the rounding up below, and alloc_mapped's */
        return NULL;
    bytes = (bytes + 63) / 64 * 64;
    if (bytes == 0)
        bytes = 64;
    if (bytes >= MN_TR_HUGE)
        return alloc_mapped(bytes);
    char *m = aligned_alloc(64, ALLOC_HEAD + bytes);
    if (!m)
        return NULL;
    alloc_header *h = (alloc_header *)m;
    h->magic = ALLOC_MALLOC, h->base = m, h->length = 0;
    return m + ALLOC_HEAD;
}

void mn_tr_free64(void *p)
{
    if (!p)
        return;
    alloc_header *h = (alloc_header *)((char *)p - ALLOC_HEAD);
    if (h->magic == ALLOC_MAPPED)
        (void)munmap(h->base, h->length); /* the header with it */
    else
        free(h->base);
}

/* ---- coefficients --------------------------------------------------------------- */

static float to_float(double g)
{
    if (!(g > 0))
        return 0.0f;
    if (g >= (double)FLT_MAX)
        return FLT_MAX;
    float f = (float)g;
    return f < FLT_MIN ? 0.0f : f;
}

/* Per-volume properties of a cell: capacity K and conductivities D K
 * (um^2/s) across (z) and in the plane. */
typedef struct {
    double cap, kz, kl;
} props;

static props cell_props(const mn_transport *t, int layer, double phi)
{
    const mn_transport_medium *m = &t->cfg.medium;
    double K = m->partition[layer];
    double kz = m->diffusivity_m2_s[layer] * K / (UM * UM);
    double kl = m->lateral_diffusivity_m2_s[layer] * K / (UM * UM);
    props p = {K, kz, kl};
    if (phi > 0) {
        double Kc = m->channel_partition;
        double kcc = m->channel_diffusivity_m2_s * Kc / (UM * UM);
        p.cap = phi * Kc + (1 - phi) * K;
        p.kz = phi * kcc + (1 - phi) * kz;
        /* In the plane a partly filled cell lies between the parallel
         * (arithmetic) and series (harmonic) bounds; take their geometric
         * mean (docs/model.md). */
        double ar = phi * kcc + (1 - phi) * kl;
        double ha = (kl > 0 && kcc > 0) ? 1.0 / (phi / kcc + (1 - phi) / kl) : 0.0;
        p.kl = sqrt(ar * ha);
    }
    return p;
}

static props props_at(const mn_transport *t, size_t i, size_t j, size_t k)
{
    double ph = t->phi ? (double)t->phi[IDX(t, i, j, k)] * t->open : 0.0;
    return cell_props(t, t->layer[k], ph);
}

static double face_cond(double ha, double ka, double hb, double kb, double area)
{
    if (!(ka > 0) || !(kb > 0))
        return 0.0;
    return area / (0.5 * ha / ka + 0.5 * hb / kb);
}

/* Film to a top cell: the half cell, and for the share of it that is a
 * channel's mouth also the film's resistance to the mouths (transport.c,
 * film_resistance), shared by the mouth cells in proportion to their
 * mouth area. */
static double top_conductance(const mn_transport *t, size_t i, size_t j, double axy,
                              props p)
{
    double g = axy * 2.0 * p.kz / t->dz[0];
    double phi = t->phi ? (double)t->phi[IDX(t, i, j, 0)] : 0.0;
    if (!(t->film_res > 0) || !(phi > 0) || !(t->open > 0))
        return g;
    double ph = phi * t->open;
    double kt = cell_props(t, t->layer[0], 0.0).kz;
    double gt = axy * 2.0 * (1 - ph) * kt / t->dz[0]; /* the tissue part */
    double gc = g - gt;                               /* the mouth part */
    if (!(gc > 0))
        return g;
    double rc = t->film_res * t->mouth_area / (phi * axy);
    return gt + 1.0 / (1.0 / gc + rc);
}

/* Capacity of cell (i, j, k) and the conductances (um^3/s) of the faces it
 * owns: to i+1, j+1, k+1, the film (top plane) and the sink (bottom). */
void mn_tr_set_faces(mn_transport *t, size_t i, size_t j, size_t k)
{
    size_t c = IDX(t, i, j, k);
    props p = props_at(t, i, j, k);
    int per = t->cfg.lateral_bc == MN_LATERAL_PERIODIC;
    if (i + 1 < t->nx || (per && t->nx > 1)) {
        size_t in = (i + 1) % t->nx;
        props q = props_at(t, in, j, k);
        t->gx[c] = to_float(face_cond(t->dx[i], p.kl, t->dx[in], q.kl,
                                      t->xwidth[j * t->nx + i] * t->dz[k]));
    } else
        t->gx[c] = 0.0f;
    if (j + 1 < t->ny || (per && t->ny > 1)) {
        size_t jn = (j + 1) % t->ny;
        props q = props_at(t, i, jn, k);
        t->gy[c] =
            to_float(face_cond(t->dy[j], p.kl, t->dy[jn], q.kl, t->dx[i] * t->dz[k]));
    } else
        t->gy[c] = 0.0f;
    double axy = t->colarea[j * t->nx + i];
    if (k + 1 < t->nz) {
        props q = props_at(t, i, j, k + 1);
        t->gz[c] = to_float(face_cond(t->dz[k], p.kz, t->dz[k + 1], q.kz, axy));
    } else {
        t->gz[c] = 0.0f;
        t->gbot[j * t->nx + i] = t->cfg.bottom == MN_TRANSPORT_SINK
                                     ? to_float(axy * 2.0 * p.kz / t->dz[k])
                                     : 0.0f;
    }
    if (k == 0)
        t->gtop[j * t->nx + i] =
            t->cfg.sealed_top ? 0.0f : to_float(top_conductance(t, i, j, axy, p));
    t->cap[c] = to_float(p.cap * axy * t->dz[k]);
}

void mn_tr_cap_stats(const mn_transport *t, double *cmin, double *csum)
{
    double lo = INFINITY, sum = 0;
    for (size_t k = 0; k < t->nz; k++) {
        const double K = t->cfg.medium.partition[t->layer[k]], dz = t->dz[k];
        for (size_t q = 0; q < t->nxy; q++) {
            float c = to_float(K * t->colarea[q] * dz);
            lo = c < lo ? c : lo;
            sum += c;
        }
    }
    *cmin = lo, *csum = sum;
}

void mn_tr_planes_ready(mn_transport *t, size_t k0, size_t k1)
{
    if (!t->ready)
        return;
    size_t unset = 0; /* planes of [k0, k1) not set up yet */
    for (size_t k = k0; k < k1; k++)
        unset += !t->ready[k];
    if (!unset)
        return;
    const int nth = unset * t->nxy >= t->par_min ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = k0; k < k1; k++) {
        if (t->ready[k])
            continue;
        for (size_t j = 0; j < t->ny; j++)
            for (size_t i = 0; i < t->nx; i++) {
                mn_tr_set_faces(t, i, j, k);
                t->u[IDX(t, i, j, k)] = 0.0;
            }
    }
    for (size_t k = k0; k < k1; k++)
        t->ready[k] = 1;
    size_t left = 0;
    for (size_t k = 0; k < t->nz; k++)
        left += !t->ready[k];
    if (!left) {
        free(t->ready);
        t->ready = NULL;
    }
}

/* ---- grids ----------------------------------------------------------------- */

typedef double (*spacing_fn)(double z, const void *ctx);

/* Faces of [0, L] through the hard breakpoints bp (sorted, first 0, last
 * L): in each segment, the number of cells is the integral of 1/s rounded
 * up and the faces equidistribute that integral. */
static mn_status grid1d(const double *bp, size_t nbp, spacing_fn s, const void *ctx,
                        double **faces, size_t *ncells)
{
    enum { M = 4096 };
    size_t cap = 64, n = 0;
    double *f = malloc(cap * sizeof *f);
    double *cum = malloc((M + 1) * sizeof *cum);
    if (!f || !cum) {
        free(f);
        free(cum);
        return MN_ENOMEM;
    }
    f[n++] = bp[0];
    for (size_t sgi = 0; sgi + 1 < nbp; sgi++) {
        double a = bp[sgi], b = bp[sgi + 1];
        if (!(b > a))
            continue;
        cum[0] = 0;
        double h = (b - a) / M, prev = 1.0 / s(a, ctx);
        for (int q = 1; q <= M; q++) {
            double cur = 1.0 / s(a + q * h, ctx);
            cum[q] = cum[q - 1] + 0.5 * (prev + cur) * h;
            prev = cur;
        }
        double I = cum[M];
        size_t N = (size_t)ceil(I - 1e-6);
        if (N < 1)
            N = 1;
        if (N > 100000000) {
            free(f);
            free(cum);
            return MN_ENOMEM;
        }
        int q = 0;
        for (size_t m = 1; m <= N; m++) {
            double x;
            if (m == N) {
                x = b;
            } else {
                double target = I * (double)m / (double)N;
                while (q < M && cum[q + 1] < target)
                    q++;
                double fr = (target - cum[q]) / (cum[q + 1] - cum[q]);
                x = a + (q + fr) * h;
            }
            if (n == cap) {
                cap *= 2;
                double *nf = realloc(f, cap * sizeof *nf);
                if (!nf) {
                    free(f);
                    free(cum);
                    return MN_ENOMEM;
                }
                f = nf;
            }
            f[n++] = x;
        }
    }
    free(cum);
    *faces = f;
    *ncells = n - 1;
    return MN_OK;
}

typedef struct {
    double h0, growth, hmax;
    const double *feat;
    size_t nfeat;
    double sc_bottom, h_sc; /* z only */
} zctx;

static double z_spacing(double z, const void *vctx)
{
    const zctx *c = vctx;
    if (z < c->sc_bottom)
        return c->h_sc;
    double d = INFINITY;
    for (size_t i = 0; i < c->nfeat; i++) {
        double e = fabs(z - c->feat[i]);
        if (e < d)
            d = e;
    }
    double s = c->h0 + (c->growth - 1.0) * d;
    return s < c->hmax ? s : c->hmax;
}

typedef struct {
    double hmin, growth, hmax, L;
    int periodic;
    const double *centre, *radius;
    size_t nfeat;
} lctx;

static double lat_spacing(double x, const void *vctx)
{
    const lctx *c = vctx;
    double d = INFINITY;
    for (size_t i = 0; i < c->nfeat; i++) {
        double e = fabs(x - c->centre[i]);
        if (c->periodic) {
            if (c->L - e < e)
                e = c->L - e;
        } else {
            double m1 = fabs(x + c->centre[i]);            /* mirror at 0 */
            double m2 = fabs(2 * c->L - x - c->centre[i]); /* mirror at L */
            if (m1 < e)
                e = m1;
            if (m2 < e)
                e = m2;
        }
        e = fabs(e - c->radius[i]); /* distance to the wall */
        if (e < d)
            d = e;
    }
    double s = c->hmin + (c->growth - 1.0) * d;
    return s < c->hmax ? s : c->hmax;
}

mn_status mn_tr_lateral_grid(const mn_transport_config *c, int axis, double **faces,
                             size_t *n)
{
    double L = axis == 0 ? c->size_x_m : c->size_y_m;
    size_t nu = axis == 0 ? c->nx : c->ny;
    if (c->radial && axis == 1) {
        /* around the axis: one cell; its "width" is never used */
        double *f = malloc(2 * sizeof *f);
        if (!f)
            return MN_ENOMEM;
        f[0] = 0, f[1] = c->size_x_m;
        *faces = f;
        *n = 1;
        return MN_OK;
    }
    if (c->uniform_lateral || c->n_channels == 0) {
        if (c->n_channels == 0 && !c->uniform_lateral)
            nu = 1;
        double *f = malloc((nu + 1) * sizeof *f);
        if (!f)
            return MN_ENOMEM;
        for (size_t i = 0; i <= nu; i++)
            f[i] = L * (double)i / (double)nu;
        *faces = f;
        *n = nu;
        return MN_OK;
    }
    double *cen = malloc(c->n_channels * sizeof *cen);
    double *rad = malloc(c->n_channels * sizeof *rad);
    if (!cen || !rad) {
        free(cen);
        free(rad);
        return MN_ENOMEM;
    }
    for (size_t i = 0; i < c->n_channels; i++) {
        cen[i] = (axis == 0 ? c->channels[i].x_m : c->channels[i].y_m) / UM;
        rad[i] = c->channels[i].radius_m / UM;
    }
    lctx lc = {c->lateral_min_m / UM,
               c->lateral_growth,
               c->lateral_max_m / UM,
               L / UM,
               c->lateral_bc == MN_LATERAL_PERIODIC,
               cen,
               rad,
               c->n_channels};
    double bp[2] = {0, L / UM};
    mn_status st = grid1d(bp, 2, lat_spacing, &lc, faces, n);
    free(cen);
    free(rad);
    if (st == MN_OK)
        for (size_t i = 0; i <= *n; i++)
            (*faces)[i] *= UM;
    return st;
}

mn_status mn_tr_depth_grid(const mn_transport_config *c, double depth, double **faces,
                           size_t *n)
{
    if (c->uniform_z) {
        double *f = malloc((c->nz + 1) * sizeof *f);
        if (!f)
            return MN_ENOMEM;
        for (size_t i = 0; i <= c->nz; i++)
            f[i] = depth * (double)i / (double)c->nz;
        *faces = f;
        *n = c->nz;
        return MN_OK;
    }
    double bp[MN_TRANSPORT_LAYERS + 2];
    size_t nbp = 0;
    bp[nbp++] = 0;
    double z = 0;
    for (int l = 0; l < MN_TRANSPORT_LAYERS; l++) {
        z += c->thickness_m[l];
        if (z >= depth * (1 - 1e-12))
            break;
        if (c->thickness_m[l] > 0)
            bp[nbp++] = z / UM;
    }
    bp[nbp++] = depth / UM;
    double feat[MN_TRANSPORT_LAYERS + 64];
    size_t nf = 0;
    for (size_t i = 1; i + 1 < nbp; i++)
        feat[nf++] = bp[i];
    for (size_t i = 0; i < c->n_channels && nf < sizeof feat / sizeof feat[0] - 1; i++)
        feat[nf++] = c->channels[i].depth_m / UM;
    if (isfinite(c->probe_depth_m))
        feat[nf++] = c->probe_depth_m / UM;
    double sc = c->thickness_m[0] < depth ? c->thickness_m[0] : depth;
    double hsc = sc / UM / c->sc_cells;
    zctx zc = {hsc, c->z_growth, c->z_max_m / UM, feat, nf, sc / UM, hsc};
    if (zc.hmax < hsc)
        zc.hmax = hsc;
    mn_status st = grid1d(bp, nbp, z_spacing, &zc, faces, n);
    if (st == MN_OK)
        for (size_t i = 0; i <= *n; i++)
            (*faces)[i] *= UM;
    return st;
}

/* ---- channels -------------------------------------------------------------- */

/* First cell index whose upper face is above v (faces ascending). */
size_t mn_tr_find_cell(const double *f, size_t n, double v)
{
    size_t lo = 0, hi = n; /* cells 0..n-1 */
    if (v <= f[0])
        return 0;
    if (v >= f[n])
        return n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f[mid] <= v)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double channel_radius_at(int shape, double r0, double depth, double z)
{
    if (z >= depth || z < 0)
        return 0;
    return shape == MN_CHANNEL_CYLINDER ? r0 : r0 * (1.0 - z / depth);
}

/* The radial cell: the share of each annulus inside the channel on the
 * axis, exact in r and sampled at 16 depths per cell. */
static void radial_fractions(mn_transport *t)
{
    const mn_transport_config *c = &t->cfg;
    const int NZ = 16;
    const mn_transport_channel *q = &t->channels[0];
    double r0 = q->radius_m, dep = q->depth_m;
    if (!(r0 > 0) || !(dep > 0))
        return;
    size_t k1 = mn_tr_find_cell(t->zf, t->nz, dep);
    for (size_t k = 0; k <= k1; k++)
        for (size_t i = 0; i < t->nx; i++) {
            double a = t->xf[i], b = t->xf[i + 1], sum = 0;
            for (int sz = 0; sz < NZ; sz++) {
                double z = t->zf[k] + (sz + 0.5) / NZ * (t->zf[k + 1] - t->zf[k]);
                double r = channel_radius_at(c->channel_shape, r0, dep, z);
                if (r <= a)
                    continue;
                double rr = r < b ? r : b;
                sum += (rr * rr - a * a) / (b * b - a * a);
            }
            double v = sum / NZ;
            t->phi[IDX(t, i, 0, k)] = (float)(v > 1 ? 1 : v);
        }
}

/* Volume fraction of every cell inside a channel (sampled, 6 x 6 x 4
 * points per cell). */
void mn_tr_channel_fractions(mn_transport *t)
{
    const mn_transport_config *c = &t->cfg;
    const int NS = 6, NZ = 4;
    double Lx = c->size_x_m, Ly = c->size_y_m;
    if (c->radial) {
        radial_fractions(t);
        return;
    }
    for (size_t ch = 0; ch < c->n_channels; ch++) {
        const mn_transport_channel *q = &t->channels[ch];
        double r0 = q->radius_m, dep = q->depth_m;
        if (!(r0 > 0) || !(dep > 0))
            continue;
        /* Images: the channel itself and its periodic or mirror copies. */
        double ix[3], iy[3];
        int nix = 0, niy = 0;
        ix[nix++] = q->x_m;
        iy[niy++] = q->y_m;
        if (c->lateral_bc == MN_LATERAL_PERIODIC) {
            ix[nix++] = q->x_m - Lx, ix[nix++] = q->x_m + Lx;
            iy[niy++] = q->y_m - Ly, iy[niy++] = q->y_m + Ly;
        } else {
            /* mirror images; a channel on a mirror plane is its own image */
            double mx[2] = {-q->x_m, 2 * Lx - q->x_m},
                   my[2] = {-q->y_m, 2 * Ly - q->y_m};
            for (int m = 0; m < 2; m++) {
                if (fabs(mx[m] - q->x_m) > 1e-12 * Lx)
                    ix[nix++] = mx[m];
                if (fabs(my[m] - q->y_m) > 1e-12 * Ly)
                    iy[niy++] = my[m];
            }
        }
        size_t k1 = mn_tr_find_cell(t->zf, t->nz, dep);
        for (int a = 0; a < nix; a++)
            for (int b = 0; b < niy; b++) {
                double cx = ix[a], cy = iy[b];
                if (cx + r0 <= 0 || cx - r0 >= Lx || cy + r0 <= 0 || cy - r0 >= Ly)
                    continue;
                size_t i0 = mn_tr_find_cell(t->xf, t->nx, cx - r0),
                       i1 = mn_tr_find_cell(t->xf, t->nx, cx + r0);
                size_t j0 = mn_tr_find_cell(t->yf, t->ny, cy - r0),
                       j1 = mn_tr_find_cell(t->yf, t->ny, cy + r0);
                for (size_t k = 0; k <= k1; k++)
                    for (size_t j = j0; j <= j1; j++)
                        for (size_t i = i0; i <= i1; i++) {
                            int in = 0;
                            for (int sz = 0; sz < NZ; sz++) {
                                double z = t->zf[k] +
                                           (sz + 0.5) / NZ * (t->zf[k + 1] - t->zf[k]);
                                double r =
                                    channel_radius_at(c->channel_shape, r0, dep, z);
                                if (r <= 0)
                                    continue;
                                for (int sy = 0; sy < NS; sy++) {
                                    double y = t->yf[j] + (sy + 0.5) / NS *
                                                              (t->yf[j + 1] - t->yf[j]);
                                    for (int sx = 0; sx < NS; sx++) {
                                        double x =
                                            t->xf[i] +
                                            (sx + 0.5) / NS * (t->xf[i + 1] - t->xf[i]);
                                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <
                                            r * r)
                                            in++;
                                    }
                                }
                            }
                            if (in) {
                                size_t id = IDX(t, i, j, k);
                                float v =
                                    t->phi[id] + (float)in / (float)(NS * NS * NZ);
                                t->phi[id] = v > 1.0f ? 1.0f : v;
                            }
                        }
            }
    }
}

int mn_tr_alloc_work(mn_transport *t)
{
    if (!t->u && !(t->u = mn_tr_alloc64(t->n, sizeof(double))))
        return -1;
    t->pl = calloc(t->nz * PL_N, sizeof *t->pl);
    t->rs = mn_tr_alloc64(t->nz * t->ny * PL_N, sizeof *t->rs);
    t->zero_f = calloc(t->nx + 1, sizeof *t->zero_f);
    t->scratch = calloc((size_t)t->nthreads, sizeof *t->scratch);
    t->planebuf = calloc((size_t)t->nthreads, sizeof *t->planebuf);
    if (!t->pl || !t->rs || !t->zero_f || !t->scratch || !t->planebuf)
        return -1;
    size_t need = 2 * t->nz * WZ + 8 * WZ + 3 * t->nx + 4 * t->nxy + 32 * t->nx + 256;
    for (int i = 0; i < t->nthreads; i++)
        if (!(t->planebuf[i] = mn_tr_alloc64(t->nxy, sizeof(double))) ||
            !(t->scratch[i] = mn_tr_alloc64(need, sizeof(double))))
            return -1;
    return 0;
}

int mn_tr_alloc_vectors(mn_transport *t)
{
    double **vec[] = {&t->un, &t->b, &t->r, &t->z, &t->p, &t->q, &t->w, &t->e};
    size_t nv = sizeof vec / sizeof vec[0] - (t->cfg.accuracy > 0 ? 0 : 1);
    for (size_t v = 0; v < nv; v++)
        if (!*vec[v] && !(*vec[v] = mn_tr_alloc64(t->n, sizeof(double))))
            return -1;
    const int nth = t->n >= PAR_MIN ? t->nthreads : 1;
    (void)nth;
#pragma omp parallel for schedule(static) num_threads(nth)
    for (size_t k = 0; k < t->nz; k++) /* first touch by the threads that use them */
        for (size_t v = 0; v < nv; v++)
            memset(*vec[v] + k * t->nxy, 0, t->nxy * sizeof(double));
    return 0;
}

void mn_tr_channels_accepted(mn_transport *t)
{
    for (size_t q = 0; q < t->n_chan_cells; q++)
        t->cap_acc[q] = (double)t->cap[t->chan_cells[q]];
    t->n_src = 0;
}

void mn_tr_free_pools(mn_transport *t)
{
    for (int i = 0; i < POOL_N; i++) {
        mn_tr_free64(t->pool[i]);
        t->pool[i] = NULL;
    }
    for (int l = 0; l < MG_MAXLEV; l++)
        for (int i = 0; i < 4; i++) {
            mn_tr_free64(t->mgpool[l][i]);
            t->mgpool[l][i] = NULL;
        }
}
