/* Shared value types. */
#include "mnsim/types.h"

#include <stdlib.h>
#include <string.h>

const char *mn_strmap_get(const mn_strmap *m, const char *key)
{
    if (!m || !key)
        return NULL;
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->keys[i], key) == 0)
            return m->values[i];
    return NULL;
}

int mn_strings_has(const mn_strings *l, const char *s)
{
    if (!l || !s)
        return 0;
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return 1;
    return 0;
}

int mn_strings_split(const char *text, const char *seps, size_t max, mn_strings *out)
{
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    while (out->count < max) {
        p += strspn(p, seps);
        size_t len = strcspn(p, seps);
        if (!len)
            break;
        char **items = realloc(out->items, (out->count + 1) * sizeof *items);
        if (!items)
            return -1;
        out->items = items;
        if (!(out->items[out->count] = strndup(p, len)))
            return -1;
        out->count++;
        p += len;
    }
    return 0;
}

void mn_strings_free(mn_strings *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

int mn_strmap_add(mn_strmap *m, const char *key, const char *value)
{
    char *k = strdup(key ? key : ""), *v = strdup(value ? value : "");
    char **ks = k && v ? realloc(m->keys, (m->count + 1) * sizeof *ks) : NULL;
    if (ks)
        m->keys = ks;
    char **vs = ks ? realloc(m->values, (m->count + 1) * sizeof *vs) : NULL;
    if (vs)
        m->values = vs;
    mn_strmap_at *at = vs && m->at ? realloc(m->at, (m->count + 1) * sizeof *at) : NULL;
    if (at)
        m->at = at;
    if (!vs || (m->at && !at)) {
        free(k);
        free(v);
        return -1;
    }
    if (m->at)
        memset(&m->at[m->count], 0, sizeof *m->at);
    m->keys[m->count] = k;
    m->values[m->count] = v;
    m->count++;
    return 0;
}

void mn_strmap_free(mn_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->keys[i]);
        free(m->values[i]);
    }
    free(m->keys);
    free(m->values);
    free(m->at);
    memset(m, 0, sizeof *m);
}
