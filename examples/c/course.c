/* A whole course through libmnsim's public API: a protocol file read and
 * resolved against the data directory, then the pipeline of `mnsim run`
 * (safety check, rolling, depth, healing, delivery) in one call,
 * mn_course_run. Writes no files.
 *
 *   course DATA_DIR PROTOCOL.yaml
 *
 * e.g. course data examples/acne-scars.yaml. Prints the safety findings,
 * and for each zone the channel depth and the total collagen of the median
 * person at 1, 3, 6 and 12 months (% of baseline). */
#include <mnsim/mnsim.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: course DATA_DIR PROTOCOL.yaml\n");
        return 2;
    }
    char buf[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 64];
    int rc = 1;
    mn_error e;
    mn_error_clear(&e);
    mn_diags diags = {0};
    mn_course course = {0};
    mn_course_outcome out = {0};

    /* Read the protocol; every problem of the file is in diags. */
    if (mn_course_load(argv[2], argv[1], &course, &diags, &e) != MN_OK) {
        for (size_t i = 0; i < diags.count; i++)
            fprintf(stderr, "%s: %s\n", mn_severity_name(diags.severity[i]),
                    mn_error_format(&diags.items[i], buf, sizeof buf));
        if (!diags.count)
            fprintf(stderr, "course: %s\n", mn_error_format(&e, buf, sizeof buf));
        goto done;
    }

    mn_course_run_options o;
    mn_course_run_options_default(&o);
    if (mn_course_run(&course, &o, NULL, &out, &e) != MN_OK) {
        fprintf(stderr, "course: %s\n", mn_error_format(&e, buf, sizeof buf));
        goto done;
    }

    const mn_course_result *res = &out.course;
    printf("%s: %zu sessions, %zu zones, %ld punctures simulated, seed %llu\n", argv[2],
           res->n_sessions, res->n_zones, res->total_punctures,
           (unsigned long long)res->seed);
    printf("safety: %zu error(s), %zu warning(s)\n", res->findings.n_errors,
           res->findings.n_warnings);
    for (size_t i = 0; i < res->findings.count; i++)
        printf("  %s: %s\n", mn_severity_name(res->findings.items[i].severity),
               res->findings.items[i].message);
    static const double months[] = {1, 3, 6, 12};
    printf("%-14s %8s %8s %8s %8s %8s\n", "zone", "depth_um", "1 month", "3 months",
           "6 months", "12 months");
    for (size_t z = 0; z < res->n_zones; z++) {
        const mn_heal_result *h = &res->heal[res->heal_of[z]];
        if (!h->n_days)
            continue;
        /* cells: a row per session; the first session that treats zone z. */
        double depth_um = 0;
        for (size_t s = 0; s < res->n_sessions; s++) {
            const mn_course_cell *cell = &res->cells[s * res->n_zones + z];
            if (cell->treated) {
                depth_um = cell->depth.depth_m * 1e6;
                break;
            }
        }
        printf("%-14s %8.0f", course.zones[z].name, depth_um);
        for (size_t m = 0; m < sizeof months / sizeof *months; m++) {
            double v = mn_heal_out_at(&course.healing.population.median, h,
                                      MN_HEAL_OUT_COLLAGEN_TOTAL,
                                      months[m] * MN_HEAL_DAYS_PER_MONTH);
            printf(" %+7.0f%%", 100 * (v - 1));
        }
        printf("\n");
    }
    printf("delivery cases: %zu\n", out.delivery.count);
    rc = 0;
done:
    mn_course_outcome_free(&out);
    mn_course_free(&course);
    mn_diags_free(&diags);
    return rc;
}
