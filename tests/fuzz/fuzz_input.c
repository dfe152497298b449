/* Deterministic mutation fuzzing of the input reader: every shipped data
 * file and bad-input file is mutated many times (byte flips, insertions,
 * deletions, truncations, splices of YAML punctuation) with Philox streams
 * and read with every schema. The reader must return a status and never
 * crash, hang or leak (run under ASan/UBSan in CI). Usage:
 *   fuzz_input ITERATIONS FILE... */
#include "mn_test.h"
#include "mnsim/catalog.h"
#include "mnsim/input.h"
#include "mnsim/rng.h"

#include <stdlib.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = (size_t)n;
    }
    return b;
}

static const char tokens[][8] = {":", "- ", "[", "]", "{", "}", "\"", "'", "\n",
                                 "  ", "#", "&a", "*a", "!!", "nan", "1e999",
                                 " mm", "-", ",", "\t", "?", "|", ">"};

static size_t mutate(mn_rng *r, char *buf, size_t len, size_t cap)
{
    int edits = 1 + (int)mn_rng_below(r, 4);
    for (int k = 0; k < edits; k++) {
        size_t pos = len ? (size_t)mn_rng_below(r, len) : 0;
        switch (mn_rng_below(r, 5)) {
        case 0: /* flip a byte */
            if (len)
                buf[pos] = (char)(mn_rng_u64(r) & 0x7f);
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
            if (len + n < cap) {
                memmove(buf + pos + n, buf + pos, len - pos);
                memcpy(buf + pos, t, n);
                len += n;
            }
            break;
        }
        case 3: /* truncate */
            len = pos;
            break;
        default: { /* duplicate a run elsewhere */
            size_t n = 1 + (size_t)mn_rng_below(r, 32);
            if (pos + n <= len && len + n < cap) {
                size_t at = (size_t)mn_rng_below(r, len);
                char tmp[32];
                memcpy(tmp, buf + pos, n);
                memmove(buf + at + n, buf + at, len - at);
                memcpy(buf + at, tmp, n);
                len += n;
            }
        }
        }
    }
    buf[len] = '\0';
    return len;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fuzz_input ITERATIONS FILE...\n");
        return 2;
    }
    long iters = atol(argv[1]);
    const mn_schema *schemas[] = {&mn_schema_devices_file, &mn_schema_device_file,
                                  &mn_schema_sites_file, &mn_schema_penetration_file};
    long runs = 0, parsed = 0;
    for (int f = 2; f < argc; f++) {
        size_t len = 0;
        char *orig = slurp(argv[f], &len);
        CHECK(orig != NULL);
        if (!orig)
            continue;
        size_t cap = 2 * len + 256;
        char *buf = malloc(cap + 1);
        for (long i = 0; i < iters; i++) {
            mn_rng r;
            mn_rng_init(&r, 12345, "fuzz", (uint64_t)f, (uint64_t)i);
            memcpy(buf, orig, len + 1);
            size_t n = mutate(&r, buf, len, cap);
            (void)n;
            mn_diags d = {0};
            mn_doc *doc = NULL;
            mn_status st = mn_doc_load_string(buf, "fuzz.yaml", &doc, &d);
            CHECK(st == MN_OK || st == MN_EPARSE);
            if (st == MN_OK) {
                parsed++;
                for (size_t s = 0; s < sizeof schemas / sizeof schemas[0]; s++) {
                    void *rec = calloc(1, schemas[s]->size);
                    mn_status rs = mn_doc_read(doc, schemas[s], rec, &d);
                    CHECK(rs == MN_OK || rs == MN_ESCHEMA);
                    mn_schema_clear(schemas[s], rec);
                    free(rec);
                }
                (void)mn_doc_kind(doc);
            }
            /* Every diagnostic is a terminated string with a sane location. */
            for (size_t k = 0; k < d.count; k++)
                CHECK(memchr(d.items[k].message, '\0', MN_ERROR_MSG_MAX) &&
                      d.items[k].line >= 0 && d.items[k].column >= 0);
            mn_doc_free(doc);
            mn_diags_free(&d);
            runs++;
        }
        free(buf);
        free(orig);
    }
    printf("fuzz: %ld mutated inputs, %ld parsed as YAML\n", runs, parsed);
    return mn_test_report("fuzz input");
}
