/* The delivery stage of a course: the anaesthetic and the serum through
 * the transport model, one run per distinct case. */
#include "mnsim/course_deliver.h"
#include "mnsim/deliver_setup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* A cream left on for no stated time: one hour, the usual test. */
#define DEFAULT_CONTACT_S 3600.0
/* Channels wider than this share of their spacing merge: the model's unit
 * cell needs a wall between them. */
#define MAX_WIDTH_TO_SPACING 0.9

const char *mn_apply_role_name(int role)
{
    return role == MN_APPLY_ANAESTHETIC ? "anaesthetic" : "serum";
}

void mn_course_deliver_opts_default(mn_course_deliver_opts *o)
{
    memset(o, 0, sizeof *o);
    o->grid = MN_GRID_COARSE;
    o->n_samples = 60;
}

void mn_course_deliveries_free(mn_course_deliveries *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        mn_deliver_result_free(&d->items[i].res);
    free(d->items);
    memset(d, 0, sizeof *d);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static mn_course_delivery *add_case(mn_course_deliveries *d, size_t *cap)
{
    if (d->count == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        mn_course_delivery *ni = realloc(d->items, nc * sizeof *ni);
        if (!ni)
            return NULL;
        d->items = ni;
        *cap = nc;
    }
    mn_course_delivery *x = &d->items[d->count++];
    memset(x, 0, sizeof *x);
    return x;
}

static double contact_of(const mn_topical *t)
{
    return t->time_s > 0 ? t->time_s : DEFAULT_CONTACT_S;
}

/* The anaesthetic: once per site of a treated zone, on intact skin. */
static mn_status anaesthetic_cases(const mn_course *c, const mn_course_result *r,
                                   const mn_compound *cp, mn_course_deliveries *d,
                                   size_t *cap)
{
    const mn_topical *t = &c->protocol.anaesthetic;
    for (size_t s = 0; s < r->n_sessions; s++)
        for (size_t z = 0; z < r->n_zones; z++) {
            if (!r->cells[s * r->n_zones + z].treated)
                continue;
            mn_course_delivery *x = NULL;
            for (size_t i = 0; i < d->count && !x; i++)
                if (d->items[i].role == MN_APPLY_ANAESTHETIC &&
                    !strcmp(d->items[i].site, c->zones[z].site))
                    x = &d->items[i];
            if (!x) {
                if (!(x = add_case(d, cap)))
                    return MN_ENOMEM;
                x->role = MN_APPLY_ANAESTHETIC;
                x->compound = cp;
                x->zone = z;
                x->site = c->zones[z].site;
                x->first_session = s;
                x->contact_s = contact_of(t);
                x->occluded = t->occlusion;
            }
            x->n_cells++;
        }
    return MN_OK;
}

/* The serum: once per device, site and channel depth, right after the
 * rolling (a zone's own device where it has one); the channel density is
 * the area-weighted mean of the rolls. */
static mn_status serum_cases(const mn_course *c, const mn_course_result *r,
                             const mn_compound *cp, mn_course_deliveries *d,
                             size_t *cap)
{
    const mn_topical *t = &c->protocol.serum;
    size_t first = d->count;
    double *area = NULL;
    mn_depth_result *depth0 = NULL; /* per case: the depth of its first cell */
    size_t area_n = 0;
    for (size_t s = 0; s < r->n_sessions; s++)
        for (size_t z = 0; z < r->n_zones; z++) {
            const mn_course_cell *cell = &r->cells[s * r->n_zones + z];
            if (!cell->treated)
                continue;
            const char *dev = mn_course_device(&c->in, s, z)->name;
            double depth = cell->depth.depth_m > 0 ? cell->depth.depth_m : 0.0;
            mn_course_delivery *x = NULL;
            size_t xi = 0;
            for (size_t i = first; i < d->count && !x; i++)
                if (!strcmp(d->items[i].site, c->zones[z].site) &&
                    !strcmp(d->items[i].device, dev) &&
                    d->items[i].channel_depth_m == depth) {
                    x = &d->items[i];
                    xi = i - first;
                }
            if (!x) {
                if (!(x = add_case(d, cap))) {
                    free(area);
                    free(depth0);
                    return MN_ENOMEM;
                }
                xi = d->count - 1 - first;
                double *na = realloc(area, (xi + 1) * sizeof *na);
                if (na)
                    area = na;
                mn_depth_result *nd = realloc(depth0, (xi + 1) * sizeof *nd);
                if (nd)
                    depth0 = nd;
                if (!na || !nd) {
                    free(area);
                    free(depth0);
                    return MN_ENOMEM;
                }
                area[xi] = 0;
                depth0[xi] = cell->depth;
                area_n = xi + 1;
                x->role = MN_APPLY_SERUM;
                x->compound = cp;
                x->zone = z;
                x->site = c->zones[z].site;
                x->device = dev;
                x->first_session = s;
                x->contact_s = contact_of(t);
                x->occluded = t->occlusion;
                x->channel_depth_m = depth;
                x->channel_radius_m = depth > 0 ? 0.5 * cell->depth.width_m : 0.0;
            }
            x->n_cells++;
            x->density_per_m2 += cell->roll.density_mean * cell->roll.area_m2;
            area[xi] += cell->roll.area_m2;
        }
    for (size_t i = 0; i < area_n; i++) {
        mn_course_delivery *x = &d->items[first + i];
        x->density_per_m2 = area[i] > 0 ? x->density_per_m2 / area[i] : 0.0;
        /* Short needles: the disrupted share of the barrier, from the
         * depth of the case's first cell and the rolled density. */
        x->sc_open_fraction =
            mn_deliver_sc_open_fraction(&depth0[i], x->density_per_m2);
    }
    free(area);
    free(depth0);
    return MN_OK;
}

/* Channels the model can hold: none without density; radius cut where
 * neighbouring channels would merge. */
static void fit_channels(mn_course_delivery *x)
{
    if (x->role != MN_APPLY_SERUM)
        return;
    if (!(x->density_per_m2 > 0))
        x->channel_depth_m = x->channel_radius_m = 0.0;
    double spacing = x->density_per_m2 > 0 ? 1.0 / sqrt(x->density_per_m2) : INFINITY;
    if (2 * x->channel_radius_m > MAX_WIDTH_TO_SPACING * spacing) {
        x->channel_radius_m = 0.5 * MAX_WIDTH_TO_SPACING * spacing;
        x->merged = 1;
    }
}

/* Sessions a case stands for: those with at least one of its cells. */
static size_t count_sessions(const mn_course *c, const mn_course_result *r,
                             const mn_course_delivery *x)
{
    size_t n = 0;
    for (size_t s = 0; s < r->n_sessions; s++) {
        for (size_t z = 0; z < r->n_zones; z++) {
            const mn_course_cell *cell = &r->cells[s * r->n_zones + z];
            if (!cell->treated || strcmp(c->zones[z].site, x->site))
                continue;
            if (x->device && strcmp(mn_course_device(&c->in, s, z)->name, x->device))
                continue;
            if (x->device && (cell->depth.depth_m > 0 ? cell->depth.depth_m : 0.0) !=
                                 x->channel_depth_m)
                continue;
            n++;
            break;
        }
    }
    return n;
}

static void run_case(const mn_course *c, const mn_course_deliver_opts *o,
                     mn_course_delivery *x)
{
    mn_deliver_spec s;
    mn_deliver_spec_default(&s);
    const mn_topical *t =
        x->role == MN_APPLY_ANAESTHETIC ? &c->protocol.anaesthetic : &c->protocol.serum;
    s.catalog = &c->compounds;
    s.compound = x->compound;
    s.channel = &c->channel;
    s.skin = c->zones[x->zone].skin;
    s.concentration_kg_m3 = t->concentration > 0
                                ? t->concentration * c->compounds.vehicle_density_kg_m3
                                : NAN;
    x->concentration_kg_m3 = isnan(s.concentration_kg_m3)
                                 ? x->compound->concentration_kg_m3
                                 : s.concentration_kg_m3;
    s.occluded = x->occluded;
    s.t_end_s = x->contact_s;
    s.intact = !(x->channel_depth_m > 0);
    s.channel_depth_m = x->channel_depth_m;
    s.channel_radius_m = x->channel_radius_m;
    s.density_per_m2 = x->density_per_m2;
    s.sc_open_fraction = x->sc_open_fraction;
    s.grid = o->grid;
    s.radial = 1; /* the axisymmetric cell: within 0.3% of the square one */
    s.n_samples = o->n_samples ? o->n_samples : 60;
    s.threads = 1; /* the cases run side by side */
    mn_error e;
    mn_error_clear(&e);
    x->status = mn_deliver_evaluate(&s, NULL, &x->res, &e);
    if (x->status != MN_OK) {
        snprintf(x->message, sizeof x->message, "%s %s at %s: %s",
                 mn_apply_role_name(x->role), x->compound->name, x->site, e.message);
        return;
    }
    if (x->role == MN_APPLY_ANAESTHETIC)
        x->numb_in_time =
            isfinite(x->res.time_to_numb_s) && x->res.time_to_numb_s <= x->contact_s;
}

/* Findings of the stage, with the rules of data/rules.yaml when listed. */
static mn_status stage_findings(const mn_course *c, mn_course_result *r,
                                const mn_course_deliveries *d)
{
    const mn_check_rule *numb = mn_rules_check_named(&c->rules, "numbing-too-short");
    const mn_check_rule *into = mn_rules_check_named(&c->rules, "serum-into-dermis");
    int into_done = 0;
    for (size_t i = 0; i < d->count; i++) {
        const mn_course_delivery *x = &d->items[i];
        if (x->status != MN_OK)
            continue;
        const char *zone = c->zones[x->zone].name;
        if (numb && x->role == MN_APPLY_ANAESTHETIC && !x->numb_in_time) {
            char when[64];
            if (isfinite(x->res.time_to_numb_s))
                snprintf(when, sizeof when, "after %.0f min",
                         x->res.time_to_numb_s / 60);
            else
                snprintf(when, sizeof when, "not within 8 h");
            if (mn_findings_add(
                    &r->findings, numb->severity, numb->name, (int)x->first_session + 1,
                    zone, numb->source, "%s (%s at %s: numb %s, left on %.0f min)",
                    numb->message, x->compound->name, x->site, when, x->contact_s / 60))
                return MN_ENOMEM;
        }
        if (into && !into_done && x->role == MN_APPLY_SERUM && x->channel_depth_m > 0) {
            double epi = mn_skin_layer_bottom(&c->zones[x->zone].skin,
                                              MN_LAYER_VIABLE_EPIDERMIS);
            if (x->channel_depth_m <= epi)
                continue;
            into_done = 1;
            if (mn_findings_add(&r->findings, into->severity, into->name,
                                (int)x->first_session + 1, zone, into->source,
                                "%s (%s: %.3g x intact skin past the stratum corneum)",
                                into->message, x->compound->name, x->res.enhancement))
                return MN_ENOMEM;
        }
    }
    return MN_OK;
}

mn_status mn_course_deliver(const mn_course *c, mn_course_result *r,
                            const mn_course_deliver_opts *o,
                            const mn_progress *progress, mn_course_deliveries *out,
                            mn_error *err)
{
    memset(out, 0, sizeof *out);
    mn_course_deliver_opts def;
    if (!o) {
        mn_course_deliver_opts_default(&def);
        o = &def;
    }
    if (o->grid < 0 || o->grid >= MN_GRID_COUNT)
        return mn_error_set(err, MN_EINVAL, "delivery: unknown grid level %d", o->grid);
    out->grid = o->grid;
    double t0 = now_s();
    size_t cap = 0;
    const mn_topical *t[2] = {&c->protocol.anaesthetic, &c->protocol.serum};
    mn_status st = MN_OK;
    for (int role = 0; role < 2 && !st; role++) {
        if (!t[role]->compound)
            continue;
        const mn_compound *cp;
        if ((st = mn_compound_find(&c->compounds, t[role]->compound, &cp, err)))
            break;
        st = role == MN_APPLY_ANAESTHETIC ? anaesthetic_cases(c, r, cp, out, &cap)
                                          : serum_cases(c, r, cp, out, &cap);
        if (st == MN_ENOMEM)
            mn_error_set(err, st, "out of memory");
    }
    for (size_t i = 0; !st && i < out->count; i++) {
        out->items[i].n_sessions = count_sessions(c, r, &out->items[i]);
        fit_channels(&out->items[i]);
    }
    if (st) {
        mn_course_deliveries_free(out);
        return st;
    }
    if (mn_progress_report(progress, 0.0, "deliver")) {
        mn_course_deliveries_free(out);
        return mn_error_set(err, MN_ECANCEL, "cancelled");
    }
    /* The cases run side by side, each in one thread: a case's result does
     * not depend on which thread ran it. */
    size_t done = 0;
    int cancel = 0;
    long n = (long)out->count;
    int nth = o->threads > 0 ? o->threads : 0;
#ifdef _OPENMP
    if (!nth)
        nth = omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nth > 0 ? nth : 1)
#endif
    for (long i = 0; i < n; i++) {
        int stop;
#ifdef _OPENMP
#pragma omp atomic read
#endif
        stop = cancel;
        if (stop)
            continue;
        run_case(c, o, &out->items[i]);
#ifdef _OPENMP
#pragma omp critical(mn_course_deliver_progress)
#endif
        {
            done++;
            if (mn_progress_report(progress, (double)done / (double)n, "deliver"))
                cancel = 1;
        }
    }
    (void)nth;
    if (cancel) {
        mn_course_deliveries_free(out);
        return mn_error_set(err, MN_ECANCEL, "cancelled");
    }
    for (size_t i = 0; i < out->count; i++)
        if (out->items[i].status != MN_OK) {
            st = mn_error_set(err, out->items[i].status, "delivery: %s",
                              out->items[i].message);
            mn_course_deliveries_free(out);
            return st;
        }
    if ((st = stage_findings(c, r, out))) {
        mn_course_deliveries_free(out);
        return mn_error_set(err, st, "out of memory");
    }
    out->seconds = now_s() - t0;
    return MN_OK;
}
