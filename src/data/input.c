/* Typed, schema-checked reading of YAML/JSON inputs over libfyaml. */
#include "mnsim/input.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "mnsim/date.h"

#include "input_internal.h"

/* ---- node helpers ----------------------------------------------------- */

/* 1-based line/column of a node (first scalar inside it); 0 if none. */
static void node_pos(struct fy_node *n, int *line, int *col)
{
    *line = *col = 0;
    while (n) {
        if (fy_node_is_alias(n) || fy_node_get_type(n) == FYNT_SCALAR) {
            struct fy_token *t = fy_node_get_scalar_token(n);
            const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
            if (m) {
                *line = m->line + 1;
                *col = m->column + 1;
            }
            return;
        }
        void *it = NULL;
        if (fy_node_get_type(n) == FYNT_MAPPING) {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        } else {
            n = fy_node_sequence_iterate(n, &it);
        }
    }
}

static mn_loc loc_at(const mn_doc *doc, struct fy_node *n, const char *path,
                     const mn_loc *fallback)
{
    mn_loc l = {doc->name, 0, 0, path};
    node_pos(n, &l.line, &l.column);
    if (l.line == 0 && fallback) {
        l.line = fallback->line;
        l.column = fallback->column;
    }
    return l;
}

static const char *scalar_text(struct fy_node *n, char *buf, size_t bufsz)
{
    size_t len = 0;
    const char *s = fy_node_get_scalar(n, &len);
    if (!s)
        return NULL;
    if (len >= bufsz)
        len = bufsz - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static char *scalar_dup(struct fy_node *n)
{
    size_t len = 0;
    const char *s = fy_node_get_scalar(n, &len);
    if (!s)
        return NULL;
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

static const char *type_word(struct fy_node *n)
{
    if (!n)
        return "nothing";
    if (fy_node_is_alias(n))
        return "an alias";
    switch (fy_node_get_type(n)) {
    case FYNT_SCALAR: return "a single value";
    case FYNT_SEQUENCE: return "a list";
    case FYNT_MAPPING: return "a mapping";
    }
    return "something else";
}

static int is_type(struct fy_node *n, enum fy_node_type t)
{
    return n && !fy_node_is_alias(n) && fy_node_get_type(n) == t;
}

/* Levenshtein distance, for "did you mean" on unknown keys. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

/* ---- reading ------------------------------------------------------------ */

typedef struct {
    mn_doc *doc;
    mn_diags *diags;
    int depth;
} reader;

static void read_record(reader *r, struct fy_node *map, const mn_schema *s, void *rec,
                        const char *path, const mn_loc *parent);

static void join_path(char *out, const char *path, const char *key)
{
    if (path && path[0])
        snprintf(out, MAX_PATH_TEXT, "%s.%s", path, key);
    else
        snprintf(out, MAX_PATH_TEXT, "%s", key);
}

static void format_range(const mn_field *f, char *buf, size_t n)
{
    const char *u = f->display_unit ? f->display_unit : mn_unit_si_symbol(f->unit);
    char lo[48], hi[48];
    mn_units_format(f->min, f->unit, u, 6, lo, sizeof lo);
    mn_units_format(f->max, f->unit, u, 6, hi, sizeof hi);
    snprintf(buf, n, "%s to %s", lo, hi);
}

static int read_number(reader *r, struct fy_node *v, const mn_field *f, const mn_loc *l,
                       double *out)
{
    char text[256];
    if (!is_type(v, FYNT_SCALAR)) {
        mn_input_report(
            r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
            "expected a %s like \"%s\", found %s", mn_unit_kind_name(f->unit),
            f->unit == MN_UNIT_LENGTH ? "1.5 mm" : "a number", type_word(v));
        return 0;
    }
    scalar_text(v, text, sizeof text);
    mn_error e;
    mn_error_clear(&e);
    double si;
    if (mn_units_parse(text, f->unit, &si, &e) != MN_OK) {
        mn_input_report(r->diags, MN_SEV_ERROR,
                        e.code == MN_ERANGE ? MN_ERANGE : MN_ESCHEMA, l, "%s",
                        e.message);
        return 0;
    }
    if (si < f->min || si > f->max) {
        char range[128];
        format_range(f, range, sizeof range);
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ERANGE, l,
                        "%s is outside the allowed range %s", text, range);
        return 0;
    }
    *out = si;
    return 1;
}

static void read_int(reader *r, struct fy_node *v, const mn_field *f, const mn_loc *l,
                     long *out)
{
    char text[64];
    if (!is_type(v, FYNT_SCALAR)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected a whole number, found %s", type_word(v));
        return;
    }
    scalar_text(v, text, sizeof text);
    errno = 0;
    char *end;
    long x = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "'%s' is not a whole number", text);
        return;
    }
    if ((double)x < f->min || (double)x > f->max) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ERANGE, l,
                        "%ld is outside the allowed range %.0f to %.0f", x, f->min,
                        f->max);
        return;
    }
    *out = x;
}

