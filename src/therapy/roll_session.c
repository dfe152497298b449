/* One rolling session as a user asks for it: the parameters from a setup,
 * the regions of a zone, group or rectangle, the depth at each zone's site,
 * the metrics and targets per zone (see mnsim/roll_session.h). */
#include "mnsim/roll_session.h"

#include "mnsim/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mn_roll_setup_default(mn_roll_setup *s)
{
    memset(s, 0, sizeof *s);
    s->pattern = "vertical-then-horizontal";
    s->passes = 15;
    s->overlap = NAN;
    s->lateral_jitter_m = NAN;
    s->along_jitter_m = NAN;
    s->angle_jitter_rad = NAN;
    s->slip = NAN;
    s->hand_speed_m_s = NAN;
    s->random_phase = 1;
    s->phase_rad = NAN;
    s->seed = 1;
}

/* A number the setup gives replaces the default; NaN keeps it. */
static void take(double *field, double given)
{
    if (!isnan(given))
        *field = given;
}

mn_status mn_roll_setup_params(const mn_roll_setup *s, mn_roll_params *out,
                               mn_error *err)
{
    mn_roll_params_default(out);
    if (s->no_jitter)
        mn_roll_params_no_jitter(out);
    take(&out->overlap, s->overlap);
    take(&out->lateral_jitter_m, s->lateral_jitter_m);
    take(&out->along_jitter_m, s->along_jitter_m);
    take(&out->angle_jitter_rad, s->angle_jitter_rad);
    take(&out->slip, s->slip);
    take(&out->hand_speed_m_s, s->hand_speed_m_s);
    out->random_phase = s->random_phase;
    take(&out->phase_rad, s->phase_rad);
    out->seed = s->seed;
    /* The pattern's directions first, then its passes: a number per
     * direction needs to know how many directions there are. */
    mn_roll_pattern shape;
    mn_status st = mn_roll_pattern_make(s->pattern, 1, &shape, err);
    if (st != MN_OK)
        return st;
    int total = s->passes_per_direction > 0 ? s->passes_per_direction * shape.n_dirs
                                            : s->passes;
    if (total > MN_ROLL_MAX_PASSES)
        return mn_error_set(err, MN_ERANGE, "at most %d passes in all",
                            MN_ROLL_MAX_PASSES);
    if ((st = mn_roll_pattern_rescale(&shape, total, &out->pattern, err)) != MN_OK)
        return st;
    return mn_roll_params_validate(out, err);
}

static mn_status session_alloc(mn_roll_session *s, size_t n, mn_error *err)
{
    /* calloc(0) may give NULL: keep one slot so an empty group is not
     * mistaken for a lack of memory. */
    s->count = n;
    s->regions = calloc(n ? n : 1, sizeof *s->regions);
    s->zones = calloc(n ? n : 1, sizeof *s->zones);
    if (!s->regions || !s->zones) {
        mn_roll_session_free(s);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        s->zones[k].achieved = NAN;
        s->regions[k].depth_mean_m = NAN;
        s->regions[k].depth_sd_m = NAN;
    }
    return MN_OK;
}

mn_status mn_roll_session_zones(const mn_zone_list *zl, const char *name,
                                const char *site, mn_roll_session *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    size_t *idx = NULL, n = 0;
    const char *label = NULL;
    mn_status st = mn_zones_select(zl, name, &idx, &n, &label, err);
    if (st != MN_OK)
        return st;
    if ((st = session_alloc(out, n, err)) != MN_OK) {
        free(idx);
        return st;
    }
    out->where = name;
    out->label = label;
    for (size_t k = 0; k < n; k++) {
        const mn_zone *z = &zl->items[idx[k]];
        out->regions[k].name = z->name;
        out->regions[k].x_m = z->x_m;
        out->regions[k].y_m = z->y_m;
        out->regions[k].n = z->n;
        out->zones[k].name = z->name;
        out->zones[k].label = z->label;
        out->zones[k].site = site ? site : z->site;
    }
    free(idx);
    return MN_OK;
}

