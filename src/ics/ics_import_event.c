/* SPDX-License-Identifier: MIT */
/* ics_import_event.c - an invitation or tiara's own entry into the store */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

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

/* Restore or refresh a contact from tiara's X-TIARA-HOST-* properties. */
static int own_contact(struct ics_import *im, icalcomponent *ev,
                       struct contact *out)
{
    const char *uid = ics_x_get(ev, X_HOST_UID);
    struct contact c, ref;
    int64_t modified = x_int(ev, X_HOST_MODIFIED);
    int exists;
    enum cadence cad = CADENCE_QUARTERLY;

    if (!uid || !ics_x_get(ev, X_HOST_NAME))
        return err_set(im->err, ERR_PARSE,
                       "names no host (its X-TIARA-HOST-* lines are missing)");
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
static int foreign_contact(struct ics_import *im, icalcomponent *ev,
                           const char *zone, struct contact *out)
{
    const char *email = NULL, *name = NULL;
    icalproperty *p = ics_other_person(im, ev);
    icalparameter *cn;
    struct contact c;

    if (p)
        email = ics_mailto(icalproperty_isa(p) == ICAL_ORGANIZER_PROPERTY
                               ? icalproperty_get_organizer(p)
                               : icalproperty_get_attendee(p));
    if (p && (cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER)))
        name = icalparameter_get_cn(cn);
    if (util_empty(name)) /* CN="" is written by some clients */
        name = NULL;
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
                       "has no organizer, attendee or summary to name the "
                       "host");
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
static int read_event(struct ics_import *im, icalcomponent *cal,
                      icalcomponent *ev, int own, struct interview *iv)
{
    char zbuf[64];
    const char *zone, *loc, *url;
    icalproperty *p;
    long minutes;

    if (ics_read_start(im, cal, ev, ICAL_DTSTART_PROPERTY, &iv->start, zbuf,
                       sizeof(zbuf), &zone) < 0)
        return -1;
    if (own && ics_x_get(ev, X_BOOKED_TZ) &&
        tz_check(ics_x_get(ev, X_BOOKED_TZ), NULL) == 0)
        zone = ics_x_get(ev, X_BOOKED_TZ);
    util_set_str(&iv->tz, zone ? zone : tz_user_zone());
    if (ics_read_minutes(im, cal, ev, iv->start, &minutes) < 0)
        return -1;
    /* An invitation is what was agreed: any plausible length is taken */
    if (model_check_minutes(minutes, 1, im->err) < 0 ||
        model_check_start(iv->start, im->err) < 0) {
        im->err->kind = ERR_PARSE;
        return -1;
    }
    if (!own && model_check_minutes(minutes, 0, NULL) < 0)
        ics_note(im, ICS_NOTE_TAKEN,
                 "lasts %ld minutes, outside the usual 30-60: taken as the "
                 "host set it",
                 minutes);
    iv->minutes = (int)minutes;
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
    iv->status = icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED
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

/* What another program wrote is kept to the rules typed text follows
 * (model_interview_validate): no control characters or direction
 * overrides, which would reach a terminal, and no field without end. */
static void clean_fields(struct interview *iv)
{
    util_text_clean(iv->location, 500);
    util_text_clean(iv->video_url, 2000);
    util_text_clean(iv->agenda, 500);
    util_text_clean(iv->title, 500);
    util_text_clean_lines(iv->notes, 65536);
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

/* The VEVENT in 'cal' that is the series 'uid' itself (no RECURRENCE-ID). */
static icalcomponent *series_of(icalcomponent *cal, const char *uid)
{
    icalcomponent *c;

    for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        const char *u = icalcomponent_get_uid(c);

        if (u && strcmp(u, uid) == 0 &&
            !icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY))
            return c;
    }
    return NULL;
}

/* The first start of the series 'uid' read ahead of its overrides
 * (ics_import_stream.c), by binary search of the sorted table. */
int ics_series_find(const struct ics_series *s, const char *uid, utc_t *start)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int d = strcmp(s->v[mid].uid, uid);

        if (d == 0) {
            *start = s->v[mid].start;
            return 1;
        }
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The first start of series 'uid' in the file, when it has the series. */
static int series_start(struct ics_import *im, icalcomponent *cal,
                        const char *uid, utc_t *first)
{
    icalcomponent *series;

    if (im->series)
        return ics_series_find(im->series, uid, first);
    series = series_of(cal, uid);
    if (series)
        *first = ics_prop_instant(im, cal, series, ICAL_DTSTART_PROPERTY);
    return series != NULL;
}

