/* Treatment zones: lookup, groups, overlap (the outlines are read from
 * data/zones.yaml by src/data/zones.c). */
#include "mnsim/zone.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mn_chart_name(int chart)
{
    return chart == MN_CHART_BODY ? "body" : chart == MN_CHART_FACE ? "face" : "unknown";
}

double mn_zone_overlap_area(const mn_zone *a, const mn_zone *b, double cell_m)
{
    double ax0 = INFINITY, ax1 = -INFINITY, ay0 = INFINITY, ay1 = -INFINITY;
    double bx0 = INFINITY, bx1 = -INFINITY, by0 = INFINITY, by1 = -INFINITY;
    for (size_t i = 0; i < a->n; i++) {
        ax0 = fmin(ax0, a->x_m[i]);
        ax1 = fmax(ax1, a->x_m[i]);
        ay0 = fmin(ay0, a->y_m[i]);
        ay1 = fmax(ay1, a->y_m[i]);
    }
    for (size_t i = 0; i < b->n; i++) {
        bx0 = fmin(bx0, b->x_m[i]);
        bx1 = fmax(bx1, b->x_m[i]);
        by0 = fmin(by0, b->y_m[i]);
        by1 = fmax(by1, b->y_m[i]);
    }
    double x0 = fmax(ax0, bx0), x1 = fmin(ax1, bx1);
    double y0 = fmax(ay0, by0), y1 = fmin(ay1, by1);
    if (!(x0 < x1 && y0 < y1) || !(cell_m > 0))
        return 0;
    double nx = ceil((x1 - x0) / cell_m), ny = ceil((y1 - y0) / cell_m);
    while (nx * ny > 4e6) {
        cell_m *= 2;
        nx = ceil((x1 - x0) / cell_m);
        ny = ceil((y1 - y0) / cell_m);
    }
    size_t both = 0;
    for (double j = 0; j < ny; j++)
        for (double i = 0; i < nx; i++) {
            double px = x0 + (i + 0.5) * cell_m, py = y0 + (j + 0.5) * cell_m;
            if (mn_roll_point_in_polygon(a->x_m, a->y_m, a->n, px, py) &&
                mn_roll_point_in_polygon(b->x_m, b->y_m, b->n, px, py))
                both++;
        }
    return (double)both * cell_m * cell_m;
}

static void zone_free(mn_zone *z)
{
    free(z->name);
    free(z->label);
    free(z->site);
    free(z->x_m);
    free(z->y_m);
    free(z->source);
    free(z->notes);
    mn_strings_free(&z->typical);
    memset(z, 0, sizeof *z);
}

void mn_zone_list_free(mn_zone_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        zone_free(&l->items[i]);
    for (size_t i = 0; i < l->n_groups; i++) {
        free(l->groups[i].name);
        free(l->groups[i].label);
        free(l->groups[i].notes);
        mn_strings_free(&l->groups[i].zones);
    }
    free(l->items);
    free(l->groups);
    memset(l, 0, sizeof *l);
}

const mn_zone *mn_zone_find(const mn_zone_list *l, const char *name)
{
    for (size_t i = 0; l && name && i < l->count; i++)
        if (!strcmp(l->items[i].name, name))
            return &l->items[i];
    return NULL;
}

mn_status mn_zones_select(const mn_zone_list *l, const char *name, size_t **idx,
                          size_t *n, const char **label, mn_error *err)
{
    *idx = NULL;
    *n = 0;
    if (label)
        *label = NULL;
    for (size_t i = 0; l && name && i < l->count; i++)
        if (!strcmp(l->items[i].name, name)) {
            if (!(*idx = malloc(sizeof(size_t))))
                return mn_error_set(err, MN_ENOMEM, "out of memory");
            **idx = i;
            *n = 1;
            if (label)
                *label = l->items[i].label;
            return MN_OK;
        }
    for (size_t g = 0; l && name && g < l->n_groups; g++) {
        const mn_zone_group *G = &l->groups[g];
        if (strcmp(G->name, name))
            continue;
        *idx = malloc((G->zones.count ? G->zones.count : 1) * sizeof(size_t));
        if (!*idx)
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        for (size_t k = 0; k < G->zones.count; k++) {
            const mn_zone *z = mn_zone_find(l, G->zones.items[k]);
            if (!z) {
                free(*idx);
                *idx = NULL;
                return mn_error_set(err, MN_ENOTFOUND,
                                    "group '%s' names an unknown zone '%s'",
                                    G->name, G->zones.items[k]);
            }
            (*idx)[(*n)++] = (size_t)(z - l->items);
        }
        if (label)
            *label = G->label;
        return MN_OK;
    }
    char names[1024] = "";
    size_t used = 0;
    for (size_t g = 0; l && g < l->n_groups && used < sizeof names - 64; g++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 used ? ", " : "", l->groups[g].name);
    for (size_t i = 0; l && i < l->count && used < sizeof names - 64; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 used ? ", " : "", l->items[i].name);
    return mn_error_set(err, MN_ENOTFOUND, "no zone or group named '%s'; known: %s",
                        name ? name : "", names);
}

mn_status mn_zones_check_sites(const mn_zone_list *l, const mn_site_list *sites,
                               mn_error *err)
{
    for (size_t i = 0; l && i < l->count; i++) {
        const mn_site *s = NULL;
        mn_error e;
        mn_error_clear(&e);
        if (mn_site_find(sites, l->items[i].site, &s, &e) != MN_OK)
            return mn_error_set(err, MN_ENOTFOUND, "zone '%s': %s", l->items[i].name,
                                e.message);
    }
    return MN_OK;
}
