/* SPDX-License-Identifier: MIT */
/* test_when.c - the dates people type */
#include "check.h"
#include "tz.h"
#include "when.h"

static utc_t iso(int y, int mo, int d, int h, int mi)
{
    struct civil c = {y, mo, d, h, mi, 0};

    return tz_epoch_from_civil(&c);
}

/* Sunday 2026-11-22 12:00 UTC, in London. */
#define NOW iso(2026, 11, 22, 12, 0)

static utc_t at(const char *text)
{
    struct when w;

    if (when_parse(text, NOW, "Europe/London", WHEN_NEED_TIME, &w, NULL) < 0)
        return -1;
    return w.t;
}

static const char *error_of(const char *text)
{
    static struct err err;
    struct when w;

    err_clear(&err);
    if (when_parse(text, NOW, "Europe/London", WHEN_NEED_TIME, &w, &err) == 0)
        return "(accepted)";
    return err.msg;
}

int main(void)
{
    struct when w;
    struct err err;

    CHECK_INT(at("2026-12-03 10:00"), iso(2026, 12, 3, 10, 0));
    CHECK_INT(at("2026-12-03T10:00"), iso(2026, 12, 3, 10, 0));
    CHECK_INT(at("2026-12-03T10:00:30"), iso(2026, 12, 3, 10, 0) + 30);
    CHECK_INT(at("2026-07-03 10:00"), iso(2026, 7, 3, 9, 0)); /* BST */
    CHECK_INT(at("2026-12-03T10:00+01:00"), iso(2026, 12, 3, 9, 0));
    CHECK_INT(at("2026-12-03T10:00Z"), iso(2026, 12, 3, 10, 0));
    CHECK_INT(at("2026-12-03 10:00-0500"), iso(2026, 12, 3, 15, 0));
    CHECK_INT(at("2026-12-03 10:00 America/New_York"), iso(2026, 12, 3, 15, 0));
    CHECK(when_parse("2026-12-03 10:00 [Asia/Tokyo]", NOW, "Europe/London", 0,
                     &w, NULL) == 0);
    CHECK(w.zone_given);
    CHECK_STR(w.zone, "Asia/Tokyo");
    CHECK_INT(w.t, iso(2026, 12, 3, 1, 0));
    CHECK_INT(at("today 15:00"), iso(2026, 11, 22, 15, 0));
    CHECK_INT(at("tomorrow 10:00"), iso(2026, 11, 23, 10, 0));
    CHECK_INT(at("tue 14:30"), iso(2026, 11, 24, 14, 30));
    CHECK_INT(at("Tuesday 14:30"), iso(2026, 11, 24, 14, 30));
    CHECK_INT(at("sun 10:00"), iso(2026, 11, 29, 10, 0)); /* a week ahead */
    CHECK_INT(at("sat 9:05"), iso(2026, 11, 28, 9, 5));
    CHECK_INT(at("16:00"), iso(2026, 11, 22, 16, 0));
    CHECK(when_parse("now", NOW, "UTC", 0, &w, NULL) == 0);
    CHECK_INT(w.t, NOW);
    CHECK(when_parse("2026-12-03", NOW, "Europe/London", 0, &w, NULL) == 0);
    CHECK(!w.has_time);
    CHECK_INT(w.t, iso(2026, 12, 3, 0, 0));

    CHECK(strstr(error_of("2026-02-30 10:00"), "does not exist") != NULL);
    CHECK(strstr(error_of("2026-03-29 01:30"),
                 "does not exist in Europe/London") != NULL);
    CHECK(strstr(error_of("2026-12-03 25:00"), "does not exist") != NULL);
    CHECK(strstr(error_of("next blursday"), "cannot read date") != NULL);
    CHECK(strstr(error_of("2026-12-03"), "no time of day") != NULL);
    CHECK(strstr(error_of("2026-12-03 10:00 Mars/Base"),
                 "unknown time zone 'Mars/Base'") != NULL);
    CHECK(strstr(error_of("2026-12-03 10:00+25:00"), "cannot read") != NULL);
    CHECK(strstr(error_of(""), "no date") != NULL);
    /* found by fuzz/fuzz_when.c: an offset carried the instant out of
     * the years tiara reads, in the zone it is shown in */
    CHECK(when_parse("1900-01-01T00:15Z", NOW, "Pacific/Apia", 0, &w, &err) ==
          -1);
    CHECK(strstr(err.msg, "year 1899 in Pacific/Apia, out of range") != NULL);
    CHECK(when_parse("9999-12-31 23:00-05:00", NOW, "UTC", 0, &w, &err) == -1);
    CHECK(strstr(err.msg, "year 10000 in UTC") != NULL);
    CHECK(when_parse("1900-01-01T00:15Z", NOW, "UTC", 0, &w, &err) == 0);
    CHECK(when_parse("9999-12-31 23:00+01:00", NOW, "UTC", 0, &w, &err) == 0);
    return CHECK_DONE();
}
