/* mnsim: writing a file whole or not at all (floor: base).
 *
 * The text goes to a temporary file in the target's folder, is flushed to
 * the disk (fsync) and renamed over the target, so a reader sees the old
 * file or the new one, never a part, and a full disk leaves the old file
 * as it was. Only a regular file is ever replaced: a device, a FIFO, a
 * folder or a symbolic link at the target is refused, so that
 * `--force` cannot turn /dev/null into a file or write through a link. */
#ifndef MNSIM_FILE_H
#define MNSIM_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write n bytes of data to path with permissions mode (e.g. 0644; 0600
 * for health records). An existing path is replaced only with force (else
 * MN_EEXIST) and only when it is a regular file (else MN_EINVAL naming
 * what it is). Errors: MN_EEXIST, MN_EINVAL, MN_EIO (with the system's
 * reason: no space, no permission, a missing folder). Thread-safe. */
mn_status mn_file_write(const char *path, const void *data, size_t n, int force,
                        mode_t mode, mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
