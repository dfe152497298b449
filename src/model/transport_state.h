/* The transport solver's state (floor: model, not installed): struct
 * mn_transport, the multigrid levels, the solver's constants and the small
 * inline helpers every transport file uses. It declares no function of any
 * file: each file's functions are in its own header (transport_grid.h,
 * transport_level.h, transport_solve.h). See transport.c for the scheme. */
#ifndef MNSIM_TRANSPORT_STATE_H
#define MNSIM_TRANSPORT_STATE_H

#include "mnsim/transport.h"
#include "mnsim/units.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define UM 1e-6      /* internal length unit, m */
#define AMOUNT 1e-18 /* kg per (um^3 kg/m^3) */
#define LN2 0.69314718055994530942
#define N_AVOGADRO 6.02214076e23
#define K_BOLTZMANN 1.380649e-23

/* Solver constants (docs/model.md). */
#define MG_MAXLEV 32
#define MG_COARSEST 160 /* cells at which the dense solve takes over */
#define MG_OMEGA 0.9    /* damping of the column Jacobi smoother */
#define CG_TOL 1e-9     /* default residual (1-norm) per amount in the system */
#define CG_MAXIT 400
/* Accuracy-driven steps (docs/model.md, "Accuracy"): the local error a step
 * may make, per unit of the accuracy asked for (a local error control gives
 * a global error ~ tol^(2/3): 0.5 brings the benchmark's spike, the harder
 * of its two questions, to the accuracy asked), and the solves' residual
 * per unit of that local error. */
#define ACC_LOCAL 0.5
#define ACC_SOLVE 1e-2
#define WZ 256               /* columns solved together (vector lanes) */
#define PAR_MIN (t->par_min) /* cells below which a pass runs in one thread */

/* The hot kernels are compiled for AVX2 and for the baseline; the loader
 * picks one per machine, so a run never mixes them (results do not depend
 * on the thread count). Not under the sanitizers, not off x86-64/GCC. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&                 \
    !defined(__SANITIZE_ADDRESS__) && !defined(MNSIM_NO_CLONES)
#define HOT __attribute__((target_clones("avx2", "default")))
#else
#define HOT
#endif

#define MN_PRAGMA(x) _Pragma(#x)
#ifdef _OPENMP
#define SIMD _Pragma("omp simd")
#define SIMD_SUM(...) MN_PRAGMA(omp simd reduction(+ : __VA_ARGS__))
#else
#define SIMD
#define SIMD_SUM(...)
#endif

/* Tiny values far ahead of a diffusion front are flushed to zero in every
 * thread of a pass (the mode is restored after): denormal arithmetic is
 * slow and values below 1e-300 kg/m^3 change nothing. Every thread uses the
 * same mode, so results stay independent of the thread count. */
#if defined(__SSE2__) && defined(__x86_64__)
#include <xmmintrin.h>
#define FTZ_ON(save)                                                                   \
    unsigned save = _mm_getcsr();                                                      \
    _mm_setcsr(save | 0x8040u)
#define FTZ_OFF(save) _mm_setcsr(save)
#else
#define FTZ_ON(save) (void)0
#define FTZ_OFF(save) (void)0
#endif

/* ---- the solver state ------------------------------------------------------ */

/* One level of the multigrid hierarchy. Level 0 is the grid itself (its
 * arrays belong to the solver); coarser levels own theirs. */
typedef struct {
    size_t nx, ny, nz, nxy, n;
    int perx, pery;
    const float *m0; /* capacity */
    const float *m1; /* the rest of the diagonal (per theta); NULL on level 0 */
    const float *gx, *gy, *gz, *gt; /* faces to i+1, j+1, k+1; film coupling */
    float *own;                     /* storage of m0 m1 gx gy gz gt (levels > 0) */
    size_t stride;                  /* floats from one of those arrays to the next */
    double *x, *b, *w;              /* levels > 0 */
    double xv, bv, wv;              /* film components */
    size_t fx, fy, fz;              /* block size towards the next level */
    double *chol;                   /* coarsest level: band + arrow factor */
    size_t nd;
    double chol_theta;
} mg_level;

