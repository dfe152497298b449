/* mnsim: the compounds a user may put on the skin and the constants of the
 * relations that turn a compound's structure into transport properties
 * (data/compounds.yaml, kind: compounds; floor: data). The compounds
 * themselves are in mnsim/compound.h.
 *
 * Quantities that mnsim's unit table does not know are written with their
 * units too and converted here, once:
 *   concentration  kg/m^3, g/L, mg/mL, ug/mL, ng/mL, mol/m^3, mM, uM, %
 *                  (% = grams per 100 g of a vehicle of density 1 g/mL)
 *   diffusivity    m^2/s, cm^2/s, um^2/s (also m2/s, cm2/s, um2/s)
 *   molar mass     kg/mol, g/mol, Da, kDa
 *   dose           kg/m^2, g/m^2, mg/cm^2, ug/cm^2 (also cm2)
 *   specific volume  m^3/kg, cm^3/g, mL/g
 *   viscosity      Pa s, mPa s, cP
 *   temperature    K, C (degrees Celsius)
 *   density        kg/m^3, g/cm^3, g/mL
 *   permeability   m/s, cm/s, cm/h (a permeability coefficient kp)
 *
 * Thread safety: reentrant: each call reads its file into the caller's objects; a
 * loaded catalog may be shared read-only between threads. */
#ifndef MNSIM_COMPOUNDS_H
#define MNSIM_COMPOUNDS_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/input.h"
#include "mnsim/compound.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_QTY_CONCENTRATION = 0, /* kg/m^3 */
    MN_QTY_DIFFUSIVITY,       /* m^2/s */
    MN_QTY_MOLAR_MASS,        /* kg/mol */
    MN_QTY_DOSE,              /* kg/m^2 */
    MN_QTY_SPECIFIC_VOLUME,   /* m^3/kg */
    MN_QTY_VISCOSITY,         /* Pa s */
    MN_QTY_TEMPERATURE,       /* K */
    MN_QTY_DENSITY,           /* kg/m^3 */
    MN_QTY_PERMEABILITY,      /* m/s */
    MN_QTY_COUNT
} mn_qty;

/* Parse "<number> <unit>" of a quantity into SI. Molar concentrations (mM,
 * uM, mol/m^3) need molar_mass_kg_mol > 0 (else MN_EINVAL). Errors:
 * MN_EINVAL with a message that lists the accepted units. */
mn_status mn_qty_parse(const char *text, mn_qty q, double molar_mass_kg_mol, double *si,
                       mn_error *err);

/* Accepted units of a quantity, for messages. */
const char *mn_qty_units(mn_qty q);

/* Schema of the file kind "compounds" (for `mnsim check`). */
extern const mn_schema mn_schema_compounds_file;

/* Read data/compounds.yaml (or a user's file of the same kind). Errors:
 * MN_EIO, MN_EPARSE, MN_ESCHEMA (first problem in err, all in diags). */
mn_status mn_compounds_load(const char *path, mn_compound_catalog *out, mn_diags *diags,
                            mn_error *err);

/* Add a user's own compounds (a file of kind compounds without the model
 * section: molar mass, log P or a measured kp, solubility, diffusivities,
 * each with its source, checked as the catalog is) to a loaded catalog.
 * Errors: those of mn_compounds_load; MN_ESCHEMA when the file has a model
 * section or names a compound the catalog already has. On error cat keeps
 * what it had (and possibly some of the new compounds: free it). Not
 * thread-safe on the same catalog. */
mn_status mn_compounds_add(const char *path, mn_compound_catalog *cat, mn_diags *diags,
                           mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
