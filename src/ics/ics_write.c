/* SPDX-License-Identifier: MIT */
/* ics.c - the VEVENTs and VTODOs of each interview, written as RFC 5545
 * text directly: building libical components only to serialise them cost
 * three quarters of an export (libical still reads every import) */
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

const char *ics_kind_name(enum ics_kind kind)
{
    return kind_names[kind];
}

int ics_kind_parse(const char *name, enum ics_kind *out)
{
    for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
        if (name && strcmp(name, kind_names[i]) == 0) {
            *out = (enum ics_kind)i;
            return 0;
        }
    return -1;
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

/* RFC 5545 3.1: content lines are folded at 75 octets, never inside a
 * UTF-8 sequence, continuation lines starting with one space. */
static void fold(struct buf *out, const char *s, size_t n)
{
    size_t i = 0, room = 75, end;

    while (n - i > room) {
        end = i + room;
        while (end > i && ((unsigned char)s[end] & 0xc0) == 0x80)
            end--; /* back to the start of a UTF-8 sequence */
        buf_add(out, s + i, end - i);
        buf_add(out, "\r\n ", 3);
        i = end;
        room = 74; /* the leading space counts */
    }
    buf_add(out, s + i, n - i);
    buf_add(out, "\r\n", 2);
}

/* The text being written: whole components, one logical line at a time. */
struct writer {
    struct buf *out;
    struct buf line;
};

static void line_begin(struct writer *w, const char *name)
{
    w->line.len = 0;
    buf_adds(&w->line, name);
}

static void line_end(struct writer *w)
{
    if (w->line.failed)
        w->out->failed = 1; /* a cut line must not pass for a whole one */
    else
        fold(w->out, w->line.data, w->line.len);
}

/* RFC 5545 3.2 with RFC 6868: a parameter value is quoted when it holds
 * ':', ';' or ','; a double quote or a newline becomes ^' or ^n. */
static void param(struct writer *w, const char *name, const char *value)
{
    int quote = strpbrk(value, ":;,") != NULL;
    size_t run;

    buf_add(&w->line, ";", 1);
    buf_adds(&w->line, name);
    buf_add(&w->line, quote ? "=\"" : "=", quote ? 2 : 1);
    for (const char *p = value;;) {
        run = strcspn(p, "\"\n^\r\t");
        buf_add(&w->line, p, run);
        p += run;
        if (!*p)
            break;
        if (*p == '"')
            buf_add(&w->line, "^'", 2);
        else if (*p == '\n')
            buf_add(&w->line, "^n", 2);
        else if (*p == '^')
            buf_add(&w->line, "^^", 2);
        p++; /* other control characters are dropped */
    }
    if (quote)
        buf_add(&w->line, "\"", 1);
}

/* RFC 5545 3.3.11: TEXT escapes backslash, ';', ',' and newline. */
static void text_value(struct writer *w, const char *v)
{
    size_t run;

    buf_add(&w->line, ":", 1);
    for (;;) {
        run = strcspn(v, "\\;,\n\r");
        buf_add(&w->line, v, run);
        v += run;
        if (!*v)
            break;
        if (*v == '\n')
            buf_add(&w->line, "\\n", 2);
        else if (*v != '\r') {
            buf_add(&w->line, "\\", 1);
            buf_add(&w->line, v, 1);
        }
        v++;
    }
}

static void prop_text(struct writer *w, const char *name, const char *v)
{
    line_begin(w, name);
    text_value(w, v);
    line_end(w);
}

/* A value of a type that needs no escaping (dates, numbers, URIs). */
static void prop_raw(struct writer *w, const char *name, const char *v)
{
    line_begin(w, name);
    buf_add(&w->line, ":", 1);
    buf_adds(&w->line, v);
    line_end(w);
}

static void prop_x(struct writer *w, const char *name, const char *v)
{
    if (!util_empty(v))
        prop_text(w, name, v);
}

/* Decimal digits of 'v' into 'out' (at least 21 bytes); returns the end. */
static char *decimal(int64_t v, char *out)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *out++ = '-';
    while (n)
        *out++ = tmp[--n];
    *out = '\0';
    return out;
}

