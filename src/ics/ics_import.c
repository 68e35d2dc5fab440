/* SPDX-License-Identifier: MIT */
/* ics_import.c - turning iCalendar text into interviews, contacts, tasks */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

struct import {
    struct store *st;
    const char *source;
    utc_t now;
    struct ics_import_report *rep;
    struct err *err;
    int cancel_method; /* METHOD:CANCEL */
    int newer;         /* the text is newer than the store: LAST-MODIFIED,
                          which clients may leave alone, is not asked */
};

static int64_t x_int(icalcomponent *c, const char *name)
{
    const char *v = ics_x_get(c, name);
    char *end;
    long long n;

    if (!v)
        return 0;
    n = strtoll(v, &end, 10);
    return *end ? 0 : n;
}

/* DTSTART or DUE as a UTC instant, with the IANA zone it was written in
 * (NULL for UTC or floating). Unknown zones are resolved through the
 * file's own VTIMEZONE. */
static int read_time(icalcomponent *cal, icalproperty *p, utc_t *out,
                     char *zone, size_t zn, const char **zone_out)
{
    struct icaltimetype tt;
    icalparameter *tzp;
    const char *tzid = NULL, *iana = NULL;

    *zone_out = NULL;
    if (!p)
        return -1;
    tt = icalvalue_get_datetime(icalproperty_get_value(p));
    if (icaltime_is_null_time(tt))
        return -1;
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
        /* A zone only the file defines (a Windows name, say). */
        icaltimezone *z = icalcomponent_get_timezone(cal, tzid);

        if (!z)
            return -1;
        *out = icaltime_as_timet_with_zone(tt, z);
        return 0;
    }
    *out = ics_time_to_utc(tt, NULL);
    return 0;
}

static utc_t prop_utc(icalcomponent *c, icalproperty_kind kind)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);
    struct icaltimetype tt;

    if (!p)
        return 0;
    tt = icalvalue_get_datetime(icalproperty_get_value(p));
    if (icaltime_is_null_time(tt))
        return 0;
    return ics_time_to_utc(tt, NULL);
}

static const char *mailto(const char *cal_address)
{
    if (cal_address && strncasecmp(cal_address, "mailto:", 7) == 0)
        return cal_address + 7;
    return cal_address;
}

/* Restore or refresh a contact from tiara's X-TIARA-HOST-* properties. */
static int own_contact(struct import *im, icalcomponent *ev,
                       struct contact *out)
{
    const char *uid = ics_x_get(ev, X_HOST_UID);
    struct contact c, ref;
    int64_t modified = x_int(ev, X_HOST_MODIFIED);
    int exists;
    enum cadence cad = CADENCE_QUARTERLY;

