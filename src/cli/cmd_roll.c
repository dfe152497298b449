/* mnsim roll: where the needles land over a zone or an area, how dense and
 * even the channels are, and how many passes a target needs. The session
 * itself is mnsim/roll_session.h; this file parses, calls and prints. */
#include "cli.h"
#include "opts.h"
#include "table.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/depth.h"
#include "mnsim/roll.h"
#include "mnsim/roll_io.h"
#include "mnsim/roll_json.h"
#include "mnsim/roll_session.h"
#include "mnsim/zones.h"
#include "mnsim/units.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

typedef struct {
    mn_roll_setup setup;
    const char *device, *zone, *area, *site, *pressure;
    const char *map, *csv, *zones_file;
    int map_mode; /* mn_roll_map_mode; -1: not given */
    mn_sex sex;
    int force, list, compare, threads, have_passes;
    double coverage_radius, hit_radius, grid;
    double target_density, target_coverage; /* NaN: no target */
    int max_passes;
} roll_opts;

/* ---- option parsing ------------------------------------------------------ */

static int parse_pattern(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                         void *dest)
{
    size_t np = mn_roll_pattern_count();
    for (size_t k = 0; k < np; k++)
        if (!strcmp(mn_roll_pattern_name(k), v)) {
            *(const char **)dest = v;
            return CLI_OK;
        }
    char names[512] = "";
    size_t used = 0;
    for (size_t k = 0; k < np && used < sizeof names; k++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 k ? ", " : "", mn_roll_pattern_name(k));
    return cli_usage_error(c, cmd, "%s: no pattern named '%s'; patterns: %s", opt, v,
                           names);
}

/* A length per second: "20 mm/s". */
static int parse_speed(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                       void *dest)
{
    char length[128];
    size_t n = strlen(v);
    if (n < 3 || n >= sizeof length || strcmp(v + n - 2, "/s"))
        return cli_usage_error(
            c, cmd, "%s: write a speed such as \"20 mm/s\", not '%s'", opt, v);
    memcpy(length, v, n - 2);
    length[n - 2] = '\0';
    return cli_parse_quantity(c, cmd, opt, length, MN_UNIT_LENGTH, 1e-4, 1,
                              "0.1 mm/s to 1 m/s", dest);
}

/* "random", or the drum's angle at the start of every stroke. */
static int parse_phase(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                       void *dest)
{
    mn_roll_setup *s = dest;
    if (!strcmp(v, "random")) {
        s->random_phase = 1;
        return CLI_OK;
    }
    s->random_phase = 0;
    return cli_parse_quantity(c, cmd, opt, v, MN_UNIT_ANGLE, -2 * MN_PI, 2 * MN_PI,
                              "-360 to 360 deg", &s->phase_rad);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && !strcmp(s + n - k, suffix);
}

/* Punctures per cm^2, a plain number ("250" or "250/cm2"), into m^-2. */
static int parse_density(cli_ctx *c, const char *cmd, const char *opt, const char *v,
                         void *dest)
{
    /* units-check: input spellings */
    static const char *const units[] = {" /cm2", "/cm2", "/cm^2"};
    /* units-check: end */
    char num[64];
    snprintf(num, sizeof num, "%s", v);
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (has_suffix(num, units[i])) {
            num[strlen(num) - strlen(units[i])] = '\0';
            break;
        }
    double d;
    if (strlen(v) >= sizeof num ||
        cli_parse_number(c, cmd, opt, num, 1e-6, 1e6, "1e-6 to 1e6 punctures/cm2", &d))
        return strlen(v) >= sizeof num
                   ? cli_usage_error(c, cmd, "%s: '%s' is not a density", opt, v)
                   : CLI_USAGE;
    *(double *)dest = d * 1e4;
    return CLI_OK;
}

