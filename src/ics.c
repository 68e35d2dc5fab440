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
    struct civil c = {tt.year, tt.month, tt.day, tt.hour, tt.minute,
                      tt.second};
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
    icalcomponent_add_property(c, icalproperty_new_dtstamp(
                                      ics_utc_time(modified)));
    icalcomponent_add_property(c, icalproperty_new_created(
                                      ics_utc_time(created)));
    icalcomponent_add_property(c, icalproperty_new_lastmodified(
                                      ics_utc_time(modified)));
    icalcomponent_add_property(c, icalproperty_new_sequence(seq));
    add_x(c, X_KIND, kind_names[what]);
    return c;
}

static void add_related(icalcomponent *c, const char *parent_uid)
{
    icalproperty *p = icalproperty_new_relatedto(parent_uid);

    icalproperty_add_parameter(p, icalparameter_new_reltype(
                                      ICAL_RELTYPE_PARENT));
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
        icalproperty_add_parameter(p, icalparameter_new_related(
                                          ICAL_RELATED_END));
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
    icalproperty_add_parameter(p, icalparameter_new_role(
                                      ICAL_ROLE_REQPARTICIPANT));
    /* RFC 6638 7.1: the user arranges the meeting; a scheduling server
     * must not send the host invitations of its own. */
    icalproperty_add_parameter(p, icalparameter_new_scheduleagent(
                                      ICAL_SCHEDULEAGENT_CLIENT));
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

static icalcomponent *build_interview(const struct interview *iv,
                                      const struct contact *host,
                                      const struct contact *referrer,
                                      const struct ics_options *opt)
{
    icalcomponent *c = component(ICAL_VEVENT_COMPONENT, iv->uid,
                                 ICS_KIND_INTERVIEW, iv->seq, iv->created,
                                 iv->modified);
    struct buf b;

    buf_init(&b);
    buf_adds(&b, "Informational interview with ");
    host_label(host, &b);
    icalcomponent_add_property(c, icalproperty_new_summary(b.data));
    buf_release(&b);
    icalcomponent_add_property(c, zoned_time(icalproperty_new_dtstart,
                                             iv->tz, iv->start));
    icalcomponent_add_property(c, icalproperty_new_duration(
                                      icaldurationtype_from_int(iv->minutes *
                                                                60)));
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
    icalcomponent_add_property(c, icalproperty_new_status(
                                      iv->status == STATUS_CANCELLED
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
                                     const char *description,
                                     const char *zone, utc_t due,
                                     utc_t done, int seq, utc_t created,
                                     utc_t modified,
                                     const struct ics_options *opt)
{
    icalcomponent *c;

    if (opt->todo_as_event) {
        struct buf b;

        c = component(ICAL_VEVENT_COMPONENT, uid, kind, seq, created,
                      modified);
        buf_init(&b);
        buf_printf(&b, "%s%s", done ? "Done: " : "", summary);
        icalcomponent_add_property(c, icalproperty_new_summary(b.data));
        buf_release(&b);
        icalcomponent_add_property(c, zoned_time(icalproperty_new_dtstart,
                                                 zone, due - 15 * 60));
        icalcomponent_add_property(c, icalproperty_new_duration(
                                          icaldurationtype_from_int(15 * 60)));
        icalcomponent_add_property(c, icalproperty_new_transp(
                                          ICAL_TRANSP_TRANSPARENT));
        add_x_int(c, X_DONE, done);
    } else {
        c = component(ICAL_VTODO_COMPONENT, uid, kind, seq, created, modified);
        icalcomponent_add_property(c, icalproperty_new_summary(summary));
        icalcomponent_add_property(c, zoned_time(icalproperty_new_due, zone,
                                                 due));
        if (done) {
            icalcomponent_add_property(c, icalproperty_new_status(
                                              ICAL_STATUS_COMPLETED));
            icalcomponent_add_property(c, icalproperty_new_completed(
                                              ics_utc_time(done)));
            icalcomponent_add_property(c, icalproperty_new_percentcomplete(
                                              100));
        } else {
            icalcomponent_add_property(c, icalproperty_new_status(
                                              ICAL_STATUS_NEEDSACTION));
        }
    }
    if (description)
        icalcomponent_add_property(c, icalproperty_new_description(
                                          description));
    return c;
}

static icalcomponent *build_prep(const struct interview *iv,
                                 const struct contact *host,
                                 const struct ics_options *opt,
                                 struct err *err)
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

static icalcomponent *build_thanks(const struct interview *iv,
                                   const struct contact *host,
                                   const struct ics_options *opt,
                                   struct err *err)
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

static icalcomponent *build_checkin(const struct contact *host,
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
    modified = host->modified > anchor->modified ? host->modified
                                                 : anchor->modified;
    c = component(ICAL_VEVENT_COMPONENT, uid.data, ICS_KIND_CHECKIN,
                  host->seq, host->created, modified);
    buf_printf(&text, "Check in with %s", host->name);
    icalcomponent_add_property(c, icalproperty_new_summary(text.data));
    buf_release(&text);
    tz_to_utc(ci->zone, &ci->first, TZ_RFC5545, &first, NULL);
    icalcomponent_add_property(c, zoned_time(icalproperty_new_dtstart,
                                             ci->zone, first));
    icalcomponent_add_property(c, icalproperty_new_duration(
                                      icaldurationtype_from_int(
                                          RULES_CHECKIN_MINUTES * 60)));
    checkin_rrule(ci, &text);
    r = icalrecurrencetype_from_string(text.data);
    icalcomponent_add_property(c, icalproperty_new_rrule(r));
    buf_release(&text);
    buf_adds(&text, "A short email to keep in touch: share an article or "
                    "news about ");
    buf_adds(&text, util_empty(host->company) ? "their field"
                                              : host->company);
    icalcomponent_add_property(c, icalproperty_new_description(text.data));
    icalcomponent_add_property(c, icalproperty_new_transp(
                                      ICAL_TRANSP_TRANSPARENT));
    add_related(c, anchor->uid);
    add_x(c, X_HOST_UID, host->uid);
    buf_release(&text);
    buf_release(&uid);
    return c;
}

static icalcomponent *build_landed(const struct followup *f,
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

/* VTIMEZONE for 'zone' under its plain IANA name (libical prefixes its
 * built-in TZIDs, which clients then show to users), covering 'year' on:
 * RFC 5545 3.6.5 needs only the observances the object's times use, and
 * the whole history of a zone is kilobytes in every CalDAV resource. */
static icalcomponent *vtimezone(const char *zone, int year)
{
    icaltimezone *z = icaltimezone_get_builtin_timezone(zone);
    icalcomponent *vtz;
    icalproperty *p;
    struct icaltimetype from = icaltime_null_time();

    if (!z || strcmp(zone, "UTC") == 0)
        return NULL;
    vtz = icalcomponent_new_clone(icaltimezone_get_component(z));
    if (!vtz)
        return NULL;
    p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
    if (p)
        icalproperty_set_tzid(p, zone);
    from.year = year;
    from.month = 1;
    from.day = 1;
    from.zone = icaltimezone_get_utc_timezone();
    /* No end: check-ins recur without one. */
    icaltimezone_truncate_vtimezone(vtz, from, icaltime_null_time(), 0);
    return vtz;
}

/* The year a VTIMEZONE must cover from, for times from 't' on. */
static int first_year(utc_t t)
{
    struct civil c;

    tz_civil_from_epoch(t - 2 * 86400, &c); /* any zone's offset fits */
    return c.year < 1970 ? 1970 : c.year;
}

/* Zone text cache: building a VTIMEZONE costs more than an interview. */
struct zone_cache {
    char *names[64];
    int years[64];
    char *texts[64];
    size_t n;
};

static void zone_cache_release(struct zone_cache *zc);

static const char *zone_text(struct zone_cache *zc, const char *zone,
                             int year)
{
    icalcomponent *vtz;

    for (size_t i = 0; i < zc->n; i++)
        if (zc->years[i] == year && strcmp(zc->names[i], zone) == 0)
            return zc->texts[i];
    if (zc->n == sizeof(zc->names) / sizeof(zc->names[0]))
        zone_cache_release(zc); /* many zones and years: start over */
    vtz = vtimezone(zone, year);
    if (!vtz)
        return "";
    zc->names[zc->n] = strdup(zone);
    zc->years[zc->n] = year;
    zc->texts[zc->n] = icalcomponent_as_ical_string_r(vtz);
    icalcomponent_free(vtz);
    return zc->texts[zc->n++];
}

static void zone_cache_release(struct zone_cache *zc)
{
    for (size_t i = 0; i < zc->n; i++) {
        free(zc->names[i]);
        free(zc->texts[i]);
    }
    zc->n = 0;
}

/* The components implied by one interview, handed one by one to 'emit'. */
typedef int (*emit_fn)(icalcomponent *c, enum ics_kind kind, const char *zone,
                       utc_t earliest, const struct interview *iv,
                       const struct contact *host, void *ctx);

static int emit_interview(const struct interview *iv,
                          const struct contact *host,
                          const struct contact *referrer,
                          const struct ics_options *opt, emit_fn emit,
                          void *ctx, struct err *err)
{
    icalcomponent *c;
    int ret;

    c = build_interview(iv, host, referrer, opt);
    ret = emit(c, ICS_KIND_INTERVIEW, iv->tz, iv->start, iv, host, ctx);
    icalcomponent_free(c);
    if (ret || iv->status != STATUS_SCHEDULED)
        return ret;
    if (!(c = build_prep(iv, host, opt, err)))
        return -1;
    ret = emit(c, ICS_KIND_PREP, iv->tz, iv->start, iv, host, ctx);
    icalcomponent_free(c);
    if (ret)
        return ret;
    if (!(c = build_thanks(iv, host, opt, err)))
        return -1;
    ret = emit(c, ICS_KIND_THANKS, iv->tz, iv->start, iv, host, ctx);
    icalcomponent_free(c);
    return ret;
}

static int emit_checkin(const struct contact *host,
                        const struct interview *anchor, emit_fn emit,
                        void *ctx, struct err *err)
{
    struct rules_checkin ci;
    icalcomponent *c;
    int found, ret;

    found = rules_checkin(host, anchor, &ci, err);
    if (found <= 0)
        return found;
    c = build_checkin(host, anchor, &ci);
    ret = emit(c, ICS_KIND_CHECKIN, anchor->tz, anchor->start, anchor, host,
               ctx);
    icalcomponent_free(c);
    return ret;
}

/* Walk state shared by export and per-entry iteration. */
struct walk {
    struct store *st;
    const struct ics_options *opt;
    struct err *err;
    emit_fn emit;
    void *ctx;
    utc_t from, to;     /* anchors outside are skipped (export windows) */
    int64_t contact_id; /* 0 for all */
};

static int walk_meeting(const struct interview *iv, const struct contact *host,
                        const struct contact *referrer, void *arg)
{
    struct walk *w = arg;

    return emit_interview(iv, host, referrer, w->opt, w->emit, w->ctx,
                          w->err);
}

static int walk_anchor(const struct contact *host,
                       const struct interview *anchor, void *arg)
{
    struct walk *w = arg;

    if (anchor->start < w->from || anchor->start >= w->to)
        return 0;
    return emit_checkin(host, anchor, w->emit, w->ctx, w->err);
}

static int walk_followup(const struct followup *f, void *arg)
{
    struct walk *w = arg;
    struct contact host;
    icalcomponent *c;
    int ret;

    if (w->contact_id && f->contact_id != w->contact_id)
        return 0;
    if (store_contact_get(w->st, f->contact_id, &host, w->err) < 0)
        return -1;
    c = build_landed(f, &host, w->opt);
    ret = w->emit(c, ICS_KIND_LANDED, host.tz ? host.tz : "UTC", f->due, NULL,
                  &host, w->ctx);
    icalcomponent_free(c);
    model_contact_release(&host);
    return ret;
}

static void walk_init(struct walk *w, struct store *st,
                      const struct ics_filter *f,
                      const struct ics_options *opt, emit_fn emit, void *ctx,
                      struct err *err)
{
    memset(w, 0, sizeof(*w));
    w->st = st;
    w->opt = opt;
    w->err = err;
    w->emit = emit;
    w->ctx = ctx;
    w->from = f && (f->from || f->to) ? f->from : INT64_MIN;
    w->to = f && (f->from || f->to) ? f->to : INT64_MAX;
    w->contact_id = f ? f->contact_id : 0;
}

static int walk_all(struct walk *w, int flags)
{
    int ret;

    ret = store_meeting_each(w->st, w->from, w->to, w->contact_id, flags,
                             walk_meeting, w, w->err);
    if (!ret)
        ret = store_anchor_each(w->st, w->contact_id, walk_anchor, w,
                                w->err);
    if (ret || w->from != INT64_MIN || w->to != INT64_MAX)
        return ret; /* follow-ups belong to no time window */
    return store_followup_each(w->st, walk_followup, w, w->err);
}

/* Export: components are written as they are built. */
struct export_ctx {
    FILE *out;
    int failed;
};

static int export_emit(icalcomponent *c, enum ics_kind kind, const char *zone,
                       utc_t earliest, const struct interview *iv,
                       const struct contact *host, void *arg)
{
    struct export_ctx *x = arg;
    char *text = icalcomponent_as_ical_string_r(c);

    (void)kind;
    (void)zone;
    (void)earliest;
    (void)iv;
    (void)host;
    if (!text || fputs(text, x->out) == EOF)
        x->failed = 1;
    free(text);
    return x->failed ? -1 : 0;
}

struct zones_ctx {
    char *names[64];
    size_t n;
    utc_t earliest;
};

static int collect_zone(struct zones_ctx *z, const char *zone)
{
    if (!zone || strcmp(zone, "UTC") == 0)
        return 0;
    for (size_t i = 0; i < z->n; i++)
        if (strcmp(z->names[i], zone) == 0)
            return 0;
    if (z->n < sizeof(z->names) / sizeof(z->names[0]))
        z->names[z->n++] = strdup(zone);
    return 0;
}

static int zones_of_interview(const struct interview *iv, void *arg)
{
    struct zones_ctx *z = arg;

    if (iv->start < z->earliest)
        z->earliest = iv->start;
    return collect_zone(arg, iv->tz);
}

static int zones_of_contact(const struct contact *c, void *arg)
{
    return collect_zone(arg, c->tz);
}

static int zones_of_followup(const struct followup *f, void *arg)
{
    struct zones_ctx *z = arg;

    if (f->due < z->earliest)
        z->earliest = f->due;
    return 0;
}

int ics_export(struct store *st, const struct ics_filter *f,
               const struct ics_options *opt, FILE *out, struct err *err)
{
    struct walk w;
    struct export_ctx x = {out, 0};
    struct zones_ctx zones = {{0}, 0, INT64_MAX};
    struct zone_cache zc;
    int ret = -1;

    memset(&zc, 0, sizeof(zc));
    walk_init(&w, st, f, opt, export_emit, &x, err);
    /* VTIMEZONEs come first (RFC 5545 3.6.5 wants them in the object;
     * clients read them before the components that use them). */
    if (store_interview_each(st, w.from, w.to, w.contact_id,
                             STORE_WITH_CANCELLED, zones_of_interview, &zones,
                             err) ||
        store_contact_each(st, zones_of_contact, &zones, err) ||
        store_followup_each(st, zones_of_followup, &zones, err))
        goto out;
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" ICS_PRODID
          "\r\nCALSCALE:GREGORIAN\r\n",
          out);
    for (size_t i = 0; i < zones.n; i++)
        fputs(zone_text(&zc, zones.names[i], first_year(zones.earliest)), out);
    /* A file keeps cancelled interviews too: nothing is lost on import. */
    if (walk_all(&w, STORE_WITH_CANCELLED) != 0) {
        if (x.failed)
            err_set(err, ERR_IO, "cannot write calendar: %s", strerror(errno));
        goto out;
    }
    if (fputs("END:VCALENDAR\r\n", out) == EOF || fflush(out) == EOF) {
        err_set(err, ERR_IO, "cannot write calendar: %s", strerror(errno));
        goto out;
    }
    ret = 0;
out:
    zone_cache_release(&zc);
    for (size_t i = 0; i < zones.n; i++)
        free(zones.names[i]);
    return ret;
}

/* Per-entry iteration: each component wrapped in its own VCALENDAR. */
struct entry_ctx {
    ics_entry_fn fn;
    void *ctx;
    struct zone_cache zc;
    struct buf text;
};

static int entry_emit(icalcomponent *c, enum ics_kind kind, const char *zone,
                      utc_t earliest, const struct interview *iv,
                      const struct contact *host, void *arg)
{
    struct entry_ctx *e = arg;
    struct ics_entry entry;
    char *body = icalcomponent_as_ical_string_r(c);
    int ret;

    if (!body)
        return -1;
    e->text.len = 0;
    buf_adds(&e->text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" ICS_PRODID
                       "\r\nCALSCALE:GREGORIAN\r\n");
    if (zone && strcmp(zone, "UTC") != 0)
        buf_adds(&e->text, zone_text(&e->zc, zone, first_year(earliest)));
    buf_adds(&e->text, body);
    free(body);
    if (buf_adds(&e->text, "END:VCALENDAR\r\n") < 0)
        return -1;
    entry.kind = kind;
    entry.uid = icalcomponent_get_uid(c);
    entry.text = e->text.data;
    entry.interview_id = kind == ICS_KIND_LANDED || kind == ICS_KIND_CHECKIN
                             ? 0
                             : (iv ? iv->id : 0);
    entry.contact_id = host ? host->id : 0;
    ret = e->fn(&entry, e->ctx);
    return ret;
}

int ics_each_entry(struct store *st, const struct ics_options *opt,
                   ics_entry_fn fn, void *ctx, struct err *err)
{
    struct walk w;
    struct entry_ctx e;
    int ret;

    memset(&e, 0, sizeof(e));
    e.fn = fn;
    e.ctx = ctx;
    buf_init(&e.text);
    walk_init(&w, st, NULL, opt, entry_emit, &e, err);
    /* Cancelled interviews are not entries: their resources go away. */
    ret = walk_all(&w, 0);
    zone_cache_release(&e.zc);
    buf_release(&e.text);
    return ret;
}

int ics_entries_for_interview(struct store *st, int64_t interview_id,
                              const struct ics_options *opt, ics_entry_fn fn,
                              void *ctx, struct err *err)
{
    struct walk w;
    struct entry_ctx e;
    struct interview iv;
    int ret;

    if (store_interview_get(st, interview_id, &iv, err) < 0)
        return -1;
    memset(&e, 0, sizeof(e));
    e.fn = fn;
    e.ctx = ctx;
    buf_init(&e.text);
    walk_init(&w, st, NULL, opt, entry_emit, &e, err);
    w.from = iv.start;
    w.to = iv.start + 1;
    w.contact_id = iv.contact_id;
    ret = store_meeting_each(st, w.from, w.to, w.contact_id, 0, walk_meeting,
                             &w, err);
    w.from = INT64_MIN; /* the contact's series, wherever it is anchored */
    w.to = INT64_MAX;
    if (!ret)
        ret = store_anchor_each(st, iv.contact_id, walk_anchor, &w, err);
    zone_cache_release(&e.zc);
    buf_release(&e.text);
    model_interview_release(&iv);
    return ret;
}
