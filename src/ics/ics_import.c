/* SPDX-License-Identifier: MIT */
/* ics_import.c - reading iCalendar text: what it is, one transaction, and a
 * line for each event that is not taken as it came */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "ics_priv.h"
#include "tz.h"
#include "util.h"

/* "event 'UID'", else "event \"Summary\" of 2026-12-10 10:00": what the
 * user can find the component by in the file. */
static void set_label(struct ics_import *im, icalcomponent *cal,
                      icalcomponent *c)
{
    const char *what = icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT ? "event"
                       : icalcomponent_isa(c) == ICAL_VTODO_COMPONENT
                           ? "task"
                           : icalcomponent_kind_to_string(icalcomponent_isa(c));
    const char *uid = icalcomponent_get_uid(c);
    const char *summary = icalcomponent_get_summary(c);
    char text[80], when[32] = "";
    utc_t t;

    if (!util_empty(uid)) {
        snprintf(text, sizeof(text), "%s", uid);
        util_text_clean(text, 72);
        snprintf(im->label, sizeof(im->label), "%s '%s'", what, text);
        return;
    }
    snprintf(text, sizeof(text), "%s", util_empty(summary) ? "" : summary);
    util_text_clean(text, 60);
    t = ics_prop_instant(im, cal, c, ICAL_DTSTART_PROPERTY);
    if (t)
        tz_format_time(tz_user_zone(), t, when, sizeof(when));
    snprintf(im->label, sizeof(im->label), "%s \"%s\"%s%s", what, text,
             t ? " of " : "", when);
}

/* One component in a step of its own, so that a refusal undoes only it;
 * with 'step' 0 the taker refuses before its first write, and the step
 * (two statements an entry) is left out. */
static int
take(struct ics_import *im, icalcomponent *cal, icalcomponent *c,
     int (*fn)(struct ics_import *, icalcomponent *, icalcomponent *), int step)
{
    int64_t written = store_changes(im->st);

    set_label(im, cal, c);
    if (step && store_savepoint(im->st, im->err) < 0)
        return -1;
    err_clear(im->err);
    if (fn(im, cal, c) == 0) {
        if (step && store_savepoint_release(im->st, im->err) < 0)
            return -1;
        crash_point("import-between-entries");
        return 0;
    }
    if (step)
        store_savepoint_rollback(im->st);
    else if (store_changes(im->st) != written)
        return -1; /* refused after a write: undo the whole import */
    if (im->err->kind != ERR_PARSE && im->err->kind != ERR_INPUT)
        return -1;
    if (im->opt->strict)
        return err_prefix(im->err, "%s: %s", im->source, im->label);
    im->rep->refused++;
    if (im->opt->note) {
        char line[600];

        snprintf(line, sizeof(line), "%s: %s", im->label, im->err->msg);
        im->opt->note(im->opt->note_ctx, ICS_NOTE_REFUSED, line);
    }
    err_clear(im->err);
    return 0;
}

static int skip_method(struct ics_import *im, icalcomponent *cal,
                       icalcomponent *ev)
{
    (void)cal;
    (void)ev;
    ics_note(im, ICS_NOTE_SKIPPED, "METHOD:%s is not a message tiara acts on",
             icalproperty_method_to_string(im->method));
    return 0;
}

static int skip_other(struct ics_import *im, icalcomponent *cal,
                      icalcomponent *c)
{
    icalcomponent_kind k = icalcomponent_isa(c);

    (void)cal;
    ics_note(im, ICS_NOTE_SKIPPED, "%s",
             k == ICAL_VFREEBUSY_COMPONENT ? "free/busy time, not an invitation"
             : k == ICAL_VJOURNAL_COMPONENT
                 ? "a journal entry, not an invitation"
                 : "not a calendar entry tiara keeps");
    return 0;
}

typedef int (*take_fn)(struct ics_import *, icalcomponent *, icalcomponent *);

/* A removed contact's cancelled entry: kept for later exports, and it
 * brings no one back. */