static void read_enum(reader *r, struct fy_node *v, const mn_field *f, const mn_loc *l,
                      int *out)
{
    char text[128], allowed[512] = "";
    if (!is_type(v, FYNT_SCALAR)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected one word, found %s", type_word(v));
        return;
    }
    scalar_text(v, text, sizeof text);
    for (int i = 0; f->choices[i]; i++) {
        if (strcmp(text, f->choices[i]) == 0) {
            *out = i;
            return;
        }
        size_t used = strlen(allowed);
        snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? ", " : "",
                 f->choices[i]);
    }
    mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                    "'%s' is not allowed; use one of: %s", text, allowed);
}

static void read_bool(reader *r, struct fy_node *v, const mn_loc *l, int *out)
{
    char text[16];
    if (is_type(v, FYNT_SCALAR)) {
        scalar_text(v, text, sizeof text);
        if (!strcmp(text, "true") || !strcmp(text, "yes")) {
            *out = 1;
            return;
        }
        if (!strcmp(text, "false") || !strcmp(text, "no")) {
            *out = 0;
            return;
        }
    }
    mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                    "expected true or false, found %s", type_word(v));
}

static void read_string(reader *r, struct fy_node *v, const mn_loc *l, char **out)
{
    if (!is_type(v, FYNT_SCALAR)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected text, found %s", type_word(v));
        return;
    }
    char *s = scalar_dup(v);
    if (!s) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ENOMEM, l, "out of memory");
        return;
    }
    free(*out);
    *out = s;
}

/* A list field with a largest number of items (f->max > 0): 1 when n is
 * within it, else 0 after an error. */
static int count_ok(reader *r, const mn_field *f, int n, const mn_loc *l)
{
    if (!(f->max > 0) || n <= f->max)
        return 1;
    mn_input_report(r->diags, MN_SEV_ERROR, MN_ERANGE, l,
                    "%d items, more than the %.0f allowed", n, f->max);
    return 0;
}

static void read_strings(reader *r, struct fy_node *v, const mn_field *f,
                         const char *path, const mn_loc *l, mn_strings *out)
{
    if (!is_type(v, FYNT_SEQUENCE)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected a list of text items, found %s", type_word(v));
        return;
    }
    int n = fy_node_sequence_item_count(v);
    mn_strings_free(out);
    if (n <= 0 || !count_ok(r, f, n, l))
        return;
    out->items = calloc((size_t)n, sizeof(char *));
    if (!out->items)
        return;
    void *it = NULL;
    struct fy_node *item;
    int i = 0;
    while ((item = fy_node_sequence_iterate(v, &it)) != NULL) {
        char p[MAX_PATH_TEXT];
        snprintf(p, sizeof p, "%s[%d]", path, i);
        mn_loc il = loc_at(r->doc, item, p, l);
        if (!is_type(item, FYNT_SCALAR)) {
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &il,
                            "expected text, found %s", type_word(item));
            i++;
            continue;
        }
        out->items[out->count++] = scalar_dup(item);
        i++;
    }
}

