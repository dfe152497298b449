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

    /* Long messages are cut, never overflow; one word longer than the
     * message is cut between characters and still ends in "...". */
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    mn_error_set(&e, MN_EINVAL, "%s", big);
    CHECK(strlen(e.message) == MN_ERROR_MSG_MAX - 4 + 3);
    CHECK(!strcmp(e.message + strlen(e.message) - 3, "..."));

    /* A long message of words is cut after a whole word, with "...": never
     * mid-word (it was cut at 511 bytes, inside a word). */
    char words[3000] = "";
    for (int i = 0; strlen(words) < sizeof words - 40; i++)
        snprintf(words + strlen(words), sizeof words - strlen(words), "%sword%d,",
                 i ? " " : "", i);
    mn_error_set(&e, MN_EINVAL, "allowed keys: %s", words);
    size_t n = strlen(e.message);
    CHECK(n < MN_ERROR_MSG_MAX && n > MN_ERROR_MSG_MAX / 2);
    CHECK(!strcmp(e.message + n - 3, "..."));
    /* what comes before "..." is a whole word of the full text */
    char full[3200];
    snprintf(full, sizeof full, "allowed keys: %s", words);
    CHECK(!strncmp(full, e.message, n - 3));
    CHECK(full[n - 3] == ' ' || full[n - 3] == ',');
    CHECK(e.message[n - 4] >= '0' && e.message[n - 4] <= '9'); /* "word123..." */
    /* Text that fits is kept whole. */
    char small[20];
    mn_text_fit(small, sizeof small, "one two three four");
    CHECK(!strcmp(small, "one two three four"));
    mn_text_fit(small, sizeof small, "one two three four five six");
    CHECK(!strcmp(small, "one two three..."));
    /* UTF-8 is never split: a long word of two-byte characters. */
    char umlauts[2 * MN_ERROR_MSG_MAX + 1];
    for (size_t i = 0; i + 2 < sizeof umlauts; i += 2)
        memcpy(umlauts + i, "\xc3\xa4", 2);
    umlauts[sizeof umlauts - 1 - (sizeof umlauts - 1) % 2] = '\0';
    mn_error_set(&e, MN_EINVAL, "%s", umlauts);
    n = strlen(e.message);
    CHECK((n - 3) % 2 == 0 && !strcmp(e.message + n - 3, "..."));

    /* A list keeps MN_DIAGS_MAX items, the last saying that more were
     * found; all are counted. */
    mn_diags many = {0};
    for (int i = 0; i < 5000; i++) {
        mn_error_set_at(&e, MN_ESCHEMA, "f.yaml", i + 1, 1, "unknown key k%d", i);
        CHECK(mn_diags_push(&many, MN_SEV_ERROR, &e) == MN_OK);
    }
    CHECK(many.count == MN_DIAGS_MAX && many.n_errors == 5000);
    CHECK(many.not_listed == 5000 - (MN_DIAGS_MAX - 1));
    CHECK_STR_HAS(many.items[MN_DIAGS_MAX - 1].message, "more problems were found");
    CHECK(!strcmp(many.items[MN_DIAGS_MAX - 1].file, "f.yaml"));
    CHECK(!strcmp(many.items[MN_DIAGS_MAX - 2].message, "unknown key k198"));
    mn_diags_free(&many);

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
