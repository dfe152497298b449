/* Loading an input text into a document (mnsim/input.h): UTF-8 and NUL
 * bytes checked first, then one pass over the parser's events for the
 * limits (mn_doc_limits), duplicate keys and a second document, then the
 * document built by libfyaml with every diagnostic collected, never
 * printed. */
#include "mnsim/input.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "input_internal.h"
#include "mnsim/utf8.h"

/* ---- diagnostics ---------------------------------------------------- */

void mn_input_report(mn_diags *diags, mn_severity sev, mn_status code,
                     const mn_loc *loc, const char *fmt, ...)
{
    if (!diags)
        return;
    mn_error e;
    mn_error_clear(&e);
    e.code = code;
    if (diags->count >= MN_DIAGS_MAX) { /* only counted: no need to format */
        mn_diags_push(diags, sev, &e);
        return;
    }
    /* Twice the message's room: the whole text is cut once, at a word. */
    char msg[2 * MN_ERROR_MSG_MAX], full[2 * MN_ERROR_MSG_MAX + MAX_PATH_TEXT];
    va_list ap;
    va_start(ap, fmt);
    mn_text_vformat(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (loc) {
        if (loc->file)
            snprintf(e.file, sizeof e.file, "%s", loc->file);
        e.line = loc->line;
        e.column = loc->column;
    }
    if (loc && loc->path && loc->path[0])
        snprintf(full, sizeof full, "%s: %s", loc->path, msg);
    else
        snprintf(full, sizeof full, "%s", msg);
    mn_text_fit(e.message, sizeof e.message, full);
    mn_diags_push(diags, sev, &e);
}

static void silent_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d, (void)user, (void)buf, (void)len;
}

/* ---- loading ------------------------------------------------------------ */

/* Every input is UTF-8 text: bytes that are not reach no parser (libfyaml
 * 0.7.12 loops forever on some, e.g. "%\xbb"). Reports the first bad byte
 * with its line and column. */
static int check_utf8(const char *text, size_t len, const char *name, mn_diags *diags)
{
    const unsigned char *p = (const unsigned char *)text;
    int line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        size_t n = mn_utf8_sequence(p + i, len - i);
        if (!n) {
            mn_loc l = {name, line, col, NULL};
            mn_input_report(
                diags, MN_SEV_ERROR, MN_EPARSE, &l,
                "not UTF-8 text: byte 0x%02X here; mnsim reads YAML and JSON "
                "in UTF-8",
                p[i]);
            return -1;
        }
        if (p[i] == '\n')
            line++, col = 1;
        else
            col++;
        i += n;
    }
    return 0;
}

/* ---- limits, duplicate keys, one document -------------------------------- */

const mn_doc_limits mn_doc_input_limits = {MN_INPUT_MAX_BYTES, MN_INPUT_MAX_NODES,
                                           MN_INPUT_MAX_KEYS, MN_INPUT_MAX_ITEMS};

#define SCAN_MAX_DEPTH                                                                 \
    64 /* libfyaml's own limit (FYPCF_GUARANTEED_MINIMUM_DEPTH_LIMIT) */
#define SCAN_KEY_TEXT 64

/* One key of a mapping, for the duplicate check. */
typedef struct {
    uint64_t hash;
    char *text;
    size_t len;
    int line;
} scan_key;

/* One open mapping or list. */
typedef struct {
    int is_map;
    int want_key;            /* mapping: the next node is a key */
    size_t count;            /* keys or items so far */
    char key[SCAN_KEY_TEXT]; /* mapping: the current key, for paths */
    scan_key *keys;          /* mapping: open-addressing set of its keys */
    size_t cap;
} scan_level;

typedef struct {
    const mn_doc_limits *lim;
    const char *name;
    mn_diags *diags;
    scan_level lv[SCAN_MAX_DEPTH];
    int depth;
    size_t nodes;
    int docs;
} scan;

