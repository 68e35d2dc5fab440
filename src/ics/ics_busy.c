/* SPDX-License-Identifier: MIT */
/* ics_busy.c - when the user's own events (not tiara's) make them busy:
 * their timed, opaque instances, recurrences expanded */
#include <stdlib.h>
#include <string.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

/* A series runs at most this many instances before the window: an old
 * daily event is still cheap, an unbounded loop impossible. */
#define MAX_STEPS 20000

struct zoned {
    icalcomponent *cal;
    char zone[64];
    const char *tzid;  /* as written; NULL for UTC or floating */
    icaltimezone *own; /* a zone only the file defines */
};

static void zoned_init(struct zoned *z, icalcomponent *cal, icalproperty *p)
{
    icalparameter *tzp =
        icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;

    memset(z, 0, sizeof(*z));
    z->cal = cal;
    if (!tzid)
        return;
    if (ics_iana_zone(cal, tzid, z->zone, sizeof(z->zone)))
        z->tzid = z->zone;
    else
        z->own = icalcomponent_get_timezone(cal, tzid);
}

static utc_t zoned_utc(const struct zoned *z, struct icaltimetype tt)
{
    if (z->own && !icaltime_is_utc(tt))
        return icaltime_as_timet_with_zone(tt, z->own);
    return ics_time_to_utc(tt, z->tzid);
}

/* The instances of a series that moved or went (RECURRENCE-ID). */
struct moved {
    utc_t *t;
    size_t n, cap;
};

static int is_moved(const struct moved *m, utc_t t)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->t[i] == t)
            return 1;
    return 0;
}

static void collect_moved(icalcomponent *cal, const char *uid, struct moved *m)
{
    icalcomponent *c;
    icalcompiter it;

    /* An external iterator: the caller is walking cal's own. */
    for (it = icalcomponent_begin_component(cal, ICAL_VEVENT_COMPONENT);
         (c = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
        icalproperty *rid =
            icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY);
        const char *u = icalcomponent_get_uid(c);
        struct zoned z;

        if (!rid || !u || strcmp(u, uid) != 0 ||
            ALLOC_GROW(m->t, m->n + 1, m->cap) < 0)
            continue;
        zoned_init(&z, cal, rid);
        m->t[m->n++] = zoned_utc(&z, icalproperty_get_recurrenceid(rid));
    }
}

static int is_excluded(icalcomponent *ev, const struct zoned *z, utc_t t)
{
    icalproperty *p;

    for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
        struct zoned ez;

        zoned_init(&ez, z->cal, p);
        if (!ez.tzid && !ez.own)
            ez = *z; /* EXDATE in the series' own zone */
        if (zoned_utc(&ez, icalproperty_get_exdate(p)) == t)
            return 1;
    }
    return 0;
}

/* Does UTC instant 't' read as wall time 'tt' in z's zone? */
static int reads_as(const struct zoned *z, utc_t t, struct icaltimetype tt)
{
    struct civil c;

    if (z->own) {
        struct icaltimetype w = icaltime_from_timet_with_zone(t, 0, z->own);

        return w.year == tt.year && w.month == tt.month && w.day == tt.day &&
               w.hour == tt.hour && w.minute == tt.minute;
    }
    return tz_from_utc(z->tzid, t, &c, NULL, NULL) == 0 && c.year == tt.year &&
           c.month == tt.month && c.day == tt.day && c.hour == tt.hour &&
           c.minute == tt.minute;
}

/* Is wall time 'tt' in z's zone neither skipped nor repeated that day?
 * (Offsets change by 30 or 60 minutes.) */
static int wall_time_plain(const struct zoned *z, struct icaltimetype tt)
{
    utc_t t;

    if (icaltime_is_utc(tt) || (!z->tzid && !z->own))
        return 1;
    t = zoned_utc(z, tt);
    return reads_as(z, t, tt) && !reads_as(z, t + 1800, tt) &&
           !reads_as(z, t + 3600, tt);
}

/* Where to start walking a series that began long before 'from': its
 * DTSTART moved on by whole periods of the rule, in wall-clock time, to
 * an instance a few days before the window. Only for rules whose
 * instances that keeps exactly: DAILY with no BY parts, WEEKLY whose
 * only BY part is BYDAY holding DTSTART's own weekday, neither with a
 * COUNT (which counts from the first instance). Others start at DTSTART
 * and are stepped through, up to MAX_STEPS. */
