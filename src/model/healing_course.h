/* A course simulated, for the ensemble (floor: model, not installed): what
 * healing_course.c gives healing_ensemble.c. */
#ifndef MNSIM_MODEL_HEALING_COURSE_H
#define MNSIM_MODEL_HEALING_COURSE_H

#include "mnsim/healing.h"

/* The checks of a course: skin type, doses, sessions in time order,
 * horizon. */
mn_status mn_heal__check_course(const mn_heal_course *c, mn_error *err);

/* The days simulated: the course's horizon, or by default a year (and at
 * least 90 days after the last session). */
double mn_heal__course_horizon(const mn_heal_course *c);

/* mn_heal_simulate without setting GSL's error handler (the caller has
 * turned it off). */
mn_status mn_heal__simulate(const mn_heal_params *p, const mn_heal_course *c,
                            const mn_heal_solver *s_in, mn_heal_result *out,
                            mn_error *err);

#endif /* MNSIM_MODEL_HEALING_COURSE_H */
