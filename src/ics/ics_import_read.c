/* SPDX-License-Identifier: MIT */
/* ics_import_read.c - what every importer of a component reads the same
 * way: times and lengths, people, the order of iTIP messages, the notes */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

void ics_note(struct ics_import *im, enum ics_note_kind kind, const char *fmt,
              ...)
{
    char why[400], line[600];
    va_list ap;

    im->notes++;
    if (kind == ICS_NOTE_SKIPPED)
        im->rep->skipped++;
    if (!im->opt->note)
        return;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    snprintf(line, sizeof(line), "%s: %s", im->label, why);
    im->opt->note(im->opt->note_ctx, kind, line);
}

/* libical's complaint about property 'name' of 'c', in words: it drops
 * a value it cannot read and leaves an X-LIC-ERROR in its place. */
static const char *lic_error(icalcomponent *c, const char *name, char *out,
                             size_t n)
{
    icalproperty *p;
    char what[32], value[64];

    for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        const char *e = icalproperty_get_xlicerror(p);
        const char *in = e ? strstr(e, " property.") : NULL;
        size_t nl = strlen(name);

        if (!in || (size_t)(in - e) < nl || strncmp(in - nl, name, nl) != 0)
            continue;
        /* "Can't parse as DATE-TIME value in DTSTART property. Removing
         * entire property: 2026X" */
        if (sscanf(e, "Can't parse as %31s value in", what) == 1) {
            const char *v = strstr(in, ": ");

            snprintf(value, sizeof(value), "%s", v ? v + 2 : "");
            util_text_clean(value, 40);
            snprintf(out, n, "%s '%s' is not a %s", name, value, what);
        } else {
            snprintf(out, n, "%s: %s", name, e);
        }
        return out;
    }
    return NULL;
}

int ics_read_time(struct ics_import *im, icalcomponent *cal, icalproperty *p,
                  utc_t *out, char *zone, size_t zn, const char **zone_out)
{
    struct icaltimetype tt;
    icalparameter *tzp;
    const char *tzid = NULL, *iana = NULL;

    *zone_out = NULL;
    tt = icalvalue_get_datetime(icalproperty_get_value(p));
    if (icaltime_is_null_time(tt))
        return err_set(im->err, ERR_PARSE, "%s has no date",
                       icalproperty_get_property_name(p));
    tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    if (tzp)
        tzid = icalparameter_get_tzid(tzp);
    if (tzid)
        iana = ics_iana_zone(cal, tzid, zone, zn);
    if (iana) {
        *out = ics_time_to_utc(tt, iana);
        *zone_out = iana;
        return 0;
    }
    if (tzid) {
        /* A zone only the file defines, and no IANA zone matches it. */
        icaltimezone *z = icalcomponent_get_timezone(cal, tzid);
        char name[64];

        if (!z) {
            snprintf(name, sizeof(name), "%s", tzid);
            util_text_clean(name, 48);
            return err_set(im->err, ERR_PARSE,
                           "the zone '%s' is neither an IANA or Windows zone "
                           "nor defined in the file (no VTIMEZONE)",
                           name);
        }
        *out = icaltime_as_timet_with_zone(tt, z);
        return 0;
    }
    if (icaltime_is_utc(tt) || tt.is_date) {
        *out = ics_time_to_utc(tt, NULL);
        return 0;
    }
    /* RFC 5545 3.3.5: a floating time is the reader's wall clock */
    *out = ics_time_to_utc(tt, im->floating_zone);
    *zone_out = im->floating_zone;
    return 0;
}

int ics_read_minutes(struct ics_import *im, icalcomponent *cal,
                     icalcomponent *ev, utc_t start, long *minutes)
{
    icalproperty *p;
    char zbuf[64], why[160];
    const char *ez;
    utc_t end;

    if (lic_error(ev, "DTEND", why, sizeof(why)) ||
        lic_error(ev, "DURATION", why, sizeof(why)))
        return err_set(im->err, ERR_PARSE, "%s", why);
    p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
    if (p) {
        if (ics_read_time(im, cal, p, &end, zbuf, sizeof(zbuf), &ez) < 0)
            return -1;
        *minutes = (long)((end - start) / 60);
    } else if ((p = icalcomponent_get_first_property(ev,
                                                     ICAL_DURATION_PROPERTY))) {
        *minutes = icaldurationtype_as_int(icalproperty_get_duration(p)) / 60;
    } else {
        *minutes = im->opt->default_minutes > 0 ? im->opt->default_minutes
                                                : MODEL_MIN_MINUTES;
    }
    return 0;
}