static void read_strmap(reader *r, struct fy_node *v, const char *path, const mn_loc *l,
                        mn_strmap *out)
{
    if (!is_type(v, FYNT_MAPPING)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected a mapping of key: text, found %s", type_word(v));
        return;
    }
    int n = fy_node_mapping_item_count(v);
    mn_strmap_free(out);
    if (n <= 0)
        return;
    out->keys = calloc((size_t)n, sizeof(char *));
    out->values = calloc((size_t)n, sizeof(char *));
    out->at = calloc((size_t)n, sizeof *out->at);
    if (!out->keys || !out->values || !out->at) {
        free(out->keys);
        free(out->values);
        free(out->at);
        out->keys = out->values = NULL;
        out->at = NULL;
        return;
    }
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(v, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        char kt[128] = "?";
        if (is_type(k, FYNT_SCALAR))
            scalar_text(k, kt, sizeof kt);
        char sub[MAX_PATH_TEXT];
        join_path(sub, path, kt);
        mn_loc kl = loc_at(r->doc, val ? val : k, sub, l);
        if (!is_type(k, FYNT_SCALAR) || !is_type(val, FYNT_SCALAR)) {
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &kl,
                            "expected text, found %s", type_word(val));
            continue;
        }
        mn_loc keyl = loc_at(r->doc, k, sub, l);
        out->at[out->count] =
            (mn_strmap_at){keyl.line, keyl.column, kl.line, kl.column};
        out->keys[out->count] = scalar_dup(k);
        out->values[out->count] = scalar_dup(val);
        out->count++;
    }
}

static void read_sexed(reader *r, struct fy_node *v, const mn_field *f,
                       const char *path, const mn_loc *l, mn_sexed *out)
{
    if (is_type(v, FYNT_SCALAR)) {
        double x;
        if (read_number(r, v, f, l, &x))
            out->female = out->male = x;
        return;
    }
    if (!is_type(v, FYNT_MAPPING)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected a %s, or {female: ..., male: ...}, found %s",
                        mn_unit_kind_name(f->unit), type_word(v));
        return;
    }
    int seen[2] = {0, 0};
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(v, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
        char kt[64] = "?";
        if (is_type(k, FYNT_SCALAR))
            scalar_text(k, kt, sizeof kt);
        char sub[MAX_PATH_TEXT];
        join_path(sub, path, kt);
        mn_loc kl = loc_at(r->doc, k, sub, l);
        int which = !strcmp(kt, "female") ? 0 : !strcmp(kt, "male") ? 1 : -1;
        if (which < 0) {
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &kl,
                            "unknown key '%s'; a per-sex value has keys "
                            "female and male",
                            kt);
            continue;
        }
        mn_loc vl = loc_at(r->doc, val, sub, &kl);
        double x;
        if (read_number(r, val, f, &vl, &x)) {
            if (which == 0)
                out->female = x;
            else
                out->male = x;
        }
        seen[which] = 1;
    }
    if (!seen[0] || !seen[1])
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "a per-sex value needs both female and male");
}

/* Records of a table with a unique key (s->unique_key, a STRING field):
 * every repeated value is an error naming the first record that has it.
 * Hashed, so that 10,000 records take no longer than reading them. */
