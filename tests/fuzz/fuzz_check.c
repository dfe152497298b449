/* Fuzz target: `mnsim check FILE`, any input file by its kind
 * (mn_check_file_with_data: a protocol also against the data directory's
 * catalogs and rules; plans and channels files only here). */
#include "fuzz.h"
#include "mnsim/course_io.h"
#include "mnsim/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The findings as `mnsim check --json` writes them: what the input put into
 * messages (keys, values, bytes of every kind) must come out as JSON. */
static void emit_json(const mn_diags *d)
{
    mn_json *j = mn_json_new();
    mn_jnode *list = j ? mn_json_array(j) : NULL;
    for (size_t k = 0; list && k < d->count; k++) {
        mn_jnode *o = mn_json_object(j);
        mn_json_str(j, o, "severity", mn_severity_name(d->severity[k]));
        mn_json_str(j, o, "file", d->items[k].file);
        mn_json_int(j, o, "line", d->items[k].line);
        mn_json_str(j, o, "message", d->items[k].message);
        mn_json_push(j, list, o);
    }
    if (list)
        mn_json_put(j, mn_json_root(j), "findings", list);
    char *text = j ? mn_json_text(j) : NULL;
    if (j && d->count && (!text || !strstr(text, "\"findings\"")))
        fuzz_fail("the findings did not become JSON");
    free(text);
    mn_json_free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "input.yaml");
    mn_diags d = {0};
    fuzz_quiet_begin();
    mn_status st = mn_check_file_with_data(path, MNSIM_SOURCE_DATA_DIR, &d);
    emit_json(&d);
    fuzz_quiet_end();
    fuzz_check_status(st, NULL, &d);
    mn_diags_free(&d);
    return 0;
}
