/* mnsim: UTF-8 text (floor: base). Every text mnsim reads or stores is
 * UTF-8; these say where it is not.
 *
 * Thread safety: reentrant: pure functions. */
#ifndef MNSIM_UTF8_H
#define MNSIM_UTF8_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Length (1-4) of the valid UTF-8 sequence at p, which has left bytes, or
 * 0 when there is none: a stray byte, a cut sequence, an overlong form, a
 * surrogate or a code point past U+10FFFF. */
size_t mn_utf8_sequence(const unsigned char *p, size_t left);

/* Whether the n bytes of s are valid UTF-8; if not, *bad (when given) gets
 * the offset of the first byte that is not. */
int mn_utf8_valid(const char *s, size_t n, size_t *bad);

#ifdef __cplusplus
}
#endif
#endif
