/* SPDX-License-Identifier: MIT */
/* test_tz.c - zone conversion across DST changes, month ends, leap days */
#include "check.h"
#include "tz.h"

static utc_t to_utc(const char *zone, int y, int mo, int d, int h, int mi,
                    enum tz_mode mode, int *ok)
{
    struct civil c = {y, mo, d, h, mi, 0};
    utc_t t = 0;

    *ok = tz_to_utc(zone, &c, mode, &t, NULL) == 0;
    return t;
}

static utc_t iso(int y, int mo, int d, int h, int mi)
{
    struct civil c = {y, mo, d, h, mi, 0};

    return tz_epoch_from_civil(&c);
}

/* The last Sunday of 'month' in 'year'. */
static int last_sunday(int year, int month)
{
    struct civil c = {year, month, tz_days_in_month(year, month), 0, 0, 0};

    while (tz_weekday(&c) != 0)
        c.day--;
    return c.day;
}

/* London's changes at 01:00 UTC on the last Sundays of March and
 * October, in 'year': the zone's table holds 400 years of its rule, and
 * later years are folded back into them. */
static void check_london(int year)
{
    int mar = last_sunday(year, 3), oct = last_sunday(year, 10), ok;
    struct civil c;
    int off = -1;

    CHECK(tz_from_utc("Europe/London", iso(year, 3, mar, 0, 59), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, 0);
    CHECK(tz_from_utc("Europe/London", iso(year, 3, mar, 1, 0), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, 3600);
    CHECK(tz_from_utc("Europe/London", iso(year, 10, oct, 0, 59), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, 3600);
    CHECK(tz_from_utc("Europe/London", iso(year, 10, oct, 1, 0), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, 0);
    to_utc("Europe/London", year, 3, mar, 1, 30, TZ_STRICT, &ok);
    CHECK(!ok); /* skipped */
    CHECK_INT(to_utc("Europe/London", year, 7, 1, 10, 0, TZ_STRICT, &ok),
              iso(year, 7, 1, 9, 0));
}

int main(void)
{
    int ok;
    struct civil c;
    int off;
    char ab[16];
    struct err err;

    /* New York: 2026-03-08 02:00 EST jumps to 03:00 EDT. */
    to_utc("America/New_York", 2026, 3, 8, 2, 30, TZ_STRICT, &ok);
    CHECK(!ok);
    CHECK_INT(to_utc("America/New_York", 2026, 3, 8, 2, 30, TZ_RFC5545, &ok),
              iso(2026, 3, 8, 7, 30)); /* RFC 5545 3.3.5: 03:30 EDT */
    CHECK_INT(to_utc("America/New_York", 2026, 3, 8, 1, 59, TZ_STRICT, &ok),
              iso(2026, 3, 8, 6, 59));
    CHECK_INT(to_utc("America/New_York", 2026, 3, 8, 3, 0, TZ_STRICT, &ok),
              iso(2026, 3, 8, 7, 0));
    /* 2026-11-01 01:30 happens twice: typed, it is refused until an
     * offset says which; read (RFC 5545 3.3.5), the first (EDT). */
    to_utc("America/New_York", 2026, 11, 1, 1, 30, TZ_STRICT, &ok);
    CHECK(!ok);
    CHECK_INT(to_utc("America/New_York", 2026, 11, 1, 1, 30, TZ_RFC5545, &ok),
              iso(2026, 11, 1, 5, 30));
    CHECK(ok);
    CHECK(!tz_ambiguous("America/New_York", iso(2026, 11, 1, 5, 30)));
    CHECK(tz_ambiguous("America/New_York", iso(2026, 11, 1, 6, 30)));
    /* London: gap at 01:00 on 2026-03-29, repeat at 01:00 on 2026-10-25. */
    to_utc("Europe/London", 2026, 3, 29, 1, 30, TZ_STRICT, &ok);
    CHECK(!ok);
    to_utc("Europe/London", 2026, 10, 25, 1, 30, TZ_STRICT, &ok);
    CHECK(!ok);
    CHECK_INT(to_utc("Europe/London", 2026, 10, 25, 1, 30, TZ_RFC5545, &ok),
              iso(2026, 10, 25, 0, 30));
    CHECK_INT(to_utc("Europe/London", 2026, 7, 1, 10, 0, TZ_STRICT, &ok),
              iso(2026, 7, 1, 9, 0));
    /* Lord Howe moves by half an hour: 02:00 -> 02:30 on 2026-10-04,
     * 02:00 -> 01:30 on 2026-04-05. */
    to_utc("Australia/Lord_Howe", 2026, 10, 4, 2, 15, TZ_STRICT, &ok);
    CHECK(!ok);
    CHECK_INT(to_utc("Australia/Lord_Howe", 2026, 10, 4, 2, 30, TZ_STRICT, &ok),
              iso(2026, 10, 3, 15, 30));
    CHECK_INT(to_utc("Australia/Lord_Howe", 2026, 4, 5, 1, 45, TZ_RFC5545, &ok),
              iso(2026, 4, 4, 14, 45)); /* first 01:45, at +11 */
    CHECK_INT(to_utc("Australia/Lord_Howe", 2026, 7, 1, 12, 0, TZ_STRICT, &ok),
              iso(2026, 7, 1, 1, 30)); /* winter: +10:30 */
    CHECK(tz_from_utc("Australia/Lord_Howe", iso(2026, 1, 1, 0, 0), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, 11 * 3600);
    CHECK(tz_from_utc("America/New_York", iso(2026, 7, 4, 16, 0), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, -4 * 3600);
    CHECK_INT(c.hour, 12);

    /* Before 2000 the zones' whole history is used: New York's clocks
     * went forward on 1999-04-04 and London's on 1995-03-26; Tokyo has
     * had no DST since 1951. 2000 itself sits on the trimming seam. */
    to_utc("America/New_York", 1999, 4, 4, 2, 30, TZ_STRICT, &ok);
    CHECK(!ok);
    CHECK_INT(to_utc("America/New_York", 1999, 7, 1, 12, 0, TZ_STRICT, &ok),
              iso(1999, 7, 1, 16, 0));
    CHECK_INT(to_utc("Europe/London", 1995, 7, 1, 12, 0, TZ_STRICT, &ok),
              iso(1995, 7, 1, 11, 0));
    CHECK_INT(to_utc("America/New_York", 2000, 1, 1, 0, 30, TZ_STRICT, &ok),
              iso(2000, 1, 1, 5, 30));
    CHECK_INT(to_utc("America/New_York", 2000, 4, 2, 12, 0, TZ_STRICT, &ok),
              iso(2000, 4, 2, 16, 0));
    CHECK_INT(to_utc("Asia/Tokyo", 2026, 7, 1, 9, 0, TZ_STRICT, &ok),
              iso(2026, 7, 1, 0, 0));
    CHECK_INT(to_utc("Asia/Tokyo", 1990, 7, 1, 9, 0, TZ_STRICT, &ok),
              iso(1990, 7, 1, 0, 0));

    /* Dates that do not exist, and leap days that do. */
    to_utc("UTC", 2026, 2, 30, 10, 0, TZ_STRICT, &ok);
    CHECK(!ok);
    to_utc("UTC", 2026, 2, 29, 10, 0, TZ_STRICT, &ok);
    CHECK(!ok);
    to_utc("UTC", 2028, 2, 29, 10, 0, TZ_STRICT, &ok);
    CHECK(ok);
    to_utc("UTC", 2100, 2, 29, 10, 0, TZ_STRICT, &ok);
    CHECK(!ok);
    to_utc("UTC", 2000, 2, 29, 10, 0, TZ_STRICT, &ok);
    CHECK(ok);
    CHECK_INT(tz_days_in_month(2026, 4), 30);
    CHECK_INT(tz_days_in_month(2028, 2), 29);

    /* Month arithmetic clamps to the month's end. */
    c = (struct civil){2027, 1, 31, 10, 0, 0};
    tz_add_months(&c, 1);
    CHECK_INT(c.month, 2);
    CHECK_INT(c.day, 28);
    c = (struct civil){2027, 11, 30, 10, 0, 0};
    tz_add_months(&c, 3);
    CHECK_INT(c.year, 2028);
    CHECK_INT(c.month, 2);
    CHECK_INT(c.day, 29);
    c = (struct civil){2026, 12, 31, 0, 0, 0};
    tz_add_days(&c, 1);
    CHECK_INT(c.year, 2027);
    CHECK_INT(c.day, 1);
    c = (struct civil){2028, 3, 1, 0, 0, 0};
    tz_add_days(&c, -1);
    CHECK_INT(c.day, 29);
    c = (struct civil){2026, 11, 22, 0, 0, 0};
    CHECK_INT(tz_weekday(&c), 0); /* a Sunday */

    tz_civil_from_epoch(iso(1999, 12, 31, 23, 59), &c);
    CHECK_INT(c.year, 1999);
    CHECK_INT(c.minute, 59);

    tz_abbrev("America/New_York", iso(2026, 1, 10, 12, 0), ab, sizeof(ab));
    CHECK_STR(ab, "EST");
    tz_abbrev("America/New_York", iso(2026, 7, 10, 12, 0), ab, sizeof(ab));
    CHECK_STR(ab, "EDT");
    tz_abbrev("Europe/Berlin", iso(2026, 7, 10, 12, 0), ab, sizeof(ab));
    CHECK_STR(ab, "CEST");
    tz_abbrev("Australia/Lord_Howe", iso(2026, 7, 10, 12, 0), ab, sizeof(ab));
    CHECK_STR(ab, "+1030");

    tz_abbrev("Australia/Lord_Howe", iso(2026, 1, 10, 12, 0), ab, sizeof(ab));
    CHECK_STR(ab, "+1100"); /* daylight time, numeric too */
    tz_abbrev("America/New_York", iso(2026, 7, 10, 12, 0), ab, 3);
    CHECK_STR(ab, "ED"); /* cut to the buffer, as snprintf would */
    tz_abbrev("Mars/Olympus", iso(2026, 7, 10, 12, 0), ab, sizeof(ab));
    CHECK_STR(ab, "?");

    /* The agenda's formats, written by hand: each as printf would. */
    {
        char out[64];

        tz_format_day("Europe/London", iso(2026, 12, 6, 23, 30), out,
                      sizeof(out));
        CHECK_STR(out, "Sun 2026-12-06");
        tz_format_day("Asia/Tokyo", iso(2026, 12, 6, 23, 30), out, sizeof(out));
        CHECK_STR(out, "Mon 2026-12-07");
        tz_format_day("UTC", iso(2026, 12, 6, 23, 30), out, 4);
        CHECK_STR(out, "Sun");
        tz_format_time("America/New_York", iso(2027, 1, 2, 3, 4), out,
                       sizeof(out));
        CHECK_STR(out, "2027-01-01 22:04");
        tz_format_time("UTC", iso(9999, 12, 31, 23, 59), out, sizeof(out));
        CHECK_STR(out, "9999-12-31 23:59");
        tz_format_clock("Europe/Berlin", iso(2026, 7, 10, 7, 5), 0, out,
                        sizeof(out));
        CHECK_STR(out, "09:05");
        tz_format_clock("Europe/Berlin", iso(2026, 7, 10, 7, 5), 1, out,
                        sizeof(out));
        CHECK_STR(out, "09:05 CEST");
        tz_format_clock("Australia/Lord_Howe", iso(2026, 7, 10, 7, 5), 1, out,
                        sizeof(out));
        CHECK_STR(out, "17:35 +1030");
        tz_format_clock("Europe/Berlin", iso(2026, 7, 10, 7, 5), 1, out, 7);
        CHECK_STR(out, "09:05 ");
        tz_format_dual("Europe/London", "Europe/London", iso(2026, 7, 10, 7, 5),
                       out, sizeof(out));
        CHECK_STR(out, "08:05");
        tz_format_dual("Europe/London", "America/New_York",
                       iso(2026, 7, 10, 7, 5), out, sizeof(out));
        CHECK_STR(out, "08:05 BST / 03:05 EDT");
        tz_format_dual("Europe/London", "Asia/Tokyo", iso(2026, 7, 10, 16, 0),
                       out, sizeof(out));
        CHECK_STR(out, "17:00 BST Fri / 01:00 JST Sat");
        tz_format_dual("Europe/London", "Asia/Tokyo", iso(2026, 7, 10, 16, 0),
                       out, 10);
        CHECK_STR(out, "17:00 BST");
    }

    CHECK(tz_check("Mars/Olympus", &err) < 0);
    CHECK(strstr(err.msg, "unknown time zone 'Mars/Olympus'") != NULL);
    CHECK(tz_check("Europe/Paris", NULL) == 0);
    /* After 2038, where libical's own zones (32-bit data) went wrong:
     * Lord Howe moves to +11 at 02:00 on the first Sunday of October. */
    CHECK(tz_from_utc("Australia/Lord_Howe", iso(2040, 10, 7, 3, 0), &c, &off,
                      NULL) == 0);
    CHECK_INT(off, 11 * 3600);
    CHECK_INT(to_utc("Australia/Lord_Howe", 2040, 10, 7, 10, 0, TZ_STRICT, &ok),
              iso(2040, 10, 6, 23, 0));
    to_utc("Australia/Lord_Howe", 2040, 10, 7, 2, 15, TZ_STRICT, &ok);
    CHECK(!ok); /* 02:00-02:30 is skipped */

    check_london(2026);
    check_london(2399);
    check_london(2400);
    check_london(2437);
    check_london(9998);

    /* Offsets remembered by instant are those of the instant asked for:
     * the same 600 instants over two years, forwards and backwards, with
     * the abbreviation (which reads the DST flag) beside each. */
    {
        static int fwd[600], back[600];
        static char fab[600][16], bab[600][16];
        utc_t t0 = iso(2026, 1, 1, 0, 0);

        for (int i = 0; i < 600; i++) {
            CHECK(tz_from_utc("Europe/Berlin", t0 + i * 29 * 3600LL, &c,
                              &fwd[i], NULL) == 0);
            tz_abbrev("Europe/Berlin", t0 + i * 29 * 3600LL, fab[i], 16);
        }
        for (int i = 600; i-- > 0;) {
            CHECK(tz_from_utc("Europe/Berlin", t0 + i * 29 * 3600LL, &c,
                              &back[i], NULL) == 0);
            tz_abbrev("Europe/Berlin", t0 + i * 29 * 3600LL, bab[i], 16);
        }
        for (int i = 0; i < 600; i++) {
            CHECK_INT(fwd[i], back[i]);
            CHECK_STR(fab[i], bab[i]);
            CHECK_STR(fab[i], fwd[i] == 7200 ? "CEST" : "CET");
        }
    }
    return CHECK_DONE();
}
