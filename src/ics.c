/* SPDX-License-Identifier: MIT */
/* ics.c - building the VEVENTs and VTODOs of each interview, and export */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ics_priv.h"
#include "rules.h"
#include "tz.h"
#include "util.h"

static const char *const kind_names[] = {
    [ICS_KIND_INTERVIEW] = "interview", [ICS_KIND_PREP] = "prep",
    [ICS_KIND_THANKS] = "thanks",       [ICS_KIND_CHECKIN] = "checkin",
    [ICS_KIND_LANDED] = "landed",
};

const char *ics_kind_name(enum ics_kind k)
{
    return kind_names[k];
}

struct icaltimetype ics_utc_time(utc_t t)
{
    return icaltime_from_timet_with_zone((time_t)t, 0,
                                         icaltimezone_get_utc_timezone());
}

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

const char *ics_x_get(icalcomponent *c, const char *name)
{
    icalproperty *p;

    for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
        const char *n = icalproperty_get_x_name(p);

        if (n && strcmp(n, name) == 0)
            return icalproperty_get_x(p);
    }
    return NULL;
}

const char *ics_x_get_host(icalcomponent *c)
{
    return ics_x_get(c, X_HOST_UID);
}

static void add_x(icalcomponent *c, const char *name, const char *value)
{
    icalproperty *p;

    if (util_empty(value))
        return;
    p = icalproperty_new_x(value);
    icalproperty_set_x_name(p, name);
    icalcomponent_add_property(c, p);
}

static void add_x_int(icalcomponent *c, const char *name, int64_t v)
{
    char num[32];

    if (!v)
        return;
    snprintf(num, sizeof(num), "%" PRId64, v);
    add_x(c, name, num);
}

/* A DATE-TIME property in 'zone' (RFC 5545 3.3.5 form 3: TZID + local
 * time), or in UTC form when the zone is UTC. */
static icalproperty *zoned_time(icalproperty *(*make)(struct icaltimetype),
                                const char *zone, utc_t t)
{
    struct civil c;
    struct icaltimetype tt = icaltime_null_time();
    icalproperty *p;

    if (strcmp(zone, "UTC") == 0 || tz_from_utc(zone, t, &c, NULL, NULL) < 0)
        return make(ics_utc_time(t));
    tt.year = c.year;
    tt.month = c.month;
    tt.day = c.day;
    tt.hour = c.hour;
    tt.minute = c.minute;
    tt.second = c.second;
    tt.is_date = 0;
    p = make(tt);
    icalproperty_add_parameter(p, icalparameter_new_tzid(zone));
    return p;
}

/* The properties every tiara component opens with. */
static icalcomponent *component(icalcomponent_kind kind, const char *uid,
                                enum ics_kind what, int seq, utc_t created,
                                utc_t modified)
{
    icalcomponent *c = icalcomponent_new(kind);

    icalcomponent_add_property(c, icalproperty_new_uid(uid));
    /* RFC 5545 3.8.7.2: without METHOD, DTSTAMP is the last revision. */
    icalcomponent_add_property(
        c, icalproperty_new_dtstamp(ics_utc_time(modified)));
    icalcomponent_add_property(c,
                               icalproperty_new_created(ics_utc_time(created)));
    icalcomponent_add_property(
        c, icalproperty_new_lastmodified(ics_utc_time(modified)));
    icalcomponent_add_property(c, icalproperty_new_sequence(seq));
    add_x(c, X_KIND, kind_names[what]);
    return c;
}

static void add_related(icalcomponent *c, const char *parent_uid)
{
    icalproperty *p = icalproperty_new_relatedto(parent_uid);

    icalproperty_add_parameter(p,
                               icalparameter_new_reltype(ICAL_RELTYPE_PARENT));
    icalcomponent_add_property(c, p);
}

static void add_alarm(icalcomponent *parent, int minutes_before,
                      int related_end, const char *text)
{
    icalcomponent *a = icalcomponent_new(ICAL_VALARM_COMPONENT);
    struct icaltriggertype trig;
    icalproperty *p;

    icalcomponent_add_property(a, icalproperty_new_action(ICAL_ACTION_DISPLAY));
    memset(&trig, 0, sizeof(trig));
    trig.time = icaltime_null_time();
    trig.duration = icaldurationtype_from_int(-minutes_before * 60);
    p = icalproperty_new_trigger(trig);
    if (related_end) /* RFC 5545 3.8.6.3: relative to DUE for a VTODO */
        icalproperty_add_parameter(p,
                                   icalparameter_new_related(ICAL_RELATED_END));
    icalcomponent_add_property(a, p);
    icalcomponent_add_property(a, icalproperty_new_description(text));
    icalcomponent_add_component(parent, a);
}

