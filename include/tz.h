/* SPDX-License-Identifier: MIT */
/* tz.h - civil dates and times in IANA zones (the system's zone files) */
#ifndef TIARA_TZ_H
#define TIARA_TZ_H

#include <stddef.h>

#include "err.h"
#include "model.h"

/* A wall-clock date and time with no zone attached. */
struct civil {
    int year, month, day; /* month 1-12, day 1-31 */
    int hour, minute, second;
};

/* Is 'zone' a zone with a readable zone file? Fills err naming it when not. */
int tz_check(const char *zone, struct err *err);

/* The user's zone: $TIARA_TZ, then $TZ, then /etc/localtime, then "UTC".
 * Borrowed; valid for the life of the process. */
const char *tz_user_zone(void);
/* A TIARA_TZ that names no zone is an error; a TZ that names none (a
 * POSIX rule such as GMT+5) fills 'warning' with what is used instead. */
int tz_user_zone_check(char *warning, size_t n, struct err *err);

int tz_days_in_month(int year, int month);
/* Does the date exist (2026-02-30 does not)? Times 00:00:00-23:59:59. */
int tz_civil_valid(const struct civil *c);
/* 0 = Sunday ... 6 = Saturday. */
int tz_weekday(const struct civil *c);
/* Move by whole days or months; months clamp the day (Jan 31 + 1 = Feb 28). */
void tz_add_days(struct civil *c, int days);
void tz_add_months(struct civil *c, int months);

enum tz_mode {
    /* User input: a time skipped by a DST change is an error. */
    TZ_STRICT,
    /* RFC 5545 3.3.5: a skipped time uses the offset before the gap; a
     * repeated time means its first occurrence. */
    TZ_RFC5545,
};

/* Local time 'c' in 'zone' to UTC. Fails on a date that does not exist, an
 * unknown zone, or (TZ_STRICT) a time in a DST gap. */
int tz_to_utc(const char *zone, const struct civil *c, enum tz_mode mode,
              utc_t *out, struct err *err);
/* Is 't' the second occurrence of a wall time repeated in 'zone' (the
 * clocks went back), which a zoned DATE-TIME cannot name? */
int tz_ambiguous(const char *zone, utc_t t);
/* UTC to local time in 'zone'; *offset (seconds east of UTC) if not NULL. */
int tz_from_utc(const char *zone, utc_t t, struct civil *out, int *offset,
                struct err *err);
/* Zone abbreviation in force at 't' ("EST", "CEST", or "+0530" when the
 * zone has none). */
void tz_abbrev(const char *zone, utc_t t, char *out, size_t n);

/* Format a UTC time in 'zone' as "2026-12-03 10:00" (n >= 20). */
void tz_format_time(const char *zone, utc_t t, char *out, size_t n);

/* "Thu 2026-12-03" for 't' in 'zone' (n >= 16). */
void tz_format_day(const char *zone, utc_t t, char *out, size_t n);
/* "10:00", or "10:00 EST" with the zone's abbreviation. */
void tz_format_clock(const char *zone, utc_t t, int with_abbrev, char *out,
                     size_t n);
/* Do the zones show different clocks at 't'? */
int tz_zones_differ(const char *a, const char *b, utc_t t);
/* "10:00", or "10:00 EST / 16:00 CET" when the host's zone differs, with
 * the weekdays ("23:00 EST Tue / 04:00 GMT Wed") when their dates do. */
void tz_format_dual(const char *zone, const char *host_zone, utc_t t, char *out,
                    size_t n);

/* Pure UTC helpers (no zone). */
void tz_civil_from_epoch(utc_t t, struct civil *out);
utc_t tz_epoch_from_civil(const struct civil *c);

#endif
