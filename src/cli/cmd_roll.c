/* mnsim roll: where the needles land over a zone or an area, how dense and
 * even the channels are, and how many passes a target needs. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnsim/depth.h"
#include "mnsim/roll.h"
#include "mnsim/roll_io.h"
#include "mnsim/zones.h"

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#define PI 3.14159265358979323846

typedef struct {
    const char *device, *zone, *area, *site, *pattern, *pressure;
    const char *map, *map_mode, *csv, *zones_file;
    int passes, per_direction;
    mn_sex sex;
    int force, list, compare;
    int threads;
    uint64_t seed;
    int no_jitter;
    double overlap, lateral, along, angle, slip, speed, phase;
    int phase_random;
    int have_overlap, have_lateral, have_along, have_angle, have_slip, have_speed,
        have_phase;
    double coverage_radius, hit_radius, grid;
    double target_density, target_coverage;
    int max_passes;
} roll_opts;

/* ---- option parsing ------------------------------------------------------ */

static int bad(cli_ctx *c, const char *opt, const char *v, const char *what)
{
    return cli_usage_error(c, "roll", "%s: '%s' is not %s", opt, v, what);
}

static int parse_quantity(cli_ctx *c, const char *opt, const char *v, mn_unit_kind kind,
                          double lo, double hi, const char *range, double *out)
{
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(v, kind, out, &e) != MN_OK)
        return cli_usage_error(c, "roll", "%s: %s", opt, e.message);
    if (!(*out >= lo && *out <= hi))
        return cli_usage_error(c, "roll", "%s: '%s' is outside %s", opt, v, range);
    return CLI_OK;
}

static int parse_int(cli_ctx *c, const char *opt, const char *v, long lo, long hi,
                     int *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno)
        return bad(c, opt, v, "a whole number");
    if (x < lo || x > hi)
        return cli_usage_error(c, "roll", "%s must be %ld to %ld, not %ld", opt, lo, hi,
                               x);
    *out = (int)x;
    return CLI_OK;
}

/* "200 mm x 150 mm", "20 x 15 cm", "20x15cm" -> width, height in m. */
static int parse_area(cli_ctx *c, const char *v, double *w, double *h)
{
    const char *x = NULL;
    for (const char *p = v; *p; p++)
        if (*p == 'x' || *p == 'X' || *p == '*') {
            x = p;
            break;
        }
    if (!x)
        return cli_usage_error(c, "roll",
                               "--area: write the size as \"20 cm x 20 cm\" "
                               "or \"20x20 cm\", not '%s'",
                               v);
    char a[128], b[128];
    size_t na = (size_t)(x - v);
    if (na >= sizeof a || strlen(x + 1) >= sizeof b)
        return cli_usage_error(c, "roll", "--area: '%s' is too long", v);
    memcpy(a, v, na);
    a[na] = '\0';
    snprintf(b, sizeof b, "%s", x + 1);
    mn_error e;
    mn_error_clear(&e);
    if (mn_units_parse(b, MN_UNIT_LENGTH, h, &e) != MN_OK)
        return cli_usage_error(c, "roll", "--area: %s", e.message);
    if (mn_units_parse(a, MN_UNIT_LENGTH, w, &e) != MN_OK) {
        /* "20 x 15 cm": the first number takes the second's unit. */
        const char *u = b + strlen(b);
        while (u > b &&
               (u[-1] == ' ' || (u[-1] >= 'a' && u[-1] <= 'z') ||
                (u[-1] >= 'A' && u[-1] <= 'Z') || (unsigned char)u[-1] >= 0x80))
            u--;
        char a2[256];
        snprintf(a2, sizeof a2, "%s %s", a, u);
        mn_error_clear(&e);
        if (mn_units_parse(a2, MN_UNIT_LENGTH, w, &e) != MN_OK)
            return cli_usage_error(c, "roll", "--area: %s", e.message);
    }
    if (!(*w >= 1e-3 && *w <= 10 && *h >= 1e-3 && *h <= 10))
        return cli_usage_error(c, "roll", "--area: each side must be 1 mm to 10 m");
    return CLI_OK;
}

