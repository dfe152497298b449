/* Reading data/channels.yaml (mnsim/channels_io.h). */
#include "mnsim/channels_io.h"

#include <stddef.h>
#include <string.h>

typedef struct {
    mn_channel_params p;
    double wound_time_per_mm_s; /* as written: a time per mm of dermis */
    mn_strmap sources;
} channels_file;

#define CF(k, t, u, du, lo, hi, member, help)                                          \
    {                                                                                  \
        k, t, u, du, lo, hi, 1, offsetof(channels_file, member), NULL, NULL, help      \
    }

static const mn_field channels_fields[] = {
    CF("pore_closure_time", MN_FIELD_NUMBER, MN_UNIT_TIME, "h", 60, 30 * 86400.0,
       p.pore_time_s, "time constant of a pore's resealing without occlusion"),
    CF("occlusion_factor", MN_FIELD_NUMBER, MN_UNIT_NONE, NULL, 1, 1000,
       p.occlusion_factor, "how many times longer pores stay open under occlusion"),
    CF("wound_closure_time_per_mm", MN_FIELD_NUMBER, MN_UNIT_TIME, "h", 0,
       100 * 86400.0, wound_time_per_mm_s,
       "time constant added per mm of channel inside the dermis"),
    CF("closed_fraction", MN_FIELD_NUMBER, MN_UNIT_FRACTION, NULL, 1e-6, 0.999,
       p.closed_fraction, "open fraction below which channels count as closed"),
    CF("sources", MN_FIELD_STRMAP, 0, NULL, 0, 0, sources, "source of each value"),
};
#define N_FIELDS (sizeof channels_fields / sizeof *channels_fields)

static void channels_check(void *rec, const mn_loc *loc, int fields_ok, mn_diags *diags)
{
    channels_file *f = rec;
    for (size_t i = 0; i + 1 < N_FIELDS; i++)
        if (!mn_strmap_get(&f->sources, channels_fields[i].key))
            mn_input_report(diags, MN_SEV_ERROR, MN_ESCHEMA, loc,
                            "sources: no source given for '%s'",
                            channels_fields[i].key);
    mn_channel_params p = f->p;
    p.wound_time_per_m_s_m = f->wound_time_per_mm_s * 1e3;
    mn_error e;
    mn_error_clear(&e);
    if (fields_ok && mn_channel_params_validate(&p, &e) != MN_OK)
        mn_input_report(diags, MN_SEV_ERROR, MN_ERANGE, loc, "%s", e.message);
}

const mn_schema mn_schema_channels_file = {"channel parameters",
                                           channels_fields,
                                           N_FIELDS,
                                           sizeof(channels_file),
                                           NULL,
                                           NULL,
                                           channels_check,
                                           NULL,
                                           "channels"};

mn_status mn_channel_params_load(const char *path, mn_channel_params *out,
                                 mn_diags *diags, mn_error *err)
{
    channels_file f;
    memset(&f, 0, sizeof f);
    mn_status st = mn_input_read_file(path, &mn_schema_channels_file, &f, diags, err);
    if (st == MN_OK) {
        *out = f.p;
        out->wound_time_per_m_s_m = f.wound_time_per_mm_s * 1e3; /* s per m */
    }
    mn_schema_clear(&mn_schema_channels_file, &f);
    return st;
}
