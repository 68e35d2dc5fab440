/* SPDX-License-Identifier: MIT */
/* tz.c - civil time arithmetic and zone conversion on libical's zone data */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tz.h"
#include "util.h"

/* A zone as tz.c uses it: libical's built-in zone, and a copy without the
 * observances that ended before TRIM_YEAR. libical expands every
 * observance from its start, a recurrence step at a time, the first time
 * a zone is used: most of an agenda's cost until trimmed. Times before
 * TRIM_YEAR (plus a day) still use the whole zone. */
#define TRIM_YEAR 2000
#define TRIM_FROM 946771200 /* 2000-01-02T00:00:00Z */

struct zone {
    char name[64];
    icaltimezone *full;
    icaltimezone *recent; /* NULL when trimming would leave nothing */
};

static int ended_before_trim(icalcomponent *obs)
{
    icalproperty *rp =
        icalcomponent_get_first_property(obs, ICAL_RRULE_PROPERTY);
    icalproperty *dp =
        icalcomponent_get_first_property(obs, ICAL_DTSTART_PROPERTY);
    struct icalrecurrencetype r;

    if (rp) {
        r = icalproperty_get_rrule(rp);
        return !icaltime_is_null_time(r.until) && r.until.year < TRIM_YEAR;
    }
    return dp && icalproperty_get_dtstart(dp).year < TRIM_YEAR;
}

/* The first transition kept carries, as TZOFFSETFROM, the offset in force
 * before it: dropping what ended earlier changes no later time. */
