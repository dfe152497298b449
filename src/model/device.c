/* Devices: rollers, stamps and pens. */
#include "mnsim/device.h"
#include "mnsim/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const mn_setting_names[] = {"home", "clinic", NULL};

const char *mn_setting_name(int setting)
{
    return setting == MN_SETTING_HOME ? "home" : setting == MN_SETTING_CLINIC ? "clinic" : "?";
}

void mn_device_init(mn_device *d)
{
    memset(d, 0, sizeof *d);
    d->type = MN_DEVICE_ROLLER;
    d->setting = MN_SETTING_CLINIC;
    d->needle_length_m = d->needle_base_diameter_m = d->tip_radius_m = NAN;
    d->drum_diameter_m = d->drum_width_m = d->tilt_rad = NAN;
    d->pitch_m = d->cartridge_diameter_m = NAN;
    d->stroke_frequency_hz = d->depth_min_m = d->depth_max_m = NAN;
    d->rings = d->needles_per_ring = d->rows = d->columns = -1;
    d->needle_count = -1;
    d->layout = MN_LAYOUT_GRID;
}

void mn_device_clear(mn_device *d)
{
    if (!d)
        return;
    free(d->name);
    free(d->label);
    free(d->material);
    free(d->source);
    free(d->notes);
    mn_strings_free(&d->typical);
    mn_device_init(d);
}

static char *dup_or_null(const char *s, int *fail)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *fail = 1;
    return c;
}

mn_status mn_device_copy(mn_device *dst, const mn_device *src, mn_error *err)
{
    int fail = 0;
    *dst = *src;
    dst->name = dup_or_null(src->name, &fail);
    dst->label = dup_or_null(src->label, &fail);
    dst->material = dup_or_null(src->material, &fail);
    dst->source = dup_or_null(src->source, &fail);
    dst->notes = dup_or_null(src->notes, &fail);
    dst->typical.items = NULL;
    dst->typical.count = 0;
    if (src->typical.count) {
        dst->typical.items = calloc(src->typical.count, sizeof(char *));
        if (!dst->typical.items)
            fail = 1;
        else {
            dst->typical.count = src->typical.count;
            for (size_t i = 0; i < src->typical.count; i++)
                dst->typical.items[i] = dup_or_null(src->typical.items[i], &fail);
        }
    }
    if (fail) {
        mn_device_clear(dst);
        return mn_error_set(err, MN_ENOMEM, "out of memory copying device");
    }
    return MN_OK;
}

const char *mn_device_type_name(int type)
{
    switch (type) {
    case MN_DEVICE_ROLLER: return "roller";
    case MN_DEVICE_STAMP: return "stamp";
    case MN_DEVICE_PEN: return "pen";
    }
    return "unknown";
}

long mn_device_needle_count(const mn_device *d)
{
    switch (d->type) {
    case MN_DEVICE_ROLLER: return d->rings * d->needles_per_ring;
    case MN_DEVICE_STAMP: return d->rows * d->columns;
    case MN_DEVICE_PEN: return d->needle_count;
    }
    return 0;
}

static mn_status need(const char *name, double v, const char *key, const char *type,
                      mn_error *err)
{
    if (isnan(v))
        return mn_error_set(err, MN_EINVAL, "device '%s': a %s needs '%s'",
                            name, type, key);
    return MN_OK;
}

static mn_status need_count(const char *name, long v, const char *key,
                            const char *type, mn_error *err)
{
    if (v < 1)
        return mn_error_set(err, MN_EINVAL, "device '%s': a %s needs '%s'",
                            name, type, key);
    return MN_OK;
}

mn_status mn_device_validate(const mn_device *d, mn_error *err)
{
    const char *n = d->name ? d->name : "(unnamed)";
    const char *t = mn_device_type_name(d->type);
    mn_status s;
    if ((s = need(n, d->needle_length_m, "needle_length", t, err)) ||
        (s = need(n, d->needle_base_diameter_m, "needle_base_diameter", t, err)) ||
        (s = need(n, d->tip_radius_m, "tip_radius", t, err)))
        return s;
    if (d->tip_radius_m >= 0.5 * d->needle_base_diameter_m)
        return mn_error_set(err, MN_EINVAL,
                            "device '%s': tip_radius (%g um) must be smaller "
                            "than half the needle_base_diameter (%g um)",
                            n, d->tip_radius_m * 1e6,
                            d->needle_base_diameter_m * 1e6);
    switch (d->type) {
    case MN_DEVICE_ROLLER:
        if ((s = need(n, d->drum_diameter_m, "drum_diameter", t, err)) ||
            (s = need(n, d->drum_width_m, "drum_width", t, err)) ||
            (s = need_count(n, d->rings, "rings", t, err)) ||
            (s = need_count(n, d->needles_per_ring, "needles_per_ring", t, err)))
            return s;
        if (d->needle_length_m >= 0.5 * d->drum_diameter_m)
            return mn_error_set(err, MN_EINVAL,
                                "device '%s': needle_length must be shorter "
                                "than the drum radius",
                                n);
        break;
    case MN_DEVICE_STAMP:
        if ((s = need_count(n, d->rows, "rows", t, err)) ||
            (s = need_count(n, d->columns, "columns", t, err)) ||
            (s = need(n, d->pitch_m, "pitch", t, err)))
            return s;
        break;
    case MN_DEVICE_PEN:
        if ((s = need_count(n, d->needle_count, "needle_count", t, err)) ||
            (s = need(n, d->pitch_m, "pitch", t, err)) ||
            (s = need(n, d->cartridge_diameter_m, "cartridge_diameter", t, err)) ||
            (s = need(n, d->stroke_frequency_hz, "stroke_frequency", t, err)) ||
            (s = need(n, d->depth_min_m, "depth_min", t, err)) ||
            (s = need(n, d->depth_max_m, "depth_max", t, err)))
            return s;
        if (d->depth_min_m > d->depth_max_m)
            return mn_error_set(err, MN_EINVAL,
                                "device '%s': depth_min must not exceed "
                                "depth_max",
                                n);
        if (d->needle_length_m > d->depth_max_m + 1e-12 ||
            d->needle_length_m < d->depth_min_m - 1e-12)
            return mn_error_set(err, MN_EINVAL,
                                "device '%s': needle_length (the set depth) "
                                "must lie in depth_min..depth_max",
                                n);
        break;
    default:
        return mn_error_set(err, MN_EINVAL, "device '%s': unknown type", n);
    }
    return MN_OK;
}

double mn_device_density_per_pass(const mn_device *d)
{
    if (d->type == MN_DEVICE_ROLLER)
        return (double)mn_device_needle_count(d) /
               (MN_PI * d->drum_diameter_m * d->drum_width_m);
    if (d->type == MN_DEVICE_STAMP || d->type == MN_DEVICE_PEN)
        return 1.0 / (d->pitch_m * d->pitch_m);
    return NAN;
}

void mn_device_list_free(mn_device_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        mn_device_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}
