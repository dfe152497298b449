/* Minimal test harness: each test file is one program; a failed check
 * prints file:line and the expression; main returns non-zero on failure. */
#ifndef MN_TEST_H
#define MN_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int mn_test_checks, mn_test_failures;

#define CHECK(cond)                                                           \
    do {                                                                      \
        mn_test_checks++;                                                     \
        if (!(cond)) {                                                        \
            mn_test_failures++;                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                   \
        }                                                                     \
    } while (0)

#define CHECK_CLOSE(a, b, rel)                                                \
    do {                                                                      \
        double mn_a_ = (a), mn_b_ = (b);                                      \
        mn_test_checks++;                                                     \
        if (!(fabs(mn_a_ - mn_b_) <= (rel) * fabs(mn_b_))) {                  \
            mn_test_failures++;                                               \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g (rel %g)\n",   \
                    __FILE__, __LINE__, #a, mn_a_, mn_b_, (double)(rel));     \
        }                                                                     \
    } while (0)

#define CHECK_STR_HAS(hay, needle)                                            \
    do {                                                                      \
        const char *mn_h_ = (hay);                                            \
        mn_test_checks++;                                                     \
        if (!mn_h_ || !strstr(mn_h_, (needle))) {                             \
            mn_test_failures++;                                               \
            fprintf(stderr, "%s:%d: '%s' does not contain '%s'\n", __FILE__,  \
                    __LINE__, mn_h_ ? mn_h_ : "(null)", (needle));            \
        }                                                                     \
    } while (0)

static inline int mn_test_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, mn_test_checks, mn_test_failures);
    return mn_test_failures ? 1 : 0;
}

#endif
