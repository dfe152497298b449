/* A main() for the fuzz targets where libFuzzer is not linked in (gcc, the
 * plain and sanitizer builds of `make test`): every file given (or every
 * file of a directory given) is run as it is, then -m N times mutated with
 * deterministic Philox streams (byte flips, deletions, truncations, YAML
 * punctuation inserted, runs repeated). The target aborts on a finding.
 *   fuzz_NAME [-m N] FILE|DIR... */
#include "fuzz.h"
#include "mnsim/rng.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    unsigned char *b = malloc(cap);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

static const char tokens[][8] = {
    ":", "- ", "[",  "]",   "{",   "}",       "\"",       "'",   "\n", "  ",
    "#", "&a", "*a", "!!",  "nan", "1e999",   " mm",      "-",   ",",  "\t",
    "?", "|",  ">",  "---", "...", "\\u0000", "\xc3\xa4", "\xff"};

static size_t mutate(mn_rng *r, unsigned char *buf, size_t len, size_t cap)
{
    int edits = 1 + (int)mn_rng_below(r, 4);
    for (int k = 0; k < edits; k++) {
        size_t pos = len ? (size_t)mn_rng_below(r, len) : 0;
        switch (mn_rng_below(r, 5)) {
        case 0: /* flip a byte */
            if (len)
                buf[pos] = (unsigned char)(mn_rng_u64(r) & 0xff);
            break;
        case 1: /* delete a run */
            if (len) {
                size_t n = 1 + (size_t)mn_rng_below(r, 16);
                if (pos + n > len)
                    n = len - pos;
                memmove(buf + pos, buf + pos + n, len - pos - n);
                len -= n;
            }
            break;
        case 2: { /* insert a token */
            const char *t = tokens[mn_rng_below(r, sizeof tokens / sizeof tokens[0])];
            size_t n = strlen(t);
            if (len + n <= cap) {
                memmove(buf + pos + n, buf + pos, len - pos);
                memcpy(buf + pos, t, n);
                len += n;
            }
            break;
        }
        case 3: /* truncate */ len = pos; break;
        default: { /* repeat a run elsewhere */
            size_t n = 1 + (size_t)mn_rng_below(r, 32);
            if (pos + n <= len && len + n <= cap) {
                size_t at = (size_t)mn_rng_below(r, len);
                unsigned char tmp[32];
                memcpy(tmp, buf + pos, n);
                memmove(buf + at + n, buf + at, len - at);
                memcpy(buf + at, tmp, n);
                len += n;
            }
        }
        }
    }
    return len;
}

static long runs;

static void run_file(const char *path, long mutations, uint64_t index)
{
    size_t len = 0;
    unsigned char *orig = slurp(path, &len);
    if (!orig) {
        fprintf(stderr, "fuzz: cannot read %s\n", path);
        exit(1);
    }
    LLVMFuzzerTestOneInput(orig, len);
    runs++;
    size_t cap = 2 * len + 256;
    unsigned char *buf = malloc(cap);
    for (long i = 0; buf && i < mutations; i++) {
        mn_rng r;
        mn_rng_init(&r, 12345, "fuzz", index, (uint64_t)i);
        memcpy(buf, orig, len);
        size_t n = mutate(&r, buf, len, cap);
        LLVMFuzzerTestOneInput(buf, n);
        runs++;
    }
    free(buf);
    free(orig);
}

int main(int argc, char **argv)
{
    long mutations = 0;
    uint64_t index = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) {
            mutations = atol(argv[++i]);
            continue;
        }
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            struct dirent **names;
            int n = scandir(argv[i], &names, NULL, alphasort);
            for (int k = 0; k < n; k++) {
                char p[4200];
                snprintf(p, sizeof p, "%s/%s", argv[i], names[k]->d_name);
                if (names[k]->d_name[0] != '.')
                    run_file(p, mutations, index++);
                free(names[k]);
            }
            free(names);
        } else {
            run_file(argv[i], mutations, index++);
        }
    }
    printf("fuzz: %ld inputs, no finding\n", runs);
    return 0;
}
