/* Penetration model: monotonicity, bounds, thresholds (parameters from the
 * shipped data/penetration.yaml). */
#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/depth.h"

static mn_device roller(double length_m)
{
    mn_device d;
    mn_device_init(&d);
    d.name = "roller";
    d.type = MN_DEVICE_ROLLER;
    d.needle_length_m = length_m;
    d.needle_base_diameter_m = 0.25e-3;
    d.tip_radius_m = 4e-6;
    d.drum_diameter_m = 20e-3;
    d.drum_width_m = 20e-3;
    d.rings = 8;
    d.needles_per_ring = 24;
    d.tilt_rad = 0;
    return d;
}

static mn_skin cheek(void)
{
    mn_skin k = {{17e-6, 46e-6, 174e-6, 0.70e-3}, 150e-6, 14.8e3};
    return k;
}

int main(int argc, char **argv)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/penetration.yaml", argc > 1 ? argv[1] : "data");
    mn_depth_params p;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_depth_params_load(path, &p, NULL, &e) == MN_OK);
    CHECK(mn_depth_params_validate(&p, &e) == MN_OK);
    mn_skin k = cheek();

    /* Depth < length, and non-decreasing in length and in force. */
    for (double F = 1; F <= 40; F *= 2) {
        double prev = -1;
        int mono = 1, below = 1;
        for (double L = 0.1e-3; L <= 3.0e-3; L += 0.05e-3) {
            mn_device d = roller(L);
            mn_depth_result r;
            CHECK(mn_depth_compute(&d, &k, &p, F, &r, &e) == MN_OK);
            mono &= r.depth_m >= prev;
            below &= r.depth_m < L;
            prev = r.depth_m;
        }
        CHECK(mono);
        CHECK(below);
    }
    for (double L = 0.25e-3; L <= 3.0e-3; L += 0.25e-3) {
        double prev = -1;
        int mono = 1;
        mn_device d = roller(L);
        for (double F = 0.5; F <= 60; F *= 1.3) {
            mn_depth_result r;
            CHECK(mn_depth_compute(&d, &k, &p, F, &r, &e) == MN_OK);
            mono &= r.depth_m >= prev;
            prev = r.depth_m;
        }
        CHECK(mono);
    }

    /* Stiffer skin tents less: deeper channels. */
    mn_device d15 = roller(1.5e-3);
    mn_depth_result soft, stiff;
    mn_skin ks = k;
    ks.youngs_modulus_pa = 5e3;
    CHECK(mn_depth_compute(&d15, &ks, &p, 5, &soft, &e) == MN_OK);
    ks.youngs_modulus_pa = 50e3;
    CHECK(mn_depth_compute(&d15, &ks, &p, 5, &stiff, &e) == MN_OK);
    CHECK(stiff.depth_m > soft.depth_m);

    /* Below the puncture force nothing is punctured. */
    mn_device blunt = roller(1.5e-3);
    blunt.tip_radius_m = 60e-6;
    mn_depth_result r;
    CHECK(mn_depth_compute(&blunt, &k, &p, 0.5, &r, &e) == MN_OK);
    CHECK(!r.punctured && r.depth_m == 0 && r.layer == MN_LAYER_NONE);
    CHECK(r.bleeding_fraction == 0);

    /* Bleeding and layer follow the depth; a long needle on a thin eyelid
     * passes the dermis. */
    mn_skin eyelid = {{15e-6, 46e-6, 116e-6, 0.46e-3}, 150e-6, 14.8e3};
    mn_device d25 = roller(2.5e-3);
    CHECK(mn_depth_compute(&d25, &eyelid, &p, 10, &r, &e) == MN_OK);
    CHECK(r.beyond_dermis && r.layer == MN_LAYER_SUBCUTIS);
    CHECK(r.bleeding_fraction > 0.99 && r.anaesthesia_advised);
    mn_device d02 = roller(0.2e-3);
    CHECK(mn_depth_compute(&d02, &k, &p, 5, &r, &e) == MN_OK);
    CHECK(r.bleeding_fraction < 0.01 && !r.beyond_dermis && !r.anaesthesia_advised);
    /* Short needles stop inside the stratum corneum: they disrupt it (a
     * patch of the calibrated radius per contact), long ones cut channels. */
    CHECK(r.punctured && r.depth_m < k.thickness_m[0] && r.disrupted);
    CHECK(r.disruption_radius_m == p.disruption_radius_m && p.disruption_radius_m > 0);
    CHECK(mn_depth_compute(&d15, &k, &p, 5, &r, &e) == MN_OK);
    CHECK(!r.disrupted && r.disruption_radius_m == 0);
    CHECK(mn_depth_compute(&blunt, &k, &p, 0.5, &r, &e) == MN_OK);
    CHECK(!r.disrupted); /* not punctured: not even touched through */

    /* Force per needle: roller over its rings, stamp over all needles. */
    CHECK_CLOSE(mn_depth_force_per_needle(&d15, &p, 8), 1.0, 1e-12);
    mn_device st = roller(1e-3);
    st.type = MN_DEVICE_STAMP;
    st.rows = 5;
    st.columns = 7;
    st.pitch_m = 1.5e-3;
    CHECK_CLOSE(mn_depth_force_per_needle(&st, &p, 7), 0.2, 1e-12);
    CHECK_CLOSE(mn_depth_support_distance(&st), 1.5e-3, 1e-12);
    /* Roller support: sqrt(pi (D + 2L)/24 * W/8). */
    CHECK_CLOSE(mn_depth_support_distance(&d15),
                sqrt(3.14159265358979 * 23e-3 / 24 * 2.5e-3), 1e-9);

    /* Errors. */
    CHECK(mn_depth_compute(&d15, &k, &p, 0, &r, &e) == MN_EINVAL);
    CHECK(mn_depth_compute(&d15, &k, &p, NAN, &r, &e) == MN_EINVAL);
    mn_depth_params bad = p;
    bad.depth_cv = 2;
    CHECK(mn_depth_compute(&d15, &k, &bad, 5, &r, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message, "depth_cv");
    bad = p;
    bad.hand_force_n[MN_PRESSURE_FIRM] = 1;
    CHECK(mn_depth_params_validate(&bad, &e) == MN_ERANGE);
    CHECK(!strcmp(mn_pressure_name(MN_PRESSURE_MEDIUM), "medium"));
    CHECK(mn_depth_hand_force(&p, MN_PRESSURE_FIRM, 0) == p.hand_force_n[2]);
    CHECK(mn_depth_hand_force(&p, MN_PRESSURE_FIRM, 7) == 7);
    return mn_test_report("depth");
}
