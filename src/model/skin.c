/* Skin sites and layers. */
#include "mnsim/skin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mn_site_init(mn_site *s)
{
    memset(s, 0, sizeof *s);
    mn_sexed unset = {NAN, NAN};
    s->stratum_corneum_m = s->viable_epidermis_m = unset;
    s->papillary_dermis_m = s->reticular_dermis_m = unset;
    s->capillary_loop_depth_m = s->youngs_modulus_pa = unset;
}

void mn_site_clear(mn_site *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->label);
    free(s->notes);
    mn_strmap_free(&s->sources);
    mn_site_init(s);
}

const char *mn_layer_name(int layer)
{
    switch (layer) {
    case MN_LAYER_NONE: return "none";
    case MN_LAYER_STRATUM_CORNEUM: return "stratum corneum";
    case MN_LAYER_VIABLE_EPIDERMIS: return "viable epidermis";
    case MN_LAYER_PAPILLARY_DERMIS: return "papillary dermis";
    case MN_LAYER_RETICULAR_DERMIS: return "reticular dermis";
    case MN_LAYER_SUBCUTIS: return "subcutis";
    }
    return "unknown";
}

mn_status mn_site_skin(const mn_site *s, mn_sex sex, mn_skin *out, mn_error *err)
{
    out->thickness_m[MN_LAYER_STRATUM_CORNEUM] = mn_sexed_get(s->stratum_corneum_m, sex);
    out->thickness_m[MN_LAYER_VIABLE_EPIDERMIS] = mn_sexed_get(s->viable_epidermis_m, sex);
    out->thickness_m[MN_LAYER_PAPILLARY_DERMIS] = mn_sexed_get(s->papillary_dermis_m, sex);
    out->thickness_m[MN_LAYER_RETICULAR_DERMIS] = mn_sexed_get(s->reticular_dermis_m, sex);
    out->capillary_loop_depth_m = mn_sexed_get(s->capillary_loop_depth_m, sex);
    out->youngs_modulus_pa = mn_sexed_get(s->youngs_modulus_pa, sex);
    for (int l = 0; l < MN_LAYER_SUBCUTIS; l++)
        if (isnan(out->thickness_m[l]))
            return mn_error_set(err, MN_EINVAL, "site '%s': %s thickness missing",
                                s->name ? s->name : "?", mn_layer_name(l));
    if (isnan(out->capillary_loop_depth_m) || isnan(out->youngs_modulus_pa))
        return mn_error_set(err, MN_EINVAL,
                            "site '%s': capillary_loop_depth or youngs_modulus "
                            "missing",
                            s->name ? s->name : "?");
    return MN_OK;
}

double mn_skin_layer_bottom(const mn_skin *k, int layer)
{
    double z = 0;
    for (int l = 0; l <= layer && l < MN_LAYER_SUBCUTIS; l++)
        z += k->thickness_m[l];
    return z;
}

double mn_skin_total(const mn_skin *k)
{
    return mn_skin_layer_bottom(k, MN_LAYER_RETICULAR_DERMIS);
}

int mn_skin_layer_at(const mn_skin *k, double depth_m)
{
    if (!(depth_m > 0))
        return MN_LAYER_NONE;
    double z = 0;
    for (int l = 0; l < MN_LAYER_SUBCUTIS; l++) {
        z += k->thickness_m[l];
        if (depth_m <= z)
            return l;
    }
    return MN_LAYER_SUBCUTIS;
}

static mn_status check_sex(const mn_site *s, mn_sex sex, mn_error *err)
{
    mn_skin k;
    mn_status st = mn_site_skin(s, sex, &k, err);
    if (st)
        return st;
    const char *n = s->name ? s->name : "?";
    const char *sx = sex == MN_SEX_MALE ? "male" : "female";
    static const char *keys[] = {"stratum_corneum", "viable_epidermis",
                                 "papillary_dermis", "reticular_dermis"};
    for (int l = 0; l < MN_LAYER_SUBCUTIS; l++)
        if (!(k.thickness_m[l] > 0))
            return mn_error_set(err, MN_ERANGE, "site '%s' (%s): %s must be > 0",
                                n, sx, keys[l]);
    double total = mn_skin_total(&k);
    if (total < 0.3e-3 || total > 8e-3)
        return mn_error_set(err, MN_ERANGE,
                            "site '%s' (%s): epidermis + dermis = %.3g mm is "
                            "outside the plausible 0.3-8 mm",
                            n, sx, total * 1e3);
    double top = k.thickness_m[MN_LAYER_STRATUM_CORNEUM];
    double bottom = mn_skin_layer_bottom(&k, MN_LAYER_PAPILLARY_DERMIS);
    if (k.capillary_loop_depth_m <= top || k.capillary_loop_depth_m > bottom)
        return mn_error_set(err, MN_ERANGE,
                            "site '%s' (%s): capillary_loop_depth (%.0f um) "
                            "must lie below the stratum corneum and within the "
                            "papillary dermis (%.0f-%.0f um)",
                            n, sx, k.capillary_loop_depth_m * 1e6, top * 1e6,
                            bottom * 1e6);
    if (k.youngs_modulus_pa < 1e3 || k.youngs_modulus_pa > 1e8)
        return mn_error_set(err, MN_ERANGE,
                            "site '%s' (%s): youngs_modulus must be in "
                            "1 kPa-100 MPa",
                            n, sx);
    return MN_OK;
}

mn_status mn_site_validate(const mn_site *s, mn_error *err)
{
    mn_status st = check_sex(s, MN_SEX_FEMALE, err);
    return st ? st : check_sex(s, MN_SEX_MALE, err);
}

void mn_site_list_free(mn_site_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        mn_site_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

mn_status mn_site_find(const mn_site_list *l, const char *name,
                       const mn_site **out, mn_error *err)
{
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->items[i].name, name)) {
            *out = &l->items[i];
            return MN_OK;
        }
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < l->count && used < sizeof names - 32; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 i ? ", " : "", l->items[i].name);
    return mn_error_set(err, MN_ENOTFOUND, "no site named '%s'; known sites: %s",
                        name, names);
}
