/* SPDX-License-Identifier: MIT */
/* rules.h - DOMAIN.md's rules: when each derived entry falls */
#ifndef TIARA_RULES_H
#define TIARA_RULES_H

#include "err.h"
#include "model.h"
#include "tz.h"

/* Check-ins last this long in the calendar. */
#define RULES_CHECKIN_MINUTES 15
/* The interview's reminder fires this long before it starts. */
#define RULES_ALARM_MINUTES 15

/* When the preparation task is due: the same wall time the day before, or
 * two hours before when the interview was booked less than a day ahead
 * (never before the booking itself). Returns 1, with no task, for a
 * meeting recorded once it had begun. */
int rules_prep_due(const struct interview *iv, utc_t *out, struct err *err);

/* The zone the thank-you deadline follows: the one set when the interview
 * was booked (the host's, on request), else the interview's. */
const char *rules_thanks_zone(const struct interview *iv);

/* End of the next day (23:59 local) in 'zone' after the interview starts. */
int rules_thanks_due(const struct interview *iv, const char *zone, utc_t *out,
                     struct err *err);

/* A check-in series: every 'months' months from 'first' (a wall time in
 * 'zone'), on day 'day' (at most 28, so every month has it). */
struct rules_checkin {
    const char *zone;   /* borrowed from the anchor interview */
    struct civil first; /* the first occurrence, wall time */
    int day;            /* day of month: the interview's, or 28 */
    int months;         /* 3 or 6 */
    utc_t until;        /* last instant allowed, 0 for open-ended */
};

/* The series for contact 'c' anchored on its latest interview 'anchor':
 * one cadence after it (from the 28th for interviews late in a month), at
 * the same wall time. Returns 1 and fills *out
 * when there is a series, 0 when check-ins are off or stopped before the
 * first one, -1 (ERR_INPUT) when the first one is not a date tz can read. */
int rules_checkin(const struct contact *c, const struct interview *anchor,
                  struct rules_checkin *out, struct err *err);

/* Occurrence 'k' (0 = the first) of the series, as a wall time. */
void rules_checkin_nth(const struct rules_checkin *ci, int k,
                       struct civil *out);

typedef int (*rules_instant_fn)(utc_t start, void *ctx);
/* Call 'fn' for each occurrence starting in [from, to), in order, as
 * RFC 5545 would expand the RRULE that ics writes for it. */
int rules_checkin_each(const struct rules_checkin *ci, utc_t from, utc_t to,
                       rules_instant_fn fn, void *ctx, struct err *err);

/* The first occurrence at or after 'from', one of those
 * rules_checkin_each gives: 1 with *out, 0 when the series stopped
 * before it, -1 when it falls past tz's range. The agenda steps
 * thousands of series in time order this way. */
int rules_checkin_next(const struct rules_checkin *ci, utc_t from, utc_t *out,
                       struct err *err);

#endif
