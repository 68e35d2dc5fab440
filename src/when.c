/* SPDX-License-Identifier: MIT */
/* when.c - ISO 8601 and relative date parsing for the command line */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "when.h"

static const char *const weekdays[] = {"sunday",    "monday",   "tuesday",
                                       "wednesday", "thursday", "friday",
                                       "saturday"};

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Exactly 'n' digits into *out. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* "10:00", "10:00:30", "9:05"; also "10h" is not accepted: be strict. */
static int parse_clock(const char **pp, struct civil *c)
{
    const char *p = *pp;
    int h, m, s = 0;

    if (digits(&p, 2, &h) < 0) {
        p = *pp;
        if (digits(&p, 1, &h) < 0)
            return -1;
    }
    if (*p != ':')
        return -1;
    p++;
    if (digits(&p, 2, &m) < 0)
        return -1;
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &s) < 0)
            return -1;
    }
    c->hour = h;
    c->minute = m;
    c->second = s;
    *pp = p;
    return 0;
}

/* "Z", "+01:00", "-0500", "+01" into seconds east. */
static int parse_offset(const char **pp, int *offset)
{
    const char *p = *pp;
    int sign, h, m = 0;

    if (*p == 'Z' || *p == 'z') {
        *offset = 0;
        *pp = p + 1;
        return 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p == '-' ? -1 : 1;
    p++;
    if (digits(&p, 2, &h) < 0 || h > 14)
        return -1;
    if (*p == ':')
        p++;
    if (isdigit((unsigned char)*p) && (digits(&p, 2, &m) < 0 || m > 59))
        return -1;
    *offset = sign * (h * 3600 + m * 60);
    *pp = p;
    return 0;
}

static int bad(struct err *err, const char *text)
{
    return err_set(err, ERR_INPUT,
                   "cannot read date '%s' (try '2026-12-03 10:00', "
                   "'tomorrow 10:00' or 'tue 14:30')",
                   text);
}

/* "2026-12-03", then "T10:00" or " 10:00" if given. -1 when malformed. */
static int read_iso(const char **pp, struct civil *c, struct when *w)
{
    const char *p = *pp;

    if (digits(&p, 4, &c->year) < 0 || *p++ != '-' ||
        digits(&p, 2, &c->month) < 0 || *p++ != '-' ||
        digits(&p, 2, &c->day) < 0)
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        const char *q = skip_space(p + 1);

        if (*q) {
            if (parse_clock(&q, c) < 0)
                return -1;
            w->has_time = 1;
            p = q;
        }
    }
    *pp = p;
    return 0;
}

/* A leading word (today, tomorrow, now or a weekday) or none, then a
 * time if given; the day is counted from 'today'. Returns 1 for "now"
 * (w->t set, nothing may follow), 0, or -1 when malformed. */
static int read_relative(const char **pp, utc_t now, const struct civil *today,
                         struct civil *c, struct when *w)
{
    const char *p = *pp;
    char word[16];
    size_t wl = 0;

    while (isalpha((unsigned char)p[wl]) && wl < sizeof(word) - 1) {
        word[wl] = (char)tolower((unsigned char)p[wl]);
        wl++;
    }
    word[wl] = '\0';
    *c = *today;
    if (wl == 0) {
        /* A bare time means today. */
    } else if (strcmp(word, "now") == 0) {
        w->t = now;
        w->has_time = 1;
        return *skip_space(p + wl) ? -1 : 1;
    } else if (strcmp(word, "tomorrow") == 0) {
        tz_add_days(c, 1);
    } else if (strcmp(word, "today") != 0) {
        int found = -1, ahead;

        for (int i = 0; i < 7 && wl >= 3; i++)
            if (strncmp(weekdays[i], word, wl) == 0)
                found = i;
        if (found < 0)
            return -1;
        /* The next such day: a week ahead if it is today. */
        ahead = (found - tz_weekday(c) + 7) % 7;
        tz_add_days(c, ahead ? ahead : 7);
    }
    p = skip_space(p + wl);
    c->hour = c->minute = c->second = 0;
    if (*p && isdigit((unsigned char)*p)) {
        if (parse_clock(&p, c) < 0)
            return -1;
        w->has_time = 1;
    }
    *pp = p;
    return 0;
}