static void check_unique(reader *r, struct fy_node *v, const mn_schema *s,
                         const mn_table *t, const char *path, const mn_loc *l)
{
    size_t off = (size_t)-1;
    for (size_t k = 0; k < s->n_fields; k++)
        if (!strcmp(s->fields[k].key, s->unique_key) &&
            s->fields[k].type == MN_FIELD_STRING)
            off = s->fields[k].offset;
    if (off == (size_t)-1 || t->count < 2)
        return;
    size_t cap = 16;
    while (cap < 2 * t->count)
        cap *= 2;
    size_t *slot = calloc(cap, sizeof *slot); /* record index + 1; 0: empty */
    if (!slot)
        return;
    const char *items = t->items;
    void *it = NULL;
    for (size_t a = 0; a < t->count; a++) {
        struct fy_node *node = fy_node_sequence_iterate(v, &it);
        const char *na = *(char *const *)(items + a * s->size + off);
        if (!na)
            continue;
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */
        for (const char *c = na; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        size_t j = h & (cap - 1);
        for (; slot[j]; j = (j + 1) & (cap - 1)) {
            size_t b = slot[j] - 1;
            if (!strcmp(*(char *const *)(items + b * s->size + off), na))
                break;
        }
        if (!slot[j]) {
            slot[j] = a + 1;
            continue;
        }
        char p[MAX_PATH_TEXT];
        snprintf(p, sizeof p, "%s[%zu].%s", path, a, s->unique_key);
        mn_loc dl = loc_at(r->doc, node, p, l);
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &dl,
                        "duplicate %s '%s' (first at %s[%zu])", s->unique_key, na, path,
                        slot[j] - 1);
    }
    free(slot);
}

static void read_table(reader *r, struct fy_node *v, const mn_field *f,
                       const char *path, const mn_loc *l, mn_table *out)
{
    if (!is_type(v, FYNT_SEQUENCE)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "expected a list of %s entries, found %s", f->sub->name,
                        type_word(v));
        return;
    }
    const mn_schema *s = f->sub;
    int n = fy_node_sequence_item_count(v);
    if (n <= 0 || !count_ok(r, f, n, l))
        return;
    char *items = calloc((size_t)n, s->size);
    if (!items) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ENOMEM, l, "out of memory");
        return;
    }
    out->items = items;
    void *it = NULL;
    struct fy_node *item;
    int i = 0;
    while ((item = fy_node_sequence_iterate(v, &it)) != NULL) {
        char p[MAX_PATH_TEXT];
        snprintf(p, sizeof p, "%s[%d]", path, i);
        void *rec = items + (size_t)i * s->size;
        if (s->init)
            s->init(rec);
        out->count = (size_t)i + 1;
        mn_loc il = loc_at(r->doc, item, p, l);
        if (!is_type(item, FYNT_MAPPING))
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &il,
                            "expected a %s (a mapping of key: value), found %s",
                            s->name, type_word(item));
        else
            read_record(r, item, s, rec, p, &il);
        i++;
    }
    if (s->unique_key)
        check_unique(r, v, s, out, path, l);
}

static const mn_field *find_field(const mn_schema *s, const char *key)
{
    for (size_t i = 0; i < s->n_fields; i++)
        if (!strcmp(s->fields[i].key, key))
            return &s->fields[i];
    return NULL;
}

static void report_unknown(reader *r, const mn_schema *s, const char *key,
                           const mn_loc *l)
{
    if (r->diags->count >= MN_DIAGS_MAX) { /* only counted: skip the suggestions */
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l, "unknown key");
        return;
    }
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < s->n_fields; i++) {
        size_t d = edit_distance(key, s->fields[i].key);
        if (d < bestd) {
            bestd = d;
            best = s->fields[i].key;
        }
    }
    char allowed[2 * MN_ERROR_MSG_MAX] = "";
    for (size_t i = 0; i < s->n_fields; i++) {
        size_t used = strlen(allowed);
        snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? ", " : "",
                 s->fields[i].key);
    }
    if (best)
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "unknown key '%s' in %s (did you mean '%s'?)", key, s->name,
                        best);
    else
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, l,
                        "unknown key '%s' in %s; allowed keys: %s", key, s->name,
                        allowed);
}