mn_status mn_roll_area_parse(const char *text, double *width_m, double *height_m,
                             mn_error *err)
{
    const char *x = text + strcspn(text, "xX*");
    if (!*x)
        return mn_error_set(err, MN_EINVAL,
                            "write the size as \"20 cm x 20 cm\" or \"20x20 cm\", "
                            "not '%s'",
                            text);
    char a[128], b[128];
    size_t na = (size_t)(x - text);
    if (na >= sizeof a || strlen(x + 1) >= sizeof b)
        return mn_error_set(err, MN_EINVAL, "'%s' is too long", text);
    memcpy(a, text, na);
    a[na] = '\0';
    snprintf(b, sizeof b, "%s", x + 1);
    mn_status st;
    if ((st = mn_units_parse(b, MN_UNIT_LENGTH, height_m, err)) != MN_OK)
        return st;
    if (mn_units_parse(a, MN_UNIT_LENGTH, width_m, err) != MN_OK) {
        /* "20 x 15 cm": the first number takes the second's unit. */
        const char *u = b + strlen(b);
        while (u > b &&
               (u[-1] == ' ' || (u[-1] >= 'a' && u[-1] <= 'z') ||
                (u[-1] >= 'A' && u[-1] <= 'Z') || (unsigned char)u[-1] >= 0x80))
            u--;
        char a2[256];
        snprintf(a2, sizeof a2, "%s %s", a, u);
        mn_error_clear(err);
        if ((st = mn_units_parse(a2, MN_UNIT_LENGTH, width_m, err)) != MN_OK)
            return st;
    }
    if (!(*width_m >= 1e-3 && *width_m <= 10 && *height_m >= 1e-3 && *height_m <= 10))
        return mn_error_set(err, MN_EINVAL, "each side must be 1 mm to 10 m");
    return MN_OK;
}

mn_status mn_roll_session_area(double width_m, double height_m, const char *label,
                               const char *site, mn_roll_session *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(width_m > 0 && height_m > 0))
        return mn_error_set(err, MN_EINVAL,
                            "an area needs sides above 0, not %g x %g m", width_m,
                            height_m);
    mn_status st = session_alloc(out, 1, err);
    if (st != MN_OK)
        return st;
    if (!(out->outline = malloc(8 * sizeof *out->outline))) {
        mn_roll_session_free(out);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    double *x = out->outline, *y = out->outline + 4;
    x[0] = 0, y[0] = 0, x[1] = width_m, y[1] = 0;
    x[2] = width_m, y[2] = height_m, x[3] = 0, y[3] = height_m;
    out->where = "area";
    out->regions[0].name = "area";
    out->regions[0].x_m = x;
    out->regions[0].y_m = y;
    out->regions[0].n = 4;
    out->zones[0].name = "area";
    out->zones[0].label = label;
    out->zones[0].site = site ? site : "cheek";
    return MN_OK;
}

mn_status mn_roll_session_depth(mn_roll_session *s, size_t k, const mn_site_list *sites,
                                mn_sex sex, const mn_device *d,
                                const mn_depth_params *dp, double force_n,
                                mn_error *err)
{
    if (k >= s->count)
        return mn_error_set(err, MN_EINVAL, "no zone %zu in a session of %zu", k,
                            s->count);
    mn_roll_zone_row *z = &s->zones[k];
    const mn_site *site;
    mn_skin skin;
    mn_depth_result dr;
    mn_status st;
    if ((st = mn_site_find(sites, z->site, &site, err)) != MN_OK ||
        (st = mn_site_skin(site, sex, &skin, err)) != MN_OK ||
        (st = mn_depth_compute(d, &skin, dp, force_n, &dr, err)) != MN_OK)
        return st;
    /* Where the needles only touch the skin, the map still shows where
     * they land, with no depth. */
    z->punctured = dr.punctured;
    z->depth_m = dr.punctured ? dr.depth_m : 0;
    z->depth_sd_m = dr.punctured ? dr.depth_sd_m : 0;
    z->width_m = dr.width_m;
    s->regions[k].depth_mean_m = z->depth_m;
    s->regions[k].depth_sd_m = z->depth_sd_m;
    return MN_OK;
}

