/* SPDX-License-Identifier: MIT */
/* ics_priv.h - what the ics/ files share; not a public header */
#ifndef TIARA_ICS_PRIV_H
#define TIARA_ICS_PRIV_H

#include <libical/ical.h>
#include <stdint.h>

#include "ics.h"
#include "util.h"

#define ICS_PRODID "-//tiara//tiara " TIARA_VERSION "//EN"

/* Suffixes that turn an interview's UID into its tasks' UIDs. */
#define ICS_PREP_SUFFIX "-prep"
#define ICS_THANKS_SUFFIX "-thanks"
#define ICS_CHECKIN_SUFFIX "-checkin"
/* LOCATION of a phone interview: "Phone call" or "Phone call: <number>". */
#define ICS_PHONE_PREFIX "Phone call"

/* Names of tiara's own properties, which carry what RFC 5545 has no
 * property for, so tiara's export imports with nothing lost. */
#define X_KIND "X-TIARA-KIND"
#define X_MODE "X-TIARA-MODE"
#define X_AGENDA "X-TIARA-AGENDA"
#define X_PREP_DONE "X-TIARA-PREP-DONE"
#define X_THANKED "X-TIARA-THANKED"
#define X_ACTUAL_START "X-TIARA-ACTUAL-START"
#define X_ACTUAL_END "X-TIARA-ACTUAL-END"
#define X_NOTES "X-TIARA-NOTES"
#define X_BOOKED_TZ "X-TIARA-TZ"
#define X_THANKS_TZ "X-TIARA-THANKS-TZ"
#define X_CREATED "X-TIARA-CREATED"
#define X_HOST_UID "X-TIARA-HOST-UID"
#define X_HOST_NAME "X-TIARA-HOST-NAME"
#define X_HOST_EMAIL "X-TIARA-HOST-EMAIL"
#define X_HOST_COMPANY "X-TIARA-HOST-COMPANY"
#define X_HOST_ROLE "X-TIARA-HOST-ROLE"
#define X_HOST_PHONE "X-TIARA-HOST-PHONE"
#define X_HOST_LINKEDIN "X-TIARA-HOST-LINKEDIN"
#define X_HOST_TZ "X-TIARA-HOST-TZ"
#define X_HOST_NOTES "X-TIARA-HOST-NOTES"
#define X_HOST_CADENCE "X-TIARA-HOST-CADENCE"
#define X_HOST_STOPPED "X-TIARA-HOST-CHECKIN-STOPPED"
#define X_HOST_SEQ "X-TIARA-HOST-SEQ"
#define X_HOST_CREATED "X-TIARA-HOST-CREATED"
#define X_HOST_MODIFIED "X-TIARA-HOST-MODIFIED"
#define X_REFERRER_UID "X-TIARA-REFERRER-UID"
#define X_REFERRER_NAME "X-TIARA-REFERRER-NAME"
#define X_DONE "X-TIARA-DONE"
/* On the cancelled entries of a removed contact: when it was removed. */
#define X_REMOVED "X-TIARA-REMOVED"

/* Value of the first X property called 'name', or NULL. */
const char *ics_x_get(icalcomponent *c, const char *name);
/* An IANA name for a TZID as clients write them: "Europe/Paris",
 * "/freeassociation.sourceforge.net/Europe/Paris", or through the
 * calendar's VTIMEZONE and its X-LIC-LOCATION; NULL when none fits. */
const char *ics_iana_zone(icalcomponent *cal, const char *tzid, char *out,
                          size_t n);
struct buf;
/* tiara's own title of an interview with 'host', appended to 'out'. */
void ics_interview_summary(const struct contact *host, struct buf *out);
/* A libical time (UTC, floating, or local in 'tzid') as a UTC instant. */
utc_t ics_time_to_utc(struct icaltimetype tt, const char *tzid);

struct rules_checkin;
struct buf;

/* The RFC 5545 text of each kind of component (ics.c), appended to 'out'
 * with CRLF line ends and folding. prep and thanks fail with 'err' set
 * when the interview's zone is unknown; prep returns 1, writing nothing,
 * for a meeting that needs no preparation. */
void ics_write_interview(struct buf *out, const struct interview *iv,
                         const struct contact *host,
                         const struct contact *referrer,
                         const struct ics_options *opt);