static void prop_int(struct writer *w, const char *name, int64_t v)
{
    char num[24];

    decimal(v, num);
    prop_raw(w, name, num);
}

static void prop_x_int(struct writer *w, const char *name, int64_t v)
{
    if (v)
        prop_int(w, name, v);
}

/* "20261203T150000": snprintf showed up in profiles of large exports. */
static void date_time(const struct civil *c, char out[16])
{
    int y = c->year;

    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = (char)('0' + c->month / 10);
    out[5] = (char)('0' + c->month % 10);
    out[6] = (char)('0' + c->day / 10);
    out[7] = (char)('0' + c->day % 10);
    out[8] = 'T';
    out[9] = (char)('0' + c->hour / 10);
    out[10] = (char)('0' + c->hour % 10);
    out[11] = (char)('0' + c->minute / 10);
    out[12] = (char)('0' + c->minute % 10);
    out[13] = (char)('0' + c->second / 10);
    out[14] = (char)('0' + c->second % 10);
    out[15] = '\0';
}

/* RFC 5545 3.3.5 form 2: a UTC DATE-TIME. */
static void prop_utc(struct writer *w, const char *name, utc_t t)
{
    struct civil c;
    char v[16];

    tz_civil_from_epoch(t, &c);
    date_time(&c, v);
    line_begin(w, name);
    buf_add(&w->line, ":", 1);
    buf_add(&w->line, v, 15);
    buf_add(&w->line, "Z", 1);
    line_end(w);
}

/* RFC 5545 3.3.5 form 3: local time with TZID, or UTC for UTC. */
static void prop_zoned(struct writer *w, const char *name, const char *zone,
                       utc_t t)
{
    struct civil c;
    char v[16];

    /* RFC 5545 3.3.5 reads a repeated wall time as its first occurrence:
     * the second is written in UTC, so that every reader agrees */
    if (strcmp(zone, "UTC") == 0 || tz_from_utc(zone, t, &c, NULL, NULL) < 0 ||
        tz_ambiguous(zone, t)) {
        prop_utc(w, name, t);
        return;
    }
    line_begin(w, name);
    param(w, "TZID", zone);
    date_time(&c, v);
    buf_add(&w->line, ":", 1);
    buf_add(&w->line, v, 15);
    line_end(w);
}

/* RFC 5545 3.3.6: "PT30M", "PT1H", "-PT6H". */
static void duration_text(long secs, char *out, size_t n)
{
    const char *sign = secs < 0 ? "-" : "";
    long a = secs < 0 ? -secs : secs;
    long d = a / 86400, h = a / 3600 % 24, m = a / 60 % 60, s = a % 60;
    int len;

    len = snprintf(out, n, "%sP", sign);
    if (d)
        len += snprintf(out + len, n - (size_t)len, "%ldD", d);
    if (h || m || s || !d)
        len += snprintf(out + len, n - (size_t)len, "T");
    if (h)
        len += snprintf(out + len, n - (size_t)len, "%ldH", h);
    if (m)
        len += snprintf(out + len, n - (size_t)len, "%ldM", m);
    if (s || (!d && !h && !m))
        snprintf(out + len, n - (size_t)len, "%ldS", s);
}

static void prop_duration(struct writer *w, const char *name, long secs)
{
    char v[40];

    duration_text(secs, v, sizeof(v));
    prop_raw(w, name, v);
}

/* The properties every tiara component opens with. */
static void open_component(struct writer *w, const char *kind, const char *uid,
                           enum ics_kind what, int seq, utc_t created,
                           utc_t modified)
{
    prop_raw(w, "BEGIN", kind);
    prop_text(w, "UID", uid);
    /* RFC 5545 3.8.7.2: without METHOD, DTSTAMP is the last revision. */
    prop_utc(w, "DTSTAMP", modified);
    prop_utc(w, "CREATED", created);
    prop_utc(w, "LAST-MODIFIED", modified);
    prop_int(w, "SEQUENCE", seq);
    prop_raw(w, X_KIND, kind_names[what]);
}

