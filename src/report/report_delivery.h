/* The delivery stage's part of a course's report: its JSON, CSV, figures
 * and section of report.html (floor: report; private to src/report). */
#ifndef MNSIM_REPORT_DELIVERY_H
#define MNSIM_REPORT_DELIVERY_H

#include "mnsim/course.h"
#include "mnsim/course_deliver.h"
#include "mnsim/json.h"
#include "report_text.h"

/* Delivery figures: the first 12 cases. */
#define MAX_DELIVERY_FIGS 12

const mn_transport_result *mn_rep_case_series(const mn_course_delivery *x);
const char *mn_rep_case_where(const mn_course_delivery *x, char *buf, size_t n);
mn_jnode *mn_rep_delivery_json(mn_json *j, const mn_course *c,
                               const mn_course_deliveries *dl);
mn_status mn_rep_delivery_csv(const char *dir, const mn_course *c,
                              const mn_course_deliveries *dl, mn_error *err);
mn_status mn_rep_delivery_figures(const char *dir, const mn_course *c,
                                  const mn_course_deliveries *dl, mn_error *err);
void mn_rep_html_delivery(sbuf *b, const char *dir, const mn_course *c,
                          const mn_course_deliveries *dl, int sec);

#endif
