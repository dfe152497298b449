/* Fuzz target: treatment zones and their outlines (kind: zones,
 * data/zones.yaml; mnsim roll --zones FILE). */
#include "fuzz.h"
#include "mnsim/zone.h"
#include "mnsim/zones.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "zones.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_zone_list list;
    memset(&list, 0, sizeof list);
    fuzz_quiet_begin();
    mn_status st = mn_zones_load(path, &list, &d, &e);
    mn_zone_list_free(&list);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    return 0;
}
