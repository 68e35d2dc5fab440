/* SPDX-License-Identifier: MIT */
/* test_ics.c - export against a golden file, RRULE against libical's own
 * expansion, round trip, and invitations from other clients */
#include <libical/ical.h>
#include <stdlib.h>

#include "check.h"
#include "ics.h"
#include "rules.h"
#include "tz.h"
#include "util.h"

static const char *data_dir = "tests/data";

static utc_t iso(int y, int mo, int d, int h, int mi)
{
    struct civil c = {y, mo, d, h, mi, 0};

    return tz_epoch_from_civil(&c);
}

static int64_t contact(struct store *st, const char *uid, const char *name,
                       const char *email, const char *tz, enum cadence cad,
                       int64_t referred_by)
{
    struct contact c;
    int64_t id;

    model_contact_init(&c);
    c.uid = strdup(uid);
    c.name = strdup(name);
    c.email = util_strdup(email);
    c.tz = util_strdup(tz);
    c.cadence = cad;
    c.referred_by = referred_by;
    c.company = strdup("Acme, Inc.");
    c.notes = strdup("met at the meetup; likes data; private");
    c.created = c.modified = iso(2026, 11, 1, 9, 0);
    CHECK(store_contact_add(st, &c, NULL) == 0);
    id = c.id;
    model_contact_release(&c);
    return id;
}

static int64_t interview(struct store *st, const char *uid, int64_t who,
                         const char *tz, utc_t start, int minutes,
                         enum interview_mode mode, const char *where)
{
    struct interview iv;
    int64_t id;

    model_interview_init(&iv);
    iv.uid = strdup(uid);
    iv.contact_id = who;
    iv.tz = strdup(tz);
    iv.start = start;
    iv.minutes = minutes;
    iv.mode = mode;
    iv.location = util_strdup(where);
    iv.notes = strdup("Ask about the data platform;\nmention the course.");
    iv.created = iv.modified = iso(2026, 11, 2, 9, 0);
    CHECK(store_interview_add(st, &iv, NULL) == 0);
    id = iv.id;
    model_interview_release(&iv);
    return id;
}

static void fill(struct store *st)
{
    int64_t ana, bob, cy;
    struct followup f;

    ana = contact(st, "c-ana", "Ana Pérez", "ana@example.com",
                  "America/New_York", CADENCE_QUARTERLY, 0);
    bob =
        contact(st, "c-bob", "Bob Stone", NULL, NULL, CADENCE_SEMIANNUAL, ana);
    cy = contact(st, "c-cy", "Cy Lord", "cy@example.au", "Australia/Lord_Howe",
                 CADENCE_QUARTERLY, bob);
    interview(st, "iv-1", ana, "Europe/London", iso(2026, 11, 30, 15, 0), 30,
              MODE_VIDEO, NULL);
    interview(st, "iv-2", bob, "Europe/London", iso(2027, 1, 31, 10, 0), 45,
              MODE_IN_PERSON, "Café Nero, Leeds");
    interview(st, "iv-3", cy, "Australia/Lord_Howe", iso(2026, 10, 3, 23, 0),
              60, MODE_PHONE, "+61 2 5555 0100");
    model_followup_init(&f);
    f.uid = strdup("landed-ana");
    f.contact_id = ana;
    f.due = iso(2027, 3, 1, 17, 0);
    f.created = f.modified = iso(2027, 2, 20, 9, 0);
    CHECK(store_followup_add(st, &f, NULL) == 0);
    model_followup_release(&f);
}

static char *export_text(struct store *st, int with_notes, int todo_as_event)
{
    struct ics_options o = {.todo_as_event = todo_as_event,
                            .with_notes = with_notes};
    char *text = NULL;
    size_t len;
    FILE *m = open_memstream(&text, &len);

    CHECK(ics_export(st, NULL, &o, m, NULL) == 0);
    fclose(m);
    return text;
}

