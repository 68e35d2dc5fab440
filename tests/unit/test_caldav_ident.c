/* SPDX-License-Identifier: MIT */
/* test_caldav_ident.c - what counts as the same entry: UID and content hash */
#include <stdlib.h>
#include <string.h>

#include "caldav.h"
#include "caldav_priv.h"
#include "check.h"

static const char base[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tiara//EN\r\n"
    "BEGIN:VEVENT\r\nUID:tiara-1\r\nDTSTAMP:20261120T090000Z\r\n"
    "LAST-MODIFIED:20261120T090000Z\r\nSEQUENCE:1\r\n"
    "DTSTART;TZID=Europe/Paris:20261203T100000\r\n"
    "SUMMARY:Informational interview with Ada Lovelace and a long title "
    "that folds\r\n"
    "ATTENDEE;CN=Ada Lovelace;ROLE=REQ-PARTICIPANT:mailto:ada@example.com\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

/* What Radicale and Xandikos hand back: LF line ends, folded lines,
 * another order, a VTIMEZONE added, quotes, a new DTSTAMP and PRODID. */
static const char rewritten[] =
    "BEGIN:VCALENDAR\nPRODID:-//Radicale//NONSGML//EN\nVERSION:2.0\n"
    "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\n"
    "DTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
    "END:STANDARD\nEND:VTIMEZONE\n"
    "BEGIN:VEVENT\nSUMMARY:Informational interview with Ada Lovelace and a "
    "long \n title that folds\nUID:tiara-1\n"
    "ATTENDEE;CN=\"Ada Lovelace\";ROLE=REQ-PARTICIPANT:mailto:ada@example.com\n"
    "dtstart;TZID=Europe/Paris:20261203T100000\nDTSTAMP:20261121T000000Z\n"
    "SEQUENCE:2\nLAST-MODIFIED:20261121T000000Z\n"
    "END:VEVENT\nEND:VCALENDAR\n";

static const char edited[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tiara//EN\r\n"
    "BEGIN:VEVENT\r\nUID:tiara-1\r\nDTSTAMP:20261120T090000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20261203T140000\r\n"
    "SUMMARY:Informational interview with Ada Lovelace and a long title "
    "that folds\r\n"
    "ATTENDEE;CN=Ada Lovelace;ROLE=REQ-PARTICIPANT:mailto:ada@example.com\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

int main(void)
{
    char a[CALDAV_HASH_LEN], b[CALDAV_HASH_LEN], c[CALDAV_HASH_LEN];
    char *uid, *lm, *copy;

    caldav_content_hash(base, a);
    caldav_content_hash(rewritten, b);
    caldav_content_hash(edited, c);
    CHECK_INT(strlen(a), 32);
    CHECK_STR(a, b);
    CHECK(strcmp(a, c) != 0);

    uid = caldav_ics_uid(rewritten);
    CHECK_STR(uid, "tiara-1");
    free(uid);
    CHECK(caldav_ics_uid("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") == NULL);

    lm = caldav_ics_prop(rewritten, "LAST-MODIFIED");
    CHECK_STR(lm, "20261121T000000Z");
    free(lm);
    /* the VTIMEZONE's DTSTART is not the event's */
    lm = caldav_ics_prop(rewritten, "DTSTART");
    CHECK_STR(lm, "20261203T100000");
    free(lm);

    copy = caldav_ics_with_uid(base, "tiara-1-conflict-abc");
    uid = caldav_ics_uid(copy);
    CHECK_STR(uid, "tiara-1-conflict-abc");
    CHECK(strstr(copy, "SUMMARY:Informational") != NULL);
    free(uid);
    free(copy);
    return CHECK_DONE();
}
