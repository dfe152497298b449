/* Fuzz target: population and trial files (kind: population, kind: trial;
 * mnsim cohort). Each input is read as both: whatever it holds, the readers
 * return a status with its message, never crash, print or leak. */
#include "fuzz.h"
#include "mnsim/cohort.h"
#include "mnsim/cohort_io.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "cohort.yaml");
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    mn_cohort_population p;
    fuzz_quiet_begin();
    mn_status st = mn_cohort_population_load(path, &p, &d, &e);
    mn_error ve;
    mn_error_clear(&ve);
    /* what loads is valid */
    int bad = st == MN_OK && mn_cohort_population_validate(&p, &ve) != MN_OK;
    mn_cohort_population_clear(&p);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    if (bad)
        fuzz_fail("a population that loads does not validate: %s", ve.message);
    mn_cohort_trial t;
    mn_error_clear(&e);
    fuzz_quiet_begin();
    st = mn_cohort_trial_load(path, &t, &d, &e);
    /* what loads has arms, people and months in range */
    bad = st == MN_OK && (!t.arms.count || t.n_people < 1 ||
                          t.endpoints.n_months != t.endpoints.months_text.count ||
                          !(t.endpoints.responder_month > 0));
    mn_cohort_trial_clear(&t);
    fuzz_quiet_end();
    fuzz_check_status(st, &e, &d);
    mn_diags_free(&d);
    if (bad)
        fuzz_fail("a trial that loads is not whole");
    return 0;
}
