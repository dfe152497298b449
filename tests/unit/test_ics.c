/* iCalendar writer: structure, escaping, folding, no overwrite. */
#include "mn_test.h"
#include "mnsim/date.h"
#include "mnsim/ics.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    char path[] = "/tmp/mnsim-test-ics-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    mn_error e;
    int64_t d1, d2;
    mn_date_parse("2027-01-04", &d1, NULL);
    mn_date_parse("2027-12-31", &d2, NULL);
    char longtext[400];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    mn_ics_event ev[] = {{d1, "One; two, three", "line 1\nline 2 \\ back"},
                         {d2, "\xc3\xa9t\xc3\xa9", longtext}};
    CHECK(mn_ics_write(path, ev, 2, "seed", 0, 0, &e) == MN_EEXIST);
    CHECK(mn_ics_write(path, ev, 2, "seed", 1790000000, 1, &e) == MN_OK);
    FILE *f = fopen(path, "rb");
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    CHECK_STR_HAS(buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    CHECK_STR_HAS(buf, "DTSTART;VALUE=DATE:20270104\r\nDTEND;VALUE=DATE:20270105\r\n");
    CHECK_STR_HAS(buf, "DTEND;VALUE=DATE:20280101\r\n"); /* the year rolls over */
    CHECK_STR_HAS(buf, "SUMMARY:One\\; two\\, three\r\n");
    CHECK_STR_HAS(buf, "DESCRIPTION:line 1\\nline 2 \\\\ back\r\n");
    CHECK_STR_HAS(buf, "DTSTAMP:20260921T");
    CHECK_STR_HAS(buf, "END:VCALENDAR\r\n");
    /* Every line at most 75 octets; folded lines start with a space. */
    int ok = 1, folded = 0;
    for (char *line = buf; *line;) {
        char *end = strstr(line, "\r\n");
        if (!end)
            break;
        ok &= end - line <= 75;
        folded |= line[0] == ' ';
        line = end + 2;
    }
    CHECK(ok && folded);
    /* Same plan, same UIDs. */
    char *uid = strstr(buf, "UID:");
    char first[64];
    snprintf(first, sizeof first, "%.40s", uid);
    CHECK(mn_ics_write(path, ev, 2, "seed", 1790000000, 1, &e) == MN_OK);
    f = fopen(path, "rb");
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    CHECK_STR_HAS(buf, first);
    unlink(path);
    return mn_test_report("ics");
}
