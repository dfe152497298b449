/* The healing parameter file: the shipped file reads; written back by
 * mn_heal_data_to_yaml it reads to the same values, bit for bit, with the
 * same provenance. */
#include "mn_test.h"
#include "mnsim/file.h"
#include "mnsim/healing_io.h"

#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "data";
    char path[1024], out[128];
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    snprintf(out, sizeof out, "/tmp/mnsim-test-healing-io-%ld.yaml", (long)getpid());
    mn_heal_data a, b;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_heal_data_load(path, &a, NULL, &e) == MN_OK);
    char *text = mn_heal_data_to_yaml(&a, "a test\nof two lines");
    CHECK(text != NULL);
    CHECK_STR_HAS(text, "# a test\n# of two lines\nkind: healing\n");
    CHECK(mn_file_write(out, text, strlen(text), 0, 0600, &e) == MN_OK);
    CHECK(mn_file_write(out, text, strlen(text), 0, 0600, &e) == MN_EEXIST);
    CHECK(mn_heal_data_load(out, &b, NULL, &e) == MN_OK);
    for (int i = 0; i < MN_HEAL_NPARAMS; i++) {
        CHECK(a.population.median.value[i] == b.population.median.value[i]);
        CHECK(a.population.cv[i] == b.population.cv[i]);
        CHECK(!a.source[i] == !b.source[i]);
        CHECK(!a.typical[i] == !b.typical[i]);
        if (a.source[i] && b.source[i])
            CHECK(!strcmp(a.source[i], b.source[i]));
    }
    /* Never over something that is not a regular file. */
    /* Not with force: a regression must not replace the real /dev/null
     * (test_file.c tries force on a private device). */
    CHECK(mn_file_write("/dev/null", "x", 1, 0, 0644, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "character device");
    CHECK(mn_file_write("/tmp", "x", 1, 1, 0644, &e) == MN_EINVAL);
    CHECK(mn_file_write("/nonexistent-dir/x.yaml", "x", 1, 1, 0644, &e) == MN_EIO);
    free(text);
    unlink(out);
    mn_heal_data_clear(&a);
    mn_heal_data_clear(&b);
    return mn_test_report("healing_io");
}