/* A zone name closing the text, "Europe/Paris" or "[Europe/Paris]".
 * Returns 0, -1 with 'err' for an unknown zone, or -2 when malformed. */
static int read_zone(const char *p, struct when *w, struct err *err)
{
    char name[64];
    size_t n;

    if (*p == '[')
        p++;
    n = strcspn(p, " ]");
    if (n >= sizeof(name))
        return -2;
    memcpy(name, p, n);
    name[n] = '\0';
    if (p[n] == ']')
        n++;
    if (*skip_space(p + n))
        return -2;
    if (tz_check(name, err) < 0)
        return -1;
    snprintf(w->zone, sizeof(w->zone), "%s", name);
    w->zone_given = 1;
    return 0;
}

int when_parse(const char *text, utc_t now, const char *zone, int flags,
               struct when *out, struct err *err)
{
    struct when w;
    struct civil c, today;
    const char *p;
    int offset = 0, has_offset = 0, rc;

    memset(&w, 0, sizeof(w));
    if (util_empty(text))
        return err_set(err, ERR_INPUT, "no date given");
    if (tz_from_utc(zone, now, &today, NULL, err) < 0)
        return -1;
    snprintf(w.zone, sizeof(w.zone), "%s", zone);
    p = skip_space(text);
    memset(&c, 0, sizeof(c));
    today.second = 0;
    if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
        isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
        p[4] == '-')
        rc = read_iso(&p, &c, &w);
    else
        rc = read_relative(&p, now, &today, &c, &w);
    if (rc < 0)
        return bad(err, text);
    if (rc == 1) {
        *out = w;
        return 0;
    }
    if (w.has_time && *p && *p != ' ') {
        if (parse_offset(&p, &offset) < 0)
            return bad(err, text);
        has_offset = 1;
    }
    p = skip_space(p);
    if (*p) {
        if (has_offset)
            return bad(err, text);
        rc = read_zone(p, &w, err);
        if (rc == -2)
            return bad(err, text);
        if (rc < 0)
            return -1;
    }
    if ((flags & WHEN_NEED_TIME) && !w.has_time)
        return err_set(err, ERR_INPUT,
                       "'%s' has no time of day (add one, "
                       "such as '10:00')",
                       text);
    if (c.year < 1900 || c.year > 9999)
        /* a real date, only outside what tiara reads */
        return err_set(err, ERR_INPUT,
                       "the year %04d is out of range (1900 to 9999)", c.year);
    if (!tz_civil_valid(&c))
        return err_set(err, ERR_INPUT,
                       "%04d-%02d-%02d %02d:%02d does not exist", c.year,
                       c.month, c.day, c.hour, c.minute);
    if (has_offset) {
        w.t = tz_epoch_from_civil(&c) - offset;
    } else if (tz_to_utc(w.zone, &c, TZ_STRICT, &w.t, err) < 0) {
        return -1;
    }
    /* An offset may put the instant in another year in the zone it is
     * shown in; that year too must be one tiara reads back. */
    if (tz_from_utc(w.zone, w.t, &c, NULL, err) < 0)
        return -1;
    if (c.year < 1900 || c.year > 9999)
        return err_set(err, ERR_INPUT,
                       "'%s' is in the year %04d in %s, out of range "
                       "(1900 to 9999)",
                       text, c.year, w.zone);
    *out = w;
    return 0;
}

utc_t when_day_end(const struct when *w)
{
    struct civil c;
    utc_t next;

    if (tz_from_utc(w->zone, w->t, &c, NULL, NULL) < 0)
        return w->t + 86400;
    tz_add_days(&c, 1);
    c.hour = c.minute = c.second = 0;
    if (tz_to_utc(w->zone, &c, TZ_RFC5545, &next, NULL) < 0)
        return w->t + 86400;
    return next;
}