static int parse_args(cli_ctx *c, int argc, char **argv, roll_opts *o)
{
    memset(o, 0, sizeof *o);
    o->device = "roller-192-0.5mm";
    o->pattern = "vertical-then-horizontal";
    o->pressure = "light";
    o->passes = 15;
    o->seed = 1;
    o->phase_random = 1;
    o->coverage_radius = 0.5e-3;
    o->hit_radius = NAN;
    o->grid = 1e-3;
    o->target_density = NAN;
    o->target_coverage = NAN;
    o->max_passes = 100;
    int have_passes = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--force")) {
            o->force = 1;
            continue;
        }
        if (!strcmp(a, "--list")) {
            o->list = 1;
            continue;
        }
        if (!strcmp(a, "--compare-patterns")) {
            o->compare = 1;
            continue;
        }
        if (a[0] != '-' || !a[1])
            return cli_usage_error(c, "roll", "unexpected argument '%s'", a);
        if (i + 1 >= argc)
            return cli_usage_error(c, "roll", "%s needs a value", a);
        const char *v = argv[++i];
        int rc = CLI_OK;
        if (!strcmp(a, "--device"))
            o->device = v;
        else if (!strcmp(a, "--zone"))
            o->zone = v;
        else if (!strcmp(a, "--area"))
            o->area = v;
        else if (!strcmp(a, "--site"))
            o->site = v;
        else if (!strcmp(a, "--pattern"))
            o->pattern = v;
        else if (!strcmp(a, "--pressure"))
            o->pressure = v;
        else if (!strcmp(a, "--map"))
            o->map = v;
        else if (!strcmp(a, "--map-mode"))
            o->map_mode = v;
        else if (!strcmp(a, "--csv"))
            o->csv = v;
        else if (!strcmp(a, "--zones"))
            o->zones_file = v;
        else if (!strcmp(a, "--passes")) {
            rc = parse_int(c, a, v, 1, MN_ROLL_MAX_PASSES, &o->passes);
            have_passes = 1;
        } else if (!strcmp(a, "--passes-per-direction"))
            rc = parse_int(c, a, v, 1, MN_ROLL_MAX_PASSES, &o->per_direction);
        else if (!strcmp(a, "--max-passes"))
            rc = parse_int(c, a, v, 1, MN_ROLL_MAX_PASSES, &o->max_passes);
        else if (!strcmp(a, "--threads"))
            rc = parse_int(c, a, v, 1, 1024, &o->threads);
        else if (!strcmp(a, "--sex")) {
            rc = cli_parse_sex(c, "roll", v, &o->sex);
        } else if (!strcmp(a, "--seed")) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (end == v || *end || errno || v[0] == '-')
                rc = bad(c, a, v, "a whole number 0 to 2^64-1");
            o->seed = (uint64_t)s;
        } else if (!strcmp(a, "--jitter")) {
            if (!strcmp(v, "none"))
                o->no_jitter = 1;
            else if (!strcmp(v, "default"))
                o->no_jitter = 0;
            else
                rc = cli_usage_error(c, "roll", "--jitter must be default or none");
        } else if (!strcmp(a, "--overlap")) {
            rc = parse_quantity(c, a, v, MN_UNIT_FRACTION, 0, 0.9, "0-0.9 (0-90%)",
                                &o->overlap);
            o->have_overlap = 1;
        } else if (!strcmp(a, "--lateral-jitter")) {
            rc = parse_quantity(c, a, v, MN_UNIT_LENGTH, 0, 0.05, "0-50 mm",
                                &o->lateral);
            o->have_lateral = 1;
        } else if (!strcmp(a, "--along-jitter")) {
            rc = parse_quantity(c, a, v, MN_UNIT_LENGTH, 0, 0.05, "0-50 mm", &o->along);
            o->have_along = 1;
        } else if (!strcmp(a, "--angle-jitter")) {
            rc = parse_quantity(c, a, v, MN_UNIT_ANGLE, 0, PI / 4, "0-45 deg",
                                &o->angle);
            o->have_angle = 1;
        } else if (!strcmp(a, "--slip")) {
            rc = parse_quantity(c, a, v, MN_UNIT_FRACTION, 0, 0.5, "0-0.5 (0-50%)",
                                &o->slip);
            o->have_slip = 1;
        } else if (!strcmp(a, "--speed")) {
            /* A length per second: "20 mm/s". */
            char sv[128];
            size_t n = strlen(v);
            if (n < 3 || n >= sizeof sv || strcmp(v + n - 2, "/s"))
                rc = cli_usage_error(c, "roll",
                                     "--speed: write a speed such as "
                                     "\"20 mm/s\", not '%s'",
                                     v);
            else {
                memcpy(sv, v, n - 2);
                sv[n - 2] = '\0';
                rc = parse_quantity(c, a, sv, MN_UNIT_LENGTH, 1e-4, 1,
                                    "0.1 mm/s to 1 m/s", &o->speed);
            }
            o->have_speed = 1;
        } else if (!strcmp(a, "--phase")) {
            if (!strcmp(v, "random"))
                o->phase_random = 1;
            else {
                rc = parse_quantity(c, a, v, MN_UNIT_ANGLE, -2 * PI, 2 * PI,
                                    "-360 to 360 deg", &o->phase);
                o->phase_random = 0;
                o->have_phase = 1;
            }
        } else if (!strcmp(a, "--coverage-radius"))
            rc = parse_quantity(c, a, v, MN_UNIT_LENGTH, 1e-6, 0.02, "0.001-20 mm",
                                &o->coverage_radius);
        else if (!strcmp(a, "--hit-radius"))
            rc = parse_quantity(c, a, v, MN_UNIT_LENGTH, 0, 0.01, "0-10 mm",
                                &o->hit_radius);
        else if (!strcmp(a, "--grid"))
            rc = parse_quantity(c, a, v, MN_UNIT_LENGTH, 1e-4, 0.05, "0.1-50 mm",
                                &o->grid);
        else if (!strcmp(a, "--target-density")) {
            /* punctures per cm^2, a plain number ("250" or "250/cm2"). */
            char *end;
            errno = 0;
            double d = strtod(v, &end);
            if (end != v && (!strcmp(end, "/cm2") || !strcmp(end, " /cm2") ||
                             !strcmp(end, "/cm^2")))
                end += strlen(end);
            if (end == v || *end || errno || !(d > 0 && d <= 1e6))
                rc = bad(c, a, v, "a density in punctures/cm2 (0-1e6), e.g. 250");
            o->target_density = d * 1e4;
        } else if (!strcmp(a, "--target-coverage"))
            rc = parse_quantity(c, a, v, MN_UNIT_FRACTION, 1e-6, 1, "0-1 (0-100%)",
                                &o->target_coverage);
        else
            return cli_usage_error(c, "roll", "unknown option '%s'", a);
        if (rc)
            return rc;
    }
    if (o->zone && o->area)
        return cli_usage_error(c, "roll", "give --zone or --area, not both");
    if (o->per_direction && have_passes)
        return cli_usage_error(c, "roll",
                               "give --passes or --passes-per-direction, "
                               "not both");
    if (o->map &&
        !(strlen(o->map) > 4 && (!strcmp(o->map + strlen(o->map) - 4, ".png") ||
                                 !strcmp(o->map + strlen(o->map) - 4, ".svg"))))
        return cli_usage_error(c, "roll", "--map must end in .png or .svg");
    if (o->map_mode && strcmp(o->map_mode, "auto") && strcmp(o->map_mode, "density") &&
        strcmp(o->map_mode, "channels"))
        return cli_usage_error(c, "roll",
                               "--map-mode must be auto, density or channels");
    if (o->map_mode && !o->map)
        return cli_usage_error(c, "roll", "--map-mode needs --map FILE");
    if (o->compare && isnan(o->target_density) && isnan(o->target_coverage))
        return cli_usage_error(c, "roll",
                               "--compare-patterns needs --target-density or "
                               "--target-coverage");
    if (!isnan(o->target_density) && !isnan(o->target_coverage))
        return cli_usage_error(c, "roll",
                               "give one target: --target-density or "
                               "--target-coverage");
    if (o->map && o->csv && !strcmp(o->map, o->csv))
        return cli_usage_error(c, "roll", "--map and --csv name the same file");
    size_t np = mn_roll_pattern_count(), k;
    for (k = 0; k < np; k++)
        if (!strcmp(mn_roll_pattern_name(k), o->pattern))
            break;
    if (k == np) {
        char names[512] = "";
        size_t used = 0;
        for (k = 0; k < np; k++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     k ? ", " : "", mn_roll_pattern_name(k));
        return cli_usage_error(c, "roll",
                               "--pattern: no pattern named '%s'; patterns: %s",
                               o->pattern, names);
    }
    return CLI_OK;
}

