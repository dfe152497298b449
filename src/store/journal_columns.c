/* The journal's column table: every kind of record with its keys, their
 * types, units and ranges, and the help each key shows. Adding, editing
 * and importing records check against it (journal_values.c). */
#include "mnsim/journal.h"

#include "journal_internal.h"

#include <stddef.h>
#include <string.h>

/* ---- the column table -------------------------------------------------- */

static const char *const sexes[] = {"female", "male", NULL};
static const char *const pressures[] = {"light", "medium", "firm", NULL};
static const char *const bleedings[] = {"none", "pinpoint", "moderate", "heavy", NULL};
static const char *const redness[] = {"none", "mild", "moderate", "severe", NULL};
static const char *const yesno[] = {"no", "yes", NULL};

static const jcol person_cols[] = {
    {"code", "code", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "pseudonymous id, unique (e.g. P001)"},
    {"name", "name", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "name (optional)"},
    {"birth_year", "birth_year", JC_INT, 0, 1900, 2100, 0, NULL, NULL, "year of birth"},
    {"sex", "sex", JC_ENUM, 0, 0, 0, 0, NULL, sexes, "female or male"},
    {"fitzpatrick", "fitzpatrick", JC_INT, 0, 1, 6, 0, NULL, NULL,
     "Fitzpatrick skin type 1-6"},
    {"conditions", "conditions", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "skin conditions"},
    {"contraindications", "contraindications", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "known contraindications (medications, history)"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol consent_cols[] = {
    {"person", "person_id", JC_PERSON, 1, 0, 0, 0, NULL, NULL, "person code"},
    {"date", "date", JC_DATE, 1, 0, 0, 0, NULL, NULL, "date consent was given"},
    {"scope", "scope", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "what was consented to"},
};
static const jcol device_cols[] = {
    {"code", "code", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "your id for this device, unique"},
    {"catalog_name", "catalog_name", JC_TEXT, 1, 0, 0, 0, NULL, NULL,
     "catalog name (mnsim devices), e.g. roller-192-1.5mm"},
    {"lot", "lot", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "lot or batch"},
    {"first_use", "first_use", JC_DATE, 0, 0, 0, 0, NULL, NULL, "date of first use"},
    {"max_uses", "max_uses", JC_INT, 0, 1, 1000, 0, NULL, NULL,
     "replace after this many sessions"},
    {"sterilisations", "sterilisations", JC_INT, 0, 0, 100000, 0, NULL, NULL,
     "times sterilised"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol session_cols[] = {
    {"person", "person_id", JC_PERSON, 1, 0, 0, 0, NULL, NULL, "person code"},
    {"at", "at", JC_DATETIME, 1, 0, 0, 0, NULL, NULL,
     "date and time, YYYY-MM-DDTHH:MM"},
    {"practitioner", "practitioner", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "who did it ('self' for home use)"},
    {"device", "device_id", JC_DEVICE, 0, 0, 0, 0, NULL, NULL, "device code"},
    {"needle_length", "needle_length_mm", JC_QTY, 1, 0.05, 5, MN_UNIT_LENGTH, "mm",
     NULL, "needle length, e.g. \"1.5 mm\""},
    {"zones", "zones", JC_ZONES, 1, 0, 0, 0, NULL, NULL,
     "treated zones or sites, comma-separated (e.g. cheek,forehead)"},
    {"pattern", "pattern", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "rolling pattern"},
    {"passes", "passes", JC_INT, 0, 1, 100, 0, NULL, NULL, "passes per direction"},
    {"pressure", "pressure", JC_ENUM, 0, 0, 0, 0, NULL, pressures,
     "light, medium or firm"},
    {"anaesthetic", "anaesthetic", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "e.g. lidocaine 4%"},
    {"anaesthetic_time", "anaesthetic_min", JC_QTY, 0, 0, 240, MN_UNIT_TIME, "min",
     NULL, "how long it was on, e.g. \"45 min\""},
    {"serum", "serum", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "serum or cream applied"},
    {"redness", "redness", JC_ENUM, 0, 0, 0, 0, NULL, redness,
     "none, mild, moderate or severe"},
    {"bleeding", "bleeding", JC_ENUM, 0, 0, 0, 0, NULL, bleedings,
     "none, pinpoint, moderate or heavy"},
    {"pain", "pain", JC_INT, 0, 0, 10, 0, NULL, NULL, "pain score 0-10"},
    {"adverse_events", "adverse_events", JC_TEXT, 0, 0, 0, 0, NULL, NULL,
     "adverse events, if any"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol photo_cols[] = {
    {"session", "session_id", JC_SESSION, 1, 0, 0, 0, NULL, NULL, "session id"},
    {"path", "path", JC_PHOTO, 1, 0, 0, 0, NULL, NULL,
     "photo file; its SHA-256 is recorded"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};
static const jcol followup_cols[] = {
    {"person", "person_id", JC_PERSON, 1, 0, 0, 0, NULL, NULL, "person code"},
    {"session", "session_id", JC_SESSION, 0, 0, 0, 0, NULL, NULL,
     "the session followed up (id)"},
    {"at", "at", JC_DATETIME, 1, 0, 0, 0, NULL, NULL, "date and time"},
    {"redness", "redness", JC_ENUM, 0, 0, 0, 0, NULL, redness,
     "none, mild, moderate or severe"},
    {"pain", "pain", JC_INT, 0, 0, 10, 0, NULL, NULL, "pain score 0-10"},
    {"healed", "healed", JC_ENUM, 0, 0, 0, 0, NULL, yesno, "yes or no"},
    {"notes", "notes", JC_TEXT, 0, 0, 0, 0, NULL, NULL, "free text"},
};

#define T(name, table, cols)                                                           \
    {                                                                                  \
        name, table, cols, sizeof cols / sizeof cols[0]                                \
    }
const jtable jn_tables[MN_J_KIND_COUNT] = {
    T("person", "person", person_cols), T("consent", "consent", consent_cols),
    T("device", "device", device_cols), T("session", "session", session_cols),
    T("photo", "photo", photo_cols),    T("followup", "followup", followup_cols),
};

const char *mn_journal_kind_name(int kind)
{
    return kind >= 0 && kind < MN_J_KIND_COUNT ? jn_tables[kind].name : "unknown";
}

int mn_journal_kind_from_name(const char *name)
{
    for (int k = 0; k < MN_J_KIND_COUNT; k++)
        if (name && !strcmp(name, jn_tables[k].name))
            return k;
    return -1;
}

size_t mn_journal_column_count(int kind)
{
    return kind >= 0 && kind < MN_J_KIND_COUNT ? jn_tables[kind].n : 0;
}

mn_journal_column_doc mn_journal_column(int kind, size_t i)
{
    mn_journal_column_doc d = {NULL, NULL, 0};
    if (i < mn_journal_column_count(kind)) {
        d.key = jn_tables[kind].cols[i].key;
        d.help = jn_tables[kind].cols[i].help;
        d.required = jn_tables[kind].cols[i].required;
    }
    return d;
}
