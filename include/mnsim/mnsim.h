/* mnsim: umbrella header for programs: every public header, floor by floor
 * (docs/architecture.md). Files of the library include only the headers
 * they need.
 *
 * Thread safety: each header says it; docs/architecture.md (Thread safety) lists
 * them all. */
#ifndef MNSIM_MNSIM_H
#define MNSIM_MNSIM_H

/* base: errors, units, dates, files, random streams, hashing, JSON text, UTF-8 */
#include "mnsim/date.h"
#include "mnsim/error.h"
#include "mnsim/file.h"
#include "mnsim/json.h"
#include "mnsim/progress.h"
#include "mnsim/rng.h"
#include "mnsim/sha256.h"
#include "mnsim/stats.h"
#include "mnsim/types.h"
#include "mnsim/units.h"
#include "mnsim/utf8.h"

/* model: devices, skin, penetration, channels, rolling, transport, healing (pure) */
#include "mnsim/channel.h"
#include "mnsim/compound.h"
#include "mnsim/deliver.h"
#include "mnsim/deliver_setup.h"
#include "mnsim/depth.h"
#include "mnsim/device.h"
#include "mnsim/healing.h"
#include "mnsim/roll.h"
#include "mnsim/skin.h"
#include "mnsim/transport.h"
#include "mnsim/transport_exact.h"

/* therapy: protocols, rules, zones, plans, the course pipeline, readiness, validation,
 * fits (pure) */
#include "mnsim/cohort.h"
#include "mnsim/course.h"
#include "mnsim/course_deliver.h"
#include "mnsim/course_run.h"
#include "mnsim/fit.h"
#include "mnsim/heal_course.h"
#include "mnsim/plan.h"
#include "mnsim/protocol.h"
#include "mnsim/readiness.h"
#include "mnsim/roll_session.h"
#include "mnsim/rules.h"
#include "mnsim/validation.h"
#include "mnsim/zone.h"

/* data: reading and checking the input files */
#include "mnsim/catalog.h"
#include "mnsim/catalog_json.h"
#include "mnsim/channels_io.h"
#include "mnsim/compounds.h"
#include "mnsim/course_io.h"
#include "mnsim/healing_io.h"
#include "mnsim/input.h"
#include "mnsim/plan_course.h"
#include "mnsim/plan_io.h"
#include "mnsim/protocol_io.h"
#include "mnsim/references.h"
#include "mnsim/rules_io.h"
#include "mnsim/validation_io.h"
#include "mnsim/cohort_io.h"
#include "mnsim/zones.h"

/* report: results, figures, report.html, iCalendar */
#include "mnsim/cohort_report.h"
#include "mnsim/heal_csv.h"
#include "mnsim/ics.h"
#include "mnsim/plan_report.h"
#include "mnsim/plot.h"
#include "mnsim/plot_deliver.h"
#include "mnsim/plot_heal.h"
#include "mnsim/report.h"
#include "mnsim/roll_io.h"
#include "mnsim/roll_json.h"
#include "mnsim/validation_report.h"

/* store: the treatment journal */
#include "mnsim/journal.h"
#include "mnsim/journal_json.h"

/* Library version string ("0.1.0"). */
const char *mn_version(void);

#endif
