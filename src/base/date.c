/* Civil dates (Howard Hinnant's days_from_civil algorithm). */
#include "mnsim/date.h"

#include <stdio.h>
#include <string.h>

int64_t mn_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void mn_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

mn_status mn_date_parse(const char *text, int64_t *seconds, mn_error *err)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    size_t n = text ? strlen(text) : 0;
    if (n < 10 || !digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &m) ||
        text[7] != '-' || !digits(text + 8, 2, &d))
        return mn_error_set(err, MN_EINVAL,
                            "'%s' is not a date: write YYYY-MM-DD, e.g. 2027-01-04",
                            text ? text : "");
    if (n > 10) {
        if ((text[10] != 'T' && text[10] != ' ') || n < 16 || !digits(text + 11, 2, &hh) ||
            text[13] != ':' || !digits(text + 14, 2, &mm) ||
            (n > 16 && (n != 19 || text[16] != ':' || !digits(text + 17, 2, &ss))))
            return mn_error_set(err, MN_EINVAL,
                                "'%s': a time is written YYYY-MM-DDTHH:MM[:SS]", text);
    }
    if (y < 1900 || y > 2200)
        return mn_error_set(err, MN_ERANGE, "'%s': year must be 1900-2200", text);
    if (m < 1 || m > 12)
        return mn_error_set(err, MN_ERANGE, "'%s': month must be 01-12", text);
    if (d < 1 || d > days_in_month(y, m))
        return mn_error_set(err, MN_ERANGE, "'%s': %04d-%02d has %d days", text, y, m,
                            days_in_month(y, m));
    if (hh > 23 || mm > 59 || ss > 59)
        return mn_error_set(err, MN_ERANGE, "'%s': not a valid time of day", text);
    *seconds = mn_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
    return MN_OK;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

char *mn_date_format(int64_t seconds, int with_time, char *buf, size_t n)
{
    int64_t days = floor_div(seconds, 86400);
    int64_t rem = seconds - days * 86400;
    int y, m, d;
    mn_civil_from_days(days, &y, &m, &d);
    if (with_time)
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d", y, m, d, (int)(rem / 3600),
                 (int)(rem % 3600 / 60));
    else
        snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
    return buf;
}

int mn_date_weekday(int64_t seconds)
{
    int64_t days = floor_div(seconds, 86400);
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int64_t mn_date_from_local(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return mn_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 86400 +
           tm.tm_hour * 3600 + tm.tm_min * 60;
}
