#include "mn_test.h"
#include "mnsim/json.h"

#include <stdlib.h>

int main(void)
{
    mn_json *j = mn_json_new();
    CHECK(j != NULL);
    mn_jnode *r = mn_json_root(j);
    CHECK(mn_json_num(j, r, "depth_um", 152.5) == MN_OK);
    CHECK(mn_json_num(j, r, "bad", NAN) == MN_OK);
    CHECK(mn_json_int(j, r, "seed", 42) == MN_OK);
    CHECK(mn_json_str(j, r, "text", "say \"true\"\n\\ok") == MN_OK);
    CHECK(mn_json_str(j, r, "looks_bool", "true") == MN_OK);
    CHECK(mn_json_str(j, r, "looks_num", "1.5") == MN_OK);
    CHECK(mn_json_bool(j, r, "flag", 1) == MN_OK);
    CHECK(mn_json_str(j, r, "multi", "line 1\nline 2; \"q\" \\ end") == MN_OK);
    CHECK(mn_json_str(j, r, "empty", "") == MN_OK);
    CHECK(mn_json_str(j, r, "spaced", " x ") == MN_OK);
    CHECK(mn_json_str(j, r, "minus", "-3") == MN_OK);
    mn_jnode *a = mn_json_array(j);
    mn_json_push_num(j, a, 1);
    mn_json_push_str(j, a, "x");
    CHECK(mn_json_put(j, r, "list", a) == MN_OK);
    char *t = mn_json_text(j);
    CHECK_STR_HAS(t, "\"depth_um\": 152.5");
    CHECK_STR_HAS(t, "\"bad\": null");
    CHECK_STR_HAS(t, "\"seed\": 42");
    CHECK_STR_HAS(t, "\"text\": \"say \\\"true\\\"\\n\\\\ok\"");
    CHECK_STR_HAS(t, "\"looks_bool\": \"true\"");
    CHECK_STR_HAS(t, "\"looks_num\": \"1.5\"");
    CHECK_STR_HAS(t, "\"flag\": true");
    CHECK_STR_HAS(t, "\"multi\": \"line 1\\nline 2; \\\"q\\\" \\\\ end\"");
    CHECK_STR_HAS(t, "\"empty\": \"\"");
    CHECK_STR_HAS(t, "\"spaced\": \" x \"");
    CHECK_STR_HAS(t, "\"minus\": \"-3\"");
    free(t);
    mn_json_free(j);
    mn_json_free(NULL);
    return mn_test_report("json");
}