static void related(struct writer *w, const char *parent_uid)
{
    line_begin(w, "RELATED-TO");
    param(w, "RELTYPE", "PARENT");
    text_value(w, parent_uid);
    line_end(w);
}

static void alarm(struct writer *w, int minutes_before, int related_end,
                  const char *text)
{
    char v[40];

    prop_raw(w, "BEGIN", "VALARM");
    prop_raw(w, "ACTION", "DISPLAY");
    duration_text(-minutes_before * 60L, v, sizeof(v));
    line_begin(w, "TRIGGER");
    if (related_end) /* RFC 5545 3.8.6.3: relative to DUE for a VTODO */
        param(w, "RELATED", "END");
    buf_add(&w->line, ":", 1);
    buf_adds(&w->line, v);
    line_end(w);
    prop_text(w, "DESCRIPTION", text);
    prop_raw(w, "END", "VALARM");
}

static void host_attendee(struct writer *w, const struct contact *host)
{
    if (util_empty(host->email))
        return;
    line_begin(w, "ATTENDEE");
    param(w, "CN", host->name);
    param(w, "ROLE", "REQ-PARTICIPANT");
    /* RFC 6638 7.1: the user arranges the meeting; a scheduling server
     * must not send the host invitations of its own. */
    param(w, "SCHEDULE-AGENT", "CLIENT");
    buf_printf(&w->line, ":mailto:%s", host->email);
    line_end(w);
}

/* Everything about the host, so an import restores the contact. */
static void host_x(struct writer *w, const struct contact *host,
                   const struct contact *referrer,
                   const struct ics_options *opt)
{
    prop_x(w, X_HOST_UID, host->uid);
    prop_x(w, X_HOST_NAME, host->name);
    prop_x(w, X_HOST_EMAIL, host->email);
    prop_x(w, X_HOST_COMPANY, host->company);
    prop_x(w, X_HOST_ROLE, host->role);
    prop_x(w, X_HOST_PHONE, host->phone);
    prop_x(w, X_HOST_LINKEDIN, host->linkedin);
    prop_x(w, X_HOST_TZ, host->tz);
    if (opt->with_notes)
        prop_x(w, X_HOST_NOTES, host->notes);
    prop_x(w, X_HOST_CADENCE, model_cadence_name(host->cadence));
    prop_x_int(w, X_HOST_STOPPED, host->checkin_stopped);
    prop_x_int(w, X_HOST_SEQ, host->seq);
    prop_x_int(w, X_HOST_CREATED, host->created);
    prop_x_int(w, X_HOST_MODIFIED, host->modified);
    if (referrer) {
        prop_x(w, X_REFERRER_UID, referrer->uid);
        prop_x(w, X_REFERRER_NAME, referrer->name);
    }
}

static void host_label(const struct contact *host, struct buf *b)
{
    buf_adds(b, host->name);
    if (!util_empty(host->company))
        buf_printf(b, " (%s)", host->company);
}

void ics_interview_summary(const struct contact *host, struct buf *out)
{
    buf_adds(out, "Informational interview with ");
    host_label(host, out);
}

static void writer_init(struct writer *w, struct buf *out)
{
    w->out = out;
    buf_init(&w->line);
}

static void writer_release(struct writer *w)
{
    buf_release(&w->line);
}

