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

typedef struct {
    size_t val, val_passed, known, calib, other;
} counts;

static counts count(const mn_evidence *ev, int has_delivery)
{
    counts k = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < ev->cases->count; i++) {
        const mn_vcase *x = &ev->cases->items[i];
        const mn_vresult *r = &ev->results[i];
        if (!shown(x->model, has_delivery))
            continue;
        int ok = r->status == MN_OK && r->passed;
        if (x->role == MN_VCASE_VALIDATION) {
            k.val++;
            k.val_passed += ok;
        } else {
            k.calib++;
        }
        k.known += r->status == MN_OK && !r->passed && x->discrepancy;
        k.other += r->status != MN_OK || (!r->passed && !x->discrepancy) ||
                   (r->passed && x->discrepancy);
    }
    return k;
}

static const char *verdict(const mn_vcase *x, const mn_vresult *r)
{
    if (r->status != MN_OK)
        return "not run";
    return r->passed ? (x->discrepancy ? "stale" : "pass")
                     : (x->discrepancy ? "known discrepancy" : "fail");
}

mn_jnode *mn_rep_evidence_json(mn_json *j, const mn_evidence *ev, int has_delivery)
{
    counts k = count(ev, has_delivery);
    mn_jnode *o = mn_json_object(j);
    mn_json_int(j, o, "validation_cases", (long long)k.val);
    mn_json_int(j, o, "validation_passed", (long long)k.val_passed);
    mn_json_int(j, o, "known_discrepancies", (long long)k.known);
    mn_json_int(j, o, "calibration_cases", (long long)k.calib);
    mn_jnode *list = mn_json_array(j);
    for (size_t i = 0; i < ev->cases->count; i++) {
        const mn_vcase *x = &ev->cases->items[i];
        const mn_vresult *r = &ev->results[i];
        if (!shown(x->model, has_delivery))
            continue;
        mn_jnode *c = mn_json_object(j);
        mn_json_str(j, c, "case", x->name);
        mn_json_str(j, c, "model", x->model);
        mn_json_str(j, c, "role", mn_vcase_role_name(x->role));
        mn_json_str(j, c, "quantity", x->quantity);
        if (r->status == MN_OK && isfinite(r->value))
            mn_json_num(j, c, "mnsim", r->value);
        mn_json_str(j, c, "result", verdict(x, r));
        mn_json_str(j, c, "reference", x->reference);
        mn_json_push(j, list, c);
    }
    mn_json_put(j, o, "cases", list);
    return o;
}

void mn_rep_html_evidence(sbuf *b, const mn_evidence *ev, int has_delivery, int sec)
{
    if (!ev->cases)
        return;
    counts k = count(ev, has_delivery);
    size_t val = k.val, val_passed = k.val_passed, known = k.known, calib = k.calib,
           other = k.other;
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