    if (!uid || !ics_x_get(ev, X_HOST_NAME))
        return err_set(im->err, ERR_PARSE, "%s: event '%s' names no host",
                       im->source, icalcomponent_get_uid(ev));
    exists = store_contact_get_uid(im->st, uid, &c, NULL) == 0;
    if (exists && c.modified >= modified) {
        *out = c;
        return 0;
    }
    if (!exists)
        model_contact_init(&c);
    if ((!exists && util_set_str(&c.uid, uid) < 0) ||
        util_set_str(&c.name, ics_x_get(ev, X_HOST_NAME)) < 0 ||
        util_set_str(&c.email, ics_x_get(ev, X_HOST_EMAIL)) < 0 ||
        util_set_str(&c.company, ics_x_get(ev, X_HOST_COMPANY)) < 0 ||
        util_set_str(&c.role, ics_x_get(ev, X_HOST_ROLE)) < 0 ||
        util_set_str(&c.phone, ics_x_get(ev, X_HOST_PHONE)) < 0 ||
        util_set_str(&c.linkedin, ics_x_get(ev, X_HOST_LINKEDIN)) < 0 ||
        util_set_str(&c.tz, ics_x_get(ev, X_HOST_TZ)) < 0 ||
        (ics_x_get(ev, X_HOST_NOTES) &&
         util_set_str(&c.notes, ics_x_get(ev, X_HOST_NOTES)) < 0)) {
        err_set(im->err, ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (ics_x_get(ev, X_HOST_CADENCE))
        model_cadence_parse(ics_x_get(ev, X_HOST_CADENCE), &cad, NULL);
    c.cadence = cad;
    c.checkin_stopped = x_int(ev, X_HOST_STOPPED);
    c.seq = (int)x_int(ev, X_HOST_SEQ);
    c.created = x_int(ev, X_HOST_CREATED);
    c.modified = modified;
    if (c.tz && tz_check(c.tz, NULL) < 0)
        util_set_str(&c.tz, NULL);
    if (ics_x_get(ev, X_REFERRER_UID)) {
        const char *ruid = ics_x_get(ev, X_REFERRER_UID);

        if (store_contact_get_uid(im->st, ruid, &ref, NULL) < 0) {
            /* The referrer has no interview in this file: keep the link
             * with a contact of its own, to be filled in later. */
            const char *rname = ics_x_get(ev, X_REFERRER_NAME);

            model_contact_init(&ref);
            if (util_set_str(&ref.uid, ruid) < 0 ||
                util_set_str(&ref.name, rname ? rname : "(referrer)") < 0)
                err_set(im->err, ERR_NOMEM, "out of memory");
            if (!ref.name || store_contact_add(im->st, &ref, im->err) < 0) {
                model_contact_release(&ref);
                goto fail;
            }
            im->rep->contacts_added++;
        }
        c.referred_by = ref.id;
        model_contact_release(&ref);
    }
    if (model_contact_validate(&c, im->err) < 0)
        goto fail;
    if (exists ? store_contact_update(im->st, &c, im->err)
               : store_contact_add(im->st, &c, im->err))
        goto fail;
    if (!exists)
        im->rep->contacts_added++;
    *out = c;
    return 0;
fail:
    model_contact_release(&c);
    return -1;
}

/* The host of someone else's invitation: its organizer, else its first
 * attendee that is not the user; matched by email, else created. */
static int foreign_contact(struct import *im, icalcomponent *ev,
                           const char *zone, struct contact *out)
{
    const char *me = getenv("TIARA_EMAIL");
    const char *email = NULL, *name = NULL;
    icalproperty *p;
    icalparameter *cn;
    struct contact c;

    p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
    if (p && !util_streq_ci(mailto(icalproperty_get_organizer(p)), me)) {
        email = mailto(icalproperty_get_organizer(p));
    } else {
        for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
             p;
             p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
            email = mailto(icalproperty_get_attendee(p));
            if (!util_streq_ci(email, me))
                break;
        }
        if (!p)
            email = NULL;
    }
    if (p && (cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER)))
        name = icalparameter_get_cn(cn);
    if (email && !strchr(email, '@'))
        email = NULL;
    if (email && store_contact_by_email(im->st, email, out, NULL) == 0)
        return 0;
    if (!name && email)
        name = email;
    if (!name)
        name = icalcomponent_get_summary(ev);
    if (util_empty(name))
        return err_set(im->err, ERR_PARSE,
                       "%s: event '%s' has no organizer, attendee or summary "
                       "to name the host",
                       im->source, icalcomponent_get_uid(ev));
    if (!email && store_contact_find(im->st, name, out, NULL) == 0)
        return 0;
    model_contact_init(&c);
    /* The zone the host wrote the invitation in is a fair guess at
     * theirs: the agenda then shows both clocks. */
    if (util_set_str(&c.name, name) < 0 || util_set_str(&c.email, email) < 0 ||
        (zone && strcmp(zone, tz_user_zone()) != 0 &&
         util_set_str(&c.tz, zone) < 0)) {
        model_contact_release(&c);
        return err_set(im->err, ERR_NOMEM, "out of memory");
    }
    c.created = c.modified = im->now;
    /* Another program's text: made fit to keep (a name of 100 KB, or one
     * with escape codes, could not be edited or shown safely) */
    util_text_clean(c.name, 200);
    if (strspn(c.name, " ") == strlen(c.name) &&
        util_set_str(&c.name, util_empty(email) ? "(no name)" : email) < 0) {
        model_contact_release(&c);
        return err_set(im->err, ERR_NOMEM, "out of memory");
    }
    if (model_contact_validate(&c, NULL) < 0)
        util_set_str(&c.email, NULL);
    if (store_contact_add(im->st, &c, im->err) < 0) {
        model_contact_release(&c);
        return -1;
    }
    im->rep->contacts_added++;
    *out = c;
    return 0;
}

