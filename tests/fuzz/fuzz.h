/* What every fuzz target shares (tests/fuzz/README.md): the input written
 * to a file (the loaders read files, as mnsim does), the data directory,
 * and the rule that the library prints nothing and never exits: while it
 * runs, stdout and stderr go to a capture file, and anything found there
 * aborts the run with what was printed (a crash for the fuzzer). */
#ifndef MNSIM_FUZZ_H
#define MNSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/error.h"

#ifndef MNSIM_SOURCE_DATA_DIR
#error "MNSIM_SOURCE_DATA_DIR: the data directory"
#endif

/* The fuzz target: one input, then back to the fuzzer. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a file named name (its extension chooses nothing, but it
 * appears in messages), in a directory of this process, rewritten each
 * time. Returns its path. */
const char *fuzz_file(const uint8_t *data, size_t size, const char *name);

/* A directory of this process for other files (a journal). */
const char *fuzz_dir(void);

/* Around each call of the library: fuzz_quiet_begin sends stdout and stderr
 * to the capture file, fuzz_quiet_end restores them and aborts if anything
 * was written, or if exit() was called in between. */
void fuzz_quiet_begin(void);
void fuzz_quiet_end(void);

/* A finding: print it on the real stderr, remove this process's directory
 * and abort (libFuzzer saves the input). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Every diagnostic is a terminated message of sane location, at most
 * MN_DIAGS_MAX are kept; abort if not. */
void fuzz_check_diags(const mn_diags *d);
void fuzz_check_error(const mn_error *e);

/* A loader's result: every record sane, a failure has a message (in e, may
 * be NULL), a success no error in d (may be NULL); abort if not. */
void fuzz_check_status(mn_status st, const mn_error *e, const mn_diags *d);

#endif
