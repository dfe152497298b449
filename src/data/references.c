/* The bibliography as data (mnsim/references.h). */
#include "mnsim/references.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *open_bibliography(const char *data_dir)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/references.md", data_dir);
    FILE *f = fopen(p, "r");
    if (!f) {
        snprintf(p, sizeof p, "%s/../docs/references.md", data_dir);
        f = fopen(p, "r");
    }
    return f;
}

/* "- **key**: citation" -> key, citation (in place); 0 if not an entry. */
static int entry(char *line, char **key, char **cite)
{
    if (strncmp(line, "- **", 4))
        return 0;
    char *end = strstr(line + 4, "**:");
    if (!end)
        return 0;
    *end = '\0';
    *key = line + 4;
    *cite = end + 3;
    while (**cite == ' ')
        (*cite)++;
    size_t n = strlen(*cite);
    while (n && ((*cite)[n - 1] == '\n' || (*cite)[n - 1] == ' '))
        (*cite)[--n] = '\0';
    return **key != '\0';
}

static int add(mn_strmap *m, const char *k, const char *v)
{
    char **ks = realloc(m->keys, (m->count + 1) * sizeof *ks);
    if (!ks)
        return -1;
    m->keys = ks;
    char **vs = realloc(m->values, (m->count + 1) * sizeof *vs);
    if (!vs)
        return -1;
    m->values = vs;
    if (!(m->keys[m->count] = strdup(k)))
        return -1;
    if (!(m->values[m->count] = strdup(v))) {
        free(m->keys[m->count]);
        return -1;
    }
    m->count++;
    return 0;
}

mn_status mn_references_load(const char *data_dir, mn_strmap *out, mn_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = open_bibliography(data_dir);
    if (!f)
        return mn_error_set(err, MN_EIO,
                            "no bibliography: neither %s/references.md nor "
                            "%s/../docs/references.md",
                            data_dir, data_dir);
    char line[8192];
    mn_status st = MN_OK;
    while (st == MN_OK && fgets(line, sizeof line, f)) {
        char *k, *v;
        if (entry(line, &k, &v) && add(out, k, v))
            st = mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    fclose(f);
    if (st != MN_OK)
        mn_strmap_free(out);
    return st;
}

void mn_references_cited(const char *text, const mn_strmap *refs, const char **keys,
                         size_t *n, size_t max)
{
    for (const char *p = text ? strchr(text, '[') : NULL; p; p = strchr(p + 1, '[')) {
        const char *e = strchr(p + 1, ']');
        if (!e)
            return;
        size_t len = (size_t)(e - p - 1);
        for (size_t i = 0; i < refs->count; i++) {
            if (strlen(refs->keys[i]) != len || strncmp(refs->keys[i], p + 1, len))
                continue;
            size_t k;
            for (k = 0; k < *n && strcmp(keys[k], refs->keys[i]); k++)
                ;
            if (k == *n && *n < max)
                keys[(*n)++] = refs->keys[i];
            break;
        }
    }
}
