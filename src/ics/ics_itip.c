/* SPDX-License-Identifier: MIT */
/* ics_itip.c - a host's iTIP messages (RFC 5546) about an interview tiara
 * has: which is newer, a cancel, an answer, a proposed time */
#include <stdio.h>
#include <string.h>

#include "ics_priv.h"
#include "tz.h"
#include "util.h"

/* The interview a message is about, with what its host said before; 0
 * when told of instead (no UID the store has). */
static int about(struct ics_import *im, icalcomponent *ev, struct interview *iv,
                 struct store_itip *kept, const char *what)
{
    const char *uid = icalcomponent_get_uid(ev);

    if (util_empty(uid))
        return err_set(im->err, ERR_PARSE,
                       "has no UID, so tiara cannot tell which interview it "
                       "%s",
                       what);
    if (store_interview_get_uid(im->st, uid, iv, NULL) < 0) {
        ics_note(im, ICS_NOTE_SKIPPED,
                 "it %s an interview this database does not have", what);
        return 0;
    }
    if (store_itip_get(im->st, uid, kept, im->err) < 0 &&
        im->err->kind != ERR_NOT_FOUND) {
        model_interview_release(iv);
        return -1;
    }
    return 1;
}

int ics_take_cancel(struct ics_import *im, icalcomponent *cal,
                    icalcomponent *ev)
{
    struct interview iv;
    struct store_itip kept;
    utc_t rid;
    char a[32], b[32];
    int ret = about(im, ev, &iv, &kept, "cancels");

    if (ret <= 0)
        return ret;
    ret = 0;
    if (ics_itip_stale(im, ev, &kept))
        goto out;
    /* RFC 5546 3.2.5: a RECURRENCE-ID cancels that occurrence only */
    rid = ics_prop_instant(im, cal, ev, ICAL_RECURRENCEID_PROPERTY);
    if (rid && rid != iv.start) {
        tz_format_time(tz_user_zone(), rid, a, sizeof(a));
        tz_format_time(tz_user_zone(), iv.start, b, sizeof(b));
        ics_note(im, ICS_NOTE_SKIPPED,
                 "cancels only its occurrence of %s; the interview of %s "
                 "stays",
                 a, b);
        goto out;
    }
    if (iv.status != STATUS_CANCELLED) {
        iv.status = STATUS_CANCELLED;
        iv.seq++;
        iv.modified = im->now;
        if (store_interview_revise(im->st, &iv, im->now, im->err) < 0) {
            ret = -1;
            goto out;
        }
        im->rep->interviews_cancelled++;
    }
    ret = ics_itip_remember(im, ev, iv.uid, &kept);
out:
    model_interview_release(&iv);
    return ret;
}

static const char *answer_name(icalparameter_partstat ps)
{
    switch (ps) {
    case ICAL_PARTSTAT_ACCEPTED:
        return "accepted";
    case ICAL_PARTSTAT_DECLINED:
        return "declined";
    case ICAL_PARTSTAT_TENTATIVE:
        return "tentative";
    case ICAL_PARTSTAT_DELEGATED:
        return "delegated";
    default:
        return NULL;
    }
}

/* The answering attendee: the first that is not the user. */
static icalproperty *answerer(struct ics_import *im, icalcomponent *ev)
{
    icalproperty *p;

    for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY))
        if (!ics_is_me(im, icalproperty_get_attendee(p)))
            return p;
    return NULL;
}

/* RFC 5546 3.2.3: a REPLY is an attendee's answer; it never makes or
 * moves a meeting, whatever else it carries. */
int ics_take_reply(struct ics_import *im, icalcomponent *cal, icalcomponent *ev)
{
    struct interview iv;
    struct store_itip kept;
    icalproperty *who;
    icalparameter *ps;
    const char *answer;
    int seq, ret = about(im, ev, &iv, &kept, "answers");
    utc_t stamp;

    (void)cal;
    if (ret <= 0)
        return ret;
    ret = -1;
    who = answerer(im, ev);
    ps = who ? icalproperty_get_first_parameter(who, ICAL_PARTSTAT_PARAMETER)
             : NULL;
    answer = ps ? answer_name(icalparameter_get_partstat(ps)) : NULL;
    ics_itip_order(ev, &seq, &stamp);
    if (!answer) {
        err_set(im->err, ERR_PARSE,
                "a reply with no answer (no ATTENDEE with PARTSTAT "
                "ACCEPTED, DECLINED or TENTATIVE)");
    } else if (kept.answered && stamp && stamp < kept.answered) {
        ics_note(im, ICS_NOTE_SKIPPED,
                 "a reply older than the answer kept (%s): it changes "
                 "nothing",
                 kept.answer);
        ret = 0;
    } else {
        snprintf(kept.answer, sizeof(kept.answer), "%s", answer);
        kept.answered = stamp ? stamp : im->now;
        ret = store_itip_set(im->st, iv.uid, &kept, im->err);
        if (ret == 0) {
            im->rep->answers++;
            ics_note(im, ICS_NOTE_TAKEN, "the host %s interview #%lld", answer,
                     (long long)iv.id);
        }
    }
    model_interview_release(&iv);
    return ret;
}

/* RFC 5546 3.2.7: a COUNTER proposes; only the organizer (the user, with
 * 'tiara reschedule') moves the meeting. */
int ics_take_counter(struct ics_import *im, icalcomponent *cal,
                     icalcomponent *ev)
{
    struct interview iv;
    struct store_itip kept;
    char zbuf[64], when[32];
    const char *zone;
    utc_t start;
    long minutes;
    int ret = about(im, ev, &iv, &kept, "proposes a new time for");

    if (ret <= 0)
        return ret;
    ret = -1;
    if (ics_read_start(im, cal, ev, ICAL_DTSTART_PROPERTY, &start, zbuf,
                       sizeof(zbuf), &zone) < 0 ||
        ics_read_minutes(im, cal, ev, start, &minutes) < 0)
        goto out;
    if (model_check_minutes(minutes, 1, im->err) < 0 ||
        model_check_start(start, im->err) < 0) {
        im->err->kind = ERR_PARSE;
        goto out;
    }
    kept.proposed_start = start;
    kept.proposed_minutes = (int)minutes;
    if (store_itip_set(im->st, iv.uid, &kept, im->err) < 0)
        goto out;
    im->rep->proposals++;
    tz_format_time(tz_user_zone(), start, when, sizeof(when));
    ics_note(im, ICS_NOTE_TAKEN,
             "the host proposes %s for %ld minutes; nothing moved "
             "('tiara reschedule %lld --at \"%s\"' takes it)",
             when, minutes, (long long)iv.id, when);
    ret = 0;
out:
    model_interview_release(&iv);
    return ret;
}