/* Is someone else's event one to take? 0 when it was told of instead.
 * tiara keeps one date per invitation: the series' first occurrence, or
 * a lone occurrence sent on its own. */
static int wanted(struct ics_import *im, icalcomponent *cal, icalcomponent *ev,
                  const struct interview *old, const struct store_itip *kept)
{
    const char *uid = icalcomponent_get_uid(ev);
    utc_t rid, first;
    char a[32], b[32];

    if (icalcomponent_get_dtstart(ev).is_date) {
        ics_note(im, ICS_NOTE_SKIPPED, "an all-day event, not a meeting");
        return 0;
    }
    if (!old && !im->opt->plain_events && !ics_other_person(im, ev)) {
        ics_note(im, ICS_NOTE_SKIPPED,
                 "not an invitation: it names no organizer or attendee "
                 "other than you (--all-events takes it as an interview)");
        return 0;
    }
    if (old && ics_itip_stale(im, ev, kept))
        return 0;
    rid = ics_prop_instant(im, cal, ev, ICAL_RECURRENCEID_PROPERTY);
    if (!rid)
        return 1;
    if (!series_start(im, cal, uid, &first))
        first = old ? old->start : rid;
    if (rid == first)
        return 1;
    tz_format_time(tz_user_zone(), rid, a, sizeof(a));
    tz_format_time(tz_user_zone(), first, b, sizeof(b));
    ics_note(im, ICS_NOTE_SKIPPED,
             "changes only its occurrence of %s; tiara keeps the one of %s", a,
             b);
    return 0;
}

/* Save 'iv' as new or as a revision of 'old'; counted in the report. */
static int save(struct ics_import *im, struct interview *iv,
                const struct interview *old, int own)
{
    if (!old) {
        if (!own)
            iv->created = iv->modified = im->now;
        if (store_interview_add(im->st, iv, im->err) < 0)
            return -1;
        if (iv->status == STATUS_CANCELLED)
            im->rep->interviews_cancelled++;
        else
            im->rep->interviews_added++;
        return 0;
    }
    /* A newer LAST-MODIFIED alone (a server or phone rewrote the entry,
     * changing nothing tiara keeps) is not a revision. */
    if (!interview_differs(iv, old) &&
        !(own && (im->opt->newer || iv->modified > old->modified) &&
          own_state_differs(iv, old)))
        return 0;
    /* SEQUENCE never goes back (RFC 5545 3.8.7.4). */
    if (iv->seq <= old->seq)
        iv->seq = old->seq + 1;
    if (!own || iv->modified <= old->modified)
        iv->modified = im->now;
    if (store_interview_revise(im->st, iv, im->now, im->err) < 0)
        return -1;
    if (iv->status == STATUS_CANCELLED && old->status != STATUS_CANCELLED)
        im->rep->interviews_cancelled++;
    else
        im->rep->interviews_updated++;
    return 0;
}

static void note_series(struct ics_import *im, icalcomponent *ev, utc_t start)
{
    char when[32];

    if (!icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) &&
        !icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY))
        return;
    tz_format_time(tz_user_zone(), start, when, sizeof(when));
    ics_note(im, ICS_NOTE_TAKEN,
             "repeats: its first occurrence, %s, is the interview; tiara "
             "does not keep the others",
             when);
}