void ics_write_interview(struct buf *out, const struct interview *iv,
                         const struct contact *host,
                         const struct contact *referrer,
                         const struct ics_options *opt)
{
    struct writer w;
    struct buf b;

    writer_init(&w, out);
    buf_init(&b);
    open_component(&w, "VEVENT", iv->uid, ICS_KIND_INTERVIEW, iv->seq,
                   iv->created, iv->modified);
    ics_interview_summary(host, &b);
    prop_text(&w, "SUMMARY", util_empty(iv->title) ? b.data : iv->title);
    prop_zoned(&w, "DTSTART", iv->tz, iv->start);
    prop_duration(&w, "DURATION", iv->minutes * 60L);
    b.len = 0;
    if (iv->mode == MODE_PHONE) {
        buf_adds(&b, ICS_PHONE_PREFIX);
        if (!util_empty(iv->location))
            buf_printf(&b, ": %s", iv->location);
        prop_text(&w, "LOCATION", b.data);
    } else if (!util_empty(iv->location)) {
        prop_text(&w, "LOCATION", iv->location);
    } else if (iv->mode == MODE_VIDEO && !util_empty(iv->video_url)) {
        prop_text(&w, "LOCATION", iv->video_url);
    }
    if (!util_empty(iv->video_url))
        prop_raw(&w, "URL", iv->video_url);
    b.len = 0;
    buf_adds(&b, "Small talk, then your questions (TIARA: Trends, Insights, "
                 "Advice, Resources, Assignments), then next steps.\n"
                 "Before the end ask: Can you suggest other people I could "
                 "speak to? May I mention your name?");
    if (opt->with_notes && !util_empty(iv->notes))
        buf_printf(&b, "\n\nNotes: %s", iv->notes);
    prop_text(&w, "DESCRIPTION", b.data);
    prop_raw(&w, "STATUS",
             iv->status == STATUS_CANCELLED ? "CANCELLED" : "CONFIRMED");
    prop_raw(&w, "TRANSP", "OPAQUE");
    prop_text(&w, "CATEGORIES", "Interview");
    host_attendee(&w, host);
    prop_x(&w, X_MODE, model_mode_name(iv->mode));
    prop_x(&w, X_BOOKED_TZ, iv->tz);
    prop_x(&w, X_THANKS_TZ, iv->thanks_tz);
    prop_x(&w, X_AGENDA, iv->agenda);
    prop_x_int(&w, X_PREP_DONE, iv->prep_done);
    prop_x_int(&w, X_THANKED, iv->thanked);
    prop_x_int(&w, X_ACTUAL_START, iv->actual_start);
    prop_x_int(&w, X_ACTUAL_END, iv->actual_end);
    if (opt->with_notes)
        prop_x(&w, X_NOTES, iv->notes);
    host_x(&w, host, referrer, opt);
    if (iv->status == STATUS_SCHEDULED)
        alarm(&w, RULES_ALARM_MINUTES, 0, "Informational interview soon");
    prop_raw(&w, "END", "VEVENT");
    buf_release(&b);
    writer_release(&w);
}

/* A deadline: a VTODO with DUE, or a short VEVENT ending at the due time
 * for calendars that take no VTODO. Leaves the component open. */
static const char *deadline(struct writer *w, enum ics_kind kind,
                            const char *uid, const char *summary,
                            const char *description, const char *zone,
                            utc_t due, utc_t done, int cancelled, int seq,
                            utc_t created, utc_t modified,
                            const struct ics_options *opt)
{
    if (opt->todo_as_event) {
        struct buf b;

        open_component(w, "VEVENT", uid, kind, seq, created, modified);
        buf_init(&b);
        buf_printf(&b, "%s%s", done ? "Done: " : "", summary);
        prop_text(w, "SUMMARY", b.data);
        buf_release(&b);
        prop_zoned(w, "DTSTART", zone, due - 15 * 60);
        prop_duration(w, "DURATION", 15 * 60);
        prop_raw(w, "TRANSP", "TRANSPARENT");
        if (cancelled)
            prop_raw(w, "STATUS", "CANCELLED");
        prop_x_int(w, X_DONE, done);
    } else {
        open_component(w, "VTODO", uid, kind, seq, created, modified);
        prop_text(w, "SUMMARY", summary);
        prop_zoned(w, "DUE", zone, due);
        /* RFC 5545 3.8.1.11: a task that will not be done; whether it was
         * is kept in the interview's X-TIARA properties */
        if (cancelled) {
            prop_raw(w, "STATUS", "CANCELLED");
        } else if (done) {
            prop_raw(w, "STATUS", "COMPLETED");
            prop_utc(w, "COMPLETED", done);
            prop_int(w, "PERCENT-COMPLETE", 100);
        } else {
            prop_raw(w, "STATUS", "NEEDS-ACTION");
        }
    }
    if (description)
        prop_text(w, "DESCRIPTION", description);
    return opt->todo_as_event ? "VEVENT" : "VTODO";
}

