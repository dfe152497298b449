/* Treatment zones: data/zones.yaml (kind: zones). */
#include "mnsim/zones.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM 1e-3
#define MAX_POINTS 10000

/* ---- schema ----------------------------------------------------------- */

typedef struct {
    char *name, *label, *site;
    int chart;
    mn_strings outline;
    char *source;
    mn_strings typical;
    char *notes;
} zone_rec;

typedef struct {
    char *name, *label;
    mn_strings zones;
    char *notes;
} group_rec;

typedef struct {
    mn_table zones;
    mn_table groups;
} zones_file;

static const char *const charts[] = {"face", "body", NULL};

#define ZF(k, t, req, member, help)                                           \
    {k, t, MN_UNIT_NONE, NULL, 0, 0, req, offsetof(zone_rec, member), NULL, NULL, help}

static const mn_field zone_fields[] = {
    ZF("name", MN_FIELD_STRING, 1, name, "zone id, e.g. left-cheek"),
    ZF("label", MN_FIELD_STRING, 0, label, "human-readable name"),
    ZF("site", MN_FIELD_STRING, 1, site,
       "the skin site (a name in sites.yaml) whose layers the zone has"),
    {"chart", MN_FIELD_ENUM, MN_UNIT_NONE, NULL, 0, 0, 1, offsetof(zone_rec, chart),
     charts, NULL, "face or body: the chart the outline is drawn on"},
    ZF("outline", MN_FIELD_STRINGS, 1, outline,
       "polygon of points \"x mm, y mm\" in order around the zone"),
    ZF("source", MN_FIELD_STRING, 1, source, "where the outline comes from"),
    ZF("typical", MN_FIELD_STRINGS, 0, typical,
       "keys whose values are typical rather than sourced"),
    ZF("notes", MN_FIELD_STRING, 0, notes, "free text"),
};
#define N_ZONE_FIELDS (sizeof zone_fields / sizeof zone_fields[0])

static void zone_rec_init(void *rec)
{
    memset(rec, 0, sizeof(zone_rec));
}

mn_status mn_zone_parse_point(const char *text, double *x_m, double *y_m,
                              mn_error *err)
{
    const char *comma = text ? strchr(text, ',') : NULL;
    if (!comma || strchr(comma + 1, ','))
        return mn_error_set(err, MN_EINVAL,
                            "'%s' is not a point: write it as \"x mm, y mm\"",
                            text ? text : "");
    char xs[128];
    size_t n = (size_t)(comma - text);
    if (n >= sizeof xs)
        return mn_error_set(err, MN_EINVAL, "'%s' is too long for a point", text);
    memcpy(xs, text, n);
    xs[n] = '\0';
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(xs, MN_UNIT_LENGTH, x_m, &e) != MN_OK ||
        mn_units_parse(comma + 1, MN_UNIT_LENGTH, y_m, &e) != MN_OK)
        return mn_error_set(err, MN_EINVAL,
                            "'%s' is not a point \"x mm, y mm\": %s", text,
                            e.message);
    if (fabs(*x_m) > 10 || fabs(*y_m) > 10)
        return mn_error_set(err, MN_EINVAL,
                            "'%s': coordinates must be within 10 m of the origin",
                            text);
    return MN_OK;
}

/* Parse an outline; reports each bad point. Returns 1 when all are good and
 * fills x, y (caller's arrays of outline->count). */
static int parse_outline(const mn_strings *o, double *x, double *y,
                         const mn_loc *loc, mn_diags *diags)
{
    int ok = 1;
    for (size_t i = 0; i < o->count; i++) {
        mn_error e;
        mn_error_clear(&e);
        if (mn_zone_parse_point(o->items[i], &x[i], &y[i], &e) != MN_OK) {
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "outline[%zu]: %s", i, e.message);
            ok = 0;
        }
    }
    return ok;
}

