/* SPDX-License-Identifier: MIT */
/* tz.c - civil time arithmetic and zone conversion, libical reading the
 * zone files' VTIMEZONEs */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tz.h"
#include "tzif.h"
#include "util.h"

/* A zone as tz.c uses it: its offsets as a table read from the zone
 * file once (tzif.c), each conversion a binary search. libical reads
 * the VTIMEZONE tz_vtimezone writes only for the abbreviations, and only
 * when one is asked for. */
#define FULL_FROM -2208988800 /* 1900-01-01T00:00:00Z, tz_civil_valid's */
#define NAMES_YEAR 2000

struct zone {
    char name[64];
    int is_utc;
    struct tz_table table;
    icaltimezone *names; /* NULL until tz_abbrev needs it */
    /* tz_abbrev's answer for standard [0] and daylight [1] time, worked
     * out once; "" means the numeric offset */
    int abbrev_known;
    char abbrev[2][16];
};

/* 'zone' from 'year' on, owned by the caller; NULL when unknown. */
static icaltimezone *zone_from_file(const char *zone, int year)
{
    char *text = tz_vtimezone(zone, year, NULL);
    icalcomponent *vtz = text ? icalparser_parse_string(text) : NULL;
    icaltimezone *z = vtz ? icaltimezone_new() : NULL;

    free(text);
    if (!z || !icaltimezone_set_component(z, vtz)) {
        if (z)
            icaltimezone_free(z, 1);
        if (vtz)
            icalcomponent_free(vtz);
        return NULL;
    }
    return z;
}

static void zone_release(struct zone *z)
{
    if (!z->is_utc)
        tz_table_release(&z->table);
    z->table = (struct tz_table){0};
    if (z->names)
        icaltimezone_free(z->names, 1);
    z->names = NULL;
    z->is_utc = 0;
    z->abbrev_known = 0;
}

static int zone_load(struct zone *slot, const char *zone)
{
    slot->names = NULL;
    slot->abbrev_known = 0;
    if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0) {
        static struct tz_mark utc = {FULL_FROM, 0, 0};

        slot->is_utc = 1;
        slot->table = (struct tz_table){&utc, 1, 0, 0};
        return 0;
    }
    slot->is_utc = 0;
    return tz_table_load(zone, FULL_FROM, &slot->table, NULL);
}

/* Reading a zone file costs more than a conversion; the agenda converts
 * tens of thousands of times, so remember the zones for the life of the
 * process. */
static struct zone *zone_lookup(const char *zone)
{
    static struct zone cache[64];
    static size_t used;
    static struct zone scratch; /* when the cache is full or a name long */
    struct zone *slot;
    size_t i;

    static size_t last; /* runs of conversions in one zone are common */

    if (util_empty(zone))
        return NULL;
    if (last < used && strcmp(cache[last].name, zone) == 0)
        return &cache[last];
    for (i = 0; i < used; i++)
        if (strcmp(cache[i].name, zone) == 0)
            return &cache[last = i];
    if (used < sizeof(cache) / sizeof(cache[0]) &&
        strlen(zone) < sizeof(cache[0].name)) {
        slot = &cache[used];
        if (zone_load(slot, zone) < 0)
            return NULL;
        snprintf(slot->name, sizeof(slot->name), "%s", zone);
        used++;
        return slot;
    }
    if (scratch.table.n && strcmp(scratch.name, zone) == 0)
        return &scratch;
    zone_release(&scratch);
    if (zone_load(&scratch, zone) < 0)
        return NULL;
    snprintf(scratch.name, sizeof(scratch.name), "%s", zone);
    return &scratch;
}

int tz_check(const char *zone, struct err *err)
{
    if (!zone_lookup(zone))
        return err_set(err, ERR_INPUT,
                       "unknown time zone '%s' (use a name such as "
                       "Europe/Paris or America/New_York)",
                       zone ? zone : "");
    return 0;
}

static const char *zone_from_link(void)
{
    static char name[128];
    char target[256];
    ssize_t n = readlink("/etc/localtime", target, sizeof(target) - 1);
    const char *p;

    if (n <= 0)
        return NULL;
    target[n] = '\0';
    p = strstr(target, "zoneinfo/");
    if (!p)
        return NULL;
    snprintf(name, sizeof(name), "%s", p + strlen("zoneinfo/"));
    return name;
}