static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void level_free(scan_level *l)
{
    for (size_t i = 0; i < l->cap; i++)
        free(l->keys[i].text);
    free(l->keys);
    l->keys = NULL;
    l->cap = 0;
}

/* The path of the node open at level `upto` (exclusive): "devices[0].name". */
static void scan_path(const scan *s, int upto, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < upto && used < n; i++) {
        const scan_level *l = &s->lv[i];
        int w =
            l->is_map
                ? snprintf(out + used, n - used, "%s%s", used ? "." : "", l->key)
                : snprintf(out + used, n - used, "[%zu]", l->count ? l->count - 1 : 0);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int scan_fail(scan *s, const struct fy_mark *m, int path_depth, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));
static int scan_fail(scan *s, const struct fy_mark *m, int path_depth, const char *fmt,
                     ...)
{
    char path[MAX_PATH_TEXT], msg[MN_ERROR_MSG_MAX];
    scan_path(s, path_depth, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mn_loc l = {s->name, m ? m->line + 1 : 0, m ? m->column + 1 : 0, path};
    mn_input_report(s->diags, MN_SEV_ERROR, MN_EPARSE, &l, "%s", msg);
    return -1;
}

/* Add a key to the set of its mapping; -1 after reporting a duplicate. */
static int scan_key_add(scan *s, scan_level *l, const char *text, size_t len,
                        const struct fy_mark *m)
{
    if (2 * (l->count + 1) > l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        scan_key *keys = calloc(cap, sizeof *keys);
        if (!keys)
            return 0; /* no check rather than no file */
        for (size_t i = 0; i < l->cap; i++)
            if (l->keys[i].text) {
                size_t j = l->keys[i].hash & (cap - 1);
                while (keys[j].text)
                    j = (j + 1) & (cap - 1);
                keys[j] = l->keys[i];
            }
        free(l->keys);
        l->keys = keys;
        l->cap = cap;
    }
    uint64_t h = key_hash(text, len);
    size_t j = h & (l->cap - 1);
    for (; l->keys[j].text; j = (j + 1) & (l->cap - 1))
        if (l->keys[j].hash == h && l->keys[j].len == len &&
            !memcmp(l->keys[j].text, text, len))
            return scan_fail(s, m, s->depth - 1,
                             "duplicate key '%.*s' (first at line %d)",
                             (int)(len < 64 ? len : 64), text, l->keys[j].line);
    char *copy = malloc(len + 1);
    if (!copy)
        return 0;
    memcpy(copy, text, len);
    copy[len] = '\0';
    l->keys[j] = (scan_key){h, copy, len, m ? m->line + 1 : 0};
    return 0;
}

/* A node begins (scalar, alias, mapping or list): count it against the
 * limits of the document and of its parent. Messages name the path of the
 * node ("devices[0].k1000"). */
static int scan_node(scan *s, struct fy_event *fye, const struct fy_mark *m)
{
    scan_level *p = s->depth ? &s->lv[s->depth - 1] : NULL;
    int is_key = p && p->is_map && p->want_key;
    size_t len = 0;
    const char *text = NULL;
    if (p && p->is_map)
        p->want_key = !p->want_key;
    if (is_key) {
        p->count++;
        if (fye->type == FYET_SCALAR)
            text = fye->scalar.value ? fy_token_get_text(fye->scalar.value, &len) : "";
        snprintf(p->key, sizeof p->key, "%.*s", text ? (int)(len < 63 ? len : 63) : 1,
                 text ? text : "?");
    } else if (p && !p->is_map) {
        p->count++;
    }
    if (++s->nodes > s->lim->max_nodes)
        return scan_fail(s, m, s->depth,
                         "more than %zu values in one file (mnsim's limit for this "
                         "file)",
                         s->lim->max_nodes);
    if (is_key && p->count > s->lim->max_keys)
        return scan_fail(s, m, s->depth,
                         "more than %zu keys in one mapping (mnsim's limit)",
                         s->lim->max_keys);
    if (p && !p->is_map && p->count > s->lim->max_items)
        return scan_fail(s, m, s->depth,
                         "more than %zu items in one list (mnsim's limit)",
                         s->lim->max_items);
    return text ? scan_key_add(s, p, text, len, m) : 0;
}

/* Walk the events of the whole text before building the document: the
 * limits, duplicate keys and a second document are reported at their line
 * (libfyaml's own duplicate check is quadratic and it builds only the
 * first document). Returns -1 after reporting; 0 otherwise, also on a
 * syntax error, which the document builder reports. */
static int scan_text(const char *text, size_t len, const char *name,
                     const mn_doc_limits *lim, const struct fy_parse_cfg *doc_cfg,
                     mn_diags *diags)
{
    /* Its own diagnostics, dropped: the builder reports syntax errors once. */
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = silent_output;
    dcfg.colorize = false;
    struct fy_parse_cfg cfg = *doc_cfg;
    cfg.diag = fy_diag_create(&dcfg);
    struct fy_parser *fyp = cfg.diag ? fy_parser_create(&cfg) : NULL;
    scan *s = fyp ? calloc(1, sizeof *s) : NULL;
    if (!s || fy_parser_set_string(fyp, text, len) != 0) {
        free(s);
        fy_parser_destroy(fyp);
        fy_diag_destroy(cfg.diag);
        return 0;
    }
    s->lim = lim;
    s->name = name;
    s->diags = diags;
    int rc = 0, second_doc = 0;
    struct fy_event *fye;
    while (rc == 0 && (fye = fy_parser_parse(fyp)) != NULL) {
        const struct fy_mark *m = fy_event_start_mark(fye);
        if (second_doc && m) /* an implicit document has no mark of its own */
            rc = scan_fail(s, m, 0,
                           "a second YAML document starts here; an mnsim input file "
                           "holds one document");
        switch (fye->type) {
        case FYET_DOCUMENT_START:
            if (++s->docs > 1 && rc == 0) {
                if (m && !fye->document_start.implicit)
                    rc = scan_fail(s, m, 0,
                                   "a second YAML document ('---') starts here; an "
                                   "mnsim input file holds one document");
                else
                    second_doc = 1;
            }
            break;
        case FYET_SCALAR:
        case FYET_ALIAS:
            if (rc == 0)
                rc = scan_node(s, fye, m);
            break;
        case FYET_MAPPING_START:
        case FYET_SEQUENCE_START:
            if (rc == 0)
                rc = scan_node(s, fye, m);
            if (rc == 0 && s->depth >= SCAN_MAX_DEPTH)
                rc = scan_fail(s, m, s->depth, "nested more than %d levels deep",
                               SCAN_MAX_DEPTH);
            if (rc == 0) {
                scan_level *l = &s->lv[s->depth++];
                memset(l, 0, sizeof *l);
                l->is_map = fye->type == FYET_MAPPING_START;
                l->want_key = 1;
            }
            break;
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END:
            if (s->depth > 0)
                level_free(&s->lv[--s->depth]);
            break;
        default: break;
        }
        fy_parser_event_free(fyp, fye);
    }
    while (s->depth > 0)
        level_free(&s->lv[--s->depth]);
    free(s);
    fy_parser_destroy(fyp);
    fy_diag_destroy(cfg.diag);
    return rc;
}

static mn_status load_text(char *text, size_t len, const char *name,
                           const mn_doc_limits *lim, mn_doc **out, mn_diags *diags)
{
    mn_loc where = {name, 0, 0, NULL};
    if (len > lim->max_bytes) {
        mn_input_report(diags, MN_SEV_ERROR, MN_EPARSE, &where,
                        "the file is larger than %zu bytes (%.4g MiB), mnsim's limit "
                        "for this file",
                        lim->max_bytes, lim->max_bytes / 1048576.0);
        free(text);
        return MN_EPARSE;
    }
    if (memchr(text, '\0', len)) {
        mn_input_report(diags, MN_SEV_ERROR, MN_EPARSE, &where,
                        "file contains NUL bytes: not a YAML or JSON text");
        free(text);
        return MN_EPARSE;
    }
    if (check_utf8(text, len, name, diags)) {
        free(text);
        return MN_EPARSE;
    }
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = silent_output;
    dcfg.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag) {
        free(text);
        return MN_ENOMEM;
    }
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {0};
    /* Duplicate keys are found by scan_text, in linear time. */
    cfg.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_ALLOW_DUPLICATE_KEYS;
    cfg.diag = diag;
    if (scan_text(text, len, name, lim, &cfg, diags)) {
        fy_diag_destroy(diag);
        free(text);
        return MN_EPARSE;
    }
    struct fy_document *fyd = fy_document_build_from_string(&cfg, text, len);
    int got_error = fyd == NULL || fy_diag_got_error(diag);
    if (got_error) {
        void *it = NULL;
        struct fy_diag_error *de;
        int n = 0;
        while ((de = fy_diag_errors_iterate(diag, &it)) != NULL) {
            if (de->type < FYET_ERROR)
                continue;
            mn_loc l = {name, de->line + 1, de->column + 1, NULL};
            mn_input_report(diags, MN_SEV_ERROR, MN_EPARSE, &l, "YAML syntax: %s",
                            de->msg ? de->msg : "error");
            n++;
        }
        if (n == 0)
            mn_input_report(diags, MN_SEV_ERROR, MN_EPARSE, &where,
                            "not a valid YAML or JSON document");
        if (fyd)
            fy_document_destroy(fyd);
        fy_diag_destroy(diag);
        free(text);
        return MN_EPARSE;
    }
    fy_diag_destroy(diag);
    mn_doc *doc = calloc(1, sizeof *doc);
    char *nm = strdup(name);
    if (!doc || !nm) {
        free(doc);
        free(nm);
        fy_document_destroy(fyd);
        free(text);
        return MN_ENOMEM;
    }
    doc->fyd = fyd;
    doc->text = text;
    doc->name = nm;
    *out = doc;
    return MN_OK;
}

