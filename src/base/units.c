/* Unit parsing and conversion: the only place where non-SI numbers exist. */
#include "mnsim/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *symbol;
    mn_unit_kind kind;
    double to_si; /* value in SI = number * to_si */
} unit_def;

#define DAY 86400.0
/* units-check: input spellings */
static const unit_def units[] = {
    {"m", MN_UNIT_LENGTH, 1.0},
    {"cm", MN_UNIT_LENGTH, 1e-2},
    {"mm", MN_UNIT_LENGTH, 1e-3},
    {"um", MN_UNIT_LENGTH, 1e-6},
    {"\xc2\xb5m", MN_UNIT_LENGTH, 1e-6}, /* µm (micro sign) */
    {"\xce\xbcm", MN_UNIT_LENGTH, 1e-6}, /* μm (Greek mu) */
    {"nm", MN_UNIT_LENGTH, 1e-9},
    {"s", MN_UNIT_TIME, 1.0},
    {"min", MN_UNIT_TIME, 60.0},
    {"h", MN_UNIT_TIME, 3600.0},
    {"hour", MN_UNIT_TIME, 3600.0},
    {"hours", MN_UNIT_TIME, 3600.0},
    {"d", MN_UNIT_TIME, DAY},
    {"day", MN_UNIT_TIME, DAY},
    {"days", MN_UNIT_TIME, DAY},
    {"week", MN_UNIT_TIME, 7 * DAY},
    {"weeks", MN_UNIT_TIME, 7 * DAY},
    {"month", MN_UNIT_TIME, 30.436875 * DAY}, /* mean Gregorian month */
    {"months", MN_UNIT_TIME, 30.436875 * DAY},
    {"year", MN_UNIT_TIME, 365.2425 * DAY},
    {"years", MN_UNIT_TIME, 365.2425 * DAY},
    {"N", MN_UNIT_FORCE, 1.0},
    {"mN", MN_UNIT_FORCE, 1e-3},
    {"Pa", MN_UNIT_PRESSURE, 1.0},
    {"kPa", MN_UNIT_PRESSURE, 1e3},
    {"MPa", MN_UNIT_PRESSURE, 1e6},
    {"rad", MN_UNIT_ANGLE, 1.0},
    {"deg", MN_UNIT_ANGLE, MN_PI / 180.0},
    {"Hz", MN_UNIT_FREQUENCY, 1.0},
    {"%", MN_UNIT_FRACTION, 0.01},
    {"kg", MN_UNIT_MASS, 1.0},
    {"g", MN_UNIT_MASS, 1e-3},
    {"mg", MN_UNIT_MASS, 1e-6},
    {"ug", MN_UNIT_MASS, 1e-9},
};
/* units-check: end */
#define N_UNITS (sizeof units / sizeof units[0])

static const char *kind_names[MN_UNIT_KIND_COUNT] = {
    "number", "length", "time", "force", "pressure",
    "angle",  "frequency", "fraction", "mass"};
static const char *si_symbols[MN_UNIT_KIND_COUNT] = {
    "", "m", "s", "N", "Pa", "rad", "Hz", "", "kg"};
/* What input accepts, named in error messages (input spellings: the length
 * names the micro sign too). */
/* units-check: input spellings */
static const char *accepted[MN_UNIT_KIND_COUNT] = {
    "a plain number",
    "m, cm, mm, um (or \xc2\xb5m), nm",
    "s, min, h, hours, days, weeks, months, years",
    "N, mN",
    "Pa, kPa, MPa",
    "deg, rad",
    "Hz",
    "a plain number (0..1) or %",
    "kg, g, mg, ug"};
/* units-check: end */

const char *mn_unit_kind_name(mn_unit_kind kind)
{
    return (kind >= 0 && kind < MN_UNIT_KIND_COUNT) ? kind_names[kind] : "?";
}

const char *mn_unit_si_symbol(mn_unit_kind kind)
{
    return (kind >= 0 && kind < MN_UNIT_KIND_COUNT) ? si_symbols[kind] : "?";
}

const char *mn_unit_accepted(mn_unit_kind kind)
{
    return (kind >= 0 && kind < MN_UNIT_KIND_COUNT) ? accepted[kind] : "?";
}

static const unit_def *find_unit(const char *sym, mn_unit_kind kind)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (units[i].kind == kind && strcmp(units[i].symbol, sym) == 0)
            return &units[i];
    return NULL;
}

