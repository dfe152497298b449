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

#ifdef __cplusplus
}
#endif
#endif