int ics_write_prep(struct buf *out, const struct interview *iv,
                   const struct contact *host, const struct ics_options *opt,
                   struct err *err)
{
    utc_t due;
    struct buf uid, summary;
    struct writer w;
    const char *kind;
    int none;

    if ((none = rules_prep_due(iv, &due, err)) != 0)
        return none;
    writer_init(&w, out);
    buf_init(&uid);
    buf_init(&summary);
    buf_printf(&uid, "%s%s", iv->uid, ICS_PREP_SUFFIX);
    buf_adds(&summary, "Prepare for the interview with ");
    host_label(host, &summary);
    kind = deadline(&w, ICS_KIND_PREP, uid.data, summary.data,
                    "Research the host and the company. Prepare a few "
                    "stories and questions:\n"
                    "- Trends: where is the field going?\n"
                    "- Insights: what do you wish you had known?\n"
                    "- Advice: what would you do in my place?\n"
                    "- Resources: what should I read or join?\n"
                    "- Assignments: what could I try next?\n"
                    "Bring copies of your resume; offer one only if asked.",
                    iv->tz, due, iv->prep_done, iv->status == STATUS_CANCELLED,
                    iv->seq, iv->created, iv->modified, opt);
    related(&w, iv->uid);
    /* RELATED=END: before DUE of a VTODO, before DTEND (the due time) of
     * the event form (RFC 5545 3.8.6.3) */
    if (iv->status == STATUS_SCHEDULED)
        alarm(&w, 60, 1, "Prepare for your interview");
    prop_raw(&w, "END", kind);
    buf_release(&uid);
    buf_release(&summary);
    writer_release(&w);
    return 0;
}

int ics_write_thanks(struct buf *out, const struct interview *iv,
                     const struct contact *host, const struct ics_options *opt,
                     struct err *err)
{
    utc_t due;
    struct buf uid, summary, desc;
    struct writer w;
    const char *kind;

    if (rules_thanks_due(iv, rules_thanks_zone(iv), &due, err) < 0)
        return -1;
    writer_init(&w, out);
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
    kind = deadline(&w, ICS_KIND_THANKS, uid.data, summary.data, desc.data,
                    iv->tz, due, iv->thanked, iv->status == STATUS_CANCELLED,
                    iv->seq, iv->created, iv->modified, opt);
    related(&w, iv->uid);
    if (iv->status == STATUS_SCHEDULED)
        alarm(&w, 6 * 60, 1, "Send your thank-you note today");
    prop_raw(&w, "END", kind);
    buf_release(&uid);
    buf_release(&summary);
    buf_release(&desc);
    writer_release(&w);
    return 0;
}