/* The large arrays of windows (transport_window.c): the coefficients
 * (cap, gx, gy, gz: float), then the vectors (double: u, un and the work
 * vectors, which conjugate gradients and the steps trade by pointer, and
 * two more, so that a wider window can be filled from the narrower one). */
enum { POOL_FLOATS = 4, POOL_DOUBLES = 11, POOL_N = POOL_FLOATS + POOL_DOUBLES };

/* Rates of the integrated amounts (scaled units per s). */
enum { L_CLEARED = 0, L_SINK, L_SUPPLIED, L_DEJ, L_N };

struct mn_transport {
    mn_transport_config cfg;
    mn_transport_channel *channels;
    size_t nx, ny, nz, nxy, n;
    double *xf, *yf, *zf;      /* faces, m */
    double *dx, *dy, *dz;      /* cell sizes, um */
    double *colarea;           /* nxy: plane area of a column, um^2 */
    double *xwidth;            /* nxy: length of the face to i+1 (times dz
                                  its area), um */
    int *layer;                /* per k */
    double *kc;                /* clearance per s, per k */
    float *cap, *gx, *gy, *gz; /* n; gz of the last plane is 0 */
    float *gtop, *gbot;        /* nxy: film to top cells, bottom cells to sink */
    float *phi;                /* n, channel volume fraction, or NULL */
    size_t *chan_cells;
    size_t n_chan_cells;
    /* closure as a source (transport_step.c, update_channels): per channel
     * cell its capacity at the last accepted state; the sources of this
     * step, amount per s, in the cells src_idx (a solver's: chan_cells, a
     * window's: its own) */
    double *cap_acc;
    double *src_rate;
    size_t *src_idx;
    size_t n_src;
    double open;       /* open fraction applied to the coefficients */
    double built_open; /* ... when the hierarchy was built */
    size_t mg_kept;    /* coarse cells its last build kept from the window
                          it replaced (mn_tr_mg_build_from) */
    /* state and work vectors (n each); film components beside them */
    double *u, *un, *b, *r, *z, *p, *q, *w;
    double uv, unv, bv, rv, zv, pv, qv, wv;
    double *e, ev; /* the error estimate (cfg.accuracy > 0), else NULL */
    double t;
    double vehicle_cap;   /* um^3 the solver sees (0: infinite dose); while a
                             suspension has solid left, the film's volume
                             plus the solid's equivalent at saturation, so
                             the dissolved level barely moves in a step */
    double film_cap;      /* um^3, the film's own volume */
    double film_res;      /* s/um^3: resistance of the film between its bulk
                             and all channel mouths together (0: none) */
    double mouth_area;    /* um^2: the channels' mouths together */
    double solid;         /* undissolved amount (scaled, like cap * u) */
    double vehicle_fixed; /* infinite dose: its concentration */
    double acc[L_N];      /* integrated amounts (scaled) */
    double rate_n[L_N];   /* rates at the current state */
    int rate_valid;
    int guess_valid; /* un holds the state before the last accepted step */
    double initial;
    double area_um2, area_m2;
    double last_dej, last_dt;
    int k_dej, k_probe;
    double probe_q, probe_mean;
    double *probe_vals, *probe_sort;
    double *pl; /* per-plane partial sums, nz * PL_N */
    double *rs; /* per-row partial sums, nz * ny * PL_N */
    mg_level lev[MG_MAXLEV];
    int nlev;
    int nthreads;
    double **scratch;
    /* statistics */
    long steps, solves, iterations;
    double bytes;                           /* bytes moved per grid cell, all steps */
    double pass_s[MN_TRANSPORT_PASSES];     /* seconds per kind of pass */
    double pass_bytes[MN_TRANSPORT_PASSES]; /* bytes per cell per kind */
    double max_fix;                         /* largest mass projection applied */
    float *zero_f;                          /* nx zeros: faces of missing neighbours */
    double **planebuf;                      /* per thread: one plane */
    int omp_level;                          /* nesting level of the caller: the solver's
                                               own teams are one deeper (the caller may
                                               itself run in a parallel region) */
    size_t par_min;
    double tol;       /* solver tolerance */
    double cap_ratio; /* smallest cell capacity over the mean (set-up) */
    double cap_min;   /* smallest cell capacity, um^3 (set-up) */
    double top_cap;   /* capacity of the top plane, um^3 (set-up) */
    /* windows (transport_window.c) */
    struct mn_transport *win; /* the child solving the window, or NULL */
    size_t wlo[3], whi[3];    /* a child: its box [lo, hi) in the parent */
    int win_off;              /* 1: the whole grid until a new state */
    size_t wfront[6];         /* the front after the last step: lo[3], hi[3] */
    int wfront_valid;
    void *pool[POOL_N]; /* the windows' large arrays, each for the largest
                           window: every window of the solver reuses them
                           (touched once, not cleared by the system again
                           for each wider window) */
    int pooled;         /* a window: its large arrays are the parent's pool */
    /* the windows' coarse levels (own, x, b, w of each), likewise reused:
     * each sized once for the grid's level of the same depth */
    void *mgpool[MG_MAXLEV][4];
    struct mn_transport *owner; /* a window: the solver whose pools it uses */
    int wgrow;                  /* 1: the next step in the wider box wglo, wghi */
    /* planes set up when first needed (transport_grid.c, mn_tr_planes_ready):
     * ready[k] 1 once plane k's coefficients are set and its u zeroed; a
     * plane not ready holds no solute. NULL: every plane is ready. */
    unsigned char *ready;
    size_t wglo[3], wghi[3];
};