static icaltimezone *trimmed_copy(icaltimezone *full)
{
    icalcomponent *vtz, *obs, *drop[512];
    icaltimezone *z;
    size_t ndrop = 0, kept = 0;
    icalcompiter it;

    vtz = icalcomponent_new_clone(icaltimezone_get_component(full));
    if (!vtz)
        return NULL;
    for (it = icalcomponent_begin_component(vtz, ICAL_ANY_COMPONENT);
         (obs = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
        icalcomponent_kind k = icalcomponent_isa(obs);

        if (k != ICAL_XSTANDARD_COMPONENT && k != ICAL_XDAYLIGHT_COMPONENT)
            continue;
        if (ended_before_trim(obs) && ndrop < sizeof(drop) / sizeof(drop[0]))
            drop[ndrop++] = obs;
        else
            kept++;
    }
    if (kept == 0) {
        icalcomponent_free(vtz);
        return NULL;
    }
    for (size_t i = 0; i < ndrop; i++) {
        icalcomponent_remove_component(vtz, drop[i]);
        icalcomponent_free(drop[i]);
    }
    z = icaltimezone_new();
    if (!z || !icaltimezone_set_component(z, vtz)) {
        if (z)
            icaltimezone_free(z, 1);
        icalcomponent_free(vtz);
        return NULL;
    }
    return z;
}

/* libical finds a built-in zone by a linear strcmp over ~600 names; the
 * agenda converts tens of thousands of times, so remember the answers for
 * the life of the process (libical keeps its built-in zones as long). */
static struct zone *zone_lookup(const char *zone)
{
    static struct zone cache[16];
    static size_t used;
    static struct zone scratch; /* when the cache is full or a name long */
    icaltimezone *z;
    struct zone *slot;
    size_t i;

    if (util_empty(zone))
        return NULL;
    for (i = 0; i < used; i++)
        if (strcmp(cache[i].name, zone) == 0)
            return &cache[i];
    if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0)
        z = icaltimezone_get_utc_timezone();
    else
        z = icaltimezone_get_builtin_timezone(zone);
    if (!z)
        return NULL;
    if (used < sizeof(cache) / sizeof(cache[0]) &&
        strlen(zone) < sizeof(cache[0].name)) {
        slot = &cache[used++];
        snprintf(slot->name, sizeof(slot->name), "%s", zone);
        slot->full = z;
        slot->recent =
            z == icaltimezone_get_utc_timezone() ? NULL : trimmed_copy(z);
        return slot;
    }
    scratch.full = z;
    scratch.recent = NULL;
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

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tz_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

int tz_civil_valid(const struct civil *c)
{
    return c->year >= 1900 && c->year <= 9999 && c->month >= 1 &&
           c->month <= 12 && c->day >= 1 &&
           c->day <= tz_days_in_month(c->year, c->month) && c->hour >= 0 &&
           c->hour <= 23 && c->minute >= 0 && c->minute <= 59 &&
           c->second >= 0 && c->second <= 59;
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01. */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

utc_t tz_epoch_from_civil(const struct civil *c)
{
    return days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->minute * 60 + c->second;
}

void tz_civil_from_epoch(utc_t t, struct civil *out)
{
    int64_t days = t / 86400, rem = t % 86400;

    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(rem / 3600);
    out->minute = (int)(rem / 60 % 60);
    out->second = (int)(rem % 60);
}

int tz_weekday(const struct civil *c)
{
    int64_t d = days_from_civil(c->year, c->month, c->day);

    return (int)(((d % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

void tz_add_days(struct civil *c, int days)
{
    int64_t d = days_from_civil(c->year, c->month, c->day) + days;

    civil_from_days(d, &c->year, &c->month, &c->day);
}

void tz_add_months(struct civil *c, int months)
{
    int index = c->year * 12 + (c->month - 1) + months;
    int dim;

    c->year = index / 12;
    c->month = index % 12 + 1;
    dim = tz_days_in_month(c->year, c->month);
    if (c->day > dim)
        c->day = dim;
}

/* Offset (seconds east) in force at UTC instant 't'. */
static int offset_at(const struct zone *zone, utc_t t, int *is_dst)
{
    icaltimezone *z =
        zone->recent && t >= TRIM_FROM ? zone->recent : zone->full;
    struct icaltimetype tt = icaltime_null_time();
    struct civil c;
    int dst = 0, off;

    /* Built by hand: icaltime_from_timet_with_zone costs more than the
     * offset lookup itself. */
    tz_civil_from_epoch(t, &c);
    tt.year = c.year;
    tt.month = c.month;
    tt.day = c.day;
    tt.hour = c.hour;
    tt.minute = c.minute;
    tt.second = c.second;
    tt.zone = icaltimezone_get_utc_timezone();
    off = icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
    if (is_dst)
        *is_dst = dst;
    return off;
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

void tz_abbrev(const char *zone, utc_t t, char *out, size_t n)
{
    struct zone *z = zone_lookup(zone);
    const char *names, *slash;
    int dst = 0, off;

    if (!z) {
        snprintf(out, n, "?");
        return;
    }
    if (z->full == icaltimezone_get_utc_timezone()) {
        snprintf(out, n, "UTC");
        return;
    }
    off = offset_at(z, t, &dst);
    names = icaltimezone_get_tznames(z->full);
    if (names && (names[0] != '+' && names[0] != '-')) {
        slash = strchr(names, '/');
        if (!slash)
            snprintf(out, n, "%s", names);
        else if (dst)
            snprintf(out, n, "%s", slash + 1);
        else
            snprintf(out, n, "%.*s", (int)(slash - names), names);
        if (out[0] != '+' && out[0] != '-')
            return;
    }
    /* Zones without letters ("+1030/+11"): show the numeric offset. */
    snprintf(out, n, "%c%02d%02d", off < 0 ? '-' : '+', abs(off) / 3600,
             abs(off) / 60 % 60);
}

void tz_format_time(const char *zone, utc_t t, char *out, size_t n)
{
    struct civil c;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    snprintf(out, n, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
             c.minute);
}

static const char *const weekday_names[] = {"Sun", "Mon", "Tue", "Wed",
                                            "Thu", "Fri", "Sat"};

void tz_format_day(const char *zone, utc_t t, char *out, size_t n)
{
    struct civil c;

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    snprintf(out, n, "%s %04d-%02d-%02d", weekday_names[tz_weekday(&c)], c.year,
             c.month, c.day);
}

void tz_format_clock(const char *zone, utc_t t, int with_abbrev, char *out,
                     size_t n)
{
    struct civil c;
    char abbrev[16];

    if (tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        tz_civil_from_epoch(t, &c);
    if (!with_abbrev) {
        snprintf(out, n, "%02d:%02d", c.hour, c.minute);
        return;
    }
    tz_abbrev(zone, t, abbrev, sizeof(abbrev));
    snprintf(out, n, "%02d:%02d %s", c.hour, c.minute, abbrev);
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
    char mine[32], theirs[32];
    struct civil a, b;

    if (!tz_zones_differ(zone, host_zone, t)) {
        tz_format_clock(zone, t, 0, out, n);
        return;
    }
    tz_format_clock(zone, t, 1, mine, sizeof(mine));
    tz_format_clock(host_zone, t, 1, theirs, sizeof(theirs));
    if (!tz_from_utc(zone, t, &a, NULL, NULL) &&
        !tz_from_utc(host_zone, t, &b, NULL, NULL) &&
        (a.year != b.year || a.month != b.month || a.day != b.day)) {
        /* the clocks alone would hide that it is another day there */
        snprintf(out, n, "%s %s / %s %s", mine, weekday_names[tz_weekday(&a)],
                 theirs, weekday_names[tz_weekday(&b)]);
        return;
    }
    snprintf(out, n, "%s / %s", mine, theirs);
}
