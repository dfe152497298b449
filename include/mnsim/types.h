/* mnsim: small shared value types (floor: base).
 * Thread safety: reentrant: lists and maps are the caller's; distinct ones in
 * parallel, a shared one only read. */
#ifndef MNSIM_TYPES_H
#define MNSIM_TYPES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sex, where published values differ by sex. */
typedef enum { MN_SEX_FEMALE = 0, MN_SEX_MALE = 1 } mn_sex;

/* A value given per sex (both equal when the source gives one value). */
typedef struct {
    double female;
    double male;
} mn_sexed;

/* The value for sex s (MN_SEX_MALE: male, otherwise female). */
static inline double mn_sexed_get(mn_sexed v, mn_sex s)
{
    return s == MN_SEX_MALE ? v.male : v.female;
}

/* An owned list of strings. */
typedef struct {
    char **items;
    size_t count;
} mn_strings;

/* Where an entry of a mapping is written in its file: the key and the
 * value (1-based lines and columns). */
typedef struct {
    int key_line, key_column;
    int line, column;
} mn_strmap_at;

/* An owned list of key/value strings (e.g. sources per value). */
typedef struct {
    char **keys;
    char **values;
    size_t count;
    mn_strmap_at *at; /* per entry, where a file has it (mnsim/input.h sets it);
                         NULL when the map was not read from a file */
} mn_strmap;

/* Value for key, or NULL. */
const char *mn_strmap_get(const mn_strmap *m, const char *key);

/* Append key: value (owned copies; where unknown: 0 in at). 0, or -1 when
 * out of memory (m unchanged). */
int mn_strmap_add(mn_strmap *m, const char *key, const char *value);

/* 1 if the list holds s. */
int mn_strings_has(const mn_strings *l, const char *s);

/* Split text (NULL: none) into its words: the runs of characters that are
 * not in seps (", " splits "cheek, forehead,chin"). At most max words are
 * kept; the rest are dropped. *out gets owned copies (free with
 * mn_strings_free, also after an error). 0, or -1 when out of memory. */
int mn_strings_split(const char *text, const char *seps, size_t max, mn_strings *out);

/* Free a list of strings (not l itself). */
void mn_strings_free(mn_strings *l);
/* Free a map (not m itself). */
void mn_strmap_free(mn_strmap *m);

/* An owned array of records of one type (items is an array of size count). */
typedef struct {
    void *items;
    size_t count;
} mn_table;

#ifdef __cplusplus
}
#endif
#endif
