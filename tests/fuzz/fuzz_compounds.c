/* Fuzz target: compounds (kind: compounds): as the catalog
 * (data/compounds.yaml) and as a user's own file added to it (mnsim
 * deliver --compounds FILE). */
#include "fuzz.h"
#include "mnsim/compound.h"
#include "mnsim/compounds.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "compounds.yaml");
    mn_diags d = {0}, d1 = {0};
    mn_error e, e1;
    mn_error_clear(&e);
    mn_error_clear(&e1);
    mn_compound_catalog cat, mine;
    memset(&cat, 0, sizeof cat);
    memset(&mine, 0, sizeof mine);
    fuzz_quiet_begin();
    mn_status st = mn_compounds_load(path, &mine, &d, &e);
    mn_compound_catalog_free(&mine);
    mn_status st1 =
        mn_compounds_load(MNSIM_SOURCE_DATA_DIR "/compounds.yaml", &cat, NULL, &e1);
    if (st1 == MN_OK) {
        mn_error_clear(&e1);
        st1 = mn_compounds_add(path, &cat, &d1, &e1);
    }
    mn_compound_catalog_free(&cat);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    fuzz_check_status(st1, &e1, &d1);
    mn_diags_free(&d);
    mn_diags_free(&d1);
    return 0;
}
