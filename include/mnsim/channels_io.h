/* mnsim: reading the channel model's parameters, data/channels.yaml (kind:
 * channels; floor: data). The model is mnsim/channel.h.
 *
 * Thread safety: reentrant: each call reads its file into the caller's struct. */
#ifndef MNSIM_CHANNELS_IO_H
#define MNSIM_CHANNELS_IO_H

#include "mnsim/channel.h"
#include "mnsim/error.h"
#include "mnsim/input.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema of the file kind "channels", for `mnsim check`. */
extern const mn_schema mn_schema_channels_file;

/* Read a channels file: every value with its unit and a source. Errors:
 * MN_EIO, MN_EPARSE, MN_ESCHEMA (first problem in err, all in diags),
 * MN_ERANGE (mn_channel_params_validate). */
mn_status mn_channel_params_load(const char *path, mn_channel_params *out,
                                 mn_diags *diags, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