int ics_read_start(struct ics_import *im, icalcomponent *cal, icalcomponent *c,
                   icalproperty_kind kind, utc_t *out, char *zone, size_t zn,
                   const char **zone_out)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);
    const char *name = kind == ICAL_DUE_PROPERTY ? "DUE" : "DTSTART";
    char why[160];

    if (lic_error(c, name, why, sizeof(why)))
        return err_set(im->err, ERR_PARSE, "%s", why);
    if (!p)
        return err_set(im->err, ERR_PARSE, "has no %s", name);
    return ics_read_time(im, cal, p, out, zone, zn, zone_out);
}

const char *ics_mailto(const char *cal_address)
{
    if (cal_address && strncasecmp(cal_address, "mailto:", 7) == 0)
        return cal_address + 7;
    return cal_address;
}

int ics_is_me(const struct ics_import *im, const char *addr)
{
    return !util_empty(im->opt->me) &&
           util_streq_ci(ics_mailto(addr), im->opt->me);
}

icalproperty *ics_other_person(struct ics_import *im, icalcomponent *ev)
{
    icalproperty *p;

    p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
    if (p && !util_empty(ics_mailto(icalproperty_get_organizer(p))) &&
        !ics_is_me(im, icalproperty_get_organizer(p)))
        return p;
    for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
        const char *a = icalproperty_get_attendee(p);

        if (!util_empty(ics_mailto(a)) && !ics_is_me(im, a))
            return p;
    }
    return NULL;
}

utc_t ics_prop_instant(struct ics_import *im, icalcomponent *cal,
                       icalcomponent *c, icalproperty_kind kind)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);
    char zbuf[64];
    const char *zone;
    utc_t t;
    struct err quiet, *saved = im->err;

    if (!p)
        return 0;
    im->err = &quiet;
    if (ics_read_time(im, cal, p, &t, zbuf, sizeof(zbuf), &zone) < 0)
        t = 0;
    im->err = saved;
    return t;
}

void ics_itip_order(icalcomponent *ev, int *seq, utc_t *stamp)
{
    icalproperty *p =
        icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
    struct icaltimetype tt;

    *seq = p ? icalproperty_get_sequence(p) : 0;
    *stamp = 0;
    p = icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY);
    if (p) {
        tt = icalproperty_get_dtstamp(p);
        if (!icaltime_is_null_time(tt))
            *stamp = ics_time_to_utc(tt, NULL);
    }
}

int ics_itip_stale(struct ics_import *im, icalcomponent *ev,
                   const struct store_itip *kept)
{
    int seq;
    utc_t stamp;

    ics_itip_order(ev, &seq, &stamp);
    /* RFC 5546 2.1.5: SEQUENCE first, then DTSTAMP */
    if (seq > kept->seq ||
        (seq == kept->seq && (!stamp || !kept->stamp || stamp >= kept->stamp)))
        return 0;
    if (seq < kept->seq)
        ics_note(im, ICS_NOTE_SKIPPED,
                 "older than the version kept (SEQUENCE %d, kept %d): it "
                 "changes nothing",
                 seq, kept->seq);
    else
        ics_note(im, ICS_NOTE_SKIPPED,
                 "older than the version kept (same SEQUENCE %d, earlier "
                 "DTSTAMP): it changes nothing",
                 seq);
    return 1;
}

int ics_itip_remember(struct ics_import *im, icalcomponent *ev, const char *uid,
                      struct store_itip *kept)
{
    int seq;
    utc_t stamp;

    ics_itip_order(ev, &seq, &stamp);
    if (seq > kept->seq)
        kept->proposed_start = kept->proposed_minutes = 0;
    kept->seq = seq;
    kept->stamp = stamp;
    return store_itip_set(im->st, uid, kept, im->err);
}
