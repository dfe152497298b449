#include "mn_test.h"
#include "mnsim/skin.h"

static mn_site cheek(void)
{
    mn_site s;
    mn_site_init(&s);
    s.name = "cheek";
    mn_sexed sc = {17e-6, 17e-6}, ve = {46e-6, 50e-6}, pd = {170e-6, 200e-6},
             rd = {0.7e-3, 0.9e-3}, cap = {150e-6, 150e-6}, E = {15e3, 15e3};
    s.stratum_corneum_m = sc;
    s.viable_epidermis_m = ve;
    s.papillary_dermis_m = pd;
    s.reticular_dermis_m = rd;
    s.capillary_loop_depth_m = cap;
    s.youngs_modulus_pa = E;
    return s;
}

int main(void)
{
    mn_site s = cheek();
    mn_error e;
    CHECK(mn_site_validate(&s, &e) == MN_OK);
    mn_skin f, m;
    CHECK(mn_site_skin(&s, MN_SEX_FEMALE, &f, &e) == MN_OK);
    CHECK(mn_site_skin(&s, MN_SEX_MALE, &m, &e) == MN_OK);
    CHECK_CLOSE(mn_skin_total(&f), 17e-6 + 46e-6 + 170e-6 + 0.7e-3, 1e-12);
    CHECK(mn_skin_total(&m) > mn_skin_total(&f));
    CHECK(mn_skin_layer_at(&f, 0) == MN_LAYER_NONE);
    CHECK(mn_skin_layer_at(&f, 10e-6) == MN_LAYER_STRATUM_CORNEUM);
    CHECK(mn_skin_layer_at(&f, 17e-6) == MN_LAYER_STRATUM_CORNEUM);
    CHECK(mn_skin_layer_at(&f, 40e-6) == MN_LAYER_VIABLE_EPIDERMIS);
    CHECK(mn_skin_layer_at(&f, 200e-6) == MN_LAYER_PAPILLARY_DERMIS);
    CHECK(mn_skin_layer_at(&f, 500e-6) == MN_LAYER_RETICULAR_DERMIS);
    CHECK(mn_skin_layer_at(&f, 2e-3) == MN_LAYER_SUBCUTIS);
    CHECK_CLOSE(mn_skin_layer_bottom(&f, MN_LAYER_VIABLE_EPIDERMIS), 63e-6, 1e-12);

    s.capillary_loop_depth_m.female = 900e-6;
    CHECK(mn_site_validate(&s, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message, "capillary_loop_depth");
    s = cheek();
    s.reticular_dermis_m.male = 9e-3;
    CHECK(mn_site_validate(&s, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message, "male");
    s = cheek();
    s.viable_epidermis_m.female = NAN;
    CHECK(mn_site_skin(&s, MN_SEX_FEMALE, &f, &e) == MN_EINVAL);
    CHECK(!strcmp(mn_layer_name(MN_LAYER_PAPILLARY_DERMIS), "papillary dermis"));
    return mn_test_report("skin");
}
