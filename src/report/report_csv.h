/* The CSV files of a course's report and the healing values report.html,
 * results.json and the CSV share (floor: report; private to src/report). */
#ifndef MNSIM_REPORT_CSV_H
#define MNSIM_REPORT_CSV_H

#include "mnsim/course.h"
#include "mnsim/error.h"
#include "mnsim/healing.h"

/* Output out of zone z on day day: the median of the virtual people when
 * there are some, else the median person (NaN when the zone never healed). */
double mn_rep_heal_p50(const mn_course_result *r, size_t z, int out, double day,
                       const mn_heal_params *median);
/* Output out on day day of a band's array arr (p5, p95), NaN without one. */
double mn_rep_band_at(const mn_heal_band *b, const double *arr, int out, double day);
/* healing.csv (per zone and day) and sessions.csv (per session and zone,
 * with the zone's device) into dir. */
mn_status mn_rep_course_csv(const char *dir, const mn_course *c,
                            const mn_course_result *r, mn_error *err);

#endif