mn_status mn_doc_load_string(const char *text, const char *name, mn_doc **out,
                             mn_diags *diags)
{
    *out = NULL;
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy)
        return MN_ENOMEM;
    memcpy(copy, text, len + 1);
    return load_text(copy, len, name ? name : "<string>", &mn_doc_input_limits, out,
                     diags);
}

mn_status mn_doc_load(const char *path, mn_doc **out, mn_diags *diags)
{
    return mn_doc_load_limited(path, &mn_doc_input_limits, out, diags);
}

struct fy_document *mn_doc_fy(mn_doc *doc)
{
    return doc ? doc->fyd : NULL;
}

mn_status mn_doc_load_limited(const char *path, const mn_doc_limits *lim, mn_doc **out,
                              mn_diags *diags)
{
    *out = NULL;
    mn_loc where = {path, 0, 0, NULL};
    FILE *f = fopen(path, "rb");
    if (!f) {
        mn_input_report(diags, MN_SEV_ERROR, MN_EIO, &where, "cannot open: %s",
                        strerror(errno));
        return MN_EIO;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return MN_ENOMEM;
    }
    for (;;) {
        if (len == cap) {
            if (len > lim->max_bytes) /* one byte over is enough to know */
                break;
            cap = cap < (lim->max_bytes + 1) / 2 ? 2 * cap : lim->max_bytes + 1;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return MN_ENOMEM;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                fclose(f);
                mn_input_report(diags, MN_SEV_ERROR, MN_EIO, &where, "cannot read: %s",
                                strerror(e));
                return MN_EIO;
            }
            break;
        }
    }
    fclose(f);
    buf[len] = '\0';
    return load_text(buf, len, path, lim, out, diags);
}

void mn_doc_free(mn_doc *doc)
{
    if (!doc)
        return;
    fy_document_destroy(doc->fyd);
    free(doc->text);
    free(doc->name);
    free(doc);
}
