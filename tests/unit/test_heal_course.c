/* A course of one device at one site through the healing model
 * (src/therapy/heal_course.c): schedules from dates and intervals, the
 * injury of a session, the course with its warnings, reading the band.
 * argv[1]: the data directory. */
#include "mn_test.h"

#include <stdlib.h>

#include "mnsim/catalog.h"
#include "mnsim/date.h"
#include "mnsim/heal_course.h"
#include "mnsim/channels_io.h"
#include "mnsim/healing_io.h"

/* The channel model of the data directory (the barrier). */
static mn_channel_params CHANNEL;

static int64_t day_of(const char *date)
{
    int64_t t = 0;
    mn_date_parse(date, &t, NULL);
    return t / 86400;
}

static void test_schedule_dates(void)
{
    mn_heal_schedule s;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_heal_schedule_dates("2027-01-04, 2027-02-01,2027-03-01", &s, &e) == MN_OK);
    CHECK(s.n == 3 && s.from_dates);
    CHECK(s.first_day == day_of("2027-01-04"));
    CHECK(s.t_days[0] == 0 && s.t_days[1] == 28 && s.t_days[2] == 56);

    CHECK(mn_heal_schedule_dates("2027-02-30", &s, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "'2027-02-30' is not a date like 2027-01-04");
    CHECK(mn_heal_schedule_dates("2027-01-04T10:00", &s, &e) == MN_EINVAL);
    CHECK(mn_heal_schedule_dates("2027-02-01,2027-01-04", &s, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "'2027-01-04' is not after the date before it");
    CHECK(mn_heal_schedule_dates("2027-01-04,2027-01-04", &s, &e) == MN_EINVAL);
    CHECK(mn_heal_schedule_dates("", &s, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "no date given");

    /* 201 dates: one too many. */
    char many[201 * 11 + 1] = "";
    for (int i = 0; i < 201; i++) {
        char d[16];
        mn_date_format((day_of("2027-01-01") + i) * 86400, 0, d, sizeof d);
        strcat(many, i ? "," : "");
        strcat(many, d);
    }
    CHECK(mn_heal_schedule_dates(many, &s, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "at most 200 sessions");
}

static void test_schedule_every(void)
{
    mn_heal_schedule s;
    mn_error e;
    mn_error_clear(&e);
    CHECK(mn_heal_schedule_every(4, 28, -1, &s, &e) == MN_OK);
    CHECK(s.n == 4 && !s.from_dates && s.first_day == -1);
    CHECK(s.t_days[3] == 84);
    CHECK(mn_heal_schedule_every(2, 7, day_of("2027-01-04"), &s, &e) == MN_OK);
    CHECK(s.first_day == day_of("2027-01-04") && s.t_days[1] == 7);
    CHECK(mn_heal_schedule_every(0, 28, -1, &s, &e) == MN_ERANGE);
    CHECK(mn_heal_schedule_every(201, 1, -1, &s, &e) == MN_ERANGE);
    CHECK(mn_heal_schedule_every(2, 1.0 / 48, -1, &s, &e) == MN_ERANGE);
    CHECK(mn_heal_schedule_every(2, 731, -1, &s, &e) == MN_ERANGE);

    /* 12 months are 365.2 days; the last day is left for the recovery. */
    CHECK(mn_heal_schedule_every(14, 28, -1, &s, &e) == MN_OK); /* last: day 364 */
    CHECK(mn_heal_schedule_fits(&s, 12, &e) == MN_OK);
    CHECK(mn_heal_schedule_every(14, 28.1, -1, &s, &e) == MN_OK); /* day 365.3 */
    CHECK(mn_heal_schedule_fits(&s, 12, &e) == MN_ERANGE);
    CHECK_STR_HAS(e.message,
                  "the last session (day 365) is beyond the 12 months simulated");
    CHECK(mn_heal_schedule_fits(&s, 13, &e) == MN_OK);
}

static void test_describe(void)
{
    mn_heal_schedule s;
    char buf[160];
    mn_heal_schedule_every(4, 28, -1, &s, NULL);
    CHECK(!strcmp(mn_heal_schedule_describe(&s, buf, sizeof buf),
                  "4 sessions 28 days apart"));
    mn_heal_schedule_every(2, 1.0 / 3, -1, &s, NULL);
    CHECK(!strcmp(mn_heal_schedule_describe(&s, buf, sizeof buf),
                  "2 sessions 0.33 days apart"));
    mn_heal_schedule_every(1, 28, -1, &s, NULL);
    CHECK(!strcmp(mn_heal_schedule_describe(&s, buf, sizeof buf), "1 session"));
    mn_heal_schedule_dates("2027-01-04", &s, NULL);
    CHECK(!strcmp(mn_heal_schedule_describe(&s, buf, sizeof buf),
                  "1 session on the dates given"));
    mn_heal_schedule_dates("2027-01-04,2027-01-05", &s, NULL);
    CHECK(!strcmp(mn_heal_schedule_describe(&s, buf, sizeof buf),
                  "2 sessions on the dates given"));
}

typedef struct {
    mn_device dev;
    mn_skin skin;
    mn_depth_params depth;
    mn_heal_population pop;
} fixture;

static int load(const char *data_dir, const char *device, const char *site, fixture *f)
{
    char path[1024];
    mn_device_list devs = {0};
    mn_site_list sites = {0};
    mn_heal_data hd;
    memset(&hd, 0, sizeof hd);
    mn_error e;
    mn_error_clear(&e);
    const mn_site *s = NULL;
    mn_device_init(&f->dev);
    int ok = 1;
    snprintf(path, sizeof path, "%s/devices.yaml", data_dir);
    ok &= mn_devices_load(path, &devs, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/sites.yaml", data_dir);
    ok &= mn_sites_load(path, &sites, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/penetration.yaml", data_dir);
    ok &= mn_depth_params_load(path, &f->depth, NULL, &e) == MN_OK;
    snprintf(path, sizeof path, "%s/healing.yaml", data_dir);
    ok &= mn_heal_data_load(path, &hd, NULL, &e) == MN_OK;
    ok = ok && mn_device_resolve(&devs, device, &f->dev, &e) == MN_OK &&
         mn_site_find(&sites, site, &s, &e) == MN_OK &&
         mn_site_skin(s, MN_SEX_FEMALE, &f->skin, &e) == MN_OK;
    f->pop = hd.population;
    mn_heal_data_clear(&hd);
    mn_device_list_free(&devs);
    mn_site_list_free(&sites);
    if (!ok)
        fprintf(stderr, "test_heal_course: %s\n", e.message);
    return ok;
}

static void test_injury(fixture *f)
{
    mn_heal_injury inj;
    mn_error e;
    mn_error_clear(&e);
    double light = f->depth.hand_force_n[MN_PRESSURE_LIGHT];
    CHECK(mn_heal_injury_compute(&f->dev, &f->skin, &f->depth, light, 15, &inj, &e) ==
          MN_OK);
    CHECK(inj.punctured);
    CHECK_CLOSE(inj.channels_per_cm2, 15 * mn_device_density_per_pass(&f->dev) * 1e-4,
                1e-12);
    CHECK(inj.depth_um > inj.dermis_depth_um && inj.dermis_depth_um > 0);
    CHECK(inj.depth_um < f->dev.needle_length_m * 1e6);
    CHECK(inj.capillary_fraction > 0 && inj.capillary_fraction <= 1);
    CHECK_CLOSE(inj.force_n, light, 1e-12);
    mn_heal_dose d = mn_heal_injury_dose(&inj, 28);
    CHECK(d.t_days == 28);
    CHECK_CLOSE(d.channels_per_m2, inj.channels_per_cm2 * 1e4, 1e-12);
    CHECK_CLOSE(d.depth_m, inj.depth_um * 1e-6, 1e-12);
    CHECK(mn_heal_dose_validate(&d, &e) == MN_OK);

    /* Too little force: nothing punctured, no dose. */
    CHECK(mn_heal_injury_compute(&f->dev, &f->skin, &f->depth, 0.01, 15, &inj, &e) ==
          MN_OK);
    CHECK(!inj.punctured && inj.channels_per_cm2 == 0 && inj.depth_um == 0);
}

static int has_warning(const mn_heal_outcome *o, const char *text)
{
    for (size_t i = 0; i < o->warnings.count; i++)
        if (strstr(o->warnings.items[i], text))
            return 1;
    return 0;
}

static void test_course(fixture *f)
{
    mn_heal_injury inj;
    mn_error e;
    mn_error_clear(&e);
    double light = f->depth.hand_force_n[MN_PRESSURE_LIGHT];
    mn_heal_injury_compute(&f->dev, &f->skin, &f->depth, light, 15, &inj, &e);

    /* The course of the issue: 4 sessions 4 weeks apart; the only warning
     * is the depth of a 1.5 mm roller on the cheek. */
    mn_heal_schedule s;
    mn_heal_schedule_every(4, 28, -1, &s, &e);
    mn_heal_course_spec spec = {&s, &inj, 3, 12, 0, 1, &CHANNEL};
    mn_heal_outcome o;
    CHECK(mn_heal_course_run(&f->pop, &spec, NULL, &o, &e) == MN_OK);
    CHECK(o.result.n_sessions == 4 && !o.has_band);
    CHECK(o.doses[3].t_days == 84);
    CHECK(!o.result.overtreated && o.warnings.count == 1);
    CHECK(has_warning(&o, "may pass through the dermis"));
    double c6 = mn_heal_out_at(&f->pop.median, &o.result, MN_HEAL_OUT_COLLAGEN_TOTAL,
                               6 * MN_HEAL_DAYS_PER_MONTH);
    CHECK(c6 > 1.3 && c6 < 1.7);
    double *daily = mn_heal_daily_outputs(&f->pop.median, &o.result);
    CHECK(daily &&
          daily[100 * MN_HEAL_NOUT + MN_HEAL_OUT_ELASTIN] ==
              mn_heal_out_at(&f->pop.median, &o.result, MN_HEAL_OUT_ELASTIN, 100));
    free(daily);
    mn_heal_outcome_free(&o);

    /* Every 2 days, darker skin: sessions too early, overtreatment,
     * hyperpigmentation; virtual people give a band. */
    mn_heal_schedule_every(10, 2, -1, &s, &e);
    spec.fitzpatrick = 5;
    spec.n_samples = 4;
    CHECK(mn_heal_course_run(&f->pop, &spec, NULL, &o, &e) == MN_OK);
    CHECK(o.result.overtreated && o.has_band && o.band.n_samples == 4);
    CHECK(has_warning(&o, "9 of 10 sessions came before the skin had recovered"));
    CHECK(has_warning(&o, "overtreatment: index"));
    CHECK(has_warning(&o, "hyperpigmentation risk high"));
    CHECK(has_warning(&o, "Fitzpatrick V): darker skin types"));
    mn_heal_outcome_free(&o);

    /* Two sessions a day apart: the early one is named. */
    mn_heal_schedule_every(2, 1, -1, &s, &e);
    spec.fitzpatrick = 2;
    spec.n_samples = 0;
    CHECK(mn_heal_course_run(&f->pop, &spec, NULL, &o, &e) == MN_OK);
    CHECK(has_warning(
        &o, "session 2 (day 1) came before the skin had recovered from session 1"));
    mn_heal_outcome_free(&o);

    /* No puncture, no healing response. */
    mn_heal_injury_compute(&f->dev, &f->skin, &f->depth, 0.01, 15, &inj, &e);
    CHECK(mn_heal_course_run(&f->pop, &spec, NULL, &o, &e) == MN_OK);
    CHECK(has_warning(&o, "do not puncture"));
    mn_heal_outcome_free(&o);
}

static void test_band_at(void)
{
    /* Two days; output 1 goes from 1 to 3. */
    double series[2 * MN_HEAL_NOUT] = {0};
    series[1] = 1;
    series[MN_HEAL_NOUT + 1] = 3;
    CHECK(mn_heal_band_at(series, 2, 1, 0) == 1);
    CHECK(mn_heal_band_at(series, 2, 1, 0.25) == 1.5);
    CHECK(mn_heal_band_at(series, 2, 1, 1) == 3);
    CHECK(isnan(mn_heal_band_at(series, 2, 1, 1.5)));
    CHECK(isnan(mn_heal_band_at(series, 2, 1, -1)));
    CHECK(isnan(mn_heal_band_at(NULL, 2, 1, 0)));
    CHECK(!strcmp(mn_heal_phototype_name(4), "IV"));
    CHECK(!strcmp(mn_heal_phototype_name(7), "?"));
}

int main(int argc, char **argv)
{
    const char *data_dir = argc > 1 ? argv[1] : "data";
    char cpath[1100];
    snprintf(cpath, sizeof cpath, "%s/channels.yaml", data_dir);
    CHECK(mn_channel_params_load(cpath, &CHANNEL, NULL, NULL) == MN_OK);
    test_schedule_dates();
    test_schedule_every();
    test_describe();
    test_band_at();
    fixture f;
    if (load(data_dir, "roller-192-1.5mm", "cheek", &f)) {
        test_injury(&f);
        test_course(&f);
    } else {
        CHECK(!"the data files load");
    }
    mn_device_clear(&f.dev);
    return mn_test_report("test_heal_course");
}
