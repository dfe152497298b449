/* mnsim: physical quantities and units (floor: base).
 *
 * Inside mnsim every quantity is in SI units: m, s, kg, N, Pa, rad, Hz.
 * Inputs write a value with its unit in one string ("1.5 mm", "4 weeks",
 * "200 um"); conversion happens once, at the input edge, with these
 * functions.
 *
 * Thread safety: reentrant: constant tables; text goes into the caller's buffers.
 * Numbers are read and written in the C locale's format (strtod, snprintf). */
#ifndef MNSIM_UNITS_H
#define MNSIM_UNITS_H

#include <stddef.h>

#include "mnsim/error.h"

/* pi, one definition for every file (C11 has no M_PI). */
#define MN_PI 3.14159265358979323846

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_UNIT_NONE = 0,  /* plain number, no unit allowed */
    MN_UNIT_LENGTH,    /* SI: m */
    MN_UNIT_TIME,      /* SI: s */
    MN_UNIT_FORCE,     /* SI: N */
    MN_UNIT_PRESSURE,  /* SI: Pa */
    MN_UNIT_ANGLE,     /* SI: rad */
    MN_UNIT_FREQUENCY, /* SI: Hz */
    MN_UNIT_FRACTION,  /* SI: 1; accepts "%" */
    MN_UNIT_MASS,      /* SI: kg */
    MN_UNIT_KIND_COUNT
} mn_unit_kind;

/* Name of a unit kind ("length", ...). */
const char *mn_unit_kind_name(mn_unit_kind kind);

/* SI unit symbol of a kind ("m", "s", ...; "" for none/fraction). */
const char *mn_unit_si_symbol(mn_unit_kind kind);

/* Comma-separated list of accepted unit symbols for a kind, for messages. */
const char *mn_unit_accepted(mn_unit_kind kind);

/* Parse "<number> <unit>" (space optional) into SI. The number must be
 * finite. Errors: MN_EINVAL (not a number, missing or unknown unit; the
 * message says what is accepted). MN_UNIT_NONE accepts a bare number. */
mn_status mn_units_parse(const char *text, mn_unit_kind kind, double *si,
                         mn_error *err);

/* Convert an SI value to the named unit of the same kind ("mm", "um",
 * "weeks", ...). Errors: MN_EINVAL for an unknown unit. */
mn_status mn_units_to(double si, mn_unit_kind kind, const char *unit,
                      double *out, mn_error *err);

/* Format an SI value in a given unit with %g-style precision digits,
 * e.g. mn_units_format(1.5e-3, MN_UNIT_LENGTH, "mm", 3, buf, n) gives
 * "1.5 mm". Returns buf. */
char *mn_units_format(double si, mn_unit_kind kind, const char *unit,
                      int digits, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
