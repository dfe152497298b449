/* Rolling patterns and parameters (floor: model; docs/model.md, "Rolling"):
 * the named patterns of stroke directions and their passes, the names of
 * directions, and the parameters of a session (the hand's jitter, phase,
 * slip, speed and depths) with their defaults and checks. Pure computation:
 * no I/O, never prints. */
#include "mnsim/roll.h"

#include <math.h>
#include <stdio.h> /* snprintf only: the model floor does no I/O */
#include <string.h>

#include "roll_internal.h"

/* ---- patterns ----------------------------------------------------------- */

typedef struct {
    const char *name, *help;
    int n;
    double a[4];
} named_pattern;

static const named_pattern patterns[] = {
    {"vertical",
     "every pass vertical (along the zone chart's y axis)",
     1,
     {MN_ROLL_VERTICAL}},
    {"horizontal", "every pass horizontal", 1, {MN_ROLL_HORIZONTAL}},
    {"diagonal", "every pass diagonal (up and to the right)", 1, {MN_ROLL_DIAGONAL}},
    {"antidiagonal", "every pass along the other diagonal", 1, {MN_ROLL_ANTIDIAGONAL}},
    {"vertical-then-horizontal",
     "the seed's instructions: first vertically, then horizontally",
     2,
     {MN_ROLL_VERTICAL, MN_ROLL_HORIZONTAL}},
    {"horizontal-then-vertical",
     "first horizontally, then vertically",
     2,
     {MN_ROLL_HORIZONTAL, MN_ROLL_VERTICAL}},
    {"diagonals",
     "both diagonals, one after the other",
     2,
     {MN_ROLL_DIAGONAL, MN_ROLL_ANTIDIAGONAL}},
    {"four-direction",
     "the common clinical pattern: vertical, horizontal, then both diagonals",
     4,
     {MN_ROLL_VERTICAL, MN_ROLL_HORIZONTAL, MN_ROLL_DIAGONAL, MN_ROLL_ANTIDIAGONAL}},
};
#define N_PATTERNS (sizeof patterns / sizeof patterns[0])

size_t mn_roll_pattern_count(void)
{
    return N_PATTERNS;
}

const char *mn_roll_pattern_name(size_t i)
{
    return i < N_PATTERNS ? patterns[i].name : NULL;
}

const char *mn_roll_pattern_help(size_t i)
{
    return i < N_PATTERNS ? patterns[i].help : NULL;
}

int mn_roll_pattern_total(const mn_roll_pattern *p)
{
    int t = 0;
    for (int i = 0; p && i < p->n_dirs && i < MN_ROLL_MAX_DIRS; i++)
        t += p->passes[i] > 0 ? p->passes[i] : 0;
    return t;
}

mn_status mn_roll_pattern_rescale(const mn_roll_pattern *shape, int total_passes,
                                  mn_roll_pattern *out, mn_error *err)
{
    if (!shape || shape->n_dirs < 1 || shape->n_dirs > MN_ROLL_MAX_DIRS)
        return mn_error_set(err, MN_EINVAL, "a pattern needs 1 to %d directions",
                            MN_ROLL_MAX_DIRS);
    if (total_passes < 1 || total_passes > MN_ROLL_MAX_PASSES)
        return mn_error_set(err, MN_EINVAL, "passes must be 1 to %d, not %d",
                            MN_ROLL_MAX_PASSES, total_passes);
    mn_roll_pattern p = *shape;
    int base = total_passes / p.n_dirs, rem = total_passes % p.n_dirs;
    for (int i = 0; i < p.n_dirs; i++)
        p.passes[i] = base + (i < rem);
    *out = p;
    return MN_OK;
}

mn_status mn_roll_pattern_make(const char *name, int total_passes, mn_roll_pattern *out,
                               mn_error *err)
{
    for (size_t i = 0; name && i < N_PATTERNS; i++)
        if (!strcmp(patterns[i].name, name)) {
            mn_roll_pattern shape;
            memset(&shape, 0, sizeof shape);
            shape.n_dirs = patterns[i].n;
            for (int k = 0; k < shape.n_dirs; k++)
                shape.angle_rad[k] = patterns[i].a[k];
            return mn_roll_pattern_rescale(&shape, total_passes, out, err);
        }
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < N_PATTERNS; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 i ? ", " : "", patterns[i].name);
    return mn_error_set(err, MN_ENOTFOUND, "no pattern named '%s'; patterns: %s",
                        name ? name : "", names);
}

