/* mnsim: reading the calibration and validation cases (floor: data).
 *
 * A folder (data/validation in the data directory) holds files of kind
 * "validation" (a list `cases:`, each a mnsim/validation.h case) and one
 * devices.yaml (kind: devices) with the devices of the studies that are not
 * in the catalog (a study's own roller or array).
 *
 * Thread safety: reentrant: each call reads its files into the caller's list. */
#ifndef MNSIM_VALIDATION_IO_H
#define MNSIM_VALIDATION_IO_H

#include "mnsim/course.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/input.h"
#include "mnsim/validation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema of the file kind "validation", for `mnsim check` and docs. */
extern const mn_schema mn_schema_validation_file;

/* Read one file of kind validation, appending its cases to out (names must
 * be unique across everything out holds). Errors: MN_EIO, MN_EPARSE,
 * MN_ESCHEMA (first problem in err, every problem in diags), MN_ENOMEM. */
mn_status mn_validation_load(const char *path, mn_vcase_list *out, mn_diags *diags,
                             mn_error *err);

/* Read every *.yaml of dir, in name order: devices.yaml into *devices (may
 * be NULL to skip it), every other file as a validation file into cases.
 * Free both with mn_vcase_list_free and mn_device_list_free, also after an
 * error. */
mn_status mn_validation_load_dir(const char *dir, mn_vcase_list *cases,
                                 mn_device_list *devices, mn_diags *diags,
                                 mn_error *err);

/* The published record beside a course's results: the cases of the
 * models a course uses, evaluated with the course's own catalogs and
 * parameters for the median person. */
typedef struct {
    mn_vcase_list cases;
    mn_device_list study; /* the studies' own devices (validation/devices.yaml) */
    mn_device_list all;   /* the course's catalog, then study (shallow copies) */
    mn_vresult *results;  /* one per case */
} mn_course_evidence;

/* Read data_dir/validation (a missing folder gives no cases and MN_OK),
 * keep the cases of the models a course report shows (depth, roll,
 * channel, heal; deliver only when with_delivery) and evaluate them with
 * c's catalogs, sites, penetration, healing, channel and compound
 * parameters (mn_validation_run, no virtual people). ev->cases empty: none.
 * Errors: those of mn_validation_load_dir (every problem in diags),
 * MN_ENOMEM. Free with mn_course_evidence_free, also after an error.
 * Reentrant (c is only read). */
mn_status mn_course_evidence_load(const char *data_dir, const mn_course *c,
                                  int with_delivery, mn_course_evidence *ev,
                                  mn_diags *diags, mn_error *err);

/* Free what ev owns and empty it (NULL or an empty ev: nothing). */
void mn_course_evidence_free(mn_course_evidence *ev);

/* The part of ev that mn_course_outcome's evidence lends to the report. */
mn_evidence mn_course_evidence_view(const mn_course_evidence *ev);

#ifdef __cplusplus
}
#endif
#endif
