/* mnsim: umbrella header. */
#ifndef MNSIM_MNSIM_H
#define MNSIM_MNSIM_H

#include "mnsim/error.h"
#include "mnsim/progress.h"
#include "mnsim/rng.h"
#include "mnsim/types.h"
#include "mnsim/units.h"

#include "mnsim/device.h"
#include "mnsim/skin.h"
#include "mnsim/healing.h"
#include "mnsim/roll.h"
#include "mnsim/transport.h"
#include "mnsim/date.h"
#include "mnsim/sha256.h"

#include "mnsim/catalog.h"
#include "mnsim/input.h"
#include "mnsim/compounds.h"
#include "mnsim/deliver.h"
#include "mnsim/healing_io.h"
#include "mnsim/roll_io.h"
#include "mnsim/rules_io.h"
#include "mnsim/protocol_io.h"
#include "mnsim/plan.h"
#include "mnsim/ics.h"
#include "mnsim/json.h"
#include "mnsim/plot.h"
#include "mnsim/plot_deliver.h"
#include "mnsim/plot_heal.h"
#include "mnsim/depth.h"
#include "mnsim/zones.h"
#include "mnsim/protocol.h"
#include "mnsim/rules.h"
#include "mnsim/course.h"
#include "mnsim/course_io.h"
#include "mnsim/course_deliver.h"
#include "mnsim/report.h"
#include "mnsim/journal.h"

/* Library version string ("0.1.0"). */
const char *mn_version(void);

#endif
