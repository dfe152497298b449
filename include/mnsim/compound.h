/* mnsim: the compounds a user may put on the skin, as the models use them
 * (SI units), and the catalog of them with the constants of the relations
 * that turn a compound's structure into transport properties (floor: model).
 * Read from data/compounds.yaml by mnsim/compounds.h.
 *
 * Thread safety: reentrant: calls on distinct objects may run in parallel, and const
 * inputs may be shared read-only between threads. */
#ifndef MNSIM_COMPOUND_H
#define MNSIM_COMPOUND_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/transport.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_USE_ANAESTHETIC = 0, MN_USE_COSMETIC, MN_USE_DRUG } mn_compound_use;

/* One compound (SI). NaN: not given (derived or not applicable). */
typedef struct {
    char *name;
    char *label;
    int use; /* mn_compound_use */
    mn_solute solute;
    double concentration_kg_m3;     /* typical product strength */
    double dose_kg_m2;              /* typical amount applied per area */
    double solubility_kg_m3;        /* in the vehicle; NaN: not limited */
    double numbing_threshold_kg_m3; /* anaesthetics: effective tissue level */
    mn_strmap sources;
    char *notes;
} mn_compound;

/* The whole file: the model constants and the compounds. */
typedef struct {
    mn_solute_model model;
    double nerve_depth_below_dej_m; /* the probe plane of numbness */
    double numb_area_fraction;      /* of that plane at the threshold */
    double vehicle_density_kg_m3;   /* dose -> film thickness */
    double vehicle_hindrance;       /* D in the film / D in water */
    mn_strmap sources;              /* of the model constants */
    mn_compound *items;
    size_t count;
} mn_compound_catalog;

/* Free what a catalog owns (not c itself); c may be NULL. */
void mn_compound_catalog_free(mn_compound_catalog *c);

/* Find a compound by name; MN_ENOTFOUND lists the known names. */
mn_status mn_compound_find(const mn_compound_catalog *c, const char *name,
                           const mn_compound **out, mn_error *err);

/* "anaesthetic", "cosmetic" or "drug" (mn_compound_use); NULL-terminated
 * list of them for readers. */
const char *mn_compound_use_name(int use);
extern const char *const mn_compound_use_names[];

#ifdef __cplusplus
}
#endif
#endif