int ics_take_event(struct ics_import *im, icalcomponent *cal, icalcomponent *ev)
{
    const char *kind = ics_x_get(ev, X_KIND);
    int own = kind != NULL;
    const char *uid = icalcomponent_get_uid(ev);
    struct interview iv, old;
    struct contact host;
    struct store_itip kept;
    char zbuf[64];
    const char *zone;
    int exists, ret = -1, notes = im->notes;

    if (own && strcmp(kind, "interview") != 0)
        return 0; /* check-ins and deadline events are derived */
    if (util_empty(uid))
        return err_set(im->err, ERR_PARSE,
                       "has no UID, so a later update could not find it");
    model_interview_init(&iv);
    model_contact_init(&host);
    exists = store_interview_get_uid(im->st, uid, &old, NULL) == 0;
    if (!own && store_itip_get(im->st, uid, &kept, im->err) < 0 &&
        im->err->kind != ERR_NOT_FOUND)
        goto out;
    /* a start that cannot be read is said before anything else */
    if (!own && ics_read_start(im, cal, ev, ICAL_DTSTART_PROPERTY, &iv.start,
                               zbuf, sizeof(zbuf), &zone) < 0)
        goto out;
    if (!own && !wanted(im, cal, ev, exists ? &old : NULL, &kept)) {
        ret = 0;
        goto out;
    }
    /* Keep what the calendar does not carry: notes, timer results. */
    if (exists ? model_interview_copy(&iv, &old) < 0
               : !(iv.uid = strdup(uid))) {
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
    if (own_title(ev, &host, &iv) < 0) {
        err_set(im->err, ERR_NOMEM, "out of memory");
        goto out;
    }
    clean_fields(&iv);
    if (save(im, &iv, exists ? &old : NULL, own) < 0 ||
        (!own && ics_itip_remember(im, ev, uid, &kept) < 0))
        goto out;
    if (!own)
        note_series(im, ev, iv.start);
    /* Taken with nothing to tell: the same text, read the same way, would
     * change nothing while these rows stay as they are. */
    if (!own && im->seen && im->block_hash && im->notes == notes &&
        store_seen_put(im->seen, uid, (int64_t)im->block_hash, im->err) < 0)
        goto out;
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
int ics_take_task(struct ics_import *im, icalcomponent *cal,
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
    if (!uid) {
        ics_note(im, ICS_NOTE_SKIPPED, "a task with no UID, not tiara's");
        return 0;
    }
    /* a cancelled task (its interview was) says nothing of being done */
    if (icalcomponent_get_status(todo) == ICAL_STATUS_CANCELLED)
        return 0;
    is_thanks =
        ul > strlen(ICS_THANKS_SUFFIX) &&
        strcmp(uid + ul - strlen(ICS_THANKS_SUFFIX), ICS_THANKS_SUFFIX) == 0;
    if ((!is_thanks &&
         !(ul > strlen(ICS_PREP_SUFFIX) &&
           strcmp(uid + ul - strlen(ICS_PREP_SUFFIX), ICS_PREP_SUFFIX) == 0)) ||
        (kind && strcmp(kind, is_thanks ? "thanks" : "prep") != 0) ||
        ul - strlen(is_thanks ? ICS_THANKS_SUFFIX : ICS_PREP_SUFFIX) >=
            sizeof(parent)) {
        ics_note(im, ICS_NOTE_SKIPPED,
                 "a %s, not an invitation nor one of tiara's tasks",
                 icalcomponent_isa(todo) == ICAL_VTODO_COMPONENT ? "task"
                                                                 : "event");
        return 0;
    }
    sl = strlen(is_thanks ? ICS_THANKS_SUFFIX : ICS_PREP_SUFFIX);
    memcpy(parent, uid, ul - sl);
    parent[ul - sl] = '\0';
    if (store_interview_get_uid(im->st, parent, &iv, NULL) < 0) {
        ics_note(im, ICS_NOTE_SKIPPED,
                 "a task of an interview this database does not have");
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
        (im->opt->newer || !modified || modified > iv.modified)) {
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

int ics_take_landed(struct ics_import *im, icalcomponent *cal, icalcomponent *c)
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
        ics_note(im, ICS_NOTE_SKIPPED,
                 "a follow-up of a contact this database does not have");
        return 0;
    }
    model_followup_init(&f);
    f.contact_id = host.id;
    model_contact_release(&host);
    if (!(f.uid = strdup(uid)))
        return err_set(im->err, ERR_NOMEM, "out of memory");
    if (icalcomponent_isa(c) == ICAL_VTODO_COMPONENT) {
        if (ics_read_start(im, cal, c, ICAL_DUE_PROPERTY, &f.due, zbuf,
                           sizeof(zbuf), &zone) < 0)
            goto out;
        if (icalcomponent_get_status(c) == ICAL_STATUS_COMPLETED)
            f.done = prop_utc(c, ICAL_COMPLETED_PROPERTY);
    } else {
        if (ics_read_start(im, cal, c, ICAL_DTSTART_PROPERTY, &f.due, zbuf,
                           sizeof(zbuf), &zone) < 0)
            goto out;
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