static int same_str(const char *a, const char *b)
{
    if (util_empty(a) || util_empty(b))
        return util_empty(a) == util_empty(b);
    return strcmp(a, b) == 0;
}

/* Fill 'iv' from a VEVENT: times, place and, for tiara's own, its state. */
static int read_event(struct import *im, icalcomponent *cal, icalcomponent *ev,
                      int own, struct interview *iv)
{
    char zbuf[64];
    const char *zone, *loc, *url;
    utc_t end;
    struct icaldurationtype dur;
    icalproperty *p;
    long minutes;

    if (read_time(cal,
                  icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY),
                  &iv->start, zbuf, sizeof(zbuf), &zone) < 0)
        return err_set(im->err, ERR_PARSE,
                       "%s: event '%s' has no usable DTSTART", im->source,
                       icalcomponent_get_uid(ev));
    if (own && ics_x_get(ev, X_BOOKED_TZ) &&
        tz_check(ics_x_get(ev, X_BOOKED_TZ), NULL) == 0)
        zone = ics_x_get(ev, X_BOOKED_TZ);
    util_set_str(&iv->tz, zone ? zone : tz_user_zone());
    p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
    if (p) {
        const char *ez;

        if (read_time(cal, p, &end, zbuf, sizeof(zbuf), &ez) < 0)
            return err_set(im->err, ERR_PARSE, "%s: event '%s' has a bad DTEND",
                           im->source, icalcomponent_get_uid(ev));
        minutes = (long)((end - iv->start) / 60);
    } else if ((p = icalcomponent_get_first_property(ev,
                                                     ICAL_DURATION_PROPERTY))) {
        dur = icalproperty_get_duration(p);
        minutes = icaldurationtype_as_int(dur) / 60;
    } else {
        minutes = MODEL_MIN_MINUTES;
    }
    /* An invitation is what was agreed: accept any plausible length. */
    if (model_check_minutes(minutes, 1, im->err) < 0) {
        err_prefix(im->err, "%s: event '%s'", im->source,
                   icalcomponent_get_uid(ev));
        if (im->err)
            im->err->kind = ERR_PARSE;
        return -1;
    }
    iv->minutes = (int)minutes;
    if (model_check_start(iv->start, im->err) < 0) {
        err_prefix(im->err, "%s: event '%s'", im->source,
                   icalcomponent_get_uid(ev));
        if (im->err)
            im->err->kind = ERR_PARSE;
        return -1;
    }
    loc = icalcomponent_get_location(ev);
    p = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
    url = p ? icalproperty_get_url(p) : NULL;
    if (own && ics_x_get(ev, X_MODE)) {
        enum interview_mode mode = MODE_IN_PERSON;

        model_mode_parse(ics_x_get(ev, X_MODE), &mode);
        iv->mode = mode;
        if (mode == MODE_PHONE && loc &&
            strncmp(loc, ICS_PHONE_PREFIX, strlen(ICS_PHONE_PREFIX)) == 0) {
            loc += strlen(ICS_PHONE_PREFIX);
            loc += strncmp(loc, ": ", 2) == 0 ? 2 : strlen(loc);
        }
        if (mode == MODE_VIDEO && same_str(loc, url))
            loc = NULL;
    } else {
        iv->mode = url || (loc && strncmp(loc, "https://", 8) == 0)
                       ? MODE_VIDEO
                       : MODE_IN_PERSON;
        if (!url && iv->mode == MODE_VIDEO) {
            url = loc;
            loc = NULL;
        }
    }
    util_set_str(&iv->location, util_empty(loc) ? NULL : loc);
    util_set_str(&iv->video_url, url);
    iv->status = icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED ||
                         im->cancel_method
                     ? STATUS_CANCELLED
                     : STATUS_SCHEDULED;
    p = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
    iv->seq = p ? icalproperty_get_sequence(p) : 0;
    if (own) {
        util_set_str(&iv->agenda, ics_x_get(ev, X_AGENDA));
        util_set_str(&iv->thanks_tz, ics_x_get(ev, X_THANKS_TZ));
        if (iv->thanks_tz && tz_check(iv->thanks_tz, NULL) < 0)
            util_set_str(&iv->thanks_tz, NULL);
        iv->prep_done = x_int(ev, X_PREP_DONE);
        iv->thanked = x_int(ev, X_THANKED);
        iv->actual_start = x_int(ev, X_ACTUAL_START);
        iv->actual_end = x_int(ev, X_ACTUAL_END);
        if (ics_x_get(ev, X_NOTES))
            util_set_str(&iv->notes, ics_x_get(ev, X_NOTES));
        iv->created = prop_utc(ev, ICAL_CREATED_PROPERTY);
        iv->modified = prop_utc(ev, ICAL_LASTMODIFIED_PROPERTY);
    }
    return 0;
}

