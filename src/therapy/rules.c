/* Evaluation of the safety rules. */
#include "mnsim/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    mn_contraindication *c = r->contraindications.items;
    for (size_t i = 0; i < r->contraindications.count; i++) {
        free(c[i].id);
        free(c[i].message);
        free(c[i].source);
    }
    mn_needle_limit *l = r->needle_limits.items;
    for (size_t i = 0; i < r->needle_limits.count; i++) {
        free(l[i].name);
        free(l[i].message);
        free(l[i].source);
    }
    mn_check_rule *k = r->checks.items;
    for (size_t i = 0; i < r->checks.count; i++) {
        free(k[i].name);
        free(k[i].value);
        free(k[i].message);
        free(k[i].source);
    }
    free(r->intervals.items);
    free(r->contraindications.items);
    free(r->needle_limits.items);
    free(r->checks.items);
    memset(r, 0, sizeof *r);
}

const mn_check_rule *mn_rules_check_named(const mn_rules *r, const char *name)
{
    const mn_check_rule *k = r->checks.items;
    for (size_t i = 0; i < r->checks.count; i++)
        if (!strcmp(k[i].name, name))
            return &k[i];
    return NULL;
}

const mn_contraindication *mn_rules_contraindication(const mn_rules *r, const char *id,
                                                     int applies_to)
{
    const mn_contraindication *c = r->contraindications.items;
    for (size_t i = 0; i < r->contraindications.count; i++)
        if (c[i].applies_to == applies_to && !strcmp(c[i].id, id))
            return &c[i];
    return NULL;
}

mn_status mn_findings_add(mn_findings *f, int severity, const char *rule, int session,
                          const char *zone, const char *source, const char *fmt, ...)
{
    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        mn_finding *n = realloc(f->items, cap * sizeof *n);
        if (!n)
            return MN_ENOMEM;
        f->items = n;
        f->cap = cap;
    }
    mn_finding *x = &f->items[f->count++];
    memset(x, 0, sizeof *x);
    x->severity = severity;
    x->session = session;
    snprintf(x->rule, sizeof x->rule, "%s", rule ? rule : "");
    snprintf(x->zone, sizeof x->zone, "%s", zone ? zone : "");
    snprintf(x->source, sizeof x->source, "%s", source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    mn_text_vformat(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
    if (severity == MN_SEV_ERROR)
        f->n_errors++;
    else if (severity == MN_SEV_WARNING)
        f->n_warnings++;
    return MN_OK;
}

void mn_findings_free(mn_findings *f)
{
    if (!f)
        return;
    free(f->items);
    memset(f, 0, sizeof *f);
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
        if (!matches(x, needle_length_m, region, specific) ||
            gap_s >= x->min_interval_s)
            continue;
        if (!*broken || x->severity > (*broken)->severity ||
            (x->severity == (*broken)->severity &&
             x->min_interval_s > (*broken)->min_interval_s))
            *broken = x;
    }
    return *broken ? (*broken)->severity : -1;
}
