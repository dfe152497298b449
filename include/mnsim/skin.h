/* mnsim: skin sites and their layers (floor: model).
 * Thread safety: reentrant: calls on distinct objects may run in parallel, and const
 * inputs may be shared read-only between threads. */
#ifndef MNSIM_SKIN_H
#define MNSIM_SKIN_H

#include "mnsim/error.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_REGION_FACE = 0, MN_REGION_SCALP, MN_REGION_BODY } mn_region;

/* Layers of skin, outermost first. */
typedef enum {
    MN_LAYER_NONE = -1, /* not punctured */
    MN_LAYER_STRATUM_CORNEUM = 0,
    MN_LAYER_VIABLE_EPIDERMIS,
    MN_LAYER_PAPILLARY_DERMIS,
    MN_LAYER_RETICULAR_DERMIS,
    MN_LAYER_SUBCUTIS,
    MN_LAYER_COUNT
} mn_layer;

/* A skin site as published (per sex). Thicknesses in m, modulus in Pa. */
typedef struct {
    char *name;
    char *label;
    int region; /* mn_region */
    mn_sexed stratum_corneum_m;
    mn_sexed viable_epidermis_m;
    mn_sexed papillary_dermis_m;
    mn_sexed reticular_dermis_m;
    mn_sexed capillary_loop_depth_m; /* below the surface */
    mn_sexed youngs_modulus_pa;
    mn_strmap sources;
    char *notes;
} mn_site;

/* The layers of one site for one person (m, Pa). */
typedef struct {
    double thickness_m[MN_LAYER_SUBCUTIS]; /* SC, VE, PD, RD */
    double capillary_loop_depth_m;
    double youngs_modulus_pa;
} mn_skin;

/* An empty site: every value NaN (unset). */
void mn_site_init(mn_site *s);
/* Free what a site owns (not s itself); s may be NULL. */
void mn_site_clear(mn_site *s);

/* Name of a layer ("stratum corneum", ...). */
const char *mn_layer_name(int layer);

/* A list of sites (the atlas); owns its items. */
typedef struct {
    mn_site *items;
    size_t count;
} mn_site_list;

/* Free the items of a list (not l itself); l may be NULL. */
void mn_site_list_free(mn_site_list *l);

/* Find a site by name; MN_ENOTFOUND lists the known names. */
mn_status mn_site_find(const mn_site_list *l, const char *name,
                       const mn_site **out, mn_error *err);

/* Layers of a site for a sex. Errors: MN_EINVAL if a value is missing. */
mn_status mn_site_skin(const mn_site *s, mn_sex sex, mn_skin *out,
                       mn_error *err);

/* Depth of the bottom of a layer below the surface (m). */
double mn_skin_layer_bottom(const mn_skin *k, int layer);

/* Total thickness of epidermis plus dermis (m). */
double mn_skin_total(const mn_skin *k);

/* Layer containing a depth below the surface (m); MN_LAYER_NONE for
 * depth <= 0 and MN_LAYER_SUBCUTIS below the dermis. */
int mn_skin_layer_at(const mn_skin *k, double depth_m);

/* Check that layers are positive and the total plausible (0.3-8 mm), the
 * capillary loops lie inside the papillary dermis and the modulus is in
 * 1 kPa-100 MPa. MN_ERANGE with a message naming the key. */
mn_status mn_site_validate(const mn_site *s, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
