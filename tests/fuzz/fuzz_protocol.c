/* Fuzz target: a protocol as `mnsim run` reads it (mn_course_load against
 * the data directory, then the safety check of mn_course_check, as
 * mn_check_protocol_file does), and mn_protocol_to_yaml: a protocol that
 * loads is written and must load again, and written again give the same
 * text. */
#include "fuzz.h"
#include "mnsim/course_io.h"
#include "mnsim/protocol_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read the protocol at path; its YAML text, or NULL when it does not load. */
static char *load_and_write(const char *path, mn_status *st, mn_error *e)
{
    mn_protocol p;
    memset(&p, 0, sizeof p);
    mn_error_clear(e);
    fuzz_quiet_begin();
    *st = mn_protocol_load(path, &p, NULL, e);
    char *text = *st == MN_OK ? mn_protocol_to_yaml(&p) : NULL;
    mn_schema_clear(&mn_schema_protocol_file, &p);
    fuzz_quiet_end();
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "protocol.yaml");
    mn_diags d = {0};
    fuzz_quiet_begin();
    mn_status st = mn_check_protocol_file(path, MNSIM_SOURCE_DATA_DIR, &d);
    fuzz_quiet_end();
    fuzz_check_status(st, NULL, &d);
    mn_diags_free(&d);

    mn_error e;
    char *text = load_and_write(path, &st, &e);
    fuzz_check_status(st, &e, NULL);
    if (!text)
        return 0;
    const char *again = fuzz_file((const uint8_t *)text, strlen(text), "written.yaml");
    char *text2 = load_and_write(again, &st, &e);
    if (st != MN_OK) {
        fuzz_fail("mn_protocol_to_yaml wrote what does not load: %s\n%s", e.message,
                  text);
    }
    if (!text2 || strcmp(text, text2)) { /* written, read, written: the same */
        fuzz_fail("mn_protocol_to_yaml loses something:\n%s\n---\n%s", text,
                  text2 ? text2 : "(null)");
    }
    free(text2);
    free(text);
    return 0;
}