const char *mn_roll_direction_name(double a)
{
    double m = fmod(a, MN_PI);
    if (m < 0)
        m += MN_PI;
    static const struct {
        double a;
        const char *n;
    } d[] = {{MN_ROLL_HORIZONTAL, "horizontal"},
             {MN_ROLL_VERTICAL, "vertical"},
             {MN_ROLL_DIAGONAL, "diagonal"},
             {MN_ROLL_ANTIDIAGONAL, "antidiagonal"},
             {MN_PI, "horizontal"}};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (fabs(m - d[i].a) < 1e-9)
            return d[i].n;
    return "other";
}

/* ---- parameters --------------------------------------------------------- */

void mn_roll_params_default(mn_roll_params *p)
{
    memset(p, 0, sizeof *p);
    p->pattern.n_dirs = 1;
    p->pattern.angle_rad[0] = MN_ROLL_VERTICAL;
    p->pattern.passes[0] = 1;
    p->overlap = 0;
    p->lateral_jitter_m = 2e-3;
    p->along_jitter_m = 2e-3;
    p->angle_jitter_rad = 2 * MN_PI / 180;
    p->random_pass_offset = 1;
    p->random_phase = 1;
    p->phase_rad = 0;
    p->slip = 0;
    p->slip_sd = 0;
    p->ring_stagger = 0;
    p->stamp_jitter_m = 0.5e-3;
    p->hand_speed_m_s = 0.02;
    p->depth_mean_m = 0;
    p->depth_sd_m = 0;
    p->seed = 1;
}

void mn_roll_params_no_jitter(mn_roll_params *p)
{
    p->lateral_jitter_m = 0;
    p->along_jitter_m = 0;
    p->angle_jitter_rad = 0;
    p->random_pass_offset = 0;
    p->slip = 0;
    p->slip_sd = 0;
    p->stamp_jitter_m = 0;
}

mn_status mn_roll_params_validate(const mn_roll_params *p, mn_error *err)
{
    if (!p)
        return mn_error_set(err, MN_EINVAL, "no rolling parameters");
    const mn_roll_pattern *pt = &p->pattern;
    if (pt->n_dirs < 1 || pt->n_dirs > MN_ROLL_MAX_DIRS)
        return mn_error_set(err, MN_EINVAL, "pattern: 1 to %d directions",
                            MN_ROLL_MAX_DIRS);
    for (int i = 0; i < pt->n_dirs; i++) {
        if (!isfinite(pt->angle_rad[i]))
            return mn_error_set(err, MN_EINVAL, "pattern: direction %d is not finite",
                                i);
        if (pt->passes[i] < 0)
            return mn_error_set(err, MN_EINVAL, "pattern: negative passes");
    }
    int total = mn_roll_pattern_total(pt);
    if (total < 1 || total > MN_ROLL_MAX_PASSES)
        return mn_error_set(err, MN_EINVAL, "passes must be 1 to %d in all, not %d",
                            MN_ROLL_MAX_PASSES, total);
    struct {
        const char *name;
        double v, lo, hi;
        const char *range;
    } r[] = {
        {"overlap", p->overlap, 0, 0.9, "0-0.9"},
        {"lateral jitter", p->lateral_jitter_m, 0, 0.05, "0-50 mm"},
        {"along jitter", p->along_jitter_m, 0, 0.05, "0-50 mm"},
        {"angle jitter", p->angle_jitter_rad, 0, MN_PI / 4, "0-45 deg"},
        {"phase", p->phase_rad, -1e3, 1e3, "a finite angle"},
        {"slip", p->slip, -0.5, 0.5, "-0.5 to 0.5"},
        {"slip SD", p->slip_sd, 0, 0.2, "0-0.2"},
        {"ring stagger", p->ring_stagger, 0, 1, "0-1"},
        {"stamp jitter", p->stamp_jitter_m, 0, 0.01, "0-10 mm"},
        {"hand speed", p->hand_speed_m_s, 1e-4, 1, "0.1 mm/s to 1 m/s"},
        {"depth", p->depth_mean_m, 0, 0.01, "0-10 mm"},
        {"depth SD", p->depth_sd_m, 0, 0.01, "0-10 mm"},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (!roll_in_range(r[i].v, r[i].lo, r[i].hi))
            return mn_error_set(err, MN_EINVAL, "%s must be %s", r[i].name, r[i].range);
    return MN_OK;
}
