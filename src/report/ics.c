/* iCalendar output (RFC 5545). */
#include "mnsim/ics.h"

#include <stdio.h>
#include <string.h>

#include "mnsim/date.h"
#include "mnsim/file.h"
#include "mnsim/sha256.h"

/* Write one content line: escape text values (done by the caller), fold
 * at 75 octets without splitting a UTF-8 sequence, end with CRLF. */
static void line(FILE *f, const char *text)
{
    size_t n = strlen(text), col = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)text[i];
        if (c >= 0xf0)
            len = 4;
        else if (c >= 0xe0)
            len = 3;
        else if (c >= 0xc0)
            len = 2;
        if (col + len > 75) {
            fputs("\r\n ", f);
            col = 1;
        }
        fwrite(text + i, 1, len, f);
        col += len;
        i += len;
    }
    fputs("\r\n", f);
}

/* RFC 5545 3.3.11 TEXT escaping. */
static void escape(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = in ? in : ""; *p && k + 3 < n; p++) {
        if (*p == '\\' || *p == ';' || *p == ',') {
            out[k++] = '\\';
            out[k++] = *p;
        } else if (*p == '\n') {
            out[k++] = '\\';
            out[k++] = 'n';
        } else if (*p != '\r') {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
}

mn_status mn_ics_write(const char *path, const mn_ics_event *ev, size_t n,
                       const char *uid_seed, int64_t stamp, int force, mn_error *err)
{
    mn_file_out out;
    mn_status status = mn_file_open(&out, path, force, 0644, err);
    if (status != MN_OK)
        return status;
    FILE *f = out.f;
    line(f, "BEGIN:VCALENDAR");
    line(f, "VERSION:2.0");
    line(f, "PRODID:-//mnsim//microneedling planner//EN");
    line(f, "CALSCALE:GREGORIAN");
    line(f, "METHOD:PUBLISH");
    char buf[16384], esc[12000], d1[32], d2[32], st[32];
    int64_t s_days = stamp / 86400, s_rem = stamp % 86400;
    int y, m, d;
    mn_civil_from_days(s_days, &y, &m, &d);
    snprintf(st, sizeof st, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, (int)(s_rem / 3600),
             (int)(s_rem % 3600 / 60), (int)(s_rem % 60));
    for (size_t i = 0; i < n; i++) {
        line(f, "BEGIN:VEVENT");
        /* A stable UID: the same plan gives the same UIDs, so a calendar
         * updates events instead of duplicating them. */
        mn_sha256 h;
        char hex[65];
        mn_sha256_init(&h);
        mn_sha256_update(&h, uid_seed, strlen(uid_seed));
        mn_sha256_update(&h, &i, sizeof i);
        mn_sha256_hex(&h, hex);
        snprintf(buf, sizeof buf, "UID:%.32s@mnsim", hex);
        line(f, buf);
        snprintf(buf, sizeof buf, "DTSTAMP:%s", st);
        line(f, buf);
        int64_t day = ev[i].day / 86400;
        mn_civil_from_days(day, &y, &m, &d);
        snprintf(d1, sizeof d1, "%04d%02d%02d", y, m, d);
        mn_civil_from_days(day + 1, &y, &m, &d);
        snprintf(d2, sizeof d2, "%04d%02d%02d", y, m, d);
        snprintf(buf, sizeof buf, "DTSTART;VALUE=DATE:%s", d1);
        line(f, buf);
        snprintf(buf, sizeof buf, "DTEND;VALUE=DATE:%s", d2);
        line(f, buf);
        escape(ev[i].summary, esc, sizeof esc);
        snprintf(buf, sizeof buf, "SUMMARY:%s", esc);
        line(f, buf);
        escape(ev[i].description, esc, sizeof esc);
        snprintf(buf, sizeof buf, "DESCRIPTION:%s", esc);
        line(f, buf);
        line(f, "TRANSP:TRANSPARENT");
        line(f, "END:VEVENT");
    }
    line(f, "END:VCALENDAR");
    return mn_file_commit(&out, err);
}
