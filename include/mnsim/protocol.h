/* mnsim: a course of microneedling as the user describes it: the person,
 * the indication, device, zones, pattern and the sessions (floor: therapy).
 * Read from a protocol file by mnsim/protocol_io.h.
 *
 * Thread safety: reentrant: calls on distinct objects may run in parallel, and const
 * inputs may be shared read-only between threads. */
#ifndef MNSIM_PROTOCOL_H
#define MNSIM_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/error.h"
#include "mnsim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MN_IND_FINE_LINES = 0,
    MN_IND_ACNE_SCARS,
    MN_IND_ATROPHIC_SCARS,
    MN_IND_STRETCH_MARKS,
    MN_IND_HAIR_LOSS,
    MN_IND_TEXTURE,
    MN_IND_LAXITY,
    MN_IND_COUNT
} mn_indication;

/* "fine-lines", "acne-scars", ... and back (-1 if unknown). */
const char *mn_indication_name(int ind);
/* The indication named name, or -1. */
int mn_indication_from_name(const char *name);

typedef enum { MN_SENS_LOW = 0, MN_SENS_NORMAL, MN_SENS_HIGH } mn_sensitivity;

#define MN_DATE_NONE INT64_MIN

typedef struct {
    double age_s;         /* age (s; written "34 years") */
    int sex;              /* mn_sex */
    long fitzpatrick;     /* 1-6 */
    int sensitivity;      /* mn_sensitivity */
    mn_strings conditions;  /* condition ids (data/rules.yaml contraindications) */
    mn_strings medications; /* medication ids */
    int64_t isotretinoin_last; /* date last taken, or MN_DATE_NONE */
    int pregnant;
} mn_person;

/* A cream, serum or anaesthetic applied on the skin. */
typedef struct {
    char *compound;       /* a compound name (data/compounds.yaml) */
    double concentration; /* fraction (0.04 = 4%) */
    double time_s;        /* application time before/after rolling */
    int occlusion;        /* covered (1) or open */
    int line, column;     /* where the file has it (0: not from a file) */
} mn_topical;

/* Changes for one session (1-based index). Unset: NULL / -1. */
typedef struct {
    long session;
    char *device;
    long passes;
    int pressure; /* mn_pressure or -1 */
    mn_strings zones;
} mn_session_override;

/* One expanded session. */
typedef struct {
    int64_t at;          /* seconds (mnsim/date.h) */
    const char *device;  /* points into the protocol */
    long passes;
    int pressure;
    const mn_strings *zones;
} mn_session;

typedef struct {
    char *name;
    mn_person person;
    int indication; /* mn_indication */
    int setting;    /* mn_setting */
    char *device;   /* catalog name or device file */
    mn_strings zones;
    mn_strmap zone_devices; /* zone, group or site -> its own device (catalog
                               name or device file) in every session; the
                               other zones use `device` (or a session
                               override's) */
    char *pattern;
    long passes;    /* passes per direction */
    int pressure;   /* mn_pressure */
    double force_n; /* explicit force, or NaN */
    mn_topical anaesthetic; /* compound NULL: none */
    mn_topical serum;       /* compound NULL: none */
    char *aftercare;
    /* sessions: a start + count + interval, or explicit dates */
    int64_t start;
    long count;
    double interval_s;
    mn_strings dates;
    mn_table overrides; /* of mn_session_override */
    long seed;
    char *notes;
} mn_protocol;

/* An empty protocol with the defaults of the protocol file format. */
void mn_protocol_init(mn_protocol *p);
/* Free what a protocol owns (not p itself); p may be NULL. */
void mn_protocol_clear(mn_protocol *p);

/* Expand the sessions (dates, per-session device/passes/zones). *out is
 * malloc'd (caller frees; its pointers point into p). Errors: MN_EINVAL
 * (no sessions, override of a session that does not exist, dates out of
 * order), MN_ENOMEM. */
mn_status mn_protocol_sessions(const mn_protocol *p, mn_session **out, size_t *n,
                               mn_error *err);

#ifdef __cplusplus
}
#endif
#endif