static int take_removed(struct ics_import *im, icalcomponent *cal,
                        icalcomponent *c)
{
    struct store_removed r;
    char owner[512];

    (void)cal;
    if (ics_removed_read(c, &r, owner, sizeof(owner)) < 0) {
        ics_note(im, ICS_NOTE_SKIPPED, "a removed entry without its times");
        return 0;
    }
    return store_removed_put(im->st, &r, im->err);
}

static int derived(struct ics_import *im, icalcomponent *cal, icalcomponent *c)
{
    (void)im;
    (void)cal;
    (void)c;
    return 0; /* a check-in series: derived from its contact and interview */
}

static take_fn other_taker(icalcomponent *c)
{
    const char *kind = ics_x_get(c, X_KIND);
    icalcomponent_kind k = icalcomponent_isa(c);

    if (kind && strcmp(kind, "landed") == 0)
        return ics_take_landed;
    if (kind && strcmp(kind, "checkin") == 0)
        return derived;
    if (k == ICAL_VTODO_COMPONENT || k == ICAL_VEVENT_COMPONENT)
        return ics_take_task;
    return skip_other;
}

/* What reads a VEVENT, by the calendar's METHOD (RFC 5546 1.4). */
static take_fn event_taker(const struct ics_import *im, icalcomponent *ev)
{
    if (ics_x_get(ev, X_KIND))
        return ics_take_event; /* tiara's own export carries no METHOD */
    switch (im->method) {
    case ICAL_METHOD_NONE:
    case ICAL_METHOD_PUBLISH:
    case ICAL_METHOD_REQUEST:
        return ics_take_event;
    case ICAL_METHOD_CANCEL:
        return ics_take_cancel;
    case ICAL_METHOD_REPLY:
        return ics_take_reply;
    case ICAL_METHOD_COUNTER:
        return ics_take_counter;
    default:
        return skip_method;
    }
}

/* Floating times are the user's wall clock, or the zone Google names
 * for the whole calendar (X-WR-TIMEZONE). */
static void set_floating_zone(struct ics_import *im, icalcomponent *cal)
{
    const char *wr = ics_x_get(cal, "X-WR-TIMEZONE");

    im->floating_zone = tz_user_zone();
    if (wr && ics_iana_zone(cal, wr, im->wr_zone, sizeof(im->wr_zone)))
        im->floating_zone = im->wr_zone;
}

void ics_begin_calendar(struct ics_import *im, icalcomponent *cal)
{
    icalproperty *m =
        icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);

    im->method = m ? icalproperty_get_method(m) : ICAL_METHOD_NONE;
    set_floating_zone(im, cal);
}

/* RFC 5545 requires a UID, but older writers leave it out. One made of
 * what the event says (start, summary, organiser) is the same when the
 * same file comes again, so a second import updates instead of doubling. */
void ics_give_uid(icalcomponent *ev)
{
    icalproperty_kind kinds[] = {ICAL_DTSTART_PROPERTY, ICAL_SUMMARY_PROPERTY,
                                 ICAL_ORGANIZER_PROPERTY};
    uint64_t h = ICS_HASH_SEED;
    char uid[48];

    if (!util_empty(icalcomponent_get_uid(ev)) ||
        !icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY))
        return;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        icalproperty *p = icalcomponent_get_first_property(ev, kinds[k]);
        const char *v = p ? icalproperty_get_value_as_string(p) : NULL;
        const unsigned char apart = 0xff; /* the fields apart */

        if (v)
            h = ics_hash(h, v, strlen(v));
        h = ics_hash(h, &apart, 1);
    }
    snprintf(uid, sizeof(uid), "tiara-nouid-%016llx", (unsigned long long)h);
    icalcomponent_set_uid(ev, uid);
}

/* An interview (tiara's or an invitation), not a task or a check-in. */
static int is_event(icalcomponent *c)
{
    const char *kind = ics_x_get(c, X_KIND);

    return icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT &&
           (!kind || strcmp(kind, "interview") == 0);
}

/* Interviews first, then the occurrences that change them, then the
 * tasks, which refer to them. */
int ics_entry_pass(icalcomponent *c)
{
    if (ics_x_get(c, X_REMOVED))
        return 0;
    if (!is_event(c))
        return 2;
    return icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY) ? 1
                                                                           : 0;
}