/* TZ as glibc reads it: ":Europe/Paris", or a path into zoneinfo. */
static const char *tz_env_name(const char *tz)
{
    const char *z;

    if (!tz)
        return NULL;
    if (*tz == ':')
        tz++;
    if (*tz == '/' && (z = strstr(tz, "zoneinfo/")))
        return z + strlen("zoneinfo/");
    return tz;
}

const char *tz_user_zone(void)
{
    static const char *cached;
    const char *candidates[3];
    const char *tz = getenv("TZ");

    if (cached)
        return cached;
    candidates[0] = getenv("TIARA_TZ");
    candidates[1] = tz_env_name(tz);
    candidates[2] = zone_from_link();
    for (size_t i = 0; i < 3; i++) {
        if (zone_lookup(candidates[i])) {
            cached = candidates[i];
            return cached;
        }
    }
    cached = "UTC";
    return cached;
}

int tz_user_zone_check(char *warning, size_t n, struct err *err)
{
    const char *mine = getenv("TIARA_TZ"), *tz = getenv("TZ");

    warning[0] = '\0';
    if (mine && *mine && !zone_lookup(mine))
        return err_set(err, ERR_INPUT,
                       "TIARA_TZ='%s' is not a time zone (an IANA name such "
                       "as Europe/Paris)",
                       mine);
    if ((!mine || !*mine) && tz && *tz) {
        const char *name = tz_env_name(tz);

        if (!zone_lookup(name) && strcmp(name, "/etc/localtime") != 0)
            snprintf(warning, n,
                     "TZ='%s' is not an IANA time zone: using %s (set "
                     "TIARA_TZ to choose)",
                     tz, tz_user_zone());
    }
    return 0;
}

/* Offset (seconds east) in force at UTC instant 't'. */
static int offset_at(struct zone *zone, utc_t t, int *is_dst)
{
    return tz_table_offset(&zone->table, t, is_dst);
}

int tz_from_utc(const char *zone, utc_t t, struct civil *out, int *offset,
                struct err *err)
{
    struct zone *z = zone_lookup(zone);
    int off;

    if (!z)
        return tz_check(zone, err);
    off = offset_at(z, t, NULL);
    tz_civil_from_epoch(t + off, out);
    if (offset)
        *offset = off;
    return 0;
}

int tz_to_utc(const char *zone, const struct civil *c, enum tz_mode mode,
              utc_t *out, struct err *err)
{
    struct zone *z = zone_lookup(zone);
    utc_t local, cand[2];
    int off_before, off_after, n = 0;

    if (!z)
        return tz_check(zone, err);
    if (!tz_civil_valid(c))
        return err_set(err, ERR_INPUT,
                       "%04d-%02d-%02d %02d:%02d is not a real date and time",
                       c->year, c->month, c->day, c->hour, c->minute);
    local = tz_epoch_from_civil(c);
    /* Offsets a day either side cover every real transition; each gives
     * a candidate instant that must map back to the same wall time. */
    off_before = offset_at(z, local - 86400, NULL);
    off_after = offset_at(z, local + 86400, NULL);
    int offs[2] = {off_before, off_after};
    for (int i = 0; i < 2; i++) {
        utc_t u = local - offs[i];

        if (offset_at(z, u, NULL) == offs[i] && (n == 0 || cand[0] != u))
            cand[n++] = u;
    }
    if (n == 0) {
        /* Also try the offset right at the instant, for zones whose
         * offset changed more than once within the two days. */
        int off = offset_at(z, local - off_before, NULL);

        if (offset_at(z, local - off, NULL) == off) {
            *out = local - off;
            return 0;
        }
        if (mode == TZ_STRICT)
            return err_set(err, ERR_INPUT,
                           "%04d-%02d-%02d %02d:%02d does not exist in %s "
                           "(the clocks skip it for daylight saving)",
                           c->year, c->month, c->day, c->hour, c->minute, zone);
        /* RFC 5545 3.3.5: use the offset from before the gap. */
        *out = local - off_before;
        return 0;
    }
    if (n == 2 && mode == TZ_STRICT) {
        /* the clocks go back: which of the two is meant? */
        utc_t first = cand[0] < cand[1] ? cand[0] : cand[1];
        utc_t second = cand[0] < cand[1] ? cand[1] : cand[0];
        long o1 = (long)(local - first) / 60, o2 = (long)(local - second) / 60;

        return err_set(err, ERR_INPUT,
                       "%04d-%02d-%02d %02d:%02d happens twice in %s (the "
                       "clocks go back): give its offset, %04d-%02d-%02dT"
                       "%02d:%02d%+03ld:%02ld for the first or %+03ld:%02ld "
                       "for the second",
                       c->year, c->month, c->day, c->hour, c->minute, zone,
                       c->year, c->month, c->day, c->hour, c->minute, o1 / 60,
                       labs(o1 % 60), o2 / 60, labs(o2 % 60));
    }
    /* RFC 5545 3.3.5: a repeated local time means the first one. */
    *out = n == 2 && cand[1] < cand[0] ? cand[1] : cand[0];
    return 0;
}