/* An event's SUMMARY is tiara's ("Informational interview with ...")
 * unless the user gave it a title of their own, on a phone say, or it is
 * an invitation's: that one is kept with the interview. */
static int own_title(icalcomponent *ev, const struct contact *host,
                     struct interview *iv)
{
    const char *summary = icalcomponent_get_summary(ev);
    struct buf ours;
    int ret;

    buf_init(&ours);
    ics_interview_summary(host, &ours);
    if (ours.failed)
        return -1;
    ret = util_set_str(&iv->title,
                       util_empty(summary) || strcmp(summary, ours.data) == 0
                           ? NULL
                           : summary);
    buf_release(&ours);
    return ret;
}

/* Does 'a' differ from 'b' in anything the calendar carries? */
static int interview_differs(const struct interview *a,
                             const struct interview *b)
{
    return a->start != b->start || a->minutes != b->minutes ||
           !same_str(a->tz, b->tz) || a->mode != b->mode ||
           !same_str(a->location, b->location) ||
           !same_str(a->video_url, b->video_url) || a->status != b->status ||
           !same_str(a->thanks_tz, b->thanks_tz) ||
           !same_str(a->title, b->title) || a->contact_id != b->contact_id;
}

/* tiara's own state carried in X-TIARA properties. */
static int own_state_differs(const struct interview *a,
                             const struct interview *b)
{
    return a->prep_done != b->prep_done || a->thanked != b->thanked ||
           a->actual_start != b->actual_start ||
           a->actual_end != b->actual_end || !same_str(a->agenda, b->agenda) ||
           !same_str(a->notes, b->notes);
}

