/* The web app's own decoding (src/web/form.c, web_form.h): percent-escapes,
 * form fields, run ids of paths. Built with src/web/form.c alone (the rest
 * of the web app is in the command, not the library). */
#include <stdlib.h>
#include <string.h>

#include "mn_test.h"
#include "web_form.h"

/* s decoded equals want[0..want_n). */
static int decodes_to(const char *s, const char *want, size_t want_n)
{
    size_t n = 12345;
    char *d = web_url_decode(s, strlen(s), &n);
    int ok = d && n == want_n && !memcmp(d, want, n) && d[n] == '\0';
    if (!ok)
        fprintf(stderr, "decode '%s': got %zu bytes '%s'\n", s, n, d ? d : "(null)");
    free(d);
    return ok;
}

#define DECODES(s, want) CHECK(decodes_to(s, want, sizeof want - 1))

static void decode(void)
{
    DECODES("", "");
    DECODES("plain", "plain");
    DECODES("a+b", "a b");
    DECODES("%2B", "+");     /* an escaped plus is a plus, not a blank */
    DECODES("%2b%2F", "+/"); /* either case */
    DECODES("%41%42c", "ABc");
    DECODES("%zz", "%zz"); /* not an escape: kept as it is */
    DECODES("%", "%");
    DECODES("a%", "a%");
    DECODES("%4", "%4"); /* truncated at the end */
    DECODES("%4g", "%4g");
    DECODES("%g4", "%g4");
    DECODES("%%41", "%A");
    DECODES("%41%", "A%");
    DECODES("100%25", "100%");
    DECODES("%252B", "%2B"); /* decoded once, not twice */
    DECODES("%00", "\0");
    DECODES("a%00b", "a\0b");
    DECODES("%ff%FE", "\xff\xfe");
    DECODES("%C3%A9", "\xc3\xa9");
    /* only the bytes given: the escape after them is not read */
    size_t n = 99;
    char *d = web_url_decode("ab%41", 3, &n);
    CHECK(d && n == 3 && !strcmp(d, "ab%"));
    free(d);
    d = web_url_decode(NULL, 0, NULL);
    CHECK(d && d[0] == '\0');
    free(d);
}

/* The field key of body: its status, and the value when found. */
static int field(const char *body, const char *key, const char *want)
{
    char *v = (char *)"untouched";
    int st = web_form_field(body, strlen(body), key, &v);
    int ok = want ? st == WEB_FORM_FOUND && v && !strcmp(v, want)
                  : st != WEB_FORM_FOUND && v == NULL;
    if (!ok)
        fprintf(stderr, "field %s of '%s': status %d, '%s'\n", key, body, st,
                v ? v : "(null)");
    if (st == WEB_FORM_FOUND)
        free(v);
    return ok;
}

