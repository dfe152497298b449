/* mnsim: safety rules for courses of microneedling (therapy layer).
 *
 * The rules are data (data/rules.yaml, every rule with its source); this
 * module evaluates them. mnsim informs, it does not prescribe: the rules are
 * conservative readings of published practice. */
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

typedef struct {
    mn_table intervals; /* of mn_interval_rule */
} mn_rules;

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
