/* mnsim: the shipped catalogs (devices, sites) and the file kinds that
 * `mnsim check` knows (floor: data).
 *
 * Thread safety: reentrant: each call reads its file into the caller's objects;
 * loaded catalogs may be shared read-only between threads; the schemas are constant. */
#ifndef MNSIM_CATALOG_H
#define MNSIM_CATALOG_H

#include <stddef.h>

#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/input.h"
#include "mnsim/skin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schemas, for readers and for generated documentation. */
extern const mn_schema mn_schema_device;      /* one device record */
extern const mn_schema mn_schema_device_file; /* kind: device */
extern const mn_schema mn_schema_devices_file;/* kind: devices */
extern const mn_schema mn_schema_site;        /* one site record */
extern const mn_schema mn_schema_sites_file;  /* kind: sites */

/* Read a devices catalog file (kind: devices). Errors: MN_EIO, MN_EPARSE,
 * MN_ESCHEMA with the first problem in err (all in diags if given). */
mn_status mn_devices_load(const char *path, mn_device_list *out,
                          mn_diags *diags, mn_error *err);

/* Read one user device file (kind: device). */
mn_status mn_device_load(const char *path, mn_device *out, mn_diags *diags,
                         mn_error *err);

/* Whether a device spec names a file (contains '/' or ends in .yaml, .yml
 * or .json) rather than a catalog entry: 1 or 0. Front ends that must not
 * let a request reach the file system (the web app) refuse such specs. */
int mn_device_spec_is_file(const char *spec);

/* Find a device by catalog name, or read it from a file when spec names a
 * file (mn_device_spec_is_file). *out is a deep copy
 * the caller clears with mn_device_clear. MN_ENOTFOUND lists near names. */
mn_status mn_device_resolve(const mn_device_list *catalog, const char *spec,
                            mn_device *out, mn_error *err);

/* Read a skin-site catalog file (kind: sites). Errors as mn_devices_load. */
mn_status mn_sites_load(const char *path, mn_site_list *out, mn_diags *diags,
                        mn_error *err);

/* Read the penetration model's parameters (kind: penetration). */
mn_status mn_depth_params_load(const char *path, mn_depth_params *out,
                               mn_diags *diags, mn_error *err);
extern const mn_schema mn_schema_penetration_file;

/* Check any mnsim input file: detect its kind from the top-level "kind"
 * key and report every problem into diags. Returns MN_OK when no error. */
mn_status mn_check_file(const char *path, mn_diags *diags);

/* Comma-separated list of the file kinds mn_check_file knows. */
const char *mn_check_kinds(void);

#ifdef __cplusplus
}
#endif
#endif