void ics_write_checkin(struct buf *out, const struct contact *host,
                       const struct interview *anchor,
                       const struct rules_checkin *ci, int cancelled)
{
    struct buf uid, text;
    struct writer w;
    utc_t first, modified;

    writer_init(&w, out);
    buf_init(&uid);
    buf_init(&text);
    buf_printf(&uid, "%s%s", host->uid, ICS_CHECKIN_SUFFIX);
    modified =
        host->modified > anchor->modified ? host->modified : anchor->modified;
    open_component(&w, "VEVENT", uid.data, ICS_KIND_CHECKIN, host->seq,
                   host->created, modified);
    buf_printf(&text, "Check in with %s", host->name);
    prop_text(&w, "SUMMARY", text.data);
    tz_to_utc(ci->zone, &ci->first, TZ_RFC5545, &first, NULL);
    prop_zoned(&w, "DTSTART", ci->zone, first);
    prop_duration(&w, "DURATION", RULES_CHECKIN_MINUTES * 60L);
    /* The RRULE that rules_checkin_each expands. A cancelled series has
     * none: clients show a cancelled series struck through for ever. */
    text.len = 0;
    buf_printf(&text, "FREQ=MONTHLY;INTERVAL=%d", ci->months);
    if (ci->until) {
        struct civil u;

        tz_civil_from_epoch(ci->until, &u);
        buf_printf(&text, ";UNTIL=%04d%02d%02dT%02d%02d%02dZ", u.year, u.month,
                   u.day, u.hour, u.minute, u.second);
    }
    if (cancelled)
        prop_raw(&w, "STATUS", "CANCELLED");
    else
        prop_raw(&w, "RRULE", text.data);
    text.len = 0;
    buf_adds(&text, "A short email to keep in touch: share an article or "
                    "news about ");
    buf_adds(&text, util_empty(host->company) ? "their field" : host->company);
    prop_text(&w, "DESCRIPTION", text.data);
    prop_raw(&w, "TRANSP", "TRANSPARENT");
    related(&w, anchor->uid);
    prop_x(&w, X_HOST_UID, host->uid);
    prop_raw(&w, "END", "VEVENT");
    buf_release(&text);
    buf_release(&uid);
    writer_release(&w);
}

void ics_write_landed(struct buf *out, const struct followup *f,
                      const struct contact *host, const struct ics_options *opt)
{
    struct buf summary;
    struct writer w;
    const char *zone = host->tz ? host->tz : "UTC";
    const char *kind;

    writer_init(&w, out);
    buf_init(&summary);
    buf_printf(&summary, "Tell %s you landed a job", host->name);
    kind = deadline(&w, ICS_KIND_LANDED, f->uid, summary.data,
                    f->note ? f->note
                            : "Share the good news and thank them again "
                              "for their time.",
                    zone, f->due, f->done, 0, f->seq, f->created, f->modified,
                    opt);
    prop_x(&w, X_HOST_UID, host->uid);
    prop_x(&w, X_HOST_NAME, host->name);
    prop_raw(&w, "END", kind);
    buf_release(&summary);
    writer_release(&w);
}

void ics_write_removed(struct buf *out, const struct store_removed *r,
                       const struct ics_options *opt)
{
    struct writer w;
    enum ics_kind kind = ICS_KIND_INTERVIEW;
    int timed;

    ics_kind_parse(r->kind, &kind);
    timed = kind == ICS_KIND_INTERVIEW || kind == ICS_KIND_CHECKIN;
    writer_init(&w, out);
    if (timed || opt->todo_as_event) {
        open_component(&w, "VEVENT", r->uid, kind, r->seq, r->created,
                       r->removed);
        prop_text(&w, "SUMMARY", r->summary);
        prop_zoned(&w, "DTSTART", r->tz, timed ? r->start : r->start - 15 * 60);
        prop_duration(&w, "DURATION", timed ? r->minutes * 60L : 15 * 60);
        prop_raw(&w, "STATUS", "CANCELLED");
        prop_raw(&w, "TRANSP", "TRANSPARENT");
    } else {
        open_component(&w, "VTODO", r->uid, kind, r->seq, r->created,
                       r->removed);
        prop_text(&w, "SUMMARY", r->summary);
        prop_zoned(&w, "DUE", r->tz, r->start);
        prop_raw(&w, "STATUS", "CANCELLED");
    }
    if (strcmp(r->tz, "UTC") != 0)
        prop_x(&w, X_BOOKED_TZ, r->tz);
    prop_int(&w, X_REMOVED, r->removed);
    prop_raw(&w, "END", timed || opt->todo_as_event ? "VEVENT" : "VTODO");
    writer_release(&w);
}
