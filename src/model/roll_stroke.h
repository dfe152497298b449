/* Strokes of the rolling model, shared by roll_stroke.c (which implements
 * them) and roll.c (sessions); floor: model, not installed, not part of the
 * API (include/mnsim/roll.h). */
#ifndef MNSIM_MODEL_ROLL_STROKE_H
#define MNSIM_MODEL_ROLL_STROKE_H

#include "mnsim/rng.h"
#include "mnsim/roll.h"

#include <stddef.h>
#include <stdint.h>

#define ZIG_N 128 /* layers of the ziggurat for the depth deviates (roll_stroke.c) */

/* Where a device's needles are, in the stroke frame (s along, c across). */
typedef struct {
    int type;
    double width; /* band one stroke covers */
    /* roller */
    int rings, npr;
    double R, tilt_phase, stagger;
    /* stamp, pen: needles relative to the stamp centre */
    size_t m;
    double *na, *nc;
    double step; /* spacing of stamps along the stroke */
    /* distinct across offsets of the needles ("lines") */
    size_t n_lines;
    double *line_c;
    /* ziggurat tables for the depth deviates */
    double zx[ZIG_N + 1], zf[ZIG_N + 1];
} layout;

/* A planned stroke: where its centre line lies before the hand's jitter. */
typedef struct {
    uint32_t region, pass, dir;
    double angle; /* nominal direction */
    double c_nom; /* across coordinate of the centre line (nominal frame) */
    double s_ref; /* along coordinate of the frame origin (nominal frame) */
    uint64_t key_a, key_b;
    const double *px, *py; /* outline, or NULL for a free stroke */
    size_t pn;
    double free_len; /* free stroke: nominal length */
    double depth_mean, depth_sd;
} plan;

/* A stroke as done. */
typedef struct {
    double qx, qy, ux, uy, vx, vy; /* frame: origin, along, across */
    double s0, s1;                 /* travel along u */
    double phase, slip;
    int empty;
} realised;

/* Per-thread scratch: the outline in the stroke frame, crossings. */
typedef struct {
    double *s, *c, *xs;
    size_t cap;
} scratch;

/* Output slots for the punctures of one stroke (NULL x: count only). */
typedef struct {
    double *x, *y, *depth;
    uint32_t *stroke, *needle;
    uint32_t stroke_id;
} sink;

/* The needles of device d in the stroke frame (and the ziggurat tables);
 * release with mn_roll__layout_free. */
mn_status mn_roll__layout_make(const mn_device *d, const mn_roll_params *p, layout *L,
                               mn_error *err);
void mn_roll__layout_free(layout *L);

/* Per-thread scratch for strokes over outlines of up to n points. */
int mn_roll__scratch_fit(scratch *w, size_t n);
void mn_roll__scratch_free(scratch *w);

/* Apply the hand's jitter to a planned stroke and find its travel; the
 * geometry stream g is left after its first six draws. */
void mn_roll__realise(const plan *pl, const layout *L, const mn_roll_params *p,
                      scratch *w, mn_rng *g, realised *out);

/* Generate (out with x) or count (out NULL or without x) the punctures of a
 * realised stroke; returns their number. */
size_t mn_roll__generate(const plan *pl, const layout *L, const mn_roll_params *p,
                         const realised *rs, scratch *w, mn_rng *g, const sink *out);

#endif /* MNSIM_MODEL_ROLL_STROKE_H */
