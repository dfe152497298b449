/* mnsim check: any input file, its kind found from its "kind" key and read
 * with that kind's schema (declared in mnsim/catalog.h). */
#include "mnsim/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "mnsim/channels_io.h"
#include "mnsim/cohort_io.h"
#include "mnsim/compounds.h"
#include "mnsim/healing_io.h"
#include "mnsim/plan_io.h"
#include "mnsim/protocol_io.h"
#include "mnsim/rules_io.h"
#include "mnsim/validation_io.h"
#include "mnsim/zones.h"

/* ---- check ---------------------------------------------------------- */

typedef struct {
    const char *kind;
    const mn_schema *schema;
} kind_entry;

static const mn_schema *schema_for(const char *kind)
{
    static const kind_entry kinds[] = {
        {"devices", &mn_schema_devices_file},
        {"device", &mn_schema_device_file},
        {"sites", &mn_schema_sites_file},
        {"penetration", &mn_schema_penetration_file},
        {"rules", &mn_schema_rules_file},
        {"protocol", &mn_schema_protocol_file},
        {"healing", &mn_schema_healing_file},
        {"zones", &mn_schema_zones_file},
        {"compounds", &mn_schema_compounds_file},
        {"plans", &mn_schema_plans_file},
        {"validation", &mn_schema_validation_file},
        {"channels", &mn_schema_channels_file},
        {"population", &mn_schema_population_file},
        {"trial", &mn_schema_trial_file},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].kind, kind))
            return kinds[i].schema;
    return NULL;
}

const char *mn_check_kinds(void) { return "protocol, devices, device, sites, penetration, rules, healing, zones, compounds, "
           "plans, validation, channels, population, trial"; }

mn_status mn_check_file(const char *path, mn_diags *diags)
{
    mn_doc *doc = NULL;
    mn_status st = mn_doc_load(path, &doc, diags);
    if (st != MN_OK)
        return st;
    const char *kind = mn_doc_kind(doc);
    const mn_schema *s = kind ? schema_for(kind) : NULL;
    if (!s) {
        mn_loc l = {path, 1, 1, NULL};
        if (kind)
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, &l,
                            "kind: unknown file kind '%s'; mnsim reads: %s",
                            kind, mn_check_kinds());
        else
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, &l,
                            "missing top-level key 'kind' that says what the "
                            "file is (one of: %s)",
                            mn_check_kinds());
        mn_doc_free(doc);
        return MN_ESCHEMA;
    }
    void *rec = calloc(1, s->size);
    if (!rec) {
        mn_doc_free(doc);
        return MN_ENOMEM;
    }
    st = mn_doc_read(doc, s, rec, diags);
    mn_schema_clear(s, rec);
    free(rec);
    mn_doc_free(doc);
    return st;
}
