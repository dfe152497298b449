/* mnsim: setting up a delivery experiment from names, and the amounts it
 * reports (floor: model): the compound of a catalog, the skin of a site, the
 * channels a device leaves there by the penetration model, and where the
 * compound is when the run ends. What `mnsim deliver` computes around
 * mn_deliver_run (mnsim/deliver.h), for any front end.
 *
 * SI units: m, kg, s, N; amounts per area in kg/m^2. The functions fill the
 * caller's spec and structs; the spec keeps pointers to the catalog and the
 * device it is given, which must outlive it. They never print and touch no
 * files, and may run in parallel on different specs.
 *
 * Thread safety: reentrant on distinct specs (see above); catalogs and devices are
 * only read. */
#ifndef MNSIM_DELIVER_SETUP_H
#define MNSIM_DELIVER_SETUP_H

#include "mnsim/compound.h"
#include "mnsim/deliver.h"
#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/error.h"
#include "mnsim/skin.h"
#include "mnsim/transport.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The compound named name of the catalog cat: sets s->catalog and
 * s->compound. Errors: MN_ENOTFOUND listing the names. */
mn_status mn_deliver_spec_compound(mn_deliver_spec *s, const mn_compound_catalog *cat,
                                   const char *name, mn_error *err);

/* The skin of the site named name of the atlas, for a person of sex sex:
 * sets s->skin. Errors: MN_ENOTFOUND listing the names, MN_EINVAL when a
 * layer's value is missing. */
mn_status mn_deliver_spec_site(mn_deliver_spec *s, const mn_site_list *sites,
                               const char *name, mn_sex sex, mn_error *err);

/* The passes a session with device d usually has: a roller 15 (which give
 * about 250 punctures/cm^2: Fernandes 2005, Doddaballapur 2009; see
 * docs/research), a stamp or a pen 1. */
int mn_deliver_usual_passes(const mn_device *d);

/* The share of the stratum corneum that needles stopping inside it open
 * (docs/model.md, "Short needles"): patches of radius
 * dr->disruption_radius_m around each of density_per_m2 contacts, at
 * random, overlaps counted once: 1 - exp(-density pi r^2). 0 when dr is not
 * a disruption. Pure; thread-safe. */
double mn_deliver_sc_open_fraction(const mn_depth_result *dr, double density_per_m2);

/* The channels of a device. */
typedef struct {
    int made;              /* 0: the device does not open the skin */
    int disrupted;         /* the needles stop inside the stratum corneum:
                              no channels, a disrupted barrier (the spec's
                              sc_open_fraction) */
    mn_depth_result depth; /* the penetration model at the spec's skin */
    int passes;            /* over the area */
    double density_per_m2; /* channels per area: one pass's density x passes */
} mn_deliver_channels;

/* The channels device d leaves in the spec's skin, pressed with force_n
 * (N; pens use their motor), passes times (<= 0: the usual). When it opens
 * the skin (out->made), sets the spec's channel depth, surface radius (half
 * the width) and density, and for needles that stop inside the stratum
 * corneum the share of it they disrupt (sc_open_fraction); for a rolled patch
 * (s->patch_m > 0 set before) also the device, the passes and the depth's SD (the seed
 * is the spec's). Otherwise the spec is left as it was. Errors: those of
 * mn_depth_compute. */
mn_status mn_deliver_spec_channels(mn_deliver_spec *s, const mn_device *d,
                                   const mn_depth_params *dp, double force_n,
                                   int passes, mn_deliver_channels *out, mn_error *err);

/* Where the compound is when a run ends, per area of skin (kg/m^2). */
typedef struct {
    double stratum_corneum;
    double viable_epidermis;
    double dermis;            /* papillary and reticular */
    double cleared;           /* taken up by the blood */
    double blood;             /* taken up by the blood or the deep sink */
    double permeated;         /* crossed into the dermis, in all */
    double vehicle;           /* still in the cream */
    double dermis_flux_per_s; /* mean flux into the dermis, kg/m^2/s */
} mn_deliver_amounts;

/* The amounts at the last sample of a run (r->n >= 1). */
void mn_deliver_amounts_at_end(const mn_transport_result *r, mn_deliver_amounts *out);

#ifdef __cplusplus
}
#endif
#endif
