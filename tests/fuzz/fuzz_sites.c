/* Fuzz target: the skin-site catalog (kind: sites, data/sites.yaml). */
#include "fuzz.h"
#include "mnsim/catalog.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "sites.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_site_list list;
    memset(&list, 0, sizeof list);
    fuzz_quiet_begin();
    mn_status st = mn_sites_load(path, &list, &d, &e);
    mn_site_list_free(&list);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    return 0;
}
