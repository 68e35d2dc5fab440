/* SPDX-License-Identifier: MIT */
/* test_tzif.c - zone files written here, byte by byte, for the footer
 * rules tzdata has no zone for today: Julian days, daylight time all
 * year, a rule that takes over from transitions; and broken files */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "tz.h"
#include "tzif.h"
#include "util.h"

static char dir[] = "/tmp/test_tzif.XXXXXX";

struct type {
    int off, dst;
    const char *abbr;
};

static void put32(FILE *f, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        fputc((int)(v >> (8 * i)) & 0xff, f);
}

/* One data block (RFC 8536 3.2) with 'tsize'-byte times. */
static void block(FILE *f, int version, int tsize, size_t n, const int64_t *at,
                  const unsigned char *idx, size_t ntypes,
                  const struct type *types)
{
    size_t chars = 0;

    fputs("TZif", f);
    fputc(version, f);
    for (int i = 0; i < 15; i++)
        fputc(0, f);
    for (size_t i = 0; i < ntypes; i++)
        chars += strlen(types[i].abbr) + 1;
    put32(f, 0); /* isutcnt */
    put32(f, 0); /* isstdcnt */
    put32(f, 0); /* leapcnt */
    put32(f, (uint32_t)n);
    put32(f, (uint32_t)ntypes);
    put32(f, (uint32_t)chars);
    for (size_t i = 0; i < n; i++) {
        if (tsize == 8)
            put32(f, (uint32_t)((uint64_t)at[i] >> 32));
        put32(f, (uint32_t)at[i]);
    }
    if (n)
        fwrite(idx, 1, n, f);
    chars = 0;
    for (size_t i = 0; i < ntypes; i++) {
        put32(f, (uint32_t)types[i].off);
        fputc(types[i].dst, f);
        fputc((int)chars, f);
        chars += strlen(types[i].abbr) + 1;
    }
    for (size_t i = 0; i < ntypes; i++)
        fwrite(types[i].abbr, 1, strlen(types[i].abbr) + 1, f);
}

/* A zone file called 'name' in 'dir'; a NULL footer makes version 1. */
static void zone(const char *name, size_t n, const int64_t *at,
                 const unsigned char *idx, size_t ntypes,
                 const struct type *types, const char *footer)
{
    struct buf path;
    FILE *f;

    buf_init(&path);
    buf_printf(&path, "%s/%s", dir, name);
    f = fopen(path.data, "wb");
    CHECK(f != NULL);
    block(f, footer ? '2' : 0, 4, n, at, idx, ntypes, types);
    if (footer) {
        block(f, '2', 8, n, at, idx, ntypes, types);
        fprintf(f, "\n%s\n", footer);
    }
    fclose(f);
    buf_release(&path);
}

static utc_t iso(int y, int mo, int d, int h, int mi)
{
    struct civil c = {y, mo, d, h, mi, 0};

    return tz_epoch_from_civil(&c);
}

static void test_all_year_dst(void)
{
    const struct type t[] = {{-4 * 3600, 1, "EDT"}};
    struct tz_story s;

    /* RFC 8536 3.3.1: daylight time all year. */
    zone("alldst", 0, NULL, NULL, 1, t, "EST5EDT,0/0,J365/25");
    CHECK(tz_story_load("alldst", iso(2030, 1, 1, 0, 0), &s, NULL) == 0);
    CHECK_INT(s.nyearly, 0);
    CHECK_INT(s.n, 0);
    CHECK_INT(s.now.after, -4 * 3600);
    CHECK_INT(s.now.is_dst, 1);
    CHECK_STR(s.now.abbrev, "EDT");
    tz_story_release(&s);
}

static void test_julian(void)
{
    const struct type t[] = {{3 * 3600, 0, "+03"}};
    struct tz_story s;
    struct err err;
    int into;

    /* J60 is always March 1, and 26:00 is 02:00 on March 2, counted
     * from the end of the year; day 300 from 0 counts February 29. */
    zone("julian", 0, NULL, NULL, 1, t, "<+03>-3<+04>,J60/26,300");
    CHECK(tz_story_load("julian", iso(2030, 1, 1, 0, 0), &s, NULL) == 0);
    CHECK_INT(s.nyearly, 2);
    into = s.first[0].is_dst ? 0 : 1;
    CHECK_INT(s.first[into].at, iso(2030, 3, 2, 2, 0) - 3 * 3600);
    CHECK_INT(s.yearly[into].month, 0);
    CHECK_INT(s.yearly[into].wday, -1);
    CHECK_INT(s.yearly[into].ndays, 1);
    CHECK_INT(s.yearly[into].days[0], -305);
    CHECK_INT(s.yearly[into].secs, 7200);
    CHECK_INT(s.first[1 - into].at, iso(2030, 10, 28, 2, 0) - 4 * 3600);
    CHECK_INT(s.yearly[1 - into].days[0], 301);
    tz_story_release(&s);

    /* 24:00 on J59 is February 29 in leap years, March 1 in others: no
     * day of the year says that. */
    zone("j59", 0, NULL, NULL, 1, t, "<+03>-3<+04>,J59/24,300");
    CHECK(tz_story_load("j59", iso(2030, 1, 1, 0, 0), &s, &err) < 0);
    CHECK(strstr(err.msg, "'j59'") != NULL);
}