/* What the options mean together. */
static int check_args(cli_ctx *c, const roll_opts *o)
{
    if (o->zone && o->area)
        return cli_usage_error(c, "roll", "give --zone or --area, not both");
    if (o->setup.passes_per_direction && o->have_passes)
        return cli_usage_error(c, "roll",
                               "give --passes or --passes-per-direction, not both");
    if (o->map && !has_suffix(o->map, ".png") && !has_suffix(o->map, ".svg"))
        return cli_usage_error(c, "roll", "--map must end in .png or .svg");
    if (o->map_mode >= 0 && !o->map)
        return cli_usage_error(c, "roll", "--map-mode needs --map FILE");
    if (o->compare && isnan(o->target_density) && isnan(o->target_coverage))
        return cli_usage_error(
            c, "roll",
            "--compare-patterns needs --target-density or --target-coverage");
    if (!isnan(o->target_density) && !isnan(o->target_coverage))
        return cli_usage_error(
            c, "roll", "give one target: --target-density or --target-coverage");
    if (o->map && o->csv && !strcmp(o->map, o->csv))
        return cli_usage_error(c, "roll", "--map and --csv name the same file");
    return CLI_OK;
}

static int parse_args(cli_ctx *c, int argc, char **argv, roll_opts *o)
{
    static const char *const jitter_names[] = {"default", "none", NULL};
    static const char *const map_mode_names[] = {"auto", "density", "channels", NULL};
    memset(o, 0, sizeof *o);
    mn_roll_setup *s = &o->setup;
    mn_roll_setup_default(s);
    o->device = "roller-192-0.5mm";
    o->pressure = "light";
    o->map_mode = -1;
    o->coverage_radius = 0.5e-3;
    o->hit_radius = NAN;
    o->grid = 1e-3;
    o->target_density = NAN;
    o->target_coverage = NAN;
    o->max_passes = 100;
    const cli_opt opts[] = {
        CLI_STR("--device", &o->device),
        CLI_STR("--zone", &o->zone),
        CLI_STR("--area", &o->area),
        CLI_STR("--site", &o->site),
        CLI_CUSTOM("--pattern", &s->pattern, parse_pattern),
        CLI_STR("--pressure", &o->pressure),
        CLI_STR("--map", &o->map),
        CLI_CHOICE("--map-mode", &o->map_mode, map_mode_names),
        CLI_STR("--csv", &o->csv),
        CLI_STR("--zones", &o->zones_file),
        {.name = "--passes",
         .type = CLI_OPT_INT,
         .dest = &s->passes,
         .seen = &o->have_passes,
         .lo = 1,
         .hi = MN_ROLL_MAX_PASSES},
        CLI_INT("--passes-per-direction", &s->passes_per_direction, 1,
                MN_ROLL_MAX_PASSES),
        CLI_INT("--max-passes", &o->max_passes, 1, MN_ROLL_MAX_PASSES),
        CLI_INT("--threads", &o->threads, 1, 1024),
        CLI_SEX("--sex", &o->sex),
        CLI_SEED("--seed", &s->seed),
        CLI_CHOICE("--jitter", &s->no_jitter, jitter_names),
        CLI_QTY("--overlap", &s->overlap, MN_UNIT_FRACTION, 0, 0.9, "0-0.9 (0-90%)"),
        CLI_QTY("--lateral-jitter", &s->lateral_jitter_m, MN_UNIT_LENGTH, 0, 0.05,
                "0-50 mm"),
        CLI_QTY("--along-jitter", &s->along_jitter_m, MN_UNIT_LENGTH, 0, 0.05,
                "0-50 mm"),
        CLI_QTY("--angle-jitter", &s->angle_jitter_rad, MN_UNIT_ANGLE, 0, MN_PI / 4,
                "0-45 deg"),
        CLI_QTY("--slip", &s->slip, MN_UNIT_FRACTION, 0, 0.5, "0-0.5 (0-50%)"),
        CLI_CUSTOM("--speed", &s->hand_speed_m_s, parse_speed),
        CLI_CUSTOM("--phase", s, parse_phase),
        CLI_QTY("--coverage-radius", &o->coverage_radius, MN_UNIT_LENGTH, 1e-6, 0.02,
                "0.001-20 mm"),
        CLI_QTY("--hit-radius", &o->hit_radius, MN_UNIT_LENGTH, 0, 0.01, "0-10 mm"),
        CLI_QTY("--grid", &o->grid, MN_UNIT_LENGTH, 1e-4, 0.05, "0.1-50 mm"),
        CLI_CUSTOM("--target-density", &o->target_density, parse_density),
        CLI_QTY("--target-coverage", &o->target_coverage, MN_UNIT_FRACTION, 1e-6, 1,
                "0-1 (0-100%)"),
        CLI_FLAG("--force", &o->force),
        CLI_FLAG("--list", &o->list),
        CLI_FLAG("--compare-patterns", &o->compare),
    };
    int rc = cli_opts_parse(c, "roll", opts, sizeof opts / sizeof *opts, argc, argv,
                            NULL, 0, NULL);
    return rc ? rc : check_args(c, o);
}

