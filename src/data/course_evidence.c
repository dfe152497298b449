/* The published record beside a course's results (mnsim/validation_io.h):
 * the same cases `mnsim validate` runs, evaluated with the course's own
 * catalogs, for `mnsim run` and the web app alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnsim/validation_io.h"

void mn_course_evidence_free(mn_course_evidence *ev)
{
    if (!ev)
        return;
    free(ev->results);
    free(ev->all.items);
    mn_device_list_free(&ev->study);
    mn_vcase_list_free(&ev->cases);
    memset(ev, 0, sizeof *ev);
}

mn_evidence mn_course_evidence_view(const mn_course_evidence *ev)
{
    mn_evidence v = {NULL, NULL};
    if (ev && ev->cases.count && ev->results) {
        v.cases = &ev->cases;
        v.results = ev->results;
    }
    return v;
}

/* Keep the cases a course report shows (the others freed). */
static mn_status keep_course_models(mn_vcase_list *l, int with_delivery, mn_error *err)
{
    static const char *const shown[] = {"depth", "roll", "channel", "heal", "deliver"};
    mn_vcase_list dropped = {calloc(l->count ? l->count : 1, sizeof(mn_vcase)), 0};
    if (!dropped.items)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++) {
        int keep = 0;
        for (size_t m = 0; m < sizeof shown / sizeof shown[0]; m++)
            keep |= !strcmp(l->items[i].model, shown[m]);
        if (!with_delivery && !strcmp(l->items[i].model, "deliver"))
            keep = 0;
        if (keep)
            l->items[kept++] = l->items[i];
        else
            dropped.items[dropped.count++] = l->items[i];
    }
    l->count = kept;
    mn_vcase_list_free(&dropped);
    return MN_OK;
}

static mn_status merge(const mn_course *c, mn_course_evidence *ev, mn_error *err)
{
    size_t n = c->catalog.count + ev->study.count;
    ev->all.items = malloc((n ? n : 1) * sizeof *ev->all.items);
    if (!ev->all.items)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    if (c->catalog.count)
        memcpy(ev->all.items, c->catalog.items,
               c->catalog.count * sizeof *ev->all.items);
    if (ev->study.count)
        memcpy(ev->all.items + c->catalog.count, ev->study.items,
               ev->study.count * sizeof *ev->all.items);
    ev->all.count = n;
    return MN_OK;
}

mn_status mn_course_evidence_load(const char *data_dir, const mn_course *c,
                                  int with_delivery, mn_course_evidence *ev,
                                  mn_diags *diags, mn_error *err)
{
    memset(ev, 0, sizeof *ev);
    size_t len = strlen(data_dir) + sizeof "/validation";
    char *dir = malloc(len);
    if (!dir)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    snprintf(dir, len, "%s/validation", data_dir);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        free(dir); /* a data folder of one's own, without cases */
        return MN_OK;
    }
    mn_status st = mn_validation_load_dir(dir, &ev->cases, &ev->study, diags, err);
    free(dir);
    if (st != MN_OK)
        return st;
    if ((st = keep_course_models(&ev->cases, with_delivery, err)) != MN_OK ||
        !ev->cases.count || (st = merge(c, ev, err)) != MN_OK)
        return st;
    mn_validation_env env = {.devices = &ev->all,
                             .sites = &c->sites,
                             .depth = &c->depth,
                             .healing = &c->healing.population,
                             .channel = &c->channel,
                             .compounds = &c->compounds,
                             .n_people = 0,
                             .seed = 1};
    return mn_validation_run(&env, &ev->cases, NULL, &ev->results, err);
}
