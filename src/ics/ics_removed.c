/* SPDX-License-Identifier: MIT */
/* ics_removed.c - the cancelled entries of removed contacts: read from
 * what tiara wrote, when a contact goes and when its export comes back */
#include <stdlib.h>
#include <string.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

static const char *const suffixes[] = {
    [ICS_KIND_INTERVIEW] = "",
    [ICS_KIND_PREP] = ICS_PREP_SUFFIX,
    [ICS_KIND_THANKS] = ICS_THANKS_SUFFIX,
    [ICS_KIND_CHECKIN] = ICS_CHECKIN_SUFFIX,
    [ICS_KIND_LANDED] = "",
};

static utc_t utc_prop(icalcomponent *c, icalproperty_kind kind)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);

    return p ? ics_time_to_utc(
                   icalvalue_get_datetime(icalproperty_get_value(p)), NULL)
             : 0;
}

/* The UID the entry derives from: its interview's for the tasks, its
 * contact's for the check-ins. */
static int owner_of(const char *uid, enum ics_kind kind, char *owner, size_t n)
{
    size_t ul = strlen(uid), sl = strlen(suffixes[kind]);

    if (ul <= sl || ul - sl >= n || strcmp(uid + ul - sl, suffixes[kind]) != 0)
        return -1;
    memcpy(owner, uid, ul - sl);
    owner[ul - sl] = '\0';
    return 0;
}

int ics_removed_read(icalcomponent *c, struct store_removed *out, char *owner,
                     size_t n)
{
    struct store_removed r;
    enum ics_kind kind;
    const char *tzid = NULL, *x;
    icalproperty *p;
    icalparameter *tzp;
    struct icaltimetype tt;
    int deadline, todo = icalcomponent_isa(c) == ICAL_VTODO_COMPONENT;
    long secs = 15 * 60;

    memset(&r, 0, sizeof(r));
    r.uid = icalcomponent_get_uid(c);
    if (util_empty(r.uid) || ics_kind_parse(ics_x_get(c, X_KIND), &kind) < 0 ||
        owner_of(r.uid, kind, owner, n) < 0)
        return -1;
    deadline = kind != ICS_KIND_INTERVIEW && kind != ICS_KIND_CHECKIN;
    p = icalcomponent_get_first_property(c, todo ? ICAL_DUE_PROPERTY
                                                 : ICAL_DTSTART_PROPERTY);
    if (!p || (todo && !deadline))
        return -1;
    tt = icalvalue_get_datetime(icalproperty_get_value(p));
    if (icaltime_is_null_time(tt))
        return -1;
    if ((tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)))
        tzid = icalparameter_get_tzid(tzp);
    if (tzid && tz_check(tzid, NULL) < 0)
        tzid = NULL;
    r.start = ics_time_to_utc(tt, tzid);
    /* the zone it was booked in, even where a time was written in UTC */
    x = ics_x_get(c, X_BOOKED_TZ);
    r.tz = x && tz_check(x, NULL) == 0 ? x : tzid ? tzid : "UTC";
    if ((p = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)))
        secs = icaldurationtype_as_int(icalproperty_get_duration(p));
    if (!todo && deadline)
        r.start += secs; /* the event form ends at the due time */
    r.minutes = deadline ? 0 : (int)(secs / 60);
    r.owner_uid = owner;
    r.kind = ics_kind_name(kind);
    r.summary = icalcomponent_get_summary(c);
    if (!r.summary)
        r.summary = "";
    p = icalcomponent_get_first_property(c, ICAL_SEQUENCE_PROPERTY);
    r.seq = p ? icalproperty_get_sequence(p) : 0;
    r.created = utc_prop(c, ICAL_CREATED_PROPERTY);
    x = ics_x_get(c, X_REMOVED);
    r.removed = x ? strtoll(x, NULL, 10) : 0;
    if (!r.removed)
        r.removed = utc_prop(c, ICAL_LASTMODIFIED_PROPERTY);
    *out = r;
    return 0;
}