/* ---- the zones and patterns (--list) ----------------------------------- */

static int list_json(cli_ctx *c, const mn_zone_list *zl)
{
    mn_json *j = mn_json_new();
    if (!j)
        return CLI_FAIL;
    mn_zone_list_json(j, mn_json_root(j), zl);
    return cli_print_json(c, j);
}

static const cli_column zone_list_columns[] = {
    {"ZONE", -18, NULL},   {"CHART", -5, NULL}, {"SITE", -12, NULL},
    {"AREA_cm2", 9, NULL}, {"LABEL", -1, "  "},
};
static const cli_column group_list_columns[] = {
    {"GROUP", -18, NULL}, {"AREA_cm2", 9, NULL}, {"ZONES", -1, "  "}};
static const cli_column pattern_list_columns[] = {{"PATTERN", -26, NULL},
                                                  {"DESCRIPTION", -1, NULL}};

/* The zones of a group as "a, b, c" (malloc'd; NULL when out of memory). */
static char *group_zone_names(const mn_zone_group *g)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    for (size_t k = 0; k < g->zones.count; k++)
        fprintf(f, "%s%s", k ? ", " : "", g->zones.items[k]);
    return fclose(f) == 0 ? text : (free(text), NULL);
}

static int list_text(cli_ctx *c, const mn_zone_list *zl)
{
    cli_row row = {0};
    cli_table zones = {zone_list_columns, 5};
    cli_table_header(&zones);
    for (size_t i = 0; i < zl->count; i++) {
        const mn_zone *z = &zl->items[i];
        cli_cell(&row, "%s", z->name);
        cli_cell(&row, "%s", mn_chart_name(z->chart));
        cli_cell(&row, "%s", z->site);
        cli_cell(&row, "%.1f", z->area_m2 * 1e4);
        cli_table_row_last(&zones, &row, z->label ? z->label : "");
    }
    cli_table groups = {group_list_columns, 3};
    printf("\n");
    cli_table_header(&groups);
    for (size_t g = 0; g < zl->n_groups; g++) {
        char *names = group_zone_names(&zl->groups[g]);
        if (!names) {
            cli_errorf(c, "out of memory");
            return CLI_FAIL;
        }
        cli_cell(&row, "%s", zl->groups[g].name);
        cli_cell(&row, "%.1f", mn_zone_group_area(zl, g) * 1e4);
        cli_table_row_last(&groups, &row, names);
        free(names);
    }
    cli_table patterns = {pattern_list_columns, 2};
    printf("\n");
    cli_table_header(&patterns);
    for (size_t k = 0; k < mn_roll_pattern_count(); k++) {
        cli_cell(&row, "%s", mn_roll_pattern_name(k));
        cli_table_row_last(&patterns, &row, mn_roll_pattern_help(k));
    }
    printf("\nOutlines and their sources: data/zones.yaml. Areas are skin areas of a\n"
           "developed (flattened) chart; see docs/model.md (Rolling).\n");
    return CLI_OK;
}

/* ---- the session ---------------------------------------------------------- */

typedef struct {
    roll_opts o;
    mn_zone_list zl;
    mn_device_list cat;
    mn_site_list sites;
    mn_device dev;
    mn_depth_params dparams;
    double force_n;
    const char *plabel;
    int threads;
    mn_roll_session s;
    mn_roll_params p;
    mn_roll_metrics_opts mo;
    mn_roll_result res;
    mn_roll_totals tot;
    int tkind; /* mn_roll_target; -1: no target */
    double tval;
} roll_run;

typedef struct {
    const cli_ctx *c;
    double last;
} progress_state;

static int show_progress(void *user, double f, const char *stage)
{
    progress_state *s = user;
    if (f - s->last >= 0.05 || f >= 1) {
        fprintf(stderr, "\rmnsim roll: %-10s %3.0f%%", stage, 100 * f);
        if (f >= 1)
            fputc('\n', stderr);
        fflush(stderr);
        s->last = f;
    }
    return 0;
}

