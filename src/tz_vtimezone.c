/* SPDX-License-Identifier: MIT */
/* tz_vtimezone.c - VTIMEZONEs written from the system's zone files, so
 * that every year a series reaches has the offsets tzdata gives it: the
 * export writes them, and tz.c reads its zones from them */
#include <stdlib.h>
#include <string.h>

#include "tz.h"
#include "tzif.h"
#include "util.h"

static void put_offset(struct buf *b, const char *name, int off)
{
    int a = abs(off);

    /* RFC 5545 3.3.14: seconds only when there are some */
    buf_printf(b, "%s:%c%02d%02d", name, off < 0 ? '-' : '+', a / 3600,
               a / 60 % 60);
    if (a % 60)
        buf_printf(b, "%02d", a % 60);
    buf_adds(b, "\r\n");
}

/* RFC 5545 3.6.5: an onset is local time on the clock before it. */
static void put_local(struct buf *b, const char *name,
                      const struct tz_change *c)
{
    struct civil t;

    tz_civil_from_epoch(c->at + c->before, &t);
    buf_printf(b, "%s:%04d%02d%02dT%02d%02d%02d\r\n", name, t.year, t.month,
               t.day, t.hour, t.minute, t.second);
}

/* Zone files name offsets in letters, digits and signs; anything else
 * is left out rather than escaped. */
static int plain_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("+-", *s) && !(*s >= 'A' && *s <= 'Z') &&
            !(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9'))
            return 0;
    return 1;
}

static void begin_onset(struct buf *b, const struct tz_change *c)
{
    buf_printf(b, "BEGIN:%s\r\n", c->is_dst ? "DAYLIGHT" : "STANDARD");
    if (plain_name(c->abbrev))
        buf_printf(b, "TZNAME:%s\r\n", c->abbrev);
    put_offset(b, "TZOFFSETFROM", c->before);
    put_offset(b, "TZOFFSETTO", c->after);
    put_local(b, "DTSTART", c);
}

static void end_onset(struct buf *b, const struct tz_change *c)
{
    buf_printf(b, "END:%s\r\n", c->is_dst ? "DAYLIGHT" : "STANDARD");
}

static void put_rrule(struct buf *b, const struct tz_yearly *y)
{
    static const char *const wd[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

    buf_adds(b, "RRULE:FREQ=YEARLY");
    if (y->month)
        buf_printf(b, ";BYMONTH=%d", y->month);
    if (y->week) {
        buf_printf(b, ";BYDAY=%d%s", y->week, wd[y->wday]);
    } else {
        buf_adds(b, y->month ? ";BYMONTHDAY=" : ";BYYEARDAY=");
        for (int i = 0; i < y->ndays; i++)
            buf_printf(b, "%s%d", i ? "," : "", y->days[i]);
        if (y->wday >= 0)
            buf_printf(b, ";BYDAY=%s", wd[y->wday]);
    }
    buf_adds(b, "\r\n");
}

static int same_onset(const struct tz_change *a, const struct tz_change *b)
{
    return a->before == b->before && a->after == b->after &&
           a->is_dst == b->is_dst && strcmp(a->abbrev, b->abbrev) == 0;
}

/* The one-off changes, one observance per kind of change with the later
 * ones as RDATEs (Morocco's Ramadan changes run to 2087). */
static int put_changes(struct buf *b, const struct tz_story *s)
{
    char *done = calloc(s->n + 1, 1);

    if (!done)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        if (done[i])
            continue;
        begin_onset(b, &s->changes[i]);
        for (size_t j = i + 1; j < s->n; j++) {
            if (!done[j] && same_onset(&s->changes[i], &s->changes[j])) {
                put_local(b, "RDATE", &s->changes[j]);
                done[j] = 1;
            }
        }
        end_onset(b, &s->changes[i]);
    }
    free(done);
    return 0;
}

char *tz_vtimezone(const char *zone, int year, struct err *err)
{
    struct civil start = {year, 1, 1, 0, 0, 0};
    struct tz_story s;
    struct buf b;

    if (!zone || strlen(zone) > 60) {
        err_set(err, ERR_INPUT, "zone name '%.60s...' is too long",
                zone ? zone : "");
        return NULL;
    }
    if (tz_story_load(zone, tz_epoch_from_civil(&start), &s, err) < 0)
        return NULL;
    buf_init(&b);
    /* The plain IANA name: clients show TZIDs to users. */
    buf_printf(&b, "BEGIN:VTIMEZONE\r\nTZID:%s\r\nX-LIC-LOCATION:%s\r\n", zone,
               zone);
    begin_onset(&b, &s.now);
    end_onset(&b, &s.now);
    if (put_changes(&b, &s) < 0)
        b.failed = 1;
    for (int i = 0; i < s.nyearly; i++) {
        begin_onset(&b, &s.first[i]);
        put_rrule(&b, &s.yearly[i]);
        end_onset(&b, &s.first[i]);
    }
    buf_adds(&b, "END:VTIMEZONE\r\n");
    tz_story_release(&s);
    if (b.failed) {
        buf_release(&b);
        err_set(err, ERR_NOMEM, "out of memory");
        return NULL;
    }
    return buf_steal(&b);
}
