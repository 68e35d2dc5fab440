/* SPDX-License-Identifier: MIT */
/* tz_civil.c - calendar arithmetic with no zone: days, months, weekdays
 * and UTC instants, for tz.c and the zone file readers it calls */
#include <stdint.h>

#include "tz.h"
#include "util.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tz_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

int tz_civil_valid(const struct civil *c)
{
    return c->year >= 1900 && c->year <= 9999 && c->month >= 1 &&
           c->month <= 12 && c->day >= 1 &&
           c->day <= tz_days_in_month(c->year, c->month) && c->hour >= 0 &&
           c->hour <= 23 && c->minute >= 0 && c->minute <= 59 &&
           c->second >= 0 && c->second <= 59;
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01. */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

utc_t tz_epoch_from_civil(const struct civil *c)
{
    return days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->minute * 60 + c->second;
}

void tz_civil_from_epoch(utc_t t, struct civil *out)
{
    int64_t days = t / 86400, rem = t % 86400;

    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(rem / 3600);
    out->minute = (int)(rem / 60 % 60);
    out->second = (int)(rem % 60);
}

int tz_weekday(const struct civil *c)
{
    int64_t d = days_from_civil(c->year, c->month, c->day);

    return (int)(((d % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

void tz_add_days(struct civil *c, int days)
{
    int64_t d = days_from_civil(c->year, c->month, c->day) + days;

    civil_from_days(d, &c->year, &c->month, &c->day);
}

void tz_add_months(struct civil *c, int months)
{
    int index = c->year * 12 + (c->month - 1) + months;
    int dim;

    c->year = index / 12;
    c->month = index % 12 + 1;
    dim = tz_days_in_month(c->year, c->month);
    if (c->day > dim)
        c->day = dim;
}