static const char *dir_list(const mn_roll_pattern *p, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < p->n_dirs && used < n; d++)
        if (p->passes[d] > 0)
            used +=
                (size_t)snprintf(buf + used, n - used, "%s%d %s", used ? ", " : "",
                                 p->passes[d], mn_roll_direction_name(p->angle_rad[d]));
    return buf;
}

/* Refuse to overwrite before doing the work. */
static int refuse_overwrite(cli_ctx *c, const roll_opts *o)
{
    const char *outs[2] = {o->map, o->csv};
    return cli_check_outputs(c, outs, 2, o->force);
}

/* The threads the simulation runs on (results do not depend on them). */
static int use_threads(int threads)
{
#ifdef MNSIM_HAVE_OPENMP
    if (threads > 0)
        omp_set_num_threads(threads);
    return omp_get_max_threads();
#else
    (void)threads;
    return 1;
#endif
}

/* The penetration parameters, the pressure, the catalogs and the device. */
static int load_inputs(cli_ctx *c, roll_run *r)
{
    const roll_opts *o = &r->o;
    if (cli_load_depth_params(c, &r->dparams))
        return CLI_FAIL;
    r->plabel = "light";
    int rc = cli_parse_pressure(c, "roll", &r->dparams, o->pressure, &r->force_n,
                                &r->plabel);
    if (rc)
        return rc;
    if (cli_load_devices(c, &r->cat) || cli_load_sites(c, &r->sites))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    const mn_site *site;
    if (mn_device_resolve(&r->cat, o->device, &r->dev, &e) != MN_OK ||
        mn_device_validate(&r->dev, &e) != MN_OK ||
        (o->site && mn_site_find(&r->sites, o->site, &site, &e) != MN_OK)) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* The regions, the channel depth at each and the session's parameters. */
static int make_session(cli_ctx *c, roll_run *r)
{
    const roll_opts *o = &r->o;
    mn_error e;
    mn_error_clear(&e);
    mn_status st;
    if (o->zone) {
        st = mn_roll_session_zones(&r->zl, o->zone, o->site, &r->s, &e);
    } else {
        double w = 0.2, h = 0.2;
        if (o->area && mn_roll_area_parse(o->area, &w, &h, &e) != MN_OK)
            return cli_usage_error(c, "roll", "--area: %s", e.message);
        st = mn_roll_session_area(w, h, o->area ? o->area : "20 cm x 20 cm", o->site,
                                  &r->s, &e);
    }
    for (size_t k = 0; st == MN_OK && k < r->s.count; k++) {
        const mn_roll_zone_row *z = &r->s.zones[k];
        st = mn_roll_session_depth(&r->s, k, &r->sites, o->sex, &r->dev, &r->dparams,
                                   r->force_n, &e);
        if (st == MN_OK && !z->punctured && !c->quiet)
            fprintf(stderr,
                    "mnsim: warning: %s does not puncture the skin at %s (%s) "
                    "with %s pressure (%g N): the map shows where the needles "
                    "touch\n",
                    r->dev.name, z->name, z->site, r->plabel, r->force_n);
    }
    if (st == MN_OK && (st = mn_roll_setup_params(&o->setup, &r->p, &e)) == MN_ERANGE)
        return cli_usage_error(c, "roll", "%s", e.message);
    if (st != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* Roll, measure every zone, and find the passes to the target. */
static int simulate(cli_ctx *c, roll_run *r)
{
    const roll_opts *o = &r->o;
    mn_error e;
    mn_error_clear(&e);
    progress_state ps = {c, -1};
    mn_progress prog = {show_progress, &ps};
    int show = c->stderr_tty && !c->quiet;
    mn_roll_metrics_opts_default(&r->mo);
    r->mo.grid_m = o->grid;
    r->mo.coverage_radius_m = o->coverage_radius;
    r->tkind = !isnan(o->target_density)    ? MN_ROLL_TARGET_DENSITY
               : !isnan(o->target_coverage) ? MN_ROLL_TARGET_COVERAGE
                                            : -1;
    r->tval =
        r->tkind == MN_ROLL_TARGET_DENSITY ? o->target_density : o->target_coverage;
    if (mn_roll_simulate(&r->dev, r->s.regions, r->s.count, &r->p, show ? &prog : NULL,
                         &r->res, &e) != MN_OK ||
        mn_roll_session_metrics(&r->s, &r->res, &r->mo, o->hit_radius, &e) != MN_OK ||
        (r->tkind >= 0 &&
         mn_roll_session_targets(&r->s, &r->dev, &r->p, &r->mo, r->tkind, r->tval,
                                 o->max_passes, &e) != MN_OK)) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    mn_roll_session_totals(&r->s, &r->dev, &r->p, &r->tot);
    return CLI_OK;
}

static int write_files(cli_ctx *c, const roll_run *r)
{
    const roll_opts *o = &r->o;
    mn_error e;
    mn_error_clear(&e);
    if (o->map) {
        char title[256];
        snprintf(title, sizeof title, "%s, %s x%d, %s: %.0f /cm2", r->dev.name,
                 o->setup.pattern, mn_roll_pattern_total(&r->p.pattern), r->s.where,
                 r->tot.punctures / (r->tot.area_m2 * 1e4));
        mn_roll_map_opts mopt = {o->map_mode >= 0 ? o->map_mode : MN_ROLL_MAP_AUTO,
                                 title, 0, mn_roll_session_map_radius(&r->s), o->force};
        if (mn_roll_map_write(o->map, &r->res, r->s.regions, r->s.count, &mopt, &e) !=
            MN_OK) {
            cli_error(c, &e);
            return CLI_FAIL;
        }
    }
    if (o->csv &&
        mn_roll_csv_write(o->csv, &r->res, r->s.regions, o->force, &e) != MN_OK) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* The target in words: "a density of" 250 " /cm2". */
static const char *target_what(const roll_run *r)
{
    return r->tkind == MN_ROLL_TARGET_DENSITY ? "a density of" : "a coverage of";
}
static double target_value(const roll_run *r)
{
    return r->tkind == MN_ROLL_TARGET_DENSITY ? r->tval * 1e-4 : r->tval * 100;
}
static const char *target_unit(const roll_run *r)
{
    return r->tkind == MN_ROLL_TARGET_DENSITY ? " /cm2" : "%";
}

/* Passes each named pattern needs so that every zone reaches the target:
 * into cmp (JSON), or printed. */
static int compare_patterns(cli_ctx *c, const roll_run *r, mn_json *j, mn_jnode *cmp)
{
    int density = r->tkind == MN_ROLL_TARGET_DENSITY;
    if (!j)
        printf("Passes each pattern needs so that every zone reaches %s %g%s:\n",
               target_what(r), target_value(r), target_unit(r));
    for (size_t pk = 0; pk < mn_roll_pattern_count(); pk++) {
        const char *name = mn_roll_pattern_name(pk);
        int worst;
        double worst_v;
        mn_error e;
        mn_error_clear(&e);
        if (mn_roll_session_pattern_need(&r->s, &r->dev, &r->p, pk, &r->mo, r->tkind,
                                         r->tval, r->o.max_passes, &worst, &worst_v,
                                         &e) != MN_OK) {
            cli_error(c, &e);
            return CLI_FAIL;
        }
        if (j) {
            mn_jnode *po = mn_json_object(j);
            mn_json_str(j, po, "pattern", name);
            if (worst > 0)
                mn_json_int(j, po, "passes", worst);
            else
                mn_json_str(j, po, "passes", "not reached");
            mn_json_num(j, po, density ? "density_per_cm2" : "coverage",
                        density ? worst_v * 1e-4 : worst_v);
            mn_json_push(j, cmp, po);
        } else if (worst > 0) {
            printf("  %-26s %4d passes\n", name, worst);
        } else {
            printf("  %-26s not reached in %d passes\n", name, r->o.max_passes);
        }
    }
    if (!j)
        printf("\n");
    return CLI_OK;
}

/* ---- JSON ----------------------------------------------------------------- */

/* How the session was done: device, where, pattern, pressure, seed, hand. */
static void session_json(mn_json *j, mn_jnode *root, const roll_run *r)
{
    const roll_opts *o = &r->o;
    mn_json_str(j, root, "device", r->dev.name);
    mn_json_str(j, root, "type", mn_device_type_name(r->dev.type));
    mn_json_str(j, root, "where", r->s.where);
    if (r->s.label)
        mn_json_str(j, root, "label", r->s.label);
    mn_json_str(j, root, "pattern", o->setup.pattern);
    mn_json_put(j, root, "directions", mn_roll_directions_json(j, &r->p.pattern));
    mn_json_int(j, root, "passes", mn_roll_pattern_total(&r->p.pattern));
    mn_json_str(j, root, "pressure", r->plabel);
    mn_json_num(j, root, "force_n", r->force_n);
    mn_json_str(j, root, "sex", o->sex == MN_SEX_MALE ? "male" : "female");
    mn_json_int(j, root, "seed", (long long)o->setup.seed); /* at most 2^63-1 */
    mn_json_int(j, root, "threads", r->threads);
    mn_json_put(j, root, "hand", mn_roll_hand_json(j, &r->p, r->dev.type));
}

static int print_json(cli_ctx *c, const roll_run *r)
{
    const roll_opts *o = &r->o;
    const mn_roll_totals *t = &r->tot;
    mn_json *j = mn_json_new();
    if (!j) {
        cli_errorf(c, "out of memory");
        return CLI_FAIL;
    }
    mn_jnode *cmp = o->compare ? mn_json_array(j) : NULL;
    if (o->compare && compare_patterns(c, r, j, cmp)) {
        mn_json_free(j);
        return CLI_FAIL;
    }
    mn_jnode *root = mn_json_root(j);
    session_json(j, root, r);
    mn_json_num(j, root, "coverage_radius_mm", r->mo.coverage_radius_m * 1e3);
    mn_json_num(j, root, "grid_mm", r->mo.grid_m * 1e3);
    mn_json_num(j, root, "area_cm2", t->area_m2 * 1e4);
    mn_json_int(j, root, "punctures", (long long)t->punctures);
    mn_json_num(j, root, "density_per_cm2", t->punctures / (t->area_m2 * 1e4));
    mn_json_num(j, root, "density_expected_per_cm2", t->density_expected * 1e-4);
    mn_json_num(j, root, "density_per_pass_per_cm2", t->density_per_pass * 1e-4);
    mn_json_num(j, root, "depth_sampled_um", t->depth_mean_m * 1e6);
    mn_jnode *za = mn_json_array(j);
    for (size_t k = 0; k < r->s.count; k++)
        mn_json_push(j, za, mn_roll_zone_json(j, &r->s.zones[k], r->tkind >= 0));
    mn_json_put(j, root, "zones", za);
    if (r->tkind >= 0) {
        mn_jnode *tj = mn_json_object(j);
        int density = r->tkind == MN_ROLL_TARGET_DENSITY;
        mn_json_str(j, tj, "kind", density ? "density" : "coverage");
        mn_json_num(j, tj, "value", density ? r->tval * 1e-4 : r->tval);
        mn_json_int(j, tj, "max_passes", o->max_passes);
        mn_json_put(j, root, "target", tj);
    }
    if (o->compare)
        mn_json_put(j, root, "compare_patterns", cmp);
    if (o->map)
        mn_json_str(j, root, "map", o->map);
    if (o->csv)
        mn_json_str(j, root, "csv", o->csv);
    mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
    return cli_print_json(c, j);
}

/* ---- text ----------------------------------------------------------------- */

static const cli_column result_columns[] = {
    {"ZONE", -18, NULL},   {"AREA_cm2", 8, NULL}, {"PUNCT", 7, NULL},
    {"PER_cm2", 7, NULL},  {"CV_1mm", 6, NULL},   {"COVER", 6, NULL},
    {"NN_mm", 6, NULL},    {"P5_mm", 6, NULL},    {"ALONG", 6, NULL},
    {"ACROSS", 6, NULL},   {"ANISO", 5, NULL},    {"HIT%", 5, NULL},
    {"DEPTH_um", 8, NULL}, {"PASSES", 6, NULL},
};

static void print_zone_table(const roll_run *r)
{
    const mn_roll_totals *t = &r->tot;
    cli_table table = {result_columns, r->tkind >= 0 ? 14 : 13};
    cli_table_header(&table);
    cli_row row = {0};
    for (size_t k = 0; k < r->s.count; k++) {
        const mn_roll_zone_row *z = &r->s.zones[k];
        const mn_roll_metrics *m = &z->metrics;
        cli_cell(&row, "%s", z->name);
        cli_cell(&row, "%.1f", m->area_m2 * 1e4);
        cli_cell(&row, "%zu", m->punctures);
        cli_cell(&row, "%.1f", m->density_mean * 1e-4);
        cli_cell(&row, "%.2f", m->density_cv);
        cli_cell(&row, "%.3f", m->coverage);
        cli_cell(&row, "%.3f", m->nn_mean_m * 1e3);
        cli_cell(&row, "%.3f", m->nn_p05_m * 1e3);
        cli_cell(&row, "%.3f", m->nn_along_m * 1e3);
        cli_cell(&row, "%.3f", m->nn_across_m * 1e3);
        cli_cell(&row, "%.2f", m->nn_anisotropy);
        cli_cell(&row, "%.1f", 100 * m->hit_fraction);
        cli_cell(&row, "%.0f", m->depth_mean_m * 1e6);
        if (z->passes_needed > 0)
            cli_cell(&row, "%d", z->passes_needed);
        else
            cli_cell(&row, ">max");
        cli_table_row(&table, &row);
    }
    if (r->s.count > 1) {
        cli_table totals = {result_columns, 4};
        cli_cell(&row, "total");
        cli_cell(&row, "%.1f", t->area_m2 * 1e4);
        cli_cell(&row, "%zu", t->punctures);
        cli_cell(&row, "%.1f", t->punctures / (t->area_m2 * 1e4));
        cli_table_row(&totals, &row);
    }
}

static int print_text(cli_ctx *c, const roll_run *r)
{
    const roll_opts *o = &r->o;
    if (o->compare && compare_patterns(c, r, NULL, NULL))
        return CLI_FAIL;
    int total = mn_roll_pattern_total(&r->p.pattern);
    char dirs[256];
    printf("%s on %s (%.1f cm2): %s, %d pass%s (%s), %s pressure (%g N), seed %llu\n",
           r->dev.name, r->s.where, r->tot.area_m2 * 1e4, o->setup.pattern, total,
           total == 1 ? "" : "es", dir_list(&r->p.pattern, dirs, sizeof dirs),
           r->plabel, r->force_n, (unsigned long long)o->setup.seed);
    print_zone_table(r);
    if (c->quiet)
        return CLI_OK;
    printf("Expected from the device: %.1f punctures/cm2 (%.2f per pass%s).\n",
           r->tot.density_expected * 1e-4, r->tot.density_per_pass * 1e-4,
           r->p.overlap > 0 ? ", with overlap" : "");
    printf("COVER: share of the area within %.2g mm of a channel; NN: nearest channel "
           "(ALONG/ACROSS its stroke,\nANISO 0 = no preferred direction); HIT: "
           "punctures on a channel of an earlier stroke.\n",
           r->mo.coverage_radius_m * 1e3);
    if (r->tkind >= 0)
        printf("PASSES: total passes of the pattern that reach %s %g%s (at most %d).\n",
               target_what(r), target_value(r), target_unit(r), o->max_passes);
    if (o->map)
        fprintf(stderr, "mnsim: wrote %s\n", o->map);
    if (o->csv)
        fprintf(stderr, "mnsim: wrote %s (%zu punctures)\n", o->csv, r->res.count);
    printf("Model and its limits: docs/model.md (Rolling). Not medical advice.\n");
    return CLI_OK;
}

/* ---- the command ---------------------------------------------------------- */

static int run_roll(cli_ctx *c, int argc, char **argv)
{
    roll_run r;
    memset(&r, 0, sizeof r);
    mn_device_init(&r.dev);
    int rc = parse_args(c, argc, argv, &r.o);
    if (rc)
        return rc;
    if (cli_load_zones(c, r.o.zones_file, &r.zl)) {
        rc = CLI_FAIL;
    } else if (r.o.list) {
        rc = c->json ? list_json(c, &r.zl) : list_text(c, &r.zl);
    } else if (!(rc = refuse_overwrite(c, &r.o))) {
        r.threads = use_threads(r.o.threads);
        if (!(rc = load_inputs(c, &r)) && !(rc = make_session(c, &r)) &&
            !(rc = simulate(c, &r)) && !(rc = write_files(c, &r)))
            rc = c->json ? print_json(c, &r) : print_text(c, &r);
    }
    mn_roll_result_free(&r.res);
    mn_roll_session_free(&r.s);
    mn_device_clear(&r.dev);
    mn_device_list_free(&r.cat);
    mn_site_list_free(&r.sites);
    mn_zone_list_free(&r.zl);
    return rc;
}

const cli_command cmd_roll = {
    "roll", "where the needles land: density, coverage, spacing, patterns",
    "Usage: mnsim roll [--device NAME|FILE] [--zone ZONE|GROUP | --area \"W x H\"]\n"
    "                  [--pattern NAME] [--passes N | --passes-per-direction N]\n"
    "                  [--pressure light|medium|firm|\"8 N\"] [--site SITE] [--sex "
    "female|male]\n"
    "                  [--overlap F] [--jitter default|none] [--lateral-jitter L]\n"
    "                  [--along-jitter L] [--angle-jitter A] [--phase random|A] "
    "[--slip F]\n"
    "                  [--speed V] [--coverage-radius L] [--hit-radius L] [--grid L]\n"
    "                  [--target-density D | --target-coverage F] [--max-passes N]\n"
    "                  [--compare-patterns] [--seed N] [--threads N]\n"
    "                  [--map FILE.png|svg] [--map-mode auto|density|channels]\n"
    "                  [--csv FILE] [--force] [--zones FILE] [--list] [--json]\n\n"
    "Simulates a session stroke by stroke: each needle that reaches the skin\n"
    "leaves a puncture, with its depth from the penetration model at the zone's\n"
    "site. Prints per zone the punctures per cm2 (mean, and the coefficient of\n"
    "variation on a 1 mm grid), the coverage (share of the area within\n"
    "--coverage-radius of a channel, default 0.5 mm), nearest-neighbour distances\n"
    "(mean, 5th percentile, along/across the stroke, anisotropy) and the share of\n"
    "punctures that hit a channel of an earlier stroke.\n\n"
    "  --device       catalog name or device file (default roller-192-0.5mm)\n"
    "  --zone         a zone or group of data/zones.yaml (see --list), e.g. full-face\n"
    "  --area         a rectangle instead, e.g. \"20 cm x 20 cm\" (the default)\n"
    "  --site         skin site for the depth (default: the zone's; cheek for --area)\n"
    "  --pattern      vertical, horizontal, diagonal, antidiagonal,\n"
    "                 vertical-then-horizontal (default, the seed's), "
    "horizontal-then-\n"
    "                 vertical, diagonals, four-direction (clinical)\n"
    "  --passes       total passes over each point (default 15), split evenly\n"
    "                 between the pattern's directions, done one direction after\n"
    "                 the other\n"
    "  --overlap      share of the stroke width adjacent strokes overlap (default 0)\n"
    "  --jitter none  a perfect hand: no lateral, along or angle jitter, no pass\n"
    "                 offset, no slip (the drum's angle stays random unless --phase)\n"
    "  --speed        pens: speed of the hand along a stroke (default \"20 mm/s\");\n"
    "                 stamps follow one another by their length\n"
    "  --hit-radius   channels closer than this coincide (default: the channel\n"
    "                 width from the penetration model)\n"
    "  --target-density D, --target-coverage F: passes needed to reach it, per zone\n"
    "  --compare-patterns: passes every named pattern needs for the target\n"
    "  --seed         random seed (default 1); results are the same for any --threads\n"
    "  --map          draw the punctures: a density heat map for large areas, the\n"
    "                 channels (coloured by depth) for small ones (--map-mode)\n"
    "  --csv          write every puncture: x_mm, y_mm, depth_um, zone, stroke, pass,\n"
    "                 direction, needle\n"
    "  --force        overwrite existing --map/--csv files\n"
    "  --zones        read the zones from FILE (kind: zones) instead of data/\n"
    "  --list         list the zones, groups and patterns\n\n"
    "The model and its assumptions: docs/model.md (Rolling).\n",
    run_roll};