static struct icaltimetype series_near(const struct icalrecurrencetype *r,
                                       const struct zoned *z,
                                       struct icaltimetype dtstart, utc_t first,
                                       utc_t length, utc_t from)
{
    struct icaltimetype near;
    const utc_t margin = 3 * 86400; /* wider than any offset change */
    long days, periods;
    int own_day = 0, i;

    if (r->count || r->interval < 1 ||
        r->by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_month[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
        return dtstart;
    if (r->freq == ICAL_DAILY_RECURRENCE &&
        r->by_day[0] == ICAL_RECURRENCE_ARRAY_MAX)
        days = r->interval;
    else if (r->freq == ICAL_WEEKLY_RECURRENCE)
        days = 7L * r->interval;
    else
        return dtstart;
    for (i = 0; r->freq == ICAL_WEEKLY_RECURRENCE &&
                r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
         i++)
        if (icalrecurrencetype_day_position(r->by_day[i]) == 0 &&
            (int)icalrecurrencetype_day_day_of_week(r->by_day[i]) ==
                icaltime_day_of_week(dtstart))
            own_day = 1;
        else if (icalrecurrencetype_day_position(r->by_day[i]) != 0)
            return dtstart;
    if (r->freq == ICAL_WEEKLY_RECURRENCE && i > 0 && !own_day)
        return dtstart;
    if (from - margin - length <= first)
        return dtstart;
    periods = (long)((from - margin - length - first) / (days * 86400));
    if (periods <= 0)
        return dtstart;
    near = dtstart;
    icaltime_adjust(&near, (int)(periods * days), 0, 0, 0);
    /* A wall time the clocks skip or repeat that day would move every
     * later instance with it: step back to a day where it is plain. */
    for (i = 0; i < 8 && !wall_time_plain(z, near); i++)
        icaltime_adjust(&near, (int)-days, 0, 0, 0);
    return i < 8 && icaltime_compare(near, dtstart) > 0 ? near : dtstart;
}

/* One VEVENT: its single instance, or each of its series in the window. */
static int event_busy(icalcomponent *cal, icalcomponent *ev, utc_t from,
                      utc_t to, ics_busy_fn fn, void *ctx)
{
    icalproperty *dtp =
        icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    icalproperty *rr =
        icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
    struct icaltimetype start = icalcomponent_get_dtstart(ev);
    struct icaltimetype end = icalcomponent_get_dtend(ev);
    struct ics_busy b = {icalcomponent_get_summary(ev), 0, 0};
    struct moved moved = {NULL, 0, 0};
    icalrecur_iterator *it;
    struct icalrecurrencetype rule;
    struct zoned z;
    utc_t length;
    int ret = 0;

    if (!dtp || start.is_date || icaltime_is_null_time(start))
        return 0; /* all-day events do not block a slot */
    zoned_init(&z, cal, dtp);
    b.start = zoned_utc(&z, start);
    length = icaltime_is_null_time(end) ? 0 : zoned_utc(&z, end) - b.start;
    if (length <= 0)
        return 0;
    if (!rr ||
        icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY)) {
        b.end = b.start + length;
        return b.end > from && b.start < to ? fn(&b, ctx) : 0;
    }
    collect_moved(cal, icalcomponent_get_uid(ev), &moved);
    rule = icalproperty_get_rrule(rr);
    it = icalrecur_iterator_new(
        rule, series_near(&rule, &z, start, b.start, length, from));
    for (int step = 0; it && step < MAX_STEPS && ret == 0; step++) {
        struct icaltimetype next = icalrecur_iterator_next(it);

        if (icaltime_is_null_time(next))
            break;
        b.start = zoned_utc(&z, next);
        if (b.start >= to)
            break;
        b.end = b.start + length;
        if (b.end > from && !is_moved(&moved, b.start) &&
            !is_excluded(ev, &z, b.start))
            ret = fn(&b, ctx);
    }
    icalrecur_iterator_free(it);
    free(moved.t);
    return ret;
}

int ics_busy_each(const char *text, utc_t from, utc_t to, ics_busy_fn fn,
                  void *ctx)
{
    icalcomponent *root = icalparser_parse_string(text), *ev;
    enum icalproperty_status st;
    int ret = 0;

    if (!root)
        return 0;
    for (ev = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
         ev && ret == 0;
         ev = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
        icalproperty *tr =
            icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY);

        st = icalcomponent_get_status(ev);
        if (st == ICAL_STATUS_CANCELLED ||
            (tr && icalproperty_get_transp(tr) == ICAL_TRANSP_TRANSPARENT))
            continue;
        ret = event_busy(root, ev, from, to, fn, ctx);
    }
    icalcomponent_free(root);
    return ret;
}