/* A fat file repeats the rule's changes to 2037: the rule takes over at
 * the first one, after the change that is not the rule's. */
static void test_take_over(void)
{
    const struct type t[] = {
        {2 * 3600, 0, "EET"}, {3600, 0, "CET"}, {7200, 1, "CEST"}};
    const int64_t at[] = {iso(2019, 6, 1, 0, 0),   iso(2020, 3, 29, 1, 0),
                          iso(2020, 10, 25, 1, 0), iso(2021, 3, 28, 1, 0),
                          iso(2021, 10, 31, 1, 0), iso(2022, 3, 27, 1, 0),
                          iso(2022, 10, 30, 1, 0)};
    const unsigned char idx[] = {1, 2, 1, 2, 1, 2, 1};
    struct tz_story s;

    zone("fat", 7, at, idx, 3, t, "CET-1CEST,M3.5.0,M10.5.0/3");
    CHECK(tz_story_load("fat", iso(2019, 1, 1, 0, 0), &s, NULL) == 0);
    CHECK_INT(s.now.after, 7200);
    CHECK_INT(s.n, 1);
    CHECK_INT(s.changes[0].at, at[0]);
    CHECK_INT(s.changes[0].after, 3600);
    CHECK_INT(s.nyearly, 2);
    CHECK_INT(s.first[0].at, at[1]);
    CHECK_INT(s.first[1].at, at[2]);
    CHECK_INT(s.yearly[0].month, 3);
    CHECK_INT(s.yearly[0].week, -1);
    CHECK_INT(s.yearly[0].wday, 0);
    CHECK_INT(s.yearly[1].secs, 3 * 3600);
    tz_story_release(&s);

    /* Version 1: the 32-bit transitions and no rule after them. */
    zone("v1", 3, at, idx, 3, t, NULL);
    CHECK(tz_story_load("v1", iso(2019, 1, 1, 0, 0), &s, NULL) == 0);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.nyearly, 0);
    tz_story_release(&s);
}

static void test_bad(void)
{
    struct buf path;
    struct tz_story s;
    struct err err;
    FILE *f;

    buf_init(&path);
    buf_printf(&path, "%s/short", dir);
    f = fopen(path.data, "wb");
    fputs("TZif2 and then nothing", f);
    fclose(f);
    CHECK(tz_story_load("short", 0, &s, &err) < 0);
    CHECK_INT(err.kind, ERR_PARSE);
    CHECK(strstr(err.msg, "is not a valid zone file") != NULL);
    {
        const struct type t[] = {{0, 0, "UTC"}};
        const int64_t far[] = {INT64_C(1) << 62};
        const unsigned char idx[] = {0};

        zone("far", 1, far, idx, 1, t, "UTC0");
        CHECK(tz_story_load("far", 0, &s, &err) < 0);
        CHECK(strstr(err.msg, "is not a valid zone file") != NULL);
    }
    CHECK(tz_story_load("../etc/passwd", 0, &s, &err) < 0);
    CHECK_INT(err.kind, ERR_INPUT);
    CHECK(tz_story_load("/etc/passwd", 0, &s, &err) < 0);
    CHECK(tz_story_load("Nowhere/Atlantis", 0, &s, &err) < 0);
    unlink(path.data);
    buf_release(&path);
}

int main(void)
{
    const char *names[] = {"alldst", "julian", "j59", "fat", "v1", "far"};
    struct buf path;

    CHECK(mkdtemp(dir) != NULL);
    setenv("TZDIR", dir, 1);
    test_all_year_dst();
    test_julian();
    test_take_over();
    test_bad();
    buf_init(&path);
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        path.len = 0;
        buf_printf(&path, "%s/%s", dir, names[i]);
        unlink(path.data);
    }
    buf_release(&path);
    rmdir(dir);
    return CHECK_DONE();
}
