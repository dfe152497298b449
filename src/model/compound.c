/* Compounds as the models use them: lookup and the catalog's memory. */
#include "mnsim/compound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mn_compound_use_names[] = {"anaesthetic", "cosmetic", "drug", NULL};

const char *mn_compound_use_name(int use)
{
    return use >= 0 && use < 3 ? mn_compound_use_names[use] : "?";
}

void mn_compound_catalog_free(mn_compound_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        mn_compound *x = &c->items[i];
        free(x->name), free(x->label), free(x->notes);
        mn_strmap_free(&x->sources);
    }
    free(c->items);
    mn_strmap_free(&c->sources);
    memset(c, 0, sizeof *c);
}

mn_status mn_compound_find(const mn_compound_catalog *c, const char *name,
                           const mn_compound **out, mn_error *err)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->items[i].name, name)) {
            *out = &c->items[i];
            return MN_OK;
        }
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->count && used < sizeof names - 40; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 c->items[i].name);
    return mn_error_set(err, MN_ENOTFOUND, "no compound named '%s'; known compounds: %s", name,
                        names);
}