static void golden(const char *text, const char *name)
{
    struct buf path;
    char *want = NULL;

    buf_init(&path);
    buf_printf(&path, "%s/%s", data_dir, name);
    if (getenv("TIARA_UPDATE_GOLDEN")) {
        FILE *f = fopen(path.data, "w");

        fputs(text, f);
        fclose(f);
    }
    CHECK(util_read_file(path.data, &want, NULL, NULL) == 0);
    if (want && strcmp(want, text) != 0) {
        fprintf(stderr, "export differs from %s\n", path.data);
        check_failures++;
    }
    free(want);
    buf_release(&path);
}

/* libical's RRULE expansion of each check-in must equal rules'. */
/* The contact UID a tiara component names, read as any client would. */
static const char *x_host_uid(icalcomponent *c)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY);
         p; p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
        if (strcmp(icalproperty_get_x_name(p), "X-TIARA-HOST-UID") == 0)
            return icalproperty_get_x(p);
    return NULL;
}

static void cross_check_rrules(struct store *st, const char *text)
{
    icalcomponent *cal = icalparser_parse_string(text);
    icalcomponent *c;
    int series = 0;

    CHECK(cal != NULL);
    for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        icalproperty *rp =
            icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
        icalproperty *dp =
            icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
        struct icaltimetype start, next;
        icalrecur_iterator *it;
        const char *zone;
        struct interview anchor;
        struct contact host;
        struct rules_checkin ci;
        struct civil w;
        int k = 0;

        if (!rp)
            continue;
        series++;
        zone = icalparameter_get_tzid(
            icalproperty_get_first_parameter(dp, ICAL_TZID_PARAMETER));
        start = icalproperty_get_dtstart(dp);
        CHECK(store_contact_get_uid(st, x_host_uid(c), &host, NULL) == 0);
        CHECK(store_interview_anchor(st, host.id, &anchor, NULL) == 1);
        CHECK(rules_checkin(&host, &anchor, &ci, NULL) == 1);
        CHECK_STR(zone, ci.zone);
        it = icalrecur_iterator_new(icalproperty_get_rrule(rp), start);
        for (next = icalrecur_iterator_next(it);
             !icaltime_is_null_time(next) && k < 40;
             next = icalrecur_iterator_next(it), k++) {
            rules_checkin_nth(&ci, k, &w);
            if (next.year != w.year || next.month != w.month ||
                next.day != w.day || next.hour != w.hour) {
                fprintf(stderr,
                        "occurrence %d: libical %04d-%02d-%02d, "
                        "rules %04d-%02d-%02d\n",
                        k, next.year, next.month, next.day, w.year, w.month,
                        w.day);
                check_failures++;
                break;
            }
        }
        CHECK_INT(k, 40);
        icalrecur_iterator_free(it);
        model_interview_release(&anchor);
        model_contact_release(&host);
    }
    CHECK_INT(series, 3);
    icalcomponent_free(cal);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Busy spans of the user's own events, as "start-end summary" lines in
 * UTC minutes from the window's start. */
struct spans {
    utc_t base;
    char text[512];
};

static int add_span(const struct ics_busy *b, void *ctx)
{
    struct spans *sp = ctx;
    size_t n = strlen(sp->text);

    snprintf(sp->text + n, sizeof(sp->text) - n, "%lld-%lld %s;",
             (long long)(b->start - sp->base) / 60,
             (long long)(b->end - sp->base) / 60, b->summary ? b->summary : "");
    return 0;
}

