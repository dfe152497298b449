/* What input.c (reading by schema) and input_load.c (loading the text)
 * share: the parsed document. Private to src/data. */
#ifndef MNSIM_DATA_INPUT_INTERNAL_H
#define MNSIM_DATA_INPUT_INTERNAL_H

#include <libfyaml.h>

#define MAX_PATH_TEXT 256 /* a key path in messages: "devices[2].name" */

struct mn_doc {
    struct fy_document *fyd;
    char *text;
    char *name;
};

#endif