/* ---- pieces ----------------------------------------------------------- */

static int load_zones(cli_ctx *c, const char *file, mn_zone_list *zl)
{
    char path[4200];
    if (file)
        snprintf(path, sizeof path, "%s", file);
    else if (cli_data_file(c, "zones.yaml", path, sizeof path))
        return CLI_FAIL;
    mn_error e;
    mn_error_clear(&e);
    mn_diags d = {0};
    mn_status st = mn_zones_load(path, zl, &d, &e);
    if (st != MN_OK) {
        cli_errorf(c, "%s has errors:", path);
        char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
        for (size_t i = 0; i < d.count; i++)
            fprintf(stderr, "%s: %s\n", mn_severity_name(d.severity[i]),
                    mn_error_format(&d.items[i], buf, sizeof buf));
    }
    mn_diags_free(&d);
    return st == MN_OK ? CLI_OK : CLI_FAIL;
}

static int list_all(cli_ctx *c, const mn_zone_list *zl)
{
    if (c->json) {
        mn_json *j = mn_json_new();
        if (!j)
            return CLI_FAIL;
        mn_jnode *root = mn_json_root(j), *za = mn_json_array(j),
                 *ga = mn_json_array(j), *pa = mn_json_array(j);
        for (size_t i = 0; i < zl->count; i++) {
            const mn_zone *z = &zl->items[i];
            mn_jnode *o = mn_json_object(j);
            mn_json_str(j, o, "name", z->name);
            if (z->label)
                mn_json_str(j, o, "label", z->label);
            mn_json_str(j, o, "site", z->site);
            mn_json_str(j, o, "chart", mn_chart_name(z->chart));
            mn_json_num(j, o, "area_cm2", z->area_m2 * 1e4);
            mn_json_int(j, o, "points", (long long)z->n);
            mn_json_str(j, o, "source", z->source);
            mn_json_push(j, za, o);
        }
        for (size_t g = 0; g < zl->n_groups; g++) {
            mn_jnode *o = mn_json_object(j), *m = mn_json_array(j);
            mn_json_str(j, o, "name", zl->groups[g].name);
            if (zl->groups[g].label)
                mn_json_str(j, o, "label", zl->groups[g].label);
            double a = 0;
            for (size_t k = 0; k < zl->groups[g].zones.count; k++) {
                const mn_zone *z = mn_zone_find(zl, zl->groups[g].zones.items[k]);
                a += z ? z->area_m2 : 0;
                mn_json_push_str(j, m, zl->groups[g].zones.items[k]);
            }
            mn_json_put(j, o, "zones", m);
            mn_json_num(j, o, "area_cm2", a * 1e4);
            mn_json_push(j, ga, o);
        }
        for (size_t k = 0; k < mn_roll_pattern_count(); k++) {
            mn_jnode *o = mn_json_object(j);
            mn_json_str(j, o, "name", mn_roll_pattern_name(k));
            mn_json_str(j, o, "description", mn_roll_pattern_help(k));
            mn_json_push(j, pa, o);
        }
        mn_json_put(j, root, "zones", za);
        mn_json_put(j, root, "groups", ga);
        mn_json_put(j, root, "patterns", pa);
        return cli_print_json(c, j);
    }
    printf("%-18s %-5s %-12s %9s  %s\n", "ZONE", "CHART", "SITE", "AREA_cm2", "LABEL");
    for (size_t i = 0; i < zl->count; i++) {
        const mn_zone *z = &zl->items[i];
        printf("%-18s %-5s %-12s %9.1f  %s\n", z->name, mn_chart_name(z->chart),
               z->site, z->area_m2 * 1e4, z->label ? z->label : "");
    }
    printf("\n%-18s %9s  %s\n", "GROUP", "AREA_cm2", "ZONES");
    for (size_t g = 0; g < zl->n_groups; g++) {
        double a = 0;
        for (size_t k = 0; k < zl->groups[g].zones.count; k++) {
            const mn_zone *z = mn_zone_find(zl, zl->groups[g].zones.items[k]);
            a += z ? z->area_m2 : 0;
        }
        printf("%-18s %9.1f  ", zl->groups[g].name, a * 1e4);
        for (size_t k = 0; k < zl->groups[g].zones.count; k++)
            printf("%s%s", k ? ", " : "", zl->groups[g].zones.items[k]);
        printf("\n");
    }
    printf("\n%-26s %s\n", "PATTERN", "DESCRIPTION");
    for (size_t k = 0; k < mn_roll_pattern_count(); k++)
        printf("%-26s %s\n", mn_roll_pattern_name(k), mn_roll_pattern_help(k));
    printf("\nOutlines and their sources: data/zones.yaml. Areas are skin areas of a\n"
           "developed (flattened) chart; see docs/model.md (Rolling).\n");
    return CLI_OK;
}

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

