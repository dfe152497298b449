#include "mn_test.h"
#include "mnsim/error.h"

#include <stdlib.h>

int main(void)
{
    mn_error e;
    CHECK(mn_error_set(&e, MN_ERANGE, "x=%d", 5) == MN_ERANGE);
    CHECK(e.code == MN_ERANGE);
    CHECK(!strcmp(e.message, "x=5"));
    CHECK(mn_error_set(NULL, MN_EINVAL, "ignored") == MN_EINVAL);

    char buf[600];
    mn_error_set_at(&e, MN_ESCHEMA, "in.yaml", 3, 7, "bad %s", "key");
    CHECK(!strcmp(mn_error_format(&e, buf, sizeof buf), "in.yaml:3:7: bad key"));
    mn_error_set_at(&e, MN_EIO, "in.yaml", 0, 0, "cannot open");
    CHECK(!strcmp(mn_error_format(&e, buf, sizeof buf), "in.yaml: cannot open"));

    /* Long messages are truncated, never overflow. */
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    mn_error_set(&e, MN_EINVAL, "%s", big);
    CHECK(strlen(e.message) == MN_ERROR_MSG_MAX - 1);

    for (int c = MN_OK; c <= MN_EEXIST; c++)
        CHECK(strcmp(mn_strerror((mn_status)c), "unknown error") != 0);
    CHECK(!strcmp(mn_severity_name(MN_SEV_WARNING), "warning"));

    mn_diags d = {0};
    for (int i = 0; i < 20; i++) {
        mn_error_set(&e, MN_EINVAL, "n%d", i);
        CHECK(mn_diags_push(&d, i % 2 ? MN_SEV_ERROR : MN_SEV_WARNING, &e) == MN_OK);
    }
    CHECK(d.count == 20 && d.n_errors == 10 && d.n_warnings == 10);
    CHECK(!strcmp(d.items[19].message, "n19"));
    mn_diags_free(&d);
    CHECK(d.count == 0);
    mn_diags_free(NULL);
    return mn_test_report("error");
}
