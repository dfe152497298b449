/* mnsim: safety rules for courses of microneedling (floor: therapy).
 *
 * The rules are data (data/rules.yaml, every rule with its source); this
 * module evaluates them. mnsim informs, it does not prescribe: the rules are
 * conservative readings of published practice.
 *
 * Thread safety: reentrant: rules are only read and may be shared between threads;
 * findings are the caller's (distinct lists in parallel). */
#ifndef MNSIM_RULES_H
#define MNSIM_RULES_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { MN_REGION_ANY = -1 } mn_rule_region_any;

/* Minimum interval between sessions on the same zone for needles in
 * [needle_min_m, needle_max_m) in a region (mn_region, or MN_REGION_ANY). */
typedef struct {
    char *name;
    int region;           /* mn_region or MN_REGION_ANY */
    double needle_min_m;  /* inclusive */
    double needle_max_m;  /* exclusive */
    double min_interval_s;
    int severity;         /* mn_severity when broken */
    char *message;
    char *source;
} mn_interval_rule;

typedef enum { MN_APPLIES_CONDITION = 0, MN_APPLIES_MEDICATION } mn_applies_to;

/* A condition or medication id that rules treatment out or calls for care. */
typedef struct {
    char *id;
    int applies_to; /* mn_applies_to */
    int severity;
    char *message;
    char *source;
} mn_contraindication;

/* The longest needle for a setting and indication (-1: any). */
typedef struct {
    char *name;
    int setting;    /* mn_setting or -1 */
    int indication; /* mn_indication or -1 */
    double needle_max_m;
    int severity;
    char *message;
    char *source;
} mn_needle_limit;

/* A rule mnsim evaluates itself, found by name (value: its threshold as
 * written, e.g. "6 months", or NULL). */
typedef struct {
    char *name;
    char *value;
    int severity;
    char *message;
    char *source;
} mn_check_rule;

typedef struct {
    mn_table intervals;         /* of mn_interval_rule */
    mn_table contraindications; /* of mn_contraindication */
    mn_table needle_limits;     /* of mn_needle_limit */
    mn_table checks;            /* of mn_check_rule */
} mn_rules;

/* The check rule of that name, or NULL. */
const mn_check_rule *mn_rules_check_named(const mn_rules *r, const char *name);

/* The contraindication of that id and kind, or NULL. */
const mn_contraindication *mn_rules_contraindication(const mn_rules *r, const char *id,
                                                     int applies_to);

/* One finding of a check: severity, the rule and its source, where. */
typedef struct {
    int severity;     /* mn_severity */
    char rule[64];
    int session;      /* 1-based; 0 = the whole course */
    char zone[256];   /* "" = every zone; several zones comma-separated */
    char message[640];
    char source[480];
} mn_finding;

typedef struct {
    mn_finding *items;
    size_t count, cap;
    size_t n_errors, n_warnings;
} mn_findings;

/* Append a finding (copies the texts). MN_ENOMEM. */
mn_status mn_findings_add(mn_findings *f, int severity, const char *rule, int session,
                          const char *zone, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Free what a list of findings owns (not f itself). */
void mn_findings_free(mn_findings *f);

/* Free what a rule set owns (not r itself); r may be NULL. */
void mn_rules_clear(mn_rules *r);

/* Rules that apply to a needle length in a region: those written for the
 * region if any match (they replace the general ones, e.g. weekly scalp
 * protocols), else those for any region. The interval after which every
 * applying rule is satisfied, in s (0 when none applies); *rule gets the
 * rule that sets it (may be NULL). */
double mn_rules_min_interval(const mn_rules *r, double needle_length_m, int region,
                             const mn_interval_rule **rule);

/* Check the gap between two sessions on one zone: fills *broken with the
 * most severe rule broken (or NULL) and returns its severity, or -1. */
int mn_rules_check_interval(const mn_rules *r, double needle_length_m, int region,
                            double gap_s, const mn_interval_rule **broken);

#ifdef __cplusplus
}
#endif
#endif
