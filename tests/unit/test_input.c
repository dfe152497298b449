/* The schema reader, on a small schema made for the test. */
#include "mn_test.h"
#include "mnsim/input.h"

#include <stddef.h>
#include <stdlib.h>

typedef struct {
    char *name;
    int colour;
    long count;
    double length_m;
    mn_sexed thick_m;
    int flag;
    mn_strings tags;
    mn_strmap sources;
} item;

static const char *const colours[] = {"red", "green", NULL};

static const mn_field item_fields[] = {
    {"name", MN_FIELD_STRING, 0, NULL, 0, 0, 1, offsetof(item, name), NULL, NULL, "id"},
    {"colour", MN_FIELD_ENUM, 0, NULL, 0, 0, 0, offsetof(item, colour), colours, NULL, NULL},
    {"count", MN_FIELD_INT, 0, NULL, 1, 10, 0, offsetof(item, count), NULL, NULL, NULL},
    {"length", MN_FIELD_NUMBER, MN_UNIT_LENGTH, "mm", 0, 5e-3, 1,
     offsetof(item, length_m), NULL, NULL, "0-5 mm"},
    {"thick", MN_FIELD_SEXED, MN_UNIT_LENGTH, "um", 1e-6, 1e-3, 0,
     offsetof(item, thick_m), NULL, NULL, NULL},
    {"flag", MN_FIELD_BOOL, 0, NULL, 0, 0, 0, offsetof(item, flag), NULL, NULL, NULL},
    {"tags", MN_FIELD_STRINGS, 0, NULL, 0, 0, 0, offsetof(item, tags), NULL, NULL, NULL},
    {"sources", MN_FIELD_STRMAP, 0, NULL, 0, 0, 0, offsetof(item, sources), NULL, NULL, NULL},
};

static void item_init(void *p)
{
    item *it = p;
    memset(it, 0, sizeof *it);
    it->length_m = NAN;
    it->count = -1;
}

static const mn_schema item_schema = {"item", item_fields, 8, sizeof(item),
                                      item_init, NULL, NULL, "name", NULL};

typedef struct {
    mn_table items;
} file;

static const mn_field file_fields[] = {
    {"items", MN_FIELD_TABLE, 0, NULL, 0, 0, 1, offsetof(file, items), NULL,
     &item_schema, NULL},
};
static const mn_schema file_schema = {"test file", file_fields, 1, sizeof(file),
                                      NULL, NULL, NULL, NULL, "test"};

static mn_status read_text(const char *text, file *f, mn_diags *d)
{
    mn_doc *doc = NULL;
    memset(f, 0, sizeof *f);
    mn_status s = mn_doc_load_string(text, "t.yaml", &doc, d);
    if (s != MN_OK)
        return s;
    s = mn_doc_read(doc, &file_schema, f, d);
    mn_doc_free(doc);
    return s;
}

/* Data-driven: a text, how many errors, and what the first must say. */
typedef struct {
    const char *text;
    size_t errors;
    const char *first;
} bad_case;

static const bad_case bad[] = {
    {"kind: test\nitems:\n  - name: a\n    length: 1.5\n", 1,
     "t.yaml:4:13: items[0].length: '1.5' has no unit"},
    {"kind: test\nitems:\n  - name: a\n    length: 9 mm\n", 1,
     "items[0].length: 9 mm is outside the allowed range 0 mm to 5 mm"},
    {"kind: test\nitems:\n  - name: a\n    lenght: 1 mm\n", 2,
     "t.yaml:4:5: items[0]: unknown key 'lenght' in item (did you mean 'length'?)"},
    {"kind: test\nitems:\n  - name: a\n", 1, "missing required key 'length'"},
    {"kind: test\nitems:\n  - name: a\n    length: 1 mm\n    colour: blue\n", 1,
     "'blue' is not allowed; use one of: red, green"},
    {"kind: test\nitems:\n  - name: a\n    length: 1 mm\n    count: 11\n", 1,
     "11 is outside the allowed range 1 to 10"},
    {"kind: test\nitems:\n  - name: a\n    length: 1 mm\n    flag: maybe\n", 1,
     "expected true or false"},
    {"kind: test\nitems:\n  - name: a\n    length: 1 mm\n    thick: {female: 1 um, mal: 2 um}\n", 2,
     "unknown key 'mal'"},
    {"kind: test\nitems:\n  - {name: a, length: 1 mm}\n  - {name: a, length: 2 mm}\n", 1,
     "duplicate name 'a'"},
    {"kind: other\nitems: []\n", 1, "expected kind: test, found other"},
    {"items: []\n", 1, "missing required key 'kind'"},
    {"kind: test\nitems: 5\n", 1, "expected a list of item entries"},
    {"kind: test\nitems:\n  - 5\n", 1, "expected a item (a mapping"},
    {"kind: test\nitems:\n  - name: a\n    length:\n", 1, "has no value"},
    /* Every problem is reported, not only the first. */
    {"kind: test\nitems:\n  - name: a\n    length: x\n    count: 0\n    colour: 3\n", 3,
     "'x' is not a number"},
};