int ics_write_prep(struct buf *out, const struct interview *iv,
                   const struct contact *host, const struct ics_options *opt,
                   struct err *err);
int ics_write_thanks(struct buf *out, const struct interview *iv,
                     const struct contact *host, const struct ics_options *opt,
                     struct err *err);
/* 'cancelled': the series ended before its first check-in, or its
 * interviews were all cancelled (an export tells earlier importers). */
void ics_write_checkin(struct buf *out, const struct contact *host,
                       const struct interview *anchor,
                       const struct rules_checkin *ci, int cancelled);
void ics_write_landed(struct buf *out, const struct followup *f,
                      const struct contact *host,
                      const struct ics_options *opt);
/* A removed contact's entry, cancelled: only what identifies and places
 * it (UID, SUMMARY, the time, SEQUENCE), nothing more about the host. */
void ics_write_removed(struct buf *out, const struct store_removed *r,
                       const struct ics_options *opt);

const char *ics_kind_name(enum ics_kind kind);
int ics_kind_parse(const char *name, enum ics_kind *out);
/* Read a removed entry that tiara wrote (ics_write_removed, or a live
 * entry about to be removed) from 'c': the strings point into 'c' or
 * 'owner' (n bytes), valid while both are. -1 when it is not one. */
int ics_removed_read(icalcomponent *c, struct store_removed *out, char *owner,
                     size_t n);

/* One import under way (ics_import.c drives; ics_import_event.c and
 * ics_itip.c take the components; ics_import_read.c, below both, reads
 * what they share). */
struct ics_import {
    struct store *st;
    const char *source;
    utc_t now;
    const struct ics_import_options *opt;
    struct ics_import_report *rep;
    struct err *err; /* never NULL */
    icalproperty_method method;
    const char *floating_zone; /* floating times: X-WR-TIMEZONE or mine */
    char wr_zone[64];
    char label[160]; /* "event 'UID'", for the notes */
    int notes;       /* notes told so far */
    /* A streamed import (ics_import_stream.c): the series' first starts
     * by UID, in place of a walk over the calendar, and the hash of the
     * component under way with the store's record of those seen before
     * (0 and NULL otherwise). */
    const struct ics_series *series;
    uint64_t block_hash;
    struct store_seen *seen;
};

/* The start of each series (a VEVENT without RECURRENCE-ID) that a
 * changed occurrence in a streamed file refers to. */
struct ics_series_start {
    char *uid;
    utc_t start;
    size_t order; /* the first in the file wins */
};
struct ics_series {
    struct ics_series_start *v;
    size_t n, cap;
};
/* 1 with *start set when the file has series 'uid', else 0. */
int ics_series_find(const struct ics_series *s, const char *uid, utc_t *start);

/* Which of import_calendar's passes takes 'c': 0 the interviews (and
 * removed entries), 1 the occurrences that change them, 2 the rest. */
int ics_entry_pass(icalcomponent *c);
/* Take 'c', a component of 'cal', in a step of its own, by its kind and
 * the calendar's METHOD. */
int ics_take_entry(struct ics_import *im, icalcomponent *cal, icalcomponent *c);
/* METHOD and the floating zone of 'cal', for the components that follow. */
void ics_begin_calendar(struct ics_import *im, icalcomponent *cal);
/* A UID for a VEVENT that has none, made of what it says. */
void ics_give_uid(icalcomponent *ev);
/* The first complaint about the calendar itself, or NULL. */
const char *ics_calendar_error(icalcomponent *c);

/* FNV-1a over 'n' bytes, continuing from 'h' (ICS_HASH_SEED to start). */
#define ICS_HASH_SEED 14695981039346656037ULL
uint64_t ics_hash(uint64_t h, const void *p, size_t n);

/* One component at the top level of a file, as the scan found it. */
struct ics_block {
    long long at;        /* offset of its BEGIN line */
    size_t len;          /* through its END line */
    uint64_t uid_hash;   /* of a plain UID, else 0 */
    unsigned char pass;  /* the earliest pass that can take it */
    unsigned char event; /* BEGIN:VEVENT */
    unsigned char rid;   /* RECURRENCE-ID: 0 none, 1 plain, 2 unsure */
};

