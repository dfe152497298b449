/* The fuzz harness's own check (tests/fuzz/selftest.sh): a "library" that
 * prints on stderr or stdout, or exits, must make fuzz_quiet_end (or the
 * exit handler) abort the run; a quiet one must not.
 *   fuzz_selftest print|printout|exit|quiet */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)data, (void)size;
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "quiet";
    fuzz_quiet_begin();
    if (!strcmp(mode, "print"))
        fprintf(stderr, "a diagnostic the library should have collected\n");
    else if (!strcmp(mode, "printout"))
        printf("a line on stdout\n"); /* buffered: flushed by fuzz_quiet_end */
    else if (!strcmp(mode, "exit"))
        exit(3);
    fuzz_quiet_end();
    printf("quiet\n");
    return 0;
}
