/* Loading and resolving a course. */
#include "mnsim/course_io.h"
#include "mnsim/references.h"

#include "mnsim/catalog.h"
#include "mnsim/channels_io.h"
#include "mnsim/compounds.h"
#include "mnsim/healing_io.h"
#include "mnsim/zones.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/protocol_io.h"
#include "mnsim/rules_io.h"

static void report(mn_diags *d, const char *file, mn_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(mn_diags *d, const char *file, mn_status code, const char *fmt, ...)
{
    mn_error e;
    mn_error_clear(&e);
    e.code = code;
    snprintf(e.file, sizeof e.file, "%s", file);
    va_list ap;
    va_start(ap, fmt);
    mn_text_vformat(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    mn_diags_push(d, MN_SEV_ERROR, &e);
}

/* report() at a line and column of the file. */
static void report_at(mn_diags *d, const char *file, int line, int column,
                      mn_status code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void report_at(mn_diags *d, const char *file, int line, int column,
                      mn_status code, const char *fmt, ...)
{
    mn_error e;
    mn_error_clear(&e);
    e.code = code;
    snprintf(e.file, sizeof e.file, "%s", file);
    e.line = line;
    e.column = column;
    va_list ap;
    va_start(ap, fmt);
    mn_text_vformat(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    mn_diags_push(d, MN_SEV_ERROR, &e);
}

/* Index of zone zi in c->zones, adding it (with its site's layers). */
static mn_status course_zone(mn_course *c, size_t zi, size_t *out, const char *file,
                             mn_diags *d)
{
    const mn_zone *z = &c->zone_list.items[zi];
    for (size_t k = 0; k < c->n_zones; k++)
        if (!strcmp(c->zones[k].name, z->name)) {
            *out = k;
            return MN_OK;
        }
    const mn_site *site;
    mn_error e;
    mn_error_clear(&e);
    if (mn_site_find(&c->sites, z->site, &site, &e) != MN_OK) {
        report(d, file, MN_ENOTFOUND, "zone %s: %s", z->name, e.message);
        return MN_ENOTFOUND;
    }
    mn_course_zone *nz = realloc(c->zones, (c->n_zones + 1) * sizeof *nz);
    if (!nz)
        return MN_ENOMEM;
    c->zones = nz;
    mn_course_zone *x = &c->zones[c->n_zones];
    x->name = z->name;
    x->site = site->name;
    x->region = site->region;
    x->area_m2 = z->area_m2;
    x->x_m = z->x_m;
    x->y_m = z->y_m;
    x->n = z->n;
    if (mn_site_skin(site, c->protocol.person.sex, &x->skin, &e) != MN_OK) {
        report(d, file, MN_EINVAL, "%s", e.message);
        return MN_EINVAL;
    }
    *out = c->n_zones++;
    return MN_OK;
}

/* The zones of the zone list that name stands for: a zone, a group, or a
 * site ("cheek": every zone on that site). *sel is malloc'd. */
static mn_status select_zones(const mn_course *c, const char *name, size_t **sel,
                              size_t *nsel, mn_error *e)
{
    const char *label;
    mn_status st = mn_zones_select(&c->zone_list, name, sel, nsel, &label, e);
    if (st != MN_ENOTFOUND)
        return st;
    *sel = calloc(c->zone_list.count ? c->zone_list.count : 1, sizeof **sel);
    *nsel = 0;
    if (!*sel)
        return MN_ENOMEM;
    for (size_t k = 0; k < c->zone_list.count; k++)
        if (!strcmp(c->zone_list.items[k].site, name))
            (*sel)[(*nsel)++] = k;
    if (*nsel == 0) {
        free(*sel);
        *sel = NULL;
        return MN_ENOTFOUND;
    }
    return MN_OK;
}

static mn_status resolve_zones(mn_course *c, size_t s, const char *file, mn_diags *d)
{
    const mn_strings *names = c->sessions[s].zones;
    size_t cap = 16, n = 0;
    size_t *idx = malloc(cap * sizeof *idx);
    if (!idx)
        return MN_ENOMEM;
    for (size_t i = 0; i < names->count; i++) {
        size_t *sel = NULL, nsel = 0;
        mn_error e;
        mn_error_clear(&e);
        mn_status sst = select_zones(c, names->items[i], &sel, &nsel, &e);
        if (sst) {
            if (sst == MN_ENOTFOUND)
                report(d, file, MN_ENOTFOUND, "zones: %s (or a site name)", e.message);
            free(idx);
            return sst;
        }
        for (size_t k = 0; k < nsel; k++) {
            size_t ci;
            mn_status st = course_zone(c, sel[k], &ci, file, d);
            if (st) {
                free(sel);
                free(idx);
                return st;
            }
            int dup = 0;
            for (size_t q = 0; q < n; q++)
                dup |= idx[q] == ci;
            if (dup)
                continue;
            if (n == cap) {
                cap *= 2;
                size_t *ni = realloc(idx, cap * sizeof *ni);
                if (!ni) {
                    free(sel);
                    free(idx);
                    return MN_ENOMEM;
                }
                idx = ni;
            }
            idx[n++] = ci;
        }
        free(sel);
    }
    c->session_zones[s] = idx;
    c->n_session_zones[s] = n;
    return MN_OK;
}

/* A device named relative to the protocol file is found there too. */
static mn_status resolve_device(mn_course *c, const char *spec,
                                const char *protocol_path, mn_device *out,
                                mn_error *err)
{
    mn_status st = mn_device_resolve(&c->catalog, spec, out, err);
    if (st == MN_EIO && spec[0] != '/' && strchr(protocol_path, '/')) {
        char path[4096];
        int dir = (int)(strrchr(protocol_path, '/') - protocol_path);
        snprintf(path, sizeof path, "%.*s/%s", dir, protocol_path, spec);
        mn_device_clear(out);
        st = mn_device_resolve(&c->catalog, path, out, err);
    }
    return st;
}

/* The course's zones, comma separated (for messages). */
static void course_zone_names(const mn_course *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t z = 0; z < c->n_zones && len < n; z++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", z ? ", " : "",
                                c->zones[z].name);
}

/* One key of zone_devices: the course's zones it names, each given the
 * device own (at most one key per zone). */
static mn_status zone_device_key(mn_course *c, size_t i, const mn_device *own,
                                 size_t *named_by, const char *file, mn_diags *d)
{
    const mn_strmap *m = &c->protocol.zone_devices;
    int line = m->at ? m->at[i].key_line : 0, col = m->at ? m->at[i].key_column : 0;
    size_t *sel = NULL, nsel = 0, hits = 0;
    mn_error e;
    mn_error_clear(&e);
    mn_status st = select_zones(c, m->keys[i], &sel, &nsel, &e);
    if (st == MN_ENOTFOUND)
        report_at(d, file, line, col, st, "zone_devices: %s (or a site name)",
                  e.message);
    if (st)
        return st;
    for (size_t k = 0; k < nsel; k++) {
        const char *zname = c->zone_list.items[sel[k]].name;
        for (size_t z = 0; z < c->n_zones; z++) {
            if (strcmp(c->zones[z].name, zname))
                continue;
            hits++;
            if (named_by[z] != (size_t)-1) {
                report_at(d, file, line, col, MN_EINVAL,
                          "zone_devices: %s gets a device from both '%s' and '%s'; "
                          "name each zone once",
                          zname, m->keys[named_by[z]], m->keys[i]);
                st = MN_EINVAL;
            } else {
                named_by[z] = i;
                c->zone_devices[z] = own;
            }
        }
    }
    free(sel);
    if (!hits) {
        char names[1024];
        course_zone_names(c, names, sizeof names);
        report_at(
            d, file, line, col, MN_EINVAL,
            "zone_devices: '%s' is not among the protocol's zones (%s; or a group "
            "or site of them)",
            m->keys[i], names);
        st = MN_EINVAL;
    }
    return st;
}

/* The protocol's zone_devices: every key names zones of the course, every
 * value a device as `device` does. Every problem is reported. */
static mn_status resolve_zone_devices(mn_course *c, const char *file, mn_diags *d)
{
    const mn_strmap *m = &c->protocol.zone_devices;
    if (!m->count)
        return MN_OK;
    c->own_devices = calloc(m->count, sizeof *c->own_devices);
    c->zone_devices = calloc(c->n_zones ? c->n_zones : 1, sizeof *c->zone_devices);
    size_t *named_by = malloc((c->n_zones ? c->n_zones : 1) * sizeof *named_by);
    if (!c->own_devices || !c->zone_devices || !named_by) {
        free(named_by);
        return MN_ENOMEM;
    }
    for (size_t z = 0; z < c->n_zones; z++)
        named_by[z] = (size_t)-1;
    mn_status first = MN_OK;
    for (size_t i = 0; i < m->count && first != MN_ENOMEM; i++) {
        mn_error e;
        mn_error_clear(&e);
        mn_status st = resolve_device(c, m->values[i], file, &c->own_devices[i], &e);
        c->n_own_devices = i + 1;
        char msg[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 32];
        if (st) /* a device file's own problem keeps its file and place */
            report_at(d, file, m->at ? m->at[i].line : 0, m->at ? m->at[i].column : 0,
                      st, "zone_devices.%s: %s", m->keys[i],
                      mn_error_format(&e, msg, sizeof msg));
        mn_status kst =
            zone_device_key(c, i, st ? NULL : &c->own_devices[i], named_by, file, d);
        if (!first)
            first = st ? st : kst;
    }
    free(named_by);
    return first;
}

/* The anaesthetic and the serum name known compounds; the anaesthetic is
 * one. */
static mn_status check_topicals(const mn_course *c, const char *file, mn_diags *d)
{
    const mn_topical *t[2] = {&c->protocol.anaesthetic, &c->protocol.serum};
    const char *key[2] = {"anaesthetic", "serum"};
    mn_status st = MN_OK;
    for (int i = 0; i < 2; i++) {
        if (!t[i]->compound)
            continue;
        const mn_compound *cp;
        mn_error e;
        mn_error_clear(&e);
        if (mn_compound_find(&c->compounds, t[i]->compound, &cp, &e) != MN_OK) {
            report_at(d, file, t[i]->line, t[i]->column, MN_ENOTFOUND,
                      "%s.compound: %s", key[i], e.message);
            st = MN_ENOTFOUND;
        } else if (i == 0 && cp->use != MN_USE_ANAESTHETIC) {
            report_at(
                d, file, t[i]->line, t[i]->column, MN_EINVAL,
                "anaesthetic.compound: %s is not an anaesthetic (data/compounds.yaml, "
                "use: %s); put it under serum",
                cp->name, mn_compound_use_name(cp->use));
            st = MN_EINVAL;
        }
    }
    return st;
}

mn_status mn_course_load(const char *path, const char *data_dir, mn_course *c,
                         mn_diags *diags, mn_error *err)
{
    memset(c, 0, sizeof *c);
    mn_protocol_init(&c->protocol);
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t first = d->count;
    mn_status st = mn_protocol_load(path, &c->protocol, d, err);
    if (!st)
        st = mn_course_resolve(c, path, data_dir, d, err);
    if (st && err && d->count > first)
        *err = d->items[first];
    mn_diags_free(&local);
    return st;
}

mn_status mn_course_resolve(mn_course *c, const char *path, const char *data_dir,
                            mn_diags *diags, mn_error *err)
{
    mn_diags local = {0};
    mn_diags *d = diags ? diags : &local;
    size_t first = d->count;
    mn_status st = MN_OK;
    char f[4200];
#define DATA(name) (snprintf(f, sizeof f, "%s/%s", data_dir, name), f)
    st = mn_devices_load(DATA("devices.yaml"), &c->catalog, d, err);
    if (!st)
        st = mn_sites_load(DATA("sites.yaml"), &c->sites, d, err);
    if (!st)
        st = mn_zones_load(DATA("zones.yaml"), &c->zone_list, d, err);
    if (!st)
        st = mn_rules_load(DATA("rules.yaml"), &c->rules, d, err);
    if (!st)
        st = mn_depth_params_load(DATA("penetration.yaml"), &c->depth, d, err);
    if (!st)
        st = mn_heal_data_load(DATA("healing.yaml"), &c->healing, d, err);
    if (!st)
        st = mn_compounds_load(DATA("compounds.yaml"), &c->compounds, d, err);
    if (!st)
        st = mn_channel_params_load(DATA("channels.yaml"), &c->channel, d, err);
    if (!st) /* documentation: a course without it names its sources by key */
        mn_references_load(data_dir, &c->references, NULL);
    if (!st)
        st = check_topicals(c, path, d);
    if (!st) {
        mn_roll_pattern pat;
        mn_error pe;
        mn_error_clear(&pe);
        const char *name = c->protocol.pattern ? c->protocol.pattern : "four-direction";
        if (mn_roll_pattern_make(name, 8, &pat, &pe) != MN_OK) {
            report(d, path, MN_EINVAL, "pattern: %s", pe.message);
            st = MN_EINVAL;
        }
    }
#undef DATA
    if (!st &&
        (st = mn_protocol_sessions(&c->protocol, &c->sessions, &c->n_sessions, err)))
        report(d, path, st, "%s", err->message);
    if (!st) {
        c->devices = calloc(c->n_sessions, sizeof *c->devices);
        c->session_zones = calloc(c->n_sessions, sizeof *c->session_zones);
        c->n_session_zones = calloc(c->n_sessions, sizeof *c->n_session_zones);
        if (!c->devices || !c->session_zones || !c->n_session_zones)
            st = MN_ENOMEM;
    }
    for (size_t s = 0; !st && s < c->n_sessions; s++) {
        mn_error e;
        mn_error_clear(&e);
        char msg[MN_ERROR_MSG_MAX + MN_ERROR_FILE_MAX + 32];
        if ((st = resolve_device(c, c->sessions[s].device, path, &c->devices[s], &e)))
            report(d, path, st, "device: %s", mn_error_format(&e, msg, sizeof msg));
        else
            st = resolve_zones(c, s, path, d);
    }
    if (!st)
        st = resolve_zone_devices(c, path, d);
    if (!st) {
        mn_course_input *in = &c->in;
        in->protocol = &c->protocol;
        in->sessions = c->sessions;
        in->n_sessions = c->n_sessions;
        in->devices = c->devices;
        in->zones = c->zones;
        in->n_zones = c->n_zones;
        in->session_zones = c->session_zones;
        in->n_session_zones = c->n_session_zones;
        in->rules = &c->rules;
        in->depth = &c->depth;
        in->healing = &c->healing.population;
        in->channel = &c->channel;
        in->zone_devices = c->zone_devices;
    }
    if (st && err && d->count > first)
        *err = d->items[first];
    mn_diags_free(&local);
    return st;
}

mn_status mn_check_protocol_file(const char *path, const char *data_dir,
                                 mn_diags *diags)
{
    mn_course c;
    mn_error e;
    mn_error_clear(&e);
    mn_status st = mn_course_load(path, data_dir, &c, diags, &e);
    if (st) {
        mn_course_free(&c);
        return st;
    }
    mn_findings f = {0};
    st = mn_course_check(&c.in, &f, &e);
    if (st) {
        report(diags, path, st, "%s", e.message);
    } else {
        for (size_t i = 0; i < f.count; i++) {
            const mn_finding *x = &f.items[i];
            mn_error r;
            mn_error_clear(&r);
            r.code = x->severity == MN_SEV_ERROR ? MN_EINVAL : MN_OK;
            snprintf(r.file, sizeof r.file, "%s", path);
            char where[300] = "";
            if (x->session && x->zone[0])
                snprintf(where, sizeof where, "session %d, %s: ", x->session, x->zone);
            else if (x->session)
                snprintf(where, sizeof where, "session %d: ", x->session);
            else if (x->zone[0])
                snprintf(where, sizeof where, "%s: ", x->zone);
            char text[2 * MN_ERROR_MSG_MAX];
            snprintf(text, sizeof text, "%s%s [rule %s; source: %s]", where, x->message,
                     x->rule, x->source);
            mn_text_fit(r.message, sizeof r.message, text);
            mn_diags_push(diags, (mn_severity)x->severity, &r);
        }
        if (f.n_errors)
            st = MN_EINVAL;
    }
    mn_findings_free(&f);
    mn_course_free(&c);
    return st;
}

mn_status mn_check_file_with_data(const char *path, const char *data_dir,
                                  mn_diags *diags)
{
    if (data_dir) {
        mn_doc *doc = NULL;
        mn_diags probe = {0};
        int is_protocol = 0;
        if (mn_doc_load(path, &doc, &probe) == MN_OK) {
            const char *kind = mn_doc_kind(doc);
            is_protocol = kind && !strcmp(kind, "protocol");
        }
        mn_doc_free(doc);
        mn_diags_free(&probe);
        if (is_protocol)
            return mn_check_protocol_file(path, data_dir, diags);
    }
    return mn_check_file(path, diags);
}
