#include "mn_test.h"
#include "mnsim/json.h"
#include "mnsim/utf8.h"

#include <stdlib.h>
#include <string.h>

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
    /* Control characters escaped; bytes that are not UTF-8 become U+FFFD,
     * so that the text is valid JSON whatever was stored. */
    CHECK(mn_json_str(j, r, "esc", "a\x1b[31m\x07") == MN_OK);
    CHECK(mn_json_str(j, r, "latin1", "caf\xe9 \xff\xc3\xa9") == MN_OK);
    CHECK(mn_json_str(j, r, "latin1_num", "1\xff") == MN_OK);
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
    CHECK_STR_HAS(t, "\"esc\": \"a\\u001B[31m\\u0007\"");
    CHECK_STR_HAS(t, "\"latin1\": \"caf\xef\xbf\xbd \xef\xbf\xbd\xc3\xa9\"");
    CHECK_STR_HAS(t, "\"latin1_num\": \"1\xef\xbf\xbd\"");
    CHECK(mn_utf8_valid(t, strlen(t), NULL));
    free(t);
    mn_json_free(j);
    mn_json_free(NULL);

    /* UTF-8: what is and what is not. */
    size_t bad = 0;
    CHECK(mn_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, NULL));
    CHECK(!mn_utf8_valid("ab\xff", 3, &bad) && bad == 2);
    CHECK(!mn_utf8_valid("a\xc0\xaf", 3, &bad) && bad == 1);    /* overlong */
    CHECK(!mn_utf8_valid("\xed\xa0\x80", 3, &bad) && bad == 0); /* surrogate */
    CHECK(!mn_utf8_valid("\xe2\x82", 2, &bad) && bad == 0);     /* cut short */
    CHECK(mn_utf8_sequence((const unsigned char *)"\xc2\x9b", 2) == 2);
    CHECK(mn_utf8_sequence((const unsigned char *)"x", 0) == 0);
    return mn_test_report("json");
}
