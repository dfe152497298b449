/* mnsim: building JSON results (floor: base, over libfyaml's emitter).
 * Thread safety: a document (mn_json) is built by one thread at a time; distinct
 * documents in parallel. */
#ifndef MNSIM_JSON_H
#define MNSIM_JSON_H

#include <stddef.h>

#include "mnsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mn_json mn_json;     /* a document under construction */
typedef struct mn_jnode mn_jnode;   /* an object or array in it */

/* New document whose root is an object. NULL on allocation failure. */
mn_json *mn_json_new(void);
/* Free a document; j may be NULL. */
void mn_json_free(mn_json *j);

/* The root object of a document. */
mn_jnode *mn_json_root(mn_json *j);
/* A new empty object, to be put into the document (mn_json_put, mn_json_push). */
mn_jnode *mn_json_object(mn_json *j);
/* A new empty array, to be put into the document. */
mn_jnode *mn_json_array(mn_json *j);

/* Members of an object. Non-finite numbers are written as null. Each
 * returns MN_ENOMEM on failure; the document stays valid. */
mn_status mn_json_num(mn_json *j, mn_jnode *obj, const char *key, double v);
/* As mn_json_num with all 17 significant digits (exact round trip). */
mn_status mn_json_num_exact(mn_json *j, mn_jnode *obj, const char *key, double v);
/* Set key to an integer. */
mn_status mn_json_int(mn_json *j, mn_jnode *obj, const char *key, long long v);
/* Set key to a string (NULL: null). */
mn_status mn_json_str(mn_json *j, mn_jnode *obj, const char *key, const char *v);
/* Set key to true (v non-zero) or false. */
mn_status mn_json_bool(mn_json *j, mn_jnode *obj, const char *key, int v);
/* Set key to an object or array made with mn_json_object or mn_json_array. */
mn_status mn_json_put(mn_json *j, mn_jnode *obj, const char *key, mn_jnode *child);

/* Items of an array. */
mn_status mn_json_push(mn_json *j, mn_jnode *arr, mn_jnode *child);
/* Append a number to an array (NaN and infinities: null). */
mn_status mn_json_push_num(mn_json *j, mn_jnode *arr, double v);
/* Append a string to an array. */
mn_status mn_json_push_str(mn_json *j, mn_jnode *arr, const char *v);

/* The document as pretty JSON text (malloc'd, caller frees), or NULL. */
char *mn_json_text(mn_json *j);

#ifdef __cplusplus
}
#endif
#endif