static void form(void)
{
    CHECK(field("a=1&b=2", "a", "1"));
    CHECK(field("a=1&b=2", "b", "2"));
    CHECK(field("a=1&b=2", "c", NULL));
    CHECK(field("", "a", NULL));
    CHECK(field("a=", "a", ""));
    CHECK(field("a", "a", "")); /* no '=': empty value */
    CHECK(field("&&a=1&&", "a", "1"));
    CHECK(field("a=1=2", "a", "1=2")); /* the first '=' splits */
    CHECK(field("ab=1", "a", NULL));   /* names match whole */
    CHECK(field("a=1", "ab", NULL));
    CHECK(field("=1&a=2", "a", "2"));
    CHECK(field("=1", "", "1"));
    /* repeated names: the first wins */
    CHECK(field("a=first&a=second", "a", "first"));
    CHECK(field("a&a=second", "a", ""));
    /* names are decoded before they are compared */
    CHECK(field("f%5Fdate=x", "f_date", "x"));
    CHECK(field("my+key=v", "my key", "v"));
    CHECK(field("%61=v", "a", "v"));
    CHECK(field("a%3Db=v", "a=b", "v"));
    CHECK(field("a%3Db=v", "a", NULL));
    CHECK(field("a%26b=v", "a&b", "v"));
    /* values */
    CHECK(field("p=a+b%2Bc%26d%3De", "p", "a b+c&d=e"));
    CHECK(field("p=%zz%&q=1", "p", "%zz%"));
    CHECK(field("p=%4&q=1", "p", "%4")); /* truncated by the '&' */
    CHECK(field("p=%4", "p", "%4"));
    CHECK(field("p=100%", "p", "100%"));
    CHECK(field("p=line%0D%0Anext", "p", "line\r\nnext"));

    /* a NUL byte in a value is refused, not cut short */
    char *v = (char *)"untouched";
    CHECK(web_form_field("csrf=abc%00def", 14, "csrf", &v) == WEB_FORM_NUL && !v);
    CHECK(web_form_field("p=%00", 5, "p", &v) == WEB_FORM_NUL && !v);
    /* ... a name holding one is never the key */
    CHECK(field("csrf%00x=1", "csrf", NULL));
    CHECK(field("csrf%00=1&csrf=2", "csrf", "2"));
    /* a raw NUL byte in the body: the same (other fields are read) */
    static const char raw[] = "a=x\0y&b=2";
    CHECK(web_form_field(raw, sizeof raw - 1, "b", &v) == WEB_FORM_FOUND && v &&
          !strcmp(v, "2"));
    free(v);
    CHECK(web_form_field(raw, sizeof raw - 1, "a", &v) == WEB_FORM_NUL && !v);
    CHECK(web_form_check(raw, sizeof raw - 1) == -1);
    /* only the n bytes given */
    CHECK(web_form_field("a=12345", 4, "a", &v) == WEB_FORM_FOUND && v &&
          !strcmp(v, "12"));
    free(v);
    CHECK(web_form_field(NULL, 0, "a", &v) == WEB_FORM_ABSENT && !v);

    /* very long names and values */
    size_t big = 200000;
    char *body = malloc(2 * big + 8), *key = malloc(big + 1);
    CHECK(body && key);
    if (body && key) {
        memset(key, 'k', big);
        key[big] = '\0';
        memcpy(body, key, big);
        body[big] = '=';
        for (size_t i = 0; i < big / 3; i++)
            memcpy(body + big + 1 + 3 * i, "%41", 3);
        size_t bn = big + 1 + 3 * (big / 3);
        CHECK(web_form_field(body, bn, key, &v) == WEB_FORM_FOUND && v &&
              strlen(v) == big / 3 && v[0] == 'A' && v[big / 3 - 1] == 'A');
        free(v);
        key[big - 1] = '\0'; /* one shorter: not that name */
        CHECK(web_form_field(body, bn, key, &v) == WEB_FORM_ABSENT && !v);
        CHECK(web_form_check(body, bn) == 0);
    }
    free(body);
    free(key);

    /* the whole form */
    CHECK(web_form_check("a=1&b=%zz", 9) == 0);
    CHECK(web_form_check("", 0) == 0);
    CHECK(web_form_check(NULL, 0) == 0);
    CHECK(web_form_check("a=1&b=x%00", 10) == -1);
    CHECK(web_form_check("a%00=1", 6) == -1);
    CHECK(web_form_check("a=%%00", 6) == -1);
    CHECK(web_form_check("a=%0&0", 6) == 0);
}

static int id_is(const char *p, long want, const char *want_rest)
{
    const char *rest = "untouched";
    long id = web_path_id(p, &rest);
    int ok = id == want &&
             (want < 0 ? !strcmp(rest, "untouched") : !strcmp(rest, want_rest));
    if (!ok)
        fprintf(stderr, "path id '%s': %ld, rest '%s'\n", p, id, rest);
    return ok;
}

static void path_id(void)
{
    CHECK(id_is("1", 1, ""));
    CHECK(id_is("42/files/report.html", 42, "/files/report.html"));
    CHECK(id_is("7/cancel", 7, "/cancel"));
    CHECK(id_is("123456789012345678", 123456789012345678L, ""));
    CHECK(id_is("1234567890123456789", -1, NULL)); /* 19 digits */
    CHECK(id_is("99999999999999999999999", -1, NULL));
    CHECK(id_is("", -1, NULL));
    CHECK(id_is("0", -1, NULL));
    CHECK(id_is("007", -1, NULL));
    CHECK(id_is("-1", -1, NULL));
    CHECK(id_is("+1", -1, NULL));
    CHECK(id_is(" 1", -1, NULL));
    CHECK(id_is("1 ", -1, NULL));
    CHECK(id_is("1x", -1, NULL));
    CHECK(id_is("0x10", -1, NULL));
    CHECK(id_is("/1", -1, NULL));
}

int main(void)
{
    decode();
    form();
    path_id();
    return mn_test_report("test_web");
}
