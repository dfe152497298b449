/* mnsim: writing files whole or not at all (floor: base).
 *
 * Every file the library writes goes through here. The bytes go to a
 * temporary file in the target's folder, are flushed to the disk (fsync)
 * and the temporary file is renamed over the target, so a reader sees the
 * old file or the new one, never a part, and a full disk leaves the old
 * file as it was. Only a regular file is ever replaced: a device, a FIFO,
 * a folder or a symbolic link at the target is refused (with or without
 * force), so that `--force` cannot turn /dev/null into a file or write
 * through a link. Without force an existing file is never replaced, even
 * one that appears while the new one is written (it is moved into place
 * with a hard link, which fails when the name exists).
 *
 * Thread safety: thread-safe: each write has its own temporary file (process id and
 * an atomic counter in its name); two writers of one target leave one whole file
 * (without force the second fails). */
#ifndef MNSIM_FILE_H
#define MNSIM_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MN_FILE_PATH_MAX 4096

/* Whether path may be written: MN_OK when it does not exist, or when it
 * is a regular file and force is set; MN_EEXIST when it exists and force
 * is 0; MN_EINVAL naming what it is when it is not a regular file (a
 * device, a FIFO, a folder, a symbolic link); MN_EIO when it cannot be
 * looked at. Commands call it before long work, to fail early; the
 * writers below check again. */
mn_status mn_file_check(const char *path, int force, mn_error *err);

/* Write n bytes of data to path with permissions mode (e.g. 0644; 0600
 * for health records), subject to mn_file_check. Errors: MN_EEXIST,
 * MN_EINVAL, MN_EIO (with the system's reason: no space, no permission, a
 * missing folder). Thread-safe. */
mn_status mn_file_write(const char *path, const void *data, size_t n, int force,
                        mode_t mode, mn_error *err);

/* A file being written through a stream: write to f, then commit (or
 * discard). */
typedef struct {
    FILE *f;   /* the temporary file, open for writing */
    int force; /* may replace a regular file */
    char path[MN_FILE_PATH_MAX];
    char tmp[MN_FILE_PATH_MAX + 64];
} mn_file_out;

/* Check path (mn_file_check) and create its temporary file beside it, open
 * as o->f. On error nothing is left behind. Errors: MN_EEXIST, MN_EINVAL,
 * MN_EIO ("PATH: cannot write: REASON"; a missing folder is named). */
mn_status mn_file_open(mn_file_out *o, const char *path, int force, mode_t mode,
                       mn_error *err);

/* Flush and fsync the stream, close it and move the file into place
 * (checking the target again). Any write error of the stream (a full
 * disk, a short write) is reported as MN_EIO and the target is left as it
 * was. The temporary file is gone afterwards either way. */
mn_status mn_file_commit(mn_file_out *o, mn_error *err);

/* Close and remove the temporary file; the target is untouched. */
void mn_file_discard(mn_file_out *o);

/* mn_file_check for every dir/names[i] (a missing dir holds nothing); the
 * error lists every existing name: "DIR already holds 2 of the files to
 * write (a, b); use --force to replace them". A name must not hold '/'
 * (MN_EINVAL). Errors: MN_EEXIST, MN_EINVAL, MN_EIO. */
mn_status mn_file_check_names(const char *dir, const char *const *names, size_t n,
                              int force, mn_error *err);

/* A set of files written into one folder all or nothing: every name is
 * checked before anything is written, the files are written into a
 * staging folder inside dir (stage) and moved into dir only when all of
 * them were written. */
typedef struct {
    int force;
    int made_dir; /* dir did not exist: removed again on discard when empty */
    char dir[MN_FILE_PATH_MAX];
    char stage[MN_FILE_PATH_MAX + 64];
} mn_file_set;

/* Create dir when missing, check every name (mn_file_check_names) and
 * create the staging folder s->stage. On error nothing is left behind.
 * Errors: MN_EEXIST, MN_EINVAL, MN_EIO. */
mn_status mn_file_set_open(mn_file_set *s, const char *dir, const char *const *names,
                           size_t n, int force, mn_error *err);

/* Move stage/names[i] into dir for every name, after checking that each
 * was written and that no target changed kind meanwhile; then remove the
 * staging folder. Errors: MN_EIO (a file missing from the stage, a rename
 * failing), MN_EEXIST, MN_EINVAL; the staging folder is removed either
 * way. */
mn_status mn_file_set_commit(mn_file_set *s, const char *const *names, size_t n,
                             mn_error *err);

/* Remove the staging folder and what is in it (and dir, when this set made
 * it and it is empty); dir's files are untouched. */
void mn_file_set_discard(mn_file_set *s);

/* Create the folder dir when missing (its parent must exist); an existing
 * folder is fine. For partial results that outlive one run (the blocks of
 * `mnsim cohort`, written with mn_file_write). Errors: MN_EIO, MN_EINVAL
 * (dir exists and is not a folder). */
mn_status mn_file_dir_make(const char *dir, mn_error *err);

/* Remove the regular files directly in dir, then dir itself when empty
 * (nothing else is followed or removed). For the folder of
 * mn_file_dir_make once its results are moved into place. */
void mn_file_dir_remove(const char *dir);

#ifdef __cplusplus
}
#endif
#endif
