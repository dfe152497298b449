/* Fuzz target: validation and calibration cases (kind: validation,
 * data/validation/; mnsim validate --cases DIR). */
#include "fuzz.h"
#include "mnsim/validation.h"
#include "mnsim/validation_io.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "cases.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_vcase_list list;
    memset(&list, 0, sizeof list);
    fuzz_quiet_begin();
    mn_status st = mn_validation_load(path, &list, &d, &e);
    mn_vcase_list_free(&list);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    return 0;
}