enum { PL_A = 0, PL_B, PL_C, PL_D, PL_E, PL_F, PL_G, PL_H, PL_N };

/* Plane k's coefficients are set and its u is the state (not ready: zero). */
static inline int plane_ready(const mn_transport *t, size_t k)
{
    return !t->ready || t->ready[k];
}

static inline size_t IDX(const mn_transport *t, size_t i, size_t j, size_t k)
{
    return (k * t->ny + j) * t->nx + i;
}

static inline double cell_volume(const mn_transport *t, size_t i, size_t j, size_t k)
{
    return t->colarea[j * t->nx + i] * t->dz[k];
}

/* Index of the calling thread in the solver's own team; 0 outside it
 * (even inside a caller's parallel region). */
static inline int team_thread(const mn_transport *t)
{
#ifdef _OPENMP
    return omp_get_level() > t->omp_level ? omp_get_thread_num() : 0;
#else
    (void)t;
    return 0;
#endif
}

static inline double *thread_scratch(const mn_transport *t)
{
    return t->scratch[team_thread(t)];
}

/* Wall-clock seconds (for the passes' profile). */
static inline double pass_clock(void)
{
#ifdef _OPENMP
    return omp_get_wtime();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
#endif
}

/* Bytes moved per cell of a level by one pass over it (docs/model.md),
 * credited with the time since t0 to its kind of pass (t0 < 0: bytes
 * only). */
static inline void traffic(mn_transport *t, const mg_level *L, double bytes,
                           mn_transport_pass_kind pass, double t0)
{
    double b = bytes * (double)L->n / (double)t->n;
    t->bytes += b;
    t->pass_bytes[pass] += b;
    if (t0 >= 0)
        t->pass_s[pass] += pass_clock() - t0;
}

/* Largest of the planes' partial maxima. */
static inline double plane_max(const mn_transport *t, int which)
{
    double m = 0;
    for (size_t k = 0; k < t->nz; k++)
        m = t->pl[k * PL_N + which] > m ? t->pl[k * PL_N + which] : m;
    return m;
}

/* Partial sums over planes of level 0 vectors (fixed order). */
static inline double plane_total(const mn_transport *t, int which)
{
    double s = 0;
    for (size_t k = 0; k < t->nz; k++)
        s += t->pl[k * PL_N + which];
    return s;
}

#endif