int main(void)
{
    file f;
    mn_diags d = {0};
    CHECK(read_text("kind: test\nitems:\n"
                    "  - name: a\n    length: 1.5 mm\n    colour: green\n"
                    "    count: 3\n    thick: {female: 10 um, male: 12 um}\n"
                    "    flag: true\n    tags: [x, y]\n    sources: {length: me}\n"
                    "  - {name: b, length: \"200 um\", thick: 5 um}\n",
                    &f, &d) == MN_OK);
    CHECK(d.count == 0);
    CHECK(f.items.count == 2);
    item *it = f.items.items;
    CHECK(!strcmp(it[0].name, "a"));
    CHECK_CLOSE(it[0].length_m, 1.5e-3, 1e-12);
    CHECK(it[0].colour == 1 && it[0].count == 3 && it[0].flag == 1);
    CHECK_CLOSE(it[0].thick_m.male, 12e-6, 1e-12);
    CHECK(it[0].tags.count == 2 && !strcmp(it[0].tags.items[1], "y"));
    CHECK(!strcmp(mn_strmap_get(&it[0].sources, "length"), "me"));
    CHECK_CLOSE(it[1].length_m, 200e-6, 1e-12);
    CHECK_CLOSE(it[1].thick_m.female, 5e-6, 1e-12);
    CHECK_CLOSE(it[1].thick_m.male, 5e-6, 1e-12);
    mn_schema_clear(&file_schema, &f);
    mn_diags_free(&d);

    /* JSON is read by the same reader. */
    CHECK(read_text("{\"kind\": \"test\", \"items\": [{\"name\": \"j\", "
                    "\"length\": \"2 mm\"}]}",
                    &f, &d) == MN_OK);
    CHECK(f.items.count == 1);
    mn_schema_clear(&file_schema, &f);
    mn_diags_free(&d);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mn_status s = read_text(bad[i].text, &f, &d);
        CHECK(s == MN_ESCHEMA);
        char buf[1024] = "";
        if (d.count)
            mn_error_format(&d.items[0], buf, sizeof buf);
        if (d.n_errors != bad[i].errors || !strstr(buf, bad[i].first))
            fprintf(stderr, "case %zu: %zu errors, first: %s\n", i, d.n_errors, buf);
        CHECK(d.n_errors == bad[i].errors);
        CHECK_STR_HAS(buf, bad[i].first);
        mn_schema_clear(&file_schema, &f);
        mn_diags_free(&d);
    }

    /* Syntax errors carry line and column. */
    mn_doc *doc = NULL;
    CHECK(mn_doc_load_string("a: [1, 2\nb: 3\n", "s.yaml", &doc, &d) == MN_EPARSE);
    CHECK(doc == NULL && d.n_errors >= 1 && d.items[0].line > 0);
    mn_diags_free(&d);
    CHECK(mn_doc_load("/nonexistent/x.yaml", &doc, &d) == MN_EIO);
    CHECK_STR_HAS(d.items[0].message, "cannot open");
    mn_diags_free(&d);
    return mn_test_report("input");
}