/* One simulated zone (or the free area) with what the CLI needs. */
typedef struct {
    const char *name, *label, *site;
    double depth_m, depth_sd_m, width_m;
    int punctured;
    mn_roll_metrics *m;
    int passes_needed;
    double achieved;
} zone_out;

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

/* ---- the command ---------------------------------------------------------- */

static int run_roll(cli_ctx *c, int argc, char **argv)
{
    roll_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    mn_error e;
    mn_error_clear(&e);
    mn_zone_list zl;
    memset(&zl, 0, sizeof zl);
    if (load_zones(c, o.zones_file, &zl))
        return CLI_FAIL;
    if (o.list) {
        rc = list_all(c, &zl);
        mn_zone_list_free(&zl);
        return rc;
    }
    /* Refuse to overwrite before doing the work. */
    const char *outs[2] = {o.map, o.csv};
    for (int k = 0; k < 2; k++) {
        struct stat st;
        if (outs[k] && !o.force && lstat(outs[k], &st) == 0) {
            cli_errorf(c, "%s exists; use --force to overwrite it", outs[k]);
            mn_zone_list_free(&zl);
            return CLI_FAIL;
        }
    }
#ifdef MNSIM_HAVE_OPENMP
    if (o.threads > 0)
        omp_set_num_threads(o.threads);
    int threads = omp_get_max_threads();
#else
    int threads = 1;
#endif
    mn_depth_params dparams;
    if (cli_load_depth_params(c, &dparams)) {
        mn_zone_list_free(&zl);
        return CLI_FAIL;
    }
    double force_n = 0;
    const char *plabel = "light";
    if ((rc = cli_parse_pressure(c, "roll", &dparams, o.pressure, &force_n, &plabel))) {
        mn_zone_list_free(&zl);
        return rc;
    }

    mn_device_list cat = {0};
    mn_site_list sites = {0};
    mn_device dev;
    mn_device_init(&dev);
    mn_json *j = NULL;
    size_t *idx = NULL, nreg = 0;
    mn_roll_region *regs = NULL;
    zone_out *zo = NULL;
    mn_roll_metrics *mets = NULL;
    mn_roll_result res;
    memset(&res, 0, sizeof res);
    double ax[4], ay[4];
    const char *target_label = NULL;
    rc = CLI_FAIL;
    if (cli_load_devices(c, &cat) || cli_load_sites(c, &sites))
        goto done;
    if (mn_device_resolve(&cat, o.device, &dev, &e) != MN_OK ||
        mn_device_validate(&dev, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    if (o.site) {
        const mn_site *s;
        if (mn_site_find(&sites, o.site, &s, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
    }
    /* The regions: zones of a zone or group, or a rectangle. */
    if (o.zone) {
        if (mn_zones_select(&zl, o.zone, &idx, &nreg, &target_label, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
    } else {
        double w = 0.2, h = 0.2;
        if (o.area && parse_area(c, o.area, &w, &h)) {
            rc = CLI_USAGE;
            goto done;
        }
        ax[0] = 0, ay[0] = 0, ax[1] = w, ay[1] = 0, ax[2] = w, ay[2] = h, ax[3] = 0,
        ay[3] = h;
        nreg = 1;
    }
    regs = calloc(nreg, sizeof *regs);
    zo = calloc(nreg, sizeof *zo);
    mets = calloc(nreg, sizeof *mets);
    if (!regs || !zo || !mets) {
        cli_errorf(c, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nreg; k++) {
        if (o.zone) {
            const mn_zone *z = &zl.items[idx[k]];
            regs[k] = (mn_roll_region){z->name, z->x_m, z->y_m, z->n, NAN, NAN};
            zo[k].name = z->name;
            zo[k].label = z->label;
            zo[k].site = o.site ? o.site : z->site;
        } else {
            regs[k] = (mn_roll_region){"area", ax, ay, 4, NAN, NAN};
            zo[k].name = "area";
            zo[k].label = o.area ? o.area : "20 cm x 20 cm";
            zo[k].site = o.site ? o.site : "cheek";
        }
        zo[k].m = &mets[k];
        /* Depth per puncture from the penetration model at the zone's site. */
        const mn_site *s;
        mn_skin skin;
        mn_depth_result dr;
        if (mn_site_find(&sites, zo[k].site, &s, &e) != MN_OK ||
            mn_site_skin(s, o.sex, &skin, &e) != MN_OK ||
            mn_depth_compute(&dev, &skin, &dparams, force_n, &dr, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
        zo[k].punctured = dr.punctured;
        zo[k].depth_m = dr.punctured ? dr.depth_m : 0;
        zo[k].depth_sd_m = dr.punctured ? dr.depth_sd_m : 0;
        zo[k].width_m = dr.width_m;
        regs[k].depth_mean_m = zo[k].depth_m;
        regs[k].depth_sd_m = zo[k].depth_sd_m;
        if (!dr.punctured && !c->quiet)
            fprintf(stderr,
                    "mnsim: warning: %s does not puncture the skin at %s (%s) "
                    "with %s pressure (%g N): the map shows where the needles "
                    "touch\n",
                    dev.name, zo[k].name, zo[k].site, plabel, force_n);
    }
    /* The session's parameters. */
    mn_roll_params p;
    mn_roll_params_default(&p);
    if (o.no_jitter)
        mn_roll_params_no_jitter(&p);
    if (o.have_overlap)
        p.overlap = o.overlap;
    if (o.have_lateral)
        p.lateral_jitter_m = o.lateral;
    if (o.have_along)
        p.along_jitter_m = o.along;
    if (o.have_angle)
        p.angle_jitter_rad = o.angle;
    if (o.have_slip)
        p.slip = o.slip;
    if (o.have_speed)
        p.hand_speed_m_s = o.speed;
    p.random_phase = o.phase_random;
    if (o.have_phase)
        p.phase_rad = o.phase;
    p.seed = o.seed;
    {
        mn_roll_pattern shape;
        if (mn_roll_pattern_make(o.pattern, 1, &shape, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
        int total = o.per_direction ? o.per_direction * shape.n_dirs : o.passes;
        if (total > MN_ROLL_MAX_PASSES) {
            rc = cli_usage_error(c, "roll", "at most %d passes in all",
                                 MN_ROLL_MAX_PASSES);
            goto done;
        }
        if (mn_roll_pattern_rescale(&shape, total, &p.pattern, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
    }
    if (mn_roll_params_validate(&p, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    progress_state ps = {c, -1};
    mn_progress prog = {show_progress, &ps};
    int show = c->stderr_tty && !c->quiet;
    if (mn_roll_simulate(&dev, regs, nreg, &p, show ? &prog : NULL, &res, &e) !=
        MN_OK) {
        cli_error(c, &e);
        goto done;
    }
    mn_roll_metrics_opts mo;
    mn_roll_metrics_opts_default(&mo);
    mo.grid_m = o.grid;
    mo.coverage_radius_m = o.coverage_radius;
    for (size_t k = 0; k < nreg; k++) {
        /* Two channels coincide when their centres are closer than the
         * channel's width at the surface. */
        mo.hit_radius_m = !isnan(o.hit_radius) ? o.hit_radius
                          : zo[k].width_m > 0  ? zo[k].width_m
                                               : 0.1e-3;
        if (mn_roll_metrics_compute(&res, k, &regs[k], &mo, &mets[k], &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
        zo[k].passes_needed = 0;
        zo[k].achieved = NAN;
    }
    /* Passes to a target, per zone. */
    int tkind = !isnan(o.target_density)    ? MN_ROLL_TARGET_DENSITY
                : !isnan(o.target_coverage) ? MN_ROLL_TARGET_COVERAGE
                                            : -1;
    double tval =
        tkind == MN_ROLL_TARGET_DENSITY ? o.target_density : o.target_coverage;
    if (tkind >= 0)
        for (size_t k = 0; k < nreg; k++)
            if (mn_roll_passes_needed(&dev, &regs[k], &p, &mo, tkind, tval,
                                      o.max_passes, &zo[k].passes_needed,
                                      &zo[k].achieved, &e) != MN_OK) {
                cli_error(c, &e);
                goto done;
            }
    /* Totals. */
    double area = 0;
    size_t punct = 0;
    double dsum = 0;
    for (size_t k = 0; k < nreg; k++) {
        area += mets[k].area_m2;
        punct += mets[k].punctures;
        if (mets[k].punctures)
            dsum += mets[k].depth_mean_m * (double)mets[k].punctures;
    }
    double expected =
        mn_roll_density_per_pass(&dev, &p) * mn_roll_pattern_total(&p.pattern);
    char dirs[256];
    dir_list(&p.pattern, dirs, sizeof dirs);
    const char *where = o.zone ? o.zone : "area";

    /* Files. */
    if (o.map) {
        char title[256];
        snprintf(title, sizeof title, "%s, %s x%d, %s: %.0f /cm2", dev.name, o.pattern,
                 mn_roll_pattern_total(&p.pattern), where, punct / (area * 1e4));
        mn_roll_map_opts mopt = {MN_ROLL_MAP_AUTO, title, 0, 0, o.force};
        if (o.map_mode && !strcmp(o.map_mode, "density"))
            mopt.mode = MN_ROLL_MAP_DENSITY;
        else if (o.map_mode && !strcmp(o.map_mode, "channels"))
            mopt.mode = MN_ROLL_MAP_CHANNELS;
        mopt.channel_radius_m =
            zo[0].width_m > 0 ? fmax(0.5 * zo[0].width_m, 0.05e-3) : 0;
        if (mn_roll_map_write(o.map, &res, regs, nreg, &mopt, &e) != MN_OK) {
            cli_error(c, &e);
            goto done;
        }
    }
    if (o.csv && mn_roll_csv_write(o.csv, &res, regs, o.force, &e) != MN_OK) {
        cli_error(c, &e);
        goto done;
    }

    /* Pattern comparison: passes each named pattern needs so that every
     * zone reaches the target. */
    mn_json *jc = NULL;
    mn_jnode *cmp = NULL;
    if (c->json) {
        j = mn_json_new();
        if (!j) {
            cli_errorf(c, "out of memory");
            goto done;
        }
        jc = j;
        if (o.compare)
            cmp = mn_json_array(j);
    }
    if (o.compare) {
        if (!j)
            printf("Passes each pattern needs so that every zone reaches %s %g%s:\n",
                   tkind == MN_ROLL_TARGET_DENSITY ? "a density of" : "a coverage of",
                   tkind == MN_ROLL_TARGET_DENSITY ? tval * 1e-4 : tval * 100,
                   tkind == MN_ROLL_TARGET_DENSITY ? " /cm2" : "%");
        for (size_t pk = 0; pk < mn_roll_pattern_count(); pk++) {
            mn_roll_params q = p;
            if (mn_roll_pattern_make(mn_roll_pattern_name(pk), 1, &q.pattern, &e) !=
                MN_OK) {
                cli_error(c, &e);
                goto done;
            }
            int worst = 0;
            double worst_v = NAN;
            for (size_t k = 0; k < nreg; k++) {
                int n;
                double v;
                if (mn_roll_passes_needed(&dev, &regs[k], &q, &mo, tkind, tval,
                                          o.max_passes, &n, &v, &e) != MN_OK) {
                    cli_error(c, &e);
                    goto done;
                }
                if (n < 0 || (worst >= 0 && n > worst)) {
                    worst = n < 0 ? -1 : n;
                    worst_v = v;
                }
            }
            if (jc) {
                mn_jnode *po = mn_json_object(j);
                mn_json_str(j, po, "pattern", mn_roll_pattern_name(pk));
                if (worst > 0)
                    mn_json_int(j, po, "passes", worst);
                else
                    mn_json_str(j, po, "passes", "not reached");
                mn_json_num(j, po,
                            tkind == MN_ROLL_TARGET_DENSITY ? "density_per_cm2"
                                                            : "coverage",
                            tkind == MN_ROLL_TARGET_DENSITY ? worst_v * 1e-4 : worst_v);
                mn_json_push(j, cmp, po);
            } else if (worst > 0) {
                printf("  %-26s %4d passes\n", mn_roll_pattern_name(pk), worst);
            } else {
                printf("  %-26s not reached in %d passes\n", mn_roll_pattern_name(pk),
                       o.max_passes);
            }
        }
        if (!j)
            printf("\n");
    }

    if (j) {
        mn_jnode *root = mn_json_root(j);
        mn_json_str(j, root, "device", dev.name);
        mn_json_str(j, root, "type", mn_device_type_name(dev.type));
        mn_json_str(j, root, "where", where);
        if (target_label)
            mn_json_str(j, root, "label", target_label);
        mn_json_str(j, root, "pattern", o.pattern);
        mn_jnode *da = mn_json_array(j);
        for (int d = 0; d < p.pattern.n_dirs; d++) {
            mn_jnode *dobj = mn_json_object(j);
            mn_json_str(j, dobj, "direction",
                        mn_roll_direction_name(p.pattern.angle_rad[d]));
            mn_json_int(j, dobj, "passes", p.pattern.passes[d]);
            mn_json_push(j, da, dobj);
        }
        mn_json_put(j, root, "directions", da);
        mn_json_int(j, root, "passes", mn_roll_pattern_total(&p.pattern));
        mn_json_str(j, root, "pressure", plabel);
        mn_json_num(j, root, "force_n", force_n);
        mn_json_str(j, root, "sex", o.sex == MN_SEX_MALE ? "male" : "female");
        if (o.seed <= (uint64_t)INT64_MAX)
            mn_json_int(j, root, "seed", (long long)o.seed);
        else { /* beyond a JSON integer's safe range: as text */
            char sb[32];
            snprintf(sb, sizeof sb, "%llu", (unsigned long long)o.seed);
            mn_json_str(j, root, "seed", sb);
        }
        mn_json_int(j, root, "threads", threads);
        mn_jnode *hand = mn_json_object(j);
        mn_json_num(j, hand, "overlap", p.overlap);
        mn_json_num(j, hand, "lateral_jitter_mm", p.lateral_jitter_m * 1e3);
        mn_json_num(j, hand, "along_jitter_mm", p.along_jitter_m * 1e3);
        mn_json_num(j, hand, "angle_jitter_deg", p.angle_jitter_rad * 180 / PI);
        mn_json_bool(j, hand, "random_pass_offset", p.random_pass_offset);
        mn_json_bool(j, hand, "random_phase", p.random_phase);
        if (!p.random_phase)
            mn_json_num(j, hand, "phase_deg", p.phase_rad * 180 / PI);
        mn_json_num(j, hand, "slip", p.slip);
        if (dev.type == MN_DEVICE_STAMP || dev.type == MN_DEVICE_PEN)
            mn_json_num(j, hand, "stamp_jitter_mm", p.stamp_jitter_m * 1e3);
        if (dev.type == MN_DEVICE_PEN)
            mn_json_num(j, hand, "speed_mm_s", p.hand_speed_m_s * 1e3);
        mn_json_put(j, root, "hand", hand);
        mn_json_num(j, root, "coverage_radius_mm", mo.coverage_radius_m * 1e3);
        mn_json_num(j, root, "grid_mm", mo.grid_m * 1e3);
        mn_json_num(j, root, "area_cm2", area * 1e4);
        mn_json_int(j, root, "punctures", (long long)punct);
        mn_json_num(j, root, "density_mean_per_cm2", punct / (area * 1e4));
        mn_json_num(j, root, "density_expected_per_cm2", expected * 1e-4);
        mn_json_num(j, root, "density_per_pass_per_cm2",
                    mn_roll_density_per_pass(&dev, &p) * 1e-4);
        mn_json_num(j, root, "depth_mean_um", punct ? dsum / (double)punct * 1e6 : NAN);
        mn_jnode *za = mn_json_array(j);
        for (size_t k = 0; k < nreg; k++) {
            const mn_roll_metrics *m = &mets[k];
            mn_jnode *z = mn_json_object(j);
            mn_json_str(j, z, "name", zo[k].name);
            if (zo[k].label)
                mn_json_str(j, z, "label", zo[k].label);
            mn_json_str(j, z, "site", zo[k].site);
            mn_json_num(j, z, "area_cm2", m->area_m2 * 1e4);
            mn_json_int(j, z, "punctures", (long long)m->punctures);
            mn_json_num(j, z, "density_mean_per_cm2", m->density_mean * 1e-4);
            mn_json_num(j, z, "density_cv", m->density_cv);
            mn_json_num(j, z, "coverage", m->coverage);
            mn_jnode *cb = mn_json_array(j);
            for (int q = 0; q < m->passes && q < MN_ROLL_MAX_PASSES; q++)
                mn_json_push_num(j, cb, m->coverage_by_pass[q]);
            mn_json_put(j, z, "coverage_by_pass", cb);
            mn_json_num(j, z, "nn_mean_mm", m->nn_mean_m * 1e3);
            mn_json_num(j, z, "nn_p05_mm", m->nn_p05_m * 1e3);
            mn_json_num(j, z, "nn_along_mm", m->nn_along_m * 1e3);
            mn_json_num(j, z, "nn_across_mm", m->nn_across_m * 1e3);
            mn_json_num(j, z, "nn_anisotropy", m->nn_anisotropy);
            mn_json_num(j, z, "nn_axis_deg", m->nn_axis_rad * 180 / PI);
            mn_json_num(j, z, "hit_earlier_fraction", m->hit_fraction);
            mn_json_num(j, z, "hit_radius_mm",
                        (!isnan(o.hit_radius) ? o.hit_radius
                         : zo[k].width_m > 0  ? zo[k].width_m
                                              : 0.1e-3) *
                            1e3);
            mn_json_bool(j, z, "punctured", zo[k].punctured);
            mn_json_num(j, z, "depth_model_um", zo[k].depth_m * 1e6);
            mn_json_num(j, z, "depth_model_sd_um", zo[k].depth_sd_m * 1e6);
            mn_json_num(j, z, "depth_mean_um", m->depth_mean_m * 1e6);
            mn_json_num(j, z, "depth_sd_um", m->depth_sd_m * 1e6);
            if (tkind >= 0) {
                if (zo[k].passes_needed > 0)
                    mn_json_int(j, z, "passes_to_target", zo[k].passes_needed);
                else
                    mn_json_str(j, z, "passes_to_target", "not reached");
            }
            mn_json_push(j, za, z);
        }
        mn_json_put(j, root, "zones", za);
        if (tkind >= 0) {
            mn_jnode *t = mn_json_object(j);
            mn_json_str(j, t, "kind",
                        tkind == MN_ROLL_TARGET_DENSITY ? "density" : "coverage");
            mn_json_num(j, t, "value",
                        tkind == MN_ROLL_TARGET_DENSITY ? tval * 1e-4 : tval);
            mn_json_int(j, t, "max_passes", o.max_passes);
            mn_json_put(j, root, "target", t);
        }
        if (o.compare)
            mn_json_put(j, root, "compare_patterns", cmp);
        if (o.map)
            mn_json_str(j, root, "map", o.map);
        if (o.csv)
            mn_json_str(j, root, "csv", o.csv);
        mn_json_str(j, root, "note", "mnsim informs; it is not medical advice");
        rc = cli_print_json(c, j);
        j = NULL;
        goto done;
    }
    int total = mn_roll_pattern_total(&p.pattern);
    printf("%s on %s (%.1f cm2): %s, %d pass%s (%s), %s pressure (%g N), seed %llu\n",
           dev.name, where, area * 1e4, o.pattern, total, total == 1 ? "" : "es", dirs,
           plabel, force_n, (unsigned long long)o.seed);
    printf("%-18s %8s %7s %7s %6s %6s %6s %6s %6s %6s %5s %5s %6s", "ZONE", "AREA_cm2",
           "PUNCT", "PER_cm2", "CV_1mm", "COVER", "NN_mm", "P05_mm", "ALONG", "ACROSS",
           "ANISO", "HIT%", "DEPTH");
    if (tkind >= 0)
        printf(" %6s", "PASSES");
    printf("\n");
    for (size_t k = 0; k < nreg; k++) {
        const mn_roll_metrics *m = &mets[k];
        printf("%-18s %8.1f %7zu %7.1f %6.2f %6.3f %6.3f %6.3f %6.3f %6.3f %5.2f %5.1f "
               "%6.0f",
               zo[k].name, m->area_m2 * 1e4, m->punctures, m->density_mean * 1e-4,
               m->density_cv, m->coverage, m->nn_mean_m * 1e3, m->nn_p05_m * 1e3,
               m->nn_along_m * 1e3, m->nn_across_m * 1e3, m->nn_anisotropy,
               100 * m->hit_fraction, m->depth_mean_m * 1e6);
        if (tkind >= 0) {
            if (zo[k].passes_needed > 0)
                printf(" %6d", zo[k].passes_needed);
            else
                printf(" %6s", ">max");
        }
        printf("\n");
    }
    if (nreg > 1)
        printf("%-18s %8.1f %7zu %7.1f\n", "total", area * 1e4, punct,
               punct / (area * 1e4));
    if (!c->quiet) {
        printf("Expected from the device: %.1f punctures/cm2 (%.2f per pass%s).\n",
               expected * 1e-4, mn_roll_density_per_pass(&dev, &p) * 1e-4,
               p.overlap > 0 ? ", with overlap" : "");
        printf(
            "COVER: share of the area within %.2g mm of a channel; NN: nearest channel "
            "(ALONG/ACROSS its stroke,\nANISO 0 = no preferred direction); HIT: "
            "punctures on a channel of an earlier stroke; DEPTH in um.\n",
            mo.coverage_radius_m * 1e3);
        if (tkind >= 0)
            printf("PASSES: total passes of the pattern that reach %s %g%s (at most "
                   "%d).\n",
                   tkind == MN_ROLL_TARGET_DENSITY ? "a density of" : "a coverage of",
                   tkind == MN_ROLL_TARGET_DENSITY ? tval * 1e-4 : tval * 100,
                   tkind == MN_ROLL_TARGET_DENSITY ? " /cm2" : "%", o.max_passes);
        if (o.map)
            fprintf(stderr, "mnsim: wrote %s\n", o.map);
        if (o.csv)
            fprintf(stderr, "mnsim: wrote %s (%zu punctures)\n", o.csv, res.count);
        printf("Model and its limits: docs/model.md (Rolling). Not medical advice.\n");
    }
    rc = CLI_OK;
done:
    mn_json_free(j);
    mn_roll_result_free(&res);
    free(regs);
    free(zo);
    free(mets);
    free(idx);
    mn_device_clear(&dev);
    mn_device_list_free(&cat);
    mn_site_list_free(&sites);
    mn_zone_list_free(&zl);
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