static const unit_def *find_any_unit(const char *sym)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (strcmp(units[i].symbol, sym) == 0)
            return &units[i];
    return NULL;
}

mn_status mn_units_parse(const char *text, mn_unit_kind kind, double *si,
                         mn_error *err)
{
    if (!text || !si)
        return mn_error_set(err, MN_EINVAL, "no value given");
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    if (end == p)
        return mn_error_set(err, MN_EINVAL,
                            "'%s' is not a number%s%s", text,
                            kind == MN_UNIT_NONE ? "" : " with a unit: use ",
                            kind == MN_UNIT_NONE ? "" : mn_unit_accepted(kind));
    /* strtod accepts "nan", "inf", hex: keep only finite decimal numbers. */
    if (!isfinite(v) || errno == ERANGE)
        return mn_error_set(err, MN_ERANGE, "'%s' is not a finite number",
                            text);
    for (const char *q = p; q < end; q++)
        if (*q == 'x' || *q == 'X')
            return mn_error_set(err, MN_EINVAL,
                                "'%s': hexadecimal numbers are not accepted",
                                text);
    while (isspace((unsigned char)*end))
        end++;
    char sym[32];
    size_t n = strlen(end);
    while (n > 0 && isspace((unsigned char)end[n - 1]))
        n--;
    if (n >= sizeof sym)
        return mn_error_set(err, MN_EINVAL, "'%s': unknown unit", text);
    memcpy(sym, end, n);
    sym[n] = '\0';

    if (kind == MN_UNIT_NONE) {
        if (n)
            return mn_error_set(err, MN_EINVAL,
                                "'%s': expected a plain number without unit",
                                text);
        *si = v;
        return MN_OK;
    }
    if (n == 0) {
        if (kind == MN_UNIT_FRACTION) {
            *si = v;
            return MN_OK;
        }
        return mn_error_set(err, MN_EINVAL,
                            "'%s' has no unit: write the %s with one of %s, "
                            "e.g. \"%g %s\"",
                            text, mn_unit_kind_name(kind),
                            mn_unit_accepted(kind), v,
                            kind == MN_UNIT_LENGTH ? "mm"
                            : kind == MN_UNIT_TIME ? "days"
                                                   : mn_unit_si_symbol(kind));
    }
    const unit_def *u = find_unit(sym, kind);
    if (!u) {
        const unit_def *other = find_any_unit(sym);
        if (other)
            return mn_error_set(err, MN_EINVAL,
                                "'%s': '%s' is a unit of %s, expected a %s "
                                "(%s)",
                                text, sym, mn_unit_kind_name(other->kind),
                                mn_unit_kind_name(kind),
                                mn_unit_accepted(kind));
        return mn_error_set(err, MN_EINVAL,
                            "'%s': unknown unit '%s' for a %s (use %s)", text,
                            sym, mn_unit_kind_name(kind),
                            mn_unit_accepted(kind));
    }
    double r = v * u->to_si;
    if (!isfinite(r))
        return mn_error_set(err, MN_ERANGE, "'%s' is too large", text);
    *si = r;
    return MN_OK;
}

mn_status mn_units_to(double si, mn_unit_kind kind, const char *unit,
                      double *out, mn_error *err)
{
    if (kind == MN_UNIT_NONE || (kind == MN_UNIT_FRACTION && (!unit || !*unit))) {
        *out = si;
        return MN_OK;
    }
    const unit_def *u = unit ? find_unit(unit, kind) : NULL;
    if (!u)
        return mn_error_set(err, MN_EINVAL, "unknown unit '%s' for a %s",
                            unit ? unit : "(null)", mn_unit_kind_name(kind));
    *out = si / u->to_si;
    return MN_OK;
}

char *mn_units_format(double si, mn_unit_kind kind, const char *unit,
                      int digits, char *buf, size_t n)
{
    double v;
    if (mn_units_to(si, kind, unit, &v, NULL) != MN_OK) {
        snprintf(buf, n, "%.*g %s", digits, si, mn_unit_si_symbol(kind));
        return buf;
    }
    if (unit && *unit)
        snprintf(buf, n, "%.*g %s", digits, v, unit);
    else
        snprintf(buf, n, "%.*g", digits, v);
    return buf;
}
