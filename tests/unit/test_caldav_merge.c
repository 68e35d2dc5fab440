/* SPDX-License-Identifier: MIT */
/* test_caldav_merge.c - a local change applied to the server's text keeps
 * every byte another client wrote */
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "caldav_priv.h"
#include "check.h"

#define CAL_BEGIN "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tiara//EN\r\n"
#define EV_HEAD "BEGIN:VEVENT\r\nUID:tiara-1\r\n"
#define TIARA_ALARM                                                            \
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Soon\r\n"                   \
    "TRIGGER:-PT15M\r\nEND:VALARM\r\n"

/* What tiara wrote when the two sides last agreed. */
static const char base[] = CAL_BEGIN EV_HEAD
    "DTSTAMP:20261120T090000Z\r\nSEQUENCE:0\r\n"
    "DTSTART:20261203T100000Z\r\nDURATION:PT30M\r\n"
    "SUMMARY:Informational interview with Ada\r\n"
    "DESCRIPTION:Questions first\r\n" TIARA_ALARM "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

/* The phone since: its own title, properties, an alarm, an attachment
 * folded its own way, and LF line ends. */
static const char remote[] =
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//tiara//EN\n"
    "BEGIN:VEVENT\nUID:tiara-1\nDTSTAMP:20261120T090000Z\nSEQUENCE:0\n"
    "DTSTART:20261203T100000Z\nDURATION:PT30M\n"
    "SUMMARY:Coffee with Ada (bring the CV)\n"
    "DESCRIPTION:Questions first\n"
    "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\n"
    "CATEGORIES:Career,Coffee\nCOLOR:teal\n"
    "ATTACH;FMTTYPE=application/pdf:https://example.org/a/very/long/path/t\n"
    " o/the/cv.pdf\n"
    "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Soon\nTRIGGER:-PT15M\n"
    "END:VALARM\n"
    "BEGIN:VALARM\nACTION:AUDIO\nTRIGGER:-PT1H\nX-WR-ALARMUID:A1\n"
    "END:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";

/* tiara now: moved two days on. */
static const char moved[] = CAL_BEGIN EV_HEAD
    "DTSTAMP:20261121T090000Z\r\nSEQUENCE:1\r\n"
    "DTSTART:20261205T110000Z\r\nDURATION:PT30M\r\n"
    "SUMMARY:Informational interview with Ada\r\n"
    "DESCRIPTION:Questions first\r\n" TIARA_ALARM "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

int main(void)
{
    char *got;

    /* Only what tiara changed is replaced, in place; the rest is the
     * phone's, byte for byte. */
    got = caldav_merge(base, moved, remote);
    CHECK_STR(got, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//tiara//EN\n"
                   "BEGIN:VEVENT\nUID:tiara-1\n"
                   "DTSTAMP:20261121T090000Z\r\nSEQUENCE:1\r\n"
                   "DTSTART:20261205T110000Z\r\nDURATION:PT30M\n"
                   "SUMMARY:Coffee with Ada (bring the CV)\n"
                   "DESCRIPTION:Questions first\n"
                   "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\n"
                   "CATEGORIES:Career,Coffee\nCOLOR:teal\n"
                   "ATTACH;FMTTYPE=application/pdf:https://example.org/a/very/"
                   "long/path/t\n o/the/cv.pdf\n"
                   "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:Soon\n"
                   "TRIGGER:-PT15M\nEND:VALARM\n"
                   "BEGIN:VALARM\nACTION:AUDIO\nTRIGGER:-PT1H\n"
                   "X-WR-ALARMUID:A1\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n");
    free(got);

    /* Nothing changed here: the server's text comes back untouched. */
    got = caldav_merge(base, base, remote);
    CHECK_STR(got, remote);
    free(got);

    /* tiara's own title changed (the contact was renamed): it wins; its
     * alarm moved: the phone's alarm stays, tiara's old one goes. */
    {
        static const char renamed[] = CAL_BEGIN EV_HEAD
            "DTSTAMP:20261120T090000Z\r\nSEQUENCE:0\r\n"
            "DTSTART:20261203T100000Z\r\nDURATION:PT30M\r\n"
            "SUMMARY:Informational interview with Ada King\r\n"
            "DESCRIPTION:Questions first\r\n"
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Soon\r\n"
            "TRIGGER:-PT30M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        got = caldav_merge(base, renamed, remote);
        CHECK(got && strstr(got, "SUMMARY:Informational interview with Ada "
                                 "King\r\n"));
        CHECK(got && !strstr(got, "Coffee with Ada"));
        CHECK(got && strstr(got, "TRIGGER:-PT30M\r\n"));
        CHECK(got && !strstr(got, "TRIGGER:-PT15M"));
        CHECK(got && strstr(got, "TRIGGER:-PT1H\nX-WR-ALARMUID:A1\n"));
        CHECK(got && strstr(got, "COLOR:teal\n"));
        free(got);
    }

    /* Without a base every property tiara writes is its own; the phone's
     * others stay. A component tiara no longer has goes, a new one comes. */
    {
        static const char two[] = CAL_BEGIN EV_HEAD
            "DTSTAMP:20261120T090000Z\r\nSEQUENCE:0\r\n"
            "DTSTART:20261203T100000Z\r\nDURATION:PT30M\r\n"
            "SUMMARY:Informational interview with Ada\r\n"
            "DESCRIPTION:Questions first\r\n" TIARA_ALARM "END:VEVENT\r\n"
            "BEGIN:VTODO\r\nUID:tiara-1-prep\r\nDTSTAMP:20261120T090000Z\r\n"
            "SUMMARY:Prepare\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

        got = caldav_merge(NULL, moved, remote);
        CHECK(got &&
              strstr(got, "SUMMARY:Informational interview with Ada\r\n"));
        CHECK(got && strstr(got, "COLOR:teal\n"));
        CHECK(got &&
              strstr(got, "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\n"));
        free(got);
        got = caldav_merge(base, two, remote);
        CHECK(got && strstr(got, "UID:tiara-1-prep\r\n"));
        free(got);
        {
            char *with_prep = caldav_merge(base, two, remote);

            got = caldav_merge(two, moved, with_prep);
            CHECK(got && !strstr(got, "tiara-1-prep"));
            CHECK(got && strstr(got, "DTSTART:20261205T110000Z\r\n"));
            free(got);
            free(with_prep);
        }
    }

    /* Text that is not iCalendar: no merge, the caller sends its own. */
    CHECK(caldav_merge(base, moved, "hello") == NULL);
    CHECK(caldav_merge(base, "BEGIN:VCALENDAR\r\n", remote) == NULL);
    return CHECK_DONE();
}