static void read_field(reader *r, struct fy_node *v, const mn_field *f, void *rec,
                       const char *path, const mn_loc *kl)
{
    char *base = rec;
    void *dst = base + f->offset;
    mn_loc vl = loc_at(r->doc, v, path, kl);
    if (v && fy_node_is_alias(v)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &vl,
                        "YAML aliases (*name) are not accepted in mnsim inputs");
        return;
    }
    if (!v || (is_type(v, FYNT_SCALAR) && fy_node_get_scalar_length(v) == 0 &&
               f->type != MN_FIELD_STRING)) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, kl, "has no value%s%s",
                        f->help ? ": " : "", f->help ? f->help : "");
        return;
    }
    switch (f->type) {
    case MN_FIELD_STRING: read_string(r, v, &vl, (char **)dst); break;
    case MN_FIELD_ENUM: read_enum(r, v, f, &vl, (int *)dst); break;
    case MN_FIELD_INT: read_int(r, v, f, &vl, (long *)dst); break;
    case MN_FIELD_NUMBER: read_number(r, v, f, &vl, (double *)dst); break;
    case MN_FIELD_SEXED: read_sexed(r, v, f, path, &vl, (mn_sexed *)dst); break;
    case MN_FIELD_BOOL: read_bool(r, v, &vl, (int *)dst); break;
    case MN_FIELD_STRINGS: read_strings(r, v, f, path, &vl, (mn_strings *)dst); break;
    case MN_FIELD_STRMAP: read_strmap(r, v, path, &vl, (mn_strmap *)dst); break;
    case MN_FIELD_TABLE: read_table(r, v, f, path, &vl, (mn_table *)dst); break;
    case MN_FIELD_DATE: {
        char text[64];
        mn_error e;
        mn_error_clear(&e);
        if (!is_type(v, FYNT_SCALAR)) {
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &vl,
                            "expected a date YYYY-MM-DD, found %s", type_word(v));
            break;
        }
        scalar_text(v, text, sizeof text);
        if (mn_date_parse(text, (int64_t *)dst, &e) != MN_OK)
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &vl, "%s", e.message);
        break;
    }
    case MN_FIELD_MAP:
        if (!is_type(v, FYNT_MAPPING))
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &vl,
                            "expected a mapping (%s), found %s", f->sub->name,
                            type_word(v));
        else
            read_record(r, v, f->sub, dst, path, &vl);
        break;
    }
}

static void read_record(reader *r, struct fy_node *map, const mn_schema *s, void *rec,
                        const char *path, const mn_loc *here)
{
    int top_level = r->depth == 0 && s->file_kind;
    if (++r->depth > 32) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, here, "nesting too deep");
        r->depth--;
        return;
    }
    unsigned char seen[128] = {0};
    size_t errors_before = r->diags->n_errors;
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        mn_loc kl = loc_at(r->doc, k, path, here);
        if (!is_type(k, FYNT_SCALAR)) {
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &kl,
                            "keys must be plain words, found %s", type_word(k));
            continue;
        }
        char key[128];
        scalar_text(k, key, sizeof key);
        char sub[MAX_PATH_TEXT];
        join_path(sub, path, key);
        kl.path = sub;
        if (top_level && !strcmp(key, "kind"))
            continue; /* checked by mn_doc_read */
        const mn_field *f = find_field(s, key);
        if (!f) {
            kl.path = path;
            report_unknown(r, s, key, &kl);
            continue;
        }
        size_t idx = (size_t)(f - s->fields);
        if (idx < sizeof seen)
            seen[idx] = 1;
        read_field(r, v, f, rec, sub, &kl);
    }
    for (size_t i = 0; i < s->n_fields && i < sizeof seen; i++)
        if (s->fields[i].required && !seen[i])
            mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, here,
                            "missing required key '%s' in %s%s%s", s->fields[i].key,
                            s->name, s->fields[i].help ? ": " : "",
                            s->fields[i].help ? s->fields[i].help : "");
    if (s->check)
        s->check(rec, here, r->diags->n_errors == errors_before, r->diags);
    r->depth--;
}

const char *mn_doc_kind(mn_doc *doc)
{
    struct fy_node *root = doc ? fy_document_root(doc->fyd) : NULL;
    if (!is_type(root, FYNT_MAPPING))
        return NULL;
    struct fy_node *k = fy_node_mapping_lookup_by_string(root, "kind", 4);
    if (!is_type(k, FYNT_SCALAR))
        return NULL;
    return fy_node_get_scalar0(k);
}

