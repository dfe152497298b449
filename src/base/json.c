/* JSON output through libfyaml documents. */
#include "mnsim/json.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "mnsim/utf8.h"

struct mn_json {
    struct fy_document *fyd;
};

/* mn_jnode is an opaque alias of struct fy_node. */
#define NODE(p) ((struct fy_node *)(void *)(p))
#define JNODE(p) ((mn_jnode *)(void *)(p))

static void silent_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d, (void)user, (void)buf, (void)len;
}

mn_json *mn_json_new(void)
{
    mn_json *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    /* libfyaml's default diagnostics go to stderr (a string node that did
     * not parse would print there): these go nowhere, the call fails. */
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = silent_output;
    dcfg.colorize = false;
    struct fy_parse_cfg cfg = {0};
    cfg.flags = FYPCF_QUIET;
    cfg.diag = fy_diag_create(&dcfg);
    j->fyd = cfg.diag ? fy_document_create(&cfg) : NULL;
    fy_diag_destroy(cfg.diag); /* the document holds its own reference */
    struct fy_node *root = j->fyd ? fy_node_create_mapping(j->fyd) : NULL;
    if (!root || fy_document_set_root(j->fyd, root) != 0) {
        if (j->fyd)
            fy_document_destroy(j->fyd);
        free(j);
        return NULL;
    }
    return j;
}

void mn_json_free(mn_json *j)
{
    if (!j)
        return;
    fy_document_destroy(j->fyd);
    free(j);
}

mn_jnode *mn_json_root(mn_json *j)
{
    return JNODE(fy_document_root(j->fyd));
}
mn_jnode *mn_json_object(mn_json *j)
{
    return JNODE(fy_node_create_mapping(j->fyd));
}
mn_jnode *mn_json_array(mn_json *j)
{
    return JNODE(fy_node_create_sequence(j->fyd));
}

static struct fy_node *num_node(mn_json *j, double v)
{
    if (!isfinite(v))
        return fy_node_create_scalar(j->fyd, "null", 4);
    return fy_node_create_scalarf(j->fyd, "%.10g", v);
}

/* Would a plain scalar with this text be emitted as a JSON literal (number,
 * boolean, null) or lose its spaces? */
static int needs_quoting(const char *s)
{
    if (!*s || !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null") ||
        !strcmp(s, "~") || isspace((unsigned char)s[0]) ||
        isspace((unsigned char)s[strlen(s) - 1]))
        return 1;
    char *end;
    strtod(s, &end);
    return *end == '\0';
}

/* A copy of s with every byte that is not UTF-8 replaced by U+FFFD, so
 * that the output is valid JSON whatever the text came from; NULL when s
 * is valid (or out of memory: *oom set). */
static char *valid_copy(const char *s, int *oom)
{
    size_t n = strlen(s), bad;
    *oom = 0;
    if (mn_utf8_valid(s, n, &bad))
        return NULL;
    char *q = malloc(3 * n + 1);
    if (!q) {
        *oom = 1;
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t len = mn_utf8_sequence(p + i, n - i);
        if (len) {
            memcpy(q + k, p + i, len);
            k += len, i += len;
        } else {
            memcpy(q + k, "\xEF\xBF\xBD", 3);
            k += 3, i++;
        }
    }
    q[k] = '\0';
    return q;
}

/* A string node of valid UTF-8 text. Text that could read as a number,
 * boolean or null is built from a YAML double-quoted scalar so that the
 * emitter keeps it a string ("true", "1.5" stay strings); other text is
 * copied as is (the JSON emitter quotes and escapes it). */
static struct fy_node *str_text_node(mn_json *j, const char *s)
{
    if (!needs_quoting(s))
        return fy_node_create_scalar_copy(j->fyd, s, strlen(s));
    size_t n = strlen(s);
    char *q = malloc(6 * n + 3);
    if (!q)
        return NULL;
    size_t k = 0;
    q[k++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            q[k++] = '\\';
            q[k++] = (char)*p;
        } else if (*p == '\n') {
            q[k++] = '\\';
            q[k++] = 'n';
        } else if (*p < 0x20 || *p == 0x7f) {
            k += (size_t)sprintf(q + k, "\\x%02x", *p);
        } else {
            q[k++] = (char)*p;
        }
    }
    q[k++] = '"';
    /* The document takes ownership of q (libfyaml keeps pointing into it). */
    struct fy_node *node = fy_node_build_from_malloc_string(j->fyd, q, k);
    if (!node)
        free(q);
    return node;
}

/* A string node (null for NULL); text that is not UTF-8 made so first. */
static struct fy_node *str_node(mn_json *j, const char *s)
{
    if (!s)
        return fy_node_create_scalar(j->fyd, "null", 4);
    int oom;
    char *fixed = valid_copy(s, &oom);
    if (oom)
        return NULL;
    struct fy_node *node = str_text_node(j, fixed ? fixed : s);
    free(fixed);
    return node;
}

static mn_status append(mn_json *j, mn_jnode *obj, const char *key, struct fy_node *v)
{
    if (!v)
        return MN_ENOMEM;
    struct fy_node *k = fy_node_create_scalar_copy(j->fyd, key, strlen(key));
    if (!k || fy_node_mapping_append(NODE(obj), k, v) != 0) {
        fy_node_free(v);
        if (k)
            fy_node_free(k);
        return MN_ENOMEM;
    }
    return MN_OK;
}

mn_status mn_json_num(mn_json *j, mn_jnode *obj, const char *key, double v)
{
    return append(j, obj, key, num_node(j, v));
}

mn_status mn_json_num_exact(mn_json *j, mn_jnode *obj, const char *key, double v)
{
    if (!isfinite(v))
        return append(j, obj, key, fy_node_create_scalar(j->fyd, "null", 4));
    return append(j, obj, key, fy_node_create_scalarf(j->fyd, "%.17g", v));
}

mn_status mn_json_int(mn_json *j, mn_jnode *obj, const char *key, long long v)
{
    return append(j, obj, key, fy_node_create_scalarf(j->fyd, "%lld", v));
}

mn_status mn_json_str(mn_json *j, mn_jnode *obj, const char *key, const char *v)
{
    return append(j, obj, key, str_node(j, v));
}

mn_status mn_json_bool(mn_json *j, mn_jnode *obj, const char *key, int v)
{
    return append(j, obj, key,
                  fy_node_create_scalar(j->fyd, v ? "true" : "false", v ? 4 : 5));
}

mn_status mn_json_put(mn_json *j, mn_jnode *obj, const char *key, mn_jnode *child)
{
    return append(j, obj, key, NODE(child));
}

static mn_status push(mn_jnode *arr, struct fy_node *v)
{
    if (!v)
        return MN_ENOMEM;
    if (fy_node_sequence_append(NODE(arr), v) != 0) {
        fy_node_free(v);
        return MN_ENOMEM;
    }
    return MN_OK;
}

mn_status mn_json_push(mn_json *j, mn_jnode *arr, mn_jnode *child)
{
    (void)j;
    return push(arr, NODE(child));
}

mn_status mn_json_push_num(mn_json *j, mn_jnode *arr, double v)
{
    return push(arr, num_node(j, v));
}

mn_status mn_json_push_str(mn_json *j, mn_jnode *arr, const char *v)
{
    return push(arr, str_node(j, v));
}

char *mn_json_text(mn_json *j)
{
    return fy_emit_document_to_string(
        j->fyd, (enum fy_emitter_cfg_flags)(FYECF_MODE_JSON | FYECF_INDENT_2 |
                                            FYECF_WIDTH_INF));
}