int ics_take_entry(struct ics_import *im, icalcomponent *cal, icalcomponent *c)
{
    take_fn fn;

    if (ics_x_get(c, X_REMOVED))
        return take(im, cal, c, take_removed, 1);
    if (!is_event(c))
        return take(im, cal, c, other_taker(c), 1);
    /* An invitation's take reads and checks it whole before writing the
     * host, the interview and its iTIP state (ics_take_event). */
    fn = event_taker(im, c);
    return take(im, cal, c, fn, fn != ics_take_event || ics_x_get(c, X_KIND));
}

static int import_calendar(struct ics_import *im, icalcomponent *cal)
{
    icalcomponent **v = NULL, *c;
    size_t n = 0, cap = 0, i;
    int pass, ret = 0;

    ics_begin_calendar(im, cal);
    /* Listed first: the takers look through the calendar themselves. */
    for (c = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
        if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT)
            continue;
        if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT)
            ics_give_uid(c);
        if (ALLOC_GROW(v, n + 1, cap) < 0) {
            free(v);
            return err_set(im->err, ERR_NOMEM, "out of memory");
        }
        v[n++] = c;
    }
    im->rep->entries += (int)n;
    for (pass = 0; pass < 3 && ret == 0; pass++)
        for (i = 0; i < n && ret == 0; i++)
            if (ics_entry_pass(v[i]) == pass)
                ret = ics_take_entry(im, cal, v[i]);
    free(v);
    return ret;
}

/* Complaints that lose nothing tiara reads: an empty value (RFC 5545
 * allows empty TEXT; Google writes "DESCRIPTION:"), a property name
 * libical does not know (RFC 9253's LINK, vendors' own). */
static int harmless(const char *e)
{
    return !e || strncmp(e, "No value for ", 13) == 0 ||
           strncmp(e, "Parse error in property name", 28) == 0 ||
           strncmp(e, "Parse error in parameter", 24) == 0;
}

/* A calendar-level property whose value libical could not read: dropped,
 * and tiara reads none there but METHOD and X-WR-TIMEZONE. */
static int dropped_value(const char *e)
{
    return e && strncmp(e, "Can't parse as ", 15) == 0 &&
           !strstr(e, " METHOD property");
}

/* The first complaint about the calendar itself, not one of its events'
 * (those refuse only their event). */
const char *ics_calendar_error(icalcomponent *c)
{
    icalproperty *p;

    for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
        const char *e = icalproperty_get_xlicerror(p);

        if (!harmless(e) && !dropped_value(e))
            return e;
    }
    return NULL;
}

/* The line of the first byte that is not UTF-8 (RFC 5545 3.1.4), or 0. */
static int bad_utf8_line(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int line = 1;

    while (*p) {
        int len = *p < 0x80             ? 1
                  : (*p & 0xe0) == 0xc0 ? 2
                  : (*p & 0xf0) == 0xe0 ? 3
                  : (*p & 0xf8) == 0xf0 ? 4
                                        : 0;
        int i;

        if (*p == '\n')
            line++;
        if (len == 0 || (len == 2 && *p < 0xc2) || (len == 4 && *p > 0xf4))
            return line;
        for (i = 1; i < len; i++)
            if ((p[i] & 0xc0) != 0x80)
                return line;
        if ((len == 3 && *p == 0xe0 && p[1] < 0xa0) ||
            (len == 3 && *p == 0xed && p[1] >= 0xa0) ||
            (len == 4 && *p == 0xf0 && p[1] < 0x90) ||
            (len == 4 && *p == 0xf4 && p[1] >= 0x90))
            return line; /* overlong, a surrogate, beyond U+10FFFF */
        p += len;
    }
    return 0;
}

/* Why the text is not iCalendar at all, or NULL. */
static const char *not_icalendar(const char *text, char *why, size_t n)
{
    int line;

    if (!strcasestr(text, "BEGIN:VCALENDAR"))
        return "is not an iCalendar file (no BEGIN:VCALENDAR)";
    if ((line = bad_utf8_line(text))) {
        snprintf(why, n,
                 "has line %d not in UTF-8 (Latin-1?): save the file as "
                 "UTF-8 and import it again",
                 line);
        return why;
    }
    return NULL;
}