static void add_host_attendee(icalcomponent *c, const struct contact *host)
{
    icalproperty *p;
    struct buf b;

    if (util_empty(host->email))
        return;
    buf_init(&b);
    if (buf_printf(&b, "mailto:%s", host->email) < 0)
        return;
    p = icalproperty_new_attendee(b.data);
    buf_release(&b);
    icalproperty_add_parameter(p, icalparameter_new_cn(host->name));
    icalproperty_add_parameter(
        p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    /* RFC 6638 7.1: the user arranges the meeting; a scheduling server
     * must not send the host invitations of its own. */
    icalproperty_add_parameter(
        p, icalparameter_new_scheduleagent(ICAL_SCHEDULEAGENT_CLIENT));
    icalcomponent_add_property(c, p);
}

/* Everything about the host, so an import restores the contact. */
static void add_host_x(icalcomponent *c, const struct contact *host,
                       const struct contact *referrer,
                       const struct ics_options *opt)
{
    add_x(c, X_HOST_UID, host->uid);
    add_x(c, X_HOST_NAME, host->name);
    add_x(c, X_HOST_EMAIL, host->email);
    add_x(c, X_HOST_COMPANY, host->company);
    add_x(c, X_HOST_ROLE, host->role);
    add_x(c, X_HOST_PHONE, host->phone);
    add_x(c, X_HOST_LINKEDIN, host->linkedin);
    add_x(c, X_HOST_TZ, host->tz);
    if (opt->with_notes)
        add_x(c, X_HOST_NOTES, host->notes);
    add_x(c, X_HOST_CADENCE, model_cadence_name(host->cadence));
    add_x_int(c, X_HOST_STOPPED, host->checkin_stopped);
    add_x_int(c, X_HOST_SEQ, host->seq);
    add_x_int(c, X_HOST_CREATED, host->created);
    add_x_int(c, X_HOST_MODIFIED, host->modified);
    if (referrer) {
        add_x(c, X_REFERRER_UID, referrer->uid);
        add_x(c, X_REFERRER_NAME, referrer->name);
    }
}

static void host_label(const struct contact *host, struct buf *b)
{
    buf_adds(b, host->name);
    if (!util_empty(host->company))
        buf_printf(b, " (%s)", host->company);
}

icalcomponent *ics_build_interview(const struct interview *iv,
                                   const struct contact *host,
                                   const struct contact *referrer,
                                   const struct ics_options *opt)
{
    icalcomponent *c =
        component(ICAL_VEVENT_COMPONENT, iv->uid, ICS_KIND_INTERVIEW, iv->seq,
                  iv->created, iv->modified);
    struct buf b;

    buf_init(&b);
    buf_adds(&b, "Informational interview with ");
    host_label(host, &b);
    icalcomponent_add_property(c, icalproperty_new_summary(b.data));
    buf_release(&b);
    icalcomponent_add_property(
        c, zoned_time(icalproperty_new_dtstart, iv->tz, iv->start));
    icalcomponent_add_property(
        c,
        icalproperty_new_duration(icaldurationtype_from_int(iv->minutes * 60)));
    if (iv->mode == MODE_PHONE) {
        buf_adds(&b, ICS_PHONE_PREFIX);
        if (!util_empty(iv->location))
            buf_printf(&b, ": %s", iv->location);
        icalcomponent_add_property(c, icalproperty_new_location(b.data));
        buf_release(&b);
    } else if (!util_empty(iv->location)) {
        icalcomponent_add_property(c, icalproperty_new_location(iv->location));
    } else if (iv->mode == MODE_VIDEO && !util_empty(iv->video_url)) {
        icalcomponent_add_property(c, icalproperty_new_location(iv->video_url));
    }
    if (!util_empty(iv->video_url))
        icalcomponent_add_property(c, icalproperty_new_url(iv->video_url));
    buf_adds(&b, "Small talk, then your questions (TIARA: Trends, Insights, "
                 "Advice, Resources, Assignments), then next steps.\n"
                 "Before the end ask: Can you suggest other people I could "
                 "speak to? May I mention your name?");
    if (opt->with_notes && !util_empty(iv->notes))
        buf_printf(&b, "\n\nNotes: %s", iv->notes);
    icalcomponent_add_property(c, icalproperty_new_description(b.data));
    buf_release(&b);
    icalcomponent_add_property(
        c, icalproperty_new_status(iv->status == STATUS_CANCELLED
                                       ? ICAL_STATUS_CANCELLED
                                       : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(c, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    icalcomponent_add_property(c, icalproperty_new_categories("Interview"));
    add_host_attendee(c, host);
    add_x(c, X_MODE, model_mode_name(iv->mode));
    add_x(c, X_BOOKED_TZ, iv->tz);
    add_x(c, X_AGENDA, iv->agenda);
    add_x_int(c, X_PREP_DONE, iv->prep_done);
    add_x_int(c, X_THANKED, iv->thanked);
    add_x_int(c, X_ACTUAL_START, iv->actual_start);
    add_x_int(c, X_ACTUAL_END, iv->actual_end);
    if (opt->with_notes)
        add_x(c, X_NOTES, iv->notes);
    add_host_x(c, host, referrer, opt);
    if (iv->status == STATUS_SCHEDULED)
        add_alarm(c, RULES_ALARM_MINUTES, 0, "Informational interview soon");
    return c;
}

/* A deadline: a VTODO with DUE, or a short VEVENT ending at the due time
 * for calendars that take no VTODO. */
static icalcomponent *build_deadline(enum ics_kind kind, const char *uid,
                                     const char *summary,
                                     const char *description, const char *zone,
                                     utc_t due, utc_t done, int seq,
                                     utc_t created, utc_t modified,
                                     const struct ics_options *opt)
{
    icalcomponent *c;

    if (opt->todo_as_event) {
        struct buf b;

        c = component(ICAL_VEVENT_COMPONENT, uid, kind, seq, created, modified);
        buf_init(&b);
        buf_printf(&b, "%s%s", done ? "Done: " : "", summary);
        icalcomponent_add_property(c, icalproperty_new_summary(b.data));
        buf_release(&b);
        icalcomponent_add_property(
            c, zoned_time(icalproperty_new_dtstart, zone, due - 15 * 60));
        icalcomponent_add_property(
            c, icalproperty_new_duration(icaldurationtype_from_int(15 * 60)));
        icalcomponent_add_property(
            c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        add_x_int(c, X_DONE, done);
    } else {
        c = component(ICAL_VTODO_COMPONENT, uid, kind, seq, created, modified);
        icalcomponent_add_property(c, icalproperty_new_summary(summary));
        icalcomponent_add_property(c,
                                   zoned_time(icalproperty_new_due, zone, due));
        if (done) {
            icalcomponent_add_property(
                c, icalproperty_new_status(ICAL_STATUS_COMPLETED));
            icalcomponent_add_property(
                c, icalproperty_new_completed(ics_utc_time(done)));
            icalcomponent_add_property(c,
                                       icalproperty_new_percentcomplete(100));
        } else {
            icalcomponent_add_property(
                c, icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
        }
    }
    if (description)
        icalcomponent_add_property(c,
                                   icalproperty_new_description(description));
    return c;
}

icalcomponent *ics_build_prep(const struct interview *iv,
                              const struct contact *host,
                              const struct ics_options *opt, struct err *err)
{
    utc_t due;
    struct buf uid, summary;
    icalcomponent *c;

    if (rules_prep_due(iv, &due, err) < 0)
        return NULL;
    buf_init(&uid);
    buf_init(&summary);
    buf_printf(&uid, "%s%s", iv->uid, ICS_PREP_SUFFIX);
    buf_adds(&summary, "Prepare for the interview with ");
    host_label(host, &summary);
    c = build_deadline(ICS_KIND_PREP, uid.data, summary.data,
                       "Research the host and the company. Prepare a few "
                       "stories and questions:\n"
                       "- Trends: where is the field going?\n"
                       "- Insights: what do you wish you had known?\n"
                       "- Advice: what would you do in my place?\n"
                       "- Resources: what should I read or join?\n"
                       "- Assignments: what could I try next?\n"
                       "Bring copies of your resume; offer one only if asked.",
                       iv->tz, due, iv->prep_done, iv->seq, iv->created,
                       iv->modified, opt);
    add_related(c, iv->uid);
    if (!opt->todo_as_event)
        add_alarm(c, 60, 1, "Prepare for your interview");
    buf_release(&uid);
    buf_release(&summary);
    return c;
}

icalcomponent *ics_build_thanks(const struct interview *iv,
                                const struct contact *host,
                                const struct ics_options *opt, struct err *err)
{
    utc_t due;
    struct buf uid, summary, desc;
    icalcomponent *c;

    if (rules_thanks_due(iv, iv->tz, &due, err) < 0)
        return NULL;
    buf_init(&uid);
    buf_init(&summary);
    buf_init(&desc);
    buf_printf(&uid, "%s%s", iv->uid, ICS_THANKS_SUFFIX);
    buf_printf(&summary, "Send a thank-you note to %s", host->name);
    buf_adds(&desc, "Thank the host by email or by hand, mention something "
                    "useful you learned, and follow through on anything "
                    "promised.");
    if (opt->with_notes && !util_empty(iv->notes))
        buf_printf(&desc, "\n\nYour notes: %s", iv->notes);
    c = build_deadline(ICS_KIND_THANKS, uid.data, summary.data, desc.data,
                       iv->tz, due, iv->thanked, iv->seq, iv->created,
                       iv->modified, opt);
    add_related(c, iv->uid);
    if (!opt->todo_as_event)
        add_alarm(c, 6 * 60, 1, "Send your thank-you note today");
    buf_release(&uid);
    buf_release(&summary);
    buf_release(&desc);
    return c;
}

/* The RRULE that rules_checkin_each expands. */
static void checkin_rrule(const struct rules_checkin *ci, struct buf *b)
{
    buf_printf(b, "FREQ=MONTHLY;INTERVAL=%d", ci->months);
    if (ci->until) {
        struct civil u;

        tz_civil_from_epoch(ci->until, &u);
        buf_printf(b, ";UNTIL=%04d%02d%02dT%02d%02d%02dZ", u.year, u.month,
                   u.day, u.hour, u.minute, u.second);
    }
}

icalcomponent *ics_build_checkin(const struct contact *host,
                                 const struct interview *anchor,
                                 const struct rules_checkin *ci)
{
    struct buf uid, text;
    icalcomponent *c;
    struct icalrecurrencetype r;
    utc_t first, modified;

    buf_init(&uid);
    buf_init(&text);
    buf_printf(&uid, "%s%s", host->uid, ICS_CHECKIN_SUFFIX);
    modified =
        host->modified > anchor->modified ? host->modified : anchor->modified;
    c = component(ICAL_VEVENT_COMPONENT, uid.data, ICS_KIND_CHECKIN, host->seq,
                  host->created, modified);
    buf_printf(&text, "Check in with %s", host->name);
    icalcomponent_add_property(c, icalproperty_new_summary(text.data));
    buf_release(&text);
    tz_to_utc(ci->zone, &ci->first, TZ_RFC5545, &first, NULL);
    icalcomponent_add_property(
        c, zoned_time(icalproperty_new_dtstart, ci->zone, first));
    icalcomponent_add_property(
        c, icalproperty_new_duration(
               icaldurationtype_from_int(RULES_CHECKIN_MINUTES * 60)));
    checkin_rrule(ci, &text);
    r = icalrecurrencetype_from_string(text.data);
    icalcomponent_add_property(c, icalproperty_new_rrule(r));
    buf_release(&text);
    buf_adds(&text, "A short email to keep in touch: share an article or "
                    "news about ");
    buf_adds(&text, util_empty(host->company) ? "their field" : host->company);
    icalcomponent_add_property(c, icalproperty_new_description(text.data));
    icalcomponent_add_property(
        c, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    add_related(c, anchor->uid);
    add_x(c, X_HOST_UID, host->uid);
    buf_release(&text);
    buf_release(&uid);
    return c;
}

icalcomponent *ics_build_landed(const struct followup *f,
                                const struct contact *host,
                                const struct ics_options *opt)
{
    struct buf summary;
    icalcomponent *c;
    const char *zone = host->tz ? host->tz : "UTC";

    buf_init(&summary);
    buf_printf(&summary, "Tell %s you landed a job", host->name);
    c = build_deadline(ICS_KIND_LANDED, f->uid, summary.data,
                       f->note ? f->note
                               : "Share the good news and thank them again "
                                 "for their time.",
                       zone, f->due, f->done, f->seq, f->created, f->modified,
                       opt);
    add_x(c, X_HOST_UID, host->uid);
    add_x(c, X_HOST_NAME, host->name);
    buf_release(&summary);
    return c;
}