int tz_ambiguous(const char *zone, utc_t t)
{
    struct zone *z = zone_lookup(zone);
    int now, before;

    if (!z)
        return 0;
    /* Only just after the clocks went back (a higher offset a day ago)
     * can 't' be a wall time's second occurrence: it is when the same
     * wall time, at the earlier offset, was already passed. */
    now = offset_at(z, t, NULL);
    before = offset_at(z, t - 86400, NULL);
    return before > now && offset_at(z, t - (before - now), NULL) == before;
}

/* The letters of a zone's standard and daylight names from its
 * VTIMEZONE ("CET/CEST"), or "" where it has none ("+1030/+11"). */
static void abbrev_learn(struct zone *z)
{
    const char *names, *slash;

    z->abbrev[0][0] = z->abbrev[1][0] = '\0';
    z->abbrev_known = 1;
    if (!z->names)
        z->names = zone_from_file(z->name, NAMES_YEAR);
    names = z->names ? icaltimezone_get_tznames(z->names) : NULL;
    if (!names || names[0] == '+' || names[0] == '-')
        return;
    slash = strchr(names, '/');
    if (!slash) {
        snprintf(z->abbrev[0], sizeof(z->abbrev[0]), "%s", names);
        snprintf(z->abbrev[1], sizeof(z->abbrev[1]), "%s", names);
    } else {
        snprintf(z->abbrev[0], sizeof(z->abbrev[0]), "%.*s",
                 (int)(slash - names), names);
        snprintf(z->abbrev[1], sizeof(z->abbrev[1]), "%s", slash + 1);
    }
    for (int i = 0; i < 2; i++)
        if (z->abbrev[i][0] == '+' || z->abbrev[i][0] == '-')
            z->abbrev[i][0] = '\0';
}

/* 'v' as 'width' digits, zero-padded, at 'p' (0 <= v < 10^width). */
static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + width;
}

/* 's' at 'p', for a caller that sized its buffer for it. */
static char *put_str(char *p, const char *s)
{
    size_t len = strlen(s);

    memcpy(p, s, len);
    return p + len;
}

/* Copy 'len' bytes of 'src' and a NUL to out[n], cut to fit. */
static void put_out(char *out, size_t n, const char *src, size_t len)
{
    if (n == 0)
        return;
    if (len >= n)
        len = n - 1;
    memcpy(out, src, len);
    out[len] = '\0';
}

void tz_abbrev(const char *zone, utc_t t, char *out, size_t n)
{
    struct zone *z = zone_lookup(zone);
    int dst = 0, off;
    char num[8], *p = num;

    if (!z) {
        put_out(out, n, "?", 1);
        return;
    }
    if (z->is_utc) {
        put_out(out, n, "UTC", 3);
        return;
    }
    off = offset_at(z, t, &dst);
    if (!z->abbrev_known)
        abbrev_learn(z);
    if (z->abbrev[dst != 0][0]) {
        put_out(out, n, z->abbrev[dst != 0], strlen(z->abbrev[dst != 0]));
        return;
    }
    /* Zones without letters ("+1030/+11"): show the numeric offset. */
    *p++ = off < 0 ? '-' : '+';
    off = abs(off);
    if (off / 3600 > 99) { /* not a real zone: let printf say it */
        snprintf(out, n, "%c%02d%02d", num[0], off / 3600, off / 60 % 60);
        return;
    }
    p = put_digits(p, off / 3600, 2);
    p = put_digits(p, off / 60 % 60, 2);
    put_out(out, n, num, (size_t)(p - num));
}