static void zone_check(void *rec, const mn_loc *loc, int fields_ok,
                       mn_diags *diags)
{
    zone_rec *z = rec;
    for (size_t i = 0; i < z->typical.count; i++) {
        int known = 0;
        for (size_t k = 0; k < N_ZONE_FIELDS; k++)
            if (!strcmp(zone_fields[k].key, z->typical.items[i]))
                known = 1;
        if (!known)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "typical: '%s' is not a zone key", z->typical.items[i]);
    }
    if (!fields_ok || z->outline.count == 0)
        return;
    if (z->outline.count < 3 || z->outline.count > MAX_POINTS) {
        mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                        "outline: a zone needs 3 to %d points, found %zu",
                        MAX_POINTS, z->outline.count);
        return;
    }
    double *x = malloc(z->outline.count * sizeof(double));
    double *y = malloc(z->outline.count * sizeof(double));
    if (!x || !y) {
        free(x);
        free(y);
        mn_input_report(diags, MN_SEV_ERROR, MN_ENOMEM, loc, "out of memory");
        return;
    }
    if (parse_outline(&z->outline, x, y, loc, diags)) {
        mn_error e;
        mn_error_clear(&e);
        if (mn_roll_polygon_check(x, y, z->outline.count, &e) != MN_OK)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc, "outline: %s",
                            e.message);
    }
    free(x);
    free(y);
}

static const mn_schema zone_schema = {
    "zone", zone_fields, N_ZONE_FIELDS, sizeof(zone_rec), zone_rec_init, NULL,
    zone_check, "name", NULL};

#define GF(k, t, req, member, help)                                           \
    {k, t, MN_UNIT_NONE, NULL, 0, 0, req, offsetof(group_rec, member), NULL, NULL, help}

static const mn_field group_fields[] = {
    GF("name", MN_FIELD_STRING, 1, name, "group id, e.g. full-face"),
    GF("label", MN_FIELD_STRING, 0, label, "human-readable name"),
    GF("zones", MN_FIELD_STRINGS, 1, zones, "the zone names in the group"),
    GF("notes", MN_FIELD_STRING, 0, notes, "free text"),
};

static void group_rec_init(void *rec)
{
    memset(rec, 0, sizeof(group_rec));
}

static const mn_schema group_schema = {
    "zone group", group_fields, sizeof group_fields / sizeof group_fields[0],
    sizeof(group_rec), group_rec_init, NULL, NULL, "name", NULL};

/* A parsed zone of the file, for the cross-zone checks. */
static int zone_from_rec(const zone_rec *r, mn_zone *z)
{
    memset(z, 0, sizeof *z);
    size_t n = r->outline.count;
    if (n < 3)
        return 0;
    z->x_m = malloc(n * sizeof(double));
    z->y_m = malloc(n * sizeof(double));
    if (!z->x_m || !z->y_m)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (mn_zone_parse_point(r->outline.items[i], &z->x_m[i], &z->y_m[i], NULL) !=
            MN_OK)
            return 0;
    z->n = n;
    if (mn_roll_polygon_check(z->x_m, z->y_m, n, NULL) != MN_OK)
        return 0;
    z->area_m2 = fabs(mn_roll_polygon_area(z->x_m, z->y_m, n));
    z->chart = r->chart;
    return 1;
}

static void zones_file_check(void *rec, const mn_loc *loc, int fields_ok,
                             mn_diags *diags)
{
    zones_file *f = rec;
    const zone_rec *zr = f->zones.items;
    const group_rec *gr = f->groups.items;
    for (size_t g = 0; g < f->groups.count; g++) {
        for (size_t k = 0; k < f->zones.count; k++)
            if (gr[g].name && zr[k].name && !strcmp(gr[g].name, zr[k].name))
                mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                                "groups[%zu]: '%s' is the name of a zone too",
                                g, gr[g].name);
        for (size_t m = 0; m < gr[g].zones.count; m++) {
            int found = 0;
            for (size_t k = 0; k < f->zones.count; k++)
                if (zr[k].name && !strcmp(zr[k].name, gr[g].zones.items[m]))
                    found = 1;
            if (!found)
                mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                                "groups[%zu].zones: no zone named '%s'", g,
                                gr[g].zones.items[m]);
        }
    }
    if (!fields_ok)
        return;
    /* Zones treated together must not overlap. */
    for (size_t g = 0; g < f->groups.count; g++) {
        size_t n = gr[g].zones.count;
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++) {
                const zone_rec *ra = NULL, *rb = NULL;
                for (size_t k = 0; k < f->zones.count; k++) {
                    if (!zr[k].name)
                        continue;
                    if (!strcmp(zr[k].name, gr[g].zones.items[a]))
                        ra = &zr[k];
                    if (!strcmp(zr[k].name, gr[g].zones.items[b]))
                        rb = &zr[k];
                }
                if (!ra || !rb)
                    continue;
                if (ra == rb) {
                    mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                                    "groups[%zu]: zone '%s' is listed twice", g,
                                    ra->name);
                    continue;
                }
                mn_zone za, zb;
                memset(&za, 0, sizeof za);
                memset(&zb, 0, sizeof zb);
                int ok = zone_from_rec(ra, &za);
                ok = zone_from_rec(rb, &zb) && ok;
                if (ok && za.chart != zb.chart)
                    mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                                    "groups[%zu]: zones '%s' and '%s' are on "
                                    "different charts",
                                    g, ra->name, rb->name);
                else if (ok) {
                    double ov = mn_zone_overlap_area(&za, &zb, 0.5 * MM);
                    if (ov > 1e-6)
                        mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                                        "groups[%zu] (%s): zones '%s' and '%s' "
                                        "overlap by about %.0f mm2",
                                        g, gr[g].name, ra->name, rb->name, ov * 1e6);
                }
                free(za.x_m);
                free(za.y_m);
                free(zb.x_m);
                free(zb.y_m);
            }
    }
}

