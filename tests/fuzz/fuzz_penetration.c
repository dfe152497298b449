/* Fuzz target: the penetration model's parameters (kind: penetration,
 * data/penetration.yaml). */
#include "fuzz.h"
#include "mnsim/catalog.h"
#include "mnsim/depth.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "penetration.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_depth_params p;
    memset(&p, 0, sizeof p);
    fuzz_quiet_begin();
    mn_status st = mn_depth_params_load(path, &p, &d, &e);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    return 0;
}