/* The agenda formats tens of thousands of times: by hand, not printf,
 * for the years 0-9999 that civil times hold. */
static int civil_plain(const struct civil *c)
{
    return c->year >= 0 && c->year <= 9999;
}

void tz_format_time(const char *zone, utc_t t, char *out, size_t n)
{
    struct civil c;

    char text[16], *p = text;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    if (!civil_plain(&c)) {
        snprintf(out, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
                 c.hour, c.minute);
        return;
    }
    p = put_digits(p, c.year, 4);
    *p++ = '-';
    p = put_digits(p, c.month, 2);
    *p++ = '-';
    p = put_digits(p, c.day, 2);
    *p++ = ' ';
    p = put_digits(p, c.hour, 2);
    *p++ = ':';
    p = put_digits(p, c.minute, 2);
    put_out(out, n, text, (size_t)(p - text));
}

static const char *const weekday_names[] = {"Sun", "Mon", "Tue", "Wed",
                                            "Thu", "Fri", "Sat"};

void tz_format_day(const char *zone, utc_t t, char *out, size_t n)
{
    struct civil c;

    char text[16], *p = text;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    if (!civil_plain(&c)) {
        snprintf(out, n, "%s %04d-%02d-%02d", weekday_names[tz_weekday(&c)],
                 c.year, c.month, c.day);
        return;
    }
    memcpy(p, weekday_names[tz_weekday(&c)], 3);
    p += 3;
    *p++ = ' ';
    p = put_digits(p, c.year, 4);
    *p++ = '-';
    p = put_digits(p, c.month, 2);
    *p++ = '-';
    p = put_digits(p, c.day, 2);
    put_out(out, n, text, (size_t)(p - text));
}

void tz_format_clock(const char *zone, utc_t t, int with_abbrev, char *out,
                     size_t n)
{
    struct civil c;
    char text[24], *p = text;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    p = put_digits(p, c.hour, 2);
    *p++ = ':';
    p = put_digits(p, c.minute, 2);
    if (with_abbrev) {
        *p++ = ' ';
        tz_abbrev(zone, t, p, 16);
        p += strlen(p);
    }
    put_out(out, n, text, (size_t)(p - text));
}

int tz_zones_differ(const char *a, const char *b, utc_t t)
{
    int oa, ob;
    struct civil c;

    if (util_empty(a) || util_empty(b) || strcmp(a, b) == 0)
        return 0;
    if (tz_from_utc(a, t, &c, &oa, NULL) < 0 ||
        tz_from_utc(b, t, &c, &ob, NULL) < 0)
        return 0;
    return oa != ob;
}

void tz_format_dual(const char *zone, const char *host_zone, utc_t t, char *out,
                    size_t n)
{
    /* each clock is at most 21 bytes, so the whole fits in 64 */
    char mine[24], theirs[24], text[64], *p;
    struct civil a, b;
    int other_day;

    if (!tz_zones_differ(zone, host_zone, t)) {
        tz_format_clock(zone, t, 0, out, n);
        return;
    }
    tz_format_clock(zone, t, 1, mine, sizeof(mine));
    tz_format_clock(host_zone, t, 1, theirs, sizeof(theirs));
    /* the clocks alone would hide that it is another day there */
    other_day = !tz_from_utc(zone, t, &a, NULL, NULL) &&
                !tz_from_utc(host_zone, t, &b, NULL, NULL) &&
                (a.year != b.year || a.month != b.month || a.day != b.day);
    p = put_str(text, mine);
    if (other_day)
        p = put_str(put_str(p, " "), weekday_names[tz_weekday(&a)]);
    p = put_str(put_str(p, " / "), theirs);
    if (other_day)
        p = put_str(put_str(p, " "), weekday_names[tz_weekday(&b)]);
    put_out(out, n, text, (size_t)(p - text));
}
