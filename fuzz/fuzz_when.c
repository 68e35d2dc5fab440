/* SPDX-License-Identifier: MIT */
/* fuzz_when.c - libFuzzer harness for the dates and lengths people type:
 * a date that is read prints back, in its zone and as an offset, to text
 * that reads as the same instant; a length prints back as the same
 * seconds; a refusal says why and leaves the result untouched */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"
#include "util.h"
#include "when.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Zones with odd offsets, half-hour DST and a skipped day. */
static const char *const zones[] = {
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Asia/Kathmandu",
    "America/St_Johns",
};

/* A November Sunday, the hour London's clocks go back, New Year's Eve's
 * last second, a June day (all 2026, UTC). */
static const utc_t nows[] = {1795348800, 1792888200, 1798761599, 1781092800};

/* A refusal: a kind and a message, and 'out' as it was. */
static void check_refusal(const struct err *e, const void *out,
                          const void *before, size_t n)
{
    if (e->kind == ERR_NONE || !e->msg[0] || memcmp(out, before, n) != 0)
        abort();
}

static void check_reread(const char *text, const char *zone, utc_t want)
{
    struct when w;
    struct err e;

    if (when_parse(text, 0, zone, 0, &w, &e) < 0 || w.t != want) {
        fprintf(stderr, "'%s' in %s: %s, %lld, want %lld\n", text, zone, e.msg,
                (long long)w.t, (long long)want);
        abort();
    }
}

/* Does the wall clock in 'zone' show the time of 't' twice (the clocks
 * go back by half an hour, one or two)? Such a time read with only the
 * zone's name is refused until an offset says which. */
static int repeated(const char *zone, utc_t t)
{
    static const int shifts[] = {1800, 3600, 7200};
    struct civil c, o;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        abort();
    for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++)
        for (int sign = -1; sign <= 1; sign += 2)
            if (tz_from_utc(zone, t + sign * shifts[i], &o, NULL, NULL) == 0 &&
                memcmp(&o, &c, sizeof(c)) == 0)
                return 1;
    return 0;
}

static void fuzz_date(const char *text, const char *zone, utc_t now, int flags)
{
    struct when w, again, before;
    struct civil c;
    struct err e = {0};
    char buf[128], clock[32];
    int off;
    utc_t end;

    memset(&w, 0x5a, sizeof(w));
    before = w;
    if (when_parse(text, now, zone, flags, &w, &e) < 0) {
        check_refusal(&e, &w, &before, sizeof(w));
        return;
    }
    if (!memchr(w.zone, '\0', sizeof(w.zone)) || tz_check(w.zone, NULL) < 0 ||
        ((flags & WHEN_NEED_TIME) && !w.has_time))
        abort();
    /* the same text, the same answer */
    if (when_parse(text, now, zone, flags, &again, NULL) < 0 ||
        memcmp(&again, &w, sizeof(w)) != 0)
        abort();
    if (tz_from_utc(w.zone, w.t, &c, &off, NULL) < 0)
        abort();
    /* exactly, with the offset in force */
    if (off % 60 == 0) {
        snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                 c.year, c.month, c.day, c.hour, c.minute, c.second,
                 off < 0 ? '-' : '+', abs(off) / 3600, abs(off) / 60 % 60);
        check_reread(buf, w.zone, w.t);
    }
    /* as tiara prints it, to the minute, with the zone's name */
    if (!repeated(w.zone, w.t - c.second)) {
        tz_format_time(w.zone, w.t, clock, sizeof(clock));
        snprintf(buf, sizeof(buf), "%s %s", clock, w.zone);
        check_reread(buf, zone, w.t - c.second);
    }
    end = when_day_end(&w);
    if (end <= w.t || end > w.t + 2 * 86400)
        abort();
}

static void fuzz_length(const char *text)
{
    long secs = -7, before = -7;
    struct err e = {0};
    char buf[64];
    long again;

    if (util_parse_duration(text, &secs, &e) < 0) {
        check_refusal(&e, &secs, &before, sizeof(secs));
        return;
    }
    if (secs < 0 || secs > 366L * 86400)
        abort();
    snprintf(buf, sizeof(buf), "%ldh%ldm%lds", secs / 3600, secs / 60 % 60,
             secs % 60);
    if (util_parse_duration(buf, &again, NULL) < 0 || again != secs)
        abort();
    snprintf(buf, sizeof(buf), "%lds", secs);
    if (util_parse_duration(buf, &again, NULL) < 0 || again != secs)
        abort();
}

/* The first byte chooses: bits 0-2 the zone, bit 3 WHEN_NEED_TIME, bits
 * 4-5 'now', bit 7 a length instead of a date. The rest is the text. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (size < 1 || size > 256)
        return 0;
    text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 0x80)
        fuzz_length(text);
    else
        fuzz_date(text, zones[data[0] & 7], nows[data[0] >> 4 & 3],
                  data[0] & 8 ? WHEN_NEED_TIME : 0);
    free(text);
    return 0;
}
