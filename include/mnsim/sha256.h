/* mnsim: SHA-256 checksums (FIPS 180-4), for the journal's photo records
 * (floor: base). None of mnsim's dependencies offers a hash; see
 * docs/dependencies.md.
 *
 * Thread safety: reentrant: a hash context is the caller's; distinct contexts in
 * parallel. */
#ifndef MNSIM_SHA256_H
#define MNSIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t h[8];
    uint64_t length; /* bytes hashed */
    unsigned char block[64];
    size_t used;
} mn_sha256;

/* Start a new hash. */
void mn_sha256_init(mn_sha256 *s);
/* Hash n more bytes of data. */
void mn_sha256_update(mn_sha256 *s, const void *data, size_t n);
/* Finish and write the 64 lowercase hex digits and a NUL into hex[65]. */
void mn_sha256_hex(mn_sha256 *s, char hex[65]);

#ifdef __cplusplus
}
#endif
#endif