mn_status mn_roll_session_metrics(mn_roll_session *s, const mn_roll_result *r,
                                  const mn_roll_metrics_opts *o, double hit_radius_m,
                                  mn_error *err)
{
    mn_roll_metrics_opts mo = *o;
    for (size_t k = 0; k < s->count; k++) {
        mn_roll_zone_row *z = &s->zones[k];
        /* Two channels coincide when their centres are closer than the
         * channel's width at the surface. */
        mo.hit_radius_m = !isnan(hit_radius_m) ? hit_radius_m
                          : z->width_m > 0     ? z->width_m
                                               : 0.1e-3;
        z->hit_radius_m = mo.hit_radius_m;
        mn_status st =
            mn_roll_metrics_compute(r, k, &s->regions[k], &mo, &z->metrics, err);
        if (st != MN_OK)
            return st;
        z->passes_needed = 0;
        z->achieved = NAN;
    }
    return MN_OK;
}

mn_status mn_roll_session_targets(mn_roll_session *s, const mn_device *d,
                                  const mn_roll_params *p,
                                  const mn_roll_metrics_opts *o, int kind,
                                  double target, int max_passes, mn_error *err)
{
    for (size_t k = 0; k < s->count; k++) {
        mn_roll_zone_row *z = &s->zones[k];
        mn_status st =
            mn_roll_passes_needed(d, &s->regions[k], p, o, kind, target, max_passes,
                                  &z->passes_needed, &z->achieved, err);
        if (st != MN_OK)
            return st;
    }
    return MN_OK;
}

mn_status mn_roll_session_pattern_need(const mn_roll_session *s, const mn_device *d,
                                       const mn_roll_params *p, size_t pattern,
                                       const mn_roll_metrics_opts *o, int kind,
                                       double target, int max_passes, int *passes,
                                       double *achieved, mn_error *err)
{
    *passes = 0;
    *achieved = NAN;
    const char *name = mn_roll_pattern_name(pattern);
    if (!name)
        return mn_error_set(err, MN_ENOTFOUND, "no pattern number %zu", pattern);
    mn_roll_params q = *p;
    mn_status st = mn_roll_pattern_make(name, 1, &q.pattern, err);
    if (st != MN_OK)
        return st;
    /* The pattern is done when the slowest zone is: once one zone does not
     * get there, the pattern does not. */
    int worst = 0;
    double worst_v = NAN;
    for (size_t k = 0; k < s->count; k++) {
        int n;
        double v;
        st = mn_roll_passes_needed(d, &s->regions[k], &q, o, kind, target, max_passes,
                                   &n, &v, err);
        if (st != MN_OK)
            return st;
        if (n < 0 || (worst >= 0 && n > worst)) {
            worst = n < 0 ? -1 : n;
            worst_v = v;
        }
    }
    *passes = worst;
    *achieved = worst_v;
    return MN_OK;
}

void mn_roll_session_totals(const mn_roll_session *s, const mn_device *d,
                            const mn_roll_params *p, mn_roll_totals *out)
{
    double area = 0, depth_sum = 0;
    size_t punctures = 0;
    for (size_t k = 0; k < s->count; k++) {
        const mn_roll_metrics *m = &s->zones[k].metrics;
        area += m->area_m2;
        punctures += m->punctures;
        if (m->punctures)
            depth_sum += m->depth_mean_m * (double)m->punctures;
    }
    out->area_m2 = area;
    out->punctures = punctures;
    out->depth_mean_m = punctures ? depth_sum / (double)punctures : NAN;
    out->density_per_pass = mn_roll_density_per_pass(d, p);
    out->density_expected =
        mn_roll_density_per_pass(d, p) * mn_roll_pattern_total(&p->pattern);
}

double mn_roll_session_map_radius(const mn_roll_session *s)
{
    if (!s->count || !(s->zones[0].width_m > 0))
        return 0;
    return fmax(0.5 * s->zones[0].width_m, 0.05e-3);
}

void mn_roll_session_free(mn_roll_session *s)
{
    if (!s)
        return;
    free(s->regions);
    free(s->zones);
    free(s->outline);
    memset(s, 0, sizeof *s);
}

double mn_zone_group_area(const mn_zone_list *zl, size_t g)
{
    double a = 0;
    if (!zl || g >= zl->n_groups)
        return 0;
    for (size_t k = 0; k < zl->groups[g].zones.count; k++) {
        const mn_zone *z = mn_zone_find(zl, zl->groups[g].zones.items[k]);
        a += z ? z->area_m2 : 0;
    }
    return a;
}
