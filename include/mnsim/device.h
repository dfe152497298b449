/* mnsim: microneedling devices: rollers, stamps and pens (floor: model).
 * Thread safety: reentrant: calls on distinct objects may run in parallel, and const
 * inputs may be shared read-only between threads. */
#ifndef MNSIM_DEVICE_H
#define MNSIM_DEVICE_H

#include "mnsim/error.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_DEVICE_ROLLER = 0, MN_DEVICE_STAMP, MN_DEVICE_PEN } mn_device_type;
typedef enum { MN_SETTING_HOME = 0, MN_SETTING_CLINIC } mn_setting;

/* "home" or "clinic"; NULL-terminated list of them for readers. */
const char *mn_setting_name(int setting);
extern const char *const mn_setting_names[];
typedef enum { MN_LAYOUT_GRID = 0, MN_LAYOUT_CIRCLE } mn_layout;

/* A device. All lengths in m, angles in rad, frequencies in Hz. Fields
 * that do not apply to the type are NaN (numbers) or -1 (counts). */
typedef struct {
    char *name;
    char *label;
    int type;    /* mn_device_type */
    int setting; /* mn_setting */
    char *material;
    double needle_length_m;
    double needle_base_diameter_m;
    double tip_radius_m;
    /* roller */
    double drum_diameter_m;
    double drum_width_m;
    long rings;
    long needles_per_ring;
    double tilt_rad;
    /* stamp */
    long rows;
    long columns;
    double pitch_m; /* stamp and pen */
    /* pen */
    long needle_count;
    int layout; /* mn_layout */
    double cartridge_diameter_m;
    double stroke_frequency_hz;
    double depth_min_m;
    double depth_max_m;
    /* provenance */
    char *source;
    mn_strings typical;
    char *notes;
} mn_device;

/* A list of devices (the catalog); owns its items. */
typedef struct {
    mn_device *items;
    size_t count;
} mn_device_list;

/* Free the items of a list (not l itself); l may be NULL. */
void mn_device_list_free(mn_device_list *l);

/* Set every field to "not given" (NaN / -1 / NULL). */
void mn_device_init(mn_device *d);

/* Free the strings a device owns (not d itself); d may be NULL. */
void mn_device_clear(mn_device *d);

/* Deep copy src into dst (dst is overwritten, not freed). MN_ENOMEM. */
mn_status mn_device_copy(mn_device *dst, const mn_device *src, mn_error *err);

/* Name of a device type ("roller", "stamp", "pen"). */
const char *mn_device_type_name(int type);

/* Number of needles on the device. */
long mn_device_needle_count(const mn_device *d);

/* Check that a device is complete and consistent for its type (fields of
 * the type present, tip radius below base radius, ...). MN_EINVAL with a
 * message naming the key. */
mn_status mn_device_validate(const mn_device *d, mn_error *err);

/* Punctures per unit area for one pass (m^-2): for a roller, needles per
 * revolution over the area one revolution covers, N / (pi D W). */
double mn_device_density_per_pass(const mn_device *d);

#ifdef __cplusplus
}
#endif
#endif
