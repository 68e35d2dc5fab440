/* SPDX-License-Identifier: MIT */
/* rules.c - deadlines and check-in series computed from an interview */
#include <string.h>

#include "rules.h"

int rules_prep_due(const struct interview *iv, utc_t *out, struct err *err)
{
    struct civil c;
    utc_t due;

    if (iv->start <= iv->created)
        return 1; /* booked once under way or over: nothing to prepare */
    if (iv->start - iv->created < 86400) {
        due = iv->start - 2 * 3600;
        *out = due > iv->created ? due : iv->created;
        return 0;
    }
    /* "The day before" at the same wall time, whatever DST does. */
    if (tz_from_utc(iv->tz, iv->start, &c, NULL, err) < 0)
        return -1;
    tz_add_days(&c, -1);
    return tz_to_utc(iv->tz, &c, TZ_RFC5545, out, err);
}

const char *rules_thanks_zone(const struct interview *iv)
{
    return iv->thanks_tz && *iv->thanks_tz ? iv->thanks_tz : iv->tz;
}

int rules_thanks_due(const struct interview *iv, const char *zone, utc_t *out,
                     struct err *err)
{
    struct civil c;

    if (tz_from_utc(zone, iv->start, &c, NULL, err) < 0)
        return -1;
    tz_add_days(&c, 1);
    c.hour = 23;
    c.minute = 59;
    c.second = 0;
    return tz_to_utc(zone, &c, TZ_RFC5545, out, err);
}

int rules_checkin(const struct contact *c, const struct interview *anchor,
                  struct rules_checkin *out, struct err *err)
{
    struct rules_checkin ci;
    struct civil start;
    utc_t first;

    memset(&ci, 0, sizeof(ci));
    ci.months = model_cadence_months(c->cadence);
    if (!ci.months)
        return 0;
    if (tz_from_utc(anchor->tz, anchor->start, &start, NULL, err) < 0)
        return -1;
    ci.zone = anchor->tz;
    /* RFC 5545 3.3.10 skips months without the DTSTART's day (an RRULE from
     * the 31st fires in only 4 months a year). Clamping with BYSETPOS is
     * valid but ical.js expands it wrongly, so days past the 28th become
     * the 28th: a day or three early, the same in every client. */
    ci.day = start.day > 28 ? 28 : start.day;
    ci.first = start;
    ci.first.day = ci.day;
    tz_add_months(&ci.first, ci.months);
    /* An anchor late in 9999 has its first check-in past tz's range:
     * refused here, so no caller writes an instant that was never set. */
    if (tz_to_utc(ci.zone, &ci.first, TZ_RFC5545, &first, err) < 0)
        return -1;
    ci.until = c->checkin_stopped;
    if (ci.until && first > ci.until)
        return 0;
    *out = ci;
    return 1;
}

void rules_checkin_nth(const struct rules_checkin *ci, int k, struct civil *out)
{
    *out = ci->first;
    tz_add_months(out, k * ci->months); /* day <= 28: no clamping */
}

int rules_checkin_each(const struct rules_checkin *ci, utc_t from, utc_t to,
                       rules_instant_fn fn, void *ctx, struct err *err)
{
    /* Wall times are within a day of their instant in every zone, so the
     * zone is consulted only for occurrences that may fall in the window:
     * the agenda walks thousands of series. */
    const utc_t slack = 86400;
    struct civil w;
    utc_t t, wall_first, wall;
    int k, ret;

    wall_first = tz_epoch_from_civil(&ci->first);
    if (wall_first >= to + slack)
        return 0;
    /* Jump near 'from': a series may be years old. No span of 'months'
     * months is longer than 31 days a month. */
    k = 0;
    if (from - slack > wall_first)
        k = (int)((from - slack - wall_first) / (86400LL * 31 * ci->months));
    for (;; k++) {
        rules_checkin_nth(ci, k, &w);
        wall = tz_epoch_from_civil(&w);
        if (wall < from - slack)
            continue;
        if (wall >= to + slack)
            break;
        if (tz_to_utc(ci->zone, &w, TZ_RFC5545, &t, err) < 0)
            return -1;
        if (t >= to || (ci->until && t > ci->until))
            break;
        if (t < from)
            continue;
        ret = fn(t, ctx);
        if (ret)
            return ret;
    }
    return 0;
}

int rules_checkin_next(const struct rules_checkin *ci, utc_t from, utc_t *out,
                       struct err *err)
{
    /* rules_checkin_each's walk, with no end but the series' own */
    const utc_t slack = 86400;
    struct civil w;
    utc_t t, wall_first = tz_epoch_from_civil(&ci->first);
    int k = 0;

    if (from - slack > wall_first)
        k = (int)((from - slack - wall_first) / (86400LL * 31 * ci->months));
    for (;; k++) {
        rules_checkin_nth(ci, k, &w);
        if (tz_epoch_from_civil(&w) < from - slack)
            continue;
        if (tz_to_utc(ci->zone, &w, TZ_RFC5545, &t, err) < 0)
            return -1;
        if (ci->until && t > ci->until)
            return 0;
        if (t >= from) {
            *out = t;
            return 1;
        }
    }
}
