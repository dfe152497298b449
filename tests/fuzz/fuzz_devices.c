/* Fuzz target: device catalogs (kind: devices) and a user's own device
 * file (kind: device), as mnsim reads data/devices.yaml and --device FILE. */
#include "fuzz.h"
#include "mnsim/catalog.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "devices.yaml");
    mn_diags d = {0}, d1 = {0};
    mn_error e, e1;
    mn_error_clear(&e);
    mn_error_clear(&e1);
    mn_device_list list;
    mn_device one;
    memset(&list, 0, sizeof list);
    memset(&one, 0, sizeof one);
    fuzz_quiet_begin();
    mn_status st = mn_devices_load(path, &list, &d, &e);
    mn_device_list_free(&list);
    mn_status st1 = mn_device_load(path, &one, &d1, &e1);
    mn_device_clear(&one);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    fuzz_check_status(st1, &e1, &d1);
    mn_diags_free(&d);
    mn_diags_free(&d1);
    return 0;
}
