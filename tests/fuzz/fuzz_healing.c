/* Fuzz target: healing parameters (kind: healing, data/healing.yaml), and
 * mn_heal_data_to_yaml: parameters that load are written and must load
 * again, and written again give the same text (what `mnsim fit` writes). */
#include "fuzz.h"
#include "mnsim/healing.h"
#include "mnsim/healing_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "healing.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_heal_data h;
    memset(&h, 0, sizeof h);
    fuzz_quiet_begin();
    mn_status st = mn_heal_data_load(path, &h, &d, &e);
    char *text = st == MN_OK ? mn_heal_data_to_yaml(&h, "fuzz") : NULL;
    mn_heal_data_clear(&h);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    if (!text)
        return 0;
    const char *again = fuzz_file((const uint8_t *)text, strlen(text), "written.yaml");
    memset(&h, 0, sizeof h);
    fuzz_quiet_begin();
    st = mn_heal_data_load(again, &h, NULL, &e);
    char *text2 = st == MN_OK ? mn_heal_data_to_yaml(&h, "fuzz") : NULL;
    mn_heal_data_clear(&h);
    fuzz_quiet_end();
    if (st != MN_OK) {
        fuzz_fail("mn_heal_data_to_yaml wrote what does not load: %s", e.message);
    }
    if (!text2 || strcmp(text, text2)) { /* written, read, written: the same */
        fuzz_fail("mn_heal_data_to_yaml loses something");
    }
    free(text2);
    free(text);
    return 0;
}
