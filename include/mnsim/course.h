/* mnsim: a course of sessions, resolved against the catalogs, and its
 * safety check (therapy layer). */
#ifndef MNSIM_COURSE_H
#define MNSIM_COURSE_H

#include <stddef.h>

#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/protocol.h"
#include "mnsim/rules.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A zone as the course uses it. */
typedef struct {
    const char *name;
    const char *site;
    int region;     /* mn_region */
    mn_skin skin;   /* layers for the person's sex */
    double area_m2;
} mn_course_zone;

/* Everything a course needs, resolved (names to structs). Pointers are
 * borrowed: the io layer owns them (mnsim/course_io.h). */
typedef struct {
    const mn_protocol *protocol;
    const mn_session *sessions;
    size_t n_sessions;
    const mn_device *devices;            /* one per session */
    const mn_course_zone *zones;
    size_t n_zones;
    size_t *const *session_zones;        /* per session: indices into zones */
    const size_t *n_session_zones;       /* per session: how many */
    const mn_rules *rules;
    const mn_depth_params *depth;
} mn_course_input;

/* Hand force of a session (N): the protocol's explicit force or its
 * pressure level. */
double mn_course_force(const mn_course_input *in, size_t session);

/* Check a course against the rules: contraindications, needle limits for
 * the setting and indication, intervals per zone, what the penetration
 * model says at each zone (channels past the dermis, numbing advised but
 * not planned, bleeding at home), skin-type cautions. Every finding goes to
 * out with its rule and source. Errors only for failures (MN_ENOMEM, a
 * model error), not for findings. */
mn_status mn_course_check(const mn_course_input *in, mn_findings *out, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
