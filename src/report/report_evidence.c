/* The published record beside a course's results (report_evidence.h). */
#include "report_evidence.h"

#include <math.h>
#include <string.h>

static void published_cell(sbuf *b, const mn_vcase *x)
{
    if (isfinite(x->value))
        mn_rep_put(b, "%.4g", x->value);
    else if (isnan(x->high))
        mn_rep_put(b, "&gt; %.4g", x->low);
    else if (isnan(x->low))
        mn_rep_put(b, "&lt; %.4g", x->high);
    else
        mn_rep_put(b, "%.4g&ndash;%.4g", x->low, x->high);
    if (isfinite(x->sd))
        mn_rep_put(b, " &plusmn; %.2g", x->sd);
}

void mn_rep_vcase_row(sbuf *b, const mn_vcase *x, const mn_vresult *r, int band)
{
    mn_rep_put(b, "<tr><td>");
    mn_rep_put_html(b, x->name);
    mn_rep_put(b, "</td><td>%s</td><td>", mn_vcase_role_name(x->role));
    mn_rep_put_html(b, x->what);
    mn_rep_put(b, "</td><td>");
    mn_rep_put_html(b, x->quantity);
    mn_rep_put(b, "</td><td>");
    published_cell(b, x);
    if (r->status != MN_OK) {
        mn_rep_put(b, "</td><td>not run</td>%s<td></td>", band ? "<td></td>" : "");
    } else {
        mn_rep_put(b, "</td><td>%.4g</td>", r->value);
        if (band) {
            mn_rep_put(b, "<td>");
            if (isfinite(r->p5))
                mn_rep_put(b, "%.4g&ndash;%.4g", r->p5, r->p95);
            mn_rep_put(b, "</td>");
        }
        mn_rep_put(b, "<td>%s</td>",
                   r->passed ? (x->discrepancy ? "STALE" : "pass")
                             : (x->discrepancy ? "known discrepancy" : "FAIL"));
    }
    mn_rep_put(b, "<td>[");
    mn_rep_put_html(b, x->reference);
    mn_rep_put(b, "]</td></tr>\n");
    if (x->discrepancy) {
        mn_rep_put(b, "<tr><td></td><td colspan=\"%d\"><i>", band ? 8 : 7);
        mn_rep_put_html(b, x->discrepancy);
        mn_rep_put(b, "</i></td></tr>\n");
    }
}

/* The models a course report shows, in its order, with what each says. */
static const struct {
    const char *model, *what;
} MODELS[] = {
    {"depth", "channel depth (docs/model.md, Penetration)"},
    {"roll", "puncture density (Rolling)"},
    {"channel", "how long the channels stay open (Channels)"},
    {"heal", "healing, collagen and elastin (Healing)"},
    {"deliver", "what a cream delivers (Transport through the channels)"},
};

static int shown(const char *model, int has_delivery)
{
    for (size_t m = 0; m < sizeof MODELS / sizeof MODELS[0]; m++)
        if (!strcmp(MODELS[m].model, model))
            return has_delivery || strcmp(model, "deliver");
    return 0;
}

void mn_rep_html_evidence(sbuf *b, const mn_evidence *ev, int has_delivery, int sec)
{
    if (!ev->cases)
        return;
    size_t val = 0, val_passed = 0, known = 0, calib = 0, other = 0;
    for (size_t i = 0; i < ev->cases->count; i++) {
        const mn_vcase *x = &ev->cases->items[i];
        const mn_vresult *r = &ev->results[i];
        if (!shown(x->model, has_delivery))
            continue;
        int ok = r->status == MN_OK && r->passed;
        if (x->role == MN_VCASE_VALIDATION) {
            val++;
            val_passed += ok;
        } else {
            calib++;
        }
        known += r->status == MN_OK && !r->passed && x->discrepancy;
        other += r->status != MN_OK || (!r->passed && !x->discrepancy) ||
                 (r->passed && x->discrepancy);
    }
    mn_rep_put(b,
               "<h2>%d. How far these numbers are supported</h2>\n<p>The models "
               "behind this report against published measurements (data/validation; "
               "<code>mnsim validate</code> runs them, docs/validation.md lists them "
               "all), for the median person. <b>%zu of %zu validation cases</b> "
               "(measurements no fit has seen) passed; %zu cases are <b>known "
               "discrepancies</b>, limits of the models stated below each; %zu "
               "calibration cases were used to fit parameters, so they show the fit, "
               "not a prediction.",
               sec, val_passed, val, known, calib);
    if (other)
        mn_rep_put(b,
                   " <b>%zu cases did not come out as their files say "
                   "(FAIL, STALE or not run): the shipped data and models disagree; "
                   "run <code>mnsim validate</code>.</b>",
                   other);
    mn_rep_put(b, "</p>\n");
    for (size_t m = 0; m < sizeof MODELS / sizeof MODELS[0]; m++) {
        if (!shown(MODELS[m].model, has_delivery))
            continue;
        int any = 0;
        for (size_t i = 0; i < ev->cases->count; i++) {
            const mn_vcase *x = &ev->cases->items[i];
            if (strcmp(x->model, MODELS[m].model))
                continue;
            if (!any++)
                mn_rep_put(b,
                           "<h3>%s</h3>\n<table><tr><th>case</th><th>role</th>"
                           "<th>measured</th><th>quantity</th><th>published</th>"
                           "<th>mnsim</th><th>result</th><th>reference</th></tr>\n",
                           MODELS[m].what);
            mn_rep_vcase_row(b, x, &ev->results[i], 0);
        }
        if (any)
            mn_rep_put(b, "</table>\n");
    }
}