/* The top-level "kind" must name the schema's file kind. */
static int check_kind(reader *r, struct fy_node *root, const mn_schema *s,
                      const mn_loc *top)
{
    struct fy_node *k = fy_node_mapping_lookup_by_string(root, "kind", 4);
    if (!k) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, top,
                        "missing required key 'kind' (for this file: "
                        "kind: %s)",
                        s->file_kind);
        return 0;
    }
    mn_loc kl = loc_at(r->doc, k, "kind", top);
    const char *v = is_type(k, FYNT_SCALAR) ? fy_node_get_scalar0(k) : NULL;
    if (!v || strcmp(v, s->file_kind) != 0) {
        mn_input_report(r->diags, MN_SEV_ERROR, MN_ESCHEMA, &kl,
                        "expected kind: %s, found %s", s->file_kind,
                        v ? v : type_word(k));
        return 0;
    }
    return 1;
}

mn_status mn_doc_read(mn_doc *doc, const mn_schema *schema, void *rec, mn_diags *diags)
{
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t before = d->n_errors;
    if (schema->init)
        schema->init(rec);
    reader r = {doc, d, 0};
    struct fy_node *root = fy_document_root(doc->fyd);
    mn_loc top = {doc->name, 1, 1, ""};
    if (!is_type(root, FYNT_MAPPING)) {
        if (root)
            top = loc_at(doc, root, "", &top);
        mn_input_report(d, MN_SEV_ERROR, MN_ESCHEMA, &top,
                        "expected a %s file: a mapping of key: value at the top, "
                        "found %s",
                        schema->name, type_word(root));
    } else {
        top = loc_at(doc, root, "", &top);
        if (schema->file_kind && check_kind(&r, root, schema, &top))
            read_record(&r, root, schema, rec, "", &top);
        else if (!schema->file_kind)
            read_record(&r, root, schema, rec, "", &top);
    }
    size_t after = d->n_errors;
    mn_diags_free(&local);
    return after > before ? MN_ESCHEMA : MN_OK;
}

void mn_schema_clear(const mn_schema *s, void *rec)
{
    if (!s || !rec)
        return;
    char *base = rec;
    for (size_t i = 0; i < s->n_fields; i++) {
        const mn_field *f = &s->fields[i];
        void *dst = base + f->offset;
        switch (f->type) {
        case MN_FIELD_STRING:
            free(*(char **)dst);
            *(char **)dst = NULL;
            break;
        case MN_FIELD_STRINGS: mn_strings_free(dst); break;
        case MN_FIELD_STRMAP: mn_strmap_free(dst); break;
        case MN_FIELD_TABLE: {
            mn_table *t = dst;
            for (size_t k = 0; k < t->count; k++)
                mn_schema_clear(f->sub, (char *)t->items + k * f->sub->size);
            free(t->items);
            t->items = NULL;
            t->count = 0;
            break;
        }
        case MN_FIELD_MAP: mn_schema_clear(f->sub, dst); break;
        default: break;
        }
    }
}

mn_status mn_input_read_file(const char *path, const mn_schema *schema, void *rec,
                             mn_diags *diags, mn_error *err)
{
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t first = d->count;
    mn_doc *doc = NULL;
    mn_status st = mn_doc_load(path, &doc, d);
    if (st == MN_OK) {
        st = mn_doc_read(doc, schema, rec, d);
        mn_doc_free(doc);
    } else if (schema->init) {
        schema->init(rec);
    }
    if (st != MN_OK && err) {
        for (size_t i = first; i < d->count; i++)
            if (d->severity[i] == MN_SEV_ERROR) {
                *err = d->items[i];
                break;
            }
        if (err->code == MN_OK)
            mn_error_set_at(err, st, path, 0, 0, "%s", mn_strerror(st));
    }
    mn_diags_free(&local);
    return st;
}
