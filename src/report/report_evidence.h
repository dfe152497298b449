/* The published record in a course's report.html and the table rows it
 * shares with `mnsim validate --report` (floor: report; private to
 * src/report). */
#ifndef MNSIM_REPORT_EVIDENCE_H
#define MNSIM_REPORT_EVIDENCE_H

#include "mnsim/json.h"
#include "mnsim/validation.h"
#include "report_text.h"

/* One case as a table row (and its known discrepancy, spelled out, in the
 * row below): case, role, measured, quantity, published, mnsim, [5-95%,]
 * result, reference. band: with the 5-95% column. */
void mn_rep_vcase_row(sbuf *b, const mn_vcase *x, const mn_vresult *r, int band);

/* Section sec of report.html, "How far these numbers are supported": the
 * cases of the models the report shows (depth, roll, channel, heal; deliver
 * when has_delivery), a table per model, with the counts. Nothing when
 * ev->cases is NULL. */
void mn_rep_html_evidence(sbuf *b, const mn_evidence *ev, int has_delivery, int sec);

/* The same record for results.json: the counts and, per case, its name,
 * model, role, quantity, mnsim's value, result and reference. */
mn_jnode *mn_rep_evidence_json(mn_json *j, const mn_evidence *ev, int has_delivery);

#endif