static int import_event(struct import *im, icalcomponent *cal,
                        icalcomponent *ev)
{
    const char *kind = ics_x_get(ev, X_KIND);
    int own = kind != NULL;
    const char *uid = icalcomponent_get_uid(ev);
    struct interview iv, old;
    struct contact host;
    int exists, ret = -1;

    if (own && strcmp(kind, "interview") != 0)
        return 0; /* check-ins and deadline events are derived */
    if (!own) {
        struct icaltimetype dt = icalcomponent_get_dtstart(ev);

        if (dt.is_date) { /* an all-day event is not a meeting */
            im->rep->skipped++;
            return 0;
        }
    }
    if (util_empty(uid))
        return err_set(im->err, ERR_PARSE, "%s: an event has no UID",
                       im->source);
    model_interview_init(&iv);
    model_contact_init(&host);
    exists = store_interview_get_uid(im->st, uid, &old, NULL) == 0;
    if (im->cancel_method && !exists) {
        im->rep->skipped++;
        return 0;
    }
    if (exists) {
        /* Keep what the calendar does not carry: notes, timer results. */
        if (model_interview_copy(&iv, &old) < 0) {
            err_set(im->err, ERR_NOMEM, "out of memory");
            goto out;
        }
    } else if (!(iv.uid = strdup(uid))) {
        err_set(im->err, ERR_NOMEM, "out of memory");
        goto out;
    }
    if (read_event(im, cal, ev, own, &iv) < 0)
        goto out;
    if (own      ? own_contact(im, ev, &host)
        : exists ? store_contact_get(im->st, old.contact_id, &host, im->err)
                 : foreign_contact(im, ev, iv.tz, &host))
        goto out;
    iv.contact_id = host.id;
    /* An invitation keeps the organiser's title; a cancellation's
     * ("Canceled: ...") is not a new one. */
    if ((own || !im->cancel_method) && own_title(ev, &host, &iv) < 0) {
        err_set(im->err, ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!exists) {
        if (!own)
            iv.created = iv.modified = im->now;
        if (store_interview_add(im->st, &iv, im->err) < 0)
            goto out;
        if (iv.status == STATUS_CANCELLED)
            im->rep->interviews_cancelled++;
        else
            im->rep->interviews_added++;
    } else if (interview_differs(&iv, &old) ||
               (own && (im->newer || iv.modified > old.modified) &&
                own_state_differs(&iv, &old))) {
        /* A newer LAST-MODIFIED alone (a server or phone rewrote the
         * entry, changing nothing tiara keeps) is not a revision. */
        /* SEQUENCE never goes back (RFC 5545 3.8.7.4). */
        if (iv.seq <= old.seq)
            iv.seq = old.seq + 1;
        if (!own || iv.modified <= old.modified)
            iv.modified = im->now;
        if (store_interview_revise(im->st, &iv, im->now, im->err) < 0)
            goto out;
        if (iv.status == STATUS_CANCELLED && old.status != STATUS_CANCELLED)
            im->rep->interviews_cancelled++;
        else
            im->rep->interviews_updated++;
    }
    ret = 0;
out:
    if (exists)
        model_interview_release(&old);
    model_interview_release(&iv);
    model_contact_release(&host);
    return ret;
}

/* Ticked off, as clients say it: STATUS:COMPLETED, a COMPLETED time, or
 * PERCENT-COMPLETE:100 (RFC 5545 3.8.1.8), unless the status says the
 * task is open again. */
static int task_done(icalcomponent *todo)
{
    icalproperty *p;
    enum icalproperty_status st = icalcomponent_get_status(todo);

    if (st == ICAL_STATUS_COMPLETED)
        return 1;
    if (st == ICAL_STATUS_NEEDSACTION || st == ICAL_STATUS_INPROCESS ||
        st == ICAL_STATUS_CANCELLED)
        return 0;
    if (icalcomponent_get_first_property(todo, ICAL_COMPLETED_PROPERTY))
        return 1;
    p = icalcomponent_get_first_property(todo, ICAL_PERCENTCOMPLETE_PROPERTY);
    return p && icalproperty_get_percentcomplete(p) >= 100;
}

/* A deadline ticked off (or reopened) in another client. */
static int import_task(struct import *im, icalcomponent *cal,
                       icalcomponent *todo)
{
    const char *uid = icalcomponent_get_uid(todo);
    const char *kind = ics_x_get(todo, X_KIND);
    size_t ul = uid ? strlen(uid) : 0;
    size_t sl;
    int is_thanks;
    struct interview iv;
    char parent[512];
    utc_t done, modified, *slot;
    int ret = 0;

    (void)cal;
    /* a cancelled task (its interview was) says nothing of being done */
    if (!uid || icalcomponent_get_status(todo) == ICAL_STATUS_CANCELLED) {
        im->rep->skipped++;
        return 0;
    }
    is_thanks =
        ul > strlen(ICS_THANKS_SUFFIX) &&
        strcmp(uid + ul - strlen(ICS_THANKS_SUFFIX), ICS_THANKS_SUFFIX) == 0;
    if (!is_thanks &&
        !(ul > strlen(ICS_PREP_SUFFIX) &&
          strcmp(uid + ul - strlen(ICS_PREP_SUFFIX), ICS_PREP_SUFFIX) == 0)) {
        im->rep->skipped++;
        return 0;
    }
    if (kind && strcmp(kind, is_thanks ? "thanks" : "prep") != 0) {
        im->rep->skipped++;
        return 0;
    }
    sl = strlen(is_thanks ? ICS_THANKS_SUFFIX : ICS_PREP_SUFFIX);
    if (ul - sl >= sizeof(parent)) {
        im->rep->skipped++;
        return 0;
    }
    memcpy(parent, uid, ul - sl);
    parent[ul - sl] = '\0';
    if (store_interview_get_uid(im->st, parent, &iv, NULL) < 0) {
        im->rep->skipped++;
        return 0;
    }
    if (icalcomponent_isa(todo) == ICAL_VTODO_COMPONENT)
        done = task_done(todo) ? prop_utc(todo, ICAL_COMPLETED_PROPERTY) : 0;
    else
        done = x_int(todo, X_DONE);
    if (!done && task_done(todo))
        done = im->now;
    modified = prop_utc(todo, ICAL_LASTMODIFIED_PROPERTY);
    slot = is_thanks ? &iv.thanked : &iv.prep_done;
    /* The newer side wins; an unchanged task changes nothing. */
    if (!!*slot != !!done &&
        (im->newer || !modified || modified > iv.modified)) {
        *slot = done;
        iv.seq++;
        iv.modified = im->now > modified ? im->now : modified;
        ret = store_interview_update(im->st, &iv, im->err);
        if (ret == 0)
            im->rep->tasks_updated++;
    }
    model_interview_release(&iv);
    return ret;
}

static int import_landed(struct import *im, icalcomponent *cal,
                         icalcomponent *c)
{
    const char *uid = icalcomponent_get_uid(c);
    const char *host_uid = ics_x_get(c, X_HOST_UID);
    struct contact host;
    struct followup f, old;
    char zbuf[64];
    const char *zone;
    int exists, ret = -1;
    icalproperty *p;

    if (!uid || !host_uid ||
        store_contact_get_uid(im->st, host_uid, &host, NULL) < 0) {
        im->rep->skipped++;
        return 0;
    }
    model_followup_init(&f);
    f.contact_id = host.id;
    model_contact_release(&host);
    if (!(f.uid = strdup(uid)))
        return err_set(im->err, ERR_NOMEM, "out of memory");
    if (icalcomponent_isa(c) == ICAL_VTODO_COMPONENT) {
        if (read_time(cal,
                      icalcomponent_get_first_property(c, ICAL_DUE_PROPERTY),
                      &f.due, zbuf, sizeof(zbuf), &zone) < 0) {
            err_set(im->err, ERR_PARSE, "%s: task '%s' has no usable DUE",
                    im->source, uid);
            goto out;
        }
        if (icalcomponent_get_status(c) == ICAL_STATUS_COMPLETED)
            f.done = prop_utc(c, ICAL_COMPLETED_PROPERTY);
    } else {
        if (read_time(
                cal, icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY),
                &f.due, zbuf, sizeof(zbuf), &zone) < 0) {
            err_set(im->err, ERR_PARSE, "%s: event '%s' has no usable DTSTART",
                    im->source, uid);
            goto out;
        }
        f.due += 15 * 60;
        f.done = x_int(c, X_DONE);
    }
    f.note = util_strdup(icalcomponent_get_description(c));
    p = icalcomponent_get_first_property(c, ICAL_SEQUENCE_PROPERTY);
    f.seq = p ? icalproperty_get_sequence(p) : 0;
    f.created = prop_utc(c, ICAL_CREATED_PROPERTY);
    f.modified = prop_utc(c, ICAL_LASTMODIFIED_PROPERTY);
    exists = store_followup_get_uid(im->st, uid, &old, NULL) == 0;
    if (!exists) {
        ret = store_followup_add(im->st, &f, im->err);
        if (ret == 0)
            im->rep->tasks_updated++;
    } else {
        ret = 0;
        if (f.modified > old.modified) {
            f.id = old.id;
            ret = store_followup_update(im->st, &f, im->err);
            if (ret == 0)
                im->rep->tasks_updated++;
        }
        model_followup_release(&old);
    }
out:
    model_followup_release(&f);
    return ret;
}