static icalcomponent *parse_quietly(const char *text, char *complaint, size_t n)
{
    icalcomponent *root;
    FILE *sink = tmpfile();
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

/* A VEVENT or VTODO on its own, as some programs copy one out of a
 * calendar: read as the calendar around it would be. */
static int bare_component(const char *text)
{
    const char *p = text + strspn(text, " \t\r\n");

    return !strcasestr(text, "BEGIN:VCALENDAR") &&
           (strncasecmp(p, "BEGIN:VEVENT", 12) == 0 ||
            strncasecmp(p, "BEGIN:VTODO", 11) == 0);
}

static int wrap(const char *text, char **out)
{
    struct buf b;

    buf_init(&b);
    buf_printf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n%s\r\nEND:VCALENDAR\r\n",
               text);
    if (b.failed) {
        buf_release(&b);
        return -1;
    }
    *out = buf_steal(&b);
    return 0;
}

static int read_root(const char *text, const char *source, icalcomponent **out,
                     struct err *err)
{
    icalcomponent *root;
    const char *perr, *why;
    char complaint[160], reason[160];

    if ((why = not_icalendar(text, reason, sizeof(reason))))
        return err_set(err, ERR_PARSE, "'%s' %s", source, why);
    root = parse_quietly(text, complaint, sizeof(complaint));
    if (!root && !strcasestr(text, "END:VCALENDAR"))
        return err_set(err, ERR_PARSE,
                       "'%s' ends before END:VCALENDAR: the file is cut "
                       "short",
                       source);
    if (!root)
        return err_set(err, ERR_PARSE, "'%s' is not valid iCalendar%s%s",
                       source, complaint[0] ? ": " : "", complaint);
    if ((perr = ics_calendar_error(root)) || (perr = complaint)[0]) {
        err_set(err, ERR_PARSE, "'%s' is malformed: %s", source, perr);
        icalcomponent_free(root);
        return -1;
    }
    *out = root;
    return 0;
}

static int import_root(struct ics_import *im, icalcomponent *root)
{
    icalcomponent *cal;
    int any = 0;

    if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT)
        return import_calendar(im, root);
    for (cal =
             icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
         cal; cal = icalcomponent_get_next_component(
                  root, ICAL_VCALENDAR_COMPONENT)) {
        any = 1;
        if (ics_calendar_error(cal))
            return err_set(im->err, ERR_PARSE, "'%s' is malformed: %s",
                           im->source, ics_calendar_error(cal));
        if (import_calendar(im, cal) < 0)
            return -1;
    }
    if (!any)
        return err_set(im->err, ERR_PARSE, "'%s' holds no VCALENDAR",
                       im->source);
    return 0;
}

int ics_import(struct store *st, const char *text, const char *source,
               utc_t now, const struct ics_import_options *opt,
               struct ics_import_report *rep, struct err *err)
{
    struct err local;
    struct ics_import im;
    icalcomponent *root = NULL;
    char *wrapped = NULL;
    int ret = -1;

    memset(&im, 0, sizeof(im));
    im.st = st;
    im.source = source;
    im.now = now;
    im.opt = opt;
    im.rep = rep;
    im.err = err ? err : &local;
    memset(rep, 0, sizeof(*rep));
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3; /* a UTF-8 byte order mark, as Windows writes it */
    if (bare_component(text) && wrap(text, &wrapped) < 0)
        return err_set(im.err, ERR_NOMEM, "out of memory");
    if (read_root(wrapped ? wrapped : text, source, &root, im.err) < 0) {
        free(wrapped);
        return -1;
    }
    free(wrapped);
    if (store_begin(st, im.err) < 0)
        goto out;
    if (import_root(&im, root) < 0) {
        store_rollback(st);
        goto out;
    }
    crash_point("import-before-commit");
    if (opt->dry_run)
        store_rollback(st);
    else if (store_commit(st, im.err) < 0)
        goto out;
    ret = 0;
out:
    icalcomponent_free(root);
    return ret;
}
