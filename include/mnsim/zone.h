/* mnsim: treatment zones of the face and body, with outlines and areas
 * (floor: therapy; read from data/zones.yaml by mnsim/zones.h).
 *
 * A zone is an outline (a polygon, in m on a chart: face or body), the skin
 * site whose layers it has (data/sites.yaml) and its provenance. Groups
 * ("full-face") name lists of zones that are treated together.
 *
 * Thread safety: reentrant: calls on distinct objects may run in parallel, and const
 * inputs may be shared read-only between threads. */
#ifndef MNSIM_ZONE_H
#define MNSIM_ZONE_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/roll.h"
#include "mnsim/skin.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_CHART_FACE = 0, MN_CHART_BODY } mn_chart;

/* Name of a chart ("face", "body"). */
const char *mn_chart_name(int chart);

typedef struct {
    char *name;
    char *label;
    char *site;     /* a site name of data/sites.yaml */
    int chart;      /* mn_chart */
    double *x_m, *y_m; /* outline, n points, as written */
    size_t n;
    double area_m2; /* from the polygon */
    char *source;
    mn_strings typical;
    char *notes;
} mn_zone;

typedef struct {
    char *name;
    char *label;
    mn_strings zones; /* zone names */
    char *notes;
} mn_zone_group;

typedef struct {
    mn_zone *items;
    size_t count;
    mn_zone_group *groups;
    size_t n_groups;
} mn_zone_list;

/* Free what a list owns (not l itself); l may be NULL. */
void mn_zone_list_free(mn_zone_list *l);

/* The zone named name, or NULL. */
const mn_zone *mn_zone_find(const mn_zone_list *l, const char *name);

/* The zones a name stands for: one zone, or the zones of a group. *idx
 * (malloc'd, caller frees) gets indices into l->items, *n their count and
 * *label (may be NULL) the zone's or group's label. Errors: MN_ENOTFOUND
 * listing the names, MN_ENOMEM. */
mn_status mn_zones_select(const mn_zone_list *l, const char *name, size_t **idx,
                          size_t *n, const char **label, mn_error *err);

/* Check that every zone's site is in the site atlas. MN_ENOTFOUND naming
 * the first zone whose site is unknown. */
mn_status mn_zones_check_sites(const mn_zone_list *l, const mn_site_list *sites,
                               mn_error *err);

/* Area (m^2) where two outlines overlap, estimated on a grid of cell_m. */
double mn_zone_overlap_area(const mn_zone *a, const mn_zone *b, double cell_m);

#ifdef __cplusplus
}
#endif
#endif
