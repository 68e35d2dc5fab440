/* SPDX-License-Identifier: MIT */
/* when.h - reading the dates and times people type */
#ifndef TIARA_WHEN_H
#define TIARA_WHEN_H

#include "err.h"
#include "model.h"
#include "tz.h"

struct when {
    utc_t t;        /* the instant */
    char zone[64];  /* a zone named in the text, else the default zone */
    int zone_given; /* the text named a zone */
    int has_time;   /* the text gave a time of day (else 00:00) */
};

enum {
    WHEN_NEED_TIME = 1 << 0, /* a bare date is an error */
};

/* Parse 'text' relative to 'now' in 'zone':
 *   2026-12-03 10:00, 2026-12-03T10:00[:00], with Z, +01:00 or -0500,
 *   or followed by a zone ("2026-12-03 10:00 Europe/Paris");
 *   2026-12-03 (a date, midnight);
 *   today 15:00, tomorrow 10:00, tue 14:30 / tuesday 14:30 (the next one,
 *   a week ahead when today is Tuesday), now, 15:00 (today).
 * A date that does not exist or a time skipped by a DST change is an
 * ERR_INPUT naming it. */
int when_parse(const char *text, utc_t now, const char *zone, int flags,
               struct when *out, struct err *err);

/* The instant the local day of 'w' ends in its zone (the next day's
 * midnight): 23, 24 or 25 hours after a bare date's midnight. */
utc_t when_day_end(const struct when *w);

#endif