/* libical records what it could not parse as X-LIC-ERROR properties. */
static const char *parse_error(icalcomponent *c)
{
    icalproperty *p;
    icalcomponent *sub;
    const char *e;

    p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    if (p)
        return icalproperty_get_xlicerror(p);
    for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); sub;
         sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        if ((e = parse_error(sub)))
            return e;
    }
    return NULL;
}

static int import_calendar(struct import *im, icalcomponent *cal)
{
    icalcomponent *c;
    icalproperty *m =
        icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
    int pass;

    im->cancel_method = m && icalproperty_get_method(m) == ICAL_METHOD_CANCEL;
    /* Interviews first: the tasks refer to them. */
    for (pass = 0; pass < 2; pass++) {
        for (c = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT); c;
             c = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
            icalcomponent_kind k = icalcomponent_isa(c);
            const char *kind = ics_x_get(c, X_KIND);
            int is_event = k == ICAL_VEVENT_COMPONENT &&
                           (!kind || strcmp(kind, "interview") == 0);
            int ret = 0;

            if (k == ICAL_VTIMEZONE_COMPONENT)
                continue;
            if (ics_x_get(c, X_REMOVED)) {
                /* a removed contact's entry: kept for exports, no more */
                if (pass == 0)
                    ret = ics_removed_import(im->st, c, &im->rep->skipped,
                                             im->err);
            } else if (pass == 0 && is_event) {
                ret = import_event(im, cal, c);
            } else if (pass == 1 && !is_event) {
                if (kind && strcmp(kind, "landed") == 0)
                    ret = import_landed(im, cal, c);
                else if (kind && strcmp(kind, "checkin") == 0)
                    ; /* derived from its contact and interview */
                else if (k == ICAL_VTODO_COMPONENT ||
                         k == ICAL_VEVENT_COMPONENT)
                    ret = import_task(im, cal, c);
                else
                    im->rep->skipped++;
            }
            if (ret < 0)
                return -1;
        }
    }
    return 0;
}

