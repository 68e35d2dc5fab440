/* SPDX-License-Identifier: MIT */
/* ics_zone.c - times and zones as other programs write them: TZIDs to
 * IANA names, local times to UTC (import and busy time share them) */
#include <string.h>

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

/* An IANA name for a TZID as clients write them: "Europe/Paris",
 * "/freeassociation.sourceforge.net/Europe/Paris",
 * "/citadel.org/20190914_1/Europe/Paris", or via X-LIC-LOCATION. */
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
    return NULL;
}
