/* SPDX-License-Identifier: MIT */
/* tzif.h - a zone's offset changes as its zone file (TZif) states them */
#ifndef TIARA_TZIF_H
#define TIARA_TZIF_H

#include <stddef.h>

#include "err.h"
#include "model.h"

/* At UTC 'at' the clocks go from 'before' to 'after' seconds east of UTC
 * and are then called 'abbrev'. */
struct tz_change {
    utc_t at;
    int before, after;
    int is_dst;
    char abbrev[16];
};

/* A yearly change as a calendar rule repeats it, at 'secs' into the
 * local day (the clock before the change). In 'month' (1-12; 0: days[]
 * are days of the year) on the 'week'th (-1: last) 'wday' (0 = Sunday);
 * or, when week is 0, on a 'wday' (-1: any day) that is one of days[]
 * (negative days count from the end of the month or year). */
struct tz_yearly {
    int month, week, wday;
    int days[16];
    int ndays;
    int secs;
};

/* A zone's changes from an instant on. */
struct tz_story {
    struct tz_change now;      /* in force at that instant (at = it) */
    struct tz_change *changes; /* the one-off changes after it, in order */
    size_t n;
    /* 2 when first[i] and later recur each year as yearly[i] for ever
     * (from the end of changes[]); 0 when the last change holds */
    int nyearly;
    struct tz_change first[2];
    struct tz_yearly yearly[2];
};

/* Read 'zone' from its TZif file under $TZDIR or /usr/share/zoneinfo:
 * the 64-bit transitions after 'from', then the POSIX TZ footer's rule
 * for the years after the last (taking over as early as it agrees with
 * the transitions). Fails on a name outside the directory, a missing or
 * malformed file or a rule no yearly calendar rule can say. */
int tz_story_load(const char *zone, utc_t from, struct tz_story *out,
                  struct err *err);
void tz_story_release(struct tz_story *s); /* NULL is allowed */

/* From UTC 'at' on, the offset is 'off' seconds east of UTC. */
struct tz_mark {
    utc_t at;
    int off, dst;
};

/* A zone's offsets as one sorted table, for conversions by binary
 * search: marks[0] holds before marks[1]. With a yearly rule
 * (cycle_from != 0) the changes repeat every 400 Gregorian years from
 * cycle_from, and the table holds one whole cycle of them past it. */
struct tz_table {
    struct tz_mark *marks;
    size_t n; /* >= 1 */
    utc_t cycle_from;
    size_t last; /* the mark the last lookup found */
};

#define TZ_CYCLE ((utc_t)146097 * 86400) /* 400 years */

/* The table of 'zone' from instant 'from' on (tz_story_load's reading of
 * the zone file); fails as tz_story_load does. */
int tz_table_load(const char *zone, utc_t from, struct tz_table *out,
                  struct err *err);
void tz_table_release(struct tz_table *t); /* NULL is allowed */
/* Offset (seconds east) and daylight flag in force at UTC 't'. */
int tz_table_offset(struct tz_table *t, utc_t at, int *is_dst);

/* The VTIMEZONE of 'zone' (its TZID the plain name, CRLF line ends) for
 * times from the start of 'year' (UTC) on, with no end (tz_vtimezone.c).
 * Caller frees; NULL with 'err' set as tz_story_load fails. */
char *tz_vtimezone(const char *zone, int year, struct err *err);

#endif