static void test_busy(void)
{
    static const char cal[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        /* Paris, weekly Mon/Wed/Fri 08:30 local (07:30Z in winter); the
         * Wednesday is excluded, the Friday moved to 10:30 local */
        "BEGIN:VEVENT\r\nUID:s\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=Europe/Paris:20261102T083000\r\n"
        "DTEND;TZID=Europe/Paris:20261102T084500\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\n"
        "EXDATE;TZID=Europe/Paris:20261202T083000\r\n"
        "SUMMARY:Stand-up\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:s\r\nDTSTAMP:20261101T000000Z\r\n"
        "RECURRENCE-ID;TZID=Europe/Paris:20261204T083000\r\n"
        "DTSTART;TZID=Europe/Paris:20261204T103000\r\n"
        "DURATION:PT15M\r\nSUMMARY:Stand-up (moved)\r\nEND:VEVENT\r\n"
        /* free, cancelled and all-day events do not make one busy */
        "BEGIN:VEVENT\r\nUID:f\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261201T100000Z\r\nDURATION:PT1H\r\nTRANSP:TRANSPARENT\r\n"
        "SUMMARY:Free\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261201T110000Z\r\nDURATION:PT1H\r\nSTATUS:CANCELLED\r\n"
        "SUMMARY:Off\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20261201\r\nSUMMARY:Day\r\nEND:VEVENT\r\n"
        /* one plain event in UTC */
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261201T120000Z\r\nDTEND:20261201T123000Z\r\n"
        "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    struct spans sp = {iso(2026, 11, 30, 0, 0), ""};

    CHECK(ics_busy_each(cal, sp.base, iso(2026, 12, 7, 0, 0), add_span, &sp) ==
          0);
    CHECK_STR(sp.text, "450-465 Stand-up;6330-6345 Stand-up (moved);"
                       "2160-2190 Dentist;");
    sp.text[0] = '\0';
    CHECK(ics_busy_each("not a calendar", 0, INT64_MAX, add_span, &sp) == 0);
    CHECK_STR(sp.text, "");
}

/* Series that began decades before the window: walked from an instance
 * near it, the same instances as from DTSTART; rules that cannot be
 * moved on (COUNT, BYMONTHDAY) still walked from the start. */
static void test_busy_old_series(void)
{
    static const char cal[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        /* a Monday in 1990; 08:30 Paris is 07:30Z in winter */
        "BEGIN:VEVENT\r\nUID:w\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=Europe/Paris:19900101T083000\r\nDURATION:PT15M\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n"
        /* every other week from a Thursday, 1,404 weeks before 3 Dec */
        "BEGIN:VEVENT\r\nUID:f\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20000106T100000Z\r\nDURATION:PT15M\r\n"
        "RRULE:FREQ=WEEKLY;INTERVAL=2\r\nSUMMARY:Fortnight\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20000103T100000Z\r\nDURATION:PT15M\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Counted\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20000103T100000Z\r\nDURATION:PT15M\r\n"
        "RRULE:FREQ=WEEKLY;UNTIL=20100101T000000Z\r\nSUMMARY:Ended\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART;TZID=Europe/Paris:20000101T090000\r\nDURATION:PT1H\r\n"
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1\r\nSUMMARY:Monthly\r\nEND:VEVENT\r\n"
        /* more days since 1940 than a walk from DTSTART would take */
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:19400101T120000Z\r\nDURATION:PT30M\r\n"
        "RRULE:FREQ=DAILY\r\nSUMMARY:Daily\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    struct spans sp = {iso(2026, 11, 30, 0, 0), ""};

    CHECK(ics_busy_each(cal, sp.base, iso(2026, 12, 4, 0, 0), add_span, &sp) ==
          0);
    CHECK_STR(sp.text, "450-465 Weekly;4770-4785 Weekly;4920-4935 Fortnight;"
                       "1920-1980 Monthly;720-750 Daily;2160-2190 Daily;"
                       "3600-3630 Daily;5040-5070 Daily;");
    /* a week on: not the fortnightly one; then summer time in Paris */
    sp = (struct spans){iso(2026, 12, 10, 0, 0), ""};
    CHECK(ics_busy_each(cal, sp.base, iso(2026, 12, 11, 0, 0), add_span, &sp) ==
          0);
    CHECK_STR(sp.text, "450-465 Weekly;720-750 Daily;");
    sp = (struct spans){iso(2027, 7, 1, 0, 0), ""};
    CHECK(ics_busy_each(cal, sp.base, iso(2027, 7, 2, 0, 0), add_span, &sp) ==
          0);
    CHECK_STR(
        sp.text,
        "390-405 Weekly;600-615 Fortnight;420-480 Monthly;720-750 Daily;");
    /* 02:30 every third Sunday and Wednesday: the walk may not start on a
     * Sunday the clocks skip 02:30 (29 March 2020), or every later
     * instance would be at 03:30 */
    sp = (struct spans){iso(2020, 4, 19, 0, 0), ""};
    CHECK(ics_busy_each(
              "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
              "BEGIN:VEVENT\r\nUID:g\r\nDTSTAMP:20261101T000000Z\r\n"
              "DTSTART;TZID=Europe/Paris:20100124T023000\r\n"
              "DURATION:PT207M\r\nRRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,WE\r\n"
              "SUMMARY:Gap\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
              sp.base, iso(2020, 4, 20, 0, 0), add_span, &sp) == 0);
    CHECK_STR(sp.text, "30-237 Gap;");
}

/* All or nothing, as sync reads a server's object. */
static int import_text(struct store *st, const char *text, const char *source,
                       utc_t now, struct ics_import_report *rep,
                       struct err *err)
{
    const struct ics_import_options o = {.me = "me@example.com", .strict = 1};

    return ics_import(st, text, source, now, &o, rep, err);
}

int main(int argc, char **argv)
{
    struct store *st, *st2;
    struct ics_import_report rep;
    struct interview iv;
    struct contact c;
    struct err err;
    char *text, *again, *file;
    struct buf path;

    if (argc > 1)
        data_dir = argv[1];
    test_busy();
    test_busy_old_series();
    CHECK(store_open(":memory:", &st, NULL) == 0);
    fill(st);

    text = export_text(st, 0, 0);
    golden(text, "export.ics");
    cross_check_rrules(st, text);
    /* Private notes stay out unless asked for. */
    CHECK(strstr(text, "data platform") == NULL);
    CHECK(strstr(text, "meetup") == NULL);
    CHECK_INT(count(text, "BEGIN:VTIMEZONE"), 3);
    /* 2 prep (iv-3 was recorded after it took place), 3 thanks, landed */
    CHECK_INT(count(text, "BEGIN:VTODO"), 6);

    /* Deadlines as events for VEVENT-only calendars. */
    again = export_text(st, 0, 1);
    CHECK_INT(count(again, "BEGIN:VTODO"), 0);
    CHECK_INT(count(again, "BEGIN:VEVENT"), 12);
    free(again);
    free(text);

    /* Round trip: export, import into an empty store, export again. */
    text = export_text(st, 1, 0);
    CHECK(strstr(text, "data platform") != NULL);
    CHECK(store_open(":memory:", &st2, NULL) == 0);
    CHECK(import_text(st2, text, "round", iso(2027, 1, 1, 0, 0), &rep, &err) ==
          0);
    CHECK_INT(rep.interviews_added, 3);
    CHECK_INT(rep.contacts_added, 3);
    again = export_text(st2, 1, 0);
    CHECK(again && strcmp(text, again) == 0);
    /* A second import changes nothing. */
    CHECK(import_text(st2, text, "round", iso(2027, 1, 1, 0, 0), &rep, NULL) ==
          0);
    CHECK_INT(rep.interviews_added + rep.interviews_updated +
                  rep.contacts_added + rep.tasks_updated,
              0);
    free(again);
    /* Nor does the same content with a newer LAST-MODIFIED, as a server
     * or a phone rewriting the entry leaves it. */
    {
        char *touched = strdup(text);
        char *p = strstr(touched, "UID:iv-2\r\n");
        char *lm = p ? strstr(p, "LAST-MODIFIED:20261102") : NULL;

        CHECK(lm != NULL);
        if (lm)
            memcpy(lm, "LAST-MODIFIED:20270102", 22);
        CHECK(import_text(st2, touched, "server", iso(2027, 1, 5, 0, 0), &rep,
                          NULL) == 0);
        CHECK_INT(rep.interviews_updated, 0);
        CHECK(store_interview_get_uid(st2, "iv-2", &iv, NULL) == 0);
        CHECK_INT(iv.seq, 0);
        model_interview_release(&iv);
        free(touched);
    }

    /* A thank-you ticked off elsewhere marks the interview thanked. */
    {
        char *done = strdup(text);
        char *p = strstr(done, "UID:iv-1-thanks");
        char *st_ = p ? strstr(p, "STATUS:NEEDS-ACTION") : NULL;
        char *lm = p ? strstr(p, "LAST-MODIFIED:20261102") : NULL;

        CHECK(st_ && lm);
        if (st_ && lm) {
            memcpy(st_, "STATUS:COMPLETED   ", 19);
            memcpy(lm, "LAST-MODIFIED:20261203", 22);
            CHECK(import_text(st2, done, "phone", iso(2026, 12, 3, 9, 0), &rep,
                              &err) == 0);
            CHECK_INT(rep.tasks_updated, 1);
            CHECK(store_interview_get_uid(st2, "iv-1", &iv, NULL) == 0);
            CHECK(iv.thanked != 0);
            CHECK_INT(iv.seq, 1);
            model_interview_release(&iv);
        }
        free(done);
    }
    store_close(st2);
    free(text);

    /* Invitations from Outlook (a Windows zone name) and Google. */
    buf_init(&path);
    buf_printf(&path, "%s/invite-outlook.ics", data_dir);
    CHECK(util_read_file(path.data, &file, NULL, NULL) == 0);
    CHECK(import_text(st, file, path.data, iso(2026, 11, 21, 0, 0), &rep,
                      &err) == 0);
    CHECK_INT(rep.interviews_added, 1);
    CHECK_INT(rep.contacts_added, 1);
    free(file);
    CHECK(store_contact_find(st, "clara.vogel@example.de", &c, NULL) == 0);
    CHECK_STR(c.name, "Clara Vogel");
    CHECK(store_interview_find(st, "Clara Vogel", 0, &iv, NULL) == 0);
    CHECK_INT(iv.start, iso(2026, 12, 10, 8, 0)); /* 09:00 CET */
    CHECK_INT(iv.minutes, 45);
    CHECK_STR(iv.location, "Café Einstein, Berlin");
    model_interview_release(&iv);
    model_contact_release(&c);

    path.len = 0;
    buf_printf(&path, "%s/invite-google.ics", data_dir);
    CHECK(util_read_file(path.data, &file, NULL, NULL) == 0);
    CHECK(import_text(st, file, path.data, iso(2026, 11, 21, 0, 0), &rep,
                      &err) == 0);
    free(file);
    CHECK(store_interview_get_uid(st, "7kq2v1b3n4m5@google.com", &iv, NULL) ==
          0);
    CHECK_INT(iv.mode, MODE_VIDEO);
    CHECK_STR(iv.video_url, "https://meet.google.com/abc-defg-hij");
    CHECK_INT(iv.status, STATUS_SCHEDULED);
    /* the organiser's title is the interview's */
    CHECK_STR(iv.title, "Informational chat: product management");
    model_interview_release(&iv);
    path.len = 0;
    buf_printf(&path, "%s/cancel-google.ics", data_dir);
    CHECK(util_read_file(path.data, &file, NULL, NULL) == 0);
    {
        /* as Outlook words a cancellation: not a new title */
        struct buf renamed;
        char *at = strstr(file, "SUMMARY:");
        buf_init(&renamed);
        CHECK(at != NULL);
        buf_add(&renamed, file, (size_t)(at - file) + 8);
        buf_printf(&renamed, "Canceled: %s", at + 8);
        CHECK(import_text(st, renamed.data, path.data, iso(2026, 11, 22, 0, 0),
                          &rep, &err) == 0);
        buf_release(&renamed);
    }
    CHECK_INT(rep.interviews_cancelled, 1);
    free(file);
    CHECK(store_interview_get_uid(st, "7kq2v1b3n4m5@google.com", &iv, NULL) ==
          0);
    CHECK_INT(iv.status, STATUS_CANCELLED);
    CHECK_STR(iv.title, "Informational chat: product management");
    CHECK_INT(iv.seq, 1);
    model_interview_release(&iv);

    /* Malformed input names the problem and stores nothing. */
    path.len = 0;
    buf_printf(&path, "%s/malformed.ics", data_dir);
    CHECK(util_read_file(path.data, &file, NULL, NULL) == 0);
    CHECK(import_text(st, file, "bad.ics", 0, &rep, &err) < 0);
    CHECK_STR(err.msg, "bad.ics: event 'x': DTSTART '2026X' is not a "
                       "DATE-TIME");
    free(file);
    CHECK(import_text(st, "hello", "x.txt", 0, &rep, &err) < 0);
    CHECK(strstr(err.msg, "not an iCalendar file") != NULL);
    buf_release(&path);
    store_close(st);
    return CHECK_DONE();
}