static const mn_field zones_file_fields[] = {
    {"zones", MN_FIELD_TABLE, MN_UNIT_NONE, NULL, 0, 0, 1,
     offsetof(zones_file, zones), NULL, &zone_schema, "the list of zones"},
    {"groups", MN_FIELD_TABLE, MN_UNIT_NONE, NULL, 0, 0, 0,
     offsetof(zones_file, groups), NULL, &group_schema,
     "named lists of zones treated together"},
};

const mn_schema mn_schema_zones_file = {
    "zones file", zones_file_fields, 2, sizeof(zones_file), NULL, NULL,
    zones_file_check, NULL, "zones"};

/* ---- loading ---------------------------------------------------------- */

mn_status mn_zones_load(const char *path, mn_zone_list *out, mn_diags *diags,
                        mn_error *err)
{
    memset(out, 0, sizeof *out);
    zones_file f;
    memset(&f, 0, sizeof f);
    mn_status st = mn_input_read_file(path, &mn_schema_zones_file, &f, diags, err);
    if (st != MN_OK) {
        mn_schema_clear(&mn_schema_zones_file, &f);
        return st;
    }
    size_t nz = f.zones.count, ng = f.groups.count;
    out->items = calloc(nz ? nz : 1, sizeof(mn_zone));
    out->groups = calloc(ng ? ng : 1, sizeof(mn_zone_group));
    if (!out->items || !out->groups) {
        mn_schema_clear(&mn_schema_zones_file, &f);
        free(out->items);
        free(out->groups);
        memset(out, 0, sizeof *out);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    zone_rec *zr = f.zones.items;
    group_rec *gr = f.groups.items;
    for (size_t i = 0; i < nz; i++) {
        mn_zone *z = &out->items[i];
        if (!zone_from_rec(&zr[i], z)) {
            out->count = i + 1;
            mn_schema_clear(&mn_schema_zones_file, &f);
            mn_zone_list_free(out);
            return mn_error_set(err, MN_ENOMEM, "out of memory");
        }
        /* Move the strings over (the records are cleared below). */
        z->name = zr[i].name;
        z->label = zr[i].label;
        z->site = zr[i].site;
        z->source = zr[i].source;
        z->notes = zr[i].notes;
        z->typical = zr[i].typical;
        zr[i].name = zr[i].label = zr[i].site = zr[i].source = zr[i].notes = NULL;
        zr[i].typical.items = NULL;
        zr[i].typical.count = 0;
    }
    out->count = nz;
    for (size_t g = 0; g < ng; g++) {
        out->groups[g].name = gr[g].name;
        out->groups[g].label = gr[g].label;
        out->groups[g].notes = gr[g].notes;
        out->groups[g].zones = gr[g].zones;
        gr[g].name = gr[g].label = gr[g].notes = NULL;
        gr[g].zones.items = NULL;
        gr[g].zones.count = 0;
    }
    out->n_groups = ng;
    mn_schema_clear(&mn_schema_zones_file, &f);
    return MN_OK;
}