/* The first pass over a file (ics_import_scan.c): its components, and a
 * calendar of its own lines and VTIMEZONEs. 'stream' is 0 when the file
 * is one the whole-file reader should take instead: not UTF-8, NUL bytes,
 * no VCALENDAR, several, text outside it, BEGIN and END that do not pair,
 * a bare VEVENT. */
struct ics_scan {
    struct ics_block *v;
    size_t n, cap;
    struct buf shell;
    uint64_t *rid_uids; /* UID hashes of the changed occurrences */
    size_t nrid, rid_cap;
    int rid_unsure; /* an occurrence whose UID the text leaves in doubt */
    int has_begin, stream;
};
int ics_scan_file(FILE *f, const char *source, struct ics_scan *s,
                  struct err *err);
void ics_scan_release(struct ics_scan *s);

/* Tell of the component under way: "<label>: <fmt>". A skip is counted. */
void ics_note(struct ics_import *im, enum ics_note_kind kind, const char *fmt,
              ...) __attribute__((format(printf, 3, 4)));
/* A CAL-ADDRESS without its "mailto:" (any case). */
const char *ics_mailto(const char *cal_address);
/* Is 'addr' (a CAL-ADDRESS, "mailto:" or not) the user's? */
int ics_is_me(const struct ics_import *im, const char *addr);
/* The host of an event: its ORGANIZER, else its first ATTENDEE, that is
 * not the user; NULL when the event names nobody else. */
icalproperty *ics_other_person(struct ics_import *im, icalcomponent *ev);
/* A DATE-TIME property as a UTC instant, with the IANA zone it was written
 * in (the floating zone for floating times, NULL for UTC); -1 with
 * im->err set when it cannot be read. */
int ics_read_time(struct ics_import *im, icalcomponent *cal, icalproperty *p,
                  utc_t *out, char *zone, size_t zn, const char **zone_out);
/* The instant of a DATE-TIME property of 'c' (0 when absent or bad). */
utc_t ics_prop_instant(struct ics_import *im, icalcomponent *cal,
                       icalcomponent *c, icalproperty_kind kind);
/* DTSTART (or DUE), which every entry tiara keeps must have; libical's
 * complaint about it, in words, when it could not be read. */
int ics_read_start(struct ics_import *im, icalcomponent *cal, icalcomponent *c,
                   icalproperty_kind kind, utc_t *out, char *zone, size_t zn,
                   const char **zone_out);
/* The length an event says it lasts, in minutes (DTEND, DURATION, else
 * the default); -1 with im->err set. */
int ics_read_minutes(struct ics_import *im, icalcomponent *cal,
                     icalcomponent *ev, utc_t start, long *minutes);

/* Each returns 0 when the component was taken or told of, -1 with
 * im->err set: ERR_PARSE or ERR_INPUT refuse only it, others all. */
int ics_take_event(struct ics_import *im, icalcomponent *cal,
                   icalcomponent *ev);
int ics_take_task(struct ics_import *im, icalcomponent *cal,
                  icalcomponent *todo);
int ics_take_landed(struct ics_import *im, icalcomponent *cal,
                    icalcomponent *c);
/* RFC 5546 messages about an interview tiara has (ics_itip.c). */
int ics_take_cancel(struct ics_import *im, icalcomponent *cal,
                    icalcomponent *ev);
int ics_take_reply(struct ics_import *im, icalcomponent *cal,
                   icalcomponent *ev);
int ics_take_counter(struct ics_import *im, icalcomponent *cal,
                     icalcomponent *ev);
/* Is the message (SEQUENCE, then DTSTAMP) older than the newest one
 * applied to 'uid'? Then it is told of and 1 is returned. */
int ics_itip_stale(struct ics_import *im, icalcomponent *ev,
                   const struct store_itip *kept);
/* Remember the request or cancel 'ev' as the newest applied to 'uid'; a
 * higher SEQUENCE makes a time the host proposed moot. */
int ics_itip_remember(struct ics_import *im, icalcomponent *ev, const char *uid,
                      struct store_itip *kept);
/* SEQUENCE and DTSTAMP of 'ev' (0 when absent). */
void ics_itip_order(icalcomponent *ev, int *seq, utc_t *stamp);

#endif