/* libical's parser prints some complaints ("Encountered END before BEGIN")
 * straight to stderr. Modules never print: catch them, and hand the first
 * back so the caller reports it as its one error line. */
static icalcomponent *parse_quietly(const char *text, char *complaint, size_t n)
{
    icalcomponent *root;
    FILE *sink = util_tmpfile();
    int saved = -1;
    size_t got = 0;
    char *p;

    complaint[0] = '\0';
    fflush(stderr);
    if (sink)
        saved = dup(STDERR_FILENO);
    if (saved >= 0)
        dup2(fileno(sink), STDERR_FILENO);
    root = icalparser_parse_string(text);
    if (saved >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
        rewind(sink);
        got = fread(complaint, 1, n - 1, sink);
    }
    if (sink)
        fclose(sink);
    complaint[got] = '\0';
    complaint[strcspn(complaint, "\n")] = '\0';
    /* "./src/libical/icalparser.c:786: Encountered END before BEGIN" */
    p = strstr(complaint, ": ");
    if (p && strstr(complaint, ".c:") && strstr(complaint, ".c:") < p)
        memmove(complaint, p + 2, strlen(p + 2) + 1);
    return root;
}

static int import_text(struct store *st, const char *text, const char *source,
                       utc_t now, int newer, struct ics_import_report *rep,
                       struct err *err)
{
    struct import im = {st, source, now, rep, err, 0, newer};
    icalcomponent *root, *cal;
    const char *perr;
    char complaint[160];
    int ret = -1, any = 0;

    memset(rep, 0, sizeof(*rep));
    if (!strstr(text, "BEGIN:VCALENDAR"))
        return err_set(err, ERR_PARSE,
                       "'%s' is not an iCalendar file "
                       "(no BEGIN:VCALENDAR)",
                       source);
    root = parse_quietly(text, complaint, sizeof(complaint));
    if (!root)
        return err_set(err, ERR_PARSE, "'%s' is not valid iCalendar%s%s",
                       source, complaint[0] ? ": " : "", complaint);
    if ((perr = parse_error(root)) || (perr = complaint)[0]) {
        err_set(err, ERR_PARSE, "'%s' is malformed: %s", source, perr);
        goto out;
    }
    if (store_begin(st, err) < 0)
        goto out;
    if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
        any = 1;
        if (import_calendar(&im, root) < 0)
            goto rollback;
    } else {
        for (cal = icalcomponent_get_first_component(root,
                                                     ICAL_VCALENDAR_COMPONENT);
             cal; cal = icalcomponent_get_next_component(
                      root, ICAL_VCALENDAR_COMPONENT)) {
            any = 1;
            if (import_calendar(&im, cal) < 0)
                goto rollback;
        }
    }
    if (!any) {
        err_set(err, ERR_PARSE, "'%s' holds no VCALENDAR", source);
        goto rollback;
    }
    if (store_commit(st, err) < 0)
        goto out;
    ret = 0;
    goto out;
rollback:
    store_rollback(st);
out:
    icalcomponent_free(root);
    return ret;
}

int ics_import_text(struct store *st, const char *text, const char *source,
                    utc_t now, struct ics_import_report *rep, struct err *err)
{
    return import_text(st, text, source, now, 0, rep, err);
}

int ics_import_newer(struct store *st, const char *text, const char *source,
                     utc_t now, struct ics_import_report *rep, struct err *err)
{
    return import_text(st, text, source, now, 1, rep, err);
}
