/* Fuzz target: the safety rules (kind: rules, data/rules.yaml). */
#include "fuzz.h"
#include "mnsim/rules_io.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "rules.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_rules r;
    memset(&r, 0, sizeof r);
    fuzz_quiet_begin();
    mn_status st = mn_rules_load(path, &r, &d, &e);
    mn_rules_clear(&r);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    return 0;
}
