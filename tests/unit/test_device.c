#include "mn_test.h"
#include "mnsim/device.h"

#include <stdlib.h>

static mn_device standard_roller(void)
{
    mn_device d;
    mn_device_init(&d);
    d.name = "roller";
    d.type = MN_DEVICE_ROLLER;
    d.needle_length_m = 1.5e-3;
    d.needle_base_diameter_m = 0.25e-3;
    d.tip_radius_m = 4e-6;
    d.drum_diameter_m = 20e-3;
    d.drum_width_m = 20e-3;
    d.rings = 8;
    d.needles_per_ring = 24;
    return d;
}

int main(void)
{
    mn_device d = standard_roller();
    mn_error e;
    CHECK(mn_device_validate(&d, &e) == MN_OK);
    CHECK(mn_device_needle_count(&d) == 192);
    /* 192 / (pi x 2 cm x 2 cm) = 15.28 per cm^2 ([doddaballapur2009] geometry). */
    CHECK_CLOSE(mn_device_density_per_pass(&d) * 1e-4, 192 / (3.14159265358979 * 4), 1e-12);

    d.drum_diameter_m = NAN;
    CHECK(mn_device_validate(&d, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "drum_diameter");
    d = standard_roller();
    d.tip_radius_m = 0.2e-3;
    CHECK(mn_device_validate(&d, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "tip_radius");
    d = standard_roller();
    d.needle_length_m = 12e-3;
    CHECK(mn_device_validate(&d, &e) == MN_EINVAL);

    mn_device p = standard_roller();
    p.type = MN_DEVICE_PEN;
    CHECK(mn_device_validate(&p, &e) == MN_EINVAL);
    p.needle_count = 12;
    p.pitch_m = 1e-3;
    p.cartridge_diameter_m = 9e-3;
    p.stroke_frequency_hz = 120;
    p.depth_min_m = 0.25e-3;
    p.depth_max_m = 2.5e-3;
    CHECK(mn_device_validate(&p, &e) == MN_OK);
    p.needle_length_m = 3e-3;
    CHECK(mn_device_validate(&p, &e) == MN_EINVAL);
    CHECK(!strcmp(mn_device_type_name(MN_DEVICE_STAMP), "stamp"));

    /* Deep copy owns its strings. */
    mn_device src;
    mn_device_init(&src);
    src.name = strdup("a");
    src.source = strdup("b");
    src.typical.items = calloc(1, sizeof(char *));
    src.typical.items[0] = strdup("tip_radius");
    src.typical.count = 1;
    mn_device cp;
    CHECK(mn_device_copy(&cp, &src, &e) == MN_OK);
    CHECK(cp.name != src.name && !strcmp(cp.name, "a"));
    CHECK(mn_strings_has(&cp.typical, "tip_radius"));
    mn_device_clear(&src);
    mn_device_clear(&cp);
    mn_device_clear(NULL);
    return mn_test_report("device");
}
