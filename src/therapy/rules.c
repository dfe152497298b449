/* Evaluation of the safety rules. */
#include "mnsim/rules.h"

#include <stdlib.h>

#include "mnsim/skin.h"

void mn_rules_clear(mn_rules *r)
{
    if (!r)
        return;
    mn_interval_rule *it = r->intervals.items;
    for (size_t i = 0; i < r->intervals.count; i++) {
        free(it[i].name);
        free(it[i].message);
        free(it[i].source);
    }
    free(r->intervals.items);
    r->intervals.items = NULL;
    r->intervals.count = 0;
}

static int matches(const mn_interval_rule *x, double L, int region, int specific)
{
    if (L < x->needle_min_m || L >= x->needle_max_m)
        return 0;
    return specific ? x->region == region : x->region == MN_REGION_ANY;
}

/* Whether rules for the region itself apply (they replace general ones). */
static int use_specific(const mn_rules *r, double L, int region)
{
    const mn_interval_rule *it = r->intervals.items;
    for (size_t i = 0; i < r->intervals.count; i++)
        if (matches(&it[i], L, region, 1))
            return 1;
    return 0;
}

double mn_rules_min_interval(const mn_rules *r, double needle_length_m, int region,
                             const mn_interval_rule **rule)
{
    int specific = use_specific(r, needle_length_m, region);
    const mn_interval_rule *it = r->intervals.items, *best = NULL;
    for (size_t i = 0; i < r->intervals.count; i++)
        if (matches(&it[i], needle_length_m, region, specific) &&
            (!best || it[i].min_interval_s > best->min_interval_s))
            best = &it[i];
    if (rule)
        *rule = best;
    return best ? best->min_interval_s : 0;
}

int mn_rules_check_interval(const mn_rules *r, double needle_length_m, int region,
                            double gap_s, const mn_interval_rule **broken)
{
    int specific = use_specific(r, needle_length_m, region);
    const mn_interval_rule *it = r->intervals.items;
    *broken = NULL;
    for (size_t i = 0; i < r->intervals.count; i++) {
        const mn_interval_rule *x = &it[i];
        if (!matches(x, needle_length_m, region, specific) || gap_s >= x->min_interval_s)
            continue;
        if (!*broken || x->severity > (*broken)->severity ||
            (x->severity == (*broken)->severity &&
             x->min_interval_s > (*broken)->min_interval_s))
            *broken = x;
    }
    return *broken ? (*broken)->severity : -1;
}
