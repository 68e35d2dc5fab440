/* SPDX-License-Identifier: MIT */
/* ics_zone.c - times and zones as other programs write them: TZIDs to
 * IANA names, local times to UTC (import and busy time share them) */
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

utc_t ics_time_to_utc(struct icaltimetype tt, const char *tzid)
{
    struct civil c = {tt.year, tt.month, tt.day, tt.hour, tt.minute, tt.second};
    utc_t t;

    if (tt.is_date)
        c.hour = c.minute = c.second = 0;
    if (icaltime_is_utc(tt) || util_empty(tzid) ||
        tz_to_utc(tzid, &c, TZ_RFC5545, &t, NULL) < 0)
        return tz_epoch_from_civil(&c); /* floating or UTC: read as UTC */
    return t;
}

/* ICU's Windows zone table (CLDR windowsZones.xml): "W. Europe Standard
 * Time" is Europe/Berlin; "Eastern" as older Outlook wrote it is tried
 * as "Eastern Standard Time". */
static const char *windows_zone(const char *tzid, char *out, size_t n)
{
    static const char *const tails[] = {"", " Standard Time"};
    UChar win[96], id[64];
    char name[96];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(tails); i++) {
        UErrorCode status = U_ZERO_ERROR;
        int32_t len;

        if ((size_t)snprintf(name, sizeof(name), "%s%s", tzid, tails[i]) >=
                sizeof(name) ||
            strspn(name,
                   " .()+-:,'abcdefghijklmnopqrstuvwxyz"
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(name))
            return NULL; /* u_charsToUChars takes invariant ASCII only */
        u_charsToUChars(name, win, (int32_t)strlen(name) + 1);
        len = ucal_getTimeZoneIDForWindowsID(win, -1, "001", id, ARRAY_SIZE(id),
                                             &status);
        if (U_FAILURE(status) || len <= 0 || (size_t)len >= n ||
            len >= (int32_t)ARRAY_SIZE(id))
            continue;
        u_UCharsToChars(id, out, len);
        out[len] = '\0';
        if (tz_check(out, NULL) == 0)
            return out;
    }
    return NULL;
}

/* Does 'zone' name a city that 'text' names too ("(UTC+01:00) Brussels,
 * Copenhagen, Madrid, Paris" names Europe/Brussels)? */
static int names_city(const char *text, const char *zone)
{
    const char *city = strrchr(zone, '/');
    char words[64];
    size_t i;

    if (!city || strlen(city + 1) < 4 ||
        (size_t)snprintf(words, sizeof(words), "%s", city + 1) >= sizeof(words))
        return 0;
    for (i = 0; words[i]; i++)
        if (words[i] == '_')
            words[i] = ' ';
    return util_contains_ci(text, words);
}

/* Do 'a' and the IANA zone 'b' show the same clock through 2025-2028?
 * Sampled twice a month: every rule change falls between two samples. */
static int same_rules(icaltimezone *a, icaltimezone *b)
{
    int y, m, d;

    for (y = 2025; y <= 2028; y++)
        for (m = 1; m <= 12; m++)
            for (d = 1; d <= 15; d += 14) {
                struct icaltimetype t = icaltime_null_time();
                int da, db;

                t.year = y;
                t.month = m;
                t.day = d;
                t.hour = 12;
                da = icaltimezone_get_utc_offset(a, &t, NULL);
                db = icaltimezone_get_utc_offset(b, &t, NULL);
                if (da != db)
                    return 0;
            }
    return 1;
}

/* A zone the file names its own way and defines ("(UTC+01:00) Brussels,
 * ...", a Windows name ICU does not list): the IANA zone with the same
 * rules, one whose city the name gives first; without a definition, a
 * city in the name alone. NULL when none fits. */
static const char *matching_zone(icalcomponent *cal, const char *tzid,
                                 char *out, size_t n)
{
    icalarray *all = icaltimezone_get_builtin_timezones();
    icaltimezone *mine = icalcomponent_get_timezone(cal, tzid);
    char cand[64];
    int found = 0;
    size_t i;

    for (i = 0; all && i < all->num_elements; i++) {
        icaltimezone *z = icalarray_element_at(all, i);
        const char *loc;

        /* the rules first: loading a zone's data replaces its location */
        if (mine && !same_rules(mine, z))
            continue;
        loc = icaltimezone_get_location(z);
        if (!loc)
            continue;
        snprintf(cand, sizeof(cand), "%s", loc);
        if ((!mine && !names_city(tzid, cand)) || tz_check(cand, NULL) < 0)
            continue;
        if (names_city(tzid, cand)) {
            snprintf(out, n, "%s", cand);
            return out;
        }
        if (!found) {
            snprintf(out, n, "%s", cand);
            found = 1;
        }
    }
    return found ? out : NULL;
}

/* An IANA name for a TZID as clients write them: "Europe/Paris",
 * "/freeassociation.sourceforge.net/Europe/Paris",
 * "/citadel.org/20190914_1/Europe/Paris", via X-LIC-LOCATION, a Windows
 * name, or the IANA zone matching the file's own VTIMEZONE. */
const char *ics_iana_zone(icalcomponent *cal, const char *tzid, char *out,
                          size_t n)
{
    const char *p;
    icalcomponent *vtz;
    icalcompiter it;

    if (util_empty(tzid))
        return NULL;
    for (p = tzid; p; p = strchr(p + 1, '/')) {
        const char *cand = *p == '/' ? p + 1 : p;

        if (*cand && tz_check(cand, NULL) == 0) {
            snprintf(out, n, "%s", cand);
            return out;
        }
    }
    /* An external iterator: the importer is walking cal's own. */
    for (it = icalcomponent_begin_component(cal, ICAL_VTIMEZONE_COMPONENT);
         (vtz = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
        icalproperty *id =
            icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
        const char *loc = ics_x_get(vtz, "X-LIC-LOCATION");

        if (id && strcmp(icalproperty_get_tzid(id), tzid) == 0 && loc &&
            tz_check(loc, NULL) == 0) {
            snprintf(out, n, "%s", loc);
            return out;
        }
    }
    if (windows_zone(tzid, out, n))
        return out;
    return matching_zone(cal, tzid, out, n);
}
