#include <stdlib.h>
#include <time.h>

#include "mn_test.h"
#include "mnsim/date.h"

int main(void)
{
    CHECK(mn_days_from_civil(1970, 1, 1) == 0);
    CHECK(mn_days_from_civil(2000, 3, 1) == 11017);
    CHECK(mn_days_from_civil(2027, 1, 4) == 20822);
    /* Round trip over 200 years. */
    int ok = 1;
    for (int64_t z = -25567; z < 47482; z += 17) {
        int y, m, d;
        mn_civil_from_days(z, &y, &m, &d);
        ok &= mn_days_from_civil(y, m, d) == z;
    }
    CHECK(ok);
    int64_t t;
    mn_error e;
    CHECK(mn_date_parse("2027-01-04", &t, &e) == MN_OK && t == 20822LL * 86400);
    CHECK(mn_date_parse("2027-01-04T09:30", &t, &e) == MN_OK &&
          t == 20822LL * 86400 + 9 * 3600 + 30 * 60);
    CHECK(mn_date_parse("2027-01-04 09:30:15", &t, &e) == MN_OK);
    CHECK(mn_date_parse("2024-02-29", &t, &e) == MN_OK);
    CHECK(mn_date_parse("2023-02-29", &t, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message, "28 days");
    CHECK(mn_date_parse("2027-13-01", &t, &e) == MN_ERANGE);
    CHECK(mn_date_parse("04/01/2027", &t, &e) == MN_EINVAL);
    CHECK(mn_date_parse("2027-01-04T25:00", &t, &e) == MN_ERANGE);
    CHECK(mn_date_parse("2027-01-04X", &t, &e) == MN_EINVAL);
    CHECK(mn_date_parse("", &t, &e) == MN_EINVAL);
    CHECK(mn_date_parse("1800-01-01", &t, &e) == MN_ERANGE);
    char buf[32];
    CHECK(!strcmp(
        mn_date_format(20822LL * 86400 + 9 * 3600 + 30 * 60, 1, buf, sizeof buf),
        "2027-01-04T09:30"));
    CHECK(!strcmp(mn_date_format(-86400, 0, buf, sizeof buf), "1969-12-31"));
    CHECK(mn_date_weekday(20822LL * 86400) == 0); /* 2027-01-04 is a Monday */
    CHECK(mn_date_weekday(0) == 3);
    /* Local wall time of an instant, to the minute, in the zone of TZ. */
    time_t at = (time_t)(20822LL * 86400 + 10 * 3600 + 30 * 60 + 17);
    setenv("TZ", "UTC", 1);
    tzset();
    CHECK(mn_date_from_local(at) == 20822LL * 86400 + 10 * 3600 + 30 * 60);
    setenv("TZ", "XYZ-2", 1); /* POSIX: two hours east of UTC */
    tzset();
    CHECK(mn_date_from_local(at) == 20822LL * 86400 + 12 * 3600 + 30 * 60);
    setenv("TZ", "XYZ11", 1); /* eleven hours west: the day before */
    tzset();
    CHECK(mn_date_from_local(at) == 20821LL * 86400 + 23 * 3600 + 30 * 60);
    return mn_test_report("date");
}
