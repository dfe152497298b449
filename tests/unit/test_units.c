#include "mn_test.h"
#include "mnsim/units.h"

typedef struct {
    const char *text;
    mn_unit_kind kind;
    mn_status status;
    double si;
} unit_case;

static const unit_case cases[] = {
    {"1.5 mm", MN_UNIT_LENGTH, MN_OK, 1.5e-3},
    {"1.5mm", MN_UNIT_LENGTH, MN_OK, 1.5e-3},
    {"  200 um ", MN_UNIT_LENGTH, MN_OK, 200e-6},
    {"200 \xc2\xb5m", MN_UNIT_LENGTH, MN_OK, 200e-6},
    {"2 cm", MN_UNIT_LENGTH, MN_OK, 0.02},
    {"4 weeks", MN_UNIT_TIME, MN_OK, 4 * 7 * 86400.0},
    {"1 week", MN_UNIT_TIME, MN_OK, 7 * 86400.0},
    {"2 days", MN_UNIT_TIME, MN_OK, 2 * 86400.0},
    {"30 min", MN_UNIT_TIME, MN_OK, 1800},
    {"12 months", MN_UNIT_TIME, MN_OK, 365.2425 * 86400.0},
    {"15 deg", MN_UNIT_ANGLE, MN_OK, 15 * 3.14159265358979323846 / 180},
    {"100 kPa", MN_UNIT_PRESSURE, MN_OK, 1e5},
    {"120 Hz", MN_UNIT_FREQUENCY, MN_OK, 120},
    {"5 N", MN_UNIT_FORCE, MN_OK, 5},
    {"4 %", MN_UNIT_FRACTION, MN_OK, 0.04},
    {"0.04", MN_UNIT_FRACTION, MN_OK, 0.04},
    {"8", MN_UNIT_NONE, MN_OK, 8},
    {"1.5", MN_UNIT_LENGTH, MN_EINVAL, 0},
    {"1.5 weeks", MN_UNIT_LENGTH, MN_EINVAL, 0},
    {"1.5 furlongs", MN_UNIT_LENGTH, MN_EINVAL, 0},
    {"abc", MN_UNIT_LENGTH, MN_EINVAL, 0},
    {"", MN_UNIT_LENGTH, MN_EINVAL, 0},
    {"nan mm", MN_UNIT_LENGTH, MN_ERANGE, 0},
    {"inf mm", MN_UNIT_LENGTH, MN_ERANGE, 0},
    {"-inf", MN_UNIT_NONE, MN_ERANGE, 0},
    {"1e999 mm", MN_UNIT_LENGTH, MN_ERANGE, 0},
    {"0x10 mm", MN_UNIT_LENGTH, MN_EINVAL, 0},
    {"8 mm", MN_UNIT_NONE, MN_EINVAL, 0},
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -1;
        mn_error e;
        mn_error_clear(&e);
        mn_status s = mn_units_parse(cases[i].text, cases[i].kind, &v, &e);
        if (s != cases[i].status)
            fprintf(stderr, "case '%s': status %d, expected %d (%s)\n",
                    cases[i].text, s, cases[i].status, e.message);
        CHECK(s == cases[i].status);
        if (cases[i].status == MN_OK)
            CHECK_CLOSE(v, cases[i].si, 1e-12);
        else
            CHECK(e.message[0] != '\0');
    }
    mn_error e;
    double v;
    mn_units_parse("1.5", MN_UNIT_LENGTH, &v, &e);
    CHECK_STR_HAS(e.message, "has no unit");
    mn_units_parse("1.5 weeks", MN_UNIT_LENGTH, &v, &e);
    CHECK_STR_HAS(e.message, "unit of time");

    double out;
    CHECK(mn_units_to(1.5e-3, MN_UNIT_LENGTH, "mm", &out, NULL) == MN_OK);
    CHECK_CLOSE(out, 1.5, 1e-12);
    CHECK(mn_units_to(1, MN_UNIT_LENGTH, "weeks", &out, NULL) == MN_EINVAL);
    char buf[64];
    CHECK(!strcmp(mn_units_format(1.5e-3, MN_UNIT_LENGTH, "mm", 3, buf, sizeof buf),
                  "1.5 mm"));
    CHECK(!strcmp(mn_units_format(28 * 86400.0, MN_UNIT_TIME, "weeks", 3, buf,
                                  sizeof buf),
                  "4 weeks"));
    return mn_test_report("units");
}
