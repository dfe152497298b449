/* Shared value types (src/base/types.c): lists of strings. */
#include "mn_test.h"

#include "mnsim/types.h"

static void test_split(void)
{
    mn_strings l;
    CHECK(mn_strings_split("cheek, forehead,,chin ", ", ", 64, &l) == 0);
    CHECK(l.count == 3);
    CHECK(!strcmp(l.items[0], "cheek") && !strcmp(l.items[1], "forehead") &&
          !strcmp(l.items[2], "chin"));
    CHECK(mn_strings_has(&l, "chin") && !mn_strings_has(&l, "che"));
    mn_strings_free(&l);
    CHECK(l.count == 0 && l.items == NULL);

    CHECK(mn_strings_split("a,b,c,d", ",", 2, &l) == 0); /* the rest dropped */
    CHECK(l.count == 2 && !strcmp(l.items[1], "b"));
    mn_strings_free(&l);

    CHECK(mn_strings_split(NULL, ",", 8, &l) == 0 && l.count == 0);
    mn_strings_free(&l);
    CHECK(mn_strings_split(" , ", ", ", 8, &l) == 0 && l.count == 0);
    mn_strings_free(&l);
}

int main(void)
{
    test_split();
    return mn_test_report("test_types");
}
